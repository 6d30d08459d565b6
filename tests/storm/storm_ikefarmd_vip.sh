#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# storm --vip against two gateways of one farm (docs/protocol.md "Virtual
# IPs"): the same ticket keys and [pool] v4, members 1/2 and 2/2. Every
# client asks for an address in IKE_AUTH (CP CFG_REQUEST) on gateway A, then
# resumes on gateway B with its ticket (A still has the old SAs). Checks:
# every handshake and every resumption got an address (storm fails one
# that did not), A gave N new leases from its half, B honoured N foreign
# leases from the tickets and gave no new one.
# Usage: storm_ikefarmd_vip.sh STORM_BINARY IKEFARMD_BINARY
set -u

# shellcheck source=storm_daemon.sh
. "$(dirname "$0")/storm_daemon.sh"
sd_begin vip "$@"

N=300
PSK=storm-vip-test-psk
sd_keyfile "$run/ticket.keys"
for g in a b; do
	mkdir "$run/$g"
	sd_users "$run/$g" "$N" "$PSK"
	sd_config "$run/$g" "$run/ticket.keys"
	# 10.98.0.0/21: 2046 addresses, 1023 per member, split again per worker.
	sd_option "$run/$g" pool v4 10.98.0.0/21 && sd_option "$run/$g" pool dns 10.99.0.53 ||
		{ echo "FAIL: no [pool] in config/ikefarm.conf"; exit 1; }
done
sd_option "$run/a" pool member 1/2
sd_option "$run/b" pool member 2/2

port_a=$(sd_free_port 5640) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run/a" "$port_a" || { echo "FAIL: ikefarmd A"; exit 1; }
PID_A=$SD_PID PREFIX_A=$SD_PREFIX
port_b=$(sd_free_port $((port_a + 2))) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run/b" "$port_b" || { echo "FAIL: ikefarmd B"; exit 1; }
PID_B=$SD_PID PREFIX_B=$SD_PREFIX

timeout 60 "$storm" --target "127.0.0.1:$port_a" --resume-target "127.0.0.1:$port_b" \
	--clients "$N" --psk "$PSK" --vip --scenario full,resume --out "$run/vip" --quiet ||
	{ echo "FAIL: storm exited $?"; exit 1; }
python3 - "$run/vip/storm.json" "$N" <<'PY' || { echo "FAIL: storm phases"; exit 1; }
import json, sys
phases = json.load(open(sys.argv[1]))["phases"]
n = int(sys.argv[2])
ok = [p["name"] for p in phases] == ["full", "resume"]
for p in phases:
    good = p["completed"] == n and p["failed"] == 0 and p["fallback_full"] == 0
    ok &= good
    print(("ok" if good else "BAD") + ": %s" % {k: p[k] for k in p if not isinstance(p[k], list)})
sys.exit(0 if ok else 1)
PY
SD_PREFIX=$PREFIX_A
a_new=$(sd_stat cp_lease_new) || { echo "FAIL: no cp_lease_new on A"; exit 1; }
SD_PREFIX=$PREFIX_B
b_foreign=$(sd_stat cp_lease_resumed_foreign) || { echo "FAIL: no counter on B"; exit 1; }
b_new=$(sd_stat cp_lease_new)
echo "A: cp_lease_new $a_new; B: cp_lease_resumed_foreign $b_foreign, cp_lease_new $b_new"
[ "$a_new" = "$N" ] && [ "$b_foreign" = "$N" ] && [ "$b_new" = 0 ] ||
	{ echo "FAIL: want A $N new leases, B $N foreign and 0 new"; exit 1; }
echo "PASS: $N virtual IPs from gateway A's half, the same $N honoured on gateway B"
