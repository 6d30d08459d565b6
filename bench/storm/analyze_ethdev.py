#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Rows 5 and 6 of bench/run_storm_bench.sh: ikefarmd on the ethdev driver
(bench/storm/ethdev.sh), into OUTDIR/results-ethdev.json and the table.

  analyze_ethdev.py OUTDIR ROUNDDIR... [--two DIR]

ROUNDDIRs: 1-worker rounds, each with storm-ifd/ (full,resume), storm-lat/
(resume at 80 % of the peak), ifd-idle0/1.json and ifd-samples.jsonl, as
rows 2/3 have them; figures are medians over the rounds. DIR: the 2-worker
run (rates; CPU of the whole process, both workers). strongSwan's full
handshake CPU comes from row 1 (OUTDIR/results.json).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analyze import (cpu_s, fmt, ifd_phase, load, median_of, phase,  # noqa: E402
                     ratio, storm_row, window)

RESUME_WORKER_US = 8.0


def samples_of(d):
    with open(os.path.join(d, "ifd-samples.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def rows_of(d, which):
    """Full and resume rows of one run; which: the CPU of "main" (worker 0
    when it is the only one) or "proc" (every thread: 2 workers)."""
    i0, i1 = load(os.path.join(d, "ifd-idle0.json")), load(os.path.join(d, "ifd-idle1.json"))
    idle_loop_s = cpu_s(i0, i1, which) / max(1, i1["stats"]["loops"] - i0["stats"]["loops"])
    samples = samples_of(d)
    if which == "proc":
        # ifd_phase reads "main": let it read the whole process instead.
        for s in samples:
            s["main_run_s"], s["main_ticks"] = s.get("proc_run_s"), s["cpu_ticks"]
    storm = os.path.join(d, "storm-ifd/storm.json")
    out = {"idle_loop_us": 1e6 * idle_loop_s}
    p = phase(storm, "full")
    out["full"] = storm_row(p)
    a, b = window(samples, "init_ok", "auth_ok", p["completed"])
    out["full"].update(ifd_phase(samples, a, b, idle_loop_s, max(1, p["completed"])))
    # Full handshakes and resumptions each worker completed (the spread).
    w, per = 0, []
    while os.path.exists(os.path.join(d, "shard-%d.json" % w)):
        try:
            per.append(load(os.path.join(d, "shard-%d.json" % w)))
        except ValueError:
            break
        w += 1
    if per:
        out["per_worker"] = {k: "/".join(str(x.get(k, "?")) for x in per)
                             for k in ("auth_ok", "resume_ok", "spread_out")}
    p = phase(storm, "resume")
    out["resume"] = storm_row(p)
    key = "resume_accepted" if "resume_accepted" in samples[0]["stats"] else "resume_ok"
    a, b = window(samples, key, "resume_ok", p["completed"])
    out["resume"].update(ifd_phase(samples, a, b, idle_loop_s, max(1, p["completed"])))
    lat = os.path.join(d, "storm-lat/storm.json")
    if os.path.exists(lat):
        out["resume"]["at_80pct"] = storm_row(phase(lat, "resume"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("rounds", nargs="+")
    ap.add_argument("--two", nargs="*", default=[])
    a = ap.parse_args()
    one = median_of([rows_of(d, "main") for d in a.rounds])
    two = rows_of(a.two[0], "proc") if a.two else None
    ss_cpu = None
    res_path = os.path.join(a.out, "results.json")
    if os.path.exists(res_path):
        ss_cpu = load(res_path)["strongswan_full"]["cpu_ms_per_op"]
    full, rs = one["full"], one["resume"]
    res = {"driver": "ethdev (net_af_packet on a veth, storm in another namespace)",
           "rounds": len(a.rounds), "one_worker": one, "two_workers": two,
           "ratios": {"resume_cpu_over_full": ratio(rs["cpu_ms_per_op"], full["cpu_ms_per_op"]),
                      "resume_cpu_over_strongswan": ratio(rs["cpu_ms_per_op"], ss_cpu)}}
    t = []

    def target(text, value, limit, unit):
        ok = None if value is None else value <= limit
        t.append({"text": text, "value": value, "limit": limit, "unit": unit,
                  "result": "n/a" if ok is None else ("PASS" if ok else "MISS")})

    target("ethdev: resumption CPU <= 1/8 of our full handshake",
           res["ratios"]["resume_cpu_over_full"], 1 / 8, "ratio")
    target("ethdev: resumption CPU <= 1/50 of strongSwan's full (row 1)",
           res["ratios"]["resume_cpu_over_strongswan"], 1 / 50, "ratio")
    target("ethdev: resumption worker CPU <= 8 us", 1e3 * rs["cpu_ms_per_op"],
           RESUME_WORKER_US, "us")
    target("ethdev: resumption p99 at 80% of peak rate <= 1 ms",
           rs.get("at_80pct", {}).get("p99_ms"), 1.0, "ms")
    res["targets"] = t
    with open(os.path.join(a.out, "results-ethdev.json"), "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")

    print("\nrows 5/6: ikefarmd on the ethdev driver (net_af_packet port on a veth in its own "
          "network namespace; storm on the kernel side in another), medians of %d rounds"
          % len(a.rounds))
    print("%-22s %9s %7s %10s %10s %9s %9s %8s %9s" % (
        "row", "done", "failed", "rate/s", "CPU ms/op", "raw ms/op", "p50 ms", "p99 ms",
        "stime %"))
    for name, x in (("5 ethdev full", full), ("5 ethdev resume", rs)):
        print("%-22s %9d %7d %10.1f %10.4f %9.4f %9.2f %8.2f %9.0f" % (
            name, x["completed"], x["failed"], x["rate_per_s"], x["cpu_ms_per_op"],
            x["worker_cpu_ms_per_op"], x["p50_ms"], x["p99_ms"],
            100 * x["worker_stime_fraction"]))
    if "at_80pct" in rs:
        lat = rs["at_80pct"]
        print("%-22s %9d %7d %10.1f %10s %9s %9.2f %8.2f" % (
            "5 resume @80% rate", lat["completed"], lat["failed"], lat["rate_per_s"], "", "",
            lat["p50_ms"], lat["p99_ms"]))
    if two:
        for name, x in (("6 ethdev full, 2 wk", two["full"]),
                        ("6 ethdev resume, 2 wk", two["resume"])):
            print("%-22s %9d %7d %10.1f %10.4f %9.4f %9.2f %8.2f %9.0f" % (
                name, x["completed"], x["failed"], x["rate_per_s"], x["cpu_ms_per_op"],
                x["worker_cpu_ms_per_op"], x["p50_ms"], x["p99_ms"],
                100 * x["worker_stime_fraction"]))
        pw = two.get("per_worker")
        if pw:
            print("2 workers: full handshakes per worker %s, resumptions %s, spread_out %s" % (
                pw["auth_ok"], pw["resume_ok"], pw["spread_out"]))
        print("1 vs 2 workers: full %.0f -> %.0f/s (x%s), resume %.0f -> %.0f/s (x%s); "
              "2 workers share the 2 CPUs with storm" % (
                  full["rate_per_s"], two["full"]["rate_per_s"],
                  fmt(ratio(two["full"]["rate_per_s"], full["rate_per_s"]), ".2f"),
                  rs["rate_per_s"], two["resume"]["rate_per_s"],
                  fmt(ratio(two["resume"]["rate_per_s"], rs["rate_per_s"]), ".2f")))
    print("ethdev worker: empty poll loop %.2f us; ratios resume/full CPU %s, "
          "resume/strongSwan full %s" % (
              one["idle_loop_us"], fmt(res["ratios"]["resume_cpu_over_full"], ".3f"),
              fmt(res["ratios"]["resume_cpu_over_strongswan"], ".4f")))
    for x in t:
        print("%-4s %-62s %s (limit %s %s)" % (x["result"], x["text"], fmt(x["value"], ".4g"),
                                                fmt(x["limit"], ".4g"), x["unit"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
