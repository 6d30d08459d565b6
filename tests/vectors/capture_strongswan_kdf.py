#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Turn strongSwan charon logs (ike = 4, chd = 4) and a loopback capture of
one IKE_SA per case into tests/vectors/strongswan-kdf-sha2.txt and fuzz
corpus files.  Called by capture_strongswan_kdf.sh.

Values are taken from the peer, then checked independently with
python3-cryptography before anything is written:
  * initiator and responder logged the same g^ir, SKEYSEED and SK_*;
  * SKEYSEED = prf(Ni | Nr, g^ir) with Ni/Nr from the captured IKE_SA_INIT;
  * SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr
      = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)                (RFC 7296 2.14);
  * the captured IKE_AUTH request/response decrypt and authenticate with
    SK_ei/SK_ai and SK_er/SK_ar, and their PSK AUTH payloads equal
    prf(prf(PSK, "Key Pad for IKEv2"), RealMessage | Nonce | prf(SK_p, ID'))
    (RFC 7296 2.15);
  * the CHILD_SA keys equal prf+(SK_d, Ni | Nr)             (RFC 7296 2.17).
"""

import argparse
import datetime
import hmac
import os
import re
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# IKEv2 transform IDs (RFC 7296 3.3.2, IANA): proposal keyword -> value
PRF_IDS = {"prfsha256": (5, "sha256"), "prfsha384": (6, "sha384"),
           "prfsha512": (7, "sha512")}
# integrity keyword -> (transform id, hash, key octets, ICV octets)
INTEG_IDS = {"sha256": (12, "sha256", 32, 16), "sha384": (13, "sha384", 48, 24),
             "sha512": (14, "sha512", 64, 32)}
ENCR_AES_CBC = 12
ENCR_AES_GCM_16 = 20

EXCH_IKE_SA_INIT = 34
EXCH_IKE_AUTH = 35
EXCH_INFORMATIONAL = 37
PLD_SK = 46
PLD_NONCE = 40
PLD_IDI = 35
PLD_IDR = 36
PLD_AUTH = 39
AUTH_PSK = 2
FLAG_R = 0x20

LOG_DUMP = re.compile(r"^(\d+)\[(\w+)\] (.+?) => (\d+) bytes @ 0x[0-9a-f]+$")
LOG_HEX = re.compile(r"^(\d+)\[\w+\]\s+\d+: ((?:[0-9A-F]{2} )*[0-9A-F]{2})")


class Suite:
    """Algorithms of one IKE proposal such as aes128-sha256-ecp256."""

    def __init__(self, proposal):
        parts = proposal.split("-")
        encr = parts[0]
        m = re.fullmatch(r"aes(\d+)(gcm16)?", encr)
        if not m:
            raise ValueError("unsupported encryption " + encr)
        self.enc_bits = int(m.group(1))
        self.aead = m.group(2) is not None
        self.encr_id = ENCR_AES_GCM_16 if self.aead else ENCR_AES_CBC
        if self.aead:
            self.prf_id, self.prf_hash = PRF_IDS[parts[1]]
            self.integ_id, self.integ_len, self.icv_len = 0, 0, 16
        else:
            self.integ_id, integ_hash, self.integ_len, self.icv_len = \
                INTEG_IDS[parts[1]]
            self.integ_hash = integ_hash
            # "aes128-sha256-..." implies the PRF of the same hash
            self.prf_id, self.prf_hash = PRF_IDS["prf" + parts[1]]
        self.prf_len = {"sha256": 32, "sha384": 48, "sha512": 64}[self.prf_hash]
        self.enc_len = self.enc_bits // 8 + (4 if self.aead else 0)

    def prf(self, key, data):
        return hmac.new(key, data, self.prf_hash).digest()

    def prf_plus(self, key, seed, length):
        out, t, i = b"", b"", 1
        while len(out) < length:
            t = self.prf(key, t + seed + bytes([i]))
            out += t
            i += 1
        return out[:length]


def read_dumps(path):
    """All '<label> => N bytes' hex dumps of a charon log, in log order."""
    dumps, open_dump = [], {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = LOG_DUMP.match(line)
            if m:
                entry = [m.group(3), int(m.group(4)), bytearray()]
                dumps.append(entry)
                open_dump[m.group(1)] = entry
                continue
            m = LOG_HEX.match(line)
            # lines of concurrent threads interleave: match by thread id
            if m and m.group(1) in open_dump:
                entry = open_dump[m.group(1)]
                entry[2] += bytes.fromhex(m.group(2).replace(" ", ""))
    for label, size, data in dumps:
        if len(data) != size:
            raise ValueError("%s: dump '%s' has %d of %d bytes"
                             % (path, label, len(data), size))
    return [(label, bytes(data)) for label, _, data in dumps]


def one(dumps, label, path):
    found = [d for lab, d in dumps if lab == label]
    if len(found) != 1:
        raise ValueError("%s: %d dumps labelled '%s'" % (path, len(found), label))
    return found[0]


def read_pcap_udp(path):
    """UDP payloads of a classic pcap file (Ethernet or Linux SLL, IPv4)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        endian = ">"
    else:
        raise ValueError(path + ": not a pcap file")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    l2_len = {1: 14, 113: 16}.get(linktype)
    if l2_len is None:
        raise ValueError("%s: link type %d" % (path, linktype))
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = frame[l2_len:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        udp = ip[(ip[0] & 15) * 4:]
        ulen = struct.unpack("!H", udp[4:6])[0]
        out.append(udp[8:ulen])
    return out


def ike_messages(payloads):
    """IKE messages in capture order: Non-ESP marker removed, NAT-T
    keepalives and retransmissions dropped."""
    msgs = []
    for p in payloads:
        if len(p) >= 4 and p[:4] == b"\0\0\0\0":
            p = p[4:]
        elif len(p) == 1 and p[0] == 0xFF:
            continue
        if len(p) < 28 or p in msgs:
            continue
        length = struct.unpack("!I", p[24:28])[0]
        if length != len(p):
            raise ValueError("IKE length %d != UDP payload %d" % (length, len(p)))
        msgs.append(p)
    return msgs


def payloads(first, body):
    """(type, body) of a payload chain."""
    out, off = [], 0
    while first != 0:
        nxt, length = body[off], struct.unpack("!H", body[off + 2:off + 4])[0]
        if length < 4 or off + length > len(body):
            raise ValueError("bad payload length")
        out.append((first, body[off + 4:off + length]))
        if first == PLD_SK:
            break       # its next-payload field names the first inner one
        first, off = nxt, off + length
    return out


def find(msgs, exch, response):
    for m in msgs:
        if m[18] == exch and bool(m[19] & FLAG_R) == response:
            return m
    raise ValueError("exchange %d %s not captured"
                     % (exch, "response" if response else "request"))


def open_sk(suite, msg, sk_e, sk_a):
    """Decrypt and authenticate the SK payload of msg; inner payloads."""
    pl = payloads(msg[16], msg[28:])
    if len(pl) != 1 or pl[0][0] != PLD_SK:
        raise ValueError("expected a single SK payload")
    inner_first = msg[28]
    body_off = 28 + 4
    if suite.aead:
        key, salt = sk_e[:-4], sk_e[-4:]
        iv = msg[body_off:body_off + 8]
        ct = msg[body_off + 8:]
        aad = msg[:body_off]
        plain = AESGCM(key).decrypt(salt + iv, ct, aad)
    else:
        icv = msg[-suite.icv_len:]
        mac = hmac.new(sk_a, msg[:-suite.icv_len], suite.integ_hash).digest()
        if not hmac.compare_digest(mac[:suite.icv_len], icv):
            raise ValueError("ICV mismatch")
        iv = msg[body_off:body_off + 16]
        ct = msg[body_off + 16:-suite.icv_len]
        dec = Cipher(algorithms.AES(sk_e), modes.CBC(iv)).decryptor()
        plain = dec.update(ct) + dec.finalize()
    pad = plain[-1]
    return payloads(inner_first, plain[:-1 - pad])


def check_auth(suite, psk, real_msg, nonce, inner, id_type, sk_p, logged):
    """Verify the PSK AUTH payload of a decrypted IKE_AUTH message; return
    the psk-auth vector fields.  logged: strongSwan's "octets" dumps."""
    ids = [b for t, b in inner if t == id_type]
    auths = [b for t, b in inner if t == PLD_AUTH]
    if len(ids) != 1 or len(auths) != 1 or auths[0][0] != AUTH_PSK:
        raise ValueError("IKE_AUTH without one ID and one PSK AUTH")
    octets = real_msg + nonce + suite.prf(sk_p, ids[0])
    want = suite.prf(suite.prf(psk, b"Key Pad for IKEv2"), octets)
    if want != auths[0][4:]:
        raise ValueError("AUTH payload does not verify")
    if octets not in logged:
        raise ValueError("signed octets differ from strongSwan's log")
    return [("PRF", str(suite.prf_id)), ("PSK", psk.hex()), ("SK_p", sk_p.hex()),
            ("RealMessage", real_msg.hex()), ("Nonce", nonce.hex()),
            ("ID", ids[0].hex()), ("SignedOctets", octets.hex()),
            ("AUTH", want.hex())]


IKE_LABELS = [("g^ir", "shared Diffie Hellman secret"), ("SKEYSEED", "SKEYSEED"),
              ("SK_d", "Sk_d secret"), ("SK_ai", "Sk_ai secret"),
              ("SK_ar", "Sk_ar secret"), ("SK_ei", "Sk_ei secret"),
              ("SK_er", "Sk_er secret"), ("SK_pi", "Sk_pi secret"),
              ("SK_pr", "Sk_pr secret")]
CHILD_LABELS = ["encryption initiator key", "integrity initiator key",
                "encryption responder key", "integrity responder key"]


def esp_ids(esp):
    parts = esp.split("-")
    m = re.fullmatch(r"aes(\d+)(gcm16)?", parts[0])
    if m.group(2):
        return ENCR_AES_GCM_16, int(m.group(1)), 0
    return ENCR_AES_CBC, int(m.group(1)), INTEG_IDS[parts[1]][0]


def process_case(run, name, proposal, psk):
    suite = Suite(proposal)
    ilog = os.path.join(run, name + ".initiator.log")
    rlog = os.path.join(run, name + ".responder.log")
    idumps, rdumps = read_dumps(ilog), read_dumps(rlog)
    v = {}
    for field, label in IKE_LABELS:
        if not suite.aead or field not in ("SK_ai", "SK_ar"):
            v[field] = one(idumps, label, ilog)
            if one(rdumps, label, rlog) != v[field]:
                raise ValueError("%s: %s differs between peers" % (name, field))

    msgs = ike_messages(read_pcap_udp(os.path.join(run, name + ".pcap")))
    init_req = find(msgs, EXCH_IKE_SA_INIT, False)
    init_resp = find(msgs, EXCH_IKE_SA_INIT, True)
    auth_req = find(msgs, EXCH_IKE_AUTH, False)
    auth_resp = find(msgs, EXCH_IKE_AUTH, True)
    ni = [b for t, b in payloads(init_req[16], init_req[28:]) if t == PLD_NONCE]
    nr = [b for t, b in payloads(init_resp[16], init_resp[28:]) if t == PLD_NONCE]
    v["Ni"], v["Nr"] = ni[0], nr[0]
    v["SPIi"], v["SPIr"] = init_resp[0:8], init_resp[8:16]

    # independent checks
    if suite.prf(v["Ni"] + v["Nr"], v["g^ir"]) != v["SKEYSEED"]:
        raise ValueError(name + ": SKEYSEED != prf(Ni | Nr, g^ir)")
    sizes = [("SK_d", suite.prf_len), ("SK_ai", suite.integ_len),
             ("SK_ar", suite.integ_len), ("SK_ei", suite.enc_len),
             ("SK_er", suite.enc_len), ("SK_pi", suite.prf_len),
             ("SK_pr", suite.prf_len)]
    stream = suite.prf_plus(v["SKEYSEED"], v["Ni"] + v["Nr"] + v["SPIi"] + v["SPIr"],
                            sum(s for _, s in sizes))
    off = 0
    for field, size in sizes:
        if size and stream[off:off + size] != v[field]:
            raise ValueError("%s: %s != prf+ output" % (name, field))
        off += size
    req_inner = open_sk(suite, auth_req, v["SK_ei"], v.get("SK_ai"))
    resp_inner = open_sk(suite, auth_resp, v["SK_er"], v.get("SK_ar"))
    logged = [d for lab, d in idumps
              if lab == "octets = message + nonce + prf(Sk_px, IDx')"]
    auth = [check_auth(suite, psk, init_req, v["Nr"], req_inner, PLD_IDI,
                       v["SK_pi"], logged),
            check_auth(suite, psk, init_resp, v["Ni"], resp_inner, PLD_IDR,
                       v["SK_pr"], logged)]

    # RFC 7296 2.17 order (strongSwan logs both encryption keys first)
    child = b"".join(d for label in CHILD_LABELS
                     for lab, d in idumps if lab == label)
    if one(idumps, "seed", ilog) != v["Ni"] + v["Nr"]:
        raise ValueError(name + ": CHILD_SA seed != Ni | Nr")
    if suite.prf_plus(v["SK_d"], v["Ni"] + v["Nr"], len(child)) != child:
        raise ValueError(name + ": CHILD_SA keys != prf+(SK_d, Ni | Nr)")
    v["ChildKEYMAT"] = child
    for field, label in zip(("ESP_ei", "ESP_ai", "ESP_er", "ESP_ar"),
                            CHILD_LABELS):
        found = [d for lab, d in idumps if lab == label]
        if found:
            v[field] = found[0]
    return suite, v, auth, msgs


def block(count, name, proposal, esp, suite, v):
    lines = ["", "# %s: IKE %s, ESP %s" % (name, proposal, esp),
             "COUNT = %d" % count, "PRF = %d" % suite.prf_id,
             "ENCR = %d/%d" % (suite.encr_id, suite.enc_bits),
             "INTEG = %d" % suite.integ_id]
    for field in ("Ni", "Nr", "g^ir", "SPIi", "SPIr", "SKEYSEED", "SK_d",
                  "SK_ai", "SK_ar", "SK_ei", "SK_er", "SK_pi", "SK_pr"):
        if field in v:
            lines.append("%s = %s" % (field, v[field].hex()))
    encr, bits, integ = esp_ids(esp)
    lines += ["# CHILD_SA from IKE_AUTH (no PFS): ChildKEYMAT = prf+(SK_d, Ni | Nr),",
              "# = ESP_ei | ESP_ai | ESP_er | ESP_ar (GCM: ESP_e* = key | salt, no ESP_a*)",
              "ESP_ENCR = %d/%d" % (encr, bits), "ESP_INTEG = %d" % integ,
              "ChildKEYMAT = %s" % v["ChildKEYMAT"].hex()]
    for field in ("ESP_ei", "ESP_ai", "ESP_er", "ESP_ar"):
        if field in v:
            lines.append("%s = %s" % (field, v[field].hex()))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--out-auth", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--package", required=True)
    ap.add_argument("--psk", required=True)
    ap.add_argument("cases", nargs="+", help="name:ike-proposal:esp-proposal")
    args = ap.parse_args()

    out = ["# IKEv2 key derivation vectors (RFC 7296 2.14, 2.17) from a real peer:",
           "# %s (Debian package %s), charon initiator and charon responder"
           % (args.version, args.package),
           "# on 127.0.0.1, PSK, one IKE_SA per block, charon log levels ike = 4, chd = 4.",
           "# Produced by tests/vectors/capture_strongswan_kdf.sh on %s."
           % datetime.date.today().isoformat(),
           "# Ni, Nr, SPIi, SPIr: from the captured IKE_SA_INIT messages; g^ir (strongSwan's",
           "# \"shared Diffie Hellman secret\"), SKEYSEED, SK_*: from both peers' logs (equal).",
           "# Checked with python3-cryptography: SKEYSEED = prf(Ni | Nr, g^ir);",
           "# SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr);",
           "# the captured IKE_AUTH messages decrypt with SK_e*/SK_a* and their PSK AUTH",
           "# payloads verify with SK_p*.  GCM: no SK_a*, SK_e* = key | 4-octet salt.",
           "# PRF/ENCR/INTEG are IKEv2 transform IDs (ENCR = id/key bits)."]
    out_auth = ["# IKEv2 PSK AUTH vectors (RFC 7296 2.15) from a real peer: %s"
                % args.version,
                "# (Debian package %s), the IKE_SAs of strongswan-kdf-sha2.txt."
                % args.package,
                "# Produced by tests/vectors/capture_strongswan_kdf.sh on %s."
                % datetime.date.today().isoformat(),
                "# RealMessage, Nonce, ID (RestOfIDPayload), AUTH: from the captured messages",
                "# (IKE_AUTH decrypted); SK_p from charon's log; SignedOctets equal charon's",
                "# logged octets = RealMessage | Nonce | prf(SK_p, ID) and",
                "# AUTH = prf(prf(PSK, \"Key Pad for IKEv2\"), SignedOctets) (python3-cryptography).",
                "# Per IKE_SA: initiator AUTH (SK_pi, IDi) then responder AUTH (SK_pr, IDr)."]
    count = 0
    os.makedirs(args.corpus, exist_ok=True)
    for case in args.cases:
        name, proposal, esp = case.split(":")
        suite, v, auth, msgs = process_case(args.run, name, proposal,
                                            args.psk.encode())
        out += block(count, name, proposal, esp, suite, v)
        for side, fields in zip(("initiator", "responder"), auth):
            out_auth += ["", "# %s: IKE %s, %s AUTH" % (name, proposal, side),
                         "Type = psk-auth"]
            out_auth += ["%s = %s" % kv for kv in fields]
        for n, msg in enumerate(msgs):
            path = os.path.join(args.corpus, "strongswan-%s-%d.bin" % (proposal, n))
            with open(path, "wb") as f:
                f.write(msg)
        print("%s: %d messages, keys verified" % (name, len(msgs)))
        count += 1
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    with open(args.out_auth, "w") as f:
        f.write("\n".join(out_auth) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
