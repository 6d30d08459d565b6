/* SPDX-License-Identifier: BSD-3-Clause */
#include "ike_hex.h"

#include <string.h>

static int
hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
ike_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	return ike_hex_decode_n(hex, strlen(hex), out, cap, len);
}

int
ike_hex_decode_n(const char *hex, size_t n, uint8_t *out, size_t cap, size_t *len)
{
	size_t i;

	if (n % 2 != 0 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit_value(hex[2 * i]);
		int lo = hex_digit_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}
