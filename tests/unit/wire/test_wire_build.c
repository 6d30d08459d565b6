/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Builder round trips: every payload through ike_mb_add_*() and back
 * through the parser and decoders; SK/SKF layouts for lib/sk; overflow at
 * every capacity; latched argument errors.
 */
#include "test_wire.h"

static const uint8_t v4a[4] = {192, 0, 2, 1}, v4b[4] = {192, 0, 2, 200};
static const uint8_t v6a[16] = {0x20, 0x01, 0x0d, 0xb8}, v6b[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff};
static const uint8_t ke_data[32] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t nonce_data[24] = {9, 9, 9};
static const uint8_t spi4[4] = {0xc0, 0xff, 0xee, 0x01};
static const uint8_t spis[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t cert_data[40] = {0x30, 0x82};
static const uint8_t hash20[20] = {0xde, 0xad};
static const char fqdn[] = "responder.example";
static const uint8_t auth_data[] = {0x08, 0x30, 0x06, 0x06, 0x04, 1, 2, 3, 4, 0xaa, 0xbb, 0xcc};
static const uint8_t vid[] = "ikefarm";
static const uint8_t eap_data[] = {'i', 'd'};
static const uint8_t ip6_prefix[17] = {0x20, 0x01, 0x0d, 0xb8, [16] = 64};

static void
fill_sa(struct ike_pld_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->n_prop = 2;
	sa->n_xf = 6;
	sa->prop[0] = (struct ike_prop){.num = 1, .proto = IKE_PROTO_IKE, .spi_size = 8,
					.spi = spis, .xf_first = 0, .n_xf = 3};
	sa->prop[1] = (struct ike_prop){.num = 2, .proto = IKE_PROTO_ESP, .spi_size = 4,
					.spi = spi4, .xf_first = 3, .n_xf = 3};
	sa->xf[0] = (struct ike_xform){.type = IKE_TRANSFORM_ENCR, .id = IKE_ENCR_AES_GCM_16,
				       .key_len = 256, .has_key_len = true};
	sa->xf[1] = (struct ike_xform){.type = IKE_TRANSFORM_PRF, .id = IKE_PRF_HMAC_SHA2_384};
	sa->xf[2] = (struct ike_xform){.type = IKE_TRANSFORM_KE, .id = IKE_KE_CURVE25519};
	sa->xf[3] = (struct ike_xform){.type = IKE_TRANSFORM_ENCR, .id = IKE_ENCR_AES_CBC,
				       .key_len = 128, .has_key_len = true};
	sa->xf[4] = (struct ike_xform){.type = IKE_TRANSFORM_INTEG,
				       .id = IKE_INTEG_HMAC_SHA2_512_256};
	sa->xf[5] = (struct ike_xform){.type = IKE_TRANSFORM_ESN, .id = IKE_ESN_NO};
}

static void
fill_ts(struct ike_pld_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->n_ts = 2;
	ts->ts[0] = (struct ike_ts){.type = IKE_TS_IPV4_ADDR_RANGE, .ip_proto = 17,
				    .start_port = 500, .end_port = 4500, .start_addr = v4a,
				    .end_addr = v4b};
	ts->ts[1] = (struct ike_ts){.type = IKE_TS_IPV6_ADDR_RANGE, .ip_proto = 0,
				    .start_port = 0, .end_port = 65535, .start_addr = v6a,
				    .end_addr = v6b};
}

static void
fill_cp(struct ike_pld_cp *cp)
{
	memset(cp, 0, sizeof(*cp));
	cp->cfg_type = IKE_CFG_REPLY;
	cp->n_attr = 3;
	cp->attr[0] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP4_ADDRESS, 4, v4a};
	cp->attr[1] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP6_ADDRESS, 17, ip6_prefix};
	cp->attr[2] = (struct ike_cp_attr){IKE_CP_INTERNAL_IP4_DNS, 0, NULL};
}

/* Adds one of every payload type, in a fixed order. */
static void
add_all(struct ike_mb *b)
{
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	struct ike_pld_cp cp;

	fill_sa(&sa);
	fill_ts(&ts);
	fill_cp(&cp);
	ike_mb_add_sa(b, &sa);
	ike_mb_add_ke(b, IKE_KE_CURVE25519, ke_data, sizeof(ke_data));
	ike_mb_add_nonce(b, nonce_data, sizeof(nonce_data));
	ike_mb_add_notify(b, IKE_PROTO_ESP, spi4, 4, IKE_N_REKEY_SA, NULL, 0);
	ike_mb_add_id(b, IKE_PLD_IDR, IKE_ID_FQDN, fqdn, strlen(fqdn));
	ike_mb_add_auth(b, IKE_AUTH_DIGITAL_SIGNATURE, auth_data, sizeof(auth_data));
	ike_mb_add_cert(b, IKE_CERT_X509_SIGNATURE, cert_data, sizeof(cert_data));
	ike_mb_add_certreq(b, IKE_CERT_X509_SIGNATURE, hash20, sizeof(hash20));
	ike_mb_add_delete(b, IKE_PROTO_ESP, 4, 2, spis);
	ike_mb_add_vendor(b, vid, sizeof(vid));
	ike_mb_add_ts(b, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(b, IKE_PLD_TSR, &ts);
	ike_mb_add_cp(b, &cp);
	ike_mb_add_eap(b, IKE_EAP_REQUEST, 7, 1, eap_data, sizeof(eap_data));
	ike_mb_add_eap(b, IKE_EAP_SUCCESS, 8, 0, NULL, 0);
}

static const uint8_t all_types[] = {
	IKE_PLD_SA, IKE_PLD_KE, IKE_PLD_NONCE, IKE_PLD_NOTIFY, IKE_PLD_IDR,
	IKE_PLD_AUTH, IKE_PLD_CERT, IKE_PLD_CERTREQ, IKE_PLD_DELETE, IKE_PLD_VENDOR,
	IKE_PLD_TSI, IKE_PLD_TSR, IKE_PLD_CP, IKE_PLD_EAP, IKE_PLD_EAP,
};
#define N_ALL (sizeof(all_types))

/* Decodes the payloads added by add_all() from msg entries [first, first + N_ALL). */
static void
check_all(const struct ike_msg *m, unsigned int first)
{
	const struct ike_pld *p = &m->pld[first];
	struct ike_pld_sa sa, sa_in;
	struct ike_pld_ts ts, ts_in;
	struct ike_pld_cp cp, cp_in;
	struct ike_pld_ke ke;
	struct ike_pld_nonce nonce;
	struct ike_pld_notify n;
	struct ike_pld_id id;
	struct ike_pld_auth auth;
	struct ike_pld_cert cert;
	struct ike_pld_delete d;
	struct ike_pld_vendor v;
	struct ike_pld_eap eap;

	for (unsigned int i = 0; i < N_ALL; i++)
		assert_int_equal(p[i].type, all_types[i]);

	fill_sa(&sa_in);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(m, &p[0]), p[0].len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.n_prop, sa_in.n_prop);
	assert_int_equal(sa.n_xf, sa_in.n_xf);
	for (unsigned int i = 0; i < sa.n_prop; i++) {
		assert_int_equal(sa.prop[i].num, sa_in.prop[i].num);
		assert_int_equal(sa.prop[i].proto, sa_in.prop[i].proto);
		assert_int_equal(sa.prop[i].spi_size, sa_in.prop[i].spi_size);
		assert_memory_equal(sa.prop[i].spi, sa_in.prop[i].spi, sa.prop[i].spi_size);
		assert_int_equal(sa.prop[i].xf_first, sa_in.prop[i].xf_first);
		assert_int_equal(sa.prop[i].n_xf, sa_in.prop[i].n_xf);
	}
	for (unsigned int i = 0; i < sa.n_xf; i++) {
		assert_int_equal(sa.xf[i].type, sa_in.xf[i].type);
		assert_int_equal(sa.xf[i].id, sa_in.xf[i].id);
		assert_int_equal(sa.xf[i].has_key_len, sa_in.xf[i].has_key_len);
		assert_int_equal(sa.xf[i].key_len, sa_in.xf[i].key_len);
		assert_false(sa.xf[i].unknown_attr);
	}

	assert_int_equal(ike_pld_ke_parse(ike_msg_pld_body(m, &p[1]), p[1].len, &ke), IKE_PARSE_OK);
	assert_int_equal(ke.group, IKE_KE_CURVE25519);
	assert_int_equal(ke.len, sizeof(ke_data));
	assert_memory_equal(ke.data, ke_data, sizeof(ke_data));

	assert_int_equal(ike_pld_nonce_parse(ike_msg_pld_body(m, &p[2]), p[2].len, &nonce),
			 IKE_PARSE_OK);
	assert_int_equal(nonce.len, sizeof(nonce_data));
	assert_memory_equal(nonce.data, nonce_data, sizeof(nonce_data));

	assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(m, &p[3]), p[3].len, &n),
			 IKE_PARSE_OK);
	assert_int_equal(n.proto, IKE_PROTO_ESP);
	assert_int_equal(n.spi_size, 4);
	assert_memory_equal(n.spi, spi4, 4);
	assert_int_equal(n.type, IKE_N_REKEY_SA);
	assert_int_equal(n.len, 0);
	assert_ptr_equal(ike_msg_find_notify(m, IKE_N_REKEY_SA), &p[3]);

	assert_int_equal(ike_pld_id_parse(ike_msg_pld_body(m, &p[4]), p[4].len, &id), IKE_PARSE_OK);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_int_equal(id.len, strlen(fqdn));
	assert_memory_equal(id.data, fqdn, id.len);

	assert_int_equal(ike_pld_auth_parse(ike_msg_pld_body(m, &p[5]), p[5].len, &auth),
			 IKE_PARSE_OK);
	assert_int_equal(auth.method, IKE_AUTH_DIGITAL_SIGNATURE);
	assert_int_equal(auth.len, sizeof(auth_data));
	assert_int_equal(auth.sig_alg_len, 8);
	assert_memory_equal(auth.sig_alg, auth_data + 1, 8);
	assert_int_equal(auth.sig_len, 3);
	assert_memory_equal(auth.sig, auth_data + 9, 3);

	assert_int_equal(ike_pld_cert_parse(ike_msg_pld_body(m, &p[6]), p[6].len, &cert),
			 IKE_PARSE_OK);
	assert_int_equal(cert.encoding, IKE_CERT_X509_SIGNATURE);
	assert_int_equal(cert.len, sizeof(cert_data));
	assert_memory_equal(cert.data, cert_data, sizeof(cert_data));

	assert_int_equal(ike_pld_certreq_parse(ike_msg_pld_body(m, &p[7]), p[7].len, &cert),
			 IKE_PARSE_OK);
	assert_int_equal(cert.encoding, IKE_CERT_X509_SIGNATURE);
	assert_int_equal(cert.len, 20);
	assert_memory_equal(cert.data, hash20, 20);

	assert_int_equal(ike_pld_delete_parse(ike_msg_pld_body(m, &p[8]), p[8].len, &d),
			 IKE_PARSE_OK);
	assert_int_equal(d.proto, IKE_PROTO_ESP);
	assert_int_equal(d.spi_size, 4);
	assert_int_equal(d.n_spi, 2);
	assert_memory_equal(d.spis, spis, 8);

	assert_int_equal(ike_pld_vendor_parse(ike_msg_pld_body(m, &p[9]), p[9].len, &v),
			 IKE_PARSE_OK);
	assert_int_equal(v.len, sizeof(vid));
	assert_memory_equal(v.data, vid, sizeof(vid));

	fill_ts(&ts_in);
	for (unsigned int k = 10; k <= 11; k++) {
		assert_int_equal(ike_pld_ts_parse(ike_msg_pld_body(m, &p[k]), p[k].len, &ts),
				 IKE_PARSE_OK);
		assert_int_equal(ts.n_ts, 2);
		for (unsigned int i = 0; i < 2; i++) {
			assert_int_equal(ts.ts[i].type, ts_in.ts[i].type);
			assert_int_equal(ts.ts[i].ip_proto, ts_in.ts[i].ip_proto);
			assert_int_equal(ts.ts[i].start_port, ts_in.ts[i].start_port);
			assert_int_equal(ts.ts[i].end_port, ts_in.ts[i].end_port);
			assert_int_equal(ts.ts[i].addr_len, i == 0 ? 4 : 16);
			assert_memory_equal(ts.ts[i].start_addr, ts_in.ts[i].start_addr,
					    ts.ts[i].addr_len);
			assert_memory_equal(ts.ts[i].end_addr, ts_in.ts[i].end_addr,
					    ts.ts[i].addr_len);
		}
	}

	fill_cp(&cp_in);
	assert_int_equal(ike_pld_cp_parse(ike_msg_pld_body(m, &p[12]), p[12].len, &cp),
			 IKE_PARSE_OK);
	assert_int_equal(cp.cfg_type, IKE_CFG_REPLY);
	assert_int_equal(cp.n_attr, cp_in.n_attr);
	for (unsigned int i = 0; i < cp.n_attr; i++) {
		assert_int_equal(cp.attr[i].type, cp_in.attr[i].type);
		assert_int_equal(cp.attr[i].len, cp_in.attr[i].len);
		if (cp.attr[i].len)
			assert_memory_equal(cp.attr[i].value, cp_in.attr[i].value, cp.attr[i].len);
		else
			assert_null(cp.attr[i].value);
	}

	assert_int_equal(ike_pld_eap_parse(ike_msg_pld_body(m, &p[13]), p[13].len, &eap),
			 IKE_PARSE_OK);
	assert_int_equal(eap.code, IKE_EAP_REQUEST);
	assert_int_equal(eap.id, 7);
	assert_int_equal(eap.length, 7);
	assert_int_equal(eap.type, 1);
	assert_int_equal(eap.len, 2);
	assert_memory_equal(eap.data, eap_data, 2);
	assert_int_equal(ike_pld_eap_parse(ike_msg_pld_body(m, &p[14]), p[14].len, &eap),
			 IKE_PARSE_OK);
	assert_int_equal(eap.code, IKE_EAP_SUCCESS);
	assert_int_equal(eap.id, 8);
	assert_int_equal(eap.length, 4);
}

static void
test_roundtrip_all_payloads(void **state)
{
	uint8_t buf[2048];
	struct ike_msg m;
	struct ike_mb b;
	size_t len;
	unsigned int bad;

	(void)state;
	ike_mb_init(&b, buf, sizeof(buf), 0x1111111111111111ULL, 0x2222222222222222ULL,
		    IKE_EXCH_CREATE_CHILD_SA, IKE_HDR_F_RESPONSE, 0x01020304);
	add_all(&b);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);

	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_OK);
	assert_true(m.spi_i == 0x1111111111111111ULL);
	assert_true(m.spi_r == 0x2222222222222222ULL);
	assert_int_equal(m.version, IKE_VERSION_2);
	assert_int_equal(m.exchange, IKE_EXCH_CREATE_CHILD_SA);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	assert_int_equal(m.msg_id, 0x01020304);
	assert_int_equal(m.length, len);
	assert_int_equal(m.n_pld, N_ALL);
	assert_int_equal(ike_msg_validate(&m, &bad), IKE_PARSE_OK);
	check_all(&m, 0);
}

/* Every exchange type and flag combination survives the header round trip. */
static void
test_roundtrip_headers(void **state)
{
	static const uint8_t exch[] = {IKE_EXCH_IKE_SA_INIT, IKE_EXCH_IKE_AUTH,
				       IKE_EXCH_CREATE_CHILD_SA, IKE_EXCH_INFORMATIONAL,
				       IKE_EXCH_IKE_SESSION_RESUME, IKE_EXCH_IKE_INTERMEDIATE};
	uint8_t buf[64];
	struct ike_msg m;
	struct ike_mb b;
	size_t len;

	(void)state;
	for (size_t e = 0; e < sizeof(exch); e++) {
		for (unsigned int f = 0; f < 8; f++) {
			uint8_t flags = (f & 1 ? IKE_HDR_F_INITIATOR : 0) |
					(f & 2 ? IKE_HDR_F_RESPONSE : 0) |
					(f & 4 ? IKE_HDR_F_VERSION : 0);

			ike_mb_init(&b, buf, sizeof(buf), 1, e, exch[e], flags, 0xffffffffu - f);
			assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
			assert_int_equal(len, IKE_HDR_LEN);
			assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_OK);
			assert_int_equal(m.exchange, exch[e]);
			assert_int_equal(m.flags, flags);
			assert_int_equal(m.msg_id, 0xffffffffu - f);
			assert_true(m.spi_r == e);
			assert_int_equal(m.n_pld, 0);
		}
	}
}

/* HDR, N(COOKIE), SK { every payload }: the lib/sk contract. */
static void
test_sk_layout(void **state)
{
	static const uint8_t cookie[8] = {0xc0, 0x0c};
	uint8_t buf[2048];
	size_t sk_off, plain_off, plain_len, len;
	struct ike_msg m;
	struct ike_mb b;
	unsigned int bad;

	(void)state;
	ike_mb_init(&b, buf, sizeof(buf), 5, 6, IKE_EXCH_IKE_AUTH, IKE_HDR_F_INITIATOR, 1);
	ike_mb_add_notify(&b, 0, NULL, 0, IKE_N_COOKIE, cookie, sizeof(cookie));
	ike_mb_begin_sk(&b, 16);
	add_all(&b);
	assert_int_equal(ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len), IKE_OK);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);

	/* N is 8 + 8 octets; SK header follows, then the 16-octet IV. */
	assert_int_equal(sk_off, IKE_HDR_LEN + 16);
	assert_int_equal(plain_off, sk_off + 4 + 16);
	assert_int_equal(plain_off + plain_len, len);
	assert_int_equal(buf[16], IKE_PLD_NOTIFY);
	assert_int_equal(buf[IKE_HDR_LEN], IKE_PLD_SK);
	assert_int_equal(buf[sk_off], IKE_PLD_SA);
	assert_int_equal(ike_get_u16(buf + sk_off + 2), len - sk_off);
	assert_int_equal(ike_get_u32(buf + 24), len);
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(buf[sk_off + 4 + i], 0);

	/* Unencrypted, the SK body is IV | inner payloads: parse both levels. */
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 2);
	assert_int_equal(m.sk_type, IKE_PLD_SK);
	assert_int_equal(m.sk_off, sk_off);
	assert_int_equal(m.sk_first, IKE_PLD_SA);
	assert_int_equal(m.sk_idx, 1);
	assert_int_equal(m.pld[1].off, sk_off + 4);
	assert_int_equal(m.pld[1].len, 16 + plain_len);
	assert_int_equal(ike_msg_parse_inner(buf + plain_off, plain_len, m.sk_first, &m),
			 IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 2 + N_ALL);
	for (unsigned int i = 2; i < m.n_pld; i++)
		assert_true(m.pld[i].inner);
	assert_int_equal(ike_msg_validate(&m, &bad), IKE_PARSE_OK);
	check_all(&m, 2);
	assert_non_null(ike_msg_find_notify(&m, IKE_N_COOKIE));
}

/* Empty SK (e.g. an INFORMATIONAL liveness check): Next Payload stays 0. */
static void
test_sk_empty(void **state)
{
	uint8_t buf[128];
	size_t sk_off, plain_off, plain_len, len;
	struct ike_msg m;
	struct ike_mb b;

	(void)state;
	ike_mb_init(&b, buf, sizeof(buf), 5, 6, IKE_EXCH_INFORMATIONAL, 0, 2);
	ike_mb_begin_sk(&b, 8);
	assert_int_equal(ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len), IKE_OK);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
	assert_int_equal(sk_off, IKE_HDR_LEN);
	assert_int_equal(plain_off, IKE_HDR_LEN + 12);
	assert_int_equal(plain_len, 0);
	assert_int_equal(buf[sk_off], IKE_PLD_NONE);
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_OK);
	assert_int_equal(m.sk_first, IKE_PLD_NONE);
	assert_int_equal(ike_msg_parse_inner(buf + plain_off, 0, m.sk_first, &m), IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 1);
}

/* RFC 7383 2.5: SKF fragments 1 and 2 of 2. */
static void
test_skf_layout(void **state)
{
	static const uint8_t chunk[37] = {0x77};
	uint8_t buf[256];
	size_t sk_off, plain_off, plain_len, len;
	struct ike_pld_skf skf;
	struct ike_msg m;
	struct ike_mb b;

	(void)state;
	for (uint16_t frag = 1; frag <= 2; frag++) {
		uint8_t first = frag == 1 ? IKE_PLD_IDI : IKE_PLD_NONE;

		ike_mb_init(&b, buf, sizeof(buf), 5, 6, IKE_EXCH_IKE_AUTH, IKE_HDR_F_INITIATOR, 1);
		ike_mb_begin_skf(&b, frag, 2, first, 16);
		ike_mb_add_fragment(&b, chunk, sizeof(chunk));
		assert_int_equal(ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len), IKE_OK);
		assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
		assert_int_equal(sk_off, IKE_HDR_LEN);
		assert_int_equal(plain_off, IKE_HDR_LEN + 4 + 4 + 16);
		assert_int_equal(plain_len, sizeof(chunk));

		assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_OK);
		assert_int_equal(m.sk_type, IKE_PLD_SKF);
		assert_int_equal(m.sk_first, first);
		assert_int_equal(ike_pld_skf_parse(ike_msg_pld_body(&m, &m.pld[0]), m.pld[0].len,
						   m.sk_first, &skf),
				 IKE_PARSE_OK);
		assert_int_equal(skf.frag_num, frag);
		assert_int_equal(skf.total, 2);
		assert_int_equal(skf.len, 16 + sizeof(chunk));
		assert_memory_equal(skf.data + 16, chunk, sizeof(chunk));
	}
}

/* Every capacity below the full size fails with no-space and never writes past it. */
static void
test_overflow_every_capacity(void **state)
{
	uint8_t full[2048], buf[2048 + 16];
	size_t full_len, len, a, c, d;
	struct ike_mb b;

	(void)state;
	ike_mb_init(&b, full, sizeof(full), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_mb_begin_sk(&b, 16);
	add_all(&b);
	assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_OK);
	assert_int_equal(ike_mb_finish(&b, &full_len), IKE_OK);

	for (size_t cap = 0; cap <= full_len; cap++) {
		memset(buf, 0xee, sizeof(buf));
		ike_mb_init(&b, buf, cap, 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
		ike_mb_add_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
		ike_mb_begin_sk(&b, 16);
		add_all(&b);
		assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d),
				 cap < full_len ? IKE_E_NOSPACE : IKE_OK);
		assert_int_equal(ike_mb_finish(&b, &len), cap < full_len ? IKE_E_NOSPACE : IKE_OK);
		for (size_t i = cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0xee);
		if (cap == full_len) {
			assert_int_equal(len, full_len);
			assert_memory_equal(buf, full, full_len);
		} else {
			assert_int_equal(len, 0);
		}
	}
}

static enum ike_status
finish(struct ike_mb *b)
{
	size_t len;

	return ike_mb_finish(b, &len);
}

/* Bad arguments latch IKE_E_PARAM; later calls write nothing. */
static void
test_param_errors(void **state)
{
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	uint8_t buf[512];
	size_t a, c, d;
	struct ike_mb b;

	(void)state;
	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_id(&b, IKE_PLD_AUTH, IKE_ID_FQDN, "a", 1);
	assert_true(ike_mb_failed(&b));
	ike_mb_add_vendor(&b, "x", 1);
	assert_int_equal(b.w.off, IKE_HDR_LEN);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_nonce(&b, NULL, 16);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	fill_sa(&sa);
	sa.prop[1].n_xf = 4;	/* runs past n_xf */
	ike_mb_add_sa(&b, &sa);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	sa.n_prop = 0;
	ike_mb_add_sa(&b, &sa);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	fill_ts(&ts);
	ts.ts[1].type = 9;
	ike_mb_add_ts(&b, IKE_PLD_TSI, &ts);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	fill_ts(&ts);
	ike_mb_add_ts(&b, IKE_PLD_CP, &ts);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_eap(&b, IKE_EAP_SUCCESS, 1, 0, "x", 1);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	/* SK left open. */
	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_begin_sk(&b, 16);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	/* Payload after SK, second SK, end without begin. */
	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_begin_sk(&b, 16);
	assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_OK);
	ike_mb_add_vendor(&b, "x", 1);
	assert_int_equal(finish(&b), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_begin_sk(&b, 16);
	ike_mb_begin_sk(&b, 16);
	assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_E_PARAM);

	/* SKF rules: 0 < frag <= total, Next Payload only in fragment 1, no payloads inside. */
	static const struct {
		uint16_t frag, total;
		uint8_t first;
	} skf_bad[] = {{0, 1, IKE_PLD_IDI}, {2, 1, IKE_PLD_NONE}, {1, 0, IKE_PLD_IDI},
		       {2, 3, IKE_PLD_IDI}};

	for (size_t i = 0; i < sizeof(skf_bad) / sizeof(skf_bad[0]); i++) {
		ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
		ike_mb_begin_skf(&b, skf_bad[i].frag, skf_bad[i].total, skf_bad[i].first, 16);
		assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_E_PARAM);
	}
	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_begin_skf(&b, 1, 2, IKE_PLD_IDI, 16);
	ike_mb_add_vendor(&b, "x", 1);
	assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_E_PARAM);

	ike_mb_init(&b, buf, sizeof(buf), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_begin_sk(&b, 16);
	ike_mb_add_fragment(&b, "x", 1);
	assert_int_equal(ike_mb_end_sk(&b, &a, &c, &d), IKE_E_PARAM);
}

/* A payload body over 65531 octets cannot be encoded. */
static void
test_payload_too_big(void **state)
{
	static uint8_t big[70000], out[140000];
	struct ike_mb b;
	size_t len;

	(void)state;
	ike_mb_init(&b, out, sizeof(out), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_vendor(&b, big, 65535 - 4 - IKE_HDR_LEN);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
	assert_int_equal(len, 65535);

	ike_mb_init(&b, out, sizeof(out), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_vendor(&b, big, 65535 - 4 - IKE_HDR_LEN + 1);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_E_NOSPACE);

	ike_mb_init(&b, out, sizeof(out), 1, 2, IKE_EXCH_IKE_AUTH, 0, 3);
	ike_mb_add_vendor(&b, big, sizeof(big));
	assert_int_equal(ike_mb_finish(&b, &len), IKE_E_NOSPACE);
}

/* Unknown payloads written with ike_mb_add_payload parse as skipped or critical. */
static void
test_unknown_payloads(void **state)
{
	uint8_t buf[128];
	struct ike_msg m;
	struct ike_mb b;
	size_t len;

	(void)state;
	ike_mb_init(&b, buf, sizeof(buf), 1, 0, IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_INITIATOR, 0);
	ike_mb_add_payload(&b, 150, false, "abc", 3);
	ike_mb_add_nonce(&b, nonce_data, 16);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 1);
	assert_int_equal(m.pld[0].type, IKE_PLD_NONCE);

	ike_mb_init(&b, buf, sizeof(buf), 1, 0, IKE_EXCH_IKE_SA_INIT, IKE_HDR_F_INITIATOR, 0);
	ike_mb_add_nonce(&b, nonce_data, 16);
	ike_mb_add_payload(&b, 150, true, "abc", 3);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_PARSE_UNSUPPORTED_CRITICAL);
	assert_int_equal(m.critical_type, 150);
}

int
test_wire_build(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_all_payloads),
		cmocka_unit_test(test_roundtrip_headers),
		cmocka_unit_test(test_sk_layout),
		cmocka_unit_test(test_sk_empty),
		cmocka_unit_test(test_skf_layout),
		cmocka_unit_test(test_overflow_every_capacity),
		cmocka_unit_test(test_param_errors),
		cmocka_unit_test(test_payload_too_big),
		cmocka_unit_test(test_unknown_payloads),
	};

	return cmocka_run_group_tests_name("wire-build", tests, NULL, NULL);
}
