#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Query ikefarmd's DPDK telemetry socket (no dpdk-telemetry.py needed).

  telemetry.py get SOCKET CMD...       one "name value" line per field
  telemetry.py json SOCKET CMD...      the command's JSON value
  telemetry.py moved BEFORE AFTER      fields whose value changed, "name delta"
                                       (BEFORE/AFTER: files written by "json")

SOCKET is /var/run/dpdk/<file-prefix>/dpdk_telemetry.v2 for root. With
several CMDs (dicts), their fields come as one dict: "get SOCKET
/ikefarm/stats /ikefarm/runtime" gives every counter of the daemon (the
counter endpoints share only their head, "shards" or "shard" and "lcore").
"""
import json
import socket
import sys

DICT_MAX = 256  # RTE_TEL_MAX_DICT_ENTRIES


def query(path, cmd):
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.settimeout(5)
        s.connect(path)
        s.recv(16384)  # greeting: version, pid, max_output_len
        s.send(cmd.encode())
        reply = json.loads(s.recv(65536).decode())
    value = reply.get(cmd.split(',')[0])
    if value is None:
        raise SystemExit('telemetry: %s: no answer to %s' % (path, cmd))
    # DPDK keeps 256 entries of a dict and drops the rest without a word: a
    # full one may have lost values (ifd_tel_layout.h keeps ours below it).
    if isinstance(value, dict) and len(value) >= DICT_MAX:
        raise SystemExit('telemetry: %s: %d entries, DPDK\'s limit: values past it may be lost'
                         % (cmd, len(value)))
    return value


def query_all(path, cmds):
    if len(cmds) == 1:
        return query(path, cmds[0])
    merged = {}
    for cmd in cmds:
        merged.update(query(path, cmd))
    return merged


def main(argv):
    if len(argv) >= 4 and argv[1] == 'get':
        for k, v in query_all(argv[2], argv[3:]).items():
            print(k, v)
    elif len(argv) >= 4 and argv[1] == 'json':
        print(json.dumps(query_all(argv[2], argv[3:])))
    elif len(argv) == 4 and argv[1] == 'moved':
        with open(argv[2]) as f:
            before = json.load(f)
        with open(argv[3]) as f:
            after = json.load(f)
        for k in after:
            if after[k] != before.get(k):
                print(k, after[k] - before.get(k, 0))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
