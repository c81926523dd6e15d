"""One way to move a phase: the protocol's (POST /t/{id}/protocol/phase, /close, /reopen), with its rules —
one step at a time, open required steps or a reason, closure only through the closure form with an
outcome. The trajectory page's own phase route (POST /t/{id}/phase) moved a trajectory straight to any
phase, even to closure with status open and no outcome; it is gone (its form too: the trajectory page
links to the protocol page), so such a jump leaves the trajectory as it was."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, PART_AN, Client, Server, assert_status, run, zw_bin

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
coach = Client(srv)
coach.login(COACH_SOFIE)


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))


def state():
    return srv.sql("SELECT phase, status, outcome, closed_on, phase_since FROM trajectories WHERE id = ?", (TID,))[0]


def closures():
    return one("SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ? AND phase = 'closure'", (TID,))


def test_jump_to_closure_is_refused():
    before, n = state(), closures()
    assert before[0] == "action_plan" and before[1] == "open", before
    coach.get("/t/%d" % TID)
    for phase in ("closure", "aftercare", "registration"):
        r = coach.post("/t/%d/phase" % TID, {"phase": phase})
        assert_status(r, (404, 405), "POST /t/%d/phase to %s" % (TID, phase))
        assert state() == before, "the phase changed: %s" % (state(),)
    assert closures() == n


def test_the_protocol_path_keeps_its_rules():
    before = state()
    coach.get("/t/%d/protocol" % TID)
    r = coach.post("/t/%d/protocol/phase" % TID, {"phase": "closure", "move_reason": "Klaar."})
    assert_status(r, 400, "closure through the move form")
    r = coach.post("/t/%d/protocol/phase" % TID, {"phase": "aftercare", "move_reason": "Sneller."})
    assert_status(r, 400, "two phases at once")
    assert state() == before


def test_no_other_route_moves_a_phase():
    routes = subprocess.run([zw_bin(), "--db", srv.db, "routes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, check=True).stdout
    assert "/t/{id}/protocol/phase" in routes, routes
    assert not re.search(r"POST\s+/t/\{id\}/phase\b", routes), routes


def test_trajectory_page_links_to_the_protocol():
    r = coach.get("/t/%d" % TID)
    assert_status(r, 200)
    assert 'action="/t/%d/phase"' % TID not in r.body, "the trajectory page still has its own phase form"
    assert 'href="/t/%d/protocol">Move the phase on the protocol page</a>' % TID in r.body


run(srv, globals())
