"""Reaching the coach (issue 12, part 5).

- the administrator sets a coach's work phone and work e-mail on the coach's account page; a phone that is no
  phone number, an e-mail address that is none (or carries CR/LF) is refused with 400 and nothing is stored;
- the participant sees the coach's name, work phone and work e-mail on /me as tel: and mailto: links;
- a network member who may open the trajectory (HR) sees them on the trajectory's overview; the participant's
  own phone and e-mail stay for the coach and the participant only.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_SOFIE, PART_AN, PARTNER_HR, assert_status, main_text, participant_trajectory, run,
                     signed_in, user_id)
from harness import Server

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
TID, PID = participant_trajectory(srv, PART_AN)
PHONE, TEL, WORK_MAIL = "+32 9 123 45 67", "tel:+3291234567", "sofie.werk@zorgwerk.example"


def stored():
    return srv.sql("SELECT work_phone, work_email FROM users WHERE email = ?", (COACH_SOFIE,))[0]


def post_contact(phone, email):
    admin = signed_in(srv, C, ADMIN)
    uid = user_id(srv, COACH_SOFIE)
    page = admin.get("/admin/users/%d" % uid)
    assert_status(page, 200, "the coach's account page")
    assert 'name="work_phone"' in page.body and 'name="work_email"' in page.body, "no work contact fields"
    return admin.post("/admin/users/%d/contact" % uid, {"work_phone": phone, "work_email": email})


def test_bad_phone_or_email_is_refused():
    for phone, email, what in (("call me maybe", WORK_MAIL, "a phone without digits"),
                               ("12", WORK_MAIL, "a phone too short"),
                               (PHONE, "not-an-address", "an e-mail without @"),
                               (PHONE, WORK_MAIL + "\r\nBcc: evil@attacker.example", "an e-mail with CR/LF"),
                               (PHONE + "\r\nX: y", WORK_MAIL, "a phone with CR/LF")):
        r = post_contact(phone, email)
        assert_status(r, 400, what)
        assert "not a valid" in main_text(r.body), "no clear message for %s: %s" % (what, main_text(r.body)[:300])
        assert stored() == (None, None), "stored after %s: %r" % (what, stored())


def test_admin_sets_the_work_contact():
    assert_status(post_contact(PHONE, WORK_MAIL), 303, "the administrator saves the work contact")
    assert stored() == (PHONE, WORK_MAIL), stored()
    page = signed_in(srv, C, ADMIN).get("/admin/users/%d" % user_id(srv, COACH_SOFIE))
    assert 'value="%s"' % PHONE in page.body and 'value="%s"' % WORK_MAIL in page.body, "the form forgets them"


def test_participant_sees_the_coach_contact_on_me():
    me = signed_in(srv, C, PART_AN).get("/me")
    assert_status(me, 200, "/me")
    assert 'href="%s"' % TEL in me.body, "no tel: link to the coach on /me"
    assert 'href="mailto:%s"' % WORK_MAIL in me.body, "no mailto: link to the coach on /me"
    text = main_text(me.body)
    assert "Sofie Peeters" in text and PHONE in text and WORK_MAIL in text, text[:800]


def test_hr_sees_the_coach_contact_on_the_overview():
    page = signed_in(srv, C, PARTNER_HR).get("/t/%d" % TID)
    assert_status(page, 200, "HR opens the trajectory")
    assert 'href="%s"' % TEL in page.body and 'href="mailto:%s"' % WORK_MAIL in page.body, \
        "HR does not see the coach's work phone and e-mail: %s" % main_text(page.body)[:800]
    an_mail = srv.sql("SELECT email FROM participants WHERE id = ?", (PID,))[0][0]
    assert not an_mail or an_mail not in page.body, "HR sees the participant's own e-mail address"


def test_clearing_the_contact_removes_the_links():
    assert_status(post_contact("", ""), 303, "the administrator clears the work contact")
    assert stored() == (None, None), stored()
    me = signed_in(srv, C, PART_AN).get("/me")
    assert "tel:" not in me.body and "mailto:%s" % WORK_MAIL not in me.body


run(srv, globals())
