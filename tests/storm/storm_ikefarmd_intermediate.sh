#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# storm against ikefarmd with RFC 9242 IKE_INTERMEDIATE and RFC 9370
# additional key exchanges: every client offers ADDKE1 = ECP-256 and
# ADDKE2 = MODP-2048 and runs one empty IKE_INTERMEDIATE after them, so each
# handshake is IKE_SA_INIT, three IKE_INTERMEDIATE (two with a key
# exchange, each under the keys the one before produced), then IKE_AUTH
# with IntAuth. Every handshake must complete; the daemon's counters must
# show the exchanges.
#	storm_ikefarmd_intermediate.sh STORM IKEFARMD
set -u

# shellcheck source=storm_daemon.sh
. "$(dirname "$0")/storm_daemon.sh"
sd_begin intermediate "$@"

N=100
PSK=storm-intermediate-test-psk
PROPOSAL=aes256gcm16-prfsha256-x25519-ke1_ecp256-ke2_modp2048
sd_users "$run" "$N" "$PSK"
sd_config "$run"
sd_option "$run" ike proposals "$PROPOSAL, default" ||
	printf '[ike]\nproposals = %s, default\n' "$PROPOSAL" >>"$run/ikefarmd.conf"
port=$(sd_free_port 5680) || { echo "FAIL: no free port"; exit 1; }
sd_start "$daemon" "$run" "$port" || { echo "FAIL: ikefarmd"; exit 1; }
timeout 60 "$storm" --target "127.0.0.1:$port" --clients "$N" --psk "$PSK" \
	--scenario full --proposal "$PROPOSAL" --intermediate 1 --out "$run/out" --quiet ||
	{ echo "FAIL: storm exited $?"; sd_stats_nonzero; exit 1; }
python3 - "$run/out/storm.json" "$N" <<'PY' || { echo "FAIL: storm report"; sd_stats_nonzero; exit 1; }
import json, sys
p = json.load(open(sys.argv[1]))["phases"][0]
n = int(sys.argv[2])
print({k: p[k] for k in ("name", "started", "completed", "failed", "failures")})
sys.exit(0 if p["completed"] == n and p["failed"] == 0 else 1)
PY
rc=0
for want in "intermediate_ok $((3 * N))" "intermediate_addke_ok $((2 * N))" "auth_ok $N"; do
	set -- $want
	got=$(sd_stat "$1") || got=none
	if [ "$got" = "$2" ]; then echo "ok: $1 = $got"; else echo "FAIL: $1 = $got, want $2"; rc=1; fi
done
for zero in auth_failed intermediate_addke_bad_ke intermediate_not_negotiated drop_icv_mismatch; do
	got=$(sd_stat "$zero") || got=none
	if [ "$got" = 0 ]; then echo "ok: $zero = 0"; else echo "FAIL: $zero = $got"; rc=1; fi
done
exit $rc
