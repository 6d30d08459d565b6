#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts ikefarmd with its
# default configuration on a free high port of 127.0.0.1 (no hugepages),
# runs a short storm against it (full handshakes with tickets, then a mass
# resumption of every client, RFC 5723), prints the storm's table and the
# daemon's key counters, and stops the daemon by its PID.
# Environment: STORM_CLIENTS (default 2000), IKEFARM_BUILD (build directory,
# default build). Exit status non-zero on failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
IKEFARM_NO_PEERS=1 "$top/scripts/install-deps.sh"
bdir=${IKEFARM_BUILD:-build}
"$top/scripts/build.sh" "$bdir"
# shellcheck source=../tests/storm/storm_daemon.sh
. "$top/tests/storm/storm_daemon.sh"

clients=${STORM_CLIENTS:-2000}
psk=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
sd_workdir ikefarm-run
run=$SD_DIR

port=$(sd_free_port 5600) || { echo "run.sh: no free UDP port pair in 5600-5800" >&2; exit 1; }
sd_users "$run" "$clients" "$psk"
sd_config "$run"
sd_start "$top/$bdir/app/ikefarmd/ikefarmd" "$run" "$port" ||
	{ echo "run.sh: ikefarmd did not start" >&2; exit 1; }
echo "ikefarmd: pid $SD_PID, 127.0.0.1:$port, $clients users, tickets on"

"$top/$bdir/app/storm/storm" --target "127.0.0.1:$port" --clients "$clients" --psk "$psk" \
	--scenario full,resume --window 128 --timeout 10000 --out "$top/$bdir/run-storm"

echo
echo "ikefarmd counters (/ikefarm/stats):"
for k in init_ok auth_ok ticket_issued resume_accepted resume_ok child_installed \
	cookie_sent ike_sas half_open; do
	printf '  %-16s %s\n' "$k" "$(sd_stat "$k" || echo '?')"
done

python3 - "$top/$bdir/run-storm/storm.json" "$clients" <<'PY'
import json, sys
phases = json.load(open(sys.argv[1]))["phases"]
n = int(sys.argv[2])
bad = [p["name"] for p in phases if p["completed"] != n or p["failed"] != 0]
if bad:
    print("run.sh: FAILED: phases not fully completed: %s" % ", ".join(bad))
    sys.exit(1)
print("run.sh: OK: %d full handshakes and %d resumptions completed" % (n, n))
PY
rc=$?
if [ -f "$top/$bdir/run-storm/storm.png" ]; then
	echo "run.sh: plot of rate and latency over time: $top/$bdir/run-storm/storm.png"
fi
exit $rc
