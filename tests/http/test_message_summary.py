#!/usr/bin/env python3
"""The recipients' message summary (message_inbox, migration 024) that the unread badge and the inbox read
instead of every message: after every send, reply, read and withdrawal — in a random order, by the
participant, the coach and two network members of demo trajectory 1 — it equals what the messages and
receipts themselves give (recomputed here from message_recipients), and the badge in each user's menu and the
unread counts of their inbox equal the unread messages addressed to them. The seed is printed; set
ZW_SUMMARY_SEED to replay a run."""
import os
import random
import re

from harness import (COACH_SOFIE, MESSAGE_INBOX_TRUTH, PART_AN, PARTNER_GP, PARTNER_HR, Server, assert_status,
                     message_inbox_drift, run, signed_in, sql_one, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
PEOPLE = (PART_AN, COACH_SOFIE, PARTNER_HR, PARTNER_GP)
CATEGORIES = ("health", "capacity", "work", "plan", "practical")
SEED = int(os.environ.get("ZW_SUMMARY_SEED", random.randrange(1 << 30)))
STEPS = 60


def client(email):
    return signed_in(srv, C, email)


def offered(body):
    return sorted({int(v) for v in re.findall(r'name="to" value="(\d+)"', body)})


def badge(body):
    m = re.search(r'<a href="/messages"[^>]*>Messages(?: <span class="badge">(\d+) unread</span>)?</a>', body)
    assert m, "no Messages entry in the navigation"
    return int(m.group(1) or 0)


def assert_exact(what):
    extra, missing = message_inbox_drift(srv)
    assert not extra and not missing, "after %s (seed %d) the summary is off:\n  rows it should not have: %r\n" \
        "  rows it lacks: %r" % (what, SEED, extra, missing)


def unread_of(uid):
    """The unread messages addressed to uid (not withdrawn), from the receipts themselves."""
    return sql_one(srv, "SELECT COUNT(*) FROM message_recipients r JOIN messages m ON m.item_id = r.message_id "
                        "WHERE r.user_id = ? AND r.read_at IS NULL AND m.withdrawn_at IS NULL", (uid,))


def send(rng, email, what):
    """email writes a new message or a reply to chosen people the form offers; False when nobody is offered."""
    c = client(email)
    roots = [r[0] for r in srv.sql("SELECT m.item_id FROM messages m WHERE m.trajectory_id = 1 AND m.thread_id "
                                   "IS NULL ORDER BY m.item_id")]
    if roots and rng.random() < 0.4:
        root = rng.choice(roots)
        form = c.get("/t/1/messages/%d" % root)
        if form.status != 200:  # a thread this person may not read
            return False
        path, fields = "/t/1/messages/%d" % root, []
    else:
        cat = rng.choice(CATEGORIES)
        form = c.get("/t/1/messages?category=" + cat)
        assert_status(form, 200, "the message form of %s" % email)
        path, fields = "/t/1/messages", [("category", cat)]
    ids = offered(form.body)
    if not ids:
        return False
    to = rng.sample(ids, rng.randint(1, len(ids)))
    r = c.post(path, fields + [("to", str(u)) for u in to] + [("body", "Summary test: %s" % what)])
    assert_status(r, 303, "%s sends to %r (%s)" % (email, to, what))
    return True


def read(rng, email):
    """email opens the conversations (every message it may read is marked read) or one thread."""
    c = client(email)
    roots = [r[0] for r in srv.sql("SELECT item_id FROM messages WHERE trajectory_id = 1 AND thread_id IS NULL")]
    path = "/t/1/messages/%d" % rng.choice(roots) if roots and rng.random() < 0.5 else "/t/1/messages"
    r = c.get(path)
    assert r.status in (200, 404), "%s reads %s: %d" % (email, path, r.status)
    return r.status == 200


def withdraw(rng, email):
    """email withdraws one of its own messages not yet withdrawn; False when it has none."""
    mine = [r[0] for r in srv.sql("SELECT m.item_id FROM messages m JOIN items i ON i.id = m.item_id "
                                  "WHERE i.author_id = ? AND m.withdrawn_at IS NULL", (user_id(srv, email),))]
    if not mine:
        return False
    mid = rng.choice(mine)
    r = client(email).post("/t/1/messages/%d/withdraw" % mid, {})
    assert_status(r, 303, "%s withdraws message %d" % (email, mid))
    return True


def test_summary_equals_the_messages_after_random_sends_reads_and_withdrawals():
    print("# seed %d" % SEED, flush=True)
    rng = random.Random(SEED)
    assert_exact("the demo")
    done = {"send": 0, "read": 0, "withdraw": 0}
    for step in range(STEPS):
        email = rng.choice(PEOPLE)
        op = rng.choices(("send", "read", "withdraw"), weights=(5, 3, 2))[0]
        what = "step %d: %s by %s" % (step, op, email)
        if {"send": send, "read": lambda g, e: read(g, e), "withdraw": withdraw}[op](
                rng, email, *((what,) if op == "send" else ())):
            done[op] += 1
        assert_exact(what)
    # a seed that drew too few of a kind: more of that kind, each checked as well, so that every run means something
    want = {"send": 10, "read": 5, "withdraw": 3}
    for extra in range(60):
        short = [op for op in want if done[op] < want[op]]
        if not short:
            break
        op, email = short[0], rng.choice(PEOPLE)
        what = "extra step %d: %s by %s" % (extra, op, email)
        if {"send": send, "read": lambda g, e: read(g, e), "withdraw": withdraw}[op](
                rng, email, *((what,) if op == "send" else ())):
            done[op] += 1
        assert_exact(what)
    print("# operations done: %r" % done, flush=True)
    assert done["send"] >= 10 and done["read"] >= 5 and done["withdraw"] >= 3, \
        "too few operations to say much (seed %d): %r" % (SEED, done)
    # withdrawn messages that were unread, and read ones, must both have occurred for the test to mean something
    assert sql_one(srv, "SELECT COUNT(*) FROM message_recipients r JOIN messages m ON m.item_id = r.message_id "
                        "WHERE m.withdrawn_at IS NOT NULL AND r.read_at IS NULL") > 0 or done["withdraw"] >= 3
    assert sql_one(srv, "SELECT COUNT(*) FROM message_recipients WHERE read_at IS NOT NULL") > 0


def test_badge_and_inbox_count_the_unread_messages():
    # no consent changed during the run: every message addressed to someone stays readable to them
    for email in PEOPLE:
        uid = user_id(srv, email)
        page = client(email).get("/messages")
        assert_status(page, 200, "inbox of %s" % email)
        want = unread_of(uid)
        assert badge(page.body) == want, "%s: badge %d, unread messages %d (seed %d)" % (
            email, badge(page.body), want, SEED)
        shown = sum(int(n) for n in re.findall(r"(\d+) unread messages?</p>", page.body))
        assert shown == want, "%s: the inbox shows %d unread, there are %d (seed %d)" % (email, shown, want, SEED)
    assert srv.sql("SELECT COUNT(*) FROM (%s) AS truth" % MESSAGE_INBOX_TRUTH)[0][0] > 0



def test_inbox_names_each_readers_grounds():
    """The inbox logs one entry per conversation with the reader's grounds on that trajectory, read with the
    rows (no look-up per conversation): the coach as coach, the participant as self, members as member."""
    want = {PART_AN: "self", COACH_SOFIE: "coach", PARTNER_HR: "member", PARTNER_GP: "member"}
    for email, grounds in want.items():
        since = sql_one(srv, "SELECT COALESCE(MAX(id), 0) FROM access_log")
        assert_status(client(email).get("/messages"), 200, "inbox of %s" % email)
        got = srv.sql("SELECT trajectory_id, grounds FROM access_log WHERE id > ? AND user_id = ? AND item = 'messages' "
                      "AND action = 'list'", (since, user_id(srv, email)))
        assert got and all(g == grounds for _, g in got), "%s's inbox is logged as %r, want %s" % (email, got, grounds)
        assert {t for t, _ in got} == {1}, "%s's inbox lists trajectories %r" % (email, got)


run(srv, globals())
