"""Stored and reflected markup payloads come back inert on every page.

Payloads (<script>, attribute breakers in both quote styles, javascript: URLs, template syntax, a literal
%00, the right-to-left override, Markdown links and images with dangerous schemes) are written into every
text field of every form: participant registration, notes (coach, participant, partner), consent dates,
network members, admin users and organisations, account and sign-in forms, and into the search and `next`
parameters. Every GET page of `zorgwerk routes` (ids substituted) is then fetched as every role and the raw
HTML is checked: no payload markup, no event-handler attribute, no javascript:/vbscript:/data: URL in href,
src, action or formaction, and no Location header that leaves the site. The payloads must also come back as
text somewhere (stored, not silently dropped).
"""
import html.parser
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (sign_in_all, ADMIN, COACH_PIETER, COACH_SOFIE, LEAD, PART_AN, PARTNER_GP, PARTNER_HR, Client, Server,
                     form_fields, run, zw_bin)

LOGOFFICER = "privacy@zorgwerk.example"
RLO = "\u202e"
PAYLOADS = [
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "{{7*7}}${7*7}",
    "%00 nul",
    RLO + "fdp.exe",
]
MARKDOWN = ("[link](javascript:alert(1)) [upper](JaVaScRiPt:alert(1)) [ent](java&#115;cript:alert(1)) "
            "![img](javascript:alert(1)) <javascript:alert(1)> [data](data:text/html,<script>alert(1)</script>) "
            "<img src=x onerror=alert(1)> [t](/x \"a\\\" onmouseover=\\\"alert(1)\") <svg onload=alert(1)>")
# Markers that may never appear in raw HTML (case-insensitive).
RAW_MARKERS = ["<script>alert(1)", "<svg onload", "<img src=x onerror", "href=\"javascript:", "src=\"javascript:"]
UA = "<script>alert(1)</script> \"><svg onload=alert(1)>"

srv = Server(sets={"login_delay_ms": "0", "lang": "en", "lock_after": "1000"})
clients = {}
stats = {"pages": 0, "posts": 0, "stored": 0}
problems = []


class Inspector(html.parser.HTMLParser):
    """Collects active content: event-handler attributes, dangerous URLs, script elements with content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.text = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.text.append(value)
            if name.startswith("on"):
                self.found.append("<%s %s=%r>" % (tag, name, value[:60]))
            if name in ("href", "src", "action", "formaction", "xlink:href", "poster", "data"):
                v = re.sub(r"[\x00-\x20]", "", value).lower()
                if v.startswith(("javascript:", "vbscript:", "data:text")):
                    self.found.append("<%s %s=%r>" % (tag, name, value[:60]))
        if tag == "script":
            self.in_script = True
            if not dict(attrs).get("src"):
                self.found.append("<script> without src")
        if tag in ("iframe", "object", "embed", "base", "frame", "meta") and tag != "meta" or (
                tag == "meta" and dict(attrs).get("http-equiv")):
            self.found.append("<%s>" % tag)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.found.append("<script> with content %r" % data[:60])
        self.text.append(data)


def inspect(where, resp):
    """Checks one response; returns its decoded text (element text and attribute values)."""
    loc = resp.headers.get("Location")
    if loc and not (loc.startswith("/") and not loc.startswith("//") and not loc.startswith("/\\")):
        problems.append("%s: Location leaves the site: %r" % (where, loc))
    ct = resp.headers.get("Content-Type") or ""
    if not ct.startswith("text/html"):
        return ""
    low = resp.body.lower()
    for m in RAW_MARKERS:
        if m.lower() in low:
            i = low.index(m.lower())
            problems.append("%s: raw %r: ...%s..." % (where, m, resp.body[max(0, i - 120):i + 80]))
    for m in re.finditer(r"<[^<>]*onmouseover='alert", resp.body, re.I):
        problems.append("%s: attribute breaker inside a tag: %s" % (where, m.group(0)[:160]))
    p = Inspector()
    p.feed(resp.body)
    p.close()
    for f in p.found:
        problems.append("%s: active content %s" % (where, f))
    return "\n".join(p.text)


def login_all():
    sign_in_all(srv, (COACH_SOFIE, COACH_PIETER, LEAD, ADMIN, LOGOFFICER, PART_AN, PARTNER_HR, PARTNER_GP), clients)


def find_form(body, action):
    for m in re.finditer(r'<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', body, re.S):
        if urllib.parse.unquote(m.group(1).replace("&amp;", "&")) == action and 'method="post"' in m.group(0)[:200]:
            return m.group(2)
    return None


def text_fields(form):
    """Names of free-text fields: <input> of type text/email/tel/url/search/date (or no type), <textarea>."""
    names = []
    for m in re.finditer(r"<input\b([^>]*)>", form):
        a = m.group(1)
        n = re.search(r'\bname="([^"]*)"', a)
        t = re.search(r'\btype="([^"]*)"', a)
        if n and (not t or t.group(1) in ("text", "email", "tel", "url", "search", "date")) and n.group(1) != "_csrf":
            names.append(n.group(1))
    names += re.findall(r'<textarea\b[^>]*\bname="([^"]*)"', form)
    return names


def post_form(who, page, action, payload, valid=None, extra=None, expect_store=True):
    """Fills every text field of the form `action` on `page` with payload and posts it. Fields the server
    rejects get the valid value from `valid` (name -> value) and the form is posted again, so that the
    payload is stored in every field that accepts it. Returns the last response."""
    c = clients[who]
    r = c.get(page)
    inspect("GET %s as %s" % (page, who), r)
    form = find_form(r.body, action)
    assert form is not None, "%s: no form %s on %s" % (who, action, page)
    data = form_fields(form)
    data.pop("_csrf", None)
    for m in re.finditer(r'<select\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</select>', form, re.S):
        if not data.get(m.group(1)):  # nothing selected: the first real option
            opts = [v for v in re.findall(r'<option value="([^"]*)"', m.group(2)) if v]
            if opts:
                data[m.group(1)] = opts[0]
    fields = text_fields(form)
    for n in fields:
        data[n] = payload
    data.update(extra or {})
    for attempt in range(3):
        r = c.post(action, data, headers={"User-Agent": UA})
        stats["posts"] += 1
        inspect("POST %s as %s (%r)" % (action, who, payload[:20]), r)
        if r.status in (200, 303) or r.status != 400:
            break
        bad = set(re.findall(r'id="e-([A-Za-z0-9_]+)"', r.body))
        if not bad:
            break
        for n in bad:
            data[n] = (valid or {}).get(n, "")
        c.get(page)  # fresh CSRF token
    if expect_store and r.status == 303:
        stats["stored"] += 1
    return r


def consent_grantees(who):
    """The grantees step 1 of the consent form on /t/1/consents offers to who (the values of its select)."""
    r = clients[who].get("/t/1/consents")
    m = re.search(r'<form method="get" action="/t/1/consents#give"[^>]*>(.*?)</form>', r.body, re.S)
    assert m, "%s: no step 1 (whom) of the consent form on /t/1/consents" % who
    sel = re.search(r'<select\b[^>]*\bname="grantee"[^>]*>(.*?)</select>', m.group(1), re.S)
    opts = [v for v in re.findall(r'<option value="([^"]*)"', sel.group(1) if sel else "") if v]
    assert opts, "%s: step 1 of the consent form offers nobody" % who
    return opts


def test_store_payloads_in_every_form():
    login_all()
    coach, an, hr = COACH_SOFIE, PART_AN, PARTNER_HR
    # organisations first (they show in the employer list of the registration form)
    for i, p in enumerate(PAYLOADS):
        r = post_form(ADMIN, "/admin/orgs", "/admin/orgs", p + " org%d" % i, extra={"kind": "employer"})
        assert r.status in (200, 303), "org %r: %d" % (p, r.status)
    # users
    for i, p in enumerate(PAYLOADS):
        post_form(ADMIN, "/admin/users/new", "/admin/users/new", p,
                  valid={"email": "payload%d@example.org" % i, "name": "Payload %d" % i, "function": ""},
                  extra={"email": "payload%d@example.org" % i} if "@" not in p else None)
    # participants: every text field of the registration carries the payload
    ndemo = srv.sql("SELECT COUNT(*) FROM trajectories")[0][0]  # the demo's own, before these
    for i, p in enumerate(PAYLOADS):
        r = post_form(coach, "/participants/new", "/participants/new", p,
                      valid={"birth_date": "1980-01-%02d" % (i + 1), "email": "p%d@example.org" % i,
                             "phone": "+32 470 00 00 %02d" % i, "absence_start": "", "employer_other": "",
                             "employer_org": ""},
                      extra={"birth_date": "1980-01-%02d" % (i + 1), "consent_given": "yes",
                             "last_name": p + " %d" % i})
        assert r.status == 303, "registration with %r: %d %s" % (p, r.status, re.findall(r'id="e-[^"]*"', r.body))
    # notes on An's trajectory (coach, participant, partner) and on every new trajectory
    tids = [t for (t,) in srv.sql("SELECT id FROM trajectories ORDER BY id")]
    for i, p in enumerate(PAYLOADS + [MARKDOWN]):
        for who in (coach, an, hr):
            r = post_form(who, "/t/1/notes", "/t/1/notes", p, valid={"title": "Payload %d" % i})
            assert r.status == 303, "note by %s with %r: %d %s" % (who, p, r.status, re.findall(r'id="e-[^"]*"[^<]*', r.body))
    for t in tids[ndemo:]:
        post_form(coach, "/t/%d/notes" % t, "/t/%d/notes" % t, MARKDOWN + " " + PAYLOADS[t % len(PAYLOADS)],
                  valid={"title": PAYLOADS[t % len(PAYLOADS)]})
    # network members (name, organisation, e-mail, phone)
    for i, p in enumerate(PAYLOADS):
        post_form(coach, "/t/1/network", "/t/1/network", p,
                  valid={"email": "m%d@example.org" % i, "phone": "+32 3 000 00 %02d" % i, "organisation": ""})
    # consents, in two steps: step 1 (a GET form) chooses whom, step 2 (/t/1/consents?grantee=...) is the
    # POST form with what and the dates. The payload goes into the chosen grantee (step 1's query and step 2's
    # field), the dates and the next field; the participant's own consent form too. The grantees offered
    # are taken in turn, so that step 2 is filled for each kind (a side, the participant, a member).
    for i, p in enumerate(PAYLOADS):
        for who in (coach, an):
            inspect("GET /t/1/consents?grantee= as %s" % who,
                    clients[who].get("/t/1/consents?grantee=" + urllib.parse.quote(p)))
            opts = consent_grantees(who)
            post_form(who, "/t/1/consents?grantee=" + urllib.parse.quote(opts[0]), "/t/1/consents", p,
                      extra={"next": p, "grantee": p}, expect_store=False)
            post_form(who, "/t/1/consents?grantee=" + urllib.parse.quote(opts[i % len(opts)]), "/t/1/consents", p,
                      extra={"next": p}, expect_store=False)
    # one consent stored, to a member whose name is a payload (shown on every consent page from now on),
    # with a next that would leave the site
    (mid,), = srv.sql("SELECT id FROM network_members WHERE trajectory_id = 1 AND name = ? ORDER BY id LIMIT 1",
                      (PAYLOADS[0],))
    r = post_form(coach, "/t/1/consents?grantee=member:%d" % mid, "/t/1/consents", "2026-01-01",
                  extra={"next": "javascript:alert(1)", "valid_until": "", "category": "capacity"})
    assert r.status == 303 and r.location.startswith("/t/1/consents?changed="), \
        "consent to member %d: %d %s %s" % (mid, r.status, r.location, re.findall(r'id="e-[^"]*"[^<]*', r.body))
    # account: password change with payloads (wrong current password), sign-in form, language switch
    for p in PAYLOADS:
        c = clients[hr]
        c.get("/account")
        inspect("POST /account/password", c.post("/account/password", {"current": p, "new": p, "repeat": p}))
        c.get("/account")
        inspect("POST /lang", c.post("/lang", {"lang": "en", "next": p}))
        anon = Client(srv)
        anon.get("/login?next=" + urllib.parse.quote(p))
        inspect("GET /login?next=", anon.last)
        inspect("POST /login", anon.post("/login", {"email": p, "password": p, "next": p}))
        inspect("GET /reset?token=", anon.get("/reset?token=" + urllib.parse.quote(p)))
        inspect("POST /reset", anon.post("/reset", {"token": p, "new": p, "repeat": p}))
    assert stats["stored"] >= 40, stats


def route_paths():
    out = subprocess.run([zw_bin(), "routes"], stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
    return [line.split("\t")[1] for line in out.splitlines() if line.startswith("GET\t")]


def expand(pattern):
    if "{*" in pattern:
        return []
    if pattern.startswith("/admin/users/{id}"):
        return [pattern.replace("{id}", str(u)) for (u,) in srv.sql("SELECT id FROM users ORDER BY id")]
    if pattern.startswith("/t/{id}"):
        tids = [1] + [t for (t,) in srv.sql("SELECT id FROM trajectories WHERE id > 12 ORDER BY id")]
        paths = []
        for t in tids:
            if "{nid}" in pattern:
                paths += [pattern.replace("{id}", str(t)).replace("{nid}", str(n)) for (n,) in
                          srv.sql("SELECT id FROM items WHERE trajectory_id = ? ORDER BY id", (t,))]
            else:
                paths.append(pattern.replace("{id}", str(t)))
        return paths
    if "{" in pattern:
        return [re.sub(r"\{[^}]*\}", "1", pattern)]
    return [pattern]


def test_every_page_is_inert_for_every_role():
    paths = []
    for pat in route_paths():
        paths += expand(pat)
    q = urllib.parse.quote(PAYLOADS[0] + PAYLOADS[1] + PAYLOADS[2])
    paths += ["/caseload?q=%s&phase=%s&sort=%s&status=%s" % (q, q, q, q), "/t/1/notes?q=%s&category=%s" % (q, q),
              "/admin/users?q=%s" % q, "/log?email=%s&action=%s&outcome=%s&participant=%s&from=%s&to=%s" % ((q,) * 6),
              "/caseload?q=%3Cscript", "/login?next=%s" % q, "/reset?token=%s" % q]
    seen = {}
    for who, c in clients.items():
        for path in paths:
            r = c.get(path)
            stats["pages"] += 1
            text = inspect("GET %s as %s" % (path, who), r)
            if r.status == 200:
                seen.setdefault(who, []).append(text)
    alltext = "\n".join("\n".join(v) for v in seen.values())
    for p in PAYLOADS:
        assert p in alltext, "payload %r never came back as text (dropped or mangled?)" % p
    print("# payloads: %d forms posted (%d stored), %d pages fetched as %d roles, %d problem(s)"
          % (stats["posts"], stats["stored"], stats["pages"], len(clients), len(problems)))
    assert not problems, "%d unescaped payload(s):\n  %s" % (len(problems), "\n  ".join(sorted(set(problems))[:40]))


run(srv, globals())
