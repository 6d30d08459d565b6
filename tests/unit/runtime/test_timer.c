/* SPDX-License-Identifier: BSD-3-Clause */
/* Tests for the hierarchical timer wheel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "timer_wheel.h"

#define DAY_MS (24ULL * 3600 * 1000)

struct item {
	struct timer_node node;
	uint64_t due_ms;
	uint64_t fired_at; /* now_ms of the advance that fired it */
	unsigned fired;
};

struct log {
	uint64_t now_ms;
	unsigned n;
	struct item *order[64];
};

static struct item *
item_of(struct timer_node *t)
{
	return (struct item *)(void *)((char *)t - offsetof(struct item, node));
}

static void
on_fire(struct timer_node *t, void *arg)
{
	struct log *lg = arg;
	struct item *it = item_of(t);

	assert_false(timer_armed(t));
	it->fired++;
	it->fired_at = lg->now_ms;
	if (lg->n < 64)
		lg->order[lg->n] = it;
	lg->n++;
}

static uint64_t
advance(struct timer_wheel *w, struct log *lg, uint64_t now_ms)
{
	lg->now_ms = now_ms;
	return timer_wheel_advance(w, now_ms, on_fire, lg);
}

static void
test_ordering(void **state)
{
	static const uint64_t due[] = {50, 10, 30, 5000, 20, 70000, 64, 63, 65, 4096};
	enum { N = sizeof(due) / sizeof(due[0]) };
	struct timer_wheel w;
	struct item it[N] = {0};
	struct log lg = {0};
	uint64_t now;
	unsigned i;

	(void)state;
	timer_wheel_init(&w, 1, 0);
	for (i = 0; i < N; i++) {
		timer_node_init(&it[i].node);
		it[i].due_ms = due[i];
		timer_add(&w, &it[i].node, due[i]);
	}
	assert_int_equal(timer_wheel_armed(&w), N);
	/* Step 1 ms at a time: each fires exactly at its due time. */
	for (now = 0; now <= 70000; now++)
		advance(&w, &lg, now);
	assert_int_equal(lg.n, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(it[i].fired, 1);
		assert_int_equal(it[i].fired_at, it[i].due_ms);
	}
	for (i = 1; i < N; i++)
		assert_true(lg.order[i - 1]->due_ms <= lg.order[i]->due_ms);
	assert_int_equal(timer_wheel_armed(&w), 0);
}

static void
test_jump_fires_in_order(void **state)
{
	struct timer_wheel w;
	struct item it[3] = {0};
	struct log lg = {0};
	unsigned i;

	(void)state;
	timer_wheel_init(&w, 1, 1000);
	timer_add(&w, &it[0].node, 1000 + 3 * 3600 * 1000); /* 3 h */
	timer_add(&w, &it[1].node, 1000 + 200);
	timer_add(&w, &it[2].node, 1000 + 90000);
	/* One big jump fires all three, earliest first. */
	assert_int_equal(advance(&w, &lg, 1000 + 4 * 3600 * 1000), 3);
	assert_ptr_equal(lg.order[0], &it[1]);
	assert_ptr_equal(lg.order[1], &it[2]);
	assert_ptr_equal(lg.order[2], &it[0]);
	for (i = 0; i < 3; i++)
		assert_int_equal(it[i].fired, 1);
}

static void
test_cancel(void **state)
{
	struct timer_wheel w;
	struct item a = {0}, b = {0}, c = {0};
	struct log lg = {0};

	(void)state;
	timer_wheel_init(&w, 1, 0);
	timer_node_init(&a.node);
	timer_node_init(&b.node);
	timer_node_init(&c.node);
	timer_add(&w, &a.node, 100);
	timer_add(&w, &b.node, 100); /* same slot as a */
	timer_add(&w, &c.node, 100000);
	timer_cancel(&w, &a.node);
	timer_cancel(&w, &a.node); /* twice is harmless */
	timer_cancel(&w, &c.node);
	assert_false(timer_armed(&a.node));
	assert_int_equal(timer_wheel_armed(&w), 1);
	assert_int_equal(advance(&w, &lg, 200000), 1);
	assert_int_equal(a.fired, 0);
	assert_int_equal(b.fired, 1);
	assert_int_equal(c.fired, 0);
	/* Re-arming an armed timer moves it. */
	timer_add(&w, &a.node, 300000);
	timer_add(&w, &a.node, 250000);
	assert_int_equal(timer_wheel_armed(&w), 1);
	assert_int_equal(advance(&w, &lg, 260000), 1);
	assert_int_equal(a.fired_at, 260000);
}

struct rearm {
	struct timer_wheel *w;
	struct item *victim;
	struct item self;
	unsigned rounds;
};

static void
on_fire_rearm(struct timer_node *t, void *arg)
{
	struct rearm *r = arg;

	(void)t;
	r->self.fired++;
	/* Cancel a timer due in the same tick, and re-arm ourselves. */
	timer_cancel(r->w, &r->victim->node);
	if (r->self.fired < r->rounds)
		timer_add(r->w, &r->self.node, r->self.fired * 1000);
}

static void
test_callback_cancels_and_rearms(void **state)
{
	struct timer_wheel w;
	struct item victim = {0};
	struct rearm r = {.w = &w, .victim = &victim, .rounds = 5};
	uint64_t fired;

	(void)state;
	timer_wheel_init(&w, 1, 0);
	timer_add(&w, &r.self.node, 0);
	timer_add(&w, &victim.node, 0);
	fired = timer_wheel_advance(&w, 10000, on_fire_rearm, &r);
	/* victim was in the same slot, fired first or cancelled: self fires 5 times. */
	assert_int_equal(r.self.fired, 5);
	assert_int_equal(fired, victim.fired ? 6 : 5);
	assert_int_equal(timer_wheel_armed(&w), 0);
}

static void
test_far_timers_cascade(void **state)
{
	static const uint64_t due[] = {3 * DAY_MS + 17, 30 * DAY_MS + 1, 400 * DAY_MS + 5,
				       1000 * DAY_MS + 3};
	enum { N = sizeof(due) / sizeof(due[0]) };
	struct timer_wheel w;
	struct item it[N] = {0};
	struct log lg = {0};
	unsigned i;

	(void)state;
	timer_wheel_init(&w, 1, 0);
	for (i = 0; i < N; i++)
		timer_add(&w, &it[i].node, due[i]); /* the last is beyond the 2^36 ms horizon */
	for (i = 0; i < N; i++) {
		/* One ms early: nothing. On time: exactly this one. */
		assert_int_equal(advance(&w, &lg, due[i] - 1), 0);
		assert_int_equal(it[i].fired, 0);
		assert_int_equal(advance(&w, &lg, due[i]), 1);
		assert_int_equal(it[i].fired, 1);
	}
}

static void
test_tick_rounding(void **state)
{
	struct timer_wheel w;
	struct item a = {0};
	struct log lg = {0};

	(void)state;
	timer_wheel_init(&w, 10, 1000);
	timer_add(&w, &a.node, 1015);  /* rounds up to 1020: never early */
	assert_int_equal(advance(&w, &lg, 1019), 0);
	assert_int_equal(advance(&w, &lg, 1020), 1);
	timer_add(&w, &a.node, 5); /* in the past: next tick */
	assert_int_equal(advance(&w, &lg, 1020), 0);
	assert_int_equal(advance(&w, &lg, 1030), 1);
}

struct million {
	uint64_t prev_ms; /* now_ms of the previous advance */
	uint64_t now_ms;
	uint64_t last_due; /* due time of the previous expiry, for ordering */
	uint64_t early_or_late;
	uint64_t out_of_order;
	uint64_t fired;
	uint8_t *count;
	struct item *base;
};

static void
on_fire_million(struct timer_node *t, void *arg)
{
	struct million *m = arg;
	struct item *it = item_of(t);

	m->fired++;
	m->count[it - m->base]++;
	/* Right tick: the first advance whose now reached the due time. */
	if (it->due_ms <= m->prev_ms || it->due_ms > m->now_ms)
		m->early_or_late++;
	if (it->due_ms < m->last_due)
		m->out_of_order++;
	m->last_due = it->due_ms;
}

static void
million_advance(struct timer_wheel *w, struct million *m, uint64_t now)
{
	m->now_ms = now;
	timer_wheel_advance(w, now, on_fire_million, m);
	m->prev_ms = now;
}

static void
test_million_timers(void **state)
{
	enum { N = 1000000 };
	struct timer_wheel w;
	struct million m = {0};
	struct item *it = calloc(N, sizeof(*it));
	uint64_t s = 88172645463325252ULL, now, horizon = 2 * DAY_MS;
	unsigned i;

	(void)state;
	assert_non_null(it);
	m.count = calloc(N, 1);
	m.base = it;
	assert_non_null(m.count);
	timer_wheel_init(&w, 1, 0);
	for (i = 0; i < N; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		/* Half within a minute, half spread over two days. */
		it[i].due_ms = 1 + s % (i % 2 ? 60000 : horizon);
		timer_add(&w, &it[i].node, it[i].due_ms);
	}
	assert_int_equal(timer_wheel_armed(&w), N);
	/* Every millisecond for the first minute: each fires at exactly its ms. */
	for (now = 1; now <= 60000; now++)
		million_advance(&w, &m, now);
	/* Then irregular steps, as a busy poll loop sees the clock. */
	for (now = 60000; now < horizon; now += 1 + (now * 7919) % 5003)
		million_advance(&w, &m, now);
	million_advance(&w, &m, horizon + 1);
	assert_int_equal(m.fired, N);
	assert_int_equal(m.early_or_late, 0);
	assert_int_equal(m.out_of_order, 0);
	for (i = 0; i < N; i++)
		assert_int_equal(m.count[i], 1);
	assert_int_equal(timer_wheel_armed(&w), 0);
	free(m.count);
	free(it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_jump_fires_in_order),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_callback_cancels_and_rearms),
		cmocka_unit_test(test_far_timers_cascade),
		cmocka_unit_test(test_tick_rounding),
		cmocka_unit_test(test_million_timers),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
