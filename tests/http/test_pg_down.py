"""PostgreSQL that goes away and comes back (issue 15, part 1; run by make test-pg only).

The test stops the throwaway cluster of ZW_TEST_DB_URL (scripts/pg-test-cluster.sh) under a running
server: pages answer 503 with the "temporarily unavailable" page and the server keeps running; once the
cluster is back the same server answers 200 again without a restart (the driver reconnects), the views
made after the return are in the access log, and the chain verifies. A wrong URL or password stops the
start naming the setting, never the password.
"""
import os
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COACH_SOFIE, Client, Server, assert_status, run

URL = os.environ.get("ZW_TEST_DB_URL", "")
assert URL.startswith("postgresql://"), "test_pg_down needs ZW_TEST_DB_URL (run it with make test-pg)"
CLUSTER = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(URL).query))["host"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
srv = Server(sets={"lang": "en"})
coach = Client(srv)


def cluster(cmd):
    subprocess.run([os.path.join(ROOT, "scripts/pg-test-cluster.sh"), cmd, CLUSTER], check=True,
                   stdout=subprocess.DEVNULL)


def log_count():
    return srv.sql("SELECT COUNT(*) FROM access_log")[0][0]


def test_down_is_503_and_back_is_200():
    coach.login(COACH_SOFIE)
    assert_status(coach.get("/caseload"), 200, "the caseload before")
    cluster("stop")
    try:
        for _ in range(2):  # the lost connection, then a new one that cannot be made
            r = coach.get("/caseload")
            assert r.status == 503, "database down: %d" % r.status
            assert "Temporarily unavailable" in r.body, r.body[:300]
        assert srv.proc.poll() is None, "the server stopped: " + srv.stderr()[-2000:]
    finally:
        cluster("start")
    before = log_count()
    for _ in range(2):
        assert_status(coach.get("/caseload"), 200, "the caseload after the database came back")
    srv.alive()
    # the access-log writer reconnected too: the views after the return are logged (written in batches)
    deadline = time.time() + 10
    while log_count() <= before and time.time() < deadline:
        time.sleep(0.1)
    assert log_count() > before, "no access-log entry after the database came back"


def test_wrong_url_or_password_names_the_setting_and_hides_the_password():
    tmp = srv.tmp
    sets = ["--set", "audit_key_file=%s/k2" % tmp, "--set", "audit_seal_file=%s/s2" % tmp]
    bad_db = URL.replace("/" + urllib.parse.urlsplit(URL).path.strip("/") + "?", "/no_such_database?")
    for db in ("postgresql://zorgwerk:S3cret-Passw0rd@127.0.0.1:1/zorgwerk",  # nobody listens on port 1
               bad_db + "&password=S3cret-Passw0rd"):
        p = subprocess.run([srv.bin, "--db", db] + sets + ["serve", "--listen", "127.0.0.1:1"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        assert p.returncode != 0, "started with %s" % db
        assert "setting db" in p.stderr, p.stderr[-1000:]
        assert "S3cret-Passw0rd" not in p.stderr + p.stdout, p.stderr[-1000:]


def test_chain_verifies_after_the_outage():
    srv.stop()
    p = srv.cli("audit", "verify")
    assert p.returncode == 0 and "intact" in p.stdout, (p.returncode, p.stdout, p.stderr[-1000:])
    srv.start()


run(srv, globals())
