"""Requests that exhaust libmicrohttpd's connection memory (issue 9, finding 2): a query string of ~1,500
parameters (~11 KB, under conn_memory_kib = 32), 1,500 header fields, 2,000 cookies. Each gets an answer
(414 for the query, which names what is wrong) or a closed connection, never silence; 2,000 of them from
20 threads leave the resident memory bounded; afterwards no request is counted in flight (the count the
access-log writer's group commit and SIGTERM wait for), so the server stops at once on SIGTERM."""
import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# freed memory goes back to the allocator at once (AddressSanitizer otherwise keeps up to 256 MB of it in
# quarantine, which would grow the resident size of a server that leaks nothing)
if "quarantine_size_mb" not in os.environ.get("ASAN_OPTIONS", ""):
    os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1").lstrip(":")
from harness import Client, Server, assert_status, raw_status, run

srv = Server(sets={"conn_memory_kib": "32", "lang": "en", "conn_timeout": "30", "threads": "2"})
LONG_QUERY = "&".join("a%d=b" % i for i in range(1500))
SHAPES = [
    b"GET /login?" + LONG_QUERY.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /t/1/notes?" + LONG_QUERY.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /login HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(1500)) + b"\r\n",
    b"GET /login HTTP/1.1\r\nHost: x\r\nCookie: " + b"a=1;" * 2000 + b"\r\n\r\n",
]


def vm_rss_kib():
    with open("/proc/%d/status" % srv.proc.pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))


def exchange(data, timeout):
    """Sends data; returns (reply, answered): answered is False if the server neither answered nor closed
    the connection within timeout seconds."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    reply = b""
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            return reply, True
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                return reply, True
            except socket.timeout:
                break
            if not b:
                return reply, True  # closed by the server
            reply += b
            m = re.search(rb"(?i)content-length:\s*(\d+)\r\n", reply)
            end = reply.find(b"\r\n\r\n")
            if m and end >= 0 and len(reply) >= end + 4 + int(m.group(1)):
                return reply, True
        return reply, False
    finally:
        s.close()


def test_overlong_query_is_answered_414():
    reply, answered = exchange(SHAPES[0], 10)
    assert answered and raw_status(reply) == 414, "1,500 query parameters: %r" % reply[:200]
    assert b"The address is too long." in reply
    # 256 parameters (the parser's limit) still work, 257 are too many
    c = Client(srv)
    r = c.get("/login?" + "&".join("a%d=b" % i for i in range(256)))
    assert_status(r, 200, "256 parameters")
    r = c.get("/login?" + "&".join("a%d=b" % i for i in range(257)))
    assert_status(r, 414, "257 parameters")
    srv.alive()


def test_every_shape_gets_an_answer_or_a_close():
    for data in SHAPES:
        reply, answered = exchange(data, 10)
        assert answered, "no answer and no close: %r" % data[:60]
        st = raw_status(reply)
        assert reply == b"" or (st is not None and 400 <= st < 500), (data[:40], reply[:200])
    srv.alive()


def test_flood_keeps_memory_bounded():
    for i in range(200):  # warm up: the allocator's and the threads' steady state
        reply, answered = exchange(SHAPES[i % len(SHAPES)], 3)
        assert answered, "no answer and no close: %r" % SHAPES[i % len(SHAPES)][:60]
    before = vm_rss_kib()
    unanswered, statuses, lock = [], {}, threading.Lock()
    stop = threading.Event()

    def worker(k):
        for i in range(100):
            if stop.is_set():
                return
            reply, answered = exchange(SHAPES[(k + i) % len(SHAPES)], 3)
            with lock:
                if not answered:
                    unanswered.append(i)
                    if len(unanswered) >= 20:
                        stop.set()  # the old server answers none of them: no need to wait for 2,000
                st = raw_status(reply)
                statuses[st] = statuses.get(st, 0) + 1

    t0 = time.time()
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    after = vm_rss_kib()
    sent = sum(statuses.values())
    print("# %d requests in %.1f s, statuses %s; VmRSS %d -> %d KiB" % (sent, time.time() - t0, statuses, before, after))
    assert not unanswered, "%d of %d requests got neither an answer nor a close" % (len(unanswered), sent)
    assert sent == 2000, sent
    # a leak of ~17 KB per request would be ~34 MB here
    assert after - before < 12 * 1024, "VmRSS grew from %d to %d KiB over 2,000 requests" % (before, after)
    srv.alive()


def test_nothing_in_flight_and_prompt_stop():
    time.sleep(0.5)  # the last connections' closes reach the server
    t0 = time.time()
    srv.stop()
    took = time.time() - t0
    err = srv.stderr()
    m = re.search(r"signal 15: finishing (\d+) in-flight request", err)
    assert m, "the shutdown line names the requests in flight: %s" % err[-1500:]
    assert m.group(1) == "0", "requests counted in flight after every connection closed: %s" % m.group(1)
    assert "still in flight" not in err
    assert took < 3, "SIGTERM took %.1f s" % took


run(srv, globals())
