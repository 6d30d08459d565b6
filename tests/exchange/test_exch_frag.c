/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests: RFC 7383 IKE fragmentation between the initiator
 * (lib/initiator) and the responder core in-process. Fragmented requests
 * (in order, reversed, with a fragment lost and sent again, duplicated),
 * fragmented responses at the configured fragment_size and their
 * retransmission from the cache (all fragments, only for fragment 1 of a
 * retransmitted request), IKE_INTERMEDIATE with additional key exchanges
 * fragmented both ways (IntAuth over the reassembled messages), and
 * fragments from a peer that did not negotiate fragmentation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_harness.h"

#define MAX_DGRAMS IKE_INIT_FRAG_MAX

static struct exch X;
static struct ike_init_frag_buf frag_buf;

static const struct ike_suite_cfg ike_gcm = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					     IKE_INTEG_NONE, IKE_KE_CURVE25519};
static const struct ike_suite_cfg ike_cbc = {IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_256,
					     IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};
static const struct ike_suite_cfg esp_gcm = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};

/* The request cut into fragments, and the responder's datagrams of the last burst. */
static uint8_t frags[MAX_DGRAMS * 1500];
static uint16_t frag_len[MAX_DGRAMS];
static unsigned n_frags;
static uint8_t resp[MAX_DGRAMS][EXCH_BUF];
static size_t resp_len[MAX_DGRAMS];
static unsigned n_resp;

/* Datagrams (copies) to the shard in one burst; its datagrams land in resp[]. */
static unsigned
send_dgrams(const uint8_t *const *d, const size_t *len, unsigned n)
{
	static uint8_t copy[MAX_DGRAMS][EXCH_BUF];
	struct ike_rx rx[MAX_DGRAMS];
	struct ike_tx tx[MAX_DGRAMS];

	memset(rx, 0, sizeof(rx));
	memset(tx, 0, sizeof(tx));
	for (unsigned i = 0; i < n; i++) {
		memcpy(copy[i], d[i], len[i]);
		rx[i].data = copy[i];
		rx[i].len = (uint16_t)len[i];
		exch_rx_addrs(&X, &rx[i]);
	}
	for (unsigned i = 0; i < MAX_DGRAMS; i++) {
		tx[i].data = resp[i];
		tx[i].cap = sizeof(resp[i]);
	}
	n_resp = ike_shard_rx_burst(X.shard, rx, n, tx, MAX_DGRAMS, X.now_ms);
	for (unsigned i = 0; i < n_resp; i++) {
		/* tx[] entries may have been swapped: take each by its buffer. */
		if (tx[i].data != resp[i])
			memcpy(resp[i], tx[i].data, tx[i].len);
		resp_len[i] = tx[i].len;
	}
	return n_resp;
}

/* The client's request, whole. */
static unsigned
send_req(void)
{
	const uint8_t *d = X.req;
	size_t len = X.req_len;

	return send_dgrams(&d, &len, 1);
}

/* The client's request cut at size; returns the number of fragments. */
static unsigned
cut_req(size_t size)
{
	assert_int_equal(ike_init_fragment(&X.c, X.req, X.req_len, size, frags, sizeof(frags),
					   frag_len, &n_frags),
			 IKE_INIT_R_SEND_REQUEST);
	for (unsigned i = 0; i < n_frags; i++)
		assert_true(frag_len[i] <= size);
	return n_frags;
}

/* Fragments by index (order[] of k), each in a burst of its own. */
static unsigned
send_frags(const unsigned *order, unsigned k)
{
	unsigned total = 0;

	for (unsigned j = 0; j < k; j++) {
		size_t off = 0, len;
		const uint8_t *d;

		for (unsigned i = 0; i < order[j]; i++)
			off += frag_len[i];
		d = frags + off;
		len = frag_len[order[j]];
		total = send_dgrams(&d, &len, 1);
	}
	return total;
}

/* resp[] to the client in order; the result of the last one. */
static enum ike_init_result
to_client(void)
{
	enum ike_init_result r = IKE_INIT_R_IGNORED;
	size_t len = 0;

	for (unsigned i = 0; i < n_resp; i++) {
		r = ike_init_recv(&X.c, resp[i], resp_len[i], X.req, sizeof(X.req), &len);
		if (len != 0)
			X.req_len = len;
		if (i + 1 < n_resp)
			assert_int_equal(r, IKE_INIT_R_IGNORED);
	}
	return r;
}

static void
setup(const struct ike_suite_cfg *ike, uint32_t fragment_size)
{
	exch_init(&X, ike, &esp_gcm, NULL, 0);
	X.core_cfg.fragment_size = fragment_size;
	X.cfg.fragmentation = true;
	exch_start(&X);
	ike_init_set_frag_buf(&X.c, &frag_buf);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(send_req(), 1);
	assert_int_equal(to_client(), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	assert_true(X.hs.frag_ok);
}

/* IKE_AUTH whole; its response in fragments of at most 256 octets. */
static void
test_response_fragmented(void **state)
{
	(void)state;
	setup(&ike_gcm, 128);
	assert_true(send_req() > 1);
	for (unsigned i = 0; i < n_resp; i++)
		assert_true(resp_len[i] <= 128);
	assert_int_equal(exch_ctr(&X, "frag_tx_messages"), 1);
	assert_int_equal(exch_ctr(&X, "frag_tx_fragments"), n_resp);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* The same with AES-CBC + HMAC (16-octet IV, padding, 16-octet ICV in every fragment). */
static void
test_response_fragmented_cbc(void **state)
{
	(void)state;
	setup(&ike_cbc, 160);
	assert_true(send_req() > 1);
	for (unsigned i = 0; i < n_resp; i++)
		assert_true(resp_len[i] <= 160);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* IKE_AUTH in fragments (reversed order), the response whole at the default size. */
static void
test_request_fragmented(void **state)
{
	unsigned order[MAX_DGRAMS], n;

	(void)state;
	setup(&ike_cbc, 0);
	n = cut_req(200);
	assert_true(n > 1);
	for (unsigned i = 0; i < n; i++)
		order[i] = n - 1 - i;
	assert_int_equal(send_frags(order, n), 1);
	assert_int_equal(exch_ctr(&X, "frag_kept"), n - 1);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 1);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/*
 * A fragment lost, then the whole request again: answered once complete;
 * a duplicate fragment is dropped; after the answer, only fragment 1 of a
 * retransmission brings the whole (fragmented) response again.
 */
static void
test_lost_duplicate_retransmit(void **state)
{
	uint8_t first[MAX_DGRAMS][EXCH_BUF];
	size_t first_len[MAX_DGRAMS];
	unsigned n, n_first, all[MAX_DGRAMS];

	(void)state;
	setup(&ike_gcm, 160);
	n = cut_req(140);
	assert_true(n >= 3);
	for (unsigned i = 0; i < n; i++)
		all[i] = i;
	/* Fragment 2 lost. */
	assert_int_equal(send_frags((unsigned[]){0}, 1), 0);
	assert_int_equal(send_frags((unsigned[]){0}, 1), 0);
	assert_int_equal(exch_ctr(&X, "frag_duplicate"), 1);
	assert_int_equal(send_frags(all + 2, n - 2), 0);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 0);
	/* The lost fragment comes again: the message is whole. */
	n_first = send_frags(all + 1, 1);
	assert_true(n_first > 1);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 1);
	assert_int_equal(exch_ctr(&X, "auth_ok"), 1);
	for (unsigned i = 0; i < n_first; i++) {
		memcpy(first[i], resp[i], resp_len[i]);
		first_len[i] = resp_len[i];
	}
	/* The request again: fragment 2 gets nothing, fragment 1 every fragment again. */
	assert_int_equal(send_frags((unsigned[]){1}, 1), 0);
	assert_int_equal(exch_ctr(&X, "frag_retransmit_not_first"), 1);
	assert_int_equal(send_frags((unsigned[]){0}, 1), n_first);
	assert_int_equal(exch_ctr(&X, "retransmit_resent"), 1);
	for (unsigned i = 0; i < n_first; i++) {
		assert_int_equal(resp_len[i], first_len[i]);
		assert_memory_equal(resp[i], first[i], first_len[i]);
	}
	/* A fragment lost on the way back: the client waits, then takes the resent set. */
	n_resp = n_first - 1;
	assert_int_equal(to_client(), IKE_INIT_R_IGNORED);
	assert_int_equal(send_frags((unsigned[]){0}, 1), n_first);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* IKE_INTERMEDIATE with MODP-2048 and ECP-384 additional exchanges, fragmented both ways. */
static void
test_intermediate_fragmented(void **state)
{
	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_addke(&X, false, 1, IKE_KE_MODP2048, false);
	exch_addke(&X, false, 2, IKE_KE_ECP384, false);
	X.core_cfg.fragment_size = 160;
	X.cfg.fragmentation = true;
	X.cfg.intermediate = true;
	X.cfg.intermediate_extra = 1;
	exch_start(&X);
	ike_init_set_frag_buf(&X.c, &frag_buf);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(send_req(), 1);
	assert_int_equal(to_client(), IKE_INIT_R_SEND_REQUEST);
	for (unsigned i = 0; i < 3; i++) {
		unsigned all[MAX_DGRAMS], n;

		assert_int_equal(X.c.state, IKE_INIT_S_INT_SENT);
		/* MODP-2048's KE takes several; the last one is empty: one fragment. */
		n = cut_req(200);
		assert_true(i == 0 ? n > 1 : i == 2 ? n == 1 : n >= 1);
		for (unsigned j = 0; j < n; j++)
			all[j] = j;
		assert_true(send_frags(all, n) >= 1);
		assert_int_equal(to_client(), IKE_INIT_R_SEND_REQUEST);
	}
	assert_int_equal(X.c.state, IKE_INIT_S_AUTH_SENT);
	assert_true(send_req() > 1);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(exch_ctr(&X, "intermediate_ok"), 3);
	assert_int_equal(exch_ctr(&X, "intermediate_addke_ok"), 2);
	assert_true(exch_ctr(&X, "frag_tx_messages") >= 2);
	assert_int_equal(exch_ctr(&X, "frag_reassembled"), 3);
	exch_assert_child_keys(&X);
	exch_fini(&X);
}

/* The initiator did not announce fragmentation: its fragments are dropped, counted. */
static void
test_not_negotiated(void **state)
{
	unsigned all[MAX_DGRAMS], n;

	(void)state;
	exch_init(&X, &ike_gcm, &esp_gcm, NULL, 0);
	exch_start(&X);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(send_req(), 1);
	assert_int_equal(to_client(), IKE_INIT_R_SEND_REQUEST);
	n = cut_req(200);
	assert_true(n > 1);
	for (unsigned j = 0; j < n; j++)
		all[j] = j;
	assert_int_equal(send_frags(all, n), 0);
	assert_int_equal(exch_ctr(&X, "drop_skf_unsupported"), n);
	/* The whole request still works. */
	assert_int_equal(send_req(), 1);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	exch_fini(&X);
}

/* A fragment with a bad ICV is dropped before it is kept; the set still completes. */
static void
test_bad_icv(void **state)
{
	unsigned all[MAX_DGRAMS], n;

	(void)state;
	setup(&ike_gcm, 0);
	n = cut_req(200);
	assert_true(n > 1);
	frags[frag_len[0] - 1] ^= 1; /* fragment 1's ICV */
	assert_int_equal(send_frags((unsigned[]){0}, 1), 0);
	assert_int_equal(exch_ctr(&X, "drop_icv_mismatch"), 1);
	assert_int_equal(exch_ctr(&X, "frag_kept"), 0);
	frags[frag_len[0] - 1] ^= 1;
	for (unsigned j = 0; j < n; j++)
		all[j] = j;
	assert_int_equal(send_frags(all, n), 1);
	assert_int_equal(to_client(), IKE_INIT_R_ESTABLISHED);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_response_fragmented),
		cmocka_unit_test(test_response_fragmented_cbc),
		cmocka_unit_test(test_request_fragmented),
		cmocka_unit_test(test_lost_duplicate_retransmit),
		cmocka_unit_test(test_intermediate_fragmented),
		cmocka_unit_test(test_not_negotiated),
		cmocka_unit_test(test_bad_icv),
	};

	return cmocka_run_group_tests_name("exch-frag", tests, exch_crypto_setup,
					   exch_crypto_teardown);
}
