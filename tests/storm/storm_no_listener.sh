#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# storm against a UDP port nobody listens on: every handshake must fail with
# the reason "timeout" after retransmits, and the JSON must say so.
# Usage: storm_no_listener.sh STORM_BINARY
set -u

storm=$1
out=$(mktemp -d /tmp/storm-nolisten.XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT

port=
for p in 5791 5793 5795 5797; do
	if [ -z "$(ss -Hlun "sport = :$p" 2>/dev/null)" ]; then
		port=$p
		break
	fi
done
[ -n "$port" ] || { echo "FAIL: no free UDP port"; exit 1; }

timeout 30 "$storm" --target "127.0.0.1:$port" --clients 8 --psk nobody-home \
	--rto 100 --timeout 700 --out "$out" --quiet || { echo "FAIL: storm exited $?"; exit 1; }

python3 - "$out/storm.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["phases"][0]
good = (p["name"] == "full" and p["started"] == 8 and p["completed"] == 0
        and p["failed"] == 8 and p["failures"] == {"timeout": 8}
        and p["retransmits"] >= 8)
print(("PASS" if good else "FAIL") + ": %s" % {k: p[k] for k in
      ("started", "completed", "failed", "failures", "retransmits")})
sys.exit(0 if good else 1)
PY
