#!/usr/bin/env python3
"""The pseudonymised research export (/reports/export, issue 14): for the programme manager and the log
officer behind the second factor, logged; no name, e-mail, birth date, note text or exact date in it; the
participant's code differs per recipient (and is stable for one); every combination of quasi-identifiers
among the exported rows occurs at least 5 times, and the export says how many rows were coarsened or left
out; CSV and JSON agree; the data dictionary lists every column."""
import csv
import io
import json
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, DEMO_PASSWORD, LEAD, Server, access_log_mark, access_log_since, demo_programme,
                     password_sign_in, run, signed_in, user_id)

PROGRAMME = "rik.vanacker@zorgwerk.example"
LOGOFFICER = "privacy@zorgwerk.example"
K = 5
QI = ("age_band", "region", "employer_size", "outcome")
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
C = {}
E = {}


def client(email):
    return signed_in(srv, C, email, lang=None)


def export(email, recipient, fmt):
    c = client(email)
    assert c.get("/reports/export").status == 200
    r = c.post("/reports/export", {"recipient": recipient, "format": fmt})
    assert r.status == 200, (email, r.status, r.body[:300])
    return r


def test_generate_a_programme():
    """The demo plus 300 synthetic trajectories (cli/demo_programme.c), so that k-anonymity has work to do."""
    demo_programme(srv, 300)
    C.clear()


def test_only_programme_manager_and_log_officer():
    for email in (LEAD, COACH_SOFIE):
        c = client(email)
        assert c.get("/reports/export").status == 403
        c.get("/account")
        assert c.post("/reports/export", {"recipient": "X", "format": "csv"}).status == 403
    for email in (PROGRAMME, LOGOFFICER):
        assert client(email).get("/reports/export").status == 200


def test_second_factor_required():
    c, where = password_sign_in(srv, LOGOFFICER, DEMO_PASSWORD)
    assert "/login/2fa" in where
    r = c.post("/reports/export", {"recipient": "Onderzoeker", "format": "json"})
    assert r.status == 303 and "/login/2fa" in r.location, (r.status, r.location)
    assert "rows" not in r.body


def test_bad_form_is_refused():
    c = client(PROGRAMME)
    c.get("/reports/export")
    r = c.post("/reports/export", {"recipient": "  ", "format": "csv"})
    assert r.status == 400 and "Enter who receives the export." in r.body
    c.get("/reports/export")
    r = c.post("/reports/export", {"recipient": "A", "format": "xml"})
    assert r.status == 400 and "Choose CSV or JSON." in r.body
    c.get("/reports/export")
    r = c.post("/reports/export", {"recipient": "A" * 121, "format": "csv"})
    assert r.status == 400


def test_export_json_is_k_anonymous_and_counts_what_it_coarsened():
    mark = access_log_mark(srv)
    r = export(PROGRAMME, "Universiteit Gent", "json")
    doc = json.loads(r.body)
    E["gent"] = doc
    rows = doc["rows"]
    total = srv.sql("SELECT COUNT(*) FROM trajectories")[0][0]
    assert doc["k"] == K
    assert doc["rows_exported"] == len(rows) and doc["rows_exported"] + doc["rows_dropped"] == total
    assert doc["rows_coarsened"] == sum(1 for x in rows if x["coarsened"] > 0)
    assert doc["rows_coarsened"] + doc["rows_dropped"] > 0, "the generated data has rare combinations"
    assert int(r.header("X-Rows-Dropped")) == doc["rows_dropped"]
    groups = Counter(tuple(x[q] for q in QI) for x in rows)
    small = {g: n for g, n in groups.items() if n < K}
    assert not small, small
    entries = access_log_since(srv, mark, user_id=user_id(srv, PROGRAMME))
    assert any(e["item"] == "research-export:json:Universiteit Gent" and e["action"] == "export" for e in entries), entries


def test_nothing_that_names_a_person():
    body = export(PROGRAMME, "Universiteit Gent", "csv").body + json.dumps(E["gent"], ensure_ascii=False)
    forbidden = set()
    for first, last, birth, email in srv.sql("SELECT first_name, last_name, birth_date, COALESCE(email, '') FROM participants"):
        forbidden.update([last, birth] + ([email] if email else []))
        if first != "Deelnemer":
            forbidden.add(first)
    for name, email in srv.sql("SELECT name, email FROM users"):
        forbidden.update([name, email])
    for (text,) in srv.sql("SELECT body FROM items WHERE LENGTH(body) >= 12"):
        forbidden.add(text[:40])
    for (reason,) in srv.sql("SELECT reason FROM trajectories WHERE LENGTH(reason) >= 12"):
        forbidden.add(reason[:40])
    leaks = [f for f in forbidden if f and re.search(r"(?<!\w)%s(?!\w)" % re.escape(f), body)]
    assert not leaks, leaks[:10]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), "an exact date in the export"
    assert "@" not in body


def test_code_differs_per_recipient_and_is_stable():
    gent = [x["participant"] for x in E["gent"]["rows"]]
    again = [x["participant"] for x in json.loads(export(PROGRAMME, "  universiteit gent ", "json").body)["rows"]]
    assert gent == again, "the same recipient gets the same codes"
    leuven = json.loads(export(LOGOFFICER, "KU Leuven", "json").body)
    other = [x["participant"] for x in leuven["rows"]]
    assert not set(gent) & set(other), "two recipients share codes"
    assert all(re.fullmatch(r"[0-9a-f]{32}", p) for p in gent + other)
    ids = [str(i) for (i,) in srv.sql("SELECT id FROM participants")]
    assert not set(gent) & set(ids)


def test_csv_matches_json_and_the_dictionary():
    r = export(PROGRAMME, "Universiteit Gent", "csv")
    assert r.header("Content-Type").startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.body, newline="")))
    assert len(rows) == len(E["gent"]["rows"])
    by_code = {x["participant"]: x for x in E["gent"]["rows"]}
    for row in rows[:50]:
        j = by_code[row["participant"]]
        for q in QI:
            assert row[q] == (j[q] or ""), (q, row[q], j[q])
    groups = Counter(tuple(row[q] for q in QI) for row in rows)
    assert min(groups.values()) >= K
    d = client(PROGRAMME).get("/reports/export/dictionary")
    assert d.status == 200
    doc = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "doc", "research-export.md")).read()
    for col in rows[0].keys():
        assert "| %s |" % col in d.body, col
        assert "`%s`" % col in doc, "doc/research-export.md does not describe " + col


if __name__ == "__main__":
    run(srv, globals())
