"""A prospective employer learns only what the participant agreed to show, and the current employer does not
learn of the proposal.

When An says yes to a proposal, the contact person of the employer (Nadia of Het Anker) becomes a member of
An's network reached only by name: the consents for 'work' and 'capacity' given to her. An also shares her
plan and practical matters with everyone on the work side (the demo) — her current employer's HR (Tom) reads
them. Nadia must not: the preview An agreed to showed the job profile only. Nor may Nadia learn who is on the
work side of An's network (which would tell her An's current employer), nor Tom that Het Anker joined it
(which would tell the current employer that An is looking elsewhere). The coach and An see everyone.
"""
import os
import re
import sys
import time
from html import unescape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PARTNER_HR, Server, assert_status, participant_trajectory, run, signed_in,
                     sql_one, user_id)

NADIA = "nadia.verhoeven@hetanker.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
S = {}


def test_an_agrees_to_a_proposal():
    S["tid"], S["pid"] = participant_trajectory(srv, PART_AN)
    tid = S["tid"]
    anker = sql_one(srv, "SELECT org_id FROM users WHERE email = ?", (NADIA,))
    op = srv.sql("INSERT INTO openings (employer_org_id, title, kind, work_kind, hours_min, hours_max, region, "
                 "support, created_at) VALUES (?, 'PRS-OPENING', 'job', 'care', 16, 32, 'Mechelen', 1, ?) RETURNING id",
                 (anker, int(time.time())))[0][0]
    coach = signed_in(srv, C, COACH_SOFIE)
    coach.get("/t/%d/job-profile" % tid)
    assert_status(coach.post("/t/%d/job-profile" % tid, {
        "version": "0", "kind1": "care", "hours_goal": "24", "regions": "Mechelen",
        "coach_work": "PRS-WORK-part", "coach_capacity": "PRS-CAP-part"}), 303, "the job profile")
    # what An shares with everyone on the work side: a plan note of the coach (An's information)
    coach.get("/t/%d/notes" % tid)
    assert_status(coach.post("/t/%d/notes" % tid, {"title": "PRS-PLAN-NOTE", "category": "plan",
                                                    "body": "PRS-PLAN-BODY four mornings a week",
                                                    "source": "participant"}), 303, "a plan note")
    coach.get("/t/%d/matches" % tid)
    assert_status(coach.post("/t/%d/proposals" % tid, {"opening_id": str(op)}), 303, "the proposal")
    prop = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (op,))
    an = signed_in(srv, C, PART_AN)
    page = an.get("/me/work")
    assert "PRS-WORK-part" in page.body, "An does not see what the employer will see"
    assert "everyone on the work side" not in page.body, "An is told the employer joins the whole work side"
    assert_status(an.post("/me/proposals/%d" % prop, {"answer": "yes"}), 303, "An says yes")
    assert sql_one(srv, "SELECT COUNT(*) FROM network_members WHERE trajectory_id = ? AND user_id = ? "
                        "AND removed_at IS NULL", (tid, user_id(srv, NADIA))) == 1
    # Tom, on the work side, reads the plan note through the side-wide consent
    tom = signed_in(srv, C, PARTNER_HR)
    assert "PRS-PLAN-BODY" in tom.get("/t/%d/notes" % tid).body, "the side-wide share does not reach HR"


def test_the_prospective_employer_reads_only_what_an_agreed_to():
    nadia = signed_in(srv, C, NADIA)
    tid = S["tid"]
    notes = nadia.get("/t/%d/notes" % tid)
    assert_status(notes, 200, "Nadia opens An's notes")
    assert "PRS-PLAN" not in notes.body, "what An shares with the whole work side reaches the prospective employer"
    for path in ("/t/%d" % tid, "/t/%d/plan" % tid, "/t/%d/messages" % tid):
        r = nadia.get(path)
        assert_status(r, 200, "Nadia opens " + path)
        assert "PRS-PLAN" not in r.body, "the side-wide share reaches the prospective employer on " + path
    prof = nadia.get("/my-employer/proposals/%d" % sql_one(srv, "SELECT id FROM proposals WHERE trajectory_id = ?",
                                                              (tid,)))
    assert_status(prof, 200, "Nadia opens the proposal")
    assert "PRS-WORK-part" in prof.body and "PRS-CAP-part" in prof.body, "what An agreed to show is missing"


def test_the_work_side_and_the_prospect_do_not_learn_of_each_other():
    tid = S["tid"]
    nadia, tom = signed_in(srv, C, NADIA), signed_in(srv, C, PARTNER_HR)
    net = unescape(nadia.get("/t/%d/network" % tid).body)
    for name in ("Tom Claes", "Luc Verbeke", "Verbeke"):
        assert name not in net, "the prospective employer learns %r of An's work side" % name
    assert "Tom Claes" not in unescape(nadia.get("/t/%d/messages" % tid).body), \
        "the prospective employer may write to An's current HR"
    for path in ("/t/%d/network" % tid, "/t/%d/messages" % tid, "/t/%d/consents" % tid):
        body = unescape(tom.get(path).body)
        assert "Nadia Verhoeven" not in body and "Het Anker" not in body, \
            "the current employer learns of the proposal on %s" % path
    # the coach and An see both
    for who in (COACH_SOFIE, PART_AN):
        net = unescape(signed_in(srv, C, who).get("/t/%d/network" % tid).body)
        assert "Nadia Verhoeven" in net and "Tom Claes" in net, "%s does not see the whole network" % who
    # "everyone on the work side" on An's consent page names the people it reaches: not Nadia
    an = signed_in(srv, C, PART_AN)
    page = unescape(an.get("/t/%d/consents" % tid).body)
    now = re.search(r"Everyone on the work side \(now: ([^)]*)\)", page)
    assert now, "the consent form does not say whom 'everyone on the work side' reaches"
    assert "Tom Claes" in now.group(1) and "Nadia" not in now.group(1), \
        "a side-wide consent is said to reach the prospective employer: %s" % now.group(1)


run(srv, globals())
