"""With tls=true: __Host- cookie names with Secure, HSTS on every response. (Without tls, test_headers
checks that HSTS is absent and test_auth that cookies carry no Secure flag.)"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PART_AN, Client, Server, assert_status, run

srv = Server(sets={"tls": "true", "login_delay_ms": "0"})
HSTS = "max-age=31536000; includeSubDomains"


def attrs(resp, name):
    for sc in resp.headers.get_all("Set-Cookie") or []:
        if sc.startswith(name + "="):
            return [a.strip() for a in sc.split(";")]
    return None


def test_host_prefixed_secure_cookies_and_hsts():
    c = Client(srv)
    r = c.get("/login")
    assert_status(r, 200)
    assert r.headers.get("Strict-Transport-Security") == HSTS
    a = attrs(r, "__Host-zw_csrf")
    assert a and "Secure" in a and "Path=/" in a and "HttpOnly" in a, r.headers.get_all("Set-Cookie")
    assert not any(x.lower().startswith("domain=") for x in a), "__Host- cookies carry no Domain"
    assert attrs(r, "zw_csrf") is None
    r = c.post("/login", {"email": PART_AN, "password": "zorg-en-werk-demo"})
    assert_status(r, 303, "login")
    a = attrs(r, "__Host-zw_session")
    assert a, r.headers.get_all("Set-Cookie")
    for want in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert want in a, (want, a)
    assert r.headers.get("Strict-Transport-Security") == HSTS
    # the prefixed cookie is the one the server reads; the plain name is ignored
    r = c.get("/account")
    assert_status(r, 200, "signed in with __Host-zw_session")
    plain = Client(srv)
    plain.jar = {"zw_session": c.jar["__Host-zw_session"]}
    r = plain.get("/account")
    assert_status(r, 303, "unprefixed cookie under tls")
    for path in ("/healthz", "/no-such-page", "/static/style.css"):
        r = c.get(path)
        assert r.headers.get("Strict-Transport-Security") == HSTS, path
    c.get("/account")
    r = c.post("/lang", {"lang": "nl", "next": "/account"})
    a = attrs(r, "__Host-zw_lang")
    assert a and "Secure" in a, r.headers.get_all("Set-Cookie")
    r = c.post("/logout", {})
    assert_status(r, 303)
    a = attrs(r, "__Host-zw_session")
    assert a and "Max-Age=0" in a and "Secure" in a, a


run(srv, globals())
