/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_core_resp_cache.c - the last-response cache's three slot sizes
 * (ike_window.c): a short response inside its cache slot, one up to
 * IKE_RESP_MID_MAX in a medium slot, the same in a big slot once the medium
 * slots are taken; each resent byte for byte and its slots given back.
 * At capacity the oldest response is evicted (ike_window.c), its medium or
 * big slot given back with it, and its SA forgets the slot; with every big
 * slot taken, the response holding the oldest one is evicted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core_env.h"
#include "ike_core_priv.h"
#include "satable.h"

/* The established SA of t, with the shard set up for one burst of replies. */
static struct ike_sa *
sa_of(struct ike_shard *s, const struct ti *t)
{
	struct ike_sa *sa = satable_lookup(s->sas, t->spi_r);

	assert_non_null(sa);
	s->tx = E.tx;
	s->tx_n = ENV_NTX;
	return sa;
}

/* Stores len pattern octets for sa, resends them and checks the datagram sent. */
static void
store_resend(struct ike_shard *s, struct ike_sa *sa, size_t len)
{
	static const struct ike_rx rx;
	uint8_t msg[2 * IKE_RESP_MID_MAX];

	assert_true(len <= sizeof(msg));
	for (size_t i = 0; i < len; i++)
		msg[i] = (uint8_t)(i * 7 + len);
	ike_window_store(s, sa, msg, len, false);
	assert_int_not_equal(sa->resp_slot, IKE_NO_SLOT);
	s->ntx = 0;
	ike_window_resend(s, sa, &rx);
	assert_int_equal(s->ntx, 1);
	assert_int_equal(E.tx[0].len, len);
	assert_memory_equal(E.tx[0].data, msg, len);
}

static void
test_slot_sizes(void **state)
{
	struct ike_shard *s = E.a.s;
	uint32_t mids = s->resp_mid_nfree;
	struct ike_sa *sa;
	struct ti t;

	(void)state;
	/* The slot docs/architecture.md ("Memory per SA") counts. */
	assert_true(sizeof(struct ike_resp) <= 616);
	assert_true(mids >= IKE_RESP_BIG_SLOTS);
	env_establish(s, &t, false);
	sa = sa_of(s, &t);
	/* The IKE_AUTH answer is short: inside the slot. */
	assert_int_equal(s->resp[sa->resp_slot].mid, IKE_NO_SLOT);
	store_resend(s, sa, IKE_RESP_CACHE_MAX);
	assert_int_equal(s->resp[sa->resp_slot].mid, IKE_NO_SLOT);
	assert_int_equal(s->resp_mid_nfree, mids);
	/* Longer: a medium slot, given back when the next response is short. */
	store_resend(s, sa, IKE_RESP_CACHE_MAX + 1);
	assert_int_not_equal(s->resp[sa->resp_slot].mid, IKE_NO_SLOT);
	assert_int_equal(s->resp_mid_nfree, mids - 1);
	store_resend(s, sa, IKE_RESP_MID_MAX);
	assert_int_equal(s->resp_mid_nfree, mids - 1);
	store_resend(s, sa, 100);
	assert_int_equal(s->resp_mid_nfree, mids);
	/* No medium slot left: a big one holds it. */
	s->resp_mid_nfree = 0;
	store_resend(s, sa, 900);
	assert_int_equal(s->resp[sa->resp_slot].mid, IKE_NO_SLOT);
	assert_int_not_equal(s->resp[sa->resp_slot].big, 0);
	assert_int_equal(s->resp_big_used, 1);
	s->resp_mid_nfree = mids;
	/* Released with its SA: every slot back. */
	store_resend(s, sa, 1000);
	assert_int_equal(s->resp_big_used, 0);
	assert_int_equal(s->resp_mid_nfree, mids - 1);
	ike_window_release(s, sa);
	assert_int_equal(sa->resp_slot, IKE_NO_SLOT);
	assert_int_equal(s->resp_mid_nfree, mids);
	assert_int_equal(env_ctr(s, "resp_cache_full"), 0);
	s->tx = NULL;
	s->tx_n = 0;
	s->ntx = 0;
	ti_fini(&t);
}

/* Stores a len-octet response for sa (its slot checked, nothing sent). */
static void
store(struct ike_shard *s, struct ike_sa *sa, size_t len)
{
	static uint8_t msg[2 * IKE_RESP_MID_MAX];

	assert_true(len <= sizeof(msg));
	memset(msg, (int)len, len);
	ike_window_store(s, sa, msg, len, false);
	assert_int_not_equal(sa->resp_slot, IKE_NO_SLOT);
}

/* A shard like env_setup_psk's with SMALL cache slots. */
#define SMALL 3
static int
setup_small(void **state)
{
	(void)state;
	if (env_open() != 0)
		return -1;
	env_cfg_psk(&E.cfg);
	E.cfg.max_cached_responses = SMALL;
	return env_shard_up(&E.a, 3);
}

/*
 * SMALL slots, four SAs: the fourth IKE_AUTH answer evicts the first; a
 * response in a medium slot and one in a big slot give those back when
 * they are evicted, and their SAs' retransmits are dropped.
 */
static void
test_evict_releases_slots(void **state)
{
	static const struct ike_rx rx;
	struct ike_shard *s = E.a.s;
	uint32_t mids = s->resp_mid_nfree;
	struct ike_sa *sa[4];
	struct ti t[4];

	(void)state;
	assert_int_equal(s->resp_cap, SMALL);
	for (unsigned i = 0; i < 4; i++) {
		env_establish(s, &t[i], false);
		sa[i] = sa_of(s, &t[i]);
	}
	assert_int_equal(env_ctr(s, "resp_cache_evicted"), 1);
	assert_int_equal(sa[0]->resp_slot, IKE_NO_SLOT);
	assert_int_equal(s->resp_nfree, 0);
	/* sa[1] medium, sa[2] big: the age order is now sa[3], sa[1], sa[2]. */
	store(s, sa[1], IKE_RESP_MID_MAX);
	assert_int_equal(s->resp_mid_nfree, mids - 1);
	store(s, sa[2], IKE_RESP_MID_MAX + 1);
	assert_int_equal(s->resp_big_used, 1);
	store(s, sa[0], 100); /* evicts sa[3]'s */
	assert_int_equal(sa[3]->resp_slot, IKE_NO_SLOT);
	store(s, sa[3], 100); /* sa[1]'s, its medium slot with it */
	assert_int_equal(sa[1]->resp_slot, IKE_NO_SLOT);
	assert_int_equal(s->resp_mid_nfree, mids);
	store(s, sa[1], 100); /* sa[2]'s, its big slot with it */
	assert_int_equal(sa[2]->resp_slot, IKE_NO_SLOT);
	assert_int_equal(s->resp_big_used, 0);
	assert_int_equal(env_ctr(s, "resp_cache_evicted"), 4);
	/* An evicted SA's retransmit: dropped and counted, nothing sent. */
	s->ntx = 0;
	ike_window_resend(s, sa[2], &rx);
	assert_int_equal(s->ntx, 0);
	assert_int_equal(env_ctr(s, "drop_retransmit_uncached"), 1);
	/* The kept ones are distinct slots, each holding its own response. */
	assert_int_not_equal(sa[0]->resp_slot, sa[3]->resp_slot);
	assert_int_not_equal(sa[1]->resp_slot, sa[3]->resp_slot);
	assert_int_not_equal(sa[0]->resp_slot, sa[1]->resp_slot);
	for (unsigned i = 0; i < 4; i++)
		if (i != 2)
			assert_int_equal(s->resp[sa[i]->resp_slot].owner_spi, t[i].spi_r);
	/* Expiry walks the same age list: every slot free again. */
	E.now += E.cfg.response_cache_ms;
	env_tx_reset();
	ike_shard_tick(s, E.now, E.tx, ENV_NTX);
	assert_int_equal(s->resp_nfree, SMALL);
	assert_int_equal(env_ctr(s, "resp_cache_expired"), 3);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(sa[i]->resp_slot, IKE_NO_SLOT);
		ti_fini(&t[i]);
	}
	assert_int_equal(env_ctr(s, "resp_cache_full"), 0);
	s->tx = NULL;
	s->tx_n = 0;
	s->ntx = 0;
}

/*
 * Every big slot held: the next large response takes the one of the oldest
 * response holding a big slot, which is evicted whole.
 */
static void
test_big_slots_evict_oldest(void **state)
{
	enum { N = IKE_RESP_BIG_SLOTS + 1 };
	struct ike_shard *s = E.a.s;
	static struct ti t[N];
	struct ike_sa *sa[N];

	(void)state;
	assert_true(s->resp_cap > N);
	for (unsigned i = 0; i < N; i++) {
		env_establish(s, &t[i], false);
		sa[i] = sa_of(s, &t[i]);
	}
	for (unsigned i = 0; i < N - 1; i++)
		store(s, sa[i], 1500);
	assert_int_equal(s->resp_big_used, (1u << IKE_RESP_BIG_SLOTS) - 1);
	assert_int_equal(env_ctr(s, "resp_cache_evicted"), 0);
	store(s, sa[N - 1], 1500);
	assert_int_equal(env_ctr(s, "resp_cache_evicted"), 1);
	assert_int_equal(sa[0]->resp_slot, IKE_NO_SLOT);
	assert_int_not_equal(s->resp[sa[N - 1]->resp_slot].big, 0);
	assert_int_equal(s->resp_big_used, (1u << IKE_RESP_BIG_SLOTS) - 1);
	/* The new one is resent whole. */
	store_resend(s, sa[N - 1], 1500);
	assert_int_equal(env_ctr(s, "resp_cache_full"), 0);
	for (unsigned i = 0; i < N; i++) {
		ike_window_release(s, sa[i]);
		ti_fini(&t[i]);
	}
	assert_int_equal(s->resp_big_used, 0);
	s->tx = NULL;
	s->tx_n = 0;
	s->ntx = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slot_sizes, env_setup_psk, env_teardown),
		cmocka_unit_test_setup_teardown(test_evict_releases_slots, setup_small,
						env_teardown),
		cmocka_unit_test_setup_teardown(test_big_slots_evict_oldest, env_setup_psk,
						env_teardown),
	};

	return cmocka_run_group_tests_name("core-resp-cache", tests, NULL, NULL);
}
