"""First-line assessment: questionnaires. Participant An fills in the K10 with known answers and the stored
score equals the hand-computed one (24, band high); answers out of range or incomplete give 400 with the
errors beside the items and every answer kept, and nothing is stored; the coach enters a work ability score
on An's behalf (its access-log entry names An in on_behalf_of, seen by the log officer in /log.csv, and the
result says "entered by coach ... on behalf of An ..."), An adds one herself (no on_behalf_of), and the chart
draws two points; the one door decides who sees what: HR
Tom (work side, consent for capacity) sees the work ability score but never the distress screening (health),
the GP (consent for health in the demo) sees the K10 and not the capacity results; every result shown is
in the access log with its grounds."""
import csv
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, assert_status,
                     form_fields, run, totp_next, unescape)

LO = "lo@x.example"
LO_PASSWORD = "harbour lantern quietly 7513"

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
# the log officer is created with the CLI on the database file while no server runs
srv.stop()
srv.cli("user", "add", LO, "--name", "Log Officer", "--role", "logofficer", "--password-stdin", check=True,
        input=LO_PASSWORD + "\n")
srv.start()
an = Client(srv)
an.login(PART_AN)
coach = Client(srv)
coach.login(COACH_SOFIE)

# 3+3+2+2+3+2+3+2+2+2 = 24: high (22-29)
K10 = {"a_k%d" % (i + 1): v for i, v in enumerate(["3", "3", "2", "2", "3", "2", "3", "2", "2", "2"])}
ids = {}


def count_assessments():
    return srv.sql("SELECT COUNT(*) FROM assessments")[0][0]


def test_participant_fills_k10():
    r = an.get("/t/1/assessments")
    assert_status(r, 200)
    assert "Questionnaires to fill in" in r.body
    assert '/t/1/assessments/new?q=k10' in r.body
    r = an.get("/t/1/assessments/new?q=k10")
    assert_status(r, 200)
    assert r.body.count('type="radio"') == 50 and 'name="a_k10"' in r.body
    r = an.post("/t/1/assessments", dict(K10, q="k10"))
    assert_status(r, 303)
    m = re.match(r"^/t/1/assessments/(\d+)", r.location)
    assert m, r.location
    ids["k10"] = int(m.group(1))
    row = srv.sql("SELECT a.questionnaire, a.version, a.scores, a.answers, a.filled_by, i.category, i.kind "
                  "FROM assessments a JOIN items i ON i.id = a.item_id WHERE a.item_id = ?", (ids["k10"],))[0]
    assert row[0] == "k10" and row[1] == 1 and row[4] == "participant"
    assert row[5] == "health" and row[6] == "assessment"
    scores = json.loads(row[2])
    assert scores == [{"scale": "total", "score": 24, "band": 2}], scores
    assert json.loads(row[3])["k7"] == "3"
    page = an.follow(r)
    assert_status(page, 200)
    assert "24" in page.body and "high" in page.body and "Saved." in page.body


def test_out_of_range_and_incomplete_keep_answers():
    before = count_assessments()
    bad = dict(K10, q="k10")
    bad["a_k1"] = "6"      # not an option
    del bad["a_k4"]        # not answered
    r = an.post("/t/1/assessments", bad)
    assert_status(r, 400)
    assert "Choose one of the answers shown." in r.body and "Please choose an answer." in r.body
    assert 'href="#f-a_k1"' in r.body and 'href="#f-a_k4"' in r.body
    # every answer given is kept: k2 = 3 stays checked, k10 = 2 too
    assert re.search(r'name="a_k2" value="3" checked', r.body), "answer k2 lost"
    assert re.search(r'name="a_k10" value="2" checked', r.body), "answer k10 lost"
    assert 'id="e-a_k1"' in r.body and 'aria-invalid="true"' in r.body
    r = an.post("/t/1/assessments", {"q": "work-ability", "a_was": "11"})
    assert_status(r, 400)
    assert "Choose one of the numbers shown." in r.body
    r = an.post("/t/1/assessments", {"q": "work-ability", "a_was": "7.5"})
    assert_status(r, 400)
    r = an.post("/t/1/assessments", {"q": "nope", "a_was": "7"})
    assert_status(r, 400)
    assert count_assessments() == before


def test_coach_enters_work_ability_and_chart_has_two_points():
    r = coach.get("/t/1/assessments/new?q=work-ability")
    assert_status(r, 200)
    assert "on behalf of the participant" in r.body
    assert r.body.count('name="a_was"') == 11
    r = coach.post("/t/1/assessments", {"q": "work-ability", "a_was": "5"})
    assert_status(r, 303)
    ids["was1"] = int(r.location.split("/")[4].split("?")[0])
    row = srv.sql("SELECT filled_by, scores FROM assessments WHERE item_id = ?", (ids["was1"],))[0]
    assert row[0] == "coach" and json.loads(row[1])[0]["score"] == 5
    assert srv.sql("SELECT category FROM items WHERE id = ?", (ids["was1"],))[0][0] == "capacity"
    an.get("/t/1/assessments/new?q=work-ability")
    r = an.post("/t/1/assessments", {"q": "work-ability", "a_was": "8"})
    assert_status(r, 303)
    ids["was2"] = int(r.location.split("/")[4].split("?")[0])
    body = coach.get("/t/1/assessments").body
    m = re.search(r'<svg[^>]*aria-labelledby="chart-work-ability-was-t".*?</svg>', body, re.S)
    assert m, "no work ability chart"
    svg = m.group(0)
    assert svg.count("<circle") == 2, svg
    assert "<title" in svg and "5 on" in svg and "8 on" in svg
    assert "poor" in body and "good" in body  # bands in the data table
    assert "entered by coach" in body and "filled in by the participant" in body


def login_officer():
    """Password, then enrolment in two-step verification (the role demands it)."""
    c = Client(srv)
    c.get("/login")
    assert_status(c.post("/login", {"email": LO, "password": LO_PASSWORD}), 303, "log officer password")
    page = c.get("/account/2fa")
    assert_status(page, 200, "enrolment page")
    secret = form_fields(page.body).get("secret")
    assert_status(c.post("/account/2fa", {"secret": secret, "code": totp_next(LO, secret)}), 200, "enrolment")
    return c


def test_coach_entry_is_logged_on_behalf_of_the_participant():
    an_user = srv.sql("SELECT id FROM users WHERE email = ?", (PART_AN,))[0][0]
    r = login_officer().request("GET", "/log.csv?trajectory=1&action=create")
    assert_status(r, 200, "/log.csv")
    table = list(csv.reader(io.StringIO(r.body, newline="")))
    head = table[0]
    rows = {row[head.index("item")]: dict(zip(head, row)) for row in table[1:]}
    coach_row = rows.get("assessment:%d" % ids["was1"])
    own_row = rows.get("assessment:%d" % ids["was2"])
    assert coach_row and own_row, sorted(rows)
    assert coach_row["grounds"] == "coach" and coach_row["on_behalf_of_id"] == str(an_user), coach_row
    assert own_row["grounds"] == "self" and own_row["on_behalf_of_id"] == "", own_row
    # the participant's own first result (K10) carries none either
    assert rows["assessment:%d" % ids["k10"]]["on_behalf_of_id"] == "", rows["assessment:%d" % ids["k10"]]
    # the same in the table itself
    logged = srv.sql("SELECT on_behalf_of FROM access_log WHERE item = ? AND action = 'create'",
                     ("assessment:%d" % ids["was1"],))
    assert logged == [(an_user,)], logged
    # what was stored says who entered it, and the participant reads it on the result
    row = srv.sql("SELECT a.filled_by, a.created_by, i.author_id FROM assessments a JOIN items i ON i.id = a.item_id "
                  "WHERE a.item_id = ?", (ids["was1"],))[0]
    coach_user = srv.sql("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))[0][0]
    assert row == ("coach", coach_user, coach_user), row
    coach_name = srv.sql("SELECT name FROM users WHERE id = ?", (coach_user,))[0][0]
    an_name = " ".join(srv.sql("SELECT first_name, last_name FROM participants WHERE user_id = ?", (an_user,))[0])
    # the participant reads it in the second person (issue 10: 12), the coach in the third
    want = "entered for you by %s" % coach_name
    page = an.get("/t/1/assessments/%d" % ids["was1"])
    assert_status(page, 200)
    assert want in unescape(page.body), unescape(page.body)[:2000]
    assert want in unescape(an.get("/t/1/assessments").body)
    assert "entered by coach %s on behalf of %s" % (coach_name, an_name) in unescape(
        coach.get("/t/1/assessments/%d" % ids["was1"]).body)
    own = an.get("/t/1/assessments/%d" % ids["was2"]).body
    assert "filled in by you" in own and "entered for you" not in own


def test_strengths_and_work_situation():
    v = {"q": "strengths"}
    for i, x in zip(["soc1", "soc2", "soc3", "pra1", "pra2", "pra3", "lea1", "lea2", "lea3", "res1", "res2", "res3"],
                    ["4", "5", "2", "3", "3", "4", "2", "3", "3", "2", "3", "5"]):
        v["a_" + i] = x
    r = an.post("/t/1/assessments", v)
    assert_status(r, 303)
    sid = int(r.location.split("/")[4].split("?")[0])
    scores = {s["scale"]: s["score"] for s in json.loads(srv.sql("SELECT scores FROM assessments WHERE item_id = ?",
                                                                 (sid,))[0][0])}
    assert scores == {"social": 4.3, "practical": 3.3, "learning": 2.7, "resilience": 2}, scores
    r = coach.post("/t/1/assessments", {"q": "work-situation", "a_tasks": "Metselen <b>& plannen</b>",
                                        "a_workload": "high"})
    assert_status(r, 400)  # adjustments is required
    assert "Metselen &lt;b&gt;&amp; plannen&lt;/b&gt;" in r.body
    r = coach.post("/t/1/assessments", {"q": "work-situation", "a_tasks": "Metselen <b>& plannen</b>",
                                        "a_workload": "high", "a_adjustments": "partly"})
    assert_status(r, 303)
    ids["work"] = int(r.location.split("/")[4].split("?")[0])
    page = coach.follow(r)
    assert "Metselen &lt;b&gt;" in page.body and "Partly" in page.body


def test_hr_never_sees_distress():
    hr = Client(srv)
    hr.login(PARTNER_HR)
    r = hr.get("/t/1/assessments")
    assert_status(r, 200)
    assert "Work ability" in r.body             # capacity: consented to HR
    assert "Distress" not in r.body and "K10" not in r.body
    assert "Questionnaires to fill in" not in r.body
    assert_status(hr.get("/t/1/assessments/%d" % ids["k10"]), 404)
    assert_status(hr.get("/t/1/assessments/%d" % ids["was1"]), 200)
    assert_status(hr.get("/t/1/assessments/new?q=k10"), 404)
    hr.get("/t/1/assessments")
    assert_status(hr.post("/t/1/assessments", dict(K10, q="k10")), 404)
    denied = srv.sql("SELECT COUNT(*) FROM access_log a JOIN users u ON u.id = a.user_id WHERE u.email = ? "
                     "AND a.item = ? AND a.outcome = 'denied'", (PARTNER_HR, "assessment:%d" % ids["k10"]))[0][0]
    assert denied == 1


def test_gp_sees_distress_with_consent():
    gp = Client(srv)
    gp.login(PARTNER_GP)
    r = gp.get("/t/1/assessments")
    assert_status(r, 200)
    assert "Distress screening" in r.body and "high" in r.body
    assert "chart-work-ability" not in r.body   # no consent for capacity
    assert_status(gp.get("/t/1/assessments/%d" % ids["k10"]), 200)
    logged = srv.sql("SELECT grounds FROM access_log a JOIN users u ON u.id = a.user_id WHERE u.email = ? "
                     "AND a.item = ? AND a.action = 'view' AND a.outcome = 'ok'",
                     (PARTNER_GP, "assessment:%d" % ids["k10"]))
    assert logged and all(g[0] == "consent" for g in logged), logged


def test_other_coach_and_other_trajectory():
    other = Client(srv)
    other.login(COACH_PIETER)
    assert_status(other.get("/t/1/assessments"), 404)
    assert_status(other.get("/t/1/assessments/%d" % ids["k10"]), 404)
    # a result of trajectory 1 cannot be opened through another trajectory
    assert_status(coach.get("/t/2/assessments/%d" % ids["k10"]), 404)
    assert_status(an.get("/t/2/assessments"), 404)
    assert_status(an.get("/t/1/assessments/new?q=unknown"), 404)


run(srv, globals())
