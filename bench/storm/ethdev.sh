# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034,SC2154 # variables shared with run_storm_bench.sh
#
# bench/storm/ethdev.sh: rows 5 and 6 of bench/run_storm_bench.sh, sourced
# by it after rows 1-4 (it uses their helpers and variables):
#   5. ikefarmd on the ethdev driver, 1 worker: full handshakes/s and
#      resumptions/s, worker CPU per operation, resumption p99 at 80 % of
#      that peak. ikefarmd's port is net_af_packet on one end of a veth pair
#      in a network namespace of its own ([net] driver = ethdev, address
#      198.51.100.1/24, IKE on 500/4500); storm runs on the kernel side of
#      the other end, in a second namespace (198.51.100.2). The responder's
#      packets never pass its own kernel's UDP stack.
#   6. the same with 2 workers (one port queue: the runtime spreads new
#      sessions over both in software), rates only.
# Namespaces and veths are those of tests/interop/ikefarmd_lib.sh (names
# with this shell's PID), deleted on exit.

# ethdev_setup: the namespaces, once.
ethdev_setup()
{
	IKEFARMD_NET=ethdev
	# shellcheck source=tests/interop/ikefarmd_lib.sh
	. "$top/tests/interop/ikefarmd_lib.sh"
	ikefarmd_netns_setup || { bench_log "ethdev: cannot make the namespaces"; return 1; }
	storm_addr=$IKEFARMD_LISTEN
	storm_ns=(ip netns exec "$INTEROP_NETNS")
	ethdev_eal=(--vdev "net_af_packet0,iface=$IKEFARMD_VETH")
	daemon_ns=(ip netns exec "$IKEFARMD_NETNS")
	ifd_port=$((IKEFARMD_NATT_PORT - 1))	# storm's target is ifd_port + 1
}

# ethdev_conf: the tickets config with the ethdev [net] section.
ethdev_conf()
{
	write_conf tickets
	printf '[net]\ndriver = ethdev\naddress = %s/24\nike_port = %s\nnatt_port = %s\n' \
		"$IKEFARMD_LISTEN" "$IKEFARMD_PORT" "$IKEFARMD_NATT_PORT"
}

# measure_ethdev WORKERS: one round into $rdir (rows 2/3 files, same names).
measure_ethdev()
{
	local w lcores=$resp_cpu mem_mb=$mem_mb

	# Two workers: both CPUs (storm shares the second), twice the memory.
	[ "$1" -eq 2 ] && lcores=0-1 && mem_mb=$((2 * mem_mb))
	ethdev_conf >"$rdir/ikefarmd.conf"
	resp_lcores=$lcores start_sampled_daemon "$rdir/ikefarmd.conf" "$rdir/ikefarmd.log" ||
		return 1
	run_storm storm-ifd "$((ifd_port + 1))" full,resume || return 1
	stop_sampler
	if [ "$1" -eq 1 ]; then
		latency_at_80pct || return 1
	fi
	# What each worker did (the software spread), from its counters.
	for w in $(seq 0 $(($1 - 1))); do
		python3 "$top/tests/interop/telemetry.py" json "$tel" "/ikefarm/shard,$w" \
			"/ikefarm/runtime,$w" \
			>"$rdir/shard-$w.json" 2>/dev/null
	done
	stop_daemon
}

# ethdev_rows: rows 5 and 6, printed after the others.
ethdev_rows()
{
	local r d5=() d6=()

	[ "$resume" -eq 1 ] || { bench_log "ethdev rows need resumption: skipped"; return 0; }
	ethdev_setup || return 1
	for r in $(seq "$rounds"); do
		rdir=$out/ethdev-1w-$r
		mkdir -p "$rdir" || return 1
		bench_log "ethdev, 1 worker: round $r of $rounds"
		measure_ethdev 1 || return 1
		d5+=("$rdir")
	done
	if [ "$ncpu" -ge 2 ]; then
		rdir=$out/ethdev-2w
		mkdir -p "$rdir" || return 1
		bench_log "ethdev, 2 workers"
		measure_ethdev 2 || return 1
		d6+=("$rdir")
	fi
	python3 "$here/storm/analyze_ethdev.py" "$out" "${d5[@]}" --two "${d6[@]}"
}
