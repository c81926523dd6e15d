"""Several servers, one database (issue 15, part 2): two `zorgwerk serve` processes on one database behind
Debian's nginx as a round-robin load balancer (started here, unprivileged, on loopback; see README "Several
servers"). On PostgreSQL (ZW_TEST_DB_URL) the two share the harness's database; on SQLite they share one WAL
database file.

- a session made on one backend works on the other, a CSRF token of a page from one is taken by the other,
  a wrong token is refused by both, and signing out on one ends the session on both;
- a second-factor code sent to both backends at the same moment signs in once: the other is refused;
- login throttling counts across both: failures spread over the backends throttle the account, a burst of
  parallel guesses spread over both gets no more password checks than one server would give, and the
  address throttle (password spraying) counts across both;
- writes (notes by a coach, messages by a participant) from several threads and reads through nginx, while
  one backend is killed with SIGKILL mid-load: every write that got a success answer is in the database with
  its access-log entry, the other backend carries on, the killed one starts again on the same database, and
  `zorgwerk audit verify` passes (both servers seal the one chain: README "Several servers").

The client addresses are given in X-Forwarded-For (trusted_proxies = 127.0.0.1: nginx and the test itself),
so that each scenario has an address of its own."""
import copy
import http.client
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import types
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN, COACH_PIETER, LEAD, COACH_SOFIE, DEMO_PASSWORD, PART_AN, PART_KARIM, PART_MARIEKE, PARTNER_GP,
                     PARTNER_HR, Client, Server, assert_status, free_port, participant_trajectory, run, totp_next,
                     user_id)

AFTER = 3
DELAY_S = 2
LOAD_S = float(os.environ.get("MULTI_LOAD_SECONDS", "8"))
THROTTLE_ROWS_MAX = 100000  # src/auth/throttle.h

srv = Server(sets={"login_delay_after": str(AFTER), "login_delay_ms": str(DELAY_S * 1000),
                   "login_delay_max_ms": str(DELAY_S * 1000), "lock_after": "100", "lang": "en",
                   "trusted_proxies": "127.0.0.1", "threads": "8"}, name="multi-server-a")
A = srv
# the second server: the same binary, database, settings and access-log key and seal files, another port
B = copy.copy(srv)
B.proc = None
B.name = "multi-server-b"
B.start()
B_PORT = [B.port]  # the port nginx sends to (B starts again on another one after the kill)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/tmp/body;
  proxy_temp_path {prefix}/tmp/proxy;
  fastcgi_temp_path {prefix}/tmp/fastcgi;
  uwsgi_temp_path {prefix}/tmp/uwsgi;
  scgi_temp_path {prefix}/tmp/scgi;
  upstream zorgwerk {{
    server 127.0.0.1:{pa} max_fails=1 fail_timeout=60s;
    server 127.0.0.1:{pb} max_fails=1 fail_timeout=60s;
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 1m;
    location / {{
      proxy_pass http://zorgwerk;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


def start_nginx():
    prefix = os.path.join(srv.tmp, "nginx")
    os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
    port = free_port()
    user = "user %s %s;" % ("root", "root") if os.getuid() == 0 else ""
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(user=user, prefix=prefix, pa=A.port, pb=B.port, port=port))
    proc = subprocess.Popen([NGINX, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-e",
                             os.path.join(prefix, "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    front = types.SimpleNamespace(port=port, secrets=srv.secrets, proc=proc, prefix=prefix)
    deadline = time.time() + 15
    while True:
        assert proc.poll() is None, "nginx did not start: %s" % proc.stderr.read().decode("utf-8", "replace")
        try:
            r = Via(front, "10.9.9.9").request("GET", "/healthz", check_html=False)
            if r.status == 200:
                return front
        except OSError:
            pass
        assert time.time() < deadline, "nginx did not answer"
        time.sleep(0.05)


class Via(Client):
    """A client whose requests name addr in X-Forwarded-For (the address the servers throttle and log)."""

    def __init__(self, target, addr):
        super().__init__(target)
        self.addr = addr

    def request(self, method, path, body=None, headers=None, check_html=True):
        h = {"X-Forwarded-For": self.addr}
        h.update(headers or {})
        return super().request(method, path, body=body, headers=h, check_html=check_html)


front = start_nginx()


def attempt(c, email, password, **extra):
    c.get("/login")
    form = {"email": email, "password": password}
    form.update(extra)
    return c.post("/login", form)


def twin(c, target):
    """A client for target that shares c's cookies (one browser whose requests reach another backend)."""
    t = Via(target, c.addr)
    t.jar = c.jar
    t.csrf = c.csrf
    return t


def one(query, params=()):
    rows = srv.sql(query, params)
    return rows[0][0] if rows else None


def test_session_and_csrf_work_on_both_backends():
    ca = Via(A, "10.1.0.1")
    assert_status(ca.login(COACH_SOFIE), 200, "signed in on A")
    cb = twin(ca, B)
    assert_status(cb.get("/caseload"), 200, "A's session on B")
    tid = participant_trajectory(srv, PART_AN)[0]
    for page_from, post_to, title in ((ca, cb, "MULTI-csrf-a-to-b"), (cb, ca, "MULTI-csrf-b-to-a")):
        assert_status(page_from.get("/t/%d/notes" % tid), 200, "the notes page")
        token = page_from.csrf
        r = post_to.post("/t/%d/notes" % tid, {"title": title, "category": "work", "body": "x",
                                               "source": "participant"}, csrf=token)
        assert_status(r, 303, "a note with the token of the other backend's page")
        assert one("SELECT COUNT(*) FROM items WHERE title = ?", (title,)) == 1
        r = post_to.post("/t/%d/notes" % tid, {"title": title + "-forged", "category": "work", "body": "x",
                                               "source": "participant"}, csrf="A" * len(token))
        assert_status(r, 403, "a wrong token")
    assert one("SELECT COUNT(*) FROM items WHERE title LIKE 'MULTI-csrf-%-forged'") == 0
    cb.refresh_csrf()
    assert_status(cb.post("/logout", {}), 303, "signing out on B")
    r = ca.get("/caseload")
    assert_status(r, 303, "the session ended on B, asked on A")
    assert r.location.startswith("/login"), r.location


def test_second_factor_code_works_once_across_backends():
    pa, pb = Via(A, "10.1.0.2"), Via(B, "10.1.0.3")
    for c in (pa, pb):
        r = attempt(c, COACH_PIETER, DEMO_PASSWORD)
        assert_status(r, 303, "password")
        assert r.location.startswith("/login/2fa"), r.location
        c.get(r.location)
    code = totp_next(COACH_PIETER, srv.secrets[COACH_PIETER])
    results = {}
    go = threading.Barrier(2)

    def send(name, c):
        go.wait()
        results[name] = c.post("/login/2fa", {"code": code})

    threads = [threading.Thread(target=send, args=(n, c)) for n, c in (("a", pa), ("b", pb))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    passed = [n for n, r in results.items() if r.status == 303 and not r.location.startswith("/login")]
    assert len(passed) == 1, "one code sent to both backends at once signed in %d times: %s" % (
        len(passed), {n: (r.status, r.location) for n, r in results.items()})
    loser = results["b" if passed == ["a"] else "a"]
    assert_status(loser, 200, "the same code on the other backend")
    assert "already used" in loser.body
    # and the same code again later on the backend that refused it
    again = (pb if passed == ["a"] else pa).post("/login/2fa", {"code": code})
    assert_status(again, 200, "a used code sent again")
    assert "already used" in again.body


def test_account_throttle_counts_failures_on_both_backends():
    ca, cb = Via(A, "10.2.0.1"), Via(B, "10.2.0.1")
    for i, c in enumerate((ca, cb, ca)):
        r = attempt(c, PART_KARIM, "wrong-%d" % i)
        assert_status(r, 200, "failure %d" % (i + 1))
        assert "not correct" in r.body
    for c, where in ((cb, "B"), (ca, "A")):
        r = attempt(c, PART_KARIM, DEMO_PASSWORD)
        assert_status(r, 429, "right password on %s after %d failures spread over both backends" % (where, AFTER))
        assert 1 <= int(r.headers["Retry-After"]) <= DELAY_S
    time.sleep(DELAY_S + 0.3)
    assert_status(attempt(cb, PART_KARIM, DEMO_PASSWORD), 303, "after the delay")


def test_parallel_guesses_on_both_backends_are_counted_once():
    results = []
    lock = threading.Lock()
    go = threading.Barrier(12)

    def guess(i):
        c = Via(A if i % 2 else B, "10.2.0.2")
        c.get("/login")
        go.wait()
        s = c.post("/login", {"email": PART_MARIEKE, "password": "parallel-%d" % i}).status
        with lock:
            results.append(s)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answered = results.count(200)
    assert answered <= AFTER and results.count(429) == 12 - answered, \
        "12 parallel guesses over two backends got %d password checks (at most %d): %s" % (
            answered, AFTER, sorted(results))


def test_address_throttle_counts_accounts_on_both_backends():
    sprayer = [Via(A, "10.2.0.3"), Via(B, "10.2.0.3")]
    for i, who in enumerate((PART_AN, PARTNER_HR, PARTNER_GP)):
        assert_status(attempt(sprayer[i % 2], who, "Summer2026!"), 200, "one guess on " + who)
    for c, where in ((sprayer[1], "B"), (sprayer[0], "A")):
        assert_status(attempt(c, ADMIN, "Summer2026!"), 429, "the address tried %d accounts, asked on %s" % (
            AFTER, where))


def via_front(addr):
    return Via(front, addr)


def signed_in_front(email, addr):
    c = via_front(addr)
    r = c.login(email)
    assert_status(r, 200, "sign-in through nginx: " + email)
    return c


def test_writes_survive_a_backend_killed_mid_load():
    tid = participant_trajectory(srv, PART_AN)[0]
    sofie = signed_in_front(COACH_SOFIE, "10.3.0.1")
    an = signed_in_front(PART_AN, "10.3.0.2")
    sofie_id = user_id(srv, COACH_SOFIE)
    assert_status(sofie.get("/t/%d/notes" % tid), 200)
    assert_status(an.get("/t/%d/messages" % tid), 200)
    stop = threading.Event()
    lock = threading.Lock()
    writes = []  # (kind, marker, status, upstream, sent_at)
    reads = []  # (status, upstream)
    errors = []
    kill_at = [None]

    def clone(c):
        t = Via(front, c.addr)
        t.jar = dict(c.jar)
        t.csrf = c.csrf
        return t

    def guarded(f):
        def run_guarded(*args):
            try:
                f(*args)
            except Exception as e:  # reported below: a load thread must not end unnoticed
                with lock:
                    errors.append(repr(e))
        return run_guarded

    @guarded
    def writer(kind, base, n):
        c = clone(base)
        i = 0
        while not stop.is_set():
            marker = "MULTI-%s-%d-%d" % (kind, n, i)
            i += 1
            if kind == "note":
                path, form = "/t/%d/notes" % tid, {"title": marker, "category": "work", "body": "load",
                                                   "source": "participant"}
            else:
                path, form = "/t/%d/messages" % tid, [("category", "practical"), ("to", str(sofie_id)),
                                                      ("body", marker)]
            t = time.time()
            try:
                r = c.request("POST", path, body=urllib.parse.urlencode(
                    (list(form.items()) if isinstance(form, dict) else form) + [("_csrf", c.csrf)]).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}, check_html=False)
                st, up = r.status, r.headers.get("X-Upstream", "")
            except (OSError, http.client.HTTPException) as e:
                st, up = "error: %s" % e, ""
            with lock:
                writes.append((kind, marker, st, up, t))

    @guarded
    def reader(base, path):
        c = clone(base)
        while not stop.is_set():
            try:
                r = c.request("GET", path, check_html=False)
                st, up = r.status, r.headers.get("X-Upstream", "")
            except (OSError, http.client.HTTPException) as e:
                st, up = "error: %s" % e, ""
            with lock:
                reads.append((st, up))

    threads = [threading.Thread(target=writer, args=("note", sofie, n)) for n in range(2)]
    threads += [threading.Thread(target=writer, args=("message", an, n)) for n in range(2)]
    threads += [threading.Thread(target=reader, args=(sofie, "/t/%d/notes" % tid)),
                threading.Thread(target=reader, args=(an, "/messages"))]
    for t in threads:
        t.start()
    try:
        time.sleep(LOAD_S / 2)
        kill_at[0] = time.time()
        B.proc.send_signal(signal.SIGKILL)
        B.proc.wait()
        B.proc = None
        B.errf.close()
        time.sleep(LOAD_S / 2)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    b_addr = "127.0.0.1:%d" % B_PORT[0]
    acked = [w for w in writes if w[2] == 303]
    failed = [w for w in writes if w[2] != 303]
    before = [w for w in acked if w[4] < kill_at[0]]
    after = [w for w in acked if w[4] > kill_at[0] + 1]
    print("# %d writes: %d acknowledged (%d before the kill, %d from a second after it), %d not (%s); %d reads" % (
        len(writes), len(acked), len(before), len(after), len(failed), sorted({str(w[2]) for w in failed}),
        len(reads)))
    assert {w[3] for w in before} >= {"127.0.0.1:%d" % A.port, b_addr}, \
        "writes before the kill did not reach both backends: %s" % sorted({w[3] for w in before})
    assert len(after) >= 4, "the surviving backend took %d writes after the kill" % len(after)
    assert all(w[3] == "127.0.0.1:%d" % A.port for w in after), "a write after the kill answered by the dead backend"
    # what was not acknowledged: only the requests under way at the killed backend (nginx answers 502)
    assert all(w[2] == 502 for w in failed), [w[:4] for w in failed]
    assert all(abs(w[4] - kill_at[0]) < 5 for w in failed), "failures away from the kill: %s" % [w[:4] for w in failed]
    bad_reads = [r for r in reads if r[0] != 200]
    assert all(r[0] == 502 for r in bad_reads), bad_reads
    assert sum(1 for r in reads if r[0] == 200) > 10
    # every acknowledged write is there, once, with its access-log entry
    notes = {t: i for i, t in srv.sql("SELECT id, title FROM items WHERE kind = 'note' AND title LIKE 'MULTI-note-%'")}
    msgs = {b: i for i, b in srv.sql("SELECT id, body FROM items WHERE kind = 'message' AND body LIKE 'MULTI-message-%'")}
    logged = {row[0] for row in srv.sql("SELECT item FROM access_log WHERE action = 'create' AND (item LIKE 'note:%' "
                                        "OR item LIKE 'message:%')")}
    lost = []
    for kind, marker, _, _, _ in acked:
        iid = (notes if kind == "note" else msgs).get(marker)
        if iid is None or "%s:%d" % (kind, iid) not in logged:
            lost.append((marker, iid))
    assert not lost, "%d acknowledged writes lost (marker, item id): %s" % (len(lost), lost[:20])
    assert one("SELECT COUNT(*) FROM items WHERE title LIKE 'MULTI-note-%' OR body LIKE 'MULTI-message-%'") == \
        len(notes) + len(msgs), "a write stored twice"
    # the killed server starts again on the same database
    B.start()
    B.alive()
    p = srv.cli("audit", "verify")
    assert p.returncode == 0 and "access log intact" in p.stdout, "audit verify (%d): %s %s" % (
        p.returncode, p.stdout, p.stderr)
    # and both backends still serve the coach's session
    for target in (A, B):
        assert_status(twin(sofie, target).get("/caseload"), 200, "the session after the kill")


def test_throttle_table_stays_bounded_and_keeps_the_newest():
    """A flood of new keys (here rows put in directly, older than any real one) is pruned to
    THROTTLE_ROWS_MAX rows, oldest first, by the first new key a server counts (B, started again above, has
    counted none yet); rows a day old go whatever the count; the count of a key throttled just before stays."""
    now_ms = int(time.time() * 1000)
    n = THROTTLE_ROWS_MAX + 300
    if srv.pg_args:
        ins = ("INSERT INTO login_throttle (key, failures, last_ms) SELECT lpad(to_hex(i), 32, '0'), 1, ? - i "
               "FROM generate_series(1, ?) AS i")
    else:
        ins = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
               "INSERT INTO login_throttle (key, failures, last_ms) SELECT printf('%032x', i), 1, ? - i FROM n")
    srv.sql(ins, (now_ms - 3600 * 1000, n) if srv.pg_args else (n, now_ms - 3600 * 1000), timeout=60)
    srv.sql("UPDATE login_throttle SET last_ms = ? WHERE key IN (SELECT key FROM login_throttle ORDER BY last_ms "
            "DESC LIMIT 10 OFFSET 1000)", (now_ms - 25 * 3600 * 1000,))
    assert one("SELECT COUNT(*) FROM login_throttle") > n
    lead = Via(A, "10.4.0.1")
    for i in range(AFTER):
        assert_status(attempt(lead, LEAD, "wrong-%d" % i), 200, "failure %d" % (i + 1))
    r = attempt(Via(B, "10.4.0.2"), "nobody-%d@flood.example" % now_ms, "guess")
    assert_status(r, 200, "a failure on a new key")
    rows = one("SELECT COUNT(*) FROM login_throttle")
    # the account's new key pruned the table; the address's new key came after it
    assert rows == THROTTLE_ROWS_MAX + 1, "%d rows after the prune" % rows
    assert one("SELECT COUNT(*) FROM login_throttle WHERE last_ms < ?", (now_ms - 24 * 3600 * 1000,)) == 0
    # the key of the account throttled just before is there with its failures (stored as its hash only)
    h = hashlib.blake2b(("acct:" + LEAD).encode(), digest_size=16).hexdigest()
    assert one("SELECT failures FROM login_throttle WHERE key = ?", (h,)) == AFTER
    assert one("SELECT COUNT(*) FROM login_throttle WHERE key LIKE '%@%'") == 0


def test_nginx_stops():
    front.proc.send_signal(signal.SIGQUIT)
    front.proc.wait(timeout=30)


run(srv, globals(), extra_servers=(B,))
