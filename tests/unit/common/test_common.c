/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ike_buf.h"
#include "ike_hex.h"
#include "ike_secret.h"
#include "ike_status.h"

static void
test_rd_bounds(void **state)
{
	const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
	struct ike_rd r;

	(void)state;
	ike_rd_init(&r, bytes, sizeof(bytes));
	assert_int_equal(ike_rd_u16(&r), 0x0102);
	assert_int_equal(ike_rd_u32(&r), 0x03040506);
	assert_int_equal(ike_rd_left(&r), 1);
	/* A read past the end fails, latches, and returns zero. */
	assert_int_equal(ike_rd_u16(&r), 0);
	assert_true(r.err);
	assert_int_equal(ike_rd_u8(&r), 0);
	assert_int_equal(ike_rd_left(&r), 0);
}

static void
test_rd_huge_length(void **state)
{
	const uint8_t bytes[4] = {0};
	struct ike_rd r;

	(void)state;
	ike_rd_init(&r, bytes, sizeof(bytes));
	assert_non_null(ike_rd_bytes(&r, 2));
	/* off + n would wrap: must be refused without overflow. */
	assert_null(ike_rd_bytes(&r, SIZE_MAX));
	assert_true(r.err);
}

static void
test_wr_overflow(void **state)
{
	uint8_t out[6];
	struct ike_wr w;

	(void)state;
	ike_wr_init(&w, out, sizeof(out));
	ike_wr_u32(&w, 0xdeadbeef);
	assert_false(w.err);
	ike_wr_u32(&w, 1);
	assert_true(w.err);
	assert_int_equal(w.off, 4);
	assert_int_equal(ike_get_u32(out), 0xdeadbeef);
}

static void
test_wr_u64_roundtrip(void **state)
{
	uint8_t out[8];
	struct ike_wr w;
	struct ike_rd r;

	(void)state;
	ike_wr_init(&w, out, sizeof(out));
	ike_wr_u64(&w, 0x0123456789abcdefULL);
	ike_rd_init(&r, out, sizeof(out));
	assert_true(ike_rd_u64(&r) == 0x0123456789abcdefULL);
	assert_int_equal(out[0], 0x01);
}

static void
test_ct_eq(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_true(ike_ct_eq(a, b, sizeof(a)));
	b[31] ^= 1;
	assert_false(ike_ct_eq(a, b, sizeof(a)));
	b[31] ^= 1;
	b[0] ^= 0x80;
	assert_false(ike_ct_eq(a, b, sizeof(a)));
	assert_true(ike_ct_eq(a, b, 0));
}

static void
test_wipe(void **state)
{
	uint8_t s[16];
	size_t i;

	(void)state;
	memset(s, 0xff, sizeof(s));
	ike_wipe(s, sizeof(s));
	for (i = 0; i < sizeof(s); i++)
		assert_int_equal(s[i], 0);
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(ike_status_name(IKE_OK), "ok");
	assert_string_equal(ike_status_name(IKE_E_INTEGRITY), "integrity-check-failed");
	assert_string_equal(ike_status_name((enum ike_status)999), "unknown");
}

static void
test_hex_decode(void **state)
{
	const uint8_t want[] = {0x00, 0x9a, 0xbc, 0xde, 0xf1};
	uint8_t out[5];
	size_t len = 99;

	(void)state;
	assert_int_equal(ike_hex_decode("009aBCdeF1", out, sizeof(out), &len), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(ike_hex_decode("", out, sizeof(out), &len), 0);
	assert_int_equal(len, 0);
	len = 99;
	assert_int_equal(ike_hex_decode("abc", out, sizeof(out), &len), -1);
	assert_int_equal(ike_hex_decode("0g", out, sizeof(out), &len), -1);
	assert_int_equal(ike_hex_decode("g0", out, sizeof(out), &len), -1);
	assert_int_equal(ike_hex_decode("0a 1", out, sizeof(out), &len), -1);
	assert_int_equal(ike_hex_decode("000102030405", out, sizeof(out), &len), -1);
	assert_int_equal(len, 99);
	/* A field of a line: only its characters count, the rest may be anything. */
	assert_int_equal(ike_hex_decode_n("9aBC zz", 4, out, sizeof(out), &len), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(out, want + 1, 2);
	assert_int_equal(ike_hex_decode_n("9aBC zz", 5, out, sizeof(out), &len), -1);
	assert_int_equal(ike_hex_decode_n("9aBC zz", 6, out, sizeof(out), &len), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rd_bounds),    cmocka_unit_test(test_rd_huge_length),
		cmocka_unit_test(test_wr_overflow),  cmocka_unit_test(test_wr_u64_roundtrip),
		cmocka_unit_test(test_ct_eq),        cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_status_names), cmocka_unit_test(test_hex_decode),
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
