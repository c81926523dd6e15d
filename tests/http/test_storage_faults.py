"""Storage faults on a running server, through the fault hook of the storage driver (setting fault_file:
while the file holds "full" or "ioerr", every database write and BEGIN fails as on a full or failing disk).

While the disk is "full", and again while it gives I/O errors: a registration, a note, a consent and a
withdrawal each answer 503 with Retry-After and the clear message (in Dutch, the default language), and
store nothing; the server stays up: /healthz and pages that only read (the account page, the registration
form) still answer 200; a page with case information (the notes timeline, one note, the consents) answers
503 and not 200, because its access-log entry cannot be written and nothing is disclosed without one.
When the file is removed the same posts succeed; everything committed before the fault is still there;
the database's structure is sound (db_integrity_problems: PRAGMA integrity_check and foreign_key_check on
SQLite, validated foreign keys and readable tables on PostgreSQL) and `zorgwerk audit verify` exits 0. The
hook is in the driver-neutral layer (src/db/db.c), so all of this runs on both drivers.

A real full disk (a small tmpfs) is not used: mounting needs privileges the test cannot assume; the hook
fails the same driver calls SQLite's SQLITE_FULL / SQLITE_IOERR (or PostgreSQL's disk-full or I/O error)
would."""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, Client, Server, assert_status, db_integrity_problems, run, strip_tags, unescape

FAULT_DIR = tempfile.mkdtemp(prefix="zw-fault-")
FAULT = os.path.join(FAULT_DIR, "fault")

srv = Server(sets={"login_delay_ms": "0", "fault_file": FAULT})  # default language: nl
coach = Client(srv)
TID = 1
n_marker = [0]


def po_translation(msgid_start):
    """The Dutch msgstr for the msgid that starts with msgid_start (po/nl.po, multi-line strings joined)."""
    po = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "po", "nl.po")
    with open(po, encoding="utf-8") as f:
        text = f.read()
    for block in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not m:
            continue
        join = lambda s: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s))
        if join(m.group(1)).startswith(msgid_start):
            return join(m.group(2))
    raise AssertionError("no translation for %r in po/nl.po" % msgid_start)


MESSAGE = po_translation("The portal cannot store data at the moment.")


def fault(what):
    if what is None:
        os.unlink(FAULT)
    else:
        with open(FAULT, "w") as f:
            f.write(what + "\n")


def marker():
    n_marker[0] += 1
    return "fault%d" % n_marker[0]


def count(table):
    return srv.sql("SELECT COUNT(*) FROM %s" % table)[0][0]


def post_registration(m):
    coach.refresh_csrf()
    return coach.post("/participants/new",
                      {"first_name": "Schijf", "last_name": m, "birth_date": "1979-03-02", "email": "", "phone": "",
                       "referred_by": "Test", "reason": "Storage fault test " + m, "employer_org": "",
                       "employer_other": "", "absence_start": "", "start_consent": "Mondeling.",
                       "consent_given": "yes"})


def post_note(m):
    coach.refresh_csrf()
    return coach.post("/t/%d/notes" % TID, {"title": "Note " + m, "category": "plan", "source": "participant",
                                             "body": "Storage fault test " + m})


CONSENT_COMBOS = iter([("side:care", "plan"), ("side:care", "practical"), ("side:care", "work"),
                       ("side:work", "practical"), ("side:care", "capacity")])


def post_consent(until):
    grantee, category = next(CONSENT_COMBOS)
    coach.refresh_csrf()
    return coach.post("/t/2/consents", {"source": "participant", "grantee": grantee, "category": category,
                                        "method": "signed_form", "given_on": "2025-01-02", "valid_until": until})


def post_withdraw(cid):
    coach.refresh_csrf()
    return coach.post("/t/2/consents/%d/withdraw" % cid, {})


before = {}
stored = {}  # what was committed before the faults


def test_sign_in_and_write_before_the_fault():
    r = coach.login(COACH_SOFIE, follow=False)
    assert r.status == 303, r.status
    m = marker()
    assert_status(post_note(m), 303, "note before the fault")
    stored["note"] = m
    m = marker()
    r = post_registration(m)
    assert_status(r, 303, "registration before the fault")
    stored["registration"] = m
    assert_status(post_consent("2031-01-01"), 303, "consent before the fault")
    stored["consent"] = srv.sql("SELECT id FROM consents WHERE valid_until = '2031-01-01'")[0][0]
    assert_status(post_consent("2031-01-02"), 303, "a consent to withdraw during the fault")
    stored["to_withdraw"] = srv.sql("SELECT id FROM consents WHERE valid_until = '2031-01-02'")[0][0]
    stored["note_id"] = srv.sql("SELECT id FROM items WHERE title = ?", ("Note " + stored["note"],))[0][0]
    assert_status(coach.get("/t/%d/notes" % TID), 200, "the notes before the fault")
    for t in ("items", "participants", "trajectories", "consents", "access_log", "sessions"):
        before[t] = count(t)
    before["withdrawn"] = count("consents WHERE withdrawn_at IS NOT NULL")


def assert_503(r, what):
    assert_status(r, 503, what)
    assert r.header("Retry-After") and r.header("Retry-After").isdigit(), "%s: Retry-After %r" % (what, r.header("Retry-After"))
    text = unescape(strip_tags(r.body))
    assert MESSAGE in text, "%s: the clear message is missing; page text: %s" % (what, text[:600])


def writes_refused(kind):
    n = dict(before)
    m_reg, m_note = marker(), marker()
    assert_503(post_registration(m_reg), "registration, " + kind)
    assert_503(post_note(m_note), "note, " + kind)
    until = "2032-0%d-01" % (1 if kind == "full" else 2)
    assert_503(post_consent(until), "consent, " + kind)
    assert_503(post_withdraw(stored["to_withdraw"]), "withdrawal, " + kind)
    assert not srv.sql("SELECT 1 FROM participants WHERE last_name = ?", (m_reg,)), "refused registration stored"
    assert not srv.sql("SELECT 1 FROM items WHERE title = ?", ("Note " + m_note,)), "refused note stored"
    assert not srv.sql("SELECT 1 FROM consents WHERE valid_until = ?", (until,)), "refused consent stored"
    assert srv.sql("SELECT withdrawn_at FROM consents WHERE id = ?", (stored["to_withdraw"],))[0][0] is None, \
        "refused withdrawal stored"
    for t in ("items", "participants", "trajectories", "consents", "access_log"):
        assert count(t) == n[t], "%s changed during the fault: %d -> %d" % (t, n[t], count(t))


def server_stays_up_and_discloses_nothing(kind):
    srv.alive()  # process runs, /healthz answers 200
    for path in ("/account", "/participants/new"):
        assert_status(coach.get(path), 200, "%s (reads only), %s" % (path, kind))
    assert_status(Client(srv).get("/login"), 200, "login page, " + kind)
    log = count("access_log")
    for path in ("/t/%d/notes" % TID, "/t/%d/notes/%d" % (TID, stored["note_id"]), "/t/2/consents",
                 "/t/%d/notes?q=fault" % TID):
        r = coach.get(path)
        assert r.status != 200, "%s answered 200 while its access-log entry cannot be written (%s)" % (path, kind)
        assert_503(r, "GET %s, %s" % (path, kind))
        assert "Note " + stored["note"] not in r.body, "%s disclosed a note (%s)" % (path, kind)
    assert count("access_log") == log, "access log changed during the fault"


def test_disk_full():
    fault("full")
    writes_refused("full")


def test_disk_full_server_stays_up_and_discloses_nothing():
    server_stays_up_and_discloses_nothing("full")


def test_io_error():
    fault("ioerr")
    writes_refused("ioerr")


def test_io_error_server_stays_up_and_discloses_nothing():
    server_stays_up_and_discloses_nothing("ioerr")


def test_other_content_is_no_fault():
    fault("")  # an empty fault file means no fault
    assert_status(coach.get("/t/%d/notes" % TID), 200, "notes with an empty fault file")


def test_writes_succeed_when_space_returns():
    fault(None)
    m_reg, m_note = marker(), marker()
    r = post_registration(m_reg)
    assert_status(r, 303, "registration after the fault")
    assert re.match(r"^/t/\d+\?flash=registered$", r.location), r.location
    r = post_note(m_note)
    assert_status(r, 303, "note after the fault")
    assert r.location == "/t/%d/notes?flash=saved" % TID, r.location
    assert_status(post_consent("2033-01-01"), 303, "consent after the fault")
    assert_status(post_withdraw(stored["to_withdraw"]), 303, "withdrawal after the fault")
    r = coach.get("/t/%d/notes" % TID)
    assert_status(r, 200, "notes after the fault")
    assert "Note " + m_note in r.body and "Note " + stored["note"] in r.body, "new and old notes shown"
    assert srv.sql("SELECT COUNT(*) FROM participants WHERE last_name = ?", (m_reg,))[0][0] == 1
    assert srv.sql("SELECT COUNT(*) FROM consents WHERE valid_until = '2033-01-01'")[0][0] == 1
    assert srv.sql("SELECT withdrawn_at FROM consents WHERE id = ?", (stored["to_withdraw"],))[0][0] is not None


def test_nothing_committed_earlier_is_lost():
    assert srv.sql("SELECT COUNT(*) FROM items WHERE title = ?", ("Note " + stored["note"],))[0][0] == 1
    assert srv.sql("SELECT COUNT(*) FROM participants WHERE last_name = ?", (stored["registration"],))[0][0] == 1
    assert srv.sql("SELECT COUNT(*) FROM consents WHERE id = ? AND withdrawn_at IS NULL", (stored["consent"],))[0][0] == 1
    # exactly the writes made after the fault were added
    assert count("items") == before["items"] + 1
    assert count("participants") == before["participants"] + 1
    assert count("consents") == before["consents"] + 1
    assert count("access_log") > before["access_log"]


def test_clean_stop_integrity_and_chain():
    srv.stop()
    problems = db_integrity_problems(srv)
    assert problems == [], problems
    p = srv.cli("audit", "verify")
    assert p.returncode == 0, "audit verify exit %d: %s %s" % (p.returncode, p.stdout, p.stderr)
    shutil.rmtree(FAULT_DIR, ignore_errors=True)


run(srv, globals())
