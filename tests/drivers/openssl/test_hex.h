/* SPDX-License-Identifier: BSD-3-Clause */
/* Hex strings of the RFC test vectors -> bytes, for the OpenSSL driver tests. */
#ifndef TEST_HEX_H
#define TEST_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int
test_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes hex into out; returns the length, or SIZE_MAX on bad input or overflow. */
static inline size_t
test_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex);
	size_t i;

	if (n % 2 != 0 || n / 2 > cap)
		return SIZE_MAX;
	for (i = 0; i < n / 2; i++) {
		int hi = test_hex_nibble(hex[2 * i]);
		int lo = test_hex_nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return SIZE_MAX;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return n / 2;
}

#endif
