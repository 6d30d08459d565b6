# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/interop/ikefarmd_lib.sh: start ikefarmd as the responder for the
# strongSwan initiator of lib.sh, and read its telemetry.  Source after
# lib.sh, then call ikefarmd_setup instead of interop_setup:
#
#	ikefarmd_setup                   # run dir, cleanup trap (charon + daemon)
#	ikefarmd_start                   # $IKEFARMD_LISTEN:$IKEFARMD_PORT, NAT-T +1
#	interop_start_initiator "$IKEFARMD_PORT"
#	ikefarmd_stat auth_ok            # a counter summed over the workers
#
# The daemon runs with two workers (so datagrams of one SA that land on the
# other worker exercise the redirect rings) and no hugepages, and is
# stopped by its PID.  It gets its own EAL --file-prefix, which also names
# its telemetry socket.
#
# IKEFARMD_NET selects its packet driver:
#   udp     kernel UDP sockets on $IKEFARMD_LISTEN (127.0.0.1):5500/5501
#   ethdev  the DPDK ethdev driver: ikefarmd in a network namespace of its
#           own on a net_af_packet port over one end of a veth pair, with
#           [net] address = 198.51.100.1/24, IKE on 500/4500; the peers
#           (charon, garbage.py, resume_route.py) in a second namespace on
#           the other end, 198.51.100.2/24.  Namespaces and veths carry the
#           shell's PID in their names and are deleted on exit.

IKEFARMD_NET=${IKEFARMD_NET:-udp}
IKEFARMD_BIN=${IKEFARMD_BIN:-$INTEROP_TOP/build/app/ikefarmd/ikefarmd}
# IKEFARMD_TS: our [child] traffic selector, "first last" (kernel-libipsec
# needs the initiator's own address inside TSi).
if [ "$IKEFARMD_NET" = ethdev ]; then
	IKEFARMD_LISTEN=198.51.100.1
	IKEFARMD_PORT=500
	IKEFARMD_NATT_PORT=4500
	INTEROP_LOCAL_ADDR=198.51.100.2
	IKEFARMD_TS="198.51.100.0 198.51.100.255"
else
	IKEFARMD_LISTEN=${IKEFARMD_LISTEN:-127.0.0.1}
	IKEFARMD_PORT=${IKEFARMD_PORT:-5500}
	IKEFARMD_NATT_PORT=${IKEFARMD_NATT_PORT:-$((IKEFARMD_PORT + 1))}
	IKEFARMD_TS="127.0.0.0 127.255.255.255"
fi
IKEFARMD_LCORES=${IKEFARMD_LCORES:-0-1}
IKEFARMD_PID=
IKEFARMD_PREFIX=
IKEFARMD_EXIT=	# the daemon's exit status, set by ikefarmd_stop
IKEFARMD_TEL=
IKEFARMD_NETNS=	# ethdev: the daemon's namespace (the peers' is INTEROP_NETNS)
IKEFARMD_VETH=	# ethdev: the daemon's end of the veth pair
IKEFARMD_NETNS_MADE=

# ikefarmd_setup: interop_setup plus a trap that stops the daemon too; for
# ethdev the two namespaces and the veth pair.
ikefarmd_setup()
{
	interop_setup || return 1
	trap ikefarmd_cleanup EXIT
	[ "$IKEFARMD_NET" = ethdev ] || return 0
	ikefarmd_netns_setup
}

# ikefarmd_cleanup: stop the daemon, then the charons, then delete our
# namespaces (keeps the exit status).
ikefarmd_cleanup()
{
	local rc=$?

	ikefarmd_stop
	(exit "$rc")
	interop_cleanup
	ikefarmd_netns_cleanup
	return "$rc"
}

# ikefarmd_netns_setup: namespaces ikf-srv-PID (daemon) and ikf-cli-PID
# (peers), veth ikfsPID <-> ikfcPID.  Checksum offloads are off on both
# ends: a veth hands af_packet frames whose UDP checksum the sender left to
# the "hardware", and the driver checks it.  IPv6 is off so the kernels
# stay quiet on the link.
ikefarmd_netns_setup()
{
	local sfx=$$ peer

	IKEFARMD_NETNS=ikf-srv-$sfx
	INTEROP_NETNS=ikf-cli-$sfx
	IKEFARMD_VETH=ikfs$sfx
	peer=ikfc$sfx
	if ! ip netns add "$IKEFARMD_NETNS"; then
		interop_log "cannot create network namespace $IKEFARMD_NETNS"
		return 1
	fi
	IKEFARMD_NETNS_MADE="$IKEFARMD_NETNS"
	ip netns add "$INTEROP_NETNS" || return 1
	IKEFARMD_NETNS_MADE="$IKEFARMD_NETNS_MADE $INTEROP_NETNS"
	ip link add "$IKEFARMD_VETH" netns "$IKEFARMD_NETNS" type veth \
		peer name "$peer" netns "$INTEROP_NETNS" || return 1
	ip netns exec "$IKEFARMD_NETNS" sh -e -c "
		sysctl -qw net.ipv6.conf.$IKEFARMD_VETH.disable_ipv6=1
		ethtool -K $IKEFARMD_VETH tx off rx off >/dev/null
		ip link set lo up
		ip link set $IKEFARMD_VETH up" || return 1
	ip netns exec "$INTEROP_NETNS" sh -e -c "
		sysctl -qw net.ipv6.conf.$peer.disable_ipv6=1
		ethtool -K $peer tx off rx off >/dev/null
		ip link set lo up
		ip addr add $INTEROP_LOCAL_ADDR/24 dev $peer
		ip link set $peer up" || return 1
}

# ikefarmd_netns_cleanup: delete the namespaces made here (their veths go too).
ikefarmd_netns_cleanup()
{
	local ns

	for ns in $IKEFARMD_NETNS_MADE; do
		ip netns del "$ns" 2>/dev/null || true
	done
	IKEFARMD_NETNS_MADE=
}

# ikefarmd_start [EXTRA_CONFIG_LINES]: write the config (responder ID
# responder.test.example, the initiator's PSK user with the options of
# $IKEFARMD_CREDS_OPTS, plus the lines of $IKEFARMD_CREDS_EXTRA) and start
# the daemon; wait until its telemetry answers.  EXTRA_CONFIG_LINES go into [auth]; they may open other sections.
ikefarmd_start()
{
	local conf=$INTEROP_RUN/ikefarmd.conf net eal ns=() args=()

	if [ ! -x "$IKEFARMD_BIN" ]; then
		interop_log "no daemon at $IKEFARMD_BIN (set IKEFARMD_BIN)"
		return 1
	fi
	if [ "$IKEFARMD_NET" = udp ] && { ! interop_port_free "$IKEFARMD_PORT" ||
	   ! interop_port_free "$IKEFARMD_NATT_PORT"; }; then
		interop_log "UDP port $IKEFARMD_PORT or $IKEFARMD_NATT_PORT is in use"
		return 1
	fi
	printf 'fqdn initiator.test.example "%s" %s\n%s\n' "$INTEROP_PSK" \
		"${IKEFARMD_CREDS_OPTS:-}" "${IKEFARMD_CREDS_EXTRA:-}" >"$INTEROP_RUN/credentials"
	chmod 600 "$INTEROP_RUN/credentials"
	IKEFARMD_PREFIX=ikefarm-interop-$$
	IKEFARMD_TEL=/var/run/dpdk/$IKEFARMD_PREFIX/dpdk_telemetry.v2
	eal=(-l "$IKEFARMD_LCORES" --no-huge --no-pci -m 1024 --file-prefix="$IKEFARMD_PREFIX")
	if [ "$IKEFARMD_NET" = ethdev ]; then
		net=$(printf '[net]\ndriver = ethdev\naddress = %s/24\nike_port = %s\nnatt_port = %s' \
			"$IKEFARMD_LISTEN" "$IKEFARMD_PORT" "$IKEFARMD_NATT_PORT")
		eal+=(--vdev "net_af_packet0,iface=$IKEFARMD_VETH")
		ns=(ip netns exec "$IKEFARMD_NETNS")
	else
		net=
		args=(--listen "$IKEFARMD_LISTEN" --port "$IKEFARMD_PORT"
		      --natt-port "$IKEFARMD_NATT_PORT")
	fi
	cat >"$conf" <<-CONF
	[log]
	level = 6
	$net
	[ike]
	local_id = fqdn:responder.test.example
	[child]
	ts_start = ${IKEFARMD_TS% *}
	ts_end = ${IKEFARMD_TS#* }
	[auth]
	credentials = credentials
	${1:-}
	CONF
	# ip netns exec execs: $! is the daemon's own PID.
	"${ns[@]}" "$IKEFARMD_BIN" "${eal[@]}" -- -f "$conf" "${args[@]}" \
		>"$INTEROP_RUN/ikefarmd.log" 2>&1 &
	IKEFARMD_PID=$!
	for _ in $(seq 100); do
		if ! kill -0 "$IKEFARMD_PID" 2>/dev/null; then
			interop_log "ikefarmd (pid $IKEFARMD_PID) exited:"
			tail -n 20 "$INTEROP_RUN/ikefarmd.log" >&2
			IKEFARMD_PID=
			return 1
		fi
		ikefarmd_stat shards >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	interop_log "ikefarmd (pid $IKEFARMD_PID) telemetry not ready after 10 s"
	return 1
}

# ikefarmd_stop: SIGTERM by PID (clean shutdown), SIGKILL after 5 s.  The
# EAL runtime directory of our --file-prefix is removed afterwards.
ikefarmd_stop()
{
	local pid=$IKEFARMD_PID

	[ -n "$pid" ] || return 0
	IKEFARMD_PID=
	stop_pid "$pid" ikefarmd
	# shellcheck disable=SC2034 # read by the scripts that source this file
	IKEFARMD_EXIT=$STOP_PID_STATUS
	rm -rf "/var/run/dpdk/$IKEFARMD_PREFIX"
	return 0
}

# ikefarmd_tel_json CMD...: the JSON value of a telemetry command (of
# several: their dicts as one).
ikefarmd_tel_json()
{
	python3 "$INTEROP_DIR/telemetry.py" json "$IKEFARMD_TEL" "$@"
}

# ikefarmd_reload CMD: a reload command's answer as "OK MESSAGE" (the message
# comes in pieces of at most 127 characters, the telemetry's string limit).
ikefarmd_reload()
{
	ikefarmd_tel_json "$1" | python3 -c '
import json, sys
a = json.load(sys.stdin)
m = a["message"]
print(a["ok"], "".join(m) if isinstance(m, list) else m)'
}

# ikefarmd_stat NAME [CMD]: one counter of the daemon, from /ikefarm/stats
# (the IKE core's) or /ikefarm/runtime (runtime, device), or a field of CMD.
ikefarmd_stat()
{
	local name=$1

	shift
	[ $# -ge 1 ] || set -- /ikefarm/stats /ikefarm/runtime
	python3 "$INTEROP_DIR/telemetry.py" get "$IKEFARMD_TEL" "$@" |
		awk -v k="$name" '$1 == k { print $2; f = 1 } END { exit !f }'
}

# ikefarmd_stat_is NAME OP VALUE: test(1) comparison of a counter.
ikefarmd_stat_is()
{
	local v

	v=$(ikefarmd_stat "$1") || return 1
	test "$v" "$2" "$3"
}

# ikefarmd_log_grep PATTERN: true if the daemon logged PATTERN.
ikefarmd_log_grep()
{
	grep -q -- "$1" "$INTEROP_RUN/ikefarmd.log"
}
