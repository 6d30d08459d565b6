/* SPDX-License-Identifier: BSD-3-Clause */
/* exch_harness.c - responder shard + initiator client in one process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "exch_harness.h"
#include "ike_ticket_keyring.h"

struct cry_ops exch_ops;
static struct cry_openssl *ossl;
static struct cry_ipsecmb *imb;

static const uint8_t idi[] = "client-1@example.net";
static const uint8_t idr[] = "gw.example.net";
static const uint8_t psk[] = "exchange test shared secret";

const struct ike_suite_cfg exch_ike_x25519_gcm = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
						  IKE_INTEG_NONE, IKE_KE_CURVE25519};
const struct ike_suite_cfg exch_esp_gcm = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};

int
exch_crypto_setup(void **state)
{
	(void)state;
	ossl = cry_openssl_create();
	imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (ossl == NULL || imb == NULL)
		return -1;
	cry_openssl_bind(ossl, &exch_ops);
	cry_ipsecmb_bind(imb, &exch_ops);
	return 0;
}

int
exch_crypto_teardown(void **state)
{
	(void)state;
	cry_ipsecmb_destroy(imb);
	cry_openssl_destroy(ossl);
	return 0;
}

struct ike_ticket_keyring *exch_ring;

int
exch_ticket_setup(void **state)
{
	static const struct ike_ticket_keyring_params p = {.max_lifetime = 7200, .clock_skew = 60};
	uint8_t secret[32];

	if (exch_crypto_setup(state) != 0)
		return -1;
	exch_ring = ike_ticket_keyring_create(&p);
	if (exch_ring == NULL || cry_random(&exch_ops, secret, sizeof(secret)) != IKE_OK ||
	    ike_ticket_keyring_add(exch_ring, 0x5e11e7a1, 0, 1000000, secret) != IKE_OK)
		return -1;
	return 0;
}

int
exch_ticket_teardown(void **state)
{
	ike_ticket_keyring_free(exch_ring);
	exch_ring = NULL;
	return exch_crypto_teardown(state);
}

static void
child_event(void *arg, const struct ike_child_info *child)
{
	struct exch *x = arg;

	assert_true(x->n_child_ev < EXCH_MAX_CHILD_EVENTS);
	x->child_ev[x->n_child_ev++] = *child;
}

static void
addr4(struct ike_addr *a, uint8_t a0, uint8_t a1, uint8_t a2, uint8_t a3, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->port = port;
	a->ip[0] = a0;
	a->ip[1] = a1;
	a->ip[2] = a2;
	a->ip[3] = a3;
}

static void
to_init_addr(struct ike_init_addr *out, const struct ike_addr *in)
{
	memset(out, 0, sizeof(*out));
	out->family = in->family;
	out->port = in->port;
	memcpy(out->ip, in->ip, sizeof(out->ip));
}

static void
ts_all4(struct ike_init_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 65535;
	memset(ts->end, 0xff, 4);
}

void
exch_init(struct exch *x, const struct ike_suite_cfg *ike, const struct ike_suite_cfg *esp,
	  const uint8_t *responder_psk, size_t responder_psk_len)
{
	struct ike_core_cfg *cc = &x->core_cfg;
	struct ike_addr a;

	memset(x, 0, sizeof(*x));
	cc->max_ike_sas = 64;
	cc->max_half_open = 64;
	ike_proposal_cfg_of_suite(&cc->ike_proposals[0], ike, false);
	cc->nb_ike_proposals = 1;
	ike_proposal_cfg_of_suite(&cc->esp_proposals[0], esp, true);
	cc->nb_esp_proposals = 1;
	cc->local_id_type = IKE_ID_FQDN;
	cc->local_id_len = sizeof(idr) - 1;
	memcpy(cc->local_id, idr, sizeof(idr) - 1);
	x->peer.id_type = IKE_ID_RFC822_ADDR;
	x->peer.id_len = sizeof(idi) - 1;
	memcpy(x->peer.id, idi, sizeof(idi) - 1);
	x->peer.auth = IKE_CRED_PSK;
	x->peer.psk = responder_psk != NULL ? responder_psk : psk;
	x->peer.psk_len = responder_psk != NULL ? (uint16_t)responder_psk_len : sizeof(psk) - 1;
	x->peer.auth_lifetime_s = 7200;
	cc->peers = &x->peer;
	cc->nb_peers = 1;
	/* The responder narrows every selector to 10.0.0.0/8. */
	addr4(&cc->ts_start, 10, 0, 0, 0, 0);
	addr4(&cc->ts_end, 10, 255, 255, 255, 0);
	cc->half_open_timeout_ms = 30000;
	cc->response_cache_ms = 30000;
	cc->ike_lifetime_s = 3600;
	cc->cookie_threshold = 1000; /* no cookies unless a test asks */
	cc->cookie_rotate_s = 300;

	x->cfg.ike = (struct ike_transforms){ike->encr_id, ike->encr_key_bits, ike->prf_id,
					     ike->integ_id, ike->ke_id};
	x->cfg.esp = (struct ike_transforms){esp->encr_id, esp->encr_key_bits, 0, esp->integ_id,
					     esp->ke_id};
	x->cfg.cred = (struct ike_init_cred){IKE_ID_RFC822_ADDR, sizeof(idi) - 1, idi, psk,
					     sizeof(psk) - 1};
	x->cfg.idr_type = IKE_ID_FQDN;
	x->cfg.idr = idr;
	x->cfg.idr_len = sizeof(idr) - 1;
	x->cfg.initial_contact = true;
	x->cfg.nat_detection = true;
	ts_all4(&x->cfg.tsi);
	ts_all4(&x->cfg.tsr);
	addr4(&a, 192, 0, 2, 10, 500);
	to_init_addr(&x->local, &a);
	x->wire_local = x->local;
	addr4(&a, 198, 51, 100, 1, 500);
	to_init_addr(&x->remote, &a);
	x->now_ms = 1000;
}

struct ike_shard *
exch_shard_new(struct exch *x, void **mem)
{
	size_t sz = ike_shard_mem_size(&x->core_cfg);
	struct ike_shard *s;

	*mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	assert_non_null(*mem);
	s = ike_shard_init(*mem, &x->core_cfg, 0, &exch_ops, child_event, x);
	assert_non_null(s);
	return s;
}

void
exch_tickets(struct exch *x, struct ike_init_ticket *t, bool request)
{
	x->core_cfg.ticket_lifetime_s = EXCH_TICKET_LIFETIME_S;
	x->core_cfg.ticket_resumes_per_s = 10;
	x->core_cfg.ticket_keyring = exch_ring;
	x->now_ms = EXCH_RING_NOW_MS;
	x->cfg.ticket_request = request;
	x->ticket = t;
}

void
exch_start(struct exch *x)
{
	x->shard = exch_shard_new(x, &x->shard_mem);
	assert_int_equal(ike_init_client_init(&x->c, &x->cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&x->c, &x->local, &x->remote);
	if (x->ticket != NULL) {
		memset(x->ticket, 0, sizeof(*x->ticket));
		ike_init_set_ticket(&x->c, x->ticket);
	}
}

void
exch_restart(struct exch *x)
{
	ike_shard_fini(x->shard);
	free(x->shard_mem);
	x->shard = exch_shard_new(x, &x->shard_mem);
}

void
exch_fini(struct exch *x)
{
	ike_init_client_fini(&x->c);
	ike_shard_fini(x->shard);
	free(x->shard_mem);
}

static void
from_init_addr(struct ike_addr *out, const struct ike_init_addr *in)
{
	memset(out, 0, sizeof(*out));
	out->family = in->family;
	out->port = in->port;
	memcpy(out->ip, in->ip, sizeof(out->ip));
}

void
exch_rx_addrs(const struct exch *x, struct ike_rx *rx)
{
	from_init_addr(&rx->local, &x->remote);
	from_init_addr(&rx->remote, &x->wire_local);
}

void
exch_addke(struct exch *x, bool esp, unsigned n, uint16_t method, bool optional)
{
	struct ike_proposal_cfg *p = esp ? &x->core_cfg.esp_proposals[0]
					 : &x->core_cfg.ike_proposals[0];
	struct ike_alg_list *l = &p->xf[IKE_TRANSFORM_ADDKE1 + n - 1];

	l->n = optional ? 2 : 1;
	l->alg[0] = (struct ike_alg){method, 0};
	l->alg[1] = (struct ike_alg){IKE_KE_NONE, 0};
	(esp ? x->cfg.esp_addke : x->cfg.addke)[n - 1] = method;
}

unsigned
exch_to_responder(struct exch *x)
{
	return exch_send_from(x, x->req, x->req_len, &x->wire_local);
}

unsigned
exch_send_from(struct exch *x, const uint8_t *req, size_t req_len, const struct ike_init_addr *from)
{
	uint8_t copy[EXCH_BUF];
	struct ike_rx rx = {0};
	struct ike_tx tx = {0};
	unsigned n;

	/* The core decrypts in place; the request itself is kept for retransmission. */
	assert_true(req_len <= sizeof(copy));
	memcpy(copy, req, req_len);
	rx.data = copy;
	rx.len = (uint16_t)req_len;
	from_init_addr(&rx.local, &x->remote);
	from_init_addr(&rx.remote, from);
	tx.data = x->resp;
	tx.cap = sizeof(x->resp);
	n = ike_shard_rx_burst(x->shard, &rx, 1, &tx, 1, x->now_ms);
	x->resp_len = n == 1 ? tx.len : 0;
	return n;
}

enum ike_init_result
exch_to_initiator(struct exch *x)
{
	size_t len = 0;
	enum ike_init_result r;

	r = ike_init_recv(&x->c, x->resp, x->resp_len, x->req, sizeof(x->req), &len);
	if (len != 0)
		x->req_len = len;
	return r;
}

enum ike_init_result
exch_round(struct exch *x)
{
	assert_int_equal(exch_to_responder(x), 1);
	return exch_to_initiator(x);
}

void
exch_handshake_more(struct exch *x)
{
	/* HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP) --> */
	assert_int_equal(ike_init_start(&x->c, &x->hs, x->req, sizeof(x->req), &x->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	/*
	 * <-- HDR, SAr1, KEr, Nr, [N(NAT_DETECTION_*)]
	 * HDR, SK {IDi, N(INITIAL_CONTACT), IDr, AUTH, SAi2, TSi, TSr} -->
	 */
	assert_int_equal(exch_round(x), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(x->c.state, IKE_INIT_S_AUTH_SENT);
	/* <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr, N(AUTH_LIFETIME)} */
	assert_int_equal(exch_round(x), IKE_INIT_R_ESTABLISHED);
	assert_int_equal(x->c.state, IKE_INIT_S_ESTABLISHED);
}

void
exch_handshake(struct exch *x)
{
	exch_handshake_more(x);
	assert_int_equal(ike_shard_nb_sas(x->shard), 1);
}

void
exch_resume(struct exch *x)
{
	ike_init_client_reset(&x->c);
	/* HDR(SPIi', 0), Ni, N(TICKET_OPAQUE) --> */
	assert_int_equal(ike_init_start_resume(&x->c, &x->hs, x->req, sizeof(x->req), &x->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	/* <-- HDR, Nr;  HDR, SK {IDi, IDr, AUTH, SAi2, TSi, TSr, [N(TICKET_REQUEST)]} --> */
	assert_int_equal(exch_round(x), IKE_INIT_R_SEND_REQUEST);
	/* <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr, [N(TICKET_LT_OPAQUE)]} */
	assert_int_equal(exch_round(x), IKE_INIT_R_ESTABLISHED);
	assert_true(x->c.resumed);
}

void
exch_liveness(struct exch *x)
{
	/* HDR, SK {} -->  <-- HDR, SK {} */
	assert_int_equal(ike_init_req_liveness(&x->c, x->req, sizeof(x->req), &x->req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(x), IKE_INIT_R_DONE);
}

/* encr key | salt | integ key, as the core hands them out (RFC 7296 2.17 order). */
static void
assert_key_eq(const uint8_t *core, const struct cry_sk_keys *k)
{
	size_t salt = k->cipher == CRY_CIPHER_AES_GCM_16 ? 4 : 0;

	assert_memory_equal(core, k->enc_key, k->enc_key_len);
	if (salt != 0)
		assert_memory_equal(core + k->enc_key_len, k->salt, salt);
	if (k->integ_key_len != 0)
		assert_memory_equal(core + k->enc_key_len + salt, k->integ_key, k->integ_key_len);
}

const struct ike_child_info *
exch_last_install(const struct exch *x)
{
	for (unsigned i = x->n_child_ev; i > 0; i--)
		if (x->child_ev[i - 1].install)
			return &x->child_ev[i - 1];
	fail_msg("no Child SA installed");
	return NULL;
}

void
exch_assert_child_keys(const struct exch *x)
{
	/* The last install: deletes of an older SA may follow it (RFC 5723 4.3.4). */
	const struct ike_child_info *ci = exch_last_install(x);

	assert_true(x->c.has_child);
	assert_int_equal(ci->spi_in, x->c.child.spi_out);
	assert_int_equal(ci->spi_out, x->c.child.spi_in);
	assert_int_equal(ci->esn, x->c.child.esn);
	/* The responder's inbound is our outbound. */
	assert_key_eq(ci->key_in, &x->c.child.keys.init_to_resp);
	assert_key_eq(ci->key_out, &x->c.child.keys.resp_to_init);
}

uint64_t
exch_ctr(const struct exch *x, const char *name)
{
	const uint64_t *v = ike_shard_counters(x->shard);

	for (unsigned i = 0; i < ike_counter_count(); i++)
		if (strcmp(ike_counter_name(i), name) == 0)
			return v[i];
	fail_msg("no counter %s", name);
	return 0;
}
