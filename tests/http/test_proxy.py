"""The client's address behind a reverse proxy (issue 9, finding 5). The server runs with
trusted_proxies = 127.0.0.1 and per_ip_limit = 3; the tests connect from 127.0.0.1 (the trusted proxy)
and from 127.0.0.2 (a client connecting directly). The access log records the address the proxy names in
X-Forwarded-For or Forwarded (the right-most that is not a trusted proxy) and the peer's address when
the peer is not trusted or the header is malformed or contradictory; the proxy's own connections are
not held to per_ip_limit, while each forwarded client is held to per_ip_limit requests at once and a
direct client to per_ip_limit connections. A trusted_proxies value that is not an address stops the
server at start."""
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, Client, Server, assert_status, free_port, raw_status, run

LIMIT = 3
srv = Server(sets={"trusted_proxies": "127.0.0.1, ::1", "per_ip_limit": str(LIMIT), "lang": "en",
                   "login_delay_ms": "0"})
BUSY = b"Too many requests from your address at the same time."
coach = Client(srv)
TID = [None]


def log_clients(rid):
    return sorted({row[0] for row in srv.sql("SELECT client FROM access_log WHERE request_id = ?", (rid,))})


def connect(source="127.0.0.1", timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", srv.port))
    return s


def read_reply(s):
    """Reads one response (or up to the close); returns the bytes."""
    out = b""
    while True:
        try:
            b = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            return out
        if not b:
            return out
        out += b
        end = out.find(b"\r\n\r\n")
        m = re.search(rb"(?i)content-length:\s*(\d+)", out[:end] if end >= 0 else b"")
        if m and len(out) >= end + 4 + int(m.group(1)):
            return out


def get(path, extra=b"", source="127.0.0.1", cookie=None):
    s = connect(source)
    try:
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + extra +
                  (b"Cookie: " + cookie.encode() + b"\r\n" if cookie else b"") + b"Connection: close\r\n\r\n")
        return read_reply(s)
    finally:
        s.close()


def test_sign_in():
    coach.login(COACH_SOFIE, follow=False)
    TID[0] = srv.sql("SELECT tc.trajectory_id FROM trajectory_coaches tc JOIN users u ON u.id = tc.user_id "
                     "WHERE u.email = ? ORDER BY 1 LIMIT 1", (COACH_SOFIE,))[0][0]
    assert_status(coach.get("/t/%d" % TID[0]), 200, "the coach's trajectory")


def test_access_log_has_the_forwarded_address():
    cases = [
        ({"X-Forwarded-For": "198.51.100.7"}, "198.51.100.7"),
        ({"X-Forwarded-For": "6.6.6.6, 198.51.100.8"}, "198.51.100.8"),        # left part: the client's own
        ({"X-Forwarded-For": "198.51.100.9, 127.0.0.1"}, "198.51.100.9"),      # a chain of trusted proxies
        ({"X-Forwarded-For": "2001:DB8::5"}, "2001:db8::5"),
        ({"Forwarded": 'for="[2001:db8::7]:4711";proto=https'}, "2001:db8::7"),
        ({"Forwarded": "for=6.6.6.6, for=198.51.100.10"}, "198.51.100.10"),
        ({"X-Forwarded-For": "6.6.6.6, 198.51.100.11", "Forwarded": "for=198.51.100.11"}, "198.51.100.11"),
        ({"X-Forwarded-For": "not-an-address"}, "127.0.0.1"),                   # malformed: the peer
        ({"Forwarded": "for=unknown"}, "127.0.0.1"),
        ({"X-Forwarded-For": "198.51.100.7", "Forwarded": "for=6.6.6.6"}, "127.0.0.1"),  # they disagree
        ({}, "127.0.0.1"),                                                      # the proxy's own request
    ]
    for headers, want in cases:
        r = coach.get("/t/%d" % TID[0], headers=headers)
        assert_status(r, 200, str(headers))
        assert log_clients(r.headers.get("X-Request-Id")) == [want], (headers, log_clients(r.headers.get("X-Request-Id")), want)


def test_untrusted_peer_header_is_ignored():
    reply = get("/t/%d" % TID[0], b"X-Forwarded-For: 198.51.100.7\r\nForwarded: for=198.51.100.7\r\n",
                source="127.0.0.2", cookie=coach.cookie_header())
    assert raw_status(reply) == 200, reply[:300]
    rid = re.search(rb"(?i)x-request-id: ([0-9a-f]{16})", reply).group(1).decode()
    assert log_clients(rid) == ["127.0.0.2"], log_clients(rid)


def test_forwarded_client_limited_proxy_not():
    """LIMIT requests of client A in progress (headers sent, body not) through the proxy: A's next request
    is refused with 429, B's is served — on the proxy's 5th and 6th connection, beyond per_ip_limit."""
    held = []
    try:
        for _ in range(LIMIT):
            s = connect()
            s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.20\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
            held.append(s)
        time.sleep(0.5)  # the server has read their headers
        reply = get("/login", b"X-Forwarded-For: 198.51.100.20\r\n")
        assert raw_status(reply) == 429, reply[:300]
        assert BUSY in reply and re.search(rb"(?i)retry-after: 1", reply), reply[:400]
        reply = get("/login", b"X-Forwarded-For: 198.51.100.21\r\n")
        assert raw_status(reply) == 200, "another client through the same proxy: %r" % reply[:300]
        reply = get("/login")
        assert raw_status(reply) == 200, "the proxy itself: %r" % reply[:300]
    finally:
        for s in held:
            s.close()
    time.sleep(0.5)  # the closes reach the server: A's places are given back
    reply = get("/login", b"X-Forwarded-For: 198.51.100.20\r\n")
    assert raw_status(reply) == 200, reply[:300]


def test_direct_client_limited_by_connections():
    held = [connect("127.0.0.2") for _ in range(LIMIT)]
    try:
        time.sleep(0.5)
        reply = get("/healthz", source="127.0.0.2")
        assert raw_status(reply) is None, "connection %d from one direct client: %r" % (LIMIT + 1, reply[:200])
        assert raw_status(get("/healthz", source="127.0.0.3")) == 200, "another direct client"
    finally:
        for s in held:
            s.close()
    time.sleep(0.5)
    assert raw_status(get("/healthz", source="127.0.0.2")) == 200
    srv.alive()


def test_bad_trusted_proxies_stops_the_start():
    for bad in ("proxy.example", "10.0.0.0/33", "127.0.0.1:8080"):
        p = subprocess.run([srv.bin, "--db", srv.db] + srv.pg_args + ["--set", "trusted_proxies=" + bad, "serve",
                            "--listen", "127.0.0.1:%d" % free_port()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=30)
        assert p.returncode != 0, bad
        assert "trusted_proxies: '%s' is not an IPv4 or IPv6 address or range" % bad in p.stderr, p.stderr[-500:]


run(srv, globals())
