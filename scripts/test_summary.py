#!/usr/bin/env python3
"""Counts test cases across meson test logs and prints one closing line.

A cmocka executable counts as its cases (from its "[==========] N test(s) run."
and "[  FAILED  ] N test(s)" lines); any other test counts as one.
"""
import json
import re
import sys

RUN = re.compile(r"^\[==========\] (\d+) test\(s\) run\.", re.M)
FAILED = re.compile(r"^\[  FAILED  \] (\d+) test\(s\)", re.M)


def count(path):
    passed = failed = skipped = 0
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            fl = sum(int(n) for n in FAILED.findall(out))
            p = sum(int(n) for n in RUN.findall(out)) - fl
            ok = t["result"] in ("OK", "EXPECTEDFAIL")
            if t["result"] == "SKIP":
                skipped += 1
            elif p or fl:
                passed += p
                failed += fl if fl or ok else max(1, fl)
            elif ok:
                passed += 1
            else:
                failed += 1
    return passed, failed, skipped


def main():
    tp = tf = ts = 0
    for path in sys.argv[1:]:
        p, f, s = count(path)
        print(f"{path}: {p} passed, {f} failed, {s} skipped", file=sys.stderr)
        tp, tf, ts = tp + p, tf + f, ts + s
    print(f"tests: {tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf or tp == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
