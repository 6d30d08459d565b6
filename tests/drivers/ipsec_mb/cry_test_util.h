/* SPDX-License-Identifier: BSD-3-Clause */
/* Small helpers shared by the crypto driver tests: hex vectors, a seeded PRNG. */
#ifndef CRY_TEST_UTIL_H
#define CRY_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int
cry_test_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return ch - 'A' + 10;
}

/* Decodes a hex string into out (capacity cap); returns the byte count. */
static inline size_t
cry_test_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;
	size_t i;

	if (n > cap)
		n = cap;
	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(cry_test_nibble(hex[2 * i]) << 4 | cry_test_nibble(hex[2 * i + 1]));
	return n;
}

/* xorshift64*: deterministic, so a failure reproduces. */
static inline uint64_t
cry_test_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static inline void
cry_test_fill(uint64_t *s, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(cry_test_rand(s) >> 56);
}

#endif
