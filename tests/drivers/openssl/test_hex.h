/* SPDX-License-Identifier: BSD-3-Clause */
/* Hex strings of the RFC test vectors -> bytes, for the OpenSSL driver tests. */
#ifndef TEST_HEX_H
#define TEST_HEX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ike_hex.h"

/* Decodes a vector's hex into out; fails the test on bad hex or overflow. Returns the length. */
static inline size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t len = 0;

	assert_int_equal(ike_hex_decode(hex, out, cap, &len), 0);
	return len;
}

#endif
