#!/usr/bin/env python3
"""The message inbox (/messages) and the unread badge keep the visibility rule: a member whose consent is
withdrawn no longer sees the conversation nor counts it; a coach sees it only while they have coach grounds
(assigned, or standing in for the assigned coach today), not before or after a stand-in period."""
import datetime
import re

from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_HR, Server, assert_status, message_inbox_rebuild,
                     run, signed_in, sql_one, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}


def client(email):
    return signed_in(srv, C, email)


def badge(body):
    m = re.search(r'<a href="/messages"[^>]*>Messages(?: <span class="badge">(\d+) unread</span>)?</a>', body)
    assert m, "no Messages entry in the navigation"
    return int(m.group(1) or 0)


def day(n):
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=n)).isoformat()


def inbox(email):
    page = client(email).get("/messages")
    assert_status(page, 200, "inbox of %s" % email)
    return page


def test_inbox_follows_consent_and_coach_grounds():
    an = client(PART_AN)
    sofie, tom, pieter = user_id(srv, COACH_SOFIE), user_id(srv, PARTNER_HR), user_id(srv, COACH_PIETER)
    assert sql_one(srv, "SELECT COUNT(*) FROM trajectory_coaches WHERE trajectory_id = 1 AND user_id = ?",
                   (pieter,)) == 0, "precondition: Pieter is not a coach of An's trajectory"
    r = an.post("/t/1/messages", [("category", "practical"), ("to", str(sofie)), ("to", str(tom)),
                                  ("body", "MSGMARK-inbox")])
    assert_status(r, 303, "An writes to the coach and HR")
    mid = sql_one(srv, "SELECT MAX(id) FROM items WHERE kind = 'message'")
    for email in (COACH_SOFIE, PARTNER_HR):
        page = inbox(email)
        assert "An Janssens" in page.body and "1 unread message" in page.body, email
        assert badge(page.body) == 1, email
    # a recipient who is not (or no longer) a coach of the trajectory: Pieter, on the list of an old message
    srv.sql("INSERT INTO message_recipients (message_id, user_id) VALUES (?, ?)", (mid, pieter))
    message_inbox_rebuild(srv)  # written directly: the summary the product keeps, recomputed
    page = inbox(COACH_PIETER)
    assert "An Janssens" not in page.body and badge(page.body) == 0, "Pieter sees it without coach grounds"
    lead = user_id(srv, COACH_SOFIE)
    srv.sql("INSERT INTO coach_standins (coach_id, stand_in_id, from_on, until_on, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, 0)", (sofie, pieter, day(-1), day(1), lead))
    page = inbox(COACH_PIETER)
    assert "An Janssens" in page.body and badge(page.body) == 1, "the stand-in does not see it during the period"
    srv.sql("UPDATE coach_standins SET from_on = ?, until_on = ?", (day(-6), day(-1)))
    page = inbox(COACH_PIETER)
    assert "An Janssens" not in page.body and badge(page.body) == 0, "the stand-in sees it after the period"
    srv.sql("UPDATE coach_standins SET from_on = ?, until_on = ?", (day(1), day(3)))
    page = inbox(COACH_PIETER)
    assert "An Janssens" not in page.body and badge(page.body) == 0, "the stand-in sees it before the period"
    # An withdraws the practical consent: HR no longer sees the conversation nor counts it; the coach does
    srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE trajectory_id = 1 AND category = 'practical'"
            " AND withdrawn_at IS NULL")
    page = inbox(PARTNER_HR)
    assert "An Janssens" not in page.body and "MSGMARK" not in page.body, "HR still sees it"
    assert badge(page.body) == 0, "HR's badge counts a message the rule now hides"
    page = inbox(COACH_SOFIE)
    assert "An Janssens" in page.body and badge(page.body) == 1, "the coach lost it"


if __name__ == "__main__":
    run(srv, globals())
