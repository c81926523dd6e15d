"""Security headers on every response of every GET route of `zorgwerk routes` (ids substituted), for an
anonymous visitor and for each role; the role matrix of the route table; 404 for unknown routes, 405 for
a wrong method; HEAD; the error page's reference is the X-Request-Id."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in, ADMIN, COACH_SOFIE, LEAD, PART_AN, PARTNER_HR, Client, Server, assert_status, run,
                     strip_tags)

srv = Server(sets={"login_delay_ms": "0", "lang": "en"})
ROLE_BITS = {"admin": 1, "coach": 2, "teamlead": 4, "participant": 8, "partner": 16, "logofficer": 32,
             "programme": 64}


def routes():
    out = srv.cli("routes", check=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        method, pattern, roles, flags = parts[:4]
        if roles == "any":
            mask = 0x3F
        elif roles == "-":
            mask = 0
        else:
            mask = sum(ROLE_BITS[x] for x in roles.split(","))
        rows.append((method, pattern, mask, flags.split()))
    assert rows, out
    return rows


def concrete(pattern):
    p = re.sub(r"\{\*[a-z_]+\}", "style.css", pattern)
    return re.sub(r"\{[a-z_]+\}", "1", p)


# Routes that answer a file (by the path's extension) and the Content-Type their 200 must carry; such an
# answer names the file (Content-Disposition with a filename).
DOWNLOADS = {".pdf": "application/pdf", ".zip": "application/zip", ".csv": "text/csv; charset=utf-8",
             ".ics": "text/calendar; charset=utf-8"}


def check_headers(resp, what):
    h = resp.headers
    csp = h.get("Content-Security-Policy") or ""
    for d in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
              "form-action 'self'"):
        assert d in csp, "%s: CSP lacks %s: %r" % (what, d, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (what, csp)
    assert h.get("X-Content-Type-Options") == "nosniff", what
    assert h.get("Referrer-Policy") == "no-referrer", what
    assert h.get("X-Frame-Options") == "DENY", what
    assert h.get("Strict-Transport-Security") is None, "%s: HSTS without tls" % what
    assert re.fullmatch(r"[0-9a-f]{16}", h.get("X-Request-Id") or ""), (what, h.get("X-Request-Id"))
    assert resp.status < 500, "%s: %d %s" % (what, resp.status, strip_tags(resp.body)[:300])
    if what.split()[1].startswith("/static/") and resp.status in (200, 304):
        assert "immutable" in (h.get("Cache-Control") or ""), what
    else:
        assert h.get("Cache-Control") == "no-store", "%s: Cache-Control %r" % (what, h.get("Cache-Control"))
    path = what.split()[1].split("?")[0]
    download = DOWNLOADS.get(os.path.splitext(path)[1])
    if download and resp.status == 200:  # a file to take along: its own type, saved rather than shown
        assert (h.get("Content-Type") or "").startswith(download), (what, h.get("Content-Type"))
        assert re.match(r'(attachment|inline); filename="[^"/\\]+"', h.get("Content-Disposition") or ""), \
            (what, h.get("Content-Disposition"))
    elif resp.status in (200, 400, 403, 404, 405, 409, 413, 429) and not path.startswith(("/static", "/healthz")):
        assert (h.get("Content-Type") or "").startswith("text/html; charset=utf-8"), (what, h.get("Content-Type"))
        if not what.startswith("HEAD"):
            assert resp.body.lstrip().startswith("<!DOCTYPE html>"), what
    if resp.status >= 400 and "Reference:" in resp.body:
        assert h.get("X-Request-Id") in resp.body, "%s: the reference on the page is the request id" % what


clients = {}


def test_login_each_role():
    for role, email in (("admin", ADMIN), ("coach", COACH_SOFIE), ("teamlead", LEAD), ("participant", PART_AN),
                        ("partner", PARTNER_HR)):
        clients[role] = sign_in(srv, email)


def test_every_get_route_anonymous():
    c = Client(srv)
    n = 0
    for method, pattern, mask, flags in routes():
        if method != "GET":
            continue
        path = concrete(pattern)
        r = c.get(path)
        check_headers(r, "GET %s (anonymous)" % path)
        if "public" not in flags:
            assert_status(r, 303, "anonymous GET " + path)
            assert r.location.startswith("/login?next="), r.location
        n += 1
    assert n >= 10, n


def test_every_get_route_every_role():
    for role, c in clients.items():
        bit = ROLE_BITS[role]
        for method, pattern, mask, flags in routes():
            if method != "GET":
                continue
            path = concrete(pattern)
            r = c.get(path)
            what = "GET %s (%s)" % (path, role)
            check_headers(r, what)
            if "public" in flags:
                continue
            if not mask & bit:
                assert_status(r, 403, what + " outside the route's roles")
                assert "Your role does not give access to this page." in r.body
            else:
                assert r.status != 403, what


def test_post_routes_refused_before_the_handler():
    """Anonymous: every non-public POST is refused (403) with the headers; a role outside the route's
    roles too. Nothing is changed (the handlers never run)."""
    anon = Client(srv)
    anon.get("/login")
    before = srv.sql("SELECT COUNT(*), SUM(active), SUM(locked) FROM users")
    for method, pattern, mask, flags in routes():
        if method != "POST" or "public" in flags:
            continue
        path = concrete(pattern)
        r = anon.post(path, {"x": "1"})
        check_headers(r, "POST %s (anonymous)" % path)
        assert_status(r, 403, "anonymous POST " + path)
        for role, c in clients.items():
            if mask & ROLE_BITS[role]:
                continue
            c.get("/account")
            r = c.post(path, {"x": "1"})
            check_headers(r, "POST %s (%s)" % (path, role))
            assert_status(r, 403, "POST %s as %s" % (path, role))
    assert srv.sql("SELECT COUNT(*), SUM(active), SUM(locked) FROM users") == before


def test_unknown_routes_404():
    c = clients["coach"]
    for path in ("/nope", "/t/0", "/t/01", "/t/abc", "/t/-1", "/t/1x", "/t/99999999999999999999",
                 "/t/1/", "/admin/users/1/bogus", "/caseload/", "//", "/static/", "/static/nope.css",
                 "/static/common-passwords.txt", "/%2e%2e/etc/passwd", "/t/%31"):
        r = c.get(path)
        check_headers(r, "GET %s" % path)
        if path == "/t/%31":
            # an encoded digit is the digit (RFC 3986 6.2.2.2): the path is decoded before routing, so this is
            # Sofie's trajectory 1, the same page as /t/1
            assert_status(r, 200, path)
            name = srv.sql("SELECT p.last_name FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                           "WHERE t.id = 1")[0][0]
            assert name in r.body and name in c.get("/t/1").body, (path, name)
            continue
        assert_status(r, 404, path)
        if not path.startswith("/static/"):
            assert "This page does not exist, or you have no access to it." in r.body, path


def test_wrong_method_405():
    c = Client(srv)
    c.get("/login")
    for method, path in (("POST", "/healthz"), ("GET", "/logout"), ("PUT", "/login"), ("DELETE", "/account"),
                         ("PATCH", "/login"), ("POST", "/caseload"), ("GET", "/t/1/protocol/phase")):
        r = c.request(method, path, body=b"_csrf=" + c.csrf.encode() if method != "GET" else None,
                      headers={"Content-Type": "application/x-www-form-urlencoded"} if method != "GET" else None)
        check_headers(r, "%s %s" % (method, path))
        assert_status(r, 405, "%s %s" % (method, path))
        assert r.headers.get("Allow"), "405 names the allowed methods"
    r = c.request("OPTIONS", "/nope")
    assert_status(r, 404, "OPTIONS unknown path")


def test_head():
    c = Client(srv)
    r = c.request("HEAD", "/login")
    assert_status(r, 200, "HEAD /login")
    assert r.raw == b"", "HEAD has no body"
    check_headers(r, "HEAD /login")
    r = c.request("HEAD", "/nope")
    assert_status(r, 404, "HEAD /nope")


EMBEDDED = "This page can only be opened on its own, not inside another page."


def test_case_pages_are_not_loaded_as_images():
    """A browser loading a case page as an image (a note with ![](/t/2/notes/1)), style sheet, script,
    media, font or frame gets 403 before the handler runs: no page, no access-log entry in the reader's
    name. As a page (Sec-Fetch-Dest: document, or no such header) it is shown and logged."""
    coach = clients["coach"]
    tid, nid = srv.sql("SELECT n.trajectory_id, n.id FROM items n JOIN trajectory_coaches tc "
                       "ON tc.trajectory_id = n.trajectory_id JOIN users u ON u.id = tc.user_id "
                       "WHERE u.email = ? AND n.kind = 'note' ORDER BY n.id LIMIT 1", (COACH_SOFIE,))[0]
    note = "/t/%d/notes/%d" % (tid, nid)
    entries = lambda: srv.sql("SELECT COUNT(*) FROM access_log")[0][0]  # noqa: E731
    before = entries()
    for dest in ("image", "IMAGE", "audio", "video", "font", "style", "script", "track", "iframe", "frame",
                 "object", "embed", "worker", "manifest", "report", "xslt", "nonsense", ""):
        r = coach.get(note, headers={"Sec-Fetch-Dest": dest, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors"})
        check_headers(r, "GET %s as %r" % (note, dest))
        assert_status(r, 403, "GET %s with Sec-Fetch-Dest: %s" % (note, dest))
        assert EMBEDDED in r.body, dest
    # every case route of the table, for its roles
    n = 0
    for method, pattern, mask, flags in routes():
        if method != "GET" or "case" not in flags:
            continue
        for role, c in clients.items():
            if not mask & ROLE_BITS[role]:
                continue
            path = concrete(pattern).replace("/t/1/notes/1", note).replace("/t/1", "/t/%d" % tid)
            r = c.get(path, headers={"Sec-Fetch-Dest": "image"})
            assert_status(r, 403, "GET %s as an image (%s)" % (path, role))
            n += 1
    assert n >= 10, n
    assert entries() == before, "refused image requests wrote %d access-log entries" % (entries() - before)
    # as a page: shown and logged, with this request's id
    for dest in ("document", "empty", None):
        r = coach.get(note, headers={"Sec-Fetch-Dest": dest, "Sec-Fetch-Mode": "navigate" if dest else None})
        assert_status(r, 200, "GET %s as %r" % (note, dest))
        rid = r.headers.get("X-Request-Id")
        assert srv.sql("SELECT COUNT(*) FROM access_log WHERE request_id = ? AND trajectory_id = ?", (rid, tid))[0][0] >= 1, dest
    assert entries() > before


def test_static_assets():
    c = Client(srv)
    r = c.get("/login")
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', r.body):
        a = c.get(url.replace("&amp;", "&"))
        assert_status(a, 200, url)
        etag = a.headers.get("ETag")
        assert etag, url
        b = c.get(url, headers={"If-None-Match": etag})
        assert_status(b, 304, "conditional GET " + url)
        assert b.raw == b""


run(srv, globals())
