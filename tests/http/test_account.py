"""Accounts: the administrator creates a user (invitation link), a duplicate e-mail is 409 and an
over-long name 400 with the form kept, a duplicate organisation 409; the invitation link sets a password
once (then 410), an unknown token is 410; changing one's password checks the current one and ends the
other sessions; a deactivated account cannot sign in and its sessions end."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, DEMO_PASSWORD, PART_KARIM, PARTNER_GP, Client, Server, assert_status, form_fields,
                     run, strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
admin = Client(srv)
NEW_EMAIL = "nieuwe.deelnemer@mail.example"
NEW_PASSWORD = "Een-nieuw-wachtwoord-voor-2026"
state = {}


def field_error(body, name):
    m = re.search(r'<p class="error-msg" id="e-%s">(.*?)</p>' % re.escape(name), body, re.S)
    return strip_tags(m.group(1)) if m else None


def token_from(body):
    m = re.search(r"reset\?token=([A-Za-z0-9_\-]+)", body)
    assert m, "no one-time link on the page: " + strip_tags(body)[:400]
    return m.group(1)


def test_admin_creates_user_with_invitation():
    admin.login(ADMIN)
    r = admin.get("/admin/users/new")
    assert_status(r, 200, "new-user form")
    data = {"name": "Nieuwe Deelnemer", "email": NEW_EMAIL, "role": "participant", "org_id": "", "side": "",
            "function": ""}
    r = admin.post("/admin/users/new", data)
    assert_status(r, (200, 303), "create user")
    r = admin.follow(r)
    state["invite"] = token_from(r.body)
    assert srv.sql("SELECT COUNT(*) FROM users WHERE email = ?", (NEW_EMAIL,))[0][0] == 1
    # the token itself is not stored, only its hash
    assert not srv.sql("SELECT COUNT(*) FROM one_time_links WHERE token_hash = ?", (state["invite"],))[0][0]


def test_duplicate_email_409_and_overlong_name_400():
    n = srv.sql("SELECT COUNT(*) FROM users")[0][0]
    data = {"name": "Iemand Anders", "email": NEW_EMAIL.upper(), "role": "coach", "org_id": "", "side": "",
            "function": "Coach in opleiding"}
    admin.get("/admin/users/new")
    r = admin.post("/admin/users/new", data)
    assert_status(r, 409, "duplicate e-mail (other case)")
    assert field_error(r.body, "email") and "already" in field_error(r.body, "email")
    f = form_fields(r.body)
    assert f.get("name") == "Iemand Anders" and f.get("function") == "Coach in opleiding" and f.get("role") == "coach"
    data = {"name": "N" * 121, "email": "lang@mail.example", "role": "coach", "org_id": "", "side": "",
            "function": "x"}
    r = admin.post("/admin/users/new", data)
    assert_status(r, 400, "over-long name")
    assert field_error(r.body, "name")
    assert form_fields(r.body).get("email") == "lang@mail.example"
    for bad in ({"role": "emperor"}, {"email": "not an address"}, {"org_id": "999999"}, {"name": "a\nb"},
                {"role": "partner", "side": ""}):
        d = {"name": "Geldig", "email": "geldig@mail.example", "role": "coach", "org_id": "", "side": "",
             "function": ""}
        d.update(bad)
        r = admin.post("/admin/users/new", d)
        assert_status(r, 400, "bad %r" % bad)
    assert srv.sql("SELECT COUNT(*) FROM users")[0][0] == n, "nothing created"


def test_duplicate_organisation_409():
    admin.get("/admin/orgs")
    r = admin.post("/admin/orgs", {"name": "Testbedrijf Nieuw", "kind": "employer"})
    assert_status(r, 303, "new organisation")
    r = admin.post("/admin/orgs", {"name": "testbedrijf NIEUW", "kind": "care"})
    assert_status(r, 409, "duplicate organisation (other case)")
    assert form_fields(r.body).get("name") == "testbedrijf NIEUW"
    r = admin.post("/admin/orgs", {"name": "O" * 161, "kind": "care"})
    assert_status(r, 400, "over-long organisation name")
    r = admin.post("/admin/orgs", {"name": "Goed", "kind": "castle"})
    assert_status(r, 400, "unknown kind")


def test_invitation_link_works_once():
    anon = Client(srv)
    r = anon.get("/reset?token=" + state["invite"])
    assert_status(r, 200, "invitation link")
    assert NEW_EMAIL in r.body
    r = anon.post("/reset", {"token": state["invite"], "new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "x"})
    assert_status(r, 400, "passwords differ")
    assert field_error(r.body, "repeat")
    r = anon.post("/reset", {"token": state["invite"], "new": "kort", "repeat": "kort"})
    assert_status(r, 400, "weak password")
    assert field_error(r.body, "new")
    r = anon.post("/reset", {"token": state["invite"], "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 303, "password set")
    r = anon.get("/reset?token=" + state["invite"])
    assert_status(r, 410, "used link")
    r = anon.post("/reset", {"token": state["invite"], "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 410, "used link, posted")
    for bad in ("", "x", "A" * 43, "%00", "../../etc"):
        assert_status(anon.get("/reset?token=" + bad), (400, 410), "token %r" % bad)
    c = Client(srv)
    r = c.login(NEW_EMAIL, NEW_PASSWORD, follow=False)
    assert_status(r, 303, "sign in with the new password")


def test_reset_link_from_the_command_line():
    p = srv.cli("user", "reset", PARTNER_GP)
    assert p.returncode == 0, p.stderr
    token = token_from(p.stdout)
    anon = Client(srv)
    assert_status(anon.get("/reset?token=" + token), 200)
    state["gp_password"] = "Huisarts-wachtwoord-2026!"
    r = anon.post("/reset", {"token": token, "new": state["gp_password"], "repeat": state["gp_password"]})
    assert_status(r, 303)
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": PARTNER_GP, "password": DEMO_PASSWORD})
    assert r.status == 200, "the old password no longer works"
    r = c.post("/login", {"email": PARTNER_GP, "password": state["gp_password"]})
    assert_status(r, 303)


def test_password_change_ends_other_sessions():
    a = Client(srv)
    a.login(PART_KARIM, follow=False)
    b = Client(srv)
    b.login(PART_KARIM, follow=False)
    a.get("/account")
    r = a.post("/account/password", {"current": "wrong", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 400, "wrong current password")
    assert field_error(r.body, "current")
    r = a.post("/account/password", {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": "other"})
    assert_status(r, 400, "repeat differs")
    assert field_error(r.body, "repeat")
    assert b.get("/account").status == 200, "nothing changed yet"
    r = a.post("/account/password", {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 303, "password change")
    assert a.get("/account").status == 200, "this browser keeps a (new) session"
    r = b.get("/account")
    assert_status(r, 303, "the other session has ended")
    assert r.location.startswith("/login")


def test_deactivated_account():
    uid = srv.sql("SELECT id FROM users WHERE email = ?", (NEW_EMAIL,))[0][0]
    u = Client(srv)
    u.login(NEW_EMAIL, NEW_PASSWORD, follow=False)
    assert u.get("/account").status == 200
    admin.get("/admin/users/%d" % uid)
    r = admin.post("/admin/users/%d/disable" % uid, {})
    assert_status(r, 303, "disable")
    assert_status(u.get("/account"), 303, "session of a deactivated account")
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": NEW_EMAIL, "password": NEW_PASSWORD})
    assert r.status == 200 and "not correct" in r.body, "a deactivated account cannot sign in"
    me = srv.sql("SELECT id FROM users WHERE email = ?", (ADMIN,))[0][0]
    r = admin.post("/admin/users/%d/disable" % me, {})
    assert_status(r, 400, "an administrator cannot deactivate themselves")
    r = admin.post("/admin/users/%d/enable" % uid, {})
    assert_status(r, 303, "enable")
    r = c.post("/login", {"email": NEW_EMAIL, "password": NEW_PASSWORD})
    assert_status(r, 303, "signs in again")


run(srv, globals())
