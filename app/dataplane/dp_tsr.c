/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_tsr.c - a lcore's local selectors (TSr, RFC 4301 5.2): the few
 * distinct protected networks its SAs were granted, each stored once and
 * shared by reference count; an SA names its entry (esp_sa.local_ts, 1 +
 * index) instead of holding the ranges.
 */
#include <string.h>

#include "dp_priv.h"

static bool
ts_equal(const struct esp_ts_local *a, const struct esp_ts_local *b)
{
	if (a->has != b->has)
		return false;
	if ((a->has & ESP_TSL_V4) && (a->start4 != b->start4 || a->end4 != b->end4))
		return false;
	return !(a->has & ESP_TSL_V6) ||
	       (memcmp(a->start6, b->start6, 16) == 0 && memcmp(a->end6, b->end6, 16) == 0);
}

uint8_t
dp_tsr_hold(struct dp_lcore *l, const struct esp_ts_local *ts)
{
	unsigned i, free_i = DP_MAX_TSR;

	for (i = 0; i < l->nb_tsr; i++) {
		if (l->tsr[i].refs == 0) {
			if (free_i == DP_MAX_TSR)
				free_i = i;
		} else if (ts_equal(&l->tsr[i].ts, ts)) {
			l->tsr[i].refs++;
			return (uint8_t)(i + 1);
		}
	}
	if (free_i == DP_MAX_TSR) {
		if (l->nb_tsr == DP_MAX_TSR) {
			l->c.tsr_full++;
			return 0;
		}
		free_i = l->nb_tsr++;
	}
	l->tsr[free_i].ts = *ts;
	l->tsr[free_i].refs = 1;
	return (uint8_t)(free_i + 1);
}

void
dp_tsr_release(struct dp_lcore *l, uint8_t ref)
{
	struct dp_tsr *t;

	if (ref == 0)
		return;
	t = &l->tsr[ref - 1];
	if (--t->refs == 0) {
		memset(&t->ts, 0, sizeof(t->ts));
		while (l->nb_tsr > 0 && l->tsr[l->nb_tsr - 1].refs == 0)
			l->nb_tsr--;
	}
}
