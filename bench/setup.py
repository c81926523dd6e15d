#!/usr/bin/env python3
"""bench/setup.py — helper for bench/run.sh (python3 standard library only).

  setup.py db BIN DB STATE.json [ARG...]  (DB: a SQLite file or a postgresql:// URL, written through psql; ARGs
                                          go to the binary, e.g. --set audit_key_file=...) demo database + one coach with exactly 20 open trajectories, each
                                          with a new latest plan version of 5 goals x 4 actions, and one
                                          conversation of 50 messages with the participant in each
  setup.py login BASE STATE.json DIR      sign the coach in over HTTP (password, then TOTP), save the
                                          caseload, dashboard and inbox HTML to DIR/{caseload,dashboard,messages}
                                          .html, find a
                                          trajectory and an asset
  setup.py check BASE STATE.json PATH     1 request with the session cookie: prints "status bytes"
  setup.py set STATE.json KEY=VALUE...   store values (JSON or text) in the state file; get STATE KEY reads
  setup.py wait URL                      waits until URL answers 200 (15 s at most)
  setup.py rss PID... [--children]        VmHWM (KiB) of the processes, summed
  setup.py freeport                       prints a free TCP port on 127.0.0.1
  setup.py report STATE.json OUT.json     reads the wrk results and RSS figures, prints the table and the
                                          PASS/FAIL lines, writes OUT.json; exit 0 (targets are reported,
                                          not enforced) unless a required scenario could not be measured

Only 127.0.0.1 is ever contacted.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.parse
import glob

COACH = "sofie.peeters@zorgwerk.example"
TARGET_OPEN = 20
FIRST = ["Eva", "Tim", "Lien", "Wout", "Noor", "Jens", "Ines", "Ruben", "Amber", "Milan", "Hanne", "Sven",
         "Emma", "Lars", "Zoë", "Arne", "Femke", "Dries", "Sara", "Kobe"]
LAST = ["Peeters", "Maes", "Jacobs", "Willems", "Mertens", "Claes", "Goossens", "Wuyts", "Dubois", "Lambert",
        "Hermans", "Aerts", "Smets", "Verstraeten", "Van Damme", "Michiels", "De Smet", "Martens", "Stevens",
        "Leclercq"]
PLAN_GOALS, PLAN_ACTIONS = 5, 4
GOALS = ["Dagritme opbouwen", "Belastbaarheid verhogen", "Werkhervatting voorbereiden", "Netwerk versterken",
         "Financiën op orde brengen"]
ACTIONS = ["Wekelijks gesprek met de coach plannen", "Drie keer per week een wandeling van 30 minuten",
           "Gesprek met de leidinggevende over aangepast werk", "Afspraak met de bedrijfsarts maken",
           "Vacatures bekijken met de jobcoach", "Vrijwilligerswerk twee halve dagen proberen",
           "Budgetoverzicht opmaken met het OCMW"]
PHASES = ["registration", "intake", "exploration", "consultation", "action_plan", "follow_up", "aftercare"]


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, path)


# ---- RFC 6238 (HMAC-SHA1, 6 digits, 30 s) ----
def totp(secret_b32, t=None, step=30, digits=6):
    s = secret_b32.strip().replace(" ", "").upper()
    key = base64.b32decode(s + "=" * (-len(s) % 8))
    counter = int((time.time() if t is None else t) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def protocol_start(cur, tid):
    """A trajectory inserted here gets its protocol steps and first stay as the store's protocol_on_insert gives
    them (as src/cli/scale.c does)."""
    cur.execute("UPDATE trajectories SET protocol_template_id = COALESCE(protocol_template_id, (SELECT id FROM "
                "protocol_templates WHERE active = 1 ORDER BY is_default DESC, id LIMIT 1)) WHERE id = ?", (tid,))
    cur.execute("INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required) SELECT t.id, "
                "s.phase, s.position, s.text, s.required FROM trajectories t JOIN protocol_steps s ON "
                "s.template_id = t.protocol_template_id WHERE t.id = ? ORDER BY s.id", (tid,))
    cur.execute("INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at) SELECT id, phase, "
                "'start', phase_since, created_at FROM trajectories WHERE id = ?", (tid,))


# ---- database ----
class PgCursor:
    """What cmd_db needs of a sqlite3 cursor, on PostgreSQL: one psql process (one transaction up to each
    commit, as with sqlite3), statements with ?
    parameters (numbers, texts, None) filled in as literals; lastrowid from RETURNING id on the tables that have
    an id."""
    WITH_ID = ("participants", "trajectories", "items", "plan_goals", "users")
    END = "__zw_end__"

    def __init__(self, url):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))
        self.p = subprocess.Popen([bins[-1] if bins else "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                   "-F", "\x1f", "-P", "null=\x1d", "-d", url], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        self.lastrowid, self.rows = None, []
        self.execute("BEGIN")

    @staticmethod
    def literal(v):
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        return "'" + str(v).replace("'", "''") + "'"

    def execute(self, sql, params=()):
        parts = sql.split("?")
        if len(parts) != len(params) + 1:
            sys.exit("setup: parameters do not match: " + sql)
        text = parts[0] + "".join(self.literal(v) + rest for v, rest in zip(params, parts[1:]))
        m = re.match(r"\s*INSERT INTO (\w+)", text)
        if m and m.group(1) in self.WITH_ID:
            text += " RETURNING id"
        self.p.stdin.write(text + ";\n\\echo " + self.END + "\n")
        self.p.stdin.flush()
        self.rows = []
        while True:
            line = self.p.stdout.readline()
            if not line:
                sys.exit("setup: psql stopped at: " + text[:300])
            line = line.rstrip("\n")
            if line == self.END:
                break
            if line:
                self.rows.append(tuple(None if v == "\x1d" else int(v) if re.fullmatch(r"-?\d+", v) else v
                                       for v in line.split("\x1f")))
        if m and m.group(1) in self.WITH_ID:
            self.lastrowid = self.rows[0][0]
        return self

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(list(self.rows))

    # the connection's side
    def cursor(self):
        return self

    def commit(self):
        self.execute("COMMIT")
        self.execute("BEGIN")

    def close(self):
        self.execute("COMMIT")
        self.p.stdin.close()
        self.p.wait()


def cmd_db(binary, db, state_path, extra=()):
    out = subprocess.run([binary, "--db", db] + list(extra) + ["demo", "--force"], check=True, capture_output=True,
                         text=True).stdout
    m = re.search(r"^\s*" + re.escape(COACH) + r"\s+coach\s+(\S+)\s*$", out, re.M)
    if not m:
        sys.exit("setup: the demo output does not show the TOTP secret of " + COACH)
    secret = m.group(1)
    pw = re.search(r"password:\s+(\S+)", out)
    if db.startswith(("postgresql://", "postgres://")):
        con = PgCursor(db)
    else:
        con = sqlite3.connect(db)
        con.execute("PRAGMA foreign_keys=ON")
    cur = con.cursor()
    coach_id, org_id = cur.execute("SELECT id, org_id FROM users WHERE email = ?", (COACH,)).fetchone()
    employers = [r[0] for r in cur.execute("SELECT id FROM organisations WHERE kind = 'employer' ORDER BY id")]
    def open_count():
        return cur.execute("SELECT COUNT(*) FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                           "WHERE c.user_id = ? AND t.status = 'open'", (coach_id,)).fetchone()[0]
    have = open_count()
    now = int(time.time())
    day = 86400
    for i in range(max(0, TARGET_OPEN - have)):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        birth = "%04d-%02d-%02d" % (1965 + (i * 3) % 35, 1 + i % 12, 1 + (i * 5) % 28)
        ago = 3 + i * 11
        cur.execute("INSERT INTO participants (first_name, last_name, birth_date, email, created_by, created_at) "
                    "VALUES (?, ?, ?, NULL, ?, ?)", (first, last, birth, coach_id, now - ago * day))
        pid = cur.lastrowid
        started = time.strftime("%Y-%m-%d", time.gmtime(now - ago * day))
        absent = time.strftime("%Y-%m-%d", time.gmtime(now - (ago + 60) * day))
        since = time.strftime("%Y-%m-%d", time.gmtime(now - (ago // 3) * day))
        cur.execute("INSERT INTO trajectories (participant_id, phase, referred_by, reason, employer_org_id, "
                    "absence_start, start_consent, started_on, phase_since, last_activity_at, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (pid, PHASES[i % len(PHASES)], "Huisarts dr. Els Wouters",
                     "Benchmark: langdurige afwezigheid; wil geleidelijk terug aan het werk",
                     employers[i % len(employers)] if employers else None, absent,
                     "Mondeling akkoord tijdens het aanmeldgesprek.", started, since,
                     now - (i % 9) * day - i * 3600, coach_id, now - ago * day))
        tid = cur.lastrowid
        protocol_start(cur, tid)
        cur.execute("INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)", (tid, coach_id))
    con.commit()
    n = open_count()
    tids = [r[0] for r in cur.execute(
        "SELECT t.id FROM trajectories t JOIN trajectory_coaches c ON c.trajectory_id = t.id "
        "WHERE c.user_id = ? AND t.status = 'open' ORDER BY t.id", (coach_id,))]
    plans = add_plans(cur, coach_id, tids, now)
    plans.update(add_messages(cur, coach_id, tids, now))
    caseload_next(cur)
    con.commit()
    con.close()
    if n != TARGET_OPEN:
        sys.exit("setup: coach has %d open trajectories, expected %d" % (n, TARGET_OPEN))
    st = {"email": COACH, "password": pw.group(1) if pw else "zorg-en-werk-demo",
          "totp_secret": secret, "open_trajectories": n, "trajectory_ids": tids}
    st.update(plans)
    save(state_path, st)


def add_plans(cur, coach_id, tids, now):
    """Gives each trajectory a new latest plan version (items row kind 'plan' + plan_versions) of
    PLAN_GOALS goals x PLAN_ACTIONS actions, due dates spread from 4 days ago to 35 days ahead, so the
    dashboard's "due this week or overdue" list has overdue, due-soon and later actions to sort and cut."""
    day = 86400
    open_due = 0
    horizon = time.strftime("%Y-%m-%d", time.gmtime(now + 7 * day))
    for i, tid in enumerate(tids):
        number = cur.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM plan_versions WHERE trajectory_id = ?",
                             (tid,)).fetchone()[0]
        cur.execute("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, body, "
                    "created_at) VALUES (?, 'plan', 'plan', NULL, ?, ?, ?, ?)",
                    (tid, coach_id, "Actieplan versie %d" % number,
                     "Benchmark: actieplan met %d doelen van elk %d acties." % (PLAN_GOALS, PLAN_ACTIONS),
                     now - (i + 1) * 3600))
        item = cur.lastrowid
        cur.execute("INSERT INTO plan_versions (item_id, trajectory_id, version, reason, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (item, tid, number, "benchmark", coach_id, now - (i + 1) * 3600))
        for g in range(PLAN_GOALS):
            end = time.strftime("%Y-%m-%d", time.gmtime(now + (30 + 15 * g) * day))
            cur.execute("INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                        "relevant, time_bound) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (item, g + 1, GOALS[g % len(GOALS)],
                         "Concreet: %s, stap voor stap opgebouwd." % GOALS[g % len(GOALS)].lower(),
                         "Wekelijks gemeten in het opvolggesprek.", "Haalbaar met de huidige belastbaarheid.",
                         "Draagt bij aan de terugkeer naar werk.", end))
            gid = cur.lastrowid
            for a in range(PLAN_ACTIONS):
                k = i * PLAN_GOALS * PLAN_ACTIONS + g * PLAN_ACTIONS + a
                offset = (k * 7) % 40 - 4  # -4 .. +35 days around today
                due = time.strftime("%Y-%m-%d", time.gmtime(now + offset * day))
                status = ("planned", "in_progress", "planned", "done")[k % 4]
                owner = ("participant", "coach")[k % 2]
                cur.execute("INSERT INTO plan_actions (goal_id, position, text, owner_kind, owner_member_id, due_on, "
                            "status, measure_slug, trajectory_id, is_current) VALUES (?, ?, ?, ?, NULL, ?, ?, NULL, ?, 1)",
                            (gid, a + 1, ACTIONS[(g + a) % len(ACTIONS)], owner, due, status, tid))
                if status != "done" and due <= horizon:
                    open_due += 1
    return {"plan_goals_per_trajectory": PLAN_GOALS, "plan_actions_per_goal": PLAN_ACTIONS,
            "plan_actions_due": open_due}


MSG_CONVERSATIONS, MSG_PER_CONVERSATION = 20, 50
MSG_TEXTS = ["Dag, ik heb een vraag over mijn afspraak van volgende week. Kan die ook online?",
             "Dat kan. Ik stuur je de link voor het gesprek een dag op voorhand.",
             "Ik heb het gesprek met mijn leidinggevende gehad. Het ging beter dan ik dacht.",
             "Fijn om te horen. Wat hebben jullie afgesproken over de uren?",
             "Eerst twee halve dagen per week, na een maand bekijken we het opnieuw."]


def add_messages(cur, coach_id, tids, now):
    """The coach's message inbox: MSG_CONVERSATIONS trajectories, each with one conversation (a thread) of
    MSG_PER_CONVERSATION messages between the participant (an account is made when the participant has none)
    and the coach, written as the product writes them: an items row (kind 'message', category 'practical',
    source party NULL: the participant's own), a messages row (thread: the first message) and one recipient
    row each. The participant's messages are addressed to the coach; the last 3 of each are unread."""
    part_role = 1 << 3  # ROLE_PARTICIPANT (src/auth/user.h)
    unread = 0
    for i, tid in enumerate(tids[:MSG_CONVERSATIONS]):
        pid, puser = cur.execute("SELECT p.id, p.user_id FROM trajectories t JOIN participants p "
                                 "ON p.id = t.participant_id WHERE t.id = ?", (tid,)).fetchone()
        if puser is None:
            first, last = cur.execute("SELECT first_name, last_name FROM participants WHERE id = ?", (pid,)).fetchone()
            cur.execute("INSERT INTO users (email, name, roles, created_at) VALUES (?, ?, ?, ?)",
                        ("bench-participant-%d@zorgwerk.example" % pid, "%s %s" % (first, last), part_role,
                         now - 30 * 86400))
            puser = cur.lastrowid
            cur.execute("UPDATE participants SET user_id = ? WHERE id = ?", (puser, pid))
        thread = None
        from_participant = [k for k in range(MSG_PER_CONVERSATION) if k % 2 == 0]
        for k in range(MSG_PER_CONVERSATION):
            mine = k % 2 == 0  # even: the participant writes to the coach; odd: the coach answers
            at = now - (MSG_PER_CONVERSATION - k) * 3 * 3600 - i * 60
            cur.execute("INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, body, "
                        "created_at) VALUES (?, 'message', 'practical', NULL, ?, '', ?, ?)",
                        (tid, puser if mine else coach_id, MSG_TEXTS[k % len(MSG_TEXTS)], at))
            item = cur.lastrowid
            cur.execute("INSERT INTO messages (item_id, trajectory_id, thread_id) VALUES (?, ?, ?)", (item, tid, thread))
            if thread is None:
                thread = item
            is_unread = mine and k >= from_participant[-3]
            unread += is_unread
            cur.execute("INSERT INTO message_recipients (message_id, user_id, read_at) VALUES (?, ?, ?)",
                        (item, coach_id if mine else puser, None if is_unread else at + 600))
    summarise_messages(cur)
    return {"messages_conversations": min(len(tids), MSG_CONVERSATIONS),
            "messages_per_conversation": MSG_PER_CONVERSATION, "messages_unread_for_coach": unread}


def caseload_next(cur):
    """Each trajectory's next thing due (next_action, next_followup: migration 034), which the product keeps on
    every change of plan actions, follow-ups and status, recomputed for the plans written here directly: the
    migration's own statement (nothing for a binary from before it)."""
    if not isinstance(cur, PgCursor) and "next_action" not in [r[1] for r in cur.execute(
            "PRAGMA table_info(trajectories)")]:
        return
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "db", "migrations", "sqlite",
                        "034_caseload_next.sql")
    with open(path) as f:
        sql = f.read()
    start = sql.index("UPDATE trajectories")
    cur.execute(sql[start:sql.index(";", start) + 1])


def summarise_messages(cur):
    """The recipients' message summary (message_inbox, migration 024), which the product keeps on every send,
    read and withdrawal, recomputed for the rows written here directly: the migration's own statement."""
    cur.execute("DELETE FROM message_inbox")
    cur.execute("INSERT INTO message_inbox (user_id, trajectory_id, category, source_key, author_id, total, unread, "
                "last_at) SELECT r.user_id, i.trajectory_id, i.category, COALESCE(i.source_member_id, 0), i.author_id, "
                "COUNT(*), SUM(CASE WHEN r.read_at IS NULL AND m.withdrawn_at IS NULL THEN 1 ELSE 0 END), "
                "MAX(i.created_at) FROM message_recipients r JOIN items i ON i.id = r.message_id "
                "JOIN messages m ON m.item_id = i.id WHERE i.kind = 'message' AND i.deleted_at IS NULL "
                "GROUP BY r.user_id, i.trajectory_id, i.category, COALESCE(i.source_member_id, 0), i.author_id")


# ---- HTTP ----
class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        if u.hostname != "127.0.0.1":
            sys.exit("setup: only 127.0.0.1 is allowed")
        self.host, self.port = u.hostname, u.port
        self.cookies = {}

    def req(self, method, path, form=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        h = {"Host": "%s:%d" % (self.host, self.port)}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["Origin"] = "http://%s:%d" % (self.host, self.port)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                val = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        c.close()
        return r.status, r.getheader("Location"), data


def hidden(html, name):
    m = re.search(r'name="%s"\s+value="([^"]*)"' % re.escape(name), html) or \
        re.search(r'value="([^"]*)"\s+name="%s"' % re.escape(name), html)
    return m.group(1) if m else None


def cmd_login(base, state_path, outdir):
    st = load(state_path)
    cl = Client(base)
    s, _, body = cl.req("GET", "/login")
    if s != 200:
        sys.exit("setup: GET /login answered %d" % s)
    csrf = hidden(body.decode(), "_csrf")
    s, loc, body = cl.req("POST", "/login", {"_csrf": csrf, "next": "", "email": st["email"],
                                            "password": st["password"]})
    if s != 303 or not loc or not loc.startswith("/login/2fa"):
        sys.exit("setup: POST /login answered %d (Location %s)" % (s, loc))
    s, _, body = cl.req("GET", "/login/2fa")
    csrf = hidden(body.decode(), "_csrf")
    # a code is accepted once; if we are at the very end of a step, wait for the next one
    if 30 - time.time() % 30 < 2:
        time.sleep(30 - time.time() % 30 + 0.2)
    s, loc, body = cl.req("POST", "/login/2fa", {"_csrf": csrf, "next": "", "code": totp(st["totp_secret"])})
    if s != 303:
        sys.exit("setup: POST /login/2fa answered %d" % s)
    sess = cl.cookies.get("zw_session") or cl.cookies.get("__Host-zw_session")
    if not sess:
        sys.exit("setup: no session cookie after the second factor")
    st["cookie"] = "zw_session=" + sess
    st["home"] = loc
    cl.cookies = {"zw_session": sess}

    s, _, body = cl.req("GET", "/caseload")
    st["caseload_status"] = s
    page = body.decode(errors="replace")
    if s == 200:
        with open(os.path.join(outdir, "caseload.html"), "wb") as f:
            f.write(body)
        st["caseload_bytes"] = len(body)
        st["caseload_links"] = len(set(re.findall(r'href="/t/(\d+)"', page)))
    # the coach's day: plan actions due, follow-ups, quiet trajectories, referrals (saved for nginx too)
    s5, _, b5 = cl.req("GET", "/dashboard")
    st["dashboard_status"] = s5
    if s5 == 200:
        with open(os.path.join(outdir, "dashboard.html"), "wb") as f:
            f.write(b5)
        st["dashboard_bytes"] = len(b5)
        d = b5.decode(errors="replace")
        st["dashboard_plan_rows"] = len(re.findall(r'href="/t/\d+/plan"', d))
        st["dashboard_overdue_badges"] = d.count("badge badge-warn")
    # the coach's message inbox (saved for nginx too); its conversation page is requested first by run.sh after
    # the inbox run (a conversation page marks the coach's unread messages of it read)
    s6, _, b6 = cl.req("GET", "/messages")
    st["inbox_status"] = s6
    if s6 == 200:
        with open(os.path.join(outdir, "messages.html"), "wb") as f:
            f.write(b6)
        st["inbox_bytes"] = len(b6)
        d = b6.decode(errors="replace")
        st["inbox_conversations"] = len(set(re.findall(r'href="/t/(\d+)/messages"', d)))
    st["conversation_path"] = "/t/%d/messages" % st["trajectory_ids"][0] if st["trajectory_ids"] else None
    # the static asset: the stylesheet URL (with its ?v= version) as the pages link it
    s2, _, b2 = cl.req("GET", "/login") if s != 200 else (s, None, body)
    m = re.search(r'href="(/static/style\.css[^"]*)"', b2.decode(errors="replace"))
    st["static_path"] = (m.group(1) if m else "/static/style.css").replace("&amp;", "&")
    s3, _, b3 = cl.req("GET", st["static_path"])
    st["static_status"], st["static_bytes"] = s3, len(b3)
    # a trajectory page of this coach (the fourth scenario)
    st["trajectory_path"], st["trajectory_status"] = None, None
    for tid in st["trajectory_ids"][:1]:
        s4, _, b4 = cl.req("GET", "/t/%d" % tid)
        st["trajectory_path"], st["trajectory_status"], st["trajectory_bytes"] = "/t/%d" % tid, s4, len(b4)
    save(state_path, st)


def cmd_check(base, state_path, path):
    st = load(state_path)
    cl = Client(base)
    cl.cookies = dict([st["cookie"].split("=", 1)])
    s, _, body = cl.req("GET", path)
    print(s, len(body))


def cmd_freeport():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


# ---- report ----
def fmt_ms(v):
    return "-" if v is None else ("%.2f" % v)


def ratio(a, b):
    return None if a is None or not b else a / b


def fmt_x(v):
    return "-" if v is None else "%.2fx" % v


SCENARIOS = ("static", "caseload", "dashboard", "inbox", "conversation", "nginx", "nginx_dashboard", "nginx_inbox",
             "trajectory_logged", "trajectory_unlogged", "caseload_pg")


def cmd_report(state_path, out_path):
    st = load(state_path)
    res = {}
    load_of = {}
    for name in SCENARIOS:
        lp = os.path.join(st["workdir"], "load-%s.txt" % name)
        if os.path.exists(lp):
            with open(lp) as f:
                v = [float(x) for x in f.read().split()]
            load_of[name] = (v + [None, None])[:2]
        p = os.path.join(st["workdir"], "wrk-%s.json" % name)
        if os.path.exists(p):
            with open(p) as f:
                lines = [l for l in f.read().splitlines() if l.startswith("{")]
            if lines:
                res[name] = json.loads(lines[-1])
    for name, r in res.items():
        r["p50_ms"] = r["p50_us"] / 1000.0
        r["p99_ms"] = r["p99_us"] / 1000.0
        r["bytes_per_response"] = r["bytes"] / r["requests"] if r["requests"] else 0
        r["bad"] = r["status_errors"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    rss = st.get("rss_kib", {})
    ng = res.get("nginx")
    rows = []
    labels = {
        "static": "zorgwerk static asset (%s)" % st.get("static_path", "").split("?")[0],
        "caseload": "zorgwerk GET /caseload (coach, 20 trajectories)",
        "dashboard": "zorgwerk GET /dashboard (20 plans, 5x4 actions)",
        "nginx": "nginx: saved caseload HTML",
        "nginx_dashboard": "nginx: saved dashboard HTML",
        "inbox": "zorgwerk GET /messages (20 conversations x 50)",
        "conversation": "zorgwerk GET %s (50 messages)" % (st.get("conversation_path") or "/t/{id}/messages"),
        "nginx_inbox": "nginx: saved message inbox HTML",
        "trajectory_logged": "zorgwerk GET %s, access log on" % (st.get("trajectory_path") or "/t/{id}"),
        "trajectory_unlogged": "zorgwerk GET %s, access_log_off" % (st.get("trajectory_path") or "/t/{id}"),
        "caseload_pg": "zorgwerk GET /caseload on PostgreSQL",
    }
    rss_of = {"static": rss.get("zorgwerk"), "caseload": rss.get("zorgwerk"), "dashboard": rss.get("zorgwerk"),
              "nginx": rss.get("nginx"), "nginx_dashboard": rss.get("nginx"),
              "inbox": rss.get("zorgwerk"), "conversation": rss.get("zorgwerk"), "nginx_inbox": rss.get("nginx"),
              "trajectory_logged": rss.get("zorgwerk"), "trajectory_unlogged": rss.get("zorgwerk_unlogged"),
              "caseload_pg": rss.get("zorgwerk_pg")}
    for name in SCENARIOS:
        r = res.get(name)
        if not r:
            continue
        row = {
            "scenario": name, "label": labels[name], "requests_per_s": r["rps"], "p50_ms": r["p50_ms"],
            "p99_ms": r["p99_ms"], "requests": r["requests"], "errors": r["bad"],
            "non_2xx_3xx": r["status_errors"], "bytes_per_response": round(r["bytes_per_response"], 1),
            "peak_rss_kib": rss_of[name],
            "rps_ratio_to_nginx": ratio(r["rps"], ng and ng["rps"]),
            "p50_ratio_to_nginx": ratio(r["p50_ms"], ng and ng["p50_ms"]),
            "p99_ratio_to_nginx": ratio(r["p99_ms"], ng and ng["p99_ms"]),
            "rss_ratio_to_nginx": ratio(rss_of[name], rss.get("nginx")),
            "loadavg_before": load_of.get(name, [None, None])[0], "loadavg_after": load_of.get(name, [None, None])[1],
        }
        rows.append(row)

    conns, secs = st.get("connections"), st.get("seconds")
    print()
    print("zorgwerk benchmark — wrk -t%s -c%s -d%ss, %s server threads, %s cores, 127.0.0.1"
          % (st.get("wrk_threads"), conns, secs, st.get("server_threads"), st.get("cores")))
    print("(peak RSS: VmHWM of the zorgwerk server process over all its runs; nginx: master + workers summed)")
    print()
    f = "%-52s %9s %8s %8s %9s %9s %9s %9s %7s %12s"
    hdr = f % ("scenario", "req/s", "p50 ms", "p99 ms", "req/s", "p50", "p99", "peak RSS", "errors", "load avg")
    print(f % ("", "", "", "", "vs nginx", "vs nginx", "vs nginx", "MiB", "", "before>after"))
    print(hdr)
    print("-" * len(hdr))
    for row in rows:
        print(f % (
            row["label"][:52], "%.0f" % row["requests_per_s"], fmt_ms(row["p50_ms"]), fmt_ms(row["p99_ms"]),
            "-" if row["scenario"] == "nginx" else fmt_x(row["rps_ratio_to_nginx"]),
            "-" if row["scenario"] == "nginx" else fmt_x(row["p50_ratio_to_nginx"]),
            "-" if row["scenario"] == "nginx" else fmt_x(row["p99_ratio_to_nginx"]),
            "-" if row["peak_rss_kib"] is None else "%.1f" % (row["peak_rss_kib"] / 1024.0), row["errors"],
            "-" if row["loadavg_before"] is None else "%.2f>%.2f" % (row["loadavg_before"], row["loadavg_after"])))
    la = [st.get("loadavg_start"), st.get("loadavg_end")]
    cores = st.get("cores") or 1
    print("\nload average (1 min): %s at the start, %s at the end, %s cores" % (la[0], la[1], cores))
    peak = max([x for x in la if isinstance(x, (int, float))] +
               [v for row in rows for v in (row["loadavg_before"], row["loadavg_after"]) if v is not None] or [0])
    if peak > cores:
        print("\nNOTE: load average up to %.2f on %s cores: other work shares the CPUs, so absolute figures are noisy;"
              "\n      the ratios to nginx (measured in the same run) are the meaningful part." % (peak, cores))
    print()
    if "caseload" in res and res.get("nginx"):
        print("bytes per response: caseload %.0f (zorgwerk) vs %.0f (nginx; file %s bytes)" % (
            res["caseload"]["bytes_per_response"], res["nginx"]["bytes_per_response"], st.get("caseload_bytes")))
    if "dashboard" in res:
        print("dashboard: %s bytes, %s plan-action rows listed (%s open actions due by next week, list capped at 50), "
              "%s overdue badges; %s goals x %s actions per plan" % (
                  st.get("dashboard_bytes"), st.get("dashboard_plan_rows"), st.get("plan_actions_due"),
                  st.get("dashboard_overdue_badges"), st.get("plan_goals_per_trajectory"),
                  st.get("plan_actions_per_goal")))

    checks = []
    infos = []
    problems = list(st.get("problems", []))
    c = res.get("caseload")
    if c and ng:
        rr = c["rps"] / ng["rps"]
        checks.append(("caseload throughput >= 25% of nginx", rr >= 0.25,
                       "%.1f%% (%.0f vs %.0f req/s)" % (100 * rr, c["rps"], ng["rps"])))
        checks.append(("caseload p99 < 20 ms at %s connections" % conns, c["p99_ms"] < 20.0, "%.2f ms" % c["p99_ms"]))
        checks.append(("caseload without errors", c["bad"] == 0, "%d errors/non-2xx" % c["bad"]))
    else:
        problems.append("caseload scenario not measured (GET /caseload answered %s)" % st.get("caseload_status"))
    dsh, ngd = res.get("dashboard"), res.get("nginx_dashboard")
    if dsh and ng:
        rr = dsh["rps"] / ng["rps"]
        checks.append(("dashboard throughput >= 20% of nginx (caseload reference)", rr >= 0.20,
                       "%.1f%% (%.0f vs %.0f req/s)" % (100 * rr, dsh["rps"], ng["rps"])))
        if ngd:
            infos.append("dashboard vs nginx serving the same dashboard HTML: %.1f%% (%.0f vs %.0f req/s)"
                         % (100 * dsh["rps"] / ngd["rps"], dsh["rps"], ngd["rps"]))
        checks.append(("dashboard without errors", dsh["bad"] == 0, "%d errors/non-2xx" % dsh["bad"]))
    elif st.get("dashboard_status") != 200:
        problems.append("dashboard scenario not measured (GET /dashboard answered %s)" % st.get("dashboard_status"))
    ib, ngi, cv = res.get("inbox"), res.get("nginx_inbox"), res.get("conversation")
    if ib and ng:
        rr = ib["rps"] / ng["rps"]
        checks.append(("message inbox throughput >= 25% of nginx (caseload reference)", rr >= 0.25,
                       "%.1f%% (%.0f vs %.0f req/s)" % (100 * rr, ib["rps"], ng["rps"])))
        if ngi:
            infos.append("message inbox vs nginx serving the same inbox HTML: %.1f%% (%.0f vs %.0f req/s)"
                         % (100 * ib["rps"] / ngi["rps"], ib["rps"], ngi["rps"]))
        checks.append(("message inbox without errors", ib["bad"] == 0, "%d errors/non-2xx" % ib["bad"]))
    elif st.get("inbox_status") != 200:
        problems.append("message inbox scenario not measured (GET /messages answered %s)" % st.get("inbox_status"))
    cpg = res.get("caseload_pg")
    if cpg and ng:
        infos.append("caseload on PostgreSQL (issue 15; reported, the >= 25%% target is SQLite's): %.1f%% of nginx "
                     "(%.0f vs %.0f req/s), p50 %.2f ms, p99 %.2f ms, %d errors; %s bytes (SQLite's caseload: %s)"
                     % (100 * cpg["rps"] / ng["rps"], cpg["rps"], ng["rps"], cpg["p50_ms"], cpg["p99_ms"], cpg["bad"],
                        st.get("caseload_pg_bytes"), st.get("caseload_bytes")))
    if cv and ng:
        infos.append("conversation page %s (no target): %.1f%% of nginx (%.0f vs %.0f req/s), p99 %.2f ms, %d errors"
                     % (st.get("conversation_path"), 100 * cv["rps"] / ng["rps"], cv["rps"], ng["rps"], cv["p99_ms"],
                        cv["bad"]))
    z = rss.get("zorgwerk")
    if z is not None:
        checks.append(("zorgwerk peak RSS < 64 MiB", z < 64 * 1024, "%.1f MiB" % (z / 1024.0)))
    tl, tu = res.get("trajectory_logged"), res.get("trajectory_unlogged")
    if tl and tu:
        rr = tl["rps"] / tu["rps"]
        checks.append(("trajectory page logged/unlogged throughput >= 50%% at %s connections" % conns, rr >= 0.5,
                       "%.1f%% (%.0f vs %.0f req/s)" % (100 * rr, tl["rps"], tu["rps"])))
    elif st.get("trajectory_path") is None or st.get("trajectory_status") != 200:
        print("fourth scenario skipped: GET /t/{id} answered %s" % st.get("trajectory_status"))
    if "inbox" in res:
        print("message inbox: %s bytes, %s conversations listed (%s x %s messages, %s unread for the coach)" % (
            st.get("inbox_bytes"), st.get("inbox_conversations"), st.get("messages_conversations"),
            st.get("messages_per_conversation"), st.get("messages_unread_for_coach")))
    print()
    for name, ok, detail in checks:
        print("%s  %s: %s" % ("PASS" if ok else "FAIL", name, detail))
    for i in infos:
        print("INFO  %s" % i)
    for p in problems:
        print("ERROR  %s" % p)

    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    out = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "wrk": {"threads": st.get("wrk_threads"), "connections": conns, "seconds": secs},
        "server_threads": st.get("server_threads"), "cores": st.get("cores"),
        "coach_open_trajectories": st.get("open_trajectories"),
        "caseload_html_bytes": st.get("caseload_bytes"),
        "dashboard_html_bytes": st.get("dashboard_bytes"),
        "plan": {"goals": st.get("plan_goals_per_trajectory"), "actions_per_goal": st.get("plan_actions_per_goal"),
                 "open_actions_due_by_next_week": st.get("plan_actions_due"),
                 "dashboard_plan_rows": st.get("dashboard_plan_rows")},
        "messages": {"conversations": st.get("messages_conversations"),
                     "per_conversation": st.get("messages_per_conversation"),
                     "unread_for_coach": st.get("messages_unread_for_coach"),
                     "inbox_html_bytes": st.get("inbox_bytes"), "inbox_conversations": st.get("inbox_conversations"),
                     "conversation_path": st.get("conversation_path")},
        "peak_rss_kib": rss,
        "loadavg": {"start": st.get("loadavg_start"), "end": st.get("loadavg_end")},
        "scenarios": rows,
        "checks": [{"name": n, "pass": ok, "value": d} for n, ok, d in checks],
        "info": infos,
        "problems": problems,
        "all_pass": bool(checks) and all(ok for _, ok, _ in checks) and not problems,
    }
    with open(out_path, "w") as f:
        json.dump(out, f, indent=2)
    print("\nresults written to %s" % out_path)
    return 1 if problems else 0


def main(a):
    if len(a) >= 4 and a[0] == "db":
        return cmd_db(a[1], a[2], a[3], a[4:])
    if len(a) >= 4 and a[0] == "login":
        return cmd_login(a[1], a[2], a[3])
    if len(a) >= 4 and a[0] == "check":
        return cmd_check(a[1], a[2], a[3])
    if a[:1] == ["freeport"]:
        return cmd_freeport()
    if len(a) >= 3 and a[0] == "report":
        return cmd_report(a[1], a[2])
    if len(a) >= 2 and a[0] == "wait":
        u = urllib.parse.urlsplit(a[1])
        cl = Client(a[1])
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                if cl.req("GET", u.path or "/")[0] == 200:
                    return 0
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit("setup: %s did not answer 200 within 15 s" % a[1])
    if len(a) >= 2 and a[0] == "rss":
        # VmHWM in KiB of the given pids and (with --children) their child processes, summed
        pids = [int(x) for x in a[1:] if x.isdigit()]
        if "--children" in a:
            for d in os.listdir("/proc"):
                if d.isdigit():
                    try:
                        with open("/proc/%s/stat" % d) as f:
                            ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    except (OSError, IndexError, ValueError):
                        continue
                    if ppid in pids and int(d) not in pids:
                        pids.append(int(d))
        total = 0
        for pid in pids:
            with open("/proc/%d/status" % pid) as f:
                m = re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.M)
            total += int(m.group(1)) if m else 0
        print(total)
        return 0
    if len(a) >= 2 and a[0] == "set":
        st = load(a[1]) if os.path.exists(a[1]) else {}
        for kv in a[2:]:
            k, _, v = kv.partition("=")
            try:
                st[k] = json.loads(v)
            except ValueError:
                st[k] = v
        save(a[1], st)
        return 0
    if len(a) >= 2 and a[0] == "get":
        v = load(a[1]).get(a[2])
        print("" if v is None else v)
        return 0
    if len(a) >= 2 and a[0] == "totp":
        print(totp(a[1]))
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
