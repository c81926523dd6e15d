#!/usr/bin/env python3
"""bench/scale.py — helper for bench/scale.sh (python3 standard library only; only 127.0.0.1 is contacted).

  scale.py pages BASE DB DEMO_OUT N OUT.json   (DB: a SQLite file or a postgresql:// URL, read with psql) signs in as a coach, a participant, a partner, the team lead and
                                              the log officer of the demo (secrets from the output of `demo`
                                              in DEMO_OUT), then requests each of their pages N times one after
                                              the other (after 3 unmeasured requests) and writes the p50/p99
                                              latency per page to OUT.json
  scale.py table OUT.json [VERIFY.json]        prints the results as a Markdown table with PASS/FAIL
  scale.py table LABEL OUT.json VERIFY.json LOAD [LABEL OUT.json VERIFY.json LOAD]...
                                              the same with one pair of p50/p99 columns per driver (LOAD: the
                                              load averages before and after the pages, one line each)
"""
import http.client
import json
import glob
import re
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from setup import Client, hidden, totp  # noqa: E402  (bench/setup.py)

PASSWORD = "zorg-en-werk-demo"
COACH = "sofie.peeters@zorgwerk.example"
PART = "an.janssens@mail.example"
PARTNER = "tom.claes@verbeke.example"
LEAD = "hilde.maes@zorgwerk.example"
LOGOFFICER = "privacy@zorgwerk.example"
P50_MS, P99_MS = 20.0, 100.0


def secrets_of(demo_out):
    out = {}
    for line in open(demo_out):
        m = re.match(r"\s+(\S+@\S+)\s+.*?\s(\S+)\s*$", line)
        if m:
            out[m.group(1)] = None if m.group(2) == "-" else m.group(2)
    return out


def login(base, email, secret):
    cl = Client(base)
    s, _, body = cl.req("GET", "/login")
    csrf = hidden(body.decode(), "_csrf")
    s, loc, body = cl.req("POST", "/login", {"_csrf": csrf, "next": "", "email": email, "password": PASSWORD})
    if s != 303:
        sys.exit("scale: sign-in of %s answered %d" % (email, s))
    if loc and loc.startswith("/login/2fa"):
        if not secret:
            sys.exit("scale: %s needs a second factor, and demo printed no secret" % email)
        s, _, body = cl.req("GET", "/login/2fa")
        csrf = hidden(body.decode(), "_csrf")
        if 30 - time.time() % 30 < 2:
            time.sleep(30 - time.time() % 30 + 0.2)
        s, loc, body = cl.req("POST", "/login/2fa", {"_csrf": csrf, "next": "", "code": totp(secret)})
        if s != 303:
            sys.exit("scale: second factor of %s answered %d" % (email, s))
    return cl, loc or "/"


def measure(cl, path, n):
    """n sequential GETs on one keep-alive connection; returns (status, bytes, p50 ms, p99 ms)."""
    conn = http.client.HTTPConnection(cl.host, cl.port, timeout=120)
    h = {"Host": "%s:%d" % (cl.host, cl.port),
         "Cookie": "; ".join("%s=%s" % kv for kv in cl.cookies.items())}
    times, status, size = [], None, 0
    for i in range(n + 3):
        t = time.perf_counter()
        conn.request("GET", path, headers=h)
        r = conn.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t) * 1000.0
        status, size = r.status, len(body)
        if i >= 3:
            times.append(dt)
    conn.close()
    times.sort()
    pct = lambda q: times[min(len(times) - 1, int(round(q * (len(times) - 1))))]
    return status, size, pct(0.50), pct(0.99)


def pg_one(url, sql, params=()):
    """The first column of the first row of sql (? parameters: whole numbers or simple texts) through psql."""
    parts = sql.split("?")
    if len(parts) != len(params) + 1:
        sys.exit("scale: parameters do not match: " + sql)
    lit = lambda v: str(int(v)) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"
    text = parts[0] + "".join(lit(v) + rest for v, rest in zip(params, parts[1:]))
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))
    out = subprocess.run([bins[-1] if bins else "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                          "-c", text], check=True, capture_output=True, text=True).stdout.strip()
    return int(out) if re.fullmatch(r"-?\d+", out) else None


def cmd_pages(base, db, demo_out, n, out_path):
    sec = secrets_of(demo_out)
    con = None
    if db.startswith(("postgresql://", "postgres://")):
        q = lambda sql, p=(): pg_one(db, sql, p)
    else:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        q = lambda sql, p=(): con.execute(sql, p).fetchone()[0]
    last = q("SELECT MAX(id) FROM access_log")
    synth = q("SELECT MIN(id) FROM participants WHERE last_name LIKE 'S%' AND first_name = 'Deelnemer'") or 1
    busy_p = q("SELECT participant_id FROM access_log WHERE id = ?", (last // 2,)) or synth
    mid_at = q("SELECT at FROM access_log WHERE id = ?", (last // 2,)) or 0
    day = time.strftime("%Y-%m-%d", time.gmtime(mid_at))
    week = time.strftime("%Y-%m-%d", time.gmtime(mid_at + 6 * 86400))
    scale_coach = "coach00001@scale.example"
    coach_tid = q("SELECT c.trajectory_id FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                  "JOIN trajectories t ON t.id = c.trajectory_id WHERE u.email = ? AND t.status = 'open' "
                  "ORDER BY 1 LIMIT 1", (COACH,))
    if con:
        con.close()
    deep = last // 2
    plan = [
        ("coach", COACH, ["/caseload", "/dashboard", "/t/%d" % coach_tid]),
        ("participant", PART, ["/me", "/me/log"]),
        ("partner", PARTNER, ["{home}"]),
        ("team lead", LEAD, ["/team"]),
        ("log officer", LOGOFFICER, [
            "/log", "/log?before=%d" % deep, "/log?participant=%d" % busy_p,
            "/log?participant=%d&before=%d" % (busy_p, deep), "/log?email=%s" % scale_coach,
            "/log?email=%s&before=%d" % (scale_coach, deep), "/log?outcome=denied",
            "/log?outcome=denied&before=%d" % deep, "/log?action=update&outcome=denied",
            "/log?from=%s&to=%s" % (day, week)]),
    ]
    rows = []
    for role, email, paths in plan:
        cl, home = login(base, email, sec.get(email))
        for p in paths:
            p = p.replace("{home}", home)
            status, size, p50, p99 = measure(cl, p, n)
            rows.append({"role": role, "path": p, "status": status, "bytes": size, "p50_ms": p50, "p99_ms": p99})
            print("scale: %-12s %-58s %d %7.1f ms %7.1f ms" % (role, p, status, p50, p99), file=sys.stderr)
    with open(out_path, "w") as f:
        json.dump({"requests_per_page": n, "pages": rows}, f, indent=1)


def verdict(r):
    return r["status"] == 200 and r["p50_ms"] < P50_MS and r["p99_ms"] < P99_MS


def cmd_table(path, verify_path=None):
    d = json.load(open(path))
    print("| who | page | status | p50 | p99 | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in d["pages"]:
        print("| %s | `%s` | %d | %.1f ms | %.1f ms | %s |" % (r["role"], r["path"], r["status"], r["p50_ms"],
                                                             r["p99_ms"], "PASS" if verdict(r) else "FAIL"))
    if verify_path:
        v = json.load(open(verify_path))
        for k, label, target in (("quick", "`audit verify --from-checkpoint`", 1.0), ("full", "`audit verify --full`", None)):
            if k in v:
                s = v[k]
                extra = " (%s entries/s)" % format(int(s.get("rate", 0)), ",") if k == "full" else ""
                verdict_ = ("PASS" if s["seconds"] < target else "FAIL") if target else "reported"
                print("| log officer | %s | exit %d | %.3f s%s | | %s |" % (label, s["exit"], s["seconds"], extra, verdict_))
    return 0


def shape(path):
    """A page's path with its numbers and addresses replaced by what they stand for (drivers' ids differ)."""
    p = re.sub(r"/t/\d+", "/t/{id}", path)
    p = re.sub(r"participant=\d+", "participant=N", p)
    p = re.sub(r"before=\d+", "before=K", p)
    p = re.sub(r"email=[^&]+", "email=E", p)
    return re.sub(r"from=[\d-]+&to=[\d-]+", "from=D&to=D", p)


def cmd_table_drivers(groups):
    """groups: [(label, pages.json, verify.json, load file)]: one row per page, p50/p99 per driver."""
    data = []
    for label, pages, verify, loadf in groups:
        v = json.load(open(verify)) if verify else {}
        ld = [l.strip() for l in open(loadf)] if loadf else []
        data.append((label, {(r["role"], shape(r["path"])): r for r in json.load(open(pages))["pages"]}, v, ld))
    keys = []
    for _, rows, _, _ in data:
        keys += [k for k in rows if k not in keys]
    head = "| who | page |" + "".join(" %s p50 | p99 |" % lab for lab, _, _, _ in data) + " target |"
    print(head)
    print("|" + " --- |" * (head.count("|") - 1))
    for k in keys:
        cells, ok = [], True
        for _, rows, _, _ in data:
            r = rows.get(k)
            if r is None:
                cells += ["—", "—"]
                ok = False
                continue
            bad = "" if r["status"] == 200 else " (%d)" % r["status"]
            cells += ["%.1f ms%s" % (r["p50_ms"], bad), "%.1f ms" % r["p99_ms"]]
            ok = ok and verdict(r)
        print("| %s | `%s` | %s | %s |" % (k[0], k[1], " | ".join(cells), "PASS" if ok else "FAIL"))
    for k, label, target in (("quick", "`audit verify --from-checkpoint`", 1.0), ("full", "`audit verify --full`", None)):
        cells, ok = [], True
        for _, _, v, _ in data:
            s = v.get(k)
            if not s:
                cells += ["—", ""]
                ok = False
                continue
            extra = " (%s entries/s)" % format(int(s.get("rate", 0)), ",") if k == "full" else ""
            cells += ["%.3f s%s%s" % (s["seconds"], extra, "" if s["exit"] == 0 else " (exit %d)" % s["exit"]), ""]
            ok = ok and s["exit"] == 0 and (target is None or s["seconds"] < target)
        print("| log officer | %s | %s | %s |" % (label, " | ".join(cells), ("PASS" if ok else "FAIL") if target else "reported"))
    print()
    for lab, _, v, ld in data:
        print("%s: load average (1, 5, 15 min) %s before the pages, %s after; full verify at %s" % (
            lab, ld[0] if ld else "?", ld[1] if len(ld) > 1 else "?", v.get("full", {}).get("load", "?")))
    return 0


def main(a):
    if len(a) >= 6 and a[0] == "pages":
        return cmd_pages(a[1], a[2], a[3], int(a[4]), a[5])
    if len(a) >= 5 and a[0] == "table" and not a[1].endswith(".json"):
        if (len(a) - 1) % 4:
            sys.exit(__doc__)
        return cmd_table_drivers([tuple(a[i:i + 4]) for i in range(1, len(a), 4)])
    if len(a) >= 2 and a[0] == "table":
        return cmd_table(a[1], a[2] if len(a) > 2 else None)
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
