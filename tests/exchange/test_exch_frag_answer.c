/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests: answers to the core's own requests that come as RFC 7383
 * Encrypted Fragment messages, lib/core against lib/initiator in-process.
 * The client (which announced IKEV2_FRAGMENTATION_SUPPORTED) answers; the
 * test cuts its answer with ike_init_fragment() and hands the fragments to
 * the shard one burst each, out of order:
 *   <-- CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, KEi, TSi, TSr}   (our rekey)
 *       SKF(3/3), SKF(1/3), SKF(2/3) {SA, Nr, KEr, TSi, TSr} -->
 *   <-- INFORMATIONAL {D(ESP, old)}
 *       SKF(1/1) {D(ESP)} -->
 * the same for an IKE_FOLLOWUP_KE answer (RFC 9370) and a DPD probe's
 * answer, a fragmented request of the client's reassembled at the same
 * time, and the refusals: fragments from a client that did not announce
 * fragmentation, fragments of an answer to no request of ours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"
#include "exch_requests.h"
#include "ike_wire.h"

#define NOW_MS 1000000ull
#define TIMEOUT_S 20u
#define FRAG_SIZE 128
#define MAX_FRAGS IKE_INIT_FRAG_MAX

static struct exch X;
static struct ike_init_followup FU;
static struct ike_init_frag_buf frag_buf;

static const struct ike_suite_cfg ike_suite = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					       IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg esp_pfs = {IKE_ENCR_AES_CBC, 128, 0, IKE_INTEG_HMAC_SHA2_256_128,
					     IKE_KE_ECP256};

/* A message of the client cut into fragments. */
struct cut {
	uint8_t data[MAX_FRAGS * FRAG_SIZE * 2];
	uint16_t len[MAX_FRAGS];
	unsigned n;
};

static struct cut answer, request;

/*
 * A responder (DPD every delay_s, 0: none) and an established client;
 * frag: the client announces fragmentation; fu: it runs RFC 9370
 * additional exchanges (ADDKE1 ECP384 in both ESP proposals).
 */
static void
start(uint32_t delay_s, bool frag, bool fu)
{
	exch_init(&X, &ike_suite, &esp_pfs, NULL, 0);
	X.core_cfg.dpd_delay_s = delay_s;
	X.core_cfg.dpd_timeout_s = TIMEOUT_S;
	X.now_ms = NOW_MS;
	X.cfg.fragmentation = frag;
	memset(&FU, 0, sizeof(FU));
	if (fu)
		exch_addke(&X, true, 1, IKE_KE_ECP384, false);
	exch_start(&X);
	ike_init_set_frag_buf(&X.c, &frag_buf);
	if (fu)
		ike_init_set_followup(&X.c, &FU);
	exch_handshake(&X);
	assert_true(X.c.has_child);
}

/* X.req (a message of the client's) cut into fragments of FRAG_SIZE octets at most. */
static void
cut(struct cut *c)
{
	assert_int_equal(ike_init_fragment(&X.c, X.req, X.req_len, FRAG_SIZE, c->data,
					   sizeof(c->data), c->len, &c->n),
			 IKE_INIT_R_SEND_REQUEST);
}

/* Fragment i of c to the shard in a burst of its own; returns the messages it sent. */
static unsigned
send_frag(const struct cut *c, unsigned i)
{
	size_t off = 0;

	for (unsigned k = 0; k < i; k++)
		off += c->len[k];
	memcpy(X.req, c->data + off, c->len[i]);
	X.req_len = c->len[i];
	return exch_to_responder(&X);
}

/* Every fragment of c, last first; returns what the shard sent for the last one it got. */
static unsigned
send_reversed(const struct cut *c)
{
	unsigned sent = 0;

	for (unsigned i = c->n; i-- > 0;) {
		sent = send_frag(c, i);
		if (i != 0)
			assert_int_equal(sent, 0);
	}
	return sent;
}

/* The core's request in X.tx[0] to the client; its answer cut into `answer`. */
static void
answer_cut(const struct ike_tx *t)
{
	assert_int_equal(exch_to_client(&X, t), IKE_INIT_R_SEND_RESPONSE);
	cut(&answer);
}

/* Our rekey answered in fragments: the new SA in (keys agree), the DELETE out. */
static void
test_rekey_answer(void **state)
{
	uint64_t kept;
	uint32_t old_in;

	(void)state;
	start(0, true, false);
	old_in = X.c.child.spi_out;
	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, old_in), 1);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_CREATE_CHILD_SA);
	answer_cut(&X.tx[0]);
	assert_true(answer.n >= 3);
	assert_int_equal(send_reversed(&answer), 1);
	assert_int_equal(exch_ctr(&X, "frag_kept"), answer.n - 1);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	assert_int_equal(X.n_child_ev, 1);
	assert_int_equal(exch_last_child_ev(&X)->replaces_spi_in, old_in);
	exch_assert_child_keys(&X);
	/* A fragment of the answer again (the client resent it): no longer expected. */
	kept = exch_ctr(&X, "frag_kept");
	exch_assert_request(&X, X.resp, IKE_EXCH_INFORMATIONAL);
	memcpy(X.tx[0].data, X.resp, X.resp_len);
	X.tx[0].len = X.resp_len;
	assert_int_equal(send_frag(&answer, 1), 0);
	assert_int_equal(exch_ctr(&X, "frag_kept"), kept);
	/* The DELETE's answer in one Encrypted Fragment: the old SA goes. */
	answer_cut(&X.tx[0]);
	assert_int_equal(answer.n, 1);
	assert_int_equal(send_frag(&answer, 0), 0);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 2);
	assert_int_equal(exch_ctr(&X, "child_rekey_old_deleted"), 1);
	assert_false(exch_last_child_ev(&X)->install);
	assert_int_equal(exch_last_child_ev(&X)->spi_in, old_in);
	exch_fini(&X);
}

/* RFC 9370: the CREATE_CHILD_SA and the IKE_FOLLOWUP_KE answers both in fragments. */
static void
test_followup_answer(void **state)
{
	(void)state;
	start(0, true, true);
	X.n_child_ev = 0;
	assert_int_equal(exch_soft(&X, X.c.child.spi_out), 1);
	answer_cut(&X.tx[0]);
	assert_int_equal(send_reversed(&answer), 1);
	exch_assert_request(&X, X.resp, IKE_EXCH_IKE_FOLLOWUP_KE);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_started"), 1);
	memcpy(X.tx[0].data, X.resp, X.resp_len);
	X.tx[0].len = X.resp_len;
	answer_cut(&X.tx[0]);
	assert_true(answer.n >= 2);
	assert_int_equal(send_reversed(&answer), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_followup_ok"), 1);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 2);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	exch_assert_child_keys(&X);
	exch_assert_request(&X, X.resp, IKE_EXCH_INFORMATIONAL);
	exch_fini(&X);
}

/* A DPD probe's (empty) answer as one Encrypted Fragment counts as the answer. */
static void
test_dpd_answer(void **state)
{
	uint64_t t;

	(void)state;
	start(10, true, false);
	for (t = X.now_ms + 100; exch_tick(&X, t) == 0; t += 100)
		assert_true(t < X.now_ms + 20000);
	exch_assert_request(&X, X.tx[0].data, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(exch_ctr(&X, "dpd_probes_sent"), 1);
	answer_cut(&X.tx[0]);
	assert_int_equal(answer.n, 1);
	assert_int_equal(send_frag(&answer, 0), 0);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 1);
	assert_int_equal(exch_ctr(&X, "dpd_probes_answered"), 1);
	/* Answered: no resend, and the SA stays past the timeout. */
	assert_int_equal(exch_tick(&X, t + 5000), 0);
	assert_int_equal(exch_ctr(&X, "dpd_probes_resent"), 0);
	exch_fini(&X);
}

/*
 * The client's own fragmented request (a new Child SA) and the fragments
 * of its answer to our rekey, interleaved: each reassembled in its own
 * slot, neither restarts the other.
 */
static void
test_interleaved_with_request(void **state)
{
	unsigned i;

	(void)state;
	start(0, true, false);
	assert_int_equal(exch_soft(&X, X.c.child.spi_out), 1);
	answer_cut(&X.tx[0]);
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	cut(&request);
	assert_true(answer.n >= 2 && request.n >= 2);
	for (i = 0; i + 1 < answer.n || i + 1 < request.n; i++) {
		if (i + 1 < answer.n)
			assert_int_equal(send_frag(&answer, i), 0);
		if (i + 1 < request.n)
			assert_int_equal(send_frag(&request, i), 0);
	}
	/* The last of each: the rekey's DELETE goes out, the request is answered. */
	assert_int_equal(send_frag(&answer, answer.n - 1), 1);
	exch_assert_request(&X, X.resp, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	assert_int_equal(send_frag(&request, request.n - 1), 1);
	assert_int_equal(X.resp[18], IKE_EXCH_CREATE_CHILD_SA);
	assert_true(X.resp[19] & IKE_HDR_F_RESPONSE);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 2);
	assert_int_equal(exch_ctr(&X, "frag_reassembly_restarted"), 0);
	assert_int_equal(exch_ctr(&X, "frag_kept"), answer.n + request.n - 2);
	exch_fini(&X);
}

/* No fragmentation announced: the fragments are dropped; the whole answer still counts. */
static void
test_not_negotiated(void **state)
{
	uint8_t whole[EXCH_BUF];
	size_t whole_len;

	(void)state;
	start(0, false, false);
	assert_int_equal(exch_soft(&X, X.c.child.spi_out), 1);
	answer_cut(&X.tx[0]);
	memcpy(whole, X.req, X.req_len);
	whole_len = X.req_len;
	assert_int_equal(send_reversed(&answer), 0);
	assert_int_equal(exch_ctr(&X, "drop_skf_unsupported"), answer.n);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 0);
	memcpy(X.req, whole, whole_len);
	X.req_len = whole_len;
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 1);
	exch_fini(&X);
}

/* Fragments of an answer with no request of ours outstanding: dropped before any is kept. */
static void
test_unexpected_answer(void **state)
{
	(void)state;
	start(0, true, false);
	assert_int_equal(exch_soft(&X, X.c.child.spi_out), 1);
	answer_cut(&X.tx[0]);
	/* Another message ID than the one outstanding. */
	for (unsigned i = 0; i < answer.n; i++) {
		uint8_t *frag = answer.data;

		for (unsigned k = 0; k < i; k++)
			frag += answer.len[k];
		ike_put_u32(frag + 20, ike_get_u32(frag + 20) + 1);
	}
	assert_int_equal(send_reversed(&answer), 0);
	assert_int_equal(exch_ctr(&X, "rx_response"), answer.n);
	assert_int_equal(exch_ctr(&X, "frag_kept"), 0);
	assert_int_equal(exch_ctr(&X, "child_rekey_done"), 0);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rekey_answer),
		cmocka_unit_test(test_followup_answer),
		cmocka_unit_test(test_dpd_answer),
		cmocka_unit_test(test_interleaved_with_request),
		cmocka_unit_test(test_not_negotiated),
		cmocka_unit_test(test_unexpected_answer),
	};

	return cmocka_run_group_tests(tests, exch_crypto_setup, exch_crypto_teardown);
}
