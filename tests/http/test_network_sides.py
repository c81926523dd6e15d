"""Sides of the network and refusals about network members (issue 10 part 13; issue 9 leftovers).

Sides (doc/DOMAIN.md "Sides"): a job-support service such as GTB is a work-side role; the occupational
physician stays on the care side. Health details are protected by the consent rule and its guardrail, not
by a side label alone: the occupational physician reads a health note only with the participant's consent
for health; a job-support service never gets health, not by a consent to it (refused with the explanation)
nor through a consent to the whole work side, while a capacity consent reaches it.

Refusals: removing or inviting a network member by an id that is not a live member of the trajectory in
the URL is logged against the participant whose network that member is in (or nobody, for an id that does
not exist), not against the participant the URL named.
"""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PART_MARIEKE, Server, assert_refused_on_owner,
                     assert_status, link_token, participant_trajectory, password_sign_in, run, signed_in, sql_one,
                     strip_tags, unescape, use_link, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
NEW_PASSWORD = "Zonnige-dinsdag-op-kantoor-2026"
HEALTH_EXPLANATION = "Health details are never shared with the work side"
S = {}
C = {}


AN_T, AN_P = participant_trajectory(srv, PART_AN)                 # Sofie's
KARIM_T, KARIM_P = participant_trajectory(srv, PART_KARIM)        # Sofie's
MARIEKE_T, MARIEKE_P = participant_trajectory(srv, PART_MARIEKE)  # Pieter's


def today():
    return datetime.date.today().isoformat()


def add_member(c, tid, name, email, role, side=None):
    c.get("/t/%d/network" % tid)
    data = {"role": role, "name": name, "organisation": "Dienst", "email": email}
    if side:
        data["side"] = side
    return c.post("/t/%d/network" % tid, data)


def member(tid, name):
    rows = srv.sql("SELECT id, side FROM network_members WHERE trajectory_id = ? AND name = ? AND removed_at IS NULL",
                   (tid, name))
    assert rows, "no member %r" % name
    return rows[0]


def consent(c, tid, grantee, category):
    c.get("/t/%d/consents" % tid)
    return c.post("/t/%d/consents" % tid, {"source": "participant", "grantee": grantee, "category": category,
                                           "method": "conversation", "given_on": today(), "valid_until": ""})


def account_for(c, tid, mid, email):
    """Invites member mid to an account and sets its password; returns a signed-in client."""
    c.get("/t/%d/network" % tid)
    r = c.post("/t/%d/network/%d/invite" % (tid, mid), {})
    assert_status(r, 200, "invite member %d" % mid)
    token = link_token(r.body)
    assert token, strip_tags(r.body)[:300]
    assert_status(use_link(srv, token, NEW_PASSWORD), 303, "set the password of %s" % email)
    return password_sign_in(srv, email, NEW_PASSWORD)[0]


def note(c, tid, title, category):
    c.get("/t/%d/notes" % tid)
    r = c.post("/t/%d/notes" % tid, {"title": title, "category": category, "source": "participant",
                                      "body": "Inhoud van %s." % title})
    assert_status(r, 303, "note %s" % title)


# ---------------------------------------------------------------- sides

def test_job_support_is_a_work_side_role_and_the_occupational_physician_a_care_side_role():
    sofie = signed_in(srv, C, COACH_SOFIE)
    page = sofie.get("/t/%d/network" % AN_T)
    groups = dict(re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', page.body, re.S))
    assert 'value="job_support"' in groups.get("Work network", ""), "no job-support role in the work network"
    assert 'value="occupational_physician"' in groups.get("Care network", ""), "occupational physician moved"
    r = add_member(sofie, AN_T, "GTB Kempen", "gtb@kempen.example", "job_support", side="care")
    assert_status(r, 400, "a job-support service on the care side")
    assert_status(add_member(sofie, AN_T, "GTB Kempen", "gtb@kempen.example", "job_support"), 303, "add GTB")
    assert_status(add_member(sofie, AN_T, "dr. Bart Bedrijfsarts", "bart@idewe.example", "occupational_physician"),
                  303, "add the occupational physician")
    S["gtb"], side = member(AN_T, "GTB Kempen")
    assert side == "work", side
    S["op"], side = member(AN_T, "dr. Bart Bedrijfsarts")
    assert side == "care", side
    page = sofie.get("/t/%d/network" % AN_T)
    work = re.search(r'<section class="card" aria-labelledby="h-work">(.*?)</section>', page.body, re.S).group(1)
    assert "GTB Kempen" in work and "GTB" in strip_tags(work), "GTB is not listed in the work network"


def test_the_consent_rule_keeps_health_from_the_job_support_service():
    sofie = signed_in(srv, C, COACH_SOFIE)
    r = consent(sofie, AN_T, "member:%d" % S["gtb"], "health")
    assert_status(r, 400, "a health consent to the job-support service")
    assert HEALTH_EXPLANATION in unescape(strip_tags(r.body))
    assert_status(consent(sofie, AN_T, "member:%d" % S["gtb"], "capacity"), 303, "capacity to GTB")
    assert_status(consent(sofie, AN_T, "member:%d" % S["op"], "health"), 303, "health to the occupational physician")
    note(sofie, AN_T, "Belastbaarheid vier uur per dag", "capacity")
    note(sofie, AN_T, "Diagnose en behandeling rug", "health")
    gtb = account_for(sofie, AN_T, S["gtb"], "gtb@kempen.example")
    notes = gtb.get("/t/%d/notes" % AN_T)
    assert_status(notes, 200, "GTB opens the notes")
    assert "Belastbaarheid vier uur per dag" in notes.body, "the capacity note does not reach GTB"
    assert "Diagnose en behandeling rug" not in notes.body, "a health note reached the job-support service"
    op = account_for(sofie, AN_T, S["op"], "bart@idewe.example")
    notes = op.get("/t/%d/notes" % AN_T)
    assert_status(notes, 200, "the occupational physician opens the notes")
    assert "Diagnose en behandeling rug" in notes.body, "the health note does not reach the occupational physician"
    # the care-side label alone opens nothing: the occupational physician's health comes from the consent
    cid = sql_one(srv, "SELECT id FROM consents WHERE trajectory_id = ? AND grantee_member_id = ? "
                  "AND category = 'health'", (AN_T, S["op"]))
    sofie.get("/t/%d/consents" % AN_T)
    assert_status(sofie.post("/t/%d/consents/%d/withdraw" % (AN_T, cid), {}), 303, "withdraw the health consent")
    assert "Diagnose en behandeling rug" not in op.get("/t/%d/notes" % AN_T).body, \
        "the occupational physician reads health without a consent"


# ---------------------------------------------------------------- refusals on the member's own file

def refused(email, path, owner, named):
    """email's POST to path is refused and logged on owner only (assert_refused_on_owner)."""
    assert_refused_on_owner(srv, signed_in(srv, C, email), user_id(srv, email), "POST", path, owner, named)


def test_removing_or_inviting_another_trajectorys_member_is_logged_on_its_own_file():
    mid = sql_one(srv, "SELECT MIN(id) FROM network_members WHERE trajectory_id = ? AND removed_at IS NULL", (AN_T,))
    for action in ("remove", "invite"):
        # Sofie, coach of Karim too, names An's member under Karim's trajectory
        refused(COACH_SOFIE, "/t/%d/network/%d/%s" % (KARIM_T, mid, action), (AN_P, AN_T), KARIM_P)
        # through a trajectory she may not open at all
        refused(COACH_SOFIE, "/t/%d/network/%d/%s" % (MARIEKE_T, mid, action), (AN_P, AN_T), MARIEKE_P)
        # Pieter, coach of Marieke, names An's member under Marieke's trajectory
        refused(COACH_PIETER, "/t/%d/network/%d/%s" % (MARIEKE_T, mid, action), (AN_P, AN_T), MARIEKE_P)
        # a member that does not exist: against nobody
        refused(COACH_SOFIE, "/t/%d/network/999999/%s" % (KARIM_T, action), (None, None), KARIM_P)
    assert srv.sql("SELECT removed_at FROM network_members WHERE id = ?", (mid,)) == [(None,)], "the member was removed"


run(srv, globals())
