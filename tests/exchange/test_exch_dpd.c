/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of responder dead peer detection (RFC 7296 2.4), lib/core
 * against lib/initiator in-process, on the shard's clock:
 *   <-- HDR(I=0, R=0), SK {}   HDR, SK {} -->   (answered: the SA stays)
 *   <-- the same probe after 2, 4, 8 s; no answer: the SA goes at the
 *       timeout, its ticket still resumes
 * and the spreading: many SAs idle since the same moment are probed at
 * most dpd_probes_per_ms per millisecond.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"
#include "ike_wire.h"

#define NOW_MS EXCH_RING_NOW_MS
#define DELAY_S 10u
#define TIMEOUT_S 20u
/* Latest first probe: the delay plus the largest per-SA share (a quarter of it). */
#define PROBE_BY_MS ((DELAY_S + DELAY_S / 4 + 1) * 1000ull)
#define MANY 48
#define CAP 4

static struct exch X;
static struct ike_init_ticket T;

/* A responder with DPD and tickets on; the client asks for a ticket. */
static void
start(uint32_t delay_s)
{
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	X.core_cfg.dpd_delay_s = delay_s;
	X.core_cfg.dpd_timeout_s = TIMEOUT_S;
	X.core_cfg.dpd_probes_per_ms = CAP;
	exch_tickets(&X, &T, true);
	exch_start(&X);
}

/* Ticks every 100 ms up to `until`; returns the first time a message went out (0: none). */
static uint64_t
tick_until_sent(uint64_t from, uint64_t until)
{
	for (uint64_t t = from; t <= until; t += 100)
		if (exch_tick(&X, t) != 0)
			return t;
	return 0;
}

/* The probe in X.tx[0] to the client, its answer back to the shard. */
static void
answer_probe(void)
{
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 0);
}

/* Silent peer: resends with back-off, the SA removed at the timeout, the ticket resumes. */
static void
test_silent_peer_deleted(void **state)
{
	uint64_t first, t;
	uint32_t id;
	unsigned sends = 1;

	(void)state;
	start(DELAY_S);
	exch_handshake(&X);
	assert_true(T.len > 0);
	/* Nothing before the delay. */
	assert_int_equal(tick_until_sent(NOW_MS, NOW_MS + DELAY_S * 1000 - 100), 0);
	first = tick_until_sent(NOW_MS + DELAY_S * 1000, NOW_MS + PROBE_BY_MS);
	assert_int_not_equal(first, 0);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_INFORMATIONAL); /* a probe */
	id = exch_msg_id(X.tx[0].data);
	assert_int_equal(exch_ctr(&X, "dpd_probes_sent"), 1);
	/* Resends at +2, +6, +14 s carry the same message ID (RFC 7296 2.1). */
	for (t = first + 100; t < first + TIMEOUT_S * 1000; t += 100) {
		if (exch_tick(&X, t) == 0)
			continue;
		exch_assert_request(&X, X.tx[0].data, IKE_EXCH_INFORMATIONAL); /* a probe */
		assert_int_equal(exch_msg_id(X.tx[0].data), id);
		assert_true(t - first == 2000 || t - first == 6000 || t - first == 14000);
		sends++;
	}
	assert_int_equal(sends, 4);
	assert_int_equal(exch_ctr(&X, "dpd_probes_resent"), 3);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	/* At the timeout it goes, without a message (nobody would read it). */
	assert_int_equal(exch_tick(&X, first + TIMEOUT_S * 1000), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(exch_ctr(&X, "dpd_sa_deleted"), 1);
	assert_int_equal(exch_ctr(&X, "dpd_probes_answered"), 0);
	/* The client comes back with its ticket: not revoked, resumption works. */
	exch_resume(&X);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_fini(&X);
}

/* An answering peer is kept, and probed again only after another idle delay. */
static void
test_answering_peer_kept(void **state)
{
	uint64_t first, second;

	(void)state;
	start(DELAY_S);
	exch_handshake(&X);
	first = tick_until_sent(NOW_MS, NOW_MS + PROBE_BY_MS);
	assert_int_not_equal(first, 0);
	answer_probe();
	assert_int_equal(exch_ctr(&X, "dpd_probes_answered"), 1);
	/* No resend, no delete: the next probe comes a full delay after the answer. */
	second = tick_until_sent(first + 100, first + TIMEOUT_S * 1000 * 2);
	assert_true(second >= first + DELAY_S * 1000);
	assert_int_equal(exch_ctr(&X, "dpd_probes_resent"), 0);
	assert_int_equal(exch_ctr(&X, "dpd_probes_sent"), 2);
	assert_int_not_equal(exch_msg_id(X.tx[0].data), 0); /* a new request, a new message ID */
	answer_probe();
	assert_int_equal(exch_ctr(&X, "dpd_probes_answered"), 2);
	assert_int_equal(tick_until_sent(second + 100, second + DELAY_S * 1000 - 100), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_ctr(&X, "dpd_sa_deleted"), 0);
	/* Our own requests keep their order: the client's liveness check still works. */
	exch_liveness(&X);
	exch_fini(&X);
}

/* A peer that sends requests of its own is not probed; a forged answer does not count. */
static void
test_traffic_and_forged_answer(void **state)
{
	uint64_t first;

	(void)state;
	start(DELAY_S);
	exch_handshake(&X);
	/* The client checks liveness itself every 5 s: we never need to probe. */
	for (uint64_t t = NOW_MS + 5000; t <= NOW_MS + 60000; t += 5000) {
		assert_int_equal(tick_until_sent(t - 4900, t), 0);
		assert_int_equal(ike_init_req_liveness(&X.c, X.req, sizeof(X.req), &X.req_len),
				 IKE_INIT_R_SEND_REQUEST);
		X.now_ms = t;
		assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	}
	assert_int_equal(exch_ctr(&X, "dpd_probes_sent"), 0);
	/* Silent from now: a probe; an answer with a bad ICV leaves it outstanding. */
	first = tick_until_sent(NOW_MS + 60000, NOW_MS + 60000 + PROBE_BY_MS);
	assert_int_not_equal(first, 0);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	X.req[X.req_len - 1] ^= 1;
	assert_int_equal(exch_to_responder(&X), 0);
	assert_int_equal(exch_ctr(&X, "drop_icv_mismatch"), 1);
	assert_int_equal(exch_ctr(&X, "dpd_probes_answered"), 0);
	for (unsigned i = 0; i < 3; i++)
		assert_int_not_equal(
			tick_until_sent(X.now_ms + 100, first + TIMEOUT_S * 1000 - 100), 0);
	assert_int_equal(exch_tick(&X, first + TIMEOUT_S * 1000), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	exch_fini(&X);
}

/* IKE_SA_INIT and IKE_AUTH of a fresh client: one more SA on the shard. */
static void
handshake_another(void)
{
	ike_init_client_fini(&X.c);
	X.n_child_ev = 0;	       /* the harness keeps only the last few */
	X.cfg.initial_contact = false; /* it would delete the SAs of the same identity */
	assert_int_equal(ike_init_client_init(&X.c, &X.cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&X.c, &X.local, &X.remote);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ESTABLISHED);
}

/*
 * MANY SAs set up in the same millisecond: their probes are spread over the
 * quarter delay by SPI, and never more than CAP leave in one millisecond,
 * even when the timers are run late and all are due at once.
 */
static void
test_probes_spread(void **state)
{
	uint64_t t, ms_with_probes = 0;
	unsigned n;

	(void)state;
	start(DELAY_S);
	for (unsigned i = 0; i < MANY; i++)
		handshake_another();
	assert_int_equal(ike_shard_nb_sas(X.shard), MANY);
	/* On time, every millisecond: spread by SPI (first probes, and resends 2 s later). */
	for (t = NOW_MS + DELAY_S * 1000; t <= NOW_MS + PROBE_BY_MS; t++) {
		n = exch_tick(&X, t);
		assert_true(n <= CAP);
		ms_with_probes += n != 0;
	}
	assert_int_equal(exch_ctr(&X, "dpd_probes_sent"), MANY);
	assert_true(ms_with_probes > MANY / 2);
	/* Nobody answers; the timers now run 5 s late, with every resend due at once. */
	t += 5000;
	assert_int_equal(exch_tick(&X, t), CAP);
	assert_true(exch_ctr(&X, "dpd_probes_deferred") > 0);
	for (unsigned i = 0; i < 2 * MANY / CAP; i++)
		assert_true(exch_tick(&X, ++t) <= CAP);
	assert_true(exch_ctr(&X, "dpd_probes_resent") >= MANY);
	assert_int_equal(ike_shard_nb_sas(X.shard), MANY);
	exch_fini(&X);
}

/* dpd_delay_s = 0: no probes however long the peer is silent. */
static void
test_off(void **state)
{
	(void)state;
	start(0);
	exch_handshake(&X);
	assert_int_equal(tick_until_sent(NOW_MS, NOW_MS + 300000), 0);
	assert_int_equal(exch_ctr(&X, "dpd_probes_sent"), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	exch_fini(&X);
}

/*
 * An SA keeps 32-bit ms times (lib/core/ike_timers.c). Idle since just
 * before the clock's low 32 bits wrap, it is probed after the delay, and
 * resent to and removed at the timeout after the wrap, as anywhere else.
 */
#define WRAP_MS ((uint64_t)400 << 32) /* 2024-06-10 in unix ms; low 32 bits 0 */

static void
test_clock_wrap(void **state)
{
	uint64_t t0 = WRAP_MS - 3000, first, t;
	unsigned sends = 1;

	(void)state;
	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	X.core_cfg.dpd_delay_s = DELAY_S;
	X.core_cfg.dpd_timeout_s = TIMEOUT_S;
	X.core_cfg.dpd_probes_per_ms = CAP;
	X.now_ms = t0;
	exch_start(&X);
	exch_handshake(&X);
	assert_int_equal(tick_until_sent(t0, t0 + DELAY_S * 1000 - 100), 0);
	first = tick_until_sent(t0 + DELAY_S * 1000, t0 + PROBE_BY_MS);
	assert_int_not_equal(first, 0);
	for (t = first + 100; t < first + TIMEOUT_S * 1000; t += 100)
		if (exch_tick(&X, t) != 0) {
			assert_true(t - first == 2000 || t - first == 6000 || t - first == 14000);
			sends++;
		}
	assert_int_equal(sends, 4);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(exch_tick(&X, first + TIMEOUT_S * 1000), 0);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(exch_ctr(&X, "dpd_sa_deleted"), 1);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silent_peer_deleted),
		cmocka_unit_test(test_answering_peer_kept),
		cmocka_unit_test(test_traffic_and_forged_answer),
		cmocka_unit_test(test_probes_spread),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_clock_wrap),
	};

	return cmocka_run_group_tests(tests, exch_ticket_setup, exch_ticket_teardown);
}
