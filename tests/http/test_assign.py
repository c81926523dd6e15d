"""The team lead assigns and hands over trajectories (issue 10, flow 2), seeing trajectory numbers, phases
and coaches but no names (each trajectory shown is in its participant's access log): a trajectory without
a coach is assigned, a second coach added (both open it), a trajectory handed over with a note (the old
coach gets 404, the new one 200 and reads the note), and a stand-in set for a coach's absence (the stand-in
opens the absent coach's trajectories and has them in the caseload during the period only — before, after
and once ended early: 404). Every choice of coach shows the caseload against the maximum. Each change is
in the access log of every participant it concerns and on the trajectory's notes. A coach cannot use the
team lead's pages (403). The duplicate-registration message names the trajectory the team lead is asked
to assign."""
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, LEAD, Client, Server, assert_status, run, strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
lead, sofie, pieter = Client(srv), Client(srv), Client(srv)


def one(query, params=()):
    return srv.sql(query, params)[0][0]


def uid(email):
    return one("SELECT id FROM users WHERE email = ?", (email,))


def day(delta=0):
    """A UTC day relative to today, as the server counts days."""
    d = datetime.datetime.fromtimestamp(time.time(), datetime.timezone.utc).date()
    return (d + datetime.timedelta(days=delta)).isoformat()


def trajectory(last):
    """(trajectory id, participant id) of the demo participant with this last name."""
    return tuple(srv.sql("SELECT t.id, p.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                         "WHERE p.last_name = ?", (last,))[0])


def last_log():
    return one("SELECT COALESCE(MAX(id), 0) FROM access_log")


def logged(since, who, item_like):
    """(participant, trajectory, action, grounds) of ok entries by who after since whose item is LIKE item_like."""
    return srv.sql("SELECT participant_id, trajectory_id, action, grounds FROM access_log WHERE id > ? AND user_id = ? "
                   "AND item LIKE ? AND outcome = 'ok' ORDER BY id", (since, who, item_like))


def coaches_of(tid):
    return sorted(r[0] for r in srv.sql("SELECT user_id FROM trajectory_coaches WHERE trajectory_id = ?", (tid,)))


def open_load(coach):
    return one("SELECT COUNT(*) FROM trajectory_coaches c JOIN trajectories t ON t.id = c.trajectory_id "
               "WHERE c.user_id = ? AND t.status = 'open'", (coach,))


SOFIE, PIETER, LEAD_ID = uid(COACH_SOFIE), uid(COACH_PIETER), uid(LEAD)
BENALI, BENALI_P = trajectory("Benali")    # Pieter's; its coach "leaves" below
DESMET, DESMET_P = trajectory("Desmet")    # Sofie's; handed over to Pieter
OUALI, OUALI_P = trajectory("Ouali")       # Sofie's; Pieter stands in for her


def lead_post(path, data):
    lead.get("/team")  # a page of the session for the CSRF token
    return lead.post(path, data)


def test_sign_in():
    for c, who in ((lead, LEAD), (sofie, COACH_SOFIE), (pieter, COACH_PIETER)):
        r = c.login(who)
        assert_status(r, 200, who)


def test_a_coach_cannot_use_the_team_leads_pages():
    before = (coaches_of(DESMET), one("SELECT COUNT(*) FROM items"))
    for path in ("/team/assign", "/team/assign/%d" % DESMET, "/team/standins"):
        assert_status(sofie.get(path), 403, "coach GET " + path)
    sofie.refresh_csrf()
    for path, data in (("/team/assign/%d/coaches" % DESMET, {"coach": SOFIE}),
                       ("/team/assign/%d/handover" % DESMET, {"from_coach": SOFIE, "to_coach": PIETER, "note": "x"}),
                       ("/team/standins", {"absent": PIETER, "stand_in": SOFIE, "from_on": day(), "until_on": day(1)})):
        assert_status(sofie.post(path, data), 403, "coach POST " + path)
    assert (coaches_of(DESMET), one("SELECT COUNT(*) FROM items")) == before, "a coach's POST changed something"


def test_the_list_shows_numbers_not_names_and_logs_each_participant():
    srv.sql("DELETE FROM trajectory_coaches WHERE trajectory_id = ?", (BENALI,))  # its coach left
    assert_status(sofie.get("/t/%d" % BENALI), 404, "Sofie before the assignment")
    since = last_log()
    r = lead.get("/team/assign?coach=none")
    assert_status(r, 200, "the list of trajectories without a coach")
    assert 'href="/team/assign/%d"' % BENALI in r.body
    assert "Benali" not in r.body and "Youssef" not in r.body, "the list names the participant"
    assert 'href="/team/assign/%d"' % DESMET not in r.body, "a trajectory with a coach in the 'without' list"
    assert logged(since, LEAD_ID, "trajectory:assignment") == [(BENALI_P, BENALI, "list", "teamlead")]
    # a trajectory number typed in opens its page
    r = lead.get("/team/assign?t=%d" % BENALI)
    assert_status(r, 303, "open by number")
    assert r.location == "/team/assign/%d" % BENALI
    assert_status(lead.get("/team/assign?t=abc"), 400, "not a number")
    # all open trajectories, each participant logged once
    since = last_log()
    r = lead.get("/team/assign")
    assert_status(r, 200)
    n_open = one("SELECT COUNT(*) FROM trajectories WHERE status = 'open'")
    got = logged(since, LEAD_ID, "trajectory:assignment")
    assert len(got) == n_open and len({g[0] for g in got}) == n_open, got


def test_assign_a_trajectory_without_a_coach():
    since = last_log()
    r = lead.get("/team/assign/%d" % BENALI)
    assert_status(r, 200, "the assignment page")
    assert "Benali" not in r.body and "Youssef" not in r.body, "the team lead's page names the participant"
    assert logged(since, LEAD_ID, "trajectory:assignment") == [(BENALI_P, BENALI, "view", "teamlead")]
    # the choice shows each coach's caseload against the maximum
    want = "Sofie Peeters (%d / 20)" % open_load(SOFIE)
    assert re.search(r'<option value="%d">%s</option>' % (SOFIE, re.escape(want)), r.body), \
        "no option %r in %s" % (want, re.findall(r"<option[^>]*>[^<]*</option>", r.body))
    assert "Pieter de Vries (%d / 20)" % open_load(PIETER) in r.body
    # a coach that is no coach is refused
    since = last_log()
    r = lead_post("/team/assign/%d/coaches" % BENALI, {"coach": LEAD_ID})
    assert_status(r, 400, "the team lead (no coach role) as coach")
    assert coaches_of(BENALI) == []
    r = lead_post("/team/assign/%d/coaches" % BENALI, {"coach": SOFIE})
    assert_status(r, 303, "assign Sofie")
    assert coaches_of(BENALI) == [SOFIE]
    assert_status(sofie.get("/t/%d" % BENALI), 200, "Sofie after the assignment")
    assert "Benali" in sofie.get("/caseload").body, "the trajectory is in Sofie's caseload"
    changes = logged(since, LEAD_ID, "trajectory:coaches")
    assert changes == [(BENALI_P, BENALI, "create", "teamlead")], changes
    assert [g[2] for g in logged(since, LEAD_ID, "note:%")] == ["create"], "the timeline note is not logged"
    notes = sofie.get("/t/%d/notes" % BENALI)
    assert "Coach assigned: Sofie Peeters" in notes.body, "the assignment is not on the trajectory's notes"


def test_a_second_coach_sees_it_too():
    since = last_log()
    r = lead_post("/team/assign/%d/coaches" % BENALI, {"coach": PIETER})
    assert_status(r, 303, "add Pieter as second coach")
    assert coaches_of(BENALI) == sorted([SOFIE, PIETER])
    for c, who in ((sofie, "Sofie"), (pieter, "Pieter")):
        assert_status(c.get("/t/%d" % BENALI), 200, who)
        assert "Benali" in c.get("/caseload").body, "%s's caseload" % who
    assert logged(since, LEAD_ID, "trajectory:coaches") == [(BENALI_P, BENALI, "create", "teamlead")]
    assert "Second coach: Pieter de Vries" in pieter.get("/t/%d/notes" % BENALI).body
    # the same coach twice is refused and changes nothing
    r = lead_post("/team/assign/%d/coaches" % BENALI, {"coach": PIETER})
    assert_status(r, 409, "Pieter again")
    assert "already assigned" in strip_tags(r.body)
    assert coaches_of(BENALI) == sorted([SOFIE, PIETER])


def test_hand_over_with_a_note():
    assert_status(pieter.get("/t/%d" % DESMET), 404, "Pieter before the hand-over")
    # without a note: refused, nothing changes
    r = lead_post("/team/assign/%d/handover" % DESMET, {"from_coach": SOFIE, "to_coach": PIETER, "note": ""})
    assert_status(r, 400, "hand-over without a note")
    assert coaches_of(DESMET) == [SOFIE]
    since = last_log()
    note = "Overdracht-7f3a: next talk with the employer on Tuesday; Johan prefers phone calls."
    r = lead_post("/team/assign/%d/handover" % DESMET, {"from_coach": SOFIE, "to_coach": PIETER, "note": note})
    assert_status(r, 303, "hand over")
    assert coaches_of(DESMET) == [PIETER]
    assert_status(sofie.get("/t/%d" % DESMET), 404, "the old coach after the hand-over")
    assert "Desmet" not in sofie.get("/caseload").body, "still in the old coach's caseload"
    assert_status(pieter.get("/t/%d" % DESMET), 200, "the new coach")
    assert "Desmet" in pieter.get("/caseload").body, "not in the new coach's caseload"
    body = pieter.get("/t/%d/notes" % DESMET).body
    assert "Overdracht-7f3a" in body, "the new coach does not see the hand-over note"
    assert "Hand-over from Sofie Peeters to Pieter de Vries" in body
    assert logged(since, LEAD_ID, "trajectory:coaches") == [(DESMET_P, DESMET, "update", "teamlead")]
    notes = logged(since, LEAD_ID, "note:%")
    assert [(n[0], n[2]) for n in notes] == [(DESMET_P, "create")], notes
    # the team lead's page does not show the note back, and the team lead still cannot open the file
    r = lead.get("/team/assign/%d" % DESMET)
    assert_status(r, 200)
    assert "Overdracht-7f3a" not in r.body
    assert_status(lead.get("/t/%d" % DESMET), (403, 404), "the team lead opens the trajectory")


def standin(frm, until):
    return lead_post("/team/standins", {"absent": SOFIE, "stand_in": PIETER, "from_on": frm, "until_on": until})


def pieter_sees_ouali():
    st = pieter.get("/t/%d" % OUALI).status
    caseload = "Ouali" in pieter.get("/caseload").body
    assert (st == 200) == caseload, "door %d but caseload %s" % (st, caseload)
    return st == 200


def test_standin_only_during_the_period():
    assert not pieter_sees_ouali(), "Pieter sees Sofie's trajectory before any stand-in"
    benali_links = pieter.get("/caseload").body.count('href="/t/%d"' % BENALI)
    assert benali_links >= 1, "Benali (Pieter's as second coach) is not in his caseload"
    r = lead.get("/team/standins")
    assert_status(r, 200)
    assert "Pieter de Vries (%d / 20)" % open_load(PIETER) in r.body, "the stand-in choice without the caseload"
    # a period that has ended, and one that ends before it starts, are refused
    assert_status(standin(day(-5), day(-1)), 400, "a period in the past")
    assert_status(standin(day(3), day(1)), 400, "until before from")
    assert one("SELECT COUNT(*) FROM coach_standins") == 0
    # later: not yet
    since = last_log()
    assert_status(standin(day(2), day(5)), 303, "a stand-in from the day after tomorrow")
    assert not pieter_sees_ouali(), "the stand-in sees the trajectory before the period"
    # every participant of the absent coach has the change in their log
    reach = {r[0] for r in srv.sql("SELECT t.participant_id FROM trajectory_coaches c JOIN trajectories t "
                                   "ON t.id = c.trajectory_id WHERE c.user_id = ?", (SOFIE,))}
    got = logged(since, LEAD_ID, "standin:%")
    assert {g[0] for g in got if g[0]} == reach and all(g[2] == "create" and g[3] == "teamlead" for g in got), got
    # now: from yesterday until tomorrow
    since = last_log()
    assert_status(standin(day(-1), day(1)), 303, "a stand-in from yesterday")
    sid = one("SELECT MAX(id) FROM coach_standins")
    assert pieter_sees_ouali(), "the stand-in does not see the absent coach's trajectory during the period"
    # Benali is Pieter's own and Sofie's: once in his caseload, not twice
    assert pieter.get("/caseload").body.count('href="/t/%d"' % BENALI) == benali_links, "a trajectory doubled"
    assert "Stand-in for Sofie Peeters: Pieter de Vries" in pieter.get("/t/%d/notes" % OUALI).body
    assert (OUALI_P, OUALI, "create", "teamlead") in logged(since, LEAD_ID, "standin:%d" % sid)
    # the stand-in's own reads are logged with coach grounds
    since = last_log()
    pieter.get("/t/%d" % OUALI)
    assert logged(since, PIETER, "trajectory") == [(OUALI_P, OUALI, "view", "coach")]
    # after: the period moved into the past (as if the days had gone by)
    srv.sql("UPDATE coach_standins SET from_on = ?, until_on = ? WHERE id = ?", (day(-6), day(-1), sid))
    assert not pieter_sees_ouali(), "the stand-in still sees the trajectory after the period"
    srv.sql("UPDATE coach_standins SET from_on = ?, until_on = ? WHERE id = ?", (day(-1), day(1), sid))
    assert pieter_sees_ouali()
    # ended early by the team lead
    r = lead.get("/team/standins")
    assert 'action="/team/standins/%d/cancel"' % sid in r.body
    since = last_log()
    assert_status(lead.post("/team/standins/%d/cancel" % sid, {}), 303, "end the stand-in")
    assert not pieter_sees_ouali(), "the stand-in still sees the trajectory after it was ended"
    assert (OUALI_P, OUALI, "delete", "teamlead") in logged(since, LEAD_ID, "standin:%d" % sid)
    assert_status(lead.post("/team/standins/%d/cancel" % sid, {}), 404, "ended twice")
    # Sofie herself is unaffected throughout
    assert_status(sofie.get("/t/%d" % OUALI), 200)


def test_duplicate_registration_names_the_trajectory():
    sofie.get("/participants/new")
    r = sofie.post("/participants/new", {
        "first_name": "Johan", "last_name": "Desmet", "birth_date": "1968-05-17", "referred_by": "GP",
        "reason": "Back pain", "start_consent": "Agreed on the phone.", "consent_given": "yes",
        "employer_other": "Test"})
    assert_status(r, 409, "a duplicate registration")
    text = strip_tags(r.body)
    assert "Ask your team lead to assign trajectory %d to you" % DESMET in text, text[:600]


run(srv, globals())
