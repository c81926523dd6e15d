"""Login throttling: after login_delay_after failures (per client address and per account) further
attempts get 429 with Retry-After until the delay has passed; the second factor is throttled too."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_PIETER, DEMO_PASSWORD, PART_KARIM, Client, Server, assert_status, run, totp_next

DELAY_S = 3
srv = Server(sets={"login_delay_after": "2", "login_delay_ms": str(DELAY_S * 1000),
                   "login_delay_max_ms": str(DELAY_S * 1000), "lock_after": "100", "lang": "en"})


def wait_out(resp):
    time.sleep(int(resp.headers["Retry-After"]) + 0.3)


def test_throttle_after_failures_then_released():
    c = Client(srv)
    c.get("/login")
    for i in range(2):
        r = c.post("/login", {"email": PART_KARIM, "password": "wrong-%d" % i})
        assert_status(r, 200, "failure %d" % (i + 1))
    r = c.post("/login", {"email": PART_KARIM, "password": DEMO_PASSWORD})
    assert_status(r, 429, "third attempt within the delay")
    ra = r.headers.get("Retry-After")
    assert ra and ra.isdigit() and 1 <= int(ra) <= DELAY_S, "Retry-After: %r" % ra
    assert "Too many failed attempts" in r.body
    assert "Content-Security-Policy" in r.headers and r.headers.get("Cache-Control") == "no-store"
    assert "zw_session" not in (r.headers.get("Set-Cookie") or ""), "no session while throttled"
    # another account from the same address is held back too (the address counts)
    r2 = c.post("/login", {"email": "someone.else@example.org", "password": "x"})
    assert_status(r2, 429, "same address, other account")
    wait_out(r)
    r = c.post("/login", {"email": PART_KARIM, "password": DEMO_PASSWORD})
    assert_status(r, 303, "correct password after the delay")


def test_second_factor_throttled():
    c = Client(srv)
    time.sleep(0.1)
    c.get("/login")
    r = c.post("/login", {"email": COACH_PIETER, "password": DEMO_PASSWORD})
    assert_status(r, 303)
    assert r.location.startswith("/login/2fa")
    c.get(r.location)
    for i in range(2):
        r = c.post("/login/2fa", {"code": "12345%d" % i})
        assert r.status in (200, 400), r.status
    r = c.post("/login/2fa", {"code": "999999"})
    assert_status(r, 429, "third wrong code within the delay")
    assert r.headers.get("Retry-After", "").isdigit()
    wait_out(r)
    r = c.post("/login/2fa", {"code": totp_next(COACH_PIETER, srv.secrets[COACH_PIETER])})
    assert_status(r, 303, "right code after the delay")
    assert r.location == "/dashboard", r.location


run(srv, globals())
