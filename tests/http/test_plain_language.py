"""Plain language for participants (issue 10: 12): every page a participant reaches — /me, her consents, who
looked at her file, her trajectory's overview, notes (list and one note), action plan (a version, the
comparison of two), protocol, referrals, follow-up moments, consents and questionnaires, an article of the
knowledge base, the notice of a password reset — shows dates in words ("4 December 2026") and times in the
portal's time zone (setting `timezone`, default Europe/Brussels), never an ISO date or "UTC", while her coach
keeps the sortable YYYY-MM-DD dates; a note she is the source of says "Source: you" and an action she owns "You"; the coach's "Protocol" tab
is not among her tabs; the questionnaires speak to her with "je", never the formal "u"; the English source
notes of the questionnaires are not shown to her (the coach still sees them); the `timezone` setting is
checked and moves the times she reads."""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, PART_AN, Client, Server, assert_status, run, strip_tags, unescape

srv = Server(sets={"login_delay_ms": "0"})

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_WORDS = re.compile(r"\b\d{1,2} (%s) \d{4}\b" % MONTHS)
FORMAL = re.compile(r"\b(u|uw|U|Uw|uzelf)\b")
QUESTIONNAIRES = ("work-ability", "k10", "strengths")  # the ones the participant fills in herself


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
C = {}


def text(body):
    return unescape(strip_tags(body))


def participant_pages():
    """Every page of An's that this test knows of, with a result of a questionnaire she filled in."""
    rid = one("SELECT MAX(item_id) FROM assessments WHERE trajectory_id = ?", (TID,))
    pages = ["/me", "/me/consents", "/me/consents?grantee=side:work", "/me/log", "/me/log?set=1",
             "/t/%d/consents" % TID, "/t/%d/assessments" % TID, "/t/%d/assessments/%d" % (TID, rid)]
    pages += ["/t/%d/assessments/new?q=%s" % (TID, q) for q in QUESTIONNAIRES]
    # the trajectory's pages, with a note, a plan in two versions, a referral and follow-up moments made below
    nid = one("SELECT MAX(id) FROM items WHERE trajectory_id = ? AND kind = 'note'", (TID,))
    vid = one("SELECT MAX(item_id) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    pages += ["/t/%d" % TID, "/t/%d/notes" % TID, "/t/%d/notes/%d" % (TID, nid), "/t/%d/plan" % TID,
              "/t/%d/plan/%d" % (TID, vid), "/t/%d/plan/%d?compare=1" % (TID, vid), "/t/%d/protocol" % TID,
              "/t/%d/referrals" % TID, "/t/%d/followups" % TID, "/measures/workplace-adjustments"]
    return pages


def day_after_start(n):
    started = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))
    return (datetime.date.fromisoformat(started) + datetime.timedelta(days=n)).isoformat()


def words(iso):
    d = datetime.date.fromisoformat(iso)
    return "%d %s %d" % (d.day, d.strftime("%B"), d.year)


def local_words(at):
    from zoneinfo import ZoneInfo
    t = datetime.datetime.fromtimestamp(at, ZoneInfo("Europe/Brussels"))
    return "%d %s %d at %02d:%02d" % (t.day, t.strftime("%B"), t.year, t.hour, t.minute)


def test_sign_in_and_fill_in():
    for lang in ("nl", "en"):
        c = Client(srv, lang=lang)
        c.login(PART_AN, follow=False)
        C[lang] = c
    coach = Client(srv, lang="en")
    coach.login(COACH_SOFIE)
    C["coach"] = coach
    # An fills in a questionnaire; her coach opens her file so that /me/log has visits
    C["en"].get("/t/%d/assessments/new?q=work-ability" % TID)
    r = C["en"].post("/t/%d/assessments" % TID, {"q": "work-ability", "a_was": "6"})
    assert_status(r, 303, "An fills in the work-ability score")
    for path in ("/t/%d" % TID, "/t/%d/notes" % TID):
        assert_status(coach.get(path), 200, path)


def test_her_trajectory_has_dates_to_show():
    """The coach writes a plan in two versions with an action of An's and plans follow-up moments and a
    referral; An writes a note, confirms the plan and marks her action started."""
    coach = C["coach"]
    plan = {"g1_title": "Back on the planning desk", "g1_specific": "Work 4 hours a day",
            "g1_measurable": "Hours in the timesheet", "g1_achievable": "Agreed with HR",
            "g1_relevant": "First step back", "g1_time_bound": day_after_start(90),
            "g1a1_text": "Keep a sleep diary", "g1a1_owner": "participant", "g1a1_due": day_after_start(20),
            "g1a1_status": "planned", "g1a1_measure": ""}
    coach.get("/t/%d/plan/edit" % TID)
    assert_status(coach.post("/t/%d/plan" % TID, dict(plan, base_version="0")), 303, "plan version 1")
    coach.get("/t/%d/plan/edit" % TID)
    assert_status(coach.post("/t/%d/plan" % TID, dict(plan, base_version="1", g1a1_due=day_after_start(27),
                                                      reason="A week more for the diary")), 303, "plan version 2")
    vid = one("SELECT MAX(item_id) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    an = C["en"]
    an.get("/t/%d/plan" % TID)
    assert_status(an.post("/t/%d/plan/%d/confirm" % (TID, vid), {}), 303, "An confirms the plan")
    aid = one("SELECT a.id FROM plan_actions a WHERE a.trajectory_id = ? AND a.is_current = 1 "
              "AND a.owner_kind = 'participant'", (TID,))
    an.get("/t/%d/plan" % TID)
    assert_status(an.post("/t/%d/plan/actions/%d" % (TID, aid), {"a%d_status" % aid: "in_progress",
                                                                 "a%d_remark" % aid: ""}), 303, "An marks her action")
    an.get("/t/%d/notes" % TID)
    assert_status(an.post("/t/%d/notes" % TID, {"title": "PLAIN-note", "category": "work", "body": "Slept better."}),
                  303, "An writes a note")
    coach.get("/t/%d/referrals" % TID)
    assert_status(coach.post("/t/%d/referrals" % TID, {"kind": "career_guidance", "target": "VDAB",
                                                       "reason": "Look at other work together"}), 303, "a referral")
    coach.get("/t/%d/followups" % TID)
    assert_status(coach.post("/t/%d/followups" % TID, {"kind": "review", "due_on": day_after_start(40),
                                                       "note": "PLAIN-review"}), 303, "a review")
    fid = one("SELECT MAX(item_id) FROM followups WHERE trajectory_id = ?", (TID,))
    coach.get("/t/%d/followups" % TID)
    assert_status(coach.post("/t/%d/followups/%d/done" % (TID, fid), {}), 303, "the review is done")
    assert_status(coach.post("/t/%d/followups" % TID, {"kind": "evaluation", "due_on": day_after_start(60),
                                                       "note": "PLAIN-evaluation"}), 303, "an evaluation")


def test_no_iso_date_and_no_utc_on_participant_pages():
    for lang in ("nl", "en"):
        for path in participant_pages():
            r = C[lang].get(path)
            assert_status(r, 200, "%s (%s)" % (path, lang))
            m = ISO_DATE.search(r.body)
            assert not m, "%s (%s) shows an ISO date %s: ...%s..." % (
                path, lang, m.group(0), r.body[max(0, m.start() - 200):m.end() + 50])
            assert "UTC" not in r.body, "%s (%s) speaks of UTC" % (path, lang)


def test_dates_in_words_and_local_times():
    r = C["en"].get("/me")
    started = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))
    d = datetime.date.fromisoformat(started)
    assert "Your trajectory started on %d %s %d." % (d.day, d.strftime("%B"), d.year) in text(r.body), \
        "the start of the trajectory is not a date in words"
    # the result of the questionnaire: its moment in words, at the local time
    r = C["en"].get("/t/%d/assessments" % TID)
    assert DATE_WORDS.search(text(r.body)), "no date in words on the questionnaires page"
    from zoneinfo import ZoneInfo
    at = one("SELECT MAX(created_at) FROM assessments WHERE trajectory_id = ?", (TID,))
    t = datetime.datetime.fromtimestamp(at, ZoneInfo("Europe/Brussels"))
    assert "%d %s %d at %02d:%02d" % (t.day, t.strftime("%B"), t.year, t.hour, t.minute) in text(r.body), \
        "the questionnaire's moment is not in words at Brussels time"


def test_her_trajectory_pages_in_words_and_the_coach_keeps_iso():
    an, coach = C["en"], C["coach"]
    # the plan: her confirmation at Brussels time, the due date and the goal's date in words
    vid = one("SELECT MAX(item_id) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    p_at = one("SELECT confirmed_by_participant_at FROM plan_versions WHERE item_id = ?", (vid,))
    page = text(an.get("/t/%d/plan" % TID).body)
    for want in (local_words(p_at), words(day_after_start(27)), words(day_after_start(90))):
        assert want in page, "the plan does not show %r: %s" % (want, page[:1500])
    assert re.search(r"Marked by .+? on \d{1,2} (%s) \d{4}" % MONTHS, page), "the owner's mark is not dated in words"
    assert "Keep a sleep diary You %s" % words(day_after_start(27)) in page, "her action is not hers ('You') on the plan"
    assert "Keep a sleep diary The participant" in text(coach.get("/t/%d/plan" % TID).body)
    # the overview: her confirmation and the latest note at local time, the start of the trajectory in words
    page = text(an.get("/t/%d" % TID).body)
    started = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))
    note_at = one("SELECT MAX(created_at) FROM items WHERE trajectory_id = ? AND kind = 'note'", (TID,))
    for want in (local_words(p_at), local_words(note_at), words(started)):
        assert want in page, "the overview does not show %r" % want
    # her note: "Source: you", at local time
    nid = one("SELECT MAX(id) FROM items WHERE trajectory_id = ? AND kind = 'note'", (TID,))
    page = text(an.get("/t/%d/notes/%d" % (TID, nid)).body)
    assert "Source: you" in page and local_words(note_at) in page, page[:800]
    assert "Source: the participant" not in text(an.get("/t/%d/notes" % TID).body)
    # every page of her trajectory that shows dates shows them in words (so the check for ISO dates above had
    # dates to find)
    vid = one("SELECT MAX(item_id) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    for path in ("/t/%d/notes" % TID, "/t/%d/plan/%d?compare=1" % (TID, vid), "/t/%d/protocol" % TID,
                 "/t/%d/referrals" % TID, "/measures/workplace-adjustments"):
        page = text(an.get(path).body)
        assert DATE_WORDS.search(page), "no date in words on %s: %s" % (path, page[:1200])
    assert "VDAB" in text(an.get("/t/%d/referrals" % TID).body), "An does not see her referral"
    # follow-up moments in words
    page = text(an.get("/t/%d/followups" % TID).body)
    assert words(day_after_start(40)) in page and words(day_after_start(60)) in page, page[:1500]
    # the "Protocol" tab is the coach's, not hers; the coach still has it
    assert 'href="/t/%d/protocol"' % TID not in an.get("/t/%d" % TID).body, "the participant gets a Protocol tab"
    assert 'href="/t/%d/protocol"' % TID in coach.get("/t/%d" % TID).body, "the coach lost the Protocol tab"
    # the coach keeps sortable dates on the same pages
    for path, iso in (("/t/%d/plan" % TID, day_after_start(27)), ("/t/%d/followups" % TID, day_after_start(40)),
                      ("/t/%d" % TID, started)):
        body = coach.get(path).body
        assert iso in body, "the coach no longer sees %s on %s" % (iso, path)
    assert "Source: the participant" in text(coach.get("/t/%d/notes/%d" % (TID, nid)).body)


def test_questionnaires_say_je_and_hide_the_english_source():
    for q in QUESTIONNAIRES:
        r = C["nl"].get("/t/%d/assessments/new?q=%s" % (TID, q))
        assert_status(r, 200, q)
        main = text(r.body)
        m = FORMAL.search(main)
        assert not m, "questionnaire %s speaks with the formal 'u': ...%s..." % (q, main[max(0, m.start() - 80):m.end() + 80])
        assert re.search(r"\b(je|jij|jou|jouw)\b", main), "questionnaire %s does not say 'je'" % q
        assert "Bron:" not in main and "Source:" not in main, "the English source note reaches the participant (%s)" % q
        # the coach still sees where the questionnaire comes from
        r = C["coach"].get("/t/%d/assessments/new?q=%s" % (TID, q))
        assert "Source:" in text(r.body), "the coach no longer sees the source of %s" % q
    r = C["en"].get("/t/%d/assessments" % TID)
    assert "filled in by you" in text(r.body), "the participant is spoken of in the third person"


def test_timezone_setting_is_checked_and_moves_the_times():
    p = srv.cli("config", check=True)
    assert re.search(r"^timezone = Europe/Brussels$", p.stdout, re.M), "no timezone setting with its default"
    p = srv.cli("--set", "timezone=../../etc/passwd", "config")
    assert p.returncode != 0 and "not a time zone name" in p.stderr, (p.returncode, p.stderr)
    # the same visit read in Tokyo time (UTC+9, no summer time) is eight hours (winter) or seven hours
    # (summer) later than in Brussels
    from zoneinfo import ZoneInfo
    srv.restart(sets={"login_delay_ms": "0", "timezone": "Asia/Tokyo"})
    c = Client(srv, lang="en")
    c.login(PART_AN, follow=False)
    r = c.get("/t/%d/assessments" % TID)
    at = one("SELECT MAX(created_at) FROM assessments WHERE trajectory_id = ?", (TID,))
    t = datetime.datetime.fromtimestamp(at, ZoneInfo("Asia/Tokyo"))
    assert "%d %s %d at %02d:%02d" % (t.day, t.strftime("%B"), t.year, t.hour, t.minute) in text(r.body), \
        "the timezone setting does not move the times"
    assert "Asia/Tokyo" in c.get("/me/log").body, "/me/log does not say which time zone it uses"


def test_the_notice_of_a_reset_is_dated_in_words():
    """An's password is reset by the administrator: the notice she gets at her next sign-in says when, in words."""
    from harness import ADMIN
    admin = Client(srv, lang="en")
    admin.login(ADMIN)
    an_id = one("SELECT id FROM users WHERE email = ?", (PART_AN,))
    admin.get("/admin/users/%d" % an_id)
    r = admin.post("/admin/users/%d/reset-link" % an_id, {})
    assert_status(r, 200, "the administrator issues a reset link for An")
    token = unescape(re.search(r"/reset\?token=([A-Za-z0-9_\-]+)", r.body).group(1))
    password = "Een-nieuw-wachtwoord-voor-An-2026"
    anon = Client(srv, lang="en")
    anon.get("/reset?token=" + token)
    assert_status(anon.post("/reset", {"token": token, "new": password, "repeat": password}), 303, "the reset")
    for lang in ("en", "nl"):
        c = Client(srv, lang=lang)
        c.get("/login")
        r = c.post("/login", {"email": PART_AN, "password": password})
        assert_status(r, 303, "An signs in with her new password")
        assert r.location == "/notices", r.location
        page = c.get("/notices")
        assert_status(page, 200, "/notices (%s)" % lang)
        m = ISO_DATE.search(page.body)
        assert not m, "/notices (%s) shows an ISO date %s" % (lang, m.group(0))
        if lang == "en":
            at = one("SELECT MAX(at) FROM account_notices WHERE user_id = ?", (an_id,))
            from zoneinfo import ZoneInfo
            d = datetime.datetime.fromtimestamp(at, ZoneInfo("Asia/Tokyo"))  # the server runs in Tokyo time now
            assert "On %d %s %d the administrator" % (d.day, d.strftime("%B"), d.year) in text(page.body), \
                text(page.body)[:600]


run(srv, globals())
