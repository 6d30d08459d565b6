/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A golden IKE_SA_INIT request written octet by octet from the RFC 7296
 * section 3 diagrams (independent of our builder), decoded field by field.
 * The same bytes feed the truncation tests in test_wire_malformed.c.
 */
#include "test_wire.h"

/*
 * HDR, SA{P1 IKE: ENCR AES-CBC-256, PRF SHA2-256, INTEG SHA2-256-128, KE 19},
 * KE(19), Ni(32), N(NAT_DETECTION_SOURCE_IP), N(IKEV2_FRAGMENTATION_SUPPORTED)
 */
const uint8_t golden_sa_init[GOLDEN_LEN] = {
	/* 3.1 IKE header: SPIi, SPIr = 0 */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* Next Payload SA(33), MjVer 2 MnVer 0, IKE_SA_INIT(34), flags I */
	0x21, 0x20, 0x22, 0x08,
	/* Message ID 0, Length 220 */
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xdc,

	/* @28 3.3 SA: Next KE(34), C=0, Length 48 */
	0x22, 0x00, 0x00, 0x30,
	/* 3.3.1 Proposal: Last(0), RESERVED, Length 44, Num 1, IKE(1), SPI size 0, 4 transforms */
	0x00, 0x00, 0x00, 0x2c, 0x01, 0x01, 0x00, 0x04,
	/* 3.3.2 Transform: More(3), Length 12, ENCR(1), AES_CBC(12) */
	0x03, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x0c,
	/* 3.3.5 Attribute: AF=1 Key Length(14) = 256 */
	0x80, 0x0e, 0x01, 0x00,
	/* Transform: More, Length 8, PRF(2), HMAC_SHA2_256(5) */
	0x03, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x05,
	/* Transform: More, Length 8, INTEG(3), HMAC_SHA2_256_128(12) */
	0x03, 0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x0c,
	/* Transform: Last(0), Length 8, D-H(4), 256-bit ECP(19) */
	0x00, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x13,

	/* @76 3.4 KE: Next Nonce(40), Length 72, Group 19, RESERVED, 64 octets */
	0x28, 0x00, 0x00, 0x48, 0x00, 0x13, 0x00, 0x00,
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
	0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
	0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,
	0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,

	/* @148 3.9 Nonce: Next N(41), Length 36, 32 octets */
	0x29, 0x00, 0x00, 0x24,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,

	/* @184 3.10 Notify: Next N(41), Length 28, proto 0, SPI size 0, 16388, SHA-1 */
	0x29, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x04,
	0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
	0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,

	/* @212 Notify: Next none, Length 8, IKEV2_FRAGMENTATION_SUPPORTED 16430 */
	0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x40, 0x2e,
};

const size_t golden_pld_end[GOLDEN_N_PLD] = {76, 148, 184, 212, 220};

static void
test_golden_header(void **state)
{
	struct ike_msg m;

	(void)state;
	assert_int_equal(ike_msg_parse(golden_sa_init, GOLDEN_LEN, &m), IKE_PARSE_OK);
	assert_true(m.spi_i == 0x0102030405060708ULL);
	assert_true(m.spi_r == 0);
	assert_int_equal(m.next_payload, IKE_PLD_SA);
	assert_int_equal(m.version, IKE_VERSION_2);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_SA_INIT);
	assert_int_equal(m.flags, IKE_HDR_F_INITIATOR);
	assert_int_equal(m.msg_id, 0);
	assert_int_equal(m.length, GOLDEN_LEN);
	assert_int_equal(m.sk_type, IKE_PLD_NONE);
	assert_int_equal(m.n_pld, GOLDEN_N_PLD);

	const uint8_t types[GOLDEN_N_PLD] = {IKE_PLD_SA, IKE_PLD_KE, IKE_PLD_NONCE, IKE_PLD_NOTIFY,
					     IKE_PLD_NOTIFY};
	const uint16_t offs[GOLDEN_N_PLD] = {32, 80, 152, 188, 216};
	const uint16_t lens[GOLDEN_N_PLD] = {44, 68, 32, 24, 4};

	for (unsigned int i = 0; i < GOLDEN_N_PLD; i++) {
		assert_int_equal(m.pld[i].type, types[i]);
		assert_int_equal(m.pld[i].off, offs[i]);
		assert_int_equal(m.pld[i].len, lens[i]);
		assert_false(m.pld[i].critical);
		assert_false(m.pld[i].inner);
	}
}

static void
test_golden_sa(void **state)
{
	struct ike_pld_sa sa;
	struct ike_msg m;
	const struct ike_pld *p;

	(void)state;
	assert_int_equal(ike_msg_parse(golden_sa_init, GOLDEN_LEN, &m), IKE_PARSE_OK);
	p = ike_msg_find(&m, IKE_PLD_SA, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.n_prop, 1);
	assert_int_equal(sa.prop[0].num, 1);
	assert_int_equal(sa.prop[0].proto, IKE_PROTO_IKE);
	assert_int_equal(sa.prop[0].spi_size, 0);
	assert_null(sa.prop[0].spi);
	assert_int_equal(sa.prop[0].n_xf, 4);

	const struct ike_xform *xf = ike_prop_xforms(&sa, &sa.prop[0]);

	assert_int_equal(xf[0].type, IKE_TRANSFORM_ENCR);
	assert_int_equal(xf[0].id, IKE_ENCR_AES_CBC);
	assert_true(xf[0].has_key_len);
	assert_int_equal(xf[0].key_len, 256);
	assert_int_equal(xf[1].type, IKE_TRANSFORM_PRF);
	assert_int_equal(xf[1].id, IKE_PRF_HMAC_SHA2_256);
	assert_false(xf[1].has_key_len);
	assert_int_equal(xf[2].type, IKE_TRANSFORM_INTEG);
	assert_int_equal(xf[2].id, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(xf[3].type, IKE_TRANSFORM_KE);
	assert_int_equal(xf[3].id, IKE_KE_ECP256);
	for (unsigned int i = 0; i < 4; i++)
		assert_false(xf[i].unknown_attr);
}

static void
test_golden_ke_nonce_notify(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_nonce nonce;
	struct ike_pld_ke ke;
	struct ike_msg m;
	const struct ike_pld *p;

	(void)state;
	assert_int_equal(ike_msg_parse(golden_sa_init, GOLDEN_LEN, &m), IKE_PARSE_OK);

	p = ike_msg_find(&m, IKE_PLD_KE, 0);
	assert_int_equal(ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke), IKE_PARSE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(ke.len, 64);
	assert_ptr_equal(ke.data, golden_sa_init + 84);
	assert_int_equal(ke.data[0], 0xa0);
	assert_int_equal(ke.data[63], 0xdf);

	p = ike_msg_find(&m, IKE_PLD_NONCE, 0);
	assert_int_equal(ike_pld_nonce_parse(ike_msg_pld_body(&m, p), p->len, &nonce),
			 IKE_PARSE_OK);
	assert_int_equal(nonce.len, 32);
	assert_int_equal(nonce.data[0], 0x10);
	assert_int_equal(nonce.data[31], 0x2f);

	p = ike_msg_find_notify(&m, IKE_N_NAT_DETECTION_SOURCE_IP);
	assert_ptr_equal(p, &m.pld[3]);
	assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n), IKE_PARSE_OK);
	assert_int_equal(n.proto, 0);
	assert_int_equal(n.spi_size, 0);
	assert_null(n.spi);
	assert_int_equal(n.type, IKE_N_NAT_DETECTION_SOURCE_IP);
	assert_int_equal(n.len, 20);
	assert_int_equal(n.data[19], 0x5a);

	p = ike_msg_find_notify(&m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED);
	assert_ptr_equal(p, &m.pld[4]);
	assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(&m, p), p->len, &n), IKE_PARSE_OK);
	assert_int_equal(n.len, 0);

	assert_null(ike_msg_find_notify(&m, IKE_N_COOKIE));
	assert_null(ike_msg_find(&m, IKE_PLD_NOTIFY, 5));
	assert_int_equal(ike_msg_count(&m, IKE_PLD_NOTIFY), 2);
	assert_int_equal(ike_msg_count(&m, IKE_PLD_SK), 0);
}

/* The builder must produce exactly the hand-written octets. */
static void
test_golden_builder_matches(void **state)
{
	static const uint8_t nat_d[20] = {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
					  0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a};
	struct ike_pld_sa sa = {
		.n_prop = 1,
		.n_xf = 4,
		.prop = {{.num = 1, .proto = IKE_PROTO_IKE, .xf_first = 0, .n_xf = 4}},
		.xf = {{.type = IKE_TRANSFORM_ENCR, .id = IKE_ENCR_AES_CBC, .key_len = 256,
			.has_key_len = true},
		       {.type = IKE_TRANSFORM_PRF, .id = IKE_PRF_HMAC_SHA2_256},
		       {.type = IKE_TRANSFORM_INTEG, .id = IKE_INTEG_HMAC_SHA2_256_128},
		       {.type = IKE_TRANSFORM_KE, .id = IKE_KE_ECP256}},
	};
	uint8_t out[512];
	struct ike_mb b;
	size_t len;

	(void)state;
	ike_mb_init(&b, out, sizeof(out), 0x0102030405060708ULL, 0, IKE_EXCH_IKE_SA_INIT,
		    IKE_HDR_F_INITIATOR, 0);
	ike_mb_add_sa(&b, &sa);
	ike_mb_add_ke(&b, IKE_KE_ECP256, golden_sa_init + 84, 64);
	ike_mb_add_nonce(&b, golden_sa_init + 152, 32);
	ike_mb_add_notify(&b, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, nat_d, sizeof(nat_d));
	ike_mb_add_notify(&b, 0, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
	assert_int_equal(len, GOLDEN_LEN);
	assert_memory_equal(out, golden_sa_init, GOLDEN_LEN);
}

int
test_wire_golden(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_header),
		cmocka_unit_test(test_golden_sa),
		cmocka_unit_test(test_golden_ke_nonce_notify),
		cmocka_unit_test(test_golden_builder_matches),
	};

	return cmocka_run_group_tests_name("wire-golden", tests, NULL, NULL);
}
