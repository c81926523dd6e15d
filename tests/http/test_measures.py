"""The knowledge base of measures (/measures): every signed-in role reads the published articles (also
filtered by audience, in English and in Dutch) without an access-log entry; only the administrator creates,
edits, unpublishes and publishes (other roles get 403 before the handler, and nothing changes); an
unpublished article is the not-found page for everybody else; refused forms keep the typed text (400, a
duplicate short name 409); Markdown with raw HTML or a script is shown as text. The action plan shows an
action's measure as a link to its article (plan page, version page, comparison), offers the published
articles in its form, refuses a slug that is no published article (400, the typed value kept) and keeps a
stored slug without an article when the plan is saved again."""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in, sign_in_all, ADMIN, COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server,
                     assert_status, form_fields, run, strip_tags)

LOGOFFICER = "privacy@zorgwerk.example"
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
NOT_FOUND = "This page does not exist, or you have no access to it."
READERS = (COACH_SOFIE, COACH_PIETER, LEAD, LOGOFFICER, PART_AN, PARTNER_HR, PARTNER_GP, ADMIN)
NOT_ADMIN = (COACH_SOFIE, LEAD, LOGOFFICER, PART_AN, PARTNER_HR, PARTNER_GP)
SEEDED = ("gradual-return", "workplace-adjustments", "trial-placement", "job-coaching", "sharing-with-employer",
          "staying-in-touch", "support-flanders", "support-netherlands")
A = {}  # short name -> id of articles made here


def one(query, params=()):
    return srv.sql(query, params)[0][0]


def uid(email):
    return one("SELECT id FROM users WHERE email = ?", (email,))


def measure_id(slug):
    return one("SELECT id FROM measures WHERE slug = ?", (slug,))


def article(**over):
    f = {"slug": "sick-leave-letter", "audience": "employer", "title_nl": "Een brief bij ziekteverzuim",
         "body_nl": "## Wat erin staat\n\nEen korte, vriendelijke brief.", "title_en": "A letter during sick leave",
         "body_en": "## What is in it\n\nA short, friendly letter.", "published": "1"}
    f.update(over)
    return {k: v for k, v in f.items() if v is not None}


def test_sign_in():
    sign_in_all(srv, READERS, C)
    C["nl"] = sign_in(srv, PART_AN, lang="nl")


def test_seeded_articles():
    rows = srv.sql("SELECT slug, audience, published, title_en IS NOT NULL, body_en IS NOT NULL FROM measures "
                   "ORDER BY id")
    assert [r[0] for r in rows] == list(SEEDED), rows
    assert all(r[2] == 1 and r[3] == 1 and r[4] == 1 for r in rows), rows
    assert {r[1] for r in rows} == {"both", "participant", "employer"}


def test_every_role_reads_published_articles():
    before = one("SELECT COUNT(*) FROM access_log")
    for who in READERS:
        c = C[who]
        r = c.get("/measures")
        assert_status(r, 200, "%s: the list" % who)
        for slug in SEEDED:
            assert 'href="/measures/%s"' % slug in r.body, (who, slug)
        assert ('href="/measures/new"' in r.body) == (who == ADMIN), who
        r = c.get("/measures/gradual-return")
        assert_status(r, 200, "%s: an article" % who)
        assert "<h1>Gradual return to work</h1>" in r.body
        assert "<h2>In Flanders: progressive work resumption</h2>" in r.body, "Markdown is rendered"
        assert ('/measures/%d/edit' % measure_id("gradual-return") in r.body) == (who == ADMIN), who
    assert one("SELECT COUNT(*) FROM access_log") == before, "articles are not case information: no log entry"
    # in Dutch
    r = C["nl"].get("/measures/gradual-return")
    assert_status(r, 200, "Dutch article")
    assert "<h1>Geleidelijk terug aan het werk</h1>" in r.body and "gedeeltelijke werkhervatting" in r.body
    # unknown and malformed slugs are the not-found page
    for path in ("/measures/no-such-article", "/measures/Gradual-Return", "/measures/gradual-return/",
                 "/measures/a/b", "/measures/9", "/measures/-x"):
        r = C[COACH_SOFIE].get(path)
        assert_status(r, 404, path)
        assert NOT_FOUND in r.body


def test_filter_by_audience():
    c = C[PART_AN]
    r = c.get("/measures?audience=employer")
    assert_status(r, 200, "employer filter")
    assert "/measures/staying-in-touch" in r.body and "/measures/gradual-return" in r.body
    assert "/measures/sharing-with-employer" not in r.body
    assert re.search(r'href="/measures\?audience=employer" aria-current="page"', r.body)
    r = c.get("/measures?audience=participant")
    assert "/measures/sharing-with-employer" in r.body and "/measures/staying-in-touch" not in r.body
    r = c.get("/measures?audience=<script>")
    assert_status(r, 200, "an unknown audience shows all")
    assert "/measures/sharing-with-employer" in r.body and "/measures/staying-in-touch" in r.body
    assert "<script>" not in r.body


def test_others_cannot_write():
    before = srv.sql("SELECT * FROM measures ORDER BY id")
    gid = measure_id("gradual-return")
    for who in NOT_ADMIN:
        c = C[who]
        for path in ("/measures/new", "/measures/%d/edit" % gid):
            assert_status(c.get(path), 403, "%s GET %s" % (who, path))
        c.refresh_csrf()
        for path, data in (("/measures/new", article(slug="by-%d" % uid(who))),
                           ("/measures/%d/edit" % gid, article(slug="gradual-return", title_nl="Gekaapt")),
                           ("/measures/%d/unpublish" % gid, {}), ("/measures/%d/publish" % gid, {})):
            r = c.post(path, data)
            assert_status(r, 403, "%s POST %s" % (who, path))
    assert srv.sql("SELECT * FROM measures ORDER BY id") == before, "nothing changed"


def test_validation_keeps_typed_text():
    c = C[ADMIN]
    assert_status(c.get("/measures/new"), 200, "the form")
    before = one("SELECT COUNT(*) FROM measures")
    r = c.post("/measures/new", {"slug": "", "audience": "", "title_nl": "", "body_nl": ""})
    assert_status(r, 400, "empty form")
    for field in ("slug", "audience", "title_nl", "body_nl"):
        assert 'id="e-%s"' % field in r.body, field
    assert 'role="alert"' in r.body
    r = c.post("/measures/new", article(slug="Bad Slug!", title_nl="Mijn <getypte> titel",
                                        body_nl="Tekst die blijft\nover twee regels"))
    assert_status(r, 400, "a bad short name")
    assert 'id="e-slug"' in r.body and 'id="e-title_nl"' not in r.body
    f = form_fields(r.body)
    assert f["slug"] == "Bad Slug!" and f["title_nl"] == "Mijn <getypte> titel", f
    assert f["body_nl"] == "Tekst die blijft\nover twee regels" and f["audience"] == "employer", f
    assert f["title_en"] == "A letter during sick leave"
    r = c.post("/measures/new", article(slug="new"))
    assert_status(r, 400, "the reserved short name")
    r = c.post("/measures/new", article(body_en=""))
    assert_status(r, 400, "English title without English text")
    assert 'id="e-body_en"' in r.body
    assert form_fields(r.body)["title_en"] == "A letter during sick leave"
    r = c.post("/measures/new", article(title_nl="x" * 201))
    assert_status(r, 400, "a title that is too long")
    r = c.post("/measures/new", article(audience="everybody"))
    assert_status(r, 400, "an unknown audience")
    assert one("SELECT COUNT(*) FROM measures") == before, "nothing saved"


def test_admin_creates_and_duplicate_is_409():
    c = C[ADMIN]
    c.get("/measures/new")
    r = c.post("/measures/new", article())
    assert_status(r, 303, "create")
    assert r.location.startswith("/measures/sick-leave-letter"), r.location
    row = srv.sql("SELECT id, audience, published, updated_by FROM measures WHERE slug = 'sick-leave-letter'")[0]
    A["letter"] = row[0]
    assert row[1:] == ("employer", 1, uid(ADMIN)), row
    r = c.follow(r)
    assert_status(r, 200, "the new article")
    assert "<h1>A letter during sick leave</h1>" in r.body and "Created." in r.body
    assert "/measures/sick-leave-letter" in C[PARTNER_HR].get("/measures?audience=employer").body
    # the same short name again: 409, what was typed is kept
    r = c.post("/measures/new", article(title_nl="Tweede brief, zelfde naam", body_en="Typed English body"))
    assert_status(r, 409, "duplicate short name")
    assert 'id="e-slug"' in r.body and "already an article with this short name" in r.body
    f = form_fields(r.body)
    assert f["title_nl"] == "Tweede brief, zelfde naam" and f["body_en"] == "Typed English body", f
    assert one("SELECT COUNT(*) FROM measures WHERE slug = 'sick-leave-letter'") == 1


def test_admin_edits():
    c = C[ADMIN]
    r = c.get("/measures/%d/edit" % A["letter"])
    assert_status(r, 200, "edit form")
    f = {k: v for k, v in form_fields(r.body).items() if k != "_csrf"}
    assert f["slug"] == "sick-leave-letter" and f["published"] == "1", f
    f.update(title_en="A letter while someone is off sick", body_en="A **short** letter.\n\n- kind\n- clear")
    r = c.post("/measures/%d/edit" % A["letter"], f)
    assert_status(r, 303, "save")
    r = c.follow(r)
    assert "<h1>A letter while someone is off sick</h1>" in r.body and "<strong>short</strong>" in r.body
    assert "<li>kind</li>" in r.body
    # a validation error keeps the typed text; another article's short name is 409
    r = c.post("/measures/%d/edit" % A["letter"], dict(f, title_nl="", body_en="Kept while refused"))
    assert_status(r, 400, "edit without a Dutch title")
    assert form_fields(r.body)["body_en"] == "Kept while refused"
    r = c.post("/measures/%d/edit" % A["letter"], dict(f, slug="job-coaching", title_en="Typed title"))
    assert_status(r, 409, "edit to another article's short name")
    assert 'id="e-slug"' in r.body and form_fields(r.body)["title_en"] == "Typed title"
    assert one("SELECT title_en FROM measures WHERE id = ?", (A["letter"],)) == "A letter while someone is off sick"
    assert_status(c.get("/measures/999999/edit"), 404, "edit a missing article")
    assert_status(c.post("/measures/999999/edit", f), 404, "save a missing article")


def test_unpublish_and_publish():
    c, coach = C[ADMIN], C[COACH_SOFIE]
    r = c.get("/measures/sick-leave-letter")
    assert 'action="/measures/%d/unpublish"' % A["letter"] in r.body
    assert '<button type="submit" class="danger">Unpublish</button>' in r.body
    r = c.post("/measures/%d/unpublish" % A["letter"], {})
    assert_status(r, 303, "unpublish")
    assert one("SELECT published FROM measures WHERE id = ?", (A["letter"],)) == 0
    r = coach.get("/measures/sick-leave-letter")
    assert_status(r, 404, "a coach opens an unpublished article")
    assert NOT_FOUND in r.body and "off sick" not in r.body
    assert "sick-leave-letter" not in coach.get("/measures").body
    assert_status(C[PART_AN].get("/measures/sick-leave-letter"), 404, "a participant too")
    r = c.get("/measures/sick-leave-letter")
    assert_status(r, 200, "the administrator still sees it")
    assert "Not published" in r.body and 'action="/measures/%d/publish"' % A["letter"] in r.body
    assert "Not published" in c.get("/measures").body
    r = c.post("/measures/%d/publish" % A["letter"], {})
    assert_status(r, 303, "publish again")
    assert_status(coach.get("/measures/sick-leave-letter"), 200, "published again")
    assert_status(c.post("/measures/999999/unpublish", {}), 404, "unpublish a missing article")


def test_dutch_only_article_for_english_readers():
    c = C[ADMIN]
    c.get("/measures/new")
    r = c.post("/measures/new", article(slug="alleen-nederlands", title_nl="Alleen in het Nederlands",
                                        body_nl="Deze tekst is er alleen in het Nederlands.", title_en="", body_en=""))
    assert_status(r, 303, "Dutch only")
    assert srv.sql("SELECT title_en, body_en FROM measures WHERE slug = 'alleen-nederlands'") == [(None, None)]
    r = C[COACH_SOFIE].get("/measures/alleen-nederlands")
    assert_status(r, 200, "Dutch text for an English reader")
    assert '<h1 lang="nl">Alleen in het Nederlands</h1>' in r.body
    assert "not available in English yet" in r.body
    assert '<a href="/measures/alleen-nederlands" lang="nl">' in C[COACH_SOFIE].get("/measures").body


def test_markup_is_text():
    c = C[ADMIN]
    c.get("/measures/new")
    body = ("<script>alert(1)</script>\n\n<b>bold</b> <img src=x onerror=alert(2)>\n\n"
            "[click](javascript:alert(3)) and [home](/measures)")
    r = c.post("/measures/new", article(slug="hostile-markup", title_nl="<i>Titel</i>", body_nl=body,
                                        title_en="<i>Title</i>", body_en=body))
    assert_status(r, 303, "an article with markup")
    for who in (ADMIN, PART_AN):
        r = C[who].get("/measures/hostile-markup")
        assert_status(r, 200, "%s reads it" % who)
        assert "<script>alert(1)" not in r.body and "&lt;script&gt;alert(1)" in r.body
        assert "<b>bold</b>" not in r.body and "<img src=x" not in r.body and "<i>Title</i>" not in r.body
        assert "&lt;i&gt;Title&lt;/i&gt;" in r.body
        assert "javascript:" not in r.body.lower() and 'href="/measures"' in r.body
    assert "<i>Title</i>" not in C[PART_AN].get("/measures").body


# ---------------------------------------------------------------- the action plan

TID = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
          "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))
STARTED = one("SELECT started_on FROM trajectories WHERE id = ?", (TID,))
KOEN = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
           "WHERE p.last_name = 'Pauwels'")


def day_after_start(n):
    return (datetime.date.fromisoformat(STARTED) + datetime.timedelta(days=n)).isoformat()


def plan_fields(measure, **over):
    f = {"g1_title": "Back on the planning desk", "g1_specific": "Work 4 hours a day",
         "g1_measurable": "Hours in the timesheet", "g1_achievable": "Agreed with HR",
         "g1_relevant": "First step back", "g1_time_bound": day_after_start(90),
         "g1a1_text": "Arrange a job coach", "g1a1_owner": "coach", "g1a1_due": day_after_start(30),
         "g1a1_status": "planned", "g1a1_measure": measure,
         "g1a2_text": "Keep a diary", "g1a2_owner": "participant", "g1a2_due": day_after_start(20),
         "g1a2_status": "planned", "g1a2_measure": ""}
    f.update(over)
    return f


def post_plan(c, fields, base):
    return c.post("/t/%d/plan" % TID, dict(fields, base_version=str(base)))


def latest_item(tid=TID):
    return one("SELECT item_id FROM plan_versions WHERE trajectory_id = ? ORDER BY version DESC LIMIT 1", (tid,))


def stored_measures(item):
    return [r[0] for r in srv.sql("SELECT a.measure_slug FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                                  "WHERE g.version_item_id = ? ORDER BY g.position, a.position", (item,))]


def test_demo_plan_links_to_articles():
    r = C[COACH_SOFIE].get("/t/%d/plan" % KOEN)
    assert_status(r, 200, "Koen's plan")
    assert '<a href="/measures/gradual-return">Gradual return to work</a>' in r.body, strip_tags(r.body)[:2000]
    assert '<a href="/measures/job-coaching">Job coaching after placement</a>' in r.body


def test_plan_form_offers_published_articles():
    c = C[COACH_SOFIE]
    r = c.get("/t/%d/plan/edit" % TID)
    assert_status(r, 200, "edit form")
    sel = re.search(r'<select[^>]*name="g1a1_measure"[^>]*>(.*?)</select>', r.body, re.S)
    assert sel, "the measure is a select"
    values = re.findall(r'<option value="([^"]*)"', sel.group(1))
    assert values[0] == "" and "gradual-return" in values and "sick-leave-letter" in values, values
    assert '<option value="job-coaching">Job coaching after placement</option>' in sel.group(1)
    # an unpublished article is not offered
    C[ADMIN].refresh_csrf()
    assert_status(C[ADMIN].post("/measures/%d/unpublish" % A["letter"], {}), 303)
    sel = re.search(r'<select[^>]*name="g1a1_measure"[^>]*>(.*?)</select>', c.get("/t/%d/plan/edit" % TID).body, re.S)
    assert "sick-leave-letter" not in sel.group(1)


def test_unknown_slug_is_refused_and_kept():
    c = C[COACH_SOFIE]
    c.get("/t/%d/plan/edit" % TID)
    before = one("SELECT COUNT(*) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    base = before
    for slug in ("no-such-measure", "sick-leave-letter", "<b>x</b>"):
        r = post_plan(c, plan_fields(slug), base)
        assert_status(r, 400, "measure %s" % slug)
        assert 'id="e-g1a1_measure"' in r.body and "not a published article" in r.body
        f = form_fields(r.body)
        assert f["g1a1_measure"] == slug and f["g1a1_text"] == "Arrange a job coach", f
        assert f["g1_title"] == "Back on the planning desk"
        assert "<b>x</b>" not in r.body
    assert one("SELECT COUNT(*) FROM plan_versions WHERE trajectory_id = ?", (TID,)) == before, "nothing saved"


def test_plan_links_measure_to_article():
    c = C[COACH_SOFIE]
    c.get("/t/%d/plan/edit" % TID)
    base = one("SELECT COUNT(*) FROM plan_versions WHERE trajectory_id = ?", (TID,))
    data = plan_fields("job-coaching")
    if base:
        data["reason"] = "Measures from the knowledge base"
    r = post_plan(c, data, base)
    assert_status(r, 303, "a plan with a measure")
    item = latest_item()
    assert stored_measures(item) == ["job-coaching", None]
    for who in (COACH_SOFIE, PART_AN):
        r = C[who].get("/t/%d/plan" % TID)
        assert_status(r, 200, "%s: plan page" % who)
        assert '<a href="/measures/job-coaching">Job coaching after placement</a>' in r.body
        r = C[who].get("/t/%d/plan/%d" % (TID, item))
        assert '<a href="/measures/job-coaching">Job coaching after placement</a>' in r.body, "the version page"
    # in Dutch, the Dutch title
    assert '<a href="/measures/job-coaching">Jobcoaching na plaatsing</a>' in C["nl"].get("/t/%d/plan" % TID).body
    # a new version with another measure: the comparison links both
    r = post_plan(c, plan_fields("trial-placement", reason="A trial placement instead"), base + 1)
    assert_status(r, 303, "version with another measure")
    r = c.get("/t/%d/plan/%d?compare=1" % (TID, latest_item()))
    assert_status(r, 200, "comparison")
    assert re.search(r'<del><span class="visually-hidden">Removed: </span><a href="/measures/job-coaching">'
                     r'Job coaching after placement</a></del>', r.body), r.body
    assert re.search(r'<ins><span class="visually-hidden">Added: </span><a href="/measures/trial-placement">'
                     r'Trial placement</a></ins>', r.body)


def test_stored_slug_without_article_survives():
    c = C[COACH_SOFIE]
    item = latest_item()
    # a slug saved before the knowledge base existed, and an article that was unpublished since
    srv.sql("UPDATE plan_actions SET measure_slug = 'legacy-measure' WHERE position = 1 AND goal_id = "
            "(SELECT id FROM plan_goals WHERE version_item_id = ? AND position = 1)", (item,))
    srv.sql("UPDATE plan_actions SET measure_slug = 'sick-leave-letter' WHERE position = 2 AND goal_id = "
            "(SELECT id FROM plan_goals WHERE version_item_id = ? AND position = 1)", (item,))
    r = c.get("/t/%d/plan" % TID)
    assert '<td data-label="Measure">legacy-measure</td>' in r.body and 'href="/measures/legacy-measure"' not in r.body
    assert '<td data-label="Measure">sick-leave-letter</td>' in r.body and 'href="/measures/sick-leave-letter"' not in r.body
    r = c.get("/t/%d/plan/edit" % TID)
    f = {k: v for k, v in form_fields(r.body).items() if k != "_csrf"}
    assert f["g1a1_measure"] == "legacy-measure" and f["g1a2_measure"] == "sick-leave-letter", f
    assert "legacy-measure (no published article)" in r.body
    f["reason"] = "Saved again unchanged"
    r = c.post("/t/%d/plan" % TID, f)
    assert_status(r, 303, "save again with the stored slugs")
    assert latest_item() != item
    assert stored_measures(latest_item()) == ["legacy-measure", "sick-leave-letter"]
    # but a slug the edited version does not hold is still refused
    f = {k: v for k, v in form_fields(c.get("/t/%d/plan/edit" % TID).body).items() if k != "_csrf"}
    f.update(reason="Another slug", g1a2_measure="other-legacy")
    r = c.post("/t/%d/plan" % TID, f)
    assert_status(r, 400, "a slug that is neither published nor stored")
    assert form_fields(r.body)["g1a2_measure"] == "other-legacy"


run(srv, globals())
