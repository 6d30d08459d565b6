#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Draw one bench/run_storm_bench.sh run: its rows side by side.

  plot.py OUTDIR

Reads OUTDIR/results.json (rows 1-3), OUTDIR/flood/*.json (row 4) and
OUTDIR/results-ethdev.json (rows 5-6) where present, writes OUTDIR/bench.dat
and OUTDIR/bench.gp, and runs gnuplot to draw OUTDIR/bench.png: operations
per second, responder CPU per operation (log scales) and, for the flood
row, the share of legitimate operations that completed.
"""
import json
import os
import subprocess
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def rows_of(d):
    rows = []
    res = load(os.path.join(d, "results.json")) or {}
    for key, label in (("strongswan_full", "1 strongSwan full"),
                       ("ikefarmd_full", "2 ikefarmd full"),
                       ("ikefarmd_resume", "3 ikefarmd resume")):
        r = res.get(key) or {}
        if r.get("rate_per_s"):
            rows.append((label, r["rate_per_s"], (r.get("cpu_ms_per_op") or 0) * 1000))
    eth = load(os.path.join(d, "results-ethdev.json")) or {}
    for key, n in (("one_worker", "5 ethdev 1w"), ("two_workers", "6 ethdev 2w")):
        for op in ("full", "resume"):
            r = (eth.get(key) or {}).get(op) or {}
            if r.get("rate_per_s"):
                rows.append(("%s %s" % (n, op), r["rate_per_s"],
                             (r.get("cpu_ms_per_op") or 0) * 1000))
    flood = []
    for op in ("resume", "full"):
        r = load(os.path.join(d, "flood", op + ".json"))
        if r:
            flood.append(("4 flood %s" % op, 100 * r["success_rate"], r["p99_ms"]))
    return rows, flood


GP = """set terminal pngcairo size 1500,520 font ",10"
set output "bench.png"
set multiplot layout 1,{panels} title "ikefarm bench: {title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -35 noenhanced
set grid ytics
set key off
set logscale y
set title "operations per second (log)"
plot "bench.dat" index 0 using 2:xtic(1) linecolor rgb "#3a7bd5"
set title "responder CPU per operation, us (log)"
plot "bench.dat" index 0 using 3:xtic(1) linecolor rgb "#d5573a"
{flood}unset multiplot
"""

FLOOD = """unset logscale y
set yrange [0:105]
set title "row 4: completed inside a 10x half-open flood, %"
plot "bench.dat" index 1 using 2:xtic(1) linecolor rgb "#3ad57b"
"""


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    d = argv[1]
    rows, flood = rows_of(d)
    if not rows:
        print("plot.py: no rows in %s" % d)
        return 1
    with open(os.path.join(d, "bench.dat"), "w") as f:
        f.write("# row ops_per_s cpu_us_per_op\n")
        for r in rows:
            f.write('"%s" %.3f %.3f\n' % r)
        f.write("\n\n# row completed_percent p99_ms\n")
        for r in flood or [("4 flood", 0, 0)]:
            f.write('"%s" %.3f %.3f\n' % r)
    res = load(os.path.join(d, "results.json")) or {}
    title = "%s, %s CPUs, %s" % (res.get("cpu_model", "?"), res.get("cpus", "?"),
                                 res.get("date", ""))
    with open(os.path.join(d, "bench.gp"), "w") as f:
        f.write(GP.format(panels=3 if flood else 2, title=title.replace('"', "'"),
                          flood=FLOOD if flood else ""))
    try:
        subprocess.run(["gnuplot", "bench.gp"], cwd=d, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("plot.py: gnuplot failed (%s); data in %s/bench.dat" % (e, d))
        return 1
    print("plot: %s" % os.path.join(d, "bench.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
