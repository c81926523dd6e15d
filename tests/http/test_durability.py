"""Crash durability: four client threads post writes through HTTP (coach notes with unique titles, consents
given and withdrawn by the coach, participant registrations) and read the notes timeline, while the server
is killed with SIGKILL at a random moment 0.2-1.5 s after each start and restarted on the same database.
The sessions live in the database, so the clients keep their cookies across restarts.

Afterwards, with the server stopped cleanly:
- every write the client saw acknowledged (303 with the expected Location) is in the database, with its
  access-log entry (written in the same transaction);
- no marker is stored twice, and no write answered with an error (4xx/503) is stored at all;
- every page of case information the client received (200) has its access-log entry (matched by the
  X-Request-Id header): nothing was disclosed without a durable log entry;
- the database is whole (SQLite: PRAGMA integrity_check and foreign_key_check; PostgreSQL: its foreign
  keys in place and validated, every table readable) and `zorgwerk audit verify` exits 0 (entries queued in
  the group-commit writer for requests that never got an answer may be lost; the chain must still verify).

Default (make test): 12 rounds. SOAK_ROUNDS=N runs N rounds (scripts/soak.sh, `make soak`); SOAK_SECONDS=S
stops after S seconds when that comes first. DURABILITY_SEED=N repeats a run's random choices (the seed is
printed; thread timing still varies)."""
import datetime
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_PIETER, COACH_SOFIE, Client, Server, db_connect, db_integrity_problems, run

SOAK = int(os.environ.get("SOAK_ROUNDS", "0") or 0)
ROUNDS = SOAK if SOAK > 0 else 12
SECONDS = float(os.environ.get("SOAK_SECONDS", "0") or 0)
SEED = int(os.environ.get("DURABILITY_SEED", "0") or 0) or int(time.time() * 1000) % 1000000007
KILL_MIN, KILL_MAX = 0.2, 1.5

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})

up = threading.Event()      # set while the server runs and may be used
stop = threading.Event()    # the workers finish their current operation and end
up.set()

CATEGORIES = ("health", "capacity", "work", "plan", "practical")
# (grantee, category) pairs a coach may record for the participant's information on a trajectory without
# network members: everything for the care side, everything but health for the work side.
COMBOS = [("side:care", c) for c in CATEGORIES] + [("side:work", c) for c in CATEGORIES if c != "health"]


class Ledger:
    """Every write attempt with its outcome: ack (303 with the expected Location), refused (an error
    status: the change must not be stored), unknown (no answer: the server died), undelivered (connection
    refused: the request never reached a server)."""

    def __init__(self):
        self.mu = threading.Lock()
        self.writes = []
        self.reads = []         # (request id, path) of every 200 page with case information
        self.statuses = {}      # status -> count, over all answers
        self.unexpected = []    # answers that are neither success nor an expected refusal
        self.counter = 0
        self.consent_day = 0

    def marker(self):
        with self.mu:
            self.counter += 1
            return "dur%d-%d" % (SEED, self.counter)

    def consent_marker(self):
        """A valid_until date nobody else uses (2027-01-01 onwards, up to the server's limit 2200)."""
        with self.mu:
            self.consent_day += 1
            d = datetime.date(2027, 1, 1) + datetime.timedelta(days=self.consent_day)
            return d.isoformat() if d.year <= 2200 else None

    def add(self, **rec):
        rec.setdefault("outcome", None)
        with self.mu:
            self.writes.append(rec)
        return rec

    def status(self, s):
        with self.mu:
            self.statuses[s] = self.statuses.get(s, 0) + 1


L = Ledger()
sessions = {}  # email -> Client with a signed-in session (cookies and CSRF token are copied per thread)


def db_rows(query, params=()):
    return srv.sql(query, params, timeout=30)


class Worker(threading.Thread):
    def __init__(self, idx, email, consent_tid, note_tids, seed):
        super().__init__(name="worker-%d" % idx, daemon=True)
        self.rng = random.Random(seed)
        self.c = Client(srv)
        self.c.jar = dict(sessions[email].jar)
        self.csrf = sessions[email].csrf
        self.consent_tid, self.note_tids = consent_tid, note_tids
        self.combo = idx  # the consent combination cycles per thread
        self.withdraw_id = None     # a live consent of ours to withdraw next
        self.unsure_give = None     # marker of a consent give without an answer
        self.error = None

    # -- HTTP without tidy (pages grow with every write; the other HTTP tests check the HTML)
    def send(self, method, path, data=None):
        """Returns the Response, "undelivered" (connection refused) or "unknown" (the server went away)."""
        if not up.wait(timeout=60):
            return "undelivered"
        body, headers = None, None
        if data is not None:
            body = urllib.parse.urlencode(list(data.items()) + [("_csrf", self.csrf)]).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        try:
            r = self.c.request(method, path, body=body, headers=headers, check_html=False)
        except ConnectionRefusedError:
            return "undelivered"
        except (OSError, http.client.HTTPException):
            return "unknown"
        L.status(r.status)
        return r

    def judge(self, rec, r, location_re, refusals=(503,)):
        if isinstance(r, str):
            rec["outcome"] = r
            return None
        rec["status"] = r.status
        if r.status == 303:
            m = re.match(location_re, r.location or "")
            if m:
                rec["outcome"] = "ack"
                return m
        rec["outcome"] = "refused"
        if r.status not in refusals:
            with L.mu:
                L.unexpected.append("%s %s -> %d %s: %s" % (rec["kind"], rec.get("marker", rec.get("cid")), r.status,
                                                             r.location or "", re.sub(r"<[^>]+>|\s+", " ", r.body)[:200]))
        return None

    # -- operations
    def note(self):
        tid = self.rng.choice(self.note_tids)
        marker = L.marker()
        rec = L.add(kind="note", marker=marker, tid=tid)
        r = self.send("POST", "/t/%d/notes" % tid,
                      {"title": "Note " + marker, "category": self.rng.choice(CATEGORIES), "source": "participant",
                       "body": "Durability test, marker %s.\n\n- written while the server is being killed" % marker})
        self.judge(rec, r, r"^/t/%d/notes\?flash=saved$" % tid)

    def register(self):
        marker = L.marker()
        rec = L.add(kind="registration", marker=marker)
        r = self.send("POST", "/participants/new",
                      {"first_name": "Duur", "last_name": marker, "birth_date": "1985-06-15", "email": "",
                       "phone": "", "referred_by": "Durability test", "reason": "Marker " + marker,
                       "employer_org": "", "employer_other": "Bakkerij Test", "absence_start": "2025-01-10",
                       "start_consent": "Mondeling akkoord.", "consent_given": "yes"})
        m = self.judge(rec, r, r"^/t/(\d+)\?flash=registered$")
        if m:
            rec["tid"] = int(m.group(1))

    def consent(self):
        tid = self.consent_tid
        if self.unsure_give:
            # a give without an answer may have been committed: withdraw it if so
            rows = db_rows("SELECT id, withdrawn_at FROM consents WHERE trajectory_id = ? AND valid_until = ?",
                           (tid, self.unsure_give))
            self.unsure_give = None
            if rows and rows[0][1] is None:
                self.withdraw_id = rows[0][0]
        if self.withdraw_id:
            cid = self.withdraw_id
            rec = L.add(kind="withdraw", cid=cid, tid=tid)
            r = self.send("POST", "/t/%d/consents/%d/withdraw" % (tid, cid), {"next": "/t/%d/consents" % tid})
            # withdrawn now: the page names the change (?changed=<id>, with an undo); withdrawn already (a retry
            # after an unanswered one): the plain page
            if self.judge(rec, r, r"^/t/%d/consents(\?changed=%d)?$" % (tid, cid)):
                self.withdraw_id = None
            elif rec["outcome"] == "refused":
                self.withdraw_id = None  # logged as unexpected unless 503; do not insist
            return
        marker = L.consent_marker()
        if not marker:
            return self.note()
        grantee, category = COMBOS[self.combo % len(COMBOS)]
        self.combo += 1
        rec = L.add(kind="consent", marker=marker, tid=tid)
        r = self.send("POST", "/t/%d/consents" % tid,
                      {"next": "/t/%d/consents" % tid, "source": "participant", "grantee": grantee,
                       "category": category, "method": "conversation",
                       "given_on": datetime.date.today().isoformat(), "valid_until": marker})
        # the form's second step posts grantee and category together; acknowledged is a redirect naming the
        # new consent (?changed=<id>), which must then be the one stored with this marker
        m = self.judge(rec, r, r"^/t/%d/consents\?changed=(\d+)$" % tid, refusals=(503, 409))
        if m:
            rec["cid"] = int(m.group(1))
            self.withdraw_id = rec["cid"]
        elif rec["outcome"] == "unknown":
            self.unsure_give = marker
        elif getattr(r, "status", 0) == 409:
            # the same consent is in force already (an earlier give was committed without an answer)
            rows = db_rows("SELECT id FROM consents WHERE trajectory_id = ? AND source_member_id IS NULL AND "
                           "grantee_member_id IS NULL AND grantee_side = ? AND category = ? AND withdrawn_at IS NULL",
                           (tid, grantee.split(":")[1], category))
            if rows:
                self.withdraw_id = rows[0][0]

    def read(self):
        tid = self.rng.choice(self.note_tids)
        r = self.send("GET", "/t/%d/notes" % tid)
        if isinstance(r, str):
            return
        if r.status == 200:
            with L.mu:
                L.reads.append((r.header("X-Request-Id"), tid))
        elif r.status != 503:
            with L.mu:
                L.unexpected.append("GET /t/%d/notes -> %d" % (tid, r.status))

    def run(self):
        ops = [self.note] * 9 + [self.consent] * 6 + [self.register] * 3 + [self.read] * 2
        try:
            while not stop.is_set():
                self.rng.choice(ops)()
        except Exception as e:  # reported by the main thread
            import traceback
            self.error = traceback.format_exc()


figures = {}


def test_sign_in():
    for email in (COACH_SOFIE, COACH_PIETER):
        c = Client(srv)
        r = c.login(email, follow=False)
        assert r.status == 303, (email, r.status)
        assert c.refresh_csrf(), "no CSRF token for " + email
        sessions[email] = c


def kill_and_restart():
    up.clear()
    p = srv.proc
    p.kill()
    p.wait()
    srv.errf.close()
    srv._check_sanitizer(srv.stderr(), "serve (killed)")
    srv.start()
    up.set()


def test_writes_while_killing():
    rng = random.Random(SEED)
    workers = [Worker(0, COACH_SOFIE, 2, [1, 2, 4], rng.random()),
               Worker(1, COACH_SOFIE, 4, [5, 6, 7, 11], rng.random()),
               Worker(2, COACH_PIETER, 8, [3, 8, 9], rng.random()),
               Worker(3, COACH_PIETER, 9, [10, 12], rng.random())]
    print("# seed %d, %d round(s)%s" % (SEED, ROUNDS, ", at most %gs" % SECONDS if SECONDS else ""), flush=True)
    t0 = time.time()
    for w in workers:
        w.start()
    rounds = 0
    try:
        for i in range(ROUNDS):
            if SECONDS and time.time() - t0 >= SECONDS:
                break
            time.sleep(rng.uniform(KILL_MIN, KILL_MAX))
            kill_and_restart()
            rounds += 1
            if SOAK and rounds % 10 == 0:
                with L.mu:
                    n, a = len(L.writes), sum(1 for w in L.writes if w["outcome"] == "ack")
                print("# round %d: %d writes attempted, %d acknowledged (%.0fs)" % (rounds, n, a, time.time() - t0),
                      flush=True)
        time.sleep(0.5)  # the last server also sees some work
    finally:
        stop.set()
        up.set()
        for w in workers:
            w.join(timeout=120)
    figures["rounds"] = rounds
    figures["seconds"] = time.time() - t0
    for w in workers:
        assert not w.is_alive(), "%s did not finish" % w.name
        assert not w.error, "%s failed:\n%s" % (w.name, w.error)


def test_server_works_after_the_last_restart():
    c = Client(srv)
    c.jar = dict(sessions[COACH_SOFIE].jar)
    c.csrf = sessions[COACH_SOFIE].csrf
    marker = L.marker()
    rec = L.add(kind="note", marker=marker, tid=1)
    r = c.post("/t/1/notes", {"title": "Note " + marker, "category": "plan", "source": "participant",
                              "body": "After the last restart, " + marker})
    assert r.status == 303 and r.location == "/t/1/notes?flash=saved", (r.status, r.location, r.body[:300])
    rec["outcome"] = "ack"
    r = c.get("/t/1/notes")
    assert r.status == 200 and marker in r.body, r.status


def test_clean_stop():
    srv.stop()  # SIGTERM: exit 0, no sanitizer report


def test_every_acknowledged_write_is_stored():
    # the tables are read once into memory: per-write queries on the unindexed access log take minutes in a soak
    con = db_connect(srv)
    try:
        q = lambda sql, *p: con.execute(sql, p).fetchall()
        notes, regs, consents, coached = {}, {}, {}, set()
        for nid, tid, title in q("SELECT id, trajectory_id, title FROM items WHERE title LIKE 'Note dur%'"):
            notes.setdefault(title, []).append((nid, tid))
        for last, tid in q("SELECT p.last_name, t.id FROM participants p JOIN trajectories t ON t.participant_id = p.id "
                           "WHERE p.last_name LIKE 'dur%'"):
            regs.setdefault(last, []).append((tid, None))
        withdrawn = {}
        for cid, tid, until, wat in q("SELECT id, trajectory_id, valid_until, withdrawn_at FROM consents"):
            consents.setdefault((tid, until), []).append((cid, tid))
            withdrawn[cid] = wat
        coached = {t for (t,) in q("SELECT trajectory_id FROM trajectory_coaches")}
        log = set()  # (item, action, outcome, trajectory_id)
        logged_reads = set()  # (request_id, trajectory_id) of list views of the notes
        for item, action, outcome, tid, rid in q("SELECT item, action, outcome, trajectory_id, request_id FROM access_log"):
            log.add((item, action, outcome, tid))
            if item == "notes":  # str: on PostgreSQL the harness reads an all-digit request id as a number
                logged_reads.add((str(rid), tid))
    finally:
        con.close()
    lost, dups, refused_stored, unacked_stored, missing_log = [], [], [], [], []
    for w in L.writes:
        k, o = w["kind"], w["outcome"]
        if k == "note":
            rows = notes.get("Note " + w["marker"], [])
            logged = rows and ("note:%d" % rows[0][0], "create", "ok", rows[0][1]) in log
            where_ok = rows and rows[0][1] == w["tid"]
        elif k == "registration":
            rows = regs.get(w["marker"], [])
            logged = rows and ("trajectory", "create", "ok", rows[0][0]) in log
            where_ok = rows and (o != "ack" or rows[0][0] == w.get("tid"))
            if rows and rows[0][0] not in coached:
                lost.append("registration %s without its coach assignment" % w["marker"])
        elif k == "consent":
            rows = consents.get((w["tid"], w["marker"]), [])
            logged = rows and ("consent:%d" % rows[0][0], "create", "ok", w["tid"]) in log
            where_ok = rows and (o != "ack" or rows[0][0] == w.get("cid"))
        else:  # withdraw: only an acknowledged one can be checked (a later retry may have done it)
            if o == "ack":
                if withdrawn.get(w["cid"]) is None:
                    lost.append("withdrawal of consent %s" % w["cid"])
                elif ("consent:%d" % w["cid"], "update", "ok", w["tid"]) not in log:
                    missing_log.append("withdrawal of consent %s" % w["cid"])
            continue
        name = "%s %s" % (k, w["marker"])
        if len(rows) > 1:
            dups.append("%s stored %d times" % (name, len(rows)))
        if o == "ack":
            if not rows:
                lost.append(name)
            elif not where_ok:
                lost.append("%s stored elsewhere than acknowledged" % name)
        elif o == "refused" and rows:
            refused_stored.append("%s answered %s but stored" % (name, w.get("status")))
        elif o in ("unknown", "undelivered") and rows:
            unacked_stored.append(name)
        if rows and not logged:
            missing_log.append(name)
    reads_missing = [rid for rid, tid in L.reads if (rid, tid) not in logged_reads]
    n = len(L.writes)
    by = lambda o: sum(1 for w in L.writes if w["outcome"] == o)
    figures.update(attempted=n - by("undelivered"), acknowledged=by("ack"), refused=by("refused"),
                   unknown=by("unknown"), lost=len(lost), committed_unanswered=len(unacked_stored),
                   reads=len(L.reads), reads_unlogged=len(reads_missing))
    kinds = {}
    for w in L.writes:
        if w["outcome"] == "ack":
            kinds[w["kind"]] = kinds.get(w["kind"], 0) + 1
    print("# durability: rounds=%d attempted=%d acknowledged=%d lost=%d (notes %d, consents given %d, withdrawn %d, "
          "registrations %d)" % (figures["rounds"], figures["attempted"], figures["acknowledged"], len(lost),
                                 kinds.get("note", 0), kinds.get("consent", 0), kinds.get("withdraw", 0),
                                 kinds.get("registration", 0)))
    print("# durability: refused=%d unanswered=%d (of which committed=%d) undelivered=%d statuses=%s"
          % (figures["refused"], figures["unknown"], len(unacked_stored), by("undelivered"),
             dict(sorted(L.statuses.items()))))
    print("# durability: case pages read=%d, without access-log entry=%d; %.1fs of writes and kills"
          % (len(L.reads), len(reads_missing), figures["seconds"]), flush=True)
    problems = []
    for title, items in (("lost acknowledged writes", lost), ("duplicates", dups),
                         ("refused writes that were stored", refused_stored),
                         ("stored writes without their access-log entry", missing_log),
                         ("pages disclosed without an access-log entry", reads_missing),
                         ("unexpected answers", L.unexpected)):
        if items:
            problems.append("%s (%d): %s" % (title, len(items), "; ".join(map(str, items[:10]))))
    assert figures["acknowledged"] > 0, "no write was acknowledged at all"
    assert not problems, "\n".join(problems)


def test_integrity_check():
    problems = db_integrity_problems(srv)  # SQLite: integrity_check and foreign_key_check
    assert not problems, problems


def test_access_log_chain_verifies():
    p = srv.cli("audit", "verify")
    print("# " + (p.stdout.strip() or p.stderr.strip()))
    assert p.returncode == 0, "audit verify exit %d: %s %s" % (p.returncode, p.stdout, p.stderr)


run(srv, globals())
