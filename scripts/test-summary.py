#!/usr/bin/env python3
"""Prints the closing lines of `make test`: how many tests passed and failed on each driver — SQLite from
meson's testlog.json, PostgreSQL from scripts/test-pg.sh's results.txt (lines "ok   NAME (Ns)" /
"FAIL NAME (...)") when given — and the name of every failed test. Exits 1 if a test failed or a round
left no results.
Usage: scripts/test-summary.py BUILD/meson-logs/testlog.json [BUILD/meson-logs/pg/results.txt]"""
import json, re, sys

rounds = []
ok = True

passed = failed = skipped = 0
failures = []
try:
    for line in open(sys.argv[1], encoding="utf-8"):
        t = json.loads(line)
        r = t.get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
            failures.append(t.get("name"))
except OSError as e:
    print("FAILED: no results of the SQLite round (%s)" % e)
    ok = False
for f in failures:
    print("FAILED (SQLite):", f)
rounds.append("SQLite: %d passed, %d failed" % (passed, failed) + (", %d skipped" % skipped if skipped else ""))
ok = ok and failed == 0 and passed > 0

if len(sys.argv) > 2:
    passed = failed = 0
    try:
        for line in open(sys.argv[2], encoding="utf-8"):
            m = re.match(r"(ok|FAIL)\s+(\S+)", line)
            if not m:
                continue
            if m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                print("FAILED (PostgreSQL):", line.strip()[5:])
    except OSError as e:
        print("FAILED: no results of the PostgreSQL round (%s)" % e)
        ok = False
    rounds.append("PostgreSQL: %d passed, %d failed" % (passed, failed))
    ok = ok and failed == 0 and passed > 0

print("; ".join(rounds))
sys.exit(0 if ok else 1)
