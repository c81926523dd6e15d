"""Trial placements and job starts (issue 13, part 5): the coach records a placement with its build-up of hours
and agreements; bad input (an end before the start, more than 60 hours a week or more than the opening offers,
overlapping placements) is refused with a clear message, 400 and nothing stored; the employer's HR contact
sees the placement and its evaluation talks only while the participant's consent for `work` to them is live
(a refusal is the not-found page, logged); an evaluation with the employer's remarks has the employer's member
as source; the participant reads her placement in plain dates; a start, a hire and a stop notify exactly the
people allowed to see the placement — a notice in the portal without names and a mail without content."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, SmtpSink, assert_status, free_port,
                     main_text, run)

SMTP = SmtpSink(free_port())
SMTP.start()
srv = Server(sets={"login_delay_ms": "0", "lang": "en", "smtp_url": "smtp://127.0.0.1:%d" % SMTP.port,
                   "mail_from": "portaal@zorgwerk.example", "mail_retry_s": "1", "mail_timeout_s": "5"})
coach = Client(srv)
coach.login(COACH_SOFIE)
an = Client(srv)
an.login(PART_AN)
tom = Client(srv)
tom.login(PARTNER_HR)
els = Client(srv)
els.login(PARTNER_GP)

DAY = 86400


def day(delta):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + delta * DAY))


VERBEKE = srv.sql("SELECT id FROM organisations WHERE name = 'Bouwbedrijf Verbeke NV'")[0][0]
HR_MEMBER = srv.sql("SELECT id FROM network_members WHERE trajectory_id = 1 AND role = 'hr'")[0][0]
S = {}


def count():
    return srv.sql("SELECT COUNT(*) FROM placements WHERE trajectory_id = 1")[0][0]


def create(**over):
    coach.get("/t/1/placements")
    form = {"kind": "trial", "employer": str(VERBEKE), "opening": "", "starts_on": day(0), "ends_on": day(27),
            "hours": "16", "step1_from": day(0), "step1_hours": "8", "step2_from": day(14), "step2_hours": "16",
            "tasks": "PLC-TASKS sorting the yard's stock", "buddy": "PLC-BUDDY Jan", "adjustments": "PLC-ADJ no ladders"}
    form.update(over)
    return coach.post("/t/1/placements", form)


def test_bad_input_is_refused_and_nothing_stored():
    r = create(starts_on=day(10), ends_on=day(2))
    assert_status(r, 400)
    assert "The end date lies before the start date." in r.body and "PLC-TASKS" in r.body
    r = create(hours="61")
    assert_status(r, 400)
    assert "At most 60 hours a week." in r.body
    r = create(step2_hours="70")
    assert_status(r, 400)
    assert "At most 60 hours a week." in r.body
    # an opening that offers at most 20 hours a week
    oid = srv.sql("INSERT INTO openings (employer_org_id, title, kind, work_kind, hours_min, hours_max, region, "
                  "status, created_at) VALUES (?, 'PLC-OPENING yard', 'work_experience', 'logistics', 8, 20, 'Mechelen', "
                  "'open', 0) RETURNING id", (VERBEKE,))[0][0]
    S["opening"] = oid
    r = create(opening=str(oid), hours="24")
    assert_status(r, 400)
    assert "The opening offers at most 20 hours a week." in r.body
    r = create(kind="trial", ends_on="")
    assert_status(r, 400)
    assert count() == 0


def test_create_with_build_up_and_overlap():
    r = create(opening=str(S["opening"]))
    assert_status(r, 303)
    pl = int(re.search(r"/placements/(\d+)", r.location).group(1))
    S["pl"] = pl
    assert srv.sql("SELECT kind, status, hours_tenths, opening_id FROM placements WHERE item_id = ?", (pl,))[0] == \
        ("trial", "planned", 160, S["opening"])
    assert srv.sql("SELECT from_on, hours_tenths FROM placement_hours WHERE placement_id = ? ORDER BY from_on",
                   (pl,)) == [(day(0), 80), (day(14), 160)]
    assert srv.sql("SELECT kind, category, source_member_id FROM items WHERE id = ?", (pl,))[0] == \
        ("placement", "work", None)
    body = coach.get("/t/1/placements/%d" % pl).body
    assert "PLC-TASKS" in body and "PLC-BUDDY" in body and "PLC-ADJ" in body and "PLC-OPENING" in body
    # a second placement over the same days: refused, nothing stored
    r = create(starts_on=day(20), ends_on=day(40), step1_from=day(20), step2_from=day(30), tasks="PLC-OVERLAP")
    assert_status(r, 400)
    assert "overlap another placement" in r.body
    assert count() == 1


def test_employer_sees_it_only_with_consent():
    url = "/t/1/placements/%d" % S["pl"]
    mark = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
    r = tom.get(url)
    assert_status(r, 404)
    assert "PLC-TASKS" not in r.body
    assert srv.sql("SELECT outcome FROM access_log WHERE id > ? AND item = ?", (mark, "placement:%d" % S["pl"])) == \
        [("denied",)]
    assert "PLC-TASKS" not in tom.get("/t/1/placements").body
    # the participant consents to share work information with HR
    S["consent"] = srv.sql("INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, category, "
                           "given_on, method, recorded_by, created_at) VALUES (1, NULL, ?, 'work', ?, 'conversation', "
                           "(SELECT id FROM users WHERE email = ?), 0) RETURNING id",
                           (HR_MEMBER, day(0), COACH_SOFIE))[0][0]
    r = tom.get(url)
    assert_status(r, 200)
    assert "PLC-TASKS" in r.body and "PLC-ADJ" in r.body
    assert "The placement has started" not in r.body  # no coach's actions
    # the GP holds no consent for work
    assert_status(els.get(url), 404)


def test_start_notifies_those_allowed():
    pl = S["pl"]
    coach.get("/t/1/placements/%d" % pl)
    assert_status(coach.post("/t/1/placements/%d/start" % pl, {}), 303)
    assert srv.sql("SELECT status FROM placements WHERE item_id = ?", (pl,))[0][0] == "started"
    told = {row[0] for row in srv.sql("SELECT u.email FROM placement_notices n JOIN users u ON u.id = n.user_id "
                                      "WHERE n.placement_id = ? AND n.event = 'started'", (pl,))}
    assert told == {PART_AN, PARTNER_HR}, told  # not the GP (no consent), not the coach who did it
    assert_status(coach.post("/t/1/placements/%d/start" % pl, {}), 409)
    # the notice in the portal: a date and a link, no employer, no name
    r = an.get("/notices")
    assert_status(r, 200)
    assert "News about a work placement" in r.body and "/t/1/placements/%d" % pl in r.body
    assert "Verbeke" not in r.body and "Janssens" not in main_text(r.body) and "PLC-" not in r.body
    els_body = els.get("/notices").body
    assert "News about a work placement" not in els_body
    # the mail: only that something changed, with a link
    got = SMTP.wait_for(lambda rcpts, msg, raw: PARTNER_HR in rcpts, what="the placement mail to HR")
    raw = got[0][2].decode("utf-8", "replace") if isinstance(got[0][2], bytes) else str(got[0][2])
    assert "/t/1/placements/%d" % pl in raw
    for secret in ("Verbeke", "Janssens", "An ", "PLC-", "trial", "Trial"):
        assert secret not in raw, secret
    # dismissing it
    nid = srv.sql("SELECT n.id FROM placement_notices n JOIN users u ON u.id = n.user_id WHERE u.email = ?",
                  (PART_AN,))[0][0]
    assert_status(tom.post("/notices/placements/%d/dismiss" % nid, {}), 404)  # not Tom's notice
    assert_status(an.post("/notices/placements/%d/dismiss" % nid, {}), 303)
    assert "News about a work placement" not in an.get("/notices").body


def test_evaluation_with_the_employer():
    pl = S["pl"]
    url = "/t/1/placements/%d" % pl
    coach.get(url)
    r = coach.post(url + "/evaluations", {"held_on": day(0), "source": str(HR_MEMBER), "goes_well": "PLC-EVAL-WELL",
                                          "to_adjust": "PLC-EVAL-ADJ", "hours_next": "25", "decision": "continue"})
    assert_status(r, 400)  # above the opening's 20 hours
    assert "The opening offers at most 20 hours a week." in r.body
    r = coach.post(url + "/evaluations", {"held_on": day(0), "source": str(HR_MEMBER), "goes_well": "PLC-EVAL-WELL",
                                          "to_adjust": "PLC-EVAL-ADJ", "hours_next": "20", "decision": "continue"})
    assert_status(r, 303)
    src = srv.sql("SELECT i.source_member_id, i.category FROM placement_evaluations e JOIN items i ON i.id = e.item_id "
                  "WHERE e.placement_id = ?", (pl,))
    assert src == [(HR_MEMBER, "work")], src
    assert "PLC-EVAL-WELL" in tom.get(url).body
    # the participant sees the employer's remarks: HR shares its work information with her in the demo
    assert "PLC-EVAL-WELL" in an.get(url).body
    # a source that is not a work-side member of this trajectory is refused
    gp = srv.sql("SELECT id FROM network_members WHERE trajectory_id = 1 AND role = 'gp'")[0][0]
    r = coach.post(url + "/evaluations", {"held_on": day(0), "source": str(gp), "decision": "continue"})
    assert_status(r, 400)


def test_participant_reads_plain_dates():
    r = an.get("/t/1/placements")
    assert_status(r, 200)
    assert "Trial placement" in r.body and day(0) not in r.body  # dates in words
    assert "New placement" not in r.body
    assert "/t/1/placements" in an.get("/me").body
    # she cannot record anything
    assert_status(an.post("/t/1/placements/%d/evaluations" % S["pl"], {"held_on": day(0), "decision": "stop",
                                                                        "source": "participant"}), 404)


def test_withdrawn_consent_hides_it_at_once():
    srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE id = ?", (S["consent"],))
    r = tom.get("/t/1/placements/%d" % S["pl"])
    assert_status(r, 404)
    assert "PLC-EVAL-WELL" not in r.body and "PLC-TASKS" not in r.body
    assert "PLC-EVAL-WELL" not in tom.get("/t/1/placements").body


def test_outcome_hired_and_its_event():
    pl = S["pl"]
    url = "/t/1/placements/%d" % pl
    coach.get(url)
    r = coach.post(url + "/outcome", {"outcome": "stopped", "on": day(0), "stop_reason": ""})
    assert_status(r, 400)
    assert "Choose why the placement stopped." in r.body
    r = coach.post(url + "/outcome", {"outcome": "hired", "on": day(0), "contract_type": "fixed_term",
                                      "contract_hours": "70"})
    assert_status(r, 400)
    assert "At most 60 hours a week." in r.body
    assert srv.sql("SELECT status FROM placements WHERE item_id = ?", (pl,))[0][0] == "started"
    r = coach.post(url + "/outcome", {"outcome": "hired", "on": day(0), "contract_type": "fixed_term",
                                      "contract_hours": "20"})
    assert_status(r, 303)
    assert srv.sql("SELECT status, outcome, contract_type, contract_hours_tenths FROM placements WHERE item_id = ?",
                   (pl,))[0] == ("ended", "hired", "fixed_term", 200)
    told = {row[0] for row in srv.sql("SELECT u.email FROM placement_notices n JOIN users u ON u.id = n.user_id "
                                      "WHERE n.placement_id = ? AND n.event = 'hired'", (pl,))}
    assert told == {PART_AN}, told  # HR's consent was withdrawn: HR is no longer told
    assert "Hired" in an.get(url).body
    # an ended placement takes no second outcome
    assert_status(coach.post(url + "/outcome", {"outcome": "stopped", "on": day(0), "stop_reason": "other"}), 409)


def test_extended_then_stopped_on_another_trajectory():
    coach.get("/t/2/placements")
    r = coach.post("/t/2/placements", {"kind": "trial", "employer": str(VERBEKE), "starts_on": day(-10),
                                       "ends_on": day(10), "hours": "12", "tasks": "PLC-KARIM"})
    assert_status(r, 303)
    pl = int(re.search(r"/placements/(\d+)", r.location).group(1))
    url = "/t/2/placements/%d" % pl
    coach.get(url)
    assert_status(coach.post(url + "/start", {}), 303)
    # extended: a new end after the current one, the placement runs on; no event
    r = coach.post(url + "/outcome", {"outcome": "extended", "on": day(0), "new_ends_on": day(5)})
    assert_status(r, 400)
    assert "The new end date must lie after the current end." in r.body
    assert_status(coach.post(url + "/outcome", {"outcome": "extended", "on": day(0), "new_ends_on": day(40)}), 303)
    assert srv.sql("SELECT status, ends_on FROM placements WHERE item_id = ?", (pl,))[0] == ("started", day(40))
    assert_status(coach.post(url + "/outcome", {"outcome": "stopped", "on": day(0), "stop_reason": "mismatch",
                                                "stop_note": "PLC-STOP"}), 303)
    assert srv.sql("SELECT status, outcome, stop_reason FROM placements WHERE item_id = ?", (pl,))[0] == \
        ("ended", "stopped", "mismatch")
    told = [row[0] for row in srv.sql("SELECT event FROM placement_notices n JOIN users u ON u.id = n.user_id "
                                      "WHERE n.placement_id = ? AND u.email = 'karim.elamrani@mail.example' "
                                      "ORDER BY n.id", (pl,))]
    assert told == ["started", "stopped"], told
    # Karim's placement is not An's business
    assert_status(an.get(url), 404)


def test_another_trajectory_in_the_url():
    # Karim's trajectory (2) is Sofie's too: the placement of trajectory 1 is not found under it
    r = coach.get("/t/2/placements/%d" % S["pl"])
    assert_status(r, 404)


if __name__ == "__main__":
    try:
        run(srv, globals())
    finally:
        SMTP.stop()
