"""The action plan as PDF (issue 14, part 4): /t/{id}/plan.pdf is an A4 PDF of real text (read back with
pdftotext and pdfinfo from poppler-utils) with the current version's goals, actions, owners, due dates and
confirmations and the list of versions, in the reader's language. It discloses what the plan page does: the
coach and the participant see the participant's name, a network member only the initials and only the
members of their own side; someone without standing gets the same 404 as for a missing trajectory; a member
whose plan consent is withdrawn no longer gets the plan. A long plan runs over pages without losing text.
The download is logged.
"""
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COACH_PIETER, COACH_SOFIE, PART_AN, PART_KARIM, PARTNER_GP, PARTNER_HR, Client, Server,
                     access_log_mark, assert_status, db_connect, run, user_id)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
K = {}   # markers
C = {}


def client(email, lang="en"):
    key = (email, lang)
    if key not in C:
        C[key] = Client(srv, lang=lang)
        C[key].login(email)
    return C[key]


def pdf_text(resp):
    """pdftotext's reading of a PDF response, and pdfinfo's."""
    assert resp.header("Content-Type") == "application/pdf", resp.header("Content-Type")
    assert resp.raw.startswith(b"%PDF-"), resp.raw[:20]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(resp.raw)
        f.flush()
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], stdout=subprocess.PIPE, check=True,
                              universal_newlines=True).stdout
        info = subprocess.run(["pdfinfo", f.name], stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout
    return re.sub(r"\s+", " ", text), info


def test_setup():
    con = db_connect(srv)
    now = int(time.time())
    sofie, an = user_id(srv, COACH_SOFIE), user_id(srv, PART_AN)
    mem = {r[1]: r[0] for r in con.execute("SELECT id, role FROM network_members WHERE trajectory_id = 1")}
    con.execute("BEGIN IMMEDIATE")

    def version(n, confirmed):
        vid = con.execute("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) "
                          "VALUES (1, 'plan', 'plan', ?, 'Plan', 'Plan', ?) RETURNING id",
                          (sofie, now - 3600 * (3 - n))).fetchone()[0]
        con.execute("INSERT INTO plan_versions (item_id, trajectory_id, version, reason, created_by, created_at, "
                    "confirmed_by_participant_at, confirmed_by_participant, confirmed_by_coach_at, confirmed_by_coach) "
                    "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (vid, n, None if n == 1 else "PDFR-%s" % secrets.token_hex(3), sofie, now - 3600 * (3 - n),
                     now if confirmed else None, an if confirmed else None, now if confirmed else None,
                     sofie if confirmed else None))
        return vid

    v1 = version(1, True)
    g = con.execute("INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                    "relevant, time_bound) VALUES (?, 1, 'PDFOLD goal', 's', 'm', 'a', 'r', '2027-01-01') RETURNING id",
                    (v1,)).fetchone()[0]
    con.execute("INSERT INTO plan_actions (goal_id, position, text, owner_kind, due_on, status, trajectory_id, "
                "is_current) VALUES (?, 1, 'PDFOLD action', 'participant', '2027-01-01', 'planned', 1, 0)", (g,))
    v2 = version(2, False)
    K["goals"], K["actions"] = [], []
    owners = [("participant", None), ("coach", None), ("member", mem["gp"]), ("member", mem["hr"])]
    for gi in range(8):
        title = "PDFG%d-%s" % (gi, secrets.token_hex(3))
        K["goals"].append(title)
        g = con.execute("INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                        "relevant, time_bound) VALUES (?, ?, ?, ?, 'twice a week', 'yes', 'work', '2027-03-31') RETURNING id",
                        (v2, gi + 1, title, "Return to the warehouse step by step, " * 3)).fetchone()[0]
        for ai in range(8):
            text = "PDFA%d%d-%s %s" % (gi, ai, secrets.token_hex(3), "with a long explanation of what is done " * 2)
            kind, member = owners[ai % 4]
            K["actions"].append(text.split()[0])
            con.execute("INSERT INTO plan_actions (goal_id, position, text, owner_kind, owner_member_id, due_on, status, "
                        "trajectory_id, is_current) VALUES (?, ?, ?, ?, ?, '2026-12-04', ?, 1, 1)",
                        (g, ai + 1, text, kind, member, "done" if ai == 0 else "planned"))
    K["v1"], K["v2"] = v1, v2
    con.execute("COMMIT")
    con.close()


def test_coach_copy_has_everything():
    mark = access_log_mark(srv)
    r = client(COACH_SOFIE).request("GET", "/t/1/plan.pdf", check_html=False)
    assert_status(r, 200, "the coach's PDF")
    text, info = pdf_text(r)
    assert re.search(r"Page size:\s+595.28 x 841.89 pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2, "a long plan on %d page" % pages
    assert "Action plan" in text and "An Janssens" in text
    for m in K["goals"] + K["actions"]:
        assert m in text, "%s missing from the PDF" % m
    assert "PDFOLD" not in text, "an earlier version's content in the current version's PDF"
    assert "Version 2" in text and "Version 1" in text
    assert "Not yet confirmed by the participant" in text
    assert "dr. Els Wouters" in text and "Tom Claes" in text and "the coach" in text
    assert "by 4 December 2026" in text and "Done" in text and "To do" in text
    logged = srv.sql("SELECT item, action, outcome FROM access_log WHERE id > ? AND user_id = ?",
                     (mark, user_id(srv, COACH_SOFIE)))
    assert ("plan", "print", "ok") in logged and ("plan:%d" % K["v2"], "print", "ok") in logged, logged


def test_participant_copy():
    r = client(PART_AN).request("GET", "/t/1/plan.pdf", check_html=False)
    assert_status(r, 200, "An's PDF")
    text, _ = pdf_text(r)
    assert "An Janssens" in text and "You ·" in text
    assert all(m in text for m in K["goals"])


def test_members_get_initials_and_their_own_side():
    for email, own, other in ((PARTNER_GP, "dr. Els Wouters", "Tom Claes"), (PARTNER_HR, "Tom Claes", "dr. Els Wouters")):
        r = client(email).request("GET", "/t/1/plan.pdf", check_html=False)
        assert_status(r, 200, email)
        text, _ = pdf_text(r)
        assert "A. J." in text and "Janssens" not in text, "%s: the participant's name on a member's copy" % email
        assert own in text and other not in text, "%s: a member of the other side named" % email
        assert all(m in text for m in K["goals"])


def test_dutch():
    r = client(PART_AN, lang="nl").request("GET", "/t/1/plan.pdf", check_html=False)
    assert_status(r, 200, "the Dutch PDF")
    text, _ = pdf_text(r)
    assert "Actieplan" in text and "4 december 2026" in text and "Te doen" in text, text[:600]


def test_no_standing_no_plan():
    for email in (COACH_PIETER, PART_KARIM):
        c = client(email)
        r = c.request("GET", "/t/1/plan.pdf", check_html=False)
        missing = c.request("GET", "/t/999999/plan.pdf", check_html=False)
        assert r.status == 404 and missing.status == 404, (email, r.status, missing.status)
        assert not r.raw.startswith(b"%PDF") and not any(m in r.body for m in K["goals"])
    # the care side's plan consent withdrawn: the GP no longer gets the plan (the page says there is none)
    srv.sql("UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE trajectory_id = 1 AND category = 'plan' "
            "AND grantee_side = 'care'", (int(time.time()), user_id(srv, COACH_SOFIE)))
    r = client(PARTNER_GP).request("GET", "/t/1/plan.pdf", check_html=False)
    assert_status(r, 200, "the GP after the withdrawal")
    text, _ = pdf_text(r)
    assert "There is no action plan you can see yet." in text
    assert not any(m in text for m in K["goals"] + K["actions"])


if __name__ == "__main__":
    run(srv, globals())
