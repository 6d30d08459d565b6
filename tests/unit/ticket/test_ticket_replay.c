/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One-time-use filter: geometry (expected values from the formulas in
 * docs/tickets.md evaluated by python3), membership, ageing by rotation,
 * and the false-positive rate measured at the sized load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ike_ticket_replay.h"
#include "ticket_test.h"

#define PERIOD 100
#define RATE 1000.0
#define FP 0.01

static const struct ike_ticket_replay_params params = {
	.period = PERIOD,
	.rate = RATE,
	.fp_target = FP,
};

/* Deterministic ids: xorshift64*, seeded per test. Not crypto, on purpose. */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void
make_id(uint64_t *seed, uint8_t id[IKE_TICKET_ID_LEN])
{
	uint64_t a = next_rand(seed), b = next_rand(seed);

	memcpy(id, &a, 8);
	memcpy(id + 8, &b, 8);
}

static struct ike_ticket_replay *
filter_new(void **mem, uint64_t now)
{
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f;

	assert_int_equal(ike_ticket_replay_geometry(&params, &g), IKE_OK);
	*mem = malloc(g.bytes);
	assert_non_null(*mem);
	f = ike_ticket_replay_init(*mem, g.bytes, &params, now);
	assert_non_null(f);
	return f;
}

static void
test_geometry(void **state)
{
	struct ike_ticket_replay_params p = {.period = 3600, .rate = 2000, .fp_target = 0.001};
	struct ike_ticket_replay_geometry g;
	uint64_t mem[8];

	(void)state;
	/* python3: n = ceil(rate*period); m = ceil(-n ln(fp/2) / ln2^2 / 64) * 64; k = round(m/n
	 * ln2) */
	assert_int_equal(ike_ticket_replay_geometry(&params, &g), IKE_OK);
	assert_int_equal(g.capacity, 100000);
	assert_int_equal(g.bits, 1102784);
	assert_int_equal(g.hashes, 8);
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_OK);
	assert_int_equal(g.capacity, 7200000);
	assert_int_equal(g.bits, 113906048);
	assert_int_equal(g.hashes, 11);
	assert_true(g.bytes >= 2 * 113906048 / 8);
	/* Refusals: a filter over 2^32 bits, a zero period, a target of 1. */
	p.rate = 1e6;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	p.rate = 10;
	p.period = 0;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	p.period = 10;
	p.fp_target = 1;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	/* init refuses memory that is too small. */
	assert_null(ike_ticket_replay_init(mem, sizeof(mem), &params, T0));
}

static void
test_insert_and_check(void **state)
{
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN], other[IKE_TICKET_ID_LEN];
	uint64_t seed = 0x1234567;
	unsigned i;
	void *mem;

	(void)state;
	f = filter_new(&mem, T0);
	for (i = 0; i < 1000; i++) {
		make_id(&seed, id);
		ike_ticket_replay_insert(f, id, T0 + 1);
	}
	seed = 0x1234567;
	for (i = 0; i < 1000; i++) {
		make_id(&seed, id);
		assert_true(ike_ticket_replay_contains(f, id, T0 + 2));
	}
	make_id(&seed, other);
	assert_false(ike_ticket_replay_contains(f, other, T0 + 2));
	assert_int_equal(ike_ticket_replay_check_insert(f, other, T0 + 3), IKE_TICKET_OK);
	assert_int_equal(ike_ticket_replay_check_insert(f, other, T0 + 4), IKE_TICKET_REPLAYED);
	free(mem);
}

/* An id stays for at least one period, and is gone after the second rotation. */
static void
test_rotation_ages_out(void **state)
{
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN], late[IKE_TICKET_ID_LEN];
	uint64_t seed = 99;
	void *mem;

	(void)state;
	f = filter_new(&mem, T0);
	make_id(&seed, id);
	make_id(&seed, late);
	ike_ticket_replay_insert(f, id, T0 + 10);
	assert_false(ike_ticket_replay_rotate(f, T0 + PERIOD - 1));
	assert_true(ike_ticket_replay_contains(f, id, T0 + PERIOD - 1));
	/* First rotation at T0 + PERIOD: id moves to the previous filter. */
	assert_true(ike_ticket_replay_rotate(f, T0 + PERIOD));
	assert_true(ike_ticket_replay_contains(f, id, T0 + PERIOD + 10));
	ike_ticket_replay_insert(f, late, T0 + 2 * PERIOD - 1);
	/* Second rotation: id is dropped, late (one period old at most) stays. */
	assert_true(ike_ticket_replay_rotate(f, T0 + 2 * PERIOD));
	assert_false(ike_ticket_replay_contains(f, id, T0 + 2 * PERIOD));
	assert_true(ike_ticket_replay_contains(f, late, T0 + 2 * PERIOD));
	/* Two idle periods clear everything. */
	assert_false(ike_ticket_replay_contains(f, late, T0 + 4 * PERIOD));
	/* A clock that goes back does not rotate. */
	ike_ticket_replay_insert(f, id, T0 + 4 * PERIOD);
	assert_false(ike_ticket_replay_rotate(f, T0));
	assert_true(ike_ticket_replay_contains(f, id, T0));
	free(mem);
}

/*
 * At the sized load (both filters holding rate * period ids), fresh ids
 * hit at the design rate: measured within 2x of FP (about 2000 of 200000
 * expected here, so the bounds are many standard deviations away).
 */
static void
test_false_positive_rate(void **state)
{
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN];
	uint64_t seed = 0x9e3779b97f4a7c15ULL, i, hits = 0;
	const uint64_t queries = 200000;
	double rate;
	void *mem;

	(void)state;
	assert_int_equal(ike_ticket_replay_geometry(&params, &g), IKE_OK);
	f = filter_new(&mem, T0);
	for (i = 0; i < g.capacity; i++) {
		make_id(&seed, id);
		ike_ticket_replay_insert(f, id, T0 + i * PERIOD / g.capacity);
	}
	for (i = 0; i < g.capacity; i++) {
		make_id(&seed, id);
		ike_ticket_replay_insert(f, id, T0 + PERIOD + i * PERIOD / g.capacity);
	}
	for (i = 0; i < queries; i++) {
		make_id(&seed, id);
		hits += ike_ticket_replay_contains(f, id, T0 + 2 * PERIOD - 1);
	}
	rate = (double)hits / (double)queries;
	print_message("false positives: %.5f (design %.5f)\n", rate, FP);
	assert_true(rate <= 2 * FP);
	assert_true(rate >= FP / 2);
	free(mem);
}

static void
test_owner_shard(void **state)
{
	uint8_t t[IKE_TICKET_HDR_LEN] = {1, 0, 0, 0, 1};

	(void)state;
	/* The IV's first 32 bits scaled onto the shards. */
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t), 4), 0);
	memset(t + IKE_TICKET_AAD_LEN, 0xff, 4);
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t), 4), 3);
	t[IKE_TICKET_AAD_LEN] = 0x80;
	t[IKE_TICKET_AAD_LEN + 1] = 0;
	t[IKE_TICKET_AAD_LEN + 2] = 0;
	t[IKE_TICKET_AAD_LEN + 3] = 0;
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t), 4), 2);
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t), 3), 1);
	/* Only the clear IV decides: the key id does not. */
	t[4] = 9;
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t), 4), 2);
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t) - 1, 4), 0);
	assert_int_equal(ike_ticket_owner_shard(t, sizeof(t), 0), 0);
}

static void
test_reason_names(void **state)
{
	unsigned i, j;

	(void)state;
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_MALFORMED), "malformed");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_UNKNOWN_KEY), "unknown-key-id");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_KEY_NOT_VALID), "key-not-valid-now");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_BAD_TAG), "bad-tag");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_EXPIRED), "expired");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_VERSION_UNKNOWN), "version");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_AUTH_DEADLINE),
			    "auth-deadline-passed");
	assert_string_equal(ike_ticket_reason_name(IKE_TICKET_REASON_COUNT), "unknown");
	/* Distinct names: each is its own counter. */
	for (i = 0; i < IKE_TICKET_REASON_COUNT; i++)
		for (j = i + 1; j < IKE_TICKET_REASON_COUNT; j++)
			assert_string_not_equal(ike_ticket_reason_name(i),
						ike_ticket_reason_name(j));
}

int
ticket_run_replay_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_insert_and_check),
		cmocka_unit_test(test_rotation_ages_out),
		cmocka_unit_test(test_false_positive_rate),
		cmocka_unit_test(test_owner_shard),
		cmocka_unit_test(test_reason_names),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
