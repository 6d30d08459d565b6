/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared benchmark helpers: a monotonic clock, "repeat for a time budget,
 * several samples, take the median", and the one-line report every bench
 * prints: the measured cost next to a baseline measured in the same run.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_MAX_SAMPLES 15

/* Runs one round of the measured work and returns how many operations it did. */
typedef unsigned (*bench_fn)(void *arg);

static inline uint64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Median cost of one operation in ns over `samples` samples; each sample
 * repeats fn until at least sample_ns have passed. One warm-up round first.
 */
static inline double
bench_median_ns(bench_fn fn, void *arg, unsigned samples, uint64_t sample_ns)
{
	double v[BENCH_MAX_SAMPLES];
	uint64_t t0, t;
	unsigned s, ops;

	if (samples == 0 || samples > BENCH_MAX_SAMPLES)
		samples = BENCH_MAX_SAMPLES;
	fn(arg);
	for (s = 0; s < samples; s++) {
		ops = 0;
		t0 = bench_now_ns();
		do {
			ops += fn(arg);
			t = bench_now_ns();
		} while (t - t0 < sample_ns);
		v[s] = (double)(t - t0) / (ops ? ops : 1);
	}
	qsort(v, samples, sizeof(v[0]), bench_cmp_double);
	return v[samples / 2];
}

/* ratio = baseline / measured: above 1 the measured path is that many times faster. */
static inline void
bench_report(const char *name, double ns, double baseline_ns)
{
	printf("%s: %.1f ns/op, baseline %.1f ns/op, ratio %.2f\n", name, ns, baseline_ns,
	       baseline_ns / ns);
}

#endif
