"""The mails of the day (issue 12, part 4): "actions due" and the digest of new messages, through a real SMTP
server (aiosmtpd, started by this test).

- A coach writes a plan for An with an action for HR due yesterday, one for An due today, one for the coach
  due tomorrow and one for the GP in ten days. The day's pass (`zorgwerk mail due`, and the server's worker)
  mails An, HR and the coach once each: "actions that are due soon" with a link, never a name or an action's
  text; the GP gets nothing. A restart (the worker's pass at start) and a second `mail due` the same day send
  nothing again.
- The digest: the coach chose the daily digest; three new messages arrive and no mail goes out at once; the
  day's pass sends one mail "3 new messages" without any text of them; again the same day: nothing. The next
  day it counts only what came after the previous digest ("1 new message"); a user with the digest and no new
  messages gets no mail at all.
- The account page offers the hour of the day's mails (00:00-23:00) and refuses another value.
"""
import datetime
import os
import re
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PARTNER_GP, PARTNER_HR, Server, SmtpSink, assert_status,
                     free_port, run, signed_in, user_id)

SMTP = SmtpSink(free_port())
SMTP_URL = "smtp://127.0.0.1:%d" % SMTP.port
srv = Server(sets={"smtp_url": SMTP_URL, "mail_from": "portaal@zorgwerk.example", "mail_retry_s": "1",
                   "mail_timeout_s": "5", "lang": "en", "login_delay_ms": "0"})
C = {}
TODAY = datetime.datetime.now(ZoneInfo("Europe/Brussels")).date()
ACTIONS = {"DUEMARK overdue workplace": (PARTNER_HR, -1), "DUEMARK sleep diary today": ("participant", 0),
           "DUEMARK weekly talk tomorrow": ("coach", 1), "DUEMARK medication later": (PARTNER_GP, 10)}
MESSAGES = ["DIGESTMARK first about the bakery", "DIGESTMARK second about the back", "DIGESTMARK third one"]


def one(query, params=()):
    return srv.sql(query, params)[0][0]


TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))


def mails_to(addr):
    return [m for m in SMTP.messages() if addr.lower() in [r.lower() for r in m[0]]]


def digests(addr):
    return [m for m in mails_to(addr) if "message" in m[1]["Subject"]]


def body_text(msg):
    return msg.get_payload(decode=True).decode()


def mail_due():
    p = srv.cli("--set", "smtp_url=" + SMTP_URL, "--set", "lang=en", "mail", "due")
    assert p.returncode == 0, "zorgwerk mail due failed (%d): %s" % (p.returncode, p.stderr)
    return p.stdout


def settle(seconds=3):
    """Waits until the worker has delivered what is queued, then a little more for anything extra."""
    deadline = time.time() + 30
    while srv.sql("SELECT COUNT(*) FROM mail_outbox WHERE status IN ('queued', 'sending')")[0][0]:
        assert time.time() < deadline, "the outbox was not emptied: %r" % srv.sql(
            "SELECT to_addr, status, last_error FROM mail_outbox WHERE status <> 'sent'")
        time.sleep(0.1)
    time.sleep(seconds)


def set_mail(email, message_mail, hour):
    c = signed_in(srv, C, email)
    page = c.get("/account")
    assert_status(page, 200, "the account page of %s" % email)
    assert 'name="digest_hour"' in page.body, "no hour for the mails of the day on /account"
    r = c.post("/account/message-mail", {"message_mail": message_mail, "digest_hour": str(hour)})
    assert_status(r, 303, "%s chooses %s at %d:00" % (email, message_mail, hour))


def check_clean(msg, raw):
    """No name, action text or message text in a mail."""
    text = raw.decode("utf-8", "replace")
    text = "\n".join(l for l in text.splitlines() if not l.lower().startswith("to:"))
    words = ["DUEMARK", "DIGESTMARK", "workplace", "diary", "bakery", "Janssens", "Sofie", "Peeters", "Claes",
             "Wouters"]
    for first, last in srv.sql("SELECT first_name, last_name FROM participants"):
        words += [first, last]
    words += [n for (n,) in srv.sql("SELECT name FROM users")] + [t for (t,) in srv.sql("SELECT text FROM plan_actions")]
    for w in words:
        if w and len(w) >= 4:
            assert not re.search(r"\b%s\b" % re.escape(w), text, re.I), "the mail holds %r:\n%s" % (w, text)


def test_the_account_page_offers_the_hour_and_refuses_another_value():
    SMTP.start()
    c = signed_in(srv, C, PART_AN)
    page = c.get("/account")
    assert_status(page, 200, "An's account page")
    assert '<option value="7" selected' in page.body or '<option value="7" selected="selected"' in page.body, \
        "07:00 is not the default hour"
    for bad in ("24", "-1", "7am", ""):
        r = c.post("/account/message-mail", {"message_mail": "immediately", "digest_hour": bad})
        assert_status(r, 400, "hour %r" % bad)
    assert one("SELECT digest_hour FROM users WHERE email = ?", (PART_AN,)) == 7


def test_actions_due_mail_each_owner_once_without_content():
    sofie = signed_in(srv, C, COACH_SOFIE)
    members = {e: one("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
                      "AND u.email = ? AND m.removed_at IS NULL", (TID, e)) for e in (PARTNER_HR, PARTNER_GP)}
    assert_status(sofie.get("/t/%d/plan/edit" % TID), 200, "the plan form")
    base = one("SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    f = {"base_version": str(base), "g1_title": "Back at work", "g1_specific": "Four hours a day",
         "g1_measurable": "Timesheet", "g1_achievable": "Agreed", "g1_relevant": "First step",
         "g1_time_bound": (TODAY + datetime.timedelta(days=90)).isoformat(), "reason": "Daily mail test"}
    for j, (text, (owner, days)) in enumerate(ACTIONS.items(), 1):
        f.update({"g1a%d_text" % j: text, "g1a%d_owner" % j: str(members.get(owner, owner)),
                  "g1a%d_due" % j: (TODAY + datetime.timedelta(days=days)).isoformat(), "g1a%d_status" % j: "planned"})
    assert_status(sofie.post("/t/%d/plan" % TID, f), 303, "Sofie saves the plan")
    assert one("SELECT COUNT(*) FROM plan_actions WHERE trajectory_id = ? AND is_current = 1 AND text LIKE 'DUEMARK%'",
               (TID,)) == 4
    srv.restart()  # the worker's pass at start; the next one is a minute away
    C.clear()
    for who in (PART_AN, PARTNER_HR, PARTNER_GP, COACH_SOFIE):
        set_mail(who, "immediately", 0)
    out = mail_due()
    assert re.match(r"\d+ mails queued", out), out
    settle()
    for who in (PART_AN, PARTNER_HR, COACH_SOFIE):
        got = mails_to(who)
        assert len(got) == 1, "%s got %d mails for actions due" % (who, len(got))
        rcpts, msg, raw = got[0]
        assert msg["Subject"] == "Actions due in the Zorg & Werk portal", msg["Subject"]
        assert "actions that are due soon" in body_text(msg), body_text(msg)
        assert "http" in body_text(msg), "no link in the mail"
        check_clean(msg, raw)
    assert not mails_to(PARTNER_GP), "the GP's action is due in ten days, yet the GP got a mail"
    # the same day again: from cron, and from the worker after a restart
    assert mail_due().startswith("0 mails"), "a second pass the same day queued mails"
    srv.restart()
    settle()
    for who in (PART_AN, PARTNER_HR, COACH_SOFIE):
        assert len(mails_to(who)) == 1, "%s got the mail of the day twice" % who
    assert one("SELECT COUNT(*) FROM daily_mails WHERE kind = 'action_due' AND day = ?", (TODAY.isoformat(),)) >= 3


def test_a_stand_in_gets_the_actions_due_mail_of_the_coach_away():
    """Pieter stands in for Sofie: from the first day of the period he gets the mail of the day for the coach's
    due actions of her trajectories; before it, nothing."""
    set_mail(COACH_PIETER, "immediately", 0)
    lead = signed_in(srv, C, LEAD)
    ids = {"absent": str(user_id(srv, COACH_SOFIE)), "stand_in": str(user_id(srv, COACH_PIETER))}
    later = dict(ids, from_on=(TODAY + datetime.timedelta(days=2)).isoformat(),
                 until_on=(TODAY + datetime.timedelta(days=9)).isoformat())
    assert_status(lead.post("/team/standins", later), 303, "a stand-in from the day after tomorrow")
    before = len(mails_to(COACH_SOFIE))
    mail_due()
    settle()
    assert not mails_to(COACH_PIETER), "Pieter got a mail before his stand-in begins"
    now = dict(ids, from_on=TODAY.isoformat(), until_on=(TODAY + datetime.timedelta(days=1)).isoformat())
    assert_status(lead.post("/team/standins", now), 303, "a stand-in from today")
    mail_due()
    settle()
    got = mails_to(COACH_PIETER)
    assert len(got) == 1, "the stand-in got %d mails for the due actions of the coach away" % len(got)
    assert got[0][1]["Subject"] == "Actions due in the Zorg & Werk portal", got[0][1]["Subject"]
    check_clean(got[0][1], got[0][2])
    assert len(mails_to(COACH_SOFIE)) == before, "the coach away got the mail of the day a second time"


def send(sender, to, body):
    c = signed_in(srv, C, sender)
    assert_status(c.get("/t/%d/messages" % TID), 200, "the messages page")
    r = c.post("/t/%d/messages" % TID, [("category", "practical"), ("to", str(user_id(srv, to))), ("body", body)])
    assert_status(r, 303, "%s sends a message" % sender)


def test_the_daily_digest_counts_new_messages_once_a_day():
    srv.restart()  # the worker's pass at start; the next one is a minute away
    C.clear()
    before = len(mails_to(COACH_SOFIE))
    set_mail(COACH_SOFIE, "daily", 0)
    set_mail(COACH_PIETER, "daily", 0)
    for m in MESSAGES:
        send(PART_AN, COACH_SOFIE, m)
    time.sleep(3)
    assert len(mails_to(COACH_SOFIE)) == before, "a mail went out at once although the coach chose the digest"
    mail_due()
    settle()
    got = mails_to(COACH_SOFIE)[before:]
    assert len(got) == 1, "the coach got %d digests" % len(got)
    rcpts, msg, raw = got[0]
    assert msg["Subject"] == "3 new messages in the Zorg & Werk portal", msg["Subject"]
    assert "You have 3 new messages" in body_text(msg) and "/messages" in body_text(msg), body_text(msg)
    check_clean(msg, raw)
    assert not digests(COACH_PIETER), "Pieter has no new messages, yet got a digest"
    assert one("SELECT amount FROM daily_mails WHERE kind = 'digest' AND user_id = ?", (user_id(srv, COACH_PIETER),)) == 0
    # the same day: nothing more, from cron nor after a restart
    send(PART_AN, COACH_SOFIE, "DIGESTMARK fourth")
    mail_due()
    srv.restart()
    settle()
    assert len(mails_to(COACH_SOFIE)) == before + 1, "a second digest the same day"
    # the next day (the previous pass moved to yesterday): only what came after the previous digest
    srv.sql("UPDATE daily_mails SET day = ? WHERE kind = 'digest'", ((TODAY - datetime.timedelta(days=1)).isoformat(),))
    mail_due()
    settle()
    got = mails_to(COACH_SOFIE)[before:]
    assert len(got) == 2, "the next day's digest: %d mails" % len(got)
    assert got[1][1]["Subject"] == "1 new message in the Zorg & Werk portal", got[1][1]["Subject"]
    check_clean(got[1][1], got[1][2])
    assert not digests(COACH_PIETER)


run(srv, globals())
SMTP.cleanup()
