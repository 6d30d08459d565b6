/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_keys.c - the lcore's key-schedule cache. SA records keep raw keys
 * (36 to 96 octets a direction); ipsec-mb wants expanded schedules (1 KiB
 * for GCM). Lines are direct-mapped by slot and direction; a slot's lines
 * are wiped when its SA goes (dp_keys_forget), so a line of a deleted SA
 * never serves its successor. A line the current burst already uses is never evicted: jobs
 * hold pointers into it until the burst is flushed; such a collision
 * expands into a per-burst scratch schedule instead, wiped at burst end.
 */
#include "dp_priv.h"
#include "ike_secret.h"

static struct dp_key_line *
line_of(struct dp_lcore *l, uint32_t owner)
{
	return &l->keys[(owner - 1) % l->nb_keys];
}

static void
expand(struct dp_lcore *l, const struct dp_entry *e, bool outbound, struct cry_ipsecmb_esp_keys *k)
{
	/* The algorithm and key length were checked at install. */
	cry_ipsecmb_esp_keys_init(l->cry, k, (enum esp_alg)e->sa.alg, esp_sa_enc_key_len(&e->sa),
				  e->keys + (outbound ? l->dp->cfg.keymat_len : 0));
	l->c.key_misses++;
}

const struct cry_ipsecmb_esp_keys *
dp_keys(struct dp_lcore *l, const struct dp_entry *e, bool outbound)
{
	uint32_t slot = esp_spi_slot(&l->dp->layout, e->sa.spi_in); /* no division by the stride */
	uint32_t owner = (slot << 1 | outbound) + 1;
	struct dp_key_line *line = line_of(l, owner);
	struct cry_ipsecmb_esp_keys *k;

	if (line->owner == owner) {
		line->burst = l->burst_id;
		return &line->k;
	}
	if (line->owner != 0 && line->burst == l->burst_id) {
		k = &l->scratch[l->nb_scratch++];
		expand(l, e, outbound, k);
		return k;
	}
	expand(l, e, outbound, &line->k);
	line->owner = owner;
	line->burst = l->burst_id;
	return &line->k;
}

void
dp_keys_burst_begin(struct dp_lcore *l)
{
	if (++l->burst_id == 0)
		l->burst_id = 1;
	l->nb_scratch = 0;
}

void
dp_keys_burst_end(struct dp_lcore *l)
{
	unsigned i;

	for (i = 0; i < l->nb_scratch; i++)
		cry_ipsecmb_esp_keys_wipe(&l->scratch[i]);
	l->nb_scratch = 0;
}

void
dp_keys_forget(struct dp_lcore *l, uint32_t slot)
{
	unsigned dir;

	for (dir = 0; dir < 2; dir++) {
		uint32_t owner = (slot << 1 | dir) + 1;
		struct dp_key_line *line = line_of(l, owner);

		if (line->owner == owner)
			ike_wipe(line, sizeof(*line));
	}
}
