/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_timer - timer wheel costs with 1,000,000 timers armed, each next to
 * a baseline measured in the same run:
 *   tick:   advancing the clock, 1M timers armed days ahead vs an empty wheel
 *   expiry: firing 1M timers spread over ~17 min (cascades included)
 *           vs firing 1,000 timers spread over 1 s
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "timer_wheel.h"

#define SAMPLES 7
#define SAMPLE_NS (20 * 1000 * 1000)
#define DAY_MS (24ULL * 3600 * 1000)
#define TICKS_PER_ROUND 1000

struct tick_bench {
	struct timer_wheel w;
	uint64_t now;
	uint64_t fired;
};

static void
on_fire(struct timer_node *t, void *arg)
{
	uint64_t *fired = arg;

	(void)t;
	(*fired)++;
}

/* One round: the clock moves one tick at a time, as a busy poll loop sees it. */
static unsigned
tick_round(void *arg)
{
	struct tick_bench *b = arg;
	unsigned i;

	for (i = 0; i < TICKS_PER_ROUND; i++)
		timer_wheel_advance(&b->w, ++b->now, on_fire, &b->fired);
	return TICKS_PER_ROUND;
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Median ns per expiry: arm n timers over span ms (untimed), then time firing them all. */
static double
expiry_ns(struct timer_node *nodes, unsigned n, uint64_t span)
{
	static struct timer_wheel w;
	double v[SAMPLES];
	uint64_t s = 0x2545f4914f6cdd1dULL, fired, t0, now;
	unsigned r, i;

	for (r = 0; r < SAMPLES; r++) {
		timer_wheel_init(&w, 1, 0);
		for (i = 0; i < n; i++) {
			timer_node_init(&nodes[i]);
			timer_add(&w, &nodes[i], 1 + xorshift(&s) % span);
		}
		fired = 0;
		t0 = bench_now_ns();
		for (now = 1; now <= span; now++)
			timer_wheel_advance(&w, now, on_fire, &fired);
		v[r] = (double)(bench_now_ns() - t0) / (double)n;
		if (fired != n) {
			fprintf(stderr, "bench_timer: %" PRIu64 " of %u timers fired\n", fired, n);
			exit(1);
		}
	}
	return bench_median(v, SAMPLES);
}

int
main(void)
{
	enum { N = 1000000 };
	static struct tick_bench empty, full;
	struct timer_node *nodes = calloc(N, sizeof(*nodes));
	uint64_t s = 88172645463325252ULL;
	double t_empty, t_full, e_small, e_full;
	unsigned i;

	if (nodes == NULL)
		return 1;
	timer_wheel_init(&empty.w, 1, 0);
	timer_wheel_init(&full.w, 1, 0);
	/* 30 to 60 days out: nothing fires during the run, however long it takes. */
	for (i = 0; i < N; i++)
		timer_add(&full.w, &nodes[i], 30 * DAY_MS + xorshift(&s) % (30 * DAY_MS));
	t_empty = bench_median_ns(tick_round, &empty, SAMPLES, SAMPLE_NS);
	t_full = bench_median_ns(tick_round, &full, SAMPLES, SAMPLE_NS);
	if (full.fired != 0 || timer_wheel_armed(&full.w) != N)
		return 1;
	bench_report("timer tick, 1M armed vs empty wheel", t_full, t_empty);

	e_small = expiry_ns(nodes, 1000, 1000);
	e_full = expiry_ns(nodes, N, N);
	bench_report("timer expiry, 1M armed over 1M ms vs 1k over 1k ms", e_full, e_small);
	free(nodes);
	return 0;
}
