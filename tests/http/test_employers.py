"""test_employers.py — the employer register (issue 13, part 1): /employers, /employers/{id}, the profile form,
the contact history, /my-employer; an employer's own users see and edit only their own employer, and a refusal
is the not-found page with a "denied" access-log entry."""
import re

from harness import (COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PARTNER_GP, PARTNER_HR, Server, access_log_mark,
                     access_log_since, assert_status, main_text, org_id, run, sign_in, sign_in_kept, sql_one,
                     user_id)

HR2 = "nadia.verhoeven@hetanker.example"  # HR of Thuiszorg Het Anker (the demo's second employer user)

srv = Server()
c = {}


def who(email):
    return sign_in_kept(srv, c, email)


VERBEKE = org_id(srv, "Bouwbedrijf Verbeke NV")
ANKER = org_id(srv, "Thuiszorg Het Anker vzw")
CODEWERF = org_id(srv, "Codewerf BV")


def profile_row(oid):
    return srv.sql("SELECT sector, region, size_band, culture, support, contact_user_id, mediator_user_id, updated_by "
                   "FROM employer_profiles WHERE org_id = ?", (oid,))[0]


def form_of(client, oid, **changes):
    """The profile form's fields as stored for employer oid, with changes."""
    row = profile_row(oid)
    d = {"sector": row[0] or "", "region": row[1] or "", "size_band": row[2] or "", "culture": row[3] or "",
         "contact_user_id": str(row[5] or ""), "mediator_user_id": str(row[6] or ""),
         "work_processes": "", "job_kinds": ""}
    for bit in (1, 2, 4, 8):
        if row[4] & bit:
            d["support_%d" % bit] = "1"
    d.update(changes)
    return {k: v for k, v in d.items() if v is not None}


def test_demo_register_is_believable():
    n = sql_one(srv, "SELECT COUNT(*) FROM organisations o JOIN employer_profiles p ON p.org_id = o.id "
                     "WHERE o.kind = 'employer'")
    assert n >= 12, n
    sectors = {r[0] for r in srv.sql("SELECT sector FROM employer_profiles")}
    assert len(sectors) >= 8, sectors
    per = srv.sql("SELECT employer_org_id, COUNT(*) FROM openings GROUP BY employer_org_id")
    assert len(per) >= 12 and all(1 <= k <= 4 for _, k in per), per
    assert sql_one(srv, "SELECT COUNT(DISTINCT org_id) FROM employer_contacts") >= 12
    # at least one employer user of another employer than Tom Claes's
    assert sql_one(srv, "SELECT org_id FROM users WHERE email = ?", (HR2,)) == ANKER


def test_register_list_and_search():
    r = who(COACH_SOFIE).get("/employers")
    assert_status(r, 200, "the register")
    for name in ("Bouwbedrijf Verbeke NV", "Codewerf BV", "Brasserie Het Pakhuis", "Zorggroep Brabantse Wal"):
        assert name in r.body, name
    assert 'href="/employers"' in r.body and ">Employers<" in r.body  # nav entry
    r = who(COACH_SOFIE).get("/employers?q=breda")  # by region, any case
    text = main_text(r.body)
    assert "Transportbedrijf Van der Linden BV" in text and "Codewerf BV" not in text, text
    r = who(COACH_SOFIE).get("/employers?q=ICT")  # by sector
    assert "Codewerf BV" in main_text(r.body) and "Bouwbedrijf Verbeke" not in main_text(r.body)
    r = who(COACH_SOFIE).get("/employers?q=pakhuis")  # by name
    assert "Brasserie Het Pakhuis" in main_text(r.body) and "Codewerf" not in main_text(r.body)
    r = who(COACH_SOFIE).get("/employers?q=zzzz_nothing")
    assert "No employer matches your search." in r.body
    assert_status(who(LEAD).get("/employers"), 200, "a team lead reads the register")


def test_profile_page_for_coach():
    r = who(COACH_SOFIE).get("/employers/%d" % VERBEKE)
    assert_status(r, 200, "profile")
    text = main_text(r.body)
    for want in ("Bouw", "Mechelen en omgeving", "50 to 249 employees", "Gradual start", "A buddy", "Tom Claes",
                 "Sofie Peeters", "Magazijnier atelier", "Contacts with the employer",
                 "Rondleiding op het atelier", "Edit the profile", "New opening", "Earlier placements"):
        assert want in text, want
    assert "Record a contact" in text
    n = sql_one(srv, "SELECT COUNT(*) FROM placements WHERE employer_org_id = ?", (VERBEKE,))
    assert ("%d placement" % n) in text, n  # earlier placements: a count, no participant


def test_register_is_closed_to_others():
    for email in (PART_AN, PARTNER_GP, PARTNER_HR):
        assert_status(who(email).get("/employers"), 403, "%s: the register" % email)
    # a care partner (whose organisation is no employer) and a participant reach no employer profile
    gp = user_id(srv, PARTNER_GP)
    mark = access_log_mark(srv)
    assert_status(who(PARTNER_GP).get("/employers/%d" % VERBEKE), 404, "GP: an employer's profile")
    denied = access_log_since(srv, mark, user_id=gp, outcome="denied")
    assert [e["item"] for e in denied] == ["employer:%d" % VERBEKE], denied
    assert_status(who(PART_AN).get("/employers/%d" % VERBEKE), 403, "participant: an employer's profile")
    r = who(PARTNER_GP).get("/my-employer")
    assert_status(r, 200, "GP: my organisation")
    assert "not an employer in the register" in r.body


def test_employer_user_sees_own_employer():
    tom = who(PARTNER_HR)
    r = tom.get("/my-employer")
    assert_status(r, 303, "my organisation")
    assert r.location == "/employers/%d" % VERBEKE, r.location
    assert 'href="/my-employer"' in tom.get("/account").body  # nav entry "My organisation"
    r = tom.get("/employers/%d" % VERBEKE)
    assert_status(r, 200, "own employer")
    text = main_text(r.body)
    assert "Magazijnier atelier" in text and "Edit the profile" in text and "New opening" in text
    # the contact history is the mediator's, not the employer's
    assert "Contacts with the employer" not in text and "Rondleiding op het atelier" not in text
    assert "All employers" not in text  # no way into the register


def test_employer_user_refused_other_employer():
    for email, own, other in ((PARTNER_HR, VERBEKE, ANKER), (HR2, ANKER, VERBEKE)):
        uid = user_id(srv, email)
        cl = who(email)
        before = profile_row(other)
        for method, path in (("GET", "/employers/%d" % other), ("GET", "/employers/%d/edit" % other),
                             ("POST", "/employers/%d/edit" % other), ("GET", "/employers/999999")):
            mark = access_log_mark(srv)
            if method == "GET":
                r = cl.get(path)
            else:
                cl.get("/employers/%d/edit" % own)
                r = cl.post(path, form_of(cl, other, culture="Overgenomen door een ander bedrijf"))
            assert_status(r, 404, "%s %s %s" % (email, method, path))
            assert "Verbeke" not in main_text(r.body) or other != VERBEKE
            denied = access_log_since(srv, mark, user_id=uid, outcome="denied")
            assert len(denied) == 1 and denied[0]["item"].startswith("employer:"), (path, denied)
        assert profile_row(other) == before, "nothing stored"
        assert_status(cl.post("/employers/%d/contacts" % own, {"held_on": "2026-01-05", "mode": "visit",
                                                                 "minutes": "30"}), 403, "contacts are ours")


def test_employer_user_edits_own_profile():
    tom = who(PARTNER_HR)
    sofie = user_id(srv, COACH_SOFIE)
    before = profile_row(VERBEKE)
    r = tom.get("/employers/%d/edit" % VERBEKE)
    assert_status(r, 200, "edit form")
    assert 'name="mediator_user_id"' not in r.body, "the mediator is chosen at our side"
    form = form_of(tom, VERBEKE, culture="Familiebedrijf; nieuwe collega's krijgen een vaste peter.",
                   mediator_user_id=str(user_id(srv, COACH_PIETER)))
    form.pop("support_8", None)
    form["support_8"] = "1"
    mark = access_log_mark(srv)
    r = tom.post("/employers/%d/edit" % VERBEKE, form)
    assert_status(r, 303, "save")
    logged = access_log_since(srv, mark, user_id=user_id(srv, PARTNER_HR), item="employer:%d" % VERBEKE)
    assert [(e["action"], e["outcome"], e["participant_id"]) for e in logged] == [("update", "ok", None)], logged
    after = profile_row(VERBEKE)
    assert after[3] == "Familiebedrijf; nieuwe collega's krijgen een vaste peter.", after
    assert after[4] & 8 and after[4] == before[4] | 8, after
    assert after[6] == before[6] == sofie, "the employer cannot change the mediator"
    assert after[7] == user_id(srv, PARTNER_HR), "who changed it is recorded"
    text = main_text(tom.get("/employers/%d" % VERBEKE).body)
    assert "Last changed by Tom Claes" in text and "Flexible hours" in text
    # the contact person must be a person of this employer
    r = tom.post("/employers/%d/edit" % VERBEKE, form_of(tom, VERBEKE, contact_user_id=str(user_id(srv, HR2))))
    assert_status(r, 400, "a contact person of another employer")
    assert "Choose a person of this employer." in r.body
    assert profile_row(VERBEKE) == after


def test_coach_edits_profile_with_validation():
    sofie = who(COACH_SOFIE)
    pieter = user_id(srv, COACH_PIETER)
    sofie.get("/employers/%d/edit" % CODEWERF)
    before = profile_row(CODEWERF)
    for changes, msg in (({"size_band": "huge"}, "Choose a size."),
                         ({"region": "Leuven\nBrussel"}, "Write this on one line."),
                         ({"sector": "x" * 121}, "This is too long"),
                         ({"mediator_user_id": str(user_id(srv, PARTNER_HR))}, "Choose a coach as mediator."),
                         ({"contact_user_id": str(user_id(srv, PARTNER_HR))}, "Choose a person of this employer."),
                         ({"contact_user_id": "abc"}, "Choose a person of this employer.")):
        r = sofie.post("/employers/%d/edit" % CODEWERF, form_of(sofie, CODEWERF, **changes))
        assert_status(r, 400, str(changes))
        assert msg in r.body, (changes, main_text(r.body))
        assert profile_row(CODEWERF) == before
    r = sofie.post("/employers/%d/edit" % CODEWERF, form_of(sofie, CODEWERF, size_band="50-249",
                                                            mediator_user_id=str(pieter)))
    assert_status(r, 303, "save")
    after = profile_row(CODEWERF)
    assert after[2] == "50-249" and after[6] == pieter and after[7] == user_id(srv, COACH_SOFIE), after
    assert_status(who(LEAD).get("/employers/%d/edit" % CODEWERF), 403, "a team lead reads only")


def test_contact_history():
    sofie = who(COACH_SOFIE)
    sofie.get("/employers/%d" % CODEWERF)
    count = lambda: sql_one(srv, "SELECT COUNT(*) FROM employer_contacts WHERE org_id = ?", (CODEWERF,))
    n0 = count()
    for form, msg in (({"held_on": "2026-13-01", "mode": "visit", "minutes": "30"}, "Give the date as YYYY-MM-DD."),
                      ({"held_on": "2199-01-01", "mode": "visit", "minutes": "30"}, "cannot be in the future"),
                      ({"held_on": "2026-01-05", "mode": "fax", "minutes": "30"}, "Choose how the contact was held."),
                      ({"held_on": "2026-01-05", "mode": "phone", "minutes": "0"}, "from 1 to 1440"),
                      ({"held_on": "2026-01-05", "mode": "phone", "minutes": "2000"}, "from 1 to 1440"),
                      ({"held_on": "2026-01-05", "mode": "phone", "minutes": "ten"}, "from 1 to 1440")):
        r = sofie.post("/employers/%d/contacts" % CODEWERF, form)
        assert_status(r, 400, str(form))
        assert msg in r.body, (form, main_text(r.body))
    assert count() == n0, "nothing stored"
    r = sofie.post("/employers/%d/contacts" % CODEWERF, {"held_on": "2026-01-05", "mode": "info_session",
                                                         "minutes": "75", "note": "Infosessie <b>voor</b> het team"})
    assert_status(r, 303, "a contact")
    assert count() == n0 + 1
    row = srv.sql("SELECT held_on, mode, minutes, by_user_id FROM employer_contacts WHERE org_id = ? "
                  "ORDER BY id DESC LIMIT 1", (CODEWERF,))[0]
    assert row == ("2026-01-05", "info_session", 75, user_id(srv, COACH_SOFIE)), row
    body = sofie.get("/employers/%d" % CODEWERF).body
    assert "Information session" in body and "Infosessie &lt;b&gt;voor&lt;/b&gt; het team" in body
    # a team lead reads the history but cannot add to it
    assert "Infosessie" in who(LEAD).get("/employers/%d" % CODEWERF).body
    assert_status(who(LEAD).post("/employers/%d/contacts" % CODEWERF, {"held_on": "2026-01-05", "mode": "phone",
                                                                        "minutes": "5"}), 403, "team lead")


run(srv, globals())
