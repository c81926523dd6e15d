"""A request to correct information (issue 14, part 5; GDPR art. 16): the participant asks on /me/corrections
(optionally about a note she may see), the request is a task for her coach (/corrections, /t/{id}/corrections),
the coach answers and so marks it handled, and the participant reads the answer — on her page and in her data
download. Nobody else sees or answers it; empty or unknown input is refused with a message; every step is in
the access log.
"""
import io
import json
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_GP, Client, Server, access_log_mark,
                     assert_status, run, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
TEXT = "The note about my back says 2019, it was 2021. CORR-REQ-7731"
ANSWER = "Thank you, I corrected the year. CORR-ANS-5512"


def client(email):
    if email not in C:
        C[email] = Client(srv, lang="en")
        C[email].login(email)
    return C[email]


def test_participant_asks():
    an = client(PART_AN)
    r = an.get("/me/corrections")
    assert_status(r, 200, "the form")
    assert 'name="request"' in r.body and "<label" in r.body
    mark = access_log_mark(srv)
    r = an.post("/me/corrections", {"request": ""})
    assert_status(r, 400, "an empty request")
    assert "Write what is not right." in r.body
    # a note of An's own trajectory that she may see
    nid = srv.sql("SELECT id FROM items WHERE trajectory_id = 1 AND kind = 'note' AND source_member_id IS NULL "
                  "AND deleted_at IS NULL ORDER BY id LIMIT 1")[0][0]
    other = srv.sql("SELECT id FROM items WHERE trajectory_id <> 1 ORDER BY id LIMIT 1")[0][0]
    r = an.post("/me/corrections", {"request": TEXT, "item": str(other)})
    assert_status(r, 400, "a request about another participant's item")
    assert srv.sql("SELECT COUNT(*) FROM correction_requests")[0][0] == 0
    r = an.post("/me/corrections", {"request": TEXT, "item": str(nid)})
    assert_status(r, 303, "the request")
    row = srv.sql("SELECT id, trajectory_id, item_id, requested_by, handled_at FROM correction_requests")
    assert len(row) == 1 and row[0][1:] == (1, nid, user_id(srv, PART_AN), None), row
    r = an.get("/me/corrections")
    assert TEXT in r.body and "Waiting for an answer" in r.body
    log = srv.sql("SELECT item, action, outcome FROM access_log WHERE id > ? AND user_id = ?",
                  (mark, user_id(srv, PART_AN)))
    assert ("correction:%d" % row[0][0], "create", "ok") in log, log


def test_the_coach_gets_a_task_and_answers():
    sofie = client(COACH_SOFIE)
    r = sofie.get("/corrections")
    assert_status(r, 200, "the coach's open requests")
    assert 'href="/t/1/corrections#correction-' in r.body and "An Janssens" in r.body
    r = sofie.get("/t/1/corrections")
    assert_status(r, 200, "the trajectory's requests")
    assert TEXT in r.body and 'name="answer"' in r.body
    rid = srv.sql("SELECT id FROM correction_requests")[0][0]
    r = sofie.post("/t/1/corrections/%d/answer" % rid, {"answer": ""})
    assert_status(r, 400, "an empty answer")
    mark = access_log_mark(srv)
    r = sofie.post("/t/1/corrections/%d/answer" % rid, {"answer": ANSWER})
    assert_status(r, 303, "the answer")
    assert srv.sql("SELECT answer, handled_by FROM correction_requests")[0] == (ANSWER, user_id(srv, COACH_SOFIE))
    assert ("correction:%d" % rid, "update", "ok") in srv.sql(
        "SELECT item, action, outcome FROM access_log WHERE id > ?", (mark,))
    r = sofie.post("/t/1/corrections/%d/answer" % rid, {"answer": "again"})
    assert_status(r, 409, "a second answer")
    assert srv.sql("SELECT answer FROM correction_requests")[0][0] == ANSWER
    assert "An Janssens" not in sofie.get("/corrections").body, "a handled request is still a task"


def test_the_participant_reads_the_answer():
    an = client(PART_AN)
    r = an.get("/me/corrections")
    assert ANSWER in r.body and "Answered" in r.body
    z = zipfile.ZipFile(io.BytesIO(an.request("GET", "/me/data.zip", check_html=False).raw))
    data = json.loads(z.read("data.json"))
    corr = [c for t in data["trajectories"] for c in t["corrections"]]
    assert corr and corr[0]["request"] == TEXT and corr[0]["answer"] == ANSWER


def test_nobody_else():
    rid = srv.sql("SELECT id FROM correction_requests")[0][0]
    srv.sql("UPDATE correction_requests SET handled_at = NULL, handled_by = NULL, answer = NULL")
    pieter = client(COACH_PIETER)  # a coach, not An's
    assert "An Janssens" not in pieter.get("/corrections").body
    r = pieter.get("/t/1/corrections")
    assert_status(r, 404, "another coach")
    assert TEXT not in r.body
    assert_status(pieter.post("/t/1/corrections/%d/answer" % rid, {"answer": "x"}), 404, "another coach answers")
    for email in (PART_KARIM, PARTNER_GP):
        c = client(email)
        assert_status(c.get("/t/1/corrections"), 403, "%s opens the coach's correction requests" % email)
        assert_status(c.post("/t/1/corrections/%d/answer" % rid, {"answer": "x"}), 403, "%s answers one" % email)
    karim = client(PART_KARIM).get("/me/corrections")
    assert TEXT not in karim.body
    # a request id of another trajectory under trajectory 2's URL
    sofie = client(COACH_SOFIE)
    assert_status(sofie.post("/t/2/corrections/%d/answer" % rid, {"answer": "x"}), 404, "the wrong trajectory")
    assert srv.sql("SELECT answer FROM correction_requests")[0][0] is None


if __name__ == "__main__":
    run(srv, globals())
