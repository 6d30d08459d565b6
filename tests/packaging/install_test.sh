#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `meson install` into a staging root: the binaries, the default config under
# the sysconfdir, the service unit and its defaults file, the man pages and
# the docs are there; the unit passes `systemd-analyze verify` (its commands
# exist and its man pages resolve, paths moved into the staging root); the
# man pages render without warnings; and the daemon starts exactly as the
# unit starts it (ExecStartPre check, then EAL args from the defaults file,
# fixed file prefix), answers telemetry and stops on SIGTERM.
# Usage: install_test.sh BUILD_DIR
set -u
build=$1
root=$(mktemp -d /tmp/ikefarm-install.XXXXXX) || exit 1
pid=
cleanup()
{
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$root" "/var/run/dpdk/ikefarmd-install-$$"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

DESTDIR=$root meson install -C "$build" --no-rebuild --quiet >"$root.log" 2>&1 ||
	{ cat "$root.log"; rm -f "$root.log"; fail "meson install"; }
rm -f "$root.log"
prefix=$(meson introspect --buildoptions "$build" |
	python3 -c 'import json,sys; print({o["name"]: o["value"] for o in json.load(sys.stdin)}["prefix"])')
unit=$(find "$root" -name ikefarmd.service | head -1)
sbin=$(find "$root" -path '*/sbin/ikefarmd' | head -1)
conf=$(find "$root" -path '*/ikefarm/ikefarm.conf' | head -1)
[ -n "$unit" ] && [ -n "$sbin" ] && [ -n "$conf" ] || fail "unit, daemon or config not installed"
for f in bin/storm sbin/ikefarmctl share/man/man8/ikefarmd.8 share/man/man8/ikefarmctl.8 \
	share/man/man5/ikefarm.conf.5 share/man/man1/storm.1 \
	share/doc/ikefarm/operating.md share/doc/ikefarm/examples/credentials.example; do
	[ -e "$root$prefix/$f" ] || fail "$prefix/$f not installed"
done
echo "installed: $(find "$root" -type f | wc -l) files under $prefix, unit $(basename "$unit")"

export MANPATH=$root$prefix/share/man
for m in "$MANPATH"/man*/*; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "man $(basename "$m"): $w"
done

if command -v systemd-analyze >/dev/null; then
	staged=$root/ikefarmd.service
	sed -e "s#$prefix/#$root$prefix/#g" -e "s#EnvironmentFile=-/#EnvironmentFile=-$root/#" \
		"$unit" >"$staged"
	out=$(systemd-analyze verify "$staged" 2>&1) || fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
	echo "systemd-analyze verify: clean"
else
	echo "systemd-analyze not installed: unit not verified"
fi

# Start it the way the unit does: ExecStartPre, then ExecStart with the
# defaults file's EAL args (on a high port: 500 may be taken on a test box).
eal=$(sed -n 's/^IKEFARMD_EAL_ARGS="\(.*\)"$/\1/p' "$(find "$root" -path '*/default/ikefarmd')")
[ -n "$eal" ] || fail "no IKEFARMD_EAL_ARGS in the defaults file"
# shellcheck disable=SC2086
"$sbin" $eal -- --check-config -f "$conf" >/dev/null ||
	fail "ExecStartPre: --check-config refused the installed config"
prefix_eal=ikefarmd-install-$$
# shellcheck disable=SC2086
"$sbin" $eal -l 0 --file-prefix="$prefix_eal" -- -f "$conf" --listen 127.0.0.1 \
	--port 5851 --natt-port 0 >"$root/daemon.log" 2>&1 &
pid=$!
sock=/var/run/dpdk/$prefix_eal/dpdk_telemetry.v2
top=$(cd "$(dirname "$0")/../.." && pwd)
for _ in $(seq 100); do
	kill -0 "$pid" 2>/dev/null || { tail "$root/daemon.log"; fail "daemon exited"; }
	python3 "$top/tests/interop/telemetry.py" get "$sock" /ikefarm/stats 2>/dev/null |
		grep -q '^shards 1$' && break
	sleep 0.1
done
python3 "$top/tests/interop/telemetry.py" get "$sock" /ikefarm/stats | grep -q '^shards 1$' ||
	fail "no telemetry from the installed daemon"
# The installed control CLI finds it by its prefix (and by itself when it is the only one).
"$(dirname "$sbin")/ikefarmctl" --file-prefix "$prefix_eal" stats | grep -q '^shards  *1$' ||
	fail "installed ikefarmctl stats"
kill "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "daemon exited $rc on SIGTERM"
echo "PASS: installed tree complete, unit verified, daemon started as the unit starts it"
