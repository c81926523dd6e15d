"""A refused request for one object of a trajectory — /t/{id}/<kind>/{oid}: a note, a plan version and its
confirmation, an assessment, a follow-up marked done, a referral's status, a protocol step — is logged
against the participant the object belongs to, whatever trajectory the URL names, and against nobody when
the object does not exist. Before, coach Sofie asking /t/<Karim>/notes/<a note of An> put a "denied"
entry on Karim's file (and his "who looked at my file" said she tried to open something of his) while An,
whose note it was, saw nothing. Each case here: the answer is the not-found page, nothing changes, the
entry names the object's own participant and trajectory, and the participant the URL named gets no entry."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PART_MARIEKE, Client, Server, access_log_mark,
                     assert_refused_on_owner, assert_status, participant_trajectory, run, sql_one, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
sofie = Client(srv)
sofie.login(COACH_SOFIE)
pieter = Client(srv)
pieter.login(COACH_PIETER)


AN_T, AN_P = participant_trajectory(srv, PART_AN)          # Sofie's
KARIM_T, KARIM_P = participant_trajectory(srv, PART_KARIM)  # Sofie's
MARIEKE_T, MARIEKE_P = participant_trajectory(srv, PART_MARIEKE)  # Pieter's
SOFIE = user_id(srv, COACH_SOFIE)
PIETER = user_id(srv, COACH_PIETER)
NOTE = sql_one(srv, "SELECT MIN(id) FROM items WHERE trajectory_id = ? AND kind = 'note'", (AN_T,))
MISSING = 999999


def entries_since(since, user):
    return srv.sql("SELECT participant_id, trajectory_id, item, action, outcome FROM access_log "
                   "WHERE id > ? AND user_id = ? ORDER BY id", (since, user))


def refused(client, user, method, path, data=None, item=None, owner=(AN_P, AN_T), named=KARIM_P):
    """Sends the request; checks the 404 and that the one denied entry names owner (participant, trajectory)
    — (None, None) for an object that does not exist — and that nothing lands on the participant named."""
    return assert_refused_on_owner(srv, client, user, method, path, owner, named, data=data, item=item)


def test_note_of_another_trajectory():
    path = "/t/%d/notes/%d" % (KARIM_T, NOTE)
    r = refused(sofie, SOFIE, "GET", path, item="note:%d" % NOTE)
    assert "Intakegesprek" not in r.body
    # through a trajectory the coach may not open at all: still on the note's own file
    refused(sofie, SOFIE, "GET", "/t/%d/notes/%d" % (MARIEKE_T, NOTE), named=MARIEKE_P)
    # Pieter, coach of Marieke, asking An's note under Marieke's trajectory: An's file, not Marieke's
    refused(pieter, PIETER, "GET", "/t/%d/notes/%d" % (MARIEKE_T, NOTE), named=MARIEKE_P)
    # a note that does not exist: against nobody
    refused(sofie, SOFIE, "GET", "/t/%d/notes/%d" % (KARIM_T, MISSING), owner=(None, None))
    # the page of the note on its own trajectory is still shown and logged there
    since = access_log_mark(srv)
    assert_status(sofie.get("/t/%d/notes/%d" % (AN_T, NOTE)), 200)
    assert (AN_P, AN_T, "note:%d" % NOTE, "view", "ok") in entries_since(since, SOFIE)


def test_karim_is_not_told_of_refusals_that_were_not_about_him():
    karim = Client(srv)
    karim.login(PART_KARIM)
    r = karim.get("/me/log")
    assert_status(r, 200)
    assert "tried to open, was refused" not in r.body, "Karim's log shows a refusal about An's note"
    an = Client(srv)
    an.login(PART_AN)
    r = an.get("/me/log?others=1")
    assert_status(r, 200)
    assert "tried to open, was refused" in r.body and "Sofie Peeters" in r.body


def test_plan_version_and_confirmation():
    # the demo plan is on Koen Pauwels' trajectory, one of Sofie's
    vid, koen_t = srv.sql("SELECT item_id, trajectory_id FROM plan_versions ORDER BY item_id LIMIT 1")[0]
    koen_p = sql_one(srv, "SELECT participant_id FROM trajectories WHERE id = ?", (koen_t,))
    assert koen_t not in (AN_T, KARIM_T)
    refused(sofie, SOFIE, "GET", "/t/%d/plan/%d" % (KARIM_T, vid), item="plan:%d" % vid, owner=(koen_p, koen_t))
    refused(sofie, SOFIE, "POST", "/t/%d/plan/%d/confirm" % (KARIM_T, vid), item="plan:%d" % vid,
            owner=(koen_p, koen_t))
    assert sql_one(srv, "SELECT confirmed_by_coach_at IS NULL FROM plan_versions WHERE item_id = ?", (vid,)) == 1
    refused(pieter, PIETER, "GET", "/t/%d/plan/%d" % (MARIEKE_T, vid), owner=(koen_p, koen_t), named=MARIEKE_P)
    refused(sofie, SOFIE, "GET", "/t/%d/plan/%d" % (KARIM_T, MISSING), owner=(None, None))


def test_assessment():
    sofie.get("/t/%d/assessments/new?q=work-ability" % AN_T)
    r = sofie.post("/t/%d/assessments" % AN_T, {"q": "work-ability", "a_was": "5"})
    assert_status(r, 303, "coach enters a work ability score")
    aid = int(re.match(r"^/t/%d/assessments/(\d+)" % AN_T, r.location).group(1))
    refused(sofie, SOFIE, "GET", "/t/%d/assessments/%d" % (KARIM_T, aid), item="assessment:%d" % aid)
    refused(pieter, PIETER, "GET", "/t/%d/assessments/%d" % (MARIEKE_T, aid), named=MARIEKE_P)
    refused(sofie, SOFIE, "GET", "/t/%d/assessments/%d" % (KARIM_T, MISSING), owner=(None, None))


def test_followup_done():
    sofie.get("/t/%d/followups" % AN_T)
    r = sofie.post("/t/%d/followups" % AN_T, {"kind": "review", "due_on": "2030-01-15", "note": ""})
    assert_status(r, 303, "follow-up planned")
    fid = sql_one(srv, "SELECT MAX(item_id) FROM followups WHERE trajectory_id = ?", (AN_T,))
    refused(sofie, SOFIE, "POST", "/t/%d/followups/%d/done" % (KARIM_T, fid), item="followup:%d" % fid)
    refused(pieter, PIETER, "POST", "/t/%d/followups/%d/done" % (MARIEKE_T, fid), named=MARIEKE_P)
    refused(sofie, SOFIE, "POST", "/t/%d/followups/%d/done" % (KARIM_T, MISSING), owner=(None, None))
    assert sql_one(srv, "SELECT done_on FROM followups WHERE item_id = ?", (fid,)) is None
    # on its own trajectory it is marked done, and a second click is no refusal
    sofie.get("/t/%d/followups" % AN_T)
    assert_status(sofie.post("/t/%d/followups/%d/done" % (AN_T, fid), {}), 303)
    since = access_log_mark(srv)
    sofie.get("/t/%d/followups" % AN_T)
    assert_status(sofie.post("/t/%d/followups/%d/done" % (AN_T, fid), {}), 404)
    assert not [e for e in entries_since(since, SOFIE) if e[4] == "denied"]


def test_referral_status():
    sofie.get("/t/%d/referrals" % AN_T)
    r = sofie.post("/t/%d/referrals" % AN_T, {"kind": "career_guidance", "target": "Loopbaancentrum Noord",
                                              "reason": "Wil zicht op andere functies."})
    assert_status(r, 303, "referral made")
    rid = sql_one(srv, "SELECT MAX(item_id) FROM referrals WHERE trajectory_id = ?", (AN_T,))
    status = sql_one(srv, "SELECT status FROM referrals WHERE item_id = ?", (rid,))
    refused(sofie, SOFIE, "POST", "/t/%d/referrals/%d" % (KARIM_T, rid), {"status": "sent", "note": ""},
            item="referral:%d" % rid)
    refused(pieter, PIETER, "POST", "/t/%d/referrals/%d" % (MARIEKE_T, rid), {"status": "sent", "note": ""},
            named=MARIEKE_P)
    refused(sofie, SOFIE, "POST", "/t/%d/referrals/%d" % (KARIM_T, MISSING), {"status": "sent", "note": ""},
            owner=(None, None))
    assert sql_one(srv, "SELECT status FROM referrals WHERE item_id = ?", (rid,)) == status


def test_protocol_step():
    sofie.get("/t/%d/protocol" % AN_T)  # the protocol of An's trajectory is started
    sid, status = srv.sql("SELECT id, status FROM trajectory_steps WHERE trajectory_id = ? ORDER BY id LIMIT 1",
                          (AN_T,))[0]
    sofie.get("/t/%d/protocol" % KARIM_T)
    refused(sofie, SOFIE, "POST", "/t/%d/protocol/steps/%d" % (KARIM_T, sid), {"action": "done"})
    refused(pieter, PIETER, "POST", "/t/%d/protocol/steps/%d" % (MARIEKE_T, sid), {"action": "done"},
            named=MARIEKE_P)
    refused(sofie, SOFIE, "POST", "/t/%d/protocol/steps/%d" % (KARIM_T, MISSING), {"action": "done"},
            owner=(None, None))
    assert sql_one(srv, "SELECT status FROM trajectory_steps WHERE id = ?", (sid,)) == status


run(srv, globals())
