"""Case reviews (issue 12, part 3): the coaches of the team meet; the chair proposed is the coach who chaired
least recently, and can be swapped; a coach brings only their own trajectory onto the agenda (another's is the
not-found page); the other coaches see the participant as initials and the trajectory number — the name only
after the participant's consent to team discussion; the advice is stored on the trajectory as a coach note;
the history shows who chaired when; every view of an agenda logs one entry per trajectory shown; a team lead
sees dates, chairs and counts, never a participant or a question. A mental-health practitioner (a care-side
partner) takes part in a review only when a coach invited them to it (otherwise not found); they read a
participant's name only when they are in that participant's network holding the consent for the plan (the
team-discussion consent is for the coaches), otherwise initials and the number — each view logged with the
consent that allowed the name; the work side cannot be invited."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PARTNER_GP, PARTNER_HR, Server, access_log_mark, access_log_since,
                     assert_status, participant_trajectory, run, sign_in, unescape, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
TID, PID = participant_trajectory(srv, PART_AN)
SOFIE, PIETER = user_id(srv, COACH_SOFIE), user_id(srv, COACH_PIETER)
QUESTION = "Werkhervatting stokt: wat nu? qz7"
S = {}


def client(email):
    if email not in C:
        C[email] = sign_in(srv, email)
    return C[email]


def pieter_only_tid():
    """A trajectory Pieter coaches and Sofie does not."""
    return srv.sql("SELECT c.trajectory_id FROM trajectory_coaches c WHERE c.user_id = ? AND NOT EXISTS (SELECT 1 "
                   "FROM trajectory_coaches d WHERE d.trajectory_id = c.trajectory_id AND d.user_id = ?) "
                   "ORDER BY c.trajectory_id LIMIT 1", (PIETER, SOFIE))[0][0]


def proposed(body):
    m = re.search(r'<select[^>]*name="chair".*?</select>', body, re.S)
    assert m, "no chair select on /reviews"
    sel = re.search(r'<option value="(\d+)" selected', m.group(0))
    assert sel, "no chair proposed"
    return int(sel.group(1))


def new_review(coach, held_on, chair=None):
    c = client(coach)
    r = c.get("/reviews")
    assert_status(r, 200, "the reviews page")
    chair = chair or proposed(r.body)
    r = c.post("/reviews", {"held_on": held_on, "chair": str(chair)})
    assert_status(r, 303, "planning a review")
    m = re.match(r"/reviews/(\d+)", r.location)
    assert m, r.location
    return int(m.group(1)), chair


def test_setup():
    assert SOFIE != PIETER
    assert srv.sql("SELECT 1 FROM trajectory_coaches WHERE trajectory_id = ? AND user_id = ?", (TID, SOFIE))
    assert not srv.sql("SELECT 1 FROM trajectory_coaches WHERE trajectory_id = ? AND user_id = ?", (TID, PIETER))


def test_chair_proposal_rotates():
    coaches = srv.sql("SELECT id FROM users WHERE active = 1 AND (roles & 2) <> 0 ORDER BY name, id")
    coaches = [c[0] for c in coaches]
    seen = []
    for k in range(len(coaches)):
        rid, chair = new_review(COACH_SOFIE, "2026-0%d-01" % (k + 1))
        assert chair not in seen, "the chair %d was proposed again before everyone chaired" % chair
        assert srv.sql("SELECT chair_user_id FROM case_reviews WHERE id = ?", (rid,))[0][0] == chair
        seen.append(chair)
    assert sorted(seen) == sorted(coaches), "the rotation did not pass every coach"
    # everyone chaired once: the first chair chaired least recently and is proposed again
    assert proposed(client(COACH_PIETER).get("/reviews").body) == seen[0]
    S["first"] = seen[0]


def test_swap_chair():
    would = proposed(client(COACH_SOFIE).get("/reviews").body)
    other = PIETER if would != PIETER else SOFIE
    rid, chair = new_review(COACH_SOFIE, "2026-11-01", chair=other)
    assert chair == other
    assert srv.sql("SELECT chair_user_id FROM case_reviews WHERE id = ?", (rid,))[0][0] == other
    S["rid"] = rid
    # a chair who is not a coach of the team is refused
    r = client(COACH_SOFIE).post("/reviews", {"held_on": "2026-11-02", "chair": str(user_id(srv, LEAD))})
    assert_status(r, 400, "a team lead as chair")
    assert "Choose a coach of the team as chair." in r.body


def test_bring_own_trajectory_only():
    rid = S["rid"]
    sofie = client(COACH_SOFIE)
    assert_status(sofie.get("/t/%d/reviews" % TID), 200, "the bring-in page of her own trajectory")
    r = sofie.post("/t/%d/reviews" % TID, {"review": str(rid), "question": QUESTION})
    assert_status(r, 303, "bringing her own trajectory")
    assert srv.sql("SELECT question, brought_by FROM case_review_items WHERE review_id = ? AND trajectory_id = ?",
                   (rid, TID)) == [(QUESTION, SOFIE)]
    other = pieter_only_tid()
    r = sofie.post("/t/%d/reviews" % other, {"review": str(rid), "question": "of another coach"})
    assert_status(r, 404, "bringing another coach's trajectory")
    assert not srv.sql("SELECT 1 FROM case_review_items WHERE trajectory_id = ?", (other,))


def test_other_coach_sees_initials_and_logged():
    rid = S["rid"]
    mark = access_log_mark(srv)
    r = client(COACH_PIETER).get("/reviews/%d" % rid)
    assert_status(r, 200, "the agenda for another coach")
    body = unescape(r.body)
    assert "A.J. #%d" % TID in body, "no initials and number on the agenda"
    assert "Janssens" not in body and ">An " not in body, "the name shown to a coach not assigned"
    assert QUESTION in body, "the question is for every coach of the review"
    assert "Every coach of the team reads the questions" in body
    log = access_log_since(srv, mark, user_id=PIETER, trajectory_id=TID, action="view")
    assert [(e["item"], e["grounds"], e["participant_id"]) for e in log] == [("case_review:%d" % rid, "review", PID)], log
    mark = access_log_mark(srv)
    r = client(COACH_SOFIE).get("/reviews/%d" % rid)
    assert "An Janssens" in unescape(r.body), "her own coach does not see the name"
    log = access_log_since(srv, mark, user_id=SOFIE, trajectory_id=TID, action="view")
    assert [(e["item"], e["grounds"]) for e in log] == [("case_review:%d" % rid, "coach")], log


def test_team_discussion_consent_shows_name():
    rid = S["rid"]
    r = client(COACH_PIETER).post("/t/%d/team-discussion" % TID, {"consented_on": "2026-01-05"})
    assert_status(r, 404, "another coach records the consent")
    r = client(COACH_SOFIE).post("/t/%d/team-discussion" % TID, {"consented_on": "2999-01-01"})
    assert_status(r, 400, "a consent in the future")
    r = client(COACH_SOFIE).post("/t/%d/team-discussion" % TID, {"consented_on": "2026-01-05"})
    assert_status(r, 303, "her coach records the consent")
    body = unescape(client(COACH_PIETER).get("/reviews/%d" % rid).body)
    assert "An Janssens" in body and "A.J. #%d" % TID not in body, "the name not shown after consent"


def test_a_practitioner_joins_a_review_and_sees_names_only_with_consent():
    rid = S["rid"]
    gp_id, hr_id = user_id(srv, PARTNER_GP), user_id(srv, PARTNER_HR)
    pieter_tid = pieter_only_tid()
    pieter = client(COACH_PIETER)
    pieter.get("/t/%d/reviews" % pieter_tid)
    assert_status(pieter.post("/t/%d/reviews" % pieter_tid, {"review": str(rid), "question": "Pieter's qz9"}), 303)
    gp = client(PARTNER_GP)
    mark = access_log_mark(srv)
    assert_status(gp.get("/reviews/%d" % rid), 404, "the GP opens a review before being invited")
    assert access_log_since(srv, mark, user_id=gp_id, item="case_review:%d" % rid, outcome="denied"), \
        "the refused review is not in the access log"
    assert 'href="/reviews/%d"' % rid not in gp.get("/reviews").body, "an uninvited review is listed"
    sofie = client(COACH_SOFIE)
    page = sofie.get("/reviews/%d" % rid)
    assert 'name="practitioner"' in page.body, "no form to invite a practitioner"
    assert 'value="%d"' % hr_id not in re.search(r'<select[^>]*name="practitioner".*?</select>', page.body, re.S).group(0)
    assert_status(sofie.post("/reviews/%d/practitioners" % rid, {"practitioner": str(hr_id)}), 400, "inviting HR")
    assert_status(gp.post("/reviews/%d/practitioners" % rid, {"practitioner": str(gp_id)}), 403, "a partner invites")
    assert_status(sofie.post("/reviews/%d/practitioners" % rid, {"practitioner": str(gp_id)}), 303, "inviting the GP")
    assert_status(sofie.post("/reviews/%d/practitioners" % rid, {"practitioner": str(gp_id)}), 400, "twice")
    assert 'href="/reviews/%d"' % rid in gp.get("/reviews").body, "the invited review is not listed for the GP"
    # the GP is in An's network with the care side's consent for the plan: named; Pieter's participant is not hers
    consent = srv.sql("SELECT id FROM consents WHERE trajectory_id = ? AND category = 'plan' AND grantee_side = 'care' "
                      "AND source_member_id IS NULL AND withdrawn_at IS NULL", (TID,))[0][0]
    first, last = srv.sql("SELECT p.first_name, p.last_name FROM trajectories t JOIN participants p "
                          "ON p.id = t.participant_id WHERE t.id = ?", (pieter_tid,))[0]
    mark = access_log_mark(srv)
    r = gp.get("/reviews/%d" % rid)
    assert_status(r, 200, "the GP reads the agenda")
    body = unescape(r.body)
    assert "An Janssens" in body and QUESTION in body, "the GP with consent does not see the name"
    assert last not in body and "%s.%s. #%d" % (first[0], last[0], pieter_tid) in body, "another's participant named"
    assert "Save the advice" not in body, "a practitioner may record advice"
    log = access_log_since(srv, mark, user_id=gp_id, action="view")
    got = {e["trajectory_id"]: (e["grounds"], e["participant_id"]) for e in log}
    assert got.get(TID) == ("consent", PID) and got.get(pieter_tid, ("",))[0] == "review", log
    assert srv.sql("SELECT consent_id FROM access_log WHERE id > ? AND user_id = ? AND trajectory_id = ?",
                   (mark, gp_id, TID))[0][0] == consent
    # the consent withdrawn: initials and the number, although the participant consented to team discussion
    srv.sql("UPDATE consents SET withdrawn_at = 1 WHERE id = ?", (consent,))
    body = unescape(gp.get("/reviews/%d" % rid).body)
    assert "Janssens" not in body and "A.J. #%d" % TID in body, "named without a consent"
    srv.sql("UPDATE consents SET withdrawn_at = NULL WHERE id = ?", (consent,))
    # Pieter (a coach, not An's) still reads the name by the team-discussion consent
    assert "An Janssens" in unescape(pieter.get("/reviews/%d" % rid).body)
    # HR (work side, in An's network) is never a member of a review
    assert_status(client(PARTNER_HR).get("/reviews/%d" % rid), 404, "HR opens the review")


def test_advice_stored_as_coach_note():
    rid = S["rid"]
    iid = srv.sql("SELECT id FROM case_review_items WHERE review_id = ? AND trajectory_id = ?", (rid, TID))[0][0]
    r = client(COACH_PIETER).post("/t/%d/reviews/%d/advice" % (TID, iid), {"advice": "not his"})
    assert_status(r, 404, "another coach records the advice")
    r = client(COACH_SOFIE).post("/t/%d/reviews/%d/advice" % (TID, iid), {"advice": "Plan een driegesprek qz8"})
    assert_status(r, 303, "her coach records the advice")
    note = srv.sql("SELECT i.id, i.kind, i.category, i.author_id, i.source_member_id, i.trajectory_id FROM items i "
                   "JOIN case_review_items c ON c.advice_note_item_id = i.id WHERE c.id = ?", (iid,))
    assert note and note[0][1:] == ("note", "plan", SOFIE, None, TID), note
    body = unescape(client(COACH_SOFIE).get("/t/%d/notes/%d" % (TID, note[0][0])).body)
    assert "Plan een driegesprek qz8" in body, "the advice is not on the trajectory's note"
    assert "Plan een driegesprek qz8" in unescape(client(COACH_SOFIE).get("/reviews/%d" % rid).body)


def test_history_and_team_lead():
    lead = client(LEAD)
    r = lead.get("/reviews")
    assert_status(r, 200, "the team lead's review list")
    body = unescape(r.body)
    assert "Who chaired when" in body and "2026-11-01" in body
    other = srv.sql("SELECT u.name FROM case_reviews r JOIN users u ON u.id = r.chair_user_id WHERE r.id = ?",
                    (S["rid"],))[0][0]
    items = srv.sql("SELECT COUNT(*) FROM case_review_items WHERE review_id = ?", (S["rid"],))[0][0]
    row = re.search(r"<tr><th scope=\"row\">2026-11-01</th><td>([^<]*)</td><td>%d</td></tr>" % items, body)
    assert row and row.group(1) == other, "the history does not show who chaired"
    assert QUESTION not in body and "Janssens" not in body and "A.J." not in body
    assert_status(lead.get("/reviews/%d" % S["rid"]), 403, "a team lead opens an agenda")
    assert 'href="/reviews"' in client(COACH_SOFIE).get("/reviews").body, "no menu item for coaches"


run(srv, globals())
