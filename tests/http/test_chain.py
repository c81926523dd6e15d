"""The access log cannot be rewritten or cut short behind the portal's back (issue 9, finding 3).

A demo database gets some activity (coaches reading, a coach refused, participants, the log officer), the
server stops, and each attack is made on a copy of the database, as someone with write access to the
database (the SQLite file; on PostgreSQL a copy made with CREATE DATABASE ... TEMPLATE, changed through SQL)
but not to the chain key would make it:

- delete the newest entry; delete every entry after some id (truncation: the chain that is left verifies,
  so only the seal outside the database shows it);
- delete one user's entries, or turn a `denied` into `ok`, and recompute the whole chain with the
  unkeyed hash (the algorithm before the key) — or with a key of one's own;
- remove the seal, or write one's own seal.

Each time `zorgwerk audit verify` says NOT INTACT with what is wrong and exits non-zero, and the log
officer's /log (served from the copy) shows the alert instead of "intact"; the untouched copy is intact.
A missing key file and a key file open to other users are refused with a clear message by `serve`, and
`init` refuses to make a new key for a log written with one. A database of the schema before the key
(migration 013), with its chain written the old way, is sealed at the upgrade by `init`: the old entries
still verify, new ones are keyed, and rewriting the old ones is caught at the boundary. While serving, the
writer never seals over a log whose end was removed."""
import hashlib
import os
import re
import shutil
import sqlite3  # the copy of a SQLite file only (copy_db)
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, Client, Server, assert_status, db_connect,
                     db_is_pg, pg_copy_database, run, strip_tags, zw_bin)

LO = "privacy@zorgwerk.example"
GENESIS = "0" * 64
COLS = ("id, at, user_id, role, participant_id, trajectory_id, item, action, outcome, grounds, client, "
        "request_id, prev_hash, hash, consent_id, on_behalf_of")

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "page_size": "500"})
S = {}  # state shared by the tests in file order

# A database is named here by a path: on SQLite its file, with the key file and seal beside it (their default
# paths); on PostgreSQL (ZW_TEST_DB_URL) a database of the cluster stands for the path (URL), and the binary
# is given the key file and seal at the path's place (as the harness does for srv), so that the attacks and
# the messages are the same on both drivers.
PG = db_is_pg(srv)
ORIGINAL = os.path.join(srv.tmp, "db") if PG else srv.db  # srv's key file and seal: ORIGINAL + ".key", ".seal"
URL = {ORIGINAL: srv.db}  # on PostgreSQL: path -> URL of its database


def target(db):
    """The binary's --db for the database named db."""
    return URL[db] if PG else db


def key_args(db):
    """The binary's options for the key file and seal of db (nothing on SQLite: the default paths)."""
    return ["--set", "audit_key_file=%s.key" % db, "--set", "audit_seal_file=%s.seal" % db] if PG else []


def copy_db(src, dst):
    """The database dst becomes a copy of the database src (nobody connected to src)."""
    if PG:
        URL[dst] = pg_copy_database(URL[src])
        return
    s = sqlite3.connect(src)
    d = sqlite3.connect(dst)
    s.backup(d)
    s.close()
    d.close()


# ---------------------------------------------------------------- the chain, recomputed as an attacker would

def _feed(h, v):
    b = b"" if v is None else str(v).encode("utf-8")
    h.update(b"%d:" % len(b))
    h.update(b)


def entry_hash(row, prev, key=None, keyed_from=None):
    """The entry hash of src/policy/audit.c: unkeyed BLAKE2b-256 (the algorithm before migration 013), or
    keyed with key and the boundary fed after the previous hash."""
    (id_, at, user_id, role, pid, tid, item, action, outcome, grounds, client, rid, _p, _h, consent, behalf) = row
    h = hashlib.blake2b(digest_size=32, key=key or b"")
    _feed(h, prev)
    if key:
        _feed(h, keyed_from)
    for v in (id_, at, user_id or 0, role, pid or 0, tid or 0, item, action, outcome, grounds, client, rid):
        _feed(h, v)
    if consent or behalf:
        _feed(h, consent or 0)
        _feed(h, behalf or 0)
    return h.hexdigest()


def rechain(db, key=None, keyed_from=None):
    """Renumbers the entries from 1 and recomputes prev_hash and hash of every one: unkeyed (key None) or
    with the given key from keyed_from on. Returns the number of entries."""
    con = db_connect(target(db))
    try:
        rows = con.execute("SELECT %s FROM access_log ORDER BY id" % COLS).fetchall()
        con.execute("BEGIN")
        con.execute("DELETE FROM access_log")
        prev = GENESIS
        for n, row in enumerate(rows, 1):
            row = (n,) + row[1:]
            keyed = key is not None and n >= keyed_from
            h = entry_hash(row, prev, key if keyed else None, keyed_from)
            con.execute("INSERT INTO access_log (%s) VALUES (%s)" % (COLS, ",".join("?" * 16)),
                        row[:12] + (prev, h) + row[14:])
            prev = h
        con.execute("COMMIT")
        return len(rows)
    finally:
        con.close()


def sql(db, query, params=()):
    con = db_connect(target(db))
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------- copies of the database

class CopyServer(Server):
    """`serve` on an existing database (no demo), for the log officer's view of a tampered copy."""

    def __init__(self, db, secrets, name):
        self.bin = zw_bin()
        self.tmp = os.path.dirname(db)
        self.db = target(db)
        self.pg_args = key_args(db)
        self.sets = {"login_delay_ms": "0", "lang": "en"}
        self.name = name
        self.secrets = secrets
        self.proc = None
        self.start()

    def cleanup(self):
        pass  # the copy's folder belongs to the main server's temporary folder


def copy_of(name):
    """A copy of the stopped demo database, with its key file and seal next to it (the default paths)."""
    d = os.path.join(srv.tmp, name)
    os.mkdir(d)
    db = os.path.join(d, "db")
    copy_db(ORIGINAL, db)
    for ext in (".key", ".seal"):
        if os.path.exists(ORIGINAL + ext):
            shutil.copy2(ORIGINAL + ext, db + ext)
    return db


def cli(db, *args):
    p = subprocess.run([zw_bin(), "--db", target(db)] + key_args(db) + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    Server._check_sanitizer(p.stderr, "zorgwerk " + " ".join(args))
    return p


def verify(db):
    p = cli(db, "audit", "verify")
    return p.returncode, p.stdout + p.stderr


def officer_view(db, name, path="/log?verify=full"):
    """path (by default /log verifying the whole chain, as a change before the verified checkpoint is found
    only then) as the log officer on a server over db (the session made on the original database is in
    the copy); returns the page."""
    s = CopyServer(db, srv.secrets, name)
    try:
        c = Client(s)
        c.jar = dict(S["lo_jar"])
        r = c.get(path)
        assert_status(r, 200, "/log on " + name)
        return r.body
    finally:
        s.stop()


def assert_not_intact(db, name, *expect):
    """verify fails, naming each expected finding; the log officer's view shows the alert. Returns the
    output of verify and the text of the alert."""
    rc, out = verify(db)
    body = officer_view(db, name)
    m = re.search(r'<div class="errors" role="alert">(.*?)</div>', body, re.S)
    wrong = []
    if rc != 3 or "NOT INTACT" not in out or "access log intact" in out:
        wrong.append("audit verify exit %d:\n%s" % (rc, out))
    wrong += ["%r not in the output of audit verify" % e for e in expect if e not in out]
    if "The chain of entries is intact" in body or not m or "The access log has been tampered with" not in m.group(1):
        wrong.append("/log: " + strip_tags(body)[:600])
    assert not wrong, "%s: %s" % (name, "\n".join(wrong))
    return out, strip_tags(m.group(1))


# ---------------------------------------------------------------- activity on the demo database

def test_activity():
    sofie, pieter, an, karim = Client(srv), Client(srv), Client(srv), Client(srv)
    sofie.login(COACH_SOFIE, follow=False)
    pieter.login(COACH_PIETER, follow=False)
    an.login(PART_AN, follow=False)
    karim.login(PART_KARIM, follow=False)
    tids = [r[0] for r in srv.sql("SELECT t.id FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                                  "JOIN users u ON u.id = c.user_id WHERE u.email = ? ORDER BY t.id", (COACH_SOFIE,))]
    assert len(tids) >= 2, tids
    for tid in tids:
        assert_status(sofie.get("/t/%d" % tid), 200, "coach reads")
        assert_status(sofie.get("/t/%d/notes" % tid), 200, "coach reads notes")
        assert_status(pieter.get("/t/%d" % tid), 404, "another coach is refused")
    for _ in range(3):
        assert_status(an.get("/me/log"), 200, "participant's log")
        assert_status(karim.get("/me"), 200, "participant")
    lo = Client(srv)
    lo.login(LO, follow=False)
    r = lo.get("/log")
    assert_status(r, 200, "/log")
    assert "The chain of entries is intact" in r.body, strip_tags(r.body)[:600]
    S["lo_jar"] = dict(lo.jar)
    S["pieter"] = srv.sql("SELECT id FROM users WHERE email = ?", (COACH_PIETER,))[0][0]
    n = srv.sql("SELECT COUNT(*) FROM access_log")[0][0]
    assert n >= 20, n
    assert srv.sql("SELECT COUNT(*) FROM access_log WHERE outcome = 'denied'")[0][0] >= 2
    srv.stop()  # the last batch is sealed at stop
    S["last"] = srv.sql("SELECT MAX(id) FROM access_log")[0][0]


def test_key_and_seal_are_kept_outside_the_database():
    assert os.stat(ORIGINAL + ".key").st_mode & 0o777 == 0o600, "key file mode"
    # the server log names seals (ids and hashes only), so copies of them leave the machine
    assert re.search(r"access log sealed: keyed_from=1 id=\d+ count=\d+ hash=[0-9a-f]{64}", srv.stderr()), \
        srv.stderr()[-2000:]
    seal = open(ORIGINAL + ".seal").read()
    last_hash = srv.sql("SELECT hash FROM access_log WHERE id = ?", (S["last"],))[0][0]
    assert "\nid %d\n" % S["last"] in seal and "\nhash %s\n" % last_hash in seal, (seal, S["last"])


def test_intact_copy_is_intact():
    db = copy_of("intact")
    rc, out = verify(db)
    assert rc == 0 and "access log intact: %d entries" % S["last"] in out, (rc, out)
    body = officer_view(db, "intact")
    assert "The chain of entries is intact" in body and 'role="alert"' not in body, strip_tags(body)[:600]


def test_deleting_the_last_entry_is_caught():
    db = copy_of("last")
    sql(db, "DELETE FROM access_log WHERE id = (SELECT MAX(id) FROM access_log)")
    assert_not_intact(db, "last", "entries removed from the end: the log was sealed up to entry %d, it now ends at "
                                  "entry %d" % (S["last"], S["last"] - 1))


def test_deleting_every_entry_after_an_id_is_caught():
    db = copy_of("after")
    keep = S["last"] // 2
    sql(db, "DELETE FROM access_log WHERE id > ?", (keep,))
    out, alert = assert_not_intact(db, "after", "sealed up to entry %d, it now ends at entry %d" % (S["last"], keep))
    # the view either saw the removal or the officer's own entry written where the removed ones were
    assert "Entries were removed from the end of the log" in alert or "differs from the seal" in alert, alert


def test_deleting_one_users_entries_and_recomputing_is_caught():
    db = copy_of("user")
    gone = sql(db, "SELECT COUNT(*) FROM access_log WHERE user_id = ?", (S["pieter"],))[0][0]
    assert gone >= 2, gone
    sql(db, "DELETE FROM access_log WHERE user_id = ?", (S["pieter"],))
    rechain(db)  # the old unkeyed algorithm: the chain that verified before the key
    out, _ = assert_not_intact(db, "user", "BROKEN at entry 1 ", "entries removed from the end")
    # with a key of the attacker's own the chain is whole again, but not with the portal's key
    rechain(db, key=os.urandom(32), keyed_from=1)
    assert_not_intact(db, "user-keyed", "BROKEN at entry 1 ")


def test_turning_denied_into_ok_and_recomputing_is_caught():
    db = copy_of("denied")
    first = sql(db, "SELECT MIN(id) FROM access_log WHERE outcome = 'denied'")[0][0]
    sql(db, "UPDATE access_log SET outcome = 'ok' WHERE outcome = 'denied'")
    rechain(db)
    assert sql(db, "SELECT COUNT(*) FROM access_log WHERE outcome = 'denied'")[0][0] == 0
    out, _ = assert_not_intact(db, "denied", "BROKEN at entry 1 ", "entry %d differs from the seal" % S["last"])
    assert first >= 1


def test_removed_or_forged_seal_is_caught():
    db = copy_of("noseal")
    os.unlink(db + ".seal")
    assert_not_intact(db, "noseal", "seal %s.seal is missing" % db)
    db = copy_of("forged")
    # a truncated log with a seal of the attacker's own, MAC and all, but without the key
    sql(db, "DELETE FROM access_log WHERE id > 3")
    h = sql(db, "SELECT hash FROM access_log WHERE id = 3")[0][0]
    mac = hashlib.blake2b(b"whatever", digest_size=32, key=os.urandom(32)).hexdigest()
    with open(db + ".seal", "w") as f:
        f.write("zorgwerk access-log seal 1\nkeyed_from 1\nid 3\ncount 3\nhash %s\nmac %s\n" % (h, mac))
    assert_not_intact(db, "forged", "was not written with the chain key")


def test_moving_the_boundary_is_caught():
    db = copy_of("boundary")
    # claim that every entry is from before the key, and recompute them the old way
    sql(db, "UPDATE audit_chain SET keyed_from = ?", (S["last"] + 1,))
    rechain(db)
    assert_not_intact(db, "boundary", "the keyed chain begins at entry %d in the database, at entry 1 in the seal"
                      % (S["last"] + 1))


def test_missing_key_is_refused_with_a_clear_message():
    db = copy_of("nokey")
    os.unlink(db + ".key")
    rc, out = verify(db)
    assert rc == 1 and "key file %s.key does not exist" % db in out, (rc, out)
    p = cli(db, "--listen", "127.0.0.1:1", "serve")
    assert p.returncode != 0, p.returncode
    assert "access-log key file %s.key does not exist" % db in p.stderr and "restore the key file" in p.stderr, \
        p.stderr
    # init does not make a new key for a log written with one
    p = cli(db, "init")
    assert p.returncode != 0 and "key file %s.key is missing" % db in p.stderr and "restore" in p.stderr, \
        (p.returncode, p.stderr)
    assert not os.path.exists(db + ".key")


def test_key_open_to_others_is_refused():
    db = copy_of("openkey")
    os.chmod(db + ".key", 0o644)
    p = cli(db, "--listen", "127.0.0.1:1", "serve")
    assert p.returncode != 0, p.returncode
    assert "may be read or changed by other users" in p.stderr and "chmod 600" in p.stderr, p.stderr
    rc, out = verify(db)
    assert rc == 1 and "may be read or changed by other users" in out, (rc, out)
    os.chmod(db + ".key", 0o640)
    assert "may be read or changed by other users" in cli(db, "audit", "verify").stdout


def test_upgrade_seals_the_old_chain():
    """A database of the schema before 013, its chain written with the old unkeyed hash, no key, no seal."""
    db = copy_of("upgrade")
    os.unlink(db + ".key")
    os.unlink(db + ".seal")
    sql(db, "DROP TABLE audit_chain")
    sql(db, "DELETE FROM schema_migrations WHERE version = 13")
    sql(db, "DELETE FROM audit_checkpoint")  # nor a verified checkpoint (migration 032), made with a key
    n = rechain(db)
    # serve does not start without the key, and says what to do
    p = cli(db, "--listen", "127.0.0.1:1", "serve")
    assert p.returncode != 0 and "run `zorgwerk init`" in p.stderr, p.stderr
    p = cli(db, "init")
    assert p.returncode == 0, p.stderr
    assert "created the access-log key %s.key" % db in p.stdout, p.stdout
    assert "sealed the access log at entry %d" % n in p.stdout, p.stdout
    assert os.stat(db + ".key").st_mode & 0o777 == 0o600
    assert sql(db, "SELECT keyed_from FROM audit_chain")[0][0] == n + 1
    rc, out = verify(db)
    assert rc == 0 and "intact: %d entries, keyed from entry %d" % (n, n + 1) in out, (rc, out)
    # init again changes nothing
    p = cli(db, "init")
    assert p.returncode == 0 and "created" not in p.stdout and "sealed" not in p.stdout, p.stdout
    # the served log goes on keyed after the old entries
    body = officer_view(db, "upgrade")
    assert "The chain of entries is intact" in body, strip_tags(body)[:600]
    rc, out = verify(db)
    assert rc == 0, out
    added = sql(db, "SELECT COUNT(*) FROM access_log")[0][0] - n
    assert added >= 1 and "intact: %d entries" % (n + added) in out, out
    key = bytes.fromhex(open(db + ".key").read().strip())
    rows = sql(db, "SELECT %s FROM access_log WHERE id = ?" % COLS, (n + 1,))
    assert entry_hash(rows[0], rows[0][12], key, n + 1) == rows[0][13], "the first new entry is keyed"
    assert entry_hash(rows[0], rows[0][12]) != rows[0][13]
    # rewriting an old entry and recomputing the old part of the chain breaks it at the boundary
    bad = os.path.join(srv.tmp, "upgrade", "rewritten")
    copy_db(db, bad)
    for ext in (".key", ".seal"):
        shutil.copy2(db + ext, bad + ext)
    con = db_connect(target(bad))
    con.execute("UPDATE access_log SET outcome = 'ok' WHERE id <= ? AND outcome = 'denied'", (n,))
    rows = con.execute("SELECT %s FROM access_log WHERE id <= ? ORDER BY id" % COLS, (n,)).fetchall()
    prev = GENESIS
    for row in rows:
        h = entry_hash(row, prev)
        con.execute("UPDATE access_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row[0]))
        prev = h
    con.close()
    rc, out = verify(bad)
    assert rc == 3 and "BROKEN at entry %d " % (n + 1) in out, (rc, out)


def test_truncation_while_serving_is_not_sealed_over():
    db = copy_of("live")
    s = CopyServer(db, srv.secrets, "live")
    try:
        c = Client(s)
        c.jar = dict(S["lo_jar"])
        assert_status(c.get("/log"), 200, "/log")
        top = sql(db, "SELECT MAX(id) FROM access_log")[0][0]
        sql(db, "DELETE FROM access_log WHERE id > ?", (top - 5,))
        for _ in range(3):
            assert_status(c.get("/log"), 200, "/log after the removal")
        assert "the log no longer holds the chain that was sealed" in s.stderr(), s.stderr()[-2000:]
    finally:
        s.stop()
    assert "\nid %d\n" % top in open(db + ".seal").read(), "the seal was moved over the removal"
    rc, out = verify(db)
    assert rc == 3, (rc, out)
    assert ("sealed up to entry %d, it now ends at entry" % top in out or
            "entry %d differs from the seal" % top in out), out



# ---------------------------------------------------------------- the verified checkpoint (issue 15)

def quick_verify(db):
    p = cli(db, "audit", "verify", "--from-checkpoint")
    return p.returncode, p.stdout + p.stderr


def checkpointed_copy(name):
    """A copy whose whole chain was verified (the checkpoint at its newest entry), then extended by a log
    officer's export on a server over it (which writes an entry and does not check the chain, so the
    checkpoint stays), so that entries follow the checkpoint. Returns the database and the checkpoint's
    entry."""
    db = copy_of(name)
    rc, out = verify(db)
    assert rc == 0 and "entries/s" in out, (rc, out)
    cp = sql(db, "SELECT entry_id FROM audit_checkpoint")[0][0]
    assert cp == sql(db, "SELECT MAX(id) FROM access_log")[0][0], cp
    officer_view(db, name + "-views", "/log.csv?participant=1")
    assert sql(db, "SELECT MAX(id) FROM access_log")[0][0] > cp
    assert sql(db, "SELECT entry_id FROM audit_checkpoint")[0][0] == cp
    return db, cp


def test_verify_from_the_checkpoint_walks_only_the_newer_entries():
    db, cp = checkpointed_copy("cp-quick")
    rc, out = quick_verify(db)
    assert rc == 0 and "access log intact" in out, (rc, out)
    m = re.search(r"verified from the checkpoint at entry (\d+): (\d+) entries walked", out)
    top = sql(db, "SELECT MAX(id) FROM access_log")[0][0]
    assert m and int(m.group(1)) >= cp and int(m.group(2)) == top - int(m.group(1)), out
    assert "last full verification: " in out, out
    # that verification moved the checkpoint on to the newest entry
    assert sql(db, "SELECT entry_id FROM audit_checkpoint")[0][0] == top


def test_change_after_the_checkpoint_is_found_by_the_quick_verify():
    db, cp = checkpointed_copy("cp-after")
    target = cp + 1
    sql(db, "UPDATE access_log SET outcome = CASE outcome WHEN 'ok' THEN 'denied' ELSE 'ok' END WHERE id = ?",
        (target,))
    rc, out = quick_verify(db)
    assert rc == 3 and "BROKEN at entry %d " % target in out and "from the checkpoint at entry %d" % cp in out, \
        (rc, out)
    body = officer_view(db, "after-log", "/log")
    assert "broken at entry %d." % target in body and "The chain of entries is intact" not in body, \
        strip_tags(body)[:800]


def test_change_before_the_checkpoint_is_found_by_the_full_verify():
    db, cp = checkpointed_copy("cp-before")
    target = 2
    sql(db, "UPDATE access_log SET outcome = CASE outcome WHEN 'ok' THEN 'denied' ELSE 'ok' END WHERE id = ?",
        (target,))
    # what the quick verification cannot see (README and /log say so): it walks only after the checkpoint
    rc, out = quick_verify(db)
    assert rc == 0 and "from the checkpoint at entry" in out, (rc, out)
    body = officer_view(db, "before-log", "/log")
    assert "Last full verification:" in body and "found only by a full verification" in body, strip_tags(body)[:800]
    rc, out = verify(db)
    assert rc == 3 and "BROKEN at entry %d " % target in out, (rc, out)
    assert_not_intact(db, "before-full", "BROKEN at entry %d " % target)
    # a failed full verification does not move the checkpoint over the change
    assert sql(db, "SELECT entry_id FROM audit_checkpoint")[0][0] > target


def test_forged_checkpoint_is_caught():
    db, cp = checkpointed_copy("cp-forged")
    # someone without the key moves the checkpoint back, consistently with the log, so that a change after
    # the new position would be walked... and one before the old position hidden: the MAC gives it away
    h = sql(db, "SELECT hash FROM access_log WHERE id = ?", (cp + 1,))[0][0]
    sql(db, "UPDATE audit_checkpoint SET entry_id = ?, hash = ?", (cp + 1, h))
    rc, out = quick_verify(db)
    assert rc == 3 and "checkpoint (table audit_checkpoint) was not written with the chain key" in out, (rc, out)
    body = officer_view(db, "forged-log", "/log")
    assert "The verified checkpoint was not written with the chain key" in body, strip_tags(body)[:800]
    # a checkpoint whose entry was rewritten under it (recomputed chain) is a finding too
    db, cp = checkpointed_copy("cp-rewritten")
    sql(db, "UPDATE access_log SET hash = ? WHERE id = ?", ("f" * 64, cp))
    rc, out = quick_verify(db)
    assert rc == 3 and "entry %d differs from the verified checkpoint" % cp in out, (rc, out)


run(srv, globals())
