/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_stats.c - per-phase counters, latency histograms and a fixed-size time series. */
#include <stdlib.h>
#include <string.h>

#include "storm_stats.h"

#define NS_PER_S 1000000000ull
#define NS_PER_US 1000ull
#define OTHER_REASON "other"

int
storm_stats_init(struct storm_stats *s, const char *phase, uint64_t now_ns)
{
	memset(s, 0, sizeof(*s));
	s->phase = phase;
	s->t0_ns = now_ns;
	s->end_ns = now_ns;
	s->series = calloc(STORM_SERIES_MAX, sizeof(*s->series));
	if (s->series == NULL)
		return -1;
	s->nb_series = 1;
	s->bucket_ns = STORM_SERIES_MIN_NS;
	s->series_t0_ns = now_ns;
	return 0;
}

void
storm_stats_fini(struct storm_stats *s)
{
	free(s->series);
	s->series = NULL;
	s->nb_series = 0;
}

/* Fixes the percentiles of the current bucket and resets its histogram. */
static void
close_bucket(struct storm_stats *s)
{
	struct storm_bucket *b = &s->series[s->nb_series - 1];

	b->lat_p50_us = storm_hist_percentile(&s->cur_lat, 50.0);
	b->lat_p99_us = storm_hist_percentile(&s->cur_lat, 99.0);
	storm_hist_reset(&s->cur_lat);
}

/* Merges closed buckets a and b (a the earlier) into *dst, which may be a. */
static void
merge_buckets(struct storm_bucket *dst, const struct storm_bucket *a, const struct storm_bucket *b)
{
	uint64_t c = a->completed + b->completed;
	struct storm_bucket m = {
		.completed = c,
		.failed = a->failed + b->failed,
		.retransmits = a->retransmits + b->retransmits,
		.lat_p50_us =
			c ? (a->lat_p50_us * a->completed + b->lat_p50_us * b->completed) / c : 0,
		.lat_p99_us = a->lat_p99_us > b->lat_p99_us ? a->lat_p99_us : b->lat_p99_us,
	};

	*dst = m;
}

/* Doubles the bucket width: bucket i becomes the merge of buckets 2i and 2i + 1. */
static void
coarsen(struct storm_stats *s)
{
	size_t i;

	for (i = 0; i < STORM_SERIES_MAX / 2; i++)
		merge_buckets(&s->series[i], &s->series[2 * i], &s->series[2 * i + 1]);
	memset(&s->series[STORM_SERIES_MAX / 2], 0, STORM_SERIES_MAX / 2 * sizeof(*s->series));
	s->nb_series = (s->nb_series + 1) / 2;
	s->bucket_ns *= 2;
}

static size_t
bucket_of(const struct storm_stats *s, uint64_t t_ns)
{
	return t_ns > s->t0_ns ? (size_t)((t_ns - s->t0_ns) / s->bucket_ns) : 0;
}

void
storm_stats_tick(struct storm_stats *s, uint64_t now_ns)
{
	size_t idx;

	/* the scheduler moved t0 after a lead time: the series starts there */
	if (s->t0_ns != s->series_t0_ns) {
		memset(s->series, 0, STORM_SERIES_MAX * sizeof(*s->series));
		storm_hist_reset(&s->cur_lat);
		s->nb_series = 1;
		s->bucket_ns = STORM_SERIES_MIN_NS;
		s->series_t0_ns = s->t0_ns;
	}
	idx = bucket_of(s, now_ns);
	if (idx < s->nb_series)
		return;
	close_bucket(s);
	/* buckets past the old current one never had a sample: nothing to close */
	while (idx >= STORM_SERIES_MAX) {
		coarsen(s);
		idx = bucket_of(s, now_ns);
	}
	s->nb_series = idx + 1;
}

static struct storm_bucket *
current(struct storm_stats *s, uint64_t now_ns)
{
	storm_stats_tick(s, now_ns);
	return &s->series[s->nb_series - 1];
}

void
storm_stats_finish(struct storm_stats *s, uint64_t now_ns)
{
	size_t last;

	/*
	 * The time after the last outcome only waited for the phase to end: it
	 * gets no bucket and must not widen the buckets of the rest.
	 */
	storm_stats_tick(s, now_ns < s->end_ns ? now_ns : s->end_ns);
	close_bucket(s);
	last = bucket_of(s, s->end_ns);
	if (s->nb_series > last + 1)
		s->nb_series = last + 1;
}

void
storm_stats_started(struct storm_stats *s, uint64_t now_ns)
{
	storm_stats_tick(s, now_ns);
	s->started++;
}

void
storm_stats_completed(struct storm_stats *s, uint64_t now_ns, uint64_t latency_ns)
{
	uint64_t us = latency_ns / NS_PER_US;

	current(s, now_ns)->completed++;
	s->completed++;
	s->end_ns = now_ns;
	storm_hist_add(&s->lat, us);
	storm_hist_add(&s->cur_lat, us);
}

/* Counts one event under name; the last slot collects names beyond the table. */
static void
count_named(struct storm_count *tab, unsigned *nb, const char *name)
{
	unsigned i;

	for (i = 0; i < *nb; i++) {
		if (tab[i].name == name || strcmp(tab[i].name, name) == 0) {
			tab[i].n++;
			return;
		}
	}
	if (*nb == STORM_STATS_MAX_REASONS - 1)
		name = OTHER_REASON;
	if (*nb == STORM_STATS_MAX_REASONS) {
		tab[*nb - 1].n++;
		return;
	}
	tab[*nb].name = name;
	tab[*nb].n = 1;
	(*nb)++;
}

void
storm_stats_failed(struct storm_stats *s, uint64_t now_ns, const char *reason)
{
	current(s, now_ns)->failed++;
	s->failed++;
	s->end_ns = now_ns;
	count_named(s->fail, &s->nb_fail, reason);
}

void
storm_stats_dropped(struct storm_stats *s, const char *reason)
{
	count_named(s->drop, &s->nb_drop, reason);
}

void
storm_stats_fallback(struct storm_stats *s, uint64_t now_ns)
{
	s->fallback++;
	s->end_ns = now_ns;
}

void
storm_stats_event(struct storm_stats *s, const char *name)
{
	count_named(s->event, &s->nb_event, name);
}

/* The count of name in tab (0 when it is not there). */
static uint64_t
named_count(const struct storm_count *tab, unsigned nb, const char *name)
{
	unsigned i;

	for (i = 0; i < nb; i++)
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].n;
	return 0;
}

uint64_t
storm_stats_event_count(const struct storm_stats *s, const char *name)
{
	return named_count(s->event, s->nb_event, name);
}

void
storm_stats_retransmit(struct storm_stats *s, uint64_t now_ns)
{
	current(s, now_ns)->retransmits++;
	s->retransmits++;
}

uint64_t
storm_stats_fail_count(const struct storm_stats *s, const char *reason)
{
	return named_count(s->fail, s->nb_fail, reason);
}

double
storm_stats_elapsed_s(const struct storm_stats *s)
{
	return (double)(s->end_ns - s->t0_ns) / (double)NS_PER_S;
}

double
storm_stats_rate(const struct storm_stats *s)
{
	double t = storm_stats_elapsed_s(s);

	return t > 0 ? (double)s->completed / t : 0.0;
}

uint64_t
storm_stats_ended(const struct storm_stats *s)
{
	return s->completed + s->failed + s->fallback;
}

double
storm_stats_bucket_s(const struct storm_stats *s)
{
	return (double)s->bucket_ns / (double)NS_PER_S;
}

double
storm_stats_recent_rate(const struct storm_stats *s, uint64_t now_ns)
{
	size_t want = s->bucket_ns < NS_PER_S ? (size_t)(NS_PER_S / s->bucket_ns) : 1;
	size_t closed = bucket_of(s, now_ns), n = 0;
	uint64_t done = 0;

	if (closed > s->nb_series - 1)
		closed = s->nb_series - 1;
	for (; n < want && n < closed; n++)
		done += s->series[closed - 1 - n].completed;
	return n ? (double)done / ((double)n * storm_stats_bucket_s(s)) : 0.0;
}

double
storm_stats_cpu_us_per_op(const struct storm_stats *s)
{
	return s->phase_ops > 0 ? (double)s->phase_cpu_ns / 1e3 / (double)s->phase_ops : 0.0;
}
