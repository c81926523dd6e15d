"""Meetings (issue 12, part 2): the coach plans a meeting of a trajectory with attendees from the network; an
attendee confirms; the minutes are items with a category and a source party, shown by the visibility rule (HR
never reads health minutes, the GP with a health consent does); times are stored in UTC and read in the
portal's time zone, also on the day the clocks change; every meeting downloads as an .ics that libical's rules
accept (DTSTART in UTC, no participant name, no agenda); the personal calendar feed carries only "Care & Work
appointment" in its owner's language ("Afspraak Zorg & Werk"), the time and a link — no name, no place, no
agenda, no minutes — and a revoked token answers 404; a user who is not an attendee or not in the trajectory
gets the not-found page for a meeting, logged. The coach changes a meeting (time, place, agenda, attendees:
the feed shows the new time with SEQUENCE raised and the same UID; who was removed no longer sees it) and
cancels one (it stays visible, marked cancelled, STATUS:CANCELLED in the feed; no answers, no changes after:
409); nobody else may change or cancel (404, logged on the participant's file)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, access_log_mark,
                     access_log_since, assert_refused_on_owner, assert_status, participant_trajectory, run, sign_in,
                     unescape, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "timezone": "Europe/Brussels"})
C = {}
TID, PID = participant_trajectory(srv, PART_AN)
# 2027-03-28 is the day the clocks go forward in Brussels: 10:00 local is 08:00 UTC (it was 09:00 UTC a day before)
DST_DAY, DST_UTC = "2027-03-28", 1806220800
M = {}


def client(email):
    if email not in C:
        C[email] = sign_in(srv, email)
    return C[email]


def member_id(email):
    return srv.sql("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
                   "AND u.email = ? AND m.removed_at IS NULL", (TID, email))[0][0]


def plan(data):
    coach = client(COACH_SOFIE)
    assert_status(coach.get("/t/%d/meetings" % TID), 200, "the coach's meetings page")
    return coach.post("/t/%d/meetings" % TID, data)


def test_coach_plans_a_meeting_with_attendees():
    base = {"kind": "consultation", "mode": "group", "date": DST_DAY, "time": "10:00", "duration": "90",
            "place": "MTG-PLACE Kliniek De Linde, zaal 2", "video_url": "", "agenda": "MTG-AGENDA werkhervatting",
            "participant": "1", "m%d" % member_id(PARTNER_HR): "1", "m%d" % member_id(PARTNER_GP): "1"}
    # bad input is kept in the form with a clear message: a time that does not exist (the skipped hour), a
    # duration out of range, a link that is no web address
    r = plan(dict(base, time="02:30"))
    assert_status(r, 400, "02:30 on the day the clocks go forward")
    assert "exist in the portal" in r.body and "MTG-AGENDA" in r.body
    assert_status(plan(dict(base, duration="0")), 400, "duration 0")
    assert_status(plan(dict(base, video_url="javascript:alert(1)")), 400, "a script link")
    assert not srv.sql("SELECT id FROM meetings")
    r = plan(base)
    assert_status(r, 303, "plan the meeting")
    mid, starts, minutes = srv.sql("SELECT id, starts_at, duration_minutes FROM meetings")[0]
    M["main"] = mid
    assert starts == DST_UTC and minutes == 90, (starts, minutes)  # stored in UTC
    assert r.location.split("?")[0] == "/t/%d/meetings/%d" % (TID, mid), r.location
    body = client(COACH_SOFIE).get(r.location).body
    assert "2027-03-28 10:00" in body, "shown in the portal's zone, after the clock change"
    assert "MTG-PLACE" in body and "MTG-AGENDA" in body
    assert "An Janssens" in body and "Tom Claes" in body and "Els Wouters" in body
    # the participant reads the time in words, local
    r = client(PART_AN).get(r.location)
    assert_status(r, 200, "the participant opens the meeting")
    assert "28 March 2027 at 10:00" in r.body, r.body[:2000]
    # a second meeting with the participant only: not HR's
    r = plan(dict(base, date="2027-10-31", time="10:00", place="", agenda="MTG-PRIVATE",
                  **{"m%d" % member_id(PARTNER_HR): "", "m%d" % member_id(PARTNER_GP): ""}))
    assert_status(r, 303, "a meeting with the participant only")
    M["private"] = srv.sql("SELECT MAX(id) FROM meetings")[0][0]
    # 2027-10-31: winter time again, 10:00 local is 09:00 UTC
    assert srv.sql("SELECT starts_at FROM meetings WHERE id = ?", (M["private"],))[0][0] == 1824973200


def test_an_attendee_confirms():
    hr = client(PARTNER_HR)
    page = "/t/%d/meetings/%d" % (TID, M["main"])
    r = hr.get(page)
    assert_status(r, 200, "HR opens the meeting they attend")
    assert "I will attend" in r.body
    assert "An Janssens" in r.body and "Tom Claes" in r.body
    assert "Els Wouters" not in r.body, "the care side's GP is not named to the work side"
    assert_status(hr.post(page + "/respond", {"response": "accepted"}), 303, "HR confirms")
    assert srv.sql("SELECT a.response FROM meeting_attendees a JOIN network_members m ON m.id = a.member_id "
                   "WHERE a.meeting_id = ? AND m.user_id = ?", (M["main"], user_id(srv, PARTNER_HR)))[0][0] == "accepted"
    assert "Will attend" in hr.get(page).body
    gp = client(PARTNER_GP)
    gp.get(page)
    assert_status(gp.post(page + "/respond", {"response": "declined"}), 303, "the GP declines")
    assert_status(gp.post(page + "/respond", {"response": "maybe"}), 400, "an unknown answer")
    # the coach is no attendee: nothing to answer
    coach = client(COACH_SOFIE)
    coach.get(page)
    assert_status(coach.post(page + "/respond", {"response": "accepted"}), 403, "the coach has no invitation")


def test_minutes_visible_by_the_rule():
    coach = client(COACH_SOFIE)
    page = "/t/%d/meetings/%d" % (TID, M["main"])
    coach.get(page)
    assert_status(coach.post(page + "/minutes", {"title": "MTG-H-TITLE", "category": "health", "source": "participant",
                                                 "body": "MTG-HEALTH-MINUTES slaapt slecht"}), 303, "health minutes")
    assert_status(coach.post(page + "/minutes", {"title": "MTG-P-TITLE", "category": "practical",
                                                 "source": "participant", "body": "MTG-PRACTICAL-MINUTES"}), 303)
    assert_status(coach.post(page + "/minutes", {"title": "", "category": "health", "source": "participant",
                                                 "body": "MTG-NO-TITLE"}), 400, "minutes without a title")
    assert srv.sql("SELECT COUNT(*) FROM items WHERE kind = 'minutes'")[0][0] == 2
    mark = access_log_mark(srv)
    hr = client(PARTNER_HR).get(page).body
    assert "MTG-PRACTICAL-MINUTES" in hr, "the work side holds a consent for practical matters"
    assert "MTG-HEALTH-MINUTES" not in hr and "MTG-H-TITLE" not in hr, "HR without consent reads no health minutes"
    assert "Add to the minutes" not in hr
    shown = access_log_since(srv, mark, user_id=user_id(srv, PARTNER_HR))
    items = [e["item"] for e in shown]
    assert "meeting:%d" % M["main"] in items, items
    health = srv.sql("SELECT id FROM items WHERE title = 'MTG-H-TITLE'")[0][0]
    practical = srv.sql("SELECT id FROM items WHERE title = 'MTG-P-TITLE'")[0][0]
    assert "minutes:%d" % practical in items and "minutes:%d" % health not in items, items
    gp = client(PARTNER_GP).get(page).body
    assert "MTG-HEALTH-MINUTES" in gp and "MTG-PRACTICAL-MINUTES" not in gp
    an = client(PART_AN).get(page).body
    assert "MTG-HEALTH-MINUTES" in an and "MTG-PRACTICAL-MINUTES" in an
    # only the coach records minutes
    hrc = client(PARTNER_HR)
    hrc.get(page)
    assert_status(hrc.post(page + "/minutes", {"title": "x", "category": "practical", "source": "participant",
                                               "body": "MTG-BY-HR"}), 404, "HR records minutes")
    assert not srv.sql("SELECT id FROM items WHERE body = 'MTG-BY-HR'")


def unfold(ics):
    return ics.replace("\r\n ", "")


def test_ics_download():
    hr = client(PARTNER_HR)
    mark = access_log_mark(srv)
    r = hr.request("GET", "/t/%d/meetings/%d/ics" % (TID, M["main"]), check_html=False)
    assert_status(r, 200, "HR downloads the meeting")
    assert r.header("Content-Type").startswith("text/calendar"), r.header("Content-Type")
    ics = unfold(r.body)
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith("END:VCALENDAR"), ics
    assert "VERSION:2.0\r\n" in ics and "PRODID:" in ics and "BEGIN:VEVENT\r\n" in ics
    assert "DTSTART:20270328T080000Z\r\n" in ics and "DTEND:20270328T093000Z\r\n" in ics, ics
    assert "UID:meeting-%d@" % M["main"] in ics
    assert "LOCATION:MTG-PLACE Kliniek De Linde\\, zaal 2" in ics, ics  # the attendee's own download has the place
    for secret in ("Janssens", "An ", "Tom Claes", "Els Wouters", "MTG-AGENDA", "MTG-HEALTH", "MTG-PRACTICAL"):
        assert secret not in ics, secret
    for line in r.body.split("\r\n"):
        assert len(line.encode()) <= 75, line
    assert access_log_since(srv, mark, item="meeting:%d" % M["main"], action="export", outcome="ok")


def summary_for(email):
    """The title of every event in the feed of email's account: "Care & Work appointment" in the account's
    language ("Afspraak Zorg & Werk" in Dutch once po/nl.po has it), the server's (en) when none is chosen."""
    lang = srv.sql("SELECT lang FROM users WHERE email = ?", (email,))[0][0] or "en"
    if lang == "nl":
        po = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "po", "nl.po"),
                  encoding="utf-8").read()
        m = re.search(r'\nmsgid "Care & Work appointment"\nmsgstr "([^"]+)"', po)
        if m:
            return m.group(1)
    return "Care & Work appointment"


def feed_token(c):
    c.get("/account")
    r = c.post("/account/calendar", {})
    assert_status(r, 200, "make a calendar link")
    m = re.search(r"/calendar/([A-Za-z0-9_\-]{43})\.ics", r.body)
    assert m, r.body
    return unescape(m.group(1))


def test_personal_feed_without_case_content():
    hr = client(PARTNER_HR)
    token = feed_token(hr)
    assert srv.sql("SELECT COUNT(*) FROM calendar_tokens WHERE token_hash = ?", (token,))[0][0] == 0, "hash only"
    anon = Client(srv)
    r = anon.request("GET", "/calendar/%s.ics" % token, check_html=False)
    assert_status(r, 200, "the calendar program fetches the feed")
    assert r.header("Content-Type").startswith("text/calendar")
    ics = unfold(r.body)
    assert ics.count("BEGIN:VEVENT") == 1, ics  # the meeting HR attends, not the participant-only one
    assert "SUMMARY:%s\r\n" % summary_for(PARTNER_HR) in ics and "DTSTART:20270328T080000Z" in ics, ics
    assert "URL:" in ics and "/t/%d/meetings/%d" % (TID, M["main"]) in ics
    for secret in ("Janssens", "Tom Claes", "Els Wouters", "MTG-", "Kliniek", "LOCATION", "DESCRIPTION",
                   "consultation", "Network consultation"):
        assert secret not in ics, secret
    # the participant's feed has both meetings, still without content
    an_feed = Client(srv).request("GET", "/calendar/%s.ics" % feed_token(client(PART_AN)), check_html=False)
    assert_status(an_feed, 200, "the participant's feed")
    an_ics = unfold(an_feed.body)
    assert an_ics.count("BEGIN:VEVENT") == 2 and "MTG-" not in an_ics and "Janssens" not in an_ics, an_ics
    # a new link stops the old one; revoking stops the new one: 404
    newer = feed_token(hr)
    assert_status(anon.request("GET", "/calendar/%s.ics" % token, check_html=False), 404, "the replaced link")
    assert_status(anon.request("GET", "/calendar/%s.ics" % newer, check_html=False), 200, "the new link")
    hr.get("/account")
    assert_status(hr.post("/account/calendar/revoke", {}), 303, "stop the calendar link")
    assert_status(anon.request("GET", "/calendar/%s.ics" % newer, check_html=False), 404, "the revoked link")
    assert_status(anon.request("GET", "/calendar/%s.ics" % ("A" * 43), check_html=False), 404, "a guessed link")
    assert_status(anon.request("GET", "/calendar/nothing", check_html=False), 404, "no token")


def test_non_members_get_404():
    pieter = client(COACH_PIETER)  # coach, but not of An's trajectory
    mark = access_log_mark(srv)
    assert_status(pieter.get("/t/%d/meetings/%d" % (TID, M["main"])), 404, "another coach opens the meeting")
    assert_status(pieter.request("GET", "/t/%d/meetings/%d/ics" % (TID, M["main"]), check_html=False), 404)
    assert access_log_since(srv, mark, user_id=user_id(srv, COACH_PIETER), outcome="denied")
    # through his own trajectory's URL: refused, and the refusal is on An's file, not on the trajectory named
    own = srv.sql("SELECT t.id, t.participant_id FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                  "WHERE c.user_id = ? AND t.id <> ? LIMIT 1", (user_id(srv, COACH_PIETER), TID))[0]
    assert_refused_on_owner(srv, pieter, user_id(srv, COACH_PIETER), "GET", "/t/%d/meetings/%d" % (own[0], M["main"]),
                            (PID, TID), own[1], item="meeting:%d" % M["main"])
    # HR is in the network but not invited to the private meeting: not found, not listed
    hr = client(PARTNER_HR)
    mark = access_log_mark(srv)
    assert_status(hr.get("/t/%d/meetings/%d" % (TID, M["private"])), 404, "HR opens a meeting without them")
    denied = access_log_since(srv, mark, item="meeting:%d" % M["private"], outcome="denied")
    assert denied and denied[0]["participant_id"] == PID, denied
    assert_status(hr.request("GET", "/t/%d/meetings/%d/ics" % (TID, M["private"]), check_html=False), 404)
    listing = hr.get("/t/%d/meetings" % TID).body
    assert "/meetings/%d\"" % M["main"] in listing and "/meetings/%d\"" % M["private"] not in listing
    # a meeting of trajectory 1 is not reachable through another trajectory's URL
    other = srv.sql("SELECT id FROM trajectories WHERE id <> ? LIMIT 1", (TID,))[0][0]
    assert_status(client(COACH_SOFIE).get("/t/%d/meetings/%d" % (other, M["main"])), 404)
    # only the coach plans
    hr.get("/t/%d/meetings" % TID)
    assert_status(hr.post("/t/%d/meetings" % TID, {"kind": "other", "mode": "phone", "date": "2027-01-05",
                                                 "time": "09:00", "duration": "30", "participant": "1"}), 404)
    assert srv.sql("SELECT COUNT(*) FROM meetings")[0][0] == 2


def test_the_feed_speaks_the_language_of_its_owner():
    hr = client(PARTNER_HR)
    hr.get("/account")
    assert_status(hr.post("/lang", {"lang": "nl", "next": "/account"}), 303, "HR chooses Dutch")
    assert srv.sql("SELECT lang FROM users WHERE email = ?", (PARTNER_HR,))[0][0] == "nl"
    ics = unfold(Client(srv).request("GET", "/calendar/%s.ics" % feed_token(hr), check_html=False).body)
    assert "SUMMARY:%s\r\n" % summary_for(PARTNER_HR) in ics, ics
    an = unfold(Client(srv).request("GET", "/calendar/%s.ics" % feed_token(client(PART_AN)), check_html=False).body)
    assert "SUMMARY:%s\r\n" % summary_for(PART_AN) in an, an
    hr.get("/account")
    assert_status(hr.post("/lang", {"lang": "en", "next": "/account"}), 303, "HR back to English")


def test_the_coach_changes_a_meeting_and_the_feed_follows():
    coach = client(COACH_SOFIE)
    r = plan({"kind": "evaluation", "mode": "individual", "date": "2027-02-10", "time": "09:00", "duration": "30",
              "place": "MTG-EDIT-PLACE", "video_url": "", "agenda": "MTG-EDIT-AGENDA", "participant": "1",
              "m%d" % member_id(PARTNER_HR): "1"})
    assert_status(r, 303, "a meeting to change")
    mid = srv.sql("SELECT MAX(id) FROM meetings")[0][0]
    M["edit"] = mid
    page = "/t/%d/meetings/%d" % (TID, mid)
    form = coach.get(page + "/edit")
    assert_status(form, 200, "the change form")
    assert 'value="2027-02-10"' in form.body and 'value="09:00"' in form.body and "MTG-EDIT-AGENDA" in form.body
    assert 'name="m%d" value="1" checked' % member_id(PARTNER_HR) in form.body, "the attendees are not filled in"
    # bad input: kept, 400, nothing changed
    r = coach.post(page + "/edit", {"kind": "evaluation", "mode": "individual", "date": "2027-02-31", "time": "09:00",
                                    "duration": "30", "participant": "1", "agenda": "MTG-EDIT-KEPT"})
    assert_status(r, 400, "a date that does not exist")
    assert "MTG-EDIT-KEPT" in r.body
    assert srv.sql("SELECT sequence, starts_at FROM meetings WHERE id = ?", (mid,))[0][0] == 0
    an = client(PART_AN)
    an.get(page)
    assert_status(an.post(page + "/respond", {"response": "accepted"}), 303, "An accepts")
    # another time, another place, the GP instead of HR
    coach.get(page + "/edit")
    r = coach.post(page + "/edit", {"kind": "evaluation", "mode": "online", "date": "2027-02-11", "time": "14:30",
                                    "duration": "45", "place": "", "video_url": "https://video.example/room",
                                    "agenda": "MTG-EDIT-NEW", "participant": "1", "m%d" % member_id(PARTNER_GP): "1"})
    assert_status(r, 303, "the coach changes the meeting")
    seq, starts, minutes, agenda = srv.sql("SELECT sequence, starts_at, duration_minutes, agenda FROM meetings "
                                           "WHERE id = ?", (mid,))[0]
    assert (seq, minutes, agenda) == (1, 45, "MTG-EDIT-NEW"), (seq, minutes, agenda)
    assert starts == 1802352600, starts  # 2027-02-11 14:30 in Brussels (winter time) is 13:30 UTC
    answers = dict(srv.sql("SELECT COALESCE(member_id, 0), response FROM meeting_attendees WHERE meeting_id = ?", (mid,)))
    assert answers == {0: "pending", member_id(PARTNER_GP): "pending"}, answers  # a new time: answer again
    body = coach.get(page).body
    attendees = re.search(r'<h2 id="attendees">.*?</section>', body, re.S).group(0)
    assert "2027-02-11 14:30" in body and "MTG-EDIT-NEW" in body and "Els Wouters" in attendees
    assert "Tom Claes" not in attendees, "HR is still an attendee"
    assert_status(client(PARTNER_HR).get(page), 404, "HR is no longer invited")
    ics = unfold(Client(srv).request("GET", "/calendar/%s.ics" % feed_token(client(PART_AN)), check_html=False).body)
    ev = [e for e in ics.split("BEGIN:VEVENT") if "UID:meeting-%d@" % mid in e]
    assert len(ev) == 1 and "SEQUENCE:1\r\n" in ev[0] and "DTSTART:20270211T133000Z" in ev[0], ev
    assert "MTG-EDIT" not in ics
    # only the coach changes meetings: the participant and the GP are refused like a missing page, logged
    for who in (PART_AN, PARTNER_GP):
        c = client(who)
        mark = access_log_mark(srv)
        assert_status(c.get(page + "/edit"), 404, "%s opens the change form" % who)
        c.get(page)
        assert_status(c.post(page + "/cancel", {}), 404, "%s cancels" % who)
        assert access_log_since(srv, mark, item="meeting:%d" % mid, outcome="denied", participant_id=PID)
    assert srv.sql("SELECT sequence, cancelled_at FROM meetings WHERE id = ?", (mid,))[0] == (1, None)


def test_the_coach_cancels_a_meeting_it_stays_visible_as_cancelled():
    coach = client(COACH_SOFIE)
    mid = M["edit"]
    page = "/t/%d/meetings/%d" % (TID, mid)
    coach.get(page)
    assert_status(coach.post(page + "/cancel", {}), 303, "the coach cancels the meeting")
    seq, cancelled = srv.sql("SELECT sequence, cancelled_at FROM meetings WHERE id = ?", (mid,))[0]
    assert seq == 2 and cancelled, (seq, cancelled)
    an = client(PART_AN)
    r = an.get(page)
    assert_status(r, 200, "the participant still sees the cancelled meeting")
    assert "Cancelled" in r.body and "I will attend" not in r.body
    assert "Cancelled" in an.get("/t/%d/meetings" % TID).body
    an.get(page)
    assert_status(an.post(page + "/respond", {"response": "accepted"}), 409, "answering a cancelled meeting")
    coach.get(page)
    assert_status(coach.post(page + "/cancel", {}), 409, "cancelling twice")
    assert_status(coach.get(page + "/edit"), 409, "changing a cancelled meeting")
    ics = unfold(Client(srv).request("GET", "/calendar/%s.ics" % feed_token(an), check_html=False).body)
    ev = [e for e in ics.split("BEGIN:VEVENT") if "UID:meeting-%d@" % mid in e]
    assert len(ev) == 1 and "STATUS:CANCELLED\r\n" in ev[0] and "SEQUENCE:2\r\n" in ev[0], ev
    other = [e for e in ics.split("BEGIN:VEVENT")[1:] if "UID:meeting-%d@" % mid not in e]
    assert other and all("STATUS:CONFIRMED" in e for e in other), other
    dl = unfold(an.request("GET", page + "/ics", check_html=False).body)
    assert "STATUS:CANCELLED\r\n" in dl and "SEQUENCE:2\r\n" in dl, dl


run(srv, globals())
