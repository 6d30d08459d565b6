#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ESP tunnel-mode packets (RFC 4303) built with python3-cryptography only,
independent of lib/esp: AES-GCM-16 (RFC 4106) and AES-CBC (RFC 3602) with
HMAC-SHA2 (RFC 4868), 32- and 64-bit sequence numbers (RFC 4303 2.2.1,
3.3.2.1; RFC 4106 5), RFC 3948 UDP encapsulation, IPv4 and IPv6 outer
headers, and a dummy packet (next header 59). Writes esp-tunnel.txt
(tests/unit/esp/test_esp_vectors.c reads it); --check FILE compares.

--stream writes esp-esn-stream.txt instead: packets of one SA in arrival
order across a 2^32 boundary of the sequence number (the high half
rolling over, late packets from the old subspace, replays, and packets so
far behind that RFC 4303 A2.2 infers the wrong high half and the ICV
fails), each with the outcome an independent model of the receiver
(A2.2 inference, 3.4.3 window as a set) expects: ok, replay or auth."""
import struct
import sys

try:
    from cryptography.hazmat.primitives import hashes, hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:
    sys.exit("needs python3-cryptography (apt-get install python3-cryptography)")

HASH = {"sha256": (hashes.SHA256, 16, 32), "sha384": (hashes.SHA384, 24, 48),
        "sha512": (hashes.SHA512, 32, 64)}
TTL = 64


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, TTL, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, TTL, src, dst) + payload


def udp(src, dst, sport, dport, payload, v6):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    if not v6:
        return u  # RFC 3948 2.1: zero checksum over IPv4
    pseudo = src + dst + struct.pack("!IxxxB", len(u), 17)
    c = csum(pseudo + u) or 0xffff
    return u[:6] + struct.pack("!H", c) + u[8:]


def inner_packet(v6, n, size):
    """An ICMP echo request of size octets from the client's address."""
    body = bytes((n * 7 + i) & 0xff for i in range(size - (48 if v6 else 28)))
    if v6:
        src = bytes.fromhex("fd00009800000000000000000000000%x" % (n % 16))
        dst = bytes.fromhex("fd000099000000000000000000000002")
        return ipv6(src, dst, 58, struct.pack("!BBHHH", 128, 0, 0, n, 1) + body)
    src = bytes([10, 98, 0, 2 + n])
    dst = bytes([10, 99, 0, 2])
    return ipv4(src, dst, 1, struct.pack("!BBHHH", 8, 0, 0, n, 1) + body)


def esp(case, inner):
    alg, klen, spi, seq, esn = case["alg"], case["klen"], case["spi"], case["seq"], case["esn"]
    nh = case.get("nh", 41 if inner[0] >> 4 == 6 else 4)
    align = 4 if alg == "gcm" else 16
    pad = (align - (len(inner) + 2) % align) % align
    payload = inner + bytes(range(1, pad + 1)) + bytes([pad, nh])
    hdr = struct.pack("!II", spi, seq & 0xffffffff)
    km = case["keymat"]
    if alg == "gcm":
        iv = struct.pack("!Q", seq)  # the sequence number, as lib/esp sends it
        aad = struct.pack("!IQ", spi, seq) if esn else hdr
        ct = AESGCM(km[:klen]).encrypt(km[klen:klen + 4] + iv, payload, aad)
        return hdr + iv + ct
    h, icv_len, ikey_len = HASH[alg]
    iv = case["iv"]
    enc = Cipher(algorithms.AES(km[:klen]), modes.CBC(iv)).encryptor()
    ct = enc.update(payload) + enc.finalize()
    mac = hmac.HMAC(km[klen:klen + ikey_len], h())
    mac.update(hdr + iv + ct + (struct.pack("!I", seq >> 32) if esn else b""))
    return hdr + iv + ct + mac.finalize()[:icv_len]


def keymat(alg, klen, n):
    extra = 4 if alg == "gcm" else HASH[alg][2]
    return bytes((0x31 * (n + 1) + 5 * i) & 0xff for i in range(klen + extra))


CASES = [
    # name, alg, key len, inner v6, inner size, seq, esn, udp, outer v6
    ("gcm128-v4", "gcm", 16, False, 84, 1, False, False, False),
    ("gcm256-esn-udp", "gcm", 32, False, 61, (1 << 32) + 5, True, True, False),
    ("gcm256-v6-udp6", "gcm", 32, True, 100, 77, False, True, True),
    ("cbc128-sha256", "sha256", 16, False, 84, 2, False, False, False),
    ("cbc256-sha256-esn-udp", "sha256", 32, False, 1400, (3 << 32) + 0xfffffff0, True, True,
     False),
    ("cbc256-sha384-v6", "sha384", 32, True, 120, 9, False, False, True),
    ("cbc256-sha512", "sha512", 32, False, 29, 1000, False, False, False),
    ("cbc256-sha512-esn", "sha512", 32, False, 64, (7 << 32) | 1, True, False, False),
    ("gcm256-dummy", "gcm", 32, False, 40, 3, False, False, False),
]


WINDOW = 256  # lib/esp's ESP_REPLAY_WINDOW; the C test checks it is the same


def infer(top, seq_lo):
    """RFC 4303 A2.2: the 64-bit number for seq_lo given the window's top."""
    tl, th = top & 0xffffffff, top >> 32
    bottom = (tl - WINDOW + 1) % (1 << 32)
    if tl >= WINDOW - 1:  # the window lies in one subspace
        sh = th if seq_lo >= bottom else th + 1
    else:  # it straddles two
        sh = th - 1 if seq_lo >= bottom else th
    return sh << 32 | seq_lo if 0 <= sh < (1 << 32) else None


class Receiver:
    """What RFC 4303 3.4.3 makes of each packet: the window moves only
    for packets whose ICV (over the inferred high half) checks."""

    def __init__(self, top, esn):
        self.top, self.seen, self.esn = top, set(), esn

    def receive(self, seq):
        got = infer(self.top, seq & 0xffffffff) if self.esn else seq & 0xffffffff
        if got is None or got == 0 or got in self.seen or (
                got <= self.top and self.top - got >= WINDOW):
            return "replay"
        if got != seq:
            return "auth"  # the ICV covers the true high half, not the inferred one
        self.seen.add(got)
        self.top = max(self.top, got)
        return "ok"


B = 1 << 32
STREAMS = [
    # name, alg, key len, esn, udp, window top before the first packet, sender's numbers
    ("gcm256-esn-rollover", "gcm", 32, True, True, B - 10,
     [B - 5, B - 1, B, B + 1, B - 3, B - 1, B - 300, B + 200, B - 40, B + 400, B + 100,
      B + 150, B + 150]),
    ("cbc256-sha256-esn-rollover", "sha256", 32, True, False, 3 * B - 5,
     [3 * B - 2, 3 * B + 3, 3 * B - 1, 3 * B + 3, 3 * B - 1000, 3 * B + 254, 3 * B - 1,
      3 * B + 255]),
    ("gcm128-32bit-top", "gcm", 16, False, True, B - 6,
     [B - 2, B - 1, B - 4, B - 1, B - 257, B - 256]),
]


def stream_main():
    out = ["# ESP packets of one SA in arrival order across a 2^32 sequence number",
           "# boundary; generated by gen_esp_vectors.py --stream (python3-cryptography and",
           "# an independent model of RFC 4303 A2.2 / 3.4.3). expect: ok, replay or auth;",
           "# top: the window's top after the packet.", ""]
    src, dst = bytes([192, 0, 2, 1]), bytes([198, 51, 100, 7])
    for n, (name, alg, klen, esn, encap, top, seqs) in enumerate(STREAMS):
        rx = Receiver(top, esn)
        km = keymat(alg, klen, 20 + n)
        for i, seq in enumerate(seqs):
            case = {"alg": alg, "klen": klen, "spi": 0x02000200 + n, "seq": seq, "esn": esn,
                    "keymat": km, "iv": bytes((0x51 + 7 * i + n + k) & 0xff for k in range(16))}
            inner = inner_packet(False, i, 60 + 4 * i)
            e = esp(case, inner)
            sport = 40100 + n
            if encap:
                payload, proto = udp(src, dst, sport, 4500, e, False), 17
            else:
                payload, proto = e, 50
            expect = rx.receive(seq)
            out.append("name = %s #%d" % (name, i))
            for k, v in (("stream", name), ("alg", alg), ("enc_key_len", klen),
                         ("spi", case["spi"]), ("esn", int(esn)), ("udp", int(encap)),
                         ("sport", sport), ("dport", 4500), ("window", WINDOW),
                         ("first_top", top), ("seq", seq), ("expect", expect),
                         ("top", rx.top)):
                out.append("%s = %s" % (k, v))
            for k, v in (("keymat", km), ("iv", case["iv"] if alg != "gcm" else b""),
                         ("src", src), ("dst", dst), ("inner", inner),
                         ("outer", ipv4(src, dst, proto, payload))):
                out.append("%s = %s" % (k, v.hex()))
            out.append("")
    return "\n".join(out)


def main():
    out = ["# ESP tunnel-mode packets; generated by gen_esp_vectors.py",
           "# (python3-cryptography, independent of lib/esp). keymat = enc key | salt | integ key.",
           ""]
    for n, (name, alg, klen, iv6, size, seq, esn, encap, ov6) in enumerate(CASES):
        case = {"alg": alg, "klen": klen, "spi": 0x01000100 + 0x1111 * n, "seq": seq,
                "esn": esn, "keymat": keymat(alg, klen, n),
                "iv": bytes((0xc0 + 3 * i + n) & 0xff for i in range(16))}
        inner = inner_packet(iv6, n, size)
        if name.endswith("dummy"):
            case["nh"] = 59
        e = esp(case, inner)
        if ov6:
            src = bytes.fromhex("20010db8000000000000000000000001")
            dst = bytes.fromhex("20010db80000000000000000000000%02x" % (0x10 + n))
        else:
            src, dst = bytes([192, 0, 2, 1]), bytes([198, 51, 100, 10 + n])
        sport, dport = 40000 + n, 4500  # as the peer sends them to us
        if encap:
            payload, proto = udp(src, dst, sport, dport, e, ov6), 17
        else:
            payload, proto = e, 50
        outer = ipv6(src, dst, proto, payload) if ov6 else ipv4(src, dst, proto, payload)
        out.append("name = " + name)
        for k, v in (("alg", alg), ("enc_key_len", klen), ("spi", case["spi"]), ("seq", seq),
                     ("esn", int(esn)), ("udp", int(encap)), ("sport", sport),
                     ("dport", dport), ("next_header", case.get("nh", 0))):
            out.append("%s = %s" % (k, v))
        for k, v in (("keymat", case["keymat"]), ("iv", case["iv"] if alg != "gcm" else b""),
                     ("src", src), ("dst", dst), ("inner", inner), ("outer", outer)):
            out.append("%s = %s" % (k, v.hex()))
        out.append("")
    text = "\n".join(out)
    if "--stream" in sys.argv:
        sys.argv.remove("--stream")
        text = stream_main()
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        with open(sys.argv[2]) as f:
            if f.read() != text:
                sys.exit("%s differs from what gen_esp_vectors.py generates" % sys.argv[2])
        return
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
