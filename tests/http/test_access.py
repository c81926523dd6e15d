"""Who sees which trajectory: a coach only their own (another coach's trajectory, also by guessing
URLs, is the same 404 page as an id that does not exist), the administrator, team lead and partners no
case content, a participant only their own. Phase changes by the assigned coach only. Every view and
refusal is in the access log, whose chain `zorgwerk audit verify` checks (exit 3 after tampering)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, ADMIN, COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PART_KARIM, PARTNER_HR, Client, Server,
                     assert_status, run, strip_tags, without_ref)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})


def uid(email):
    return srv.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]


def trajectories_of(coach_email):
    return [r[0] for r in srv.sql("SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ? ORDER BY 1",
                                  (uid(coach_email),))]


def participant_name(tid):
    return " ".join(srv.sql("SELECT p.first_name, p.last_name FROM trajectories t JOIN participants p "
                            "ON p.id = t.participant_id WHERE t.id = ?", (tid,))[0])


def own_trajectory(email):
    return srv.sql("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                   "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (email,))[0][0]


def log_count(**where):
    sql = "SELECT COUNT(*) FROM access_log WHERE " + " AND ".join("%s = ?" % k for k in where)
    return srv.sql(sql, tuple(where.values()))[0][0]


C = {}
MAX_ID = srv.sql("SELECT MAX(id) FROM trajectories")[0][0]
NOT_FOUND = "This page does not exist, or you have no access to it."


def test_sign_in():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, ADMIN, LEAD, PARTNER_HR, PART_AN, PART_KARIM), C)


def test_coach_opens_own_trajectory():
    c = C[COACH_SOFIE]
    mine = trajectories_of(COACH_SOFIE)
    assert mine
    before = log_count(user_id=uid(COACH_SOFIE), action="view", outcome="ok", item="trajectory")
    for tid in mine:
        r = c.get("/t/%d" % tid)
        assert_status(r, 200, "own trajectory %d" % tid)
        first, last = participant_name(tid).split(" ", 1)
        assert first in r.body and last in r.body, tid
    assert log_count(user_id=uid(COACH_SOFIE), action="view", outcome="ok", item="trajectory") == before + len(mine)


def test_coach_cannot_open_another_coachs_trajectory():
    c = C[COACH_SOFIE]
    mine = set(trajectories_of(COACH_SOFIE))
    missing = c.get("/t/%d" % (MAX_ID + 1000))
    assert_status(missing, 404, "non-existent id")
    reference = without_ref(missing.body)
    denied_before = log_count(user_id=uid(COACH_SOFIE), outcome="denied")
    others = [t for t in range(1, MAX_ID + 3) if t not in mine]
    assert any(t <= MAX_ID for t in others), "the demo has trajectories of another coach"
    for tid in others:  # URL guessing: every id that is not hers, existing or not
        r = c.get("/t/%d" % tid)
        assert_status(r, 404, "another coach's trajectory %d" % tid)
        assert without_ref(r.body) == reference, "trajectory %d: differs from a missing id" % tid
        if tid <= MAX_ID:
            assert participant_name(tid).split(" ", 1)[1] not in r.body
    assert log_count(user_id=uid(COACH_SOFIE), outcome="denied") >= denied_before + len(others)


def test_coach_cannot_change_another_coachs_phase():
    c = C[COACH_SOFIE]
    theirs = trajectories_of(COACH_PIETER)[0]
    phase = srv.sql("SELECT phase FROM trajectories WHERE id = ?", (theirs,))[0][0]
    c.get("/t/%d" % trajectories_of(COACH_SOFIE)[0])
    r = c.post("/t/%d/protocol/phase" % theirs, {"phase": "closure"})
    assert_status(r, 404, "phase of another coach's trajectory")
    r2 = c.post("/t/%d/protocol/phase" % (MAX_ID + 1000), {"phase": "closure"})
    assert_status(r2, 404)
    assert without_ref(r.body) == without_ref(r2.body)
    assert srv.sql("SELECT phase FROM trajectories WHERE id = ?", (theirs,))[0][0] == phase


def test_admin_teamlead_partner_see_no_case_content():
    # a partner sees only what was consented (issue 3): trajectories with a network or consent entry for
    # anyone are left out of the partner's check here
    shared = set()
    for table in ("network_members", "consents"):
        shared |= {r[0] for r in srv.sql("SELECT DISTINCT trajectory_id FROM %s" % table)}
    assert shared, "the demo shares trajectories with partners"
    for who in (ADMIN, LEAD, PARTNER_HR):
        c = C[who]
        ids = [t for t in range(1, MAX_ID + 1) if who != PARTNER_HR or t not in shared]
        assert ids, who
        for tid in ids[:3] + ids[-1:]:
            r = c.get("/t/%d" % tid)
            assert_status(r, (403, 404), "%s opens /t/%d" % (who, tid))
            assert participant_name(tid).split(" ", 1)[1] not in r.body, (who, tid)
        r = c.get("/caseload")
        assert_status(r, 403, "%s /caseload" % who)
        r = c.get("/participants/new")
        assert_status(r, 403, "%s /participants/new" % who)
    # the administrator's user list shows accounts, not trajectories
    r = C[ADMIN].get("/admin/users")
    assert_status(r, 200)
    assert "Burn-out" not in r.body and "/t/" not in r.body


def test_participant_sees_only_own_trajectory():
    c = C[PART_AN]
    own = own_trajectory(PART_AN)
    r = c.get("/me")
    assert_status(r, 200, "/me")
    assert 'href="/t/%d"' % own in r.body
    r = c.get("/t/%d" % own)
    assert_status(r, 200, "own trajectory")
    assert "Janssens" in r.body
    assert 'action="/t/%d/phase"' % own not in r.body, "a participant gets no phase form"
    reference = without_ref(c.get("/t/%d" % (MAX_ID + 1000)).body)
    other = own_trajectory(PART_KARIM)
    r = c.get("/t/%d" % other)
    assert_status(r, 404, "another participant's trajectory")
    assert without_ref(r.body) == reference
    assert "El Amrani" not in r.body
    phase = srv.sql("SELECT phase FROM trajectories WHERE id = ?", (own,))[0][0]
    c.get("/me")
    r = c.post("/t/%d/protocol/phase" % own, {"phase": "closure"})
    assert_status(r, 404, "participant changes own phase")
    assert srv.sql("SELECT phase FROM trajectories WHERE id = ?", (own,))[0][0] == phase
    for path in ("/caseload", "/participants/new", "/admin/users"):
        assert_status(c.get(path), 403, "participant " + path)
    r = C[PARTNER_HR].get("/shared")
    assert_status(r, 200, "/shared")


def test_caseload_lists_only_own():
    c = C[COACH_SOFIE]
    r = c.get("/caseload?status=all")
    assert_status(r, 200, "caseload")
    for tid in trajectories_of(COACH_SOFIE):
        assert 'href="/t/%d"' % tid in r.body, tid
    for tid in trajectories_of(COACH_PIETER):
        assert 'href="/t/%d"' % tid not in r.body, tid
        assert participant_name(tid).split(" ", 1)[1] not in r.body
    # searching for another coach's participant finds nothing
    theirs = participant_name(trajectories_of(COACH_PIETER)[0]).split(" ", 1)[1]
    r = c.get("/caseload?status=all&q=" + theirs.replace(" ", "+"))
    assert_status(r, 200)
    assert not re.search(r'href="/t/\d+"', r.body), "search leaks another coach's participant"
    # odd filter values fall back to defaults, never an error
    for q in ("phase=nope", "sort=;drop", "page=0", "page=99999999999999", "status=x", "q=%25", "q=_",
              "q=" + "a" * 500):
        assert_status(c.get("/caseload?" + q), 200, "caseload?" + q)


def test_phase_change_by_the_coach():
    c = C[COACH_SOFIE]
    tid = trajectories_of(COACH_SOFIE)[0]
    phase = srv.sql("SELECT phase FROM trajectories WHERE id = ?", (tid,))[0][0]
    r = c.get("/t/%d" % tid)
    assert 'href="/t/%d/protocol"' % tid in r.body, "the coach gets the way to the phase form"
    r = c.get("/t/%d/protocol" % tid)  # the one place where the phase moves (issue 9, finding 11)
    m = re.search(r'name="phase" value="([a-z_]+)" class="primary"', r.body)
    assert m, "the coach gets the phase form"
    r = c.post("/t/%d/protocol/phase" % tid, {"phase": m.group(1), "move_reason": "Steps discussed in person."})
    assert_status(r, 303, "phase forward")
    assert srv.sql("SELECT phase FROM trajectories WHERE id = ?", (tid,))[0][0] == m.group(1)
    r = c.follow(r)
    assert "Saved." in r.body
    r = c.post("/t/%d/protocol/phase" % tid, {"phase": "bogus"})
    assert_status(r, 400, "unknown phase")
    r = c.post("/t/%d/protocol/phase" % tid, {"phase": phase, "move_reason": "Back one step."})
    assert_status(r, 303, "phase back")
    srv.sql("UPDATE trajectories SET status = 'closed' WHERE id = ?", (tid,))
    r = c.post("/t/%d/protocol/phase" % tid, {"phase": "closure"})
    assert_status(r, 409, "closed trajectory")
    srv.sql("UPDATE trajectories SET status = 'open' WHERE id = ?", (tid,))
    assert srv.sql("SELECT phase FROM trajectories WHERE id = ?", (tid,))[0][0] == phase


def test_audit_chain_verifies_then_breaks_when_changed():
    n = srv.sql("SELECT COUNT(*) FROM access_log")[0][0]
    assert n >= 10, n
    p = srv.cli("audit", "verify")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "intact" in p.stdout
    row = srv.sql("SELECT id FROM access_log WHERE outcome = 'denied' ORDER BY id LIMIT 1")[0][0]
    srv.sql("UPDATE access_log SET outcome = 'ok' WHERE id = ?", (row,))
    p = srv.cli("audit", "verify")
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert "BROKEN at entry %d" % row in p.stdout, p.stdout
    # a removed entry breaks it too
    srv.sql("UPDATE access_log SET outcome = 'denied' WHERE id = ?", (row,))
    assert srv.cli("audit", "verify").returncode == 0
    srv.sql("DELETE FROM access_log WHERE id = ?", (row + 1,))
    assert srv.cli("audit", "verify").returncode == 3
    srv.alive()


run(srv, globals())
