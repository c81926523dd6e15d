"""test_openings.py — openings (issue 13, part 2): jobs and work-experience places of employers, made and changed
by coaches and by the employer's own users (their own employer only), with clear errors and nothing stored on
bad hours or dates; another employer's opening is the not-found page with a "denied" access-log entry."""
from harness import (COACH_SOFIE, LEAD, PART_AN, PARTNER_GP, PARTNER_HR, Server, access_log_mark, access_log_since,
                     assert_status, main_text, org_id, run, sign_in, sign_in_kept, sql_one, user_id)

HR2 = "nadia.verhoeven@hetanker.example"  # HR of Thuiszorg Het Anker

srv = Server()
c = {}


def who(email):
    return sign_in_kept(srv, c, email)


VERBEKE = org_id(srv, "Bouwbedrijf Verbeke NV")
ANKER = org_id(srv, "Thuiszorg Het Anker vzw")
PAKHUIS = org_id(srv, "Brasserie Het Pakhuis")


def count(oid=None):
    if oid is None:
        return sql_one(srv, "SELECT COUNT(*) FROM openings")
    return sql_one(srv, "SELECT COUNT(*) FROM openings WHERE employer_org_id = ?", (oid,))


def good(**changes):
    d = {"title": "Medewerker onthaal", "kind": "job", "work_kind": "administration",
         "tasks": "Bezoekers ontvangen.", "hours_min": "16", "hours_max": "24", "region": "Mechelen",
         "requirements": "Vriendelijk.", "support_1": "1", "support_4": "1", "starts_on": "2027-01-04",
         "ends_on": "2027-06-30"}
    d.update(changes)
    return {k: v for k, v in d.items() if v is not None}


def an_opening_of(oid):
    return sql_one(srv, "SELECT MIN(id) FROM openings WHERE employer_org_id = ?", (oid,))


def test_coach_makes_an_opening():
    sofie = who(COACH_SOFIE)
    r = sofie.get("/employers/%d/openings/new" % PAKHUIS)
    assert_status(r, 200, "the form")
    for label in ("Title", "Kind of work", "Hours a week, at most", "Support possible", "From", "Until"):
        assert label in r.body, label
    n = count(PAKHUIS)
    r = sofie.post("/employers/%d/openings" % PAKHUIS, good(title="Zaalmedewerker lunch", work_kind="hospitality"))
    assert_status(r, 303, "a new opening")
    oid = int(r.location.split("/")[2].split("?")[0])
    assert count(PAKHUIS) == n + 1
    row = srv.sql("SELECT title, kind, work_kind, hours_min, hours_max, support, starts_on, ends_on, status, created_by "
                  "FROM openings WHERE id = ?", (oid,))[0]
    assert row == ("Zaalmedewerker lunch", "job", "hospitality", 16, 24, 5, "2027-01-04", "2027-06-30", "open",
                   user_id(srv, COACH_SOFIE)), row
    text = main_text(sofie.get("/openings/%d" % oid).body)
    for want in ("Zaalmedewerker lunch", "Hospitality", "16–24", "Gradual start, A buddy", "Status: Open",
                 "Brasserie Het Pakhuis"):
        assert want in text, want
    # fixed hours: no minimum
    r = sofie.post("/employers/%d/openings" % PAKHUIS, good(hours_min="", hours_max="60", starts_on="", ends_on=""))
    assert_status(r, 303, "fixed hours, no dates")
    assert srv.sql("SELECT hours_min, hours_max, starts_on, ends_on FROM openings ORDER BY id DESC LIMIT 1")[0] == (
        None, 60, None, None)


def test_bad_input_clear_errors_nothing_stored():
    sofie = who(COACH_SOFIE)
    sofie.get("/employers/%d/openings/new" % PAKHUIS)
    n = count()
    cases = (
        ({"hours_max": "0"}, "Hours a week must be between 1 and 60."),
        ({"hours_max": "61", "hours_min": ""}, "Hours a week must be between 1 and 60."),
        ({"hours_min": "0", "hours_max": "10"}, "Hours a week must be between 1 and 60."),
        ({"hours_min": "", "hours_max": "10"}, None),  # no minimum: fixed hours
        ({"hours_min": "-3"}, "Hours a week must be between 1 and 60."),
        ({"hours_min": "30", "hours_max": "20"}, "The minimum hours a week cannot be more than the maximum."),
        ({"hours_max": "twenty"}, "Give the hours a week as a whole number from 1 to 60."),
        ({"hours_max": ""}, "Hours a week must be between 1 and 60."),
        ({"starts_on": "2027-06-30", "ends_on": "2027-01-04"}, "The end date must be after the start date."),
        ({"starts_on": "2027-06-30", "ends_on": "2027-06-30"}, "The end date must be after the start date."),
        ({"starts_on": "30-06-2027"}, "Give the start date as YYYY-MM-DD."),
        ({"ends_on": "2027-02-30"}, "Give the end date as YYYY-MM-DD."),
        ({"title": ""}, "Give the opening a title."),
        ({"title": "a\nb"}, "Write the title on one line"),
        ({"region": ""}, "Give the place or region of the work."),
        ({"kind": "volunteer"}, "Choose a job or a work-experience place."),
        ({"work_kind": "astronaut"}, "Choose a kind of work."),
    )
    for changes, msg in cases:
        r = sofie.post("/employers/%d/openings" % PAKHUIS, good(**changes))
        if msg is None:
            assert_status(r, 303, str(changes))
            n += 1
            continue
        assert_status(r, 400, str(changes))
        assert msg in r.body, (changes, main_text(r.body)[:400])
        assert count() == n, "nothing stored for %s" % changes
    # the form keeps what was typed
    r = sofie.post("/employers/%d/openings" % PAKHUIS, good(title="Kok", hours_max="99"))
    assert 'value="Kok"' in r.body and 'value="99"' in r.body


def test_employer_user_makes_and_edits_own_openings():
    tom = who(PARTNER_HR)
    tom.get("/employers/%d/openings/new" % VERBEKE)
    n = count(VERBEKE)
    r = tom.post("/employers/%d/openings" % VERBEKE, good(title="Schilder renovatie", work_kind="construction"))
    assert_status(r, 303, "Tom: a new opening of his employer")
    oid = int(r.location.split("/")[2].split("?")[0])
    assert count(VERBEKE) == n + 1
    tom.get("/openings/%d/edit" % oid)
    r = tom.post("/openings/%d/edit" % oid, good(title="Schilder renovatie", work_kind="construction",
                                                   hours_max="32", status="open"))
    assert_status(r, 303, "edit")
    assert srv.sql("SELECT hours_max, updated_by FROM openings WHERE id = ?", (oid,))[0] == (32, user_id(srv, PARTNER_HR))
    r = tom.post("/openings/%d/edit" % oid, good(hours_min="40", hours_max="32", status="open"))
    assert_status(r, 400, "min above max on edit")
    assert sql_one(srv, "SELECT hours_max FROM openings WHERE id = ?", (oid,)) == 32
    r = tom.post("/openings/%d/status" % oid, {"status": "filled"})
    assert_status(r, 303, "filled")
    assert sql_one(srv, "SELECT status FROM openings WHERE id = ?", (oid,)) == "filled"
    assert "Status: Filled" in main_text(tom.get("/openings/%d" % oid).body)
    r = tom.post("/openings/%d/status" % oid, {"status": "gone"})
    assert_status(r, 400, "unknown status")
    assert sql_one(srv, "SELECT status FROM openings WHERE id = ?", (oid,)) == "filled"
    r = tom.post("/openings/%d/status" % oid, {"status": "withdrawn"})
    assert sql_one(srv, "SELECT status FROM openings WHERE id = ?", (oid,)) == "withdrawn"


def test_employer_user_refused_other_employers_openings():
    for email, own, other in ((PARTNER_HR, VERBEKE, ANKER), (HR2, ANKER, VERBEKE)):
        uid = user_id(srv, email)
        cl = who(email)
        op = an_opening_of(other)
        before = srv.sql("SELECT * FROM openings WHERE id = ?", (op,))
        n = count()
        cl.get("/employers/%d" % own)
        for method, path, item, data in (
                ("GET", "/openings/%d" % op, "opening:%d" % op, None),
                ("GET", "/openings/%d/edit" % op, "opening:%d" % op, None),
                ("POST", "/openings/%d/edit" % op, "opening:%d" % op, good(status="open")),
                ("POST", "/openings/%d/status" % op, "opening:%d" % op, {"status": "withdrawn"}),
                ("GET", "/employers/%d/openings/new" % other, "employer:%d" % other, None),
                ("POST", "/employers/%d/openings" % other, "employer:%d" % other, good()),
                ("GET", "/openings/999999", "opening:999999", None)):
            mark = access_log_mark(srv)
            r = cl.get(path) if method == "GET" else cl.post(path, data)
            assert_status(r, 404, "%s %s %s" % (email, method, path))
            denied = access_log_since(srv, mark, user_id=uid, outcome="denied")
            assert [e["item"] for e in denied] == [item], (path, denied)
        assert srv.sql("SELECT * FROM openings WHERE id = ?", (op,)) == before and count() == n, "nothing changed"
        assert_status(cl.get("/openings"), 403, "the list of every opening")


def test_team_lead_reads_only_and_others_none():
    op = an_opening_of(ANKER)
    assert_status(who(LEAD).get("/openings/%d" % op), 200, "team lead reads")
    assert "Edit the opening" not in who(LEAD).get("/openings/%d" % op).body
    assert_status(who(LEAD).get("/openings/%d/edit" % op), 403, "team lead edits not")
    assert_status(who(LEAD).get("/employers/%d/openings/new" % ANKER), 403, "team lead makes none")
    gp = user_id(srv, PARTNER_GP)
    mark = access_log_mark(srv)
    assert_status(who(PARTNER_GP).get("/openings/%d" % op), 404, "a care partner")
    assert [e["item"] for e in access_log_since(srv, mark, user_id=gp, outcome="denied")] == ["opening:%d" % op]
    assert_status(who(PART_AN).get("/openings/%d" % op), 403, "a participant")


def test_openings_list_filters():
    sofie = who(COACH_SOFIE)
    r = sofie.get("/openings?work_kind=green")
    assert_status(r, 200, "openings")
    text = main_text(r.body)
    assert "Groenarbeider" in text and "Medewerker tuinonderhoud" in text and "Tester webapplicaties" not in text
    r = sofie.get("/openings?status=withdrawn")
    text = main_text(r.body)
    assert "Orderpicker dagploeg" in text and "Groenarbeider" not in text
    r = sofie.get("/openings?status=bogus&work_kind=bogus")
    assert_status(r, 200, "unknown filters are ignored")
    assert "Groenarbeider" in main_text(r.body)


run(srv, globals())
