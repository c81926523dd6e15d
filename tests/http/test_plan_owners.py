"""The owners of the plan's actions act on it (issue 10, part 3). The coach writes a plan for An with an
action for HR (Tom Claes), one for the GP (Els Wouters), one for An and one for the coach. Tom marks his
action done with a remark from the plan page: no new version, the coach sees who marked it and the remark
on the plan page and on the coach's day, the access log has the update. Tom cannot mark An's or the GP's
action, nor an action of another trajectory (not-found page, refusal logged, nothing changed); /shared points him to
what is his to do. An marks
hers started from /me. The remark is Tom's information: An and the GP do not see it without his consent.
The members who own actions confirm the version beside An and the coach, and the protocol step "Actieplan
laten bevestigen door deelnemer en betrokken partijen" is ticked when the last of them confirms. A new
version keeps the status and the update of an unchanged action; an update of an earlier version's action is
refused."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, assert_status,
                     form_fields, run, strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
A = {}  # action key -> plan_actions.id of the current version
NOT_FOUND = "This page does not exist, or you have no access to it."
REMARK = "Quiet corner desk is ready, REMARK-TOM"
STEP = "Actieplan laten bevestigen door deelnemer en betrokken partijen"


def one(query, params=()):
    return srv.sql(query, params)[0][0]


def uid(email):
    return one("SELECT id FROM users WHERE email = ?", (email,))


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
STARTED = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))


def member_of(email):
    return one("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
               "AND u.email = ?", (TID, email))


HR, GP = member_of(PARTNER_HR), member_of(PARTNER_GP)


def day(n):
    import datetime
    return (datetime.date.fromisoformat(STARTED) + datetime.timedelta(days=n)).isoformat()


def versions():
    return one("SELECT COUNT(*) FROM plan_versions WHERE trajectory_id = ?", (TID,))


def current_actions():
    rows = srv.sql("SELECT a.id, a.text FROM plan_actions a WHERE a.trajectory_id = ? AND a.is_current = 1", (TID,))
    return {text: aid for aid, text in rows}


def mark(c, aid, status, remark="", tid=None, nxt=None):
    data = {"a%d_status" % aid: status, "a%d_remark" % aid: remark}
    if nxt:
        data["next"] = nxt
    return c.post("/t/%d/plan/actions/%d" % (tid or TID, aid), data)


def test_sign_in():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, PART_AN, PARTNER_HR, PARTNER_GP), C)


def test_coach_writes_the_plan():
    c = C[COACH_SOFIE]
    c.get("/t/%d/plan/edit" % TID)
    f = {"base_version": "0", "g1_title": "Back on the planning desk", "g1_specific": "Work 4 hours a day",
         "g1_measurable": "Hours in the timesheet", "g1_achievable": "Agreed with HR and the GP",
         "g1_relevant": "First step back", "g1_time_bound": day(90)}
    for j, (text, owner) in enumerate((("Arrange a quiet workplace", str(HR)), ("Check the sleep medication", str(GP)),
                                       ("Keep a sleep diary", "participant"), ("Weekly talk", "coach")), 1):
        f.update({"g1a%d_text" % j: text, "g1a%d_owner" % j: owner, "g1a%d_due" % j: day(20 + j),
                  "g1a%d_status" % j: "planned"})
    assert_status(c.post("/t/%d/plan" % TID, f), 303, "version 1")
    A.update(current_actions())
    assert len(A) == 4, A


def test_hr_sees_his_action_with_a_form():
    # his start page points him to it
    r = C[PARTNER_HR].get("/shared")
    assert_status(r, 200, "/shared")
    assert '<a href="/t/%d/plan#my-actions">1 action of the plan is yours to do</a>' % TID in r.body, r.body[-2000:]
    r = C[PARTNER_HR].get("/t/%d/plan" % TID)
    assert_status(r, 200, "HR's plan page")
    aid = A["Arrange a quiet workplace"]
    assert 'id="my-actions"' in r.body and 'action="/t/%d/plan/actions/%d"' % (TID, aid) in r.body
    # only his own action has a form
    for other in ("Check the sleep medication", "Keep a sleep diary", "Weekly talk"):
        assert 'action="/t/%d/plan/actions/%d"' % (TID, A[other]) not in r.body, other
    f = form_fields(r.body)
    assert f["a%d_status" % aid] == "in_progress", "a planned action is proposed as started"
    assert '<label for="f-a%d_remark">' % aid in r.body, "the remark has a label"


def test_hr_marks_his_action_done_with_a_remark():
    hr, coach = C[PARTNER_HR], C[COACH_SOFIE]
    aid = A["Arrange a quiet workplace"]
    before = versions()
    r = mark(hr, aid, "done", REMARK)
    assert_status(r, 303, "HR marks his action done")
    assert r.location.split("?")[0] == "/t/%d/plan" % TID, r.location
    assert versions() == before, "no new version"
    assert one("SELECT status FROM plan_actions WHERE id = ?", (aid,)) == "done"
    upd = srv.sql("SELECT u.status, u.owner_member_id, u.created_by, i.kind, i.category, i.source_member_id, "
                  "i.author_id, i.body FROM plan_action_updates u JOIN items i ON i.id = u.remark_item_id "
                  "WHERE u.action_id = ?", (aid,))
    assert upd == [("done", HR, uid(PARTNER_HR), "plan_remark", "plan", HR, uid(PARTNER_HR), REMARK)], upd
    log = srv.sql("SELECT action, outcome, grounds FROM access_log WHERE user_id = ? AND item = ?",
                  (uid(PARTNER_HR), "plan_action:%d" % aid))
    assert log == [("update", "ok", "consent")], log
    # the coach sees it on the plan page: status, who, the remark
    r = coach.get("/t/%d/plan" % TID)
    assert_status(r, 200, "coach's plan page")
    text = strip_tags(r.body)
    assert "Marked by Tom Claes on" in text and REMARK in text, text[:3000]
    remark_item = one("SELECT remark_item_id FROM plan_action_updates WHERE action_id = ?", (aid,))
    assert one("SELECT COUNT(*) FROM access_log WHERE user_id = ? AND item = ? AND action = 'view'",
               (uid(COACH_SOFIE), "plan_remark:%d" % remark_item)) >= 1, "the remark read is logged"
    # and on the coach's day
    r = coach.get("/dashboard")
    assert_status(r, 200, "coach's day")
    day_text = strip_tags(r.body)
    assert "Arrange a quiet workplace" in day_text and "Tom Claes" in day_text, day_text[:3000]


def test_the_remark_is_toms_information():
    # An and the GP see the plan (the participant's consent) but not Tom's remark without his consent
    for who in (PART_AN, PARTNER_GP):
        r = C[who].get("/t/%d/plan" % TID)
        assert_status(r, 200, "%s plan page" % who)
        assert "Arrange a quiet workplace" in r.body and REMARK not in r.body, who
    # with Tom's consent for `plan` to the participant, An sees it
    srv.sql("INSERT INTO consents (trajectory_id, source_member_id, grantee_side, category, given_on, method, "
            "recorded_by, created_at) VALUES (?, ?, 'participant', 'plan', '2000-01-01', 'portal', ?, 0)",
            (TID, HR, uid(PARTNER_HR)))
    assert REMARK in strip_tags(C[PART_AN].get("/t/%d/plan" % TID).body)


def test_hr_cannot_mark_what_he_does_not_own():
    hr = C[PARTNER_HR]
    hr.get("/t/%d/plan" % TID)
    snapshot = srv.sql("SELECT id, status, last_update_id FROM plan_actions ORDER BY id")
    updates = one("SELECT COUNT(*) FROM plan_action_updates")
    for other in ("Check the sleep medication", "Keep a sleep diary", "Weekly talk"):
        r = mark(hr, A[other], "done", "not mine")
        assert_status(r, 404, "HR marks %r" % other)
        assert NOT_FOUND in r.body
    # an action of another trajectory, under its own id and under An's
    other_aid, other_tid = srv.sql("SELECT id, trajectory_id FROM plan_actions WHERE trajectory_id <> ? "
                                   "AND is_current = 1 ORDER BY id LIMIT 1", (TID,))[0]
    other_pid = one("SELECT participant_id FROM trajectories WHERE id = ?", (other_tid,))
    for tid in (other_tid, TID):
        r = mark(hr, other_aid, "done", "", tid=tid)
        assert_status(r, 404, "HR marks an action of trajectory %d via /t/%d" % (other_tid, tid))
    denied = srv.sql("SELECT participant_id, outcome FROM access_log WHERE user_id = ? AND item = ? ORDER BY id",
                     (uid(PARTNER_HR), "plan_action:%d" % other_aid))
    assert denied == [(other_pid, "denied")] * 2, "refusals are logged on the file the action belongs to: %r" % denied
    # a missing action, and a coach of another caseload
    assert_status(mark(hr, 999999, "done"), 404, "a missing action")
    pieter = C[COACH_PIETER]
    pieter.refresh_csrf()
    assert_status(mark(pieter, A["Weekly talk"], "done"), 404, "another coach")
    assert srv.sql("SELECT id, status, last_update_id FROM plan_actions ORDER BY id") == snapshot, "nothing changed"
    assert one("SELECT COUNT(*) FROM plan_action_updates") == updates


def test_bad_input_is_refused_clearly():
    hr = C[PARTNER_HR]
    hr.get("/t/%d/plan" % TID)
    aid = A["Arrange a quiet workplace"]
    r = mark(hr, aid, "dropped")
    assert_status(r, 400, "a status an owner cannot set")
    assert "Choose started or done." in r.body
    r = mark(hr, aid, "in_progress", "x" * 2001)
    assert_status(r, 400, "a remark that is too long")
    assert "at most 2000 characters" in r.body
    assert one("SELECT status FROM plan_actions WHERE id = ?", (aid,)) == "done"


def test_participant_marks_hers_started_from_me():
    an = C[PART_AN]
    aid = A["Keep a sleep diary"]
    r = an.get("/me")
    assert_status(r, 200, "/me")
    assert 'action="/t/%d/plan/actions/%d"' % (TID, aid) in r.body, "a form for her own step on /me"
    assert 'action="/t/%d/plan/actions/%d"' % (TID, A["Arrange a quiet workplace"]) not in r.body
    assert 'name="next" value="/me"' in r.body
    r = mark(an, aid, "in_progress", "", nxt="/me")
    assert_status(r, 303, "An marks her step started")
    assert r.location.split("?")[0] == "/me", r.location
    assert one("SELECT status FROM plan_actions WHERE id = ?", (aid,)) == "in_progress"
    assert one("SELECT remark_item_id FROM plan_action_updates WHERE action_id = ?", (aid,)) is None
    assert "Started" in strip_tags(an.get("/me").body)
    r = C[COACH_SOFIE].get("/t/%d/plan" % TID)
    assert "Marked by An Janssens on" in strip_tags(r.body)


def test_owners_confirm_and_the_protocol_step_counts_them():
    vid = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 1", (TID,))
    url = "/t/%d/plan/%d/confirm" % (TID, vid)

    def step():
        return one("SELECT status FROM trajectory_steps WHERE trajectory_id = ? AND text = ?", (TID, STEP))

    assert step() == "open"
    r = C[PARTNER_HR].get("/t/%d/plan" % TID)
    assert 'action="%s"' % url in r.body, "HR owns an action: he is asked to confirm"
    for who in (PART_AN, COACH_SOFIE, PARTNER_HR):
        C[who].get("/t/%d/plan" % TID)
        assert_status(C[who].post(url, {}), 303, "%s confirms" % who)
    assert step() == "open", "the GP, who owns an action too, has not confirmed yet"
    assert_status(C[PARTNER_HR].post(url, {}), 409, "HR confirms twice")
    r = C[COACH_SOFIE].get("/t/%d/plan" % TID)
    conf = strip_tags(r.body.split("Confirmation", 1)[1].split("Goals and actions", 1)[0])
    assert "Tom Claes Confirmed" in conf and "dr. Els Wouters Not yet confirmed" in conf, conf
    C[PARTNER_GP].get("/t/%d/plan" % TID)
    assert_status(C[PARTNER_GP].post(url, {}), 303, "the GP confirms")
    assert step() == "done", "participant, coach and every owning member confirmed"
    assert one("SELECT done_by FROM trajectory_steps WHERE trajectory_id = ? AND text = ?", (TID, STEP)) == uid(PARTNER_GP)
    assert srv.sql("SELECT member_id, confirmed_by FROM plan_member_confirmations WHERE version_item_id = ? "
                   "ORDER BY member_id", (vid,)) == sorted([(HR, uid(PARTNER_HR)), (GP, uid(PARTNER_GP))])


def test_a_member_who_owns_nothing_cannot_confirm():
    # the GP's action goes to the coach in version 2: the GP owns nothing there
    c = C[COACH_SOFIE]
    f = {k: v for k, v in form_fields(c.get("/t/%d/plan/edit" % TID).body).items() if k != "_csrf"}
    assert f["g1a1_status"] == "done", "the edit form starts from the owner's status"
    f["g1a2_owner"] = "coach"
    f["reason"] = "The coach checks the medication with the GP"
    assert_status(c.post("/t/%d/plan" % TID, f), 303, "version 2")
    vid = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 2", (TID,))
    gp = C[PARTNER_GP]
    r = gp.get("/t/%d/plan" % TID)
    assert 'action="/t/%d/plan/%d/confirm"' % (TID, vid) not in r.body
    assert_status(gp.post("/t/%d/plan/%d/confirm" % (TID, vid), {}), 404, "GP owns nothing in version 2")
    assert one("SELECT COUNT(*) FROM plan_member_confirmations WHERE version_item_id = ?", (vid,)) == 0


def test_a_new_version_keeps_the_owners_status():
    now = current_actions()
    new_aid = now["Arrange a quiet workplace"]
    assert new_aid != A["Arrange a quiet workplace"], "version 2 has its own action rows"
    assert one("SELECT status FROM plan_actions WHERE id = ?", (new_aid,)) == "done"
    old_update = one("SELECT last_update_id FROM plan_actions WHERE id = ?", (A["Arrange a quiet workplace"],))
    assert one("SELECT last_update_id FROM plan_actions WHERE id = ?", (new_aid,)) == old_update
    r = C[COACH_SOFIE].get("/t/%d/plan" % TID)
    assert "Marked by Tom Claes on" in strip_tags(r.body)
    # the action of version 1 can no longer be marked
    hr = C[PARTNER_HR]
    hr.get("/t/%d/plan" % TID)
    r = mark(hr, A["Arrange a quiet workplace"], "in_progress")
    assert_status(r, 409, "an action of an earlier version")
    assert "earlier version" in r.body
    assert_status(mark(hr, new_aid, "in_progress"), 303, "the current one can")


def test_owners_without_consent_see_and_mark_nothing():
    # the work side's consent for the plan withdrawn: Tom no longer sees the plan, nor marks his action
    srv.sql("UPDATE consents SET withdrawn_at = 1, withdrawn_by = ? WHERE trajectory_id = ? AND grantee_side = 'work' "
            "AND category = 'plan' AND source_member_id IS NULL", (uid(PART_AN), TID))
    hr = C[PARTNER_HR]
    r = hr.get("/t/%d/plan" % TID)
    assert "Arrange a quiet workplace" not in r.body and "/plan/actions/" not in r.body
    assert "#my-actions" not in hr.get("/shared").body
    aid = current_actions()["Arrange a quiet workplace"]
    assert_status(mark(hr, aid, "done"), 404, "HR without the participant's consent")
    assert one("SELECT status FROM plan_actions WHERE id = ?", (aid,)) == "in_progress"


run(srv, globals())
