"""A password reset by the administrator leaves a trace (issue 9, finding 4).

The administrator issues a reset link for the GP (an account without a second factor), sets the GP's
password with it and could sign in as the GP. Now: the link's creation is an access-log entry on the GP's
account naming the administrator (and its use one with the client address), the log officer sees it, the
administrator's page says to hand the link to the person themselves, and the GP is told at the next
sign-in — once dismissed, the notice is gone.
"""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ADMIN, PARTNER_GP, Client, Server, assert_status, run, strip_tags, unescape

LOGOFFICER = "privacy@zorgwerk.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
NEW_PASSWORD = "Het-wachtwoord-van-de-beheerder-2026"
S = {}


def uid(email):
    return srv.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]


def log_rows(mark, **where):
    cols = ["id", "at", "user_id", "role", "item", "action", "outcome", "grounds", "client"]
    rows = [dict(zip(cols, r)) for r in srv.sql("SELECT %s FROM access_log WHERE id > ? ORDER BY id" % ", ".join(cols),
                                                 (mark,))]
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def test_the_reset_is_in_the_access_log_with_the_administrator():
    S["mark"] = mark = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
    admin = Client(srv, lang="en")
    admin.login(ADMIN)
    gp = uid(PARTNER_GP)
    admin.get("/admin/users/%d" % gp)
    r = admin.post("/admin/users/%d/reset-link" % gp, {})
    assert_status(r, 200, "the administrator issues a reset link for the GP")
    page = r.body
    m = re.search(r"/reset\?token=([A-Za-z0-9_\-]+)", page)
    assert m, "no link on the page"
    token = unescape(m.group(1))
    # the administrator uses it himself
    anon = Client(srv, lang="en")
    assert_status(anon.get("/reset?token=" + token), 200, "the reset link")
    r = anon.post("/reset", {"token": token, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 303, "the password is set with the link")
    made = log_rows(mark, item="account:%d" % gp, action="link_create")
    assert len(made) == 1, "the reset link's creation is not in the access log: %r" % made
    assert made[0]["user_id"] == uid(ADMIN) and made[0]["role"] == "admin" and made[0]["grounds"] == "reset", made
    used = log_rows(mark, item="account:%d" % gp, action="link_use")
    assert len(used) == 1 and used[0]["client"] == "127.0.0.1", "the link's use is not in the access log: %r" % used
    assert "Hand the link to the person themselves" in page, "the page does not say who the link is for"


def test_the_log_officer_sees_who_reset_whom():
    officer = Client(srv, lang="en")
    officer.login(LOGOFFICER)
    page = officer.get("/log?email=" + ADMIN)
    assert_status(page, 200, "the log officer's review")
    text = strip_tags(page.body)
    assert "account:%d" % uid(PARTNER_GP) in text and "link_create" in text, \
        "the reset is not in the log officer's view: %s" % text[:600]


def test_the_gp_is_told_at_the_next_sign_in():
    c = Client(srv, lang="en")
    c.get("/login")
    r = c.post("/login", {"email": PARTNER_GP, "password": NEW_PASSWORD})
    assert_status(r, 303, "the GP signs in with the password set through the link")
    assert r.location == "/notices", "after sign-in the GP goes to %s" % r.location
    page = c.get(r.location)
    assert_status(page, 200, "/notices")
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    text = strip_tags(page.body)
    assert "On %s the administrator Wim Beheerder reset your password." % day in text, text[:600]
    m = re.search(r'action="(/notices/\d+/dismiss)"', page.body)
    assert m, "no way to dismiss the notice"
    # nobody else dismisses it
    other = Client(srv, lang="en")
    other.login(ADMIN)
    other.get("/notices")
    assert_status(other.post(m.group(1), {}), 404, "the administrator dismisses the GP's notice")
    assert_status(c.post(m.group(1), {}), 303, "the GP dismisses it")
    assert "reset your password" not in strip_tags(c.get("/notices").body)
    again = Client(srv, lang="en")
    again.get("/login")
    r = again.post("/login", {"email": PARTNER_GP, "password": NEW_PASSWORD})
    assert_status(r, 303)
    assert r.location == "/shared", "after dismissing, the GP still goes to %s" % r.location


run(srv, globals())
