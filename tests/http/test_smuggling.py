"""Requests whose body framing is ambiguous (issue 9, finding 14), sent as raw bytes: two Content-Length
headers, Content-Length together with Transfer-Encoding, a header name with a blank before the colon
("Transfer-Encoding : chunked"), two Transfer-Encoding headers, chunked in HTTP/1.0. A proxy that reads
such a request differently from the server could hide a second request in the first one's body. Each is
refused with 400 and the connection closed, so nothing after it on the connection is read as a request;
a transfer coding other than chunked gets 501 at once (not a wait for a body that never ends). Well-framed
requests, chunked bodies and keep-alive still work."""
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Client, Server, raw_status, run

srv = Server(sets={"lang": "en", "login_delay_ms": "0"})
MALFORMED = b"This request is malformed and has been refused."
UNSUPPORTED = b"This way of sending a request is not supported."
# sent after each request on the same connection: answered only if the server kept reading
SMUGGLED = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


def converse(data, timeout=10):
    """Sends data and reads until the server closes (or timeout); returns (bytes, seconds, closed)."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    t0 = time.time()
    out, closed = b"", False
    try:
        s.sendall(data)
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                closed = True
                break
            except socket.timeout:
                break
            if not b:
                closed = True
                break
            out += b
    finally:
        s.close()
    return out, time.time() - t0, closed


def post(headers, body=b"", version=b"HTTP/1.1"):
    return b"POST /login " + version + b"\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n" + body


def check_refused(data, status, message, what):
    out, took, closed = converse(data + SMUGGLED)
    assert raw_status(out) == status, "%s: %r" % (what, out[:300])
    assert message in out, "%s: the page says what is wrong: %r" % (what, out[:300])
    assert re.search(rb"(?im)^connection: close\r$", out.split(b"\r\n\r\n")[0] + b"\r"), "%s: %r" % (what, out[:300])
    assert out.count(b"HTTP/1.1 ") == 1, "%s: the bytes after the request were read as another one: %r" % (what, out[:600])
    assert b"ok schema" not in out, what
    assert closed and took < 5, "%s: the connection stays open (%.1f s)" % (what, took)


def test_two_content_lengths():
    check_refused(post(b"Content-Length: 5\r\nContent-Length: 39\r\n", b"abcde"), 400, MALFORMED, "different lengths")
    check_refused(post(b"Content-Length: 5\r\ncontent-length: 5\r\n", b"abcde"), 400, MALFORMED, "the same length twice")


def test_content_length_with_transfer_encoding():
    check_refused(post(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"), 400, MALFORMED,
                  "Content-Length then Transfer-Encoding")
    check_refused(post(b"Transfer-Encoding: chunked\r\nContent-Length: 40\r\n", b"0\r\n\r\n"), 400, MALFORMED,
                  "Transfer-Encoding then Content-Length")


def test_blank_before_colon():
    check_refused(post(b"Transfer-Encoding : chunked\r\n", b"0\r\n\r\n"), 400, MALFORMED, "Transfer-Encoding :")
    check_refused(post(b"Transfer-Encoding\t: chunked\r\n", b"0\r\n\r\n"), 400, MALFORMED, "tab before the colon")
    check_refused(post(b"Content-Length : 5\r\n", b"abcde"), 400, MALFORMED, "Content-Length :")
    check_refused(post(b"X Custom: 1\r\nContent-Length: 0\r\n"), 400, MALFORMED, "blank inside a header name")


def test_two_transfer_encodings_and_http10_chunked():
    check_refused(post(b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"), 400,
                  MALFORMED, "Transfer-Encoding twice")
    check_refused(post(b"Transfer-Encoding: chunked\r\n", b"0\r\n\r\n", version=b"HTTP/1.0"), 400, MALFORMED,
                  "chunked in HTTP/1.0")


def test_unknown_transfer_coding_501_at_once():
    for te in (b"gzip", b"gzip, chunked", b"chunked, gzip", b"identity", b"xchunked"):
        check_refused(post(b"Transfer-Encoding: " + te + b"\r\n", b"abc"), 501, UNSUPPORTED, te.decode())


def test_well_framed_requests_still_work():
    c = Client(srv)
    c.get("/login")
    form = ("_csrf=%s&email=&password=" % c.csrf).encode()
    head = ("Cookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n" % c.cookie_header()).encode()
    # Content-Length, and two requests on one kept-alive connection: both answered (400: empty form)
    out, _, _ = converse(post(head + b"Content-Length: %d\r\n" % len(form), form) +
                         post(head + b"Content-Length: %d\r\nConnection: close\r\n" % len(form), form))
    assert out.count(b"HTTP/1.1 400 Bad Request") == 2, out[:400]
    assert MALFORMED not in out
    # chunked
    out, _, _ = converse(post(head + b"Transfer-Encoding: chunked\r\nConnection: close\r\n",
                              b"%x\r\n%s\r\n0\r\n\r\n" % (len(form), form)))
    assert raw_status(out) == 400 and MALFORMED not in out, out[:400]
    # a GET and the health check kept alive
    out, _, _ = converse(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert out.count(b"ok schema") == 2, out[:400]
    srv.alive()


run(srv, globals())
