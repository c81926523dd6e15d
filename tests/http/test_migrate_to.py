"""`zorgwerk migrate-to URL`: a SQLite installation copied into PostgreSQL (issue 15, part 1; make test-pg only).

A demo on SQLite gets writes through the web (a note with unicode, quotes, tabs, backslashes and line breaks, a
message, a consent given and one withdrawn) and, directly in the file, a row with NULLs, an empty text and the
extreme 64-bit integers. migrate-to copies it into a new database of the cluster of ZW_TEST_DB_URL; then
- every row of every table is the same on both sides, value for value (SQLite's rows against PostgreSQL's
  row_to_json), and the schema's version history came across;
- a server on the copy (same key and seal files) shows the coach, the participant and the partner the same
  pages as the SQLite server did, with the sessions they had;
- `audit verify` passes on the copy; new writes get ids past the copied ones and continue the chain, which
  still verifies;
- a target that is not empty is refused and left as it was; a source whose access log was changed is refused,
  naming the entry, and nothing is copied; a wrong target or a missing source file is refused.
Also the other promises of part 1 on PostgreSQL: `zorgwerk backup` refuses and names pg_dump, a database
whose schema is newer than the binary is refused at start (saying so).
"""
import atexit
import json
import os
import re
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PARTNER_HR, Client, Server, assert_status, main_text, pg_sql,
                     pg_test_database, run, sign_in, unescape, without_ref)

URL = os.environ.get("ZW_TEST_DB_URL", "")
assert URL.startswith("postgresql://"), "test_migrate_to needs ZW_TEST_DB_URL (run it with make test-pg)"

# the source: a SQLite server (the harness makes PostgreSQL servers while ZW_TEST_DB_URL is set)
del os.environ["ZW_TEST_DB_URL"]
try:
    src = Server(sets={"lang": "en"}, name="test_migrate_to (SQLite)")
finally:
    os.environ["ZW_TEST_DB_URL"] = URL
S = {}
C = {}


def _stop_copy():
    if S.get("copy") and S["copy"].proc and S["copy"].proc.poll() is None:
        S["copy"].proc.kill()


atexit.register(_stop_copy)

NOTE_TITLE = "Ünïcødé – ‘quotes’ \"double\" 'single' 😀 ĳ 漢字 عربي"
NOTE_BODY = ("Line one\r\nLine two with a\ttab, a backslash \\ and \\N and \\t literally,\n"
             "\\\\x00 not bytes; 100% ''; -- not a comment; ? not a parameter; \u00a0nbsp; end")
MSG_BODY = "Bericht met é, ß, ø — en een \"citaat\" \\ einde"
BIG = 9223372036854775807
SMALL = -9223372036854775808
ODD = 9007199254740993  # 2**53 + 1: not exact as a double
OUTBOX_ID = 4611686018427387904  # 2**62: the identity sequence must move past it


def cli(db, *args, extra=()):
    p = subprocess.run([src.bin, "--db", db] + list(extra) + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    Server._check_sanitizer(p.stderr, "zorgwerk " + " ".join(args))
    return p


def key_args():
    """The source's access-log key and seal (on SQLite beside the database file): the copy uses the same."""
    return ["--set", "audit_key_file=" + src.db + ".key", "--set", "audit_seal_file=" + src.db + ".seal"]


def sqlite_rows(path, table):
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute('SELECT * FROM "%s"' % table)]
    finally:
        con.close()


def sqlite_tables(path):
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"))
    finally:
        con.close()


def pg_tables(url):
    return sorted(r[0] for r in pg_sql(url, "SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = current_schema()"))


def pg_rows(url, table):
    return [json.loads(r[0]) for r in pg_sql(url, 'SELECT row_to_json(t)::text FROM "%s" t' % table, timeout=60)]


def canon(rows):
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def pg_counts(url):
    return {t: pg_sql(url, 'SELECT COUNT(*) FROM "%s"' % t)[0][0] for t in pg_tables(url)}


class CopyServer(Server):
    """A server on an existing database (no demo): the copy."""

    def __init__(self, url, name):
        self.bin = src.bin
        self.tmp = src.tmp
        self.db = url
        self.pg_args = key_args()
        self.sets = {"lang": "en"}
        self.name = name
        self.secrets = src.secrets
        self.proc = None
        self.start()


PAGES = {
    COACH_SOFIE: ["/caseload", "/dashboard", "/t/1", "/t/1/notes", "/t/1/messages", "/t/1/consents", "/messages"],
    PART_AN: ["/me", "/t/1/notes", "/t/1/messages", "/me/consents"],
    PARTNER_HR: ["/t/1", "/t/1/consents"],
}


def page_text(c, path):
    r = c.get(path)
    assert_status(r, 200, "%s on %s" % (path, c.srv.name))
    return unescape(main_text(without_ref(r.body)))


# ---------------------------------------------------------------- the source

def test_writes_through_the_web_on_sqlite():
    for who in PAGES:
        C[who] = sign_in(src, who, lang="en")
    sofie, an, tom = C[COACH_SOFIE], C[PART_AN], C[PARTNER_HR]
    sofie.get("/t/1/notes")
    r = sofie.post("/t/1/notes", {"title": NOTE_TITLE, "category": "work", "source": "participant", "body": NOTE_BODY})
    assert_status(r, 303, "the note")
    S["note"] = src.sql("SELECT id, title, body FROM items WHERE title = ?", (NOTE_TITLE,))
    assert len(S["note"]) == 1 and S["note"][0][2] == NOTE_BODY, "the note was not stored as typed: %r" % S["note"]
    an.get("/t/1/messages")
    sofie_id = src.sql("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))[0][0]
    r = an.post("/t/1/messages", [("category", "practical"), ("to", str(sofie_id)), ("body", MSG_BODY)])
    assert_status(r, 303, "the message")
    tom.get("/t/1/consents")
    r = tom.post("/t/1/consents", {"source": "participant", "grantee": "side:care", "category": "work",
                                   "valid_until": ""})
    assert_status(r, 303, "Tom's consent")
    cid = src.sql("SELECT MAX(id) FROM consents WHERE trajectory_id = 1 AND withdrawn_at IS NULL "
                  "AND recorded_by = (SELECT id FROM users WHERE email = ?)", (PARTNER_HR,))[0][0]
    r = tom.post("/t/1/consents/%d/withdraw" % cid, {})
    assert r.status in (303, 200), "withdrawing the consent: %d" % r.status
    S["withdrawn"] = src.sql("SELECT withdrawn_at FROM consents WHERE id = ?", (cid,))[0][0]
    assert S["withdrawn"], "the consent was not withdrawn"
    # NULLs, an empty text, control characters and the extreme integers, straight into the file
    src.sql("INSERT INTO mail_outbox (id, to_addr, user_id, kind, lang, link, attachment, message_id, status, "
            "attempts, next_at, last_error, created_at, sent_at) VALUES (?, ?, NULL, 'test', '', NULL, ?, "
            "'mig-1@zorgwerk', 'failed', ?, ?, ?, ?, NULL)",
            (OUTBOX_ID, "x@example.org", "a\tb\\nc\r\n\\N", BIG, SMALL, "\\N", ODD))
    # the pages as they are (all opened twice: a first view may mark something read that another page shows)
    for _ in range(2):
        for who, paths in PAGES.items():
            for p in paths:
                S[(who, p)] = page_text(C[who], p)
    assert NOTE_TITLE in S[(COACH_SOFIE, "/t/1/notes")], "the note is not on the coach's notes page"


def test_the_source_stops_and_its_log_verifies():
    src.stop()
    p = cli(src.db, "audit", "verify")
    assert p.returncode == 0 and "intact" in p.stdout, p.stdout + p.stderr
    S["entries"] = sqlite3.connect(src.db).execute("SELECT COUNT(*), MAX(id) FROM access_log").fetchone()
    assert S["entries"][0] > 20 and S["entries"][0] == S["entries"][1], S["entries"]


# ---------------------------------------------------------------- refusals that leave everything as it was

def test_bad_arguments_are_refused():
    tmp_url, _ = pg_test_database(src.tmp + "/bad")
    p = cli(src.db, "migrate-to", "/tmp/not-a-url.db")
    assert p.returncode == 2 and "postgresql://" in p.stderr, p.stderr
    missing = src.tmp + "/no-such.db"
    p = cli(missing, "migrate-to", tmp_url)
    assert p.returncode == 1 and "does not exist" in p.stderr, p.stderr
    assert not os.path.exists(missing), "migrate-to created the missing source file"
    p = cli(src.db, "migrate-to", "postgresql://zorgwerk:S3cret-Passw0rd@127.0.0.1:1/zorgwerk")  # nobody listens
    assert p.returncode == 1 and "cannot open the target database" in p.stderr, p.stderr
    assert "S3cret-Passw0rd" not in p.stderr + p.stdout, p.stderr
    p = cli(tmp_url, "migrate-to", tmp_url, extra=key_args())
    assert p.returncode == 2 and "SQLite" in p.stderr, p.stderr
    assert pg_tables(tmp_url) == [], "a refused migrate-to left tables in the target"


def test_a_changed_source_log_is_refused_naming_the_entry():
    import shutil
    d = src.tmp + "/tampered"
    os.makedirs(d)
    for ext in ("", ".key", ".seal"):
        shutil.copy2(src.db + ext, d + "/db" + ext)
    con = sqlite3.connect(d + "/db")
    con.execute("UPDATE access_log SET action = 'export' WHERE id = 5")
    con.commit()
    con.close()
    url, _ = pg_test_database(d)
    p = cli(d + "/db", "migrate-to", url)
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert "NOT INTACT" in p.stderr and "entry 5" in p.stderr, p.stderr
    assert "copied" not in p.stdout, p.stdout
    assert pg_tables(url) == [], "the target of a refused copy has tables: %r" % pg_tables(url)[:5]


def test_a_value_postgresql_refuses_stops_the_copy_and_leaves_the_target_empty():
    import shutil
    d = src.tmp + "/badvalue"
    os.makedirs(d)
    for ext in ("", ".key", ".seal"):
        shutil.copy2(src.db + ext, d + "/db" + ext)
    con = sqlite3.connect(d + "/db")  # SQLite keeps a text in an INTEGER column; PostgreSQL's BIGINT does not
    con.execute("UPDATE mail_outbox SET attempts = 'many' WHERE id = ?", (OUTBOX_ID,))
    con.commit()
    con.close()
    url, _ = pg_test_database(d)
    p = cli(d + "/db", "migrate-to", url)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "copying table mail_outbox failed" in p.stderr and "many" in p.stderr, p.stderr
    assert pg_tables(url) == [], "the failed copy left tables: %r" % pg_tables(url)[:5]


# ---------------------------------------------------------------- the copy

def test_migrate_to_copies_every_value():
    url, _ = pg_test_database(src.tmp + "/copy")
    S["url"] = url
    p = cli(src.db, "migrate-to", url)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "the copy's access log verifies: %d entries" % S["entries"][0] in p.stdout, p.stdout
    assert "audit_key_file=" in p.stdout, "no word on the key file: " + p.stdout
    tables = sqlite_tables(src.db)
    assert set(tables) <= set(pg_tables(url)), set(tables) - set(pg_tables(url))
    for t in tables:
        a, b = sqlite_rows(src.db, t), pg_rows(url, t)
        if t == "audit_checkpoint":  # verified again on the copy: a new time, and the MAC over it
            for r in a + b:
                for k in ("verified_at", "full_at", "mac"):
                    r.pop(k)
        a, b = canon(a), canon(b)
        assert len(a) == len(b), "%s: %d rows on SQLite, %d on PostgreSQL" % (t, len(a), len(b))
        for x, y in zip(a, b):
            assert x == y, "%s differs:\n SQLite     %s\n PostgreSQL %s" % (t, x, y)
    row = pg_sql(url, "SELECT attempts, next_at, created_at, lang, link, attachment, last_error, sent_at "
                      "FROM mail_outbox WHERE id = ?", (OUTBOX_ID,))
    assert row == [(BIG, SMALL, ODD, "", None, "a\tb\\nc\r\n\\N", "\\N", None)], row
    assert pg_sql(url, "SELECT body FROM items WHERE title = ?", (NOTE_TITLE,)) == [(NOTE_BODY,)]
    versions = [r[0] for r in pg_sql(url, "SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [r[0] for r in sqlite3.connect(src.db).execute(
        "SELECT version FROM schema_migrations ORDER BY version")], versions


def test_the_copy_shows_the_same_pages_to_everybody():
    copy = CopyServer(S["url"], "test_migrate_to (copy)")
    S["copy"] = copy
    for who, paths in PAGES.items():
        C[who].srv = copy  # the sessions came across: nobody signs in again
        for p in paths:
            after = page_text(C[who], p)
            assert after == S[(who, p)], "%s %s differs on the copy:\n--- SQLite\n%s\n--- PostgreSQL\n%s" % (
                who, p, S[(who, p)][:3000], after[:3000])


def test_new_writes_continue_the_ids_and_the_chain():
    copy = S["copy"]
    sofie = C[COACH_SOFIE]
    top = pg_sql(S["url"], "SELECT MAX(id) FROM items")[0][0]
    sofie.get("/t/1/notes")
    r = sofie.post("/t/1/notes", {"title": "Na de verhuizing", "category": "work", "source": "participant",
                                  "body": "eerste notitie op PostgreSQL"})
    assert_status(r, 303, "a note on the copy")
    new = pg_sql(S["url"], "SELECT id FROM items WHERE title = 'Na de verhuizing'")[0][0]
    assert new > top, "the new note got id %d, not past the copied %d" % (new, top)
    assert "Na de verhuizing" in page_text(sofie, "/t/1/notes")
    copy.stop()
    n, last = pg_sql(S["url"], "SELECT COUNT(*), MAX(id) FROM access_log")[0]
    assert n == last and n > S["entries"][0], "the access log on the copy: %d entries, last id %d" % (n, last)
    p = cli(S["url"], "audit", "verify", extra=key_args())
    assert p.returncode == 0 and "intact: %d entries" % n in p.stdout, p.stdout + p.stderr


def test_a_target_that_is_not_empty_is_refused_and_left_alone():
    before = pg_counts(S["url"])
    items = pg_rows(S["url"], "items")
    p = cli(src.db, "migrate-to", S["url"])
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "not empty" in p.stderr and "Nothing was changed" in p.stderr, p.stderr
    assert pg_counts(S["url"]) == before, "the refused copy changed the target"
    assert canon(pg_rows(S["url"], "items")) == canon(items)


# ---------------------------------------------------------------- the other promises of part 1 on PostgreSQL

def test_backup_on_postgresql_names_pg_dump():
    dest = src.tmp + "/backup.db"
    p = cli(S["url"], "backup", dest, extra=key_args())
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "pg_dump" in p.stderr and "key file" in p.stderr, p.stderr
    assert not os.path.exists(dest), "backup wrote a file for a PostgreSQL database"
    assert "password" not in p.stderr.lower() or "password" in S["url"], p.stderr


def test_a_newer_schema_is_refused_at_start():
    pg_sql(S["url"], "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)")
    p = subprocess.run([src.bin, "--db", S["url"]] + key_args() + ["serve", "--listen", "127.0.0.1:1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert p.returncode != 0, "a server started on a schema newer than the binary"
    assert "schema version 9999, newer than this zorgwerk knows" in p.stderr, p.stderr
    Server._check_sanitizer(p.stderr, "serve")


run(src, globals())
