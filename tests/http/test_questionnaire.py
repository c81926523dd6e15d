"""First-line assessment: questionnaires. Participant An fills in the K10 with known answers and the stored
score equals the hand-computed one (24, band high); answers out of range or incomplete give 400 with the
errors beside the items and every answer kept, and nothing is stored; the coach enters a work ability score
on An's behalf, An adds one herself, and the chart draws two points; the one door decides who sees what: HR
Tom (work side, consent for capacity) sees the work ability score but never the distress screening (health),
the GP (consent for health in the demo) sees the K10 and not the capacity results; every result shown is
in the access log with its grounds."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, assert_status,
                     run)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
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
    assert "entered by the coach" in body and "filled in by the participant" in body


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
