"""Signing in and out: login per role, the second factor, wrong password vs unknown account, lockout and
release, logout, session expiry (idle and absolute), session cookie attributes, safe `next`, language."""
import re
import sys
import os
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, COACH_SOFIE, DEMO_PASSWORD, PART_AN, PART_KARIM, PART_MARIEKE,
                     PARTNER_GP, PARTNER_HR, Client, Server, assert_status, run, strip_tags, totp_at,
                     totp_next, without_ref)

# Throttling off (it has its own module); a small lock_after for the lockout test.
srv = Server(sets={"lock_after": "3", "login_delay_after": "1000", "login_delay_ms": "0", "lang": "en"})

FAILED_MSG = "The e-mail address or password is not correct."


def error_text(body):
    body = getattr(body, "body", body)
    m = re.search(r'<p class="errors" role="alert">(.*?)</p>', body, re.S)
    return strip_tags(m.group(1)) if m else None


def signed_in(c):
    """True when c's session is signed in with both factors: /login then sends it on to its start page."""
    r = c.get("/login")
    return r.status == 303


def cookie_attrs(resp, name):
    for sc in resp.headers.get_all("Set-Cookie") or []:
        if sc.startswith(name + "="):
            return [a.strip() for a in sc.split(";")]
    return None


def user_row(email):
    rows = srv.sql("SELECT id, locked, failed_logins FROM users WHERE email = ?", (email,))
    return rows[0]


def test_login_page_and_anonymous_csrf_cookie():
    c = Client(srv)
    r = c.get("/login")
    assert_status(r, 200, "GET /login")
    assert '<html lang="en">' in r.body
    a = cookie_attrs(r, "zw_csrf")
    assert a, "an anonymous visitor gets a CSRF cookie"
    assert "HttpOnly" in a and "SameSite=Lax" in a and "Path=/" in a, a
    assert "Secure" not in a, "no Secure flag without tls"
    assert c.csrf == c.jar["zw_csrf"], "the form token is the cookie's"


def test_login_participant_without_second_factor():
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": PART_AN, "password": DEMO_PASSWORD})
    assert_status(r, 303, "login")
    assert r.location == "/me", r.location
    a = cookie_attrs(r, "zw_session")
    assert a, "session cookie set"
    assert "HttpOnly" in a and "SameSite=Lax" in a and "Path=/" in a, a
    assert "Secure" not in a, a
    assert not any(x.startswith("Max-Age") or x.startswith("Expires") for x in a), "a browser-session cookie"
    assert signed_in(c)
    # the e-mail address is matched without regard to case
    c2 = Client(srv)
    c2.get("/login")
    r = c2.post("/login", {"email": "  " + PART_AN.upper() + " ", "password": DEMO_PASSWORD})
    assert_status(r, 303, "login with upper-case e-mail")
    assert signed_in(c2)
    # a new session is a new token (no fixation): the two clients hold different cookies
    assert c.session_cookie() != c2.session_cookie()


def test_wrong_password_and_unknown_account_look_the_same():
    c = Client(srv)
    c.get("/login")
    t = time.time()
    wrong = c.post("/login", {"email": PARTNER_GP, "password": "not-the-password"})
    t_wrong = time.time() - t
    t = time.time()
    unknown = c.post("/login", {"email": "nobody@nowhere.example", "password": "not-the-password"})
    t_unknown = time.time() - t
    assert wrong.status == unknown.status, (wrong.status, unknown.status)
    assert_status(wrong, 200, "a wrong password: the form again, with the message")
    assert error_text(wrong) and FAILED_MSG in error_text(wrong), error_text(wrong)
    assert error_text(wrong) == error_text(unknown)
    assert "Set-Cookie" not in wrong.headers or not cookie_attrs(wrong, "zw_session")
    # the typed e-mail address is kept, the password is not echoed
    assert 'value="%s"' % PARTNER_GP in wrong.body
    assert "not-the-password" not in wrong.body
    # both verify a hash (no timing shortcut for unknown accounts); generous bound for ASan
    assert t_unknown > t_wrong * 0.3, (t_wrong, t_unknown)
    assert user_row(PARTNER_GP)[2] == 1, "the failure is counted on the account"
    # a correct login resets the count
    r = c.post("/login", {"email": PARTNER_GP, "password": DEMO_PASSWORD})
    assert_status(r, 303, "correct password after one failure")
    assert r.location == "/shared", r.location
    assert user_row(PARTNER_GP)[2] == 0


def test_missing_fields_keep_what_was_typed():
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": "typed@example.org", "password": ""})
    assert_status(r, 400, "empty password")
    assert 'value="typed@example.org"' in r.body
    assert error_text(r), "a message beside the form"


def test_second_factor():
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": COACH_SOFIE, "password": DEMO_PASSWORD})
    assert_status(r, 303, "password step")
    assert r.location.startswith("/login/2fa"), r.location
    assert not signed_in(c), "password alone is not enough for a coach"
    # pages behind the second factor send the user back to it
    r = c.get("/caseload")
    assert_status(r, 303, "GET /caseload before the second factor")
    assert r.location.startswith("/login/2fa"), r.location
    r = c.get("/login/2fa")
    assert_status(r, 200, "2FA form")
    assert 'name="code"' in r.body
    # a wrong code is refused with a message, and does not sign in
    now = int(time.time()) // 30
    valid = {totp_at(srv.secrets[COACH_SOFIE], s) for s in range(now - 2, now + 3)}
    wrong = next(w for w in ("000000", "111111", "222222") if w not in valid)
    r = c.post("/login/2fa", {"code": wrong})
    assert_status(r, 200, "a wrong code: the form again, with the message")
    assert error_text(r) and "not correct" in error_text(r)
    assert not signed_in(c)
    # a well-formed nonsense code
    r = c.post("/login/2fa", {"code": "abc"})
    assert_status(r, 200, "a nonsense code")
    assert error_text(r)
    # the right code
    code = totp_next(COACH_SOFIE, srv.secrets[COACH_SOFIE])
    r = c.post("/login/2fa", {"code": code})
    assert_status(r, 303, "right code")
    assert r.location == "/dashboard", r.location  # a coach starts the day on the dashboard
    assert "zw_session" in (r.headers.get("Set-Cookie") or ""), "a new session after the second factor"
    assert signed_in(c)
    # the same code cannot be used again (replay), not even in another session
    c2 = Client(srv)
    c2.get("/login")
    r = c2.post("/login", {"email": COACH_SOFIE, "password": DEMO_PASSWORD})
    assert_status(r, 303)
    c2.get(r.location)
    r = c2.post("/login/2fa", {"code": code})
    assert_status(r, 200, "a used code: the form again")
    assert error_text(r), "a used code is refused without a message"
    assert not signed_in(c2)


def test_logout_ends_the_session():
    c = Client(srv)
    c.login(PART_KARIM, follow=False)
    assert signed_in(c)
    old = dict(c.jar)
    uid = user_row(PART_KARIM)[0]
    assert srv.sql("SELECT COUNT(*) FROM sessions WHERE user_id = ?", (uid,))[0][0] >= 1
    r = c.post("/logout", {})
    assert_status(r, 303, "logout")
    assert r.location.startswith("/login"), r.location
    a = cookie_attrs(r, "zw_session")
    assert a and "Max-Age=0" in a, "the cookie is cleared: %s" % a
    assert srv.sql("SELECT COUNT(*) FROM sessions WHERE user_id = ?", (uid,))[0][0] == 0
    assert not signed_in(c)
    # the old cookie no longer works
    replay = Client(srv)
    replay.jar = old
    assert not signed_in(replay), "old session cookie still accepted after logout"
    r = replay.get("/login/2fa")
    assert_status(r, 303)
    assert r.location.startswith("/login?next="), r.location
    # the signed-out page shows its flash message
    r = c.get("/login?flash=logged_out")
    assert "You are signed out." in r.body


def test_session_idle_and_absolute_expiry():
    c = Client(srv)
    c.login(PART_MARIEKE, follow=False)
    assert signed_in(c)
    uid = user_row(PART_MARIEKE)[0]
    # idle: last seen longer ago than session_idle (default 30 min)
    srv.sql("UPDATE sessions SET last_seen = last_seen - 3600 WHERE user_id = ?", (uid,))
    r = c.get("/login/2fa")
    assert_status(r, 303, "expired session on a protected page")
    assert r.location.startswith("/login?next="), r.location
    assert srv.sql("SELECT COUNT(*) FROM sessions WHERE user_id = ?", (uid,))[0][0] == 0, "expired row removed"
    # a POST with an expired session: a clear 403, nothing done
    c.login(PART_MARIEKE, follow=False)
    c.get("/login")
    srv.sql("UPDATE sessions SET last_seen = last_seen - 3600 WHERE user_id = ?", (uid,))
    r = c.post("/logout", {})
    assert_status(r, 403, "POST with an expired session")
    assert "Your session has ended" in r.body
    # absolute: created longer ago than session_absolute (12 h), even though it was just used
    c.login(PART_MARIEKE, follow=False)
    assert signed_in(c)
    srv.sql("UPDATE sessions SET created_at = created_at - 13 * 3600 WHERE user_id = ?", (uid,))
    assert not signed_in(c), "a session older than session_absolute must end"
    # a session that is merely a few minutes old stays
    c.login(PART_MARIEKE, follow=False)
    srv.sql("UPDATE sessions SET last_seen = last_seen - 120, created_at = created_at - 120 WHERE user_id = ?",
            (uid,))
    assert signed_in(c)


def test_garbage_session_cookie_is_ignored():
    c = Client(srv)
    for bad in ("x", "A" * 43, "A" * 5000, "../../etc", '"quoted"'):
        c.jar = {"zw_session": bad}
        r = c.get("/login")
        assert_status(r, 200, "login page with cookie %r" % bad[:20])


def test_lockout_and_release():
    c = Client(srv)
    c.get("/login")
    for i in range(3):
        r = c.post("/login", {"email": PARTNER_HR, "password": "wrong-%d" % i})
        assert r.status == 200 and FAILED_MSG in (error_text(r) or ""), r.status
    assert user_row(PARTNER_HR)[1] == 1, "locked after lock_after failures"
    # now the right password is refused too, with the same message (no account oracle)
    r = c.post("/login", {"email": PARTNER_HR, "password": DEMO_PASSWORD})
    assert r.status == 200, r.status
    assert FAILED_MSG in (error_text(r) or ""), error_text(r)
    assert not signed_in(c)
    # the command line releases it
    p = srv.cli("user", "unlock", PARTNER_HR)
    assert p.returncode == 0, p.stderr
    assert user_row(PARTNER_HR)[1:] == (0, 0)
    r = c.post("/login", {"email": PARTNER_HR, "password": DEMO_PASSWORD})
    assert_status(r, 303, "login after unlock")
    assert signed_in(c)
    # locked again; this time the administrator releases it on the user's page
    c = Client(srv)
    c.get("/login")
    for i in range(3):
        c.post("/login", {"email": PARTNER_HR, "password": "again-%d" % i})
    uid, locked, _ = user_row(PARTNER_HR)
    assert locked == 1
    admin = Client(srv)
    admin.login(ADMIN)
    r = admin.get("/admin/users/%d" % uid)
    assert_status(r, 200, "admin user page")
    assert "/admin/users/%d/unlock" % uid in r.body, "the page offers unlock for a locked account"
    r = admin.post("/admin/users/%d/unlock" % uid, {})
    assert_status(r, 303, "admin unlock")
    assert user_row(PARTNER_HR)[1:] == (0, 0)
    r = admin.follow(r)
    assert "The account is unlocked." in r.body
    r = c.post("/login", {"email": PARTNER_HR, "password": DEMO_PASSWORD})
    assert_status(r, 303, "login after admin unlock")
    # unlocking an id that does not exist is a 404, not a crash
    r = admin.post("/admin/users/999999/unlock", {})
    assert_status(r, 404, "unlock unknown id")


def test_safe_next_after_login():
    c = Client(srv)
    c.get("/login?next=//evil.example/x")
    r = c.post("/login", {"email": PART_AN, "password": DEMO_PASSWORD, "next": "//evil.example/x"})
    assert_status(r, 303)
    assert r.location == "/me", "open redirect: %s" % r.location
    c2 = Client(srv)
    c2.get("/login")
    r = c2.post("/login", {"email": PART_AN, "password": DEMO_PASSWORD, "next": "https://evil.example/"})
    assert r.location == "/me", r.location
    c3 = Client(srv)
    c3.get("/login")
    r = c3.post("/login", {"email": PART_AN, "password": DEMO_PASSWORD, "next": "/\\evil.example"})
    assert r.location == "/me", r.location
    # browsers drop a tab from a URL: "/<tab>/evil.example" would become "//evil.example"
    for sneaky in ("/\t/evil.example", "/x\\..\\/evil.example"):
        c4 = Client(srv)
        c4.get("/login")
        r = c4.post("/login", {"email": PART_AN, "password": DEMO_PASSWORD, "next": sneaky})
        assert r.location == "/me", (sneaky, r.location)


def test_language_switch():
    c = Client(srv)
    r = c.get("/login")
    assert '<html lang="en">' in r.body, "default language from --set lang=en"
    r = c.post("/lang", {"lang": "nl", "next": "/login"})
    assert_status(r, 303, "POST /lang")
    assert r.location == "/login"
    a = [x for x in (r.headers.get_all("Set-Cookie") or []) if x.startswith("zw_lang=nl")]
    assert a and "Max-Age=" in a[0] and "HttpOnly" in a[0], a
    r = c.get("/login")
    assert '<html lang="nl">' in r.body
    assert 'lang="en">English</button>' in r.body, "the switch offers the other language"
    # an unknown language is refused clearly
    r = c.post("/lang", {"lang": "xx", "next": "/login"})
    assert_status(r, 400, "unknown language")
    # a signed-in user's choice is kept with the account
    c2 = Client(srv)
    c2.login(PART_AN, follow=False)
    r = c2.post("/lang", {"lang": "nl", "next": "/"})
    assert_status(r, 303)
    assert srv.sql("SELECT lang FROM users WHERE email = ?", (PART_AN,))[0][0] == "nl"
    c2.jar.pop("zw_lang", None)
    r = c2.get("/account")
    assert_status(r, 200)
    assert '<html lang="nl">' in r.body, "the account's language wins over the default"
    # back to English
    r = c2.post("/lang", {"lang": "en", "next": "/account"})
    assert_status(r, 303)
    r = c2.get("/account")
    assert '<html lang="en">' in r.body


run(srv, globals())
