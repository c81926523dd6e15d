"""E-mail notifications without content, through a durable outbox (issue 12, part 4).

With smtp_url set, a real SMTP server (aiosmtpd, started by this test) receives the portal's mails:
- an invitation (a registered participant, a new network member) arrives by mail at the invited address,
  with a link that works, and without any name (nor the participant's); the page no longer shows the link;
- every mail has its Message-ID recorded in the outbox, and only the fixed headers (no name or other text
  from a form reaches a header; CR/LF in a name or an address is refused);
- SMTP down: the mail stays queued (the web request answers at once), and arrives exactly once after the
  server comes up;
- SMTP answering 5xx: the mail is retried, the administrator's outbox page shows it (address, no link),
  and it arrives once the server accepts;
- a participant asks for a reset link on the sign-in page: the same answer for an unknown address and for a
  staff account (who get no mail), the participant's mail has a working link; asking is throttled;
- a new message: the recipient who chose "immediately" (the default) gets one mail with a link and no content,
  "never" gets none, "daily" gets none at once (the digest of the day tells of them: test_mail_daily.py);
- planning a meeting: each attendee with an account gets an invitation with an .ics that has only the time and
  a link (no place, agenda, names); the coach who planned it gets none;
- changing it: the attendees get a mail with the updated .ics (METHOD:REQUEST, same UID, SEQUENCE 1, the new
  time), who was removed a cancellation; cancelling it: METHOD:CANCEL with STATUS:CANCELLED, SEQUENCE 2.
"""
import copy
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_SOFIE, PART_AN, PART_KARIM, PART_MARIEKE, PARTNER_GP, PARTNER_HR, Client, Server, SmtpSink, assert_status,
                     free_port, link_token, main_text, password_sign_in, run, sign_in, signed_in, strip_tags,
                     use_link, user_id)

SMTP = SmtpSink(free_port())
srv = Server(sets={"smtp_url": "smtp://127.0.0.1:%d" % SMTP.port, "mail_from": "portaal@zorgwerk.example",
                   "mail_retry_s": "1", "mail_timeout_s": "5", "lang": "en"})
NEW_PASSWORD = "Zonnige-dinsdag-op-kantoor-2026"
ALLOWED_HEADERS = {"from", "to", "date", "message-id", "subject", "mime-version", "auto-submitted", "content-type",
                   "content-transfer-encoding"}
C = {}
S = {}


def mails_to(addr):
    return lambda rcpts, msg, raw: addr.lower() in [r.lower() for r in rcpts]


def body_text(msg):
    if msg.is_multipart():
        return "".join(p.get_payload(decode=True).decode() for p in msg.walk() if p.get_content_type() == "text/plain")
    return msg.get_payload(decode=True).decode()


def outbox(addr):
    return srv.sql("SELECT status, attempts, message_id, last_error, link FROM mail_outbox WHERE to_addr = ? "
                   "ORDER BY id", (addr,))


def outbox_settled(addr, timeout=10):
    """The outbox rows of addr once none is still 'sending': the SMTP server has the mail before the worker
    records 'sent' after the call, so a test that just received a mail waits for that record."""
    deadline = time.time() + timeout
    rows = outbox(addr)
    while any(row[0] == "sending" for row in rows) and time.time() < deadline:
        time.sleep(0.05)
        rows = outbox(addr)
    return rows


def register(first, last, email):
    """Sofie registers a participant (as tests/http/test_participant_account.py does); returns the trajectory id."""
    sofie = signed_in(srv, C, COACH_SOFIE)
    sofie.get("/participants/new")
    r = sofie.post("/participants/new", {
        "first_name": first, "last_name": last, "birth_date": "1984-03-09", "email": email,
        "phone": "+32 470 00 00 00", "referred_by": "Huisarts", "reason": "Rugklachten", "employer_org": "",
        "employer_other": "Bakkerij Test", "absence_start": "2025-01-10", "start_consent": "Mondeling akkoord",
        "consent_given": "yes"})
    assert_status(r, 303, "Sofie registers %s %s" % (first, last))
    return int(re.match(r"/t/(\d+)", r.location).group(1))


def check_mail(msg, raw, names):
    """A mail says only that something happened: no name in it, only the fixed headers."""
    text = raw.decode("utf-8", "replace")
    text = "\n".join(l for l in text.splitlines() if not l.lower().startswith("to:"))  # the address itself
    text = re.sub(r"token=[A-Za-z0-9_\-]+", "token=", text)  # a random token is no name
    for n in names:
        assert not re.search(r"\b%s\b" % re.escape(n), text, re.I), "the mail names %r:\n%s" % (n, text)
    extra = {k.lower() for k in msg.keys()} - ALLOWED_HEADERS
    assert not extra, "unexpected mail headers %s:\n%s" % (extra, text)


# ---------------------------------------------------------------- invitations

def test_an_invitation_arrives_by_mail_with_a_working_link_and_no_name():
    SMTP.start()
    addr = "ruben.mailtest@example.org"
    tid = register("Rubenmail", "Testersma", addr)
    sofie = signed_in(srv, C, COACH_SOFIE)
    sofie.get("/t/%d/account" % tid)
    t0 = time.time()
    r = sofie.post("/t/%d/account/invite" % tid, {"email": addr})
    assert_status(r, 200, "Sofie invites the participant")
    assert time.time() - t0 < 5, "the invitation waited for SMTP"
    assert link_token(r.body) is None, "the page still shows the link to copy: %s" % main_text(r.body)[:400]
    got = SMTP.wait_for(mails_to(addr), what="the invitation")
    assert len(got) == 1, "%d invitations arrived" % len(got)
    rcpts, msg, raw = got[0]
    check_mail(msg, raw, ["Rubenmail", "Testersma", "Sofie", "Peeters", "Rugklachten", "Bakkerij"])
    assert msg["To"] == "<%s>" % addr and msg["From"] == "<portaal@zorgwerk.example>", (msg["To"], msg["From"])
    rows = outbox_settled(addr)
    assert len(rows) == 1 and rows[0][0] == "sent" and rows[0][2] == msg["Message-ID"], \
        "Message-ID not recorded: %r vs %r" % (rows, msg["Message-ID"])
    assert rows[0][4] is None, "the sent mail's link is still kept in the outbox"
    token = link_token(body_text(msg))
    assert token, "no link in the mail: %s" % body_text(msg)
    assert_status(use_link(srv, token, NEW_PASSWORD), 303, "the participant sets a password with the mailed link")
    c, where = password_sign_in(srv, addr, NEW_PASSWORD)
    assert where == "/me", where


def test_a_network_member_invitation_arrives_by_mail():
    sofie = signed_in(srv, C, COACH_SOFIE)
    tid = srv.sql("SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ? ORDER BY trajectory_id",
                  (user_id(srv, COACH_SOFIE),))[0][0]
    first, last = srv.sql("SELECT p.first_name, p.last_name FROM trajectories t JOIN participants p "
                          "ON p.id = t.participant_id WHERE t.id = ?", (tid,))[0]
    addr = "mail.huisarts@praktijk.example"
    sofie.get("/t/%d/network" % tid)
    r = sofie.post("/t/%d/network" % tid, {"role": "gp", "name": "dr. Mailhuisarts", "organisation": "Praktijk",
                                           "email": addr})
    assert_status(r, 303, "Sofie adds a GP")
    mid = srv.sql("SELECT id FROM network_members WHERE trajectory_id = ? AND name = ?", (tid, "dr. Mailhuisarts"))[0][0]
    sofie.get("/t/%d/network" % tid)
    r = sofie.post("/t/%d/network/%d/invite" % (tid, mid), {})
    assert_status(r, 200, "Sofie invites the GP")
    assert link_token(r.body) is None, "the page still shows the link: %s" % main_text(r.body)[:400]
    rcpts, msg, raw = SMTP.wait_for(mails_to(addr), what="the GP's invitation")[0]
    check_mail(msg, raw, ["Mailhuisarts", first, last])
    assert link_token(body_text(msg)), "no link in the GP's mail"


def test_cr_lf_in_a_name_or_address_never_reaches_a_header():
    sofie = signed_in(srv, C, COACH_SOFIE)
    tid = srv.sql("SELECT trajectory_id FROM trajectory_coaches WHERE user_id = ? ORDER BY trajectory_id",
                  (user_id(srv, COACH_SOFIE),))[0][0]
    evil = "evil@attacker.example"
    sofie.get("/t/%d/network" % tid)
    r = sofie.post("/t/%d/network" % tid, {"role": "gp", "name": "Dokter\r\nBcc: %s" % evil,
                                           "organisation": "Praktijk", "email": "crlf.dokter@praktijk.example"})
    assert_status(r, 400, "a name with CR/LF")
    sofie.get("/t/%d/network" % tid)
    r = sofie.post("/t/%d/network" % tid, {"role": "gp", "name": "Dokter Crlf", "organisation": "Praktijk",
                                           "email": "crlf.dokter@praktijk.example\r\nBcc: %s" % evil})
    assert_status(r, 400, "an address with CR/LF")
    tid2 = register("Crlfname", "Testers", "crlf.participant@example.org")
    sofie.get("/t/%d/account" % tid2)
    r = sofie.post("/t/%d/account/invite" % tid2, {"email": "crlf.participant@example.org\r\nBcc: %s" % evil})
    assert_status(r, 400, "a participant's address with CR/LF")
    msgs = SMTP.messages()
    assert msgs, "no mail was received at all"
    for rcpts, msg, raw in msgs:
        assert evil not in raw.decode("utf-8", "replace") and evil not in rcpts, raw
        check_mail(msg, raw, ["Dokter", "Crlfname"])


# ---------------------------------------------------------------- faults

def reset_link_for(admin, email):
    uid = user_id(srv, email)
    admin.get("/admin/users/%d" % uid)
    t0 = time.time()
    r = admin.post("/admin/users/%d/reset-link" % uid, {})
    assert_status(r, 200, "the administrator makes a reset link for %s" % email)
    assert time.time() - t0 < 5, "the reset waited for SMTP"
    assert link_token(r.body) is None, "the page shows the reset link although it is mailed"
    assert "sent" in main_text(r.body), main_text(r.body)[:300]


def test_smtp_down_the_mail_waits_and_arrives_exactly_once():
    admin = S.setdefault("admin", sign_in(srv, ADMIN, lang="en"))
    SMTP.stop()
    reset_link_for(admin, PARTNER_GP)
    deadline = time.time() + 20
    while not (outbox(PARTNER_GP) and outbox(PARTNER_GP)[-1][1] >= 2):
        assert time.time() < deadline, "the mail was not tried again: %r" % outbox(PARTNER_GP)
        time.sleep(0.2)
    status, attempts, mid, err, _ = outbox_settled(PARTNER_GP)[-1]
    assert status == "queued" and err, (status, err)
    page = admin.get("/admin/outbox")
    assert_status(page, 200, "the outbox page")
    assert PARTNER_GP in main_text(page.body), "the failing mail is not on the outbox page"
    SMTP.start()
    got = SMTP.wait_for(mails_to(PARTNER_GP), timeout=40, what="the queued reset link")
    time.sleep(3)
    got = SMTP.wait_for(mails_to(PARTNER_GP), what="the reset link")
    assert len(got) == 1, "the mail arrived %d times" % len(got)
    assert got[0][1]["Message-ID"] == mid
    assert outbox_settled(PARTNER_GP)[-1][0] == "sent"
    assert link_token(body_text(got[0][1])), "no link in the reset mail"


def test_5xx_is_retried_and_the_admin_sees_the_failing_mail():
    admin = S.setdefault("admin", sign_in(srv, ADMIN, lang="en"))
    addr = "tom.claes@verbeke.example"
    SMTP.fail_with("554 5.7.1 not now")
    reset_link_for(admin, addr)
    deadline = time.time() + 20
    while not (outbox(addr) and outbox(addr)[-1][1] >= 2):
        assert time.time() < deadline, "the mail was not retried after 5xx: %r" % outbox(addr)
        time.sleep(0.2)
    assert "554" in (outbox_settled(addr)[-1][3] or ""), outbox(addr)
    page = admin.get("/admin/outbox")
    text = main_text(page.body)
    assert addr in text and "554" in text, "the outbox page does not show the failing mail: %s" % text[:600]
    assert "token" not in page.body and "box1:" not in page.body, "the outbox page shows a link"
    assert not SMTP.messages() or not [m for m in SMTP.messages() if mails_to(addr)(*m)]
    SMTP.fail_with(None)
    got = SMTP.wait_for(mails_to(addr), timeout=40, what="the mail after the 5xx")
    time.sleep(2)
    assert len(SMTP.wait_for(mails_to(addr))) == 1
    assert addr not in main_text(admin.get("/admin/outbox").body), "a delivered mail is still on the outbox page"


def test_slow_smtp_never_delays_a_page_and_a_crash_while_sending_resends_with_the_same_message_id():
    admin = S.setdefault("admin", sign_in(srv, ADMIN, lang="en"))
    who = PART_MARIEKE
    SMTP.slow_by(4)
    reset_link_for(admin, who)  # answers at once (asserted inside) while the worker waits on SMTP
    deadline = time.time() + 20
    while not (outbox(who) and outbox(who)[-1][0] == "sending"):
        assert time.time() < deadline, "the mail was never being sent: %r" % outbox(who)
        time.sleep(0.05)
    mid = outbox(who)[-1][2]
    srv.proc.kill()  # SIGKILL while the SMTP server holds the mail
    srv.proc.wait()
    srv.proc = None
    srv.errf.close()
    SMTP.slow_by(None)
    srv.start()
    got = SMTP.wait_for(mails_to(who), timeout=40, what="the mail in flight at the crash")
    time.sleep(5)  # the slow server has long since kept its copy
    got = SMTP.wait_for(mails_to(who))
    assert {m[1]["Message-ID"] for m in got} == {mid}, "a different Message-ID after the crash: %r vs %s" % (
        [m[1]["Message-ID"] for m in got], mid)
    assert 1 <= len(got) <= 2, "delivered %d times" % len(got)
    rows = outbox_settled(who)
    assert len(rows) == 1 and rows[0][0] == "sent", rows
    S["admin"] = sign_in(srv, ADMIN, lang="en")


def test_a_second_server_on_the_same_database_does_not_send_a_mail_in_flight_again():
    """Two servers share the database (tests/http/test_multi_server.py): while one holds a mail at the SMTP server,
    the other's worker must not take it as left behind by a crash and send it a second time."""
    admin = S.setdefault("admin", sign_in(srv, ADMIN, lang="en"))
    twin = copy.copy(srv)
    twin.proc = None
    twin.name = "mail-twin"
    twin.start()
    try:
        who = PARTNER_HR
        to_who = mails_to(who)
        before = len([m for m in SMTP.messages() if to_who(*m)])
        SMTP.slow_by(4)
        reset_link_for(admin, who)
        deadline = time.time() + 20
        while not (outbox(who) and outbox(who)[-1][0] == "sending"):
            assert time.time() < deadline, "the mail was never being sent: %r" % outbox(who)
            time.sleep(0.05)
        time.sleep(6)  # both workers polled the outbox several times while the first held the mail
        SMTP.slow_by(None)
        rows = outbox_settled(who, timeout=30)
        assert rows[-1][0] == "sent", rows
        time.sleep(2)
        got = [m for m in SMTP.messages() if to_who(*m)][before:]
        assert len(got) == 1, "the mail in flight was delivered %d times by two servers" % len(got)
        assert rows[-1][1] == 1, "the mail was taken %d times" % rows[-1][1]
    finally:
        SMTP.slow_by(None)
        twin.stop()


# ---------------------------------------------------------------- a participant resets their own password

def forgot(email):
    c = Client(srv, lang="en")
    page = c.get("/login")
    assert 'href="/login/forgot"' in page.body, "no forgotten-password link on the sign-in page"
    c.get("/login/forgot")
    return c.post("/login/forgot", {"email": email})


def test_a_participant_resets_their_password_the_answer_is_the_same_for_anyone():
    before = len(SMTP.messages())
    known = forgot(PART_KARIM)
    assert_status(known, 200, "Karim asks for a reset link")
    unknown = forgot("niemand.bekend@example.org")
    assert_status(unknown, 200, "an unknown address asks for a reset link")
    staff = forgot(COACH_SOFIE)
    assert_status(staff, 200, "a coach's address asks for a reset link")
    assert main_text(known.body) == main_text(unknown.body) == main_text(staff.body), \
        "the answers differ:\n%s\n%s\n%s" % (main_text(known.body), main_text(unknown.body), main_text(staff.body))
    got = SMTP.wait_for(mails_to(PART_KARIM), what="Karim's reset link")
    assert len(got) == 1
    check_mail(got[0][1], got[0][2], ["Karim", "El Amrani", "Elamrani"])
    time.sleep(2)
    others = [m for m in SMTP.messages()[before:] if not mails_to(PART_KARIM)(*m)]
    assert not others, "mail sent for the unknown or staff address: %r" % [m[0] for m in others]
    token = link_token(body_text(got[0][1]))
    assert_status(use_link(srv, token, NEW_PASSWORD), 303, "Karim sets a new password with the link")
    c, where = password_sign_in(srv, PART_KARIM, NEW_PASSWORD)
    assert where == "/me", where


def test_asking_for_reset_links_is_throttled():
    statuses = [forgot("flood.%d@example.org" % i).status for i in range(8)]
    assert 429 in statuses, "eight requests in a row from one address were not slowed down: %r" % statuses


# ---------------------------------------------------------------- new messages and meetings (issue 12, part 5)

def an_trajectory():
    return srv.sql("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                   "JOIN users u ON u.id = p.user_id WHERE u.email = ? ORDER BY t.id DESC", (PART_AN,))[0][0]


def send(sender, tid, to, body):
    c = signed_in(srv, C, sender)
    assert_status(c.get("/t/%d/messages" % tid), 200, "the messages page of %s" % sender)
    r = c.post("/t/%d/messages" % tid, [("category", "practical"), ("to", str(user_id(srv, to))), ("body", body)])
    assert_status(r, 303, "%s sends a message" % sender)


def set_message_mail(email, value):
    c = signed_in(srv, C, email)
    page = c.get("/account")
    assert_status(page, 200, "the account page")
    assert 'name="message_mail"' in page.body, "no choice about mails for new messages on /account"
    assert_status(c.post("/account/message-mail", {"message_mail": value}), 303, "%s chooses %s" % (email, value))


def test_a_new_message_mails_the_recipient_a_link_without_content_per_their_choice():
    SMTP.fail_with(None)
    SMTP.slow_by(None)
    tid = an_trajectory()
    send(COACH_SOFIE, tid, PART_AN, "MAILMARK-message Tuesday at the bakery about your back")
    got = SMTP.wait_for(mails_to(PART_AN), what="the new-message mail")
    time.sleep(2)
    got = SMTP.wait_for(mails_to(PART_AN))
    assert len(got) == 1, "%d mails about one message" % len(got)
    rcpts, msg, raw = got[0]
    check_mail(msg, raw, ["MAILMARK", "bakery", "Sofie", "Peeters", "Janssens"])
    assert "/t/%d/messages" % tid in body_text(msg), "no link to the messages in the mail: %s" % body_text(msg)
    # "never": no mail for the next message
    set_message_mail(PART_AN, "never")
    assert_status(signed_in(srv, C, PART_AN).post("/account/message-mail", {"message_mail": "weekly"}), 400,
                  "an unknown choice")
    send(COACH_SOFIE, tid, PART_AN, "MAILMARK-message two")
    time.sleep(3)
    assert len(SMTP.wait_for(mails_to(PART_AN))) == 1, "a mail was sent although the participant chose never"
    # "daily": no mail per message; the digest of the day tells of them (tests/http/test_mail_daily.py)
    set_message_mail(COACH_SOFIE, "daily")
    before = len([m for m in SMTP.messages() if mails_to(COACH_SOFIE)(*m)])
    send(PART_AN, tid, COACH_SOFIE, "MAILMARK-reply one")
    send(PART_AN, tid, COACH_SOFIE, "MAILMARK-reply two")
    time.sleep(3)
    got = [m for m in SMTP.messages() if mails_to(COACH_SOFIE)(*m)]
    assert len(got) == before, "the coach chose the daily digest and got %d mails at once" % (len(got) - before)


def test_planning_a_meeting_mails_each_attendee_an_invitation_with_an_ics_without_case_content():
    tid = an_trajectory()
    sofie = signed_in(srv, C, COACH_SOFIE)
    members = {e: srv.sql("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
                          "AND u.email = ? AND m.removed_at IS NULL", (tid, e))[0][0] for e in (PARTNER_HR, PARTNER_GP)}
    assert_status(sofie.get("/t/%d/meetings" % tid), 200, "the meetings page")
    before = {e: len([m for m in SMTP.messages() if mails_to(e)(*m)]) for e in (PART_AN, PARTNER_HR, PARTNER_GP)}
    data = {"kind": "consultation", "mode": "group", "date": "2027-01-05", "time": "10:00", "duration": "60",
            "place": "MAILMARK-PLACE Kliniek zaal 2", "video_url": "", "agenda": "MAILMARK-AGENDA rugklachten",
            "participant": "1", "m%d" % members[PARTNER_HR]: "1", "m%d" % members[PARTNER_GP]: "1"}
    assert_status(sofie.post("/t/%d/meetings" % tid, data), 303, "Sofie plans a meeting")
    mid = srv.sql("SELECT MAX(id) FROM meetings")[0][0]
    for who in (PART_AN, PARTNER_HR, PARTNER_GP):
        deadline = time.time() + 30
        while len([m for m in SMTP.messages() if mails_to(who)(*m)]) <= before[who]:
            assert time.time() < deadline, "no meeting invitation arrived for %s" % who
            time.sleep(0.2)
        rcpts, msg, raw = [m for m in SMTP.messages() if mails_to(who)(*m)][-1]
        check_mail(msg, raw, ["MAILMARK", "Kliniek", "rugklachten", "Janssens", "Sofie", "Peeters"])
        ics = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert len(ics) == 1, "no .ics attached to %s's invitation" % who
        cal = ics[0].get_payload(decode=True).decode()
        assert "BEGIN:VEVENT" in cal and "DTSTART:20270105T090000Z" in cal, cal
        assert "/t/%d/meetings/%d" % (tid, mid) in cal.replace("\r\n ", ""), cal
        for word in ("MAILMARK", "Kliniek", "rugklachten", "Janssens", "LOCATION", "ATTENDEE"):
            assert word not in cal, "the .ics carries %r:\n%s" % (word, cal)
    time.sleep(2)
    for who in (PART_AN, PARTNER_HR, PARTNER_GP):
        n = len([m for m in SMTP.messages() if mails_to(who)(*m)])
        assert n == before[who] + 1, "%s got %d invitations" % (who, n - before[who])
    assert not [m for m in SMTP.messages() if mails_to(COACH_SOFIE)(*m) and "calendar" in m[2].decode("utf-8", "replace")], \
        "the coach who planned it got an invitation"


def calendar_of(msg):
    """The text/calendar part of a mail (unfolded) and its method parameter."""
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "no .ics attached:\n%s" % msg
    return parts[0].get_payload(decode=True).decode().replace("\r\n ", ""), parts[0].get_param("method")


def wait_new(who, before, what):
    deadline = time.time() + 30
    while len([m for m in SMTP.messages() if mails_to(who)(*m)]) <= before[who]:
        assert time.time() < deadline, "no %s arrived for %s: %r" % (what, who, srv.sql(
            "SELECT to_addr, kind, status, last_error FROM mail_outbox ORDER BY id DESC LIMIT 6"))
        time.sleep(0.2)
    got = [m for m in SMTP.messages() if mails_to(who)(*m)]
    return got[-1]


def test_a_changed_or_cancelled_meeting_mails_the_attendees_an_updated_ics():
    tid = an_trajectory()
    mid = srv.sql("SELECT MAX(id) FROM meetings")[0][0]
    sofie = signed_in(srv, C, COACH_SOFIE)
    hr = srv.sql("SELECT m.id FROM network_members m JOIN users u ON u.id = m.user_id WHERE m.trajectory_id = ? "
                 "AND u.email = ? AND m.removed_at IS NULL", (tid, PARTNER_HR))[0][0]
    who = (PART_AN, PARTNER_HR, PARTNER_GP)
    before = {e: len([m for m in SMTP.messages() if mails_to(e)(*m)]) for e in who}
    page = "/t/%d/meetings/%d" % (tid, mid)
    assert_status(sofie.get(page + "/edit"), 200, "the change form")
    r = sofie.post(page + "/edit", {"kind": "consultation", "mode": "group", "date": "2027-01-06", "time": "11:00",
                                    "duration": "60", "place": "MAILMARK-PLACE2 Kliniek", "video_url": "",
                                    "agenda": "MAILMARK-AGENDA2", "participant": "1", "m%d" % hr: "1"})
    assert_status(r, 303, "Sofie moves the meeting and drops the GP")
    uid = "UID:meeting-%d@" % mid
    for e in (PART_AN, PARTNER_HR):
        rcpts, msg, raw = wait_new(e, before, "the change")
        check_mail(msg, raw, ["MAILMARK", "Kliniek", "Janssens", "Sofie", "Peeters"])
        assert msg["Subject"] == "A meeting was changed in the Zorg & Werk portal", msg["Subject"]
        cal, method = calendar_of(msg)
        assert method == "REQUEST" and "METHOD:REQUEST" in cal, (method, cal)
        assert uid in cal and "SEQUENCE:1\r\n" in cal and "DTSTART:20270106T100000Z" in cal, cal
        assert "MAILMARK" not in cal and "LOCATION" not in cal and "ATTENDEE" not in cal, cal
    rcpts, msg, raw = wait_new(PARTNER_GP, before, "the GP's cancellation")
    cal, method = calendar_of(msg)
    assert msg["Subject"] == "A meeting was cancelled in the Zorg & Werk portal", msg["Subject"]
    assert method == "CANCEL" and "METHOD:CANCEL" in cal and "STATUS:CANCELLED" in cal and uid in cal, cal
    check_mail(msg, raw, ["MAILMARK", "Kliniek", "Janssens"])
    before = {e: len([m for m in SMTP.messages() if mails_to(e)(*m)]) for e in who}
    sofie.get(page)
    assert_status(sofie.post(page + "/cancel", {}), 303, "Sofie cancels the meeting")
    for e in (PART_AN, PARTNER_HR):
        rcpts, msg, raw = wait_new(e, before, "the cancellation")
        check_mail(msg, raw, ["MAILMARK", "Kliniek", "Janssens"])
        cal, method = calendar_of(msg)
        assert method == "CANCEL" and "METHOD:CANCEL\r\n" in cal, (method, cal)
        assert "STATUS:CANCELLED\r\n" in cal and "SEQUENCE:2\r\n" in cal and uid in cal, cal
    time.sleep(2)
    assert len([m for m in SMTP.messages() if mails_to(PARTNER_GP)(*m)]) == before[PARTNER_GP], \
        "the GP, no longer invited, got the cancellation again"
    assert not [m for m in SMTP.messages() if mails_to(COACH_SOFIE)(*m) and "calendar" in m[2].decode("utf-8", "replace")]


def test_no_mail_holds_a_name_note_or_title_from_the_portal():
    msgs = SMTP.messages()
    assert len(msgs) >= 6, "too few mails to judge: %d" % len(msgs)
    names = set()
    for first, last in srv.sql("SELECT first_name, last_name FROM participants"):
        names |= {"%s %s" % (first, last), last}
    names |= {n for (n,) in srv.sql("SELECT name FROM users")} | {n for (n,) in srv.sql("SELECT name FROM network_members")}
    for title, body in srv.sql("SELECT title, body FROM items"):
        names.add(title)
        names |= {w for w in re.findall(r"[^\n.!?]{12,}", body)[:3]}
    names = {n.strip() for n in names if n and len(n.strip()) >= 4}
    for rcpts, msg, raw in msgs:
        check_mail(msg, raw, sorted(names))


run(srv, globals())
SMTP.cleanup()
