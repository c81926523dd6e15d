"""The access log as people read it (NEN 7513): the participant's "Who looked at my file" (/me/log) shows
her coach's views of her trajectory and refusals of others, never entries about other participants; the
log officer (second factor required) reviews it with filters on /log, sees the chain status and exports
CSV (/log.csv) with quoted fields and defused formulas; an administrator gets 403; after a row of the log
is changed behind the portal's back, /log shows the broken chain."""
import csv
import io
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, ADMIN, COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, Client, Server, assert_status,
                     form_fields, run, strip_tags, totp_next, unescape)

LO = "lo@x.example"
LO_PASSWORD = "harbour lantern quietly 7513"

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "page_size": "500"})
# the log officer is created with the CLI on the database file while no server runs
srv.stop()
srv.cli("user", "add", LO, "--name", "Log Officer", "--role", "logofficer", "--password-stdin", check=True,
        input=LO_PASSWORD + "\n")
srv.start()

C = {}


def one(query, params=()):
    return srv.sql(query, params)[0][0]


def participant_of(email):
    return one("SELECT p.id FROM participants p JOIN users u ON u.id = p.user_id WHERE u.email = ?", (email,))


def trajectory_of(email):
    return one("SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
               "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (email,))


def rows_of(body):
    """The <tbody> rows of the (only) table on a page, as text."""
    m = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
    return [unescape(strip_tags(tr)) for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)] if m else []


def cards_of(body):
    """The visits on /me/log (one card per person and visit), as text."""
    m = re.search(r'<ul class="visits plain"[^>]*>(.*?)</ul>\s*(?:<p|<nav|</div>)', body, re.S)
    return [unescape(strip_tags(c)) for c in m.group(1).split('<li class="card visit">')[1:]] if m else []


def login_officer():
    """Password, then enrolment in two-step verification (the role demands it): read the secret from the
    enrolment form, answer with a computed code."""
    c = Client(srv)
    c.get("/login")
    r = c.post("/login", {"email": LO, "password": LO_PASSWORD})
    assert_status(r, 303, "log officer password")
    r = c.get("/log")
    assert_status(r, 303, "log officer before the second factor")
    assert r.location == "/account/2fa", r.location
    page = c.get("/account/2fa")
    assert_status(page, 200, "enrolment page")
    secret = form_fields(page.body).get("secret")
    assert secret and re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    r = c.post("/account/2fa", {"secret": secret, "code": totp_next(LO, secret)})
    assert_status(r, 200, "enrolment")
    assert "recovery codes" in r.body.lower()
    return c


def test_sign_in():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, ADMIN, PART_AN, PART_KARIM), C)
    C[LO] = login_officer()


def test_participant_sees_her_coach_and_refusals_only_about_her():
    an_t, karim_t = trajectory_of(PART_AN), trajectory_of(PART_KARIM)
    assert_status(C[COACH_SOFIE].get("/t/%d" % an_t), 200, "coach opens An's trajectory")
    assert_status(C[COACH_SOFIE].get("/t/%d" % karim_t), 200, "coach opens Karim's trajectory")
    assert_status(C[COACH_PIETER].get("/t/%d" % an_t), 404, "another coach is refused")
    assert_status(C[PART_KARIM].get("/t/%d" % an_t), 404, "another participant is refused")
    assert_status(C[PART_KARIM].get("/me"), 200, "Karim's own view")

    r = C[PART_AN].get("/me/log")
    assert_status(r, 200, "/me/log")
    assert "Who looked at my file" in r.body
    rows = cards_of(r.body)
    an = participant_of(PART_AN)
    # one card per person and visit: the coach, Pieter and Karim, each in one visit
    assert len(rows) == one("SELECT COUNT(DISTINCT user_id) FROM access_log WHERE participant_id = ? "
                            "AND user_id <> ?", (an, one("SELECT id FROM users WHERE email = ?", (PART_AN,)))), rows
    coach_views = [t for t in rows if "Sofie Peeters" in t and "looked at" in t and "your trajectory" in t
                   and "your coach" in t]
    assert coach_views, rows
    assert any("Zorg & Werk" in t for t in coach_views), "organisation of the coach"
    assert any("Pieter de Vries" in t and "tried to open, was refused" in t for t in rows), rows
    # another participant's attempt is shown without a name; nothing of Karim's own file appears
    assert any("Another participant" in t and "tried to open, was refused" in t for t in rows), rows
    assert "Karim" not in r.body and "El Amrani" not in r.body
    karim_entries = one("SELECT COUNT(*) FROM access_log WHERE participant_id = ?", (participant_of(PART_KARIM),))
    assert karim_entries >= 2
    # her own view of the page is in the log, with grounds "self"
    last = srv.sql("SELECT item, action, grounds, participant_id FROM access_log ORDER BY id DESC LIMIT 1")[0]
    assert last == ("accesslog", "view", "self", an), last


def test_only_others_filter():
    c = C[PART_AN]
    c.get("/me")  # an entry of her own
    # "only others" is on unless she turns it off (the form sends set=1 with the box unticked)
    everyone = cards_of(c.get("/me/log?set=1").body)
    assert any(t.startswith("You yourself") for t in everyone), everyone
    for path in ("/me/log", "/me/log?others=1", "/me/log?set=1&others=1"):
        r = c.get(path)
        assert_status(r, 200, "only others")
        assert re.search(r'name="others" value="1" checked', r.body), path
        others = cards_of(r.body)
        assert others and len(others) < len(everyone), path
        assert not any(t.startswith("You ") for t in others), others


def test_participant_without_entries_sees_empty_state():
    # Marieke has not been looked at in this test; her coach has not opened her file either
    c = Client(srv)
    c.login("marieke.bakker@mail.example", follow=False)
    r = c.get("/me/log?others=1")
    assert_status(r, 200, "empty /me/log")
    assert "Nobody else has looked at your file yet." in r.body


def test_other_roles_cannot_read_the_log():
    for who in (ADMIN, COACH_SOFIE, PART_AN):
        for path in ("/log", "/log.csv"):
            assert_status(C[who].get(path), 403, "%s %s" % (who, path))
    for who in (ADMIN, COACH_SOFIE, LO):
        assert_status(C[who].get("/me/log"), 403, "%s /me/log" % who)
    anon = Client(srv)
    r = anon.get("/log")
    assert_status(r, 303, "anonymous /log")
    assert r.location.startswith("/login")


def test_officer_sees_entries_and_intact_chain():
    r = C[LO].get("/log")
    assert_status(r, 200, "/log")
    assert "The chain of entries is intact" in r.body
    # the head is sealed outside the database (issue 9): the view names how far
    sealed = int(re.search(r"Sealed up to entry (\d+), with the key kept outside the database", r.body).group(1))
    assert sealed >= 1, sealed
    checked = int(re.search(r"Entries checked: (\d+)", r.body).group(1))
    assert checked >= one("SELECT COUNT(*) FROM access_log") - 1
    rows = rows_of(r.body)
    assert len(rows) >= 5
    assert any("sofie.peeters@zorgwerk.example" in t for t in rows)
    # pseudonymous review: participants by number, never by name
    assert "Janssens" not in r.body and "El Amrani" not in r.body and PART_KARIM not in r.body
    karim = one("SELECT id FROM users WHERE email = ?", (PART_KARIM,))
    assert any(" user %d " % karim in " %s " % t for t in rows), "a participant acting is shown by number"
    last = srv.sql("SELECT item, action, participant_id, user_id FROM access_log ORDER BY id DESC LIMIT 1")[0]
    assert last[:3] == ("accesslog", "search", None), last


def test_officer_filters():
    c = C[LO]
    an_t = trajectory_of(PART_AN)
    r = c.get("/log?email=SOFIE.PEETERS@zorgwerk.example&trajectory=%d&action=view&outcome=ok" % an_t)
    assert_status(r, 200, "filtered /log")
    rows = rows_of(r.body)
    want = one("SELECT COUNT(*) FROM access_log l JOIN users u ON u.id = l.user_id WHERE u.email = ? "
               "AND l.trajectory_id = ? AND l.action = 'view' AND l.outcome = 'ok'", (COACH_SOFIE, an_t))
    assert len(rows) == want > 0, (len(rows), want)
    assert all("sofie.peeters@zorgwerk.example" in t for t in rows)
    r = c.get("/log?outcome=denied")
    assert rows_of(r.body) and all("refused" in t for t in rows_of(r.body))
    r = c.get("/log?from=2000-01-01&to=2000-12-31")
    assert_status(r, 200, "empty period")
    assert "No entries match these filters." in r.body


def test_officer_filter_errors_beside_the_field():
    r = C[LO].get("/log?from=2026-02-30&to=yesterday&participant=abc&action=drop")
    assert_status(r, 400, "invalid filters")
    for field in ("from", "to", "participant", "action"):
        assert 'id="e-%s"' % field in r.body, field
    assert 'value="2026-02-30"' in r.body and 'value="yesterday"' in r.body and 'value="abc"' in r.body
    assert 'role="alert"' in r.body
    r = C[LO].get("/log?from=2026-03-02&to=2026-03-01")
    assert_status(r, 400, "end before start")
    assert 'id="e-to"' in r.body
    assert_status(C[LO].get("/log.csv?from=2026-13-01"), 400, "csv with an invalid date")


def test_csv_export():
    lo_id = one("SELECT id FROM users WHERE email = ?", (LO,))
    formula = '=HYPERLINK("http://evil.example","x")'
    srv.sql("UPDATE users SET name = ? WHERE id = ?", (formula, lo_id))
    try:
        r = C[LO].request("GET", "/log.csv")
    finally:
        srv.sql("UPDATE users SET name = 'Log Officer' WHERE id = ?", (lo_id,))
    assert_status(r, 200, "/log.csv")
    assert r.header("Content-Type") == "text/csv; charset=utf-8", r.header("Content-Type")
    assert re.fullmatch(r'attachment; filename="access-log-\d{8}\.csv"', r.header("Content-Disposition") or "")
    lines = r.body.split("\r\n")
    assert lines[0].startswith('"id","time_utc","user_id","user_name","user_email","role"'), lines[0]
    assert lines[-1] == ""
    for line in lines[1:-1]:
        assert line.startswith('"') and line.endswith('"'), line
    table = list(csv.reader(io.StringIO(r.body, newline="")))
    assert all(len(row) == len(table[0]) for row in table), "every row has every column"
    assert len(table) - 1 == one("SELECT COUNT(*) FROM access_log") - 1  # all rows but the export's own
    # the formula-like name comes out defused, its quotes doubled
    assert '"\'=HYPERLINK(""http://evil.example"",""x"")"' in r.body
    names = {row[3] for row in table[1:]}
    assert "'" + formula in names and formula not in names
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", table[1][1]), table[1][1]
    assert "El Amrani" not in r.body and PART_KARIM not in r.body, "participants by number only"
    last = srv.sql("SELECT item, action, user_id FROM access_log ORDER BY id DESC LIMIT 1")[0]
    assert last == ("accesslog", "export", lo_id), last
    # the same filters as the page
    r = C[LO].request("GET", "/log.csv?email=%s&outcome=denied" % COACH_PIETER)
    table = list(csv.reader(io.StringIO(r.body, newline="")))
    assert len(table) > 1 and all(row[4] == COACH_PIETER and row[12] == "denied" for row in table[1:]), table


def midnight(days):
    """Unix time of 00:00 UTC, days from today."""
    return (int(time.time()) // 86400 + days) * 86400


def day(days):
    return time.strftime("%Y-%m-%d", time.gmtime(midnight(days)))


def pages_by_key(c, query, rel):
    """Follows the pager's rel ("next": older, "prev": newer) links from /log?query; returns the entry ids
    of every page in order, and the number of pages."""
    ids, pages = [], 0
    url = "/log?" + query
    while url and pages < 200:
        r = c.get(url)
        assert_status(r, 200, url)
        ids += [int(i) for i in re.findall(r'<tr><th scope="row">(\d+)</th>', r.body)]
        pages += 1
        m = re.search(r'<a rel="%s" href="([^"]+)"' % rel, r.body)
        url = unescape(m.group(1)) if m else None
    return ids, pages


def test_paging_by_key_shows_every_entry_once():
    """Pages of 5, while every view adds entries at the top: older pages (and back up to the newest), with
    and without filters, hold each matching entry exactly once, and the same entries as the filters in SQL.
    A deep page is reached by key (before=), not by counting past every newer entry."""
    srv.stop()
    srv.sets["page_size"] = "5"
    srv.start()
    try:
        c = C[LO]
        coach = one("SELECT id FROM users WHERE email = ?", (COACH_SOFIE,))
        an_p = participant_of(PART_AN)
        for query, where, params in (
                ("", "1 = 1", ()),
                ("outcome=ok&action=view", "outcome = 'ok' AND action = 'view'", ()),
                ("email=" + COACH_SOFIE, "user_id = ?", (coach,)),
                ("participant=%d" % an_p, "participant_id = ?", (an_p,)),
                # a period is read in time order (then id): the same entries, each once
                ("from=%s&to=%s" % (day(-1), day(1)), "at >= ? AND at < ?", (midnight(-1), midnight(2)))):
            down, pages = pages_by_key(c, query, "next")
            assert pages >= (2 if query else 3), (query, pages)
            top = down[0]
            want = [r[0] for r in srv.sql("SELECT id FROM access_log WHERE id <= ? AND %s ORDER BY at DESC, id DESC"
                                          % where, (top,) + params)]
            assert down == want, (query, "older pages", down, want)
            # back up from the oldest page: the same entries, then the newer ones the walk itself added
            oldest = c.get("/log?%s%sbefore=%d" % (query, "&" if query else "", down[-1] + 1))
            first_up = [int(i) for i in re.findall(r'<tr><th scope="row">(\d+)</th>', oldest.body)]
            assert first_up and first_up[-1] == down[-1], (query, first_up)
            up, _ = pages_by_key(c, "%s%sbefore=%d" % (query, "&" if query else "", down[-1] + 1), "prev")
            up_old = [i for i in up if i <= top]
            assert len(up) == len(set(up)) and sorted(up_old, reverse=True) == want, (query, "newer pages", up)
        # a deep page by key: the entries just below an id, newest first
        mid = down[len(down) // 2]
        r = c.get("/log?before=%d" % mid)
        ids = [int(i) for i in re.findall(r'<tr><th scope="row">(\d+)</th>', r.body)]
        assert ids == list(range(mid - 1, mid - 6, -1)), ids
    finally:
        srv.stop()
        srv.sets["page_size"] = "500"
        srv.start()


def test_tampering_shows_broken_chain():
    target = one("SELECT MIN(id) FROM access_log WHERE action = 'view' AND outcome = 'ok' AND item = 'trajectory'")
    srv.sql("UPDATE access_log SET user_id = ? WHERE id = ?", (one("SELECT id FROM users WHERE email = ?", (ADMIN,)),
                                                              target))
    # the entry lies before the verified checkpoint (the views above moved it on): the view from the
    # checkpoint says how far it checked and when the whole chain was verified; the full one finds it
    r = C[LO].get("/log")
    assert_status(r, 200, "/log after tampering")
    assert "Checked from the verified checkpoint at entry" in r.body, strip_tags(r.body)[:600]
    r = C[LO].get("/log?verify=full")
    assert_status(r, 200, "/log?verify=full after tampering")
    m = re.search(r'<div class="errors" role="alert"><p>([^<]*)</p>', r.body)
    assert m and "broken at entry %d." % target in m.group(1), strip_tags(r.body)[:600]
    assert "intact" not in r.body
    p = srv.cli("audit", "verify")
    assert p.returncode != 0 and str(target) in p.stdout + p.stderr, (p.returncode, p.stdout, p.stderr)


run(srv, globals())
