#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the seed corpus of fuzz_core_frag.c (scripts, see its header):
IKE_INTERMEDIATE requests carrying ADDKE1's KE payload (ECP-256) cut in
fragments in order, reversed, duplicated, with a timeout or a restart in
between, a whole one, ones without KE, invalid fragment numbers, raw bytes.

usage: gen_frag_corpus.py [OUT_DIR]   (default: corpus-frag/ next to this script)
"""
import os
import struct
import sys

KE, NONE, IKE_INTERMEDIATE, IKE_AUTH = 34, 0, 0, 1


# The P-256 generator (x | y): a valid ECP-256 public value (RFC 5903).
P256_G = bytes.fromhex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                       "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")


def ke_payload(group=19, n=64):
    data = P256_G if group == 19 else bytes((7 * i + 1) & 0xFF for i in range(n))
    return struct.pack("!BBHHH", 0, 0, 8 + len(data), group, 0) + data


def frag(mid, num, total, nxt, plain, exch=IKE_INTERMEDIATE):
    return bytes([0, len(plain), mid, num, total, nxt, exch]) + plain


def whole(mid, nxt, plain, exch=IKE_INTERMEDIATE):
    return bytes([1, len(plain), mid, 0, 0, nxt, exch]) + plain


def wait(n):
    return bytes([2, n])


def raw(b):
    return bytes([3, len(b)]) + b


def cut(p, k):
    step = (len(p) + k - 1) // k
    return [p[i:i + step] for i in range(0, len(p), step)]


def seeds():
    ke = ke_payload()
    parts = cut(ke, 3)
    in_order = b"".join(frag(1, i + 1, 3, KE if i == 0 else NONE, x) for i, x in enumerate(parts))
    yield "in-order", in_order
    yield "reversed", b"".join(frag(1, 3 - i, 3, KE if i == 2 else NONE, x)
                               for i, x in enumerate(reversed(parts)))
    yield "duplicate", frag(1, 1, 3, KE, parts[0]) * 2 + frag(1, 2, 3, NONE, parts[1]) + \
        frag(1, 3, 3, NONE, parts[2]) + frag(1, 1, 3, KE, parts[0])
    yield "timeout", frag(1, 1, 3, KE, parts[0]) + wait(40) + in_order
    yield "restart", frag(1, 1, 2, KE, parts[0]) + in_order
    yield "smaller-total", frag(1, 1, 3, KE, parts[0]) + frag(1, 2, 2, NONE, parts[1]) + in_order
    yield "bad-numbers", frag(1, 0, 3, KE, parts[0]) + frag(1, 4, 3, NONE, parts[1]) + \
        frag(1, 2, 40, NONE, parts[1]) + frag(1, 2, 3, KE, parts[1])
    yield "whole", whole(1, KE, ke) + whole(2, NONE, b"") + whole(3, NONE, b"", IKE_AUTH)
    yield "no-ke", whole(1, NONE, b"")
    yield "wrong-group", whole(1, KE, ke_payload(20, 96))
    yield "then-empty", in_order + frag(2, 1, 1, NONE, b"") + whole(3, NONE, b"", IKE_AUTH)
    yield "garbage-inner", frag(1, 1, 2, KE, b"\x00\x00\x00\x03\xff") + frag(1, 2, 2, NONE, b"\x01")
    yield "raw", raw(b"\x01" * 40) + raw(bytes(28))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                              "corpus-frag")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)


main()
