/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_core_resp_cache.c - the last-response cache's three slot sizes
 * (ike_window.c): a short response inside its cache slot, one up to
 * IKE_RESP_MID_MAX in a medium slot, the same in a big slot once the medium
 * slots are taken; each resent byte for byte and its slots given back.
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
	uint8_t msg[IKE_RESP_MID_MAX];

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
	/* The slot docs/architecture.md ("Memory per SA") counts a quarter of per SA slot. */
	assert_true(sizeof(struct ike_resp) <= 624);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slot_sizes, env_setup_psk, env_teardown),
	};

	return cmocka_run_group_tests_name("core-resp-cache", tests, NULL, NULL);
}
