"""Notices about proposals to employers (issue 13, part 4) and the ways between the job pages.

- A proposal that waits for the participant: she gets a notice in the portal and a mail that says only that
  something waits for her answer, with a link to /me/work; /me shows a card that leads there, and the answer is
  the second tap (the card's link, then "Yes, send it").
- Her yes: the coach and the employer's contact person are told (notice + mail without content); her no: only
  the coach — the employer never hears of it.
- The employer's answer: the coach and the participant are told, the employer's user who answered is not.
- No notice or mail names the participant, the employer, the opening or any text of the proposal; a notice is
  dismissed only by its own user.
- Tabs and links: the trajectory's tabs show Job profile, Matches (the coach only) and Proposals (the coach and
  the participant); an employer's user finds their proposals from their employer's page; a coach finds the
  candidates of an opening from the opening's page.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PARTNER_HR, Client, Server, SmtpSink, assert_status, free_port, main_text,
                     participant_trajectory, run, sql_one)

NADIA = "nadia.verhoeven@hetanker.example"
SMTP = SmtpSink(free_port())
SMTP.start()
srv = Server(sets={"login_delay_ms": "0", "lang": "en", "smtp_url": "smtp://127.0.0.1:%d" % SMTP.port,
                   "mail_from": "portaal@zorgwerk.example", "mail_retry_s": "1", "mail_timeout_s": "5"})
C = {}
O = {}
SECRETS = ("Janssens", "An ", "Anker", "JNT-", "zorgkundige", "Sofie", "Peeters", "Nadia", "Verhoeven")


def client(email):
    if email not in C:
        C[email] = Client(srv)
        C[email].login(email)
    return C[email]


def told(pid, event):
    return {row[0] for row in srv.sql("SELECT u.email FROM proposal_notices n JOIN users u ON u.id = n.user_id "
                                      "WHERE n.proposal_id = ? AND n.event = ?", (pid, event))}


def mail_to(addr, link, what):
    """The one mail to addr whose text has link; checks it names nothing from the portal."""
    got = SMTP.wait_for(lambda rcpts, msg, raw: addr in rcpts and link.encode() in raw, what=what)
    assert len(got) == 1, "%d mails for %s" % (len(got), what)
    raw = got[0][2].decode("utf-8", "replace")
    text = "\n".join(l for l in raw.splitlines() if not l.lower().startswith("to:"))
    for secret in SECRETS:
        assert secret not in text, "the mail names %r:\n%s" % (secret, text)
    return got[0][1]


def test_setup():
    O["tid"], O["pid"] = participant_trajectory(srv, PART_AN)
    O["anker"] = sql_one(srv, "SELECT org_id FROM users WHERE email = ?", (NADIA,))
    O["verbeke"] = sql_one(srv, "SELECT org_id FROM users WHERE email = ?", (PARTNER_HR,))
    now = int(time.time())
    for key, title in (("op", "JNT-OPENING zorgkundige"), ("op2", "JNT-OPENING2 onthaal")):
        O[key] = srv.sql("INSERT INTO openings (employer_org_id, title, kind, work_kind, hours_min, hours_max, region, "
                         "support, created_at) VALUES (?, ?, 'job', 'care', 16, 32, 'Mechelen', 1, ?) RETURNING id",
                         (O["anker"], title, now))[0][0]
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/job-profile" % O["tid"])
    assert_status(coach.post("/t/%d/job-profile" % O["tid"], {
        "version": "0", "kind1": "care", "hours_goal": "24", "regions": "Mechelen",
        "coach_work": "JNT-WORK-coach", "coach_capacity": "JNT-CAP-coach"}), 303)


def test_tabs_and_links():
    tid = O["tid"]
    b = client(COACH_SOFIE).get("/t/%d" % tid).body
    for path in ("/job-profile", "/matches", "/proposals"):
        assert 'href="/t/%d%s"' % (tid, path) in b, path
    r = client(PART_AN).get("/t/%d/job-profile" % tid)
    assert_status(r, 200)
    assert 'href="/t/%d/proposals"' % tid in r.body and 'href="/t/%d/job-profile"' % tid in r.body
    assert 'href="/t/%d/matches"' % tid not in r.body  # matching is the mediator's
    # the employer's own users reach their proposals from their employer's page; another employer's page: no link
    nadia = client(NADIA)
    r = nadia.get("/my-employer")
    assert_status(r, 303)
    assert 'href="/my-employer/proposals"' in nadia.get(r.location).body
    # a coach reaches the candidates of an opening from the opening; the employer's user does not get the link
    assert 'href="/openings/%d/candidates"' % O["op"] in client(COACH_SOFIE).get("/openings/%d" % O["op"]).body
    r = nadia.get("/openings/%d" % O["op"])
    assert_status(r, 200)
    assert "/candidates" not in r.body


def test_a_waiting_proposal_tells_the_participant_two_taps_from_me():
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/matches" % O["tid"])
    assert_status(coach.post("/t/%d/proposals" % O["tid"], {"opening_id": str(O["op"]), "note": "JNT-NOTE calm"}), 303)
    O["prop"] = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (O["op"],))
    assert told(O["prop"], "awaiting_participant") == {PART_AN}
    an = client(PART_AN)
    # /me: a card with a link to /me/work (tap 1), where the yes button is (tap 2)
    me = an.get("/me")
    assert_status(me, 200)
    card = re.search(r'<section[^>]*id="work-card".*?</section>', me.body, re.S)
    assert card and 'href="/me/work"' in card.group(0) and "waits for your answer" in card.group(0), me.body
    assert me.body.index('id="work-card"') < me.body.index('id="next-step"')  # high on the page
    work = an.get("/me/work").body
    assert 'action="/me/proposals/%d"' % O["prop"] in work and 'value="yes"' in work
    # the notice: no name, employer, opening or text
    r = an.get("/notices")
    assert "A proposal waits for your answer" in r.body and 'href="/me/work"' in r.body
    for secret in ("Janssens", "Anker", "JNT-", "zorgkundige"):
        assert secret not in main_text(r.body), secret
    msg = mail_to(PART_AN, "/me/work", "the mail to An about the waiting proposal")
    assert "waits for your answer" in msg["Subject"]


def test_her_yes_tells_the_coach_and_the_employer():
    an = client(PART_AN)
    an.get("/me/work")
    assert_status(an.post("/me/proposals/%d" % O["prop"], {"answer": "yes"}), 303)
    assert told(O["prop"], "sent") == {COACH_SOFIE, NADIA}  # not An herself, not Tom of another employer
    r = client(NADIA).get("/notices")
    assert "News about a proposal" in r.body and 'href="/my-employer/proposals/%d"' % O["prop"] in r.body
    assert "Janssens" not in main_text(r.body) and "JNT-" not in r.body
    assert 'href="/t/%d/proposals"' % O["tid"] in client(COACH_SOFIE).get("/notices").body
    mail_to(NADIA, "/my-employer/proposals/%d" % O["prop"], "the mail to the employer's contact person")
    mail_to(COACH_SOFIE, "/t/%d/proposals" % O["tid"], "the mail to the coach")


def test_the_employers_answer_tells_the_coach_and_the_participant():
    nadia = client(NADIA)
    nadia.get("/my-employer/proposals/%d" % O["prop"])
    assert_status(nadia.post("/my-employer/proposals/%d" % O["prop"],
                             {"decision": "accept", "reply": "JNT-REPLY Tuesday"}), 303)
    assert told(O["prop"], "accepted") == {COACH_SOFIE, PART_AN}
    before = len([m for m in SMTP.messages() if PART_AN in m[0]])
    SMTP.wait_for(lambda rcpts, msg, raw: PART_AN in rcpts and b"News in the" in raw, what="An's second mail")
    mails = [m for m in SMTP.messages() if PART_AN in m[0]]
    assert before >= 1 and len(mails) == 2, len(mails)
    for _, msg, raw in mails:
        text = raw.decode("utf-8", "replace")
        for secret in ("Janssens", "Anker", "JNT-", "Tuesday"):
            assert secret not in text, secret


def test_her_no_tells_only_the_coach_and_notices_are_her_own():
    coach = client(COACH_SOFIE)
    coach.get("/t/%d/matches" % O["tid"])
    assert_status(coach.post("/t/%d/proposals" % O["tid"], {"opening_id": str(O["op2"])}), 303)
    p2 = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (O["op2"],))
    an = client(PART_AN)
    an.get("/me/work")
    assert_status(an.post("/me/proposals/%d" % p2, {"answer": "no"}), 303)
    assert told(p2, "declined_by_participant") == {COACH_SOFIE}
    assert "/my-employer/proposals/%d" % p2 not in client(NADIA).get("/notices").body
    # nothing waits any more: the card on /me is the quiet one, lower on the page
    me = an.get("/me").body
    assert "waits for your answer" not in me and 'href="/me/work"' in me
    # dismissing: only the notice's own user
    # her answers closed the notices that asked for them; the employer's answer is still open
    assert sql_one(srv, "SELECT COUNT(*) FROM proposal_notices WHERE event = 'awaiting_participant' "
                        "AND dismissed_at IS NULL AND proposal_id IN (?, ?)", (O["prop"], p2)) == 0
    nid = sql_one(srv, "SELECT n.id FROM proposal_notices n JOIN users u ON u.id = n.user_id WHERE u.email = ? "
                       "AND n.dismissed_at IS NULL ORDER BY n.id LIMIT 1", (PART_AN,))
    tom = client(PARTNER_HR)
    tom.get("/notices")
    assert_status(tom.post("/notices/proposals/%d/dismiss" % nid, {}), 404)
    an.get("/notices")
    assert_status(an.post("/notices/proposals/%d/dismiss" % nid, {}), 303)
    assert sql_one(srv, "SELECT dismissed_at IS NOT NULL FROM proposal_notices WHERE id = ?", (nid,)) == 1


def test_a_draft_waits_with_the_mediator_until_asked():
    now = int(time.time())
    op3 = srv.sql("INSERT INTO openings (employer_org_id, title, kind, work_kind, hours_min, hours_max, region, support, "
                  "created_at) VALUES (?, 'JNT-OPENING3 keuken', 'job', 'care', 16, 32, 'Mechelen', 1, ?) RETURNING id",
                  (O["anker"], now))[0][0]
    coach = client(COACH_SOFIE)
    b = coach.get("/t/%d/matches" % O["tid"]).body
    assert 'name="draft" value="1"' in b
    assert_status(coach.post("/t/%d/proposals" % O["tid"], {"opening_id": str(op3), "note": "JNT-DRAFT", "draft": "1"}),
                  303)
    p3 = sql_one(srv, "SELECT id FROM proposals WHERE opening_id = ?", (op3,))
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (p3,)) == "draft"
    assert told(p3, "awaiting_participant") == set()  # nobody is told of a draft
    an = client(PART_AN)
    for path in ("/me/work", "/t/%d/proposals" % O["tid"], "/me"):
        body = an.get(path).body
        assert "JNT-OPENING3" not in body and "JNT-DRAFT" not in body, path
    assert "waits for your answer" not in an.get("/me").body
    lst = coach.get("/t/%d/proposals" % O["tid"]).body
    assert 'action="/t/%d/proposals/%d/ask"' % (O["tid"], p3) in lst
    # another coach cannot send it; Sofie can, once
    pieter = client("pieter.devries@zorgwerk.example")
    pieter.get("/login")
    assert_status(pieter.post("/t/%d/proposals/%d/ask" % (O["tid"], p3), {}), 404)
    assert_status(coach.post("/t/%d/proposals/%d/ask" % (O["tid"], p3), {}), 303)
    assert sql_one(srv, "SELECT status FROM proposals WHERE id = ?", (p3,)) == "awaiting_participant"
    assert told(p3, "awaiting_participant") == {PART_AN}
    assert_status(coach.post("/t/%d/proposals/%d/ask" % (O["tid"], p3), {}), 409)
    assert "waits for your answer" in an.get("/me").body
    # withdrawn: the question is gone, and so is its notice
    assert_status(coach.post("/t/%d/proposals/%d/withdraw" % (O["tid"], p3), {}), 303)
    assert sql_one(srv, "SELECT COUNT(*) FROM proposal_notices WHERE proposal_id = ? AND dismissed_at IS NULL", (p3,)) == 0


if __name__ == "__main__":
    try:
        run(srv, globals())
    finally:
        SMTP.stop()
