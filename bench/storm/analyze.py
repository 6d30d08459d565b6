#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Turn the files of one bench/run_storm_bench.sh run into results.json and
the printed table (docs/benchmarking.md explains every figure).

  analyze.py OUTDIR ROUNDDIR... --resume 0|1 [--resume-why TEXT] --pin 0|1
             --clients N --window W --quick 0|1

Reads from each ROUNDDIR: storm-ss/, storm-ifd/, storm-lat/ (storm.json
each), ss-before/after.json, ifd-idle0/1.json, ifd-samples.jsonl
(bench/storm/sampler.py), ikefarmd.log (start banner); from OUTDIR the
banners of the memory probes. Every figure is the median over the rounds.
"""
import argparse
import datetime
import json
import os
import re
import sys

TARGETS = {
    "full_cpu_vs_strongswan": 1 / 5,
    "resume_cpu_vs_full": 1 / 8,
    "resume_cpu_vs_strongswan": 1 / 50,
    "resume_p99_ms_at_80pct": 1.0,
    "bytes_per_sa": 1024,
}


def load(path):
    with open(path) as f:
        return json.load(f)


def phase(storm_json, name):
    for p in load(storm_json)["phases"]:
        if p["name"] == name:
            return p
    raise SystemExit("analyze: no phase %s in %s" % (name, storm_json))


def banner(path):
    """(octets of core state per worker, SA capacity) from a start log."""
    with open(path) as f:
        m = re.search(r"capacity (\d+) IKE SAs .*?; (\d+) octets of core state per worker, "
                      r"(\d+) per SA slot", f.read())
    return (int(m.group(2)), int(m.group(1)), int(m.group(3))) if m else None


def cache_slots(path):
    """Response-cache slots per worker from a start log (a fixed pool), or None."""
    with open(path) as f:
        m = re.search(r"response cache: (\d+) slots per worker", f.read())
    return int(m.group(1)) if m else None


def dp_mem(path):
    """Data-path octets per Child SA slot (bench_handoff --mem), or None."""
    try:
        with open(path) as f:
            m = re.search(r"data-path memory: (\d+) octets per Child SA slot", f.read())
    except OSError:
        return None
    return int(m.group(1)) if m else None


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def window(samples, start_key, end_key, done):
    """Indices (a, b) of the samples around a phase: a is the last sample
    before start_key moved, b the first where end_key grew by done."""
    s0 = samples[0]["stats"]
    a = 0
    for i, s in enumerate(samples):
        if s["stats"].get(start_key, 0) != s0.get(start_key, 0):
            break
        a = i
    target = s0.get(end_key, 0) + done
    b = len(samples) - 1
    for i in range(a, len(samples)):
        if samples[i]["stats"].get(end_key, 0) >= target:
            b = i
            break
    return a, b


def cpu_s(x, y, which):
    """On-CPU seconds between samples x and y: the scheduler's ns-precise
    runtime when both have it, else utime+stime ticks (10 ms steps)."""
    if x.get(which + "_run_s") is not None and y.get(which + "_run_s") is not None:
        return y[which + "_run_s"] - x[which + "_run_s"]
    return (y[which + "_ticks"] - x[which + "_ticks"]) / x["hz"]


def ifd_phase(samples, a, b, idle_loop_s, done):
    """CPU and memory of ikefarmd between samples a and b, per operation."""
    x, y = samples[a], samples[b]
    d_proc = (y["cpu_ticks"] - x["cpu_ticks"]) / x["hz"]
    d_main = cpu_s(x, y, "main")
    d_loops = y["stats"]["loops"] - x["stats"]["loops"]
    d_rx = y["stats"]["rx_pkts"] - x["stats"]["rx_pkts"]
    # The worker busy-polls: its CPU time is the wall time it ran. What the
    # operations cost is that minus the empty poll loops, each at the cost
    # measured while idle (loops that found packets: at most one per packet).
    work = max(0.0, d_main - max(0, d_loops - d_rx) * idle_loop_s)
    return {
        "wall_s": y["t"] - x["t"],
        "proc_cpu_ms_per_op": 1e3 * d_proc / done,
        "worker_cpu_ms_per_op": 1e3 * d_main / done,
        "cpu_ms_per_op": 1e3 * work / done,
        "worker_busy_fraction": work / d_main if d_main > 0 else 0.0,
        "worker_stime_fraction": (y["main_stime_ticks"] - x["main_stime_ticks"]) /
        max(1, y["main_ticks"] - x["main_ticks"]),
        "rss_growth_bytes_per_op": 1024.0 * (y["rss_kb"] - x["rss_kb"]) / done,
        "ike_sas_after": y["stats"].get("ike_sas"),
    }


def rss_steady(samples, a, b, key):
    """RSS growth per operation once the phase runs: the slope from the first
    sample with a quarter of its operations (key) done to the last sample
    before b. It leaves out the one-time first touch at the phase's start
    (the half-open slots and buffers of the storm window, library state),
    which does not grow with the SA count, and the sample b that sees the
    phase end: the storm starts its next phase at once, and b already holds
    that phase's first touch (with full,resume: hundreds of resumptions and
    ~300 KB of ticket state, which read as +200 octets a handshake in a
    2000-handshake phase). None with too few operations in between."""
    b -= 1
    base = samples[a]["stats"].get(key, 0)
    n = samples[b]["stats"].get(key, 0) - base
    i = a
    while i < b and samples[i]["stats"].get(key, 0) - base < n / 4:
        i += 1
    ops = samples[b]["stats"].get(key, 0) - samples[i]["stats"].get(key, 0)
    if n <= 0 or ops < n / 2:
        return None
    return 1024.0 * (samples[b]["rss_kb"] - samples[i]["rss_kb"]) / ops


def storm_row(p):
    lat = p["latency_us"]
    return {"completed": p["completed"], "failed": p["failed"], "failures": p["failures"],
            "retransmits": p["retransmits"], "rate_per_s": p["rate_per_s"],
            "p50_ms": lat["p50"] / 1e3, "p99_ms": lat["p99"] / 1e3}


def ratio(a, b):
    return a / b if a is not None and b else None


def analyze_round(d):
    """The figures of one round (folder d)."""
    res = {}
    # 1. strongSwan: it sleeps when idle, so its CPU time is its work.
    p = phase(os.path.join(d, "storm-ss/storm.json"), "full")
    b0, b1 = load(os.path.join(d, "ss-before.json")), load(os.path.join(d, "ss-after.json"))
    ss = storm_row(p)
    n = max(1, p["completed"])
    ss["cpu_ms_per_op"] = 1e3 * cpu_s(b0, b1, "proc") / n
    ss["proc_cpu_ms_per_op"] = 1e3 * (b1["cpu_ticks"] - b0["cpu_ticks"]) / b0["hz"] / n
    ss["rss_growth_bytes_per_op"] = 1024.0 * (b1["rss_kb"] - b0["rss_kb"]) / n
    res["strongswan_full"] = ss

    # 2./3. ikefarmd.
    i0, i1 = load(os.path.join(d, "ifd-idle0.json")), load(os.path.join(d, "ifd-idle1.json"))
    idle_loops = i1["stats"]["loops"] - i0["stats"]["loops"]
    idle_loop_s = cpu_s(i0, i1, "main") / max(1, idle_loops)
    res["ikefarmd_idle_loop_us"] = 1e6 * idle_loop_s
    with open(os.path.join(d, "ifd-samples.jsonl")) as f:
        samples = [json.loads(line) for line in f if line.strip()]
    ifd_json = os.path.join(d, "storm-ifd/storm.json")
    p = phase(ifd_json, "full")
    full = storm_row(p)
    w0, w1 = window(samples, "init_ok", "auth_ok", p["completed"])
    full.update(ifd_phase(samples, w0, w1, idle_loop_s, max(1, p["completed"])))
    full["rss_steady_bytes_per_op"] = rss_steady(samples, w0, w1, "auth_ok")
    res["ikefarmd_full"] = full
    lat = os.path.join(d, "storm-lat/storm.json")
    if os.path.exists(lat):
        p = phase(ifd_json, "resume")
        rs = storm_row(p)
        start_key = "resume_accepted" if "resume_accepted" in samples[0]["stats"] else "resume_ok"
        r0, r1 = window(samples, start_key, "resume_ok", p["completed"])
        rs.update(ifd_phase(samples, r0, r1, idle_loop_s, max(1, p["completed"])))
        rs["at_80pct"] = storm_row(phase(lat, "resume"))
        res["ikefarmd_resume"] = rs
    res["banner"] = banner(os.path.join(d, "ikefarmd.log"))
    res["cache_slots"] = cache_slots(os.path.join(d, "ikefarmd.log"))
    return res


def median_of(values):
    """Median of numbers; for dicts the median of each key; else the first."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        v = sorted(values)
        k = len(v) // 2
        return v[k] if len(v) % 2 else (v[k - 1] + v[k]) / 2
    if all(isinstance(v, dict) for v in values):
        return {k: median_of([v[k] for v in values if k in v]) for k in values[0]}
    return values[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("rounds", nargs="+")
    ap.add_argument("--resume", type=int, default=0)
    ap.add_argument("--resume-why", default="")
    ap.add_argument("--pin", type=int, default=1)
    ap.add_argument("--clients", type=int)
    ap.add_argument("--window", type=int)
    ap.add_argument("--quick", type=int, default=0)
    a = ap.parse_args()
    d = a.out
    rounds = [analyze_round(r) for r in a.rounds]
    res = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "cpu_model": cpu_model(), "cpus": os.cpu_count(), "pinned": bool(a.pin),
           "clients": a.clients, "window": a.window, "quick": bool(a.quick),
           "rounds": len(rounds), "figures": "median over the rounds",
           "suite": "PSK, aes256gcm16-prfsha256-x25519, ESP aes256gcm16, --encap"}
    for k in ("strongswan_full", "ikefarmd_full", "ikefarmd_idle_loop_us"):
        res[k] = median_of([r[k] for r in rounds])
    if a.resume and all("ikefarmd_resume" in r for r in rounds):
        res["ikefarmd_resume"] = median_of([r["ikefarmd_resume"] for r in rounds])
    else:
        res["ikefarmd_resume"] = {"available": False, "why": a.resume_why or "no resume phase"}
    res["per_round"] = [{k: {"rate_per_s": r[k]["rate_per_s"], "cpu_ms_per_op": r[k]["cpu_ms_per_op"]}
                         for k in ("strongswan_full", "ikefarmd_full", "ikefarmd_resume")
                         if k in r} for r in rounds]
    full = res["ikefarmd_full"]
    ss = res["strongswan_full"]

    # Memory from the start banners: the marginal octets of one more SA slot.
    m1 = rounds[0]["banner"]
    m2 = banner(os.path.join(d, "ikefarmd-probe.log"))
    mem = {"core_state_per_worker": m1[0] if m1 else None,
           "sa_capacity": m1[1] if m1 else None,
           "core_state_per_sa_slot": m1[2] if m1 else None}
    if m1 and m2 and m2[1] != m1[1]:
        # the response cache is the same fixed pool in both: not in the marginal slot
        mem["bytes_per_sa_slot_marginal"] = (m2[0] - m1[0]) / (m2[1] - m1[1])
    probe_cache = os.path.join(d, "ikefarmd-probe-cache.log")
    m3 = banner(probe_cache)
    c1 = rounds[0]["cache_slots"]
    c3 = cache_slots(probe_cache)
    if m1 and m3 and m3[1] == m1[1] and c1 and c3 and c3 != c1:
        # same SA slots, more cache slots (their medium-slot share included)
        per_slot = (m3[0] - m1[0]) / (c3 - c1)
        mem["response_cache_slots_per_worker"] = c1
        mem["bytes_per_response_cache_slot"] = per_slot
        mem["response_cache_bytes_per_worker"] = per_slot * c1
    mem["dp_bytes_per_child_sa_slot"] = dp_mem(os.path.join(d, "dp-mem.log"))
    res["ikefarmd_memory"] = mem

    cpu1 = ss["cpu_ms_per_op"]
    cpu2 = full["cpu_ms_per_op"]
    cpu3 = res["ikefarmd_resume"].get("cpu_ms_per_op")
    r3 = res["ikefarmd_resume"].get("rate_per_s")
    res["ratios"] = {
        "rate_2_over_1": ratio(full["rate_per_s"], ss["rate_per_s"]),
        "rate_3_over_1": ratio(r3, ss["rate_per_s"]),
        "rate_3_over_2": ratio(r3, full["rate_per_s"]),
        "cpu_2_over_1": ratio(cpu2, cpu1),
        "cpu_3_over_1": ratio(cpu3, cpu1),
        "cpu_3_over_2": ratio(cpu3, cpu2),
    }

    # The IKE side (the larger of the marginal slot and the steady RSS growth
    # per handshake: the storm's daemon runs no data path) plus the data-path
    # slot of its Child SA; without the latter the figure is not given. The
    # RSS figure is the slope past the phase's first quarter (rss_steady);
    # the whole phase's growth per operation when there is no such slope.
    per_sa = mem.get("bytes_per_sa_slot_marginal")
    rss_sa = full.get("rss_steady_bytes_per_op")
    if rss_sa is None:
        rss_sa = full["rss_growth_bytes_per_op"]
    mem["rss_bytes_per_sa_steady"] = rss_sa
    dp_sa = mem.get("dp_bytes_per_child_sa_slot")
    mem_fig = None
    if per_sa is not None and dp_sa is not None:
        mem_fig = max(per_sa, rss_sa) + dp_sa
    mem["bytes_per_ike_sa_and_child_sa"] = mem_fig
    p99 = res["ikefarmd_resume"].get("at_80pct", {}).get("p99_ms")
    t = []

    def target(name, text, value, limit, unit):
        ok = None if value is None else value <= limit
        t.append({"target": name, "text": text, "value": value, "limit": limit, "unit": unit,
                  "result": "n/a" if ok is None else ("PASS" if ok else "MISS")})

    target("full_cpu_vs_strongswan", "ikefarmd full CPU <= 1/5 of strongSwan's",
           res["ratios"]["cpu_2_over_1"], TARGETS["full_cpu_vs_strongswan"], "ratio")
    target("resume_cpu_vs_full", "resumption CPU <= 1/8 of our full handshake",
           res["ratios"]["cpu_3_over_2"], TARGETS["resume_cpu_vs_full"], "ratio")
    target("resume_cpu_vs_strongswan", "resumption CPU <= 1/50 of strongSwan's full",
           res["ratios"]["cpu_3_over_1"], TARGETS["resume_cpu_vs_strongswan"], "ratio")
    target("resume_p99_ms_at_80pct", "resumption p99 at 80% of peak rate <= 1 ms",
           p99, TARGETS["resume_p99_ms_at_80pct"], "ms")
    target("bytes_per_sa", "memory <= 1 KiB per IKE SA + 1 Child SA incl. data path",
           mem_fig, TARGETS["bytes_per_sa"], "octets")
    res["targets"] = t
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    print_table(res)
    return 0


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def print_table(r):
    print("\nikefarm storm bench, %s, %s (%d CPUs, %s), %d clients, window %d%s" % (
        r["date"], r["cpu_model"], r["cpus"],
        "responder and generator pinned apart" if r["pinned"] else "not pinned",
        r["clients"], r["window"], ", quick" if r["quick"] else ""))
    print("medians of %d rounds; per round CPU ms/op (rate/s): %s" % (r["rounds"], "; ".join(
        " ".join("%.4f (%.0f)" % (x[k]["cpu_ms_per_op"], x[k]["rate_per_s"]) for k in x)
        for x in r["per_round"])))
    print("suite: %s" % r["suite"])
    print("%-22s %9s %7s %10s %10s %9s %9s %8s %11s" % (
        "row", "done", "failed", "rate/s", "CPU ms/op", "raw ms/op", "p50 ms", "p99 ms",
        "RSS B/op"))
    rows = [("1 strongSwan full", r["strongswan_full"]), ("2 ikefarmd full", r["ikefarmd_full"])]
    rs = r["ikefarmd_resume"]
    for name, x in rows + ([("3 ikefarmd resume", rs)] if "rate_per_s" in rs else []):
        print("%-22s %9d %7d %10.1f %10.4f %9.4f %9.2f %8.2f %11.0f" % (
            name, x["completed"], x["failed"], x["rate_per_s"], x["cpu_ms_per_op"],
            x["proc_cpu_ms_per_op"], x["p50_ms"], x["p99_ms"], x["rss_growth_bytes_per_op"]))
    if "rate_per_s" in rs:
        lat = rs["at_80pct"]
        print("%-22s %9d %7d %10.1f %10s %9s %9.2f %8.2f" % (
            "3 resume @80% rate", lat["completed"], lat["failed"], lat["rate_per_s"], "", "",
            lat["p50_ms"], lat["p99_ms"]))
    else:
        print("%-22s not available (%s)" % ("3 ikefarmd resume", rs.get("why", "")))
    for name in ("strongswan_full", "ikefarmd_full", "ikefarmd_resume"):
        f = r[name].get("failures")
        if f:
            print("  %s failures: %s" % (name, f))
    ra = r["ratios"]
    print("ratios: rate 2/1 %s, 3/1 %s, 3/2 %s; CPU per op 2/1 %s, 3/1 %s, 3/2 %s" % tuple(
        fmt(ra[k], ".3f") for k in ("rate_2_over_1", "rate_3_over_1", "rate_3_over_2",
                                    "cpu_2_over_1", "cpu_3_over_1", "cpu_3_over_2")))
    full = r["ikefarmd_full"]
    print("ikefarmd worker: empty poll loop %.2f us; in the full phase busy %.0f%% of its CPU, "
          "%.0f%% of its CPU in the kernel (stime)" % (
              r["ikefarmd_idle_loop_us"], 100 * full["worker_busy_fraction"],
              100 * full["worker_stime_fraction"]))
    if "worker_stime_fraction" in rs:
        print("                 in the resume phase busy %.0f%%, stime %.0f%%" % (
            100 * rs["worker_busy_fraction"], 100 * rs["worker_stime_fraction"]))
    m = r["ikefarmd_memory"]
    print("ikefarmd memory: %s octets of core state per worker for %s SA slots (%s per slot); "
          "marginal %s octets per SA slot; response cache fixed per worker, not per SA: %s "
          "slots of %s octets (medium-slot share included) = %s octets" % (
              m["core_state_per_worker"], m["sa_capacity"], m["core_state_per_sa_slot"],
              fmt(m.get("bytes_per_sa_slot_marginal"), ".0f"),
              fmt(m.get("response_cache_slots_per_worker"), "d"),
              fmt(m.get("bytes_per_response_cache_slot"), ".0f"),
              fmt(m.get("response_cache_bytes_per_worker"), ".0f")))
    print("RSS growth per full handshake: %s octets over the phase, %s once running (slope "
          "past its first quarter: the first touch of the window's half-open state left out)" % (
              fmt(full.get("rss_growth_bytes_per_op"), ".0f"),
              fmt(full.get("rss_steady_bytes_per_op"), ".0f")))
    print("data-path memory: %s octets per Child SA slot; IKE SA + Child SA: max(marginal slot, "
          "steady RSS growth per SA) + data path = %s octets" % (
              fmt(m.get("dp_bytes_per_child_sa_slot"), ".0f"),
              fmt(m.get("bytes_per_ike_sa_and_child_sa"), ".0f")))
    for x in r["targets"]:
        print("%-4s %-62s %s (limit %s %s)" % (x["result"], x["text"],
                                                fmt(x["value"], ".4g"), x["limit"], x["unit"]))


if __name__ == "__main__":
    sys.exit(main())
