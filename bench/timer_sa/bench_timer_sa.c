/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_timer_sa - the RFC 4478 deadline timers of 1,000,000 IKE SAs in a
 * shard's timer wheel (lib/timer), with the real struct ike_sa as the node
 * owner so that every timer touched is one SA's cache lines, on a unix-epoch
 * clock as the shard runs with tickets. Each line is next to a baseline
 * measured in the same run:
 *   tick:   advancing 1 ms per tick with 1M deadlines armed 30 to 60 days
 *           ahead (none fires however many ticks the timing takes; they sit
 *           in the top levels as long-lived deadlines do) vs an empty wheel
 *   expiry: cost per SA whose deadline fires (1M deadlines over 1M ms,
 *           cascades and the callback's container_of + state check
 *           included) vs one tick of the empty wheel
 *   rearm:  a reauth request moving an armed deadline earlier, 1M armed vs
 *           arming into an empty wheel
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ike_sa.h"
#include "timer_wheel.h"

#define N 1000000u
#define SAMPLES 5
#define SAMPLE_NS (20 * 1000 * 1000)
#define TICKS_PER_ROUND 1000
#define REARMS_PER_ROUND 1000
#define T0_MS 1700000000000ULL /* a unix-epoch clock, as with tickets */
#define DAY_MS (24ULL * 3600 * 1000)

struct tick_bench {
	struct timer_wheel w;
	uint64_t now;
	uint64_t fired;
};

struct rearm_bench {
	struct timer_wheel *w;
	struct ike_sa *sas;
	unsigned n;
	unsigned next;
	uint64_t rng;
};

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* What ike_auth_lifetime_expire() does before the DELETE: find the SA, check its state. */
static void
on_deadline(struct timer_node *t, void *arg)
{
	struct ike_sa *sa =
		(struct ike_sa *)(void *)((uint8_t *)t - offsetof(struct ike_sa, timer));
	uint64_t *fired = arg;

	if (sa->state == IKE_SA_ESTABLISHED) {
		sa->state = IKE_SA_DYING;
		(*fired)++;
	}
}

static unsigned
tick_round(void *arg)
{
	struct tick_bench *b = arg;

	for (unsigned i = 0; i < TICKS_PER_ROUND; i++)
		timer_wheel_advance(&b->w, ++b->now, on_deadline, &b->fired);
	return TICKS_PER_ROUND;
}

/* Moves random SAs' deadlines a little earlier, as ike_shard_reauth_request() does. */
static unsigned
rearm_round(void *arg)
{
	struct rearm_bench *b = arg;

	for (unsigned i = 0; i < REARMS_PER_ROUND; i++) {
		struct ike_sa *sa = &b->sas[xorshift(&b->rng) % b->n];

		sa->auth_deadline -= 1;
		timer_add(b->w, &sa->timer, sa->auth_deadline * 1000);
	}
	return REARMS_PER_ROUND;
}

static void
arm_all(struct timer_wheel *w, struct ike_sa *sas, unsigned n, uint64_t from_ms, uint64_t span_ms,
	uint64_t *rng)
{
	timer_wheel_init(w, 1, T0_MS);
	for (unsigned i = 0; i < n; i++) {
		timer_node_init(&sas[i].timer);
		sas[i].state = IKE_SA_ESTABLISHED;
		sas[i].auth_deadline = (from_ms + xorshift(rng) % span_ms) / 1000;
		timer_add(w, &sas[i].timer, sas[i].auth_deadline * 1000);
	}
}

/* Median ns per fired deadline: 1M deadlines in (T0, T0 + 1M ms], advanced 1 ms at a time. */
static double
expiry_ns(struct timer_wheel *w, struct ike_sa *sas, uint64_t *rng)
{
	double v[SAMPLES];
	uint64_t fired, t0, now;

	for (unsigned r = 0; r < SAMPLES; r++) {
		arm_all(w, sas, N, T0_MS + 1000, N, rng);
		fired = 0;
		t0 = bench_now_ns();
		for (now = T0_MS + 1; now <= T0_MS + N + 1000; now++)
			timer_wheel_advance(w, now, on_deadline, &fired);
		v[r] = (double)(bench_now_ns() - t0) / (double)N;
		if (fired != N) {
			fprintf(stderr, "bench_timer_sa: %" PRIu64 " of %u fired\n", fired, N);
			exit(1);
		}
	}
	return bench_median(v, SAMPLES);
}

int
main(void)
{
	static struct tick_bench empty, full;
	static struct timer_wheel w_empty, w_expiry;
	static struct ike_sa one[REARMS_PER_ROUND];
	struct ike_sa *sas = aligned_alloc(64, (size_t)N * sizeof(*sas));
	struct rearm_bench rb_empty, rb_full;
	uint64_t rng = 88172645463325252ULL;
	double t_empty, t_full, e_full, r_empty, r_full;

	if (sas == NULL)
		return 1;
	memset(sas, 0, (size_t)N * sizeof(*sas));
	printf("struct ike_sa: %zu octets, %u SAs: %zu MiB\n", sizeof(*sas), N,
	       (size_t)N * sizeof(*sas) >> 20);

	/* Tick: deadlines 30 to 60 days out, nothing fires during the run. */
	timer_wheel_init(&empty.w, 1, T0_MS);
	empty.now = T0_MS;
	arm_all(&full.w, sas, N, T0_MS + 30 * DAY_MS, 30 * DAY_MS, &rng);
	full.now = T0_MS;
	t_empty = bench_median_ns(tick_round, &empty, SAMPLES, SAMPLE_NS);
	t_full = bench_median_ns(tick_round, &full, SAMPLES, SAMPLE_NS);
	if (full.fired != 0 || timer_wheel_armed(&full.w) != N) {
		fprintf(stderr, "bench_timer_sa: %" PRIu64 " fired, %" PRIu64 " armed of %u\n",
			full.fired, timer_wheel_armed(&full.w), N);
		return 1;
	}
	bench_report("sa deadline tick, 1M armed vs empty wheel", t_full, t_empty);

	/* Rearm: the same 1M armed wheel vs a wheel holding only the re-armed nodes. */
	arm_all(&w_empty, one, REARMS_PER_ROUND, T0_MS + 30 * DAY_MS, 30 * DAY_MS, &rng);
	rb_empty = (struct rearm_bench){&w_empty, one, REARMS_PER_ROUND, 0, rng};
	rb_full = (struct rearm_bench){&full.w, sas, N, 0, rng};
	r_empty = bench_median_ns(rearm_round, &rb_empty, SAMPLES, SAMPLE_NS);
	r_full = bench_median_ns(rearm_round, &rb_full, SAMPLES, SAMPLE_NS);
	bench_report("sa deadline rearm, 1M armed vs 1k armed", r_full, r_empty);

	/* Expiry: per SA deleted, against one tick of the empty wheel. */
	e_full = expiry_ns(&w_expiry, sas, &rng);
	bench_report("sa deadline expiry, per SA (1M over 1M ms) vs one empty-wheel tick", e_full,
		     t_empty);
	free(sas);
	return 0;
}
