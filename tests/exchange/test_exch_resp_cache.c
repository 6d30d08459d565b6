/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of the response cache at capacity (RFC 7296 2.1, 2.3),
 * lib/core against lib/initiator clients in-process, with CACHE slots for
 * more SAs than that: each new response evicts the oldest cached one.
 *   - a retransmit of a recent request gets its response byte for byte;
 *   - a retransmit of an evicted one is dropped and counted, never
 *     processed again and never answered with another SA's response;
 *   - the SA whose response was evicted goes on with its next request;
 *   - the response to a DELETE of the IKE SA (kept after the SA) is
 *     evicted the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_peer.h"
#include "ike_wire.h"

#define CACHE 4
#define NPEERS 7

static struct exch X;

static const struct ike_suite_cfg ike_suite = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					       IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_suite = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};

static struct exch_peer P[NPEERS];

static int
up(void **state)
{
	(void)state;
	exch_init(&X, &ike_suite, &esp_suite, NULL, 0);
	X.core_cfg.max_cached_responses = CACHE;
	exch_peers_start(&X, P, NPEERS, 20000);
	return 0;
}

static int
down(void **state)
{
	(void)state;
	exch_peers_fini(&X, P, NPEERS);
	return 0;
}

/* p's request answered, 10 ms after the last one (responses are cached in that order). */
static enum ike_init_result
round_trip(struct exch_peer *p)
{
	X.now_ms += 10;
	return exch_peer_round(&X, p);
}

static void
handshake(struct exch_peer *p)
{
	assert_int_equal(ike_init_start(&p->c, &p->hs, p->req, sizeof(p->req), &p->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(round_trip(p), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(round_trip(p), IKE_INIT_R_ESTABLISHED);
}

/* p's next request: an empty INFORMATIONAL (a new message ID), answered. */
static void
liveness(struct exch_peer *p)
{
	assert_int_equal(ike_init_req_liveness(&p->c, p->req, sizeof(p->req), &p->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(round_trip(p), IKE_INIT_R_DONE);
}

/* p retransmits its last request: answered with exactly the response it had. */
static void
assert_resent_same(const struct exch_peer *p)
{
	uint64_t before = exch_ctr(&X, "retransmit_resent");

	assert_int_equal(exch_peer_send(&X, p), 1);
	assert_int_equal(X.resp_len, p->resp_len);
	assert_memory_equal(X.resp, p->resp, p->resp_len);
	assert_int_equal(exch_ctr(&X, "retransmit_resent"), before + 1);
}

/* p retransmits its last request, whose response was evicted: nothing goes out. */
static void
assert_dropped(const struct exch_peer *p)
{
	uint64_t before = exch_ctr(&X, "drop_retransmit_uncached");
	uint64_t auth_ok = exch_ctr(&X, "auth_ok");
	uint32_t sas = ike_shard_nb_sas(X.shard);

	assert_int_equal(exch_peer_send(&X, p), 0);
	assert_int_equal(exch_ctr(&X, "drop_retransmit_uncached"), before + 1);
	/* Not processed again: no second IKE_AUTH, no new SA. */
	assert_int_equal(exch_ctr(&X, "auth_ok"), auth_ok);
	assert_int_equal(ike_shard_nb_sas(X.shard), sas);
}

/*
 * CACHE IKE_AUTH answers fill the cache; each further response evicts the
 * oldest. The evicted SAs' retransmits are dropped, the kept ones answered,
 * and an SA whose answer was evicted carries on with its next exchange.
 */
static void
test_oldest_evicted(void **state)
{
	(void)state;
	for (unsigned i = 0; i < CACHE; i++)
		handshake(&P[i]);
	assert_int_equal(exch_ctr(&X, "resp_cache_evicted"), 0);
	assert_resent_same(&P[0]);
	assert_resent_same(&P[CACHE - 1]);
	/* Two more SAs: P[0]'s and P[1]'s answers make room (resent ones are no younger). */
	handshake(&P[CACHE]);
	handshake(&P[CACHE + 1]);
	assert_int_equal(exch_ctr(&X, "resp_cache_evicted"), 2);
	assert_int_equal(ike_shard_nb_sas(X.shard), CACHE + 2);
	assert_dropped(&P[0]);
	assert_dropped(&P[1]);
	for (unsigned i = 2; i < CACHE + 2; i++)
		assert_resent_same(&P[i]);
	/* P[0] goes on: its next request (message ID 2) is new, answered and cached. */
	liveness(&P[0]);
	assert_int_equal(exch_ctr(&X, "resp_cache_evicted"), 3); /* P[2]'s */
	assert_resent_same(&P[0]);
	assert_dropped(&P[2]);
	/* So does P[2]. */
	liveness(&P[2]);
	assert_resent_same(&P[2]);
	assert_int_equal(exch_ctr(&X, "resp_cache_full"), 0);
	assert_int_equal(exch_ctr(&X, "drop_retransmit_uncached"), 3);
}

/*
 * The answer to a DELETE of the IKE SA outlives the SA (RFC 7296 2.1); it
 * is evicted like any other once newer responses need its slot, and the
 * retransmitted DELETE is then dropped as one for an unknown SPI.
 */
static void
test_closed_evicted(void **state)
{
	struct exch_peer *d = &P[NPEERS - 1];

	(void)state;
	for (unsigned i = 0; i < CACHE; i++)
		handshake(&P[i]);
	handshake(d);
	assert_int_equal(ike_init_req_delete_ike(&d->c, d->req, sizeof(d->req), &d->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(round_trip(d), IKE_INIT_R_CLOSED);
	assert_int_equal(exch_peer_send(&X, d), 1);
	assert_int_equal(X.resp_len, d->resp_len);
	assert_memory_equal(X.resp, d->resp, d->resp_len);
	assert_int_equal(exch_ctr(&X, "retransmit_after_delete"), 1);
	/* CACHE newer responses (liveness checks): the DELETE's answer is the oldest. */
	for (unsigned i = 0; i < CACHE; i++) {
		liveness(&P[i]);
	}
	assert_int_equal(exch_peer_send(&X, d), 0);
	assert_int_equal(exch_ctr(&X, "retransmit_after_delete"), 1);
	assert_int_equal(exch_ctr(&X, "drop_unknown_spi"), 1);
	for (unsigned i = 0; i < CACHE; i++)
		assert_resent_same(&P[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_oldest_evicted, up, down),
		cmocka_unit_test_setup_teardown(test_closed_evicted, up, down),
	};

	return cmocka_run_group_tests_name("exchange-resp-cache", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
