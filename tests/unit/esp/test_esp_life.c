/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * esp_life_of(): the configured Child SA lifetimes of one SA, each lowered
 * by its own share of up to jitter_pct percent of a per-SA random value;
 * soft stays below hard; 0 stays off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "esp_sa.h"

static const struct esp_life_cfg cfg = {
	.rekey_bytes = 1000000,
	.life_bytes = 1100000,
	.rekey_packets = 3000000000ull,
	.life_packets = 4000000000ull,
	.rekey_time_s = 3600,
	.life_time_s = 0,
	.jitter_pct = 10,
};

/* v lowered by at most pct percent, never to 0. */
static void
assert_jittered(uint64_t got, uint64_t v, unsigned pct)
{
	assert_true(got <= v);
	assert_true(got >= v - v * pct / 100);
	assert_true(got > 0);
}

static void
test_jitter_bounds(void **state)
{
	struct esp_life life;
	struct esp_life_time t;
	uint64_t r = 0x9e3779b97f4a7c15ull;
	unsigned lowered = 0;

	(void)state;
	for (unsigned i = 0; i < 10000; i++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		esp_life_of(&cfg, r, &life, &t);
		assert_jittered(life.soft_bytes, cfg.rekey_bytes, 10);
		assert_jittered(life.hard_bytes, cfg.life_bytes, 10);
		assert_jittered(life.soft_packets, cfg.rekey_packets, 10);
		assert_jittered(life.hard_packets, cfg.life_packets, 10);
		assert_jittered(t.soft_s, cfg.rekey_time_s, 10);
		assert_int_equal(t.hard_s, 0); /* off stays off */
		assert_true(life.soft_bytes < life.hard_bytes);
		lowered += life.soft_bytes < cfg.rekey_bytes;
	}
	/* Spread: nearly every SA gets its own share. */
	assert_true(lowered > 9900);
}

/* Jitter 0: the configured values exactly; soft equal to hard after jitter is pulled below. */
static void
test_no_jitter_and_order(void **state)
{
	struct esp_life_cfg c = cfg;
	struct esp_life life;
	struct esp_life_time t;

	(void)state;
	c.jitter_pct = 0;
	esp_life_of(&c, UINT64_MAX, &life, &t);
	assert_int_equal(life.soft_bytes, c.rekey_bytes);
	assert_int_equal(life.hard_bytes, c.life_bytes);
	assert_int_equal(t.soft_s, c.rekey_time_s);
	/* The soft limit not jittered, the hard one down the most: soft pulled below it. */
	c.jitter_pct = 50;
	c.rekey_bytes = 990;
	c.life_bytes = 1000;
	esp_life_of(&c, 0x3ffull << 10, &life, &t);
	assert_int_equal(life.hard_bytes, 1000 - 500 * 1023 / 1024);
	assert_int_equal(life.soft_bytes, life.hard_bytes - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jitter_bounds),
		cmocka_unit_test(test_no_jitter_and_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
