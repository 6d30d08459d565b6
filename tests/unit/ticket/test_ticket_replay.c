/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One-time-use filter: geometry (expected values from the formulas in
 * docs/tickets.md evaluated by python3), membership, slices dropped when
 * their tickets expire, saturation reports, sustained use at the
 * configured rate over whole lifetimes (simulated clock), and the
 * false-positive rate measured at the sized load.
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

#define LIFETIME 160 /* 16 slices of 10 s */
#define SLICE 10
#define RATE 1000.0
#define FP 0.01
#define BITS_DEFAULT 161747904U /* m at 3600 s, 50000/s, 1e-3 */
/* T0 (ticket_test.h) is a multiple of SLICE: epochs start on it. */

static const struct ike_ticket_replay_params params = {
	.lifetime = LIFETIME,
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
filter_new(const struct ike_ticket_replay_params *p, void **mem)
{
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f;

	assert_int_equal(ike_ticket_replay_geometry(p, &g), IKE_OK);
	*mem = malloc(g.bytes);
	assert_non_null(*mem);
	f = ike_ticket_replay_init(*mem, g.bytes, p);
	assert_non_null(f);
	return f;
}

static void
test_geometry(void **state)
{
	struct ike_ticket_replay_params p = {.lifetime = 3600, .rate = 50000, .fp_target = 0.001};
	struct ike_ticket_replay_geometry g;
	uint64_t mem[8];

	(void)state;
	/*
	 * python3: s = ceil(L/16); n = ceil(rate*s);
	 * m = ceil(-n ln(fp) / ln2^2 / 64) * 64; k = round(m/n ln2)
	 */
	assert_int_equal(ike_ticket_replay_geometry(&params, &g), IKE_OK);
	assert_int_equal(g.slice_s, 10);
	assert_int_equal(g.slices, IKE_TICKET_REPLAY_SLICES + 3);
	assert_int_equal(g.capacity, 10000);
	assert_int_equal(g.bits, 95872);
	assert_int_equal(g.hashes, 7);
	/* The default: an hour of tickets at 50 000 ids/s, about 366 MiB. */
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_OK);
	assert_int_equal(g.slice_s, 225);
	assert_int_equal(g.capacity, 11250000);
	assert_int_equal(g.bits, BITS_DEFAULT);
	assert_int_equal(g.hashes, 10);
	assert_true(g.bytes >= (size_t)19 * BITS_DEFAULT / 8);
	assert_true(g.bytes < (size_t)19 * BITS_DEFAULT / 8 + 4096);
	/* A lifetime that is not a multiple of 16 rounds the slice up. */
	p.lifetime = 100;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_OK);
	assert_int_equal(g.slice_s, 7);
	/* Refusals: a slice over 2^32 bits, a zero lifetime or rate, a target of 1. */
	p.lifetime = 3600 * 24;
	p.rate = 1e6;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	p.rate = 10;
	p.lifetime = 0;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	p.lifetime = 10;
	p.rate = 0;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	p.rate = 10;
	p.fp_target = 1;
	assert_int_equal(ike_ticket_replay_geometry(&p, &g), IKE_E_PARAM);
	/* init refuses memory that is too small. */
	assert_null(ike_ticket_replay_init(mem, sizeof(mem), &params));
}

static void
test_insert_and_lookup(void **state)
{
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN], other[IKE_TICKET_ID_LEN];
	uint64_t seed = 0x1234567;
	unsigned i;
	void *mem;

	(void)state;
	f = filter_new(&params, &mem);
	for (i = 0; i < 1000; i++) {
		make_id(&seed, id);
		assert_int_equal(ike_ticket_replay_insert(f, id, T0 + 50 + i % 100, T0 + 1), 0);
	}
	assert_int_equal(ike_ticket_replay_load(f, T0 + 50, T0 + 1), 100);
	seed = 0x1234567;
	for (i = 0; i < 1000; i++) {
		make_id(&seed, id);
		assert_int_equal(ike_ticket_replay_lookup(f, id, T0 + 50 + i % 100, T0 + 2),
				 IKE_TICKET_REPLAYED);
	}
	make_id(&seed, other);
	assert_int_equal(ike_ticket_replay_lookup(f, other, T0 + 50, T0 + 2), IKE_TICKET_OK);
	/* A lookup names the slice of its expiry: the id was kept under another. */
	assert_int_equal(ike_ticket_replay_lookup(f, id, T0 + 50 + 999 % 100 + SLICE, T0 + 2),
			 IKE_TICKET_OK);
	/* Inserting the same id again is no new id. */
	ike_ticket_replay_insert(f, other, T0 + 55, T0 + 3);
	ike_ticket_replay_insert(f, other, T0 + 55, T0 + 4);
	assert_int_equal(ike_ticket_replay_load(f, T0 + 55, T0 + 4), 101);
	/* An expired ticket is not kept (it cannot open any more). */
	make_id(&seed, other);
	ike_ticket_replay_insert(f, other, T0 + 4, T0 + 4);
	assert_int_equal(ike_ticket_replay_lookup(f, other, T0 + 50, T0 + 4), IKE_TICKET_OK);
	free(mem);
}

/*
 * An id is kept until its ticket expires, then dropped with its slice
 * (by the timer's rotate, or by an insert that reuses the slot).
 */
static void
test_slice_roll_over(void **state)
{
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN], late[IKE_TICKET_ID_LEN], next[IKE_TICKET_ID_LEN];
	const uint64_t exp = T0 + 15, slots = IKE_TICKET_REPLAY_SLICES + 3;
	uint64_t seed = 99;
	void *mem;

	(void)state;
	f = filter_new(&params, &mem);
	make_id(&seed, id);
	make_id(&seed, late);
	make_id(&seed, next);
	ike_ticket_replay_insert(f, id, exp, T0);
	ike_ticket_replay_insert(f, late, T0 + LIFETIME, T0);
	/* Nothing to drop while a kept ticket of the slice can still open. */
	assert_false(ike_ticket_replay_rotate(f, T0 + 19));
	assert_int_equal(ike_ticket_replay_lookup(f, id, exp, exp - 1), IKE_TICKET_REPLAYED);
	assert_int_equal(ike_ticket_replay_lookup(f, id, exp, T0 + 19), IKE_TICKET_OK);
	/* Its slice [T0+10, T0+20) has passed: the timer drops it, only it. */
	assert_true(ike_ticket_replay_rotate(f, T0 + 20));
	assert_false(ike_ticket_replay_rotate(f, T0 + 20));
	assert_int_equal(ike_ticket_replay_load(f, exp, T0 + 10), 0);
	assert_int_equal(ike_ticket_replay_lookup(f, late, T0 + LIFETIME, T0 + LIFETIME - 1),
			 IKE_TICKET_REPLAYED);
	/*
	 * Without the timer: the slot of late's slice comes round again
	 * slots slices later; the insert there clears it first.
	 */
	ike_ticket_replay_insert(f, next, T0 + LIFETIME + slots * SLICE, T0 + LIFETIME + 2 * SLICE);
	assert_int_equal(ike_ticket_replay_load(f, T0 + LIFETIME + slots * SLICE,
						T0 + LIFETIME + 2 * SLICE),
			 1);
	assert_int_equal(ike_ticket_replay_lookup(f, next, T0 + LIFETIME + slots * SLICE,
						  T0 + LIFETIME + 2 * SLICE),
			 IKE_TICKET_REPLAYED);
	/* A clock that goes back drops nothing. */
	assert_false(ike_ticket_replay_rotate(f, T0));
	assert_int_equal(ike_ticket_replay_lookup(f, next, T0 + LIFETIME + slots * SLICE,
						  T0 + LIFETIME + 2 * SLICE),
			 IKE_TICKET_REPLAYED);
	free(mem);
}

/*
 * A big slice is cleared by the timer a chunk at a time once its tickets
 * have expired: never all at once on the packet path. An insert that needs
 * the slot before the timer is done clears the rest itself.
 */
static void
test_slice_cleared_in_chunks(void **state)
{
	const struct ike_ticket_replay_params big = {
		.lifetime = LIFETIME, .rate = 100000, .fp_target = FP};
	const uint64_t slots = IKE_TICKET_REPLAY_SLICES + 3;
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN], last[IKE_TICKET_ID_LEN];
	uint64_t seed = 11, i, calls = 0;
	void *mem;

	(void)state;
	assert_int_equal(ike_ticket_replay_geometry(&big, &g), IKE_OK);
	assert_true(g.bits / 64 > 4 * 8192); /* several 64 KiB chunks */
	f = filter_new(&big, &mem);
	for (i = 0; i < 1000; i++) {
		make_id(&seed, id);
		ike_ticket_replay_insert(f, id, T0 + 5, T0);
	}
	/* Its slice passes at T0 + 10: each timer call clears one chunk. */
	while (ike_ticket_replay_rotate(f, T0 + 10))
		calls++;
	assert_int_equal(calls, (g.bits / 64 + 8191) / 8192);
	assert_int_equal(ike_ticket_replay_load(f, T0 + 5, T0 + 4), 0);
	/* The slot's next epoch (19 slices on) starts clean. */
	assert_int_equal(ike_ticket_replay_lookup(f, id, T0 + slots * SLICE, T0 + 2 * SLICE),
			 IKE_TICKET_OK);
	/* Again, but the slot is needed when the timer has cleared one chunk only. */
	memcpy(last, id, sizeof(last));
	ike_ticket_replay_insert(f, last, T0 + slots * SLICE, T0 + 2 * SLICE);
	assert_true(ike_ticket_replay_rotate(f, T0 + (slots + 1) * SLICE));
	make_id(&seed, id);
	ike_ticket_replay_insert(f, id, T0 + 2 * slots * SLICE, T0 + (slots + 2) * SLICE);
	assert_int_equal(ike_ticket_replay_load(f, T0 + 2 * slots * SLICE, T0 + (slots + 2) * SLICE),
			 1);
	/* Only the new id: the bits of the one before were cleared. */
	assert_int_equal(ike_ticket_replay_lookup(f, last, T0 + 2 * slots * SLICE,
						  T0 + (slots + 2) * SLICE),
			 IKE_TICKET_OK);
	free(mem);
}

/* Expiry beyond the last slice kept: refused by lookups, not mis-filed. */
static void
test_expiry_beyond_filter(void **state)
{
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN];
	const uint64_t horizon = (IKE_TICKET_REPLAY_SLICES + 1) * SLICE;
	uint64_t seed = 7;
	void *mem;

	(void)state;
	f = filter_new(&params, &mem);
	make_id(&seed, id);
	/* Lifetime plus one slice of skew is kept to its expiry. */
	ike_ticket_replay_insert(f, id, T0 + horizon, T0);
	assert_int_equal(ike_ticket_replay_lookup(f, id, T0 + horizon, T0), IKE_TICKET_REPLAYED);
	assert_int_equal(ike_ticket_replay_lookup(f, id, T0 + horizon, T0 + horizon - 1),
			 IKE_TICKET_REPLAYED);
	assert_int_equal(ike_ticket_replay_lookup(f, id, T0 + horizon + 1, T0),
			 IKE_TICKET_EXPIRES_TOO_LATE);
	free(mem);
}

/*
 * Deliberately undersized: the slice reports its sized load once, then
 * every further id, and a lookup it answers "seen" is told apart from a
 * replay in a slice within its load.
 */
static void
test_saturation(void **state)
{
	const struct ike_ticket_replay_params small = {
		.lifetime = LIFETIME, .rate = 10, .fp_target = FP};
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN], first[IKE_TICKET_ID_LEN];
	uint64_t seed = 0x5a5a, i, full = 0, over = 0, fresh_refused = 0;
	unsigned ev;
	void *mem;

	(void)state;
	assert_int_equal(ike_ticket_replay_geometry(&small, &g), IKE_OK);
	assert_int_equal(g.capacity, 100);
	f = filter_new(&small, &mem);
	make_id(&seed, first);
	ike_ticket_replay_insert(f, first, T0 + 100, T0);
	for (i = 1; i < 10 * g.capacity; i++) {
		make_id(&seed, id);
		/* Counted as a new id only when not (falsely) seen already. */
		if (ike_ticket_replay_lookup(f, id, T0 + 100, T0) != IKE_TICKET_OK)
			fresh_refused++;
		ev = ike_ticket_replay_insert(f, id, T0 + 100, T0);
		full += (ev & IKE_TICKET_REPLAY_EV_FULL) != 0;
		over += (ev & IKE_TICKET_REPLAY_EV_OVER) != 0;
	}
	assert_int_equal(full, 1);
	assert_int_equal(over + fresh_refused, 9 * g.capacity);
	assert_true(fresh_refused > 0);
	assert_int_equal(ike_ticket_replay_load(f, T0 + 100, T0), g.capacity + over);
	/* Now a replay and a false positive look alike: counted under their own reason. */
	assert_int_equal(ike_ticket_replay_lookup(f, first, T0 + 100, T0),
			 IKE_TICKET_REPLAY_FILTER_FULL);
	/* Other slices are not affected. */
	ike_ticket_replay_insert(f, first, T0 + 50, T0);
	assert_int_equal(ike_ticket_replay_lookup(f, first, T0 + 50, T0), IKE_TICKET_REPLAYED);
	/* The next epoch of that slot starts empty, and reports again. */
	make_id(&seed, id);
	ev = ike_ticket_replay_insert(f, id, T0 + 100 + (IKE_TICKET_REPLAY_SLICES + 3) * SLICE,
				      T0 + 100);
	assert_int_equal(ev, 0);
	assert_int_equal(ike_ticket_replay_load(f, T0 + 100 + (IKE_TICKET_REPLAY_SLICES + 3) *
							       SLICE,
						T0 + 100),
			 1);
	free(mem);
}

/*
 * Sustained use at exactly the configured rate over three ticket lifetimes
 * of simulated time: every second, RATE fresh tickets (never seen) are
 * checked and recorded, their expiries spread over the next lifetime as a
 * steady population of clients gives them. Fresh tickets refused stay
 * within the target (a Bloom filter cannot promise zero), no slice goes
 * over its capacity, and the rate is no worse in the last lifetime than in
 * the first: nothing accumulates.
 */
static void
test_sustained_rate_full_lifetime(void **state)
{
	struct ike_ticket_replay *f;
	uint8_t id[IKE_TICKET_ID_LEN];
	uint64_t seed = 0x9e3779b97f4a7c15ULL, now, exp, refused[3] = {0}, over = 0, per_life;
	unsigned i, ev;
	void *mem;

	(void)state;
	f = filter_new(&params, &mem);
	for (now = T0; now < T0 + 3 * LIFETIME; now++) {
		ike_ticket_replay_rotate(f, now);
		for (i = 0; i < (unsigned)RATE; i++) {
			make_id(&seed, id);
			/* Expiries evenly over (now, now + LIFETIME]. */
			exp = now + 1 + (uint64_t)i * LIFETIME / (unsigned)RATE;
			if (ike_ticket_replay_lookup(f, id, exp, now) != IKE_TICKET_OK)
				refused[(now - T0) / LIFETIME]++;
			ev = ike_ticket_replay_insert(f, id, exp, now);
			over += (ev & IKE_TICKET_REPLAY_EV_OVER) != 0;
		}
	}
	per_life = (uint64_t)RATE * LIFETIME;
	print_message("fresh tickets refused per lifetime: %.5f %.5f %.5f (target %.5f)\n",
		      (double)refused[0] / per_life, (double)refused[1] / per_life,
		      (double)refused[2] / per_life, FP);
	assert_int_equal(over, 0);
	for (i = 0; i < 3; i++)
		assert_true(refused[i] <= FP * per_life);
	/* At least some false positives: the filter is loaded, not oversized. */
	assert_true(refused[2] > FP * per_life / 10);
	free(mem);
}

/*
 * At the sized load (a slice holding its capacity), fresh ids hit at the
 * design rate: measured within 2x of FP (about 2000 of 200000 expected
 * here, so the bounds are many standard deviations away).
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
	f = filter_new(&params, &mem);
	for (i = 0; i < g.capacity; i++) {
		make_id(&seed, id);
		ike_ticket_replay_insert(f, id, T0 + 100, T0);
	}
	for (i = 0; i < queries; i++) {
		make_id(&seed, id);
		hits += ike_ticket_replay_lookup(f, id, T0 + 100, T0) != IKE_TICKET_OK;
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
		cmocka_unit_test(test_insert_and_lookup),
		cmocka_unit_test(test_slice_roll_over),
		cmocka_unit_test(test_slice_cleared_in_chunks),
		cmocka_unit_test(test_expiry_beyond_filter),
		cmocka_unit_test(test_saturation),
		cmocka_unit_test(test_sustained_rate_full_lifetime),
		cmocka_unit_test(test_false_positive_rate),
		cmocka_unit_test(test_owner_shard),
		cmocka_unit_test(test_reason_names),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
