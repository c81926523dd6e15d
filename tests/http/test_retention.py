"""Retention and erasure (issue 14, part 6).

`zorgwerk retention run --as-of DAY` moves the clock: a trajectory closed longer ago than
retention_case_years (2) is erased — every seeded piece of case content (note, plan goal and action, message,
questionnaire answers, referral, meeting agenda, network member's name, correction request, registration
text) is gone from the whole database file, while the outcome, the scores and the counts stay and the
access log before the run is unchanged and gains the erasure; `zorgwerk audit verify` passes. A day too
early erases nothing; a dry run lists counts per kind and changes nothing. The trajectory's page says
"Erased on <date> under the retention rule". The server erases at start (its daily job). retention_log_years
below 5 is refused at start. Erasure on request (GDPR art. 17) needs the administrator's second-factor code
and a reason, is refused while a trajectory runs, is carried out only when a log officer other than the one
who asked approves it, and keeps the access log.
"""
import hashlib
import os
import re
import secrets
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PART_KARIM, PART_MARIEKE, Client, Server,
                     assert_status, db_connect, db_dump_text, db_tables, run, totp_next, user_id, without_ref)

LOGOFFICER = "privacy@zorgwerk.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
M = {}       # trajectory id -> markers of its case content
C = {}


def client(email):
    if email not in C:
        C[email] = Client(srv, lang="en")
        C[email].login(email)
    return C[email]


def db():
    return db_connect(srv)


def seed(tid, closed_on):
    """Case content with markers in every table the erasure covers, in trajectory tid, closed on closed_on."""
    con = db()
    now = int(time.time())
    con.execute("BEGIN IMMEDIATE")
    coach = con.execute("SELECT user_id FROM trajectory_coaches WHERE trajectory_id = ? ORDER BY user_id LIMIT 1",
                        (tid,)).fetchone()[0]
    mk = lambda what: "RTN-%s-%d-%s" % (what, tid, secrets.token_hex(4))
    ms = M.setdefault(tid, [])

    def item(kind, cat="work"):
        t, b = mk(kind + "title"), mk(kind + "body")
        ms.extend([t, b])
        return con.execute("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           (tid, kind, cat, coach, t, b, now - 86400)).fetchone()[0]

    item("note", "health")
    pv = item("plan", "plan")
    con.execute("INSERT INTO plan_versions (item_id, trajectory_id, version, reason, created_by, created_at) VALUES "
                "(?, ?, 99, ?, ?, ?)", (pv, tid, mk("planreason"), coach, now))
    ms.append(con.execute("SELECT reason FROM plan_versions WHERE item_id = ?", (pv,)).fetchone()[0])
    g = con.execute("INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                    "relevant, time_bound) VALUES (?, 1, ?, ?, 'm', 'a', 'r', '2024-01-01') RETURNING id",
                    (pv, mk("goal"), mk("specific"))).fetchone()[0]
    ms.extend(con.execute("SELECT title, specific FROM plan_goals WHERE id = ?", (g,)).fetchone())
    act = mk("action")
    ms.append(act)
    con.execute("INSERT INTO plan_actions (goal_id, position, text, owner_kind, due_on, status, trajectory_id, "
                "is_current) VALUES (?, 1, ?, 'participant', '2024-01-01', 'done', ?, 1)", (g, act, tid))
    msg = item("message")
    con.execute("INSERT INTO messages (item_id, trajectory_id) VALUES (?, ?)", (msg, tid))
    a = item("assessment", "capacity")
    ans = mk("answer")
    ms.append(ans)
    con.execute("INSERT INTO assessments (item_id, trajectory_id, questionnaire, version, answers, scores, filled_by, "
                "created_by, created_at) VALUES (?, ?, 'k10', 1, ?, '{\"total\": 23}', 'participant', ?, ?)",
                (a, tid, '{"q1": "%s"}' % ans, coach, now))
    ref = item("referral")
    tgt, why = mk("target"), mk("reason")
    ms.extend([tgt, why])
    con.execute("INSERT INTO referrals (item_id, trajectory_id, kind, target, reason, status, status_changed_at, "
                "created_by, created_at) VALUES (?, ?, 'specialised_care', ?, ?, 'completed', ?, ?, ?)",
                (ref, tid, tgt, why, now, coach, now))
    agenda = mk("agenda")
    ms.append(agenda)
    con.execute("INSERT INTO meetings (trajectory_id, kind, mode, starts_at, duration_minutes, place, agenda, "
                "created_by, created_at) VALUES (?, 'consultation', 'group', ?, 45, ?, ?, ?, ?)",
                (tid, now - 90000, mk("place"), agenda, coach, now))
    ms.append(con.execute("SELECT place FROM meetings WHERE agenda = ?", (agenda,)).fetchone()[0])
    member = mk("member")
    ms.append(member)
    con.execute("INSERT INTO network_members (trajectory_id, side, role, name, created_by, created_at) VALUES "
                "(?, 'care', 'other', ?, ?, ?)", (tid, member, coach, now))
    corr = mk("correction")
    ms.append(corr)
    part_user = con.execute("SELECT p.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                            "WHERE t.id = ?", (tid,)).fetchone()[0]
    con.execute("INSERT INTO correction_requests (trajectory_id, requested_by, request, created_at) VALUES (?, ?, ?, ?)",
                (tid, part_user, corr, now))
    reason = mk("registration")
    ms.append(reason)
    con.execute("UPDATE trajectories SET reason = ?, status = 'closed', closed_on = ?, outcome = 'same_job', "
                "hours_per_week_tenths = 320 WHERE id = ?", (reason, closed_on, tid))
    con.execute("COMMIT")
    con.close()


def db_text():
    """Every row of the database as text (what an erasure must have left out of the file)."""
    return db_dump_text(srv)


def case_state():
    """A fingerprint of every table but the access log and sessions (the dry run must not change it)."""
    con = db()
    h = hashlib.sha256()
    for name in db_tables(srv):
        if name in ("access_log", "sessions", "login_devices", "users"):
            continue
        h.update(name.encode())
        for row in sorted(repr(row) for row in con.execute('SELECT * FROM "%s"' % name)):  # in a fixed order
            h.update(row.encode())
    con.close()
    return h.hexdigest()


def log_rows(upto):
    return srv.sql("SELECT id, hash, prev_hash FROM access_log WHERE id <= ? ORDER BY id", (upto,))


def retention(*args):
    return srv.cli("retention", "run", *args)


def test_setup():
    seed(3, "2024-01-15")     # Marieke's trajectory, closed on 15 January 2024
    con = db()
    # five more closures in January 2024, so that the year's outcome report has cells of 5 and more
    for tid in (5, 6, 7, 8, 9):
        con.execute("UPDATE trajectories SET status = 'closed', closed_on = ?, outcome = 'same_job', "
                    "hours_per_week_tenths = 300 WHERE id = ?", ("2024-01-%02d" % (tid + 11), tid))
    con.execute("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) VALUES "
                "(1, 'note', 'work', ?, 'RTN-keep-1', 'RTN-keep-body-1', ?)", (user_id(srv, COACH_SOFIE), int(time.time())))
    con.close()


def test_log_retention_below_five_years_is_refused():
    p = srv.cli("--set", "retention_log_years=4", "config")
    assert p.returncode != 0 and "NEN 7513" in p.stderr, (p.returncode, p.stderr)
    p = subprocess.run([srv.bin, "--db", srv.db, "--set", "retention_log_years=3", "--listen", "127.0.0.1:1", "serve"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=30)
    assert p.returncode != 0 and "at least 5 years" in p.stderr, (p.returncode, p.stderr)
    assert "retention_case_years" in srv.cli("config").stdout


def test_too_early_erases_nothing():
    before = case_state()
    p = retention("--as-of", "2026-01-14")      # two years after closure is 2026-01-15
    assert p.returncode == 0, p.stderr
    assert "0 trajectories due" in p.stdout, p.stdout
    assert case_state() == before


def test_dry_run_lists_counts_and_changes_nothing():
    before, log_before = case_state(), srv.sql("SELECT COUNT(*) FROM access_log")[0][0]
    p = retention("--dry-run", "--as-of", "2026-02-01")
    assert p.returncode == 0, p.stderr
    assert "6 trajectories would be erased" in p.stdout, p.stdout
    counts = dict(re.findall(r"^\s+(\w+)\s+(\d+) rows would be erased", p.stdout, re.M))
    assert int(counts["items"]) >= 6 and int(counts["plan_goals"]) == 1 and int(counts["meetings"]) == 1, counts
    assert not any(m in p.stdout + p.stderr for m in M[3]), "the dry run shows content"
    assert case_state() == before, "the dry run changed case data"
    assert srv.sql("SELECT COUNT(*) FROM access_log")[0][0] == log_before, "the dry run wrote to the access log"
    text = db_text()
    assert all(m in text for m in M[3])


def test_content_erased_log_kept_and_verified():
    mark = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
    log_before = log_rows(mark)
    items_before = srv.sql("SELECT COUNT(*) FROM items WHERE trajectory_id = 3")[0][0]
    reports = ("/reports", "/reports?year=2024", "/reports?year=2026")
    lead = client(LEAD)
    reports_before = [without_ref(lead.get(u).body) for u in reports]
    assert reports_before[1] != without_ref(lead.get("/reports?year=2019").body), "the 2024 report shows nothing"
    p = retention("--as-of", "2026-02-01")
    assert p.returncode == 0, p.stderr
    assert "erased: 6 trajectories" in p.stdout, p.stdout
    text = db_text()
    left = [m for m in M[3] if m in text]
    assert not left, "case content left in the database after the erasure: %s" % left
    assert "RTN-keep-1" in text, "an open trajectory's content was erased"
    # what the reports need stays
    assert srv.sql("SELECT outcome, hours_per_week_tenths, closed_on FROM trajectories WHERE id = 3")[0] == \
        ("same_job", 320, "2024-01-15")
    assert srv.sql("SELECT scores FROM assessments WHERE trajectory_id = 3")[0][0] == '{"total": 23}'
    assert srv.sql("SELECT COUNT(*) FROM items WHERE trajectory_id = 3")[0][0] == items_before
    assert srv.sql("SELECT erased_on, rule FROM trajectory_erasures WHERE trajectory_id = 3")[0] == \
        ("2026-02-01", "retention")
    # the outcome reports read only what is kept: unchanged in aggregate
    for u, before in zip(reports, reports_before):
        assert without_ref(lead.get(u).body) == before, "%s changed by the erasure" % u
    # the access log: unchanged up to the run, and the erasure recorded
    assert log_rows(mark) == log_before
    erasures = srv.sql("SELECT trajectory_id, item, action, outcome, grounds, role FROM access_log WHERE id > ? AND "
                       "item = 'case_content' AND trajectory_id = 3", (mark,))
    assert erasures == [(3, "case_content", "delete", "ok", "retention", "system")], erasures
    v = srv.cli("audit", "verify")
    assert v.returncode == 0 and "intact" in v.stdout, (v.returncode, v.stdout, v.stderr)
    # a second run has nothing left to do
    p = retention("--as-of", "2026-03-01")
    assert "0 trajectories due" in p.stdout, p.stdout


def test_erased_page_says_so():
    for email in (COACH_PIETER, PART_MARIEKE):
        r = client(email).get("/t/3/erasure")
        assert_status(r, 200, email)
        assert re.search(r"Erased on 1 February 2026 under the retention rule\.", r.body), r.body[:2000]
        assert not any(m in r.body for m in M[3])
    r = client(COACH_SOFIE).get("/t/1/erasure")
    assert_status(r, 200, "an open trajectory")
    assert "kept while it runs and 2 years after it is closed" in r.body
    assert client(COACH_SOFIE).get("/t/3/erasure").status == 404, "another coach"


def test_the_server_erases_daily():
    con = db()
    con.execute("UPDATE trajectories SET status = 'closed', closed_on = '2020-03-01' WHERE id = 4")
    marker = "RTN-daily-%s" % secrets.token_hex(4)
    con.execute("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) VALUES "
                "(4, 'note', 'work', ?, ?, 'x', ?)", (user_id(srv, COACH_SOFIE), marker, int(time.time())))
    con.close()
    srv.restart()
    deadline = time.time() + 20
    while time.time() < deadline and not srv.sql("SELECT COUNT(*) FROM trajectory_erasures WHERE trajectory_id = 4")[0][0]:
        time.sleep(0.2)
    assert srv.sql("SELECT rule FROM trajectory_erasures WHERE trajectory_id = 4") == [("retention",)]
    assert marker not in db_text()
    C.clear()


def test_erasure_on_request_needs_code_reason_and_a_second_person():
    admin = client(ADMIN)
    r = admin.get("/admin/erasure")
    assert_status(r, 200, "the administrator's page")
    assert "NEN 7513" in r.body
    karim_pid = srv.sql("SELECT p.id FROM participants p JOIN users u ON u.id = p.user_id WHERE u.email = ?",
                        (PART_KARIM,))[0][0]
    an_pid = srv.sql("SELECT p.id FROM participants p JOIN users u ON u.id = p.user_id WHERE u.email = ?",
                     (PART_AN,))[0][0]
    secret = srv.secrets[ADMIN]
    # a running trajectory: closed first
    r = admin.post("/admin/erasure", {"participant": an_pid, "reason": "asked by letter", "code": "123456"})
    assert_status(r, 409, "a participant with a running trajectory")
    seed(2, "2026-11-01")                     # Karim's trajectory, closed a month ago: its term runs until 2028
    r = admin.post("/admin/erasure", {"participant": karim_pid, "reason": "asked by letter", "code": ""})
    assert_status(r, 403, "no code")
    r = admin.post("/admin/erasure", {"participant": karim_pid, "reason": "asked by letter", "code": "000000"})
    assert_status(r, 403, "a wrong code")
    r = admin.post("/admin/erasure", {"participant": karim_pid, "reason": "", "code": "123456"})
    assert_status(r, 400, "no reason")
    assert srv.sql("SELECT COUNT(*) FROM erasure_requests")[0][0] == 0
    r = admin.post("/admin/erasure", {"participant": karim_pid, "reason": "asked by letter of 2 December",
                                      "code": totp_next(ADMIN, secret)})
    assert_status(r, 303, "the request")
    rid = srv.sql("SELECT id FROM erasure_requests WHERE decision IS NULL")[0][0]
    text = db_text()
    assert all(m in text for m in M[2]), "erased before the approval"
    # the administrator cannot approve; nor the log officer who asked
    assert admin.post("/log/erasures/%d/approve" % rid, {}).status in (403, 404)
    lo = client(LOGOFFICER)
    page = lo.get("/log/erasures")
    assert_status(page, 200, "the log officer's list")
    assert "asked by letter of 2 December" in page.body and "Approve and erase" in page.body
    srv.sql("UPDATE erasure_requests SET requested_by = ? WHERE id = ?", (user_id(srv, LOGOFFICER), rid))
    assert_status(lo.post("/log/erasures/%d/approve" % rid, {}), 403, "approving one's own request")
    srv.sql("UPDATE erasure_requests SET requested_by = ? WHERE id = ?", (user_id(srv, ADMIN), rid))
    text = db_text()
    assert all(m in text for m in M[2])
    mark = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
    log_before = log_rows(mark)
    r = lo.post("/log/erasures/%d/approve" % rid, {})
    assert_status(r, 303, "the approval")
    text = db_text()
    assert not [m for m in M[2] if m in text], "content left after the approved erasure"
    assert "RTN-keep-1" in text
    assert srv.sql("SELECT rule FROM trajectory_erasures WHERE trajectory_id = 2") == [("request",)]
    assert log_rows(mark) == log_before
    assert srv.sql("SELECT COUNT(*) FROM access_log WHERE id > ? AND trajectory_id = 2 AND item = 'case_content' AND "
                   "action = 'delete' AND grounds = 'request' AND user_id = ?", (mark, user_id(srv, LOGOFFICER)))[0][0] == 1
    # the participant's identity stays with the access log
    assert srv.sql("SELECT first_name FROM participants WHERE id = ?", (karim_pid,)) == [("Karim",)]
    assert_status(lo.post("/log/erasures/%d/approve" % rid, {}), 409, "a second approval")
    assert srv.sql("SELECT decision, carried_out_at IS NOT NULL FROM erasure_requests WHERE id = ?", (rid,)) == \
        [("approved", 1)]
    r = client(PART_KARIM).get("/t/2/erasure")
    assert_status(r, 200, "Karim's page")
    assert "at the participant&#39;s request" in r.body or "at the participant's request" in r.body
    v = srv.cli("audit", "verify")
    assert v.returncode == 0, (v.stdout, v.stderr)


if __name__ == "__main__":
    run(srv, globals())
