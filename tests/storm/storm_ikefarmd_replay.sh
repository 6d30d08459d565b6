#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Replay filter soak (issue 13, docs/tickets.md section 5): one ikefarmd
# worker, 2000 storm clients resuming back to back (mixed new=10,resume=90)
# at the worker's peak for SOAK_S seconds (default 25), with a 16 s ticket
# lifetime so the filter's slices (1 s each) roll over many times:
#  1. sized for SOAK_RPS ids/s (default 80000: the bench's peak of about
#     54000/s plus room for one-second bursts, since each 1 s slice here
#     takes one second of uses) and replay_fp = 1e-6: no fresh
#     ticket refused at all (a Bloom filter refuses about fp x resumptions:
#     1e-6 puts the expected count far below one), no slice over capacity,
#     no AUTHENTICATION_FAILED, every operation completed;
#  2. the default replay_fp = 1e-3: refusals within that rate, as
#     `replayed` (never `replay-filter-full`), nothing failed;
#  3. deliberately undersized (resumes_per_s = 2000): the saturation
#     counters and the log line, refusals counted as replay-filter-full,
#     and every refused client completed a full handshake instead (no
#     failure, no AUTHENTICATION_FAILED).
# Prints one line per run with resumptions/s and the counters.
# Usage: storm_ikefarmd_replay.sh STORM_BINARY IKEFARMD_BINARY
set -u

# shellcheck source=storm_daemon.sh
. "$(dirname "$0")/storm_daemon.sh"
sd_begin replay "$@"

N=2000
PSK=storm-replay-soak-psk
SOAK_S=${SOAK_S:-25}
SOAK_RPS=${SOAK_RPS:-80000}
LIFETIME=16
sd_users "$run" "$N" "$PSK"
# One worker on the last CPU, storm on the first: the worker's own peak.
last=$(($(nproc) - 1))
export SD_LCORES=$last
gen=()
[ "$last" -gt 0 ] && gen=(taskset -c 0)

# soak NAME RESUMES_PER_S REPLAY_FP: a daemon so configured, storm for SOAK_S
# seconds; leaves the daemon running (counters) and storm.json in $run/NAME.
soak()
{
	local name=$1 rps=$2 fp=$3 port

	sd_config "$run"
	sd_option "$run" tickets lifetime_s "$LIFETIME" &&
		sd_option "$run" tickets resumes_per_s "$rps" &&
		sd_option "$run" tickets replay_fp "$fp" || { echo "FAIL: no [tickets] option"; exit 1; }
	port=$(sd_free_port 5660) || { echo "FAIL: no free port"; exit 1; }
	sd_start "$daemon" "$run" "$port" || { echo "FAIL: ikefarmd ($name)"; exit 1; }
	LOG=$run/ikefarmd-$port.log
	timeout $((SOAK_S + 60)) "${gen[@]}" "$storm" --target "127.0.0.1:$port" --clients "$N" \
		--psk "$PSK" --window 128 --scenario mixed --mix new=10,resume=90 \
		--duration "$SOAK_S" --out "$run/$name" --quiet >"$run/$name.log" 2>&1 ||
		{ echo "FAIL: storm ($name) exited $?"; tail "$run/$name.log"; exit 1; }
}

# check NAME PYTHON_EXPR...: over the storm phases (ph) and the daemon's counters (c).
check()
{
	local name=$1

	shift
	python3 "$SD_TOP/tests/interop/telemetry.py" get "$(sd_tel)" /ikefarm/stats >"$run/$name.stats" ||
		{ echo "FAIL: no telemetry ($name)"; exit 1; }
	python3 - "$run/$name/storm.json" "$run/$name.stats" "$name" "$@" <<'PY'
import json, sys
ph = {p["name"]: p for p in json.load(open(sys.argv[1]))["phases"]}
c = {}
for line in open(sys.argv[2]):
    k, _, v = line.partition(" ")
    if v.strip().isdigit():
        c[k] = int(v)
g = lambda k: c.get(k, 0)
r = ph["mixed-resume"]
tried = r["completed"] + r["fallback_full"]
print("%s: %d resumptions in %.0f/s; refused: replayed %d, replay-filter-full %d "
      "(%.2e of them); slice_full %d, ids_over_capacity %d, seen_at_auth %d, "
      "resume_auth_failed %d, failed %d, failures %s" % (
      sys.argv[3], tried, r["rate_per_s"], g("ticket_nack_replayed"),
      g("ticket_nack_replay_filter_full"),
      (g("ticket_nack_replayed") + g("ticket_nack_replay_filter_full")) / max(tried, 1),
      g("replay_filter_slice_full"), g("replay_filter_ids_over_capacity"),
      g("resume_ticket_seen_at_auth"), g("resume_auth_failed"),
      sum(p["failed"] for p in ph.values()), r["failures"]))
ok = True
for expr in sys.argv[4:]:
    good = bool(eval(expr, {"ph": ph, "c": c, "g": g, "r": r, "tried": tried}))
    ok &= good
    print(("  ok" if good else "  BAD") + ": " + expr)
sys.exit(0 if ok else 1)
PY
}

# Common to every run: nothing failed, no AUTHENTICATION_FAILED anywhere,
# every refusal was a clean fallback, and the soak outlived the lifetime.
clean=('all(p["failed"] == 0 for p in ph.values())'
	'g("resume_auth_failed") == 0 and g("auth_failed") == 0'
	'r["fallback_full"] == g("ticket_nack_replayed") + g("ticket_nack_replay_filter_full")'
	"r[\"rate_per_s\"] * $SOAK_S > 10 * $N")

soak sized-1e-6 "$SOAK_RPS" 1e-6
check sized-1e-6 "${clean[@]}" 'r["fallback_full"] == 0' \
	'g("replay_filter_ids_over_capacity") == 0' ||
	{ echo "FAIL: fresh tickets refused by a filter sized for the peak"; exit 1; }
sd_stop

soak sized-1e-3 "$SOAK_RPS" 1e-3
check sized-1e-3 "${clean[@]}" 'g("ticket_nack_replay_filter_full") == 0' \
	'g("ticket_nack_replayed") <= 1e-3 * tried' \
	'g("replay_filter_ids_over_capacity") == 0' ||
	{ echo "FAIL: refusals above replay_fp at the peak"; exit 1; }
sd_stop

soak undersized 2000 1e-3
check undersized "${clean[@]}" 'g("replay_filter_slice_full") > 0' \
	'g("replay_filter_ids_over_capacity") > 0' 'g("ticket_nack_replay_filter_full") > 0' \
	'r["completed"] > 0' || { echo "FAIL: undersized filter"; exit 1; }
grep -q "replay filter slice reached its sized load" "$LOG" ||
	{ echo "FAIL: no saturation warning in the log"; exit 1; }
echo "PASS: no fresh ticket refused at the peak over $SOAK_S s (lifetime $LIFETIME s);" \
	"an undersized filter counted, logged and fell back cleanly"
