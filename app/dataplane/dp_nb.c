/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_nb.c - the neighbour table of a data-path lcore: the Ethernet address
 * pairs SAs learnt from their authenticated packets (dp_priv.h, struct
 * dp_nb). Clients behind one router share one entry, so an SA names its
 * pair with 2 octets instead of holding 12.
 *
 * Entries are reference-counted by the SAs naming them; a free entry is
 * reused. The index is an open-addressing table of entry numbers (0:
 * empty), at most half full, linear probing, deletion by moving later
 * cells of the run back (as in dp_hosts.c). Only the owning lcore touches it.
 */
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "dp_priv.h"

bool
dp_nb_init(struct dp_lcore *l, int socket)
{
	uint32_t cap = RTE_MIN(RTE_MAX(l->nb_slots / 16, DP_NB_MIN), (uint32_t)UINT16_MAX);
	uint32_t cells = rte_align32pow2(2 * cap);

	l->nbs = rte_zmalloc_socket("dp_nbs", (size_t)(cap + 1) * sizeof(*l->nbs), 0, socket);
	l->nb_cells = rte_zmalloc_socket("dp_nb_cells", (size_t)cells * sizeof(*l->nb_cells),
					 RTE_CACHE_LINE_SIZE, socket);
	l->nb_cap = cap;
	l->nb_cells_mask = cells - 1;
	l->nb_next = 1;
	l->nb_free = 0;
	return l->nbs != NULL && l->nb_cells != NULL;
}

void
dp_nb_free(struct dp_lcore *l)
{
	rte_free(l->nbs);
	rte_free(l->nb_cells);
}

static uint32_t
home(const struct dp_lcore *l, const uint8_t *peer, const uint8_t *our)
{
	uint64_t key[2] = {0, 0};

	memcpy(key, peer, 6);
	memcpy((uint8_t *)key + 6, our, 6);
	return rte_hash_crc(key, 12, 0) & l->nb_cells_mask;
}

static bool
is(const struct dp_nb *n, const uint8_t *peer, const uint8_t *our)
{
	return memcmp(n->peer, peer, 6) == 0 && memcmp(n->our, our, 6) == 0;
}

/* The cell of the pair, or the empty cell ending its run. */
static uint32_t
find(const struct dp_lcore *l, const uint8_t *peer, const uint8_t *our)
{
	uint32_t i = home(l, peer, our);

	while (l->nb_cells[i] != 0 && !is(&l->nbs[l->nb_cells[i]], peer, our))
		i = (i + 1) & l->nb_cells_mask;
	return i;
}

/* A new entry for the pair at cell i (empty); 0 when the table is full. */
static uint16_t
add(struct dp_lcore *l, uint32_t i, const uint8_t *peer, const uint8_t *our)
{
	uint32_t n;

	if (l->nb_free != 0) {
		n = l->nb_free;
		l->nb_free = l->nbs[n].refs;
	} else if (l->nb_next <= l->nb_cap) {
		n = l->nb_next++;
	} else {
		l->c.nb_full++;
		return 0;
	}
	memcpy(l->nbs[n].peer, peer, 6);
	memcpy(l->nbs[n].our, our, 6);
	l->nbs[n].refs = 0;
	l->nb_cells[i] = (uint16_t)n;
	return (uint16_t)n;
}

/* Removes entry n (no SA names it) from the index and frees it. */
static void
del(struct dp_lcore *l, uint16_t n)
{
	uint32_t i = find(l, l->nbs[n].peer, l->nbs[n].our), j = i;

	for (;;) {
		const struct dp_nb *o;
		uint32_t k;

		j = (j + 1) & l->nb_cells_mask;
		if (l->nb_cells[j] == 0)
			break;
		o = &l->nbs[l->nb_cells[j]];
		k = home(l, o->peer, o->our);
		/* The cell at j stays unless its home lies cyclically outside (i, j]. */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			l->nb_cells[i] = l->nb_cells[j];
			i = j;
		}
	}
	l->nb_cells[i] = 0;
	l->nbs[n].refs = l->nb_free;
	l->nb_free = n;
}

void
dp_nb_release(struct dp_lcore *l, struct dp_entry *e)
{
	uint16_t n = e->nb;

	e->nb = 0;
	if (n != 0 && --l->nbs[n].refs == 0)
		del(l, n);
}

void
dp_nb_hold(struct dp_lcore *l, struct dp_entry *e, uint16_t nb)
{
	dp_nb_release(l, e);
	if (nb != 0) {
		l->nbs[nb].refs++;
		e->nb = nb;
	}
}

void
dp_nb_learn(struct dp_lcore *l, struct dp_entry *e, const uint8_t *frame)
{
	const uint8_t *our = frame, *peer = frame + 6;
	uint32_t i;
	uint16_t n;

	if (e->nb != 0 && is(&l->nbs[e->nb], peer, our))
		return; /* the usual case: nothing changed */
	dp_nb_release(l, e);
	i = find(l, peer, our);
	n = l->nb_cells[i] != 0 ? l->nb_cells[i] : add(l, i, peer, our);
	if (n != 0) {
		l->nbs[n].refs++;
		e->nb = n;
	}
}
