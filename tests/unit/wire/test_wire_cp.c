/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration payloads written octet by octet from RFC 7296 3.15 / 3.15.1
 * (independent of our builder): the CFG_REQUEST a remote-access client
 * sends and the CFG_REPLY ikefarm answers with; decoded attribute by
 * attribute, rebuilt byte for byte, and the per-attribute length rules.
 */
#include "test_wire.h"

/* CP(CFG_REQUEST) body: INTERNAL_IP4_ADDRESS, NETMASK, DNS (empty), IP6_ADDRESS (empty), an unknown attribute. */
static const uint8_t cp_request[] = {
	/* 3.15: CFG Type 1 (CFG_REQUEST), RESERVED (3) */
	0x01, 0x00, 0x00, 0x00,
	/* 3.15.1: R=0, Attribute Type 1 INTERNAL_IP4_ADDRESS, Length 0 */
	0x00, 0x01, 0x00, 0x00,
	/* INTERNAL_IP4_NETMASK (2), Length 0 */
	0x00, 0x02, 0x00, 0x00,
	/* INTERNAL_IP4_DNS (3), Length 0 */
	0x00, 0x03, 0x00, 0x00,
	/* INTERNAL_IP6_ADDRESS (8), Length 0 */
	0x00, 0x08, 0x00, 0x00,
	/* a private-use type (16384 + 5) with 2 octets: not ours, kept for the caller to skip */
	0x40, 0x05, 0x00, 0x02, 0xbe, 0xef,
};

/* CP(CFG_REPLY) body: 10.98.0.1, 255.255.255.0, DNS 10.99.0.53, fd00:98::1/128. */
static const uint8_t cp_reply[] = {
	/* CFG Type 2 (CFG_REPLY), RESERVED */
	0x02, 0x00, 0x00, 0x00,
	/* INTERNAL_IP4_ADDRESS, Length 4, 10.98.0.1 */
	0x00, 0x01, 0x00, 0x04, 0x0a, 0x62, 0x00, 0x01,
	/* INTERNAL_IP4_NETMASK, Length 4, 255.255.255.0 */
	0x00, 0x02, 0x00, 0x04, 0xff, 0xff, 0xff, 0x00,
	/* INTERNAL_IP4_DNS, Length 4, 10.99.0.53 */
	0x00, 0x03, 0x00, 0x04, 0x0a, 0x63, 0x00, 0x35,
	/* INTERNAL_IP6_ADDRESS, Length 17: address, prefix length 128 */
	0x00, 0x08, 0x00, 0x11,
	0xfd, 0x00, 0x00, 0x98, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80,
};

static void
test_cp_request_decoded(void **state)
{
	struct ike_pld_cp cp;

	(void)state;
	assert_int_equal(ike_pld_cp_parse(cp_request, sizeof(cp_request), &cp), IKE_PARSE_OK);
	assert_int_equal(cp.cfg_type, IKE_CFG_REQUEST);
	assert_int_equal(cp.n_attr, 5);
	assert_int_equal(cp.attr[0].type, IKE_CP_INTERNAL_IP4_ADDRESS);
	assert_int_equal(cp.attr[0].len, 0);
	assert_null(cp.attr[0].value);
	assert_int_equal(cp.attr[1].type, IKE_CP_INTERNAL_IP4_NETMASK);
	assert_int_equal(cp.attr[2].type, IKE_CP_INTERNAL_IP4_DNS);
	assert_int_equal(cp.attr[3].type, IKE_CP_INTERNAL_IP6_ADDRESS);
	assert_int_equal(cp.attr[4].type, 16389);
	assert_int_equal(cp.attr[4].len, 2);
	assert_memory_equal(cp.attr[4].value, ((uint8_t[]){0xbe, 0xef}), 2);
}

static void
test_cp_reply_decoded_and_rebuilt(void **state)
{
	struct ike_pld_cp cp;
	const struct ike_pld *p;
	struct ike_msg m;
	uint8_t out[256];
	struct ike_mb b;
	size_t len;

	(void)state;
	assert_int_equal(ike_pld_cp_parse(cp_reply, sizeof(cp_reply), &cp), IKE_PARSE_OK);
	assert_int_equal(cp.cfg_type, IKE_CFG_REPLY);
	assert_int_equal(cp.n_attr, 4);
	assert_int_equal(cp.attr[0].len, 4);
	assert_memory_equal(cp.attr[0].value, ((uint8_t[]){10, 98, 0, 1}), 4);
	assert_memory_equal(cp.attr[1].value, ((uint8_t[]){255, 255, 255, 0}), 4);
	assert_memory_equal(cp.attr[2].value, ((uint8_t[]){10, 99, 0, 53}), 4);
	assert_int_equal(cp.attr[3].len, 17);
	assert_int_equal(cp.attr[3].value[16], 128);
	/* The builder writes the same octets, behind a generic header of CP (47). */
	ike_mb_init(&b, out, sizeof(out), 1, 2, IKE_EXCH_IKE_AUTH, IKE_HDR_F_RESPONSE, 1);
	ike_mb_add_cp(&b, &cp);
	assert_int_equal(ike_mb_finish(&b, &len), IKE_OK);
	assert_int_equal(len, IKE_HDR_LEN + 4 + sizeof(cp_reply));
	assert_int_equal(out[16], IKE_PLD_CP);
	assert_int_equal(out[IKE_HDR_LEN + 3], 4 + sizeof(cp_reply));
	assert_memory_equal(out + IKE_HDR_LEN + 4, cp_reply, sizeof(cp_reply));
	assert_int_equal(ike_msg_parse(out, len, &m), IKE_PARSE_OK);
	p = ike_msg_find(&m, IKE_PLD_CP, 0);
	assert_non_null(p);
	assert_int_equal(p->len, sizeof(cp_reply));
}

/* 3.15.1 lengths: 0 or 4 for IPv4 values, 0 or 17 for INTERNAL_IP6_ADDRESS, 0 or 16 for DNS. */
static void
test_cp_attribute_lengths(void **state)
{
	static const struct {
		uint16_t type;
		uint8_t len;
		enum ike_parse_status want;
	} cases[] = {
		{IKE_CP_INTERNAL_IP4_ADDRESS, 3, IKE_PARSE_CP_ATTR_LENGTH},
		{IKE_CP_INTERNAL_IP4_ADDRESS, 4, IKE_PARSE_OK},
		{IKE_CP_INTERNAL_IP4_NETMASK, 8, IKE_PARSE_CP_ATTR_LENGTH},
		{IKE_CP_INTERNAL_IP6_ADDRESS, 16, IKE_PARSE_CP_ATTR_LENGTH},
		{IKE_CP_INTERNAL_IP6_ADDRESS, 17, IKE_PARSE_OK},
		{IKE_CP_INTERNAL_IP6_DNS, 17, IKE_PARSE_CP_ATTR_LENGTH},
		{IKE_CP_INTERNAL_IP6_DNS, 16, IKE_PARSE_OK},
		{IKE_CP_INTERNAL_IP4_SUBNET, 8, IKE_PARSE_OK},
		{IKE_CP_INTERNAL_IP4_SUBNET, 4, IKE_PARSE_CP_ATTR_LENGTH},
	};
	uint8_t body[4 + 4 + 17];
	struct ike_pld_cp cp;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(body, 0, sizeof(body));
		body[0] = IKE_CFG_REQUEST;
		body[5] = (uint8_t)cases[i].type;
		body[7] = cases[i].len;
		assert_int_equal(ike_pld_cp_parse(body, 8 + cases[i].len, &cp), cases[i].want);
	}
	/* An attribute running past the payload, a CFG type out of range. */
	body[7] = 4;
	assert_int_equal(ike_pld_cp_parse(body, 10, &cp), IKE_PARSE_CP_ATTR_TRUNCATED);
	body[0] = 5;
	assert_int_equal(ike_pld_cp_parse(body, 12, &cp), IKE_PARSE_CP_TYPE);
}

int
test_wire_cp(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp_request_decoded),
		cmocka_unit_test(test_cp_reply_decoded_and_rebuilt),
		cmocka_unit_test(test_cp_attribute_lengths),
	};

	return cmocka_run_group_tests_name("wire-cp", tests, NULL, NULL);
}
