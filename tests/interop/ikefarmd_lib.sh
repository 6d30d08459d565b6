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

IKEFARMD_BIN=${IKEFARMD_BIN:-$INTEROP_TOP/build/app/ikefarmd/ikefarmd}
IKEFARMD_LISTEN=${IKEFARMD_LISTEN:-127.0.0.1}
IKEFARMD_PORT=${IKEFARMD_PORT:-5500}
IKEFARMD_NATT_PORT=${IKEFARMD_NATT_PORT:-$((IKEFARMD_PORT + 1))}
IKEFARMD_LCORES=${IKEFARMD_LCORES:-0-1}
IKEFARMD_PID=
IKEFARMD_PREFIX=
IKEFARMD_EXIT=	# the daemon's exit status, set by ikefarmd_stop
IKEFARMD_TEL=

# ikefarmd_setup: interop_setup plus a trap that stops the daemon too.
ikefarmd_setup()
{
	interop_setup || return 1
	trap ikefarmd_cleanup EXIT
}

# ikefarmd_cleanup: stop the daemon, then the charons (keeps the exit status).
ikefarmd_cleanup()
{
	local rc=$?

	ikefarmd_stop
	(exit "$rc")
	interop_cleanup
}

# ikefarmd_start [EXTRA_CONFIG_LINES]: write the config (responder ID
# responder.test.example, the initiator's PSK user with the options of
# $IKEFARMD_CREDS_OPTS, plus the lines of $IKEFARMD_CREDS_EXTRA) and start
# the daemon; wait until its telemetry answers.  EXTRA_CONFIG_LINES go into [auth]; they may open other sections.
ikefarmd_start()
{
	local conf=$INTEROP_RUN/ikefarmd.conf

	if [ ! -x "$IKEFARMD_BIN" ]; then
		interop_log "no daemon at $IKEFARMD_BIN (set IKEFARMD_BIN)"
		return 1
	fi
	if ! interop_port_free "$IKEFARMD_PORT" ||
	   ! interop_port_free "$IKEFARMD_NATT_PORT"; then
		interop_log "UDP port $IKEFARMD_PORT or $IKEFARMD_NATT_PORT is in use"
		return 1
	fi
	printf 'fqdn initiator.test.example "%s" %s\n%s\n' "$INTEROP_PSK" \
		"${IKEFARMD_CREDS_OPTS:-}" "${IKEFARMD_CREDS_EXTRA:-}" >"$INTEROP_RUN/credentials"
	chmod 600 "$INTEROP_RUN/credentials"
	cat >"$conf" <<-CONF
	[log]
	level = 6
	[ike]
	local_id = fqdn:responder.test.example
	[child]
	# kernel-libipsec needs the initiator's own address inside TSi.
	ts_start = 127.0.0.0
	ts_end = 127.255.255.255
	[auth]
	credentials = credentials
	${1:-}
	CONF
	IKEFARMD_PREFIX=ikefarm-interop-$$
	IKEFARMD_TEL=/var/run/dpdk/$IKEFARMD_PREFIX/dpdk_telemetry.v2
	"$IKEFARMD_BIN" -l "$IKEFARMD_LCORES" --no-huge --no-pci -m 1024 \
		--file-prefix="$IKEFARMD_PREFIX" -- -f "$conf" \
		--listen "$IKEFARMD_LISTEN" --port "$IKEFARMD_PORT" \
		--natt-port "$IKEFARMD_NATT_PORT" \
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
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		interop_log "ikefarmd (pid $pid) ignored SIGTERM"
		kill -9 "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null
	# shellcheck disable=SC2034 # read by the scripts that source this file
	IKEFARMD_EXIT=$?
	rm -rf "/var/run/dpdk/$IKEFARMD_PREFIX"
	return 0
}

# ikefarmd_tel_json CMD: the JSON value of a telemetry command.
ikefarmd_tel_json()
{
	python3 "$INTEROP_DIR/telemetry.py" json "$IKEFARMD_TEL" "$1"
}

# ikefarmd_stat NAME [CMD]: one field of /ikefarm/stats (or CMD).
ikefarmd_stat()
{
	python3 "$INTEROP_DIR/telemetry.py" get "$IKEFARMD_TEL" "${2:-/ikefarm/stats}" |
		awk -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }'
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
