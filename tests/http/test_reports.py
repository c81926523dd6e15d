#!/usr/bin/env python3
"""Outcome reports (/reports, issue 14): who may open them, the figures against an independent computation
over the database (the demo, then a generated year of a programme), small cells never shown on any
selection the form allows (nor worked out by subtracting one report from another, or the shown cells from a
total), the CSV of every table (RFC 4180, formula-safe), the charts' accessibility and the access log."""
import csv
import io
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, LEAD, PART_AN, Client, Server, access_log_mark, access_log_since,
                     demo_programme, run, signed_in, strip_tags, unescape, user_id)

PROGRAMME = "rik.vanacker@zorgwerk.example"
K = 5
HIDDEN = "fewer than 5"
OUTCOMES = ["kept_own_job", "returned_own_job", "other_function_same_employer", "new_employer", "career_guidance",
            "specialised_care", "no_work_prospect", "stopped_by_participant"]
WORKS = set(OUTCOMES[:4])

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}


def client(email):
    return signed_in(srv, C, email, lang=None)


# ---------------------------------------------------------------- reading the page

def tables(body):
    """{table id: {"rows": {label: [cells]}, "total": [cells] or None, "cols": [headers]}} of a report page."""
    out = {}
    for m in re.finditer(r'<section class="report-table" id="report-([a-z]+)">(.*?)</section>', body, re.S):
        tid, sec = m.group(1), m.group(2)
        cols = [unescape(strip_tags(h)) for h in re.findall(r'<th scope="col">(.*?)</th>', sec, re.S)][1:]
        rows, total = {}, None
        for part, rx in (("body", r"<tbody>(.*?)</tbody>"), ("foot", r"<tfoot>(.*?)</tfoot>")):
            pm = re.search(rx, sec, re.S)
            if not pm:
                continue
            for tr in re.findall(r"<tr>(.*?)</tr>", pm.group(1), re.S):
                label = unescape(strip_tags(re.search(r'<th scope="row">(.*?)</th>', tr, re.S).group(1)))
                cells = [unescape(strip_tags(td)).strip() for td in re.findall(r"<td>(.*?)</td>", tr, re.S)]
                if part == "body":
                    rows[label] = cells
                else:
                    total = cells
        out[tid] = {"rows": rows, "total": total, "cols": cols, "html": sec}
    return out


def get_tables(c, query, status=200):
    r = c.request("GET", "/reports" + query, check_html=False)
    assert r.status == status, "%s -> %d" % (query, r.status)
    return tables(r.body) if status == 200 else None


# ---------------------------------------------------------------- the independent computation

def facts():
    """One dict per trajectory, from the database, by the definitions of the report (README)."""
    rows = srv.sql(
        "SELECT t.id, t.started_on, t.closed_on, t.status, t.phase, t.outcome, "
        "(SELECT MIN(user_id) FROM trajectory_coaches c WHERE c.trajectory_id = t.id) AS coach, "
        "(SELECT MIN(entered_on) FROM phase_history h WHERE h.trajectory_id = t.id AND h.phase <> 'registration') "
        "FROM trajectories t")
    team_of = dict(srv.sql("SELECT id, org_id FROM users"))
    checkins = {}
    for tid, months, status in srv.sql("SELECT r.trajectory_id, f.months, r.work_status FROM checkin_results r "
                                       "JOIN followups f ON f.item_id = r.followup_id"):
        checkins[(tid, months)] = status != "not_working"
    out = []
    for tid, started_on, closed_on, status, phase, outcome, coach, moved in rows:
        started = moved or (started_on if phase != "registration" else None)
        out.append({"registered": started_on, "started": started, "closed": closed_on if status == "closed" else None,
                    "outcome": outcome if status == "closed" else None, "coach": coach or 0,
                    "team": team_of.get(coach) or 0,
                    "checkin": {m: checkins.get((tid, m)) for m in (3, 6, 12)}})
    return out


def period_range(year, period):
    if period in ("", "year"):
        return "%d-01-01" % year, "%d-12-31" % year
    n = int(period[1:])
    m0, m1 = (3 * n - 2, 3 * n) if period[0] == "q" else (n, n)
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][m1 - 1]
    return "%d-%02d-01" % (year, m0), "%d-%02d-%02d" % (year, m1, last)


def count(F, sel, pred):
    lo, hi = period_range(sel["year"], sel["period"])
    return sum(1 for f in F if (not sel["team"] or f["team"] == sel["team"]) and
               (not sel["coach"] or f["coach"] == sel["coach"]) and pred(f, lo, hi))


def inside(d, lo, hi):
    return d is not None and lo <= d <= hi


MEASURES = {
    "registered": lambda f, lo, hi: inside(f["registered"], lo, hi),
    "started": lambda f, lo, hi: inside(f["started"], lo, hi),
    "closed": lambda f, lo, hi: inside(f["closed"], lo, hi),
}
for i, o in enumerate(OUTCOMES):
    MEASURES["outcome:" + o] = (lambda o: lambda f, lo, hi: inside(f["closed"], lo, hi) and f["outcome"] == o)(o)


def wider(sel, coach_team):
    """The selections the form allows that contain sel (sel excluded)."""
    periods = [sel["period"]]
    if sel["period"].startswith("m"):
        periods.append("q%d" % ((int(sel["period"][1:]) - 1) // 3 + 1))
    if sel["period"] not in ("", "year"):
        periods.append("year")
    units = [(sel["team"], sel["coach"])]
    if sel["coach"]:
        units.append((sel["team"], 0))
    if sel["team"]:
        units.append((0, 0))
    return [dict(sel, period=p, team=t, coach=c) for p in periods for t, c in units
            if (p, t, c) != (sel["period"], sel["team"], sel["coach"])]


def expected(F, sel, measure):
    """The text the report shows for a count by rules 1 and 2: the number, or HIDDEN. Rule 3 may hide a
    number more (a sibling's complement); the tests check its invariant over all selections instead."""
    pred = MEASURES[measure]
    n = count(F, sel, pred)
    if n < K:
        return HIDDEN, n
    for w in wider(sel, None):
        d = count(F, w, pred) - n
        if 0 < d < K:
            return HIDDEN, n
    return str(n), n


def check_flow_and_outcomes(F, c, sel):
    q = "?year=%d&period=%s" % (sel["year"], sel["period"] or "year")
    if sel["team"]:
        q += "&team=%d" % sel["team"]
    if sel["coach"]:
        q += "&coach=%d" % sel["coach"]
    T = get_tables(c, q)
    flow = T["flow"]["rows"]
    for label, m in (("Referrals in (registered)", "registered"), ("Started (past registration)", "started"),
                     ("Closed", "closed")):
        want, n = expected(F, sel, m)
        assert flow[label][0] in (want, HIDDEN) if want != HIDDEN else flow[label][0] == HIDDEN, \
            "%s %s: shows %s, the database says %d (want %s)" % (q, label, flow[label][0], n, want)
    out = T["outcomes"]
    shown_total = out["total"][0]
    want_total, closed = expected(F, sel, "closed")
    visible = 0
    for i, o in enumerate(OUTCOMES):
        label = list(out["rows"])[i]
        cell = out["rows"][label][0]
        want, n = expected(F, sel, "outcome:" + o)
        if want == HIDDEN:
            assert cell == HIDDEN, "%s %s: a small cell (%d) is shown as %s" % (q, o, n, cell)
        elif cell != HIDDEN:  # rule 3 may hide more
            assert cell == want, "%s %s: shows %s, the database says %s" % (q, o, cell, want)
            visible += n
    if shown_total != HIDDEN:
        assert shown_total == want_total, (q, shown_total, want_total)
        assert want_total != HIDDEN
        rest = closed - visible
        assert rest == 0 or rest >= K, "%s: the total minus the shown outcomes is %d" % (q, rest)
    return T


# ---------------------------------------------------------------- tests on the demo

def test_who_may_open_the_reports():
    for email in (LEAD, PROGRAMME):
        r = client(email).get("/reports")
        assert r.status == 200, (email, r.status)
        assert "Outcome reports" in r.body
    for email in (COACH_SOFIE, PART_AN):
        r = client(email).get("/reports")
        assert r.status in (403, 404), (email, r.status)
        r = client(email).get("/reports.csv?table=flow")
        assert r.status in (403, 404), (email, r.status)
    anon = Client(srv)
    r = anon.get("/reports")
    assert r.status in (302, 303, 401, 403), r.status


def test_demo_counts_match_the_database():
    F = facts()
    year = time.gmtime().tm_year
    pm = client(PROGRAMME)
    check_flow_and_outcomes(F, pm, {"year": year, "period": "year", "team": 0, "coach": 0})
    lead_team = srv.sql("SELECT org_id FROM users WHERE email = ?", (LEAD,))[0][0]
    check_flow_and_outcomes(F, client(LEAD), {"year": year, "period": "year", "team": lead_team, "coach": 0})


def test_bad_selection_is_refused():
    pm = client(PROGRAMME)
    for q in ("?year=1900", "?year=abc", "?period=q5", "?period=m13", "?period=x1", "?team=999999", "?coach=999999",
              "?coach=-1"):
        r = pm.get("/reports" + q)
        assert r.status == 400, (q, r.status)
        assert "from the list" in r.body
    for q in ("", "?table=nosuch"):
        r = pm.get("/reports.csv" + q)
        assert r.status == 400 and "Choose one of the report" in r.body, (q, r.status)


def test_view_and_download_are_in_the_access_log():
    pm = client(PROGRAMME)
    mark = access_log_mark(srv)
    assert pm.get("/reports?period=q1").status == 200
    assert pm.get("/reports.csv?table=outcomes&period=q1").status == 200
    rows = access_log_since(srv, mark, user_id=user_id(srv, PROGRAMME))
    items = [(e["item"], e["action"]) for e in rows]
    year = time.gmtime().tm_year
    assert ("report:%d-q1:team=0:coach=0" % year, "view") in items, items
    assert ("report:outcomes:%d-q1:team=0:coach=0" % year, "export") in items, items
    assert all(e["participant_id"] is None for e in rows if e["item"].startswith("report")), rows


def test_charts_are_accessible_images_beside_tables():
    r = client(PROGRAMME).get("/reports")
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", r.body, re.S)
    assert len(svgs) >= 4, len(svgs)
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg, svg[:300]
        m = re.search(r'aria-labelledby="([^"]+)"', svg)
        for ref in m.group(1).split():
            assert 'id="%s"' % ref in svg
        assert "<script" not in svg and "on" not in re.findall(r"\s(on)[a-z]+=", svg)
    for sec in tables(r.body).values():
        assert "<table" in sec["html"] and "<caption>" in sec["html"]


# ---------------------------------------------------------------- a generated year of a programme

GEN = {}


def test_generate_a_programme():
    """Replaces the demo with the demo plus 600 synthetic trajectories registered last year."""
    demo_programme(srv, 600)
    C.clear()
    GEN["year"] = time.gmtime().tm_year - 1
    GEN["teams"] = [r[0] for r in srv.sql("SELECT id FROM organisations WHERE kind = 'coaching' ORDER BY id")]
    GEN["coaches"] = srv.sql("SELECT id, org_id FROM users WHERE (roles & 2) <> 0 AND active = 1 ORDER BY id")
    assert len(GEN["teams"]) == 2 and len(GEN["coaches"]) == 10
    assert srv.sql("SELECT COUNT(*) FROM trajectories")[0][0] >= 600


def test_generated_counts_match_the_database():
    F = facts()
    pm = client(PROGRAMME)
    y = GEN["year"]
    T = check_flow_and_outcomes(F, pm, {"year": y, "period": "year", "team": 0, "coach": 0})
    # with this much data the year's figures are shown
    assert T["flow"]["rows"]["Referrals in (registered)"][0] == "600"
    assert T["outcomes"]["total"][0] != HIDDEN
    for period in ("q1", "q4", "m3"):
        check_flow_and_outcomes(F, pm, {"year": y, "period": period, "team": 0, "coach": 0})
    for team in GEN["teams"]:
        check_flow_and_outcomes(F, pm, {"year": y, "period": "year", "team": team, "coach": 0})
    coach, team = GEN["coaches"][3]
    check_flow_and_outcomes(F, pm, {"year": y, "period": "q2", "team": 0, "coach": coach})
    # retention at 12 months against the check-ins
    ret = T["retention"]["rows"]
    lo, hi = period_range(y, "year")
    n12 = sum(1 for f in F if inside(f["closed"], lo, hi) and f["checkin"][12] is not None)
    w12 = sum(1 for f in F if inside(f["closed"], lo, hi) and f["checkin"][12])
    row = ret["after 12 months"]
    if n12 >= K and (n12 - w12 == 0 or n12 - w12 >= K) and w12 >= K:
        assert row[0] == str(n12) and row[1] == str(w12), (row, n12, w12)
        assert row[2] == "%d %%" % int(w12 * 100 / n12 + 0.5) or row[2] == "%d %%" % ((w12 * 100 + n12 // 2) // n12)
    else:
        assert HIDDEN in row or "—" in row


def test_lead_sees_only_their_team():
    F = facts()
    y = GEN["year"]
    lead_team = srv.sql("SELECT org_id FROM users WHERE email = ?", (LEAD,))[0][0]
    other = [t for t in GEN["teams"] if t != lead_team][0]
    lead = client(LEAD)
    mine = get_tables(lead, "?year=%d" % y)
    asked_other = get_tables(lead, "?year=%d&team=%d" % (y, other))
    assert mine["flow"]["rows"] == asked_other["flow"]["rows"]
    check_flow_and_outcomes(F, lead, {"year": y, "period": "year", "team": lead_team, "coach": 0})
    body = lead.get("/reports?year=%d" % y).body
    assert 'name="team"' not in body
    names = [r[0] for r in srv.sql("SELECT name FROM users WHERE (roles & 2) <> 0 AND org_id = ?", (other,))]
    for n in names:
        assert n not in body, n


def numeric(cell):
    m = re.fullmatch(r"(\d+)( \(above the maximum\))?", cell)
    return int(m.group(1)) if m else None


COUNT_COLS = {"Trajectories", "Referrals in", "Started", "Closed", "Open now", "Check-ins recorded", "At work",
              "Responses"}


def test_no_small_cell_on_any_selection():
    """Every selection the form offers for the generated year (17 periods x teams x coaches): no count below 5
    in any table, no percentage over fewer than 5, and no flow count that differs by 1-4 from the same count
    of a wider selection."""
    pm = client(PROGRAMME)
    y = GEN["year"]
    F = facts()
    periods = ["year"] + ["q%d" % q for q in range(1, 5)] + ["m%d" % m for m in range(1, 13)]
    units = [(0, 0)] + [(t, 0) for t in GEN["teams"]] + [(0, c) for c, _ in GEN["coaches"]]
    seen = {}
    checked = 0
    for period in periods:
        for team, coach in units:
            q = "?year=%d&period=%s" % (y, period) + ("&team=%d" % team if team else "") + ("&coach=%d" % coach if coach else "")
            T = get_tables(pm, q)
            for tid, t in T.items():
                for label, cells in list(t["rows"].items()) + [("total", t["total"] or [])]:
                    for col, cell in zip(t["cols"], cells):
                        if col in COUNT_COLS:
                            n = numeric(cell)
                            assert cell == HIDDEN or (n is not None and n >= K), "%s %s %s %s: %r" % (q, tid, label, col, cell)
                            checked += 1
            flow = T["flow"]["rows"]
            sel_team = team or (dict(GEN["coaches"])[coach] if coach else 0)
            seen[(period, sel_team, coach)] = {k: v[0] for k, v in flow.items()}
            # an independent check of rules 1 and 2 on every selection
            sel = {"year": y, "period": period, "team": sel_team, "coach": coach}
            want, _ = expected(F, sel, "closed")
            assert flow["Closed"][0] in (want, HIDDEN) if want != HIDDEN else flow["Closed"][0] == HIDDEN, \
                (q, flow["Closed"][0], want)
    # subtracting reports: a shown count and the same count of a wider selection never differ by 1-4
    for (period, team, coach), flow in seen.items():
        sel = {"year": y, "period": period, "team": team, "coach": coach}
        for w in wider(sel, None):
            wf = seen.get((w["period"], w["team"], w["coach"]))
            if not wf:
                continue
            for label, cell in flow.items():
                if cell != HIDDEN and wf[label] != HIDDEN:
                    d = int(wf[label]) - int(cell)
                    assert d == 0 or d >= K, (period, team, coach, label, cell, w, wf[label])
    # subtracting the other months of a quarter (quarters of the year, coaches of a team, teams) from its
    # total: what is left over of the hidden ones is 0 or at least 5
    coach_team = dict(GEN["coaches"])
    families = []
    for q in range(1, 5):
        families.append((("q%d" % q, 0, 0), [("m%d" % m, 0, 0) for m in range(3 * q - 2, 3 * q + 1)]))
    families.append((("year", 0, 0), [("q%d" % q, 0, 0) for q in range(1, 5)]))
    for period in periods:
        families.append(((period, 0, 0), [(period, t, 0) for t in GEN["teams"]]))
        for t in GEN["teams"]:
            families.append(((period, t, 0), [(period, t, c) for c, ct in GEN["coaches"] if ct == t]))
    fams = 0
    for parent, kids in families:
        for label, total in seen[parent].items():
            if total == HIDDEN:
                continue
            rest = int(total) - sum(int(seen[k][label]) for k in kids if seen[k][label] != HIDDEN)
            assert rest == 0 or rest >= K, "%s %s: %s minus the shown parts %s leaves %d" % (
                parent, label, total, [seen[k][label] for k in kids], rest)
            fams += 1
    assert checked > 1000 and fams > 100, (checked, fams)


def test_csv_of_every_table():
    pm = client(PROGRAMME)
    y = GEN["year"]
    T = get_tables(pm, "?year=%d" % y)
    for tid, t in T.items():
        r = pm.get("/reports.csv?table=%s&year=%d" % (tid, y))
        assert r.status == 200, (tid, r.status)
        assert r.header("Content-Type").startswith("text/csv")
        assert "attachment" in r.header("Content-Disposition")
        assert r.body.count("\r\n") >= 1 and re.search(r'[^\r]\n', r.body) is None, "RFC 4180 line ends"
        rows = list(csv.reader(io.StringIO(r.body, newline="")))
        assert rows[0][1:] == t["cols"], (rows[0], t["cols"])
        body_rows = {row[0]: row[1:] for row in rows[1:]}
        for label, cells in t["rows"].items():
            assert body_rows[label] == cells, (tid, label, body_rows.get(label), cells)


def test_csv_is_formula_safe():
    org = srv.sql("SELECT org_id FROM users WHERE email = ?", (LEAD,))[0][0]
    srv.cli("user", "add", "formula@programme.example", "--name", "=HYPERLINK(\"http://x\")", "--role", "coach",
            "--org", str(org), check=True)
    pm = client(PROGRAMME)
    r = pm.get("/reports.csv?table=coaches&year=%d" % GEN["year"])
    assert r.status == 200
    rows = list(csv.reader(io.StringIO(r.body, newline="")))
    names = [row[0] for row in rows]
    assert "'=HYPERLINK(\"http://x\")" in names, names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)


def test_remarks_only_for_the_programme_manager():
    y = GEN["year"]
    remarks = [r[0] for r in srv.sql("SELECT remark FROM survey_responses WHERE remark IS NOT NULL "
                                     "AND answered_month LIKE ?", ("%d-%%" % y,))]
    assert len(remarks) >= K
    body = client(PROGRAMME).get("/reports?year=%d" % y).body
    assert "Open remarks" in body and remarks[0] in body
    body = client(LEAD).get("/reports?year=%d" % y).body
    assert "Open remarks" not in body and remarks[0] not in body
    n = srv.sql("SELECT COUNT(*) FROM survey_responses WHERE respondent = 'participant' AND answered_month LIKE ?",
                ("%d-%%" % y,))[0][0]
    row = tables(client(PROGRAMME).get("/reports?year=%d" % y).body)["surveys"]["rows"]["Participants"]
    assert row[0] == (str(n) if n >= K else HIDDEN), (row, n)


if __name__ == "__main__":
    run(srv, globals())
