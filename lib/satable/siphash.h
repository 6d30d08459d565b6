/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SipHash-2-4 (Aumasson, Bernstein 2012): a keyed 64-bit hash for tables
 * whose keys the network chooses (initiator SPIs, addresses), so an
 * attacker cannot aim many keys at one bucket.
 */
#ifndef SATABLE_SIPHASH_H
#define SATABLE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash24(const uint8_t key[16], const void *data, size_t len);

#endif
