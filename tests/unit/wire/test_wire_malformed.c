/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Malformed messages (RFC 7296 3.1, 3.2, 2.5, 3.14): truncation at every
 * offset, every header version/next-payload value, bad and huge length
 * fields, bad chains, critical unknown payloads, SK placement, inner
 * payload chains. Each case asserts its named status.
 */
#include "test_wire.h"

static uint8_t msg[IKE_MSG_MAX_LEN + 1];

static size_t
golden_copy(void)
{
	memcpy(msg, golden_sa_init, GOLDEN_LEN);
	return GOLDEN_LEN;
}

static void
set_len(size_t len)
{
	ike_put_u32(msg + 24, (uint32_t)len);
}

static enum ike_parse_status
parse(size_t len, struct ike_msg *m)
{
	return ike_msg_parse(msg, len, m);
}

/* Truncated datagrams whose Length field still says 220. */
static void
test_truncated_every_offset(void **state)
{
	struct ike_msg m;

	(void)state;
	golden_copy();
	for (size_t n = 0; n < GOLDEN_LEN; n++) {
		enum ike_parse_status want =
			n < IKE_HDR_LEN ? IKE_PARSE_TRUNCATED_HEADER : IKE_PARSE_LENGTH_MISMATCH;

		assert_int_equal(parse(n, &m), want);
	}
}

/* Truncated datagrams with a consistent Length field: the chain breaks. */
static void
test_truncated_chain_every_offset(void **state)
{
	struct ike_msg m;

	(void)state;
	for (size_t n = IKE_HDR_LEN; n <= GOLDEN_LEN; n++) {
		enum ike_parse_status want = IKE_PARSE_OK;
		size_t start = IKE_HDR_LEN;

		for (unsigned int i = 0; i < GOLDEN_N_PLD && n < GOLDEN_LEN; i++) {
			if (n < golden_pld_end[i]) {
				want = n - start < 4 ? IKE_PARSE_PLD_HDR_TRUNCATED
						     : IKE_PARSE_PLD_OVERRUN;
				break;
			}
			start = golden_pld_end[i];
		}
		golden_copy();
		set_len(n);
		assert_int_equal(parse(n, &m), want);
	}
}

static void
test_header_version_all_values(void **state)
{
	struct ike_msg m;

	(void)state;
	for (unsigned int v = 0; v < 256; v++) {
		golden_copy();
		msg[17] = (uint8_t)v;
		/* 3.1: minor version is ignored; any major but 2 is refused. */
		assert_int_equal(parse(GOLDEN_LEN, &m),
				 (v >> 4) == 2 ? IKE_PARSE_OK : IKE_PARSE_BAD_MAJOR_VERSION);
		assert_int_equal(m.version, v);
	}
}

static void
test_header_flags_exchange_any(void **state)
{
	struct ike_msg m;

	(void)state;
	for (unsigned int v = 0; v < 256; v++) {
		golden_copy();
		msg[18] = (uint8_t)v;
		msg[19] = (uint8_t)v;
		assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_OK);
		assert_int_equal(m.exchange, v);
		assert_int_equal(m.flags, v);
	}
}

static bool
known_type(unsigned int t)
{
	static const uint8_t known[] = {33, 34, 35, 36, 37, 38, 39, 40, 41,
					42, 43, 44, 45, 46, 47, 48, 53};

	for (size_t i = 0; i < sizeof(known); i++)
		if (known[i] == t)
			return true;
	return false;
}

/* The header's Next Payload set to each value, the 48-octet SA body unchanged. */
static void
test_header_next_payload_all_values(void **state)
{
	struct ike_msg m;

	(void)state;
	for (unsigned int t = 0; t < 256; t++) {
		enum ike_parse_status st;

		golden_copy();
		msg[16] = (uint8_t)t;
		st = parse(GOLDEN_LEN, &m);
		if (t == 0) {
			assert_int_equal(st, IKE_PARSE_TRAILING_DATA);
		} else if (t == 46 || t == 53) {
			assert_int_equal(st, IKE_PARSE_SK_NOT_LAST);
		} else if (known_type(t)) {
			assert_int_equal(st, IKE_PARSE_OK);
			assert_int_equal(m.n_pld, GOLDEN_N_PLD);
			assert_int_equal(m.pld[0].type, t);
		} else {
			/* Unknown, not critical: skipped (RFC 7296 3.2). */
			assert_int_equal(st, IKE_PARSE_OK);
			assert_int_equal(m.n_pld, GOLDEN_N_PLD - 1);
			assert_int_equal(m.pld[0].type, IKE_PLD_KE);
		}
	}
}

static void
test_critical_unknown_payload(void **state)
{
	struct ike_msg m;

	(void)state;
	for (unsigned int t = 1; t < 256; t++) {
		enum ike_parse_status st;

		golden_copy();
		msg[16] = (uint8_t)t;
		msg[29] = IKE_PLD_F_CRITICAL;
		st = parse(GOLDEN_LEN, &m);
		if (t == 46 || t == 53) {
			assert_int_equal(st, IKE_PARSE_SK_NOT_LAST);
		} else if (known_type(t)) {
			assert_int_equal(st, IKE_PARSE_OK);
			assert_true(m.pld[0].critical);
		} else {
			assert_int_equal(st, IKE_PARSE_UNSUPPORTED_CRITICAL);
			assert_int_equal(m.critical_type, t);
			assert_int_equal(ike_parse_status_notify(st),
					 IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
		}
	}
}

/* RFC 7296 2.5: the critical bit of a known payload is not an error. */
static void
test_reserved_bits_ignored(void **state)
{
	struct ike_msg m;

	(void)state;
	golden_copy();
	msg[29] = 0x7f;			/* generic header RESERVED */
	msg[32 + 1] = 0xff;		/* proposal RESERVED */
	msg[19] |= 0xc7;		/* X flag bits */
	assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_OK);
	assert_false(m.pld[0].critical);
}

static void
test_length_field_values(void **state)
{
	static const uint32_t lens[] = {0, 1, 27, 28, 219, 221, 0xffff, 0x10000, 0x7fffffff,
					0xffffffff};
	struct ike_msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		golden_copy();
		set_len(lens[i]);
		assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_LENGTH_MISMATCH);
	}
}

static void
test_zero_spi_i(void **state)
{
	struct ike_msg m;

	(void)state;
	golden_copy();
	memset(msg, 0, 8);
	assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_ZERO_SPI_I);
}

static void
test_message_too_long(void **state)
{
	struct ike_msg m;

	(void)state;
	golden_copy();
	set_len(IKE_MSG_MAX_LEN + 1);
	assert_int_equal(ike_msg_parse(msg, IKE_MSG_MAX_LEN + 1, &m), IKE_PARSE_MSG_TOO_LONG);
}

/* Payload Length 0..3 and 0xffff at every payload of the golden message. */
static void
test_payload_length_fields(void **state)
{
	struct ike_msg m;

	(void)state;
	for (unsigned int i = 0; i < GOLDEN_N_PLD; i++) {
		size_t hdr = i == 0 ? IKE_HDR_LEN : golden_pld_end[i - 1];

		for (unsigned int l = 0; l < 4; l++) {
			golden_copy();
			ike_put_u16(msg + hdr + 2, (uint16_t)l);
			assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_PLD_LEN_SHORT);
		}
		golden_copy();
		ike_put_u16(msg + hdr + 2, 0xffff);
		assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_PLD_OVERRUN);
		golden_copy();
		ike_put_u16(msg + hdr + 2,
			    (uint16_t)(GOLDEN_LEN - hdr + 1));
		assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_PLD_OVERRUN);
	}
}

static void
test_bad_chains(void **state)
{
	struct ike_msg m;

	(void)state;
	/* Last payload shorter than the message: octets after the chain. */
	golden_copy();
	ike_put_u16(msg + 212 + 2, 7);
	assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_TRAILING_DATA);

	/* Last payload names a next one that is not there. */
	for (unsigned int t = 1; t < 256; t++) {
		golden_copy();
		msg[212] = (uint8_t)t;
		assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_PLD_HDR_TRUNCATED);
	}

	/* Chain ends early in the middle: Nonce says "none", N payloads follow. */
	golden_copy();
	msg[148] = IKE_PLD_NONE;
	assert_int_equal(parse(GOLDEN_LEN, &m), IKE_PARSE_TRAILING_DATA);
	assert_int_equal(m.n_pld, 3);

	/* Header only, but Next Payload says SA. */
	golden_copy();
	set_len(IKE_HDR_LEN);
	assert_int_equal(parse(IKE_HDR_LEN, &m), IKE_PARSE_PLD_HDR_TRUNCATED);

	/* Header only, no payload: a valid (empty) message. */
	msg[16] = IKE_PLD_NONE;
	assert_int_equal(parse(IKE_HDR_LEN, &m), IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 0);
}

/* Writes a generic payload header at off; returns the offset after body_len. */
static size_t
put_pld(size_t off, uint8_t next, uint8_t flags, size_t body_len)
{
	msg[off] = next;
	msg[off + 1] = flags;
	ike_put_u16(msg + off + 2, (uint16_t)(4 + body_len));
	memset(msg + off + 4, 0x33, body_len);
	return off + 4 + body_len;
}

static size_t
put_hdr(uint8_t first)
{
	golden_copy();
	msg[16] = first;
	msg[18] = IKE_EXCH_IKE_AUTH;
	return IKE_HDR_LEN;
}

static void
test_too_many_payloads(void **state)
{
	struct ike_msg m;

	(void)state;
	for (unsigned int n = IKE_MSG_MAX_PLD - 1; n <= IKE_MSG_MAX_PLD + 2; n++) {
		size_t off = put_hdr(IKE_PLD_VENDOR);

		for (unsigned int i = 0; i < n; i++)
			off = put_pld(off, i + 1 < n ? IKE_PLD_VENDOR : IKE_PLD_NONE, 0, 1);
		set_len(off);
		assert_int_equal(parse(off, &m), n <= IKE_MSG_MAX_PLD
							 ? IKE_PARSE_OK
							 : IKE_PARSE_TOO_MANY_PAYLOADS);
	}

	/* Unknown payloads are skipped and take no slot. */
	size_t off = put_hdr(200);

	for (unsigned int i = 0; i < 100; i++)
		off = put_pld(off, i + 1 < 100 ? 200 : IKE_PLD_NONE, 0, 0);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 0);
}

static void
test_sk_placement(void **state)
{
	struct ike_msg m;
	size_t off;

	(void)state;
	/* HDR, SK{IDi}: SK last is fine; its Next Payload names the first inner one. */
	off = put_hdr(IKE_PLD_SK);
	off = put_pld(off, IKE_PLD_IDI, 0, 40);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_OK);
	assert_int_equal(m.sk_type, IKE_PLD_SK);
	assert_int_equal(m.sk_first, IKE_PLD_IDI);
	assert_int_equal(m.sk_off, IKE_HDR_LEN);
	assert_int_equal(m.sk_idx, 0);
	assert_int_equal(m.n_pld, 1);

	/* HDR, N, SKF: SKF last. */
	off = put_hdr(IKE_PLD_NOTIFY);
	off = put_pld(off, IKE_PLD_SKF, 0, 4);
	off = put_pld(off, IKE_PLD_NONE, 0, 20);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_OK);
	assert_int_equal(m.sk_type, IKE_PLD_SKF);
	assert_int_equal(m.sk_idx, 1);
	assert_int_equal(m.sk_off, IKE_HDR_LEN + 8);

	/* HDR, SK, N: payload after SK. */
	off = put_hdr(IKE_PLD_SK);
	off = put_pld(off, IKE_PLD_NOTIFY, 0, 20);
	off = put_pld(off, IKE_PLD_NONE, 0, 4);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_SK_NOT_LAST);

	/* HDR, SK, SKF */
	off = put_hdr(IKE_PLD_SK);
	off = put_pld(off, IKE_PLD_SKF, 0, 20);
	off = put_pld(off, IKE_PLD_NONE, 0, 20);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_SK_NOT_LAST);

	/* SK whose length stops short of the datagram end. */
	off = put_hdr(IKE_PLD_SK);
	off = put_pld(off, IKE_PLD_NONE, 0, 20);
	memset(msg + off, 0, 8);
	off += 8;
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_SK_NOT_LAST);
}

/* Decrypted SK bodies (inner payload chains). */
static void
test_inner_chains(void **state)
{
	uint8_t plain[256];
	struct ike_msg m;
	size_t off;

	(void)state;
	off = put_hdr(IKE_PLD_NOTIFY);
	off = put_pld(off, IKE_PLD_SK, 0, 4);
	off = put_pld(off, IKE_PLD_IDI, 0, 40);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_OK);

	/* IDi(8), AUTH(12) */
	memset(plain, 0, sizeof(plain));
	plain[0] = IKE_PLD_AUTH;
	ike_put_u16(plain + 2, 12);
	plain[12] = IKE_PLD_NONE;
	ike_put_u16(plain + 14, 16);
	assert_int_equal(ike_msg_parse_inner(plain, 28, m.sk_first, &m), IKE_PARSE_OK);
	assert_int_equal(m.n_pld, 4);
	assert_true(m.pld[2].inner);
	assert_int_equal(m.pld[2].type, IKE_PLD_IDI);
	assert_int_equal(m.pld[2].off, 4);
	assert_int_equal(m.pld[3].type, IKE_PLD_AUTH);
	assert_int_equal(m.pld[3].off, 16);
	assert_ptr_equal(ike_msg_pld_body(&m, &m.pld[3]), plain + 16);
	assert_false(m.pld[0].inner);

	/* Every truncation of the inner chain. */
	for (size_t n = 0; n < 28; n++) {
		enum ike_parse_status want;

		assert_int_equal(parse(off, &m), IKE_PARSE_OK);
		if (n < 4 || (n >= 12 && n < 16))
			want = IKE_PARSE_PLD_HDR_TRUNCATED;
		else
			want = IKE_PARSE_PLD_OVERRUN;
		assert_int_equal(ike_msg_parse_inner(plain, n, m.sk_first, &m), want);
	}

	/* Padding left in: trailing data. */
	assert_int_equal(parse(off, &m), IKE_PARSE_OK);
	assert_int_equal(ike_msg_parse_inner(plain, 30, m.sk_first, &m),
			 IKE_PARSE_TRAILING_DATA);

	/* SK or SKF inside SK. */
	for (unsigned int t = 0; t < 2; t++) {
		assert_int_equal(parse(off, &m), IKE_PARSE_OK);
		plain[0] = t ? IKE_PLD_SKF : IKE_PLD_SK;
		assert_int_equal(ike_msg_parse_inner(plain, 28, IKE_PLD_IDI, &m),
				 IKE_PARSE_SK_NESTED);
	}

	/* A message without SK has no inner part. */
	assert_int_equal(ike_msg_parse(golden_sa_init, GOLDEN_LEN, &m), IKE_PARSE_OK);
	assert_int_equal(ike_msg_parse_inner(plain, 28, IKE_PLD_IDI, &m), IKE_PARSE_NO_SK);

	/* Inner payloads share the slot limit. */
	off = put_hdr(IKE_PLD_SK);
	off = put_pld(off, IKE_PLD_VENDOR, 0, 16);
	set_len(off);
	assert_int_equal(parse(off, &m), IKE_PARSE_OK);
	for (unsigned int i = 0; i < IKE_MSG_MAX_PLD; i++) {
		plain[i * 4] = i + 1 < IKE_MSG_MAX_PLD ? IKE_PLD_VENDOR : IKE_PLD_NONE;
		plain[i * 4 + 1] = 0;
		ike_put_u16(plain + i * 4 + 2, 4);
	}
	assert_int_equal(ike_msg_parse_inner(plain, IKE_MSG_MAX_PLD * 4, IKE_PLD_VENDOR, &m),
			 IKE_PARSE_TOO_MANY_PAYLOADS);
}

/* Every status has a distinct, non-empty name. */
static void
test_status_names(void **state)
{
	(void)state;
	for (int i = 0; i < IKE_PARSE_STATUS_COUNT; i++) {
		const char *a = ike_parse_status_name((enum ike_parse_status)i);

		assert_true(strcmp(a, "unknown") != 0);
		for (int j = 0; j < i; j++)
			assert_true(strcmp(a, ike_parse_status_name((enum ike_parse_status)j)) != 0);
	}
	assert_string_equal(ike_parse_status_name(IKE_PARSE_STATUS_COUNT), "unknown");
	assert_int_equal(ike_parse_status_notify(IKE_PARSE_OK), 0);
	assert_int_equal(ike_parse_status_notify(IKE_PARSE_BAD_MAJOR_VERSION),
			 IKE_N_INVALID_MAJOR_VERSION);
	assert_int_equal(ike_parse_status_notify(IKE_PARSE_NONCE_LENGTH), IKE_N_INVALID_SYNTAX);
	assert_string_equal(ike_exch_name(IKE_EXCH_IKE_SESSION_RESUME), "IKE_SESSION_RESUME");
	assert_string_equal(ike_pld_name(IKE_PLD_SKF), "SKF");
	assert_string_equal(ike_notify_name(IKE_N_TICKET_NACK), "TICKET_NACK");
	assert_string_equal(ike_notify_name(1), "UNSUPPORTED_CRITICAL_PAYLOAD");
	assert_string_equal(ike_notify_name(65535), "unknown");
	assert_string_equal(ike_transform_type_name(IKE_TRANSFORM_ADDKE3), "ADDKE3");
	assert_string_equal(ike_transform_id_name(IKE_TRANSFORM_ENCR, 20), "AES_GCM_16");
	assert_string_equal(ike_transform_id_name(IKE_TRANSFORM_ADDKE1, 31), "CURVE25519");
	assert_string_equal(ike_transform_id_name(IKE_TRANSFORM_INTEG, 12), "HMAC_SHA2_256_128");
	assert_string_equal(ike_transform_id_name(99, 1), "unknown");
	assert_string_equal(ike_auth_method_name(14), "DIGITAL_SIGNATURE");
	assert_string_equal(ike_id_type_name(2), "FQDN");
	assert_string_equal(ike_proto_name(3), "ESP");
}

int
test_wire_malformed(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_every_offset),
		cmocka_unit_test(test_truncated_chain_every_offset),
		cmocka_unit_test(test_header_version_all_values),
		cmocka_unit_test(test_header_flags_exchange_any),
		cmocka_unit_test(test_header_next_payload_all_values),
		cmocka_unit_test(test_critical_unknown_payload),
		cmocka_unit_test(test_reserved_bits_ignored),
		cmocka_unit_test(test_length_field_values),
		cmocka_unit_test(test_zero_spi_i),
		cmocka_unit_test(test_message_too_long),
		cmocka_unit_test(test_payload_length_fields),
		cmocka_unit_test(test_bad_chains),
		cmocka_unit_test(test_too_many_payloads),
		cmocka_unit_test(test_sk_placement),
		cmocka_unit_test(test_inner_chains),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests_name("wire-malformed", tests, NULL, NULL);
}
