#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# storm against ikefarmd with RFC 5723 resumption:
#  1. 200 clients: full handshakes with tickets, then every client resumes;
#     the JSON must say all 200 completed in each phase (no fallback), and
#     the daemon must count 200 resume_ok.
#  2. failover: two daemons share a ticket key file; full handshakes go to
#     the first, which is stopped between the phases (--between-phases);
#     every resumption on the second succeeds.
# Usage: storm_ikefarmd_resume.sh STORM_BINARY IKEFARMD_BINARY
set -u

# shellcheck source=storm_daemon.sh
. "$(dirname "$0")/storm_daemon.sh"
sd_begin resume "$@"

N=200
PSK=storm-resume-test-psk
sd_users "$run" "$N" "$PSK"
sd_keyfile "$run/ticket.keys"
sd_config "$run" "$run/ticket.keys"

# check_json FILE PHASE:COMPLETED... : each phase completed that many, none failed or fell back.
check_json()
{
	python3 - "$@" <<'PY'
import json, sys
phases = json.load(open(sys.argv[1]))["phases"]
ok = len(phases) == len(sys.argv) - 2
for p, want in zip(phases, sys.argv[2:]):
    name, n = want.split(":")
    good = (p["name"] == name and p["completed"] == int(n) and p["failed"] == 0
            and p["fallback_full"] == 0)
    ok &= good
    print(("ok" if good else "BAD") + ": %s" % {k: p[k] for k in
          ("name", "started", "completed", "failed", "fallback_full", "failures")})
sys.exit(0 if ok else 1)
PY
}

port_a=$(sd_free_port 5620) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port_a" || { echo "FAIL: ikefarmd A"; exit 1; }
PID_A=$SD_PID PREFIX_A=$SD_PREFIX

# 1. full then resume on one daemon
timeout 60 "$storm" --target "127.0.0.1:$port_a" --clients "$N" --psk "$PSK" \
	--scenario full,resume --out "$run/one" --quiet || { echo "FAIL: storm exited $?"; exit 1; }
check_json "$run/one/storm.json" "full:$N" "resume:$N" || { echo "FAIL: same gateway"; exit 1; }
ok=$(sd_stat resume_ok) || { echo "FAIL: no resume_ok counter"; exit 1; }
[ "$ok" = "$N" ] || { echo "FAIL: daemon resume_ok $ok, want $N"; exit 1; }

# 2. failover: B shares the key file; A stops after the full phase
port_b=$(sd_free_port $((port_a + 2))) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port_b" || { echo "FAIL: ikefarmd B"; exit 1; }
PID_B=$SD_PID PREFIX_B=$SD_PREFIX
stop_a="kill $PID_A; while kill -0 $PID_A 2>/dev/null; do sleep 0.1; done"
timeout 60 "$storm" --target "127.0.0.1:$port_a" --resume-target "127.0.0.1:$port_b" \
	--clients "$N" --psk "$PSK" --scenario full,resume --between-phases "$stop_a" \
	--out "$run/failover" --quiet || { echo "FAIL: storm exited $?"; exit 1; }
kill -0 "$PID_A" 2>/dev/null && { echo "FAIL: gateway A still running"; exit 1; }
check_json "$run/failover/storm.json" "full:$N" "resume:$N" || { echo "FAIL: failover"; exit 1; }
ok=$(sd_stat resume_ok) || { echo "FAIL: no resume_ok counter on B"; exit 1; }
[ "$ok" = "$N" ] || { echo "FAIL: gateway B resume_ok $ok, want $N"; exit 1; }
echo "PASS: $N resumed on the issuing gateway and $N on a second gateway after failover"
