#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the seed corpora of the fuzz targets other than msg_parse (whose
seeds gen_corpus.py writes): corpus-x509 (certificates made with the
openssl command), corpus-ticket_codec (ticket states laid out as
docs/tickets.md says, independently of the C codec), corpus-config,
corpus-creds, corpus-keyfile (texts, good and bad) and corpus-shard
(event sequences, format in fuzz_shard.c). Regression inputs of past
findings are kept in the same folders as regress-* and are not written here.

usage: gen_seeds.py [TARGET...]   (default: all; run from anywhere)
"""
import os
import struct
import subprocess
import sys
import tempfile

import gen_corpus as g

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def write(target, name, data):
    d = os.path.join(HERE, "corpus-" + target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def x509():
    keys = {
        "rsa": ["-newkey", "rsa:1024"],
        "rsapss": ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:1024"],
        "p256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "p384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
        "p521": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"],
        "ed25519": ["-newkey", "ed25519"],
    }
    sans = {
        "rsa": "DNS:gw.example.net,email:ops@example.net,IP:192.0.2.1,IP:2001:db8::1",
        "p256": "DNS:client1.example.com",
        "ed25519": "email:alice@example.com,DNS:Alice.Example.COM",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, opts in keys.items():
            out = os.path.join(tmp, name + ".der")
            cmd = ["openssl", "req", "-x509", "-nodes", "-days", "3650", "-subj",
                   "/C=XX/O=ikefarm fuzz/CN=" + name + ".example", "-outform", "DER",
                   "-keyout", os.path.join(tmp, name + ".key"), "-out", out] + opts
            if name in sans:
                cmd += ["-addext", "subjectAltName=" + sans[name]]
            subprocess.run(cmd, check=True, capture_output=True)
            with open(out, "rb") as f:
                der = f.read()
            write("x509", name, der)
            write("x509", name + "-truncated", der[: len(der) // 2])
    # DER edge cases: long-form lengths, an indefinite length, nesting.
    write("x509", "der-long-length", b"\x30\x82\x00\x03\x02\x01\x05")
    write("x509", "der-indefinite", b"\x30\x80\x02\x01\x05\x00\x00")
    write("x509", "der-nested", b"\x30\x08\x30\x06\x30\x04\xa3\x02\x05\x00")


def ticket_state(sk_d_len=32, idi=b"alice@example.com", idr=b"gw.example.net", peer=b"",
                 policy=b"roadwarriors", flags=0, pad_extra=0):
    """State version 1 (docs/tickets.md): network byte order, zero padding to 32."""
    b = struct.pack("!B", 1) + bytes(range(16))
    b += struct.pack("!QQQ", 1767225600, 1767229200, 1767232800)
    b += bytes([1] * 8) + bytes([2] * 8)
    b += struct.pack("!HHHHBBB", 20, 256, 5, 0, 2, flags, sk_d_len) + bytes([0x5d] * sk_d_len)
    for t, ident in ((3, idi), (2, idr), (3, peer)):
        b += struct.pack("!BH", t, len(ident)) + ident
    b += struct.pack("!B", len(policy)) + policy
    b += bytes((32 - len(b) % 32) % 32 + pad_extra)
    return b


def ticket_codec():
    write("ticket_codec", "basic", ticket_state())
    write("ticket_codec", "eap", ticket_state(flags=1, peer=b"eap-user"))
    write("ticket_codec", "sha512", ticket_state(sk_d_len=64, policy=b""))
    write("ticket_codec", "long-ids", ticket_state(idi=b"i" * 256, idr=b"r" * 200,
                                                   policy=b"p" * 63))
    write("ticket_codec", "bad-pad", ticket_state(pad_extra=32))
    write("ticket_codec", "bad-version", b"\x02" + ticket_state()[1:])


def config():
    with open(os.path.join(TOP, "config", "ikefarm.conf")) as f:
        write("config", "ikefarm.conf", f.read())
    write("config", "small",
          "[runtime]\nsa_capacity = 100\nhalfopen_capacity = 10\nspi_shard_bits = 4\n"
          "spi_slot_bits = 20\n[ike]\nlocal_id = ipv4:192.0.2.1\ncookie_threshold = 7\n"
          "[child]\nts_start = 2001:db8::\nts_end = \"2001:db8::ffff\"  # quoted\n"
          "[auth]\nauth_lifetime_s = 20\nstrict_files = yes\n[tickets]\nreplay_fp = 1e-4\n")
    write("config", "proposals",
          "[ike]\nproposals = aes128-sha256-ecp256, aes256gcm16-prfsha384-x25519\n"
          "[child]\nproposals = aes128gcm16, aes256-sha512-modp2048\n")
    write("config", "bad", "[net]\nbind_v4 = 10.0.0.300\n[tickets]\nreplay_fp = 1e-300\n")
    write("config", "net", "[eal]\nargs = \"--no-huge -l 0-1\"\n[net]\nbind_v6 = \"\"\n"
          "ike_port = 4500\n[metrics]\nlisten = [::1]:9100\n")


def creds():
    with open(os.path.join(TOP, "config", "credentials.example")) as f:
        write("creds", "credentials.example", f.read())
    write("creds", "all-types",
          "fqdn a.example 0x0102ff\nemail b@example.com \"two words\" # c\n"
          "ipv6 2001:db8::7 plain 3600\nkeyid 0a0b 0x00 none\n* pubkey 120\n"
          "fqdn s.example k 60 resume-auth=libreswan\r\n")
    write("creds", "nul", b"fqdn a.example 0123456789abcdef\nfqdn b.example k\x00tail\n")
    write("creds", "dup", "fqdn a k\nfqdn b k\nfqdn a j\n")


def keyfile():
    sec = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    with open(os.path.join(TOP, "config", "ticket-keys.example")) as f:
        write("keyfile", "ticket-keys.example", f.read())
    write("keyfile", "now",
          "# valid at the fuzz target's clock (2026-01-01)\n"
          "0a0b0c0d 2025-12-01T00:00:00Z 2026-02-01T00:00:00+01:00 " + sec + "\n"
          "DEADBEEF\t1767225000 1767300000 " + sec.upper() + "  # next\r\n")
    write("keyfile", "fraction", "00000003 2025-02-28T23:59:59.75-05:30 2100-03-01t00:00:00z "
          + sec + "\n")
    write("keyfile", "zero", "00000004 0 2000000000 " + "0" * 64 + "\n")
    write("keyfile", "expired", "00000005 1000 2000 " + sec + "\n")


# fuzz_shard.c records
def sealed(exch, inner, flags=0x08, mid_mode=0, more=False):
    first = inner[0][0] if inner else 0
    body = g.chain(inner)
    return bytes([0x80 if more else 0x00, exch, flags, mid_mode, first]) + \
        struct.pack("!H", len(body)) + body


def raw(data, more=False, natt=False):
    return bytes([0x01 | (0x80 if more else 0) | (0x40 if natt else 0)]) + \
        struct.pack("!H", len(data)) + data


def wait(ms):
    return bytes([0x02]) + struct.pack("!H", ms // 10)


def client(op):
    return bytes([0x03, op])


def shard():
    informational, create_child, ike_auth = 37, 36, 35
    esp_sa = g.pld(g.SA, g.proposal(1, 3, [(1, 20, 128), (5, 0, None)], spi=b"\x0a\x0b\x0c\x0d"))
    ike_sa = g.pld(g.SA, g.proposal(1, 1, [(1, 20, 256), (2, 5, None), (4, 31, None)],
                                    spi=bytes(range(1, 9))))
    ts4 = [(0, 0, 65535, bytes([10, 0, 0, 0]), bytes([10, 0, 0, 255]))]
    child = [esp_sa, g.nonce(), g.ts(g.TSI, ts4), g.ts(g.TSR, ts4)]
    delete_ike = g.pld(g.D, struct.pack("!BBH", 1, 0, 0))
    delete_esp = g.pld(g.D, struct.pack("!BBH", 3, 4, 2) + b"\x11\x22\x33\x44\xc0\xff\xee\x01")
    with open(os.path.join(HERE, "corpus", "seed-sa_init_req"), "rb") as f:
        sa_init = f.read()
    with open(os.path.join(HERE, "corpus", "seed-resume_req"), "rb") as f:
        resume = f.read()
    est, half = b"\x00", b"\x01"
    write("shard", "liveness", est + sealed(informational, []))
    write("shard", "delete-ike", est + sealed(informational, [delete_ike]))
    write("shard", "delete-esp", est + sealed(informational, [delete_esp]))
    write("shard", "delete-retransmit",
          est + sealed(informational, [delete_ike]) + sealed(informational, [delete_ike], mid_mode=1))
    write("shard", "ticket-request", est + sealed(informational, [g.notify(16410)]))
    write("shard", "new-child", est + sealed(create_child, child))
    write("shard", "rekey-child", est + sealed(create_child, [g.notify(16393, proto=3,
                                                                       spi=b"\x11\x22\x33\x44")]
                                               + child))
    write("shard", "rekey-ike", est + sealed(create_child, [ike_sa, g.nonce(),
                                                             g.ke(31, 32)]))
    write("shard", "out-of-window", est + sealed(informational, [], mid_mode=2))
    write("shard", "auth-bad", half + sealed(ike_auth, [
        g.ident(g.IDI, 3, b"fuzz@example.net"), g.notify(16384), g.auth(2, bytes(32)),
        esp_sa, g.ts(g.TSI, ts4), g.ts(g.TSR, ts4)]))
    write("shard", "auth-unknown-id", half + sealed(ike_auth, [
        g.ident(g.IDI, 2, b"nobody.example"), g.auth(2, bytes(32)), esp_sa,
        g.ts(g.TSI, ts4), g.ts(g.TSR, ts4)]))
    write("shard", "client-ops", est + client(0) + client(1) + client(2) + client(4) +
          client(5) + client(0))
    write("shard", "client-rekey-ike", est + client(3) + client(0) + sealed(informational, []))
    write("shard", "client-resume", est + client(7) + client(0) + client(6))
    # RFC 9370 IKE_FOLLOWUP_KE (44): a stray one (no follow-up: STATE_NOT_FOUND), one
    # without the notify, then Child SAs whose CREATE_CHILD_SA runs one for real.
    followup = 44
    write("shard", "followup", est +
          sealed(followup, [g.ke(19, 64), g.notify(16441, data=bytes(8))]) +
          sealed(followup, [g.ke(19, 64)]) + client(1) + client(2) + wait(4000) + client(0))
    write("shard", "lifetimes", est + wait(5000) + client(0) + wait(600000) + wait(60000))
    write("shard", "flood", est + b"".join(raw(sa_init, more=True) for _ in range(7)) +
          raw(sa_init) + wait(100) + raw(sa_init))
    write("shard", "raw-mix", half + raw(resume, more=True) + raw(sa_init, natt=True) +
          raw(b"\x00\x00\x00\x00" + sa_init, natt=True))


TARGETS = {"x509": x509, "ticket_codec": ticket_codec, "config": config, "creds": creds,
           "keyfile": keyfile, "shard": shard}


def main():
    for name in sys.argv[1:] or TARGETS:
        TARGETS[name]()


if __name__ == "__main__":
    main()
