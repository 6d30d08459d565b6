#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ikefarmd's log lines reach syslog(3) with the right facility, severity and
# tag. The machine may have no /dev/log (containers), and the test must not
# make one there: it re-runs itself in a mount namespace of its own, mounts
# a tmpfs over /dev there (the device nodes a daemon needs bound in from the
# real /dev), and runs a real rsyslogd on that /dev/log, writing
# "facility.severity tag message" lines to a file. Then:
#  - ikefarmd (EAL defaults) and one storm handshake: the "event established"
#    line arrives as daemon.notice from ikefarmd[PID], the start banner too;
#  - reload-creds, good then with a bad credentials line: its two answer
#    lines as two daemon.notice records, the failure as daemon.err;
#  - ikefarmd with EAL --syslog local3: its event lines arrive as local3;
#  - ikefarmd whose stderr is "the journal" (JOURNAL_STREAM names it, as
#    systemd does): its lines go to syslog only, not twice into the journal.
# Usage: ikefarmd_syslog.sh STORM IKEFARMD IKEFARMCTL
set -u

if [ "${IKEFARM_SYSLOG_NS:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root for a private mount namespace (unshare -m)"
		exit 77
	fi
	command -v rsyslogd >/dev/null ||
		{ echo "FAIL: no rsyslogd (scripts/install-deps.sh installs rsyslog)"; exit 1; }
	IKEFARM_SYSLOG_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi

storm=$1
bin=$2
ctlpy=$3
. "$(dirname "$0")/storm_daemon.sh"

psk=syslog-psk-0123456789abcdef
dir=$(mktemp -d /tmp/ikefarmd-syslog.XXXXXX) || exit 1
rsyslog_pid=
cleanup()
{
	sd_stop
	[ -n "$rsyslog_pid" ] && kill "$rsyslog_pid" 2>/dev/null && wait "$rsyslog_pid"
	# The real /dev was bound under $dir only for a moment; never follow a mount.
	mountpoint -q "$dir/realdev" && umount "$dir/realdev"
	rm -rf --one-file-system "$dir"
}
trap cleanup EXIT
fail()
{
	echo "FAIL: $*"
	[ -f "$dir/syslog.log" ] && tail -n 20 "$dir/syslog.log"
	[ -n "${port:-}" ] && [ -f "$dir/ikefarmd-$port.log" ] && tail -n 20 "$dir/ikefarmd-$port.log"
	exit 1
}

# This namespace's /dev: a tmpfs with the real nodes bound in, and its own /dev/log.
mkdir "$dir/realdev" && mount --bind /dev "$dir/realdev" || fail "cannot bind /dev"
mount -t tmpfs -o mode=755,size=1m ikefarm-syslog-dev /dev || fail "cannot mount a tmpfs on /dev"
for n in null zero full random urandom; do
	touch "/dev/$n" && mount --bind "$dir/realdev/$n" "/dev/$n" || fail "cannot bind /dev/$n"
done
umount "$dir/realdev" && rmdir "$dir/realdev" || fail "cannot unbind the real /dev"
mkdir /dev/shm /dev/pts && mount -t tmpfs -o mode=1777 ikefarm-syslog-shm /dev/shm ||
	fail "no /dev/shm"
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr

cat >"$dir/rsyslog.conf" <<END
global(workDirectory="$dir")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="ikefarm" type="string"
	 string="%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
*.* action(type="omfile" file="$dir/syslog.log" template="ikefarm")
END
rsyslogd -N1 -f "$dir/rsyslog.conf" >"$dir/rsyslog-check.log" 2>&1 ||
	fail "rsyslog.conf: $(cat "$dir/rsyslog-check.log")"
rsyslogd -n -f "$dir/rsyslog.conf" -i "$dir/rsyslogd.pid" >"$dir/rsyslogd.log" 2>&1 &
rsyslog_pid=$!
for _ in $(seq 50); do
	[ -S /dev/log ] && break
	sleep 0.1
done
[ -S /dev/log ] || fail "rsyslogd made no /dev/log: $(cat "$dir/rsyslogd.log")"
logger -t ikefarm-syslog-test "ready"
for _ in $(seq 50); do
	grep -q "ikefarm-syslog-test.*ready" "$dir/syslog.log" 2>/dev/null && break
	sleep 0.1
done
grep -q "^user.notice ikefarm-syslog-test: ready$" "$dir/syslog.log" ||
	fail "logger's line did not arrive as user.notice"

# Waits up to 5 s for an extended regex in the syslog file.
wait_syslog()
{
	for _ in $(seq 50); do
		grep -Eq "$1" "$dir/syslog.log" && return 0
		sleep 0.1
	done
	return 1
}

# 1. EAL defaults: facility daemon, tag ikefarmd[PID].
port=$(sd_free_port 5860) || fail "no free UDP port pair"
sd_users "$dir" 2 "$psk"
sd_config "$dir"
sd_start "$bin" "$dir" "$port" || fail "daemon did not start"
pid=$SD_PID
timeout 30 "$storm" --target "127.0.0.1:$port" --clients 1 --psk "$psk" --quiet \
	--out "$dir/storm" >/dev/null 2>&1 || fail "storm exited $?"
tag="ikefarmd\\[$pid\\]:"
wait_syslog "^daemon\\.notice $tag ikefarm: event established: shard [0-9]+ peer 127\\.0\\.0\\.1\\[[0-9]+\\] IDi email:client0@storm .*proposal " ||
	fail "no daemon.notice 'event established' line from ikefarmd[$pid]"
grep -Eq "^daemon\\.notice $tag ikefarm: listening on 127\\.0\\.0\\.1 UDP port $port" \
	"$dir/syslog.log" || fail "no start banner in syslog"
grep -q "^daemon\\.notice $tag ikefarm: event established" "$dir/ikefarmd-$port.log" &&
	fail "syslog's prefix in the daemon's stdout"

# 2. reload-creds: one record per answer line; a failure is an error.
ctl()
{
	python3 "$ctlpy" --file-prefix "$SD_PREFIX" "$@"
}
ctl reload-creds >/dev/null || fail "reload-creds"
wait_syslog "^daemon\\.notice $tag ikefarm: credentials reloaded from $dir/credentials: 2 users kept, 0 added, 0 removed$" ||
	fail "no daemon.notice 'credentials reloaded' record"
wait_syslog "^daemon\\.notice $tag ikefarm: proposals unchanged in $dir/ikefarmd.conf$" ||
	fail "no daemon.notice 'proposals unchanged' record"
echo "bogus" >>"$dir/credentials"
ctl reload-creds >/dev/null 2>&1 && fail "a bad credentials line was accepted"
wait_syslog "^daemon\\.err $tag ikefarm: reload-creds failed: $dir/credentials:3: " ||
	fail "no daemon.err 'reload-creds failed' record"
sd_stop

# 3. EAL --syslog local3.
sd_users "$dir" 2 "$psk"
port=$(sd_free_port $((port + 2))) || fail "no free UDP port pair"
SD_EAL_EXTRA="--syslog local3" sd_start "$bin" "$dir" "$port" || fail "daemon did not start"
pid=$SD_PID
timeout 30 "$storm" --target "127.0.0.1:$port" --clients 1 --psk "$psk" --quiet \
	--out "$dir/storm3" >/dev/null 2>&1 || fail "storm exited $?"
wait_syslog "^local3\\.notice ikefarmd\\[$pid\\]: ikefarm: event established: .* IDi email:client0@storm " ||
	fail "no local3.notice 'event established' line from ikefarmd[$pid]"
grep -q "^daemon\\..* ikefarmd\\[$pid\\]:" "$dir/syslog.log" && fail "ikefarmd[$pid] logged as daemon"
sd_stop

# 4. Under systemd: stderr is the journal, which reads /dev/log as well.
port=$(sd_free_port $((port + 2))) || fail "no free UDP port pair"
: >"$dir/ikefarmd-$port.log"
JOURNAL_STREAM=$(stat -c %d:%i "$dir/ikefarmd-$port.log") sd_start "$bin" "$dir" "$port" ||
	fail "daemon did not start"
pid=$SD_PID
timeout 30 "$storm" --target "127.0.0.1:$port" --clients 1 --psk "$psk" --quiet \
	--out "$dir/storm4" >/dev/null 2>&1 || fail "storm exited $?"
wait_syslog "^daemon\\.notice ikefarmd\\[$pid\\]: ikefarm: event established: .* IDi email:client0@storm " ||
	fail "no 'event established' line from ikefarmd[$pid] under JOURNAL_STREAM"
grep -q "ikefarm: \\(listening\\|event established\\)" "$dir/ikefarmd-$port.log" &&
	fail "under JOURNAL_STREAM the lines still go to stderr (twice into the journal)"
echo "PASS: event lines in syslog as daemon.notice (and local3 with --syslog), errors as daemon.err," \
	"tag ikefarmd[PID], once under systemd: $(grep -c "ikefarmd\\[" "$dir/syslog.log") records"
