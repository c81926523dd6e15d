"""Network and consent under bad input and abuse (the "Network and consent" issue): notes with HTML,
javascript: links and attribute breakers come back inert; oversized and incomplete notes are refused
beside the field with what was typed kept; source members of another trajectory are refused; a partner's
note is always his own information. Consents: health details never reach the work side; a partner cannot
give a consent for somebody else's information; nobody withdraws a consent they did not give; duplicates
(409) and past end dates (400) are refused; a consent recorded by the coach is logged on the
participant's behalf; withdrawal and expiry take effect on the very next request. Network: forged member
ids of another trajectory change nothing; invitation links work once and not after their expiry, and the
invitee sees only the trajectory they were invited to. Every refused access attempt is an access-log row
with outcome 'denied', and nothing already saved is lost."""
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_GP, PARTNER_HR, Client, Server,
                     assert_status, run, strip_tags, unescape)

INVITE_DAYS = 2
srv = Server(sets={"login_delay_ms": "0", "lang": "en", "invite_days": str(INVITE_DAYS)})

HEALTH_EXPLANATION = "Health details are never shared with the work side"
CAPACITY_TITLE = "Wat An nu kan"
PLAN_TITLE = "Afspraken overleg 12/11"
NEW_PASSWORD = "Zonnige-dinsdag-op-kantoor-2026"


# ---------------------------------------------------------------- helpers

def uid(email):
    return srv.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]


def member(tid, name):
    rows = srv.sql("SELECT id FROM network_members WHERE trajectory_id = ? AND name = ? AND removed_at IS NULL",
                   (tid, name))
    assert len(rows) == 1, "member %r of trajectory %d: %r" % (name, tid, rows)
    return rows[0][0]


def coach_of(tid):
    return srv.sql("SELECT u.email FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                   "WHERE c.trajectory_id = ?", (tid,))[0][0]


def count(table, where="1 = 1", params=()):
    return srv.sql("SELECT COUNT(*) FROM %s WHERE %s" % (table, where), params)[0][0]


def log_mark():
    return srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]


def log_since(mark, **where):
    """Access-log rows written after mark that match where (column = value), as dicts."""
    cols = ["id", "user_id", "role", "participant_id", "trajectory_id", "item", "action", "outcome", "grounds",
            "consent_id", "on_behalf_of"]
    sql = "SELECT %s FROM access_log WHERE id > ?" % ", ".join(cols)
    params = [mark]
    for k, v in where.items():
        sql += " AND %s = ?" % k
        params.append(v)
    return [dict(zip(cols, row)) for row in srv.sql(sql + " ORDER BY id", tuple(params))]


def assert_denied(mark, who, tid, what, **more):
    rows = log_since(mark, user_id=uid(who), trajectory_id=tid, outcome="denied", **more)
    assert rows, "%s: no access-log row with outcome 'denied' for %s on trajectory %d (%r); rows since: %r" % (
        what, who, tid, more, log_since(mark))
    return rows


def snapshot():
    """What must survive every refused request: items, consents and members, row by row."""
    return (srv.sql("SELECT id, trajectory_id, category, source_member_id, author_id, title, body, deleted_at "
                    "FROM items ORDER BY id"),
            srv.sql("SELECT id, source_member_id, grantee_member_id, grantee_side, category, given_on, valid_until, "
                    "withdrawn_at FROM consents ORDER BY id"),
            srv.sql("SELECT id, trajectory_id, user_id, removed_at FROM network_members ORDER BY id"))


def assert_unchanged(before, what):
    after = snapshot()
    for name, b, a in zip(("items", "consents", "network_members"), before, after):
        assert a == b, "%s: %s changed:\nbefore %r\nafter  %r" % (what, name, b, a)


def today(delta=0):
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=delta)).isoformat()


def field_block(body, name):
    """The <div class="field..."> that holds the control #f-name (up to the next field)."""
    i = body.find('id="f-%s"' % name)
    assert i >= 0, "no control #f-%s on the page" % name
    start = body.rfind('<div class="field', 0, i)
    assert start >= 0, "no .field around #f-%s" % name
    return body[start:i + 200]


def assert_field_error(body, name):
    blk = field_block(body, name)
    assert "has-error" in blk.split(">", 1)[0], "the field %s is not marked has-error: %s" % (name, blk[:300])
    assert 'class="error-msg" id="e-%s"' % name in blk, "no error message beside the field %s: %s" % (name, blk[:400])


def article(body, nid):
    m = re.search(r'<article class="note" id="note-%d">(.*?)</article>' % nid, body, re.S)
    assert m, "note %d is not on the page" % nid
    return m.group(1)


def note_titles(body):
    return [unescape(strip_tags(t)) for t in re.findall(r'<article class="note"[^>]*><header><h3>(.*?)</h3>', body, re.S)]


def note_id(tid, title):
    rows = srv.sql("SELECT id FROM items WHERE trajectory_id = ? AND title = ?", (tid, title))
    assert len(rows) == 1, "note %r on trajectory %d: %r" % (title, tid, rows)
    return rows[0][0]


def consent_id(tid, source, grantee_member=None, grantee_side=None, category=None):
    rows = srv.sql("SELECT id FROM consents WHERE trajectory_id = ? AND COALESCE(source_member_id, 0) = ? "
                   "AND COALESCE(grantee_member_id, 0) = ? AND COALESCE(grantee_side, '') = ? AND category = ? "
                   "ORDER BY id", (tid, source or 0, grantee_member or 0, grantee_side or "", category))
    assert len(rows) == 1, "consent %r: %r" % ((tid, source, grantee_member, grantee_side, category), rows)
    return rows[0][0]


C = {}
S = {}  # ids found along the way


# ---------------------------------------------------------------- sign in, fixtures

def test_sign_in_and_demo_facts():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, PART_AN, PART_KARIM, PARTNER_HR, PARTNER_GP), C)
    assert coach_of(1) == COACH_SOFIE and coach_of(2) == COACH_SOFIE, "the demo's trajectories 1 and 2 are Sofie's"
    pieter = [r[0] for r in srv.sql("SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ? ORDER BY 1",
                                    (uid(COACH_PIETER),))]
    assert pieter and 1 not in pieter
    S["pieter_tid"] = pieter[0]
    S["hr"], S["gp"], S["boss"] = member(1, "Tom Claes"), member(1, "dr. Els Wouters"), member(1, "Luc Verbeke")
    S["capacity_note"], S["plan_note"] = note_id(1, CAPACITY_TITLE), note_id(1, PLAN_TITLE)
    S["capacity_to_hr"] = consent_id(1, 0, grantee_member=S["hr"], category="capacity")
    S["plan_to_work"] = consent_id(1, 0, grantee_side="work", category="plan")
    S["hr_to_participant"] = consent_id(1, S["hr"], grantee_side="participant", category="work")


def test_foreign_members_exist():
    """A member on trajectory 2 (Sofie's too) and one on a trajectory of Pieter, added through the portal."""
    for who, tid, name in ((COACH_SOFIE, 2, "Greet Andere"), (COACH_PIETER, S["pieter_tid"], "Piet Vreemd")):
        c = C[who]
        assert_status(c.get("/t/%d/network" % tid), 200, "%s opens network %d" % (who, tid))
        r = c.post("/t/%d/network" % tid, {"role": "hr", "name": name, "organisation": "Elders BV",
                                           "email": name.lower().replace(" ", ".") + "@elders.example"})
        assert_status(r, 303, "add %s to trajectory %d" % (name, tid))
        S[name] = member(tid, name)
    # a note on trajectory 2, for the forged item id below
    c = C[COACH_SOFIE]
    c.get("/t/2/notes")
    r = c.post("/t/2/notes", {"title": "Notitie van Karim", "category": "plan", "source": "participant",
                              "body": "Alleen voor traject 2."})
    assert_status(r, 303, "note on trajectory 2")
    S["t2_note"] = note_id(2, "Notitie van Karim")


# ---------------------------------------------------------------- notes

PAYLOAD_TITLE = 'Titel "><script>alert(11)</script><b onmouseover="alert(12)">x'
PAYLOAD_BODY = "\n\n".join([
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[klik hier](javascript:alert(3))",
    "[hoofdletters](JaVaScRiPt:alert(4))",
    "<javascript:alert(5)>",
    "![beeld](javascript:alert(6))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    '[breker](<http://example.org/" onmouseover="alert(8)>)',
    '[titel](http://example.org/ "x\\" onfocus=\\"alert(9)")',
    '<a href="javascript:alert(10)">html-link</a>',
    "[goed](https://example.org/pad)",
])


def _assert_inert(fragment, where):
    low = fragment.lower()
    assert "<script" not in low, "%s: a <script> element: %s" % (where, fragment[:800])
    assert "<img" not in low or "src=\"x\"" not in low, "%s: the raw <img> survived: %s" % (where, fragment[:800])
    for m in re.finditer(r"<([a-z][a-z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>",
                         fragment, re.I):
        tag = m.group(0)
        for name, val in re.findall(r"\s([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?", m.group(2)):
            assert not name.lower().startswith("on"), "%s: event handler attribute %s in %s" % (where, name, tag)
            if name.lower() in ("href", "src"):
                v = unescape(val.strip("\"'")).strip().lower()
                assert not re.match(r"(javascript|data|vbscript):", v), "%s: unsafe URL in %s" % (where, tag)
    # every "<" that is not a tag the regex above understood would be a broken attribute
    assert len(re.findall(r"<[a-z]", fragment, re.I)) == len(re.findall(
        r"<([a-z][a-z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>", fragment, re.I)), \
        "%s: a tag that does not parse: %s" % (where, fragment[:800])
    assert 'href="javascript' not in low and "href='javascript" not in low, where


def test_note_with_markup_is_inert_on_list_and_single_page():
    c = C[COACH_SOFIE]
    c.get("/t/1/notes")
    r = c.post("/t/1/notes", {"title": PAYLOAD_TITLE, "category": "plan", "source": "participant", "body": PAYLOAD_BODY})
    assert_status(r, 303, "note with markup")
    nid = note_id(1, PAYLOAD_TITLE)
    assert srv.sql("SELECT body FROM items WHERE id = ?", (nid,))[0][0] == PAYLOAD_BODY, "the body is stored as typed"
    lst = c.follow(r)
    assert_status(lst, 200, "notes list")
    single = c.get("/t/1/notes/%d" % nid)
    assert_status(single, 200, "single note")
    for where, page in (("list", lst.body), ("single", single.body)):
        a = article(page, nid)
        _assert_inert(a, where)
        # the page as a whole: the only <script> is the portal's own (with src)
        for m in re.finditer(r"<script\b[^>]*>", page, re.I):
            assert re.search(r'\ssrc="/', m.group(0)), "%s page: inline script %s" % (where, m.group(0))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in a, "%s: the <script> text is not shown escaped" % where
        assert "&lt;img src=x onerror=alert(2)&gt;" in a, "%s: the <img> text is not shown escaped" % where
        assert "&lt;script&gt;alert(11)&lt;/script&gt;" in a, "%s: the title is not escaped" % where
        assert 'href="https://example.org/pad"' in a, "%s: a safe link was lost" % where
        assert "klik hier" in a and "breker" in a, "%s: link texts are gone" % where
    # the title in the single page's <title> is escaped too
    t = re.search(r"<title>(.*?)</title>", single.body, re.S).group(1)
    assert "<" not in t, "single page <title>: %s" % t


def test_note_over_20000_characters_is_refused_beside_the_body():
    c = C[COACH_SOFIE]
    c.get("/t/1/notes")
    before = snapshot()
    title = "Lang verslag van het overleg"
    r = c.post("/t/1/notes", {"title": title, "category": "plan", "source": "participant", "body": "é" * 20001})
    assert_status(r, 400, "note of 20001 characters")
    assert 'id="f-title"' in r.body and ('value="%s"' % title) in r.body, "the typed title is not kept"
    assert_field_error(r.body, "body")
    assert "20000" in strip_tags(field_block(r.body, "body")), "the message does not say the limit"
    assert_unchanged(before, "oversized note")
    # exactly 20000 characters (40000 bytes): accepted, the limit counts characters
    r = c.post("/t/1/notes", {"title": "Precies twintigduizend", "category": "plan", "source": "participant",
                              "body": "é" * 20000})
    assert_status(r, 303, "note of exactly 20000 characters")
    assert len(srv.sql("SELECT body FROM items WHERE title = 'Precies twintigduizend'")[0][0]) == 20000


def test_note_empty_title_and_unknown_category_are_refused():
    c = C[COACH_SOFIE]
    c.get("/t/1/notes")
    before = snapshot()
    r = c.post("/t/1/notes", {"title": "", "category": "plan", "source": "participant", "body": "Inhoud blijft staan"})
    assert_status(r, 400, "empty title")
    assert_field_error(r.body, "title")
    assert "Inhoud blijft staan" in r.body, "the typed body is not kept"
    r = c.post("/t/1/notes", {"title": "Onbekende categorie", "category": "diagnosis", "source": "participant",
                              "body": "x"})
    assert_status(r, 400, "unknown category")
    assert_field_error(r.body, "category")
    r = c.post("/t/1/notes", {"title": "Geen categorie", "source": "participant", "body": "x"})
    assert_status(r, 400, "missing category")
    assert_unchanged(before, "refused notes")


def test_note_source_of_another_trajectory_is_refused():
    c = C[COACH_SOFIE]
    c.get("/t/1/notes")
    before = snapshot()
    for src in (S["Greet Andere"], S["Piet Vreemd"], 999999, "-1", "3abc", ""):
        r = c.post("/t/1/notes", {"title": "Bron elders %s" % src, "category": "work", "source": str(src),
                                  "body": "Mag nergens terechtkomen."})
        assert_status(r, 400, "source member %r" % src)
        assert_field_error(r.body, "source")
    assert_unchanged(before, "notes with a foreign source")


def test_partner_note_is_his_own_information_whatever_he_posts():
    c = C[PARTNER_HR]
    r = c.get("/t/1/notes")
    assert_status(r, 200, "Tom's notes")
    assert 'name="source"' not in r.body, "a partner is offered a source choice"
    for i, src in enumerate(("participant", str(S["gp"]), str(S["Greet Andere"]))):
        title = "Van HR %d" % i
        r = c.post("/t/1/notes", {"title": title, "category": "work", "source": src, "body": "Werkpost %d" % i})
        assert_status(r, 303, "Tom's note with source=%s" % src)
        row = srv.sql("SELECT source_member_id, author_id, trajectory_id FROM items WHERE title = ?", (title,))
        assert row == [(S["hr"], uid(PARTNER_HR), 1)], "Tom's note (source=%s posted): %r" % (src, row)


def test_participant_of_another_trajectory_cannot_post_a_note():
    c = C[PART_KARIM]
    c.get("/me")
    before, mark = snapshot(), log_mark()
    r = c.post("/t/1/notes", {"title": "Indringer", "category": "plan", "body": "x"})
    assert_status(r, 404, "Karim posts to /t/1/notes")
    assert "Indringer" not in r.body
    assert_denied(mark, PART_KARIM, 1, "Karim's note", item="note", action="create")
    assert_unchanged(before, "Karim's note")
    # and a partner on a trajectory he is not in the network of
    mark = log_mark()
    r = C[PARTNER_HR].post("/t/2/notes", {"title": "Indringer", "category": "work", "body": "x"})
    assert_status(r, 404, "Tom posts to /t/2/notes")
    assert_denied(mark, PARTNER_HR, 2, "Tom's note on trajectory 2", item="note", action="create")
    assert_unchanged(before, "Tom's note on trajectory 2")


def test_forged_note_id_of_another_trajectory():
    c = C[COACH_SOFIE]
    mark = log_mark()
    r = c.get("/t/1/notes/%d" % S["t2_note"])
    assert_status(r, 404, "note of trajectory 2 under /t/1")
    assert "Alleen voor traject 2" not in r.body
    # the refusal is on the file the note belongs to (trajectory 2), not the one the URL named (issue 9)
    assert_denied(mark, COACH_SOFIE, 2, "forged note id", item="note:%d" % S["t2_note"], action="view")
    assert not log_since(mark, trajectory_id=1), "the refusal landed on trajectory 1"
    mark = log_mark()
    r = C[PARTNER_HR].get("/t/1/notes/%d" % S["t2_note"])
    assert_status(r, 404, "Tom opens a note of trajectory 2 under /t/1")
    assert_denied(mark, PARTNER_HR, 2, "Tom's forged note id", item="note:%d" % S["t2_note"])


# ---------------------------------------------------------------- consents

def test_health_to_the_work_side_is_refused_with_the_explanation():
    before = snapshot()
    c = C[PART_AN]
    r = c.get("/me/consents")
    assert_status(r, 200, "/me/consents")
    for grantee in ("side:work", "member:%d" % S["hr"], "member:%d" % S["boss"]):
        r = c.post("/t/1/consents", {"grantee": grantee, "category": "health", "valid_until": "",
                                     "next": "/me/consents"})
        assert_status(r, 400, "An: health to %s" % grantee)
        assert_field_error(r.body, "category")
        assert HEALTH_EXPLANATION in unescape(strip_tags(field_block(r.body, "category"))), \
            "no explanation about health details beside the category (%s)" % grantee
    c = C[COACH_SOFIE]
    c.get("/t/1/consents")
    for grantee in ("side:work", "member:%d" % S["hr"]):
        mark = log_mark()
        r = c.post("/t/1/consents", {"source": "participant", "grantee": grantee, "category": "health",
                                     "method": "conversation", "given_on": today(), "valid_until": ""})
        assert_status(r, 400, "coach records health to %s" % grantee)
        assert HEALTH_EXPLANATION in unescape(strip_tags(r.body))
        # the refused form shows the consents again: that showing is in the access log
        assert log_since(mark, user_id=uid(COACH_SOFIE), trajectory_id=1, item="consents", action="view",
                         outcome="ok"), "the 400 page of consents was not logged"
    assert_unchanged(before, "health to the work side")


def test_partner_cannot_give_consent_for_the_participants_information():
    c = C[PARTNER_HR]
    r = c.get("/t/1/consents")
    assert_status(r, 200, "Tom's consents page")
    assert 'name="source"' not in r.body, "Tom's consent form offers a source choice"
    n_participant = count("consents", "source_member_id IS NULL")
    r = c.post("/t/1/consents", {"source": "participant", "grantee": "side:care", "category": "work", "valid_until": ""})
    # the portal takes the source from the signed-in member: the consent is Tom's own, never An's
    assert_status(r, 303, "Tom gives a consent while posting source=participant")
    rows = srv.sql("SELECT source_member_id, recorded_by, method FROM consents WHERE trajectory_id = 1 "
                   "AND grantee_side = 'care' AND category = 'work' AND withdrawn_at IS NULL")
    assert rows == [(S["hr"], uid(PARTNER_HR), "portal")], "Tom's consent: %r" % rows
    assert count("consents", "source_member_id IS NULL") == n_participant, "a participant-sourced consent appeared"
    assert count("consents", "recorded_by = ? AND source_member_id IS NULL", (uid(PARTNER_HR),)) == 0
    # a member id of somebody else as the source changes nothing either
    r = c.post("/t/1/consents", {"source": str(S["gp"]), "grantee": "side:care", "category": "practical",
                                 "valid_until": ""})
    assert_status(r, 303, "Tom posts source=<GP>")
    assert srv.sql("SELECT source_member_id FROM consents WHERE grantee_side = 'care' AND category = 'practical' "
                   "AND recorded_by = ?", (uid(PARTNER_HR),)) == [(S["hr"],)]


def test_nobody_withdraws_a_consent_they_did_not_give():
    # a consent on trajectory 2, recorded by the coach for Karim
    c = C[COACH_SOFIE]
    c.get("/t/2/consents")
    r = c.post("/t/2/consents", {"source": "participant", "grantee": "side:care", "category": "plan",
                                 "method": "signed_form", "given_on": today(-1), "valid_until": ""})
    assert_status(r, 303, "consent on trajectory 2")
    S["t2_consent"] = consent_id(2, 0, grantee_side="care", category="plan")
    before = snapshot()
    # (who, trajectory in the URL, consent, the file the refusal is logged on: the consent's own trajectory;
    # None for a consent that does not exist, what)
    cases = [
        (PART_AN, 1, S["hr_to_participant"], 1, "An withdraws HR's consent"),
        (PARTNER_HR, 1, S["capacity_to_hr"], 1, "Tom withdraws An's consent"),
        (PARTNER_GP, 1, S["hr_to_participant"], 1, "Els withdraws HR's consent"),
        (PART_AN, 1, S["t2_consent"], 2, "An withdraws a consent of trajectory 2 under /t/1"),
        (PART_AN, 2, S["t2_consent"], 2, "An withdraws a consent of trajectory 2"),
        (PART_AN, 1, 999999, None, "An withdraws a consent that does not exist"),
    ]
    for path in ("withdraw", "renew"):
        for who, tid, cid, owner, what in cases:
            cl = C[who]
            cl.refresh_csrf()
            mark = log_mark()
            r = cl.post("/t/%d/consents/%d/%s" % (tid, cid, path), {"next": "/me/consents"})
            assert_status(r, 404, "%s (%s)" % (what, path))
            rows = [x for x in log_since(mark, user_id=uid(who), outcome="denied")
                    if x["item"] in ("consent:%d" % cid, "consent")]  # "consent": refused at the door
            assert [x["trajectory_id"] for x in rows] == [owner], \
                "%s (%s): the refusal is not logged once on the consent's own file %r: %r" % (what, path, owner, rows)
            if owner == 2 and tid == 1:
                assert rows[0]["participant_id"] == srv.sql(
                    "SELECT participant_id FROM trajectories WHERE id = 2")[0][0], rows
    assert_unchanged(before, "refused withdrawals and renewals")


def test_duplicate_live_consent_is_409():
    before = snapshot()
    c = C[PART_AN]
    c.get("/me/consents")
    r = c.post("/t/1/consents", {"grantee": "member:%d" % S["hr"], "category": "capacity", "valid_until": "",
                                 "next": "/me/consents"})
    assert_status(r, 409, "An gives the capacity consent to Tom again")
    c = C[COACH_SOFIE]
    c.get("/t/1/consents")
    r = c.post("/t/1/consents", {"source": "participant", "grantee": "side:work", "category": "plan",
                                 "method": "conversation", "given_on": today(-2), "valid_until": ""})
    assert_status(r, 409, "coach records the plan consent to the work side again")
    assert_unchanged(before, "duplicate consents")


def test_end_date_in_the_past_and_bad_dates_are_refused():
    before = snapshot()
    c = C[PART_AN]
    c.get("/me/consents")
    r = c.post("/t/1/consents", {"grantee": "member:%d" % S["gp"], "category": "work", "valid_until": today(-1),
                                 "next": "/me/consents"})
    assert_status(r, 400, "valid_until yesterday")
    assert_field_error(r.body, "valid_until")
    r = c.post("/t/1/consents", {"grantee": "member:%d" % S["gp"], "category": "work", "valid_until": "2026-02-30"})
    assert_status(r, 400, "valid_until 2026-02-30")
    c = C[COACH_SOFIE]
    c.get("/t/1/consents")
    r = c.post("/t/1/consents", {"source": "participant", "grantee": "member:%d" % S["gp"], "category": "work",
                                 "method": "conversation", "given_on": today(1), "valid_until": ""})
    assert_status(r, 400, "given_on tomorrow")
    assert_field_error(r.body, "given_on")
    r = c.post("/t/1/consents", {"source": "participant", "grantee": "member:%d" % S["Greet Andere"],
                                 "category": "work", "method": "conversation", "given_on": today(), "valid_until": ""})
    assert_status(r, 400, "grantee member of trajectory 2")
    r = c.post("/t/1/consents", {"source": str(S["Piet Vreemd"]), "grantee": "side:care", "category": "work",
                                 "method": "conversation", "given_on": today(), "valid_until": ""})
    assert_status(r, 400, "source member of another coach's trajectory")
    assert_unchanged(before, "refused consent dates")


def test_coach_records_a_consent_on_the_participants_behalf():
    c = C[COACH_SOFIE]
    c.get("/t/1/consents")
    mark = log_mark()
    given = today(-5)
    r = c.post("/t/1/consents", {"source": "participant", "grantee": "member:%d" % S["gp"], "category": "capacity",
                                 "method": "conversation", "given_on": given, "valid_until": today(90)})
    assert_status(r, 303, "coach records a consent")
    cid = consent_id(1, 0, grantee_member=S["gp"], category="capacity")
    row = srv.sql("SELECT recorded_by, method, given_on, valid_until, withdrawn_at FROM consents WHERE id = ?", (cid,))
    assert row == [(uid(COACH_SOFIE), "conversation", given, today(90), None)], row
    logged = log_since(mark, item="consent:%d" % cid, action="create")
    assert len(logged) == 1, logged
    assert logged[0]["user_id"] == uid(COACH_SOFIE) and logged[0]["outcome"] == "ok", logged
    assert logged[0]["on_behalf_of"] == uid(PART_AN), "on_behalf_of is %r, expected An (%d)" % (
        logged[0]["on_behalf_of"], uid(PART_AN))
    # the history says how it was given
    page = c.follow(r)
    assert "in a conversation, recorded by the coach" in page.body and given in page.body


def test_withdrawal_takes_effect_on_the_very_next_request():
    tom, an = C[PARTNER_HR], C[PART_AN]
    nid = S["capacity_note"]
    r = tom.get("/t/1/notes")
    assert CAPACITY_TITLE in note_titles(r.body), "before: Tom does not see %s" % CAPACITY_TITLE
    assert_status(tom.get("/t/1/notes/%d" % nid), 200, "before: Tom opens the capacity note")
    assert CAPACITY_TITLE in note_titles(tom.get("/t/1/notes?q=voormiddag").body), "before: search does not find it"
    shared_before = re.search(r"(\d+) notes? shared with you", strip_tags(tom.get("/shared").body))
    assert shared_before, "no count on /shared"
    # An withdraws from /me/consents
    page = an.get("/me/consents")
    cid = S["capacity_to_hr"]
    assert 'action="/t/1/consents/%d/withdraw"' % cid in page.body, "no withdraw button for the consent to Tom"
    r = an.post("/t/1/consents/%d/withdraw" % cid, {"next": "/me/consents"})
    assert_status(r, 303, "An withdraws")
    assert r.location.startswith("/me/consents"), r.location
    assert srv.sql("SELECT withdrawn_by FROM consents WHERE id = ?", (cid,)) == [(uid(PART_AN),)]
    # Tom's very next requests
    mark = log_mark()
    r = tom.get("/t/1/notes")
    assert CAPACITY_TITLE not in note_titles(r.body) and CAPACITY_TITLE not in r.body, \
        "after withdrawal Tom still sees %s" % CAPACITY_TITLE
    r = tom.get("/t/1/notes/%d" % nid)
    assert_status(r, 404, "after withdrawal Tom opens the capacity note")
    assert_denied(mark, PARTNER_HR, 1, "Tom opens the withdrawn note", item="note:%d" % nid)
    r = tom.get("/t/1/notes?q=voormiddag")
    assert "voormiddag" not in r.body.replace('value="voormiddag"', ""), "search still finds the withdrawn note"
    shared_after = re.search(r"(\d+) notes? shared with you", strip_tags(tom.get("/shared").body))
    assert int(shared_after.group(1)) == int(shared_before.group(1)) - 1, (shared_before.group(0), shared_after.group(0))
    r = tom.get("/t/1/network")
    assert_status(r, 200, "Tom's network page")
    # An's overview: the consent to Tom is gone from the list of consents in force
    page = an.get("/me/consents")
    ul = re.search(r'<ul class="consents plain">(.*?)</ul>', page.body, re.S).group(1)
    assert "<strong>Tom Claes</strong>" not in ul, "the withdrawn consent is still listed as in force"
    # the history shows it as withdrawn, without a withdraw button
    for who in (PART_AN, COACH_SOFIE):
        hist = C[who].get("/t/1/consents").body
        rows = [row for row in re.findall(r"<tr>(.*?)</tr>", hist, re.S)
                if "Tom Claes" in row and "/consents/%d/withdraw" % cid not in row and ">withdrawn<" in row]
        assert rows, "%s: the history has no withdrawn row for the consent to Tom" % who
    # withdrawing again changes nothing
    before = snapshot()
    an.get("/me/consents")
    r = an.post("/t/1/consents/%d/withdraw" % cid, {"next": "/me/consents"})
    assert_status(r, 303, "second withdrawal")
    assert_unchanged(before, "second withdrawal")


def test_expired_consent_hides_the_item_at_once():
    tom = C[PARTNER_HR]
    nid = S["plan_note"]
    assert PLAN_TITLE in note_titles(tom.get("/t/1/notes").body), "before: Tom does not see the plan note"
    srv.sql("UPDATE consents SET valid_until = ? WHERE id = ?", (today(-1), S["plan_to_work"]))
    mark = log_mark()
    r = tom.get("/t/1/notes")
    assert PLAN_TITLE not in note_titles(r.body), "an expired consent still shows %s" % PLAN_TITLE
    r = tom.get("/t/1/notes/%d" % nid)
    assert_status(r, 404, "Tom opens the plan note after expiry")
    assert_denied(mark, PARTNER_HR, 1, "Tom opens the expired note", item="note:%d" % nid)
    hist = C[COACH_SOFIE].get("/t/1/consents").body
    assert any(">expired<" in row for row in re.findall(r"<tr>(.*?)</tr>", hist, re.S)), "history: no expired row"
    # a consent valid until today still counts (validity is by calendar day, inclusive)
    srv.sql("UPDATE consents SET valid_until = ? WHERE id = ?", (today(), S["plan_to_work"]))
    assert PLAN_TITLE in note_titles(tom.get("/t/1/notes").body), "valid_until today: the plan note is hidden"
    srv.sql("UPDATE consents SET valid_until = ? WHERE id = ?", (today(-1), S["plan_to_work"]))


# ---------------------------------------------------------------- network

def test_forged_member_id_of_another_trajectory_changes_nothing():
    c = C[COACH_SOFIE]
    c.get("/t/1/network")
    unlogged = []
    for name in ("Greet Andere", "Piet Vreemd"):
        mid = S[name]
        for action in ("remove", "invite"):
            before, mark = snapshot(), log_mark()
            n_links = count("one_time_links")
            r = c.post("/t/1/network/%d/%s" % (mid, action), {})
            assert_status(r, 404, "%s of %s (another trajectory) under /t/1" % (action, name))
            assert_unchanged(before, "forged member %s" % action)
            assert count("one_time_links") == n_links
            if not log_since(mark, user_id=uid(COACH_SOFIE), outcome="denied", item="member:%d" % mid):
                unlogged.append("POST /t/1/network/%d/%s (member of trajectory %d)" % (
                    mid, action, srv.sql("SELECT trajectory_id FROM network_members WHERE id = ?", (mid,))[0][0]))
    # a partner (not a coach) cannot remove anybody, not even himself
    before, mark = snapshot(), log_mark()
    t = C[PARTNER_HR]
    t.get("/t/1/network")
    r = t.post("/t/1/network/%d/remove" % S["hr"], {})
    assert_status(r, 404, "Tom removes himself")
    assert_denied(mark, PARTNER_HR, 1, "Tom removes a member", item="member:%d" % S["hr"])
    assert_unchanged(before, "Tom's removal")
    # the issue: a forged id is "logged where it was an access attempt" (as a forged note or consent id is)
    assert not unlogged, "refused with 404 but no 'denied' row in the access log:\n  " + "\n  ".join(unlogged)


def _add_member(c, name, email, role="ergonomist"):
    c.get("/t/1/network")
    r = c.post("/t/1/network", {"role": role, "name": name, "organisation": "Ergo Advies", "email": email})
    assert_status(r, 303, "add %s" % name)
    return member(1, name)


def _invite(c, mid):
    page = c.get("/t/1/network")
    assert 'action="/t/1/network/%d/invite"' % mid in page.body, "no invite button for member %d" % mid
    r = c.post("/t/1/network/%d/invite" % mid, {})
    assert_status(r, 200, "invite member %d" % mid)
    m = re.search(r"<code[^>]*>([^<]*/reset\?token=([^<\s]+))</code>", r.body)
    assert m, "no one-time link on the invitation page: %s" % strip_tags(r.body)[:400]
    return unescape(m.group(2))


def test_invitation_link_works_once():
    c = C[COACH_SOFIE]
    email = "eva.ergon@ergo.example"
    mid = _add_member(c, "Eva Ergon", email)
    token = _invite(c, mid)
    invitee = Client(srv)
    r = invitee.get("/reset?token=" + token)
    assert_status(r, 200, "first use of the invitation link")
    assert email in r.body
    r = invitee.post("/reset", {"token": token, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 303, "choosing a password with the invitation link")
    # the second time
    other = Client(srv)
    r = other.get("/reset?token=" + token)
    assert_status(r, 410, "GET with a used invitation link")
    other.get("/login")
    r = other.post("/reset", {"token": token, "new": NEW_PASSWORD + "x", "repeat": NEW_PASSWORD + "x"})
    assert_status(r, 410, "POST with a used invitation link")
    # the password chosen the first time is the one that works
    S["eva"] = (email, mid)


def test_invitee_lands_on_shared_with_trajectory_1_only():
    email, mid = S["eva"]
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": email, "password": NEW_PASSWORD})
    assert_status(r, 303, "the invitee signs in")
    assert r.location == "/shared", "the invitee lands on %s" % r.location
    page = c.follow(r)
    assert_status(page, 200, "/shared")
    links = sorted(set(re.findall(r'href="/t/(\d+)/', page.body)))
    assert links == ["1"], "the invitee's /shared links to trajectories %r" % links
    assert "Janssens" in page.body and "El Amrani" not in page.body
    mark = log_mark()
    assert_status(c.get("/t/2/notes"), 404, "the invitee opens trajectory 2")
    assert_denied(mark, email, 2, "the invitee opens trajectory 2")


def test_shared_logs_every_listed_trajectory_before_the_page():
    """/shared names participants: each trajectory listed passes the one door and has its own access-log
    entry (grounds of the door, the participant named), and a trajectory not listed has none."""
    tom = C[PARTNER_HR]
    mark = log_mark()
    page = tom.get("/shared")
    assert_status(page, 200, "Tom's /shared")
    listed = sorted({int(t) for t in re.findall(r'href="/t/(\d+)/notes"', page.body)})
    assert listed, "Tom's /shared lists no trajectory"
    rows = log_since(mark, user_id=uid(PARTNER_HR), item="trajectory", action="list")
    logged = sorted(r["trajectory_id"] for r in rows)
    assert logged == listed, "listed %r but logged %r" % (listed, logged)
    for r in rows:
        assert r["outcome"] == "ok" and r["grounds"] == "member", r
        want = srv.sql("SELECT participant_id FROM trajectories WHERE id = ?", (r["trajectory_id"],))[0][0]
        assert r["participant_id"] == want, r


def test_expired_and_superseded_invitation_links_are_410():
    c = C[COACH_SOFIE]
    mid = _add_member(c, "Bert Bedrijfsarts", "bert@mensura.example", role="occupational_physician")
    first = _invite(c, mid)
    # inviting again shows its maker the same link (issue 9): an invitation never cancels a live link
    assert _invite(c, mid) == first, "a second invitation made a new link"
    # a reset replaces every earlier link
    p = srv.cli("user", "reset", "bert@mensura.example")
    assert p.returncode == 0, p.stderr
    second = re.search(r"reset\?token=([A-Za-z0-9_\-]+)", p.stdout).group(1)
    assert_status(Client(srv).get("/reset?token=" + first), 410, "superseded invitation link")
    assert_status(Client(srv).get("/reset?token=" + second), 200, "the newest link")
    user = uid("bert@mensura.example")
    srv.sql("UPDATE one_time_links SET expires_at = ? WHERE user_id = ? AND used_at IS NULL",
            (int(time.time()) - 60, user))
    x = Client(srv)
    assert_status(x.get("/reset?token=" + second), 410, "expired invitation link (GET)")
    x.get("/login")
    r = x.post("/reset", {"token": second, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert_status(r, 410, "expired invitation link (POST)")
    assert srv.sql("SELECT password_hash FROM users WHERE id = ?", (user,)) == [(None,)], "a password was set"
    # a forged token of the right and the wrong shape
    assert_status(Client(srv).get("/reset?token=" + "A" * len(second)), 410, "forged token")
    assert_status(Client(srv).get("/reset?token=%3Cscript%3E"), 410, "token with markup")


def test_invitation_link_lifetime_follows_invite_days():
    """README: invite_days is the lifetime of invitation links (the administrator's invitations use it too)."""
    rows = srv.sql("SELECT l.expires_at - l.created_at FROM one_time_links l JOIN users u ON u.id = l.user_id "
                   "WHERE l.purpose = 'invite' AND u.email = ?", (S["eva"][0],))
    assert rows, "no invitation link for the invitee"
    assert rows[0][0] == INVITE_DAYS * 86400, "a network invitation link lives %d hours; invite_days is %d" % (
        rows[0][0] // 3600, INVITE_DAYS)


# ---------------------------------------------------------------- consent as an active choice (issue 10: 8)

def select_options(body, name):
    """The <option>s of <select name=name> as (value, label, selected)."""
    m = re.search(r'<select[^>]*name="%s"[^>]*>(.*?)</select>' % re.escape(name), body, re.S)
    assert m, "no <select name=%s> on the page" % name
    return [(unescape(v), unescape(strip_tags(lbl)).strip(), " selected" in attrs)
            for v, attrs, lbl in re.findall(r'<option value="([^"]*)"([^>]*)>(.*?)</option>', m.group(1), re.S)]


def assert_nothing_chosen(opts, what):
    assert opts and opts[0][0] == "", "%s: the first option is not an empty 'Choose…': %r" % (what, opts[:2])
    assert not any(sel for v, _, sel in opts if v), "%s: an option is chosen beforehand: %r" % (what, opts)


def test_consent_form_is_an_active_choice():
    an = C[PART_AN]
    page = an.get("/me/consents")
    assert_status(page, 200, "/me/consents")
    # step 1: whom, with nothing chosen; the people behind "everyone on the work side" are named
    who = select_options(page.body, "grantee")
    assert_nothing_chosen(who, "whom")
    work = [lbl for v, lbl, _ in who if v == "side:work"]
    assert work and "Tom Claes" in work[0] and "Luc Verbeke" in work[0], \
        "the people behind everyone on the work side are not shown: %r" % work
    care = [lbl for v, lbl, _ in who if v == "side:care"]
    assert care and "Els Wouters" in care[0], care
    # submitting nothing is refused with a clear message beside the field, and nothing is written
    before = snapshot()
    r = an.post("/t/1/consents", {"grantee": "", "category": "", "valid_until": "", "next": "/me/consents"})
    assert_status(r, 400, "a consent with nothing chosen")
    assert_field_error(r.body, "grantee")
    assert "You did not choose anything yet" in unescape(r.body), "no clear message for an empty choice"
    assert_unchanged(before, "empty consent form")
    # step 2 for a work-side person or the whole work side: what, with nothing chosen and no health
    for grantee in ("member:%d" % S["hr"], "member:%d" % S["boss"], "side:work"):
        r = an.get("/me/consents?grantee=%s" % grantee)
        assert_status(r, 200, "step 2 for %s" % grantee)
        cats = select_options(r.body, "category")
        assert_nothing_chosen(cats, "what, for %s" % grantee)
        values = [v for v, _, _ in cats if v]
        assert "health" not in values, "health is offered to the work side (%s): %r" % (grantee, values)
        assert "capacity" in values and "plan" in values, values
        assert 'name="grantee" value="%s"' % grantee in r.body, "the choice of step 1 is not carried on"
    # the care side may receive health details
    r = an.get("/me/consents?grantee=member:%d" % S["gp"])
    values = [v for v, _, _ in select_options(r.body, "category")]
    assert "health" in values, values
    # the coach's form is an active choice too
    r = C[COACH_SOFIE].get("/t/1/consents?grantee=side:work")
    for name in ("source", "category", "method"):
        assert_nothing_chosen(select_options(r.body, name), "coach: %s" % name)
    assert "health" not in [v for v, _, _ in select_options(r.body, "category")]


def flash_text(body):
    m = re.search(r'<div class="flash" role="status" id="changed">(.*?)</div>', body, re.S)
    assert m, "the page does not say what changed"
    return m.group(1), unescape(strip_tags(m.group(1))).strip()


def test_a_change_is_said_in_words_with_an_undo():
    an, tom = C[PART_AN], C[PARTNER_HR]
    nid = note_id(1, CAPACITY_TITLE)
    live = srv.sql("SELECT id FROM consents WHERE trajectory_id = 1 AND source_member_id IS NULL AND "
                   "grantee_member_id = ? AND category = 'capacity' AND withdrawn_at IS NULL", (S["hr"],))
    if not live:
        an.get("/me/consents")
        r = an.post("/t/1/consents", {"grantee": "member:%d" % S["hr"], "category": "capacity", "valid_until": "",
                                      "next": "/me/consents"})
        assert_status(r, 303, "An gives Tom capacity")
        page = an.follow(r)
        html_, said = flash_text(page.body)
        assert said.startswith("Tom Claes now sees your information about “capacity”."), said
    cid = srv.sql("SELECT id FROM consents WHERE trajectory_id = 1 AND source_member_id IS NULL AND "
                  "grantee_member_id = ? AND category = 'capacity' AND withdrawn_at IS NULL", (S["hr"],))[0][0]
    assert_status(tom.get("/t/1/notes/%d" % nid), 200, "Tom reads the capacity note")
    # withdrawing is a calm secondary button, not a red one
    page = an.get("/me/consents")
    form = re.search(r'<form[^>]*action="/t/1/consents/%d/withdraw".*?</form>' % cid, page.body, re.S).group(0)
    assert 'class="danger"' not in form and 'class="secondary"' in form, form
    # withdraw: the page says what changed, with the person's name, and offers an undo
    r = an.post("/t/1/consents/%d/withdraw" % cid, {"next": "/me/consents"})
    assert_status(r, 303, "An withdraws")
    assert r.location.startswith("/me/consents?changed=%d" % cid), r.location
    page = an.follow(r)
    html_, said = flash_text(page.body)
    assert said.startswith("Tom Claes no longer sees your information about “capacity”."), said
    assert 'action="/t/1/consents/%d/renew"' % cid in html_, "no undo after the withdrawal"
    assert_status(tom.get("/t/1/notes/%d" % nid), 404, "after the withdrawal Tom is refused")
    # undo: the same consent is given again, as a new consent, in the access log
    mark = log_mark()
    n_before = count("consents", "trajectory_id = 1")
    r = an.post("/t/1/consents/%d/renew" % cid, {"next": "/me/consents"})
    assert_status(r, 303, "undo of the withdrawal")
    assert count("consents", "trajectory_id = 1") == n_before + 1, "the undo did not give a new consent"
    new = srv.sql("SELECT id, source_member_id, grantee_member_id, category, method, recorded_by, withdrawn_at, "
                  "given_on FROM consents ORDER BY id DESC LIMIT 1")[0]
    assert new[1:7] == (None, S["hr"], "capacity", "portal", uid(PART_AN), None), new
    assert srv.sql("SELECT withdrawn_at IS NOT NULL FROM consents WHERE id = ?", (cid,)) == [(1,)], \
        "the withdrawn consent itself was changed"
    assert log_since(mark, user_id=uid(PART_AN), item="consent:%d" % new[0], action="create", outcome="ok"), \
        "the undo is not in the access log"
    page = an.follow(r)
    html_, said = flash_text(page.body)
    assert said.startswith("Tom Claes now sees your information about “capacity”."), said
    assert 'action="/t/1/consents/%d/withdraw"' % new[0] in html_, "no undo after giving the consent again"
    assert_status(tom.get("/t/1/notes/%d" % nid), 200, "after the undo Tom reads the note again")
    # undo of the undo withdraws it again
    r = an.post("/t/1/consents/%d/withdraw" % new[0], {"next": "/me/consents"})
    assert_status(r, 303)
    assert_status(tom.get("/t/1/notes/%d" % nid), 404, "withdrawn again")
    # a side consent says it to everyone on the side; the coach reads whose information it was
    assert srv.sql("SELECT withdrawn_at FROM consents WHERE id = ?", (S["plan_to_work"],)) == [(None,)]
    r = C[COACH_SOFIE].post("/t/1/consents/%d/withdraw" % S["plan_to_work"], {"next": "/t/1/consents"})
    assert_status(r, 303, "the coach withdraws the consent to the work side")
    _, said = flash_text(C[COACH_SOFIE].follow(r).body)
    assert said.startswith("Everyone on the work side no longer sees the information of the participant about "
                           "“plan and agreements”."), said


def test_everything_saved_before_is_still_there():
    for title in (CAPACITY_TITLE, PLAN_TITLE, "Intakegesprek: klachten en behandeling", PAYLOAD_TITLE):
        assert count("items", "title = ? AND deleted_at IS NULL", (title,)) == 1, title
    for nid in (S["capacity_note"], S["plan_note"]):
        assert_status(C[COACH_SOFIE].get("/t/1/notes/%d" % nid), 200, "the coach opens note %d" % nid)
    p = srv.cli("audit", "verify")
    assert p.returncode == 0, "audit verify: %d %s %s" % (p.returncode, p.stdout, p.stderr)


run(srv, globals())
