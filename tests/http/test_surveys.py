#!/usr/bin/env python3
"""Experience surveys (issue 14): after closure the participant answers on /me (/surveys), the employer's
contact (the work-side member of the employer's organisation) after a return to work; one answer each,
kept without the trajectory or the person, shown only in aggregate (and remarks only from 5 answers on, to
the programme manager)."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PART_AN, PART_KARIM, PARTNER_GP, PARTNER_HR, Server, db_columns, participant_trajectory, run,
                     signed_in, user_id)

PROGRAMME = "rik.vanacker@zorgwerk.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
S = {}


def client(email):
    return signed_in(srv, C, email, lang=None)


def test_no_survey_before_closure():
    an = client(PART_AN)
    r = an.get("/surveys")
    assert r.status == 200 and "There is no survey for you" in r.body
    assert "/surveys" not in an.get("/me").body.split("</nav>", 1)[-1]
    S["tid"] = participant_trajectory(srv, PART_AN)[0]
    r = an.get("/surveys/%d?as=participant" % S["tid"])
    assert r.status == 404


def test_close_with_work():
    tid = S["tid"]
    coach = srv.sql("SELECT u.email FROM trajectory_coaches tc JOIN users u ON u.id = tc.user_id "
                    "WHERE tc.trajectory_id = ? ORDER BY u.id LIMIT 1", (tid,))[0][0]
    c = client(coach)
    c.get("/t/%d/protocol" % tid)
    r = c.post("/t/%d/close" % tid, {"outcome": "returned_own_job", "closed_on": time.strftime("%Y-%m-%d", time.gmtime()),
                                     "hours": "24", "note": "Afgesloten voor de enquête-test."})
    assert r.status == 303, (r.status, re.findall(r'class="error-msg"[^>]*>([^<]*)', r.body))
    assert srv.sql("SELECT status FROM trajectories WHERE id = ?", (tid,))[0][0] == "closed"


def test_participant_sees_the_survey_on_me_and_answers_once():
    an = client(PART_AN)
    me = an.get("/me")
    assert me.status == 200 and 'href="/surveys"' in me.body, "no survey card on /me"
    lst = an.get("/surveys")
    assert "/surveys/%d?as=participant" % S["tid"] in lst.body
    form = an.get("/surveys/%d?as=participant" % S["tid"])
    assert form.status == 200 and "How happy are you" in form.body
    bad = an.post("/surveys/%d" % S["tid"], {"as": "participant", "satisfaction": "9", "recommend": "maybe"})
    assert bad.status == 400 and "Choose a number from 1 to 5." in bad.body and "Choose yes or no." in bad.body
    before = srv.sql("SELECT COUNT(*) FROM survey_responses")[0][0]
    ok = an.post("/surveys/%d" % S["tid"], {"as": "participant", "satisfaction": "4", "recommend": "yes",
                                            "remark": "Fijne begeleiding, unieke-opmerking-an"})
    assert ok.status == 303, ok.status
    rows = srv.sql("SELECT * FROM survey_responses")
    assert len(rows) == before + 1
    cols = db_columns(srv, "survey_responses")
    assert "satisfaction" in cols, cols  # the table's columns were read
    assert "trajectory_id" not in cols and "user_id" not in cols, cols
    again = an.post("/surveys/%d" % S["tid"], {"as": "participant", "satisfaction": "5", "recommend": "yes"})
    assert again.status in (404, 409), again.status
    assert srv.sql("SELECT COUNT(*) FROM survey_responses")[0][0] == before + 1
    assert 'href="/surveys"' not in an.get("/me").body.split("<main", 1)[-1]


def test_others_cannot_answer_for_her():
    for email in (PART_KARIM, PARTNER_GP):
        c = client(email)
        r = c.post("/surveys/%d" % S["tid"], {"as": "participant", "satisfaction": "1", "recommend": "no"})
        assert r.status in (403, 404), (email, r.status)
        r = c.post("/surveys/%d" % S["tid"], {"as": "employer", "satisfaction": "1", "recommend": "no"})
        assert r.status in (403, 404), (email, r.status)


def test_employer_contact_answers_after_return():
    hr = client(PARTNER_HR)
    shared = hr.get("/shared")
    assert 'href="/surveys"' in shared.body
    form = hr.get("/surveys/%d?as=employer" % S["tid"])
    assert form.status == 200 and "other employers" in form.body
    r = hr.post("/surveys/%d" % S["tid"], {"as": "employer", "satisfaction": "5", "recommend": "yes"})
    assert r.status == 303
    assert srv.sql("SELECT COUNT(*) FROM survey_responses WHERE respondent = 'employer'")[0][0] == 1
    r = hr.post("/surveys/%d" % S["tid"], {"as": "employer", "satisfaction": "5", "recommend": "yes"})
    assert r.status in (404, 409)


def test_results_only_in_aggregate():
    pm = client(PROGRAMME)
    body = pm.get("/reports").body
    sec = re.search(r'id="report-surveys">(.*?)</section>', body, re.S).group(1)
    assert "fewer than 5" in sec
    assert "unieke-opmerking-an" not in body, "a remark shown with fewer than 5 answers"


if __name__ == "__main__":
    run(srv, globals())
