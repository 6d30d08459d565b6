#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Sample a responder's CPU time, RSS and (for ikefarmd) telemetry counters.

  sampler.py PID [--tel SOCKET] [--interval S] [--once]

Prints one JSON object per sample on stdout (flushed), until SIGTERM/SIGINT,
or one sample with --once:

  {"t": monotonic s, "cpu_ticks": utime+stime of the whole process,
   "main_ticks": utime+stime of its main thread (ikefarmd's lcore-0 worker),
   "main_stime_ticks": the stime part of it (system calls: socket I/O),
   "hz": clock ticks per second, "rss_kb": VmRSS,
   "main_run_s", "proc_run_s": the same as on-CPU seconds with ns precision
   (the scheduler's sum_exec_runtime of the main thread / of all live
   threads; null without CONFIG_SCHED_DEBUG),
   "stats": {counter: value}}       # only with --tel (ikefarmd /ikefarm/stats, /ikefarm/runtime)

One telemetry connection is kept open, so sampling every 10 ms costs the
daemon's telemetry thread little; that thread's CPU is in cpu_ticks but not
in main_ticks.
"""
import argparse
import json
import os
import signal
import socket
import sys
import time

STATS = ("loops", "rx_pkts", "init_ok", "auth_ok", "resume_accepted", "resume_ok",
         "ticket_issued", "ike_sas", "half_open", "resume_old_sa_deleted")
HZ = os.sysconf("SC_CLK_TCK")


def utime_stime(path):
    with open(path) as f:
        # the command name (field 2) may hold spaces: split after its ')'
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])  # fields 14 and 15


def ticks(path):
    return sum(utime_stime(path))


def run_s(path):
    """se.sum_exec_runtime (ms, ns precision) of a task as seconds; None
    without CONFIG_SCHED_DEBUG."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("se.sum_exec_runtime"):
                    return float(line.split(":")[1]) / 1e3
    except OSError:
        pass
    return None


def proc_run_s(pid):
    total = 0.0
    for tid in os.listdir("/proc/%d/task" % pid):
        v = run_s("/proc/%d/task/%s/sched" % (pid, tid))
        if v is None:
            return None
        total += v
    return total


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Telemetry:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.s.settimeout(5)
        self.s.connect(path)
        self.s.recv(16384)  # greeting

    def query(self, cmd):
        self.s.send(cmd.encode())
        reply = json.loads(self.s.recv(1 << 20).decode()).get(cmd)
        if not isinstance(reply, dict):  # not registered yet: daemon starting
            raise ValueError("no " + cmd)
        return reply

    def stats(self):
        # The IKE core's counters, then the runtime's (loops, rx_pkts).
        reply = self.query("/ikefarm/stats")
        reply.update(self.query("/ikefarm/runtime"))
        return {k: reply[k] for k in STATS if k in reply}


def sample(pid, tel):
    rec = {"t": time.monotonic(), "cpu_ticks": ticks("/proc/%d/stat" % pid),
           "main_ticks": ticks("/proc/%d/task/%d/stat" % (pid, pid)),
           "main_stime_ticks": utime_stime("/proc/%d/task/%d/stat" % (pid, pid))[1], "hz": HZ,
           "rss_kb": rss_kb(pid), "main_run_s": run_s("/proc/%d/sched" % pid),
           "proc_run_s": proc_run_s(pid)}
    if tel is not None:
        rec["stats"] = tel.stats()
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pid", type=int)
    ap.add_argument("--tel")
    ap.add_argument("--interval", type=float, default=0.01)
    ap.add_argument("--once", action="store_true")
    a = ap.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    tel = Telemetry(a.tel) if a.tel else None
    while True:
        try:
            rec = sample(a.pid, tel)
        except (OSError, ValueError, KeyError):
            return 0 if not a.once else 1  # the responder went away
        print(json.dumps(rec), flush=True)
        if a.once or stop:
            return 0
        time.sleep(a.interval)
        if stop:  # one last sample after the stop request
            print(json.dumps(sample(a.pid, tel)), flush=True)
            return 0


if __name__ == "__main__":
    sys.exit(main())
