#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# storm's steady-state and flood scenarios against ikefarmd:
#  1. mixed: 200 clients, new/resume/rekey/delete for 3 s: every operation
#     ran (completed > 0) and none failed.
#  2. flood: a daemon with cookie_threshold 8; 200 clients do full
#     handshakes with tickets, then resume inside a flood of IKE_SA_INIT
#     requests from 256 sources in 127.2.0.0/16 that never complete:
#     every resumption completes (no fallback), the resuming clients were
#     asked for cookies, the flood got cookies, and the daemon counts
#     cookie_sent.
#  3. mixed against a daemon probing idle peers every second ([ike]
#     dpd_delay_s 1, dpd_timeout_s 3) at 40 operations/s, so each client is
#     idle for seconds between operations: storm's idle clients answer the
#     probes, no SA is deleted by DPD and no operation fails.
#  4. mixed against a daemon with 16 response-cache slots per worker for
#     200 clients: the oldest responses are evicted (resp_cache_evicted in
#     telemetry) and, with no datagram lost, no operation fails.
# Usage: storm_ikefarmd_load.sh STORM_BINARY IKEFARMD_BINARY
set -u

# shellcheck source=storm_daemon.sh
. "$(dirname "$0")/storm_daemon.sh"
sd_begin load "$@"

N=200
PSK=storm-load-test-psk
sd_users "$run" "$N" "$PSK"

# check_json FILE PYTHON_EXPR... : each expression over the phases (by name) must hold.
check_json()
{
	python3 - "$@" <<'PY'
import json, sys
ph = {p["name"]: p for p in json.load(open(sys.argv[1]))["phases"]}
ok = True
for expr in sys.argv[2:]:
    good = bool(eval(expr, {"ph": ph}))
    ok &= good
    print(("ok" if good else "BAD") + ": " + expr)
if not ok:
    for p in ph.values():
        print({k: p[k] for k in ("name", "started", "completed", "failed", "fallback_full",
                                 "failures", "retransmits", "ignored_responses", "events")})
sys.exit(0 if ok else 1)
PY
}

# 1. mixed on the default configuration
sd_config "$run"
port=$(sd_free_port 5640) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port" || { echo "FAIL: ikefarmd"; exit 1; }
timeout 30 "$storm" --target "127.0.0.1:$port" --clients "$N" --psk "$PSK" \
	--scenario mixed --duration 3 --out "$run/mixed" --quiet ||
	{ echo "FAIL: storm mixed exited $?"; exit 1; }
check_json "$run/mixed/storm.json" \
	'sorted(ph) == ["mixed-delete", "mixed-new", "mixed-rekey", "mixed-resume"]' \
	'all(p["completed"] > 0 and p["failed"] == 0 for p in ph.values())' \
	'ph["mixed-resume"]["fallback_full"] == 0' ||
	{ echo "FAIL: mixed; daemon counters:"; sd_stats_nonzero; exit 1; }
sd_stop

# 2. flood with cookies engaged early
sd_config "$run"
sd_option "$run" ike cookie_threshold 8 || { echo "FAIL: no cookie_threshold option"; exit 1; }
port=$(sd_free_port $((port + 2))) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port" || { echo "FAIL: ikefarmd"; exit 1; }
timeout 60 "$storm" --target "127.0.0.1:$port" --clients "$N" --psk "$PSK" --rate 400 \
	--scenario full,flood --flood-rate 1000 --flood-count 5000 --flood-sources 256 \
	--out "$run/flood" --quiet || { echo "FAIL: storm flood exited $?"; exit 1; }
check_json "$run/flood/storm.json" \
	"ph['flood-resume']['completed'] == $N" \
	'ph["flood-resume"]["failed"] == 0 and ph["flood-resume"]["fallback_full"] == 0' \
	'ph["flood-resume"]["events"].get("cookie", 0) > 0' \
	'ph["flood-resume"]["events"].get("flood-answer-cookie", 0) > 0' ||
	{ echo "FAIL: flood; daemon counters:"; sd_stats_nonzero; exit 1; }
sent=$(sd_stat cookie_sent) || { echo "FAIL: no cookie_sent counter"; exit 1; }
[ "$sent" -gt 0 ] || { echo "FAIL: daemon cookie_sent $sent"; exit 1; }
sd_stop

# 3. mixed with the responder's DPD probing every idle client
sd_config "$run"
{ sd_option "$run" ike dpd_delay_s 1 && sd_option "$run" ike dpd_timeout_s 3; } ||
	{ echo "FAIL: no dpd options"; exit 1; }
port=$(sd_free_port $((port + 2))) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port" || { echo "FAIL: ikefarmd"; exit 1; }
timeout 30 "$storm" --target "127.0.0.1:$port" --clients "$N" --psk "$PSK" \
	--scenario mixed --rate 40 --duration 6 --out "$run/dpd" --quiet ||
	{ echo "FAIL: storm mixed (dpd) exited $?"; exit 1; }
check_json "$run/dpd/storm.json" \
	'all(p["completed"] > 0 and p["failed"] == 0 for p in ph.values())' ||
	{ echo "FAIL: mixed with DPD; daemon counters:"; sd_stats_nonzero; exit 1; }
answered=$(sd_stat dpd_probes_answered) && dpd_deleted=$(sd_stat dpd_sa_deleted) ||
	{ echo "FAIL: no dpd counters"; exit 1; }
[ "$answered" -gt 0 ] && [ "$dpd_deleted" -eq 0 ] ||
	{ echo "FAIL: dpd_probes_answered $answered, dpd_sa_deleted $dpd_deleted"; sd_stats_nonzero; exit 1; }
sd_stop

# 4. mixed with a response cache far smaller than the clients
sd_config "$run"
sd_option "$run" ike cached_responses 16 || { echo "FAIL: no cached_responses option"; exit 1; }
port=$(sd_free_port $((port + 2))) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port" || { echo "FAIL: ikefarmd"; exit 1; }
timeout 30 "$storm" --target "127.0.0.1:$port" --clients "$N" --psk "$PSK" \
	--scenario mixed --duration 3 --out "$run/cache" --quiet ||
	{ echo "FAIL: storm mixed (small cache) exited $?"; exit 1; }
check_json "$run/cache/storm.json" \
	'all(p["completed"] > 0 and p["failed"] == 0 for p in ph.values())' ||
	{ echo "FAIL: mixed with a small cache; daemon counters:"; sd_stats_nonzero; exit 1; }
evicted=$(sd_stat resp_cache_evicted) || { echo "FAIL: no resp_cache_evicted counter"; exit 1; }
[ "$evicted" -gt 0 ] || { echo "FAIL: resp_cache_evicted $evicted"; sd_stats_nonzero; exit 1; }
echo "PASS: mixed ran every operation without failure; $N resumed inside the flood" \
	"(daemon cookie_sent $sent); idle clients answered $answered DPD probes, none deleted;" \
	"a 16-slot response cache evicted $evicted responses, no operation failed"
