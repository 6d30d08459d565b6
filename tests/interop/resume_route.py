#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Send IKE_SESSION_RESUME requests (RFC 5723 4.3.1) whose tickets name a
chosen owner worker, and check each is refused with an unprotected
N(TICKET_NACK) (the key id is unknown to every ring).

  resume_route.py ADDR PORT NB_SHARDS COUNT

For each shard s in [0, NB_SHARDS) it sends COUNT requests, each from a new
UDP socket (so the kernel spreads them over the workers), with a ticket IV
whose first 32 bits map to s by the multiply-shift rule of docs/tickets.md
("Owner shard"). Prints "resume_route: sent N, nack N".
"""
import os
import socket
import struct
import sys

IKE_SESSION_RESUME, F_INITIATOR, F_RESPONSE = 38, 0x08, 0x20
PL_NOTIFY, PL_NONCE = 41, 40
N_TICKET_NACK, N_TICKET_OPAQUE = 16412, 16413
# A key id no ring holds: version 1 | key id | IV (12) | state (32) | tag (16).
KEY_ID = 0xdeadbeef


def iv32_for(shard, nb):
    """The middle of shard's range: (iv32 * nb) >> 32 == shard."""
    return ((2 * shard + 1) << 32) // (2 * nb)


def request(spi_i, shard, nb):
    iv = struct.pack('>I', iv32_for(shard, nb)) + os.urandom(8)
    ticket = struct.pack('>BI', 1, KEY_ID) + iv + os.urandom(32 + 16)
    notify = struct.pack('>BBHBBH', 0, 0, 8 + len(ticket), 0, 0, N_TICKET_OPAQUE) + ticket
    nonce = struct.pack('>BBH', PL_NOTIFY, 0, 4 + 32) + os.urandom(32)
    body = nonce + notify
    hdr = struct.pack('>QQBBBBII', spi_i, 0, PL_NONCE, 0x20, IKE_SESSION_RESUME,
                      F_INITIATOR, 0, 28 + len(body))
    return hdr + body


def is_nack(msg, spi_i):
    if len(msg) < 28 + 8:
        return False
    si, sr, nxt, _, exch, flags, _, length = struct.unpack('>QQBBBBII', msg[:28])
    if si != spi_i or sr != 0 or exch != IKE_SESSION_RESUME or not flags & F_RESPONSE:
        return False
    return nxt == PL_NOTIFY and struct.unpack('>H', msg[34:36])[0] == N_TICKET_NACK


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    addr, port, nb, count = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    sent = nack = 0
    for shard in range(nb):
        for _ in range(count):
            spi_i = int.from_bytes(os.urandom(8), 'big') | 1
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(2)
                s.bind(('', 0))  # a new source port each time
                s.sendto(request(spi_i, shard, nb), (addr, port))
                sent += 1
                try:
                    if is_nack(s.recv(2048), spi_i):
                        nack += 1
                except socket.timeout:
                    pass
    print('resume_route: sent %d, nack %d' % (sent, nack))
    return 0 if nack == sent else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
