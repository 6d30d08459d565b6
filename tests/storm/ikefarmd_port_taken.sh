#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A second ikefarmd on the IKE port of a running one must refuse to start
# (exit non-zero, naming the port) instead of sharing it through
# SO_REUSEPORT; the first keeps serving: a storm against it completes.
# Usage: ikefarmd_port_taken.sh STORM IKEFARMD
set -u

storm=$1
bin=$2
. "$(dirname "$0")/storm_daemon.sh"

sd_workdir ikefarmd-port-taken
dir=$SD_DIR
port=$(sd_free_port 5700) || { echo "FAIL: no free UDP port pair"; exit 1; }
sd_users "$dir" 4 port-taken-psk-0123456789
sd_config "$dir"
sd_start "$bin" "$dir" "$port" || { echo "FAIL: first daemon did not start"; exit 1; }

timeout 30 "$bin" -l 0 --no-huge --no-pci -m 128 --file-prefix="ikefarm-second-$$" -- \
	-f "$dir/ikefarmd.conf" --listen 127.0.0.1 --port "$port" \
	--natt-port $((port + 1)) >"$dir/second.log" 2>&1
rc=$?
rm -rf "/var/run/dpdk/ikefarm-second-$$" # a prefix of our own: the daemon leaves it
if [ "$rc" -eq 0 ] || ! grep -q "UDP port $port (IKE) on 127.0.0.1: .*another process holds it" \
	"$dir/second.log"; then
	echo "FAIL: second daemon exited $rc; its log:"
	tail -n 20 "$dir/second.log"
	exit 1
fi
echo "second daemon refused (exit $rc): $(grep -o "UDP port $port.*" "$dir/second.log" | head -1)"

timeout 60 "$storm" --target "127.0.0.1:$port" --clients 4 --id-format 'client%u@storm' \
	--psk port-taken-psk-0123456789 --out "$dir/storm" --quiet ||
	{ echo "FAIL: storm against the first daemon exited $?"; exit 1; }
echo "PASS: port $port refused to a second daemon, the first still serves"
