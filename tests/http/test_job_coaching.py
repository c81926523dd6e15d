"""Job coaching after a placement starts (issue 13, part 6): starting a job start proposes a tapering schedule
(weekly for four weeks, fortnightly for eight weeks, then monthly); the coach plans an extra contact, records
one (mode, duration, a short note: work information, the participant as source) or cancels one; bad input is
refused with 400 and nothing stored; the contacts due show on the coach's own day only; others than an
assigned coach cannot record; the note reaches the work side only with the participant's consent."""
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_HR, Client, Server, assert_status, main_text, run

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
coach = Client(srv)
coach.login(COACH_SOFIE)
an = Client(srv)
an.login(PART_AN)
tom = Client(srv)
tom.login(PARTNER_HR)
TODAY = datetime.datetime.now(datetime.timezone.utc).date()
VERBEKE = srv.sql("SELECT id FROM organisations WHERE name = 'Bouwbedrijf Verbeke NV'")[0][0]
S = {}


def iso(d):
    return d.isoformat()


def contacts():
    return srv.sql("SELECT item_id, due_on, with_whom, held_on, mode, minutes, cancelled_at FROM job_coaching_contacts "
                   "WHERE placement_id = ? ORDER BY due_on, item_id", (S["pl"],))


def test_start_proposes_a_tapering_schedule():
    coach.get("/t/1/placements")
    r = coach.post("/t/1/placements", {"kind": "job", "employer": str(VERBEKE), "starts_on": iso(TODAY),
                                       "ends_on": "", "hours": "19.5", "tasks": "JC-TASKS"})
    assert_status(r, 303)
    S["pl"] = int(re.search(r"/placements/(\d+)", r.location).group(1))
    assert contacts() == []  # planned, not started: no job coaching yet
    coach.get(r.location)
    assert_status(coach.post("/t/1/placements/%d/start" % S["pl"], {}), 303)
    dues = [datetime.date.fromisoformat(c[1]) for c in contacts()]
    gaps = [(b - a).days for a, b in zip([TODAY] + dues, dues)]
    assert gaps[:8] == [7, 7, 7, 7, 14, 14, 14, 14], gaps
    assert len(gaps) > 8 and all(28 <= g <= 31 for g in gaps[9:]) and gaps[8] >= 7, gaps
    assert (dues[-1] - TODAY).days <= 186
    assert [c[2] for c in contacts()][:4] == ["participant"] * 4
    kinds = srv.sql("SELECT DISTINCT i.kind, i.category, i.source_member_id FROM job_coaching_contacts c "
                    "JOIN items i ON i.id = c.item_id WHERE c.placement_id = ?", (S["pl"],))
    assert kinds == [("jobcoaching", "work", None)], kinds
    body = coach.get("/t/1/placements/%d" % S["pl"]).body
    assert "Job-coaching contacts" in body and "Record the contact" in body


def test_plan_an_extra_contact():
    url = "/t/1/placements/%d/contacts" % S["pl"]
    coach.get("/t/1/placements/%d" % S["pl"])
    n = len(contacts())
    r = coach.post(url, {"due_on": iso(TODAY - datetime.timedelta(days=3)), "with_whom": "employer"})
    assert_status(r, 400)
    assert "The date lies before the start of the placement." in r.body
    r = coach.post(url, {"due_on": iso(TODAY), "with_whom": "nobody"})
    assert_status(r, 400)
    assert len(contacts()) == n
    assert_status(coach.post(url, {"due_on": iso(TODAY), "with_whom": "employer"}), 303)
    assert len(contacts()) == n + 1
    S["today"] = [c for c in contacts() if c[1] == iso(TODAY)][0][0]


def test_coach_day_shows_contacts_due():
    r = coach.get("/dashboard")
    assert_status(r, 200)
    assert "Job-coaching contacts this week or overdue" in r.body
    text = main_text(r.body)
    section = text[text.index("Job-coaching contacts this week or overdue"):]
    assert "An Janssens" in section and "With the employer" in section, section[:300]
    other = Client(srv)
    other.login(COACH_PIETER)
    body = other.get("/dashboard").body
    section = main_text(body)[main_text(body).index("Job-coaching contacts this week or overdue"):]
    assert "An Janssens" not in section and "No job-coaching contacts due." in section


def test_record_a_contact():
    cid = S["today"]
    url = "/t/1/jobcoaching/%d" % cid
    r = coach.get(url)
    assert_status(r, 200)
    r = coach.post(url, {"held_on": iso(TODAY), "mode": "visit", "minutes": "0", "note": "JC-NOTE-BAD"})
    assert_status(r, 400)
    assert "The duration is a number of minutes from 1 to 480." in r.body and "JC-NOTE-BAD" in r.body
    r = coach.post(url, {"held_on": iso(TODAY), "mode": "teleport", "minutes": "30", "note": "JC-NOTE-BAD"})
    assert_status(r, 400)
    r = coach.post(url, {"held_on": iso(TODAY + datetime.timedelta(days=2)), "mode": "visit", "minutes": "30"})
    assert_status(r, 400)
    assert [c for c in contacts() if c[0] == cid][0][3] is None
    r = coach.post(url, {"held_on": iso(TODAY), "mode": "visit", "minutes": "45", "note": "JC-NOTE went well"})
    assert_status(r, 303)
    row = [c for c in contacts() if c[0] == cid][0]
    assert row[3:6] == (iso(TODAY), "visit", 45), row
    assert srv.sql("SELECT body FROM items WHERE id = ?", (cid,))[0][0] == "JC-NOTE went well"
    # recorded once: the second time is a conflict
    assert_status(coach.post(url, {"held_on": iso(TODAY), "mode": "visit", "minutes": "45"}), 409)
    # the participant reads it; the dashboard no longer lists it
    assert "JC-NOTE went well" in an.get("/t/1/placements/%d" % S["pl"]).body
    section = main_text(coach.get("/dashboard").body)
    assert "With the employer" not in section[section.index("Job-coaching contacts this week or overdue"):]


def open_contacts():
    return [c for c in contacts() if c[3] is None and c[6] is None]


def test_cancel_a_contact():
    cid = open_contacts()[0][0]
    coach.get("/t/1/placements/%d" % S["pl"])
    assert_status(coach.post("/t/1/jobcoaching/%d/cancel" % cid, {}), 303)
    assert [c for c in contacts() if c[0] == cid][0][6] is not None
    assert_status(coach.post("/t/1/jobcoaching/%d/cancel" % cid, {}), 409)


def test_only_the_coach_records():
    cid = open_contacts()[0][0]
    for who in (an, tom):
        assert_status(who.get("/t/1/jobcoaching/%d" % cid), 404)
        assert_status(who.post("/t/1/jobcoaching/%d" % cid, {"held_on": iso(TODAY), "mode": "phone",
                                                             "minutes": "10"}), 404)
        assert_status(who.post("/t/1/placements/%d/contacts" % S["pl"], {"due_on": iso(TODAY),
                                                                         "with_whom": "both"}), 404)
    assert [c for c in contacts() if c[0] == cid][0][3] is None
    # under another trajectory's URL the contact is not found
    assert_status(coach.get("/t/2/jobcoaching/%d" % cid), 404)


def test_work_side_needs_consent():
    url = "/t/1/placements/%d" % S["pl"]
    assert_status(tom.get(url), 404)
    member = srv.sql("SELECT id FROM network_members WHERE trajectory_id = 1 AND role = 'hr'")[0][0]
    srv.sql("INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, category, given_on, method, "
            "recorded_by, created_at) VALUES (1, NULL, ?, 'work', ?, 'conversation', "
            "(SELECT id FROM users WHERE email = ?), 0)", (member, iso(TODAY), COACH_SOFIE))
    r = tom.get(url)
    assert_status(r, 200)
    assert "JC-NOTE went well" in r.body and "Record the contact" not in r.body


if __name__ == "__main__":
    run(srv, globals())
