"""The SMART action plan (/t/{id}/plan): the coach writes version 1 (after refusals that keep the typed
text: a missing SMART field, a due date before the start, an owner from another trajectory), adjusts it
into version 2 with a reason, and the comparison shows what changed; the participant and the coach each
confirm once (a second confirmation and confirming an old version are 409); two coach sessions editing
the same version: the second save gets 409 with its text kept and nothing saved is lost. The edit form starts
with one goal and one action; "Add goal" / "Add action" submit the form and get it back with one more row and
everything typed, saving nothing; an existing plan shows its own goals and actions, no empty rows. HR sees the plan
only while the participant's consent for `plan` covers the work side; another coach and the administrator
get the not-found page. Every read is in the access log with its grounds and consent."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in, sign_in_all, ADMIN, COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server,
                     assert_status, form_fields, run, strip_tags, unescape)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
NOT_FOUND = "This page does not exist, or you have no access to it."
CONFLICT = "Someone else saved a new version while you were editing"


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
STARTED = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))
HR_MEMBER = one("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
                "AND u.email = ?", (TID, PARTNER_HR))
V = {}  # version number -> item id


def uid(email):
    return one("SELECT id FROM users WHERE email = ?", (email,))


def day_after_start(n):
    import datetime
    d = datetime.date.fromisoformat(STARTED) + datetime.timedelta(days=n)
    return d.isoformat()


def goal(i, title, due_offset=30, **over):
    """Form fields of goal i (1-based) with one action owned by HR."""
    f = {
        "g%d_title" % i: title,
        "g%d_specific" % i: "Work 4 hours a day on the planning desk",
        "g%d_measurable" % i: "Hours worked per week in the timesheet",
        "g%d_achievable" % i: "Agreed with HR and the GP",
        "g%d_relevant" % i: "First step back to her own job",
        "g%d_time_bound" % i: day_after_start(90),
        "g%da1_text" % i: "Arrange a quiet workplace",
        "g%da1_owner" % i: str(HR_MEMBER),
        "g%da1_due" % i: day_after_start(due_offset),
        "g%da1_status" % i: "planned",
        "g%da1_measure" % i: "workplace-adjustments",
    }
    f.update(over)
    return f


def post_plan(c, fields, base):
    data = dict(fields)
    data["base_version"] = str(base)
    return c.post("/t/%d/plan" % TID, data)


def test_sign_in():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, ADMIN, PART_AN, PARTNER_HR, PARTNER_GP), C)
    C["sofie2"] = sign_in(srv, COACH_SOFIE)


def test_no_plan_yet():
    r = C[COACH_SOFIE].get("/t/%d/plan" % TID)
    assert_status(r, 200, "empty plan page")
    assert "There is no action plan you can see yet." in r.body
    assert 'href="/t/%d/plan/edit"' % TID in r.body
    r = C[COACH_SOFIE].get("/t/%d/plan/edit" % TID)
    assert_status(r, 200, "edit form")
    f = form_fields(r.body)
    assert f["base_version"] == "0", f["base_version"]
    assert "reason" not in f, "no reason for the first version"
    assert 'value="%d"' % HR_MEMBER in r.body, "network members are owners to choose from"


def controls(body):
    return len(re.findall(r"<(?:input|select|textarea)\b(?![^>]*type=\"hidden\")", body))


def test_form_starts_small_and_grows_without_javascript():
    c = C[COACH_SOFIE]
    r = c.get("/t/%d/plan/edit" % TID)
    f = form_fields(r.body)
    assert "g1_title" in f and "g1a1_text" in f, f
    assert "g2_title" not in f and "g1a2_text" not in f, "one goal with one action to start with"
    assert controls(r.body) < 20, controls(r.body)
    # the add buttons submit the form (no script needed) and skip the browser's required-field check
    assert re.search(r'<button type="submit" name="add" value="goal" formnovalidate[^>]*>Add goal</button>', r.body)
    assert re.search(r'<button type="submit" name="add" value="action:1" formnovalidate[^>]*>Add action</button>', r.body)
    # Enter in a field submits with the form's first submit button: that must save, not add a row
    form = r.body[r.body.index('action="/t/%d/plan"' % TID):]
    first = re.search(r'<button type="submit"[^>]*>', form).group(0)
    assert 'name="add"' not in first and 'formaction' not in first, "Enter would add a row: " + first
    before = one("SELECT COUNT(*) FROM plan_versions")
    typed = {k: v for k, v in f.items() if k != "_csrf"}
    typed.update({"g1_title": "Typed goal one", "g1_specific": "Typed specific", "g1a1_text": "Typed action one",
                  "g1a1_owner": "coach", "g1a1_due": day_after_start(9)})
    r = c.post("/t/%d/plan" % TID, dict(typed, add="goal"))
    assert_status(r, 200, "add a goal")
    f = form_fields(r.body)
    assert "g2_title" in f and f["g2_title"] == "" and "g2a1_text" in f and "g3_title" not in f, sorted(f)
    for k in ("g1_title", "g1_specific", "g1a1_text", "g1a1_owner", "g1a1_due"):
        assert f[k] == typed[k], (k, f[k])
    assert 'id="e-' not in r.body and 'aria-invalid' not in r.body, "adding a row is no failed save"
    # add an action to goal 1, with goal 2 typed in meanwhile
    f = {k: v for k, v in f.items() if k != "_csrf"}
    f.update({"g2_title": "Typed goal two", "add": "action:1"})
    r = c.post("/t/%d/plan" % TID, f)
    assert_status(r, 200, "add an action")
    f2 = form_fields(r.body)
    assert "g1a2_text" in f2 and "g1a3_text" not in f2 and "g2a2_text" not in f2, sorted(f2)
    assert f2["g2_title"] == "Typed goal two" and f2["g1a1_text"] == "Typed action one"
    assert 'formaction="/t/%d/plan#g1a3"' % TID in r.body, "the next row's anchor"
    assert one("SELECT COUNT(*) FROM plan_versions") == before, "adding rows saves nothing"
    # a nonsense add value adds nothing and breaks nothing
    r = c.post("/t/%d/plan" % TID, dict(f, add="action:99"))
    assert_status(r, 200, "unknown add")
    assert "g1a2_text" not in form_fields(r.body) and "g3_title" not in form_fields(r.body)


def test_validation_keeps_typed_text():
    c = C[COACH_SOFIE]
    c.get("/t/%d/plan/edit" % TID)
    before = one("SELECT COUNT(*) FROM plan_versions")
    # a missing SMART field
    r = post_plan(c, goal(1, "Back on the planning desk", g1_measurable=""), 0)
    assert_status(r, 400, "missing SMART field")
    assert 'id="e-g1_measurable"' in r.body and 'role="alert"' in r.body
    f = form_fields(r.body)
    assert f["g1_title"] == "Back on the planning desk" and f["g1a1_text"] == "Arrange a quiet workplace", f
    assert f["g1_specific"] == "Work 4 hours a day on the planning desk"
    # a due date before the trajectory's start
    r = post_plan(c, goal(1, "Back on the planning desk", due_offset=-3), 0)
    assert_status(r, 400, "due date before the start")
    assert 'id="e-g1a1_due"' in r.body and "before the start of the trajectory" in r.body
    assert form_fields(r.body)["g1a1_due"] == day_after_start(-3)
    # an impossible date
    r = post_plan(c, goal(1, "Back on the planning desk", g1_time_bound="2026-02-30"), 0)
    assert_status(r, 400, "impossible date")
    assert 'id="e-g1_time_bound"' in r.body
    # an owner who is a member of another trajectory
    other_t = one("SELECT id FROM trajectories WHERE id <> ? ORDER BY id LIMIT 1", (TID,))
    srv.sql("INSERT INTO network_members (trajectory_id, side, role, name, created_at) "
            "VALUES (?, 'work', 'hr', 'Someone Elsewhere', 0)", (other_t,))
    stranger = one("SELECT MAX(id) FROM network_members")
    r = post_plan(c, goal(1, "Back on the planning desk", g1a1_owner=str(stranger)), 0)
    assert_status(r, 400, "owner from another trajectory")
    assert 'id="e-g1a1_owner"' in r.body
    assert "Someone Elsewhere" not in r.body
    assert form_fields(r.body)["g1a1_text"] == "Arrange a quiet workplace"
    # a status that is not on the list; a plan without goals
    r = post_plan(c, goal(1, "Back on the planning desk", g1a1_status="maybe"), 0)
    assert_status(r, 400, "unknown status")
    assert 'id="e-g1a1_status"' in r.body
    r = post_plan(c, {}, 0)
    assert_status(r, 400, "empty plan")
    assert 'id="e-g1_title"' in r.body
    assert one("SELECT COUNT(*) FROM plan_versions") == before, "nothing saved"


def test_version_1():
    c = C[COACH_SOFIE]
    c.get("/t/%d/plan/edit" % TID)
    fields = goal(1, "Back on the planning desk")
    fields.update({"g2_title": "Sleep better", "g2_specific": "Regular sleep", "g2_measurable": "Sleep diary",
                   "g2_achievable": "With the psychologist", "g2_relevant": "Energy for work",
                   "g2_time_bound": day_after_start(60), "g2a1_text": "Keep a sleep diary", "g2a1_owner": "participant",
                   "g2a1_due": day_after_start(20), "g2a1_status": "in_progress", "g2a2_text": "Weekly talk",
                   "g2a2_owner": "coach", "g2a2_due": day_after_start(21), "g2a2_status": "planned"})
    r = post_plan(c, fields, 0)
    assert_status(r, 303, "version 1")
    assert r.location.startswith("/t/%d/plan" % TID)
    rows = srv.sql("SELECT pv.item_id, pv.version, i.kind, i.category, i.source_member_id, i.author_id, i.title "
                   "FROM plan_versions pv JOIN items i ON i.id = pv.item_id WHERE pv.trajectory_id = ?", (TID,))
    assert len(rows) == 1, rows
    item, version, kind, category, source, author, title = rows[0]
    assert (version, kind, category, source, author) == (1, "plan", "plan", None, uid(COACH_SOFIE)), rows
    assert title.endswith(" 1"), title
    V[1] = item
    assert one("SELECT COUNT(*) FROM plan_goals WHERE version_item_id = ?", (item,)) == 2
    assert srv.sql("SELECT owner_kind, owner_member_id, measure_slug FROM plan_actions a JOIN plan_goals g "
                   "ON g.id = a.goal_id WHERE g.version_item_id = ? ORDER BY g.position, a.position", (item,)) == [
        ("member", HR_MEMBER, "workplace-adjustments"), ("participant", None, None), ("coach", None, None)]
    assert srv.sql("SELECT action, outcome FROM access_log WHERE item = ? AND user_id = ?",
                   ("plan:%d" % item, uid(COACH_SOFIE))) == [("create", "ok")]
    r = c.follow(r)
    assert_status(r, 200, "plan page")
    assert "Back on the planning desk" in r.body and "Keep a sleep diary" in r.body and "Tom Claes" in r.body
    assert "Not yet confirmed" in r.body
    # the plan is not a note
    assert "Back on the planning desk" not in c.get("/t/%d/notes" % TID).body


def test_version_2_needs_a_reason():
    c = C[COACH_SOFIE]
    r = c.get("/t/%d/plan/edit" % TID)
    f = form_fields(r.body)
    # the plan's own goals and actions, nothing empty
    assert "g2a2_text" in f and "g1a2_text" not in f and "g3_title" not in f, sorted(f)
    assert f["base_version"] == "1" and f["g1_title"] == "Back on the planning desk", f
    assert f["g1a1_owner"] == str(HR_MEMBER) and f["g2a1_status"] == "in_progress"
    f = {k: v for k, v in f.items() if k != "_csrf"}
    f["g1_specific"] = "Work 6 hours a day on the planning desk"
    f["g1a1_status"] = "done"
    f["g2a2_text"] = ""
    f["g2a2_due"] = ""
    f.update({"g3_title": "Talk with the team", "g3_specific": "Tell the team", "g3_measurable": "Meeting held",
              "g3_achievable": "HR prepares it", "g3_relevant": "Less worry", "g3_time_bound": day_after_start(40)})
    del f["base_version"]
    r = post_plan(c, f, 1)
    assert_status(r, 400, "version 2 without a reason")
    assert 'id="e-reason"' in r.body
    assert form_fields(r.body)["g3_title"] == "Talk with the team"
    f["reason"] = "Evaluation talk: more hours are possible"
    r = post_plan(c, f, 1)
    assert_status(r, 303, "version 2")
    V[2] = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 2", (TID,))
    assert one("SELECT reason FROM plan_versions WHERE item_id = ?", (V[2],)) == f["reason"]
    # version 1 is unchanged and still readable
    assert one("SELECT specific FROM plan_goals WHERE version_item_id = ? AND position = 1", (V[1],)) == \
        "Work 4 hours a day on the planning desk"
    r = c.get("/t/%d/plan/%d" % (TID, V[1]))
    assert_status(r, 200, "version 1 stays readable")
    assert "Work 4 hours a day" in r.body and "earlier version" in r.body
    r = c.get("/t/%d/plan" % TID)
    assert "Work 6 hours a day" in r.body and "Evaluation talk: more hours are possible" in r.body
    assert 'href="/t/%d/plan/%d"' % (TID, V[1]) in r.body and 'href="/t/%d/plan/%d"' % (TID, V[2]) in r.body


def test_compare_shows_changes():
    r = C[COACH_SOFIE].get("/t/%d/plan/%d?compare=1" % (TID, V[2]))
    assert_status(r, 200, "compare")
    body = r.body
    assert re.search(r"<del><span class=\"visually-hidden\">Removed: </span>Work 4 hours a day", body), body
    assert re.search(r"<ins><span class=\"visually-hidden\">Added: </span>Work 6 hours a day", body)
    assert "Talk with the team" in body and "Added" in body  # a new goal
    assert re.search(r"<del>[^<]*<span[^>]*>Removed: </span>Weekly talk", body), "a removed action"
    assert re.search(r"<del>[^<]*<span[^>]*>Removed: </span>Planned</del>\s*<ins>[^<]*<span[^>]*>Added: </span>Done",
                     body), "a changed status"
    assert "Nothing changed in this goal." not in body or body.count("Changed") >= 1
    r = C[COACH_SOFIE].get("/t/%d/plan/%d?compare=1" % (TID, V[1]))
    assert_status(r, 200, "compare the first version")
    assert "nothing to compare with" in r.body


def test_confirmations():
    an, sofie = C[PART_AN], C[COACH_SOFIE]
    r = an.get("/t/%d/plan" % TID)
    assert_status(r, 200, "participant's plan page")
    assert 'action="/t/%d/plan/%d/confirm"' % (TID, V[2]) in r.body
    assert "Work 6 hours a day" in r.body
    # confirming an earlier version
    r = an.post("/t/%d/plan/%d/confirm" % (TID, V[1]), {})
    assert_status(r, 409, "confirm an old version")
    assert "Only the latest version" in r.body
    r = an.post("/t/%d/plan/%d/confirm" % (TID, V[2]), {})
    assert_status(r, 303, "participant confirms")
    assert one("SELECT confirmed_by_participant FROM plan_versions WHERE item_id = ?", (V[2],)) == uid(PART_AN)
    r = an.follow(r)
    assert "An Janssens" in r.body and "Confirmed" in r.body
    assert 'action="/t/%d/plan/%d/confirm"' % (TID, V[2]) not in r.body
    r = an.post("/t/%d/plan/%d/confirm" % (TID, V[2]), {})
    assert_status(r, 409, "second confirmation by the participant")
    assert "already confirmed" in r.body
    # HR owns an action: he is asked to confirm too; the GP owns none and cannot
    assert 'action="/t/%d/plan/%d/confirm"' % (TID, V[2]) in C[PARTNER_HR].get("/t/%d/plan" % TID).body
    C[PARTNER_GP].get("/t/%d/plan" % TID)
    r = C[PARTNER_GP].post("/t/%d/plan/%d/confirm" % (TID, V[2]), {})
    assert_status(r, 404, "a member who owns no action cannot confirm")
    # the coach
    r = sofie.get("/t/%d/plan" % TID)
    assert 'action="/t/%d/plan/%d/confirm"' % (TID, V[2]) in r.body
    r = sofie.post("/t/%d/plan/%d/confirm" % (TID, V[2]), {})
    assert_status(r, 303, "coach confirms")
    r = sofie.post("/t/%d/plan/%d/confirm" % (TID, V[2]), {})
    assert_status(r, 409, "second confirmation by the coach")
    assert "already confirmed" in r.body
    row = srv.sql("SELECT confirmed_by_participant, confirmed_by_participant_at IS NOT NULL, confirmed_by_coach, "
                  "confirmed_by_coach_at IS NOT NULL FROM plan_versions WHERE item_id = ?", (V[2],))[0]
    assert row == (uid(PART_AN), 1, uid(COACH_SOFIE), 1), row
    assert srv.sql("SELECT COUNT(*) FROM access_log WHERE item = ? AND action = 'update' AND outcome = 'ok'",
                   ("plan:%d" % V[2],))[0][0] == 2


def test_concurrent_edits():
    s1, s2 = C[COACH_SOFIE], C["sofie2"]
    f1 = form_fields(s1.get("/t/%d/plan/edit" % TID).body)
    f2 = form_fields(s2.get("/t/%d/plan/edit" % TID).body)
    assert f1["base_version"] == f2["base_version"] == "2"
    f1 = {k: v for k, v in f1.items() if k not in ("_csrf", "base_version")}
    f2 = {k: v for k, v in f2.items() if k not in ("_csrf", "base_version")}
    f1.update({"reason": "First session", "g1_title": "Back on the planning desk, 6 hours"})
    f2.update({"reason": "Second session: my careful text", "g2_specific": "Eight hours of sleep, typed by session two"})
    r = post_plan(s1, f1, 2)
    assert_status(r, 303, "first session saves version 3")
    V[3] = one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = 3", (TID,))
    edits = one("SELECT COUNT(*) FROM access_log WHERE trajectory_id = ? AND item = 'plan' AND action = 'edit'", (TID,))
    r = post_plan(s2, f2, 2)
    assert_status(r, 409, "second session gets a conflict")
    assert CONFLICT in r.body
    # the form shown again (with the network as owners) is in the access log
    assert one("SELECT COUNT(*) FROM access_log WHERE trajectory_id = ? AND item = 'plan' AND action = 'edit'",
               (TID,)) == edits + 1
    f = form_fields(r.body)
    assert f["reason"] == "Second session: my careful text", f.get("reason")
    assert f["g2_specific"] == "Eight hours of sleep, typed by session two"
    assert f["base_version"] == "3", "the form now builds on the version that was saved"
    # nothing that was saved is lost or changed
    assert one("SELECT COUNT(*) FROM plan_versions WHERE trajectory_id = ?", (TID,)) == 3
    assert one("SELECT title FROM plan_goals WHERE version_item_id = ? AND position = 1", (V[3],)) == \
        "Back on the planning desk, 6 hours"
    assert one("SELECT specific FROM plan_goals WHERE version_item_id = ? AND position = 2", (V[3],)) == "Regular sleep"
    # a stale confirm of version 2 is refused now that 3 exists
    r = C[PART_AN].post("/t/%d/plan/%d/confirm" % (TID, V[2]), {})
    assert_status(r, 409, "version 2 is no longer the latest")


def test_hr_sees_the_plan_only_with_consent():
    hr = C[PARTNER_HR]
    r = hr.get("/t/%d/plan" % TID)
    assert_status(r, 200, "HR plan page")
    assert "Back on the planning desk, 6 hours" in r.body
    assert 'href="/t/%d/plan/edit"' % TID not in r.body
    assert "/confirm" in r.body, "HR owns an action of version 3: he confirms it"
    r = hr.get("/t/%d/plan/%d" % (TID, V[3]))
    assert_status(r, 200, "HR opens a version")
    consent = one("SELECT id FROM consents WHERE trajectory_id = ? AND grantee_side = 'work' AND category = 'plan' "
                  "AND withdrawn_at IS NULL", (TID,))
    last = srv.sql("SELECT item, action, outcome, grounds, consent_id FROM access_log WHERE user_id = ? "
                   "ORDER BY id DESC LIMIT 1", (uid(PARTNER_HR),))[0]
    assert last == ("plan:%d" % V[3], "view", "ok", "consent", consent), last
    # writing the plan is a coach's task: other roles are refused before the handler
    assert_status(hr.get("/t/%d/plan/edit" % TID), 403, "HR cannot edit")
    assert_status(hr.post("/t/%d/plan" % TID, {"base_version": "3"}), 403, "HR cannot save")
    # withdrawn: nothing of the plan any more, with immediate effect
    srv.sql("UPDATE consents SET withdrawn_at = 1, withdrawn_by = ? WHERE id = ?", (uid(PART_AN), consent))
    r = hr.get("/t/%d/plan" % TID)
    assert_status(r, 200, "HR plan page after withdrawal")
    assert "There is no action plan you can see yet." in r.body
    assert "planning desk" not in r.body and "Version" not in strip_tags(r.body).split("Action plan", 2)[-1]
    for vid in V.values():
        r = hr.get("/t/%d/plan/%d" % (TID, vid))
        assert_status(r, 404, "HR opens version %d after withdrawal" % vid)
        assert "planning desk" not in r.body
    r = hr.get("/t/%d/plan/%d?compare=1" % (TID, V[3]))
    assert_status(r, 404, "compare after withdrawal")
    assert srv.sql("SELECT outcome, consent_id FROM access_log WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                   (uid(PARTNER_HR),))[0] == ("denied", None)
    # a consent for HR himself brings it back
    srv.sql("INSERT INTO consents (trajectory_id, grantee_member_id, category, given_on, method, recorded_by, "
            "created_at) VALUES (?, ?, 'plan', '2000-01-01', 'conversation', ?, 0)", (TID, HR_MEMBER, uid(COACH_SOFIE)))
    assert "Back on the planning desk, 6 hours" in hr.get("/t/%d/plan" % TID).body


def test_care_side_with_consent():
    r = C[PARTNER_GP].get("/t/%d/plan/%d" % (TID, V[3]))
    assert_status(r, 200, "GP with the care side's plan consent")
    assert "Back on the planning desk, 6 hours" in r.body


def test_others_get_not_found():
    for who in (COACH_PIETER, ADMIN):
        c = C[who]
        for path in ("/t/%d/plan" % TID, "/t/%d/plan/edit" % TID, "/t/%d/plan/%d" % (TID, V[3]),
                     "/t/%d/plan/%d?compare=1" % (TID, V[3])):
            r = c.get(path)
            if who == ADMIN and path.endswith("/edit"):
                assert_status(r, 403, "administrator: the edit form is for coaches")
                continue
            assert_status(r, 404, "%s GET %s" % (who, path))
            assert NOT_FOUND in r.body and "planning desk" not in r.body
        c.refresh_csrf()
        r = c.post("/t/%d/plan" % TID, {"base_version": "3", "g1_title": "x"})
        assert_status(r, (403, 404), "%s POST plan" % who)
        r = c.post("/t/%d/plan/%d/confirm" % (TID, V[3]), {})
        assert_status(r, (403, 404), "%s POST confirm" % who)
    # the participant may not edit; a version id of another trajectory or a note id is not a plan
    assert_status(C[PART_AN].get("/t/%d/plan/edit" % TID), 403, "participant edit")
    note = one("SELECT id FROM items WHERE trajectory_id = ? AND kind = 'note' ORDER BY id LIMIT 1", (TID,))
    assert_status(C[COACH_SOFIE].get("/t/%d/plan/%d" % (TID, note)), 404, "a note is not a plan version")
    other_t = one("SELECT t.id FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                  "WHERE c.user_id = ? AND t.id <> ? ORDER BY t.id LIMIT 1", (uid(COACH_SOFIE), TID))
    assert_status(C[COACH_SOFIE].get("/t/%d/plan/%d" % (other_t, V[3])), 404, "version under another trajectory")
    assert one("SELECT COUNT(*) FROM plan_versions WHERE trajectory_id = ?", (TID,)) == 3


def test_markup_is_escaped():
    c = C[COACH_SOFIE]
    f = {k: v for k, v in form_fields(c.get("/t/%d/plan/edit" % TID).body).items() if k not in ("_csrf", "base_version")}
    f["g1_title"] = "<script>alert(1)</script>"
    f["reason"] = "<b>bold</b>"
    r = post_plan(c, f, 3)
    assert_status(r, 303, "version 4")
    r = c.get("/t/%d/plan" % TID)
    assert "<script>alert(1)</script>" not in r.body and "&lt;script&gt;" in r.body
    assert "<b>bold</b>" not in r.body


run(srv, globals())
