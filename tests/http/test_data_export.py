"""The participant's own data (issue 14, part 5; GDPR art. 15 and 20): /me/data.zip is a ZIP that Python's
zipfile reads, its data.json validates against the JSON Schema in the same ZIP (checked here by a small
validator of the keywords the schema uses), and it holds every seeded marker the participant may see by the
one rule — notes of every category from every source party, a message to her, minutes — and none she may
not: others' information without a consent to her (withdrawn, expired, other category), a deleted note, a
message between two others, another participant's notes. The readable summary.html says the same. The
download is logged (the export of every item, of the access log), and the access log in it is her /me/log.
"""
import datetime
import io
import json
import os
import re
import secrets
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_SOFIE, PART_AN, PART_KARIM, PART_MARIEKE, PARTNER_GP, PARTNER_HR, Client, Server, access_log_mark,
                     db_connect, run, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
CATS = ("health", "capacity", "work", "plan", "practical")
SEEN, HIDDEN = [], []   # markers An may and may not see
ITEMS = []              # (item id, marker, seen: True, False or None = by the consents)


def today(delta=0):
    d = datetime.datetime.now(datetime.timezone.utc).date()
    return (d + datetime.timedelta(days=delta)).isoformat()


def seed():
    """Markers in An's trajectory (1) and Karim's (2), decided here by the rule of doc/DOMAIN.md for An."""
    con = db_connect(srv)
    now = int(time.time())
    con.execute("BEGIN IMMEDIATE")
    mem = {r[1]: r[0] for r in con.execute("SELECT id, role FROM network_members WHERE trajectory_id = 1")}
    an, sofie, els, tom = (user_id(srv, e) for e in (PART_AN, COACH_SOFIE, PARTNER_GP, PARTNER_HR))

    def consent(src, cat, given=-10, until=None, withdrawn=False):
        con.execute("INSERT INTO consents (trajectory_id, source_member_id, grantee_side, category, given_on, method, "
                    "recorded_by, valid_until, withdrawn_at, withdrawn_by, created_at) VALUES (1, ?, 'participant', ?, ?, "
                    "'conversation', ?, ?, ?, ?, ?)", (src, cat, today(given), sofie,
                                                      today(until) if until is not None else None,
                                                      now if withdrawn else None, sofie if withdrawn else None, now))
    consent(mem["gp"], "health")                      # live: An sees the GP's health notes
    consent(mem["hr"], "capacity", withdrawn=True)     # withdrawn
    consent(mem["line_manager"], "plan")               # live
    consent(mem["psychologist"], "work", until=-1)     # expired yesterday

    def item(tid, kind, cat, src, author, seen, deleted=None, body_only=False):
        marker = "XPM-%s-%s-%s" % (kind, cat, secrets.token_hex(4))
        iid = con.execute("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, body, "
                          "created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          (tid, kind, cat, src, author, "" if body_only else marker, "Body %s." % marker, now - 600,
                           deleted)).fetchone()[0]
        ITEMS.append((iid, marker, seen))
        return iid

    for cat in CATS:
        item(1, "note", cat, None, sofie, True)                            # the participant's information
        for role, author in (("gp", els), ("hr", tom), ("line_manager", sofie), ("psychologist", sofie)):
            item(1, "note", cat, mem[role], author, None)                  # by the consents (the demo's too)
        item(2, "note", cat, None, sofie, False)                           # Karim's trajectory
    item(1, "note", "practical", None, sofie, False, deleted=now - 60)     # deleted
    # messages: to An, and between the GP and HR only (the rule would let An read the GP's health message)
    for to_an in (True, False):
        iid = item(1, "message", "health", mem["gp"], els, to_an, body_only=True)
        con.execute("INSERT INTO messages (item_id, trajectory_id) VALUES (?, 1)", (iid,))
        for to in ((an, tom) if to_an else (tom,)):
            con.execute("INSERT INTO message_recipients (message_id, user_id) VALUES (?, ?)", (iid, to))
    # a meeting with An among the attendees, its minutes from the participant
    g = con.execute("INSERT INTO meetings (trajectory_id, kind, mode, starts_at, duration_minutes, place, agenda, "
                    "created_by, created_at) VALUES (1, 'consultation', 'group', ?, 60, 'Room', ?, ?, ?) RETURNING id",
                    (now + 86400, "XPM-agenda-%s" % secrets.token_hex(4), sofie, now)).fetchone()[0]
    SEEN.append(con.execute("SELECT agenda FROM meetings WHERE id = ?", (g,)).fetchone()[0])
    con.execute("INSERT INTO meeting_attendees (meeting_id, member_id) VALUES (?, NULL)", (g,))
    mid = item(1, "minutes", "work", None, sofie, True)
    con.execute("INSERT INTO meeting_minutes (item_id, meeting_id) VALUES (?, ?)", (mid, g))
    # a member's information reaches An by a live consent of that member to the participant (doc/DOMAIN.md)
    live = {(k[0], k[1]) for k in con.execute(
        "SELECT source_member_id, category FROM consents WHERE trajectory_id = 1 AND grantee_side = 'participant' "
        "AND withdrawn_at IS NULL AND given_on <= ? AND (valid_until IS NULL OR valid_until >= ?)", (today(), today()))}
    for iid, marker, seen in ITEMS:
        if seen is None:
            src, cat = con.execute("SELECT source_member_id, category FROM items WHERE id = ?", (iid,)).fetchone()
            seen = (src, cat) in live
        (SEEN if seen else HIDDEN).append(marker)
    con.execute("COMMIT")
    con.close()


# ---------------------------------------------------------------- a validator for the schema's keywords

def validate(inst, schema, root, path="$"):
    """Checks inst against schema (the keywords data-export.schema.json uses); returns a list of errors."""
    errs = []
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        return validate(inst, root["$defs"][ref[len("#/$defs/"):]], root, path)
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        ok = {"string": isinstance(inst, str), "integer": isinstance(inst, int) and not isinstance(inst, bool),
              "number": isinstance(inst, (int, float)) and not isinstance(inst, bool), "boolean": isinstance(inst, bool),
              "null": inst is None, "object": isinstance(inst, dict), "array": isinstance(inst, list)}
        if not any(ok[t] for t in types):
            return ["%s: %r is not of type %s" % (path, inst, types)]
    if "const" in schema and inst != schema["const"]:
        errs.append("%s: %r is not %r" % (path, inst, schema["const"]))
    if "enum" in schema and inst not in schema["enum"]:
        errs.append("%s: %r not in %r" % (path, inst, schema["enum"]))
    if "pattern" in schema and isinstance(inst, str) and not re.search(schema["pattern"], inst):
        errs.append("%s: %r does not match %s" % (path, inst, schema["pattern"]))
    if isinstance(inst, dict):
        for k in schema.get("required", []):
            if k not in inst:
                errs.append("%s: %s missing" % (path, k))
        props = schema.get("properties", {})
        for k, v in inst.items():
            if k in props:
                errs += validate(v, props[k], root, "%s.%s" % (path, k))
            elif schema.get("additionalProperties") is False:
                errs.append("%s: unexpected %s" % (path, k))
    if isinstance(inst, list) and "items" in schema:
        for i, v in enumerate(inst):
            errs += validate(v, schema["items"], root, "%s[%d]" % (path, i))
    return errs


def test_validator_can_fail():
    schema = {"type": "object", "required": ["a"], "additionalProperties": False,
              "properties": {"a": {"$ref": "#/$defs/d"}}, "$defs": {"d": {"type": "string", "pattern": "^[0-9]+$"}}}
    assert validate({"a": "12"}, schema, schema) == []
    assert validate({"a": "x"}, schema, schema) and validate({}, schema, schema)
    assert validate({"a": "1", "b": 2}, schema, schema) and validate({"a": 1}, schema, schema)


# ---------------------------------------------------------------- the tests

C = {}


def download(email):
    if email not in C:
        C[email] = Client(srv, lang="en")
        C[email].login(email)
    r = C[email].request("GET", "/me/data.zip", check_html=False)
    assert r.status == 200, "%s: /me/data.zip -> %d %s" % (email, r.status, r.body[:300])
    assert r.header("Content-Type") == "application/zip", r.header("Content-Type")
    assert "attachment" in (r.header("Content-Disposition") or "")
    return r


def test_setup():
    seed()
    assert len(SEEN) >= 10 and len(HIDDEN) >= 15


def test_page_offers_the_download():
    c = Client(srv, lang="en")
    c.login(PART_AN)
    me = c.get("/me")
    assert 'href="/me/data"' in me.body and 'href="/me/corrections"' in me.body, "no link on /me"
    r = c.get("/me/data")
    assert r.status == 200 and 'href="/me/data.zip"' in r.body


def test_zip_schema_and_markers():
    mark = access_log_mark(srv)
    r = download(PART_AN)
    z = zipfile.ZipFile(io.BytesIO(r.raw))
    assert z.testzip() is None
    assert sorted(z.namelist()) == ["README.txt", "data-export.schema.json", "data.json", "summary.html"], z.namelist()
    data = json.loads(z.read("data.json"))
    schema = json.loads(z.read("data-export.schema.json"))
    errs = validate(data, schema, schema)
    assert not errs, "data.json does not fit its schema:\n" + "\n".join(errs[:20])
    assert data["participant"]["first_name"] == "An"
    text = z.read("data.json").decode()
    summary = z.read("summary.html").decode()
    for m in SEEN:
        assert m in text, "data.json lacks %s, which An may see" % m
    for m in SEEN:
        if not m.startswith("XPM-agenda"):
            assert m in summary, "summary.html lacks %s" % m
    for m in HIDDEN:
        assert m not in r.body, "the download shows %s, which An may not see" % m
    # every item in it was disclosed (logged as exported) for An's file, and the access log's export too
    ids = [it["id"] for t in data["trajectories"] for it in t["items"]]
    logged = {row[0] for row in srv.sql("SELECT item FROM access_log WHERE id > ? AND action = 'export' AND "
                                        "outcome = 'ok'", (mark,))}
    assert ids and all(any(x.endswith(":%d" % i) for x in logged) for i in ids), "items exported without a log entry"
    assert "accesslog" in logged and "trajectory" in logged
    # the access log in it: An's entries as /me/log has them (her own /me visit among them)
    assert data["access_log"] and any(e["who"] == "You" for e in data["access_log"])


def test_a_coachs_read_is_in_the_export():
    c = Client(srv, lang="en")
    c.login(COACH_SOFIE)
    assert c.get("/t/1/notes").status == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(download(PART_AN).raw)).read("data.json"))
    assert any(e["who"] == "Sofie Peeters" and e["action"] == "list" for e in data["access_log"]), \
        "the coach's look at the notes is not in An's access log"


def test_another_participant_gets_none_of_it():
    r = download(PART_KARIM)
    data = json.loads(zipfile.ZipFile(io.BytesIO(r.raw)).read("data.json"))
    assert data["participant"]["first_name"] == "Karim"
    for m in SEEN:
        assert m not in r.body, "Karim's download shows An's %s" % m
    assert any(m.startswith("XPM-note") and m in r.body for m in HIDDEN), "Karim's own notes are missing"


def test_an_erased_trajectory_says_so():
    """A closed trajectory whose content the retention rule erased: the download still fits the schema and says
    when and why it was erased (Marieke's trajectory, closed three years ago)."""
    srv.sql("UPDATE trajectories SET status = 'closed', closed_on = '2023-06-01', outcome = 'same_job' WHERE id = "
            "(SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id JOIN users u "
            "ON u.id = p.user_id WHERE u.email = ?)", (PART_MARIEKE,))
    p = srv.cli("retention", "run")
    assert p.returncode == 0 and "erased: 1 trajectories" in p.stdout, (p.stdout, p.stderr)
    z = zipfile.ZipFile(io.BytesIO(download(PART_MARIEKE).raw))
    data, schema = json.loads(z.read("data.json")), json.loads(z.read("data-export.schema.json"))
    errs = validate(data, schema, schema)
    assert not errs, "\n".join(errs[:20])
    t = data["trajectories"][0]
    assert t["status"] == "closed" and t["erasure"]["rule"] == "retention", t
    assert "under the retention rule" in z.read("summary.html").decode()


def test_only_participants():
    for email in (COACH_SOFIE, PARTNER_GP):
        c = Client(srv, lang="en")
        c.login(email)
        r = c.request("GET", "/me/data.zip", check_html=False)
        assert r.status in (403, 404), "%s: %d" % (email, r.status)
        assert not any(m in r.body for m in SEEN)
    anon = Client(srv)
    r = anon.request("GET", "/me/data.zip", check_html=False)
    assert r.status in (303, 401, 403) and "XPM" not in r.body


if __name__ == "__main__":
    run(srv, globals())
