"""The coach's day (/dashboard) as the coach reads it: only the actions of the current plan version that are
still open and due by next week (an adjusted plan replaces the earlier version's actions; done and later
actions stay off), overdue ones marked with their date; the lists in date order, cut at 50 with "and N
more"; the caseload size against the maximum in words that fit the number (Dutch and English plurals),
the phases counted from the coach's own open trajectories, the trajectories without contact for the
configured weeks, open referrals; nothing from another coach's caseload. The caseload's "next action"
column: the open action of the current plan or the follow-up moment due first, marked when overdue."""
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_PIETER, COACH_SOFIE, PART_AN, Client, Server, assert_status, run, strip_tags

SETS = {"login_delay_ms": "0", "lang": "en", "no_contact_weeks": "3"}
srv = Server(sets=SETS)
coach = Client(srv)
coach.login(COACH_SOFIE)


def day(n):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + n * 86400))


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
SOFIE = one("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))


def section(body, heading_id):
    """The text of one card of the dashboard, from its heading to the end of the section."""
    m = re.search(r'<h2 id="%s">(.*?)</section>' % heading_id, body, re.S)
    assert m, "no section %s" % heading_id
    return m.group(1)


def plan_fields(actions):
    """One goal with the given actions: (text, due, status)."""
    f = {
        "g1_title": "Back to the planning desk",
        "g1_specific": "Work 4 hours a day on the planning desk",
        "g1_measurable": "Hours worked per week in the timesheet",
        "g1_achievable": "Agreed with HR and the GP",
        "g1_relevant": "First step back to her own job",
        "g1_time_bound": day(90),
    }
    for j, (text, due, status) in enumerate(actions, 1):
        f.update({"g1a%d_text" % j: text, "g1a%d_owner" % j: "participant", "g1a%d_due" % j: due,
                  "g1a%d_status" % j: status})
    return f


def save_plan(actions, base, reason=""):
    coach.get("/t/%d/plan/edit" % TID)
    data = plan_fields(actions)
    data["base_version"] = str(base)
    if reason:
        data["reason"] = reason
    return coach.post("/t/%d/plan" % TID, data)


def test_current_plan_version_only():
    assert_status(save_plan([("DASH-v1-overdue", day(-2), "planned"), ("DASH-v1-soon", day(3), "in_progress")], 0),
                  303)
    acts = section(coach.get("/dashboard").body, "acts")
    assert "DASH-v1-overdue" in acts and "DASH-v1-soon" in acts
    assert "overdue since %s" % day(-2) in acts
    assert acts.index("DASH-v1-overdue") < acts.index("DASH-v1-soon")  # earlier first

    # the adjusted plan replaces version 1: its actions leave the day, done and later ones never come
    assert_status(save_plan([("DASH-v2-soon", day(2), "planned"), ("DASH-v2-done", day(-1), "done"),
                             ("DASH-v2-later", day(30), "planned"), ("DASH-v2-dropped", day(1), "dropped")], 1,
                            reason="Adjusted after the evaluation talk"), 303)
    acts = section(coach.get("/dashboard").body, "acts")
    assert "DASH-v1" not in acts, acts
    assert "DASH-v2-soon" in acts
    for gone in ("DASH-v2-done", "DASH-v2-later", "DASH-v2-dropped"):
        assert gone not in acts, gone
    # version 1 stays readable on the plan page, only the dashboard forgets it
    v1 = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 1", (TID,))
    assert "DASH-v1-overdue" in coach.get("/t/%d/plan/%d" % (TID, v1)).body
    assert one("SELECT COUNT(*) FROM plan_actions WHERE trajectory_id = ? AND is_current = 1", (TID,)) == 4


def test_other_coach_sees_nothing_of_it():
    other = Client(srv)
    other.login(COACH_PIETER)
    body = other.get("/dashboard").body
    assert "DASH-v2-soon" not in body and "An Janssens" not in body


OTHER = one("SELECT t.id FROM trajectories t JOIN trajectory_coaches pc ON pc.trajectory_id = t.id "
            "WHERE pc.user_id = ? AND t.status = 'open' AND t.id <> ? ORDER BY t.id LIMIT 1", (SOFIE, TID))


def test_followups_in_date_order_and_cut_at_50():
    # two trajectories whose dates interleave: the list merges them
    for tid, due in ((TID, day(5)), (TID, day(-3)), (OTHER, day(4)), (TID, day(0)), (OTHER, day(-1))):
        coach.get("/t/%d/followups" % tid)
        assert_status(coach.post("/t/%d/followups" % tid, {"kind": "review", "due_on": due, "note": "x"}), 303)
    fups = section(coach.get("/dashboard").body, "fups")
    dates = [d for d in re.findall(r"\d{4}-\d{2}-\d{2}", strip_tags(fups))]
    assert dates == sorted(dates), dates
    assert "overdue since %s" % day(-3) in fups
    for _ in range(52):
        coach.get("/t/%d/followups" % TID)
        assert_status(coach.post("/t/%d/followups" % TID, {"kind": "evaluation", "due_on": day(6), "note": "y"}), 303)
    fups = section(coach.get("/dashboard").body, "fups")
    assert fups.count("<li>") == 50, fups.count("<li>")
    assert "and 7 more" in fups  # 57 due, 50 shown
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", strip_tags(fups))
    assert dates[0] == day(-3) and dates == sorted(dates)


def test_caseload_size_and_phases():
    rows = srv.sql("SELECT t.phase, COUNT(*) FROM trajectories t JOIN trajectory_coaches pc ON pc.trajectory_id = t.id "
                   "WHERE pc.user_id = ? AND t.status = 'open' GROUP BY t.phase", (SOFIE,))
    total = sum(n for _, n in rows)
    load = section(coach.get("/dashboard").body, "load")
    word = "trajectory" if total == 1 else "trajectories"
    assert "%d active %s, of at most 20" % (total, word) in load, load
    for phase, n in rows:
        assert re.search(r'href="/caseload\?phase=%s">[^<]* <span class="count">%d</span>' % (phase, n), load), phase
    # a maximum below the caseload shows the warning
    srv.restart(sets=dict(SETS, caseload_max="1"))
    coach.login(COACH_SOFIE)
    load = section(coach.get("/dashboard").body, "load")
    assert "of at most 1" in load and "above the maximum" in load
    nl = Client(srv, lang="nl")
    nl.login(COACH_SOFIE)
    load = section(nl.get("/dashboard").body, "load")
    assert "%d actieve trajecten, van maximaal 1" % total in load, load


def test_no_contact_and_referrals():
    srv.sql("UPDATE trajectories SET last_activity_at = ? WHERE id = ?", (int(time.time()) - 30 * 86400, TID))
    body = coach.get("/dashboard").body
    quiet = section(body, "quiet")
    assert "No contact for 3 weeks or more" in body
    assert "An Janssens" in quiet
    # a recent contact takes the trajectory off the list
    srv.sql("UPDATE trajectories SET last_activity_at = ? WHERE id = ?", (int(time.time()), TID))
    assert "An Janssens" not in section(coach.get("/dashboard").body, "quiet")

    coach.get("/t/%d/referrals" % TID)
    assert_status(coach.post("/t/%d/referrals" % TID, {"kind": "career_guidance", "target": "DASH-Loopbaanpunt",
                                                     "reason": "A new direction"}), 303)
    refs = section(coach.get("/dashboard").body, "refs")
    assert "DASH-Loopbaanpunt" in refs and "An Janssens" in refs
    rid = one("SELECT item_id FROM referrals WHERE target = 'DASH-Loopbaanpunt'")
    for status in ("sent", "declined"):
        coach.get("/t/%d/referrals" % TID)
        assert_status(coach.post("/t/%d/referrals/%d" % (TID, rid), {"status": status, "note": "no place"}), 303)
    assert "DASH-Loopbaanpunt" not in section(coach.get("/dashboard").body, "refs")


def caseload_row(body, name):
    """The text of the caseload's table row of the participant called name."""
    m = re.search(r"<tr><th scope=\"row\"><a href=\"/t/\d+\">%s</a>.*?</tr>" % re.escape(name), body, re.S)
    assert m, "no caseload row for %s" % name
    return m.group(0)


def test_caseload_shows_the_next_action():
    # An: the current plan's open action due first, overdue; it is earlier than her follow-up moments
    assert_status(save_plan([("DASH-next-overdue", day(-6), "in_progress"), ("DASH-next-done", day(-9), "done"),
                             ("DASH-next-later", day(8), "planned")], 2, reason="Next action"), 303)
    body = coach.get("/caseload").body
    assert '<th scope="col">Next action</th>' in body
    an = caseload_row(body, "An Janssens")
    assert "DASH-next-overdue" in an and "overdue since %s" % day(-6) in an and "badge-warn" in an, an
    assert "DASH-next-done" not in an and "DASH-next-later" not in an
    # the other trajectory: no plan, so its follow-up moment due first (a review yesterday), overdue
    other_name = " ".join(srv.sql("SELECT p.first_name, p.last_name FROM trajectories t JOIN participants p "
                                  "ON p.id = t.participant_id WHERE t.id = ?", (OTHER,))[0])
    other = caseload_row(body, other_name)
    assert "Review" in other and "overdue since %s" % day(-1) in other, other
    # once that is done, the next one is due later: shown with its date, not marked overdue
    for fid, in srv.sql("SELECT item_id FROM followups WHERE trajectory_id = ? AND due_on < ?", (OTHER, day(0))):
        coach.get("/t/%d/followups" % OTHER)
        assert_status(coach.post("/t/%d/followups/%d/done" % (OTHER, fid), {}), 303)
    other = caseload_row(coach.get("/caseload").body, other_name)
    assert "Review" in other and day(4) in other and "overdue" not in other, other
    # a trajectory with nothing planned says so
    empty = one("SELECT p.first_name || ' ' || p.last_name FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                "JOIN trajectory_coaches pc ON pc.trajectory_id = t.id WHERE pc.user_id = ? AND t.status = 'open' "
                "AND NOT EXISTS (SELECT 1 FROM plan_actions a WHERE a.trajectory_id = t.id) "
                "AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.trajectory_id = t.id) ORDER BY t.id LIMIT 1", (SOFIE,))
    assert "Nothing planned" in caseload_row(coach.get("/caseload").body, empty)
    # another coach's participants are never on it
    other_coach = Client(srv)
    other_coach.login(COACH_PIETER)
    assert "DASH-next-overdue" not in other_coach.get("/caseload").body


if __name__ == "__main__":
    run(srv, globals())
