"""A participant registered in the portal gets an account (issue 10, part 1).

Before, only the demo linked an account to a participant: a participant a coach registered could never
sign in. Now:
- an assigned coach invites the participant from /t/{id}/account (the address entered at registration,
  editable); a one-time link is made through link_issue: the same coach asking again sees the same link;
- with the link the participant chooses a password, signs in, lands on /me and sees their own trajectory
  and nobody else's; the account has the participant role only and is linked to that participant only;
- a coach who is not on the trajectory cannot open the page or invite (404, refusal logged on the
  participant);
- an address that belongs to any account gets one answer, the same for every such address, and no link;
- a participant who has an account is offered nothing;
- a live link made by someone else is never cancelled or replaced, not even by changing the address;
  the maker changing the address voids their own link to the old one;
- `zorgwerk user invite-participant TRAJECTORY` prints a link that works;
- every link made, shown, voided and used is in the access log on the account, and every invitation on
  the participant.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_HR, Client, Server, access_log_mark,
                     access_log_since, admin_deactivated_partner, assert_status, link_token, main_text,
                     participant_trajectory, password_sign_in, run, signed_in, strip_tags, unescape, use_link, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
NEW_PASSWORD = "Zonnige-dinsdag-op-kantoor-2026"
ROLE_PARTICIPANT = 1 << 3
S = {}
C = {}


def register(first, last, email):
    """Sofie registers a participant as a coach does (tests/http/test_register.py); returns (tid, pid)."""
    sofie = signed_in(srv, C, COACH_SOFIE)
    sofie.get("/participants/new")
    r = sofie.post("/participants/new", {
        "first_name": first, "last_name": last, "birth_date": "1984-03-09", "email": email,
        "phone": "+32 470 00 00 00", "referred_by": "Huisarts", "reason": "Rugklachten", "employer_org": "",
        "employer_other": "Bakkerij Test", "absence_start": "2025-01-10", "start_consent": "Mondeling akkoord",
        "consent_given": "yes"})
    assert_status(r, 303, "Sofie registers %s %s" % (first, last))
    m = re.match(r"/t/(\d+)", r.location or "")
    assert m, r.location
    tid = int(m.group(1))
    pid = srv.sql("SELECT participant_id FROM trajectories WHERE id = ?", (tid,))[0][0]
    return tid, pid


def invite(c, tid, email):
    c.get("/t/%d/account" % tid)
    return c.post("/t/%d/account/invite" % tid, {"email": email})


# ---------------------------------------------------------------- the invitation

def test_the_coach_invites_the_registered_participant():
    S["tid"], S["pid"] = tid, pid = register("Ruben", "Testers", "Ruben.Testers@Example.org")
    assert srv.sql("SELECT user_id FROM participants WHERE id = ?", (pid,)) == [(None,)]
    sofie = signed_in(srv, C, COACH_SOFIE)
    page = sofie.get("/t/%d/account" % tid)
    assert_status(page, 200, "Sofie opens the participant's account page")
    assert 'action="/t/%d/account/invite"' % tid in page.body, "no invitation form: %s" % main_text(page.body)[:400]
    assert 'value="Ruben.Testers@Example.org"' in page.body, "the form does not offer the registered address"
    assert 'for="f-email"' in page.body, "the e-mail field has no label"
    mark = access_log_mark(srv)
    r = invite(sofie, tid, "Ruben.Testers@Example.org")
    assert_status(r, 200, "Sofie invites Ruben")
    first = link_token(r.body)
    assert first, "no link: %s" % main_text(r.body)[:400]
    rows = srv.sql("SELECT u.id, u.email, u.roles, u.side, u.org_id, u.lang, u.password_hash FROM participants p "
                   "JOIN users u ON u.id = p.user_id WHERE p.id = ?", (pid,))
    assert rows, "the invitation did not link an account to the participant"
    account, email, roles, side, org, lang, pw = rows[0]
    assert email == "ruben.testers@example.org" and roles == ROLE_PARTICIPANT and side is None and org is None \
        and lang is None and pw is None, rows[0]
    S["account"], S["email"], S["token"] = account, email, first
    # the same coach asking again sees the same link: the first one still works
    r = invite(sofie, tid, "ruben.testers@example.org")
    assert_status(r, 200, "Sofie invites Ruben again")
    assert link_token(r.body) == first, "a second invitation by the same coach made another link"
    made = access_log_since(srv, mark, user_id=user_id(srv, COACH_SOFIE), item="account:%d" % account)
    assert [(e["action"], e["outcome"], e["grounds"]) for e in made] == [
        ("link_create", "ok", "invite"), ("link_show", "ok", "invite")], made
    on_participant = access_log_since(srv, mark, user_id=user_id(srv, COACH_SOFIE), participant_id=pid, item="account")
    assert [(e["action"], e["outcome"], e["trajectory_id"]) for e in on_participant if e["action"] != "view"] == [
        ("create", "ok", tid), ("update", "ok", tid)], on_participant
    # the state is shown: invited, the link again only to its maker
    page = sofie.get("/t/%d/account" % tid)
    assert "invited" in main_text(page.body) and "Show the invitation link" in page.body
    net = sofie.get("/t/%d/network" % tid)
    assert_status(net, 200, "the network page")
    assert "The participant's account" in unescape(net.body) and "Show the invitation link" in net.body, \
        "the network page does not show the participant's account state"


def test_a_coach_not_on_the_trajectory_cannot_invite():
    tid, pid = S["tid"], S["pid"]
    pieter = signed_in(srv, C, COACH_PIETER)
    mark = access_log_mark(srv)
    assert_status(pieter.get("/t/%d/account" % tid), 404, "Pieter opens the account page of Sofie's participant")
    pieter.get("/account")
    r = pieter.post("/t/%d/account/invite" % tid, {"email": "pieter.neemt.over@example.org"})
    assert_status(r, 404, "Pieter invites Sofie's participant")
    assert link_token(r.body) is None
    denied = access_log_since(srv, mark, user_id=user_id(srv, COACH_PIETER), outcome="denied")
    assert [(e["participant_id"], e["item"]) for e in denied] == [(pid, "account"), (pid, "account")], denied
    assert user_id(srv, "pieter.neemt.over@example.org") is None
    assert srv.sql("SELECT COUNT(*) FROM one_time_links WHERE created_by = ?", (user_id(srv, COACH_PIETER),)) == [(0,)]
    assert srv.sql("SELECT email FROM users WHERE id = ?", (S["account"],)) == [(S["email"],)]
    # nor can the administrator or another participant
    for who in (ADMIN, PART_AN):
        assert_status(signed_in(srv, C, who).get("/t/%d/account" % tid), 404, "%s opens the account page" % who)


def test_the_participant_sets_a_password_and_sees_only_their_own_trajectory():
    tid = S["tid"]
    mark = access_log_mark(srv)
    r = use_link(srv, S["token"], NEW_PASSWORD)
    assert_status(r, 303, "Ruben uses the link")
    used = access_log_since(srv, mark, item="account:%d" % S["account"], action="link_use")
    assert len(used) == 1 and used[0]["client"], "the use of the link is not in the access log: %r" % used
    ruben, location = password_sign_in(srv, S["email"], NEW_PASSWORD)
    assert location == "/me", "after sign-in Ruben goes to %s" % location
    me = ruben.get("/me")
    assert_status(me, 200, "Ruben's /me")
    assert 'href="/t/%d"' % tid in me.body, "Ruben's /me does not show his trajectory: %s" % main_text(me.body)[:400]
    assert_status(ruben.get("/t/%d" % tid), 200, "Ruben opens his trajectory")
    an_tid = participant_trajectory(srv, PART_AN)[0]
    assert_status(ruben.get("/t/%d" % an_tid), 404, "Ruben opens An's trajectory")
    assert_status(ruben.get("/t/%d/notes" % an_tid), 404, "Ruben opens An's notes")
    assert "Janssens" not in ruben.get("/me").body
    # the link works once
    assert_status(use_link(srv, S["token"], NEW_PASSWORD + "x"), 410, "the used link again")


def test_a_participant_with_an_account_is_offered_nothing():
    tid = S["tid"]
    sofie = signed_in(srv, C, COACH_SOFIE)
    page = sofie.get("/t/%d/account" % tid)
    assert_status(page, 200, "the account page of an active account")
    assert "active" in main_text(page.body) and 'action="/t/%d/account/invite"' % tid not in page.body, \
        main_text(page.body)[:400]
    links = srv.sql("SELECT COUNT(*) FROM one_time_links WHERE user_id = ?", (S["account"],))[0][0]
    r = sofie.post("/t/%d/account/invite" % tid, {"email": S["email"]})
    assert_status(r, 409, "inviting a participant who has an account")
    assert link_token(r.body) is None
    assert srv.sql("SELECT COUNT(*) FROM one_time_links WHERE user_id = ?", (S["account"],))[0][0] == links


def test_every_address_of_an_existing_account_gets_the_same_answer():
    tid, pid = register("Sara", "Voorbeeld", "sara@example.org")
    S["tid2"], S["pid2"] = tid, pid
    off = "uit.dienst@praktijk.example"
    admin_deactivated_partner(srv, signed_in(srv, C, ADMIN), "Uit Dienst", off, "Kinesist")
    sofie = signed_in(srv, C, COACH_SOFIE)
    users = srv.sql("SELECT COUNT(*) FROM users")[0][0]
    answers = {}
    for email in (PART_AN, ADMIN, PARTNER_HR, S["email"], off, COACH_SOFIE.upper()):
        r = invite(sofie, tid, email)
        m = re.search(r'<p class="error-msg" id="e-email">(.*?)</p>', r.body, re.S)
        body = re.sub(r'name="_csrf" value="[^"]*"|[0-9a-f]{16}', "", r.body.replace(email, "EMAIL"))
        answers[email] = (r.status, strip_tags(m.group(1)) if m else None, body)
        assert link_token(r.body) is None, "a link for the address of an existing account (%s)" % email
    assert {a[0] for a in answers.values()} == {400}, {e: a[0] for e, a in answers.items()}
    messages = {a[1] for a in answers.values()}
    assert len(messages) == 1 and None not in messages, messages
    assert "cannot be used" in messages.pop()
    assert len({a[2] for a in answers.values()}) == 1, "the pages differ beyond the address typed"
    assert srv.sql("SELECT user_id FROM participants WHERE id = ?", (pid,)) == [(None,)]
    assert srv.sql("SELECT COUNT(*) FROM users")[0][0] == users, "an account was made"
    denied = access_log_since(srv, 0, user_id=user_id(srv, COACH_SOFIE), participant_id=pid, item="account",
                              outcome="denied")
    assert len(denied) == len(answers), "the refused invitations are not all on the participant: %r" % denied
    # a malformed address is refused beside the field, with what was typed kept
    r = invite(sofie, tid, "geen-adres")
    assert_status(r, 400, "a malformed address")
    assert re.search(r'id="e-email"', r.body) and 'value="geen-adres"' in r.body


def test_someone_elses_live_link_is_never_replaced():
    tid, pid = S["tid2"], S["pid2"]
    # the command line invites Sara: its link is the live one
    p = srv.cli("user", "invite-participant", str(tid))
    assert p.returncode == 0, p.stderr
    cli_token = link_token(p.stdout)
    assert cli_token and "sara@example.org" in p.stdout, p.stdout
    account = srv.sql("SELECT user_id FROM participants WHERE id = ?", (pid,))[0][0]
    assert account and srv.sql("SELECT email, roles FROM users WHERE id = ?", (account,)) == [
        ("sara@example.org", ROLE_PARTICIPANT)]
    # the command line asked again: the same link
    p = srv.cli("user", "invite-participant", str(tid))
    assert p.returncode == 0 and link_token(p.stdout) == cli_token, p.stdout
    sofie = signed_in(srv, C, COACH_SOFIE)
    page = sofie.get("/t/%d/account" % tid)
    assert 'action="/t/%d/account/invite"' % tid not in page.body, "Sofie is offered a link while another is live"
    mark = access_log_mark(srv)
    for email in ("sara@example.org", "sara.nieuw@example.org"):
        r = sofie.post("/t/%d/account/invite" % tid, {"email": email})
        assert_status(r, 409, "Sofie invites Sara while the command line's link is live (%s)" % email)
        assert link_token(r.body) is None
    assert srv.sql("SELECT email FROM users WHERE id = ?", (account,)) == [("sara@example.org",)], \
        "the address of the invited account was changed under someone else's live link"
    assert srv.sql("SELECT COUNT(*) FROM one_time_links WHERE user_id = ? AND created_by = ?",
                   (account, user_id(srv, COACH_SOFIE)))[0][0] == 0
    assert access_log_since(srv, mark, user_id=user_id(srv, COACH_SOFIE), participant_id=pid, item="account",
                            outcome="denied")
    # the link the command line printed works, and the participant lands on /me
    assert_status(use_link(srv, cli_token, NEW_PASSWORD), 303, "Sara uses the command line's link")
    sara, location = password_sign_in(srv, "sara@example.org", NEW_PASSWORD)
    assert location == "/me", location
    assert 'href="/t/%d"' % tid in sara.get("/me").body
    made = srv.sql("SELECT user_id, role, action, outcome FROM access_log WHERE item = ? ORDER BY id",
                   ("account:%d" % account,))
    assert (None, "cli", "link_create", "ok") in made and (None, "cli", "link_show", "ok") in made, made
    assert ("cli", "link_use") not in [(m[1], m[2]) for m in made]
    assert [m[2] for m in made if m[2] == "link_use"] == ["link_use"], made
    on_participant = srv.sql("SELECT role, action, outcome FROM access_log WHERE participant_id = ? AND item = 'account' "
                             "AND user_id IS NULL ORDER BY id", (pid,))
    assert on_participant == [("cli", "create", "ok"), ("cli", "update", "ok")], on_participant


def test_the_maker_changing_the_address_voids_their_own_link():
    tid, pid = register("Tim", "Tikfout", "tim@exmaple.org")
    sofie = signed_in(srv, C, COACH_SOFIE)
    r = invite(sofie, tid, "tim@exmaple.org")
    assert_status(r, 200, "Sofie invites Tim at a mistyped address")
    old = link_token(r.body)
    account = srv.sql("SELECT user_id FROM participants WHERE id = ?", (pid,))[0][0]
    mark = access_log_mark(srv)
    r = invite(sofie, tid, "tim@example.org")
    assert_status(r, 200, "Sofie corrects the address")
    new = link_token(r.body)
    assert new and new != old, "no new link for the corrected address"
    assert srv.sql("SELECT email FROM users WHERE id = ?", (account,)) == [("tim@example.org",)]
    assert_status(Client(srv).get("/reset?token=" + old), 410, "the link made for the mistyped address")
    voided = access_log_since(srv, mark, user_id=user_id(srv, COACH_SOFIE), item="account:%d" % account,
                              action="link_void")
    assert len(voided) == 1, voided
    assert_status(use_link(srv, new, NEW_PASSWORD), 303, "Tim uses the new link")
    assert password_sign_in(srv, "tim@example.org", NEW_PASSWORD)[1] == "/me"


def test_the_command_line_refuses_what_the_page_refuses():
    p = srv.cli("user", "invite-participant", str(S["tid"]))
    assert p.returncode == 1 and "already has an account" in p.stderr and not link_token(p.stdout), \
        (p.stdout, p.stderr)
    tid, pid = register("Vera", "Bestaand", "vera@example.org")
    p = srv.cli("user", "invite-participant", str(tid), "--email", PARTNER_HR)
    assert p.returncode == 1 and "cannot be used" in p.stderr and not link_token(p.stdout), (p.stdout, p.stderr)
    assert srv.sql("SELECT user_id FROM participants WHERE id = ?", (pid,)) == [(None,)]
    p = srv.cli("user", "invite-participant", "999999")
    assert p.returncode == 1 and "no trajectory" in p.stderr, p.stderr
    p = srv.cli("user", "invite-participant", "abc")
    assert p.returncode == 2, p.stderr
    p = srv.cli("--help")
    assert "invite-participant" in p.stdout + p.stderr


run(srv, globals())
