"""Phones and accessibility in the served HTML (issue 10, parts 10 and 11), for every role that meets them.

- Every data table sits in a box that keyboard users can reach and scroll: a region named like its caption
  with tabindex 0 (axe-core's scrollable-region-focusable), on /team, /log, the administrator's lists, the
  caseload, a trajectory's consents and protocol, and a questionnaire's results.
- Exactly one item of the main menu is marked as the current page (/me/consents and /me/log marked
  "My trajectory" too).
- A single note's page has a heading of level 1: the note's title.
- The network map has a list view (shown instead of the map on a narrow screen) built from the same
  members as the map: the coach's lists both sides, the HR contact's only the work side, never a care member.
- The caseload's search and filters are behind one button (<details>), closed unless a search, status or
  order is chosen.
The browser test tests/browser/crawl.mjs checks the same pages as drawn (axe-core, widths, header height).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_SOFIE, LEAD, PART_AN, PARTNER_HR, Client, Server, assert_status, run,
                     strip_tags, unescape)

LOGOFFICER = "privacy@zorgwerk.example"

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}


def client(email):
    if email not in C:
        C[email] = Client(srv)
        C[email].login(email)
    return C[email]


def page(email, path):
    r = client(email).get(path)
    assert_status(r, 200, "%s GET %s" % (email, path))
    return r.body


def an_trajectory():
    return srv.sql("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                   "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (PART_AN,))[0][0]


def check_tables(where, body):
    """Every table is in a keyboard-reachable region named like its caption; returns the number of tables."""
    tables = re.findall(r"<table\b", body)
    boxes = re.findall(r'<div class="table-wrap"([^>]*)><table\b[^>]*><caption>(.*?)</caption>', body, re.S)
    assert tables, "%s: no table" % where
    assert len(boxes) == len(tables), "%s: %d tables, %d in a table box: %s" % (
        where, len(tables), len(boxes), re.findall(r".{80}<table\b", body))
    for attrs, caption in boxes:
        assert ' role="region"' in attrs and ' tabindex="0"' in attrs, \
            "%s: the box of table %r is not a focusable region: %s" % (where, caption, attrs)
        label = re.search(r' aria-label="([^"]*)"', attrs)
        assert label and label.group(1) == caption, \
            "%s: the box of table %r is named %r" % (where, caption, label and label.group(1))
    return len(tables)


def test_tables_are_keyboard_reachable_regions():
    t = an_trajectory()
    # a questionnaire result for the results pages
    an = client(PART_AN)
    form = an.get("/t/%d/assessments/new?q=work-ability" % t).body
    answers = {name: "0" for name in set(re.findall(r'type="radio" id="[^"]*" name="([^"]+)"', form))}
    assert answers, "no questions on the work-ability form"
    r = an.post("/t/%d/assessments" % t, dict(answers, q="work-ability"))
    assert_status(r, 303, "participant sends the work-ability questionnaire")
    result = r.location.split("?")[0]
    assert re.match(r"^/t/%d/assessments/\d+$" % t, result), r.location
    pages = [(LEAD, "/team"), (LOGOFFICER, "/log"), (ADMIN, "/admin/protocols"), (ADMIN, "/admin/users"),
             (ADMIN, "/admin/orgs"), (COACH_SOFIE, "/caseload"),
             (COACH_SOFIE, "/t/%d/consents" % t), (COACH_SOFIE, "/t/%d/protocol" % t),
             (PART_AN, "/t/%d/consents" % t), (PART_AN, "/t/%d/protocol" % t),
             (PART_AN, "/t/%d/assessments" % t), (PART_AN, result), (PARTNER_HR, "/t/%d/consents" % t)]
    total = 0
    for email, path in pages:
        total += check_tables("%s %s" % (email, path), page(email, path))
    assert total >= 15, "only %d tables on %d pages" % (total, len(pages))


def current_items(body):
    nav = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', body, re.S)
    assert nav, "no main menu"
    return re.findall(r'<a href="([^"]+)" aria-current="page"', nav.group(1))


def test_menu_marks_one_current_item():
    for path in ("/me", "/me/consents", "/me/log"):
        assert current_items(page(PART_AN, path)) == [path], \
            "%s: menu items marked current: %s" % (path, current_items(page(PART_AN, path)))
    assert current_items(page(COACH_SOFIE, "/caseload")) == ["/caseload"]
    assert current_items(page(COACH_SOFIE, "/participants/new")) == ["/participants/new"]


def test_note_page_has_h1():
    t = an_trajectory()
    note = srv.sql("SELECT id, title FROM items WHERE trajectory_id = ? AND kind = 'note' ORDER BY id LIMIT 1", (t,))
    nid, title = note[0]
    for email in (COACH_SOFIE, PART_AN):
        body = page(email, "/t/%d/notes/%d" % (t, nid))
        h1 = re.findall(r"<h1\b[^>]*>(.*?)</h1>", body, re.S)
        assert [unescape(strip_tags(h)) for h in h1] == [title], "%s: the note page's h1s are %r" % (email, h1)


def names_in(fragment):
    return sorted(unescape(n) for n in re.findall(r"<strong>(.*?)</strong>", fragment))


def test_network_list_view_has_the_map_members():
    t = an_trajectory()
    care = sorted(n for (n,) in srv.sql("SELECT name FROM network_members WHERE trajectory_id = ? AND side = 'care' "
                                        "AND removed_at IS NULL", (t,)))
    work = sorted(n for (n,) in srv.sql("SELECT name FROM network_members WHERE trajectory_id = ? AND side = 'work' "
                                        "AND removed_at IS NULL", (t,)))
    assert care and work, "the demo trajectory has members on both sides"
    for email, want in ((COACH_SOFIE, sorted(care + work)), (PART_AN, sorted(care + work)), (PARTNER_HR, work)):
        body = page(email, "/t/%d/network" % t)
        m = re.search(r'<div class="netmap-list">(.*?)</div>\s*<figcaption', body, re.S)
        assert m, "%s: no list view of the network map" % email
        listed = names_in(m.group(1))
        assert listed == want, "%s: the list view names %r, expected %r" % (email, listed, want)
        # the same members as the map draws
        svg = re.search(r"<svg\b.*?</svg>", body, re.S).group(0)
        drawn = re.findall(r'<g class="member" data-side="[a-z]+" data-id="\d+"><title>(.*?) \u2014 ', svg)
        assert sorted(unescape(d) for d in drawn) == want, "%s: the map draws %r" % (email, drawn)
    hr = page(PARTNER_HR, "/t/%d/network" % t)
    for name in care:
        assert name not in unescape(hr), "the HR contact's network page names the care member %s" % name


def filter_box(body):
    m = re.search(r'<details class="filter-box"( open)?><summary>([^<]+)</summary>\s*'
                  r'<form method="get" action="/caseload"', body)
    assert m, "the caseload's filters are not behind one button: %s" % re.findall(r"<form[^>]*>", body)
    return m.group(1) is not None


def test_caseload_filters_behind_one_button():
    assert not filter_box(page(COACH_SOFIE, "/caseload")), "the filters are open on the plain caseload"
    assert not filter_box(page(COACH_SOFIE, "/caseload?phase=intake")), "a phase chip opens the filters"
    assert filter_box(page(COACH_SOFIE, "/caseload?q=Jan")), "a search does not keep the filters open"
    assert filter_box(page(COACH_SOFIE, "/caseload?status=closed")), "a status does not keep the filters open"


run(srv, globals())
