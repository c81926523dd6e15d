#!/bin/bash
# bench/reports.sh — the outcome reports (issue 14): GET /reports for a year of a programme with 10,000
# trajectories (`zorgwerk demo --programme 10000`: two teams, ten coaches, closures, check-ins, scores,
# meetings, survey answers), signed in as the programme manager. Requests one after the other (a report is
# read by one person at a time), after a warm-up; prints p50 and p99 per selection and PASS/FAIL against
# the target p99 < 100 ms, and writes build/bench/reports.json.
#
#   bench/reports.sh path/to/release/zorgwerk
#
# Environment: BENCH_REPORT_TRAJECTORIES (10000), BENCH_REPORT_REQUESTS (200 per selection),
# BENCH_REPORT_SETS ("key=value ..." settings for the server, e.g. access_log_off=true to see the log's share).
set -euo pipefail
if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: bench/reports.sh path/to/release/zorgwerk" >&2
  exit 2
fi
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
mkdir -p "$ROOT/build/bench"
exec python3 - "$BIN" "$ROOT/build/bench/reports.json" "${BENCH_REPORT_TRAJECTORIES:-10000}" \
  "${BENCH_REPORT_REQUESTS:-200}" <<'PYEOF'
import base64, hashlib, hmac, http.client, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
import urllib.parse

binary, out, n_traj, n_req = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
work = tempfile.mkdtemp(prefix="zw-bench-reports.")
db = os.path.join(work, "db")
t0 = time.time()
demo = subprocess.run([binary, "--db", db, "demo", "--programme", str(n_traj)], stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, universal_newlines=True, check=True).stdout
print("bench: demo with %d trajectories in %.1f s" % (n_traj, time.time() - t0), file=sys.stderr)
secret = re.search(r"rik\.vanacker@zorgwerk\.example\s+.*?\s(\S+)\s*$", demo, re.M).group(1)

def totp(secret_b32, t):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(t // 30)), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000)

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
log = open(os.path.join(work, "serve.log"), "w")
extra = os.environ.get("BENCH_REPORT_SETS", "").split()
proc = subprocess.Popen([binary, "--db", db, "--set", "login_delay_ms=0"] + sum((["--set", x] for x in extra), []) +
                        ["--listen", "127.0.0.1:%d" % port, "serve"],
                        stdout=subprocess.DEVNULL, stderr=log)
rc = 1
try:
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5); c.request("GET", "/healthz")
            if c.getresponse().status == 200: break
        except OSError: time.sleep(0.05)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookies = {}
    def req(method, path, form=None):
        headers = {"Cookie": "; ".join("%s=%s" % kv for kv in cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "http://127.0.0.1:%d" % port
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, val = v.split(";")[0].partition("=")
                cookies[name.strip()] = val
        return r.status, data
    def csrf(body):
        return re.search(r'name="_csrf" value="([^"]+)"', body).group(1)
    _, body = req("GET", "/login")
    req("POST", "/login", {"_csrf": csrf(body), "email": "rik.vanacker@zorgwerk.example",
                           "password": "zorg-en-werk-demo", "next": ""})
    _, body = req("GET", "/login/2fa")
    time.sleep(0)
    st, _ = req("POST", "/login/2fa", {"_csrf": csrf(body), "next": "", "code": totp(secret, time.time())})
    year = time.gmtime().tm_year - 1
    selections = {"year": "/reports?year=%d" % year, "quarter": "/reports?year=%d&period=q2" % year,
                  "month_coach": None}
    st, body = req("GET", selections["year"])
    assert st == 200, "GET /reports answered %d" % st
    coach = re.search(r'<option value="(\d+)"[^>]*>Coach A\. Programma', body)
    selections["month_coach"] = "/reports?year=%d&period=m5&coach=%s" % (year, coach.group(1) if coach else "")
    results, ok = {}, True
    for name, path in selections.items():
        for _ in range(10): req("GET", path)
        lat = []
        for _ in range(n_req):
            t = time.perf_counter(); st, _ = req("GET", path); lat.append((time.perf_counter() - t) * 1000)
            assert st == 200, "%s answered %d" % (path, st)
        lat.sort()
        p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        results[name] = {"path": path, "p50_ms": round(p50, 2), "p99_ms": round(p99, 2), "requests": n_req}
        verdict = "PASS" if p99 < 100 else "FAIL"
        ok = ok and p99 < 100
        print("reports %-12s p50 %7.2f ms  p99 %7.2f ms  (target p99 < 100 ms) %s" % (name, p50, p99, verdict))
    json.dump({"trajectories": n_traj, "results": results, "pass": ok}, open(out, "w"), indent=1)
    rc = 0 if ok else 1
finally:
    proc.terminate(); proc.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
sys.exit(rc)
PYEOF
