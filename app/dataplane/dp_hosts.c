/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_hosts.c - the host-route index of a data-path lcore: one-address
 * selectors (virtual IPs, the usual case) to their SA's slot.
 *
 * An open-addressing table of (slot << 1 | IPv6) + 1 (0: empty), at most
 * half full, linear probing. The key is not stored: it is the address of
 * the SA the cell names (its selector of the cell's family; a dual-stack
 * SA has a cell for each), so the index takes 16 octets a slot (four
 * cells: half full when every SA has both families) where an rte_hash
 * took ~48 (its key copy, bucket and free-slot ring).
 * Deletion moves later cells of the run back (no tombstones), so a lookup
 * stops at the first empty cell. Only the owning lcore touches it.
 */
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "dp_priv.h"

void
dp_hosts_init(struct dp_lcore *l, int socket)
{
	uint32_t n = rte_align32pow2(RTE_MAX(4 * l->nb_slots, 16u));

	l->hosts = rte_zmalloc_socket("dp_hosts", (size_t)n * sizeof(*l->hosts),
				      RTE_CACHE_LINE_SIZE, socket);
	l->hosts_mask = n - 1;
}

static inline uint32_t
home(const struct dp_lcore *l, bool v6, const uint8_t *addr)
{
	/* rte_hash_crc loads whole words: the address may sit anywhere in a packet or record. */
	uint64_t key[2];

	memcpy(key, addr, v6 ? 16 : 4);
	return rte_hash_crc(key, v6 ? 16 : 4, v6) & l->hosts_mask;
}

static inline uint32_t
cell_of(uint32_t slot, bool v6)
{
	return (slot << 1 | v6) + 1;
}

/* The address a non-empty cell stands for: its SA's selector of the cell's family. */
static inline const uint8_t *
key_of(const struct dp_lcore *l, uint32_t cell, bool *v6)
{
	uint8_t len;

	*v6 = (cell - 1) & 1;
	return esp_sa_ts_of(&dp_tab(l, (cell - 1) >> 1)->sa, *v6, &len);
}

/* The cell of v6/addr, or the empty cell ending its run. */
static uint32_t
find(const struct dp_lcore *l, bool v6, const uint8_t *addr)
{
	uint32_t i = home(l, v6, addr), c;
	const uint8_t *key;
	bool kv6;

	while ((c = l->hosts[i]) != 0) {
		key = key_of(l, c, &kv6);
		if (kv6 == v6 && memcmp(key, addr, v6 ? 16 : 4) == 0)
			break;
		i = (i + 1) & l->hosts_mask;
	}
	return i;
}

uint32_t
dp_hosts_find(const struct dp_lcore *l, bool v6, const uint8_t *addr)
{
	uint32_t c = l->hosts[find(l, v6, addr)];

	return c != 0 ? (c - 1) >> 1 : UINT32_MAX;
}

void
dp_hosts_add(struct dp_lcore *l, bool v6, const uint8_t *addr, uint32_t slot)
{
	/* Never full: four cells a slot, two (one a family) a slot at most. */
	l->hosts[find(l, v6, addr)] = cell_of(slot, v6);
}

void
dp_hosts_del(struct dp_lcore *l, bool v6, const uint8_t *addr, uint32_t slot)
{
	uint32_t i = find(l, v6, addr), j = i;

	if (l->hosts[i] != cell_of(slot, v6))
		return; /* absent, or a rekey's SA took the address over */
	for (;;) {
		const uint8_t *key;
		uint32_t k;
		bool kv6;

		j = (j + 1) & l->hosts_mask;
		if (l->hosts[j] == 0)
			break;
		key = key_of(l, l->hosts[j], &kv6);
		k = home(l, kv6, key);
		/* The cell at j stays unless its home lies cyclically outside (i, j]. */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			l->hosts[i] = l->hosts[j];
			i = j;
		}
	}
	l->hosts[i] = 0;
}
