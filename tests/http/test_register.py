"""Registering a participant: impossible and invalid dates, over-long and multi-line fields, bad e-mail
or phone, the employer choice, a duplicate (409) — each 400/409 with the message beside the field and
the form keeping what was typed; success redirects to the new trajectory, which the caseload search
finds; HTML in names is escaped; a busy (locked) database answers 503 with Retry-After and loses nothing,
and the same post succeeds once the lock is gone."""
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, Client, Server, assert_status, db_connect, db_integrity_problems,
                     form_fields, run, strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
coach = Client(srv)


def valid(**over):
    d = {"first_name": "Ruben", "last_name": "Testers", "birth_date": "1985-06-15", "email": "ruben@example.org",
         "phone": "+32 470 12 34 56", "referred_by": "Huisarts dr. Test", "reason": "Rugklachten;\nwil terug.",
         "employer_org": "", "employer_other": "Bakkerij Test", "absence_start": "2025-01-10",
         "start_consent": "Mondeling akkoord op 12 november.", "consent_given": "yes"}
    d.update(over)
    return {k: v for k, v in d.items() if v is not None}


def post(data):
    coach.get("/participants/new")
    return coach.post("/participants/new", data)


def field_error(body, name):
    m = re.search(r'<p class="error-msg" id="e-%s">(.*?)</p>' % re.escape(name), body, re.S)
    return strip_tags(m.group(1)) if m else None


def assert_kept(resp, data, skip=()):
    f = form_fields(resp.body)
    for k, v in data.items():
        if k in skip or k in ("consent_given",):
            continue
        assert f.get(k, "").strip() == v.strip(), "field %s not kept: %r != %r" % (k, f.get(k), v)
    if data.get("consent_given") == "yes":
        assert re.search(r'name="consent_given" value="yes" required checked', resp.body), "checkbox kept"


def participants():
    return srv.sql("SELECT COUNT(*) FROM participants")[0][0]


def test_sign_in_and_form():
    coach.login(COACH_SOFIE)
    r = coach.get("/participants/new")
    assert_status(r, 200, "the form")
    for name in ("first_name", "last_name", "birth_date", "referred_by", "reason", "start_consent", "consent_given"):
        assert 'id="f-%s"' % name in r.body and 'for="f-%s"' % name in r.body, name


def test_impossible_and_invalid_dates():
    n = participants()
    for bad in ("2026-02-30", "1999-02-29", "1985-13-01", "1985-00-10", "1985-06-31", "15-06-1985", "1985-6-15",
                "19850615", "abcd-ef-gh", "1985-06-15x", " 1985-06-15 1", "0000-01-01"):
        data = valid(birth_date=bad)
        r = post(data)
        assert_status(r, 400, "birth date %r" % bad)
        err = field_error(r.body, "birth_date")
        assert err and "YYYY-MM-DD" in err, (bad, err)
        assert 'aria-invalid="true"' in r.body and 'href="#f-birth_date"' in r.body, "summary links to the field"
        assert_kept(r, data)
    r = post(valid(birth_date="2100-01-01"))
    assert_status(r, 400, "birth date in the future")
    assert "future" in field_error(r.body, "birth_date")
    r = post(valid(birth_date=time.strftime("%Y-%m-%d")))
    assert_status(r, 400, "a newborn")
    r = post(valid(absence_start="2100-01-01"))
    assert_status(r, 400, "absence in the future")
    assert field_error(r.body, "absence_start")
    r = post(valid(absence_start="2025-02-29"))
    assert_status(r, 400, "absence on an impossible date")
    assert participants() == n, "nothing saved"


def test_overlong_and_multiline_fields():
    n = participants()
    for name, limit in (("first_name", 80), ("last_name", 80), ("referred_by", 200), ("reason", 2000),
                        ("start_consent", 2000), ("phone", 40), ("employer_other", 200)):
        data = valid(**{name: ("1" if name == "phone" else "x") * (limit + 1)})
        r = post(data)
        assert_status(r, 400, "%s over %d" % (name, limit))
        err = field_error(r.body, name)
        assert err and "too long" in err and str(limit) in err, (name, err)
        assert_kept(r, data)
    data = valid(email="a" * 250 + "@x.be")
    r = post(data)
    assert_status(r, 400, "e-mail over 254")
    data = valid(first_name="Ru\nben")
    r = post(data)
    assert_status(r, 400, "newline in a one-line field")
    assert "one line" in field_error(r.body, "first_name")
    assert participants() == n


def test_other_field_checks_keep_the_form():
    n = participants()
    cases = [
        (valid(first_name=""), "first_name"),
        (valid(first_name="   "), "first_name"),
        (valid(reason=""), "reason"),
        (valid(consent_given=None), "consent_given"),
        (valid(email="not-an-address"), "email"),
        (valid(email="a@b"), "email"),
        (valid(phone="call me maybe"), "phone"),
        (valid(employer_org="999999"), "employer_org"),
        (valid(employer_org="abc"), "employer_org"),
    ]
    org = srv.sql("SELECT id FROM organisations WHERE kind = 'employer' ORDER BY id LIMIT 1")[0][0]
    cases.append((valid(employer_org=str(org), employer_other="Ook nog een andere"), "employer_other"))
    for data, field in cases:
        r = post(data)
        assert_status(r, 400, "bad %s" % field)
        assert field_error(r.body, field), (field, strip_tags(r.body)[:300])
        assert_kept(r, data, skip=("employer_org",) if field == "employer_org" else ())
    assert participants() == n


def test_success_and_caseload_search():
    data = valid(first_name="Zoë", last_name="Van Ñieuwenhuyse-Test", birth_date="2000-02-29",
                 employer_other="", employer_org="")
    r = post(data)
    assert_status(r, 303, "registration")
    m = re.fullmatch(r"/t/(\d+)\?flash=registered", r.location or "")
    assert m, r.location
    tid = int(m.group(1))
    r = coach.follow(r)
    assert_status(r, 200, "the new trajectory")
    assert "Zoë" in r.body and "The participant is registered" in r.body
    row = srv.sql("SELECT t.phase, t.status, p.birth_date, c.user_id FROM trajectories t JOIN participants p ON "
                  "p.id = t.participant_id JOIN trajectory_coaches c ON c.trajectory_id = t.id WHERE t.id = ?", (tid,))
    assert row and row[0][:3] == ("registration", "open", "2000-02-29"), row
    assert srv.sql("SELECT COUNT(*) FROM access_log WHERE trajectory_id = ? AND action = 'create'", (tid,))[0][0] == 1
    r = coach.get("/caseload?q=%C3%91ieuwenhuyse")
    assert_status(r, 200, "caseload search")
    assert 'href="/t/%d"' % tid in r.body, "the search finds the new participant"
    r = coach.get("/caseload?q=nobody-by-this-name")
    assert 'href="/t/%d"' % tid not in r.body
    # the other coach does not see it
    other = Client(srv)
    other.login(COACH_PIETER)
    assert_status(other.get("/t/%d" % tid), 404, "another coach")
    assert 'href="/t/%d"' % tid not in other.get("/caseload?status=all").body


def test_duplicate_409_keeps_the_form():
    data = valid(first_name="Dubbel", last_name="Ganger", birth_date="1970-01-01")
    r = post(data)
    assert_status(r, 303, "first registration")
    n = participants()
    t = srv.sql("SELECT COUNT(*) FROM trajectories")[0][0]
    data2 = dict(data, reason="Een andere reden", referred_by="Iemand anders")
    pid = srv.sql("SELECT id FROM participants WHERE first_name = 'Dubbel' AND last_name = 'Ganger'")[0][0]
    r = post(data2)
    assert_status(r, 409, "duplicate")
    # the answer reveals the registration: it is in that participant's access log
    assert srv.sql("SELECT COUNT(*) FROM access_log WHERE participant_id = ? AND item = 'participant' "
                   "AND action = 'create' AND outcome = 'denied'", (pid,))[0][0] == 1
    assert "already registered" in r.body
    assert_kept(r, data2)
    assert participants() == n and srv.sql("SELECT COUNT(*) FROM trajectories")[0][0] == t, "nothing added"


def test_html_in_fields_is_escaped():
    data = valid(first_name='<b>Ann</b>"&', last_name="O'Brien <script>alert(1)</script>", birth_date="1990-03-03")
    r = post(data)
    assert_status(r, 303, "registration with markup in the name")
    r = coach.follow(r)
    assert "<script>alert(1)</script>" not in r.body and "<b>Ann</b>" not in r.body
    assert "&lt;script&gt;" in r.body
    r = coach.get("/caseload?q=Brien")
    assert "<script>alert" not in r.body and "&lt;script&gt;" in r.body
    # and in the re-rendered form
    r = post(dict(data, birth_date="1990-02-30"))
    assert_status(r, 400)
    assert "<script>alert" not in r.body
    assert_kept(r, dict(data, birth_date="1990-02-30"))


def test_busy_database_503_then_success():
    n = participants()
    before = srv.sql("SELECT id, first_name, last_name, birth_date FROM participants ORDER BY id")
    data = valid(first_name="Wacht", last_name="Even", birth_date="1988-08-08")
    coach.get("/participants/new")
    token = coach.csrf
    con = db_connect(srv)  # on PostgreSQL: the server's writer lock, held by this session
    con.execute("BEGIN EXCLUSIVE")
    result = {}

    def send():
        t = time.time()
        result["r"] = coach.post("/participants/new", data, csrf=token)
        result["t"] = time.time() - t

    th = threading.Thread(target=send)
    th.start()
    th.join(timeout=30)
    con.rollback()
    con.close()
    assert "r" in result, "no answer while the database was locked"
    r = result["r"]
    assert_status(r, 503, "registration while the database is locked")
    ra = r.headers.get("Retry-After")
    assert ra and ra.isdigit() and int(ra) >= 1, ra
    assert "nothing you saved earlier is lost" in r.body
    assert '<html lang="en">' in r.body
    assert participants() == n, "nothing half-saved"
    srv.alive()
    # the same post succeeds now; the earlier data is intact
    r = coach.post("/participants/new", data, csrf=token)
    assert_status(r, 303, "the same post after the lock")
    assert participants() == n + 1
    after = srv.sql("SELECT id, first_name, last_name, birth_date FROM participants ORDER BY id")
    assert after[:len(before)] == before
    assert srv.cli("audit", "verify").returncode == 0


def test_integrity_after_all():
    assert db_integrity_problems(srv) == []
    # every trajectory has a coach, every participant at most one open trajectory
    assert srv.sql("SELECT COUNT(*) FROM trajectories t WHERE NOT EXISTS (SELECT 1 FROM trajectory_coaches c "
                   "WHERE c.trajectory_id = t.id)")[0][0] == 0
    srv.alive()


run(srv, globals())
