/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_stats.c - per-phase counters, latency histograms and time series. */
#include <stdlib.h>
#include <string.h>

#include "storm_stats.h"

#define NS_PER_S 1000000000ull
#define NS_PER_US 1000ull
#define OTHER_REASON "other"

static int
series_grow(struct storm_stats *s, size_t need)
{
	struct storm_second *n;
	size_t cap = s->series_cap ? s->series_cap : 64;

	while (cap < need)
		cap *= 2;
	if (cap == s->series_cap)
		return 0;
	n = realloc(s->series, cap * sizeof(*n));
	if (n == NULL)
		return -1;
	memset(n + s->series_cap, 0, (cap - s->series_cap) * sizeof(*n));
	s->series = n;
	s->series_cap = cap;
	return 0;
}

int
storm_stats_init(struct storm_stats *s, const char *phase, uint64_t now_ns)
{
	memset(s, 0, sizeof(*s));
	s->phase = phase;
	s->t0_ns = now_ns;
	s->end_ns = now_ns;
	if (series_grow(s, 1) != 0)
		return -1;
	s->nb_series = 1;
	return 0;
}

void
storm_stats_fini(struct storm_stats *s)
{
	free(s->series);
	s->series = NULL;
	s->nb_series = s->series_cap = 0;
}

/* Fixes the percentiles of the current second and resets its histogram. */
static void
close_second(struct storm_stats *s)
{
	struct storm_second *sec = &s->series[s->nb_series - 1];

	sec->lat_p50_us = storm_hist_percentile(&s->sec_lat, 50.0);
	sec->lat_p99_us = storm_hist_percentile(&s->sec_lat, 99.0);
	storm_hist_reset(&s->sec_lat);
}

void
storm_stats_tick(struct storm_stats *s, uint64_t now_ns)
{
	size_t sec = now_ns > s->t0_ns ? (size_t)((now_ns - s->t0_ns) / NS_PER_S) : 0;

	if (sec + 1 <= s->nb_series)
		return;
	/* On allocation failure the seconds fold into the last one kept. */
	if (series_grow(s, sec + 1) != 0)
		return;
	close_second(s);
	s->nb_series = sec + 1;
}

static struct storm_second *
current(struct storm_stats *s, uint64_t now_ns)
{
	storm_stats_tick(s, now_ns);
	return &s->series[s->nb_series - 1];
}

void
storm_stats_finish(struct storm_stats *s, uint64_t now_ns)
{
	size_t last = (size_t)((s->end_ns - s->t0_ns) / NS_PER_S);

	storm_stats_tick(s, now_ns);
	close_second(s);
	/* seconds after the last outcome only waited for the phase to end */
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
	storm_hist_add(&s->sec_lat, us);
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

uint64_t
storm_stats_event_count(const struct storm_stats *s, const char *name)
{
	unsigned i;

	for (i = 0; i < s->nb_event; i++)
		if (strcmp(s->event[i].name, name) == 0)
			return s->event[i].n;
	return 0;
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
	unsigned i;

	for (i = 0; i < s->nb_fail; i++)
		if (strcmp(s->fail[i].name, reason) == 0)
			return s->fail[i].n;
	return 0;
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
storm_stats_cpu_us_per_op(const struct storm_stats *s)
{
	return s->phase_ops > 0 ? (double)s->phase_cpu_ns / 1e3 / (double)s->phase_ops : 0.0;
}
