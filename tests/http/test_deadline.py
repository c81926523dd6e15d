"""The whole-request deadline (request_deadline_s): a client that sends its request line, its headers or its
body one byte a second is cut once the deadline has passed since its first byte, with one log line that
gives its address and how long, never what it sent. At the same time a normal client keeps being served,
a keep-alive connection that waits longer than the deadline (but less than conn_timeout) between requests
and a new connection that stays quiet as long are not cut, and a complete request whose answer waits for
the access log (the connection is suspended) gets its answer however long the wait.

Every scenario runs at the same time, so the module takes about ten seconds."""
import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PART_AN, Client, Server, assert_status, db_connect, run

DEADLINE = 5
CONN_TIMEOUT = 12
srv = Server(sets={"request_deadline_s": str(DEADLINE), "conn_timeout": str(CONN_TIMEOUT), "lang": "en"})
results = {}  # scenario -> dict


def slow_sender(name, prefix, script, limit=12.0):
    """Connects, sends `prefix` at once, then one byte of `script` a second until the server closes the
    connection or `limit` seconds have passed. Records how long the slow part lasted."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    res = {"closed": False, "answer": b""}
    try:
        if prefix:
            s.sendall(prefix)
        t0 = time.time()
        s.settimeout(1.0)
        i = 0
        while time.time() - t0 < limit:
            try:
                if i < len(script):
                    s.send(script[i:i + 1])
                    i += 1
                data = s.recv(4096)
                if not data:
                    res["closed"] = True
                    break
                res["answer"] += data
            except socket.timeout:
                continue
            except OSError as e:  # reset or broken pipe: closed as well
                res["closed"], res["error"] = True, repr(e)
                break
        res["after"] = time.time() - t0
        res["sent"] = i
    finally:
        s.close()
    results[name] = res


def slow_header():
    slow_sender("header", b"GET /login HTTP/1.1\r\nHost: x\r\n", b"X-Pad: secret-header-value\r\n" * 100)


def slow_body():
    slow_sender("body", b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        b"Content-Length: 1000\r\n\r\n", b"password=secret-body-value&" * 40)


def slow_request_line():
    slow_sender("request line", b"", b"GET /login?q=secret-query-value HTTP/1.1\r\nHost: x\r\n\r\n")


def slow_second_request():
    """A keep-alive connection: one normal request, answered; a second later the next request begins, slowly."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = s.recv(4096)
        results["keep-alive first answer"] = {"answer": first}
        time.sleep(1.0)
        s.settimeout(1.0)
        t0, res, i = time.time(), {"closed": False}, 0
        script = b"GET /login HTTP/1.1\r\nHost: x\r\nX-Pad: secret-header-value\r\n" * 10
        while time.time() - t0 < 12:
            try:
                s.send(script[i:i + 1])
                i += 1
                if not s.recv(4096):
                    res["closed"] = True
                    break
            except socket.timeout:
                continue
            except OSError as e:
                res["closed"], res["error"] = True, repr(e)
                break
        res["after"] = time.time() - t0
        results["keep-alive second request"] = res
    finally:
        s.close()


def read_to_close(s):
    """Everything the server sends until it closes the connection."""
    b = b""
    while True:
        d = s.recv(4096)
        if not d:
            return b
        b += d


def idle_keep_alive():
    """A keep-alive connection idle for longer than the deadline, less than conn_timeout, then used again."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        a = s.recv(4096)
        time.sleep(DEADLINE + 3)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        b = read_to_close(s)
        results["idle keep-alive"] = {"first": a, "second": b}
    except OSError as e:
        results["idle keep-alive"] = {"error": repr(e)}
    finally:
        s.close()


def quiet_new_connection():
    """A new connection that sends nothing for longer than the deadline, then a whole request at once."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    try:
        time.sleep(DEADLINE + 2)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        b = read_to_close(s)
        results["quiet new connection"] = {"answer": b}
    except OSError as e:
        results["quiet new connection"] = {"error": repr(e)}
    finally:
        s.close()


def waiting_for_the_access_log(cookie):
    """A participant's /me writes access-log entries; the test holds the database's write lock for
    DEADLINE + 2 s, so the answer waits (suspended) for longer than the deadline."""
    con = db_connect(srv)  # on PostgreSQL: the server's writer lock, held by this session
    con.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release():
        time.sleep(DEADLINE + 2)
        con.execute("COMMIT")
        con.close()
        released.set()

    threading.Thread(target=release, daemon=True).start()
    time.sleep(0.3)
    c = Client(srv)
    c.jar["zw_session"] = cookie
    t0 = time.time()
    try:
        r = c.get("/me")
        results["suspended"] = {"status": r.status, "after": time.time() - t0, "body": r.body}
    except OSError as e:
        results["suspended"] = {"error": repr(e), "after": time.time() - t0}
    released.wait(15)


def normal_client(stop):
    """A normal visitor the whole time: a page a quarter of a second, each on a new connection."""
    lat, failures = [], []
    c = Client(srv)
    while not stop.is_set():
        t = time.time()
        try:
            r = c.get("/login")
            if r.status != 200:
                failures.append(r.status)
        except OSError as e:
            failures.append(repr(e))
        lat.append(time.time() - t)
        stop.wait(0.25)
    results["normal"] = {"latencies": lat, "failures": failures}


def test_slow_clients_are_cut_and_others_are_not():
    p = Client(srv)
    r = p.login(PART_AN, follow=False)
    assert_status(r, 303, "participant signs in")
    cookie = p.session_cookie()
    stop = threading.Event()
    normal = threading.Thread(target=normal_client, args=(stop,))
    normal.start()
    scenarios = [threading.Thread(target=f) for f in (slow_header, slow_body, slow_request_line, slow_second_request,
                                                        idle_keep_alive, quiet_new_connection)]
    scenarios.append(threading.Thread(target=waiting_for_the_access_log, args=(cookie,)))
    t0 = time.time()
    for t in scenarios:
        t.start()
    for t in scenarios:
        t.join(30)
    stop.set()
    normal.join(10)
    took = time.time() - t0

    for name in ("header", "body", "request line", "keep-alive second request"):
        res = results[name]
        print("# slow %s: %s after %.1f s" % (name, "closed by the server" if res["closed"] else "still open",
                                                res["after"]))
    for name in ("header", "body", "request line", "keep-alive second request"):
        res = results[name]
        assert res["closed"], "slow %s: not closed within %.1f s" % (name, res["after"])
        assert DEADLINE - 0.5 <= res["after"] <= DEADLINE + 3, "slow %s: closed after %.1f s" % (name, res["after"])
        assert not res.get("answer"), "slow %s: answered instead of closed: %r" % (name, res.get("answer", b"")[:100])
    assert results["keep-alive first answer"]["answer"].startswith(b"HTTP/1.1 200"), results["keep-alive first answer"]

    ka = results["idle keep-alive"]
    assert "error" not in ka, "idle keep-alive connection: %s" % ka
    assert ka["first"].startswith(b"HTTP/1.1 200") and ka["second"].startswith(b"HTTP/1.1 200"), ka

    q = results["quiet new connection"]
    assert "error" not in q and q["answer"].startswith(b"HTTP/1.1 200"), "quiet new connection: %s" % q

    s = results["suspended"]
    print("# response held for the access log: status %s after %.1f s" % (s.get("status"), s["after"]))
    assert "error" not in s, "a complete request waiting for the access log was cut: %s" % s
    assert s["status"] == 200, "/me after the wait: status %d" % s["status"]
    assert s["after"] > DEADLINE + 0.5, "the access-log wait (%.1f s) did not outlast the deadline" % s["after"]

    n = results["normal"]
    print("# normal client: %d requests, %d failed, slowest %.0f ms; scenarios took %.1f s"
          % (len(n["latencies"]), len(n["failures"]), max(n["latencies"]) * 1000, took))
    assert not n["failures"], n["failures"][:5]
    assert len(n["latencies"]) >= 20, len(n["latencies"])


def test_one_log_line_per_cut_connection_without_content():
    lines = [line for line in srv.stderr().splitlines() if "request deadline" in line]
    # a cut names the request (its id) and its client where the server knows them, else the TCP peer
    who = {"request line": r"127\.0\.0\.1",
           "headers": r"(?:request [0-9a-f]{16} \(peer 127\.0\.0\.1\)|127\.0\.0\.1)",
           "body": r"(?:request [0-9a-f]{16} from 127\.0\.0\.1|127\.0\.0\.1)"}
    cut = [line for line in lines if re.search(r"closed the connection of .* after \d+\.\d s", line)]
    assert len(cut) == 4, "expected 4 cut connections in the log, got:\n" + "\n".join(lines)
    stages = sorted(re.search(r"\(([^)]*)\)$", line).group(1) for line in cut)
    assert stages == ["body", "headers", "request line", "request line"], stages
    for line in cut:
        stage = re.search(r"\(([^)]*)\)$", line).group(1)
        assert re.search(r"closed the connection of %s after \d+\.\d s" % who[stage], line), line
    log = srv.stderr()
    for secret in ("secret-header-value", "secret-body-value", "secret-query-value", "X-Pad"):
        assert secret not in log, "request content in the server log: " + secret
    srv.alive()


run(srv, globals())
