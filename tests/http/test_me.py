"""The participant's own page (/me): where she is, her next step, what is agreed in the latest version of
the action plan (read through the one door, each read in the access log) with a Confirm button until she
confirmed it, her diary (a note she posts from /me gets the participant as source party and her as
author), the link to her questionnaires, and the links to her consents and the access log. Without a plan
the next step falls back to the next follow-up moment, and without one to a kind sentence. The HR contact
gets 403 on /me (a participant's page); another participant sees only her own trajectory."""
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_HR, Client, Server, assert_status, run,
                     strip_tags, unescape)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
TODAY = time.strftime("%Y-%m-%d", time.gmtime())


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
PID = one("SELECT participant_id FROM trajectories WHERE id = ?", (TID,))
AN_ID = one("SELECT id FROM users WHERE email = ?", (PART_AN,))
STARTED = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))
HR_MEMBER = one("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
                "AND u.email = ?", (TID, PARTNER_HR))


def days_from_today(n):
    return (datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=n)).isoformat()


def words(iso):
    """A date as the participant reads it (lang en): "4 December 2026"."""
    d = datetime.date.fromisoformat(iso)
    return "%d %s %d" % (d.day, d.strftime("%B"), d.year)


def local_today():
    """Today in the portal's time zone (default Europe/Brussels)."""
    from zoneinfo import ZoneInfo
    return datetime.datetime.now(ZoneInfo("Europe/Brussels")).date().isoformat()


def text(body):
    return unescape(strip_tags(body))


def section(body, sid):
    """The inner HTML of <section id=sid>."""
    m = re.search(r'<section[^>]*\bid="%s"[^>]*>(.*?)</section>' % re.escape(sid), body, re.S)
    assert m, "no section #%s on the page" % sid
    return m.group(1)


def log_count(**where):
    sql = "SELECT COUNT(*) FROM access_log WHERE " + " AND ".join("%s = ?" % k for k in where)
    return srv.sql(sql, tuple(where.values()))[0][0]


def test_sign_in():
    sign_in_all(srv, (COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_HR), C)


def test_hr_gets_403():
    assert_status(C[PARTNER_HR].get("/me"), 403, "HR on /me")


def test_without_plan_kind_default():
    r = C[PART_AN].get("/me")
    assert_status(r, 200, "/me")
    t = text(r.body)
    assert "Where am I?" in t and "Action plan" in t, t[:600]
    assert "There is no action plan yet" in text(section(r.body, "agreed"))
    assert "There is nothing you need to do right now" in text(section(r.body, "next-step"))
    assert 'href="/me/consents"' in r.body and 'href="/me/log"' in r.body
    assert 'href="/t/%d/notes"' % TID in r.body
    if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "pages",
                                   "assessment.c")):
        assert 'href="/t/%d/assessments"' % TID in section(r.body, "questionnaires")
    assert 'action="/t/%d/notes"' % TID in r.body


def test_next_followup_when_no_plan():
    c = C[COACH_SOFIE]
    c.get("/t/%d/followups" % TID)
    assert_status(c.post("/t/%d/followups" % TID, {"kind": "review", "due_on": days_from_today(5), "note": "ME-FUP"}),
                  303)
    fid = one("SELECT item_id FROM followups WHERE trajectory_id = ? AND due_on = ?", (TID, days_from_today(5)))
    before = log_count(user_id=AN_ID, item="followup:%d" % fid, action="view", outcome="ok")
    nxt = text(section(C[PART_AN].get("/me").body, "next-step"))
    assert "Review" in nxt and words(days_from_today(5)) in nxt, nxt
    assert log_count(user_id=AN_ID, item="followup:%d" % fid, action="view", outcome="ok") == before + 1


def test_coach_writes_plan():
    c = C[COACH_SOFIE]
    c.get("/t/%d/plan/edit" % TID)
    due_hr, due_an = days_from_today(10), days_from_today(20)
    fields = {
        "base_version": "0",
        "g1_title": "ME-GOAL back on the planning desk",
        "g1_specific": "Work 4 hours a day on the planning desk",
        "g1_measurable": "Hours in the timesheet",
        "g1_achievable": "Agreed with HR and the GP",
        "g1_relevant": "First step back to her own job",
        "g1_time_bound": days_from_today(90),
        "g1a1_text": "ME-ACT-HR arrange a quiet workplace",
        "g1a1_owner": str(HR_MEMBER), "g1a1_due": due_hr, "g1a1_status": "planned", "g1a1_measure": "",
        "g1a2_text": "ME-ACT-AN walk twenty minutes every morning",
        "g1a2_owner": "participant", "g1a2_due": due_an, "g1a2_status": "in_progress",
        "g1a2_measure": "gradual-return",
        "g1a3_text": "ME-ACT-DONE first talk with HR",
        "g1a3_owner": "coach", "g1a3_due": STARTED, "g1a3_status": "done", "g1a3_measure": "",
    }
    r = c.post("/t/%d/plan" % TID, fields)
    assert_status(r, 303, "coach saves plan v1")


def test_me_shows_what_is_agreed_and_next_step():
    vid = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 1", (TID,))
    before = log_count(user_id=AN_ID, item="plan:%d" % vid, action="view", outcome="ok")
    r = C[PART_AN].get("/me")
    assert_status(r, 200)
    agreed = section(r.body, "agreed")
    t = text(agreed)
    assert "ME-GOAL back on the planning desk" in t, t
    for act in ("ME-ACT-HR", "ME-ACT-AN", "ME-ACT-DONE"):
        assert act in t, (act, t)
    assert "Tom Claes" in t and "You" in t and "Your coach" in t, t
    assert 'href="/t/%d/plan"' % TID in agreed
    assert 'action="/t/%d/plan/%d/confirm"' % (TID, vid) in agreed, "no confirm form"
    assert "Not yet confirmed" in t
    # next step: her own open action goes before HR's earlier one
    nxt = text(section(r.body, "next-step"))
    assert "ME-ACT-AN walk twenty minutes" in nxt and words(days_from_today(20)) in nxt, nxt
    assert "ME-ACT-HR" not in nxt
    # the next step links to the knowledge-base article of its measure, by its title
    assert '<a href="/measures/gradual-return">Read more: ' in section(r.body, "next-step")
    assert "Read more: Gradual return" in nxt, nxt
    assert log_count(user_id=AN_ID, item="plan:%d" % vid, action="view", outcome="ok") == before + 1


def test_confirm_from_me():
    vid = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 1", (TID,))
    C[PART_AN].get("/me")
    r = C[PART_AN].post("/t/%d/plan/%d/confirm" % (TID, vid), {})
    assert_status(r, 303, "An confirms from /me")
    assert one("SELECT confirmed_by_participant FROM plan_versions WHERE item_id = ?", (vid,)) == AN_ID
    agreed = section(C[PART_AN].get("/me").body, "agreed")
    assert "/confirm" not in agreed, "confirm button still shown after confirming"
    assert "You confirmed this plan on %s" % words(local_today()) in text(agreed), text(agreed)


def test_diary_note_from_me():
    c = C[PART_AN]
    body = c.get("/me").body
    diary = section(body, "diary")
    # the category select explains each category in plain words, and a choice is needed
    assert '<option value="" selected>' in diary
    assert "practical matters such as dates and appointments" in unescape(diary)
    r = c.post("/t/%d/notes" % TID, {"title": "ME-DIARY a hard morning", "category": "capacity",
                                      "body": "Slept badly, walked anyway."})
    assert_status(r, 303, "An posts a diary note")
    row = srv.sql("SELECT id, source_member_id, author_id, category FROM items WHERE title = ?",
                  ("ME-DIARY a hard morning",))
    assert len(row) == 1, row
    nid, source, author, category = row[0]
    assert source is None and author == AN_ID and category == "capacity", row
    before = log_count(user_id=AN_ID, item="note:%d" % nid, outcome="ok")
    diary = section(c.get("/me").body, "diary")
    assert "ME-DIARY a hard morning" in text(diary)
    assert 'href="/t/%d/notes/%d"' % (TID, nid) in diary
    assert log_count(user_id=AN_ID, item="note:%d" % nid, outcome="ok") == before + 1


def test_coach_notes_not_in_diary():
    """Only what she wrote herself is listed as her diary, not the coach's notes about her."""
    diary = text(section(C[PART_AN].get("/me").body, "diary"))
    coach_titles = [t for (t,) in srv.sql("SELECT i.title FROM items i JOIN users u ON u.id = i.author_id "
                                           "WHERE i.trajectory_id = ? AND i.kind = 'note' AND u.email = ?",
                                           (TID, COACH_SOFIE))]
    assert coach_titles, "the demo has coach notes on trajectory 1"
    for t in coach_titles:
        assert t not in diary, t


def test_other_participant_sees_only_her_own():
    r = C[PART_KARIM].get("/me")
    assert_status(r, 200)
    assert "ME-GOAL" not in r.body and "ME-DIARY" not in r.body
    assert 'href="/t/%d/' % TID not in r.body


# ---------------------------------------------------------------- who looked at my file (issue 10: 9)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def visit_cards(body):
    m = re.search(r'<ul class="visits plain"[^>]*>(.*?)</ul>\s*(?:<p|<nav|</div>)', body, re.S)
    assert m, "no list of visits on /me/log"
    return m.group(1).split('<li class="card visit">')[1:]


def local_clock(at):
    from zoneinfo import ZoneInfo
    t = datetime.datetime.fromtimestamp(at, ZoneInfo("Europe/Brussels"))
    return t, "%d %s %d at %02d:%02d" % (t.day, t.strftime("%B"), t.year, t.hour, t.minute)


def test_my_log_groups_by_person_and_visit_in_local_time():
    sofie = C[COACH_SOFIE]
    pieter = Client(srv)
    pieter.login(COACH_PIETER, follow=False)
    sofie_id = one("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))
    # Sofie's first visit, moved three hours back; then a second visit now, with many entries
    mark = one("SELECT MAX(id) FROM access_log")
    for path in ("/t/%d" % TID, "/t/%d/notes" % TID):
        assert_status(sofie.get(path), 200, path)
    mark2 = one("SELECT MAX(id) FROM access_log")
    srv.sql("UPDATE access_log SET at = at - 3 * 3600 WHERE id > ? AND id <= ?", (mark, mark2))
    first_visit_at = one("SELECT MIN(at) FROM access_log WHERE id > ? AND id <= ?", (mark, mark2))
    for path in ("/t/%d/notes" % TID, "/t/%d/plan" % TID, "/t/%d" % TID, "/t/%d/notes" % TID):
        assert_status(sofie.get(path), 200, path)
    # her second visit began with what she did earlier in this test run (minutes ago at most)
    second_visit_at = one("SELECT MIN(at) FROM access_log WHERE user_id = ? AND participant_id = ? "
                          "AND NOT (id > ? AND id <= ?)", (sofie_id, PID, mark, mark2))
    entries = one("SELECT COUNT(*) FROM access_log WHERE id > ? AND user_id = ? AND participant_id = ?",
                  (mark, sofie_id, PID))
    assert entries >= 8, entries
    # Pieter is not An's coach: his attempt is refused, and shown as such
    assert_status(pieter.get("/t/%d/notes" % TID), 404, "Pieter opens An's notes")
    C[PART_AN].get("/me")  # something An did herself

    r = C[PART_AN].get("/me/log")
    assert_status(r, 200, "/me/log")
    # "only others" is on by default
    assert re.search(r'name="others" value="1" checked', r.body), "'only others' is not on by default"
    cards = visit_cards(r.body)
    texts = [unescape(strip_tags(c)) for c in cards]
    assert not any(t.startswith("You ") for t in texts), "An's own visits shown with 'only others' on"
    # Sofie's entries since mark are two visits, not one row per entry
    newest = texts[:3]
    sofie_cards = [t for t in newest if t.startswith("Sofie Peeters")]
    assert len(sofie_cards) == 2, "Sofie's %d entries are not grouped into her two visits: %r" % (entries, newest)
    for card, at in zip(sofie_cards, (second_visit_at, first_visit_at)):
        when, words_ = local_clock(at)
        assert "Sofie Peeters, your coach, looked at" in card and "your notes" in card, card
        assert ("on %s." % words_) in card, "visit not at its local time %s: %s" % (words_, card)
    assert "your action plan" in sofie_cards[0], sofie_cards[0]
    # the refusal stands out
    refused = [c for c in cards if "Pieter de Vries" in c]
    assert refused and 'class="refused"' in refused[0] and "tried to open, was refused" in unescape(refused[0]), refused
    # cards, not a wide table; local time, no UTC, no ISO dates
    assert "<table" not in r.body, "/me/log is still a table"
    assert "UTC" not in r.body, "/me/log speaks of UTC"
    assert not ISO_DATE.search(r.body), "an ISO date on /me/log: %s" % ISO_DATE.search(r.body).group(0)
    # turning "only others" off shows her own visit too
    r = C[PART_AN].get("/me/log?set=1")
    assert not re.search(r'name="others" value="1" checked', r.body)
    assert any(unescape(strip_tags(c)).startswith("You yourself") for c in visit_cards(r.body)), \
        "her own visit is not shown with 'only others' off"


run(srv, globals())
