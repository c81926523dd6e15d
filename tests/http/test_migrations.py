"""Upgrading a database written before migration 010: a trajectory with two plan versions stored the way the
earlier releases stored them (actions without trajectory or current marker). The binary applies 010 when
it opens the database: every action names its trajectory, exactly the actions of each trajectory's
latest version are current, and nothing already saved is lost (same rows, same texts)."""
import glob
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import zw_bin

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MIGRATIONS = sorted(glob.glob(os.path.join(ROOT, "src", "db", "migrations", "sqlite", "*.sql")))


def old_database(path):
    """Migrations 001-009 as the earlier binaries applied them, and two trajectories' plans."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at BIGINT NOT NULL)")
    for f in MIGRATIONS:
        name = os.path.basename(f)
        if int(name[:3]) >= 10:
            break
        con.executescript(open(f, encoding="utf-8").read())
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, 0)", (int(name[:3]), name))
    # the trajectories and their plans; participants and users do not matter to 010 (foreign keys are off
    # on this connection, the binary checks only what 010 writes)
    for tid, versions in ((7, 2), (8, 1)):
        con.execute("INSERT INTO trajectories (id, participant_id, phase, referred_by, reason, start_consent, "
                    "started_on, phase_since, last_activity_at, created_at) VALUES (?, ?, 'action_plan', 'gp', "
                    "'r', 'verbal', '2026-01-01', '2026-01-01', 0, 0)", (tid, tid))
        for v in range(1, versions + 1):
            item = tid * 100 + v
            con.execute("INSERT INTO plan_versions (item_id, trajectory_id, version, created_by, created_at) "
                        "VALUES (?, ?, ?, 1, 0)", (item, tid, v))
            for g in (1, 2):
                gid = item * 10 + g
                con.execute("INSERT INTO plan_goals (id, version_item_id, position, title, specific, measurable, "
                            "achievable, relevant, time_bound) VALUES (?, ?, ?, 't', 's', 'm', 'a', 'r', "
                            "'2027-01-01')", (gid, item, g))
                for a, status in enumerate(("planned", "done"), 1):
                    con.execute("INSERT INTO plan_actions (goal_id, position, text, owner_kind, due_on, status) "
                                "VALUES (?, ?, ?, 'coach', '2026-12-01', ?)",
                                (gid, a, "T%d v%d g%d a%d" % (tid, v, g, a), status))
    before = con.execute("SELECT id, goal_id, text, status FROM plan_actions ORDER BY id").fetchall()
    con.close()
    return before


def test_010_marks_the_current_version():
    d = tempfile.mkdtemp(prefix="zw-migr-")
    db = os.path.join(d, "old.db")
    before = old_database(db)
    out = subprocess.run([zw_bin(), "--db", db, "user", "list"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM schema_migrations WHERE version = 10").fetchone()[0] == 1
    after = con.execute("SELECT id, goal_id, text, status FROM plan_actions ORDER BY id").fetchall()
    assert after == before  # nothing lost or changed
    rows = con.execute("SELECT text, trajectory_id, is_current FROM plan_actions").fetchall()
    for text, tid, current in rows:
        want_tid = int(text.split()[0][1:])
        latest = {7: "v2", 8: "v1"}[want_tid]
        assert tid == want_tid, (text, tid)
        assert current == (1 if text.split()[1] == latest else 0), (text, current)
    # the dashboard's index holds the open actions of the current versions only
    n = con.execute("SELECT COUNT(*) FROM plan_actions INDEXED BY plan_actions_current_due "
                    "WHERE is_current = 1 AND status IN ('planned', 'in_progress') AND trajectory_id > 0").fetchone()[0]
    assert n == 4, n  # trajectory 7 version 2 and trajectory 8 version 1: 2 goals x 1 open action each
    con.close()


if __name__ == "__main__":
    failed = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            try:
                fn()
                print("ok", name)
            except Exception as e:  # noqa: BLE001 - report and go on
                failed += 1
                print("FAIL", name, repr(e))
    sys.exit(1 if failed else 0)
