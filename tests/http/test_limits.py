"""Malformed and oversized requests: body over max_body_kib (Content-Length and chunked) 413, oversized
headers and URLs, invalid UTF-8 and percent sequences in path, query, form and cookies, too many fields,
wrong content type, garbage on a raw socket. Each gets a clear answer with a fitting status, and the
server keeps answering."""
import os
import socket
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (DEMO_PASSWORD, PART_AN, Client, Server, assert_status, raw_request, raw_status, run)

MAX_BODY_KIB = 2
srv = Server(sets={"max_body_kib": str(MAX_BODY_KIB), "conn_memory_kib": "32", "login_delay_ms": "0",
                   "lang": "en", "conn_timeout": "5"})
TOO_LARGE = "What you sent is too large. Shorten the text and try again."
BAD_TEXT = "The form holds characters that are not allowed (invalid text encoding)."
BAD_ADDR = "The address holds characters that are not allowed."


def anon():
    c = Client(srv)
    c.get("/login")
    return c


def head_of(c, path, body_len, extra=""):
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n%s" % (path, srv.port, c.cookie_header(), extra)
            ).encode() + (b"Content-Length: %d\r\n" % body_len if body_len is not None else b"")


def test_body_too_large_content_length():
    c = anon()
    body = urllib.parse.urlencode({"_csrf": c.csrf, "email": "x@example.org", "password": "p" * (MAX_BODY_KIB * 1024 + 10)})
    r = c.post("/login", raw=body.encode())
    assert_status(r, 413, "body over the cap")
    assert TOO_LARGE in r.body
    assert r.headers.get("Content-Security-Policy")
    # a large declared length is answered at once, before any body is sent
    reply = raw_request(srv, head_of(c, "/login", 50 * 1024 * 1024) + b"\r\n")
    assert raw_status(reply) == 413, reply[:200]
    srv.alive()


def test_body_just_under_the_cap_is_accepted():
    c = anon()
    fixed = urllib.parse.urlencode({"_csrf": c.csrf, "email": "x@example.org", "password": ""})
    pad = MAX_BODY_KIB * 1024 - len(fixed) - len("&pad=") - 1
    r = c.post("/login", raw=(fixed + "&pad=" + "a" * pad).encode())
    assert_status(r, 400, "form at the cap (empty password: 400 form)")
    assert 'value="x@example.org"' in r.body


def test_body_too_large_chunked():
    c = anon()
    head = head_of(c, "/login", None, "Transfer-Encoding: chunked\r\n") + b"\r\n"
    chunk = b"a=" + b"b" * 1000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
    reply = raw_request(srv, head + body)
    assert raw_status(reply) == 413, reply[:300]
    assert TOO_LARGE.encode() in reply
    # a small chunked body is fine
    small = ("_csrf=%s&email=&password=" % c.csrf).encode()
    reply = raw_request(srv, head + b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small))
    assert raw_status(reply) == 400, reply[:300]
    srv.alive()


def test_oversized_headers_and_urls():
    # one huge header, many headers, a huge URL, a huge cookie: a 4xx or a closed connection
    cases = [
        b"GET /login HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024) + b"\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\n",
        b"GET /login?q=" + b"a" * (64 * 1024) + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost: x\r\nCookie: zw_session=" + b"a" * (60 * 1024) + b"\r\n\r\n",
    ]
    for data in cases:
        reply = raw_request(srv, data)
        st = raw_status(reply)
        assert reply == b"" or (st is not None and 400 <= st < 500), (data[:40], reply[:200])
        srv.alive()
    # moderately long values below the limit still work
    c = Client(srv)
    r = c.get("/login?q=" + "a" * 8000)
    assert_status(r, 200, "8 KB query")


def test_invalid_utf8_in_query_and_path():
    c = Client(srv)
    for q in ("%ff", "%c0%af", "%ed%a0%80", "%f8%88%80%80%80", "%00", "%e2%82", "a=%80", "%ff=a", "x=%1b"):
        r = c.get("/login?" + q)
        assert_status(r, 400, "query " + q)
        assert BAD_ADDR in r.body, q
    # (/%00 is not in this list: the decoded path ends at the NUL, so /%00 is served as /; see the report)
    for p in ("/%ff", "/login%ff", "/t/1%c0%af", "/%1b", "/%7f"):
        r = c.get(p)
        assert_status(r, 400, "path " + p)
        assert "The address is not valid." in r.body
    # raw bytes, not percent-encoded
    reply = raw_request(srv, b"GET /login?q=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n")
    assert raw_status(reply) in (400, None), reply[:200]
    reply = raw_request(srv, b"GET /\xc3\x28 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert raw_status(reply) in (400, None), reply[:200]
    # valid UTF-8 is fine
    r = c.get("/login?q=" + urllib.parse.quote("Zoë Çelik 名前 😀"))
    assert_status(r, 200, "valid UTF-8 in the query")
    srv.alive()


def test_invalid_percent_sequences():
    c = Client(srv)
    for q in ("%zz", "%", "%%", "a=%", "a=%4", "%g0=1", "a=%%41", "&&&", "=", "a==b", ";;"):
        r = c.get("/login?" + q)
        assert_status(r, 200, "query " + q)
    for p in ("/%zz", "/login%zz", "/t/%zz"):
        r = c.get(p)
        assert_status(r, 404, "path " + p)
    c.get("/login")
    r = c.post("/login", raw=("_csrf=%s&email=%%zz%%&password=" % c.csrf).encode())
    assert_status(r, 400, "form with stray percent signs (empty password)")
    assert 'value="%zz%"' in r.body, "kept as typed"


def test_invalid_utf8_in_form():
    c = anon()
    for bad in (b"email=%ff", b"email=%c0%80", b"email=a%00b", b"email=\xff\xfe", b"pass%ffword=x", b"email=%ed%b0%80"):
        r = c.post("/login", raw=b"_csrf=" + c.csrf.encode() + b"&" + bad + b"&password=x")
        assert_status(r, 400, "form %r" % bad)
        assert BAD_TEXT in r.body, bad
    assert "zw_session" not in c.jar


def test_invalid_utf8_cookie_is_ignored():
    reply = raw_request(srv, b"GET /login HTTP/1.1\r\nHost: x\r\nCookie: zw_lang=\xff\xfe; zw_session=\xc3\x28\r\n\r\n")
    assert raw_status(reply) == 200, reply[:200]


def test_too_many_fields_and_wrong_content_type():
    c = anon()
    raw = "_csrf=%s&" % c.csrf + "&".join("f=" for i in range(400))
    r = c.post("/login", raw=raw.encode())
    assert_status(r, 400, "400 fields")
    assert "too many fields" in r.body
    for ct in ("text/plain", "multipart/form-data; boundary=x", "application/json"):
        r = c.post("/login", raw=b'{"email": "x"}', headers={"Content-Type": ct})
        assert_status(r, 415, ct)
        assert "This kind of upload is not accepted here." in r.body


def test_garbage_on_raw_socket():
    payloads = [
        b"\x00\x01\x02\x03\xff\xfe" * 100,
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost x\r\nNoColon\r\n\r\n",
        b"GET /login HTTP/1.1\r\n\r\n",
        b"\r\n\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort",
        b"GET /login HTTP/1.1\r\nHost: x\r\nCookie: " + b";" * 5000 + b"\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost: x\r\nCookie: " + b"a=1;" * 2000 + b"\r\n\r\n",
        b"GET http://evil.example/login HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET * HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost: x\r\n" + b"X: \x00\x01\r\n\r\n",
        b"GET /login HTTP/1.1\r\nHost: x",
    ]
    for p in payloads:
        reply = raw_request(srv, p)
        st = raw_status(reply)
        assert st is None or st < 500 or (st == 505 and b"HTTP/9.9" in p), (p[:60], reply[:200])
        srv.alive()
    # half a request, then the connection just goes away
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
    s.close()
    srv.alive()


def test_pipelined_and_concurrent():
    reply = raw_request(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", responses=2)
    assert reply.count(b"HTTP/1.1 200") == 2, reply[:400]
    errors = []

    def worker():
        try:
            c = Client(srv)
            for _ in range(5):
                r = c.get("/login")
                if r.status != 200:
                    errors.append(r.status)
        except Exception as e:  # noqa
            errors.append(repr(e))

    ts = [threading.Thread(target=worker) for _ in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors[:5]
    srv.alive()


def test_still_works_after_all_that():
    c = Client(srv)
    r = c.login(PART_AN, follow=False)
    assert_status(r, 303, "login at the end")
    assert c.get("/account").status == 200


run(srv, globals())
