"""The programme of a trajectory (issue 13, part 7): Zorg & Werk or Werk als Beste Zorg is chosen per
trajectory when the participant is registered (the installation's default template's programme
preselected), and the trajectory follows that programme's protocol template. A Werk als Beste Zorg case
speaks of the mediator and the client ("bemiddelaar", "cliënt") on its pages — in the case header, the
overview and the protocol — and never of the coach or the participant on the same screen; a Zorg & Werk case
is unchanged. Werk als Beste Zorg's faster route goes ahead from registration to the search for work or the
placement with a reason kept in the phase history; Zorg & Werk still moves one phase at a time."""
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, Server, access_log_mark, access_log_since, assert_status, form_fields, main_text,
                     run, sign_in, strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "nl"})
nl = sign_in(srv, COACH_SOFIE, lang="nl")
en = sign_in(srv, COACH_SOFIE, lang="en")
TID = {}

# the interface's words for the coach and the participant, per programme (Dutch), as whole words
ZW_WORDS = re.compile(r"(?i)\b(coach|coaches|deelnemer|deelnemers)\b")
WABZ_WORDS = re.compile(r"(?i)(?<![\w-])(bemiddelaar|bemiddelaars|cliënt|cliënten)(?![\w-])")


def one(query, params=()):
    return srv.sql(query, params)[0][0]


def registration(last_name, **over):
    d = {"first_name": "Noor", "last_name": last_name, "birth_date": "1984-03-09", "referred_by": "GGZ-behandelaar",
         "reason": "Wil weer aan het werk.", "start_consent": "Mondeling akkoord in het gesprek.",
         "consent_given": "yes"}
    d.update(over)
    return d


def register(client, data):
    client.get("/participants/new")
    return client.post("/participants/new", data)


def field_error(body, name):
    m = re.search(r'<p class="error-msg" id="e-%s">(.*?)</p>' % re.escape(name), body, re.S)
    return strip_tags(m.group(1)) if m else None


def interface_text(body):
    """What the page's <main> says, without the protocol's step texts (the template's own content, which
    the administrator writes) and the reasons typed by users."""
    body = re.sub(r'<li id="step-\d+">.*?</li>', "", body, flags=re.S)
    body = re.sub(r'<ul id="open-required">.*?</ul>', "", body, flags=re.S)
    return main_text(body)


def test_the_form_offers_both_programmes_with_the_installation_default():
    r = nl.get("/participants/new")
    assert_status(r, 200, "the registration form")
    assert 'for="f-programme"' in r.body and 'id="f-programme"' in r.body, "the programme select has its label"
    assert 'value="zorg_en_werk"' in r.body and 'value="werk_als_beste_zorg"' in r.body
    assert form_fields(r.body).get("programme") == "zorg_en_werk", "the default template is Zorg & Werk"


def test_register_one_trajectory_per_programme():
    for programme, name in (("zorg_en_werk", "Zorgwerk"), ("werk_als_beste_zorg", "Bestezorg")):
        r = register(nl, registration(name, programme=programme))
        assert_status(r, 303, "registered in %s" % programme)
        TID[programme] = int(re.fullmatch(r"/t/(\d+)\?flash=registered", r.location).group(1))
    for programme, tid in TID.items():
        row = srv.sql("SELECT t.programme, pt.approach, pt.programme FROM trajectories t "
                      "JOIN protocol_templates pt ON pt.id = t.protocol_template_id WHERE t.id = ?", (tid,))[0]
        assert row == (programme, programme, programme), row
    # the Werk als Beste Zorg trajectory got that template's steps, the Zorg & Werk one its own
    steps = lambda tid: " ".join(t for (t,) in srv.sql("SELECT text FROM trajectory_steps WHERE trajectory_id = ?",
                                                       (tid,)))
    assert "Bemiddelaar toewijzen" in steps(TID["werk_als_beste_zorg"])
    assert "Bemiddelaar" not in steps(TID["zorg_en_werk"]) and "deelnemer" in steps(TID["zorg_en_werk"])


def test_an_unknown_programme_is_refused_and_nothing_stored():
    n = one("SELECT COUNT(*) FROM trajectories")
    r = register(nl, registration("Onbekend", programme="werk_als_beste_zorg_plus"))
    assert_status(r, 400, "unknown programme")
    assert field_error(r.body, "programme"), "the message stands beside the programme"
    assert form_fields(r.body).get("last_name") == "Onbekend", "the form keeps what was typed"
    assert one("SELECT COUNT(*) FROM trajectories") == n


def test_wabz_pages_speak_of_the_mediator_and_the_client():
    tid = TID["werk_als_beste_zorg"]
    pages = {"overview": "/t/%d" % tid, "protocol": "/t/%d/protocol" % tid}
    for what, path in pages.items():
        r = nl.get(path)
        assert_status(r, 200, what)
        text = interface_text(r.body)
        assert "Toegewezen bemiddelaar" in text, (what, text[:400])
        mixed = ZW_WORDS.findall(text)
        assert not mixed, "%s of a Werk als Beste Zorg case speaks of %s too" % (what, mixed)
    assert "Bemiddelaars" in interface_text(nl.get(pages["overview"]).body), "the overview's heading"
    protocol = interface_text(nl.get(pages["protocol"]).body)
    assert "Gestopt door de cliënt" in protocol, "the closure outcomes speak of the client"
    assert "Werk als Beste Zorg" in protocol, "the protocol page names the programme"
    # in English too
    text = interface_text(en.get(pages["overview"]).body)
    assert "Assigned mediator" in text and "Mediators" in text, text[:400]
    assert not re.search(r"(?i)\b(coach|coaches|participant)\b", text), text


def test_wabz_plan_names_the_mediator_and_the_client():
    tid = TID["werk_als_beste_zorg"]
    day = lambda n: (datetime.date.today() + datetime.timedelta(days=n)).isoformat()
    edit = nl.get("/t/%d/plan/edit" % tid)
    assert_status(edit, 200, "the plan form")
    assert ">De cliënt</option>" in edit.body and ">De bemiddelaar</option>" in edit.body, "the owners to choose"
    plan = {"base_version": "0", "g1_title": "Werk vinden", "g1_specific": "Proefplaatsing in de bakkerij",
            "g1_measurable": "Eerste werkdag", "g1_achievable": "Met jobcoaching", "g1_relevant": "Werk is de zorg",
            "g1_time_bound": day(60),
            "g1a1_text": "Cv bijwerken", "g1a1_owner": "participant", "g1a1_due": day(7), "g1a1_status": "planned",
            "g1a2_text": "Werkgever bezoeken", "g1a2_owner": "coach", "g1a2_due": day(9), "g1a2_status": "planned"}
    assert_status(nl.post("/t/%d/plan" % tid, plan), 303, "the plan's first version")
    for what, path in (("overview", "/t/%d" % tid), ("plan", "/t/%d/plan" % tid)):
        text = interface_text(nl.get(path).body)
        assert "De cliënt" in text and "De bemiddelaar" in text, (what, text)
        assert "Cliënt" in text and "Bemiddelaar" in text, "%s: the plan's confirmations" % what
        assert not ZW_WORDS.findall(text), "%s speaks of %s too" % (what, ZW_WORDS.findall(text))


def test_the_demo_wabz_client_s_case_pages_never_speak_of_the_coach_or_the_participant():
    """every case page of the demo's Werk als Beste Zorg client (Sanne de Graaf: a job profile, a trial
    placement, mediator Pieter de Vries) names the mediator and the client, in headings, labels, options and hints — also the job pages."""
    tid = one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
              "WHERE p.last_name = 'de Graaf'")
    assert one("SELECT programme FROM trajectories WHERE id = ?", (tid,)) == "werk_als_beste_zorg"
    pl = one("SELECT item_id FROM placements WHERE trajectory_id = ?", (tid,))
    nl = sign_in(srv, COACH_PIETER, lang="nl")  # her mediator
    # the Dutch words, and the English ones of messages not translated yet
    zw = re.compile(r"(?i)\b(coach|coaches|deelnemer|deelnemers|participant|participants)\b")
    wabz = re.compile(r"(?i)(?<![\w-])(bemiddelaar|bemiddelaars|cliënt|cliënten|mediator|client)(?![\w-])")
    pages = ["", "/plan", "/consents", "/meetings", "/messages", "/notes", "/placements", "/placements/%d" % pl,
             "/job-profile", "/matches", "/proposals", "/referrals"]
    for sfx in pages:
        r = nl.get("/t/%d%s" % (tid, sfx))
        assert_status(r, 200, sfx)
        text = interface_text(r.body)
        assert not zw.findall(text), "%s speaks of %s" % (sfx or "/", zw.findall(text))
        assert wabz.search(text), "%s names neither the mediator nor the client" % (sfx or "/")
    for sfx, words in (("/consents", "De cliënt"), ("/meetings", "De cliënt"), ("/notes", "De cliënt"),
                       ("/network", "Bemiddelaar")):
        assert words in interface_text(nl.get("/t/%d%s" % (tid, sfx)).body), (sfx, words)
    # the tabs of the job side are there for the mediator
    b = nl.get("/t/%d" % tid).body
    for sfx in ("/job-profile", "/matches", "/proposals", "/placements"):
        assert 'href="/t/%d%s"' % (tid, sfx) in b, sfx


def test_zw_pages_are_unchanged():
    tid = TID["zorg_en_werk"]
    for path in ("/t/%d" % tid, "/t/%d/protocol" % tid):
        text = interface_text(nl.get(path).body)
        assert "Toegewezen coach" in text, text[:400]
        assert not WABZ_WORDS.findall(text), (path, WABZ_WORDS.findall(text))
    protocol = nl.get("/t/%d/protocol" % tid).body
    assert "Gestopt door de deelnemer" in protocol
    assert 'id="go-ahead"' not in protocol, "Zorg & Werk offers no faster route"
    assert "Assigned coach" in en.get("/t/%d" % tid).body


def test_the_faster_route_goes_ahead_to_the_placement_with_a_reason():
    tid = TID["werk_als_beste_zorg"]
    url = "/t/%d/protocol" % tid
    r = nl.get(url)
    assert 'id="go-ahead"' in r.body
    for phase in ("exploration", "action_plan", "follow_up"):
        assert 'name="phase" value="%s"' % phase in r.body, phase
    assert 'name="phase" value="aftercare"' not in r.body, "the route goes as far as the placement"
    # without a reason: refused, nothing moves
    r = nl.post(url + "/phase", {"phase": "follow_up", "move_reason": ""})
    assert_status(r, 400, "going ahead without a reason")
    assert field_error(r.body, "move_reason")
    assert one("SELECT phase FROM trajectories WHERE id = ?", (tid,)) == "registration"
    # not beyond the placement, and never into closure
    for phase in ("aftercare", "closure"):
        r = nl.post(url + "/phase", {"phase": phase, "move_reason": "Snel"})
        assert_status(r, 400, "going ahead to %s" % phase)
    assert one("SELECT phase FROM trajectories WHERE id = ?", (tid,)) == "registration"
    mark = access_log_mark(srv)
    reason = "Cliënt wil direct aan het werk; proefplaatsing bij de bakkerij kan volgende week starten."
    r = nl.post(url + "/phase", {"phase": "follow_up", "move_reason": reason})
    assert_status(r, 303, "going ahead to the placement")
    assert one("SELECT phase FROM trajectories WHERE id = ?", (tid,)) == "follow_up"
    last = srv.sql("SELECT phase, kind, reason FROM phase_history WHERE trajectory_id = ? ORDER BY id DESC LIMIT 1",
                   (tid,))[0]
    assert last == ("follow_up", "forward", reason), last
    logged = access_log_since(srv, mark, trajectory_id=tid, item="trajectory:phase", action="update", outcome="ok")
    assert len(logged) == 1, logged
    page = en.get(url).body
    assert reason in page, "the reason is in the phase history on the page"
    assert page.count("passed over on the faster route") == 4, "intake to action plan were passed over"


def test_zw_still_moves_one_phase_at_a_time():
    tid = TID["zorg_en_werk"]
    url = "/t/%d/protocol" % tid
    nl.get(url)
    r = nl.post(url + "/phase", {"phase": "follow_up", "move_reason": "Snel naar de plaatsing"})
    assert_status(r, 400, "Zorg & Werk going ahead")
    assert one("SELECT phase FROM trajectories WHERE id = ?", (tid,)) == "registration"
    assert one("SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ?", (tid,)) == 1
    r = nl.post(url + "/phase", {"phase": "intake", "move_reason": "Alles gedaan"})
    assert_status(r, 303, "one phase on")
    assert one("SELECT phase FROM trajectories WHERE id = ?", (tid,)) == "intake"


def test_the_installation_default_follows_the_default_template():
    srv.sql("UPDATE protocol_templates SET is_default = 0 WHERE id = 1")
    srv.sql("UPDATE protocol_templates SET is_default = 1 WHERE id = 2")
    try:
        assert form_fields(nl.get("/participants/new").body).get("programme") == "werk_als_beste_zorg"
        data = registration("Standaard")  # no programme sent: the installation's
        r = register(nl, data)
        assert_status(r, 303, "registered without a programme")
        tid = int(re.fullmatch(r"/t/(\d+)\?flash=registered", r.location).group(1))
        assert srv.sql("SELECT programme, protocol_template_id FROM trajectories WHERE id = ?", (tid,))[0] == \
            ("werk_als_beste_zorg", 2)
    finally:
        srv.sql("UPDATE protocol_templates SET is_default = 0 WHERE id = 2")
        srv.sql("UPDATE protocol_templates SET is_default = 1 WHERE id = 1")


run(srv, globals())
