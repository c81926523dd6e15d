"""Matching (issue 13, part 4): /t/{id}/matches ranks the open openings by the participant's wishes — the
opening that meets more of them first, the participant's first choice of work above their second — with the
reasons shown for each (which wishes it meets and which not); filled, withdrawn and ended openings are not
offered. Only an assigned coach matches: the participant herself, a network member and another coach get 404.
/openings/{id}/candidates names a participant only to their own coach (logged against that participant) and
shows the others as a count, "Fewer than 5" below five."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_HR, Server, access_log_mark, access_log_since,
                     assert_status, participant_trajectory, run, signed_in, sql_one)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
O = {}


def client(email):
    return signed_in(srv, C, email, lang=None)


def opening(title, work_kind, region, hmin, hmax, support=0, tasks="", status="open", ends_on=None, org=None):
    org = org or O["org"]
    return srv.sql("INSERT INTO openings (employer_org_id, title, kind, work_kind, tasks, hours_min, hours_max, region, "
                   "support, status, ends_on, created_at) VALUES (?, ?, 'job', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                   (org, title, work_kind, tasks, hmin, hmax, region, support, status, ends_on, int(time.time())))[0][0]


def test_setup():
    O["tid"], O["pid"] = participant_trajectory(srv, PART_AN)
    O["org"] = sql_one(srv, "SELECT id FROM organisations WHERE kind = 'employer' ORDER BY id LIMIT 1")
    srv.sql("UPDATE openings SET status = 'withdrawn'")  # only this test's openings are open
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/job-profile" % O["tid"])
    r = coach.post("/t/%d/job-profile" % O["tid"], {
        "version": "0", "kind1": "ict", "kind2": "administration", "hours_now": "16", "hours_goal": "24",
        "regions": "Gent", "avoid": "night shifts", "support_1": "1", "support_4": "1"})
    assert_status(r, 303)
    # the same kind, hours, region and support as the best one, made first (a lower id), but with a task to avoid:
    # its best possible score ties the best one's, its real score is lower
    O["trap"] = opening("MTC-TRAP helpdesk nights", "ict", "Gent", 16, 32, support=1 | 4, tasks="Night Shifts")
    O["best"] = opening("MTC-BEST helpdesk", "ict", "Gent", 16, 32, support=1 | 4, tasks="answering tickets")
    O["second"] = opening("MTC-SECOND office clerk", "administration", "Gent", 16, 32, support=1 | 4)
    O["partial"] = opening("MTC-PARTIAL ict far", "ict", "Brugge", 30, 38, tasks="night shifts on call")
    O["none"] = opening("MTC-NONE warehouse", "logistics", "Antwerpen", 36, 38, tasks="Night shifts")
    opening("MTC-FILLED", "ict", "Gent", 16, 32, status="filled")
    opening("MTC-WITHDRAWN", "ict", "Gent", 16, 32, status="withdrawn")
    opening("MTC-ENDED", "ict", "Gent", 16, 32, ends_on="2000-01-01")


def test_ranked_with_reasons():
    mark = access_log_mark(srv)
    r = client(COACH_SOFIE).get("/t/%d/matches" % O["tid"])
    assert_status(r, 200)
    b = r.body
    pos = [b.find(t) for t in ("MTC-BEST", "MTC-SECOND", "MTC-TRAP", "MTC-PARTIAL", "MTC-NONE")]
    assert all(p > 0 for p in pos) and pos == sorted(pos), pos
    for t in ("MTC-FILLED", "MTC-WITHDRAWN", "MTC-ENDED"):
        assert t not in b, t
    assert "5 open openings, the best fitting first." in b
    best = b[pos[0]:pos[1]]
    assert "Kind of work: ICT, choice 1 of the participant" in best
    assert "In a region the participant can travel to: Gent" in best
    assert "Offers the support needed: Gradual start" in best
    assert "Does not mention a task to avoid: night shifts" in best
    assert "Meets 7 of 7 wishes" in best
    second = b[pos[1]:pos[2]]
    assert "choice 2 of the participant" in second
    partial = b[pos[3]:pos[4]]
    assert "Mentions a task to avoid: night shifts" in partial       # case-insensitive
    assert "Asks at least 30 hours a week; the participant works 16 now" in partial
    assert "Not in a region the participant can travel to: Brugge" in partial
    assert "Does not offer the support needed: A buddy" in partial or "Does not offer the support needed" in partial
    # only the first one: the trap's text is read and it drops out
    b1 = client(COACH_SOFIE).get("/t/%d/matches?n=1" % O["tid"]).body
    assert "MTC-BEST" in b1 and "MTC-TRAP" not in b1 and "MTC-SECOND" not in b1
    b2 = client(COACH_SOFIE).get("/t/%d/matches?n=2" % O["tid"]).body
    assert "MTC-SECOND" in b2 and "MTC-TRAP" not in b2
    logged = access_log_since(srv, mark, participant_id=O["pid"], item="matches", outcome="ok")
    assert logged, "the matching reads the profile: logged against the participant"


def test_only_the_coach_matches():
    for who in (PART_AN, PARTNER_HR, COACH_PIETER):
        r = client(who).get("/t/%d/matches" % O["tid"])
        assert_status(r, 404)
        assert "MTC-BEST" not in r.body


def add_participant(n, coach_email):
    now = int(time.time())
    coach = sql_one(srv, "SELECT id FROM users WHERE email = ?", (coach_email,))
    pid = srv.sql("INSERT INTO participants (first_name, last_name, birth_date, created_at) VALUES (?, ?, "
                  "'1980-01-01', ?) RETURNING id", ("Cand%d" % n, "MTC-NAME-%d" % n, now))[0][0]
    tid = srv.sql("INSERT INTO trajectories (participant_id, phase, referred_by, reason, start_consent, started_on, "
                  "phase_since, last_activity_at, created_at) VALUES (?, 'exploration', 'x', 'x', 'x', '2026-01-01', "
                  "'2026-01-01', ?, ?) RETURNING id", (pid, now, now))[0][0]
    srv.sql("INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)", (tid, coach))
    items = [srv.sql("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) VALUES "
                     "(?, 'job_profile', ?, ?, 't', '', ?) RETURNING id", (tid, c, coach, now))[0][0]
             for c in ("work", "capacity")]
    srv.sql("INSERT INTO job_profiles (trajectory_id, work_item_id, capacity_item_id, kinds, hours_goal, regions, "
            "created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, 'ict', 24, 'Gent', ?, ?, ?, ?)",
            (tid, items[0], items[1], coach, now, coach, now))
    return tid


def test_candidates_names_only_to_own_coach():
    url = "/openings/%d/candidates" % O["best"]
    mark = access_log_mark(srv)
    b = client(COACH_SOFIE).get(url).body
    assert "An" in b and "Janssens" in b
    assert "Fewer than 5." in b  # nobody else has a profile yet
    named = access_log_since(srv, mark, participant_id=O["pid"], outcome="ok")
    assert named and named[0]["item"] == "candidates:opening:%d" % O["best"], named
    # Pieter is not An's coach: a count, never her name, nothing logged on her file
    mark = access_log_mark(srv)
    b = client(COACH_PIETER).get(url).body
    assert "Janssens" not in b
    assert "Fewer than 5." in b
    assert not access_log_since(srv, mark, participant_id=O["pid"])
    # four more participants of Pieter's that fit: Sofie sees "4"? no: fewer than 5; a fifth makes 5
    tids = [add_participant(i, COACH_PIETER) for i in range(4)]
    b = client(COACH_SOFIE).get(url).body
    assert "Fewer than 5." in b and "MTC-NAME" not in b
    tids.append(add_participant(4, COACH_PIETER))
    b = client(COACH_SOFIE).get(url).body
    assert "5 participants" in b and "MTC-NAME" not in b
    b = client(COACH_PIETER).get(url).body
    for i in range(5):
        assert "MTC-NAME-%d" % i in b
    # an opening that fits nobody
    b = client(COACH_SOFIE).get("/openings/%d/candidates" % O["none"]).body
    assert "None of your participants fits this opening." in b and "Fewer than 5." in b


def test_candidates_not_for_others():
    url = "/openings/%d/candidates" % O["best"]
    for who in (PART_AN, PARTNER_HR):
        r = client(who).get(url)
        assert_status(r, 403, "%s opens the candidates of an opening" % who)
        assert "MTC-NAME" not in r.body and "MTC-BEST" not in r.body, who
    assert_status(client(COACH_SOFIE).get("/openings/999999/candidates"), 404)


run(srv, globals())
