"""Login throttling (src/pages/login.c, post_login): a guesser is slowed down per account and per address,
but cannot deny a right password to someone else.

- an account's throttle (login_delay_after failures, then 429 with Retry-After) holds unknown devices; a
  browser that signed in to the account before (device cookie) passes it and the account's lock;
- the address throttle counts the accounts an address fails on, so hammering one account does not stop
  another user at the same address, while password spraying does (for unknown devices);
- a throttled account lets its owner in with password and second-factor code together;
- the second factor is throttled too.

All clients of a test share the address 127.0.0.1, so each scenario has a server of its own."""
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, DEMO_PASSWORD, PART_AN, PART_KARIM, PART_MARIEKE, PARTNER_GP, PARTNER_HR, Client,
                     Server, assert_status, run, totp_next)

AFTER = 3
DELAY_S = 2


def throttled_server(name, **extra):
    sets = {"login_delay_after": str(AFTER), "login_delay_ms": str(DELAY_S * 1000),
            "login_delay_max_ms": str(DELAY_S * 1000), "lock_after": "100", "lang": "en"}
    sets.update(extra)
    return Server(sets=sets, name=name)


srv = throttled_server("throttle")
srv_a = throttled_server("throttle-other-account")
srv_b = throttled_server("throttle-known-device", lock_after=str(AFTER))
srv_burst = throttled_server("throttle-burst", threads="8")
srv_spray = throttled_server("throttle-spray")
srv_code = throttled_server("throttle-code", login_delay_max_ms=str(8 * DELAY_S * 1000))
srv_mfa = throttled_server("throttle-mfa")
srv_pwchange = throttled_server("throttle-password-changed")
srv_pwreset = throttled_server("throttle-password-reset")


def wait_out(resp):
    time.sleep(int(resp.headers["Retry-After"]) + 0.3)


def attempt(c, email, password, **extra):
    c.get("/login")
    form = {"email": email, "password": password}
    form.update(extra)
    return c.post("/login", form)


def hammer(srv, email, n):
    """n wrong passwords for email from a fresh client; returns the statuses."""
    c = Client(srv)
    return [attempt(c, email, "wrong-guess-%d" % i).status for i in range(n)]


def signed_in_as_home(c, resp, home):
    """resp is the 303 of a complete sign-in and the session opens home."""
    assert_status(resp, 303, "sign-in")
    assert not resp.location.startswith("/login"), resp.location
    r = c.get(home)
    assert_status(r, 200, "home after sign-in")


def test_attacker_slowed_then_released():
    c = Client(srv)
    for i in range(AFTER):
        r = attempt(c, PART_KARIM, "wrong-%d" % i)
        assert_status(r, 200, "failure %d" % (i + 1))
        assert "not correct" in r.body
    r = attempt(c, PART_KARIM, DEMO_PASSWORD)
    assert_status(r, 429, "right password from an unknown device within the delay")
    ra = r.headers.get("Retry-After")
    assert ra and ra.isdigit() and 1 <= int(ra) <= DELAY_S, "Retry-After: %r" % ra
    assert "Too many failed attempts" in r.body
    assert "Content-Security-Policy" in r.headers and r.headers.get("Cache-Control") == "no-store"
    assert "zw_session" not in (r.headers.get("Set-Cookie") or ""), "no session while throttled"
    for i in range(3):
        assert_status(attempt(c, PART_KARIM, "again-%d" % i), 429, "the guesser keeps getting 429")
    # a participant has no second factor: password and code together do not pass the throttle
    assert_status(attempt(c, PART_KARIM, DEMO_PASSWORD, code="123456"), 429, "no second factor")
    wait_out(r)
    r = attempt(c, PART_KARIM, DEMO_PASSWORD)
    assert_status(r, 303, "right password after the delay")


def test_failures_on_one_account_do_not_stop_another_at_the_same_address():
    statuses = hammer(srv_a, PART_KARIM, 12)
    assert statuses[:AFTER] == [200] * AFTER and set(statuses[AFTER:]) == {429}, statuses
    # other people behind the same address (a proxy, an office) on browsers never used here
    for who, home in ((PART_MARIEKE, "/me"), (PARTNER_GP, "/shared")):
        c = Client(srv_a)
        signed_in_as_home(c, attempt(c, who, DEMO_PASSWORD), home)
    # while the guesser is still held back
    assert hammer(srv_a, PART_KARIM, 1) == [429]


def test_known_device_passes_the_account_throttle_and_lock():
    owner = Client(srv_b)
    signed_in_as_home(owner, attempt(owner, PART_AN, DEMO_PASSWORD), "/me")
    owner.logout()
    statuses = hammer(srv_b, PART_AN, 10)
    assert statuses[:AFTER] == [200] * AFTER and set(statuses[AFTER:]) == {429}, statuses
    locked = srv_b.sql("SELECT locked FROM users WHERE email = ?", (PART_AN,))[0][0]
    assert locked == 1, "lock_after wrong passwords lock the account"
    # a browser that never signed in to the account is held back, right password or not ...
    stranger = Client(srv_b)
    r = attempt(stranger, PART_AN, DEMO_PASSWORD)
    assert_status(r, 429, "right password, unknown device, throttled account")
    # ... the owner's own browser is not, and the lock does not hold it either
    signed_in_as_home(owner, attempt(owner, PART_AN, DEMO_PASSWORD), "/me")
    owner.logout()
    # the owner's sign-in gives the guesser no fresh attempts
    assert hammer(srv_b, PART_AN, 1) == [429]
    # after the delay an unknown device still meets the lock (the same failure message)
    wait_out(r)
    r = attempt(stranger, PART_AN, DEMO_PASSWORD)
    assert_status(r, 200, "locked account, unknown device")
    assert "not correct" in r.body and "zw_session" not in stranger.jar
    # a stolen device cookie gets login_delay_after guesses, then the device is no longer known
    for i in range(AFTER):
        assert_status(attempt(owner, PART_AN, "cookie-thief-%d" % i), 200, "wrong password on the known device")
    r = attempt(owner, PART_AN, DEMO_PASSWORD)
    assert r.status in (200, 429) and "zw_session" not in owner.jar, \
        "after %d wrong passwords the device no longer passes: %d" % (AFTER, r.status)


def test_parallel_guesses_are_counted_before_the_password_check():
    results = []
    lock = threading.Lock()

    def one(i):
        c = Client(srv_burst)
        c.get("/login")
        s = attempt(c, PART_KARIM, "parallel-%d" % i).status
        with lock:
            results.append(s)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answered = results.count(200)
    assert answered <= AFTER and results.count(429) == 12 - answered, \
        "a burst of 12 parallel guesses got %d password checks (at most %d): %s" % (answered, AFTER, sorted(results))


def test_spraying_throttles_the_address_but_not_known_devices():
    gp = Client(srv_spray)
    signed_in_as_home(gp, attempt(gp, PARTNER_GP, DEMO_PASSWORD), "/shared")
    gp.logout()
    sprayer = Client(srv_spray)
    for who in (PART_AN, PART_KARIM, PART_MARIEKE):
        assert_status(attempt(sprayer, who, "Summer2026!"), 200, "one guess on " + who)
    r = attempt(sprayer, PARTNER_HR, "Summer2026!")
    assert_status(r, 429, "the address tried %d accounts" % AFTER)
    assert 'name="code"' not in r.body, "an address throttle offers no way round it but a known device"
    assert_status(attempt(Client(srv_spray), PARTNER_GP, DEMO_PASSWORD), 429, "unknown device at that address")
    signed_in_as_home(gp, attempt(gp, PARTNER_GP, DEMO_PASSWORD), "/shared")


def test_throttled_account_passes_with_password_and_code():
    assert hammer(srv_code, COACH_PIETER, AFTER + 1) == [200] * AFTER + [429]
    owner = Client(srv_code)
    r = attempt(owner, COACH_PIETER, DEMO_PASSWORD)
    assert_status(r, 429, "password alone, unknown device")
    assert 'name="code"' in r.body, "the throttled page offers password and code together"
    r = attempt(owner, COACH_PIETER, DEMO_PASSWORD, code="000000")
    assert_status(r, 429, "right password, wrong code")
    assert "password or code is not correct" in r.body and "zw_session" not in owner.jar
    guesser = Client(srv_code)
    r2 = attempt(guesser, COACH_PIETER, "wrong-password", code="123456")
    assert_status(r2, 429, "wrong password with a code")
    assert "password or code is not correct" in r2.body, "the same answer: nothing learnt about the password"
    # both failures count against the address too (each cost a password check): the address waits DELAY_S,
    # the account, with more failures, longer (the delay doubles up to the larger maximum of this server)
    time.sleep(DELAY_S + 0.3)
    r = attempt(owner, COACH_PIETER, DEMO_PASSWORD, code=totp_next(COACH_PIETER, srv_code.secrets[COACH_PIETER]))
    signed_in_as_home(owner, r, "/dashboard")


def test_second_factor_throttled():
    c = Client(srv_mfa)
    r = attempt(c, COACH_PIETER, DEMO_PASSWORD)
    assert_status(r, 303)
    assert r.location.startswith("/login/2fa")
    c.get(r.location)
    for i in range(AFTER):
        r = c.post("/login/2fa", {"code": "12345%d" % i})
        assert_status(r, 200, "wrong code %d" % (i + 1))
    r = c.post("/login/2fa", {"code": "999999"})
    assert_status(r, 429, "wrong code within the delay")
    assert r.headers.get("Retry-After", "").isdigit()
    wait_out(r)
    r = c.post("/login/2fa", {"code": totp_next(COACH_PIETER, srv_mfa.secrets[COACH_PIETER])})
    assert_status(r, 303, "right code after the delay")
    assert r.location == "/dashboard", r.location


NEW_PASSWORD = "a new sentence nobody else knows"


def known_device(srv, email, home):
    """A browser that signed in to email (so it is a known device of the account), signed out again."""
    c = Client(srv)
    signed_in_as_home(c, attempt(c, email, DEMO_PASSWORD), home)
    c.logout()
    return c


def test_password_change_forgets_the_other_known_devices():
    """A browser known for the old password (a shared or lost computer) no longer passes the account's
    throttle; the browser that changed the password stays known."""
    old = known_device(srv_pwchange, PART_AN, "/me")
    changer = Client(srv_pwchange)
    signed_in_as_home(changer, attempt(changer, PART_AN, DEMO_PASSWORD), "/me")
    changer.get("/account")
    r = changer.post("/account/password", {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 303, "password changed")
    changer.logout()
    assert hammer(srv_pwchange, PART_AN, AFTER + 1)[-1] == 429, "the account is throttled"
    r = attempt(old, PART_AN, NEW_PASSWORD)
    assert_status(r, 429, "a browser known before the change, right new password, throttled account")
    assert "zw_session" not in old.jar
    signed_in_as_home(changer, attempt(changer, PART_AN, NEW_PASSWORD), "/me")


def test_password_reset_forgets_every_known_device():
    """A password set with a reset link (here the command line's) or by `user passwd` forgets every known
    device of the account: whoever held the account before the reset keeps no way past its throttle."""
    old = known_device(srv_pwreset, PART_KARIM, "/me")
    out = srv_pwreset.cli("user", "reset", PART_KARIM, check=True).stdout
    m = re.search(r"/reset\?token=([A-Za-z0-9_\-]+)", out)
    assert m, out
    owner = Client(srv_pwreset)
    assert_status(owner.get("/reset?token=" + m.group(1)), 200, "the reset link")
    r = owner.post("/reset", {"token": m.group(1), "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 303, "password set with the link")
    assert hammer(srv_pwreset, PART_KARIM, AFTER + 1)[-1] == 429, "the account is throttled"
    r = attempt(old, PART_KARIM, NEW_PASSWORD)
    assert_status(r, 429, "a browser known before the reset, right new password, throttled account")
    assert "zw_session" not in old.jar
    # the operator's `user passwd` is a reset too
    old = known_device(srv_pwreset, PART_MARIEKE, "/me")
    srv_pwreset.cli("user", "passwd", PART_MARIEKE, input=NEW_PASSWORD + "\n", check=True)
    assert hammer(srv_pwreset, PART_MARIEKE, AFTER + 1)[-1] == 429, "the account is throttled"
    r = attempt(old, PART_MARIEKE, NEW_PASSWORD)
    assert_status(r, 429, "a browser known before `user passwd`, right new password, throttled account")
    assert "zw_session" not in old.jar


run(srv, globals(), extra_servers=(srv_a, srv_b, srv_burst, srv_spray, srv_code, srv_mfa, srv_pwchange,
                                    srv_pwreset))
