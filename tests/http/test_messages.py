#!/usr/bin/env python3
"""Secure messages in a trajectory (issue 12, part 1).

A message is case information with the sender's source party and a category; its audience is decided by the
visibility rule: the form offers only the people who may read that category from that source, the server
checks again (403, nothing stored), health never reaches the work side. The participant messages the coach
from /me in two taps; the coach reads it (receipt, unread counts in the navigation and on the coach's day,
access-log entries) and replies in the thread; only the author withdraws a message; a huge message is 413.

Demo trajectory 1 (An Janssens, coach Sofie): the GP (Els, care side) holds An's consents for health and the
plan; HR (Tom, work side) holds capacity, plan and practical — never health.
"""
import re

from harness import (COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server, assert_status, run, signed_in,
                     sql_one, strip_tags, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "max_body_kib": "64"})
C = {}
S = {}  # ids remembered between the tests


def client(email):
    return signed_in(srv, C, email)


def offered(body):
    """The user ids the send form offers as recipients."""
    return {int(v) for v in re.findall(r'name="to" value="(\d+)"', body)}


def checked(body):
    return {int(v) for v in re.findall(r'name="to" value="(\d+)" checked', body)}


def nav_unread(body):
    """The unread badge after "Messages" in the main menu: its number, 0 when there is none."""
    m = re.search(r'<a href="/messages"[^>]*>Messages(?: <span class="badge">(\d+) unread</span>)?</a>', body)
    assert m, "no Messages entry in the navigation"
    return int(m.group(1) or 0)


def count(sql, params=()):
    return sql_one(srv, sql, params)


def messages_stored():
    return count("SELECT COUNT(*) FROM items WHERE kind = 'message'")


def log_since(mark, user, item=None, action=None):
    q = "SELECT item, action, outcome FROM access_log WHERE id > ? AND user_id = ?"
    rows = srv.sql(q, (mark, user))
    return [r for r in rows if (item is None or r[0] == item) and (action is None or r[1] == action)]


def mark():
    return count("SELECT COALESCE(MAX(id), 0) FROM access_log")


def test_participant_messages_coach_from_me_in_two_taps():
    an = client(PART_AN)
    sofie = user_id(srv, COACH_SOFIE)
    me = an.get("/me")
    assert_status(me, 200, "/me")
    # tap 1: the button on /me opens the form with the coach already chosen
    m = re.search(r'<form method="get" action="(/t/1/messages)" id="message-coach"><input type="hidden" name="to" '
                  r'value="coach"><button type="submit" class="primary">Send your coach a message</button>', me.body)
    assert m, "no 'Send your coach a message' button on /me"
    form = an.get(m.group(1) + "?to=coach")
    assert_status(form, 200, "the message form")
    assert checked(form.body) == {sofie}, "the coach is not the one chosen: %r" % checked(form.body)
    assert 'name="body"' in form.body and "<label" in form.body
    # tap 2: send (after typing)
    before, m0 = messages_stored(), mark()
    r = an.post("/t/1/messages", [("category", "practical"), ("to", str(sofie)),
                                  ("body", "MSGMARK-an-to-coach: can we move Tuesday?")])
    assert_status(r, 303, "sending")
    assert messages_stored() == before + 1
    mid = count("SELECT MAX(id) FROM items WHERE kind = 'message'")
    assert log_since(m0, user_id(srv, PART_AN), "message:%d" % mid, "create"), "the send is not in the access log"
    S["first"] = mid
    assert count("SELECT source_member_id IS NULL FROM items WHERE id = ?", (mid,)) == 1, "source is not An"
    assert count("SELECT author_id FROM items WHERE id = ?", (mid,)) == user_id(srv, PART_AN)
    assert srv.sql("SELECT user_id, read_at FROM message_recipients WHERE message_id = ?", (mid,)) == [(sofie, None)]
    page = an.follow(r)
    assert "MSGMARK-an-to-coach" in page.body
    assert "not read yet" in page.body, "the author does not see the receipt"


def test_coach_reads_receipt_unread_counts_and_log():
    sofie = client(COACH_SOFIE)
    mid = S["first"]
    day = sofie.get("/dashboard")
    assert_status(day, 200, "dashboard")
    assert nav_unread(day.body) == 1, "unread count in the navigation"
    assert re.search(r'<a href="/messages">1 unread message</a>', day.body), "no unread card on the coach's day"
    inbox = sofie.get("/messages")
    assert_status(inbox, 200, "inbox")
    assert "An Janssens" in inbox.body and "1 unread message" in inbox.body
    m0 = mark()
    page = sofie.get("/t/1/messages")
    assert_status(page, 200, "messages")
    assert "MSGMARK-an-to-coach" in page.body
    uid = user_id(srv, COACH_SOFIE)
    assert log_since(m0, uid, "message:%d" % mid, "view"), "no access-log entry for the message shown"
    assert log_since(m0, uid, "messages", "list"), "no access-log entry for the list"
    assert count("SELECT read_at IS NOT NULL FROM message_recipients WHERE message_id = ?", (mid,)) == 1, \
        "no read receipt"
    assert nav_unread(page.body) == 0, "the unread count did not drop"
    assert nav_unread(sofie.get("/dashboard").body) == 0
    an = client(PART_AN)
    assert re.search(r"Sofie Peeters \(read ", an.get("/t/1/messages").body), "An does not see that it was read"


def test_coach_replies_in_thread():
    sofie = client(COACH_SOFIE)
    mid = S["first"]
    an_id = user_id(srv, PART_AN)
    form = sofie.get("/t/1/messages/%d" % mid)
    assert_status(form, 200, "thread")
    assert an_id in checked(form.body), "the reply is not addressed to the sender by default"
    r = sofie.post("/t/1/messages/%d" % mid, [("to", str(an_id)), ("body", "MSGMARK-reply: yes, Wednesday 10h.")])
    assert_status(r, 303, "reply")
    rid = count("SELECT MAX(id) FROM items WHERE kind = 'message'")
    assert count("SELECT thread_id FROM messages WHERE item_id = ?", (rid,)) == mid, "reply not in the thread"
    assert count("SELECT category FROM items WHERE id = ?", (rid,)) == "practical"
    an = client(PART_AN)
    assert nav_unread(an.get("/me").body) == 1, "An's unread count"
    t = an.get("/t/1/messages/%d" % mid)
    assert_status(t, 200)
    body = t.body
    assert body.index("MSGMARK-an-to-coach") < body.index("MSGMARK-reply"), "the reply is not under the message"
    assert nav_unread(an.get("/me").body) == 0
    S["reply"] = rid


def test_health_never_offered_to_hr_and_refused_by_server():
    sofie = client(COACH_SOFIE)
    tom, els = user_id(srv, PARTNER_HR), user_id(srv, PARTNER_GP)
    health = sofie.get("/t/1/messages?category=health")
    assert_status(health, 200)
    assert els in offered(health.body), "the GP (health consent) is not offered"
    assert tom not in offered(health.body), "HR is offered a health message"
    practical = sofie.get("/t/1/messages?category=practical")
    assert tom in offered(practical.body), "HR (practical consent) is not offered a practical message"
    before = messages_stored()
    r = sofie.post("/t/1/messages", [("category", "health"), ("to", str(tom)), ("body", "MSGMARK-health-to-hr")])
    assert_status(r, 403, "health to HR")
    assert "nothing was sent" in strip_tags(r.body)
    assert messages_stored() == before, "something was stored"
    assert count("SELECT COUNT(*) FROM items WHERE body LIKE '%MSGMARK-health-to-hr%'") == 0
    # the GP and HR together: refused as a whole, nothing stored
    r = sofie.post("/t/1/messages", [("category", "health"), ("to", str(els)), ("to", str(tom)),
                                     ("body", "MSGMARK-health-to-both")])
    assert_status(r, 403, "health to GP and HR")
    assert messages_stored() == before


def test_member_without_consent_not_offered_and_refused():
    an = client(PART_AN)
    tom, els, sofie = user_id(srv, PARTNER_HR), user_id(srv, PARTNER_GP), user_id(srv, COACH_SOFIE)
    cap = an.get("/t/1/messages?category=capacity")
    assert offered(cap.body) == {sofie, tom}, "capacity: offered %r" % offered(cap.body)  # the GP has no consent
    before = messages_stored()
    r = an.post("/t/1/messages", [("category", "capacity"), ("to", str(els)), ("body", "MSGMARK-cap-to-gp")])
    assert_status(r, 403, "capacity to the GP without consent")
    assert messages_stored() == before
    # a user id that is nobody of this trajectory
    r = an.post("/t/1/messages", [("category", "practical"), ("to", "999999"), ("body", "MSGMARK-nobody")])
    assert_status(r, 403, "a stranger")
    assert messages_stored() == before
    # HR writes (source: HR) to the coach; the GP may not read HR's work information
    hr = client(PARTNER_HR)
    work = hr.get("/t/1/messages?category=work")
    assert_status(work, 200)
    assert sofie in offered(work.body) and els not in offered(work.body)
    r = hr.post("/t/1/messages", [("category", "work"), ("to", str(els)), ("body", "MSGMARK-hr-to-gp")])
    assert_status(r, 403, "HR work to the GP")
    assert messages_stored() == before


def test_partner_cannot_read_a_message_not_addressed_to_them():
    mid = S["first"]  # An -> coach, practical: HR holds An's practical consent, but it is not addressed to HR
    for email in (PARTNER_HR, PARTNER_GP):
        c = client(email)
        page = c.get("/t/1/messages")
        assert_status(page, 200, email)
        assert "MSGMARK" not in page.body, "%s reads a message not addressed to them" % email
        one = c.get("/t/1/messages/%d" % mid)
        assert_status(one, 404, "%s opens the message" % email)
        assert "MSGMARK" not in one.body
        assert_status(c.post("/t/1/messages/%d/withdraw" % mid, {}), 404, "%s withdraws" % email)
        assert_status(c.post("/t/1/messages/%d" % mid, {"to": str(user_id(srv, COACH_SOFIE)), "body": "x"}), 404)
    assert count("SELECT COUNT(*) FROM access_log WHERE item = ? AND outcome = 'denied'", ("message:%d" % mid,)) >= 2


def test_withdraw_by_author_only():
    mid = S["first"]
    sofie = client(COACH_SOFIE)
    r = sofie.post("/t/1/messages/%d/withdraw" % mid, {})
    assert_status(r, 403, "the coach withdraws An's message")
    assert "MSGMARK-an-to-coach" in sofie.get("/t/1/messages").body
    an = client(PART_AN)
    m0 = mark()
    r = an.post("/t/1/messages/%d/withdraw" % mid, {})
    assert_status(r, 303, "the author withdraws")
    assert log_since(m0, user_id(srv, PART_AN), "message:%d" % mid, "withdraw"), "withdrawal not in the access log"
    assert count("SELECT COUNT(*) FROM items WHERE id = ?", (mid,)) == 1, "the item is gone"
    assert count("SELECT body FROM items WHERE id = ?", (mid,)) == ""
    page = sofie.get("/t/1/messages")
    assert "MSGMARK-an-to-coach" not in page.body
    assert "This message was withdrawn on" in page.body
    assert "MSGMARK-reply" in page.body


def test_huge_message_413_nothing_stored():
    an = client(PART_AN)
    sofie = user_id(srv, COACH_SOFIE)
    before = messages_stored()
    r = an.post("/t/1/messages", [("category", "practical"), ("to", str(sofie)), ("body", "A" * 100 * 1024)])
    assert_status(r, 413, "over the body cap")
    an.refresh_csrf()  # the 413 page is answered before the session is read: its form token is not the session's
    r = an.post("/t/1/messages", [("category", "practical"), ("to", str(sofie)), ("body", "MSGMARK-long " * 500)])
    assert_status(r, 413, "over the message cap")
    assert "too long" in strip_tags(r.body)
    assert messages_stored() == before


def test_empty_and_no_recipient():
    an = client(PART_AN)
    before = messages_stored()
    r = an.post("/t/1/messages", [("category", "practical"), ("body", "MSGMARK-to-nobody")])
    assert_status(r, 400, "no recipient")
    assert "Choose who gets the message." in r.body
    r = an.post("/t/1/messages", [("category", "practical"), ("to", str(user_id(srv, COACH_SOFIE))), ("body", "")])
    assert_status(r, 400, "empty")
    assert messages_stored() == before


run(srv, globals())
