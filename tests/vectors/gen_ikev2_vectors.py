#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Independent IKEv2 known-answer vectors for the C key schedule and SK code.

Implements the formulas straight from the RFCs with python3-cryptography's
HMAC, AES-GCM and AES-CBC (no ikefarm code involved):
  RFC 7296 2.13 prf+, 2.14 SKEYSEED and SK_*, 2.15 PSK AUTH, 2.17 Child SA
  KEYMAT, 2.18 IKE SA rekey, 3.14 SK payload; RFC 5282 (AES-GCM SK payload,
  key | salt); RFC 5723 5.1 resumption; RFC 7383 2.5 SKF; RFC 9242 3.3.2
  IntAuth in the signed octets; RFC 9370 2.2.2 additional key exchange and
  2.2.5 keys after IKE_FOLLOWUP_KE (IKE SA rekey SKEYSEED, Child SA KEYMAT).

Inputs are fixed pseudo-random bytes (SHAKE-256 of a label), so the output
is reproducible. Usage:
  gen_ikev2_vectors.py              write the vectors to stdout
  gen_ikev2_vectors.py --check F    regenerate and compare with file F
"""
import sys

try:
    from cryptography.hazmat.primitives import hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:
    sys.stderr.write("gen_ikev2_vectors.py: python3-cryptography is missing "
                     "(apt-get install python3-cryptography)\n")
    sys.exit(1)

from ikev2_prf import (ENCR_AES_CBC, ENCR_AES_GCM_16, GCM_SALT, INTEG, det, enc_len,
                       integ_key_len, main, prf, prf_plus, sa_keys)


class Out:
    def __init__(self):
        self.lines = []

    def comment(self, text):
        self.lines.append(("# " + text) if text else "#")

    def block(self, items):
        for k, v in items:
            self.lines.append("%s = %s" % (k, v.hex() if isinstance(v, bytes) else v))
        self.lines.append("")

    def text(self):
        return "\n".join(self.lines)


def ike_cases(o):
    o.comment("IKE SA: SKEYSEED = prf(Ni | Nr, g^ir); SK_* = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)")
    o.comment("")
    cases = [(5, ENCR_AES_GCM_16, 128, 0, 32, 32), (5, ENCR_AES_CBC, 128, 12, 256, 32),
             (5, ENCR_AES_CBC, 256, 14, 32, 16), (6, ENCR_AES_GCM_16, 256, 0, 48, 48),
             (6, ENCR_AES_CBC, 256, 13, 48, 40), (7, ENCR_AES_CBC, 256, 14, 256, 64),
             (7, ENCR_AES_GCM_16, 256, 0, 32, 255), (7, ENCR_AES_GCM_16, 192, 0, 97, 17)]
    for n, (alg, encr, bits, integ, gir_len, nonce_len) in enumerate(cases):
        lab = "ike-%d" % n
        ni, nr = det(lab + "Ni", nonce_len), det(lab + "Nr", nonce_len + 1)
        gir = det(lab + "gir", gir_len)
        spii, spir = det(lab + "SPIi", 8), det(lab + "SPIr", 8)
        skeyseed = prf(alg, ni + nr, gir)
        o.block([("Type", "ike"), ("PRF", alg), ("ENCR", "%d/%d" % (encr, bits)),
                 ("INTEG", integ), ("Ni", ni), ("Nr", nr), ("g^ir", gir), ("SPIi", spii),
                 ("SPIr", spir), ("SKEYSEED", skeyseed)] +
                sa_keys(alg, skeyseed, ni, nr, spii, spir, encr, bits, integ))


def child_cases(o):
    o.comment("Child SA: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), i->r keys first,")
    o.comment("each SA: encryption key (| GCM salt) then integrity key")
    o.comment("")
    cases = [(5, ENCR_AES_GCM_16, 128, 0, 0), (5, ENCR_AES_GCM_16, 256, 0, 256),
             (5, ENCR_AES_CBC, 128, 12, 0), (6, ENCR_AES_CBC, 256, 13, 48),
             (7, ENCR_AES_CBC, 256, 14, 0), (7, ENCR_AES_GCM_16, 256, 0, 32)]
    for n, (alg, encr, bits, integ, gir_len) in enumerate(cases):
        lab = "child-%d" % n
        sk_d = det(lab + "SK_d", len(prf(alg, b"", b"")))
        ni, nr = det(lab + "Ni", 32), det(lab + "Nr", 32)
        gir = det(lab + "gir", gir_len)
        e, a = enc_len(encr, bits), integ_key_len(integ)
        km = prf_plus(alg, sk_d, gir + ni + nr, 2 * (e + a))
        items = [("Type", "child"), ("PRF", alg), ("SK_d", sk_d),
                 ("ENCR", "%d/%d" % (encr, bits)), ("INTEG", integ), ("Ni", ni), ("Nr", nr)]
        if gir_len:
            items.append(("g^ir (new)", gir))
        items += [("KEYMAT", km), ("ESP_ei", km[:e])]
        if a:
            items.append(("ESP_ai", km[e:e + a]))
        items.append(("ESP_er", km[e + a:2 * e + a]))
        if a:
            items.append(("ESP_ar", km[2 * e + a:]))
        o.block(items)


def rekey_cases(o):
    o.comment("IKE SA rekey: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF,")
    o.comment("SK_* from it with the new PRF, new nonces and SPIs (RFC 7296 2.18)")
    o.comment("")
    cases = [(5, 7, ENCR_AES_CBC, 256, 14), (7, 5, ENCR_AES_GCM_16, 128, 0),
             (6, 6, ENCR_AES_GCM_16, 256, 0)]
    for n, (old, alg, encr, bits, integ) in enumerate(cases):
        lab = "rekey-%d" % n
        sk_d = det(lab + "SK_d", len(prf(old, b"", b"")))
        ni, nr = det(lab + "Ni", 32), det(lab + "Nr", 32)
        gir = det(lab + "gir", 32)
        spii, spir = det(lab + "SPIi", 8), det(lab + "SPIr", 8)
        skeyseed = prf(old, sk_d, gir + ni + nr)
        o.block([("Type", "rekey"), ("PRF (old)", old), ("SK_d (old)", sk_d), ("PRF", alg),
                 ("ENCR", "%d/%d" % (encr, bits)), ("INTEG", integ), ("g^ir (new)", gir),
                 ("Ni", ni), ("Nr", nr), ("SPIi", spii), ("SPIr", spir),
                 ("SKEYSEED", skeyseed)] +
                sa_keys(alg, skeyseed, ni, nr, spii, spir, encr, bits, integ))


def resume_cases(o):
    o.comment("Resumption: SKEYSEED = prf(SK_d_old, \"Resumption\" | Ni | Nr) (RFC 5723 5.1)")
    o.comment("")
    cases = [(5, ENCR_AES_GCM_16, 256, 0), (6, ENCR_AES_CBC, 128, 12), (7, ENCR_AES_CBC, 256, 14)]
    for n, (alg, encr, bits, integ) in enumerate(cases):
        lab = "resume-%d" % n
        sk_d = det(lab + "SK_d", len(prf(alg, b"", b"")))
        ni, nr = det(lab + "Ni", 32), det(lab + "Nr", 32)
        spii, spir = det(lab + "SPIi", 8), det(lab + "SPIr", 8)
        skeyseed = prf(alg, sk_d, b"Resumption" + ni + nr)
        o.block([("Type", "resume"), ("PRF", alg), ("ENCR", "%d/%d" % (encr, bits)),
                 ("INTEG", integ), ("SK_d (old)", sk_d), ("Ni", ni), ("Nr", nr),
                 ("SPIi", spii), ("SPIr", spir), ("SKEYSEED", skeyseed)] +
                sa_keys(alg, skeyseed, ni, nr, spii, spir, encr, bits, integ))


def addke_cases(o):
    o.comment("Additional key exchange: SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr),")
    o.comment("SK_*(n) = prf+(SKEYSEED(n), Ni | Nr | SPIi | SPIr) (RFC 9370 2.2.2)")
    o.comment("")
    cases = [(5, ENCR_AES_GCM_16, 256, 0), (7, ENCR_AES_CBC, 256, 14)]
    for n, (alg, encr, bits, integ) in enumerate(cases):
        lab = "addke-%d" % n
        sk_d = det(lab + "SK_d", len(prf(alg, b"", b"")))
        skn = det(lab + "SK(n)", 32)
        ni, nr = det(lab + "Ni", 32), det(lab + "Nr", 32)
        spii, spir = det(lab + "SPIi", 8), det(lab + "SPIr", 8)
        skeyseed = prf(alg, sk_d, skn + ni + nr)
        o.block([("Type", "addke"), ("PRF", alg), ("ENCR", "%d/%d" % (encr, bits)),
                 ("INTEG", integ), ("SK_d (n-1)", sk_d), ("SK(n)", skn), ("Ni", ni),
                 ("Nr", nr), ("SPIi", spii), ("SPIr", spir), ("SKEYSEED", skeyseed)] +
                sa_keys(alg, skeyseed, ni, nr, spii, spir, encr, bits, integ))


def followup_cases(o):
    o.comment("RFC 9370 2.2.5, additional key exchanges in CREATE_CHILD_SA / IKE_FOLLOWUP_KE:")
    o.comment("  IKE SA rekey: SKEYSEED = prf(SK_d (old), SK(0) | Ni | Nr | SK(1) | ... | SK(n))")
    o.comment("  Child SA:     KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n))")
    o.comment("SK(0) from the CREATE_CHILD_SA KE payload, SK(i) from the i-th IKE_FOLLOWUP_KE")
    o.comment("")
    rekeys = [(5, 5, ENCR_AES_GCM_16, 256, 0, [32, 32, 256]),
              (7, 6, ENCR_AES_CBC, 256, 13, [256, 48, 32, 66]),
              (6, 7, ENCR_AES_GCM_16, 128, 0, [48, 512])]
    for n, (old, alg, encr, bits, integ, lens) in enumerate(rekeys):
        lab = "followup-rekey-%d" % n
        sk_d = det(lab + "SK_d", len(prf(old, b"", b"")))
        ni, nr = det(lab + "Ni", 32), det(lab + "Nr", 32)
        sks = [det(lab + "SK(%d)" % i, k) for i, k in enumerate(lens)]
        spii, spir = det(lab + "SPIi", 8), det(lab + "SPIr", 8)
        skeyseed = prf(old, sk_d, sks[0] + ni + nr + b"".join(sks[1:]))
        o.block([("Type", "followup-rekey"), ("PRF (old)", old), ("SK_d (old)", sk_d),
                 ("PRF", alg), ("ENCR", "%d/%d" % (encr, bits)), ("INTEG", integ), ("Ni", ni),
                 ("Nr", nr), ("SPIi", spii), ("SPIr", spir)] +
                [("SK(%d)" % i, v) for i, v in enumerate(sks)] + [("SKEYSEED", skeyseed)] +
                sa_keys(alg, skeyseed, ni, nr, spii, spir, encr, bits, integ))
    children = [(5, ENCR_AES_GCM_16, 256, 0, [32, 32]),
                (6, ENCR_AES_CBC, 128, 12, [256, 256, 48]),
                (7, ENCR_AES_CBC, 256, 14, [66, 32, 48, 256, 512, 32, 32, 48])]
    for n, (alg, encr, bits, integ, lens) in enumerate(children):
        lab = "followup-child-%d" % n
        sk_d = det(lab + "SK_d", len(prf(alg, b"", b"")))
        ni, nr = det(lab + "Ni", 48), det(lab + "Nr", 32)
        sks = [det(lab + "SK(%d)" % i, k) for i, k in enumerate(lens)]
        e, a = enc_len(encr, bits), integ_key_len(integ)
        km = prf_plus(alg, sk_d, sks[0] + ni + nr + b"".join(sks[1:]), 2 * (e + a))
        items = [("Type", "followup-child"), ("PRF", alg), ("SK_d", sk_d),
                 ("ENCR", "%d/%d" % (encr, bits)), ("INTEG", integ), ("Ni", ni), ("Nr", nr)]
        items += [("SK(%d)" % i, v) for i, v in enumerate(sks)]
        items += [("KEYMAT", km), ("ESP_ei", km[:e])]
        if a:
            items.append(("ESP_ai", km[e:e + a]))
        items.append(("ESP_er", km[e + a:2 * e + a]))
        if a:
            items.append(("ESP_ar", km[2 * e + a:]))
        o.block(items)


def psk_cases(o):
    o.comment("PSK AUTH: SignedOctets = RealMessage | Nonce | prf(SK_p, RestOfIDPayload) [| IntAuth]")
    o.comment("AUTH = prf(prf(PSK, \"Key Pad for IKEv2\"), SignedOctets) (RFC 7296 2.15, RFC 9242 3.3.2)")
    o.comment("")
    cases = [(5, 16, False), (6, 64, True), (7, 33, False), (2, 20, True)]
    for n, (alg, psk_len, intauth) in enumerate(cases):
        lab = "psk-%d" % n
        plen = len(prf(alg, b"", b""))
        psk, sk_p = det(lab + "PSK", psk_len), det(lab + "SK_p", plen)
        real = det(lab + "RealMessage", 300 + n)
        nonce = det(lab + "Nonce", 32)
        ident = bytes([2, 0, 0, 0]) + b"responder.example"  # ID_FQDN | RESERVED | data
        ia = det(lab + "IntAuth", 2 * plen) + bytes([0, 0, 0, 2]) if intauth else b""
        octets = real + nonce + prf(alg, sk_p, ident) + ia
        auth = prf(alg, prf(alg, psk, b"Key Pad for IKEv2"), octets)
        items = [("Type", "psk-auth"), ("PRF", alg), ("PSK", psk), ("SK_p", sk_p),
                 ("RealMessage", real), ("Nonce", nonce), ("ID", ident)]
        if intauth:
            items.append(("IntAuth", ia))
        o.block(items + [("SignedOctets", octets), ("AUTH", auth)])


def ike_header(lab, next_payload):
    # SPIi | SPIr | Next Payload | Version 2.0 | IKE_AUTH | Response | MID 1 | Length (set later)
    return det(lab + "SPIi", 8) + det(lab + "SPIr", 8) + bytes(
        [next_payload, 0x20, 35, 0x20, 0, 0, 0, 1, 0, 0, 0, 0])


def seal(encr, integ, sk_e, sk_a, prefix, hdr_len, iv, inner):
    gcm = encr == ENCR_AES_GCM_16
    block = 1 if gcm else 16
    pad = (block - (len(inner) + 1) % block) % block
    body = inner + bytes(pad) + bytes([pad])
    icv_len = 16 if gcm else INTEG[integ][2]
    total = len(prefix) + len(iv) + len(body) + icv_len
    sk_off = len(prefix) - hdr_len
    msg = bytearray(prefix)
    msg[24:28] = total.to_bytes(4, "big")
    msg[sk_off + 2:sk_off + 4] = (total - sk_off).to_bytes(2, "big")
    if gcm:
        ct = AESGCM(sk_e[:-GCM_SALT]).encrypt(sk_e[-GCM_SALT:] + iv, body, bytes(msg))
        return bytes(msg) + iv + ct
    enc = Cipher(algorithms.AES(sk_e), modes.CBC(iv)).encryptor()
    ct = enc.update(body) + enc.finalize()
    h = hmac.HMAC(sk_a, INTEG[integ][0]())
    h.update(bytes(msg) + iv + ct)
    return bytes(msg) + iv + ct + h.finalize()[:icv_len]


def sk_cases(o):
    o.comment("SK / SKF payloads sealed with AES-GCM (RFC 5282) or AES-CBC + HMAC (RFC 7296 3.14).")
    o.comment("Prefix = IKE header | SK or SKF header as the builder leaves it; Sealed = final message")
    o.comment("")
    cases = [("sk", ENCR_AES_GCM_16, 128, 0, 40), ("sk", ENCR_AES_GCM_16, 256, 0, 17),
             ("sk", ENCR_AES_CBC, 128, 12, 40), ("sk", ENCR_AES_CBC, 256, 14, 15),
             ("sk", ENCR_AES_CBC, 192, 13, 32), ("skf", ENCR_AES_GCM_16, 256, 0, 100),
             ("skf", ENCR_AES_CBC, 256, 12, 77)]
    for n, (kind, encr, bits, integ, inner_len) in enumerate(cases):
        lab = "sk-%d" % n
        gcm = encr == ENCR_AES_GCM_16
        sk_e = det(lab + "SK_e", enc_len(encr, bits))
        sk_a = det(lab + "SK_a", integ_key_len(integ))
        iv = det(lab + "IV", 8 if gcm else 16)
        inner = det(lab + "Inner", inner_len)
        if kind == "sk":
            hdr = bytes([35, 0, 0, 0])  # next payload IDi, length set by seal
            prefix = ike_header(lab, 46) + hdr
        else:
            hdr = bytes([35, 0, 0, 0, 0, 1, 0, 3])  # fragment 1 of 3
            prefix = ike_header(lab, 53) + hdr
        sealed = seal(encr, integ, sk_e, sk_a, prefix, len(hdr), iv, inner)
        items = [("Type", kind), ("ENCR", "%d/%d" % (encr, bits)), ("INTEG", integ),
                 ("SK_e", sk_e)]
        if integ:
            items.append(("SK_a", sk_a))
        o.block(items + [("Prefix", prefix), ("IV", iv), ("Inner", inner), ("Sealed", sealed)])


def generate():
    o = Out()
    o.comment("IKEv2 key schedule and SK payload vectors (HMAC-SHA-1/SHA-2 PRFs, AES-GCM-16, AES-CBC).")
    o.comment("Generated by tests/vectors/gen_ikev2_vectors.py with python3-cryptography; do not edit.")
    o.comment("")
    ike_cases(o)
    child_cases(o)
    rekey_cases(o)
    resume_cases(o)
    addke_cases(o)
    followup_cases(o)
    psk_cases(o)
    sk_cases(o)
    return o.text()


if __name__ == "__main__":
    sys.exit(main(sys.argv, generate()))
