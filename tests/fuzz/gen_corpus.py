#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the fuzz seed corpus: valid IKEv2 messages of every exchange and
malformed variants, encoded here with struct (RFC 7296 section 3 layouts),
independently of lib/wire's builder.  SK bodies hold a zero IV followed by
plaintext inner payloads so the fuzzer reaches the inner-payload decoders.

usage: gen_corpus.py [OUT_DIR]   (default: corpus/ next to this script)
"""
import os
import struct
import sys

SA, KE, IDI, IDR, CERT, CERTREQ, AUTH, NONCE, N, D, V, TSI, TSR, SK, CP, EAP = range(33, 49)
SKF = 53
IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, IKE_SESSION_RESUME = 34, 35, 36, 37, 38
IKE_INTERMEDIATE = 43
F_I, F_R = 0x08, 0x20


def pld(ptype, body, critical=False):
    return (ptype, critical, body)


def chain(plds, last_next=0):
    """Encodes payloads with each generic header naming the next type."""
    out = b""
    for i, (_, crit, body) in enumerate(plds):
        nxt = plds[i + 1][0] if i + 1 < len(plds) else last_next
        out += struct.pack("!BBH", nxt, 0x80 if crit else 0, 4 + len(body)) + body
    return out


def msg(exch, flags, plds, mid=0, spi_r=0, spi_i=0x0102030405060708, version=0x20):
    body = chain(plds)
    first = plds[0][0] if plds else 0
    hdr = struct.pack("!QQBBBBII", spi_i, spi_r, first, version, exch, flags, mid,
                      28 + len(body))
    return hdr + body


def sk(inner, iv=16, icv=16, ptype=SK, frag=None):
    """SK (or SKF) payload: IV | inner payloads | pad length 0 | ICV."""
    first = inner[0][0] if inner else 0
    head = b"" if frag is None else struct.pack("!HH", *frag)
    body = head + bytes(iv) + chain(inner) + b"\x00" + bytes(icv)
    return (ptype, False, body), first


def msg_sk(exch, flags, outer, inner, mid=1, ptype=SK, frag=None, first=None):
    skp, inner_first = sk(inner, ptype=ptype, frag=frag)
    if first is None:
        first = inner_first
    plds = outer + [skp]
    body = b""
    for i, (t, crit, b) in enumerate(plds):
        nxt = plds[i + 1][0] if i + 1 < len(plds) else first
        body += struct.pack("!BBH", nxt, 0x80 if crit else 0, 4 + len(b)) + b
    hdr = struct.pack("!QQBBBBII", 0x0102030405060708, 0x1112131415161718, plds[0][0], 0x20,
                      exch, flags, mid, 28 + len(body))
    return hdr + body


def transform(ttype, tid, last, key_len=None):
    attrs = struct.pack("!HH", 0x8000 | 14, key_len) if key_len else b""
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def proposal(num, proto, xforms, last=True, spi=b""):
    body = b"".join(transform(t, i, k == len(xforms) - 1, kl)
                    for k, (t, i, kl) in enumerate(xforms))
    return struct.pack("!BBHBBBB", 0 if last else 2, 0, 8 + len(spi) + len(body), num, proto,
                       len(spi), len(xforms)) + spi + body


IKE_XF = [(1, 12, 256), (2, 5, None), (3, 12, None), (4, 19, None)]
AEAD_XF = [(1, 20, 128), (1, 20, 256), (2, 7, None), (4, 31, None), (4, 14, None)]
ESP_XF = [(1, 20, 256), (5, 0, None), (5, 1, None)]


def sa_ike(nums=(1, 2)):
    return pld(SA, proposal(nums[0], 1, IKE_XF, last=False) + proposal(nums[1], 1, AEAD_XF))


def sa_esp(num=1):
    return pld(SA, proposal(num, 3, ESP_XF, spi=b"\xc0\xff\xee\x01"))


def notify(ntype, data=b"", proto=0, spi=b""):
    return pld(N, struct.pack("!BBH", proto, len(spi), ntype) + spi + data)


def ke(group=19, n=64):
    return pld(KE, struct.pack("!HH", group, 0) + bytes(range(n)))


def nonce(n=32):
    return pld(NONCE, bytes([0x5a]) * n)


def ident(ptype, id_type, data):
    return pld(ptype, struct.pack("!BBH", id_type, 0, 0) + data)


def ts(ptype, sels):
    body = struct.pack("!BBH", len(sels), 0, 0)
    for proto, sp, ep, a, b in sels:
        t = 7 if len(a) == 4 else 8
        body += struct.pack("!BBHHH", t, proto, 8 + 2 * len(a), sp, ep) + a + b
    return pld(ptype, body)


V4 = (bytes([10, 0, 0, 0]), bytes([10, 0, 0, 255]))
V6 = (bytes(16), bytes([0xff] * 16))
TS_ALL = [(0, 0, 65535, *V4), (17, 500, 500, *V4), (0, 0, 65535, *V6)]


def cp(cfg, attrs):
    body = struct.pack("!BBH", cfg, 0, 0)
    for t, v in attrs:
        body += struct.pack("!HH", t, len(v)) + v
    return pld(CP, body)


def auth(method, data):
    return pld(AUTH, struct.pack("!BBH", method, 0, 0) + data)


def seeds():
    natd = bytes(range(20))
    init_req = [sa_ike(), ke(), nonce(), notify(16388, natd), notify(16389, natd),
                notify(16430), notify(16438), notify(16431, b"\x00\x02\x00\x03\x00\x04"),
                pld(V, b"ikefarm-seed")]
    yield "sa_init_req", msg(IKE_SA_INIT, F_I, init_req)
    yield "sa_init_req_cookie", msg(IKE_SA_INIT, F_I, [notify(16390, b"\xc0" * 32)] + init_req)
    yield "sa_init_resp", msg(IKE_SA_INIT, F_R, [
        pld(SA, proposal(2, 1, [(1, 20, 256), (2, 7, None), (4, 31, None)])), ke(31, 32),
        nonce(), notify(16388, natd), notify(16389, natd), notify(16430),
        pld(CERTREQ, b"\x04" + bytes(40))], spi_r=0x1112131415161718)
    yield "sa_init_resp_cookie", msg(IKE_SA_INIT, F_R, [notify(16390, b"\x01" * 16)])
    yield "sa_init_resp_invalid_ke", msg(IKE_SA_INIT, F_R, [notify(17, b"\x00\x13")])
    yield "sa_init_resp_no_proposal", msg(IKE_SA_INIT, F_R, [notify(14)])
    yield "sa_init_addke", msg(IKE_SA_INIT, F_I, [pld(SA, proposal(1, 1, IKE_XF + [
        (6, 31, None), (7, 14, None)])), ke(), nonce()])

    auth_inner = [ident(IDI, 2, b"initiator.example"), pld(CERT, b"\x04" + b"\x30\x82" + bytes(60)),
                  pld(CERTREQ, b"\x04" + bytes(20)), notify(16384),
                  ident(IDR, 2, b"responder.example"),
                  auth(14, bytes([9, 0x30, 7, 6, 5, 0x2b, 0x0e, 3, 2, 0x1a]) + bytes(64)),
                  cp(1, [(1, b""), (3, b""), (8, b""), (14, b"")]),
                  notify(16403, b"\x00\x00\x0e\x10"), sa_esp(), ts(TSI, TS_ALL), ts(TSR, TS_ALL),
                  notify(16410)]
    yield "auth_req", msg_sk(IKE_AUTH, F_I, [], auth_inner)
    yield "auth_resp", msg_sk(IKE_AUTH, F_R, [], [
        ident(IDR, 1, bytes([192, 0, 2, 1])), auth(2, bytes(32)),
        cp(2, [(1, bytes([10, 0, 0, 2])), (2, bytes([255, 255, 255, 0])), (8, bytes(16) + b"\x40")]),
        sa_esp(), ts(TSI, TS_ALL[:1]), ts(TSR, TS_ALL[:1]), notify(16411),
        notify(16409, struct.pack("!I", 3600) + bytes(48))])
    yield "auth_eap", msg_sk(IKE_AUTH, F_R, [], [pld(EAP, b"\x01\x07\x00\x05\x01")])
    yield "auth_eap_success", msg_sk(IKE_AUTH, F_R, [], [pld(EAP, b"\x03\x08\x00\x04")])
    yield "create_child", msg_sk(CREATE_CHILD_SA, F_I, [], [
        notify(16393, proto=3, spi=b"\x01\x02\x03\x04"), sa_esp(), nonce(), ke(14, 256),
        ts(TSI, TS_ALL), ts(TSR, TS_ALL), notify(16391), notify(16394)])
    yield "rekey_ike", msg_sk(CREATE_CHILD_SA, F_I, [], [
        pld(SA, proposal(1, 1, IKE_XF, spi=bytes(range(8)))), nonce(), ke()])
    yield "info_delete", msg_sk(INFORMATIONAL, F_I, [], [
        pld(D, struct.pack("!BBH", 3, 4, 2) + bytes(8)), pld(D, struct.pack("!BBH", 1, 0, 0))])
    yield "info_empty", msg_sk(INFORMATIONAL, F_R, [], [])
    yield "resume_req", msg(IKE_SESSION_RESUME, F_I, [notify(16413, bytes(range(96))), nonce()])
    yield "resume_nack", msg(IKE_SESSION_RESUME, F_R, [notify(16412)])
    yield "intermediate", msg_sk(IKE_INTERMEDIATE, F_I, [], [ke(31, 32)])
    yield "skf_1_of_2", msg_sk(IKE_AUTH, F_I, [], auth_inner[:3], ptype=SKF, frag=(1, 2))
    yield "skf_2_of_2", msg_sk(IKE_AUTH, F_I, [], auth_inner[3:6], ptype=SKF, frag=(2, 2),
                               first=0)
    yield "sk_after_notify", msg_sk(INFORMATIONAL, F_I, [notify(16390, b"\x01")], [notify(16384)])

    # Malformed variants.
    good = msg(IKE_SA_INIT, F_I, init_req)
    yield "bad_truncated_header", good[:20]
    yield "bad_length_field", good[:24] + struct.pack("!I", len(good) + 1) + good[28:]
    yield "bad_major_version", good[:17] + b"\x30" + good[18:]
    yield "bad_ikev1", good[:17] + b"\x10" + good[18:]
    yield "bad_zero_spi", bytes(8) + good[8:]
    cut = good[:100]
    yield "bad_payload_overrun", cut[:24] + struct.pack("!I", 100) + cut[28:]
    yield "bad_critical_unknown", msg(IKE_SA_INIT, F_I, [pld(99, b"x", True)] + init_req)
    yield "unknown_noncritical", msg(IKE_SA_INIT, F_I, [pld(99, b"x")] + init_req)
    yield "bad_sa_numbering", msg(IKE_SA_INIT, F_I, [sa_ike((1, 3)), ke(), nonce()])
    yield "bad_nonce_short", msg(IKE_SA_INIT, F_I, [sa_ike(), ke(), nonce(15)])
    yield "bad_ts_range", msg_sk(IKE_AUTH, F_I, [], [ts(TSI, [(0, 10, 5, *V4)])])
    yield "bad_inner_sk", msg_sk(IKE_AUTH, F_I, [], [pld(SK, bytes(20))])
    yield "bad_skf_frag", msg_sk(IKE_AUTH, F_I, [], [notify(16384)], ptype=SKF, frag=(3, 2))
    sk_mid = msg(INFORMATIONAL, F_I, [pld(SK, bytes(32)), notify(16384)])
    yield "bad_sk_not_last", sk_mid
    yield "bad_delete_count", msg_sk(INFORMATIONAL, F_I, [], [
        pld(D, struct.pack("!BBH", 3, 4, 3) + bytes(8))])
    yield "bad_cp_attr", msg_sk(IKE_AUTH, F_I, [], [cp(2, [(1, b"\x0a\x00\x00")])])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
