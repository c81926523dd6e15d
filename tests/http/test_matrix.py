"""The access-control matrix: every route of the route table (read from `zorgwerk routes`, never listed
here) x every kind of user x with and without consent (live, expired, withdrawn, not yet in force,
member-specific and side-wide, a health->work consent written past the UI's refusal).

Trajectory 1 gets one note for every category x every source party, each with a unique marker text; a
third, independent implementation of the visibility rule of doc/DOMAIN.md (in Python, over the database
rows) says which markers each user may see. For every GET URL (path parameters substituted by rule, with
and without ?q=MRK) and every POST URL (empty form and a typical form) the test asserts: no 5xx, no marker
the user may not see anywhere in the body (pages, lists, search, exports, error pages), the expected
allow/deny status, and that no POST by a user without standing changed case data. It also checks that a
withdrawal works on the very next request and that an employer's note reaches the participant or the
care side only with the employer's consent.

Names and membership (issue 9): who is in the network is information too — the mere presence of a
psychologist is health information. The name, organisation and function of every network member of the
demo data (and of their account, if any) is a marker as well: the coach and the participant may see every
member of their trajectory, a network member the members of their own side, nobody else anyone. Every
response is also checked for the names the user may not see (consent forms, plan owners, note authors and
sources, counts, error pages ...), minus what the user legitimately receives through another channel than
the network (see State.name_markers). Trajectory 1 gets a plan whose actions are owned by members of both
sides.
"""
import datetime
import json
import os
import re
import secrets
import sqlite3
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PART_KARIM, PARTNER_GP, PARTNER_HR, Client,
                     DbRows, Server, db_columns, db_connect, db_is_pg, db_tables, form_fields, message_inbox_rebuild,
                     run, without_ref)
from harness import unescape  # the review page's text

LOGOFFICER = "privacy@zorgwerk.example"
PROGRAMME = "rik.vanacker@zorgwerk.example"
HR_NADIA = "nadia.verhoeven@hetanker.example"  # HR of another employer than Tom's (issue 13)
srv = Server(sets={"login_delay_ms": "0", "lang": "en"})

CATEGORIES = ("health", "capacity", "work", "plan", "practical")
ROLE_BITS = {"admin": 1, "coach": 2, "teamlead": 4, "participant": 8, "partner": 16, "logofficer": 32,
             "programme": 64}
MISSING = 999999
FAIL = []                      # precise failure messages
STATS = {"state_changes": 0, "changers": set(), "requests": 0, "marker_checks": 0, "cells": set(), "get_urls": set(), "post_urls": set()}
MARKERS = {}                   # item id -> marker text
MSG_MARKERS = {}               # message item id -> marker text in its body (issue 12: read by rule AND addressee)
REVIEW_MARKERS = []            # questions on a case review's agenda (issue 12): read by the team's coaches only
PLACEMENT_MARKERS = {}         # (issue 13): item id -> (marker, the placement it belongs to or None)
PROPOSAL_MARKERS = {}          # (issue 13): proposal id -> (marker in its note, status)
MSG_TO = set()                 # (message item id, recipient user id)
F = {}                         # fixture ids


def fail(msg):
    if len(FAIL) < 400:
        FAIL.append(msg)


def today(delta=0):
    d = datetime.datetime.fromtimestamp(time.time(), datetime.timezone.utc).date()  # the server: UTC days
    return (d + datetime.timedelta(days=delta)).isoformat()


class Row(tuple):
    """A row read by position, by column name (row["name"]) or as a dict (dict(row)), as sqlite3.Row."""

    def __new__(cls, names, values):
        row = tuple.__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, k):
        return tuple.__getitem__(self, self.names.index(k) if isinstance(k, str) else k)

    def keys(self):
        return list(self.names)


class Db:
    """The test's own connection to srv's database on either driver (harness.db_connect: sqlite3, or one psql
    session on PostgreSQL). execute(query, params) returns the rows of a SELECT as sqlite3.Row or Row (read by
    position or column name; fetchone, fetchall); insert(query, params) runs an INSERT and returns the new
    row's id (RETURNING id). Close it when done."""

    def __init__(self):
        self.pg = db_is_pg(srv)
        self.con = db_connect(srv, timeout=30)
        if not self.pg:
            self.con.row_factory = sqlite3.Row

    def execute(self, query, params=()):
        if not (self.pg and query.lstrip().upper().startswith("SELECT")):
            return self.con.execute(query, params)
        rows = DbRows()  # each row as JSON: its column names, its values with their types
        for (text,) in self.con.execute("SELECT CAST(row_to_json(q) AS TEXT) FROM (%s) AS q" % query, params):
            obj = json.loads(text)
            rows.append(Row(list(obj), [int(v) if isinstance(v, bool) else v for v in obj.values()]))
        return rows

    def insert(self, query, params=()):
        return self.execute(query + " RETURNING id", params).fetchall()[0][0]

    def close(self):
        self.con.close()


def db():
    return Db()


# ---------------------------------------------------------------- fixture

def uid(email):
    return srv.sql("SELECT id FROM users WHERE email = ?", (email,))[0][0]


def build_fixture():
    con = db()
    now = int(time.time())
    con.execute("BEGIN IMMEDIATE")
    mem = {r["role"]: r["id"] for r in con.execute("SELECT id, role FROM network_members WHERE trajectory_id = 1")}
    gp, hr, boss, psy = mem["gp"], mem["hr"], mem["line_manager"], mem["psychologist"]
    sofie, els, tom, karim = uid(COACH_SOFIE), uid(PARTNER_GP), uid(PARTNER_HR), uid(PART_KARIM)
    F.update(gp=gp, hr=hr, boss=boss, psy=psy)

    def member(tid, side, role, name, user=None, removed=None):
        return con.insert("INSERT INTO network_members (trajectory_id, side, role, name, user_id, created_by, "
                          "created_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (tid, side, role, name, user, sofie, now, removed))

    # spare contacts that POSTs may remove or invite without changing who sees what
    F["spare_mid1"] = member(1, "care", "other", "Matrix Reserve Een")
    F["spare_mid2"] = member(2, "care", "other", "Matrix Reserve Twee")
    # Karim was once a member of trajectory 1: removed, with a consent to him still in force
    F["removed_karim"] = member(1, "care", "other", "Karim (removed)", user=karim, removed=now - 86400)

    def note(tid, cat, src_name, source, author, deleted=None):
        marker = "MRK-%s-%s-%s" % (cat, src_name, secrets.token_hex(4))
        iid = con.insert("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, body, "
                         "created_at, deleted_at) VALUES (?, 'note', ?, ?, ?, ?, ?, ?, ?)",
                         (tid, cat, source, author, marker, "Body of %s." % marker, now - 3600, deleted))
        MARKERS[iid] = marker
        return iid

    sources = (("participant", None, sofie), ("gp", gp, els), ("hr", hr, tom), ("boss", boss, sofie),
               ("psy", psy, sofie))
    for cat in CATEGORIES:
        for name, source, author in sources:
            note(1, cat, name, source, author)
        note(2, cat, "karim", None, sofie)          # another trajectory
    note(1, "health", "psybyels", psy, els)        # author rule: Els wrote the psychologist's information
    note(1, "work", "bossbytom", boss, tom)         # author rule: Tom wrote the line manager's information
    note(1, "practical", "deleted", None, sofie, deleted=now - 60)   # deleted: nobody, not even the coach

    def consent(source, cat, grantee_member=None, side=None, given=-30, until=None, withdrawn=False, tid=1,
                recorder=sofie):
        return con.insert("INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, grantee_side, "
                          "category, given_on, method, recorded_by, valid_until, withdrawn_at, withdrawn_by, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, 'conversation', ?, ?, ?, ?, ?)",
                          (tid, source, grantee_member, side, cat, today(given), recorder,
                           today(until) if until is not None else None, now - 100 if withdrawn else None,
                           recorder if withdrawn else None, now))

    consent(None, "capacity", grantee_member=gp, until=-1)            # expired yesterday
    consent(None, "work", side="care", withdrawn=True)                 # withdrawn
    consent(None, "practical", grantee_member=gp, given=1)             # not yet in force (tomorrow)
    consent(None, "health", grantee_member=hr)                         # health -> work member: guardrail
    consent(None, "health", side="work")                               # health -> work side: guardrail
    consent(None, "work", grantee_member=F["removed_karim"])           # to a removed member
    consent(gp, "health", side="participant")                          # the GP lets An see the GP's health notes
    consent(gp, "capacity", grantee_member=hr)                         # GP capacity -> HR (member-specific)
    consent(hr, "capacity", side="participant", withdrawn=True)        # HR -> An, withdrawn
    consent(hr, "work", side="care", until=-2)                         # HR -> care side, expired
    consent(hr, "plan", side="care", until=30)                         # HR -> care side (side-wide), live
    consent(boss, "plan", side="participant")                          # line manager -> An
    consent(psy, "health", grantee_member=gp)                          # psychologist -> GP
    consent(psy, "health", side="work")                                # psychologist health -> work: guardrail
    consent(psy, "capacity", side="work", given=0, until=0)            # in force today only
    # spare consents that withdrawal POSTs may use up without changing what an account holder sees
    F["spare_cid_part"] = consent(None, "practical", grantee_member=psy)
    F["spare_cid_hr"] = consent(hr, "work", grantee_member=boss)
    F["spare_cid_t2"] = consent(None, "practical", side="care", tid=2)

    # a plan of trajectory 1 (shared with both sides by the demo's plan consents) with an action owned by
    # every member: the owners' names are membership information
    pv = con.insert("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, body, "
                    "created_at) VALUES (1, 'plan', 'plan', NULL, ?, 'Plan', 'Plan', ?)", (sofie, now - 7200))
    con.execute("INSERT INTO plan_versions (item_id, trajectory_id, version, created_by, created_at) "
                "VALUES (?, 1, 1, ?, ?)", (pv, sofie, now - 7200))
    goal = con.insert("INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                      "relevant, time_bound) VALUES (?, 1, 'Goal', 's', 'm', 'a', 'r', ?)", (pv, today(60)))
    for pos, owner in enumerate((gp, psy, hr, boss), 1):
        con.execute("INSERT INTO plan_actions (goal_id, position, text, owner_kind, owner_member_id, due_on, status, "
                    "trajectory_id, is_current) VALUES (?, ?, ?, 'member', ?, ?, 'planned', 1, 1)",
                    (goal, pos, "Matrix action %d" % pos, owner, today(pos)))
    F["plan_vid"] = pv

    # messages (issue 12) in every category, addressed to both partners (also where the rule refuses one of
    # them: health to HR): a message is read by those the rule allows AND who wrote it, got it or coach it
    an = uid(PART_AN)
    for cat in CATEGORIES:
        for name, source, author in (("an", None, an), ("hr", hr, tom), ("gp", gp, els)):
            marker = "MSG-%s-%s-%s" % (cat, name, secrets.token_hex(4))
            iid = con.insert("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, "
                             "body, created_at) VALUES (1, 'message', ?, ?, ?, '', ?, ?)",
                             (cat, source, author, "Message %s." % marker, now - 1800))
            con.execute("INSERT INTO messages (item_id, trajectory_id) VALUES (?, 1)", (iid,))
            for to in {els, tom, an} - {author}:
                con.execute("INSERT INTO message_recipients (message_id, user_id) VALUES (?, ?)", (iid, to))
                MSG_TO.add((iid, to))
            MSG_MARKERS[iid] = marker

    # meeting 1 (issue 12): of trajectory 1, every member of it an attendee; its minutes are items (kind
    # 'minutes') with a marker per category from the participant, shown by the rule like notes
    g = con.insert("INSERT INTO meetings (trajectory_id, kind, mode, starts_at, duration_minutes, place, agenda, "
                   "created_by, created_at) VALUES (1, 'consultation', 'group', ?, 60, 'Matrix room', 'Matrix agenda', "
                   "?, ?)", (now + 86400, sofie, now))
    for m in (None, gp, hr, boss, psy):
        con.execute("INSERT INTO meeting_attendees (meeting_id, member_id) VALUES (?, ?)", (g, m))
    for cat in CATEGORIES:
        iid = note(1, cat, "min-participant", None, sofie)
        con.execute("UPDATE items SET kind = 'minutes' WHERE id = ?", (iid,))
        con.execute("INSERT INTO meeting_minutes (item_id, meeting_id) VALUES (?, ?)", (iid, g))
    F["meeting"] = g
    # a case review of the team (issue 12) with trajectory 1 on its agenda: its question is for coaches only
    rv = con.insert("INSERT INTO case_reviews (held_on, chair_user_id, created_by, created_at) VALUES "
                    "('2026-01-15', ?, ?, ?)", (sofie, sofie, now))
    REVIEW_MARKERS.append("REVQ-%s" % secrets.token_hex(4))
    con.execute("INSERT INTO case_review_items (review_id, trajectory_id, brought_by, question, created_at) "
                "VALUES (?, 1, ?, ?, ?)", (rv, sofie, REVIEW_MARKERS[0], now))
    # Els (a care-side practitioner, member of trajectory 1) invited to that review: she reads its questions
    con.execute("INSERT INTO case_review_practitioners (review_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)",
                (rv, els, sofie, now))
    F.update(review=rv, review_practitioners={els})
    # (issue 13): a trial placement of trajectory 1 (work, the participant's information: no live consent
    # for work in the fixture), an evaluation talk with HR as source and one with the participant as source,
    # and a job-coaching contact; a marker in each. An evaluation is shown only on its placement's page.
    def placement_item(kind, source, body=""):
        return con.insert("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, "
                          "body, created_at) VALUES (1, ?, 'work', ?, ?, ?, ?, ?)",
                          (kind, source, sofie, kind, body, now))
    pm = "PLC-placement-%s" % secrets.token_hex(4)
    pl = placement_item("placement", None)
    con.execute("INSERT INTO placements (item_id, trajectory_id, employer_org_id, kind, starts_on, ends_on, "
                "hours_tenths, tasks, status, created_by, created_at) VALUES (?, 1, (SELECT employer_org_id FROM "
                "trajectories WHERE id = 1), 'trial', ?, ?, 160, ?, 'started', ?, ?)",
                (pl, today(-7), today(30), pm, sofie, now))
    PLACEMENT_MARKERS[pl] = (pm, None)
    for src, name in ((hr, "hr"), (None, "participant")):
        em = "PLC-eval-%s-%s" % (name, secrets.token_hex(4))
        e = placement_item("placement_eval", src)
        con.execute("INSERT INTO placement_evaluations (item_id, placement_id, trajectory_id, held_on, goes_well, "
                    "decision, created_by, created_at) VALUES (?, ?, 1, ?, ?, 'continue', ?, ?)",
                    (e, pl, today(-1), em, sofie, now))
        PLACEMENT_MARKERS[e] = (em, pl)
    jm = "PLC-jobcoaching-%s" % secrets.token_hex(4)
    j = placement_item("jobcoaching", None, jm)
    con.execute("INSERT INTO job_coaching_contacts (item_id, placement_id, trajectory_id, due_on, with_whom, held_on, "
                "mode, minutes, created_by, created_at) VALUES (?, ?, 1, ?, 'participant', ?, 'visit', 30, ?, ?)",
                (j, pl, today(-2), today(-2), sofie, now))
    PLACEMENT_MARKERS[j] = (jm, pl)
    F["placement"], F["jobcontact"] = pl, j
    # (issue 13): the job profile of trajectory 1 — two items, the participant's information, a marker in
    # each (the demo gives HR a live capacity consent, nobody one for work) — and two proposals with a marker
    # in the mediator's note: one waiting for the participant, one sent to Tom's employer.
    jp = {}
    for cat in ("work", "capacity"):
        m = "JPMRK-%s-participant-%s" % (cat, secrets.token_hex(4))
        jp[cat] = con.insert("INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) "
                             "VALUES (1, 'job_profile', ?, ?, ?, ?, ?)", (cat, sofie, "Job profile", m, now))
        MARKERS[jp[cat]] = m
    con.execute("INSERT INTO job_profiles (trajectory_id, work_item_id, capacity_item_id, created_by, created_at, "
                "updated_by, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)", (jp["work"], jp["capacity"], sofie, now, sofie, now))
    org = con.execute("SELECT org_id FROM users WHERE id = ?", (tom,)).fetchone()[0]
    F["jp_items"] = (jp["work"], jp["capacity"])
    F["jp_org_users"] = {r[0] for r in con.execute("SELECT id FROM users WHERE org_id = ?", (org,))}
    for status in ("awaiting_participant", "sent"):
        op = con.insert("INSERT INTO openings (employer_org_id, title, kind, work_kind, hours_max, region, created_at) "
                        "VALUES (?, 'Matrix opening', 'job', 'care', 30, 'Gent', ?)", (org, now))
        m = "PRPMRK-%s-%s" % (status, secrets.token_hex(4))
        p = con.insert("INSERT INTO proposals (trajectory_id, opening_id, employer_org_id, status, note, created_by, "
                       "created_at, status_changed_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                       (op, org, status, m, sofie, now, now))
        PROPOSAL_MARKERS[p] = (m, status)
    con.execute("COMMIT")
    con.close()
    message_inbox_rebuild(srv)  # the messages above were written directly: their summary (migration 024)


# ---------------------------------------------------------------- the rule, a third time (doc/DOMAIN.md)

class State:
    """The rows the rule needs, read from the database."""

    def __init__(self):
        con = db()
        self.users = {r["id"]: r["roles"] for r in con.execute("SELECT id, roles FROM users")}
        self.part_user = {r["id"]: r["user_id"] for r in con.execute(
            "SELECT t.id, p.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id")}
        self.coaches = {(r[0], r[1]) for r in con.execute("SELECT trajectory_id, user_id FROM trajectory_coaches")}
        self.members = {r["id"]: dict(r) for r in con.execute("SELECT * FROM network_members")}
        self.items = {r["id"]: dict(r) for r in con.execute("SELECT * FROM items")}
        self.consents = [dict(r) for r in con.execute("SELECT * FROM consents")]
        self.accounts = {r["id"]: dict(r) for r in con.execute(
            "SELECT u.id, u.name, u.function, o.name AS org FROM users u LEFT JOIN organisations o ON o.id = u.org_id")}
        self.orgs = [dict(r) for r in con.execute("SELECT name, kind FROM organisations")]
        self.registration = [dict(r) for r in con.execute(
            "SELECT t.id, t.referred_by, t.reason, t.employer_name FROM trajectories t")]
        con.close()
        self.today = today()
        self._vis = {}

    def live_membership(self, user, tid):
        for m in self.members.values():
            if m["trajectory_id"] == tid and m["user_id"] == user and m["removed_at"] is None:
                return m
        return None

    def is_coach(self, user, tid):
        return bool(self.users.get(user, 0) & 2) and (tid, user) in self.coaches

    def is_self(self, user, tid):
        return bool(self.users.get(user, 0) & 8) and self.part_user.get(tid) == user and user is not None

    def can_open(self, user, tid):
        if user is None or tid not in self.part_user:
            return False
        return self.is_coach(user, tid) or self.is_self(user, tid) or self.live_membership(user, tid) is not None

    def consent_live(self, k):
        return (k["withdrawn_at"] is None and k["given_on"] <= self.today
                and (k["valid_until"] is None or k["valid_until"] >= self.today))

    def sees(self, user, iid):
        it = self.items[iid]
        if user is None or it["deleted_at"] is not None:
            return False
        if it["author_id"] == user:                                  # the author
            return True
        tid, src, cat = it["trajectory_id"], it["source_member_id"], it["category"]
        if self.is_coach(user, tid):                                 # an assigned coach
            return True
        if src is None and self.is_self(user, tid):                  # the source party: the participant
            return True
        if src is not None:                                          # the source party: a member
            sm = self.members.get(src)
            if sm and sm["user_id"] == user and sm["removed_at"] is None:
                return True
        mine = self.live_membership(user, tid)
        for k in self.consents:                                      # a live consent of the source party
            if k["trajectory_id"] != tid or k["category"] != cat or k["source_member_id"] != src:
                continue
            if not self.consent_live(k):
                continue
            if mine is not None and (k["grantee_member_id"] == mine["id"] or k["grantee_side"] == mine["side"]):
                if cat == "health" and mine["side"] == "work":       # the legal guardrail
                    continue
                return True
            if k["grantee_side"] == "participant" and src is not None and self.is_self(user, tid):
                return True
        return False

    def visible(self, user):
        if user not in self._vis:
            self._vis[user] = {i for i in MARKERS if i in self.items and self.sees(user, i)}
        return self._vis[user]

    def reads_message(self, user, iid):
        it = self.items.get(iid)
        return it is not None and self.sees(user, iid) and (
            it["author_id"] == user or self.is_coach(user, it["trajectory_id"]) or (iid, user) in MSG_TO)

    def forbidden(self, user):
        return [MARKERS[i] for i in MARKERS if i not in self.visible(user)] + self.name_markers(user) + \
            [MSG_MARKERS[i] for i in MSG_MARKERS if not self.reads_message(user, i)] + \
            ([] if self.users.get(user, 0) & 2 or user in F["review_practitioners"] else REVIEW_MARKERS) + \
            [m for i, (m, up) in PLACEMENT_MARKERS.items() if not self.sees_placement_item(user, i, up)] + \
            [m for m, status in PROPOSAL_MARKERS.values() if not self.sees_proposal(user, status)]

    def sees_proposal(self, user, status):
        """a proposal's note: the coaches and the participant; once sent, the users of its employer who see a
        part of the job profile (the one door)."""
        if self.is_coach(user, 1) or self.is_self(user, 1):
            return True
        return status == "sent" and user in F["jp_org_users"] and bool(self.users.get(user, 0) & 16) and \
            any(i in self.items and self.sees(user, i) for i in F["jp_items"])

    def sees_placement_item(self, user, iid, up):
        """an evaluation or job-coaching contact is shown only inside its placement's page."""
        return iid in self.items and self.sees(user, iid) and (up is None or self.sees(user, up))

    # ---- names and membership

    def member_visible(self, user, mid):
        """The membership rule: coach and participant see every member, a member their own side."""
        m = self.members[mid]
        tid = m["trajectory_id"]
        if user is None:
            return False
        if self.is_coach(user, tid) or self.is_self(user, tid):
            return True
        mine = self.live_membership(user, tid)
        return mine is not None and mine["side"] == m["side"]

    def member_strings(self, mid):
        """What names member mid: name, organisation, function (role), and their account's name, function
        and organisation."""
        m = self.members[mid]
        out = {m["name"], m["organisation"], ROLE_LABELS.get(m["role"])}
        acc = self.accounts.get(m["user_id"])
        if acc:
            out |= {acc["name"], acc["function"], acc["org"]}
        return {x for x in out if x}

    def name_markers(self, user):
        """Names, organisations and functions of members whose membership the user may not see — except
        what reaches the user through another channel than the network: their own account; account data
        (names, functions, organisations of accounts) for the administrator (user and organisation
        management), the log officer (the access log) and participants ("who looked at my file"); for a
        coach the employers of the registration form, the role list of the add-member form and the
        registration texts of their own trajectories (a referrer named in free text)."""
        key = ("names", user)
        if key in self._vis:
            return self._vis[key]
        hidden, allowed = set(), []
        for mid in self.members:
            (allowed.extend if self.member_visible(user, mid) else hidden.update)(self.member_strings(mid))
        roles = self.users.get(user, 0) if user is not None else 0
        if user is not None:
            acc = self.accounts[user]
            allowed += [acc["name"], acc["function"] or "", acc["org"] or ""]
        if roles & (1 | 8 | 32):
            allowed += [a["name"] for a in self.accounts.values()] + [a["function"] or "" for a in self.accounts.values()]
            allowed += [o["name"] for o in self.orgs]
        if roles & 2:
            allowed += [o["name"] for o in self.orgs if o["kind"] == "employer"] + list(ROLE_LABELS.values())
            allowed += [t[k] or "" for t in self.registration if self.is_coach(user, t["id"])
                        for k in ("referred_by", "reason", "employer_name")]
        out = sorted(h for h in hidden if not any(h in a for a in allowed))
        self._vis[key] = out
        return out


# English labels of the fixture's member roles (src/pages/network.c). "GP" and "HR" are left out: two letters
# occur in too much else; those members' functions are their accounts' ("Huisarts", "HR-verantwoordelijke").
ROLE_LABELS = {"psychologist": "Psychologist", "line_manager": "Line manager"}

EXTRA = []
KNOWN = ("items", "consents", "network_members", "trajectories", "trajectory_coaches", "participants")


PRIMARY_KEYS = {}  # table -> the columns of its primary key
SNAP = []          # the connection snapshot() reads with, kept open between POSTs


def primary_key(t):
    """The columns of table t's primary key, in their order (on either driver)."""
    if t not in PRIMARY_KEYS:
        if db_is_pg(srv):
            cols = [r[0] for r in srv.sql(
                "SELECT k.column_name FROM information_schema.table_constraints c JOIN "
                "information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND "
                "k.table_schema = c.table_schema AND k.table_name = c.table_name WHERE c.table_schema = "
                "current_schema() AND c.table_name = ? AND c.constraint_type = 'PRIMARY KEY' ORDER BY "
                "k.ordinal_position", (t,))]
        else:
            cols = [c[1] for c in sorted(srv.sql("PRAGMA table_info(%s)" % t), key=lambda c: c[5]) if c[5] > 0]
        assert cols, "table %s has no primary key: its rows cannot be followed across a POST" % t
        PRIMARY_KEYS[t] = cols
    return PRIMARY_KEYS[t]


def snapshot():
    """The case data, row by row (keyed by table and primary key): the tables of the rule and every other
    table with a trajectory_id (so a module added later is covered too); access_log and sessions change
    legitimately and are left out."""
    if not EXTRA:
        EXTRA.append([t for t in db_tables(srv) if t != "access_log" and t not in KNOWN and
                      "trajectory_id" in db_columns(srv, t)])
    if not SNAP:
        SNAP[:] = [db(), None, None]  # the connection, the last snapshot and its digest (PostgreSQL)
    con, tables = SNAP[0], KNOWN + tuple(EXTRA[0])
    if con.pg:  # every table in one statement, as JSON (column names, typed values): one round trip per POST
        whole = "CAST(json_build_array(%s) AS TEXT)" % ", ".join(
            "(SELECT COALESCE(json_agg(t), '[]') FROM %s AS t)" % t for t in tables)
        digest = con.con.execute("SELECT md5(%s)" % whole)[0][0]
        if digest == SNAP[2]:  # the same rows as last time: not sent again
            return SNAP[1]
        digest, text = con.con.execute("SELECT md5(w), w FROM (SELECT %s AS w) AS s" % whole)[0]
        got = json.loads(text)
        rows = {t: got[i] for i, t in enumerate(tables)}
    else:
        rows = {t: [dict(r) for r in con.execute("SELECT * FROM %s" % t)] for t in tables}
    out = {}
    for t in tables:
        key = primary_key(t)
        for r in rows[t]:
            r["_rid"] = tuple(r[k] for k in key)
            out[(t, r["_rid"])] = r
    if con.pg:
        SNAP[1:] = [out, digest]
    return out


def snapshot_close():
    if SNAP:
        SNAP[0].close()
        SNAP[:] = []


# ---------------------------------------------------------------- users and routes

USERS = [  # (label, email or None)
    ("anonymous", None), ("teamlead", LEAD), ("logofficer", LOGOFFICER), ("coach-pieter", COACH_PIETER),
    ("karim", PART_KARIM), ("gp-els", PARTNER_GP), ("hr-tom", PARTNER_HR), ("an", PART_AN),
    ("coach-sofie", COACH_SOFIE), ("admin", ADMIN), ("programme", PROGRAMME), ("hr-nadia", HR_NADIA),
]
C = {}      # label -> Client
UID = {}    # label -> user id or None
ROUTES = []  # (method, pattern, roles, flags)


def login(label):
    email = dict(USERS)[label]
    c = Client(srv)
    if email:
        c.login(email, follow=False)
        assert c.get("/account").status == 200, "%s could not sign in" % label
    else:
        c.get("/login")
    C[label] = c
    return c


TIDIED = set()


def request(label, method, url, data=None, cell=None):
    """One request. tidy (slow under load) sees the first page of each route x user; the other tests
    check HTML validity page by page."""
    c = C[label]
    STATS["requests"] += 1
    tidy = cell is None or (cell, label) not in TIDIED
    if cell is not None:
        TIDIED.add((cell, label))
    if method == "GET":
        return c.request("GET", url, check_html=tidy)
    fields = list((data or {}).items())
    if c.csrf is None:
        c.get("/login")
    fields.append(("_csrf", c.csrf))
    return c.request("POST", url, body=urllib.parse.urlencode(fields).encode(), check_html=tidy,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


def role_ok(label, roles, flags):
    if "public" in flags:
        return True
    if UID[label] is None:
        return False
    if roles == "any":
        return True
    want = 0
    for r in roles.split(","):
        want |= ROLE_BITS.get(r, 0)
    return bool(STATE.users.get(UID[label], 0) & want)


def expand(pattern):
    """URLs for one pattern: the substitution rules, never a list of routes. Behind the trajectory id 1
    every note id; behind another trajectory id the notes of trajectory 2, the health notes of
    trajectory 1 (URL guessing across trajectories) and a missing id."""
    guess = sorted(i for i in MARKERS if STATE.items[i]["trajectory_id"] == 2 or STATE.items[i]["category"] == "health")
    subs = {"id": [1, 2, MISSING], "nid": sorted(MARKERS) + [MISSING],
            "cid": [F["spare_cid_part"], F["spare_cid_hr"], F["spare_cid_t2"], MISSING],
            "mid": [F["spare_mid1"], F["spare_mid2"], MISSING],
            "pl": [F["placement"], MISSING], "jc": [F["jobcontact"], MISSING]}  # placements, job coaching
    if pattern.startswith(("/employers/{id}", "/openings/{id}")):  # the employer register (issue 13)
        subs["id"] = register_ids()["employers" if pattern.startswith("/employers/") else "openings"]
    urls = [("", {})]
    for tok in re.split(r"(\{[^}]*\})", pattern):
        m = re.fullmatch(r"\{(\*?)([^}]*)\}", tok)
        if not m:
            urls = [(u + tok, p) for u, p in urls]
            continue
        name = m.group(2)
        vals = ["style.css"] if m.group(1) else subs.get(name, [1])
        urls = [(u + str(v), dict(p, **{name: v})) for u, p in urls for v in vals
                if not (name == "nid" and p.get("id", 1) != 1 and v not in guess + [MISSING])]
    return urls


def check_markers(label, method, url, resp, state, also=None):
    body = resp.raw.decode("utf-8", "replace")
    text = body + "\n" + "\n".join("%s: %s" % kv for kv in resp.headers.items())
    forbidden = state.forbidden(UID[label])
    if also is not None:  # a POST that changed the state: what was visible before or after may appear
        after = set(also.forbidden(UID[label]))
        forbidden = [m for m in forbidden if m in after]
    if url.startswith(("/employers", "/openings")):  # the register's own channel (issue 13)
        shown = register_strings(UID[label])
        forbidden = [m for m in forbidden if not any(m in x for x in shown)]
    STATS["marker_checks"] += len(forbidden)
    for m in forbidden:
        if m in text:
            fail("LEAK: %s %s %s -> %d shows forbidden marker %s" % (label, method, url, resp.status, m))


class Resp:
    """A body put together from several responses (all pages of a list)."""

    def __init__(self, body):
        self.raw, self.headers, self.status = body.encode(), {}, 200


def check_5xx(label, method, url, resp):
    if resp.status >= 500:
        fail("5xx: %s %s %s -> %d" % (label, method, url, resp.status))


# ---------------------------------------------------------------- tests

def test_setup():
    build_fixture()
    global STATE
    STATE = State()
    for line in srv.cli("routes", check=True).stdout.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0] in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            ROUTES.append((parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else ""))
    assert len(ROUTES) > 10, "`zorgwerk routes` printed too few routes: %r" % ROUTES
    for label, email in USERS:
        UID[label] = uid(email) if email else None
        login(label)
    # sanity of the model on the demo: the coach sees everything live, the admin nothing
    assert STATE.visible(UID["coach-sofie"]) == {i for i in MARKERS if STATE.items[i]["deleted_at"] is None}
    assert not STATE.visible(UID["admin"]) and not STATE.visible(UID["logofficer"])


def test_get_matrix():
    notfound = {}  # label -> body of /t/{id}/notes/999999 without the request reference
    for method, pattern, roles, flags in ROUTES:
        if method != "GET":
            continue
        for url0, params in expand(pattern):
            for variant, url in (("plain", url0), ("q", url0 + ("&" if "?" in url0 else "?") + "q=MRK")):
                for label, _ in USERS:
                    resp = request(label, "GET", url, cell=pattern)
                    STATS["cells"].add((pattern, label, variant))
                    STATS["get_urls"].add(url)
                    check_5xx(label, "GET", url, resp)
                    check_markers(label, "GET", url, resp, STATE)
                    st = resp.status
                    if not role_ok(label, roles, flags):
                        if 200 <= st < 300:
                            fail("ACCESS: %s GET %s -> %d although the route is for %s" % (label, url, st, roles))
                        continue
                    tid = params.get("id") if pattern.startswith("/t/{id}") else None
                    if tid is not None:
                        if not STATE.can_open(UID[label], tid):
                            if st != 404:
                                fail("ACCESS: %s GET %s -> %d, expected 404 (no standing in trajectory %s)"
                                     % (label, url, st, tid))
                            continue
                    if "nid" in params and "cid" not in params and "mid" not in params and tid is not None:
                        nid = params["nid"]
                        ok = nid in STATE.items and STATE.items[nid]["trajectory_id"] == tid and \
                            STATE.sees(UID[label], nid)
                        if ok and st != 200:
                            fail("ACCESS: %s GET %s -> %d, expected 200 (may see %s)" % (label, url, st, MARKERS[nid]))
                        if not ok:
                            if st != 404:
                                fail("ACCESS: %s GET %s -> %d, expected 404" % (label, url, st))
                            elif variant == "plain":
                                key = (label, tid)
                                if key not in notfound:
                                    notfound[key] = without_ref(request(label, "GET", "/t/%d/notes/%d" % (tid, MISSING)).body)
                                if without_ref(resp.body) != notfound[key]:
                                    fail("EXISTENCE: %s GET %s: the 404 differs from the one for a missing note"
                                         % (label, url))
                        if ok and MARKERS[nid] not in resp.body:
                            fail("ACCESS: %s GET %s -> 200 without the note's marker" % (label, url))
                        continue
                    # With standing, a section may still be the coach's only (an edit form, the protocol) or need
                    # a parameter (a questionnaire to fill in): 403/404 is then the page's own refusal. What the
                    # rule guarantees, and this checks: the assigned coach opens every plain trajectory page,
                    # and anyone else gets 200, 403 or 404 — never a page without standing (checked above)
                    # and never a forbidden marker (checked for every response).
                    if tid is not None and len(params) == 1:
                        coach_page = label == "coach-sofie" and not url.split("?")[0].endswith(("/new", "/edit"))
                        if coach_page and st != 200:
                            fail("ACCESS: %s GET %s -> %d, expected 200 (assigned coach)" % (label, url, st))
                        elif st not in (200, 403, 404):
                            fail("ACCESS: %s GET %s -> %d, expected 200, 403 or 404 (has standing)" % (label, url, st))
                    if not params and st in (401, 403, 404):
                        fail("ACCESS: %s GET %s -> %d although the route is for %s" % (label, url, st, roles))
    # every list that shows notes must show what the user may see (the filter does not hide too much)
    for label, _ in USERS:
        if UID[label] is None:
            continue
        for tid in (1, 2):
            if not STATE.can_open(UID[label], tid):
                continue
            body = see_notes(label, tid)
            check_markers(label, "GET", "/t/%d/notes (all pages)" % tid, Resp(body), STATE)
            for i in sorted(STATE.visible(UID[label])):  # the notes list shows notes (minutes: below)
                if STATE.items[i]["trajectory_id"] == tid and STATE.items[i]["kind"] == "note" and MARKERS[i] not in body:
                    fail("HIDDEN: %s GET /t/%d/notes does not show %s, which they may see" % (label, tid, MARKERS[i]))


def test_messages_shown_to_their_readers():
    """/t/1/messages shows every message a user reads (rule and addressee) and no other (issue 12)."""
    n0 = len(FAIL)
    for label, _ in USERS:
        if UID[label] is None or not STATE.can_open(UID[label], 1):
            continue
        resp = request(label, "GET", "/t/1/messages")
        check_markers(label, "GET", "/t/1/messages", resp, STATE)
        for i in MSG_MARKERS:
            if STATE.reads_message(UID[label], i) and MSG_MARKERS[i] not in resp.body:
                fail("HIDDEN: %s GET /t/1/messages does not show %s" % (label, MSG_MARKERS[i]))
    assert len(FAIL) == n0, "\n".join(FAIL[n0:n0 + 40])


def test_minutes_shown_to_their_readers():
    """/t/1/meetings/<meeting 1> shows every minutes item a user may see by the rule and no other (issue 12):
    every member of trajectory 1 attends it."""
    n0 = len(FAIL)
    url = "/t/1/meetings/%d" % F["meeting"]
    for label, _ in USERS:
        if UID[label] is None or not STATE.can_open(UID[label], 1):
            continue
        resp = request(label, "GET", url)
        check_markers(label, "GET", url, resp, STATE)
        for i in STATE.visible(UID[label]):
            if STATE.items[i]["kind"] == "minutes" and MARKERS[i] not in resp.body:
                fail("HIDDEN: %s GET %s does not show %s" % (label, url, MARKERS[i]))
    assert len(FAIL) == n0, "\n".join(FAIL[n0:n0 + 40])


def test_review_practitioner_reads_names_only_with_consent():
    """(issue 12, part 3): Els, a practitioner invited to the review, reads its agenda; trajectory 1's
    participant is named to her exactly when the model lets her see the participant's plan information (a live
    consent for the advice's category to her or her side), else initials and the number. Nobody else outside
    the coaches opens the review."""
    n0 = len(FAIL)
    url = "/reviews/%d" % F["review"]
    first, last = srv.sql("SELECT p.first_name, p.last_name FROM trajectories t JOIN participants p "
                          "ON p.id = t.participant_id WHERE t.id = 1")[0]
    plan_note = [i for i, m in MARKERS.items() if m.startswith("MRK-plan-participant-")][0]
    for label, _ in USERS:
        if UID[label] is None:
            continue
        resp = request(label, "GET", url)
        check_markers(label, "GET", url, resp, STATE)
        coach = bool(STATE.users.get(UID[label], 0) & 2)
        if not coach and UID[label] not in F["review_practitioners"]:
            if resp.status not in (403, 404):
                fail("ACCESS: %s GET %s -> %d, expected 403 or 404 (not in the review)" % (label, url, resp.status))
            continue
        if resp.status != 200 or REVIEW_MARKERS[0] not in resp.body:
            fail("HIDDEN: %s GET %s -> %d without the agenda's question" % (label, url, resp.status))
            continue
        if coach:
            continue
        body = unescape(resp.body)
        named = "%s %s" % (first, last) in body
        if named != STATE.sees(UID[label], plan_note):
            fail("PSEUDONYM: %s GET %s names the participant: %s, the model says %s" % (
                label, url, named, STATE.sees(UID[label], plan_note)))
        if not named and "%s.%s. #1" % (first[0], last[0]) not in body:
            fail("PSEUDONYM: %s GET %s shows neither the name nor initials and number" % (label, url))
    assert len(FAIL) == n0, "\n".join(FAIL[n0:n0 + 40])


def test_placement_shown_to_its_readers():
    """(issue 13): the placement's page opens exactly for whom the rule lets see the placement, and shows
    there every evaluation and job-coaching contact they may see; HR, whose own remarks an evaluation holds,
    sees none of it without the participant's consent for work (the fixture has none live)."""
    n0 = len(FAIL)
    url = "/t/1/placements/%d" % F["placement"]
    for label, _ in USERS:
        resp = request(label, "GET", url)
        check_markers(label, "GET", url, resp, STATE)
        user = UID[label]
        if user is None or not STATE.sees(user, F["placement"]):
            if resp.status not in (303, 404):
                fail("ACCESS: %s GET %s -> %d, expected 404 (may not see the placement)" % (label, url, resp.status))
            continue
        if resp.status != 200:
            fail("ACCESS: %s GET %s -> %d, expected 200" % (label, url, resp.status))
        for i, (m, up) in PLACEMENT_MARKERS.items():
            if STATE.sees_placement_item(user, i, up) and m not in resp.body:
                fail("HIDDEN: %s GET %s does not show %s" % (label, url, m))
    assert not STATE.sees(UID["hr-tom"], F["placement"]), "the fixture gives HR a live consent for work"
    assert len(FAIL) == n0, "\n".join(FAIL[n0:n0 + 40])


def test_expected_visibility_spot_checks():
    """The model itself agrees with doc/DOMAIN.md on the cases the fixture was built for."""
    v = lambda label: {MARKERS[i].rsplit("-", 1)[0] for i in STATE.visible(UID[label])}  # noqa: E731
    tom, els, an, karim = v("hr-tom"), v("gp-els"), v("an"), v("karim")
    assert "MRK-capacity-participant" in tom and "MRK-plan-participant" in tom and "MRK-practical-participant" in tom
    assert not {m for m in tom if m.startswith("MRK-health") and m != "MRK-health-hr"}, \
        "health reached the work side: %s" % tom
    assert "MRK-capacity-gp" in tom and "MRK-work-bossbytom" in tom and "MRK-capacity-psy" in tom
    assert "MRK-health-participant" in els and "MRK-plan-participant" in els and "MRK-plan-hr" in els
    assert "MRK-capacity-participant" not in els and "MRK-work-participant" not in els
    assert "MRK-practical-participant" not in els and "MRK-work-hr" not in els and "MRK-health-psy" in els
    assert "MRK-health-psybyels" in els
    assert {m for m in an if not m.endswith("-participant")} == {"MRK-health-gp", "MRK-work-hr", "MRK-plan-boss"}
    assert "MRK-work-boss" not in an and "MRK-capacity-hr" not in an
    assert karim == {"MRK-%s-karim" % c for c in CATEGORIES}
    assert not any("deleted" in m for m in v("coach-sofie"))


def test_names_model_spot_checks():
    """The name markers follow the membership rule on the demo network."""
    tom, els = set(STATE.name_markers(UID["hr-tom"])), set(STATE.name_markers(UID["gp-els"]))
    assert {"dr. Els Wouters", "Huisarts", "Huisartsenpraktijk De Linde", "Joke Mertens", "Praktijk Het Venster",
            "Psychologist"} <= tom, tom
    assert not tom & {"Tom Claes", "Luc Verbeke", "Bouwbedrijf Verbeke NV", "Line manager"}, tom
    assert {"Tom Claes", "HR-verantwoordelijke", "Luc Verbeke", "Bouwbedrijf Verbeke NV", "Line manager"} <= els, els
    assert not els & {"dr. Els Wouters", "Joke Mertens", "Praktijk Het Venster", "Psychologist"}, els
    assert set(STATE.name_markers(UID["an"])) == {"Matrix Reserve Twee"}
    assert not STATE.name_markers(UID["coach-sofie"])
    assert {"Joke Mertens", "Luc Verbeke", "Matrix Reserve Een"} <= set(STATE.name_markers(UID["admin"]))
    assert {"Joke Mertens", "Luc Verbeke", "Tom Claes"} <= set(STATE.name_markers(UID["coach-pieter"]))


def test_names_reach_whom_may_see_them():
    """The membership rule hides no more than it should: each side sees its own members by name (grantee
    options, plan owners), the coach everyone, and a hidden owner is a neutral label, not a gap."""
    everyone = ("Joke Mertens", "Luc Verbeke", "dr. Els Wouters", "Tom Claes")
    want = {("hr-tom", "/t/1/consents"): ("Luc Verbeke",), ("hr-tom", "/t/1/plan"): ("Luc Verbeke", "Tom Claes"),
            ("gp-els", "/t/1/consents"): ("Joke Mertens",), ("gp-els", "/t/1/plan"): ("Joke Mertens", "dr. Els Wouters"),
            ("coach-sofie", "/t/1/consents"): everyone, ("coach-sofie", "/t/1/plan"): everyone}
    for (label, url), names in want.items():
        body = request(label, "GET", url).body
        for name in names:
            assert name in body, "%s GET %s does not name %s, whom they may see" % (label, url, name)
    for label in ("hr-tom", "gp-els"):
        body = request(label, "GET", "/t/1/plan").body
        assert body.count("another member of the network") == 2, \
            "%s: the plan's two actions owned by the other side are not shown with the neutral label" % label


def test_a_hidden_member_is_no_grantee():
    """Naming a member of the other side as grantee is answered as for a member that does not exist (no
    membership oracle), and no consent is recorded."""
    before = srv.sql("SELECT COUNT(*) FROM consents")[0][0]
    answers = {}
    for grantee in ("member:%d" % F["gp"], "member:%d" % F["psy"], "member:%d" % MISSING):
        C["hr-tom"].refresh_csrf()
        r = request("hr-tom", "POST", "/t/1/consents", {"grantee": grantee, "category": "capacity"})
        answers[grantee] = (r.status, re.sub(r"member:\d+", "", without_ref(r.body)))
    assert srv.sql("SELECT COUNT(*) FROM consents")[0][0] == before, "HR gave a consent to a member of the care side"
    assert len(set(answers.values())) == 1, "the answers differ: %r" % {g: a[0] for g, a in answers.items()}
    assert answers["member:%d" % MISSING][0] == 400


def consent_id(where, params):
    rows = srv.sql("SELECT id FROM consents WHERE trajectory_id = 1 AND withdrawn_at IS NULL AND " + where, params)
    assert rows, "no consent where " + where
    return rows[-1][0]


def markers_of(cat, src):
    return [m for m in MARKERS.values() if m.startswith("MRK-%s-%s-" % (cat, src))]


def see_notes(label, tid=1, q=None):
    """Every page of the notes list (following the pager), concatenated."""
    url = "/t/%d/notes" % tid + ("?q=" + urllib.parse.quote(q) if q else "")
    out = []
    for _ in range(50):
        resp = request(label, "GET", url)
        out.append(resp.body)
        if resp.status != 200:
            break
        m = re.search(r'<a href="([^"]*)">Older</a>', resp.body)
        if not m:
            break
        url = m.group(1).replace("&amp;", "&")
    return "\n".join(out)


def test_withdrawal_takes_effect_on_the_next_request():
    mark = markers_of("capacity", "participant")[0]
    nid = [i for i, m in MARKERS.items() if m == mark][0]
    assert mark in see_notes("hr-tom"), "Tom does not see An's capacity note before the withdrawal"
    cid = consent_id("source_member_id IS NULL AND grantee_member_id = ? AND category = 'capacity'", (F["hr"],))
    C["an"].refresh_csrf()
    r = request("an", "POST", "/t/1/consents/%d/withdraw" % cid, {})
    assert r.status == 303, "An's withdrawal: %d %s" % (r.status, r.body[:300])
    body = see_notes("hr-tom")
    assert mark not in body, "Tom still sees %s on the request after the withdrawal" % mark
    assert request("hr-tom", "GET", "/t/1/notes/%d" % nid).status == 404
    assert mark not in see_notes("hr-tom", q=mark[:-1]), "Tom finds %s by search after the withdrawal" % mark
    C["an"].refresh_csrf()
    r = request("an", "POST", "/t/1/consents", {"grantee": "member:%d" % F["hr"], "category": "capacity"})
    assert r.status == 303, "An gives the consent again: %d %s" % (r.status, r.body[:300])
    assert mark in see_notes("hr-tom"), "Tom does not see %s after An consented again" % mark
    assert request("hr-tom", "GET", "/t/1/notes/%d" % nid).status == 200


def test_employer_note_needs_the_employers_consent():
    mark = markers_of("practical", "hr")[0]
    nid = [i for i, m in MARKERS.items() if m == mark][0]
    for label in ("an", "gp-els"):
        assert mark not in see_notes(label), "%s sees HR's practical note without HR's consent" % label
        assert request(label, "GET", "/t/1/notes/%d" % nid).status == 404
    C["hr-tom"].refresh_csrf()
    r = request("hr-tom", "POST", "/t/1/consents", {"grantee": "side:participant", "category": "practical"})
    assert r.status == 303, "HR consents to the participant: %d %s" % (r.status, r.body[:300])
    assert mark in see_notes("an"), "An does not see HR's note after HR's consent"
    assert mark not in see_notes("gp-els"), "the care side sees HR's note with a consent to the participant only"
    C["hr-tom"].refresh_csrf()
    r = request("hr-tom", "POST", "/t/1/consents", {"grantee": "side:care", "category": "practical"})
    assert r.status == 303, "HR consents to the care side: %d %s" % (r.status, r.body[:300])
    assert mark in see_notes("gp-els"), "Els does not see HR's note after HR's consent to the care side"
    for where in ("grantee_side = 'participant'", "grantee_side = 'care'"):
        cid = consent_id("source_member_id = ? AND category = 'practical' AND " + where, (F["hr"],))
        C["hr-tom"].refresh_csrf()
        assert request("hr-tom", "POST", "/t/1/consents/%d/withdraw" % cid, {}).status == 303
    for label in ("an", "gp-els"):
        assert mark not in see_notes(label), "%s still sees HR's note after HR withdrew" % label
    global STATE
    STATE = State()


TYPICAL = {"q": "MRK", "title": "Matrix post title", "body": "Matrix post body", "category": "capacity",
           "source": "participant", "grantee": "side:care", "method": "conversation", "given_on": today(),
           "valid_until": "", "name": "Matrix Post Name", "side": "care", "role": "other", "phase": "follow_up",
           "email": "", "next": "/"}


def register_strings(user):
    """(issue 13): what the employer register shows a reader through its own channel, not the network's:
    employers' names, the names and functions of the employers' own accounts (the contact person) and the
    register's texts — every employer's to coaches and team leads, their own employer's to its users, nothing to
    anyone else. Whether a member of some network is shown there as such is still checked everywhere else."""
    roles = STATE.users.get(user, 0) if user else 0
    con = db()
    own = con.execute("SELECT org_id FROM users WHERE id = ?", (user,)).fetchone() if user else None
    where = "" if roles & (2 | 4) else " AND o.id = %d" % (own[0] if own and own[0] and roles & 16 else -1)
    out = [r[0] for r in con.execute("SELECT o.name FROM organisations o WHERE o.kind = 'employer'" + where)]
    out += [x or "" for r in con.execute("SELECT u.name, u.function FROM users u JOIN organisations o ON o.id = "
                                         "u.org_id WHERE o.kind = 'employer' AND u.active = 1" + where) for x in r]
    out += [x or "" for r in con.execute("SELECT p.sector, p.region, p.work_processes, p.job_kinds, p.culture FROM "
                                         "employer_profiles p JOIN organisations o ON o.id = p.org_id WHERE 1 = 1"
                                         + where) for x in r]
    if roles & (2 | 4):
        out += [r[0] or "" for r in con.execute("SELECT note FROM employer_contacts")]
    out += [x or "" for r in con.execute("SELECT op.title, op.tasks, op.region, op.requirements FROM openings op "
                                         "JOIN organisations o ON o.id = op.employer_org_id WHERE 1 = 1" + where)
            for x in r]
    con.close()
    return out


def register_ids():
    """(issue 13): the ids behind /employers/{id} and /openings/{id}: Tom's employer (Verbeke), Nadia's
    (Het Anker), a missing one; an opening of each of the two, a missing one."""
    if "register" not in F:
        emp = [srv.sql("SELECT org_id FROM users WHERE email = ?", (e,))[0][0] for e in (PARTNER_HR, HR_NADIA)]
        ops = [srv.sql("SELECT MIN(id) FROM openings WHERE employer_org_id = ?", (o,))[0][0] for o in emp]
        F["register"] = {"employers": emp + [MISSING], "openings": ops + [MISSING], "own": dict(zip(
            ("hr-tom", "hr-nadia"), emp))}
    return F["register"]


def test_employer_register_by_employer():
    """(issue 13): the register's pages by user: coaches and team leads read every employer; an employer's
    user only their own employer and its openings — another employer's is the not-found page with a "denied"
    entry; the contact history (a marker) only coaches and team leads; nobody else anything."""
    ids = register_ids()
    con = db()
    marker = "EMPC-%s" % secrets.token_hex(4)
    con.execute("INSERT INTO employer_contacts (org_id, held_on, mode, minutes, note, by_user_id, created_at) "
                "VALUES (?, '2026-01-02', 'visit', 30, ?, ?, ?)",
                (ids["employers"][1], marker, uid(COACH_SOFIE), int(time.time())))
    con.close()
    for label, _ in USERS:
        for kind in ("employers", "openings"):
            for i, x in enumerate(ids[kind]):
                url = "/%s/%d" % (kind, x)
                mark = srv.sql("SELECT COALESCE(MAX(id), 0) FROM access_log")[0][0]
                resp = request(label, "GET", url)
                check_5xx(label, "GET", url, resp)
                check_markers(label, "GET", url, resp, STATE)
                roles = STATE.users.get(UID[label], 0) if UID[label] else 0
                own = ids["own"].get(label)
                if x == MISSING:
                    want = 404 if roles & (ROLE_BITS["coach"] | ROLE_BITS["teamlead"] | ROLE_BITS["partner"]) else None
                elif roles & (ROLE_BITS["coach"] | ROLE_BITS["teamlead"]):
                    want = 200
                elif roles & ROLE_BITS["partner"]:
                    want = 200 if own == ids["employers"][i] else 404
                else:
                    want = None  # refused by role: 403, or the sign-in for the anonymous
                if want is None:
                    if resp.status in range(200, 300):
                        fail("REGISTER: %s GET %s -> %d" % (label, url, resp.status))
                elif resp.status != want:
                    fail("REGISTER: %s GET %s -> %d, expected %d" % (label, url, resp.status, want))
                if want == 404 and UID[label]:
                    denied = srv.sql("SELECT item FROM access_log WHERE id > ? AND user_id = ? AND outcome = 'denied'",
                                     (mark, UID[label]))
                    if len(denied) != 1:
                        fail("REGISTER: %s GET %s refused without one denied entry: %r" % (label, url, denied))
                if marker in resp.body and not roles & (ROLE_BITS["coach"] | ROLE_BITS["teamlead"]):
                    fail("REGISTER: %s GET %s shows the contact history" % (label, url))
                if kind == "employers" and i == 1 and want == 200 and roles & (ROLE_BITS["coach"] | ROLE_BITS["teamlead"]) \
                        and marker not in resp.body:
                    fail("REGISTER: %s GET %s does not show the contact history" % (label, url))


def own_party(state, user, tid):
    """The source party the user speaks for in trajectory tid: ('participant',) or the member id."""
    if state.is_self(user, tid):
        return None
    m = state.live_membership(user, tid)
    return m["id"] if m else "none"


def check_changes(label, url, roles, flags, before, after, sb):
    """Every change of case data by this POST must be one the user has standing for."""
    user = UID[label]
    changed = [k for k in set(before) | set(after) if before.get(k) != after.get(k)]
    if not changed:
        return
    allowed_role = role_ok(label, roles, flags) and user is not None
    for key in changed:
        t = key[0]
        old, new = before.get(key), after.get(key)
        row = new or old
        tid = row.get("trajectory_id", row.get("id") if t == "trajectories" else None)
        why = None
        if not allowed_role:
            why = "the route is not for this user"
        elif t in ("participants",) or (t in ("trajectories", "trajectory_coaches") and old is None):
            if not (sb.users.get(user, 0) & 2):
                why = "only a coach registers participants"
        elif tid is not None and not sb.can_open(user, tid):
            why = "no standing in trajectory %s" % tid
        elif sb.is_coach(user, tid) or t not in KNOWN:
            why = None  # the coach runs the trajectory; other modules' tables: standing is what we can check
        elif t == "items":
            if old is not None:
                why = "an existing item changed"
            elif new["author_id"] != user or new["source_member_id"] != own_party(sb, user, tid):
                why = "item with another author or source party"
        elif t == "consents":
            src = row["source_member_id"]
            if src != own_party(sb, user, tid):
                why = "a consent of another source party"
            elif old is None and new["recorded_by"] != user:
                why = "consent recorded in another's name"
            elif old is not None and {k for k in new if new[k] != old[k]} - {"withdrawn_at", "withdrawn_by"}:
                why = "a consent changed other than by withdrawal"
        elif t == "trajectories":
            if old is None or {k for k in new if new[k] != old[k]} - {"last_activity_at"}:
                why = "trajectory changed by a non-coach"
        else:
            why = "%s changed by a non-coach" % t
        if why:
            fail("STATE: %s POST %s changed %s row %s (%s): %r -> %r" % (label, url, t, key[1], why, old, new))


def test_post_matrix():
    global STATE
    harvested = {}  # (label, action) -> fields of a form the user was shown
    for label, _ in USERS:
        for url in ("/t/1/notes", "/t/1/consents", "/t/1/network", "/t/1", "/me/consents", "/account"):
            resp = request(label, "GET", url)
            for m in re.finditer(r'<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', resp.body, re.S):
                f = form_fields(m.group(2))
                f.pop("_csrf", None)
                harvested.setdefault((label, m.group(1)), f)
    snap = snapshot()
    for label, _ in USERS:
        for method, pattern, roles, flags in ROUTES:
            if method == "GET":
                continue
            for url, params in expand(pattern):
                # the typical form only where the route is for the user: a refusal by role comes first
                for variant in ("empty", "typical") if role_ok(label, roles, flags) else ("empty",):
                    data = {} if variant == "empty" else dict(TYPICAL, **harvested.get((label, url), {}))
                    sb = STATE
                    c = C[label]
                    resp = request(label, method, url, data, cell=method + pattern)
                    STATS["cells"].add((pattern, label, variant))
                    STATS["post_urls"].add(url)
                    check_5xx(label, method, url, resp)
                    after = snapshot()
                    if after != snap:
                        STATS["state_changes"] += 1
                        STATS["changers"].add(label)
                        check_changes(label, url, roles, flags, snap, after, sb)
                        STATE = State()
                        snap = after
                    check_markers(label, method, url, resp, sb, also=STATE)
                    if not role_ok(label, roles, flags):
                        if UID[label] is not None and resp.status not in (403, 404):
                            fail("ACCESS: %s POST %s -> %d, expected 403 (route for %s)" % (label, url, resp.status,
                                                                                          roles))
                        if UID[label] is None and resp.status not in (303, 403, 404):
                            fail("ACCESS: anonymous POST %s -> %d" % (url, resp.status))
                    elif pattern.startswith("/t/{id}") and not sb.can_open(UID[label], params["id"]):
                        if resp.status != 404:
                            fail("ACCESS: %s POST %s -> %d, expected 404 (no standing)" % (label, url, resp.status))
                    # the session may have ended (logout, ...): sign in again for what follows
                    ended = resp.status == 303 and (resp.location or "").startswith("/login")
                    if UID[label] is not None and (ended or c.session_cookie() is None):
                        con = db()
                        con.execute("UPDATE users SET active = 1, locked = 0, failed_logins = 0 WHERE id = ?",
                                    (UID[label],))
                        con.close()
                        login(label)
                    elif UID[label] is None:
                        C[label].get("/login")
    snapshot_close()


def test_lists_agree_after_the_posts():
    """After all POSTs (new consents, withdrawals, notes), lists and search still follow the rule."""
    global STATE
    STATE = State()
    con = db()
    con.execute("UPDATE users SET active = 1, locked = 0, failed_logins = 0")
    con.close()
    for label, _ in USERS:
        if UID[label] is not None and request(label, "GET", "/account").status != 200:
            login(label)
        for tid in (1, 2):
            resp = request(label, "GET", "/t/%d" % tid)
            check_5xx(label, "GET", "/t/%d" % tid, resp)
            check_markers(label, "GET", "/t/%d" % tid, resp, STATE)
            for q in (None, "mrk"):
                url = "/t/%d/notes" % tid + ("?q=" + q if q else "") + " (all pages)"
                body = see_notes(label, tid, q)
                check_markers(label, "GET", url, Resp(body), STATE)
                if STATE.can_open(UID[label], tid):
                    for i in STATE.visible(UID[label]):  # notes (minutes are on the meeting's page)
                        if STATE.items[i]["trajectory_id"] == tid and STATE.items[i]["kind"] == "note" and \
                                MARKERS[i] not in body:
                            fail("HIDDEN: %s GET %s does not show %s" % (label, url, MARKERS[i]))


def test_summary():
    routes = len(ROUTES)
    print("# matrix: %d routes (%d GET, %d POST) x %d users; %d route x user x variant cells; %d GET URLs, "
          "%d POST URLs; %d requests; %d forbidden-marker checks; %d markers; %d POSTs changed case data (by %s)"
          % (routes, sum(1 for r in ROUTES if r[0] == "GET"), sum(1 for r in ROUTES if r[0] != "GET"), len(USERS),
             len(STATS["cells"]), len(STATS["get_urls"]), len(STATS["post_urls"]), STATS["requests"],
             STATS["marker_checks"], len(MARKERS), STATS["state_changes"], ", ".join(sorted(STATS["changers"]))),
          flush=True)
    for f in FAIL:
        print("# FAIL " + f)
    assert not FAIL, "%d failure(s); first: %s" % (len(FAIL), FAIL[0])


run(srv, globals())
