"""harness.py — shared helpers for the HTTP tests of zorgwerk (Python 3 standard library only).

A test module does:

    from harness import Server, Client, run
    srv = Server(sets={"lock_after": "3"})      # demo database + `serve` on a free port
    def test_something(): ...
    run(srv, globals())                           # runs every test_* in file order, stops the server,
                                                  # checks clean exit, sanitizer output and tidy results

The binary comes from $ZW_BIN. Every HTML body the Client receives is checked with tidy; failures are
collected and reported at the end of the module.
"""
import base64
import hashlib
import hmac
import http.client
import inspect
import os
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

DEMO_PASSWORD = "zorg-en-werk-demo"

# Demo logins by short name (see src/cli/demo.c).
ADMIN = "beheer@zorgwerk.example"
LEAD = "hilde.maes@zorgwerk.example"
COACH_SOFIE = "sofie.peeters@zorgwerk.example"
COACH_PIETER = "pieter.devries@zorgwerk.example"
PART_AN = "an.janssens@mail.example"
PART_KARIM = "karim.elamrani@mail.example"
PART_MARIEKE = "marieke.bakker@mail.example"
PARTNER_HR = "tom.claes@verbeke.example"
PARTNER_GP = "els.wouters@delinde.example"

SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error", "UndefinedBehaviorSanitizer")


def zw_bin():
    b = os.environ.get("ZW_BIN")
    if not b:
        sys.exit("ZW_BIN is not set (path of the zorgwerk binary)")
    return b


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- TOTP (RFC 6238 / RFC 4226)

def totp_at(secret_b32, step):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    num = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return "%06d" % (num % 1000000)


_last_step = {}  # email -> last TOTP step used (the server accepts each step once per user)


def totp_next(email, secret_b32):
    """A code the server will accept: steps now-1..now+1 that are later than the last one used."""
    while True:
        cur = int(time.time()) // 30
        step = max(cur - 1, _last_step.get(email, -1) + 1)
        if step <= cur + 1:
            _last_step[email] = step
            return totp_at(secret_b32, step)
        time.sleep(30 - time.time() % 30 + 0.2)


# ---------------------------------------------------------------- tidy

_tidy_failures = []
_tidy_seen = set()
_tidy_checked = [0]


def tidy_check(where, body):
    key = hashlib.sha256(re.sub(r"[0-9a-f]{16}", "", body).encode()).hexdigest()
    if key in _tidy_seen:
        return
    _tidy_seen.add(key)
    _tidy_checked[0] += 1
    p = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "no"], input=body.encode("utf-8"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode >= 2:
        _tidy_failures.append("%s: %s" % (where, p.stderr.decode("utf-8", "replace").strip()[:800]))


# ---------------------------------------------------------------- server

class PortTaken(Exception):
    pass


class Server:
    def __init__(self, sets=None, name=None):
        self.bin = zw_bin()
        self.tmp = tempfile.mkdtemp(prefix="zw-http-")
        self.db = os.path.join(self.tmp, "db")
        self.pg_args = []
        if os.environ.get("ZW_TEST_DB_URL"):  # PostgreSQL (make test-pg): a fresh database of its own
            self.db, self.pg_args = pg_test_database(self.tmp)
        self.sets = dict(sets or {})
        self.name = name or os.path.basename(sys.argv[0])
        out = self.cli("demo", check=True).stdout
        self.secrets = {}
        for line in out.splitlines():
            m = re.match(r"\s+(\S+@\S+)\s+.*?\s(\S+)\s*$", line)
            if m:
                self.secrets[m.group(1)] = None if m.group(2) == "-" else m.group(2)
        for who in (ADMIN, LEAD, COACH_SOFIE, COACH_PIETER):
            assert self.secrets.get(who), "demo did not print a TOTP secret for %s:\n%s" % (who, out)
        self.proc = None
        self.start()

    def cli(self, *args, check=False, input=None):
        p = subprocess.run([self.bin, "--db", self.db] + self.pg_args + list(args), input=input, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("zorgwerk %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
        self._check_sanitizer(p.stderr, "zorgwerk " + " ".join(args))
        return p

    def start(self):
        """Starts the server unless it runs already (a second process would outlive the test)."""
        if self.proc and self.proc.poll() is None:
            return None
        for attempt in range(3):
            try:
                return self._start()
            except PortTaken:
                continue
        raise AssertionError("no free port after 3 attempts")

    def _start(self):
        self.port = free_port()
        args = [self.bin, "--db", self.db] + self.pg_args
        for k, v in self.sets.items():
            args += ["--set", "%s=%s" % (k, v)]
        args += ["serve", "--listen", "127.0.0.1:%d" % self.port]
        self.err_path = os.path.join(self.tmp, "serve-%d.err" % self.port)
        self.errf = open(self.err_path, "w")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.errf)
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                if "cannot listen" in self.stderr():
                    raise PortTaken()
                raise AssertionError("server exited at start (%d): %s" % (self.proc.returncode, self.stderr()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
            except OSError:
                pass
            if time.time() > deadline:
                raise AssertionError("server did not answer /healthz: " + self.stderr())
            time.sleep(0.05)

    def stderr(self):
        try:
            with open(self.err_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    @staticmethod
    def _check_sanitizer(text, what):
        for m in SANITIZER_MARKERS:
            if m in text:
                i = text.index(m)
                raise AssertionError("%s: sanitizer report:\n%s" % (what, text[max(0, i - 200):i + 3000]))

    def alive(self):
        """The process runs and answers /healthz."""
        assert self.proc.poll() is None, "server died (exit %s): %s" % (self.proc.returncode, self.stderr()[-3000:])
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("GET", "/healthz")
        r = c.getresponse()
        body = r.read()
        c.close()
        assert r.status == 200 and body.startswith(b"ok"), (r.status, body)

    def stop(self):
        """SIGTERM; the server must exit 0 without sanitizer reports."""
        if not self.proc:
            return
        p, self.proc = self.proc, None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                raise AssertionError("server did not stop within 60 s of SIGTERM")
        self.errf.close()
        err = self.stderr()
        self._check_sanitizer(err, "serve")
        assert p.returncode == 0, "server exit status %d, stderr tail:\n%s" % (p.returncode, err[-3000:])

    def restart(self, sets=None):
        self.stop()
        if sets is not None:
            self.sets = dict(sets)
        self.start()

    def sql(self, query, params=(), timeout=10.0):
        """Runs one statement on the database file (tests only); returns all rows."""
        if self.pg_args:  # PostgreSQL (ZW_TEST_DB_URL): through psql, see pg_sql
            return pg_sql(self.db, query, params, timeout)
        con = sqlite3.connect(self.db, timeout=timeout, isolation_level=None)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------- client

class Response:
    def __init__(self, status, headers, body, raw):
        self.status, self.headers, self.body, self.raw = status, headers, body, raw

    def __iter__(self):  # status, headers, body = client.get(...)
        return iter((self.status, self.headers, self.body))

    def header(self, name):
        return self.headers.get(name)

    @property
    def location(self):
        return self.headers.get("Location")


def form_fields(body):
    """name -> value of <input> elements (first occurrence), textarea contents and selected options."""
    out = {}
    for m in re.finditer(r"<input\b([^>]*)>", body):
        a = m.group(1)
        n = re.search(r'\bname="([^"]*)"', a)
        v = re.search(r'\bvalue="([^"]*)"', a)
        if n and n.group(1) not in out:
            out[n.group(1)] = unescape(v.group(1)) if v else ""
    for m in re.finditer(r'<textarea\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</textarea>', body, re.S):
        out.setdefault(m.group(1), unescape(m.group(2)))
    for m in re.finditer(r'<select\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</select>', body, re.S):
        sel = re.search(r'<option value="([^"]*)"[^>]*\bselected', m.group(2))
        out.setdefault(m.group(1), unescape(sel.group(1)) if sel else "")
    return out


def unescape(s):
    import html
    return html.unescape(s)


class Client:
    def __init__(self, srv, lang=None):
        self.srv = srv
        self.jar = {}
        self.last = None
        self.csrf = None
        if lang:
            self.jar["zw_lang"] = lang

    # -- cookies
    def _store_cookies(self, headers):
        for sc in headers.get_all("Set-Cookie") or []:
            first = sc.split(";", 1)[0]
            name, _, value = first.partition("=")
            name = name.strip()
            attrs = sc.lower()
            if re.search(r"max-age=0\b", attrs) or value == "":
                self.jar.pop(name, None)
            else:
                self.jar[name] = value

    def cookie_header(self):
        return "; ".join("%s=%s" % kv for kv in self.jar.items())

    def session_cookie(self):
        return self.jar.get("zw_session") or self.jar.get("__Host-zw_session")

    # -- requests
    def request(self, method, path, body=None, headers=None, check_html=True):
        h = {"Host": "127.0.0.1:%d" % self.srv.port}
        if self.jar:
            h["Cookie"] = self.cookie_header()
        if headers:
            h.update(headers)
        h = {k: v for k, v in h.items() if v is not None}
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=60)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            raw = r.read()
        finally:
            c.close()
        self._store_cookies(r.headers)
        text = raw.decode("utf-8", "replace")
        resp = Response(r.status, r.headers, text, raw)
        ct = r.headers.get("Content-Type") or ""
        if ct.startswith("text/html") and method != "HEAD":
            self.last = resp
            m = re.search(r'name="_csrf" value="([^"]*)"', text)
            if m:
                self.csrf = m.group(1)
            if check_html and text:
                tidy_check("%s %s -> %d" % (method, path, r.status), text)
        return resp

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data=None, csrf=True, headers=None, raw=None, origin=None):
        """POSTs a urlencoded form. csrf=True adds the token of the last page; a string adds that token;
        False adds none. raw (bytes) replaces the encoded form entirely."""
        if raw is None:
            fields = list((data or {}).items()) if isinstance(data, dict) else list(data or [])
            if csrf is True:
                if self.csrf is None:
                    self.get("/login")
                fields.append(("_csrf", self.csrf))
            elif csrf:
                fields.append(("_csrf", csrf))
            raw = urllib.parse.urlencode(fields).encode("utf-8")
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin:
            h["Origin"] = origin
        if headers:
            h.update(headers)
        return self.request("POST", path, body=raw, headers=h)

    def follow(self, resp, limit=5):
        """Follows 303 redirects with GET; returns the final response."""
        while resp.status in (301, 302, 303, 307) and limit > 0:
            resp = self.get(resp.location)
            limit -= 1
        return resp

    # -- sign in
    def login(self, email, password=DEMO_PASSWORD, follow=True):
        """Password, then the second factor with a computed TOTP code when asked. Returns the response
        after the last POST (a 303 to the start page on success), or the final page with follow."""
        self.get("/login")
        r = self.post("/login", {"email": email, "password": password})
        if r.status == 303 and r.location.startswith("/login/2fa"):
            secret = self.srv.secrets.get(email)
            assert secret, "no TOTP secret known for " + email
            self.get(r.location)
            r = self.post("/login/2fa", {"code": totp_next(email, secret)})
            assert r.status == 303 and not r.location.startswith("/login"), \
                "second factor refused for %s: %d %s" % (email, r.status, r.body[:300])
        if follow:
            return self.follow(r)
        self.refresh_csrf()
        return r

    def refresh_csrf(self):
        """Fetches a page of the signed-in user (/account) for the current session's CSRF token."""
        self.get("/account")
        return self.csrf

    def logout(self):
        self.refresh_csrf()
        return self.post("/logout", {})


def assert_status(resp, want, what=""):
    wants = want if isinstance(want, (tuple, list, set)) else (want,)
    assert resp.status in wants, "%s: status %d, expected %s; body: %s" % (
        what, resp.status, "/".join(map(str, wants)), strip_tags(resp.body)[:500])


def strip_tags(s):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", s)).strip()


def without_ref(body):
    """A page without what differs per request: the request reference, CSRF tokens, the path in the
    language form."""
    body = re.sub(r"[0-9a-f]{16}", "REF", body)
    body = re.sub(r'name="_csrf" value="[^"]*"', 'name="_csrf" value=""', body)
    body = re.sub(r'name="next" value="[^"]*"', 'name="next" value=""', body)
    return body


# ---------------------------------------------------------------- raw sockets

def _complete_responses(buf):
    """How many complete HTTP responses (with Content-Length bodies) buf holds."""
    n, pos = 0, 0
    while True:
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0:
            return n
        m = re.search(rb"(?im)^content-length:\s*(\d+)", buf[pos:end])
        if not m:
            return n  # no length: read until the server closes
        stop = end + 4 + int(m.group(1))
        if len(buf) < stop:
            return n
        n, pos = n + 1, stop


def raw_request(srv, data, timeout=10, responses=1):
    """Sends bytes on a fresh connection; returns what came back (b'' when the server closed at once).
    Stops reading after `responses` complete responses, at EOF or on a reset."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    chunks = b""
    try:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)  # nothing more is coming: an incomplete request ends here
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        while _complete_responses(chunks) < responses:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks += b
        return chunks
    finally:
        s.close()


def raw_status(reply):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- runner

def run(srv, namespace, extra_servers=()):
    """Runs every test_* function of the module in file order; prints `ok - name` / `not ok - name`."""
    tests = [(name, f) for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    tests.sort(key=lambda nf: inspect.getsourcelines(nf[1])[1])
    failed = 0
    t0 = time.time()
    for name, f in tests:
        t = time.time()
        try:
            f()
            print("ok - %s (%.1fs)" % (name, time.time() - t), flush=True)
        except Exception:
            failed += 1
            print("not ok - %s" % name, flush=True)
            traceback.print_exc(file=sys.stdout)
            sys.stdout.flush()
    for s in (srv,) + tuple(extra_servers):
        try:
            s.stop()
            print("ok - clean shutdown (%s)" % s.name, flush=True)
        except Exception:
            failed += 1
            print("not ok - clean shutdown (%s)" % s.name, flush=True)
            traceback.print_exc(file=sys.stdout)
    if _tidy_failures:
        failed += 1
        print("not ok - tidy: %d page(s) with HTML errors" % len(_tidy_failures))
        for f in _tidy_failures:
            print("  " + f.replace("\n", "\n    "))
    else:
        print("ok - tidy: %d distinct page(s) valid" % _tidy_checked[0])
    print("# %d test(s), %d failed, %.1fs" % (len(tests), failed, time.time() - t0), flush=True)
    if not failed:
        for s in (srv,) + tuple(extra_servers):
            s.cleanup()
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------- shared by the tests of issues 9 and 10
# (one-time links, the access log, the demo's people)

def sql_one(srv, query, params=()):
    """The first column of the first row of query."""
    return srv.sql(query, params)[0][0]


def user_id(srv, email):
    """The id of the account with this e-mail address, or None."""
    rows = srv.sql("SELECT id FROM users WHERE email = ?", (email,))
    return rows[0][0] if rows else None


def participant_trajectory(srv, email):
    """(trajectory id, participant id) of the participant whose account has this e-mail address."""
    return srv.sql("SELECT t.id, t.participant_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                   "JOIN users u ON u.id = p.user_id WHERE u.email = ?", (email,))[0]


def signed_in(srv, clients, email, lang="en"):
    """The Client of srv signed in as email (demo password, second factor where asked), kept in the dict
    clients: it signs in on the first call for email only."""
    if email not in clients:
        clients[email] = Client(srv, lang=lang)
        clients[email].login(email)
    return clients[email]


def access_log_mark(srv):
    """The id of the latest access-log entry: what comes after it is new."""
    return sql_one(srv, "SELECT COALESCE(MAX(id), 0) FROM access_log")


ACCESS_LOG_COLUMNS = ("id", "at", "user_id", "role", "participant_id", "trajectory_id", "item", "action", "outcome",
                      "grounds", "client")


def access_log_since(srv, mark, **where):
    """The access-log entries after mark (access_log_mark), as dicts of ACCESS_LOG_COLUMNS, those whose columns
    named in where have those values."""
    rows = srv.sql("SELECT %s FROM access_log WHERE id > ? ORDER BY id" % ", ".join(ACCESS_LOG_COLUMNS), (mark,))
    rows = [dict(zip(ACCESS_LOG_COLUMNS, r)) for r in rows]
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def link_token(text):
    """The token of the first one-time link (/reset?token=...) in a page or a command's output, or None."""
    m = re.search(r"/reset\?token=([A-Za-z0-9_\-]+)", text)
    return unescape(m.group(1)) if m else None


def use_link(srv, token, password, lang="en"):
    """A visitor opens the one-time link of token and sets password with it; returns the response of the form
    (or of the link itself when that is not 200)."""
    anon = Client(srv, lang=lang)
    r = anon.get("/reset?token=" + token)
    if r.status != 200:
        return r
    return anon.post("/reset", {"token": token, "new": password, "repeat": password})


def password_sign_in(srv, email, password, lang="en"):
    """A new Client signed in with e-mail address and password only (an account without a second factor);
    returns (client, where the sign-in leads)."""
    c = Client(srv, lang=lang)
    c.get("/login")
    r = c.post("/login", {"email": email, "password": password})
    assert_status(r, 303, "%s signs in" % email)
    return c, r.location


def main_text(body):
    """The text of the page's <main> (of the whole page without one), without tags."""
    m = re.search(r"<main[^>]*>(.*?)</main>", body, re.S)
    return strip_tags(m.group(1) if m else body)


def admin_new_partner(admin, name, email, function, side="care", org_id=""):
    """The administrator (a signed-in Client) makes a partner account on the users page; returns the
    response (200 with the invitation link when it was made)."""
    admin.get("/admin/users/new")
    return admin.post("/admin/users/new", {"name": name, "email": email, "role": "partner", "org_id": org_id,
                                           "side": side, "function": function})


def assert_refused_on_owner(srv, client, user, method, path, owner, named, data=None, item=None):
    """Sends the request as client (user: the id of its account): the answer is the not-found page, with one
    "denied" access-log entry, on owner — (participant id, trajectory id) of the object asked for, (None, None)
    when it does not exist — (with item: on that item) and no entry on the participant `named` (the one the
    URL names) unless that is the owner. Returns the response."""
    since = access_log_mark(srv)
    client.get("/account")  # a fresh CSRF token
    r = client.get(path) if method == "GET" else client.post(path, data or {})
    assert_status(r, 404, "%s %s" % (method, path))
    got = srv.sql("SELECT participant_id, trajectory_id, item, action, outcome FROM access_log "
                  "WHERE id > ? AND user_id = ? ORDER BY id", (since, user))
    denied = [e for e in got if e[4] == "denied"]
    assert len(denied) == 1, (path, got)
    pid, tid, logged_item, _, _ = denied[0]
    assert (pid, tid) == tuple(owner), "%s %s: refusal logged on participant %s / trajectory %s, expected %s" % (
        method, path, pid, tid, owner)
    if item:
        assert logged_item == item, (path, logged_item)
    assert not [e for e in got if e[0] == named and e[0] != owner[0]], "%s: entry on the named participant %s" % (
        path, got)
    return r


def admin_deactivated_partner(srv, admin, name, email, function):
    """The administrator (a signed-in Client) makes a care-side partner account and deactivates it."""
    assert_status(admin_new_partner(admin, name, email, function), 200, "a partner account to deactivate")
    uid = user_id(srv, email)
    admin.get("/admin/users/%d" % uid)
    assert_status(admin.post("/admin/users/%d/disable" % uid, {}), 303, "deactivate it")


# ---------------------------------------------------------------- one sign-in helper

def sign_in(srv, email, password=DEMO_PASSWORD, lang=None):
    """A new Client of srv signed in as email (password, then the second factor with a computed code where
    asked). Asserts that it did sign in: the sign-in answers 303 to a page that is not the sign-in or the
    enrolment of a second factor, the session cookie is set, and /account answers 200 with the session (a
    signed-out client is sent to /login). Fetches no start page, so it writes no access-log entry."""
    c = Client(srv, lang=lang)
    r = c.login(email, password=password, follow=False)
    assert_status(r, 303, "%s signs in" % email)
    assert not r.location.startswith(("/login", "/account/2fa")), "%s not signed in: sent to %s" % (email, r.location)
    assert c.session_cookie(), "%s: no session cookie after signing in" % email
    assert_status(c.get("/account"), 200, "%s's account page after signing in" % email)
    return c


def sign_in_all(srv, emails, into, lang=None):
    """sign_in for each of emails, kept in the dict into (e-mail -> Client)."""
    for email in emails:
        into[email] = sign_in(srv, email, lang=lang)
    return into


# ---------------------------------------------------------------- a real SMTP server for the mail tests (issue 12)

_SMTP_SINK = r'''
import asyncio, os, sys, time
from aiosmtpd.smtp import SMTP

class Handler:
    def __init__(self, d):
        self.d, self.n = d, 0

    async def handle_DATA(self, server, session, envelope):
        slow = os.path.join(self.d, "SLOW")
        if os.path.exists(slow):
            with open(slow) as f:
                await asyncio.sleep(float(f.read().strip() or "0"))
        fail = os.path.join(self.d, "FAIL")
        if os.path.exists(fail):
            with open(fail) as f:
                return f.read().strip()
        self.n += 1
        base = os.path.join(self.d, "%020d-%06d" % (time.time_ns(), self.n))  # unique across restarts
        with open(base + ".tmp", "wb") as f:
            f.write(("\n".join(envelope.rcpt_tos) + "\n\n").encode())
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK"

async def main(d, port):
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(lambda: SMTP(Handler(d), hostname="sink.test"), "127.0.0.1", port)
    async with srv:
        await srv.serve_forever()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
'''


def _aiosmtpd_python():
    """A Python that has aiosmtpd (Debian's python3-aiosmtpd installs it for /usr/bin/python3)."""
    for exe in (sys.executable, "/usr/bin/python3"):
        if exe and subprocess.run([exe, "-c", "import aiosmtpd"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL).returncode == 0:
            return exe
    raise AssertionError("aiosmtpd is not installed (Debian: python3-aiosmtpd; scripts/deps.sh test)")


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1:port that keeps every message it accepts as a file. stop()
    takes it down (the port refuses connections), start() brings it up again on the same port, fail_with(reply)
    makes it answer DATA with that reply (e.g. "554 5.7.1 not now") until fail_with(None), slow_by(s) makes it
    wait s seconds before answering DATA (it keeps the message all the same, as a server does that received it
    whole)."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="zw-smtp-")
        self.python = _aiosmtpd_python()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([self.python, "-c", _SMTP_SINK, self.dir, str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    if s.recv(100).startswith(b"220"):
                        return
            except OSError:
                pass
            assert self.proc.poll() is None, "SMTP sink exited: %s" % self.proc.stderr.read().decode()[-2000:]
            assert time.time() < deadline, "SMTP sink did not start"
            time.sleep(0.05)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def fail_with(self, reply):
        path = os.path.join(self.dir, "FAIL")
        if reply is None:
            if os.path.exists(path):
                os.unlink(path)
        else:
            with open(path, "w") as f:
                f.write(reply)

    def slow_by(self, seconds):
        """Makes the server wait this long before it answers DATA (None: answer at once)."""
        path = os.path.join(self.dir, "SLOW")
        if seconds is None:
            if os.path.exists(path):
                os.unlink(path)
        else:
            with open(path, "w") as f:
                f.write(str(seconds))

    def messages(self):
        """Every accepted message as (recipients, email.message.Message, raw bytes), in order of arrival."""
        import email
        out = []
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".eml"):
                with open(os.path.join(self.dir, name), "rb") as f:
                    data = f.read()
                head, raw = data.split(b"\n\n", 1)
                out.append((head.decode().split("\n"), email.message_from_bytes(raw), raw))
        return out

    def wait_for(self, pred, timeout=30, what="a mail"):
        """Waits until some accepted message satisfies pred(recipients, message, raw); returns those that do."""
        deadline = time.time() + timeout
        while True:
            got = [m for m in self.messages() if pred(*m)]
            if got:
                return got
            assert time.time() < deadline, "%s did not arrive within %d s (%d message(s) received)" % (
                what, timeout, len(self.messages()))
            time.sleep(0.1)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- the recipients' message summary (migration 024)

# What message_inbox must hold: per recipient and per group of messages the visibility rule cannot tell apart
# (trajectory, category, source party, author), the count, the unread ones not withdrawn, the newest time.
MESSAGE_INBOX_TRUTH = (
    "SELECT r.user_id, i.trajectory_id, i.category, COALESCE(i.source_member_id, 0), i.author_id, COUNT(*), "
    "SUM(CASE WHEN r.read_at IS NULL AND m.withdrawn_at IS NULL THEN 1 ELSE 0 END), MAX(i.created_at) "
    "FROM message_recipients r JOIN items i ON i.id = r.message_id JOIN messages m ON m.item_id = i.id "
    "WHERE i.kind = 'message' AND i.deleted_at IS NULL "
    "GROUP BY r.user_id, i.trajectory_id, i.category, COALESCE(i.source_member_id, 0), i.author_id")


def message_inbox_rebuild(srv):
    """Recomputes message_inbox after a test wrote messages or receipts into the database directly (the
    product keeps it on every send, read and withdrawal)."""
    srv.sql("DELETE FROM message_inbox")
    srv.sql("INSERT INTO message_inbox (user_id, trajectory_id, category, source_key, author_id, total, unread, "
            "last_at) " + MESSAGE_INBOX_TRUTH)


def message_inbox_drift(srv):
    """(rows of message_inbox that the messages do not give, rows the messages give that it lacks): both empty
    when the summary is exact."""
    have = set(srv.sql("SELECT user_id, trajectory_id, category, source_key, author_id, total, unread, last_at "
                       "FROM message_inbox"))
    want = set(srv.sql(MESSAGE_INBOX_TRUTH))
    return sorted(have - want), sorted(want - have)


# ---------------------------------------------------------------- PostgreSQL (issue 15: make test-pg)

def _pg_bin(prog):
    """A PostgreSQL client program from Debian's server package."""
    import glob
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + prog))
    return found[-1] if found else prog


def pg_test_database(tmp):
    """With ZW_TEST_DB_URL (a cluster of scripts/pg-test-cluster.sh): creates a new empty database in that
    cluster, dropped when the test process exits. Returns (its URL, the extra options for the binary: the
    access-log key and seal files in tmp, which on SQLite default to the database file's name)."""
    import atexit
    base = os.environ["ZW_TEST_DB_URL"]
    u = urllib.parse.urlsplit(base)
    q = dict(urllib.parse.parse_qsl(u.query))
    name = "zw_%d_%s" % (os.getpid(), os.path.basename(tmp).replace("-", "_").lower())
    conn = ["-h", q.get("host", u.hostname or "localhost"), "-U", q.get("user", u.username or "postgres")]
    if u.port:
        conn += ["-p", str(u.port)]
    subprocess.run([_pg_bin("createdb")] + conn + [name], check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    atexit.register(lambda: subprocess.run([_pg_bin("dropdb")] + conn + ["--force", "--if-exists", name],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    url = "%s://%s/%s%s" % (u.scheme, u.netloc, name, "?" + u.query if u.query else "")
    return url, ["--set", "audit_key_file=" + os.path.join(tmp, "db.key"),
                 "--set", "audit_seal_file=" + os.path.join(tmp, "db.seal")]


def _pg_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (bytes, bytearray)):
        return "'\\x%s'::bytea" % bytes(v).hex()
    return "'" + str(v).replace("'", "''") + "'"


def pg_sql(url, query, params=(), timeout=10.0):
    """Srv.sql on PostgreSQL: runs query (SQLite-style ? parameters, filled in as literals outside quotes)
    with psql; returns the rows as tuples, whole numbers as int and booleans as 1/0 (as sqlite3 gives them),
    NULL as None. SQLite-only SQL in a test (PRAGMA, strftime...) fails here with psql's message."""
    params = list(params)
    out, i, quote = [], 0, None
    for ch in query:
        if quote:
            quote = None if ch == quote else quote
            out.append(ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append(_pg_literal(params[i]))
            i += 1
        else:
            out.append(ch)
    p = subprocess.run([_pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-R", "\x1e",
                        "-P", "null=\x1d", "-d", url, "-c", "".join(out)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout + 20)
    if p.returncode != 0:
        raise AssertionError("psql: %s: %s" % ("".join(out), p.stderr.decode("utf-8", "replace")))
    return pg_rows(p.stdout.decode("utf-8"))


def pg_rows(text, rows=None):
    """The rows of psql's unaligned output (fields split by \\x1f, records by \\x1e, NULL as \\x1d; nothing for no
    rows, else the rows and a newline) appended to rows (a new list when None) as tuples: whole numbers as
    int, booleans as 1/0 (as sqlite3 gives them), NULL as None."""
    rows = [] if rows is None else rows
    for rec in text[:-1].split("\x1e") if text else []:
        row = []
        for v in rec.split("\x1f"):
            if v == "\x1d":
                row.append(None)
            elif re.fullmatch(r"-?(0|[1-9][0-9]*)", v):
                row.append(int(v))
            elif v in ("t", "f"):  # a boolean expression: 1 or 0, as SQLite gives it
                row.append(1 if v == "t" else 0)
            else:
                row.append(v)
        rows.append(tuple(row))
    return rows


# ---------------------------------------------------------------- helpers shared by the issue 13/14 tests

def sign_in_kept(srv, clients, email, lang="en"):
    """sign_in(srv, email, lang=lang) on the first call for email, kept in the dict clients; the same Client
    afterwards."""
    if email not in clients:
        clients[email] = sign_in(srv, email, lang=lang)
    return clients[email]


def org_id(srv, name):
    """The id of the organisation with this name, or 0."""
    rows = srv.sql("SELECT id FROM organisations WHERE name = ?", (name,))
    return rows[0][0] if rows else 0


def demo_programme(srv, n):
    """Stops srv, replaces its data by the demo plus n synthetic trajectories (`demo --force --programme n`),
    learns the new accounts' second-factor secrets from its output and starts srv again. Clients signed in
    before are signed out by it."""
    srv.stop()
    out = srv.cli("demo", "--force", "--programme", str(n), check=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s+(\S+@\S+)\s+.*?\s(\S+)\s*$", line)
        if m:
            srv.secrets[m.group(1)] = None if m.group(2) == "-" else m.group(2)
    srv.start()


# ---------------------------------------------------------------- one connection on either driver (issue 15, part 3)

import threading  # noqa: E402 (PgSession only)

def _pg_fill(query, params):
    """query with its SQLite-style ? parameters filled in as PostgreSQL literals (outside quotes), as pg_sql."""
    params = list(params)
    out, i, quote = [], 0, None
    for ch in query:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append(_pg_literal(params[i]))
            i += 1
            continue
        out.append(ch)
    assert i == len(params), "%d parameters for %d placeholders: %s" % (len(params), i, query)
    return "".join(out)


class DbRows(list):
    """The rows of one statement (tuples), with the sqlite3 cursor's fetchone and fetchall."""

    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


class PgSession:
    """One psql session kept open on a PostgreSQL database, for a test that needs a transaction over several
    statements or a lock held while the server works (db_connect). execute(query, params) takes SQLite-style
    ? parameters and returns DbRows converted as pg_sql does. "BEGIN IMMEDIATE" and "BEGIN EXCLUSIVE" begin a
    transaction and take the advisory lock every writer of the server takes first (src/db/db_pg.c:
    hashtext('zorgwerk:writer')), so that, as on SQLite, no write of the server goes through until COMMIT or
    rollback(); the server's wait ends after its lock_timeout (5 s) with a 503. An SQL error raises
    AssertionError with psql's message and ends the session (its transaction rolled back)."""

    END = "__zw_end_of_statement__"

    def __init__(self, url):
        self.mu = threading.Lock()
        self.proc = subprocess.Popen([_pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\x1f",
                                      "-R", "\x1e", "-P", "null=\x1d", "-d", url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def _run(self, sql):
        self.proc.stdin.write((sql.rstrip().rstrip(";") + ";\n\\echo " + self.END + "\n").encode("utf-8"))
        self.proc.stdin.flush()
        buf, end = b"", (self.END + "\n").encode()
        while not buf.endswith(end):
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                self.proc.stdin.close()
                err = self.proc.stderr.read().decode("utf-8", "replace")
                self.proc.wait()
                raise AssertionError("psql: %s: %s" % (sql, err))
            buf += chunk
        return buf[:-len(end)].decode("utf-8")

    def execute(self, query, params=()):
        q = query.strip()
        with self.mu:
            if re.fullmatch(r"(?i)BEGIN\s+(IMMEDIATE|EXCLUSIVE)", q):
                self._run("BEGIN")
                self._run("SELECT pg_advisory_xact_lock(hashtext('zorgwerk:writer'))")
                return DbRows()
            text = self._run(_pg_fill(q, params))
        return pg_rows(text, DbRows())

    def commit(self):
        self.execute("COMMIT")

    def rollback(self):
        self.execute("ROLLBACK")

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()


def db_is_pg(target):
    """target (a Server, or the database argument of the binary) is a PostgreSQL database."""
    db = target.db if isinstance(target, Server) else target
    return db.startswith(("postgresql://", "postgres://"))


def db_connect(target, timeout=30):
    """A connection of the test's own to the database of target (a Server, or a SQLite path or PostgreSQL URL):
    sqlite3's (autocommit: isolation_level None, usable from any thread) or a PgSession with the same
    execute, fetchone/fetchall, rollback and close. Portable SQL only; INSERT ... RETURNING id instead of
    lastrowid. Close it when done."""
    db = target.db if isinstance(target, Server) else target
    if db_is_pg(db):
        return PgSession(db)
    return sqlite3.connect(db, timeout=timeout, isolation_level=None, check_same_thread=False)


def db_tables(srv):
    """The names of srv's tables (not SQLite's own), sorted."""
    if db_is_pg(srv):
        q = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    else:
        q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return sorted(r[0] for r in srv.sql(q))


def db_dump_text(srv):
    """Every row of srv's database as text: sqlite3's iterdump, or pg_dump --data-only."""
    if db_is_pg(srv):
        p = subprocess.run([_pg_bin("pg_dump"), "--data-only", "-d", srv.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        assert p.returncode == 0, "pg_dump: " + p.stderr.decode("utf-8", "replace")
        return p.stdout.decode("utf-8")
    con = sqlite3.connect(srv.db, timeout=30, isolation_level=None)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def db_integrity_problems(srv):
    """What is wrong with the database's structure, [] when nothing. SQLite: PRAGMA integrity_check and
    foreign_key_check. PostgreSQL (which checks its pages itself and enforces foreign keys on every write):
    the foreign keys of the schema must exist and be validated (none NOT VALID), and every row of each table
    must be readable."""
    if not db_is_pg(srv):
        rows = srv.sql("PRAGMA integrity_check")
        out = [] if rows == [("ok",)] else ["integrity_check: %r" % rows[:10]]
        fk = srv.sql("PRAGMA foreign_key_check")
        return out + (["foreign key violations: %r" % fk[:10]] if fk else [])
    out = []
    n = srv.sql("SELECT COUNT(*) FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace "
                "WHERE s.nspname = 'public' AND c.contype = 'f'")[0][0]
    if n == 0:
        out.append("no foreign keys in the schema")
    bad = srv.sql("SELECT c.conname FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace "
                  "WHERE s.nspname = 'public' AND NOT c.convalidated ORDER BY 1")
    if bad:
        out.append("constraints not validated: %r" % bad)
    for t in db_tables(srv):
        srv.sql('SELECT COUNT(*) FROM (SELECT * FROM "%s") AS t' % t, timeout=60)
    return out


def pg_copy_database(url):
    """A new database in url's cluster made from url's database as template (nobody may be connected to it),
    dropped when the test process exits; returns its URL."""
    import atexit
    u = urllib.parse.urlsplit(url)
    q = dict(urllib.parse.parse_qsl(u.query))
    pg_copy_database.n = getattr(pg_copy_database, "n", 0) + 1
    name = "zw_%d_copy%d" % (os.getpid(), pg_copy_database.n)
    conn = ["-h", q.get("host", u.hostname or "localhost"), "-U", q.get("user", u.username or "postgres")]
    if u.port:
        conn += ["-p", str(u.port)]
    p = subprocess.run([_pg_bin("createdb")] + conn + ["-T", u.path.lstrip("/"), name], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    assert p.returncode == 0, "createdb -T: " + p.stderr.decode("utf-8", "replace")
    atexit.register(lambda: subprocess.run([_pg_bin("dropdb")] + conn + ["--force", "--if-exists", name],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return "%s://%s/%s%s" % (u.scheme, u.netloc, name, "?" + u.query if u.query else "")


def db_columns(srv, table):
    """The column names of srv's table, in their order: PRAGMA table_info on SQLite, information_schema on
    PostgreSQL."""
    if db_is_pg(srv):
        return [r[0] for r in srv.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                      "'public' AND table_name = ? ORDER BY ordinal_position", (table,))]
    return [r[1] for r in srv.sql("PRAGMA table_info(%s)" % table)]


def db_files_holding(srv, needle):
    """The names of the files of srv's database that contain the bytes needle, after the engine has written what
    it holds in memory to them. SQLite: the database file and its write-ahead log (after a passive checkpoint).
    PostgreSQL: the files of the database's relations (base/<its oid>/, after a CHECKPOINT) and the cluster's
    write-ahead log segments written since the database was made (the test cluster's user is its superuser, as
    scripts/pg-test-cluster.sh makes it; the files are read directly, so the test must be able to read the
    cluster's directory: its owner or root). Asserts that it read at least one file."""
    paths = []
    if db_is_pg(srv):
        srv.sql("CHECKPOINT")
        data = srv.sql("SELECT current_setting('data_directory')")[0][0]
        oid = srv.sql("SELECT oid FROM pg_database WHERE datname = current_database()")[0][0]
        base = os.path.join(data, "base", str(oid))
        paths += [os.path.join(base, f) for f in sorted(os.listdir(base))]
        made = srv.sql("SELECT (pg_stat_file(?)).modification", ("base/%d/PG_VERSION" % oid,))[0][0]
        paths += [os.path.join(data, "pg_wal", r[0]) for r in srv.sql(
            "SELECT name FROM pg_ls_waldir() WHERE modification >= CAST(? AS timestamptz) ORDER BY name", (made,))]
    else:
        srv.sql("PRAGMA wal_checkpoint(PASSIVE)")
        paths += [p for p in (srv.db, srv.db + "-wal") if os.path.exists(p)]
    assert paths, "no file of the database found"
    out = []
    for p in paths:
        with open(p, "rb") as f:
            if needle in f.read():
                out.append(os.path.basename(p))
    return out
