"""A password reset by the administrator leaves a trace (issue 9, finding 4).

The administrator issues a reset link for the GP (an account without a second factor), sets the GP's
password with it and could sign in as the GP. Now: the link's creation is an access-log entry on the GP's
account naming the administrator (and its use one with the client address), the log officer sees it, the
administrator's page says to hand the link to the person themselves, and the GP is told at the next
sign-in — once dismissed, the notice is gone.
"""
import csv
import datetime
import io
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, PARTNER_GP, Client, Server, access_log_mark, access_log_since, assert_status, link_token,
                     password_sign_in, run, strip_tags, unescape, use_link, user_id)

LOGOFFICER = "privacy@zorgwerk.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
NEW_PASSWORD = "Het-wachtwoord-van-de-beheerder-2026"
S = {}


def uid(email):
    return user_id(srv, email)


def test_the_reset_is_in_the_access_log_with_the_administrator():
    S["mark"] = mark = access_log_mark(srv)
    admin = Client(srv, lang="en")
    admin.login(ADMIN)
    gp = uid(PARTNER_GP)
    admin.get("/admin/users/%d" % gp)
    r = admin.post("/admin/users/%d/reset-link" % gp, {})
    assert_status(r, 200, "the administrator issues a reset link for the GP")
    page = r.body
    token = link_token(page)
    assert token, "no link on the page"
    # the administrator uses it himself
    assert_status(use_link(srv, token, NEW_PASSWORD), 303, "the password is set with the link")
    made = access_log_since(srv, mark, item="account:%d" % gp, action="link_create")
    assert len(made) == 1, "the reset link's creation is not in the access log: %r" % made
    assert made[0]["user_id"] == uid(ADMIN) and made[0]["role"] == "admin" and made[0]["grounds"] == "reset", made
    used = access_log_since(srv, mark, item="account:%d" % gp, action="link_use")
    assert len(used) == 1 and used[0]["client"] == "127.0.0.1", "the link's use is not in the access log: %r" % used
    assert "Hand the link to the person themselves" in page, "the page does not say who the link is for"


def log_table(body):
    """The log officer's table as a list of {column heading: cell text}."""
    t = re.search(r"<table\b.*?</table>", body, re.S)
    assert t, "no table on the log officer's page"
    heads = [strip_tags(h) for h in re.findall(r"<thead>.*?</thead>", t.group(0), re.S)[0].split("</th>")[:-1]]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", t.group(0).split("<tbody>", 1)[1], re.S):
        cells = [unescape(strip_tags(c)) for c in re.split(r"</t[hd]>", tr)[:-1]]
        rows.append(dict(zip(heads, cells)))
    return rows


def test_the_log_officer_sees_who_reset_whom():
    officer = Client(srv, lang="en")
    officer.login(LOGOFFICER)
    page = officer.get("/log?email=" + ADMIN)
    assert_status(page, 200, "the log officer's review")
    # in words: who (the administrator, by name), what (a one-time link made), on whose account, why (a reset)
    gp = uid(PARTNER_GP)
    made = [e for e in log_table(page.body) if e.get("Action") == "one-time link made"]
    assert len(made) == 1, "the reset link's creation is not in the log officer's view: %s" % strip_tags(page.body)[:900]
    e = made[0]
    assert e["Item"] == "account no. %d" % gp, "the reset is not shown on the GP's account: %r" % e
    assert e["User"].startswith("Wim Beheerder") and ADMIN in e["User"], "the administrator is not named: %r" % e
    assert e["Role"] == "administrator" and e["Grounds"] == "password reset" and e["Outcome"] == "allowed", e
    # the export for evidence keeps the stored codes
    r = officer.get("/log.csv?email=" + ADMIN)
    assert_status(r, 200, "the log officer's CSV export")
    rows = list(csv.DictReader(io.StringIO(r.body)))
    made = [x for x in rows if x["item"] == "account:%d" % gp and x["action"] == "link_create"]
    assert len(made) == 1, "the reset is not in the CSV export with its codes: %r" % rows[-5:]
    assert made[0]["user_email"] == ADMIN and made[0]["role"] == "admin" and made[0]["grounds"] == "reset" \
        and made[0]["outcome"] == "ok", made[0]


def test_the_gp_is_told_at_the_next_sign_in():
    c, location = password_sign_in(srv, PARTNER_GP, NEW_PASSWORD)
    assert location == "/notices", "after sign-in the GP goes to %s" % location
    page = c.get(location)
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
    location = password_sign_in(srv, PARTNER_GP, NEW_PASSWORD)[1]
    assert location == "/shared", "after dismissing, the GP still goes to %s" % location


run(srv, globals())
