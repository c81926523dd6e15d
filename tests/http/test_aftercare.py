"""Aftercare after closure (issue 10, part 4). Closing a trajectory with an outcome that means work plans the
check-ins at the configured months after the closure date (an outcome without work plans none); on the
closed trajectory the coach records what a check-in found — work status, hours a week, a remark — which is
stored in a form reports can count, shown on the follow-up page and in the access log; bad hours answer 400
with a message and store nothing. Everything else stays refused on the closed trajectory (other moments,
marking done, notes). The closed trajectory leaves the caseload (list and count on the coach's day) but is in
the "closed" filter, and its due check-in is on the coach's day, logged on the participant's file."""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, PARTNER_HR, Client, Server, assert_status, run, strip_tags

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "checkin_months": "3,6,12"})
coach = Client(srv)
coach.login(COACH_SOFIE)
TODAY = datetime.date.today()


def one(query, params=()):
    return srv.sql(query, params)[0][0]


def traj(last):
    return one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id WHERE p.last_name = ?",
               (last,))


TID = traj("Wouters")         # Bram Wouters, in aftercare, started about seven months ago
PID = one("SELECT participant_id FROM trajectories WHERE id = ?", (TID,))
OTHER = traj("Ouali")         # Fatima Ouali, just registered
SOFIE = one("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))
START = datetime.date.fromisoformat(one("SELECT started_on FROM trajectories WHERE id = ?", (TID,)))
CLOSED_ON = START + datetime.timedelta(days=5)


def add_months(d, n):
    """d plus n months, the day clamped to the month's end (as the server does)."""
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = (datetime.date(y + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(y, m, min(d.day, last))


def section(body, heading_id):
    m = re.search(r'<h2 id="%s">(.*?)</section>' % heading_id, body, re.S)
    assert m, "no section %s" % heading_id
    return m.group(1)


def close(tid, outcome, closed_on, note):
    coach.get("/t/%d/protocol" % tid)
    return coach.post("/t/%d/close" % tid, {"outcome": outcome, "closed_on": closed_on.isoformat(), "hours": "20",
                                             "note": note})


def checkins(tid):
    """(item id, due date, done date) of each check-in of trajectory tid, by date."""
    return srv.sql("SELECT item_id, due_on, done_on FROM followups WHERE trajectory_id = ? AND kind = 'checkin' "
                   "ORDER BY due_on, item_id", (tid,))


def last_log():
    return one("SELECT COALESCE(MAX(id), 0) FROM access_log")


def test_closure_with_work_plans_checkins():
    assert checkins(TID) == []
    assert_status(close(TID, "returned_own_job", CLOSED_ON, "AFT-close: back at work"), 303, "close")
    got = [(due, done) for _, due, done in checkins(TID)]
    assert got == [(add_months(CLOSED_ON, m).isoformat(), None) for m in (3, 6, 12)], got
    # each knows its place after the return to work, for the reports
    months = srv.sql("SELECT months FROM followups WHERE trajectory_id = ? AND kind = 'checkin' "
                     "ORDER BY due_on, item_id", (TID,))
    assert months == [(3,), (6,), (12,)], months
    body = coach.get("/t/%d/followups" % TID).body
    assert "3 months after return to work" in body and "12 months after return to work" in body
    assert "Record the check-in" in body
    # only check-ins can still be planned on the closed trajectory
    assert '<option value="review"' not in body and '<option value="checkin"' in body


def test_closure_without_work_plans_nothing():
    assert_status(close(OTHER, "no_work_prospect", TODAY, "AFT-close without work"), 303, "close")
    assert checkins(OTHER) == []


def test_bad_check_in_is_refused_with_a_message():
    fid = checkins(TID)[0][0]
    page = coach.get("/t/%d/followups/%d/checkin" % (TID, fid))
    assert_status(page, 200)
    for field in ("held_on", "work_status", "hours", "remark"):
        assert 'name="%s"' % field in page.body, field
    for hours in ("61", "abc", "-3", "12.25", ""):
        r = coach.post("/t/%d/followups/%d/checkin" % (TID, fid),
                       {"held_on": TODAY.isoformat(), "work_status": "same_job", "hours": hours, "remark": "AFT-kept"})
        assert_status(r, 400, "hours %r" % hours)
        text = strip_tags(r.body)
        assert ("from 0 to 60" in text) if hours else ("Enter the hours worked a week" in text), text[:400]
        assert "AFT-kept" in r.body  # what was typed stays in the form
    r = coach.post("/t/%d/followups/%d/checkin" % (TID, fid),
                   {"held_on": TODAY.isoformat(), "work_status": "retired", "hours": "10"})
    assert_status(r, 400)
    assert "Choose whether the participant works." in r.body
    assert one("SELECT COUNT(*) FROM checkin_results") == 0
    assert checkins(TID)[0][2] is None


def test_record_check_in_after_closure():
    fid = checkins(TID)[0][0]
    since = last_log()
    coach.get("/t/%d/followups/%d/checkin" % (TID, fid))
    r = coach.post("/t/%d/followups/%d/checkin" % (TID, fid),
                   {"held_on": TODAY.isoformat(), "work_status": "same_job", "hours": "24,5",
                    "remark": "AFT-remark: back on the planning desk"})
    assert_status(r, 303, "record")
    row = srv.sql("SELECT c.item_id, c.work_status, c.hours_per_week_tenths, c.held_on, i.kind, i.category, i.body, "
                  "i.source_member_id FROM checkin_results c JOIN items i ON i.id = c.item_id WHERE c.followup_id = ?",
                  (fid,))
    assert len(row) == 1, row
    rid = row[0][0]
    assert row[0][1:] == ("same_job", 245, TODAY.isoformat(), "checkin", "work",
                          "AFT-remark: back on the planning desk", None), row
    assert checkins(TID)[0][2] == TODAY.isoformat()
    assert one("SELECT status FROM trajectories WHERE id = ?", (TID,)) == "closed"
    # the change is in the access log, on the participant's file
    log = srv.sql("SELECT participant_id, trajectory_id, action, outcome FROM access_log WHERE id > ? AND user_id = ? "
                  "AND item = ?", (since, SOFIE, "checkin:%d" % rid))
    assert log == [(PID, TID, "create", "ok")], log
    # shown next to its check-in, and each showing logged
    since = last_log()
    body = coach.get("/t/%d/followups" % TID).body
    assert "Works in the same job" in body and "Hours a week: 24.5" in body and "AFT-remark" in body
    assert srv.sql("SELECT action FROM access_log WHERE id > ? AND item = ?", (since, "checkin:%d" % rid)) == [("view",)]
    # a second recording of the same check-in is refused
    r = coach.post("/t/%d/followups/%d/checkin" % (TID, fid), {"held_on": TODAY.isoformat(),
                                                               "work_status": "not_working", "hours": "0"})
    assert_status(r, 409)
    assert one("SELECT COUNT(*) FROM checkin_results") == 1


def test_result_follows_the_consent_rule():
    # An's trajectory (open): the HR contact holds a consent for practical matters (the check-in itself) but
    # not for work information (its result)
    an = traj("Janssens")
    coach.get("/t/%d/followups" % an)
    assert_status(coach.post("/t/%d/followups" % an, {"kind": "checkin", "due_on": TODAY.isoformat(),
                                                      "note": "AFT-an-checkin"}), 303)
    fid = one("SELECT f.item_id FROM followups f JOIN items i ON i.id = f.item_id WHERE i.body = 'AFT-an-checkin'")
    coach.get("/t/%d/followups/%d/checkin" % (an, fid))
    assert_status(coach.post("/t/%d/followups/%d/checkin" % (an, fid),
                             {"held_on": TODAY.isoformat(), "work_status": "other_job", "hours": "32",
                              "remark": "AFT-an-result"}), 303)
    hr = Client(srv)
    hr.login(PARTNER_HR)
    body = hr.get("/t/%d/followups" % an).body
    assert "AFT-an-checkin" in body
    assert "AFT-an-result" not in body and "Works in another job" not in body and "Hours a week" not in body
    srv.sql("INSERT INTO consents (trajectory_id, grantee_side, category, given_on, method, recorded_by, created_at) "
            "VALUES (?, 'work', 'work', ?, 'conversation', ?, 0)", (an, TODAY.isoformat(), SOFIE))
    body = hr.get("/t/%d/followups" % an).body
    assert "AFT-an-result" in body and "Works in another job" in body and "Hours a week: 32" in body
    # nobody but an assigned coach records a check-in, not even a member who sees it; the refusal is logged
    coach.get("/t/%d/followups" % an)
    assert_status(coach.post("/t/%d/followups" % an, {"kind": "checkin", "due_on": TODAY.isoformat(),
                                                      "note": "AFT-an-second"}), 303)
    fid = one("SELECT f.item_id FROM followups f JOIN items i ON i.id = f.item_id WHERE i.body = 'AFT-an-second'")
    assert "AFT-an-second" in hr.get("/t/%d/followups" % an).body
    since = last_log()
    assert_status(hr.get("/t/%d/followups/%d/checkin" % (an, fid)), 404)
    r = hr.post("/t/%d/followups/%d/checkin" % (an, fid), {"held_on": TODAY.isoformat(), "work_status": "same_job",
                                                           "hours": "10"})
    assert_status(r, 404)
    assert one("SELECT done_on FROM followups WHERE item_id = ?", (fid,)) is None
    hr_id = one("SELECT id FROM users WHERE email = ?", (PARTNER_HR,))
    denied = srv.sql("SELECT action FROM access_log WHERE id > ? AND user_id = ? AND item = ? AND outcome = 'denied' "
                     "ORDER BY id",
                     (since, hr_id, "followup:%d" % fid))
    assert denied == [("view",), ("update",)], denied


def test_other_changes_stay_refused():
    coach.get("/t/%d/followups" % TID)
    assert_status(coach.post("/t/%d/followups" % TID, {"kind": "review", "due_on": TODAY.isoformat(),
                                                       "note": "AFT-review"}), 409)
    assert_status(coach.post("/t/%d/followups/%d/done" % (TID, checkins(TID)[1][0]), {}), 409)
    coach.get("/t/%d/notes" % TID)
    assert_status(coach.post("/t/%d/notes" % TID, {"title": "AFT-note", "category": "work", "body": "x",
                                                   "source": "participant"}), 409)
    coach.get("/t/%d/protocol" % TID)
    assert_status(coach.post("/t/%d/protocol/phase" % TID, {"phase": "aftercare", "move_reason": "x"}), 409)
    assert one("SELECT COUNT(*) FROM items WHERE body IN ('AFT-review', 'x') OR title = 'AFT-note'") == 0
    assert checkins(TID)[1][2] is None
    # planning a check-in is aftercare: allowed
    coach.get("/t/%d/followups" % TID)
    assert_status(coach.post("/t/%d/followups" % TID, {"kind": "checkin", "due_on": (TODAY + datetime.timedelta(days=60))
                                                       .isoformat(), "note": "AFT-extra"}), 303)
    assert len(checkins(TID)) == 4


def test_closed_trajectory_leaves_the_caseload_but_its_check_in_is_due():
    due6 = add_months(CLOSED_ON, 6)
    assert due6 < TODAY, "the 6-month check-in should be overdue (start %s)" % START
    assert "Bram Wouters" not in coach.get("/caseload").body
    assert "Bram Wouters" in coach.get("/caseload?status=closed").body
    open_n = one("SELECT COUNT(*) FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                 "WHERE c.user_id = ? AND t.status = 'open'", (SOFIE,))
    since = last_log()
    body = coach.get("/dashboard").body
    assert "%d active trajectories, of at most 20" % open_n in section(body, "load")
    checks = section(body, "checks")
    assert 'href="/t/%d/followups">Bram Wouters</a>' % TID in checks, checks
    assert "overdue since %s" % due6.isoformat() in checks and "trajectory closed" in checks
    assert "check-in 6 months after return to work" in checks
    # the recorded 3-month check-in is not due any more; the one in 12 months is not due yet
    assert add_months(CLOSED_ON, 3).isoformat() not in checks
    assert add_months(CLOSED_ON, 12).isoformat() not in checks
    # Bram is on the page: the look is on his file
    got = srv.sql("SELECT participant_id, trajectory_id FROM access_log WHERE id > ? AND user_id = ? AND item = 'dashboard'",
                  (since, SOFIE))
    assert (PID, TID) in got, got


if __name__ == "__main__":
    run(srv, globals())
