"""Phases with protocols and closure: the coach ticks, skips (a reason is required; what was typed is kept)
and adds steps; moving on with open required steps needs a reason (400 listing them), moving back always
does; closing checks outcome, date and hours (each 400 with the message beside the field), a closed
trajectory shows in the caseload's closed filter and refuses phase changes (409); reopening is logged.
An administrator's edit of a template reaches trajectories registered afterwards, not existing ones.
The participant reads the protocol without forms; another coach and an HR member get the 404 page."""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, ADMIN, COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_HR, Client, Server, assert_status,
                     form_fields, run, strip_tags, unescape)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
URL = "/t/%d/protocol" % TID


def field_error(body, name):
    m = re.search(r'<p class="error-msg" id="e-%s">(.*?)</p>' % re.escape(name), body, re.S)
    return unescape(strip_tags(m.group(1))) if m else None


def phase():
    return one("SELECT phase FROM trajectories WHERE id = ?", (TID,))


def open_required(tid=TID):
    return [r[0] for r in srv.sql("SELECT s.text FROM trajectory_steps s JOIN trajectories t ON t.id = s.trajectory_id "
                                  "WHERE s.trajectory_id = ? AND s.phase = t.phase AND s.required = 1 "
                                  "AND s.status = 'open' ORDER BY s.position", (tid,))]


def log_count(item, action):
    return one("SELECT COUNT(*) FROM access_log WHERE trajectory_id = ? AND item = ? AND action = ? AND outcome = 'ok'",
               (TID, item, action))


def post(path, data, who=COACH_SOFIE):
    c = C[who]
    c.get(URL if who != ADMIN else "/admin/protocols")
    return c.post(path, data)


def test_sign_in():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, PART_AN, PARTNER_HR, ADMIN), C)


def test_protocol_started_with_the_trajectory():
    # every demo trajectory got the Zorg & Werk steps and a first stay when it was inserted
    assert one("SELECT COUNT(*) FROM trajectories WHERE protocol_template_id IS NULL") == 0
    assert one("SELECT COUNT(*) FROM trajectories t WHERE NOT EXISTS (SELECT 1 FROM phase_history h "
               "WHERE h.trajectory_id = t.id)") == 0
    assert one("SELECT COUNT(*) FROM trajectory_steps WHERE trajectory_id = ?", (TID,)) >= 24


def test_coach_sees_timeline_and_checklist():
    before = log_count("trajectory:protocol", "view")
    r = C[COACH_SOFIE].get(URL)
    assert_status(r, 200, "protocol page")
    assert '<ol class="timeline">' in r.body and 'aria-current="step"' in r.body
    assert "Checklist: Action plan" in r.body
    assert "SMART-doelen opstellen samen met de deelnemer" in r.body
    for label in ("Registration", "Intake", "Exploration", "Consultation", "Follow-up", "Long-term follow-up", "Closure"):
        assert label in r.body, label
    assert "open steps" in r.body
    assert 'action="/t/%d/protocol/phase"' % TID in r.body and 'action="/t/%d/close"' % TID in r.body
    assert log_count("trajectory:protocol", "view") == before + 1


def test_tick_and_reopen_a_step():
    sid = one("SELECT id FROM trajectory_steps WHERE trajectory_id = ? AND phase = 'action_plan' ORDER BY position "
              "LIMIT 1", (TID,))
    before = log_count("trajectory:protocol", "update")
    r = post("/t/%d/protocol/steps/%d" % (TID, sid), {"action": "done"})
    assert_status(r, 303, "tick")
    row = srv.sql("SELECT status, done_by IS NOT NULL, done_at IS NOT NULL FROM trajectory_steps WHERE id = ?", (sid,))[0]
    assert row == ("done", 1, 1), row
    assert log_count("trajectory:protocol", "update") == before + 1
    r = post("/t/%d/protocol/steps/%d" % (TID, sid), {"action": "reopen"})
    assert_status(r, 303, "reopen step")
    assert one("SELECT status FROM trajectory_steps WHERE id = ?", (sid,)) == "open"
    r = post("/t/%d/protocol/steps/%d" % (TID, sid), {"action": "done"})
    assert_status(r, 303, "tick again")
    assert_status(post("/t/%d/protocol/steps/%d" % (TID, sid), {"action": "explode"}), 400, "unknown action")
    other = one("SELECT id FROM trajectory_steps WHERE trajectory_id <> ? LIMIT 1", (TID,))
    assert_status(post("/t/%d/protocol/steps/%d" % (TID, other), {"action": "done"}), 404, "step of another trajectory")


def test_skip_needs_a_reason_and_keeps_what_was_typed():
    sid = one("SELECT id FROM trajectory_steps WHERE trajectory_id = ? AND phase = 'action_plan' AND status = 'open' "
              "AND required = 0 ORDER BY position LIMIT 1", (TID,))
    path = "/t/%d/protocol/steps/%d" % (TID, sid)
    r = post(path, {"action": "skip", "reason": "   "})
    assert_status(r, 400, "skip without reason")
    assert field_error(r.body, "reason-%d" % sid) == "Give a reason for skipping this step."
    assert 'id="f-reason-%d"' % sid in r.body and 'role="alert"' in r.body
    typed = "Werkgever regelt dit zelf <b>al</b>. " + "x" * 2000
    r = post(path, {"action": "skip", "reason": typed})
    assert_status(r, 400, "over-long reason")
    assert field_error(r.body, "reason-%d" % sid)
    m = re.search(r'<textarea[^>]*id="f-reason-%d"[^>]*>(.*?)</textarea>' % sid, r.body, re.S)
    assert m and unescape(m.group(1)) == typed, "typed reason kept"
    assert "<b>al</b>" not in r.body
    assert one("SELECT status FROM trajectory_steps WHERE id = ?", (sid,)) == "open", "nothing saved"
    r = post(path, {"action": "skip", "reason": "Werkgever regelt de aanpassingen zelf."})
    assert_status(r, 303, "skip with reason")
    assert srv.sql("SELECT status, skip_reason FROM trajectory_steps WHERE id = ?", (sid,))[0] == \
        ("skipped", "Werkgever regelt de aanpassingen zelf.")
    r = C[COACH_SOFIE].get(URL)
    assert "Skipped because: Werkgever regelt de aanpassingen zelf." in r.body


TAB = "A step cannot hold a tab: use a space instead."
ONE_LINE = "Keep the step on one line."


def test_add_a_step_with_a_reason():
    data = {"phase": "action_plan", "text": "Afspraak met de vakbondsafgevaardigde", "required": "1", "add_reason": ""}
    r = post("/t/%d/protocol/steps" % TID, data)
    assert_status(r, 400, "add without reason")
    assert field_error(r.body, "add_reason") == "Give a reason for adding this step."
    f = form_fields(r.body)
    assert f.get("text") == data["text"], "typed text kept"
    r = post("/t/%d/protocol/steps" % TID, dict(data, phase="nowhere", add_reason="x"))
    assert_status(r, 400, "unknown phase")
    assert field_error(r.body, "phase")
    # the same rule for the text as the template editor's: one line, no tab
    for bad, msg in (("Afspraak\tvakbond", TAB), ("Afspraak\nvakbond", ONE_LINE), ("Afspraak\r\nvakbond", ONE_LINE)):
        before = one("SELECT COUNT(*) FROM trajectory_steps WHERE trajectory_id = ?", (TID,))
        C[COACH_SOFIE].get(URL)
        views = log_count("trajectory:protocol", "view")
        r = C[COACH_SOFIE].post("/t/%d/protocol/steps" % TID, dict(data, text=bad, add_reason="x"))
        assert_status(r, 400, "step text %r" % bad)
        # the refused form shows the protocol again: that showing is in the access log too
        assert log_count("trajectory:protocol", "view") == views + 1
        assert field_error(r.body, "text") == msg, field_error(r.body, "text")
        assert one("SELECT COUNT(*) FROM trajectory_steps WHERE trajectory_id = ?", (TID,)) == before
    r = post("/t/%d/protocol/steps" % TID, dict(data, add_reason="De deelnemer vraagt steun van de vakbond."))
    assert_status(r, 303, "add")
    row = srv.sql("SELECT phase, required, added_by_coach, added_reason, status FROM trajectory_steps "
                  "WHERE trajectory_id = ? AND text = ?", (TID, data["text"]))
    assert row == [("action_plan", 1, 1, "De deelnemer vraagt steun van de vakbond.", "open")], row
    assert data["text"] in C[COACH_SOFIE].get(URL).body


def test_move_on_with_open_required_steps_needs_a_reason():
    assert phase() == "action_plan"
    still_open = open_required()
    assert "Afspraak met de vakbondsafgevaardigde" in still_open and len(still_open) >= 2
    before = one("SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ?", (TID,))
    r = post(URL + "/phase", {"phase": "follow_up", "move_reason": ""})
    assert_status(r, 400, "forward without reason")
    msg = field_error(r.body, "move_reason")
    assert msg and msg.startswith("These required steps are still open:"), msg
    for text in still_open:
        assert text in msg, text
    assert phase() == "action_plan"
    assert one("SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ?", (TID,)) == before
    assert_status(post(URL + "/phase", {"phase": "aftercare", "move_reason": "x"}), 400, "two phases at once")
    assert_status(post(URL + "/phase", {"phase": "nowhere", "move_reason": "x"}), 400, "unknown phase")

    n = log_count("trajectory:phase", "update")
    r = post(URL + "/phase", {"phase": "follow_up", "move_reason": "Plan staat, bevestiging volgt volgende week."})
    assert_status(r, 303, "forward with reason")
    assert phase() == "follow_up"
    assert one("SELECT phase_since FROM trajectories WHERE id = ?", (TID,)) == datetime.date.today().isoformat()
    rows = srv.sql("SELECT phase, kind, reason, left_on FROM phase_history WHERE trajectory_id = ? ORDER BY id DESC "
                   "LIMIT 2", (TID,))
    assert rows[0] == ("follow_up", "forward", "Plan staat, bevestiging volgt volgende week.", None), rows
    assert rows[1][0] == "action_plan" and rows[1][3] == datetime.date.today().isoformat(), rows
    assert log_count("trajectory:phase", "update") == n + 1
    r = C[COACH_SOFIE].get(URL)
    assert "Checklist: Follow-up" in r.body and "Plan staat, bevestiging volgt volgende week." in r.body


def test_move_back_always_needs_a_reason():
    r = post(URL + "/phase", {"phase": "action_plan", "move_reason": ""})
    assert_status(r, 400, "back without reason")
    assert field_error(r.body, "move_reason") == "Give a reason for moving back."
    assert phase() == "follow_up"
    r = post(URL + "/phase", {"phase": "action_plan", "move_reason": "Werkgever trekt de aangepaste functie in."})
    assert_status(r, 303, "back with reason")
    assert phase() == "action_plan"
    assert srv.sql("SELECT kind FROM phase_history WHERE trajectory_id = ? ORDER BY id DESC LIMIT 1", (TID,))[0][0] == "back"
    # once every required step of the phase is done, moving on needs no reason
    for sid, in srv.sql("SELECT id FROM trajectory_steps WHERE trajectory_id = ? AND phase = 'action_plan' "
                        "AND required = 1 AND status = 'open'", (TID,)):
        assert_status(post("/t/%d/protocol/steps/%d" % (TID, sid), {"action": "done"}), 303, "tick %d" % sid)
    assert open_required() == []
    r = post(URL + "/phase", {"phase": "follow_up", "move_reason": ""})
    assert_status(r, 303, "forward with everything required done")
    assert phase() == "follow_up"


def close_data(**over):
    d = {"outcome": "returned_own_job", "closed_on": datetime.date.today().isoformat(), "hours": "19.5",
         "note": "Halftijds hervat; afsluiting in overleg."}
    d.update(over)
    return d


def test_close_validation():
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"closed_on": tomorrow}, "closed_on", "The closure date cannot be in the future."),
        ({"closed_on": "2000-01-01"}, "closed_on", "The closure date cannot be before the start of the trajectory."),
        ({"closed_on": "2025-02-30"}, "closed_on", "Enter a real date as YYYY-MM-DD."),
        ({"hours": "61"}, "hours", "Hours per week must be between 0 and 60."),
        ({"hours": "19.55"}, "hours", "Enter a number with at most one decimal, such as 19.5."),
        ({"hours": "-1"}, "hours", "Enter a number with at most one decimal, such as 19.5."),
        ({"hours": ""}, "hours", None),
        ({"outcome": "retired_rich"}, "outcome", "Choose an outcome from the list."),
        ({"outcome": ""}, "outcome", "Choose an outcome from the list."),
    ]
    for over, field, message in cases:
        data = close_data(**over)
        r = post("/t/%d/close" % TID, data)
        assert_status(r, 400, "close with %r" % over)
        got = field_error(r.body, field)
        assert got and (message is None or got == message), (over, got)
        f = form_fields(r.body)
        for k in ("closed_on", "hours", "note"):
            assert f.get(k) == data[k], "%s kept for %r: %r" % (k, over, f.get(k))
        assert one("SELECT status FROM trajectories WHERE id = ?", (TID,)) == "open"


def test_close_then_caseload_and_409():
    n = log_count("trajectory:phase", "update")
    r = post("/t/%d/close" % TID, close_data(hours="19,5"))
    assert_status(r, 303, "close")
    row = srv.sql("SELECT status, phase, closed_on, outcome, hours_per_week_tenths FROM trajectories WHERE id = ?",
                  (TID,))[0]
    assert row == ("closed", "closure", datetime.date.today().isoformat(), "returned_own_job", 195), row
    assert log_count("trajectory:phase", "update") == n + 1
    h = srv.sql("SELECT phase, kind, outcome, hours_per_week_tenths, reason FROM phase_history WHERE trajectory_id = ? "
                "ORDER BY id DESC LIMIT 1", (TID,))[0]
    assert h == ("closure", "close", "returned_own_job", 195, "Halftijds hervat; afsluiting in overleg."), h
    r = C[COACH_SOFIE].get(URL)
    assert "Returned to own job" in r.body and "19.5" in r.body and "This trajectory is closed." in r.body
    assert 'action="/t/%d/close"' % TID not in r.body and 'action="/t/%d/reopen"' % TID in r.body

    closed = C[COACH_SOFIE].get("/caseload?status=closed")
    assert_status(closed, 200, "closed filter")
    assert 'href="/t/%d"' % TID in closed.body
    assert 'href="/t/%d"' % TID not in C[COACH_SOFIE].get("/caseload?status=open").body

    sid = one("SELECT id FROM trajectory_steps WHERE trajectory_id = ? LIMIT 1", (TID,))
    assert_status(post(URL + "/phase", {"phase": "aftercare", "move_reason": "x"}), 409, "protocol phase on closed")
    assert_status(post("/t/%d/protocol/steps/%d" % (TID, sid), {"action": "done"}), 409, "step on closed")
    assert_status(post("/t/%d/protocol/steps" % TID, {"phase": "closure", "text": "x", "add_reason": "y"}), 409,
                  "add on closed")
    assert_status(post("/t/%d/close" % TID, close_data()), 409, "close twice")


def test_reopen_is_logged():
    r = post("/t/%d/reopen" % TID, {"reopen_reason": ""})
    assert_status(r, 400, "reopen without reason")
    assert field_error(r.body, "reopen_reason") == "Give a reason for reopening the trajectory."
    n = log_count("trajectory:phase", "update")
    r = post("/t/%d/reopen" % TID, {"reopen_reason": "Terugval na drie weken; opvolging hervat."})
    assert_status(r, 303, "reopen")
    row = srv.sql("SELECT status, phase, closed_on, outcome, hours_per_week_tenths FROM trajectories WHERE id = ?",
                  (TID,))[0]
    assert row == ("open", "follow_up", None, None, None), row
    h = srv.sql("SELECT phase, kind, reason FROM phase_history WHERE trajectory_id = ? ORDER BY id DESC LIMIT 1",
                (TID,))[0]
    assert h == ("follow_up", "reopen", "Terugval na drie weken; opvolging hervat."), h
    assert log_count("trajectory:phase", "update") == n + 1
    # the closure stays in the history
    assert one("SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ? AND kind = 'close'", (TID,)) == 1
    assert_status(post("/t/%d/reopen" % TID, {"reopen_reason": "x"}), 409, "reopen an open trajectory")
    r = C[COACH_SOFIE].get(URL)
    assert "Reopened" in r.body and "Terugval na drie weken" in r.body


def test_phase_changed_outside_the_protocol_is_caught_up():
    # the protocol is the one way to move a phase (the overview's own route is gone); a phase changed in
    # the database by other means (an older version, a repair by hand) still gets its stay in the history
    srv.sql("UPDATE trajectories SET phase = 'aftercare' WHERE id = ?", (TID,))
    assert_status(C[COACH_SOFIE].get(URL), 200, "protocol after a change outside it")
    h = srv.sql("SELECT phase, kind FROM phase_history WHERE trajectory_id = ? ORDER BY id DESC LIMIT 1", (TID,))[0]
    assert h == ("aftercare", "sync"), h
    assert one("SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ? AND left_on IS NULL", (TID,)) == 1


def page_forms(body):
    """(action, inner HTML) of every form of a page."""
    return [(unescape(m.group(1)), m.group(2))
            for m in re.finditer(r'<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', body, re.S)]


def form_with(body, marker):
    """The action of the one form of the page that holds marker (a control's id)."""
    found = [a for a, inner in page_forms(body) if marker in inner]
    assert len(found) == 1, "forms holding %s: %r" % (marker, found)
    return found[0]


def step_routes(body, sid):
    """Where each button of template step sid's form posts: its label -> the button's formaction, else the
    form's action."""
    for action, inner in page_forms(body):
        if 'id="f-text-%d"' % sid in inner:
            routes = {}
            for b in re.finditer(r"<button\b([^>]*)>([^<]*)<", inner):
                fa = re.search(r'\bformaction="([^"]*)"', b.group(1))
                routes[b.group(2).strip()] = unescape(fa.group(1)) if fa else action
            return routes
    raise AssertionError("no form for template step %d" % sid)


def test_admin_edits_template_new_trajectories_get_it():
    a = C[ADMIN]
    r = a.get("/admin/protocols")
    assert_status(r, 200, "templates")
    assert "Zorg &amp; Werk (Vlaanderen)" in r.body and "Werk als Beste Zorg (Nederland)" in r.body
    r = a.get("/admin/protocols/1")
    assert_status(r, 200, "template 1")
    sid, old = srv.sql("SELECT id, text FROM protocol_steps WHERE template_id = 1 AND phase = 'registration' "
                       "ORDER BY position LIMIT 1")[0]
    # every action of the page has a route of its own: no form says what to do in a field
    routes = step_routes(r.body, sid)
    base = "/admin/protocols/1/steps/%d" % sid
    assert routes == {"Save": base, "Move up": base + "/up", "Move down": base + "/down",
                      "Delete": base + "/delete"}, routes
    add_intake = form_with(r.body, 'id="f-new-intake"')
    assert add_intake == "/admin/protocols/1/steps", add_intake
    assert 'name="action"' not in r.body and 'name="step"' not in r.body
    r = a.post(routes["Save"], {"text": "", "required": "1"})
    assert_status(r, 400, "empty step text")
    assert field_error(r.body, "text-%d" % sid) == "Describe the step."
    for bad, msg in (("Aanmelding\tontvangen", TAB), ("Aanmelding\nontvangen", ONE_LINE)):
        a.get("/admin/protocols/1")
        r = a.post(routes["Save"], {"text": bad, "required": "1"})
        assert_status(r, 400, "template step text %r" % bad)
        assert field_error(r.body, "text-%d" % sid) == msg, field_error(r.body, "text-%d" % sid)
        a.get("/admin/protocols/1")
        r = a.post(add_intake, {"phase": "intake", "text": bad, "required": "1"})
        assert_status(r, 400, "new template step %r" % bad)
        assert field_error(r.body, "new-intake") == msg, field_error(r.body, "new-intake")
    assert one("SELECT text FROM protocol_steps WHERE id = ?", (sid,)) == old
    new = "Aanmelding ontvangen en doorverwijzer gebeld"
    a.get("/admin/protocols/1")
    r = a.post(routes["Save"], {"text": new, "required": "1"})
    assert_status(r, 303, "edit step")
    assert one("SELECT text FROM protocol_steps WHERE id = ?", (sid,)) == new
    # reorder and add, then the copy into a custom template
    a.get("/admin/protocols/1")
    assert_status(a.post(routes["Move down"], {}), 303, "move down")
    assert one("SELECT text FROM protocol_steps WHERE template_id = 1 AND phase = 'registration' ORDER BY position "
               "LIMIT 1") != new
    a.get("/admin/protocols/1")
    assert_status(a.post(routes["Move up"], {}), 303, "move up")
    assert one("SELECT text FROM protocol_steps WHERE template_id = 1 AND phase = 'registration' ORDER BY position, id "
               "LIMIT 1") == new
    a.get("/admin/protocols")
    r = a.post("/admin/protocols", {"from": "2", "name": "Werk als Beste Zorg (Nederland)"})
    assert_status(r, 409, "duplicate name")
    assert field_error(r.body, "name")
    r = a.post("/admin/protocols", {"from": "2", "name": "Eigen protocol regio Drechtsteden"})
    assert_status(r, 303, "copy")
    cid = int(re.search(r"/admin/protocols/(\d+)", r.location).group(1))
    assert one("SELECT COUNT(*) FROM protocol_steps WHERE template_id = ?", (cid,)) == \
        one("SELECT COUNT(*) FROM protocol_steps WHERE template_id = 2")
    assert_status(a.get("/admin/protocols/%d" % cid), 200, "custom template")

    # existing trajectories keep their copy
    assert one("SELECT COUNT(*) FROM trajectory_steps WHERE text = ?", (new,)) == 0
    assert one("SELECT COUNT(*) FROM trajectory_steps WHERE trajectory_id = ? AND text = ?", (TID, old)) == 1
    # a trajectory registered afterwards gets the edited step
    c = C[COACH_SOFIE]
    c.get("/participants/new")
    r = c.post("/participants/new", {"first_name": "Ruben", "last_name": "Protocoltest", "birth_date": "1985-06-15",
                                     "email": "", "phone": "", "referred_by": "Huisarts", "reason": "Rugklachten",
                                     "employer_org": "", "employer_other": "Bakkerij Test", "absence_start": "",
                                     "start_consent": "Mondeling akkoord.", "consent_given": "yes"})
    assert_status(r, 303, "register")
    tid = int(re.match(r"/t/(\d+)", r.location).group(1))
    assert one("SELECT COUNT(*) FROM trajectory_steps WHERE trajectory_id = ? AND text = ?", (tid, new)) == 1
    assert one("SELECT COUNT(*) FROM trajectory_steps WHERE trajectory_id = ? AND text = ?", (tid, old)) == 0
    r = c.get("/t/%d/protocol" % tid)
    assert_status(r, 200, "new trajectory's protocol")
    assert new in r.body and "Checklist: Registration" in r.body


def test_template_actions_one_route_each():
    """Each action of the template editor is a route of its own (issue 11): the step id is in the URL and must
    be a step of the template in the URL; the single POST that switched on an "action" field is gone."""
    a = C[ADMIN]
    r = a.get("/admin/protocols/1")
    r = a.post(form_with(r.body, 'id="f-new-intake"'), {"phase": "intake", "text": "Stap om te schrappen",
                                                         "required": "1"})
    assert_status(r, 303, "add a step")
    sid = one("SELECT id FROM protocol_steps WHERE template_id = 1 AND text = 'Stap om te schrappen'")
    assert one("SELECT required FROM protocol_steps WHERE id = ?", (sid,)) == 1
    # the old form of the request does nothing any more
    a.get("/admin/protocols/1")
    r = a.post("/admin/protocols/1", {"action": "delete", "step": str(sid)})
    assert_status(r, (404, 405), "the one POST that dispatched on a field")
    assert one("SELECT COUNT(*) FROM protocol_steps WHERE id = ?", (sid,)) == 1, "deleted through the old route"
    # a step of another template under this template's URL: 404, nothing changed
    other, other_text = srv.sql("SELECT id, text FROM protocol_steps WHERE template_id = 2 ORDER BY id LIMIT 1")[0]
    for suffix, data in (("", {"text": "Overschreven", "required": "1"}), ("/delete", {}), ("/up", {}),
                         ("/down", {})):
        a.get("/admin/protocols/1")
        r = a.post("/admin/protocols/1/steps/%d%s" % (other, suffix), data)
        assert_status(r, 404, "step of template 2 through template 1" + suffix)
    assert srv.sql("SELECT text, template_id FROM protocol_steps WHERE id = ?", (other,))[0] == (other_text, 2)
    assert_status(a.post("/admin/protocols/999999/steps", {"phase": "intake", "text": "x"}), 404, "no template")
    # not for a coach, whatever the route
    for path in ("/admin/protocols/1/steps/%d/delete" % sid, "/admin/protocols/1/settings"):
        C[COACH_SOFIE].get("/caseload")
        assert_status(C[COACH_SOFIE].post(path, {"name": "x"}), 403, "coach " + path)
    assert one("SELECT COUNT(*) FROM protocol_steps WHERE id = ?", (sid,)) == 1
    # the settings form posts to its own route; its rules hold there
    r = a.get("/admin/protocols/1")
    settings = form_with(r.body, 'id="f-is_default"')
    assert settings == "/admin/protocols/1/settings", settings
    name = one("SELECT name FROM protocol_templates WHERE id = 1")
    r = a.post(settings, {"name": name, "active": "1"})
    assert_status(r, 400, "the default stops being one")
    assert field_error(r.body, "is_default") == ("Make another template the default instead; there is always one "
                                                 "default.")
    a.get("/admin/protocols/1")
    assert_status(a.post(settings, {"name": name + " (herzien)", "active": "1", "is_default": "1"}), 303, "rename")
    assert one("SELECT name FROM protocol_templates WHERE id = 1") == name + " (herzien)"
    a.get("/admin/protocols/1")
    assert_status(a.post(settings, {"name": name, "active": "1", "is_default": "1"}), 303, "name back")
    # and the step goes through its delete button's route
    r = a.get("/admin/protocols/1")
    delete = step_routes(r.body, sid)["Delete"]
    assert_status(a.post(delete, {}), 303, "delete")
    assert one("SELECT COUNT(*) FROM protocol_steps WHERE id = ?", (sid,)) == 0


def test_participant_reads_without_forms():
    r = C[PART_AN].get(URL)
    assert_status(r, 200, "participant")
    assert "Checklist: Long-term follow-up" in r.body
    assert not re.search(r'<form method="post" action="/t/%d/' % TID, r.body), "no forms for the participant"
    assert "Werkgever regelt de aanpassingen zelf." in r.body
    assert_status(C[PART_AN].post("/t/%d/close" % TID, close_data()), 404, "participant cannot close")
    assert_status(C[PART_AN].post(URL + "/phase", {"phase": "follow_up", "move_reason": "x"}), 404,
                  "participant cannot move")


def test_others_get_404():
    missing = C[COACH_PIETER].get("/t/999999/protocol")
    assert_status(missing, 404, "missing id")
    denied = one("SELECT COUNT(*) FROM access_log WHERE trajectory_id = ? AND outcome = 'denied' "
                 "AND item = 'trajectory:protocol'", (TID,))
    r = C[COACH_PIETER].get(URL)
    assert_status(r, 404, "other coach's protocol")
    assert "Janssens" not in r.body and "Checklist" not in r.body
    assert one("SELECT COUNT(*) FROM access_log WHERE trajectory_id = ? AND outcome = 'denied' "
               "AND item = 'trajectory:protocol'", (TID,)) == denied + 1
    # the HR member of An's network: the page is not for partners at all (refused by role, as for any id)
    r = C[PARTNER_HR].get(URL)
    assert_status(r, (403, 404), "HR member's protocol")
    assert "Janssens" not in r.body and "Checklist" not in r.body and "SMART" not in r.body
    assert C[PARTNER_HR].get("/t/999999/protocol").status == r.status, "same answer as for a missing id"
    for who in (COACH_PIETER, PARTNER_HR):
        for path, data in (("/t/%d/close" % TID, close_data()), (URL + "/phase", {"phase": "follow_up",
                                                                                   "move_reason": "x"})):
            assert_status(C[who].post(path, data), 404, "%s %s" % (who, path))
    for who in (COACH_SOFIE, PART_AN, PARTNER_HR):
        assert_status(C[who].get("/admin/protocols"), 403, "%s admin templates" % who)
    assert_status(C[ADMIN].get(URL), 404, "admin sees no case content")


run(srv, globals())
