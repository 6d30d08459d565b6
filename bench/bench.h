/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared benchmark helpers: a monotonic clock, "repeat for a time budget,
 * several samples, take the median", and the one-line report every bench
 * prints: the measured cost next to a baseline measured in the same run.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
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

/* The median of n samples (sorts them). */
static inline double
bench_median(double *v, unsigned n)
{
	qsort(v, n, sizeof(v[0]), bench_cmp_double);
	return v[n / 2];
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
	return bench_median(v, samples);
}

/* ratio = baseline / measured: above 1 the measured path is that many times faster. */
static inline void
bench_report(const char *name, double ns, double baseline_ns)
{
	printf("%s: %.1f ns/op, baseline %.1f ns/op, ratio %.2f\n", name, ns, baseline_ns,
	       baseline_ns / ns);
}

/* bench_report, then the operations per second of that row ("  NAME: N UNIT/s"). */
static inline void
bench_report_rate(const char *name, double ns, double baseline_ns, const char *unit)
{
	bench_report(name, ns, baseline_ns);
	printf("  %s: %.0f %s/s\n", name, 1e9 / ns, unit);
}

struct cry_ops;
/* ns per operation of the bench at arg with those crypto ops, one at a time or in bursts. */
typedef double (*bench_ops_fn)(void *arg, const struct cry_ops *ops, bool burst);

/*
 * The four rows of a burst API against its one-at-a-time use, with the
 * OpenSSL and the ipsec-mb driver (imb: OpenSSL bound first, ipsec-mb over
 * it): the baseline is OpenSSL one at a time, best of two runs so that a
 * cold start does not inflate the ratios. burst_api names the burst rows.
 */
static inline void
bench_burst_rows(bench_ops_fn measure, void *arg, const struct cry_ops *ossl,
		 const struct cry_ops *imb, const char *burst_api, const char *unit)
{
	double base = measure(arg, ossl, false), ossl_burst = measure(arg, ossl, true);
	double imb_one = measure(arg, imb, false), imb_burst = measure(arg, imb, true);
	double again = measure(arg, ossl, false);
	char name[128];

	if (again < base)
		base = again;
	bench_report_rate("openssl one-at-a-time (baseline)", base, base, unit);
	snprintf(name, sizeof(name), "openssl %s", burst_api);
	bench_report_rate(name, ossl_burst, base, unit);
	bench_report_rate("ipsec-mb one-at-a-time", imb_one, base, unit);
	snprintf(name, sizeof(name), "ipsec-mb %s", burst_api);
	bench_report_rate(name, imb_burst, base, unit);
}

#endif
