#!/usr/bin/env python3
"""The caseload's next thing due, kept on each trajectory's row (next_action, next_followup: migration 034)
instead of two look-ups per row of the list: after every step of a random run through the web — plan versions
saved by the coach, actions started or done by the participant, follow-up moments planned and marked done,
check-ins planned and recorded, the trajectory closed and reopened —, after migration 034 applied to the rows
of such a run and after the retention job erased the trajectory, both columns of every trajectory equal what
the plan actions and follow-ups themselves give (recomputed here), and the coach's caseload shows the action
that is due first. The seed is printed; set ZW_NEXT_SEED to replay a run."""
import datetime
import os
import random
import re

from harness import COACH_SOFIE, PART_AN, Server, assert_status, run, signed_in, sql_one

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "checkin_months": "3,6,12"})
C = {}
TID = 1
SEED = int(os.environ.get("ZW_NEXT_SEED", random.randrange(1 << 30)))
STEPS = 40
TODAY = datetime.date.today()
DONE = {}  # step kind -> how many succeeded

# What the columns must hold: the open action of the current plan version due first (open trajectories only)
# and the follow-up moment not done yet due first (a closed trajectory: only its check-ins); ties to the lower id.
TRUTH = ("SELECT t.id, (SELECT a.due_on || ' ' || a.text FROM plan_actions a WHERE a.trajectory_id = t.id "
         "AND a.is_current = 1 AND a.status IN ('planned', 'in_progress') AND t.status = 'open' "
         "ORDER BY a.due_on, a.id LIMIT 1), (SELECT f.due_on || ' ' || f.kind FROM followups f "
         "WHERE f.trajectory_id = t.id AND f.done_on IS NULL AND (t.status = 'open' OR f.kind = 'checkin') "
         "ORDER BY f.due_on, f.item_id LIMIT 1) FROM trajectories t ORDER BY t.id")


def day(n):
    return (TODAY + datetime.timedelta(days=n)).isoformat()


def coach():
    return signed_in(srv, C, COACH_SOFIE)


def is_open():
    return sql_one(srv, "SELECT status FROM trajectories WHERE id = ?", (TID,)) == "open"


def assert_exact(what):
    have = srv.sql("SELECT id, next_action, next_followup FROM trajectories ORDER BY id")
    want = srv.sql(TRUTH)
    assert have == want, "after %s (seed %d) the columns are off:\n  have %r\n  want %r" % (
        what, SEED, [h for h, w in zip(have, want) if h != w], [w for h, w in zip(have, want) if h != w])
    # the page reads the columns: it names the action when it is due first (not after the next follow-up)
    act, fup = want[TID - 1][1], want[TID - 1][2]
    expect = {act[11:]} if act and (not fup or act[:10] <= fup[:10]) else set()
    shown = set(re.findall(r"NXT-\d+-\d+", coach().get("/caseload?status=all").body))
    assert shown == expect, "after %s (seed %d) the caseload names %r, not %r" % (what, SEED, shown, expect)


def ok(kind, resp, want=303):
    assert_status(resp, want, kind)
    DONE[kind] = DONE.get(kind, 0) + 1
    return True


def save_plan(rng, step):
    """A new version of 1-2 goals of 1-3 actions each, the participant owning them, due around today."""
    if not is_open():
        return False
    base = sql_one(srv, "SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    f = {"base_version": str(base), "reason": "Run step %d" % step}
    for g in range(1, rng.randint(1, 2) + 1):
        f.update({"g%d_title" % g: "Goal %d" % g, "g%d_specific" % g: "Work 4 hours a day",
                  "g%d_measurable" % g: "Hours a week", "g%d_achievable" % g: "Agreed with HR",
                  "g%d_relevant" % g: "Back to work", "g%d_time_bound" % g: day(120)})
        for a in range(1, rng.randint(1, 3) + 1):
            f.update({"g%da%d_text" % (g, a): "NXT-%d-%d%d" % (step, g, a), "g%da%d_owner" % (g, a): "participant",
                      "g%da%d_due" % (g, a): day(rng.randint(-20, 60)),
                      "g%da%d_status" % (g, a): "planned" if g == a == 1 else  # one left to start
                      rng.choice(("planned", "planned", "in_progress", "done")),
                      "g%da%d_measure" % (g, a): ""})
    coach().get("/t/%d/plan/edit" % TID)
    return ok("plan", coach().post("/t/%d/plan" % TID, f))


def mark_action(rng, step):
    """The participant starts or finishes one of the open actions of the current plan."""
    rows = srv.sql("SELECT id, status FROM plan_actions WHERE trajectory_id = ? AND is_current = 1 AND "
                   "status IN ('planned', 'in_progress') ORDER BY id", (TID,))
    if not rows or not is_open():
        return False
    aid, status = rng.choice(rows)
    an = signed_in(srv, C, PART_AN)
    an.get("/t/%d/plan" % TID)
    new = "done" if status == "in_progress" or rng.random() < 0.5 else "in_progress"
    return ok("action", an.post("/t/%d/plan/actions/%d" % (TID, aid), {"a%d_status" % aid: new,
                                                                      "a%d_remark" % aid: ""}))


def add_followup(rng, step):
    if not is_open():
        return False
    coach().get("/t/%d/followups" % TID)
    return ok("followup", coach().post("/t/%d/followups" % TID, {
        "kind": rng.choice(("review", "evaluation")), "due_on": day(rng.randint(1, 90)), "note": "step %d" % step}))


def followup_done(rng, step):
    rows = srv.sql("SELECT item_id FROM followups WHERE trajectory_id = ? AND done_on IS NULL AND kind <> 'checkin' "
                   "ORDER BY item_id", (TID,))
    if not rows or not is_open():
        return False
    coach().get("/t/%d/followups" % TID)
    return ok("done", coach().post("/t/%d/followups/%d/done" % (TID, rng.choice(rows)[0]), {}))


def plan_checkins(rng, step):
    coach().get("/t/%d/followups" % TID)
    return ok("checkins", coach().post("/t/%d/followups/checkins" % TID, {"return_on": day(-rng.randint(0, 200))}))


def record_checkin(rng, step):
    rows = srv.sql("SELECT item_id FROM followups WHERE trajectory_id = ? AND done_on IS NULL AND kind = 'checkin' "
                   "ORDER BY due_on, item_id", (TID,))
    if not rows:
        return False
    fid = rows[0][0]
    coach().get("/t/%d/followups/%d/checkin" % (TID, fid))
    return ok("checkin", coach().post("/t/%d/followups/%d/checkin" % (TID, fid), {
        "held_on": TODAY.isoformat(), "work_status": "same_job", "hours": "20", "remark": ""}))


def close(rng, step):
    if not is_open():
        return False
    coach().get("/t/%d/protocol" % TID)
    return ok("close", coach().post("/t/%d/close" % TID, {
        "outcome": "returned_own_job", "closed_on": TODAY.isoformat(), "hours": "19.5", "note": "step %d" % step}))


def reopen(rng, step):
    if is_open():
        return False
    coach().get("/t/%d/protocol" % TID)
    return ok("reopen", coach().post("/t/%d/reopen" % TID, {"reopen_reason": "Back after step %d" % step}))


STEP_KINDS = (save_plan, save_plan, mark_action, mark_action, mark_action, add_followup, add_followup, followup_done,
              plan_checkins, record_checkin, record_checkin, close, reopen)


def test_setup():
    print("seed %d" % SEED)
    assert_exact("the migration (demo data)")


def test_every_kind_once():
    """Each kind of step at least once, in an order where each has something to work on."""
    rng = random.Random(SEED)
    for i, step in enumerate((save_plan, mark_action, add_followup, followup_done, plan_checkins, close,
                              record_checkin, reopen, save_plan)):
        assert step(rng, i), "%s had nothing to do (seed %d)" % (step.__name__, SEED)
        assert_exact("%s (step %d)" % (step.__name__, i))


def test_random_run():
    """STEPS steps that had something to do (a closed trajectory takes only check-ins and the reopening)."""
    rng = random.Random(SEED + 1)
    done = 0
    for i in range(100, 100 + 20 * STEPS):
        step = rng.choice(STEP_KINDS)
        if step(rng, i):
            assert_exact("%s (step %d)" % (step.__name__, i))
            done += 1
            if done == STEPS:
                break
    assert done == STEPS, (done, DONE)


def test_migration_fills_existing_rows():
    """A database written before migration 034 (its columns and its record removed from this run's): the
    binary applies it when it opens the database and fills both columns of every existing trajectory."""
    srv.stop()
    srv.sql("ALTER TABLE trajectories DROP COLUMN next_action")
    srv.sql("ALTER TABLE trajectories DROP COLUMN next_followup")
    srv.sql("DELETE FROM schema_migrations WHERE version = 34")
    srv.start()
    assert sql_one(srv, "SELECT COUNT(*) FROM schema_migrations WHERE version = 34") == 1
    assert sql_one(srv, "SELECT COUNT(*) FROM trajectories WHERE next_action IS NOT NULL") > 0
    assert_exact("migration 034 on existing rows")


def test_retention_erasure():
    """The retention job erases a closed trajectory's texts: the caseload's copy goes with them."""
    if is_open():
        assert close(random.Random(SEED), 999)
    p = srv.cli("retention", "run", "--as-of", "2099-01-01")
    assert p.returncode == 0, p.stderr
    assert sql_one(srv, "SELECT COUNT(*) FROM trajectory_erasures WHERE trajectory_id = ?", (TID,)) == 1
    assert sql_one(srv, "SELECT COUNT(*) FROM plan_actions WHERE trajectory_id = ? AND text <> ''", (TID,)) == 0
    assert_exact("the retention job")
    assert not srv.sql("SELECT id FROM trajectories WHERE next_action LIKE '%NXT-%'"), "an erased text kept"


if __name__ == "__main__":
    run(srv, globals())
