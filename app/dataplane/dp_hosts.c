/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_hosts.c - the host-route index of a data-path lcore: one-address
 * selectors (virtual IPs, the usual case) to their SA's slot.
 *
 * An open-addressing table of slot + 1 (0: empty), at most half full,
 * linear probing. The key is not stored: it is the address of the SA the
 * cell names (its selector), so the index takes 8 octets a slot
 * where an rte_hash took ~48 (its key copy, bucket and free-slot ring).
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
	uint32_t n = rte_align32pow2(RTE_MAX(2 * l->nb_slots, 16u));

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

/* Whether the SA in slot has the one-address selector v6/addr. */
static inline bool
is_key(const struct dp_lcore *l, uint32_t slot, bool v6, const uint8_t *addr)
{
	const struct esp_sa *sa = &dp_tab(l, slot)->sa;

	return ((sa->flags & ESP_SA_TS_V6) != 0) == v6 && memcmp(sa->ts, addr, v6 ? 16 : 4) == 0;
}

/* The cell of v6/addr, or the empty cell ending its run. */
static uint32_t
find(const struct dp_lcore *l, bool v6, const uint8_t *addr)
{
	uint32_t i = home(l, v6, addr);

	while (l->hosts[i] != 0 && !is_key(l, l->hosts[i] - 1, v6, addr))
		i = (i + 1) & l->hosts_mask;
	return i;
}

uint32_t
dp_hosts_find(const struct dp_lcore *l, bool v6, const uint8_t *addr)
{
	uint32_t c = l->hosts[find(l, v6, addr)];

	return c != 0 ? c - 1 : UINT32_MAX;
}

void
dp_hosts_add(struct dp_lcore *l, bool v6, const uint8_t *addr, uint32_t slot)
{
	/* Never full: twice the cells of the slots, one cell a slot at most. */
	l->hosts[find(l, v6, addr)] = slot + 1;
}

void
dp_hosts_del(struct dp_lcore *l, bool v6, const uint8_t *addr, uint32_t slot)
{
	uint32_t i = find(l, v6, addr), j = i;

	if (l->hosts[i] != slot + 1)
		return; /* absent, or a rekey's SA took the address over */
	for (;;) {
		const struct esp_sa *sa;
		uint32_t k;

		j = (j + 1) & l->hosts_mask;
		if (l->hosts[j] == 0)
			break;
		sa = &dp_tab(l, l->hosts[j] - 1)->sa;
		k = home(l, (sa->flags & ESP_SA_TS_V6) != 0, sa->ts);
		/* The cell at j stays unless its home lies cyclically outside (i, j]. */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			l->hosts[i] = l->hosts[j];
			i = j;
		}
	}
	l->hosts[i] = 0;
}
