"""Invitations never hand an account to someone else (issue 9, findings 1, 7 and 13).

- A coach who is not on a trajectory adds the e-mail address of a person invited there (or of an account
  the administrator made and nobody activated) to his own trajectory and invites: he gets no link that can
  set that person's password, and the link the person holds still works.
- The coach who made an invitation link is shown the same link when he invites again.
- An existing account (with or without a password) is only asked to join: until its owner accepts after
  signing in, the membership has no account and opens nothing.
- Who made and who used every link is in the access log ("link_create" / "link_use" on "account:<id>").
- A person's side comes from their account: an HR account cannot be added as a psychologist.
- Every e-mail address that cannot be invited (a participant's, an administrator's, a deactivated account's)
  gets the same answer, byte for byte.
"""
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, COACH_SOFIE, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server,
                     access_log_mark, access_log_since, admin_deactivated_partner, admin_new_partner, assert_status,
                     db_files_holding, link_token, main_text, password_sign_in, run, signed_in, strip_tags, use_link,
                     user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
NEW_PASSWORD = "Zonnige-dinsdag-op-kantoor-2026"
S = {}
C = {}


def trajectory_of(coach, without_member_email=None):
    """A trajectory the coach is assigned to and the other coach is not."""
    rows = srv.sql("SELECT c.trajectory_id FROM trajectory_coaches c WHERE c.user_id = ? AND NOT EXISTS "
                   "(SELECT 1 FROM trajectory_coaches o WHERE o.trajectory_id = c.trajectory_id AND o.user_id <> ?) "
                   "ORDER BY c.trajectory_id", (user_id(srv, coach), user_id(srv, coach)))
    for (tid,) in rows:
        if without_member_email is None or not srv.sql(
                "SELECT 1 FROM network_members WHERE trajectory_id = ? AND user_id = ?",
                (tid, user_id(srv, without_member_email))):
            return tid
    raise AssertionError("no trajectory of %s" % coach)


def member(tid, name):
    rows = srv.sql("SELECT id FROM network_members WHERE trajectory_id = ? AND name = ? AND removed_at IS NULL "
                   "ORDER BY id DESC", (tid, name))
    assert rows, "no member %r on trajectory %d" % (name, tid)
    return rows[0][0]


def add_member(c, tid, name, email, role="gp"):
    c.get("/t/%d/network" % tid)
    return c.post("/t/%d/network" % tid, {"role": role, "name": name, "organisation": "Praktijk", "email": email})


def invite(c, tid, mid):
    c.get("/t/%d/network" % tid)
    return c.post("/t/%d/network/%d/invite" % (tid, mid), {})


# ---------------------------------------------------------------- finding 1

def test_sofie_invites_a_new_gp_and_sees_the_same_link_again():
    sofie = signed_in(srv, C, COACH_SOFIE)
    S["t_sofie"] = tid = 1
    email = "nieuwe.huisarts@praktijk.example"
    mark = access_log_mark(srv)
    assert_status(add_member(sofie, tid, "dr. Nieuwe Huisarts", email), 303, "Sofie adds a new GP")
    mid = member(tid, "dr. Nieuwe Huisarts")
    r = invite(sofie, tid, mid)
    assert_status(r, 200, "Sofie invites the new GP")
    first = link_token(r.body)
    assert first, "no link for a new account: %s" % strip_tags(r.body)[:300]
    S["gp2"], S["gp2_token"] = email, first
    r = invite(sofie, tid, mid)
    assert_status(r, 200, "Sofie invites the new GP again")
    second = link_token(r.body)
    assert second == first, "a second invitation by the same coach made a new link (the first one is void now)"
    account = user_id(srv, email)
    made = access_log_since(srv, mark, user_id=user_id(srv, COACH_SOFIE), item="account:%d" % account,
                            action="link_create", outcome="ok")
    assert len(made) == 1 and made[0]["grounds"] == "invite", "link creation not in the access log: %r" % made
    assert srv.sql("SELECT COUNT(*) FROM one_time_links WHERE user_id = ? AND created_by = ?",
                   (account, user_id(srv, COACH_SOFIE)))[0][0] == 1


def test_the_database_holds_no_usable_link():
    """The live link is kept to be shown again, but only sealed under a key kept outside the database: a copy
    of the database (or of a backup) holds no text that works as a link, and the link is not in its files."""
    token, account = S["gp2_token"], user_id(srv, S["gp2"])
    cur = srv.sql("SELECT * FROM one_time_links WHERE user_id = ? AND used_at IS NULL", (account,))
    assert len(cur) == 1, cur
    texts = [v for v in cur[0] if isinstance(v, str)]
    assert all(token not in v for v in texts), "the link's token is in the database in plain text"
    anon = Client(srv, lang="en")
    for v in texts:
        assert_status(anon.get("/reset?token=" + urllib.parse.quote(v, safe="")), 410,
                      "a value of the link's row used as a link")
    held = db_files_holding(srv, token.encode())
    assert not held, "the link's token is in %s" % ", ".join(held)
    # the creator is still shown the same link
    r = invite(signed_in(srv, C, COACH_SOFIE), S["t_sofie"], member(S["t_sofie"], "dr. Nieuwe Huisarts"))
    assert_status(r, 200, "Sofie invites the new GP a third time")
    assert link_token(r.body) == token, "the creator was not shown the same link"


def test_a_coach_not_on_the_trajectory_gets_no_link_for_that_person():
    pieter = signed_in(srv, C, COACH_PIETER)
    S["t_pieter"] = tid = trajectory_of(COACH_PIETER)
    email = S["gp2"]
    mark = access_log_mark(srv)
    assert_status(add_member(pieter, tid, "Huisarts via Pieter", email), 303, "Pieter adds the GP's address")
    mid = member(tid, "Huisarts via Pieter")
    r = invite(pieter, tid, mid)
    assert r.status in (200, 409), "Pieter's invitation: %d" % r.status
    assert link_token(r.body) is None, "Pieter was shown a link that sets the GP's password"
    account = user_id(srv, email)
    assert srv.sql("SELECT COUNT(*) FROM one_time_links WHERE user_id = ? AND created_by = ?",
                   (account, user_id(srv, COACH_PIETER)))[0][0] == 0, "a link for the GP was made in Pieter's name"
    assert srv.sql("SELECT user_id FROM network_members WHERE id = ?", (mid,)) == [(None,)], \
        "Pieter's entry is linked to the GP's account without the GP's confirmation"
    # the GP's own link (from Sofie) still works
    r = use_link(srv, S["gp2_token"], NEW_PASSWORD)
    assert_status(r, 303, "the GP uses the link Sofie handed over")
    used = access_log_since(srv, mark, item="account:%d" % account, action="link_use")
    assert len(used) == 1 and used[0]["client"], "link use not in the access log: %r" % used
    assert srv.sql("SELECT used_from IS NOT NULL, token IS NULL FROM one_time_links WHERE user_id = ? "
                   "AND created_by = ?", (account, user_id(srv, COACH_SOFIE))) == [(1, 1)]


def test_the_gp_decides_on_pieters_request_and_nothing_opens_before():
    tid = S["t_pieter"]
    gp, location = password_sign_in(srv, S["gp2"], NEW_PASSWORD)
    assert location == "/notices", "after sign-in the GP goes to %s, not to the request" % location
    assert_status(gp.get("/t/%d/network" % tid), 404, "the GP opens Pieter's trajectory before accepting")
    page = gp.get("/notices")
    assert_status(page, 200, "/notices")
    assert "Pieter de Vries" in page.body, strip_tags(page.body)[:500]
    m = re.search(r'action="/notices/requests/(\d+)/accept"', page.body)
    assert m, "no request to accept: %s" % strip_tags(page.body)[:500]
    r = gp.post("/notices/requests/%s/accept" % m.group(1), {})
    assert_status(r, 303, "the GP accepts")
    assert_status(gp.get("/t/%d/network" % tid), 200, "the GP opens Pieter's trajectory after accepting")


def test_unactivated_account_of_the_administrator_cannot_be_taken_over():
    email = "ergo.nogniet@praktijk.example"
    r = admin_new_partner(signed_in(srv, C, ADMIN), "Ergo Nogniet", email, "Ergotherapeut")
    assert_status(r, 200, "the administrator creates a partner account")
    own = link_token(r.body)
    assert own, "no invitation link for the new account"
    pieter = signed_in(srv, C, COACH_PIETER)
    tid = S["t_pieter"]
    assert_status(add_member(pieter, tid, "Ergo via Pieter", email, role="ergonomist"), 303, "Pieter adds the address")
    r = invite(pieter, tid, member(tid, "Ergo via Pieter"))
    assert link_token(r.body) is None, "Pieter got a link for an account the administrator made"
    assert_status(use_link(srv, own, NEW_PASSWORD), 303, "the owner's own link still works")


def test_an_existing_account_must_confirm_and_gets_nothing_before():
    pieter = signed_in(srv, C, COACH_PIETER)
    tid = trajectory_of(COACH_PIETER, without_member_email=PARTNER_GP)
    assert_status(add_member(pieter, tid, "dr. Els Wouters", PARTNER_GP), 303, "Pieter adds Els")
    mid = member(tid, "dr. Els Wouters")
    r = invite(pieter, tid, mid)
    assert_status(r, 200, "Pieter invites Els")
    assert link_token(r.body) is None, "a link for an account that has a password"
    els = signed_in(srv, C, PARTNER_GP)
    assert_status(els.get("/t/%d/network" % tid), 404, "Els opens the trajectory before confirming")
    shared = els.get("/shared")
    assert 'href="/t/%d/' % tid not in shared.body, "the trajectory is on Els's /shared before she confirmed"
    # the request waits for her at the next sign-in; she declines
    c, location = password_sign_in(srv, PARTNER_GP, "zorg-en-werk-demo")
    assert location == "/notices", "Els goes to %s after sign-in" % location
    page = c.get("/notices")
    m = re.search(r'action="/notices/requests/(\d+)/decline"', page.body)
    assert m, "no request for Els: %s" % strip_tags(page.body)[:400]
    # nobody else can answer it
    tom = signed_in(srv, C, PARTNER_HR)
    tom.get("/notices")
    assert_status(tom.post("/notices/requests/%s/accept" % m.group(1), {}), 404, "Tom accepts Els's request")
    assert_status(c.post("/notices/requests/%s/decline" % m.group(1), {}), 303, "Els declines")
    assert_status(els.get("/t/%d/network" % tid), 404, "Els opens the trajectory after declining")
    assert srv.sql("SELECT user_id FROM network_members WHERE id = ?", (mid,)) == [(None,)]


# ---------------------------------------------------------------- finding 7

def test_a_work_side_account_cannot_be_a_care_member():
    sofie = signed_in(srv, C, COACH_SOFIE)
    tid = trajectory_of(COACH_SOFIE, without_member_email=PARTNER_HR)
    r = add_member(sofie, tid, "Tom Claes", PARTNER_HR, role="psychologist")
    assert_status(r, 400, "HR's account added as a psychologist")
    m = re.search(r'<p class="error-msg" id="e-role">(.*?)</p>', r.body, re.S)
    assert m and "work side" in strip_tags(m.group(1)), "no message beside the role: %s" % strip_tags(r.body)[:400]
    assert not srv.sql("SELECT 1 FROM network_members WHERE trajectory_id = ? AND email = ?", (tid, PARTNER_HR))
    r = add_member(sofie, tid, "Tom Claes", PARTNER_HR, role="hr")
    assert_status(r, 303, "HR's account added as HR")
    # nor can the administrator make a care-side account at an employer
    employer = srv.sql("SELECT id FROM organisations WHERE kind = 'employer' AND active = 1")[0][0]
    r = admin_new_partner(signed_in(srv, C, ADMIN), "Zorg Bij Werkgever", "zorg.werkgever@verbeke.example", "",
                          org_id=str(employer))
    assert_status(r, 400, "a care-side partner account at an employer")
    assert not srv.sql("SELECT 1 FROM users WHERE email = 'zorg.werkgever@verbeke.example'")


# ---------------------------------------------------------------- finding 13

def answer_for(c, tid, email, name):
    """What the coach is told when adding and inviting email: the form's message or the invitation's."""
    r = add_member(c, tid, name, email, role="other_care")
    if r.status == 400:
        m = re.search(r'<p class="error-msg" id="e-email">(.*?)</p>', r.body, re.S)
        assert m, "400 without a message beside the e-mail field"
        return 400, m.group(1), r.body.replace(email, "EMAIL").replace(name, "NAME")
    assert_status(r, 303, "add %s" % email)
    r = invite(c, tid, member(tid, name))
    return r.status, main_text(r.body), None


def test_every_address_that_cannot_be_invited_gets_the_same_answer():
    off = "uit.dienst@praktijk.example"
    admin_deactivated_partner(srv, signed_in(srv, C, ADMIN), "Uit Dienst", off, "Kinesist")
    sofie = signed_in(srv, C, COACH_SOFIE)
    tid = S["t_sofie"]
    answers = {}
    for i, email in enumerate((PART_AN, ADMIN, off)):
        answers[email] = answer_for(sofie, tid, email, "Contact %d" % i)
    statuses = {a[0] for a in answers.values()}
    texts = {a[1] for a in answers.values()}
    assert len(texts) == 1, "different answers:\n" + "\n".join("%s: %d %s" % (e, a[0], strip_tags(a[1]))
                                                                for e, a in answers.items())
    assert len(statuses) == 1 and statuses.pop() >= 400, "an address that cannot be invited was accepted"
    bodies = {re.sub(r'name="_csrf" value="[^"]*"|[0-9a-f]{16}', "", a[2]) for a in answers.values() if a[2]}
    assert len(bodies) == 1, "the pages differ beyond the address typed"
    assert not srv.sql("SELECT 1 FROM network_members WHERE email IN (?, ?, ?)", (PART_AN, ADMIN, off))


run(srv, globals())
