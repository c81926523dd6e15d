"""Upgrading a database written before migration 010: a trajectory with two plan versions stored the way the
earlier releases stored them (actions without trajectory or current marker). The binary applies 010 when
it opens the database: every action names its trajectory, exactly the actions of each trajectory's
latest version are current, and nothing already saved is lost (same rows, same texts). A database whose
schema is newer than the binary is refused, and left as it was.

On SQLite (the default) the old database is built with Python's sqlite3 from the migration files; on
PostgreSQL (ZW_TEST_DB_URL, make test-pg) the binary itself builds it with its own translation of migrations
001-009 (the later ones are recorded as applied beforehand, so it skips them; the records are then removed)
and the rows go in through psql."""
import glob
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import db_connect, pg_sql, pg_test_database, zw_bin

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MIGRATIONS = sorted(glob.glob(os.path.join(ROOT, "src", "db", "migrations", "sqlite", "*.sql")))
PG = bool(os.environ.get("ZW_TEST_DB_URL"))


def zorgwerk(db, extra, *args):
    return subprocess.run([zw_bin(), "--db", db] + extra + list(args), capture_output=True, text=True, timeout=120)


def query(db, sql, params=()):
    """All rows of one statement on the database (sqlite3 on SQLite, psql on PostgreSQL)."""
    if PG:
        return pg_sql(db, sql, params)
    con = sqlite3.connect(db, isolation_level=None)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# the trajectories and their plans; participants and users do not matter to 010 (foreign keys are not
# checked while they go in, the binary checks only what 010 writes)
def old_rows():
    """(statement, parameters) that write the rows of the old release."""
    out = []
    for tid, versions in ((7, 2), (8, 1)):
        out.append(("INSERT INTO trajectories (id, participant_id, phase, referred_by, reason, start_consent, "
                    "started_on, phase_since, last_activity_at, created_at) VALUES (?, ?, 'action_plan', 'gp', "
                    "'r', 'verbal', '2026-01-01', '2026-01-01', 0, 0)", (tid, tid)))
        for v in range(1, versions + 1):
            item = tid * 100 + v
            out.append(("INSERT INTO plan_versions (item_id, trajectory_id, version, created_by, created_at) "
                        "VALUES (?, ?, ?, 1, 0)", (item, tid, v)))
            for g in (1, 2):
                gid = item * 10 + g
                out.append(("INSERT INTO plan_goals (id, version_item_id, position, title, specific, measurable, "
                            "achievable, relevant, time_bound) VALUES (?, ?, ?, 't', 's', 'm', 'a', 'r', "
                            "'2027-01-01')", (gid, item, g)))
                for a, status in enumerate(("planned", "done"), 1):
                    out.append(("INSERT INTO plan_actions (goal_id, position, text, owner_kind, due_on, status) "
                                "VALUES (?, ?, ?, 'coach', '2026-12-01', ?)",
                                (gid, a, "T%d v%d g%d a%d" % (tid, v, g, a), status)))
    return out


def old_database_sqlite(path):
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
    for sql, params in old_rows():  # foreign keys are off on this connection
        con.execute(sql, params)
    con.close()


def old_database_pg(url, extra):
    """The binary's own PostgreSQL schema of migrations 001-009, and two trajectories' plans."""
    later = [(int(os.path.basename(f)[:3]), os.path.basename(f)) for f in MIGRATIONS
             if int(os.path.basename(f)[:3]) >= 10]
    pg_sql(url, "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at BIGINT NOT NULL)")
    pg_sql(url, "INSERT INTO schema_migrations VALUES " + ", ".join("(?, ?, 0)" for _ in later),
           [x for v in later for x in v])
    zorgwerk(url, extra, "user", "list")  # applies 001-009 (what it does then on that schema does not matter)
    pg_sql(url, "DELETE FROM schema_migrations WHERE version >= 10")
    got = [r[0] for r in pg_sql(url, "SELECT version FROM schema_migrations ORDER BY version")]
    assert got == list(range(1, 10)), "the old database's migrations: %r" % got
    con = db_connect(url)
    try:
        con.execute("BEGIN")
        con.execute("SET LOCAL session_replication_role = replica")  # foreign keys not checked, as on SQLite
        for sql, params in old_rows():
            con.execute(sql, params)
        con.execute("COMMIT")
    finally:
        con.close()


def columns(db, table):
    if PG:
        return [r[0] for r in pg_sql(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                         "current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))]
    return [r[1] for r in query(db, "PRAGMA table_info(%s)" % table)]


def old_database():
    """A database at schema version 9 with the old plans: (its name for --db, the binary's extra options,
    the plan actions as they were)."""
    d = tempfile.mkdtemp(prefix="zw-migr-")
    if PG:
        db, extra = pg_test_database(d)
        old_database_pg(db, extra)
    else:
        db, extra = os.path.join(d, "old.db"), []
        old_database_sqlite(db)
    assert "is_current" not in columns(db, "plan_actions"), "the old database has 010's columns already"
    before = query(db, "SELECT id, goal_id, text, status FROM plan_actions ORDER BY id")
    assert len(before) == 12, before
    return db, extra, before


def test_010_marks_the_current_version():
    db, extra, before = old_database()
    out = zorgwerk(db, extra, "user", "list")
    assert out.returncode == 0, out.stderr
    assert query(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = 10")[0][0] == 1
    have = {r[0] for r in query(db, "SELECT version FROM schema_migrations")}
    want = {int(os.path.basename(f)[:3]) for f in MIGRATIONS}
    assert have == want, "migrations not applied: %r, unknown: %r" % (sorted(want - have), sorted(have - want))
    after = query(db, "SELECT id, goal_id, text, status FROM plan_actions ORDER BY id")
    assert after == before  # nothing lost or changed
    rows = query(db, "SELECT text, trajectory_id, is_current FROM plan_actions")
    for text, tid, current in rows:
        want_tid = int(text.split()[0][1:])
        latest = {7: "v2", 8: "v1"}[want_tid]
        assert tid == want_tid, (text, tid)
        assert current == (1 if text.split()[1] == latest else 0), (text, current)
    # the dashboard's index holds the open actions of the current versions only
    where = "WHERE is_current = 1 AND status IN ('planned', 'in_progress') AND trajectory_id > 0"
    if PG:  # the index answers the query alone (no table scan allowed)
        con = db_connect(db)
        try:
            con.execute("SET enable_seqscan = off")
            plan = "\n".join(r[0] for r in con.execute("EXPLAIN SELECT COUNT(*) FROM plan_actions " + where))
            assert "plan_actions_current_due" in plan, plan
            n = con.execute("SELECT COUNT(*) FROM plan_actions " + where)[0][0]
        finally:
            con.close()
    else:
        n = query(db, "SELECT COUNT(*) FROM plan_actions INDEXED BY plan_actions_current_due " + where)[0][0]
        # migration 037: no rule of the schema lives in a trigger any more (the store starts a protocol in C)
        assert query(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'") == [], "a trigger is left"
    assert n == 4, n  # trajectory 7 version 2 and trajectory 8 version 1: 2 goals x 1 open action each


def test_a_newer_schema_is_refused():
    """A database that a newer release upgraded: the binary refuses it, says so, and changes nothing."""
    db, extra, before = old_database()
    assert zorgwerk(db, extra, "user", "list").returncode == 0
    newer = query(db, "SELECT MAX(version) FROM schema_migrations")[0][0] + 1
    query(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, '999_from_the_future.sql', 0)",
          (newer,))
    versions = query(db, "SELECT version FROM schema_migrations ORDER BY version")
    rows = query(db, "SELECT id, goal_id, trajectory_id, is_current, text, status FROM plan_actions ORDER BY id")
    out = zorgwerk(db, extra, "user", "list")
    assert out.returncode != 0, "a schema newer than the binary was opened: %s" % out.stdout
    assert "newer than this zorgwerk knows" in out.stderr, out.stderr
    out = zorgwerk(db, extra, "serve", "--listen", "127.0.0.1:1")
    assert out.returncode != 0 and "newer than this zorgwerk knows" in out.stderr, (out.returncode, out.stderr)
    assert query(db, "SELECT version FROM schema_migrations ORDER BY version") == versions
    assert query(db, "SELECT id, goal_id, trajectory_id, is_current, text, status FROM plan_actions "
                     "ORDER BY id") == rows


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
