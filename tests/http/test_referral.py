"""Referrals and the team overview: a coach refers to specialised care and to career guidance, moves each
through its status loop (an impossible step is 409, a final step without outcome is 400 with the typed
text kept), and the one door governs who sees them: the GP (care member with a health consent) sees the
specialised-care referral, HR (work side, no health ever) does not, another coach gets 404. The team lead
sees counts per coach and no participant names."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, LEAD, PARTNER_GP, PARTNER_HR, PART_AN, Client, Server, assert_status,
                     run)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
coach = Client(srv)
coach.login(COACH_SOFIE)


def refer(kind, target, reason):
    coach.get("/t/1/referrals")
    return coach.post("/t/1/referrals", {"kind": kind, "target": target, "reason": reason})


def ref_id(target):
    rows = srv.sql("SELECT item_id FROM referrals WHERE target = ?", (target,))
    return rows[0][0]


def test_validation_keeps_input():
    r = refer("specialised_care", "", "Needs trauma therapy beyond first-line support")
    assert_status(r, 400)
    assert "Name the organisation or service." in r.body
    assert "Needs trauma therapy beyond first-line support" in r.body
    r = refer("elsewhere", "CGG Vliet", "x")
    assert_status(r, 400)
    assert srv.sql("SELECT COUNT(*) FROM referrals")[0][0] == 0


def test_create_and_status_loop():
    r = refer("specialised_care", "CGG De Vliet - traumazorg", "REF-MARK-health: EMDR needed")
    assert_status(r, 303)
    r = refer("career_guidance", "VDAB loopbaanbegeleiding", "REF-MARK-work: unclear which job fits")
    assert_status(r, 303)
    rid = ref_id("CGG De Vliet - traumazorg")
    page = coach.get("/t/1/referrals").body
    assert "REF-MARK-health" in page and "REF-MARK-work" in page
    # proposed -> completed is not a step of the loop
    coach.get("/t/1/referrals")
    assert_status(coach.post("/t/1/referrals/%d" % rid, {"status": "completed", "note": "done"}), 409)
    for status in ("sent", "accepted"):
        coach.get("/t/1/referrals")
        assert_status(coach.post("/t/1/referrals/%d" % rid, {"status": status}), 303)
    coach.get("/t/1/referrals")
    r = coach.post("/t/1/referrals/%d" % rid, {"status": "completed", "note": ""})
    assert_status(r, 400)
    assert "Write down the outcome" in r.body
    coach.get("/t/1/referrals")
    assert_status(coach.post("/t/1/referrals/%d" % rid, {"status": "completed", "note": "Therapy finished"}), 303)
    row = srv.sql("SELECT status, outcome FROM referrals WHERE item_id = ?", (rid,))[0]
    assert row == ("completed", "Therapy finished"), row
    # a referral of trajectory 1 cannot be moved through trajectory 2's address
    assert_status(coach.post("/t/2/referrals/%d" % rid, {"status": "declined", "note": "x"}), 404)
    logged = srv.sql("SELECT outcome, trajectory_id, COUNT(*) FROM access_log WHERE item = ? AND action = 'update' "
                     "GROUP BY outcome, trajectory_id ORDER BY outcome", ("referral:%d" % rid,))
    # three changes, and the refused one on the referral's own trajectory (issue 9), not trajectory 2
    assert logged == [("denied", 1, 1), ("ok", 1, 3)], logged


def test_one_door_decides():
    gp, hr, other, an = Client(srv), Client(srv), Client(srv), Client(srv)
    gp.login(PARTNER_GP)
    hr.login(PARTNER_HR)
    other.login(COACH_PIETER)
    an.login(PART_AN)
    body = gp.get("/t/1/referrals").body          # care member with a health consent from An
    assert "REF-MARK-health" in body and "REF-MARK-work" not in body
    body = hr.get("/t/1/referrals").body          # work side: no health, no work consent for referrals
    assert "REF-MARK-health" not in body
    assert "REF-MARK-work" not in body
    assert_status(other.get("/t/1/referrals"), 404)
    body = an.get("/t/1/referrals").body          # her own information
    assert "REF-MARK-health" in body and "REF-MARK-work" in body
    assert "New status" not in body               # only the coach moves referrals
    an.get("/t/1/referrals")
    assert_status(an.post("/t/1/referrals", {"kind": "career_guidance", "target": "x", "reason": "y"}), 404)


def test_team_overview_counts_only():
    lead = Client(srv)
    lead.login(LEAD)
    r = lead.get("/team")
    assert_status(r, 200)
    assert "Sofie Peeters" in r.body and "Pieter de Vries" in r.body
    for name in ("Janssens", "El Amrani", "Bakker"):
        assert name not in r.body, name
    open_sofie = srv.sql("SELECT COUNT(*) FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                         "JOIN users u ON u.id = c.user_id WHERE u.email = ? AND t.status = 'open'", (COACH_SOFIE,))[0][0]
    row = re.search(r"<th scope=\"row\">Sofie Peeters</th>(.*?)</tr>", r.body, re.S).group(1)
    cells = re.findall(r"<td>(\d+)", row)
    assert int(cells[8]) == open_sofie, (cells, open_sofie)
    # the coaches' day as counts: Sofie has the open career-guidance referral from above
    day = re.search(r"day, as counts.*?<th scope=\"row\">Sofie Peeters</th>(.*?)</tr>", r.body, re.S).group(1)
    counts = [int(x) for x in re.findall(r"<td>(\d+)</td>", day)]
    open_refs = srv.sql("SELECT COUNT(*) FROM referrals WHERE status IN ('proposed', 'sent', 'accepted')")[0][0]
    assert counts[3] == open_refs, (counts, open_refs)
    assert_status(coach.get("/team"), 403)


run(srv, globals())
