/* SPDX-License-Identifier: BSD-3-Clause */
/* Hex text -> octets, for configuration and credential files and the tests' vectors. */
#ifndef IKE_HEX_H
#define IKE_HEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the NUL-terminated hex string hex (digits in either case, nothing
 * else) into out, which holds cap octets; *len is the octet count. Returns 0,
 * or -1 when the length is odd, the octets do not fit or a character is not a
 * hex digit. An empty string decodes to no octets.
 */
int ike_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len);

/* The same for the hex_len characters at hex (a field of a longer line). */
int ike_hex_decode_n(const char *hex, size_t hex_len, uint8_t *out, size_t cap, size_t *len);

#endif
