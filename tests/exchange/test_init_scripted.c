/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The initiator (lib/initiator) against the scripted responder of
 * script_resp.c, message by message, with real crypto (OpenSSL for key
 * exchange and random, ipsec-mb for PRFs and SK payloads).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_initiator.h"
#include "script_resp.h"

#define BUF 4096

static struct cry_ops ops;
static const uint8_t psk[] = "a shared secret of the tests";
static const uint8_t idi[] = "client-1@example.net";
static const uint8_t idr[] = "gw.example.net";

struct t {
	struct ike_client_cfg cfg;
	struct ike_client c;
	struct ike_client_hs hs;
	struct sresp r;
	uint8_t req[BUF], resp[BUF];
	size_t req_len, resp_len;
};

static void
ts_any4(struct ike_init_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 65535;
	memset(ts->end, 0xff, 4);
}

static void
setup_suite(struct t *t, uint16_t encr, uint16_t bits, uint16_t prf, uint16_t integ, uint16_t ke)
{
	memset(t, 0, sizeof(*t));
	t->cfg.ike = (struct ike_transforms){encr, bits, prf, integ, ke};
	t->cfg.esp = (struct ike_transforms){encr, bits, 0, integ, IKE_KE_NONE};
	t->cfg.cred = (struct ike_init_cred){IKE_ID_RFC822_ADDR, sizeof(idi) - 1, idi, psk,
					     sizeof(psk) - 1};
	t->cfg.initial_contact = true;
	ts_any4(&t->cfg.tsi);
	ts_any4(&t->cfg.tsr);
	t->r.ops = &ops;
	t->r.psk = psk;
	t->r.psk_len = sizeof(psk) - 1;
	t->r.idr_type = IKE_ID_FQDN;
	t->r.idr = idr;
	t->r.idr_len = sizeof(idr) - 1;
	assert_int_equal(ike_init_client_init(&t->c, &t->cfg, &ops), IKE_INIT_R_DONE);
}

static struct t T;

static void
setup_default(struct t *t)
{
	setup_suite(t, IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE,
		    IKE_KE_CURVE25519);
}

/* --> request, <-- answer of the script (fn), initiator consumes it. */
static enum ike_init_result
exchange_sa_init(struct t *t)
{
	enum ike_init_result res;
	size_t len;

	assert_int_equal(sresp_sa_init(&t->r, t->req, t->req_len, t->resp, BUF, &t->resp_len), 0);
	res = ike_init_recv(&t->c, t->resp, t->resp_len, t->req, BUF, &len);
	t->req_len = len;
	return res;
}

static enum ike_init_result
exchange_auth(struct t *t)
{
	size_t len;

	assert_int_equal(sresp_auth(&t->r, t->req, t->req_len, t->resp, BUF, &t->resp_len), 0);
	return ike_init_recv(&t->c, t->resp, t->resp_len, t->req, BUF, &len);
}

static void
assert_sk_keys_eq(const struct cry_sk_keys *a, const struct cry_sk_keys *b)
{
	assert_int_equal(a->cipher, b->cipher);
	assert_int_equal(a->integ, b->integ);
	assert_int_equal(a->enc_key_len, b->enc_key_len);
	assert_int_equal(a->integ_key_len, b->integ_key_len);
	assert_memory_equal(a->enc_key, b->enc_key, a->enc_key_len);
	assert_memory_equal(a->salt, b->salt, sizeof(a->salt));
	assert_memory_equal(a->integ_key, b->integ_key, a->integ_key_len);
}

/* Full handshake; the script checks the initiator's AUTH, the initiator the script's. */
static void
handshake(struct t *t)
{
	/* HDR, SAi1, KEi, Ni --> */
	assert_int_equal(ike_init_start(&t->c, &t->hs, t->req, BUF, &t->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(t->c.state, IKE_INIT_S_SA_INIT_SENT);
	/* <-- HDR, SAr1, KEr, Nr;  HDR, SK {IDi, N(INITIAL_CONTACT), AUTH, SAi2, TSi, TSr} --> */
	assert_int_equal(exchange_sa_init(t), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(t->c.state, IKE_INIT_S_AUTH_SENT);
	assert_true(t->c.spi_r == t->r.spi_r);
	/* <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr, N(AUTH_LIFETIME)} */
	assert_int_equal(exchange_auth(t), IKE_INIT_R_ESTABLISHED);
	assert_true(t->r.initiator_auth_ok);
	assert_true(t->r.saw_initial_contact);
	assert_int_equal(t->r.idi_type, IKE_ID_RFC822_ADDR);
	assert_int_equal(t->r.idi_len, sizeof(idi) - 1);
	assert_memory_equal(t->r.idi, idi, sizeof(idi) - 1);
	assert_int_equal(t->c.state, IKE_INIT_S_ESTABLISHED);
	assert_null(t->c.hs);
	assert_int_equal(t->c.child.spi_in, t->r.child_spi_i);
	assert_int_equal(t->c.child.spi_out, t->r.child_spi_r);
	assert_sk_keys_eq(&t->c.child.keys.init_to_resp, &t->r.child.init_to_resp);
	assert_sk_keys_eq(&t->c.child.keys.resp_to_init, &t->r.child.resp_to_init);
	assert_int_equal(t->c.msg_id, 2);
}

static void
run_suite(uint16_t encr, uint16_t bits, uint16_t prf, uint16_t integ, uint16_t ke)
{
	setup_suite(&T, encr, bits, prf, integ, ke);
	T.r.auth_lifetime = 3600;
	handshake(&T);
	assert_int_equal(T.r.ike.ke, ke);
	assert_int_equal(T.r.ike.encr, encr);
	assert_int_equal(T.c.auth_lifetime_s, 3600);
	ike_init_client_fini(&T.c);
}

static void
test_x25519_gcm256_sha256(void **state)
{
	(void)state;
	run_suite(IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE,
		  IKE_KE_CURVE25519);
}

static void
test_ecp256_cbc128_sha256(void **state)
{
	(void)state;
	run_suite(IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
		  IKE_KE_ECP256);
}

static void
test_modp2048(void **state)
{
	(void)state;
	run_suite(IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
		  IKE_KE_MODP2048);
}

static void
test_ecp384_sha384(void **state)
{
	(void)state;
	run_suite(IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_384, IKE_INTEG_NONE, IKE_KE_ECP384);
}

/* The responder's AUTH made with another PSK must be refused. */
static void
test_responder_wrong_psk(void **state)
{
	static const uint8_t other[] = "not the shared secret";

	(void)state;
	setup_default(&T);
	T.r.psk = other;
	T.r.psk_len = sizeof(other) - 1;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_auth(&T), IKE_INIT_R_PEER_AUTH_BAD);
	assert_false(T.r.initiator_auth_ok);
	assert_int_equal(T.c.state, IKE_INIT_S_FAILED);
	assert_int_equal(T.c.fail, IKE_INIT_R_PEER_AUTH_BAD);
	assert_null(T.c.hs);
}

/* <-- HDR, SK {N(AUTHENTICATION_FAILED)} */
static void
test_authentication_failed_received(void **state)
{
	(void)state;
	setup_default(&T);
	T.r.auth_error = IKE_N_AUTHENTICATION_FAILED;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_auth(&T), IKE_INIT_R_AUTH_FAILED_RECEIVED);
	assert_int_equal(T.c.state, IKE_INIT_S_FAILED);
}

/* <-- HDR(A,0), N(NO_PROPOSAL_CHOSEN) */
static void
test_no_proposal_chosen(void **state)
{
	(void)state;
	setup_default(&T);
	T.r.sa_init_error = IKE_N_NO_PROPOSAL_CHOSEN;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_NO_PROPOSAL_CHOSEN);
	assert_int_equal(T.c.state, IKE_INIT_S_FAILED);
}

/* RFC 6023 3: childless asked for, the responder does not announce it: no IKE_AUTH. */
static void
test_childless_unsupported(void **state)
{
	(void)state;
	setup_default(&T);
	T.cfg.childless = true;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_CHILDLESS_UNSUPPORTED);
	assert_int_equal(T.c.state, IKE_INIT_S_FAILED);
}

/* A responder that picks a PRF we did not offer is refused. */
static void
test_unoffered_transform(void **state)
{
	(void)state;
	setup_default(&T);
	T.r.swap_prf = IKE_PRF_HMAC_SHA2_512;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_PROPOSAL_MISMATCH);
}

/* TSr wider than what we asked for (RFC 7296 2.9: only narrowing is allowed). */
static void
test_widened_ts(void **state)
{
	(void)state;
	setup_default(&T);
	T.cfg.tsr.end[0] = 0x0a; /* ask 0.0.0.0 - 10.255.255.255 */
	T.r.widen_tsr = true;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_auth(&T), IKE_INIT_R_TS_NOT_NARROWED);
}

/*
 * HDR(A,0), SAi1, KEi, Ni -->  <-- HDR(A,0), N(COOKIE)
 * HDR(A,0), N(COOKIE), SAi1, KEi, Ni -->  (everything else unchanged, RFC 7296 2.6)
 */
static void
test_cookie_retry(void **state)
{
	uint8_t first[BUF];
	size_t first_len;

	(void)state;
	setup_default(&T);
	T.r.send_cookie = true;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	memcpy(first, T.req, T.req_len);
	first_len = T.req_len;
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(T.c.state, IKE_INIT_S_SA_INIT_SENT);
	/* N(COOKIE) of 16 octets in front: 4 + 4 + 16 more octets, the rest identical. */
	assert_int_equal(T.req_len, first_len + 24);
	assert_int_equal(T.req[16], IKE_PLD_NOTIFY);
	assert_memory_equal(T.req + IKE_HDR_LEN + 24, first + IKE_HDR_LEN, first_len - IKE_HDR_LEN);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_auth(&T), IKE_INIT_R_ESTABLISHED);
}

/* <-- HDR(A,0), N(INVALID_KE_PAYLOAD, 19): retry once with KEi of group 19. */
static void
test_invalid_ke_retry(void **state)
{
	(void)state;
	setup_default(&T);
	T.cfg.ike_ke_alt[0] = IKE_KE_ECP256;
	T.r.want_group = IKE_KE_ECP256;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(T.c.ke_group, IKE_KE_ECP256);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(T.r.ike.ke, IKE_KE_ECP256);
	assert_int_equal(exchange_auth(&T), IKE_INIT_R_ESTABLISHED);
}

/* INVALID_KE_PAYLOAD naming a group we did not offer ends the attempt. */
static void
test_invalid_ke_unsupported(void **state)
{
	(void)state;
	setup_default(&T);
	T.r.want_group = IKE_KE_MODP1024;
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_PROPOSAL_MISMATCH);
}

/* A flipped ICV octet is dropped; the genuine answer still establishes the SA. */
static void
test_bad_icv_dropped(void **state)
{
	uint8_t copy[BUF];
	size_t len;

	(void)state;
	setup_default(&T);
	assert_int_equal(ike_init_start(&T.c, &T.hs, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exchange_sa_init(&T), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(sresp_auth(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len), 0);
	memcpy(copy, T.resp, T.resp_len);
	copy[T.resp_len - 1] ^= 0x01;
	assert_int_equal(ike_init_recv(&T.c, copy, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_BAD_ICV);
	assert_int_equal(T.c.state, IKE_INIT_S_AUTH_SENT);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_ESTABLISHED);
}

/* HDR, SK {} --> <-- HDR, SK {};  HDR, SK {D(ESP)} --> <-- HDR, SK {D(ESP)};  D(IKE). */
static void
test_liveness_and_deletes(void **state)
{
	unsigned n_del;
	size_t len;

	(void)state;
	setup_default(&T);
	handshake(&T);
	assert_int_equal(ike_init_req_liveness(&T.c, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(T.c.state, IKE_INIT_S_REQ_SENT);
	assert_int_equal(sresp_info(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len, &n_del), 0);
	assert_int_equal(n_del, 0);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_DONE);
	assert_int_equal(T.c.msg_id, 3);
	/* The same answer again is a late duplicate. */
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_IGNORED);

	assert_int_equal(ike_init_req_delete_child(&T.c, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(sresp_info(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len, &n_del), 0);
	assert_int_equal(n_del, 1);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_DONE);
	assert_false(T.c.has_child);

	assert_int_equal(ike_init_req_delete_ike(&T.c, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(sresp_info(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len, &n_del), 0);
	assert_int_equal(n_del, 1);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_CLOSED);
	assert_int_equal(T.c.state, IKE_INIT_S_CLOSED);
}

/* CREATE_CHILD_SA {SA, Ni, TSi, TSr}, then a rekey followed by the old SA's DELETE. */
static void
test_new_and_rekeyed_child(void **state)
{
	uint32_t old_spi;
	unsigned n_del;
	size_t len;

	(void)state;
	setup_default(&T);
	handshake(&T);
	assert_int_equal(ike_init_req_new_child(&T.c, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(sresp_new_child(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len), 0);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_DONE);
	assert_int_equal(T.c.child.spi_in, T.r.child_spi_i);
	assert_sk_keys_eq(&T.c.child.keys.init_to_resp, &T.r.child.init_to_resp);
	assert_sk_keys_eq(&T.c.child.keys.resp_to_init, &T.r.child.resp_to_init);

	old_spi = T.c.child.spi_in;
	assert_int_equal(ike_init_req_rekey_child(&T.c, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(sresp_new_child(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len), 0);
	/* <-- answer; --> HDR, SK {D(ESP, old SPI)} */
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_not_equal(T.c.child.spi_in, old_spi);
	assert_sk_keys_eq(&T.c.child.keys.init_to_resp, &T.r.child.init_to_resp);
	assert_int_equal(T.c.req, IKE_INIT_REQ_DELETE_CHILD);
	assert_int_equal(sresp_info(&T.r, T.req, T.req_len, T.resp, BUF, &T.resp_len, &n_del), 0);
	assert_int_equal(n_del, 1);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &len),
			 IKE_INIT_R_DONE);
	assert_true(T.c.has_child); /* the new Child SA stays */
	assert_int_equal(T.c.state, IKE_INIT_S_ESTABLISHED);
}

/*
 * Requests of the responder:
 *   <-- HDR, SK {N(AUTH_LIFETIME)}          HDR, SK {} -->
 *   <-- HDR, SK {D(ESP, SPIr)}              HDR, SK {D(ESP, SPIi)} -->   (and again: retransmit)
 *   <-- HDR, SK {D(IKE)}                    HDR, SK {} -->
 */
static void
test_responder_requests(void **state)
{
	uint32_t spi_in, del_spi;
	unsigned n_del;

	(void)state;
	setup_default(&T);
	handshake(&T);
	spi_in = T.c.child.spi_in;
	assert_int_equal(sresp_request(&T.r, 0, false, false, 600, T.resp, BUF, &T.resp_len), 0);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(T.c.auth_lifetime_s, 600);
	assert_int_equal(sresp_open_answer(&T.r, T.req, T.req_len, 0, &n_del, &del_spi), 0);
	assert_int_equal(n_del, 0);

	assert_int_equal(sresp_request(&T.r, 1, true, false, 0, T.resp, BUF, &T.resp_len), 0);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_RESPONSE);
	assert_false(T.c.has_child);
	assert_int_equal(sresp_open_answer(&T.r, T.req, T.req_len, 1, &n_del, &del_spi), 0);
	assert_int_equal(n_del, 1);
	assert_int_equal(del_spi, spi_in);
	/* A request with an old Message ID far behind is ignored; one ahead too. */
	assert_int_equal(sresp_request(&T.r, 5, false, false, 0, T.resp, BUF, &T.resp_len), 0);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &T.req_len),
			 IKE_INIT_R_IGNORED);

	assert_int_equal(sresp_request(&T.r, 2, false, true, 0, T.resp, BUF, &T.resp_len), 0);
	assert_int_equal(ike_init_recv(&T.c, T.resp, T.resp_len, T.req, BUF, &T.req_len),
			 IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(T.c.state, IKE_INIT_S_CLOSED);
	assert_int_equal(sresp_open_answer(&T.r, T.req, T.req_len, 2, &n_del, &del_spi), 0);
}

static int
setup_crypto(void **state)
{
	static struct cry_openssl *ossl;
	static struct cry_ipsecmb *imb;

	(void)state;
	ossl = cry_openssl_create();
	imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (ossl == NULL || imb == NULL)
		return -1;
	cry_openssl_bind(ossl, &ops);
	cry_ipsecmb_bind(imb, &ops);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x25519_gcm256_sha256),
		cmocka_unit_test(test_ecp256_cbc128_sha256),
		cmocka_unit_test(test_modp2048),
		cmocka_unit_test(test_ecp384_sha384),
		cmocka_unit_test(test_responder_wrong_psk),
		cmocka_unit_test(test_authentication_failed_received),
		cmocka_unit_test(test_no_proposal_chosen),
		cmocka_unit_test(test_childless_unsupported),
		cmocka_unit_test(test_unoffered_transform),
		cmocka_unit_test(test_widened_ts),
		cmocka_unit_test(test_cookie_retry),
		cmocka_unit_test(test_invalid_ke_retry),
		cmocka_unit_test(test_invalid_ke_unsupported),
		cmocka_unit_test(test_bad_icv_dropped),
		cmocka_unit_test(test_liveness_and_deletes),
		cmocka_unit_test(test_new_and_rekeyed_child),
		cmocka_unit_test(test_responder_requests),
	};

	return cmocka_run_group_tests_name("initiator-scripted", tests, setup_crypto, NULL);
}
