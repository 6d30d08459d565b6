/* SPDX-License-Identifier: BSD-3-Clause */
/* Builder internals shared by the ike_build*.c files of lib/wire only. */
#ifndef IKE_BUILD_PRIV_H
#define IKE_BUILD_PRIV_H

#include "ike_build.h"

/* Latches a bad-argument error. */
void ike_mb_fail(struct ike_mb *b);

/*
 * Writes a generic payload header, links it from the previous Next Payload
 * field and returns its offset (ike_mb_pld_end() then fixes the lengths).
 */
size_t ike_mb_pld_begin(struct ike_mb *b, uint8_t type, bool critical);
void ike_mb_pld_end(struct ike_mb *b, size_t start);

/* Copies len octets; data may be NULL only when len is 0. */
void ike_mb_put(struct ike_mb *b, const void *data, size_t len);

#endif
