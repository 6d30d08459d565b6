# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/storm/storm_daemon.sh: start and stop ikefarmd for storm runs
# (sourced by the storm tests and scripts/run.sh). The config is the
# daemon's own default (config/ikefarm.conf, the embedded one) with only
# the storm users' credentials and, where it is off, a ticket lifetime.
# The daemon listens on 127.0.0.1, a free high port, without hugepages,
# and is stopped by its PID.
#
#	sd_begin NAME STORM IKEFARMD   # a storm test's start: sd_need_root, sd_workdir
#	                               # storm-NAME; sets storm, daemon (the binaries), run (SD_DIR)
#	sd_need_root                   # exit 77 (skip, said) unless root
#	sd_workdir NAME                # SD_DIR: a new /tmp/NAME.XXXXXX; on exit every
#	                               # daemon sd_start started is stopped, SD_DIR removed
#	sd_free_port 5600              # prints a port P with P and P+1 free
#	sd_users DIR N PSK             # DIR/credentials: client0@storm .. client<N-1>@storm
#	sd_config DIR [KEY_FILE]       # DIR/ikefarmd.conf
#	sd_option DIR SECTION KEY VAL  # sets one option of DIR/ikefarmd.conf
#	sd_start BIN DIR PORT          # sets SD_PID, SD_PREFIX; waits for telemetry
#	                               # (workers: EAL -l $SD_LCORES, default 0-1;
#	                               # more EAL options: $SD_EAL_EXTRA, split on spaces)
#	sd_stat NAME                   # a counter of /ikefarm/stats or /ikefarm/runtime
#	sd_stats_nonzero               # every nonzero counter of both
#	sd_stop [PID PREFIX]           # SIGTERM by PID, SIGKILL after 5 s (default: the last)
#	                               # (any other process: stop_pid, tests/lib/stop_pid.sh)

SD_PID=
SD_PREFIX=
SD_DIR=
SD_STARTED=() # PID:PREFIX of every daemon running that sd_start started
SD_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/stop_pid.sh
. "$SD_TOP/tests/lib/stop_pid.sh"

# In the script's own shell (sd_workdir sets the EXIT trap).
sd_begin()
{
	# shellcheck disable=SC2034 # storm, daemon, run: the calling test's
	storm=$2 daemon=$3
	sd_need_root
	sd_workdir "storm-$1"
	# shellcheck disable=SC2034
	run=$SD_DIR
}

sd_need_root()
{
	[ "$(id -u)" = 0 ] && return 0
	echo "SKIP: needs root (DPDK telemetry under /var/run/dpdk)"
	exit 77
}

# Call it in the script's own shell, not in $(...): it sets the EXIT trap.
sd_workdir()
{
	SD_DIR=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
	trap 'sd_stop_all; rm -rf "$SD_DIR"' EXIT
}

sd_port_free()
{
	[ -z "$(ss -Hlun "sport = :$1" 2>/dev/null)" ]
}

sd_free_port()
{
	local p

	for p in $(seq "$1" 2 $(($1 + 200))); do
		if sd_port_free "$p" && sd_port_free $((p + 1)); then
			echo "$p"
			return 0
		fi
	done
	return 1
}

sd_users()
{
	local dir=$1 n=$2 psk=$3

	awk -v n="$n" -v psk="$psk" \
		'BEGIN { for (i = 0; i < n; i++) printf "email client%d@storm \"%s\"\n", i, psk }' \
		>"$dir/credentials"
	chmod 600 "$dir/credentials"
}

# The default config with [auth] credentials set, [tickets] on, and a key file if given.
sd_config()
{
	local dir=$1 keys=${2:-}

	awk -v keys="$keys" '
		/^\[/ { sec = $0 }
		sec == "[auth]" && /^credentials[ \t]*=/ { print "credentials = credentials"; next }
		sec == "[tickets]" && /^lifetime_s[ \t]*=[ \t]*0[ \t]*$/ { print "lifetime_s = 3600"; next }
		sec == "[tickets]" && /^key_file[ \t]*=/ && keys != "" { print "key_file = " keys; next }
		{ print }
	' "$SD_TOP/config/ikefarm.conf" >"$dir/ikefarmd.conf"
}

# Replaces the value of KEY in [SECTION] of DIR/ikefarmd.conf (the key must be there).
sd_option()
{
	local dir=$1 sec=$2 key=$3 val=$4

	awk -v sec="[$sec]" -v key="$key" -v val="$val" '
		/^\[/ { cur = $0 }
		cur == sec && $0 ~ "^" key "[ \t]*=" { print key " = " val; found = 1; next }
		{ print }
		END { exit !found }
	' "$dir/ikefarmd.conf" >"$dir/ikefarmd.conf.new" && mv "$dir/ikefarmd.conf.new" "$dir/ikefarmd.conf"
}

# A ticket key file (config/ticket-keys.example format) valid from an hour ago for a day.
sd_keyfile()
{
	local now

	now=$(date +%s)
	printf '%s %s %s %s\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" \
		$((now - 3600)) $((now + 86400)) \
		"$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" >"$1"
	chmod 600 "$1"
}

sd_start()
{
	local bin=$1 dir=$2 port=$3

	SD_PREFIX=ikefarm-storm-$$-$port
	# shellcheck disable=SC2086 # SD_EAL_EXTRA: options, one per word
	"$bin" -l "${SD_LCORES:-0-1}" ${SD_EAL_EXTRA:-} --no-huge --no-pci -m 1024 --file-prefix="$SD_PREFIX" -- \
		-f "$dir/ikefarmd.conf" --listen 127.0.0.1 --port "$port" \
		--natt-port $((port + 1)) >"$dir/ikefarmd-$port.log" 2>&1 &
	SD_PID=$!
	SD_STARTED+=("$SD_PID:$SD_PREFIX")
	for _ in $(seq 100); do
		if ! kill -0 "$SD_PID" 2>/dev/null; then
			echo "ikefarmd exited:" >&2
			tail -n 20 "$dir/ikefarmd-$port.log" >&2
			SD_PID=
			return 1
		fi
		sd_stat shards >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "ikefarmd telemetry not ready after 10 s" >&2
	return 1
}

sd_tel()
{
	echo "/var/run/dpdk/$SD_PREFIX/dpdk_telemetry.v2"
}

sd_stat()
{
	python3 "$SD_TOP/tests/interop/telemetry.py" get "$(sd_tel)" /ikefarm/stats /ikefarm/runtime |
		awk -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }'
}

# Every nonzero counter of /ikefarm/stats and /ikefarm/runtime, for a failure's diagnosis.
sd_stats_nonzero()
{
	python3 "$SD_TOP/tests/interop/telemetry.py" get "$(sd_tel)" /ikefarm/stats /ikefarm/runtime |
		awk '$2 != 0'
}

sd_stop()
{
	local pid=${1:-$SD_PID} prefix=${2:-$SD_PREFIX} i

	[ -n "$pid" ] || return 0
	stop_pid "$pid" ikefarmd
	[ -n "$prefix" ] && rm -rf "/var/run/dpdk/$prefix"
	for i in "${!SD_STARTED[@]}"; do
		[ "${SD_STARTED[$i]%%:*}" = "$pid" ] && unset 'SD_STARTED[i]'
	done
	[ "$pid" = "$SD_PID" ] && SD_PID=
	return 0
}

sd_stop_all()
{
	local d

	for d in "${SD_STARTED[@]}"; do
		sd_stop "${d%%:*}" "${d#*:}"
	done
}
