# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/stop_pid.sh: stop one process by its PID (sourced by the interop,
# storm and wireshark test libraries and bench/run_storm_bench.sh).
#
#	stop_pid PID [NAME]  # SIGTERM, SIGKILL after 5 s (said on stderr, with NAME),
#	                     # then reaps it when it is this shell's child;
#	                     # STOP_PID_STATUS: wait's status (its exit status). Returns 0.

# shellcheck disable=SC2034 # STOP_PID_STATUS is read by the callers
STOP_PID_STATUS=

# shellcheck disable=SC2034
stop_pid()
{
	local pid=$1 name=${2:-process}

	STOP_PID_STATUS=
	[ -n "$pid" ] || return 0
	# "|| true": callers may run under set -e, the process may be gone.
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "stop_pid: $name (pid $pid) ignored SIGTERM for 5 s: SIGKILL" >&2
		kill -9 "$pid" 2>/dev/null || true
	fi
	STOP_PID_STATUS=0
	wait "$pid" 2>/dev/null || STOP_PID_STATUS=$?
	return 0
}
