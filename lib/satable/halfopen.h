/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * halfopen - fixed-size index from (initiator SPI, peer address, peer port)
 * to a value (normally our responder SPI). It finds the half-open SA of a
 * retransmitted IKE_SA_INIT request, whose SPIr is still zero (RFC 7296
 * 2.1: a retransmit must get the same reply, not a second SA).
 *
 * Open addressing with linear probing, at most half full, deletion by
 * backward shift (no tombstones, so probe lengths do not grow over time).
 * Keys come from the network, so the hash is SipHash keyed with a secret.
 * Single owner, caller-provided memory, nothing allocated after init.
 */
#ifndef SATABLE_HALFOPEN_H
#define SATABLE_HALFOPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_status.h"

struct halfopen_key {
	uint64_t ispi;    /* initiator SPI, as ike_get_u64() reads it */
	uint8_t addr[16]; /* IPv4 in the first 4 octets, the rest zero */
	uint16_t port;
	uint8_t family;   /* 4 or 6 */
	uint8_t reserved; /* zero */
	uint32_t hash;    /* set by the index */
};

struct halfopen_index;

/* Builds a key with every unused octet zeroed (family 4 reads 4 octets). */
void halfopen_key_make(struct halfopen_key *k, uint64_t ispi, uint8_t family,
		       const uint8_t *addr, uint16_t port);

/* Octets for an index of up to capacity entries (aligned to 64 by the caller). */
size_t halfopen_mem_size(uint32_t capacity);

/* hash_key: 16 secret random octets. Returns NULL on bad parameters. */
struct halfopen_index *halfopen_init(void *mem, size_t mem_len, uint32_t capacity,
				     const uint8_t hash_key[16]);

/* IKE_OK; IKE_E_NOSPACE when capacity entries are in; IKE_E_PARAM when k is in. */
enum ike_status halfopen_insert(struct halfopen_index *h, const struct halfopen_key *k,
				uint64_t value);

/* True and *value set when k is in. */
bool halfopen_lookup(const struct halfopen_index *h, const struct halfopen_key *k,
		     uint64_t *value);

/* True when k was in and is now removed. */
bool halfopen_remove(struct halfopen_index *h, const struct halfopen_key *k);

uint32_t halfopen_count(const struct halfopen_index *h);

#endif
