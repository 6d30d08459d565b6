#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/storm/plot.py on a made-up run folder: it must draw bench.png (a
# real PNG) with every row of results.json, results-ethdev.json and the
# flood files in bench.dat, and refuse a folder with no rows.
# Usage: bench_plot.sh TOP
set -u
top=$1
d=$(mktemp -d /tmp/ikefarm-bench-plot.XXXXXX) || exit 1
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/flood"
cat >"$d/results.json" <<'J'
{"date": "test", "cpu_model": "test CPU", "cpus": 2,
 "strongswan_full": {"rate_per_s": 1500, "cpu_ms_per_op": 0.6},
 "ikefarmd_full": {"rate_per_s": 5000, "cpu_ms_per_op": 0.11},
 "ikefarmd_resume": {"rate_per_s": 40000, "cpu_ms_per_op": 0.02}}
J
echo '{"one_worker": {"full": {"rate_per_s": 3500, "cpu_ms_per_op": 0.1}, "resume": {"rate_per_s": 20000, "cpu_ms_per_op": 0.017}}}' >"$d/results-ethdev.json"
echo '{"success_rate": 1.0, "p99_ms": 160}' >"$d/flood/resume.json"
python3 "$top/bench/storm/plot.py" "$d" || { echo "FAIL: plot.py"; exit 1; }
[ "$(head -c 4 "$d/bench.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] ||
	{ echo "FAIL: bench.png is not a PNG"; exit 1; }
n=$(grep -c '^"' "$d/bench.dat")
[ "$n" -eq 6 ] || { echo "FAIL: $n rows in bench.dat, want 6"; cat "$d/bench.dat"; exit 1; }
e=$(mktemp -d /tmp/ikefarm-bench-plot.XXXXXX)
if python3 "$top/bench/storm/plot.py" "$e" >/dev/null; then
	rm -rf "$e"
	echo "FAIL: an empty folder drew a plot"
	exit 1
fi
rm -rf "$e"
echo "PASS: bench.png with 6 rows"
