/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_hist.c - log-linear histogram: index math, percentiles. */
#include <math.h>
#include <string.h>

#include "storm_hist.h"

void
storm_hist_reset(struct storm_hist *h)
{
	memset(h, 0, sizeof(*h));
}

unsigned
storm_hist_index(uint64_t v)
{
	unsigned e;

	if (v < STORM_HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	if (e > STORM_HIST_MAX_EXP)
		return STORM_HIST_BUCKETS - 1;
	/* the 5 bits below the leading one pick the linear sub-bucket */
	return STORM_HIST_SUB + (e - STORM_HIST_SUB_BITS) * STORM_HIST_SUB +
	       (unsigned)((v >> (e - STORM_HIST_SUB_BITS)) - STORM_HIST_SUB);
}

uint64_t
storm_hist_bucket_low(unsigned idx)
{
	unsigned e, sub;

	if (idx < STORM_HIST_SUB)
		return idx;
	e = (idx - STORM_HIST_SUB) / STORM_HIST_SUB + STORM_HIST_SUB_BITS;
	sub = (idx - STORM_HIST_SUB) % STORM_HIST_SUB;
	return (uint64_t)(STORM_HIST_SUB + sub) << (e - STORM_HIST_SUB_BITS);
}

uint64_t
storm_hist_bucket_high(unsigned idx)
{
	unsigned e;

	if (idx < STORM_HIST_SUB)
		return idx;
	e = (idx - STORM_HIST_SUB) / STORM_HIST_SUB + STORM_HIST_SUB_BITS;
	return storm_hist_bucket_low(idx) + (1ull << (e - STORM_HIST_SUB_BITS)) - 1;
}

void
storm_hist_add(struct storm_hist *h, uint64_t v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->bucket[storm_hist_index(v)]++;
}

void
storm_hist_merge(struct storm_hist *dst, const struct storm_hist *src)
{
	unsigned i;

	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
	for (i = 0; i < STORM_HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
}

uint64_t
storm_hist_percentile(const struct storm_hist *h, double p)
{
	uint64_t rank, seen = 0, v;
	unsigned i;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank >= h->count)
		return h->max; /* the largest sample is known exactly */
	for (i = 0; i < STORM_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	if (i == STORM_HIST_BUCKETS)
		return h->max;
	v = storm_hist_bucket_low(i) + (storm_hist_bucket_high(i) - storm_hist_bucket_low(i)) / 2;
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

double
storm_hist_mean(const struct storm_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}
