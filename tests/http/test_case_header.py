"""Whose file is this? (issue 10, parts 5 and 6.)

Every page of a trajectory (/t/{id}/..., every GET route read from `zorgwerk routes`, never listed here)
carries the case header — the participant's name, the phase and the coach —, a title "<page> · <participant's
name>" and its own h1; the date of birth is in the header for the coach only, never for a network
member or the participant; every such page writes its view of the trajectory to the access log.

The overview (/t/{id}) shows the next actions of the plan, the plan's confirmation state, the open
referrals, the latest notes and the contact details entered at registration — each through the one door:
the coach sees all of it, the HR contact only what was consented (a health note and a health referral stay
away, a member of the other side is named with the neutral label) and no contact details; every item
shown is in the access log.
"""
import html as htmllib
import os
import re
import secrets
import sys
import time
import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, assert_status, run,
                     strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
TID = 1
TOK = secrets.token_hex(3)
F = {}   # fixture: ids and texts
C = {}   # email -> signed-in client


def client(email):
    if email not in C:
        c = Client(srv)
        c.login(email)
        C[email] = c
    return C[email]


def uid(email):
    return srv.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]


def day(delta=0):
    d = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=delta)
    return d.isoformat()


def item(kind, category, title, author, source=None, created_at=None):
    return srv.sql("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, body, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                   (TID, kind, category, source, author, title, "Body of " + title,
                    created_at or int(time.time())))[0][0]


def build_fixture():
    """Trajectory 1 (An Janssens): a plan version confirmed by the participant only, with open actions owned by
    the participant and by the psychologist (care side) and a done one; open and closed referrals; a
    capacity note (consented to HR by the demo) and a health note (never to the work side); a phone number;
    an assessment and a check-in moment for the routes that need one."""
    now = int(time.time())
    sofie, an = uid(COACH_SOFIE), uid(PART_AN)
    row = srv.sql("SELECT p.first_name || ' ' || p.last_name, p.birth_date, p.email FROM trajectories t "
                  "JOIN participants p ON p.id = t.participant_id WHERE t.id = ?", (TID,))[0]
    F.update(name=row[0], birth=row[1], email=row[2], phone="+32 470 99 %s" % TOK[:4])
    assert F["email"], "the demo participant has an e-mail address"
    srv.sql("UPDATE participants SET phone = ? WHERE id = (SELECT participant_id FROM trajectories WHERE id = ?)",
            (F["phone"], TID))
    psy = srv.sql("SELECT id FROM network_members WHERE trajectory_id = ? AND role = 'psychologist'", (TID,))[0][0]

    version = srv.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM plan_versions WHERE trajectory_id = ?", (TID,))[0][0]
    vid = item("plan", "plan", "Action plan version %d" % version, sofie, created_at=now - 600)
    srv.sql("INSERT INTO plan_versions (item_id, trajectory_id, version, created_by, created_at, "
            "confirmed_by_participant_at, confirmed_by_participant) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (vid, TID, version, sofie, now - 600, now - 300, an))
    srv.sql("UPDATE plan_actions SET is_current = 0 WHERE trajectory_id = ?", (TID,))
    goal = srv.sql("INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                   "relevant, time_bound) VALUES (?, 1, 'Back at work', 's', 'm', 'a', 'r', ?) RETURNING id",
                   (vid, day(60)))[0][0]
    acts = (("act_part", "participant", None, "planned", 3), ("act_psy", "member", psy, "in_progress", 5),
            ("act_done", "participant", None, "done", 1))
    for pos, (key, kind, member, status, due) in enumerate(acts, 1):
        F[key] = "Action %s %s" % (key, TOK)
        srv.sql("INSERT INTO plan_actions (goal_id, position, text, owner_kind, owner_member_id, due_on, status, "
                "trajectory_id, is_current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (goal, pos, F[key], kind, member, day(due), status, TID))
    F.update(vid=vid, version=version, psy_name=srv.sql("SELECT name FROM network_members WHERE id = ?", (psy,))[0][0])

    for key, kind, category, status in (("ref_care", "specialised_care", "health", "sent"),
                                        ("ref_career", "career_guidance", "work", "accepted"),
                                        ("ref_closed", "career_guidance", "work", "completed")):
        F[key] = "Referral %s %s" % (key, TOK)
        rid = item("referral", category, F[key], sofie, created_at=now - 200)
        srv.sql("INSERT INTO referrals (item_id, trajectory_id, kind, target, reason, status, status_changed_at, "
                "created_by, created_at) VALUES (?, ?, ?, ?, 'reason', ?, ?, ?, ?)",
                (rid, TID, kind, F[key], status, now - 200, sofie, now - 200))
        F[key + "_id"] = rid

    F["note_cap"], F["note_health"] = "Note capacity " + TOK, "Note health " + TOK
    F["note_cap_id"] = item("note", "capacity", F["note_cap"], sofie, created_at=now - 10)
    F["note_health_id"] = item("note", "health", F["note_health"], sofie, created_at=now - 5)

    fid = item("followup", "practical", "Check-in", sofie)
    srv.sql("INSERT INTO followups (item_id, trajectory_id, kind, due_on, created_by, created_at) "
            "VALUES (?, ?, 'checkin', ?, ?, ?)", (fid, TID, day(30), sofie, now))
    F["fid"] = fid
    c = client(COACH_SOFIE)
    r = c.post("/t/%d/assessments" % TID, {"q": "work-ability", "a_was": "6"})
    assert r.status in (200, 303), "the coach enters an assessment: %d" % r.status
    F["aid"] = srv.sql("SELECT MAX(item_id) FROM assessments WHERE trajectory_id = ?", (TID,))[0][0]
    assert F["aid"], "no assessment was stored"
    # a message (issue 12) from the participant to her coach and the HR contact (practical: the work side has
    # the participant's consent for it in the demo)
    an = srv.sql("SELECT id FROM users WHERE email = ?", (PART_AN,))[0][0]
    hr = srv.sql("SELECT id FROM users WHERE email = ?", (PARTNER_HR,))[0][0]
    F["msg"] = item("message", "practical", "", an)
    srv.sql("INSERT INTO messages (item_id, trajectory_id) VALUES (?, ?)", (F["msg"], TID))
    for uid_ in (sofie, hr):
        srv.sql("INSERT INTO message_recipients (message_id, user_id) VALUES (?, ?)", (F["msg"], uid_))
    # a meeting (issue 12) that the participant and every member of the network attend
    F["meeting"] = srv.sql("INSERT INTO meetings (trajectory_id, kind, mode, starts_at, duration_minutes, created_by, "
                           "created_at) VALUES (?, 'consultation', 'group', ?, 60, ?, ?) RETURNING id",
                           (TID, now + 86400, sofie, now))[0][0]
    srv.sql("INSERT INTO meeting_attendees (meeting_id, member_id) VALUES (?, NULL)", (F["meeting"],))
    srv.sql("INSERT INTO meeting_attendees (meeting_id, member_id) SELECT ?, id FROM network_members "
            "WHERE trajectory_id = ? AND removed_at IS NULL", (F["meeting"], TID))
    # (issue 13): a placement under way with an open job-coaching contact
    F["pl"] = item("placement", "work", "trial", sofie)
    srv.sql("INSERT INTO placements (item_id, trajectory_id, employer_org_id, kind, starts_on, hours_tenths, status, "
            "created_by, created_at) VALUES (?, ?, (SELECT employer_org_id FROM trajectories WHERE id = ?), 'job', ?, "
            "160, 'started', ?, ?)", (F["pl"], TID, TID, day(-7), sofie, now))
    F["jc"] = item("jobcoaching", "work", "jobcoaching", sofie)
    srv.sql("INSERT INTO job_coaching_contacts (item_id, placement_id, trajectory_id, due_on, with_whom, created_by, "
            "created_at) VALUES (?, ?, ?, ?, 'participant', ?, ?)", (F["jc"], F["pl"], TID, day(7), sofie, now))


def case_get_routes():
    """The GET routes of one trajectory, from the route table."""
    out = []
    for line in srv.cli("routes", check=True).stdout.splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and "noframe" in parts[3].split():
            continue  # a download (a meeting's .ics), not a page: no header to show
        if len(parts) >= 2 and parts[0] == "GET" and (parts[1] == "/t/{id}" or parts[1].startswith("/t/{id}/")):
            out.append(parts[1])
    assert len(out) >= 10, "too few trajectory routes: %r" % out
    return out


QUERY = {"/t/{id}/assessments/new": "?q=work-ability"}  # a page that needs a query parameter


def url_for(pattern, nid):
    """The URL of a route pattern for trajectory 1, with an object of trajectory 1 for each parameter."""
    subs = {"id": TID, "nid": nid, "vid": F["vid"], "aid": F["aid"], "fid": F["fid"], "meeting": F["meeting"],
            "msg": F["msg"], "pl": F["pl"], "jc": F["jc"]}  # pl, jc (issue 13)

    def sub(m):
        assert m.group(1) in subs, "%s: no value for {%s}; give it one in url_for" % (pattern, m.group(1))
        return str(subs[m.group(1)])
    return re.sub(r"\{(\w+)\}", sub, pattern) + QUERY.get(pattern, "")


def header_of(body):
    m = re.search(r'<div class="case-header">(.*?)</div>', body, re.S)
    return htmllib.unescape(strip_tags(m.group(1))) if m else None


def title_of(body):
    m = re.search(r"<title>(.*?)</title>", body, re.S)
    return htmllib.unescape(m.group(1)) if m else ""


def log_count(user):
    return srv.sql("SELECT COUNT(*) FROM access_log WHERE user_id = ? AND trajectory_id = ? AND outcome = 'ok'",
                   (user, TID))[0][0]


def phase_label():
    return srv.sql("SELECT phase FROM trajectories WHERE id = ?", (TID,))[0][0]


# ---------------------------------------------------------------- tests

def test_setup():
    build_fixture()


def test_every_case_page_names_the_participant_for_the_coach():
    c, sofie = client(COACH_SOFIE), uid(COACH_SOFIE)
    coach_name = srv.sql("SELECT name FROM users WHERE id = ?", (sofie,))[0][0]
    problems = []
    for pattern in case_get_routes():
        url = url_for(pattern, F["note_health_id"])
        before = log_count(sofie)
        r = c.get(url)
        if r.status != 200:
            problems.append("%s -> %d" % (url, r.status))
            continue
        head = header_of(r.body)
        if head is None:
            problems.append("%s: no case header" % url)
            continue
        for what, text in (("name", F["name"]), ("date of birth", F["birth"]), ("coach", coach_name)):
            if text not in head:
                problems.append("%s: the header lacks the %s (%r): %r" % (url, what, text, head))
        if "Phase" not in head:
            problems.append("%s: the header lacks the phase: %r" % (url, head))
        if not re.search(r"<title>[^<]+ · %s · " % re.escape(F["name"]), r.body):
            problems.append("%s: title %r does not end in the participant's name" % (url, title_of(r.body)))
        if not re.search(r"<h1[^>]*>\s*[^<\s]", r.body):
            problems.append("%s: no h1 that says what the page is" % url)
        if log_count(sofie) <= before:
            problems.append("%s: the view is not in the access log" % url)
    assert not problems, "\n".join(problems)


def test_members_and_the_participant_see_the_header_without_the_date_of_birth():
    seen = {}
    for email, nid in ((PARTNER_GP, F["note_health_id"]), (PARTNER_HR, F["note_cap_id"]),
                       (PART_AN, F["note_cap_id"])):
        c, user = client(email), uid(email)
        problems, opened = [], []
        for pattern in case_get_routes():
            url = url_for(pattern, nid)
            before = log_count(user)
            r = c.get(url)
            if r.status != 200:
                continue  # a section that is not theirs (the protocol, the coach's forms): its own refusal
            opened.append(pattern)
            head = header_of(r.body)
            if head is None or F["name"] not in head:
                problems.append("%s: no header with the participant's name: %r" % (url, head))
            if F["birth"] in r.body:
                problems.append("%s shows the date of birth" % url)
            if F["name"] not in title_of(r.body):
                problems.append("%s: title %r without the name" % (url, title_of(r.body)))
            if log_count(user) <= before:
                problems.append("%s: the view is not in the access log" % url)
        seen[email] = opened
        assert not problems, "%s:\n%s" % (email, "\n".join(problems))
    for email in seen:
        assert {"/t/{id}", "/t/{id}/notes", "/t/{id}/notes/{nid}", "/t/{id}/plan"} <= set(seen[email]), \
            "%s opened only %r" % (email, seen[email])


def section(body, hid):
    m = re.search(r'<section[^>]*aria-labelledby="%s".*?</section>' % hid, body, re.S)
    return htmllib.unescape(m.group(0)) if m else ""


def test_the_overview_shows_the_coach_what_needs_doing():
    sofie = uid(COACH_SOFIE)
    start = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
    r = client(COACH_SOFIE).get("/t/%d" % TID)
    assert_status(r, 200, "overview")
    body = htmllib.unescape(r.body)
    assert F["act_part"] in body and F["act_psy"] in body, "the next actions are not on the overview"
    assert F["psy_name"] in body, "the coach does not see who owns the psychologist's action"
    assert F["act_done"] not in body, "a done action is listed as a next action"
    assert body.index(F["act_part"]) < body.index(F["act_psy"]), "the earliest action is not first"
    plan = section(r.body, "h-plan")
    assert "Version %d" % F["version"] in plan, "the plan's version is not named: %r" % plan
    assert "Confirmed" in plan and "Not yet confirmed" in plan, \
        "the confirmation state (participant yes, coach not yet) is missing: %r" % strip_tags(plan)
    assert F["ref_care"] in body and F["ref_career"] in body, "the open referrals are not on the overview"
    assert F["ref_closed"] not in body, "a completed referral is listed as open"
    assert F["note_cap"] in body and F["note_health"] in body, "the latest notes are not on the overview"
    assert F["email"] in body and F["phone"] in body, "the contact details are not shown to the coach"
    logged = {row[0] for row in srv.sql("SELECT item FROM access_log WHERE id > ? AND user_id = ? AND outcome = 'ok'",
                                        (start, sofie))}
    want = {"trajectory", "plan:%d" % F["vid"], "referral:%d" % F["ref_care_id"], "referral:%d" % F["ref_career_id"],
            "note:%d" % F["note_cap_id"], "note:%d" % F["note_health_id"]}
    assert want <= logged, "not in the access log: %r" % (want - logged)


def test_the_overview_shows_the_hr_contact_only_what_was_consented():
    tom = uid(PARTNER_HR)
    start = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
    r = client(PARTNER_HR).get("/t/%d" % TID)
    assert_status(r, 200, "overview for HR")
    body = htmllib.unescape(r.body)
    assert F["note_cap"] in body, "HR does not see the capacity note the participant consented to"
    assert F["note_health"] not in body, "HR sees a health note"
    assert F["act_part"] in body and F["act_psy"] in body, "HR does not see the plan's actions (plan consent)"
    assert F["psy_name"] not in body, "HR learns the name of a care-side member"
    assert "another member of the network" in section(r.body, "h-next"), "the hidden owner has no neutral label"
    assert "Confirmed" in section(r.body, "h-plan"), "HR does not see the plan's confirmation state"
    for key in ("ref_care", "ref_career", "ref_closed"):
        assert F[key] not in body, "HR sees referral %s without consent" % key
    for what in ("email", "phone", "birth"):
        assert F[what] not in body, "HR sees the participant's %s" % what
    logged = {row[0] for row in srv.sql("SELECT item FROM access_log WHERE id > ? AND user_id = ? AND outcome = 'ok'",
                                        (start, tom))}
    assert {"trajectory", "note:%d" % F["note_cap_id"], "plan:%d" % F["vid"]} <= logged, logged
    assert "note:%d" % F["note_health_id"] not in logged and "referral:%d" % F["ref_care_id"] not in logged


def test_the_gp_sees_the_consented_health_items_but_no_contact_details():
    r = client(PARTNER_GP).get("/t/%d" % TID)
    assert_status(r, 200, "overview for the GP")
    body = htmllib.unescape(r.body)
    assert F["note_health"] in body and F["ref_care"] in body, "the GP does not see what the participant consented"
    assert F["note_cap"] not in body and F["ref_career"] not in body, "the GP sees what was not consented"
    for what in ("email", "phone", "birth"):
        assert F[what] not in body, "the GP sees the participant's %s" % what


if __name__ == "__main__":
    run(srv, globals())
