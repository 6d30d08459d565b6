# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/interop/libreswan/lsw_lib.sh: drive libreswan's pluto as a real IKEv2
# INITIATOR against a responder (ikefarmd) on $LSW_TARGET_ADDR:PORT.  Source
# after tests/interop/lib.sh and ikefarmd_lib.sh:
#
#	lsw_use 4                 # Debian's 4.10 (scripts/install-peers.sh)
#	lsw_use 5                 # 5.4, built once into $LIBRESWAN5_PREFIX
#	lsw_start "$IKEFARMD_PORT"
#	lsw_initiate gcm          # conns: see ipsec.conf.in (+ ipsec-v5.conf.in)
#	lsw_ike_established gcm
#
# pluto binds UDP 500 and 4500 on $LSW_LOCAL_ADDR (it has no port option), so
# these tests run only under the interop lock like the rest of the suite.  It
# runs with its own run dir, NSS database, config and secrets in
# $INTEROP_RUN/lsw and is stopped by its PID (lsw_stop, also from the EXIT
# trap: call lsw_cleanup from it).  The responder sits on another 127/8
# address because pluto refuses left == right.

LSW_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LSW_LOCAL_ADDR=${LSW_LOCAL_ADDR:-127.0.0.1}
LSW_TARGET_ADDR=${LSW_TARGET_ADDR:-127.0.0.2}
# A TSr the responder refuses (see ipsec.conf.in): keeps pluto off the kernel.
LSW_REFUSED_NET=${LSW_REFUSED_NET:-10.231.0.0/24}
LSW_DEBUG=${LSW_DEBUG:-none}
LIBRESWAN5_PREFIX=${LIBRESWAN5_PREFIX:-$INTEROP_TOP/build/peers/libreswan-5.4}
LSW_VERSION=
LSW_EXEC=
LSW_RUN=
LSW_PID=

# lsw_use 4|5: pick the pluto to run; installs or builds it when missing.
# Returns 77 when libreswan 5.4 cannot be built here (no source tarball).
lsw_use()
{
	local rc

	LSW_VERSION=$1
	case $1 in
	4)
		LSW_EXEC=/opt/libreswan/usr/libexec/ipsec
		if [ ! -x "$LSW_EXEC/pluto" ] || [ ! -e /usr/libexec/ipsec ]; then
			"$INTEROP_TOP/scripts/install-peers.sh" libreswan || return 1
		fi
		;;
	5)
		LSW_EXEC=$LIBRESWAN5_PREFIX/libexec/ipsec
		"$LSW_DIR/build5.sh" "$LIBRESWAN5_PREFIX"
		rc=$?
		[ "$rc" -eq 0 ] || return "$rc"
		;;
	*)
		interop_log "lsw_use: no libreswan $1"
		return 1
		;;
	esac
	"$LSW_EXEC/pluto" --version >&2
}

# lsw_whack ARGS...: whack against our pluto.
lsw_whack()
{
	"$LSW_EXEC/whack" --rundir "$LSW_RUN/run" "$@"
}

# lsw_start TARGET_PORT: write config and secrets, start pluto, wait until
# whack answers.
lsw_start()
{
	local port=$1 ikev2=keyexchange=ikev2

	LSW_RUN=$INTEROP_RUN/lsw
	mkdir -p "$LSW_RUN/run" "$LSW_RUN/nss" || return 1
	if ! interop_port_free 500 || ! interop_port_free 4500; then
		interop_log "UDP port 500 or 4500 is in use: pluto cannot bind"
		return 1
	fi
	certutil -N -d "sql:$LSW_RUN/nss" --empty-password || return 1
	# 4.10 refuses keyexchange=ikev2 (pitfall 8 of the peers notes).
	[ "$LSW_VERSION" = 4 ] && ikev2=ikev2=insist
	rm -f "$LSW_RUN/ipsec.conf" "$LSW_RUN/ipsec.secrets"
	interop_render "$LSW_DIR/ipsec.conf.in" "$LSW_RUN/ipsec.conf" \
		"RUN=$LSW_RUN" "DEBUG=$LSW_DEBUG" "LOCAL_ADDR=$LSW_LOCAL_ADDR" \
		"TARGET_ADDR=$LSW_TARGET_ADDR" "TARGET_PORT=$port" "IKEV2=$ikev2" \
		"REFUSED_NET=$LSW_REFUSED_NET" || return 1
	if [ "$LSW_VERSION" = 5 ]; then
		interop_render "$LSW_DIR/ipsec-v5.conf.in" "$LSW_RUN/ipsec.conf" || return 1
	fi
	interop_render "$LSW_DIR/ipsec.secrets.in" "$LSW_RUN/ipsec.secrets" \
		"PSK=$INTEROP_PSK" || return 1
	chmod 600 "$LSW_RUN/ipsec.secrets"
	"$LSW_EXEC/pluto" --config "$LSW_RUN/ipsec.conf" --rundir "$LSW_RUN/run" \
		--nssdir "$LSW_RUN/nss" --secretsfile "$LSW_RUN/ipsec.secrets" \
		--ipsecdir "$LSW_RUN" --nofork >"$LSW_RUN/pluto.stdout" 2>&1 &
	LSW_PID=$!
	for _ in $(seq 100); do
		if ! kill -0 "$LSW_PID" 2>/dev/null; then
			interop_log "pluto (pid $LSW_PID) exited:"
			tail -n 20 "$LSW_RUN/pluto.stdout" "$LSW_RUN/pluto.log" >&2
			LSW_PID=
			return 1
		fi
		lsw_whack --status >/dev/null 2>&1 && break
		sleep 0.1
	done
	# No kernel ESP: never re-initiate on its own after a failure.
	lsw_whack --impair revival >/dev/null || return 1
	lsw_conns_loaded
}

# lsw_conns_loaded: every conn of the config is known to pluto (4.10 loads
# them with auto=add through addconn; 5.x the same).
lsw_conns_loaded()
{
	local c

	# shellcheck disable=SC2013 # conn names are single words
	for c in $(awk '$1 == "conn" && $2 != "%default" { print $2 }' "$LSW_RUN/ipsec.conf"); do
		interop_wait_until 5 eval "lsw_whack --status | grep -q '\"$c\":'" || {
			interop_log "pluto did not load conn $c"
			return 1
		}
	done
}

# lsw_stop: SIGTERM by PID, SIGKILL after 5 s.  pluto leaves IPv6
# neighbour-discovery bypass XFRM policies behind; remove exactly those.
lsw_stop()
{
	local pid=$LSW_PID

	[ -n "$pid" ] || return 0
	LSW_PID=
	stop_pid "$pid" pluto
	lsw_xfrm_cleanup
	return 0
}

# lsw_xfrm_cleanup: delete the ipv6-icmp type 135/136 bypass policies pluto
# installs (and keeps) at start.
lsw_xfrm_cleanup()
{
	local dir type

	for dir in in out fwd; do
		for type in 135 136; do
			ip -6 xfrm policy delete dir "$dir" src ::/0 dst ::/0 \
				proto ipv6-icmp type "$type" 2>/dev/null
		done
	done
	return 0
}

# lsw_cleanup: for the EXIT trap (keeps the exit status).
lsw_cleanup()
{
	local rc=$?

	lsw_stop
	return "$rc"
}

# lsw_initiate CONN [TIMEOUT]: whack --initiate; its output goes to
# $LSW_RUN/initiate-CONN.out (and the log).  True when the IKE SA came up.
lsw_initiate()
{
	local out=$LSW_RUN/initiate-$1.out

	timeout "${2:-20}" "$LSW_EXEC/whack" --rundir "$LSW_RUN/run" \
		--name "$1" --initiate >"$out" 2>&1
	cat "$out" >>"$LSW_RUN/initiate.log"
	grep -qE 'established IKE SA|IKE SA established' "$out"
}

# lsw_ike_established CONN: pluto holds an established IKE SA for CONN.
lsw_ike_established()
{
	lsw_whack --showstates 2>/dev/null |
		grep -E "\"$1\"" | grep -qE 'ESTABLISHED_IKE_SA|established IKE SA'
}

# lsw_ike_serial CONN: the serial (#N) of CONN's established IKE SA.
lsw_ike_serial()
{
	lsw_whack --showstates 2>/dev/null | grep -E "\"$1\"" |
		grep -E 'ESTABLISHED_IKE_SA|established IKE SA' |
		grep -oE '#[0-9]+:' | head -n 1 | tr -d '#:'
}

# lsw_log_grep PATTERN: true if pluto logged PATTERN (extended regex).
lsw_log_grep()
{
	grep -qE -- "$1" "$LSW_RUN/pluto.log"
}
