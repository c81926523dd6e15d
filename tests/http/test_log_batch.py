#!/usr/bin/env python3
"""A list that names many participants writes its access-log entries in a few multi-row inserts (16, 8, 4, 2, 1
at a time) instead of one statement per entry: the chain must be exactly what entries appended one by one
give. A coach with 31 trajectories opens the caseload (31 entries: 16 + 8 + 4 + 2 + 1) and a second coach a
list at the same time; every participant listed has exactly one entry of that request, the ids run on without
a gap, each entry's prev_hash is the hash before it, and `zorgwerk audit verify` passes on the result."""
import threading
import time

from harness import (COACH_PIETER, COACH_SOFIE, Server, assert_status, run, signed_in, sql_one, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "page_size": "40"})
C = {}
EXTRA = 24


def client(email):
    return signed_in(srv, C, email)


def add_trajectories(coach, n):
    now = int(time.time())
    for i in range(n):
        pid = srv.sql("INSERT INTO participants (first_name, last_name, birth_date, created_by, created_at) "
                      "VALUES (?, ?, '1980-01-01', ?, ?) RETURNING id", ("Batch", "Participant %02d" % i, coach, now))[0][0]
        tid = srv.sql("INSERT INTO trajectories (participant_id, phase, referred_by, reason, start_consent, started_on, phase_since, "
                      "last_activity_at, created_by, created_at) VALUES (?, 'intake', 'Huisarts', 'Batch test', 'Mondeling', "
                      "'2026-01-01', '2026-01-01', ?, ?, ?) RETURNING id", (pid, now - i, coach, now))[0][0]
        srv.sql("INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)", (tid, coach))


def test_a_long_list_is_logged_entry_by_entry_and_the_chain_verifies():
    sofie, pieter = user_id(srv, COACH_SOFIE), user_id(srv, COACH_PIETER)
    add_trajectories(sofie, EXTRA)
    listed = sql_one(srv, "SELECT COUNT(*) FROM trajectory_coaches WHERE user_id = ?", (sofie,))
    assert listed == 31, "precondition: Sofie has %d trajectories, the test wants 31" % listed
    client(COACH_SOFIE), client(COACH_PIETER)
    since = sql_one(srv, "SELECT COALESCE(MAX(id), 0) FROM access_log")
    got = {}

    def get(email, path):
        got[email] = client(email).get(path)

    ts = [threading.Thread(target=get, args=(COACH_SOFIE, "/caseload?status=all")),
          threading.Thread(target=get, args=(COACH_PIETER, "/caseload?status=all"))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for email in (COACH_SOFIE, COACH_PIETER):
        assert_status(got[email], 200, "the caseload of %s" % email)
    rows = srv.sql("SELECT id, user_id, participant_id, prev_hash, hash FROM access_log WHERE id > ? ORDER BY id",
                   (since,))
    mine = [r for r in rows if r[1] == sofie]
    want = {r[0] for r in srv.sql("SELECT t.participant_id FROM trajectory_coaches c JOIN trajectories t "
                                  "ON t.id = c.trajectory_id WHERE c.user_id = ?", (sofie,))}
    assert len(mine) == 31 and {r[2] for r in mine} == want, \
        "Sofie's list of 31: %d entries for %d participants" % (len(mine), len({r[2] for r in mine}))
    assert any(r[1] == pieter for r in rows), "Pieter's list was not logged"
    prev = srv.sql("SELECT hash FROM access_log WHERE id = ?", (since,))[0][0] if since else "0" * 64
    for k, (eid, _, _, prev_hash, h) in enumerate(rows):
        assert eid == since + 1 + k, "entry ids jump at %d" % eid
        assert prev_hash == prev, "entry %d does not follow the entry before it" % eid
        prev = h
    srv.stop()
    p = srv.cli("audit", "verify")
    assert p.returncode == 0, "audit verify after the batched inserts (%d): %s" % (p.returncode, p.stdout + p.stderr)


run(srv, globals())
