#!/bin/sh
# SQL injection scan with Debian's sqlmap (scripts/deps.sh robust) against a server on a fresh demo
# database: POST /login (email, password), GET /caseload (q, phase, sort) with a coach's session and
# POST /t/1/notes (title, body, category, source) with that session and its CSRF token. Prints the number
# of injectable parameters per target; exits 1 if there is any (2 if sqlmap could not run).
# Usage: scripts/sqlmap.sh [path/to/zorgwerk]   (default build/release/zorgwerk; output in build/sqlmap)
# Environment: SQLMAP_LEVEL (2), SQLMAP_RISK (1), SQLMAP_EXTRA (more sqlmap options, e.g. --dbms=SQLite).
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-build/release/zorgwerk}
[ -x "$BIN" ] || { echo "sqlmap.sh: $BIN is not built" >&2; exit 2; }
command -v sqlmap >/dev/null || { echo "sqlmap.sh: sqlmap is missing (scripts/deps.sh robust)" >&2; exit 2; }
mkdir -p build/sqlmap
ZW_BIN="$BIN" exec python3 - "$@" <<'EOF'
import os, re, shlex, subprocess, sys, time
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "http"))
from harness import COACH_SOFIE, Client, Server

out_dir = os.path.abspath("build/sqlmap")
level, risk = os.environ.get("SQLMAP_LEVEL", "2"), os.environ.get("SQLMAP_RISK", "1")
extra = shlex.split(os.environ.get("SQLMAP_EXTRA", ""))
srv = Server(sets={"login_delay_ms": "0", "lock_after": "100000", "session_idle": "86400", "lang": "en"},
             name="sqlmap")
base = "http://127.0.0.1:%d" % srv.port
coach = Client(srv)
coach.login(COACH_SOFIE)
session = "zw_session=" + coach.session_cookie()
coach.get("/t/1/notes")
note_csrf = coach.csrf
anon = Client(srv)
anon.get("/login")
anon_cookie = anon.cookie_header()

common = ["--batch", "--level=" + level, "--risk=" + risk, "--flush-session", "--output-dir=" + out_dir,
          "--time-sec=2", "--timeout=20", "--retries=1", "--disable-coloring"] + extra
targets = [
    ("POST /login", ["-u", base + "/login", "--data", "email=an%40mail.example&password=x&_csrf=" + anon.csrf,
                     "--cookie", anon_cookie, "--csrf-token=_csrf", "--csrf-url=" + base + "/login",
                     "-p", "email,password"]),  # --csrf-url rules out --threads
    ("GET /caseload", ["-u", base + "/caseload?q=x&phase=intake&sort=name", "--cookie", session, "--threads=2",
                       "-p", "q,phase,sort"]),
    ("POST /t/1/notes", ["-u", base + "/t/1/notes",
                         "--data", "title=Test&body=Tekst&category=work&source=&_csrf=" + note_csrf,
                         "--cookie", session, "--threads=2",  # the session's CSRF token does not change
                         "-p", "title,body,category,source"]),
]
total, failed = 0, False
summary = []
try:
    for name, args in targets:
        t0 = time.time()
        p = subprocess.run(["sqlmap"] + common + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=3600, env=dict(os.environ, TERM="dumb"))
        log = p.stdout
        with open(os.path.join(out_dir, re.sub(r"\W+", "_", name).strip("_") + ".txt"), "w") as f:
            f.write(log)
        params = set()
        m = re.search(r"identified the following injection point\(s\).*?\n---\n(.*?)\n---", log, re.S)
        if m:
            params = set(re.findall(r"^Parameter: (\S+ \([^)]*\))", m.group(1), re.M))
        tested = sorted(set(re.findall(r"((?:GET|POST) parameter '[^']+')", log)))
        clean = "do not appear to be injectable" in log
        if p.returncode != 0 and not params and not clean:
            failed = True
        total += len(params)
        summary.append("%-16s %d injectable parameter(s)%s; %.0f s; tested: %s%s" % (
            name, len(params), (" " + ", ".join(sorted(params))) if params else "", time.time() - t0,
            ", ".join(tested) or "?", "" if (clean or params) else "  (no verdict; see build/sqlmap)"))
        print(summary[-1], flush=True)
        srv.alive()
finally:
    srv.stop()
print("sqlmap: %d injectable parameter(s) in all (level %s, risk %s); logs in build/sqlmap" % (total, level, risk))
sys.exit(1 if total else (2 if failed else 0))
EOF
