/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of storm's engine parts that need no peer: the latency
 * histogram, per-phase statistics, the SPIi map and the proposal parser.
 * Expected values are arithmetic facts about the inputs or transform IDs
 * from the RFC texts, never numbers produced by the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "storm_hist.h"
#include "ike_proposal_str.h"
#include "storm_scenario.h"
#include "storm_spimap.h"
#include "storm_stats.h"

#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000ull

static struct storm_hist hist;

/* Values below 32 have a bucket of their own. */
static void
test_hist_small_exact(void **state)
{
	unsigned v;

	(void)state;
	for (v = 0; v < 32; v++) {
		assert_int_equal(storm_hist_bucket_low(storm_hist_index(v)), v);
		assert_int_equal(storm_hist_bucket_high(storm_hist_index(v)), v);
	}
	storm_hist_reset(&hist);
	for (v = 1; v <= 20; v++)
		storm_hist_add(&hist, v);
	/* nearest rank: ceil(p/100 * 20)-th smallest of 1..20 */
	assert_int_equal(storm_hist_percentile(&hist, 50.0), 10);
	assert_int_equal(storm_hist_percentile(&hist, 90.0), 18);
	assert_int_equal(storm_hist_percentile(&hist, 99.0), 20);
	assert_int_equal(storm_hist_percentile(&hist, 100.0), 20);
	assert_int_equal(hist.min, 1);
	assert_int_equal(hist.max, 20);
	assert_true(storm_hist_mean(&hist) == 10.5);
}

/* Every value lies in its bucket, and buckets are at most 1/32 of their value wide. */
static void
test_hist_bucket_bounds(void **state)
{
	static const uint64_t vals[] = {32,   33,   63,	  64,	     65,
					1000, 1023, 1024, 123456789, (1ull << 40) - 1};
	uint64_t lo, hi;
	unsigned i, idx;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		idx = storm_hist_index(vals[i]);
		lo = storm_hist_bucket_low(idx);
		hi = storm_hist_bucket_high(idx);
		assert_true(lo <= vals[i] && vals[i] <= hi);
		assert_true((hi - lo + 1) * 32 <= lo);
		assert_true(idx < STORM_HIST_BUCKETS);
	}
	/* neighbours: 63 ends one bucket, 64 starts the next */
	assert_int_equal(storm_hist_index(64), storm_hist_index(63) + 1);
	/* beyond the range: clamped into the last bucket, max still exact */
	assert_int_equal(storm_hist_index(UINT64_MAX), STORM_HIST_BUCKETS - 1);
}

/* 1..100000 once each: the p-th percentile is p * 1000 to within 1/32. */
static void
test_hist_percentiles_uniform(void **state)
{
	static const double ps[] = {50.0, 90.0, 99.0, 99.9};
	uint64_t v, want, got;
	unsigned i;

	(void)state;
	storm_hist_reset(&hist);
	for (v = 1; v <= 100000; v++)
		storm_hist_add(&hist, v);
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		want = (uint64_t)(ps[i] * 1000.0 + 0.5);
		got = storm_hist_percentile(&hist, ps[i]);
		assert_true(got * 32 >= want * 31 && got * 32 <= want * 33);
	}
	assert_int_equal(storm_hist_percentile(&hist, 100.0), 100000);
}

static void
test_hist_empty_and_merge(void **state)
{
	static struct storm_hist a, b;

	(void)state;
	storm_hist_reset(&a);
	storm_hist_reset(&b);
	assert_int_equal(storm_hist_percentile(&a, 50.0), 0);
	storm_hist_add(&a, 5);
	storm_hist_add(&b, 7);
	storm_hist_add(&b, 3);
	storm_hist_merge(&a, &b);
	assert_int_equal(a.count, 3);
	assert_int_equal(a.min, 3);
	assert_int_equal(a.max, 7);
	assert_int_equal(storm_hist_percentile(&a, 50.0), 5);
}

/* Failures by reason, 10 ms buckets, the series trimmed to the last outcome. */
static void
test_stats_phase(void **state)
{
	struct storm_stats *s = calloc(1, sizeof(*s));
	uint64_t t0 = 5 * NS_PER_S;

	(void)state;
	assert_non_null(s);
	assert_int_equal(storm_stats_init(s, "full", t0), 0);
	storm_stats_started(s, t0);
	storm_stats_started(s, t0);
	storm_stats_started(s, t0);
	storm_stats_completed(s, t0 + 100 * NS_PER_MS, 100 * NS_PER_MS);
	storm_stats_failed(s, t0 + 1500 * NS_PER_MS, "timeout");
	storm_stats_failed(s, t0 + 2500 * NS_PER_MS, "timeout");
	storm_stats_dropped(s, "bad-icv");
	storm_stats_finish(s, t0 + 4200 * NS_PER_MS);
	assert_int_equal(s->started, 3);
	assert_int_equal(s->completed, 1);
	assert_int_equal(s->failed, 2);
	assert_int_equal(storm_stats_fail_count(s, "timeout"), 2);
	assert_int_equal(storm_stats_fail_count(s, "no-proposal-chosen"), 0);
	assert_int_equal(s->nb_drop, 1);
	/*
	 * 2.5 s is more than 128 buckets of 10 ms: 20 ms buckets 0 .. 125; the
	 * time after the last outcome gets none
	 */
	assert_true(storm_stats_bucket_s(s) == 0.02);
	assert_int_equal(s->nb_series, 126);
	assert_int_equal(s->series[5].completed, 1);
	/* the one latency of bucket 5, 100 ms, to within 1/32 */
	assert_true(s->series[5].lat_p50_us * 32 >= 100000 * 31 &&
		    s->series[5].lat_p50_us * 32 <= 100000 * 33);
	assert_int_equal(s->series[6].lat_p50_us, 0);
	assert_int_equal(s->series[75].failed, 1);
	assert_int_equal(s->series[125].failed, 1);
	assert_true(storm_stats_elapsed_s(s) == 2.5);
	storm_stats_fini(s);
	free(s);
}

/* The reason table never overflows: names beyond it are counted as "other". */
/*
 * A phase longer than STORM_SERIES_MAX buckets of 10 ms: the width doubles
 * and neighbouring buckets merge; counts are kept, p99 is the larger one.
 */
static void
test_stats_series_coarsens(void **state)
{
	struct storm_stats *s = calloc(1, sizeof(*s));
	uint64_t t0 = NS_PER_S, t;
	double rate;

	(void)state;
	assert_non_null(s);
	assert_int_equal(storm_stats_init(s, "mixed-new", t0), 0);
	/* 1 ms latency at 0 ms, 3 ms at 15 ms: both land in the first 80 ms bucket */
	storm_stats_completed(s, t0, 1 * NS_PER_MS);
	storm_stats_completed(s, t0 + 15 * NS_PER_MS, 3 * NS_PER_MS);
	/* one completion every 20 ms for 6 s (the ticks of a run) */
	for (t = 20 * NS_PER_MS; t < 6 * NS_PER_S; t += 20 * NS_PER_MS)
		storm_stats_completed(s, t0 + t, 2 * NS_PER_MS);
	storm_stats_finish(s, t0 + 6 * NS_PER_S);
	/* 128 buckets of 10, 20, 40 ms cover 1.28, 2.56, 5.12 s: 6 s needs 80 ms */
	assert_true(storm_stats_bucket_s(s) == 0.08);
	assert_int_equal(s->nb_series, (6000 - 20) / 80 + 1);
	assert_int_equal(s->series[0].completed, 5);
	assert_int_equal(s->series[1].completed, 4);
	/* p99 of the merged first bucket: the larger p99, the 3 ms sample (within 1/32) */
	assert_true(s->series[0].lat_p99_us * 32 >= 3000 * 31 &&
		    s->series[0].lat_p99_us * 32 <= 3000 * 33);
	assert_int_equal(s->completed, 2 + (6000 - 20) / 20);
	/* rate over the last closed second: 12 buckets of 80 ms with 4 each */
	rate = storm_stats_recent_rate(s, t0 + 6 * NS_PER_S);
	assert_true(rate > 49.999 && rate < 50.001);
	storm_stats_fini(s);
	free(s);
}

/* A lead time moves the phase start: the series counts from the new start. */
static void
test_stats_series_restart(void **state)
{
	struct storm_stats *s = calloc(1, sizeof(*s));
	uint64_t t0 = NS_PER_S;

	(void)state;
	assert_non_null(s);
	assert_int_equal(storm_stats_init(s, "flood-resume", t0), 0);
	storm_stats_tick(s, t0 + 300 * NS_PER_MS);
	assert_int_equal(s->nb_series, 31);
	s->t0_ns = s->end_ns = t0 + 300 * NS_PER_MS;
	storm_stats_completed(s, t0 + 305 * NS_PER_MS, NS_PER_MS);
	assert_int_equal(s->nb_series, 1);
	assert_int_equal(s->series[0].completed, 1);
	storm_stats_fini(s);
	free(s);
}

static void
test_stats_many_reasons(void **state)
{
	static const char *names[40] = {
		"r0",  "r1",  "r2",  "r3",  "r4",  "r5",  "r6",	 "r7",	"r8",  "r9",
		"r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19",
		"r20", "r21", "r22", "r23", "r24", "r25", "r26", "r27", "r28", "r29",
		"r30", "r31", "r32", "r33", "r34", "r35", "r36", "r37", "r38", "r39",
	};
	struct storm_stats *s = calloc(1, sizeof(*s));
	unsigned i;

	(void)state;
	assert_non_null(s);
	assert_int_equal(storm_stats_init(s, "full", 0), 0);
	for (i = 0; i < 40; i++)
		storm_stats_failed(s, 0, names[i]);
	assert_int_equal(s->failed, 40);
	assert_int_equal(s->nb_fail, STORM_STATS_MAX_REASONS);
	assert_int_equal(storm_stats_fail_count(s, "r30"), 1);
	assert_int_equal(storm_stats_fail_count(s, "other"), 40 - (STORM_STATS_MAX_REASONS - 1));
	storm_stats_fini(s);
	free(s);
}

static void
test_spimap(void **state)
{
	struct storm_spimap m;
	uint32_t i, n = 1000;

	(void)state;
	assert_int_equal(storm_spimap_init(&m, n), 0);
	/* sequential SPIs and SPIs sharing their low bits both spread */
	for (i = 0; i < n; i++)
		storm_spimap_put(&m, (uint64_t)(i + 1) << 40, i);
	for (i = 0; i < n; i++)
		assert_int_equal(storm_spimap_get(&m, (uint64_t)(i + 1) << 40), i);
	assert_int_equal(storm_spimap_get(&m, 12345), STORM_SPIMAP_NONE);
	assert_int_equal(storm_spimap_get(&m, 0), STORM_SPIMAP_NONE);
	/* delete every other key; the rest must stay reachable past the holes */
	for (i = 0; i < n; i += 2)
		storm_spimap_del(&m, (uint64_t)(i + 1) << 40);
	for (i = 0; i < n; i++)
		assert_int_equal(storm_spimap_get(&m, (uint64_t)(i + 1) << 40),
				 i % 2 ? i : STORM_SPIMAP_NONE);
	/* re-mapping a key replaces its index */
	storm_spimap_put(&m, 2ull << 40, 777);
	assert_int_equal(storm_spimap_get(&m, 2ull << 40), 777);
	storm_spimap_fini(&m);
}

/*
 * Transform IDs: ENCR_AES_CBC 12 (RFC 7296 3.3.2), AES-GCM 16-octet ICV 20
 * (RFC 4106 8.1), PRF_HMAC_SHA2_256 5 / SHA2_384 6, AUTH_HMAC_SHA2_256_128
 * 12 (RFC 4868 7), group 19 = 256-bit random ECP (RFC 8247 2.4).
 */
/* storm offers the first algorithm of each kind of its proposal. */
static int
parse_first(const char *text, bool esp, struct ike_transforms *t, char *why, size_t wlen)
{
	struct ike_proposal_cfg p;

	if (ike_proposal_str_parse(text, esp, &p, why, wlen) != 0)
		return -1;
	ike_proposal_cfg_first(&p, t);
	return 0;
}

static void
test_proposal(void **state)
{
	struct ike_transforms t;
	char why[160];

	(void)state;
	assert_int_equal(parse_first("aes256gcm16-prfsha256-ecp256", false, &t, why, sizeof(why)), 0);
	assert_int_equal(t.encr, 20);
	assert_int_equal(t.encr_key_bits, 256);
	assert_int_equal(t.prf, 5);
	assert_int_equal(t.integ, 0);
	assert_int_equal(t.ke, 19);
	/* strongSwan's rule: the integrity algorithm names the PRF when none is given */
	assert_int_equal(parse_first("aes128-sha256-ecp256", false, &t, why, sizeof(why)), 0);
	assert_int_equal(t.encr, 12);
	assert_int_equal(t.encr_key_bits, 128);
	assert_int_equal(t.integ, 12);
	assert_int_equal(t.prf, 5);
	assert_int_equal(parse_first("aes128-sha256-prfsha384-ecp256", false, &t, why, sizeof(why)),
			 0);
	assert_int_equal(t.prf, 6);
	/* ESP: no KE unless PFS is asked for */
	assert_int_equal(parse_first("aes256gcm16", true, &t, why, sizeof(why)), 0);
	assert_int_equal(t.encr, 20);
	assert_int_equal(t.ke, 0);
	/* refused */
	assert_int_equal(parse_first("aes256gcm16-prfsha256", false, &t, why, sizeof(why)), -1);
	assert_int_equal(parse_first("aes128-ecp256-prfsha256", false, &t, why, sizeof(why)), -1);
	assert_int_equal(
		parse_first("aes256gcm16-sha256-prfsha256-ecp256", false, &t, why, sizeof(why)), -1);
	assert_int_equal(parse_first("aes256gcm16-prfsha256-bogus", false, &t, why, sizeof(why)), -1);
	assert_int_equal(parse_first("aes256gcm16-prfsha256", true, &t, why, sizeof(why)), -1);
	assert_int_equal(parse_first("", true, &t, why, sizeof(why)), -1);
}

static void
test_scenario_parse(void **state)
{
	const struct storm_phase_def *ph[STORM_MAX_PHASES];
	const char *bad = NULL;

	(void)state;

	assert_int_equal(storm_scenario_parse("full,mixed,flood,rekey", ph, &bad), 4);
	assert_int_equal(ph[0]->kind, STORM_PHASE_ONE);
	assert_string_equal(ph[0]->op->row, "full");
	assert_int_equal(ph[1]->kind, STORM_PHASE_MIXED);
	assert_int_equal(ph[2]->kind, STORM_PHASE_FLOOD);
	assert_string_equal(ph[3]->op->name, "rekey");
	assert_int_equal(storm_scenario_parse("full,mix", ph, &bad), -1);
	assert_string_equal(bad, "mix");
	assert_int_equal(storm_scenario_parse("", ph, &bad), -1);
}

static void
test_mix_parse(void **state)
{
	struct storm_mix m;
	const char *bad = NULL;

	(void)state;

	assert_int_equal(storm_mix_parse(STORM_MIX_DEFAULT, &m, &bad), 0);
	assert_int_equal(m.nb, 4);
	assert_string_equal(m.op[0]->row, "mixed-new");
	assert_string_equal(m.op[1]->row, "mixed-resume");
	assert_string_equal(m.op[2]->row, "mixed-rekey");
	assert_string_equal(m.op[3]->row, "mixed-delete");
	assert_int_equal(m.weight[0], 40);
	assert_int_equal(m.weight[3], 10);
	/* rows keep the table's order; weight 0 leaves an operation out */
	assert_int_equal(storm_mix_parse("delete=1,new=3,rekey=0", &m, &bad), 0);
	assert_int_equal(m.nb, 2);
	assert_string_equal(m.op[0]->name, "new");
	assert_int_equal(m.weight[0], 3);
	assert_string_equal(m.op[1]->name, "delete");
	assert_int_equal(m.op[1]->need, STORM_NEED_ESTABLISHED);
	assert_int_equal(storm_mix_parse("new=0", &m, &bad), -1);
	assert_int_equal(storm_mix_parse("new=1,bogus=2", &m, &bad), -1);
	assert_string_equal(bad, "bogus=2");
	assert_int_equal(storm_mix_parse("new=1,new=2", &m, &bad), -1);
	assert_int_equal(storm_mix_parse("new=-1", &m, &bad), -1);
	assert_int_equal(storm_mix_parse("new=1x", &m, &bad), -1);
	assert_int_equal(storm_mix_parse("new", &m, &bad), -1);
	assert_int_equal(storm_mix_flood("resume", &m), 0);
	assert_string_equal(m.op[0]->row, "flood-resume");
	assert_int_equal(m.op[0]->need, STORM_NEED_TICKET);
	assert_int_equal(storm_mix_flood("delete", &m), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_small_exact),
		cmocka_unit_test(test_hist_bucket_bounds),
		cmocka_unit_test(test_hist_percentiles_uniform),
		cmocka_unit_test(test_hist_empty_and_merge),
		cmocka_unit_test(test_stats_phase),
		cmocka_unit_test(test_stats_series_coarsens),
		cmocka_unit_test(test_stats_series_restart),
		cmocka_unit_test(test_stats_many_reasons),
		cmocka_unit_test(test_spimap),
		cmocka_unit_test(test_proposal),
		cmocka_unit_test(test_scenario_parse),
		cmocka_unit_test(test_mix_parse),
	};

	return cmocka_run_group_tests_name("storm", tests, NULL, NULL);
}
