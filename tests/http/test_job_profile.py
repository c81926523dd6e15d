"""The participant's job profile (issue 13, part 3): the coach keeps the wishes and their own words at
/t/{id}/job-profile (bad input is 400 with what was typed kept and nothing stored; a stale edit is 409),
the participant writes their own words on /me/work. Both parts are case information of the participant
shown through the one door: a network member sees a part only under the participant's live consent for
its category (work or capacity), another coach and another participant get 404, and every read and change
is in the access log against the participant."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_GP, PARTNER_HR, Client, Server, access_log_mark,
                     access_log_since, assert_status, participant_trajectory, run, sql_one)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}


def client(email):
    if email not in C:
        C[email] = Client(srv)
        C[email].login(email)
    return C[email]


TID = None
PID = None


def version():
    rows = srv.sql("SELECT updated_at FROM job_profiles WHERE trajectory_id = ?", (TID,))
    return str(rows[0][0]) if rows else "0"


def coach_form(**over):
    f = {"version": version(), "kind1": "ict", "kind2": "administration", "kind3": "", "hours_now": "12",
         "hours_goal": "24", "regions": "Gent\nAntwerpen", "max_travel": "45", "avoid": "Heavy lifting\nNight shifts",
         "support_1": "1", "support_4": "1", "coach_work": "JPW-COACH-work: wants a calm office",
         "coach_capacity": "JPC-COACH-capacity: concentrates well in the morning"}
    f.update(over)
    return f


def test_setup():
    global TID, PID
    TID, PID = participant_trajectory(srv, PART_AN)
    assert TID == 1


def test_empty_profile_and_bad_input():
    coach = client(COACH_SOFIE)
    r = coach.get("/t/%d/job-profile" % TID)
    assert_status(r, 200)
    assert "There is no job profile yet." in r.body
    r = coach.post("/t/%d/job-profile" % TID, coach_form(hours_goal="99", kind2="astronaut", kind3="ict",
                                                        regions="x" * 90))
    assert_status(r, 400)
    assert "Hours a week: a whole number from 0 to 60." in r.body
    assert "Choose a kind of work from the list." in r.body
    assert "This kind of work is chosen already." in r.body
    assert "At most 12 regions, each at most 80 characters." in r.body
    assert "JPW-COACH-work: wants a calm office" in r.body  # what was typed is kept
    assert sql_one(srv, "SELECT COUNT(*) FROM job_profiles WHERE trajectory_id = ?", (TID,)) == 0
    assert sql_one(srv, "SELECT COUNT(*) FROM items WHERE kind = 'job_profile' AND trajectory_id = ?", (TID,)) == 0


def test_coach_saves_and_sees():
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/job-profile" % TID)
    mark = access_log_mark(srv)
    assert_status(coach.post("/t/%d/job-profile" % TID, coach_form()), 303)
    row = srv.sql("SELECT kinds, hours_now, hours_goal, regions, max_travel_min, avoid, support FROM job_profiles "
                  "WHERE trajectory_id = ?", (TID,))[0]
    assert row == ("ict,administration", 12, 24, "Gent\nAntwerpen", 45, "Heavy lifting\nNight shifts", 5), row
    cats = srv.sql("SELECT i.category, i.source_member_id FROM job_profiles p JOIN items i "
                   "ON i.id IN (p.work_item_id, p.capacity_item_id) WHERE p.trajectory_id = ? ORDER BY i.category",
                   (TID,))
    assert cats == [("capacity", None), ("work", None)], cats  # the participant's information
    assert access_log_since(srv, mark, action="update", participant_id=PID, outcome="ok")
    body = coach.get("/t/%d/job-profile" % TID).body
    for text in ("ICT", "Administration", "12 hours", "24 hours", "Gent", "45 minutes", "Heavy lifting",
                 "JPW-COACH-work", "JPC-COACH-capacity"):
        assert text in body, text
    ids = srv.sql("SELECT work_item_id, capacity_item_id FROM job_profiles WHERE trajectory_id = ?", (TID,))[0]
    views = {e["item"] for e in access_log_since(srv, mark, action="view", participant_id=PID)}
    assert {"job_profile:%d" % ids[0], "job_profile:%d" % ids[1]} <= views, views


def test_stale_edit_is_409_with_text_kept():
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/job-profile" % TID)
    r = coach.post("/t/%d/job-profile" % TID, coach_form(version="1", coach_work="JPW-STALE text"))
    assert_status(r, 409)
    assert "JPW-STALE text" in r.body
    assert sql_one(srv, "SELECT coach_work FROM job_profiles WHERE trajectory_id = ?", (TID,)) == \
        "JPW-COACH-work: wants a calm office"


def test_participant_writes_own_words():
    an = client(PART_AN)
    r = an.get("/me/work")
    assert_status(r, 200)
    assert "In your own words" in r.body
    assert "JPC-COACH-capacity" in r.body  # she sees what the coach wrote about her
    r = an.post("/me/work", {"version": version(), "own_work": "JPW-OWN: I like computers",
                             "own_capacity": "JPC-OWN: I need quiet"})
    assert_status(r, 303)
    body = an.get("/me/work").body
    assert "JPW-OWN: I like computers" in body and "JPC-OWN: I need quiet" in body
    body = client(COACH_SOFIE).get("/t/%d/job-profile" % TID).body
    assert "JPW-OWN: I like computers" in body and "In the participant&#39;s own words" in body
    # too long: 400, nothing stored
    an.get("/me/work")
    r = an.post("/me/work", {"version": version(), "own_work": "x" * 4001, "own_capacity": ""})
    assert_status(r, 400)
    assert "at most 4000 characters" in r.body
    assert sql_one(srv, "SELECT body FROM items i JOIN job_profiles p ON p.work_item_id = i.id "
                        "WHERE p.trajectory_id = ?", (TID,)) == \
        "JPW-OWN: I like computers"


def test_participant_reads_plain_dates():
    """Her pages of the job side say dates in words, never YYYY-MM-DD or UTC (issue 10's rule)."""
    an = client(PART_AN)
    for url in ("/me/work", "/t/%d/job-profile" % TID, "/t/%d/proposals" % TID):
        r = an.get(url)
        assert_status(r, 200)
        text = re.sub(r"<[^>]*>", " ", r.body)
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), url
        assert "UTC" not in text, url
    assert "Last saved by" in an.get("/t/%d/job-profile" % TID).body


def test_only_the_coach_keeps_the_wishes():
    an = client(PART_AN)
    an.get("/me/work")
    before = srv.sql("SELECT * FROM job_profiles ORDER BY id")
    assert_status(an.post("/t/%d/job-profile" % TID, coach_form(coach_work="JPW-FORGED")), 404)
    hr = client(PARTNER_HR)
    hr.get("/login")
    assert_status(hr.post("/t/%d/job-profile" % TID, coach_form(coach_work="JPW-FORGED")), 404)
    assert srv.sql("SELECT * FROM job_profiles ORDER BY id") == before


def test_network_member_sees_a_part_only_with_consent():
    hr = client(PARTNER_HR)
    # the demo: An lets Tom (HR, work side) see her capacity information, not her work information
    mark = access_log_mark(srv)
    body = hr.get("/t/%d/job-profile" % TID).body
    assert "JPC-OWN: I need quiet" in body and "JPC-COACH-capacity" in body and "Heavy lifting" in body
    assert "JPW-" not in body and "Antwerpen" not in body and "24 hours" not in body
    cap, work = srv.sql("SELECT capacity_item_id, work_item_id FROM job_profiles WHERE trajectory_id = ?", (TID,))[0]
    seen = access_log_since(srv, mark, item="job_profile:%d" % cap, participant_id=PID)
    assert seen and seen[0]["grounds"] == "consent", seen
    assert not access_log_since(srv, mark, item="job_profile:%d" % work)
    # a consent for work to Tom: the work part appears; withdrawn: gone on the very next request
    hr_member = sql_one(srv, "SELECT id FROM network_members WHERE trajectory_id = ? AND role = 'hr'", (TID,))
    cid = srv.sql("INSERT INTO consents (trajectory_id, grantee_member_id, category, given_on, method, recorded_by, "
                  "created_at) VALUES (?, ?, 'work', '2020-01-01', 'conversation', 1, 0) RETURNING id",
                  (TID, hr_member))[0][0]
    body = hr.get("/t/%d/job-profile" % TID).body
    assert "JPW-OWN: I like computers" in body and "Antwerpen" in body
    srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE id = ?", (cid,))
    body = hr.get("/t/%d/job-profile" % TID).body
    assert "JPW-" not in body and "JPC-OWN" in body
    # the GP (care side) has no consent for either part
    body = client(PARTNER_GP).get("/t/%d/job-profile" % TID).body
    assert "JPW-" not in body and "JPC-" not in body
    assert "No part of the job profile is shared with you." in body


def test_strengths_result_linked_through_the_door():
    now = int(__import__("time").time())
    aid = srv.sql("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) VALUES "
                  "(?, 'assessment', 'capacity', 1, 'Strengths inventory', '', ?) RETURNING id", (TID, now))[0][0]
    srv.sql("INSERT INTO assessments (item_id, trajectory_id, questionnaire, version, answers, scores, filled_by, "
            "created_by, created_at) VALUES (?, ?, 'strengths', 1, '{}', '{}', 'coach', 1, ?)", (aid, TID, now))
    link = 'href="/t/%d/assessments/%d"' % (TID, aid)
    mark = access_log_mark(srv)
    assert link in client(COACH_SOFIE).get("/t/%d/job-profile" % TID).body
    assert access_log_since(srv, mark, item="assessment:%d" % aid, participant_id=PID)
    assert link in client(PARTNER_HR).get("/t/%d/job-profile" % TID).body      # capacity consent (demo)
    assert link not in client(PARTNER_GP).get("/t/%d/job-profile" % TID).body  # none


def test_strangers_get_404():
    mark = access_log_mark(srv)
    for who in (COACH_PIETER, PART_KARIM):
        r = client(who).get("/t/%d/job-profile" % TID)
        assert_status(r, 404)
        assert "JPW-" not in r.body and "JPC-" not in r.body
    denied = access_log_since(srv, mark, outcome="denied", participant_id=PID)
    assert len(denied) == 2, denied
    # Karim's own /me/work shows his (empty) page, nothing of An
    body = client(PART_KARIM).get("/me/work").body
    assert "JPW-" not in body and "JPC-" not in body


run(srv, globals())
