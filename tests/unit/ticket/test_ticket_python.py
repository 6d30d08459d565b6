#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Independent check of the ticket format of docs/tickets.md.

AES-256-GCM comes from python3-cryptography (AESGCM), and the state codec
below is written from the documented layout, not from our C code. Both
directions are checked through the ticket_pycheck helper (argv[1]):
our sealed ticket decrypts and decodes here to the expected state, and a
ticket built here opens in C to the same fields; tampering is refused.
"""
import os
import struct
import subprocess
import sys

try:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:
    print("FAIL: python3-cryptography is missing "
          "(apt-get install python3-cryptography)", file=sys.stderr)
    sys.exit(1)

HELPER = sys.argv[1]
KEY = bytes(range(0x40, 0x60))
KEY_ID = 0x0A0B0C0D
NOW = 1735689600  # 2025-01-01T00:00:00Z

# The state ticket_pycheck seals (its fixed_state()).
EXPECTED = {
    "issued": NOW,
    "expires": NOW + 3600,
    "auth_deadline": NOW + 7200,
    "spi_i": bytes(range(0x01, 0x09)),
    "spi_r": bytes(range(0x11, 0x19)),
    "encr": 20,
    "encr_key_bits": 256,
    "prf": 5,
    "integ": 0,
    "peer_auth": 2,
    "flags": 1,
    "sk_d": bytes(range(32)),
    "id_i": (3, b"alice@example.com"),
    "id_r": (2, b"gw.example.net"),
    "peer_id": (3, b"alice-eap"),
    "policy": b"roadwarrior",
}

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)
    else:
        print("ok:", what)


def encode_state(st, ticket_id):
    """State version 1, as docs/tickets.md lays it out."""
    out = struct.pack(">B16sQQQ8s8sHHHHBBB", 1, ticket_id, st["issued"], st["expires"],
                      st["auth_deadline"], st["spi_i"], st["spi_r"], st["encr"],
                      st["encr_key_bits"], st["prf"], st["integ"], st["peer_auth"],
                      st["flags"], len(st["sk_d"]))
    out += st["sk_d"]
    for name in ("id_i", "id_r", "peer_id"):
        typ, data = st[name]
        out += struct.pack(">BH", typ, len(data)) + data
    out += struct.pack(">B", len(st["policy"])) + st["policy"]
    return out + bytes(-len(out) % 32)


def decode_state(p):
    fixed = struct.calcsize(">B16sQQQ8s8sHHHHBBB")
    (ver, tid, issued, expires, deadline, spi_i, spi_r, encr, bits, prf, integ, auth, flags,
     sk_d_len) = struct.unpack(">B16sQQQ8s8sHHHHBBB", p[:fixed])
    off = fixed
    st = {"version": ver, "ticket_id": tid, "issued": issued, "expires": expires,
          "auth_deadline": deadline, "spi_i": spi_i, "spi_r": spi_r, "encr": encr,
          "encr_key_bits": bits, "prf": prf, "integ": integ, "peer_auth": auth,
          "flags": flags, "sk_d": p[off:off + sk_d_len]}
    off += sk_d_len
    for name in ("id_i", "id_r", "peer_id"):
        typ, n = struct.unpack(">BH", p[off:off + 3])
        st[name] = (typ, p[off + 3:off + 3 + n])
        off += 3 + n
    n = p[off]
    st["policy"] = p[off + 1:off + 1 + n]
    st["padding"] = p[off + 1 + n:]
    return st


def seal(key, key_id, plain):
    iv = os.urandom(12)
    aad = struct.pack(">BI", 1, key_id)
    ct = AESGCM(key).encrypt(iv, plain, aad)  # ciphertext | 16-octet tag
    return aad + iv + ct


def helper(*args):
    res = subprocess.run([HELPER] + [str(a) for a in args], capture_output=True, text=True,
                         check=False)
    if res.returncode != 0:
        print("FAIL: helper", args[0], "exited", res.returncode, res.stderr, file=sys.stderr)
        sys.exit(1)
    return dict(line.split("=", 1) for line in res.stdout.split())


def our_ticket_decrypts_here():
    t = bytes.fromhex(helper("seal", KEY.hex(), NOW)["ticket"])
    check(t[0] == 1 and struct.unpack(">I", t[1:5])[0] == KEY_ID, "version 1, key id 0a0b0c0d")
    iv, body = t[5:17], t[17:]
    plain = AESGCM(KEY).decrypt(iv, body, t[:5])
    check(len(plain) == len(t) - 33 and len(plain) % 32 == 0, "state padded to 32 octets")
    st = decode_state(plain)
    check(st["version"] == 1, "state version 1")
    check(len(st["ticket_id"]) == 16 and st["ticket_id"] != bytes(16), "random ticket id")
    for name, want in EXPECTED.items():
        check(st[name] == want, "field %s" % name)
    check(st["padding"] == bytes(len(st["padding"])) and len(st["padding"]) < 32, "zero padding")


def fields_of(out):
    got = {k: int(out[k]) for k in ("issued", "expires", "auth_deadline", "encr",
                                    "encr_key_bits", "prf", "integ", "peer_auth", "flags")}
    for name in ("spi_i", "spi_r", "sk_d", "policy"):
        got[name] = bytes.fromhex(out[name])
    for name in ("id_i", "id_r", "peer_id"):
        got[name] = (int(out[name + "_type"]), bytes.fromhex(out[name]))
    return got


def ticket_from_here_opens_in_c():
    tid = os.urandom(16)
    t = seal(KEY, KEY_ID, encode_state(EXPECTED, tid))
    out = helper("open", KEY.hex(), NOW + 60, t.hex())
    check(out.get("reason") == "ok", "python-sealed ticket opens (reason %s)" % out.get("reason"))
    if out.get("reason") == "ok":
        check(bytes.fromhex(out["ticket_id"]) == tid, "ticket id survives")
        got = fields_of(out)
        for name, want in EXPECTED.items():
            check(got[name] == want, "C decodes field %s" % name)

    bad = bytearray(t)
    bad[40] ^= 1
    check(helper("open", KEY.hex(), NOW, bytes(bad).hex())["reason"] == "bad-tag",
          "flipped ciphertext bit: bad-tag")
    other = seal(bytes(32), KEY_ID, encode_state(EXPECTED, tid))
    check(helper("open", KEY.hex(), NOW, other.hex())["reason"] == "bad-tag",
          "wrong secret: bad-tag")
    unknown = seal(KEY, KEY_ID + 1, encode_state(EXPECTED, tid))
    check(helper("open", KEY.hex(), NOW, unknown.hex())["reason"] == "unknown-key-id",
          "unknown key id")
    check(helper("open", KEY.hex(), NOW + 3600, t.hex())["reason"] == "expired",
          "expired at expires")


our_ticket_decrypts_here()
ticket_from_here_opens_in_c()
if failures:
    print("%d check(s) failed" % failures, file=sys.stderr)
    sys.exit(1)
