"""The second factor locks after totp_lock_after wrong codes in a row (default 10; src/pages/login.c,
code_check): the user is told, even a right code from the app is refused, a recovery code or an
administrator's unlock (admin page or `zorgwerk user unlock`) lets the sign-in go on, the lock is an
access-log event on the account and a server-log line without names, and a right code resets the count.
Turning the second factor off (/account/2fa/off) counts toward and respects the same lock."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, COACH_SOFIE, DEMO_PASSWORD, LEAD, PART_AN, PART_MARIEKE, Client, Server,
                     assert_status, run, totp_at, totp_next)

LIMIT = 10  # the default of totp_lock_after
# login_delay_after high: the delay between wrong codes is tested in test_throttle.py
srv = Server(sets={"login_delay_after": "50", "lang": "en"})


def uid(email):
    return srv.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]


def password_step(c, email):
    """Signs in with the password; returns on the second-factor page."""
    c.get("/login")
    r = c.post("/login", {"email": email, "password": DEMO_PASSWORD})
    assert_status(r, 303, "password of " + email)
    assert r.location.startswith("/login/2fa"), r.location
    assert_status(c.get(r.location), 200, "second-factor page")


def wrong_codes(c, n):
    """n wrong codes; returns the responses."""
    return [c.post("/login/2fa", {"code": "%06d" % (100000 + i * 7919)}) for i in range(n)]


def assert_locked(r, what):
    assert_status(r, 403, what)
    assert "Two-step verification for your account is locked" in r.body, what
    assert "recovery codes" in r.body and "administrator" in r.body, what


def lock(c, email):
    password_step(c, email)
    rs = wrong_codes(c, LIMIT)
    for i, r in enumerate(rs[:-1]):
        assert_status(r, 200, "wrong code %d of %d" % (i + 1, LIMIT))
        assert "not correct" in r.body
    assert_locked(rs[-1], "wrong code %d locks the second factor" % LIMIT)


def test_wrong_codes_lock_even_the_right_code_and_the_admin_unlocks():
    c = Client(srv)
    lock(c, COACH_PIETER)
    secret = srv.secrets[COACH_PIETER]
    assert_locked(c.post("/login/2fa", {"code": totp_next(COACH_PIETER, secret)}), "right code while locked")
    r = c.get("/login/2fa")
    assert_status(r, 200)
    assert "Two-step verification for your account is locked" in r.body, "the page says so before a code is typed"
    assert_status(c.get("/dashboard"), (303, 302), "no way in while locked")
    # logged: once in the access log on the account, once in the server log with the user id only
    pid = uid(COACH_PIETER)
    rows = srv.sql("SELECT action, outcome FROM access_log WHERE item = ?", ("account:%d" % pid,))
    assert rows == [("mfa_locked", "denied")], rows
    log = [l for l in srv.stderr().splitlines() if "second factor locked" in l]
    assert len(log) == 1 and ("user %d" % pid) in log[0], log
    assert COACH_PIETER not in srv.stderr() and "Pieter" not in log[0], "no names in the server log"
    # the administrator sees the lock and lifts it
    admin = Client(srv)
    admin.login(ADMIN)
    r = admin.get("/admin/users/%d" % pid)
    assert_status(r, 200)
    assert "/admin/users/%d/unlock" % pid in r.body, "an unlock button for a locked second factor"
    assert_status(admin.post("/admin/users/%d/unlock" % pid, {}), 303, "unlock")
    r = c.post("/login/2fa", {"code": totp_next(COACH_PIETER, secret)})
    assert_status(r, 303, "right code after the unlock")
    assert r.location == "/dashboard", r.location


def enrol(c):
    """Turns on the second factor for the signed-in user; returns (secret, recovery codes)."""
    r = c.get("/account/2fa")
    assert_status(r, 200)
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', r.body).group(1)
    r = c.post("/account/2fa", {"secret": secret, "code": totp_at(secret, int(time.time()) // 30)})
    assert_status(r, 200, "enrolment")
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", r.body)
    assert len(codes) == 10, r.body[:500]
    return secret, codes


def test_recovery_code_lifts_the_lock():
    c = Client(srv)
    c.login(PART_AN)
    secret, codes = enrol(c)
    c.logout()
    lock(c, PART_AN)
    assert_locked(c.post("/login/2fa", {"code": totp_at(secret, int(time.time()) // 30 + 1)}), "right code, locked")
    r = c.post("/login/2fa", {"code": codes[0]})
    assert_status(r, 303, "recovery code while locked")
    assert r.location == "/me", r.location
    assert_status(c.get("/me"), 200)
    c.logout()
    # the lock is gone: a wrong code is an ordinary wrong code again
    password_step(c, PART_AN)
    r = wrong_codes(c, 1)[0]
    assert_status(r, 200, "one wrong code after the recovery")


def test_right_code_resets_the_count():
    c = Client(srv)
    password_step(c, COACH_SOFIE)
    assert all(r.status == 200 for r in wrong_codes(c, LIMIT - 1))
    assert_status(c.post("/login/2fa", {"code": totp_next(COACH_SOFIE, srv.secrets[COACH_SOFIE])}), 303)
    c.logout()
    password_step(c, COACH_SOFIE)
    assert all(r.status == 200 for r in wrong_codes(c, LIMIT - 1)), "the count started again"
    assert_status(c.post("/login/2fa", {"code": totp_next(COACH_SOFIE, srv.secrets[COACH_SOFIE])}), 303)


def test_cli_unlock():
    c = Client(srv)
    lock(c, LEAD)
    p = srv.cli("user", "unlock", LEAD, check=True)
    assert "unlocked" in p.stdout
    password_step(c, LEAD)  # the command ends the account's sessions
    r = c.post("/login/2fa", {"code": totp_next(LEAD, srv.secrets[LEAD])})
    assert_status(r, 303, "right code after `zorgwerk user unlock`")


def test_turning_off_counts_toward_the_lock_and_respects_it():
    """POST /account/2fa/off checks its code as the sign-in does: wrong codes there count toward the same
    lock, the code that reaches it locks the second factor (logged), a locked one cannot be turned off with a
    code from the app, and a recovery code still can."""
    c = Client(srv)
    c.login(PART_MARIEKE)
    secret, codes = enrol(c)
    assert_status(c.get("/account/2fa"), 200)
    for i in range(LIMIT - 1):
        r = c.post("/account/2fa/off", {"code": "%06d" % (200000 + i * 7919)})
        assert_status(r, 400, "wrong code %d of %d when turning off" % (i + 1, LIMIT))
        assert "not correct" in r.body
    pid = uid(PART_MARIEKE)
    assert srv.sql("SELECT totp_failures FROM users WHERE id = ?", (pid,))[0][0] == LIMIT - 1, \
        "wrong codes when turning off count toward the lock"
    r = c.post("/account/2fa/off", {"code": "999999"})
    assert_locked(r, "wrong code %d when turning off locks the second factor" % LIMIT)
    rows = srv.sql("SELECT action, outcome, user_id FROM access_log WHERE item = ?", ("account:%d" % pid,))
    assert rows == [("mfa_locked", "denied", pid)], rows
    assert_locked(c.post("/account/2fa/off", {"code": totp_at(secret, int(time.time()) // 30 + 1)}),
                  "a right code from the app while locked")
    assert srv.sql("SELECT totp_secret IS NOT NULL FROM users WHERE id = ?", (pid,))[0][0] == 1, "still on"
    # the sign-in meets the same lock
    other = Client(srv)
    password_step(other, PART_MARIEKE)
    assert "Two-step verification for your account is locked" in other.get("/login/2fa").body
    # a recovery code turns it off, and the count with it
    r = c.post("/account/2fa/off", {"code": codes[0]})
    assert_status(r, 303, "recovery code turns the second factor off")
    assert srv.sql("SELECT totp_secret IS NULL, totp_failures FROM users WHERE id = ?", (pid,))[0] == (1, 0)
    assert srv.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?", (pid,))[0][0] == 0


run(srv, globals())
