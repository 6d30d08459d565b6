#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# storm against a real responder: Debian's strongSwan charon from
# tests/interop/conf/ss-responder (PSK, aes256gcm16-prfsha256-x25519, DoS
# protection off). 50 clients each do IKE_SA_INIT + IKE_AUTH with a first
# Child SA, then delete their IKE SA. The JSON result must say 50 completed
# and 0 failed for both phases, and charon must have ended with no IKE SA.
# Needs root (charon runs in its own mount namespace); exit 77 otherwise.
# Usage: storm_strongswan.sh STORM_BINARY
set -u

storm=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/interop/lib.sh
. "$here/../interop/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root"
	exit 77
fi
interop_setup || exit 1
out=$INTEROP_RUN/storm-out

port=
for p in 5740 5750 5760 5770; do
	if interop_port_free "$p" && interop_port_free "$((p + 1))"; then
		port=$p
		break
	fi
done
[ -n "$port" ] || { echo "FAIL: no free UDP port pair"; exit 1; }
interop_start_ss_responder "$port" psk || { echo "FAIL: strongSwan did not start"; exit 1; }

# The NAT-T port: charon expects the non-ESP marker there (storm's --marker
# auto), and kernel-libipsec only installs UDP-encapsulated Child SAs, so
# storm fakes a NAT (--encap).
timeout 60 "$storm" --target "127.0.0.1:$((port + 1))" --clients 50 \
	--psk "$INTEROP_PSK" --proposal aes256gcm16-prfsha256-x25519 \
	--esp-proposal aes256gcm16 --encap --scenario full,delete \
	--timeout 5000 --out "$out" --quiet || { echo "FAIL: storm exited $?"; exit 1; }

python3 - "$out/storm.json" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
ph = {p["name"]: p for p in r["phases"]}
ok = True
for name in ("full", "delete"):
    p = ph.get(name)
    good = p is not None and p["started"] == 50 and p["completed"] == 50 \
        and p["failed"] == 0 and p["failures"] == {}
    print(("PASS" if good else "FAIL") + ": %s: %s" % (name, p and
          {k: p[k] for k in ("started", "completed", "failed", "failures")}))
    ok &= good
lat = ph["full"]["latency_us"]
good = 0 < lat["min"] <= lat["p50"] <= lat["p99"] <= lat["max"]
print(("PASS" if good else "FAIL") + ": full latency ordered: %s" % lat)
ok &= good
sys.exit(0 if ok else 1)
PY
for f in summary.csv series-full.csv series-delete.csv storm.gp; do
	[ -s "$out/$f" ] || { echo "FAIL: $f missing"; exit 1; }
done
n=$(interop_sas responder | awk '$1 == "ike"' | wc -l)
[ "$n" -eq 0 ] || { echo "FAIL: charon still holds $n IKE SAs after delete"; exit 1; }
echo "PASS: storm against strongSwan"
exit 0
