/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fixed-memory log-linear latency histogram (HdrHistogram idea): values
 * below 32 are exact; above, each power of two is cut into 32 equal
 * buckets, so a reported value is within 1/32 (3.2 %) of the truth.
 * Recording is an index computation and an increment: no allocation.
 */
#ifndef STORM_HIST_H
#define STORM_HIST_H

#include <stdint.h>

#define STORM_HIST_SUB_BITS 5
#define STORM_HIST_SUB (1u << STORM_HIST_SUB_BITS)
#define STORM_HIST_MAX_EXP 40 /* 2^40 us: about 12 days; larger values are clamped */
#define STORM_HIST_BUCKETS                                                                         \
	(STORM_HIST_SUB + (STORM_HIST_MAX_EXP - STORM_HIST_SUB_BITS + 1) * STORM_HIST_SUB)

struct storm_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t bucket[STORM_HIST_BUCKETS];
};

void storm_hist_reset(struct storm_hist *h);
void storm_hist_add(struct storm_hist *h, uint64_t v);
/** Adds every sample of src to dst. */
void storm_hist_merge(struct storm_hist *dst, const struct storm_hist *src);
/**
 * The value at percentile p (0 < p <= 100): the midpoint of the bucket
 * holding the ceil(p/100 * count)-th smallest sample, clamped to [min, max];
 * the largest sample itself when that rank is the last. 0 when empty.
 */
uint64_t storm_hist_percentile(const struct storm_hist *h, double p);
/** Mean of the samples (exact: from the running sum); 0 when empty. */
double storm_hist_mean(const struct storm_hist *h);

/* Bucket of a value, and the smallest and largest value it holds (for tests). */
unsigned storm_hist_index(uint64_t v);
uint64_t storm_hist_bucket_low(unsigned idx);
uint64_t storm_hist_bucket_high(unsigned idx);

#endif
