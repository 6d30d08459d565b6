/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_hist - a fixed-bucket latency histogram written by one worker and
 * read by the metrics thread (relaxed atomics: each value whole, the set
 * not one snapshot). Bucket bounds are in microseconds, the last is +Inf.
 */
#ifndef IFD_HIST_H
#define IFD_HIST_H

#include <stdint.h>

#define IFD_HIST_BUCKETS 14

/* Upper bounds in microseconds of buckets 0 .. IFD_HIST_BUCKETS - 2. */
extern const uint32_t ifd_hist_bounds_us[IFD_HIST_BUCKETS - 1];

struct ifd_hist {
	uint64_t bucket[IFD_HIST_BUCKETS]; /* not cumulative */
	uint64_t count;
	uint64_t sum_ns;
};

/* Records one observation of ns nanoseconds (owner thread only). */
void ifd_hist_add(struct ifd_hist *h, uint64_t ns);

#endif
