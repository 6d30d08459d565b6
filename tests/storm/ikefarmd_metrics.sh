#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The metrics endpoint: ikefarmd with [metrics] listen on 127.0.0.1, a small
# storm of full handshakes, then GET /metrics parsed with the Prometheus
# client's own text parser (python3-prometheus-client): the counters summed
# over the workers equal /ikefarm/stats, the SA gauge counts the storm's
# SAs, and the burst-time histogram is cumulative and counted every burst.
# Telemetry's counter endpoints (/ikefarm/stats, /ikefarm/runtime) show
# exactly the values the scrape does: none lost to a telemetry limit.
# Usage: ikefarmd_metrics.sh STORM IKEFARMD
set -u

storm=$1
bin=$2
. "$(dirname "$0")/storm_daemon.sh"

sd_workdir ikefarmd-metrics
dir=$SD_DIR
port=$(sd_free_port 5720) || { echo "FAIL: no free UDP port pair"; exit 1; }
mport=$((port + 9000))
sd_users "$dir" 40 metrics-psk-0123456789abcdef
sd_config "$dir"
sd_option "$dir" metrics listen "127.0.0.1:$mport" || { echo "FAIL: no [metrics] listen"; exit 1; }
sd_start "$bin" "$dir" "$port" || { echo "FAIL: daemon did not start"; exit 1; }

timeout 60 "$storm" --target "127.0.0.1:$port" --clients 40 \
	--psk metrics-psk-0123456789abcdef --out "$dir/storm" --quiet ||
	{ echo "FAIL: storm exited $?"; exit 1; }
python3 "$SD_TOP/tests/interop/telemetry.py" get "$(sd_tel)" /ikefarm/stats /ikefarm/runtime \
	>"$dir/stats.txt"
python3 "$SD_TOP/tests/interop/telemetry.py" get "$(sd_tel)" /ikefarm/shard,1 /ikefarm/runtime,1 \
	>"$dir/shard1.txt"

/usr/bin/python3 - "$mport" "$dir/stats.txt" "$dir/shard1.txt" <<'PY'
import sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families

port, stats_file = sys.argv[1], sys.argv[2]
stats = dict(l.split() for l in open(stats_file) if len(l.split()) == 2)
shard1 = dict(l.split() for l in open(sys.argv[3]) if len(l.split()) == 2)
with urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=5) as r:
    ctype = r.headers["Content-Type"]
    text = r.read().decode()
fams = {f.name: f for f in text_string_to_metric_families(text)}
bad = []
if not ctype.startswith("text/plain; version=0.0.4"):
    bad.append("content type %r" % ctype)

def total(name):
    f = fams.get(name)
    return None if f is None else sum(s.value for s in f.samples if s.name.endswith("_total") or f.type == "gauge")

# Counters that only grow between the two reads must not be below telemetry's.
for k in ("init_ok", "auth_ok", "child_installed"):
    v = total("ikefarm_" + k)
    if v is None or v < int(stats[k]) or v < 40:
        bad.append("%s: metrics %s, telemetry %s" % (k, v, stats[k]))
# One telemetry dict holds 256 entries at most: a value past them would be
# missing here but not from the scrape, which has no such limit.
tel_names = set(stats) - {"shards"}
scraped = {n[len("ikefarm_"):] for n in fams} - {"info", "shards", "burst_seconds"}
if tel_names != scraped:
    bad.append("telemetry and metrics differ: only in telemetry %s, only in metrics %s" %
               (sorted(tel_names - scraped), sorted(scraped - tel_names)))
# One worker's answers (/ikefarm/shard,1 and /ikefarm/runtime,1): the same values.
if set(shard1) - {"shard", "lcore"} != tel_names or shard1.get("shard") != "1":
    bad.append("worker 1's telemetry differs: missing %s, extra %s" %
               (sorted(tel_names - set(shard1)), sorted(set(shard1) - tel_names - {"shard", "lcore"})))
sas = total("ikefarm_ike_sas")
if sas != 40:
    bad.append("ike_sas gauge %s, want 40" % sas)
h = fams.get("ikefarm_burst_seconds")
if h is None or h.type != "histogram":
    bad.append("no burst_seconds histogram")
else:
    for shard in {s.labels["shard"] for s in h.samples}:
        b = [s for s in h.samples if s.labels.get("shard") == shard and s.name.endswith("_bucket")]
        vals = [s.value for s in b]
        cnt = [s.value for s in h.samples if s.labels.get("shard") == shard and s.name.endswith("_count")][0]
        if vals != sorted(vals) or b[-1].labels["le"] != "+Inf" or vals[-1] != cnt:
            bad.append("shard %s histogram not cumulative or count mismatch" % shard)
    if sum(s.value for s in h.samples if s.name.endswith("_count")) < 1:
        bad.append("no burst observed")
print(("FAIL: " + "; ".join(bad)) if bad else
      "metrics: %d families, %d telemetry values, init_ok %d, ike_sas %d" %
      (len(fams), len(tel_names), total("ikefarm_init_ok"), sas))
sys.exit(1 if bad else 0)
PY
[ $? -eq 0 ] || exit 1
/usr/bin/python3 - "$mport" <<'PY' || exit 1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/nothing" % sys.argv[1], timeout=5)
    print("FAIL: /nothing answered 200"); sys.exit(1)
except urllib.error.HTTPError as e:
    if e.code != 404:
        print("FAIL: /nothing answered %d" % e.code); sys.exit(1)
PY
echo "PASS: /metrics parsed, agrees with telemetry; other paths 404"
