#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/run_storm_bench.sh: one run that measures, side by side on this
# machine, with storm as the generator (docs/benchmarking.md):
#   1. strongSwan charon as responder: full handshakes/s
#   2. ikefarmd (1 worker): full handshakes/s
#   3. ikefarmd: resumptions/s (storm --scenario full,resume), and the
#      resumption latency at 80 % of that peak rate (storm --rate)
#   4. ikefarmd under a half-open flood at 10x its half-open capacity per
#      second with the clients' resumptions (storm --scenario full,flood),
#      then their full handshakes, inside: success rate and p99 latency,
#      target >= 99 % (also in DIR/flood/*.json)
#   5. ikefarmd on the DPDK ethdev driver (net_af_packet port in a network
#      namespace, storm on the kernel side of a veth): rows 2 and 3 again,
#      with the resumption targets (bench/storm/ethdev.sh)
#   6. the same with 1 and 2 workers: rates
# with the responder's CPU time per operation, its memory per SA, the
# ratios, and PASS/MISS against the targets. All runs use PSK,
# aes256gcm16-prfsha256-x25519 and ESP aes256gcm16. Needs root.
#
# Usage: bench/run_storm_bench.sh [--quick] [--clients N] [--rounds R]
#		[--window W] [--build DIR] [--out DIR] [--no-pin] [--no-ethdev]
#   --quick        about 15 s (2 rounds of 2000) instead of about 1-2 minutes
#   --clients N    handshakes per phase (default 5000; --quick 2000)
#   --rounds R     measure R times with fresh responders, report medians
#                  (default 3; --quick 2)
#   --window W     storm operations in flight (default 64)
#   --build DIR    meson build folder with storm and ikefarmd (default build)
#   --out DIR      keep everything here (default a new /tmp/ikefarm-bench.*)
#   --no-pin       do not pin responder and generator to different CPUs
#   --no-ethdev    leave out rows 5 and 6
# Results: DIR/results.json, the table on stdout and DIR/bench.png (the rows
# side by side). A MISS never fails the
# script; a run that could not measure does (exit 1).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
"$top/scripts/install-deps.sh" || exit 1
# shellcheck source=tests/interop/lib.sh
. "$top/tests/interop/lib.sh"
# shellcheck source=tests/storm/storm_daemon.sh
. "$top/tests/storm/storm_daemon.sh"
INTEROP_CONF=$here/storm/conf	# the benchmark strongSwan responder

clients=5000
clients_set=0
quick=0
window=64
build=$top/build
out=
pin=1
rounds=3
ethdev=1
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; [ "$clients_set" -eq 1 ] || clients=2000; rounds=2 ;;
	--rounds) rounds=$2; shift ;;
	--clients) clients=$2; clients_set=1; shift ;;
	--window) window=$2; shift ;;
	--build) build=$(cd "$2" && pwd) || exit 1; shift ;;
	--out) out=$2; shift ;;
	--no-pin) pin=0 ;;
	--no-ethdev) ethdev=0 ;;
	-h|--help) sed -n '3,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run_storm_bench: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

storm=$build/app/storm/storm
daemon=$build/app/ikefarmd/ikefarmd
psk=bench-psk-0123456789abcdef
ike_prop=aes256gcm16-prfsha256-x25519
esp_prop=aes256gcm16

bench_log()
{
	echo "bench: $*" >&2
}

if [ "$(id -u)" -ne 0 ]; then
	bench_log "needs root (charon in a mount namespace, DPDK runtime dir)"
	exit 1
fi
for b in "$storm" "$daemon"; do
	[ -x "$b" ] || { bench_log "no $b (build first, or --build DIR)"; exit 1; }
done
case $clients$rounds in
''|*[!0-9]*) bench_log "--clients and --rounds take a number"; exit 2 ;;
esac
interop_install_peers || exit 1

# Responder on one CPU, generator (storm and the sampler) on another.
ncpu=$(nproc)
resp_cpu=0
gen_cpu=0
if [ "$pin" -eq 1 ] && [ "$ncpu" -ge 2 ]; then
	gen_cpu=1
else
	pin=0
fi
gen_run()
{
	if [ "$pin" -eq 1 ]; then
		taskset -c "$gen_cpu" "$@"
	else
		"$@"
	fi
}

if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/ikefarm-bench.XXXXXX) || exit 1
fi
mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 1
interop_setup "$out" || exit 1

DAEMON_PID=
DAEMON_PREFIX=
SAMPLER_PID=
# Rows 5/6 (bench/storm/ethdev.sh) run the daemon and storm in namespaces.
storm_addr=127.0.0.1
storm_ns=()
daemon_ns=()
ethdev_eal=()

bench_cleanup()
{
	local rc=$?

	stop_pid "$SAMPLER_PID"
	SAMPLER_PID=
	stop_pid "$DAEMON_PID"
	DAEMON_PID=
	[ -n "$DAEMON_PREFIX" ] && rm -rf "/var/run/dpdk/$DAEMON_PREFIX"
	(exit "$rc")
	interop_cleanup
	declare -F ikefarmd_netns_cleanup >/dev/null && ikefarmd_netns_cleanup
	return "$rc"
}
trap bench_cleanup EXIT

# free_pair BASE...: the first BASE with BASE and BASE+1 free.
free_pair()
{
	local p

	for p in "$@"; do
		if interop_port_free "$p" && interop_port_free "$((p + 1))"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# snap NAME PID [TEL]: one sample of the responder into $rdir/NAME.json.
snap()
{
	gen_run python3 "$here/storm/sampler.py" "$2" ${3:+--tel "$3"} --once \
		>"$rdir/$1.json"
}

# run_storm NAME TARGET_PORT SCENARIO [ARGS...]: storm into $rdir/NAME/.
run_storm()
{
	local name=$1 port=$2 scen=$3
	shift 3

	bench_log "storm $name: $clients clients, scenario $scen $*"
	gen_run "${storm_ns[@]}" "$storm" --target "$storm_addr:$port" --psk "$psk" \
		--clients "$clients" --window "$window" --proposal "$ike_prop" \
		--esp-proposal "$esp_prop" --encap --scenario "$scen" \
		--timeout 10000 --out "$rdir/$name" "$@" >"$rdir/$name.log" 2>&1
	local rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$rdir/$name/storm.json" ]; then
		bench_log "storm $name failed ($rc):"
		tail -n 20 "$rdir/$name.log" >&2
		return 1
	fi
}

# latency_at_80pct: storm again at 80 % of the resumption rate just measured in
# $rdir/storm-ifd (the p99 target is at that load), into $rdir/storm-lat.
latency_at_80pct()
{
	local rate

	rate=$(python3 - "$rdir/storm-ifd/storm.json" <<-'PY'
	import json, sys
	ph = {p["name"]: p for p in json.load(open(sys.argv[1]))["phases"]}
	print("%.0f" % max(1.0, 0.8 * ph["resume"]["rate_per_s"]))
	PY
	) || return 1
	run_storm storm-lat "$((ifd_port + 1))" full,resume --rate "$rate"
}

resume=0
if "$storm" --list-scenarios 2>/dev/null | grep -qw resume; then
	resume=1
fi

bench_log "results in $out; $ncpu CPUs, pinning $([ "$pin" -eq 1 ] &&
	echo "responder on CPU $resp_cpu, generator on CPU $gen_cpu" || echo off)"

ss_port=$(free_pair 5800 5810 5820 5830) || { bench_log "no free UDP port pair"; exit 1; }
ifd_port=$(free_pair 5900 5910 5920 5930) || { bench_log "no free UDP port pair"; exit 1; }

# ikefarmd's users (storm's IDs client<i>@storm) and config.
sd_users "$out" "$clients" "$psk"
# Room for the SAs of both storm runs (old SAs of a client go on
# INITIAL_CONTACT, but resumption may keep both for a moment).
capacity=$((3 * clients + 1024))
[ "$capacity" -lt 16384 ] && capacity=16384
mem_mb=$((256 + capacity * 3 / 1024 + 64))
# write_conf tickets|plain [CACHED_RESPONSES]: the daemon config on stdout.
write_conf()
{
	cat <<-CONF
	[runtime]
	sa_capacity = $capacity
	[log]
	level = 5
	[ike]
	local_id = fqdn:responder.test.example
	cached_responses = ${2:-0}
	[child]
	ts_start = 127.0.0.0
	ts_end = 127.255.255.255
	[auth]
	credentials = $out/credentials
	CONF
	if [ "$1" = tickets ]; then
		# Resumption on: a random ticket key; the one-time-use filter
		# sized for 10000 resumptions/s over 600 s.
		cat <<-CONF
		[tickets]
		lifetime_s = 600
		resumes_per_s = 10000
		CONF
	fi
}
conf_kind=tickets
write_conf tickets >"$out/ikefarmd.conf"
if ! "$daemon" -- --check-config -f "$out/ikefarmd.conf" >"$out/check-config.log" 2>&1; then
	bench_log "ikefarmd has no [tickets] section: no resumption"
	resume_why="ikefarmd without [tickets]"
	resume=0
	conf_kind=plain
	write_conf plain >"$out/ikefarmd.conf"
elif [ "$resume" -eq 0 ]; then
	resume_why="storm has no resume scenario"
fi

# start_daemon CONF LOG SNAP: ikefarmd on $ifd_port, one worker on $resp_cpu
# (or the lcores in $resp_lcores); with the ethdev rows, on its port in its
# namespace with the addresses and ports of CONF. Returns once its telemetry
# answers (that first sample in $rdir/SNAP.json).
start_daemon()
{
	local listen=(--listen 127.0.0.1 --port "$ifd_port" --natt-port "$((ifd_port + 1))")

	[ "${#ethdev_eal[@]}" -gt 0 ] && listen=()
	DAEMON_PREFIX=ikefarm-bench-$$
	tel=/var/run/dpdk/$DAEMON_PREFIX/dpdk_telemetry.v2
	# ip netns exec execs: $! is the daemon's own PID.
	"${daemon_ns[@]}" "$daemon" -l "${resp_lcores:-$resp_cpu}" --no-huge --no-pci \
		-m "$mem_mb" --file-prefix="$DAEMON_PREFIX" "${ethdev_eal[@]}" -- -f "$1" \
		"${listen[@]}" >"$2" 2>&1 &
	DAEMON_PID=$!
	for _ in $(seq 100); do
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			bench_log "ikefarmd exited:"
			tail "$2" >&2
			DAEMON_PID=
			return 1
		fi
		[ -S "$tel" ] && snap "$3" "$DAEMON_PID" "$tel" 2>/dev/null && return 0
		sleep 0.1
	done
	bench_log "ikefarmd telemetry not ready after 10 s"
	return 1
}

# start_sampled_daemon CONF LOG: start_daemon, one idle second to calibrate
# the cost of an empty poll loop (the worker busy-polls; $rdir/ifd-idle0.json
# and ifd-idle1.json), then the sampler into $rdir/ifd-samples.jsonl
# (SAMPLER_PID), returning once it has two samples.
start_sampled_daemon()
{
	start_daemon "$1" "$2" ifd-idle0 || return 1
	sleep 1
	snap ifd-idle1 "$DAEMON_PID" "$tel" || return 1
	gen_run python3 "$here/storm/sampler.py" "$DAEMON_PID" --tel "$tel" \
		>"$rdir/ifd-samples.jsonl" &
	SAMPLER_PID=$!
	for _ in $(seq 50); do
		[ "$(wc -l <"$rdir/ifd-samples.jsonl")" -ge 2 ] && break
		sleep 0.1
	done
}

# stop_sampler: after a last sample of the storm's end.
stop_sampler()
{
	sleep 0.2
	stop_pid "$SAMPLER_PID"
	SAMPLER_PID=
}

stop_daemon()
{
	stop_pid "$DAEMON_PID"
	DAEMON_PID=
	rm -rf "/var/run/dpdk/$DAEMON_PREFIX"
}

# measure_round: rows 1-3 with fresh responders, files in $rdir.
measure_round()
{
	local ss_pid scen rate

	# 1. strongSwan, full handshakes.
	INTEROP_PSK=$psk INTEROP_IKE_GCM=$ike_prop INTEROP_ESP_GCM=$esp_prop \
		interop_start_ss_responder "$ss_port" psk ||
		{ bench_log "strongSwan did not start"; return 1; }
	ss_pid=$(cat "$out/responder.pid")
	[ "$pin" -eq 1 ] && taskset -a -cp "$resp_cpu" "$ss_pid" >/dev/null
	snap ss-before "$ss_pid" || return 1
	run_storm storm-ss "$((ss_port + 1))" full || return 1
	sleep 0.3
	snap ss-after "$ss_pid" || return 1
	interop_stop_charon responder

	# 2./3. ikefarmd: idle, then full,resume while sampled.
	start_sampled_daemon "$out/ikefarmd.conf" "$rdir/ikefarmd.log" || return 1
	scen=full
	[ "$resume" -eq 1 ] && scen=full,resume
	run_storm storm-ifd "$((ifd_port + 1))" "$scen" || return 1
	stop_sampler
	if [ "$resume" -eq 1 ]; then
		# 3b. resumption latency at 80 % of the peak just measured.
		latency_at_80pct || return 1
	fi
	stop_daemon
}

dirs=()
for r in $(seq "$rounds"); do
	rdir=$out/round-$r
	mkdir -p "$rdir" || exit 1
	bench_log "round $r of $rounds"
	measure_round || exit 1
	dirs+=("$rdir")
done

# The octets one SA slot costs, from the start banner of two more daemons:
# "probe" has twice the SA slots (the response cache is a fixed pool per
# worker, the same in both), "probe-cache" the same SA slots as the runs
# and twice the default response-cache slots (4096, in the banner): what
# one cache slot, and so the fixed per-worker cache, costs.
rdir=$out
probe()
{
	write_conf "$conf_kind" "$2" >"$out/ikefarmd-$1.conf"
	start_daemon "$out/ikefarmd-$1.conf" "$out/ikefarmd-$1.log" "ifd-$1" || exit 1
	stop_daemon
}
probe probe-cache 8192
capacity=$((2 * capacity))
mem_mb=$((2 * mem_mb))
probe probe 0
# The data-path side of the same SA: what one more Child SA slot of a
# data-path lcore takes (bench/esp/bench_handoff --mem: the EAL heap of the
# ESP tables with N and 2N slots). analyze.py adds it to the IKE figure.
if [ -x "$build/bench/esp/bench_handoff" ]; then
	"$build/bench/esp/bench_handoff" --mem >"$out/dp-mem.log" 2>&1 ||
		bench_log "bench_handoff --mem failed (see $out/dp-mem.log)"
else
	bench_log "no $build/bench/esp/bench_handoff: the memory row lacks the data path"
fi

# 4. Flood: its own section (measure_flood), after the rounds above.
flood_ho=1024
flood_rate=$((10 * flood_ho))
# flood_conf: the tickets config with a small half-open table and cookies at half of it.
flood_conf()
{
	write_conf tickets | awk -v ho="$flood_ho" '
		{ print }
		/^\[runtime\]/ { print "halfopen_capacity = " ho }
		/^\[ike\]/ { print "cookie_threshold = " ho / 2 }'
}

# flood_run NAME OP SCENARIO: a fresh daemon with flood_conf, storm's flood
# phase with OP (resume or full) inside a flood of IKE_SA_INIT requests that
# never complete (docs/storm.md, flood) at flood_rate per second from 256
# sources; one row printed and NAME.json in $out/flood.
flood_run()
{
	local name=$1 op=$2 scen=$3

	flood_conf >"$rdir/ikefarmd.conf"
	start_daemon "$rdir/ikefarmd.conf" "$rdir/ikefarmd-$name.log" "ifd-$name" || return 1
	run_storm "storm-$name" "$((ifd_port + 1))" "$scen" --flood-op "$op" \
		--flood-rate "$flood_rate" --flood-count $((20 * flood_rate)) --flood-lead 1000 ||
		return 1
	python3 "$top/tests/interop/telemetry.py" get "$tel" /ikefarm/stats \
		>"$rdir/stats-$name.txt" 2>/dev/null
	stop_daemon
	python3 - "$rdir/storm-$name/storm.json" "$rdir/stats-$name.txt" "$flood_ho" \
		"$flood_rate" "$rdir/$name.json" "flood-$op" <<-'PY'
	import json, sys
	ph = {p["name"]: p for p in json.load(open(sys.argv[1]))["phases"]}
	c = dict(l.split()[:2] for l in open(sys.argv[2]) if len(l.split()) >= 2)
	f = ph[sys.argv[6]]
	ev = f["events"]
	ok = f["completed"] + f["fallback_full"]
	rate = ok / max(f["started"], 1)
	r = {"row": sys.argv[6], "halfopen_capacity": int(sys.argv[3]),
	     "flood_rate_per_s": int(sys.argv[4]), "flood_sent": ev.get("flood-sent", 0),
	     "flood_answer_cookie": ev.get("flood-answer-cookie", 0),
	     "flood_answer_sa_init": ev.get("flood-answer-sa-init", 0),
	     "started": f["started"], "completed": f["completed"], "fallback_full": f["fallback_full"],
	     "failed": f["failed"], "failures": f["failures"], "success_rate": rate,
	     "p50_ms": f["latency_us"]["p50"] / 1000, "p99_ms": f["latency_us"]["p99"] / 1000,
	     "half_open_evicted": int(c.get("half_open_evicted", 0)),
	     "cookie_sent": int(c.get("cookie_sent", 0))}
	json.dump(r, open(sys.argv[5], "w"), indent=1)
	what = "resumptions" if r["row"] == "flood-resume" else "full handshakes"
	via = ", %d of them via full handshake" % r["fallback_full"] if r["fallback_full"] else ""
	print("%-22s %d %s inside %d flood requests (%d/s, %dx the %d half-open slots "
	      "per second): %.2f%% completed (%d%s, %d failed %s), "
	      "p50 %.1f ms, p99 %.1f ms; flood answered %d cookie, %d SA_INIT; evicted %d" % (
	      "4 ikefarmd " + r["row"], r["started"], what, r["flood_sent"], r["flood_rate_per_s"],
	      r["flood_rate_per_s"] // r["halfopen_capacity"], r["halfopen_capacity"],
	      100 * rate, ok, via, r["failed"], r["failures"] or "",
	      r["p50_ms"], r["p99_ms"], r["flood_answer_cookie"], r["flood_answer_sa_init"],
	      r["half_open_evicted"]))
	print("%-4s %-62s %.4g (limit >= 99 %%)" % ("PASS" if rate >= 0.99 else "MISS",
	      "ikefarmd %s completed inside a 10x half-open flood" % what, 100 * rate))
	PY
}

# measure_flood: row 4, resumptions (after full handshakes with tickets) and
# full handshakes, each inside the flood; files in $out/flood.
measure_flood()
{
	rdir=$out/flood
	mkdir -p "$rdir" || return 1
	if [ "$resume" -eq 1 ]; then
		flood_run resume resume full,flood || return 1
	fi
	flood_run full full flood || return 1
}

python3 "$here/storm/analyze.py" "$out" "${dirs[@]}" --resume "$resume" \
	--resume-why "${resume_why:-}" --pin "$pin" --clients "$clients" \
	--window "$window" --quick "$quick"
measure_flood || exit 1
if [ "$ethdev" -eq 1 ]; then
	# shellcheck source=bench/storm/ethdev.sh
	. "$here/storm/ethdev.sh"
	ethdev_rows || exit 1
fi
# The rows side by side (gnuplot-nox comes with scripts/install-deps.sh).
python3 "$here/storm/plot.py" "$out" || true
