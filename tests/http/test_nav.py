"""The main menu shows a partner only the entries meant for their organisation or side.

- the HR contact of an employer (work side) gets "My organisation" and no "Case reviews";
- the GP (care side, not an employer) gets "Case reviews" (a practitioner can be invited to one) and no
  "My organisation";
- a coach gets "Case reviews" and "Employers", never "My organisation".
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, PARTNER_GP, PARTNER_HR, Server, assert_status, run, sign_in

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})


def menu(email):
    r = sign_in(srv, email).get("/account")
    assert_status(r, 200, "%s's account page" % email)
    m = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', r.body, re.S)
    assert m, "%s: no main menu on the page" % email
    return {href: label for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)', m.group(1))}


def test_employer_user_gets_own_organisation_not_reviews():
    items = menu(PARTNER_HR)
    assert items.get("/my-employer") == "My organisation", items
    assert "/reviews" not in items, "the HR contact is offered case reviews: %s" % items


def test_care_partner_gets_reviews_not_organisation():
    items = menu(PARTNER_GP)
    assert items.get("/reviews") == "Case reviews", items
    assert "/my-employer" not in items, "the GP is offered an employer profile: %s" % items


def test_coach_menu():
    items = menu(COACH_SOFIE)
    assert "/reviews" in items and "/employers" in items, items
    assert "/my-employer" not in items, items


run(srv, globals())
