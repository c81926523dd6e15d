"""Proposals (issue 13, part 4): the mediator proposes a participant for an opening; the participant sees it
first on /me/work with exactly what the employer will see and answers with one tap. Yes makes the employer's
contact person a work-side network member and gives consents for 'work' and 'capacity' (never health); only
then do the employer's users see the proposal, with only what is consented, and invite or decline. Another
employer's user gets 404 (logged against the participant); withdrawing the consents hides the proposal at once;
no means the employer never sees it. Bad input: 400/409, nothing changed."""
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_HR, Client, Server, access_log_mark,
                     access_log_since, assert_status, participant_trajectory, run, sql_one)

NADIA = "nadia.verhoeven@hetanker.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
O = {}


def client(email):
    if email not in C:
        C[email] = Client(srv)
        C[email].login(email)
    return C[email]


def opening(title, org):
    return srv.sql("INSERT INTO openings (employer_org_id, title, kind, work_kind, hours_min, hours_max, region, "
                   "support, created_at) VALUES (?, ?, 'job', 'care', 16, 32, 'Mechelen', 1, ?) RETURNING id",
                   (org, title, int(time.time())))[0][0]


def propose(oid, note=""):
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/matches" % O["tid"])
    return coach.post("/t/%d/proposals" % O["tid"], {"opening_id": str(oid), "note": note})


def test_setup():
    O["tid"], O["pid"] = participant_trajectory(srv, PART_AN)
    O["anker"] = sql_one(srv, "SELECT org_id FROM users WHERE email = ?", (NADIA,))
    O["verbeke"] = sql_one(srv, "SELECT org_id FROM users WHERE email = ?", (PARTNER_HR,))
    assert O["anker"] and O["verbeke"] and O["anker"] != O["verbeke"]
    O["op"] = opening("PRP-OPENING zorgkundige", O["anker"])
    O["op2"] = opening("PRP-OPENING2 onthaal", O["anker"])
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/job-profile" % O["tid"])
    assert_status(coach.post("/t/%d/job-profile" % O["tid"], {
        "version": "0", "kind1": "care", "hours_goal": "24", "regions": "Mechelen",
        "coach_work": "PRP-WORK-coach", "coach_capacity": "PRP-CAP-coach"}), 303)


def test_bad_input():
    r = propose(999999)
    assert_status(r, 400)
    assert "Choose an opening that exists." in r.body
    r = propose("x1")
    assert_status(r, 400)
    filled = opening("PRP-FILLED", O["anker"])
    srv.sql("UPDATE openings SET status = 'filled' WHERE id = ?", (filled,))
    r = propose(filled)
    assert_status(r, 400)
    assert "This opening is no longer open." in r.body
    assert sql_one(srv, "SELECT COUNT(*) FROM proposals WHERE trajectory_id = ?", (O["tid"],)) == 0
    # only the coach proposes
    an = client(PART_AN)
    an.get("/me/work")
    assert_status(an.post("/t/%d/proposals" % O["tid"], {"opening_id": str(O["op"])}), 404)
    assert sql_one(srv, "SELECT COUNT(*) FROM proposals WHERE trajectory_id = ?", (O["tid"],)) == 0


def test_propose_then_participant_sees_first():
    assert_status(propose(O["op"], "PRP-NOTE: a calm ward with a buddy"), 303)
    assert_status(propose(O["op"]), 409)  # once per opening
    O["prop"] = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (O["op"],))
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (O["prop"],)) == "awaiting_participant"
    # the employer sees nothing yet
    r = client(NADIA).get("/my-employer/proposals")
    assert_status(r, 200)
    assert "PRP-" not in r.body and "Janssens" not in r.body
    assert_status(client(NADIA).get("/my-employer/proposals/%d" % O["prop"]), 404)
    # the participant: the proposal, the message, exactly what the employer will see, two buttons
    b = client(PART_AN).get("/me/work").body
    assert "PRP-OPENING zorgkundige" in b and "PRP-NOTE: a calm ward" in b
    assert "See exactly what the employer sees" in b and "PRP-WORK-coach" in b and "PRP-CAP-coach" in b
    assert 'value="yes"' in b and 'value="no"' in b
    # An shares her plan with the whole work side (demo): the employer's contact person does not join it
    # (reached only by name: tests/http/test_prospect.py), so the preview is all the employer sees
    assert "everyone on the work side" not in b


def test_others_cannot_answer():
    mark = access_log_mark(srv)
    for who in (PART_KARIM, COACH_SOFIE, NADIA):
        c = client(who)
        c.get("/login")
        assert_status(c.post("/me/proposals/%d" % O["prop"], {"answer": "yes"}), 404 if who == PART_KARIM else 403)
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (O["prop"],)) == "awaiting_participant"
    denied = access_log_since(srv, mark, item="proposal:%d" % O["prop"], outcome="denied")
    assert denied and denied[0]["participant_id"] == O["pid"], denied
    an = client(PART_AN)
    an.get("/me/work")
    assert_status(an.post("/me/proposals/%d" % O["prop"], {"answer": "maybe"}), 400)


def test_yes_gives_consents_and_employer_sees():
    an = client(PART_AN)
    an.get("/me/work")
    assert_status(an.post("/me/proposals/%d" % O["prop"], {"answer": "yes"}), 303)
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (O["prop"],)) == "sent"
    nadia_id = sql_one(srv, "SELECT id FROM users WHERE email = ?", (NADIA,))
    mid, side = srv.sql("SELECT id, side FROM network_members WHERE trajectory_id = ? AND user_id = ? "
                        "AND removed_at IS NULL", (O["tid"], nadia_id))[0]
    assert side == "work"
    cats = sorted(r[0] for r in srv.sql("SELECT category FROM consents WHERE grantee_member_id = ? AND "
                                        "withdrawn_at IS NULL", (mid,)))
    assert cats == ["capacity", "work"], cats  # never health
    assert_status(an.post("/me/proposals/%d" % O["prop"], {"answer": "no"}), 409)  # answered already
    mark = access_log_mark(srv)
    nadia = client(NADIA)
    b = nadia.get("/my-employer/proposals").body
    assert "An Janssens for PRP-OPENING zorgkundige" in b
    r = nadia.get("/my-employer/proposals/%d" % O["prop"])
    assert_status(r, 200)
    assert "PRP-NOTE" in r.body and "PRP-WORK-coach" in r.body and "PRP-CAP-coach" in r.body
    seen = access_log_since(srv, mark, participant_id=O["pid"], outcome="ok")
    assert any(e["grounds"] == "consent" for e in seen), seen
    # Tom works for another employer: 404, logged on An's file
    mark = access_log_mark(srv)
    r = client(PARTNER_HR).get("/my-employer/proposals/%d" % O["prop"])
    assert_status(r, 404)
    assert "PRP-NOTE" not in r.body
    assert access_log_since(srv, mark, participant_id=O["pid"], outcome="denied")
    assert "PRP-" not in client(PARTNER_HR).get("/my-employer/proposals").body


def test_employer_answers():
    nadia = client(NADIA)
    nadia.get("/my-employer/proposals/%d" % O["prop"])
    r = nadia.post("/my-employer/proposals/%d" % O["prop"], {"decision": "later", "reply": "PRP-REPLY"})
    assert_status(r, 400)
    assert "PRP-REPLY" in r.body
    nadia.get("/my-employer/proposals/%d" % O["prop"])
    r = nadia.post("/my-employer/proposals/%d" % O["prop"], {"decision": "accept",
                                                             "reply": "PRP-REPLY: Tuesday at ten"})
    assert_status(r, 303)
    assert srv.sql("SELECT status, employer_reply FROM proposals WHERE id = ?", (O["prop"],))[0] == \
        ("accepted", "PRP-REPLY: Tuesday at ten")
    nadia_id = sql_one(srv, "SELECT id FROM users WHERE email = ?", (NADIA,))
    assert sql_one(srv, "SELECT COUNT(*) FROM access_log WHERE user_id = ? AND item = ? AND action = 'update' "
                        "AND outcome = 'ok' AND participant_id = ?", (nadia_id, "proposal:%d" % O["prop"], O["pid"])) == 1
    assert "PRP-REPLY: Tuesday at ten" in client(COACH_SOFIE).get("/t/%d/proposals" % O["tid"]).body


def test_withdrawing_the_consent_hides_it_at_once():
    an = client(PART_AN)
    nadia = client(NADIA)
    nadia_id = sql_one(srv, "SELECT id FROM users WHERE email = ?", (NADIA,))
    cids = srv.sql("SELECT k.id, k.category FROM consents k JOIN network_members m ON m.id = k.grantee_member_id "
                   "WHERE m.user_id = ? AND k.withdrawn_at IS NULL ORDER BY k.category DESC", (nadia_id,))
    for n, (cid, cat) in enumerate(cids):
        an.get("/me/consents")
        r = an.post("/t/%d/consents/%d/withdraw" % (O["tid"], cid), {"next": "/me/consents"})
        assert r.status in (303, 200), r.status
        r = nadia.get("/my-employer/proposals/%d" % O["prop"])
        if n == 0:  # work withdrawn, capacity still given: the work part is gone
            assert_status(r, 200)
            assert "PRP-WORK-coach" not in r.body and "PRP-CAP-coach" in r.body
    assert_status(r, 404)
    assert "PRP-" not in r.body
    assert "PRP-OPENING zorgkundige" not in nadia.get("/my-employer/proposals").body


def test_no_means_never_sent_and_coach_withdraws():
    assert_status(propose(O["op2"], "PRP-NOTE2"), 303)
    p2 = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (O["op2"],))
    an = client(PART_AN)
    an.get("/me/work")
    assert_status(an.post("/me/proposals/%d" % p2, {"answer": "no"}), 303)
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (p2,)) == "declined_by_participant"
    assert_status(client(NADIA).get("/my-employer/proposals/%d" % p2), 404)
    # a new proposal for it may be made again, and withdrawn by the coach; another coach cannot
    assert_status(propose(O["op2"]), 303)
    p3 = sql_one(srv, "SELECT MAX(id) FROM proposals WHERE opening_id = ?", (O["op2"],))
    pieter = client(COACH_PIETER)
    pieter.get("/login")
    assert_status(pieter.post("/t/%d/proposals/%d/withdraw" % (O["tid"], p3)), 404)
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/proposals" % O["tid"])
    assert_status(coach.post("/t/%d/proposals/%d/withdraw" % (O["tid"], p3)), 303)
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (p3,)) == "withdrawn"
    assert_status(coach.post("/t/%d/proposals/%d/withdraw" % (O["tid"], p3)), 409)
    assert_status(coach.post("/t/2/proposals/%d/withdraw" % p3), 404)  # through another trajectory's address


def test_draft_is_not_logged_as_seen_by_the_participant():
    """A mediator's draft is shown to the coaches only: the participant's pages do not show it, and so do not log it
    as seen by her (her own access log and data download would name it)."""
    op3 = opening("PRP-OPENING3 draft", O["anker"])
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/matches" % O["tid"])
    assert_status(coach.post("/t/%d/proposals" % O["tid"], {"opening_id": str(op3), "draft": "1"}), 303)
    draft = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (op3,))
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (draft,)) == "draft"
    an = client(PART_AN)
    an_id = sql_one(srv, "SELECT id FROM users WHERE email = ?", (PART_AN,))
    mark = access_log_mark(srv)
    for path in ("/me/work", "/t/%d/proposals" % O["tid"]):
        r = an.get(path)
        assert_status(r, 200)
        assert "PRP-OPENING3" not in r.body
    seen = access_log_since(srv, mark, user_id=an_id, item="proposal:%d" % draft)
    assert not seen, seen
    assert access_log_since(srv, mark, user_id=an_id), "her pages are logged"
    srv.sql("UPDATE proposals SET status = 'withdrawn' WHERE id = ?", (draft,))


def test_property_employer_sees_only_under_consent():
    """Every status x every kind of consent state: the employer's user sees the proposal (list and page) if and only
    if it went to the employer (sent, accepted, declined_by_employer) and a live consent of the participant for work
    or capacity reaches them (to their membership) — never through health (the legal guardrail, even for a consent
    written past the interface), plan, an expired or a future consent, one to the care side, or one to the whole
    work side (the employer's contact is a member reached only by name)."""
    nadia = client(NADIA)
    nadia_id = sql_one(srv, "SELECT id FROM users WHERE email = ?", (NADIA,))
    mid = sql_one(srv, "SELECT id FROM network_members WHERE trajectory_id = ? AND user_id = ? AND removed_at IS NULL",
                  (O["tid"], nadia_id))
    today = datetime.datetime.now(datetime.timezone.utc).date()  # the server's today (UTC, as date_today)
    day = lambda delta: (today + datetime.timedelta(days=delta)).isoformat()
    configs = {  # name -> ([(category, member or side, given_on delta days, valid_until delta or None)], expected)
        "none": ([], False), "work": ([("work", "member", -1, None)], True),
        "capacity": ([("capacity", "member", 0, None)], True), "health": ([("health", "member", -1, None)], False),
        "plan": ([("plan", "member", -1, None)], False), "expired": ([("work", "member", -9, -1)], False),
        "future": ([("capacity", "member", 1, None)], False), "side-work": ([("capacity", "work", -1, None)], False),
        "side-care": ([("work", "care", -1, None)], False),
        "both": ([("work", "member", -1, 5), ("capacity", "member", -1, None)], True),
    }
    made = []
    checked = 0
    for status in ("draft", "awaiting_participant", "declined_by_participant", "sent", "accepted",
                   "declined_by_employer", "withdrawn"):
        for name, (consents, live) in configs.items():
            for cid in made:
                srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE id = ?", (cid,))
            made.clear()
            srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE grantee_member_id = ? AND withdrawn_at IS NULL", (mid,))
            srv.sql("UPDATE proposals SET status = ? WHERE id = ?", (status, O["prop"]))
            for cat, to, given, until in consents:
                made.append(srv.sql(
                    "INSERT INTO consents (trajectory_id, grantee_member_id, grantee_side, category, given_on, method, "
                    "recorded_by, valid_until, created_at) VALUES (?, ?, ?, ?, ?, 'conversation', 1, ?, 0) RETURNING id",
                    (O["tid"], mid if to == "member" else None, None if to == "member" else to, cat, day(given),
                     None if until is None else day(until)))[0][0])
            want = live and status in ("sent", "accepted", "declined_by_employer")
            r = nadia.get("/my-employer/proposals/%d" % O["prop"])
            assert r.status == (200 if want else 404), (status, name, r.status)
            assert ("PRP-NOTE" in r.body) == want, (status, name)
            listed = "PRP-OPENING zorgkundige" in nadia.get("/my-employer/proposals").body
            assert listed == want, (status, name, listed)
            checked += 1
    for cid in made:
        srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE id = ?", (cid,))
    assert checked == 70


def test_demo_proposal_waits_for_karim():
    """The demo: Karim's coach proposed him to Thuiszorg Het Anker; he sees it first, with two buttons."""
    b = client(PART_KARIM).get("/me/work").body
    assert "Thuiszorg Het Anker" in b and 'value="yes"' in b and "See exactly what the employer sees" in b
    assert "Ik zou graag in de thuiszorg werken" in b  # his own words, shown as the employer would see them
    assert "Karim" not in client(NADIA).get("/my-employer/proposals").body  # not before he agrees


run(srv, globals())
