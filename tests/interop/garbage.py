#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fire malformed datagrams at an IKE responder (RFC 7296 3.1, 3.2 layouts).

  garbage.py ADDR IKE_PORT NATT_PORT [SEED]

Sends about 600 datagrams, deterministic for a seed: truncated headers,
header lengths that lie, bad versions, broken payload chains, payload
lengths of 0 / too short / beyond the end / 0xffff, unknown critical
payloads, IKE_AUTH and INFORMATIONAL with SPIs we never issued, responses
to requests never sent, and NAT-T port oddities (no marker, marker only,
keepalives).  A well-formed IKE_SA_INIT is never among them.
"""
import random
import socket
import struct
import sys
import time

IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL = 34, 35, 36, 37
F_INITIATOR, F_RESPONSE = 0x08, 0x20
PL_SA, PL_KE, PL_NONCE, PL_SK = 33, 34, 40, 46
MARKER = b'\0\0\0\0'


def header(spi_i, spi_r, nxt, exch, flags, msg_id, length, version=0x20):
    return struct.pack('>QQBBBBII', spi_i, spi_r, nxt, version, exch, flags,
                       msg_id, length)


def payload(nxt, body, length=None, critical=0):
    if length is None:
        length = 4 + len(body)
    return struct.pack('>BBH', nxt, critical, length & 0xffff) + body


def build(rng):
    out = []
    # Truncated headers: 1..27 octets of a plausible IKE_SA_INIT.
    full = header(rng.getrandbits(64) | 1, 0, PL_SA, IKE_SA_INIT, F_INITIATOR,
                  0, 28)
    for n in range(1, 28):
        out.append(('ike', full[:n]))
    # Header length fields that lie.
    for length in (0, 1, 27, 29, 1000, 0xffff, 0x10000, 0x7fffffff, 0xffffffff):
        body = payload(0, rng.randbytes(20))
        out.append(('ike', header(rng.getrandbits(64) | 1, 0, PL_SA,
                                  IKE_SA_INIT, F_INITIATOR, 0, length) + body))
    # Bad versions and reserved exchange types.
    for version in (0x00, 0x10, 0x30, 0xf0):
        body = payload(0, rng.randbytes(40))
        out.append(('ike', header(rng.getrandbits(64) | 1, 0, PL_SA,
                                  IKE_SA_INIT, F_INITIATOR, 0, 28 + len(body),
                                  version) + body))
    for exch in (0, 1, 33, 38, 43, 255):
        body = payload(0, rng.randbytes(40))
        out.append(('ike', header(rng.getrandbits(64) | 1, 0, PL_SA, exch,
                                  F_INITIATOR, 0, 28 + len(body)) + body))
    # IKE_SA_INIT with broken payload chains.
    for _ in range(120):
        kind = rng.randrange(7)
        body = rng.randbytes(rng.randrange(0, 200))
        if kind == 0:    # payload length 0
            chain = payload(PL_KE, body, length=0)
        elif kind == 1:  # payload length shorter than its header
            chain = payload(PL_KE, body, length=rng.randrange(1, 4))
        elif kind == 2:  # payload length beyond the message
            chain = payload(0, body, length=4 + len(body) + rng.randrange(1, 500))
        elif kind == 3:  # payload length 0xffff
            chain = payload(0, body, length=0xffff)
        elif kind == 4:  # unknown critical payload type
            chain = payload(0, body)
            out.append(('ike', header(rng.getrandbits(64) | 1, 0,
                                      rng.randrange(54, 128), IKE_SA_INIT,
                                      F_INITIATOR, 0, 28 + len(chain)) +
                        struct.pack('>BBH', 0, 0x80, 4 + len(body)) + body))
            continue
        elif kind == 5:  # chain ends early: next payload set, nothing follows
            chain = payload(PL_NONCE, body)
        else:            # SA payload with a garbage proposal
            prop = struct.pack('>BBHBBBB', 0, 0, 8 + len(body),
                               rng.randrange(0, 3), rng.randrange(0, 5),
                               rng.randrange(0, 9), rng.randrange(0, 30)) + body
            chain = payload(PL_KE, prop)
        out.append(('ike', header(rng.getrandbits(64) | 1, 0, PL_SA,
                                  IKE_SA_INIT, F_INITIATOR, 0,
                                  28 + len(chain)) + chain))
    # IKE_SA_INIT requests that claim a responder SPI or a message ID.
    for _ in range(20):
        chain = payload(0, rng.randbytes(60))
        out.append(('ike', header(rng.getrandbits(64) | 1,
                                  rng.getrandbits(64) | 1, PL_SA, IKE_SA_INIT,
                                  F_INITIATOR, rng.randrange(0, 5),
                                  28 + len(chain)) + chain))
    # Encrypted exchanges for SAs that do not exist (wrong SPIs), both
    # directions, to either port, SK payloads of every size.
    for _ in range(200):
        exch = rng.choice((IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL))
        flags = rng.choice((F_INITIATOR, F_INITIATOR | F_RESPONSE, F_RESPONSE, 0))
        sk = payload(rng.choice((0, 35, 36)), rng.randbytes(rng.randrange(0, 300)))
        msg = header(rng.getrandbits(64) | 1, rng.getrandbits(64) | 1, PL_SK,
                     exch, flags, rng.randrange(0, 4), 28 + len(sk)) + sk
        out.append((rng.choice(('ike', 'natt')), msg))
    # Pure noise of random sizes.
    for _ in range(150):
        out.append((rng.choice(('ike', 'natt')),
                    rng.randbytes(rng.randrange(28, 1400))))
    return out


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    addr, port, natt = argv[1], int(argv[2]), int(argv[3])
    rng = random.Random(int(argv[4]) if len(argv) == 5 else 7296)
    msgs = build(rng)
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for where, data in msgs:
            if where == 'ike':
                s.sendto(data, (addr, port))
            else:
                s.sendto(MARKER + data, (addr, natt))
            sent += 1
            if sent % 50 == 0:
                time.sleep(0.01)  # stay below the socket buffers
        # NAT-T port oddities: no marker (ESP), marker only, keepalives.
        for data in (rng.randbytes(64), MARKER, b'\xff', b'\0\0\0'):
            s.sendto(data, (addr, natt))
            sent += 1
    print('garbage: sent %d datagrams' % sent)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
