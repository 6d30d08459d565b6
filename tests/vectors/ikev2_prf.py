# SPDX-License-Identifier: BSD-3-Clause
"""RFC 7296 key schedule pieces shared by the vector generators, written from
the RFC with python3-cryptography's HMAC only (no ikefarm code involved):
prf by IANA PRF id, prf+ (2.13), SK_* from SKEYSEED (2.14), the key lengths
of the SK payload transforms, reproducible inputs, and the --check mode."""
import hashlib
import sys

try:
    from cryptography.hazmat.primitives import hashes, hmac
except ImportError:
    sys.exit("needs python3-cryptography (apt-get install python3-cryptography)")

# IANA transform IDs (RFC 7296 3.3.2, RFC 4868, RFC 5282).
PRF_HASH = {2: hashes.SHA1, 5: hashes.SHA256, 6: hashes.SHA384, 7: hashes.SHA512}
ENCR_AES_CBC = 12
ENCR_AES_GCM_16 = 20
# INTEG id -> (hash, key length, ICV length) (RFC 4868 2.1, 2.3).
INTEG = {0: None, 12: (hashes.SHA256, 32, 16), 13: (hashes.SHA384, 48, 24),
         14: (hashes.SHA512, 64, 32)}
GCM_SALT = 4


def det(label, n):
    """n fixed pseudo-random octets: SHAKE-256 of label."""
    return hashlib.shake_256(label.encode()).digest(n)


def prf(alg, key, data):
    h = hmac.HMAC(key, PRF_HASH[alg]())
    h.update(data)
    return h.finalize()


def prf_len(alg):
    return PRF_HASH[alg].digest_size


def prf_plus(alg, key, seed, n):
    """prf+ (K,S) = T1 | T2 | ..., T1 = prf(K, S | 0x01), Tn = prf(K, T(n-1) | S | n)."""
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(alg, key, t + seed + bytes([i]))
        out += t
        i += 1
    return out[:n]


def enc_len(encr, bits):
    """SK_e: the AES key, with the 4-octet salt after it for GCM (RFC 5282 7.1)."""
    return bits // 8 + (GCM_SALT if encr == ENCR_AES_GCM_16 else 0)


def integ_key_len(integ):
    return INTEG[integ][1] if INTEG[integ] else 0


def integ_icv_len(integ):
    return INTEG[integ][2] if INTEG[integ] else 0


def sa_keys(alg, skeyseed, ni, nr, spii, spir, encr, bits, integ):
    """{SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr),
    as (name, value) pairs in that order; the integrity keys left out with an AEAD."""
    plen = prf_len(alg)
    e, a = enc_len(encr, bits), integ_key_len(integ)
    km = prf_plus(alg, skeyseed, ni + nr + spii + spir, 3 * plen + 2 * a + 2 * e)
    names = [("SK_d", plen), ("SK_ai", a), ("SK_ar", a), ("SK_ei", e), ("SK_er", e),
             ("SK_pi", plen), ("SK_pr", plen)]
    keys, off = [], 0
    for name, n in names:
        if n:
            keys.append((name, km[off:off + n]))
        off += n
    return keys


def main(argv, text):
    """Writes text to stdout, or with --check FILE compares FILE with it (exit status)."""
    if len(argv) == 3 and argv[1] == "--check":
        with open(argv[2]) as f:
            committed = f.read()
        if committed != text:
            a, b = committed.splitlines(), text.splitlines()
            for i in range(max(len(a), len(b))):
                x = a[i] if i < len(a) else "<end of file>"
                y = b[i] if i < len(b) else "<end of output>"
                if x != y:
                    sys.stderr.write("%s:%d differs from the regenerated vectors:\n"
                                     "  committed:   %s\n  regenerated: %s\n"
                                     % (argv[2], i + 1, x, y))
                    break
            return 1
        print("%s matches the regenerated vectors" % argv[2])
        return 0
    if len(argv) != 1:
        sys.stderr.write("usage: %s [--check FILE]\n" % argv[0])
        return 2
    sys.stdout.write(text)
    return 0
