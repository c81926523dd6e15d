"""Messages in the user's language: a Dutch visitor (language cookie) or a Dutch account (saved choice)
gets the Dutch text of po/nl.po for refusals and form errors, an English one the English text; `<html
lang>` follows. The Dutch text is looked up in po/nl.po, not written here."""
import ast
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import (COACH_PIETER, LEAD, Client, Server, assert_status, run, strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})


def load_po(path):
    """msgid -> msgstr of a .po file (non-empty, non-fuzzy translations only)."""
    out, cur, key, fuzzy = {}, {}, None, False
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines() + [""]
    for line in lines:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        m = re.match(r'^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+(".*")$', line)
        if m:
            key = m.group(1)
            cur[key] = ast.literal_eval(m.group(2))
        elif line.startswith('"') and key:
            cur[key] += ast.literal_eval(line)
        elif not line.strip():
            if cur.get("msgid") and cur.get("msgstr") and not fuzzy and "msgctxt" not in cur:
                out[cur["msgid"]] = cur["msgstr"]
            cur, key, fuzzy = {}, None, False
    return out


PO = load_po(os.path.join(HERE, "..", "..", "po", "nl.po"))


def nl(msgid):
    assert msgid in PO, "no Dutch translation in po/nl.po for: %s" % msgid
    return PO[msgid]


def text(resp):
    import html
    return html.unescape(strip_tags(resp.body))


def check(resp, msgid, lang):
    t = text(resp)
    want = nl(msgid) if lang == "nl" else msgid
    assert want in t, "%s message missing: %r\npage: %s" % (lang, want, t[:600])
    assert '<html lang="%s">' % lang in resp.body
    if lang == "nl":
        assert msgid not in t, "English text on a Dutch page: %r" % msgid


FAILED = ("The e-mail address or password is not correct. After repeated failures an account is blocked; the "
          "administrator can release it.")
EXPIRED = "This form has expired. Reload the page and try again; nothing was saved."
BAD_TEXT = "The form holds characters that are not allowed (invalid text encoding)."
NOT_FOUND = "This page does not exist, or you have no access to it."
ROLE = "Your role does not give access to this page."
BAD_DATE = "Enter the date of birth as YYYY-MM-DD; it must be a real date."


def test_anonymous_refusals_follow_the_language_cookie():
    for lang in ("nl", "en"):
        c = Client(srv, lang=lang)
        r = c.get("/login")
        assert '<html lang="%s">' % lang in r.body
        if lang == "nl":
            assert nl("Sign in") in text(r)
        check(c.post("/login", {"email": "x@example.org", "password": "wrong"}), FAILED, lang)
        check(c.post("/login", {"email": "x@example.org", "password": "wrong"}, csrf=False), EXPIRED, lang)
        check(c.post("/login", raw=b"_csrf=" + c.csrf.encode() + b"&email=%ff"), BAD_TEXT, lang)


def test_signed_in_messages_follow_the_account_language():
    coach = Client(srv)
    coach.login(COACH_PIETER)
    r = coach.post("/lang", {"lang": "nl", "next": "/caseload"})
    assert_status(r, 303)
    coach.jar.pop("zw_lang", None)  # the saved choice alone must do
    r = coach.get("/caseload")
    assert '<html lang="nl">' in r.body
    check(coach.get("/t/999999"), NOT_FOUND, "nl")
    check(coach.get("/admin/users"), ROLE, "nl")
    coach.get("/participants/new")
    data = {"first_name": "Eva", "last_name": "Taaltest", "birth_date": "2025-02-29", "referred_by": "x",
            "reason": "y", "start_consent": "z", "consent_given": "yes"}
    r = coach.post("/participants/new", data)
    assert_status(r, 400)
    check(r, BAD_DATE, "nl")
    assert 'value="Taaltest"' in r.body, "the form keeps what was typed"
    lead = Client(srv, lang="en")
    lead.login(LEAD)
    check(lead.get("/caseload"), ROLE, "en")


run(srv, globals())
