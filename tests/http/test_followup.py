"""Follow-up moments and the coach's day: planning a review and an evaluation talk, long-term check-ins
at 3, 6 and 12 months after return to work (month ends clamp: Jan 31 + 3 months = Apr 30), marking one
done, invalid dates kept in the form with 400; the dashboard lists what is overdue or due this week, the
trajectories without recent contact and the open referrals, only from the coach's own caseload; the one
door decides who else sees follow-up moments (category practical: the work side holds a consent in the
demo, the GP does not)."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_PIETER, COACH_SOFIE, PARTNER_GP, PARTNER_HR, Client, Server, assert_status, run

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "checkin_months": "3,6,12"})
coach = Client(srv)
coach.login(COACH_SOFIE)
TODAY = time.strftime("%Y-%m-%d", time.gmtime())
YESTERDAY = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
IN3 = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 86400))


def plan(kind, due, note):
    coach.get("/t/1/followups")
    return coach.post("/t/1/followups", {"kind": kind, "due_on": due, "note": note})


def test_plan_moments_and_validation():
    r = plan("review", "2026-02-30", "FUP-bad")
    assert_status(r, 400)
    assert "Enter a real date" in r.body and "FUP-bad" in r.body
    assert_status(plan("review", YESTERDAY, "FUP-review"), 303)
    assert_status(plan("evaluation", IN3, "FUP-eval"), 303)
    body = coach.get("/t/1/followups").body
    assert "FUP-review" in body and "overdue" in body and "FUP-eval" in body


def test_checkins_after_return_to_work():
    coach.get("/t/1/followups")
    assert_status(coach.post("/t/1/followups/checkins", {"return_on": "2026-01-31"}), 303)
    dues = [row[0] for row in srv.sql("SELECT due_on FROM followups WHERE kind = 'checkin' ORDER BY due_on")]
    assert dues == ["2026-04-30", "2026-07-31", "2027-01-31"], dues


def test_dashboard_lists_what_is_due():
    srv.sql("UPDATE trajectories SET last_activity_at = 0 WHERE id = 2")  # Karim: no contact for months
    r = coach.get("/dashboard")
    assert_status(r, 200)
    assert "FUP-review" not in r.body  # notes are not shown, the moment's kind is
    assert "An Janssens" in r.body and "overdue since" in r.body and YESTERDAY in r.body
    assert "Karim El Amrani" in r.body
    # only the coach's own caseload: Marieke Bakker is Pieter's participant
    assert "Marieke Bakker" not in r.body
    other = Client(srv)
    other.login(COACH_PIETER)
    assert "An Janssens" not in other.get("/dashboard").body


def test_mark_done_clears_it():
    fid = srv.sql("SELECT item_id FROM followups WHERE kind = 'review'")[0][0]
    coach.get("/t/1/followups")
    assert_status(coach.post("/t/1/followups/%d/done" % fid, {}), 303)
    assert srv.sql("SELECT done_on FROM followups WHERE item_id = ?", (fid,))[0][0] == TODAY
    assert "overdue since %s" % YESTERDAY not in coach.get("/dashboard").body
    # a moment of trajectory 1 cannot be marked through another trajectory
    assert_status(coach.post("/t/2/followups/%d/done" % fid, {}), 404)


def test_one_door_decides():
    hr, gp = Client(srv), Client(srv)
    hr.login(PARTNER_HR)
    gp.login(PARTNER_GP)
    hr_body = hr.get("/t/1/followups").body
    assert "FUP-eval" in hr_body            # work side holds a consent for practical matters
    assert "Plan a moment" not in hr_body   # only the coach plans
    assert "FUP-eval" not in gp.get("/t/1/followups").body
    assert_status(hr.get("/dashboard"), 403)
    hr.get("/t/1/followups")
    assert_status(hr.post("/t/1/followups", {"kind": "review", "due_on": IN3}), 404)


def test_closed_trajectory_takes_no_new_moments():
    srv.sql("UPDATE trajectories SET status = 'closed', phase = 'closure' WHERE id = 1")
    try:
        r = plan("review", IN3, "FUP-after-close")
        assert_status(r, 409)
        assert "closed" in r.body
        coach.get("/t/1/notes")
        assert_status(coach.post("/t/1/notes", {"title": "x", "category": "practical", "body": "y",
                                                "source": "participant"}), 409)
        assert srv.sql("SELECT COUNT(*) FROM items WHERE body = 'FUP-after-close'")[0][0] == 0
    finally:
        srv.sql("UPDATE trajectories SET status = 'open', phase = 'follow_up' WHERE id = 1")


run(srv, globals())
