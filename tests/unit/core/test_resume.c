/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 5723 session resumption in the responder core, against the test-side
 * initiator with real crypto (OpenSSL + ipsec-mb): tickets from IKE_AUTH and
 * INFORMATIONAL, IKE_SESSION_RESUME + IKE_AUTH on the same and on another
 * shard, every TICKET_NACK reason, one-time use, revocation on DELETE,
 * retransmits, key rotation, COOKIE, the libreswan AUTH form (for every peer
 * and per identity), and the resumed key schedule against python3-cryptography
 * vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_ti.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_core.h"
#include "ike_ticket.h"
#include "ike_ticket_keyring.h"

#define NTX 4
#define BUF 2048
#define NOW_MS 1000 /* unix second 1: the ring's keys start at 0 */

static const uint8_t ALICE[] = "alice@example.com";
static const uint8_t ALICE_PSK[] = "correct horse battery staple";
static const uint8_t BOB[] = "bob.example.com";
static const uint8_t BOB_PSK[] = "bob's shared secret";
static const uint8_t CHILD_SPI[4] = {0x11, 0x22, 0x33, 0x44};
static const uint8_t SECRET1[IKE_TICKET_SECRET_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t SECRET2[IKE_TICKET_SECRET_LEN] = {9, 9, 9, 9, 9, 9, 9, 9};
static const struct ike_transforms XF_STD = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, 0,
					     IKE_KE_ECP256};

struct shard {
	void *mem;
	struct ike_shard *s;
};

/* What the client keeps with a ticket (RFC 5723 4.2): the ticket and the old SK_d. */
struct held {
	uint8_t ticket[IKE_TICKET_MAX];
	size_t len;
	uint32_t lifetime;
	uint8_t sk_d[CRY_MAX_PRF_LEN];
	size_t sk_d_len;
};

static struct {
	struct cry_openssl *ossl;
	struct cry_ipsecmb *imb;
	struct cry_ops ops;
	struct ike_core_cfg cfg;
	struct ike_peer_cfg peers[2];
	struct ike_ticket_keyring *ring;
	struct shard a, b; /* b: another shard (or instance) with the same ring only */
	struct ike_child_info inst[8];
	unsigned n_inst;
	unsigned n_del;
	uint8_t txbuf[NTX][BUF];
	struct ike_tx tx[NTX];
	uint8_t out[BUF];
	size_t out_len;
	uint64_t now;
} E;

static void
child_cb(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	if (c->install && E.n_inst < 8)
		E.inst[E.n_inst++] = *c;
	else if (!c->install)
		E.n_del++;
}

static uint64_t
ctr(const struct shard *sh, const char *name)
{
	const uint64_t *c = ike_shard_counters(sh->s);

	for (unsigned i = 0; i < ike_counter_count(); i++)
		if (strcmp(ike_counter_name(i), name) == 0)
			return c[i];
	fail_msg("no counter %s", name);
	return 0;
}

static struct ike_ticket_keyring *
ring_new(void)
{
	struct ike_ticket_keyring_params p = {.max_lifetime = 7200, .clock_skew = 60};
	struct ike_ticket_keyring *kr = ike_ticket_keyring_create(&p);

	assert_non_null(kr);
	return kr;
}

static void
cfg_default(struct ike_core_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_ike_sas = 64;
	cfg->max_half_open = 16;
	cfg->max_cached_responses = 32;
	cfg->ike_suites[0] = (struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
						    0, IKE_KE_ECP256};
	cfg->nb_ike_suites = 1;
	cfg->esp_suites[0] = (struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 128, 0, 0, 0};
	cfg->nb_esp_suites = 1;
	cfg->local_id_type = IKE_ID_FQDN;
	cfg->local_id_len = 16;
	memcpy(cfg->local_id, "vpn.example.net!", 16);
	memset(E.peers, 0, sizeof(E.peers));
	E.peers[0].id_type = IKE_ID_RFC822_ADDR;
	E.peers[0].id_len = sizeof(ALICE) - 1;
	memcpy(E.peers[0].id, ALICE, sizeof(ALICE) - 1);
	E.peers[0].auth = IKE_CRED_PSK;
	E.peers[0].psk = ALICE_PSK;
	E.peers[0].psk_len = sizeof(ALICE_PSK) - 1;
	E.peers[1].id_type = IKE_ID_FQDN;
	E.peers[1].id_len = sizeof(BOB) - 1;
	memcpy(E.peers[1].id, BOB, sizeof(BOB) - 1);
	E.peers[1].auth = IKE_CRED_PSK;
	E.peers[1].psk = BOB_PSK;
	E.peers[1].psk_len = sizeof(BOB_PSK) - 1;
	E.peers[1].auth_lifetime_s = 3000;
	cfg->peers = E.peers;
	cfg->nb_peers = 2;
	cfg->ts_start.family = 4;
	memcpy(cfg->ts_start.ip, (uint8_t[]){10, 0, 0, 0}, 4);
	cfg->ts_end.family = 4;
	memcpy(cfg->ts_end.ip, (uint8_t[]){10, 0, 255, 255}, 4);
	cfg->half_open_timeout_ms = 30000;
	cfg->response_cache_ms = 60000;
	cfg->ike_lifetime_s = 86400;
	cfg->cookie_threshold = 8;
	cfg->cookie_rotate_s = 60;
	cfg->ticket_lifetime_s = 3600;
	cfg->ticket_resumes_per_s = 10;
	cfg->ticket_replay_fp = 1e-4;
	cfg->ticket_keyring = E.ring;
}

static void
shard_up(struct shard *sh, unsigned id)
{
	size_t sz = ike_shard_mem_size(&E.cfg);

	sh->mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	assert_non_null(sh->mem);
	sh->s = ike_shard_init(sh->mem, &E.cfg, id, &E.ops, child_cb, NULL);
	assert_non_null(sh->s);
}

static int
setup(void **state)
{
	(void)state;
	memset(&E, 0, sizeof(E));
	E.ossl = cry_openssl_create();
	E.imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (E.ossl == NULL || E.imb == NULL)
		return -1;
	cry_openssl_bind(E.ossl, &E.ops);
	cry_ipsecmb_bind(E.imb, &E.ops);
	E.ring = ring_new();
	if (ike_ticket_keyring_add(E.ring, 0x1001, 0, 1000000, SECRET1) != IKE_OK)
		return -1;
	cfg_default(&E.cfg);
	shard_up(&E.a, 3);
	shard_up(&E.b, 5);
	E.now = NOW_MS;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ike_shard_fini(E.a.s);
	ike_shard_fini(E.b.s);
	free(E.a.mem);
	free(E.b.mem);
	ike_ticket_keyring_free(E.ring);
	cry_ipsecmb_destroy(E.imb);
	cry_openssl_destroy(E.ossl);
	return 0;
}

/* One datagram into shard sh; the first reply lands in E.out. */
static unsigned
feed(struct shard *sh, const struct ti *t, const uint8_t *msg, size_t len)
{
	static uint8_t in[BUF];
	struct ike_rx rx;
	unsigned n;

	memcpy(in, msg, len);
	rx.data = in;
	rx.len = (uint16_t)len;
	rx.local = t->peer;
	rx.remote = t->me;
	for (unsigned i = 0; i < NTX; i++) {
		E.tx[i].data = E.txbuf[i];
		E.tx[i].cap = BUF;
	}
	n = ike_shard_rx_burst(sh->s, &rx, 1, E.tx, NTX, E.now);
	E.out_len = 0;
	if (n > 0) {
		memcpy(E.out, E.tx[0].data, E.tx[0].len);
		E.out_len = E.tx[0].len;
	}
	return n;
}

static const struct ike_pld *
notify_of(const struct ike_msg *m, uint16_t type, struct ike_pld_notify *n)
{
	const struct ike_pld *p = ike_msg_find_notify(m, type);

	if (p != NULL)
		assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, n),
				 IKE_PARSE_OK);
	return p;
}

static void
add_child_payloads(struct ike_mb *mb)
{
	static const uint8_t lo[4] = {0, 0, 0, 0}, hi[4] = {255, 255, 255, 255};
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;

	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, CHILD_SPI, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ti_xf(&sa, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	ike_mb_add_sa(mb, &sa);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = lo;
	ts.ts[0].end_addr = hi;
	ike_mb_add_ts(mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(mb, IKE_PLD_TSR, &ts);
}

/* Keeps a TICKET_LT_OPAQUE of response m with the SA's SK_d. */
static void
take_ticket(const struct ike_msg *m, const struct ti *t, struct held *h)
{
	struct ike_pld_notify n;

	assert_non_null(notify_of(m, IKE_N_TICKET_LT_OPAQUE, &n));
	assert_int_equal(n.proto, 0);
	assert_int_equal(n.spi_size, 0);
	assert_true(n.len > 4);
	h->lifetime = ike_get_u32(n.data);
	h->len = n.len - 4;
	memcpy(h->ticket, n.data + 4, h->len);
	memcpy(h->sk_d, t->keys.sk_d, t->suite.prf_len);
	h->sk_d_len = t->suite.prf_len;
}

static size_t
idb_of(uint8_t *idb, uint8_t type, const uint8_t *id, size_t len)
{
	memset(idb, 0, 4);
	idb[0] = type;
	memcpy(idb + 4, id, len);
	return 4 + len;
}

/* Full handshake of Alice (or Bob) with N(TICKET_REQUEST); h gets the ticket. */
static void
establish(struct shard *sh, struct ti *t, bool bob, struct held *h)
{
	const uint8_t *id = bob ? BOB : ALICE, *psk = bob ? BOB_PSK : ALICE_PSK;
	size_t id_len = bob ? sizeof(BOB) - 1 : sizeof(ALICE) - 1;
	size_t psk_len = bob ? sizeof(BOB_PSK) - 1 : sizeof(ALICE_PSK) - 1;
	uint8_t type = bob ? IKE_ID_FQDN : IKE_ID_RFC822_ADDR;
	uint8_t buf[BUF], idb[4 + 255], auth[CRY_MAX_PRF_LEN];
	struct ike_pld_sa sa;
	struct ike_msg m;
	struct ike_mb mb;
	size_t len, alen;

	ti_init(t, &E.ops);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_IKE, NULL, 0);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	len = ti_sa_init(t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(feed(sh, t, buf, len), 1);
	assert_int_equal(ti_sa_init_done(t, E.out, E.out_len, &XF_STD), 0);
	alen = ti_psk_auth(t, psk, psk_len, idb, idb_of(idb, type, id, id_len), auth);
	ti_begin(t, &mb, buf, BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, type, id, id_len);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	add_child_payloads(&mb);
	if (h != NULL)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	len = ti_end(t, &mb);
	assert_int_equal(feed(sh, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	if (h != NULL)
		take_ticket(&m, t, h);
}

/* IKE_SESSION_RESUME --> ; true when accepted (E.out: response), false on TICKET_NACK. */
static bool
resume_init(struct shard *sh, struct ti *t, const struct held *h)
{
	uint8_t buf[BUF], natd[20];
	struct ike_pld_notify n;
	struct ike_msg m;
	size_t len;

	ti_init(t, &E.ops);
	len = ti_resume(t, buf, sizeof(buf), h->ticket, h->len, NULL, 0);
	assert_true(len > 0);
	assert_int_equal(feed(sh, t, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_SESSION_RESUME);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	assert_int_equal(m.spi_i, t->spi_i);
	if (notify_of(&m, IKE_N_TICKET_NACK, &n) != NULL) {
		/* 4.3.2: an unprotected TICKET_NACK, no state. */
		assert_int_equal(m.spi_r, 0);
		assert_int_equal(m.n_pld, 1);
		return false;
	}
	assert_int_equal(m.msg_id, 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_NONCE, 0));
	assert_null(ike_msg_find(&m, IKE_PLD_KE, 0));
	/* RFC 5723 4.3.2 / RFC 7296 2.23: NAT detection, hashed with the new SPIr. */
	ti_natd(m.spi_i, m.spi_r, &t->peer, natd);
	assert_non_null(notify_of(&m, IKE_N_NAT_DETECTION_SOURCE_IP, &n));
	assert_int_equal(n.len, sizeof(natd));
	assert_memory_equal(n.data, natd, sizeof(natd));
	ti_natd(m.spi_i, m.spi_r, &t->me, natd);
	assert_non_null(notify_of(&m, IKE_N_NAT_DETECTION_DESTINATION_IP, &n));
	assert_int_equal(n.len, sizeof(natd));
	assert_memory_equal(n.data, natd, sizeof(natd));
	assert_int_equal(ti_resume_done(t, E.out, E.out_len, &XF_STD, h->sk_d, h->sk_d_len), 0);
	return true;
}

/* IKE_AUTH after the resume; returns the reply count, m gets the decrypted response. */
static unsigned
resume_auth_as(struct shard *sh, struct ti *t, bool bob, bool libreswan, bool want_ticket,
	       struct ike_msg *m)
{
	const uint8_t *id = bob ? BOB : ALICE;
	size_t id_len = bob ? sizeof(BOB) - 1 : sizeof(ALICE) - 1;
	uint8_t type = bob ? IKE_ID_FQDN : IKE_ID_RFC822_ADDR;
	uint8_t buf[BUF], idb[4 + 255], auth[CRY_MAX_PRF_LEN];
	struct ike_mb mb;
	size_t len, alen;
	unsigned n;

	alen = ti_resume_auth(t, idb, idb_of(idb, type, id, id_len), libreswan, auth);
	assert_true(alen > 0);
	ti_begin(t, &mb, buf, BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, type, id, id_len);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	add_child_payloads(&mb);
	if (want_ticket)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	len = ti_end(t, &mb);
	n = feed(sh, t, buf, len);
	if (n == 1)
		assert_int_equal(ti_open(t, E.out, E.out_len, m), 0);
	return n;
}

static unsigned
resume_auth(struct shard *sh, struct ti *t, bool libreswan, bool want_ticket, struct ike_msg *m)
{
	return resume_auth_as(sh, t, false, libreswan, want_ticket, m);
}

/* The responder's AUTH in m verifies in the given form. */
static void
check_resp_auth(struct ti *t, const struct ike_msg *m, bool libreswan)
{
	const struct ike_pld *p = ike_msg_find(m, IKE_PLD_IDR, 0);
	struct ike_pld_auth auth;
	uint8_t idb[4 + 255];
	size_t idb_len;

	assert_non_null(p);
	idb_len = p->len;
	memcpy(idb, ike_msg_pld_body(m, p), idb_len);
	p = ike_msg_find(m, IKE_PLD_AUTH, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_auth_parse(ike_msg_pld_body(m, p), p->len, &auth), IKE_PARSE_OK);
	assert_int_equal(auth.method, IKE_AUTH_PSK);
	assert_true(ti_resume_verify(t, idb, idb_len, libreswan, auth.data, auth.len));
	assert_false(ti_resume_verify(t, idb, idb_len, !libreswan, auth.data, auth.len));
}

/* IKE_SESSION_RESUME + IKE_AUTH that must succeed; the new ticket goes to next. */
static void
resume_ok(struct shard *sh, struct ti *t, const struct held *h, struct held *next)
{
	struct ike_msg m;

	assert_true(resume_init(sh, t, h));
	assert_int_equal(resume_auth(sh, t, false, next != NULL, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	check_resp_auth(t, &m, false);
	if (next != NULL)
		take_ticket(&m, t, next);
}

static void
liveness_ok(struct shard *sh, struct ti *t)
{
	uint8_t buf[BUF];
	struct ike_msg m;
	struct ike_mb mb;
	size_t len;

	ti_begin(t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(t, &mb);
	assert_int_equal(feed(sh, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.sk_first, IKE_PLD_NONE);
}

static void
test_ticket_in_auth(void **state)
{
	struct held h;
	struct ti t;

	(void)state;
	establish(&E.a, &t, false, &h);
	/* RFC 5723 6.2: min(ticket lifetime, auth lifetime); Alice has no RFC 4478 deadline. */
	assert_int_equal(h.lifetime, 3600);
	assert_int_equal(h.ticket[0], IKE_TICKET_VERSION);
	assert_int_equal(ike_get_u32(h.ticket + 1), 0x1001);
	assert_int_equal(ctr(&E.a, "ticket_issued"), 1);
	ti_fini(&t);
	/* Bob authenticated with a 3000 s deadline: the ticket ends there. */
	establish(&E.a, &t, true, &h);
	assert_int_equal(h.lifetime, 3000);
	ti_fini(&t);
}

/* Child keys of the resumed IKE_AUTH come from the new SK_d and the resume nonces. */
static void
check_child_keys(const struct ti *t)
{
	const struct ike_transforms ex = {IKE_ENCR_AES_GCM_16, 128, 0, 0, 0};
	const struct ike_child_info *c = &E.inst[E.n_inst - 1];
	struct ike_child_keys ck;
	struct ike_keys_input in;
	struct ike_esp_suite esp;

	assert_int_equal(ike_suite_esp(&ex, &esp), IKE_OK);
	memset(&in, 0, sizeof(in));
	in.ni = t->ni;
	in.ni_len = sizeof(t->ni);
	in.nr = t->nr;
	in.nr_len = t->nr_len;
	assert_int_equal(ike_keys_derive_child(&E.ops, &t->keys, &esp, &in, NULL, 0, &ck), IKE_OK);
	assert_int_equal(c->spi_out, 0x11223344);
	assert_memory_equal(c->key_in, ck.init_to_resp.enc_key, 16);
	assert_memory_equal(c->key_in + 16, ck.init_to_resp.salt, 4);
	assert_memory_equal(c->key_out, ck.resp_to_init.enc_key, 16);
	ike_child_keys_wipe(&ck);
}

static void
test_resume_same_shard(void **state)
{
	struct held h, h2;
	struct ti t, t2;
	unsigned del;

	(void)state;
	establish(&E.a, &t, false, &h);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	del = E.n_del;
	E.now += 5000;
	resume_ok(&E.a, &t2, &h, &h2);
	check_child_keys(&t2);
	/* 4.3.4: the old SA (still active here) went silently, with its Child SA. */
	assert_int_equal(ctr(&E.a, "resume_old_sa_deleted"), 1);
	assert_int_equal(ctr(&E.a, "resume_ok"), 1);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	assert_int_equal(E.n_del, del + 1);
	liveness_ok(&E.a, &t2);
	/* The ticket of the resumed SA resumes again. */
	E.now += 5000;
	ti_fini(&t);
	resume_ok(&E.a, &t, &h2, NULL);
	liveness_ok(&E.a, &t);
	ti_fini(&t);
	ti_fini(&t2);
}

static void
test_resume_other_shard(void **state)
{
	struct held h;
	struct ti t, t2;

	(void)state;
	establish(&E.a, &t, false, &h);
	/* Failover: shard b shares nothing with a but the ring. */
	resume_ok(&E.b, &t2, &h, NULL);
	check_child_keys(&t2);
	liveness_ok(&E.b, &t2);
	assert_int_equal(ctr(&E.b, "resume_ok"), 1);
	assert_int_equal(ctr(&E.b, "resume_old_sa_deleted"), 0);
	ti_fini(&t);
	ti_fini(&t2);
}

/* Resume with a ticket that must be refused as reason; then a full handshake works. */
static void
nack_then_full(struct shard *sh, const struct held *h, const char *reason)
{
	char name[64];
	struct ti t;

	snprintf(name, sizeof(name), "ticket_nack_%s", reason); /* telemetry form: "_" for "-" */
	assert_int_equal(ctr(sh, name), 0);
	assert_false(resume_init(sh, &t, h));
	assert_int_equal(ctr(sh, name), 1);
	ti_fini(&t);
	establish(sh, &t, false, NULL);
	liveness_ok(sh, &t);
	ti_fini(&t);
}

static void
test_nack_reasons(void **state)
{
	struct held h, bad;
	struct ti t;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	bad = h;
	bad.ticket[bad.len - 1] ^= 1;
	nack_then_full(&E.a, &bad, "bad_tag");
	bad = h;
	ike_put_u32(bad.ticket + 1, 0x7777);
	nack_then_full(&E.a, &bad, "unknown_key_id");
	bad = h;
	bad.len -= 7;
	nack_then_full(&E.a, &bad, "malformed");
	/* Replayed: used once, then again. */
	resume_ok(&E.a, &t, &h, NULL);
	ti_fini(&t);
	nack_then_full(&E.a, &h, "replayed");
	/* Expired: Alice's ticket after its 3600 s. */
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	E.now += 3600 * 1000;
	nack_then_full(&E.a, &h, "expired");
	/* Bob's ticket ends at his auth deadline: counted as that. */
	establish(&E.a, &t, true, &h);
	ti_fini(&t);
	E.now += 3000 * 1000;
	nack_then_full(&E.a, &h, "auth_deadline_passed");
}

static void
test_policy_peer_gone(void **state)
{
	struct held h;
	struct ti t;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	/* Shard b's configuration no longer knows Alice. */
	ike_shard_fini(E.b.s);
	free(E.b.mem);
	E.cfg.peers = &E.peers[1];
	E.cfg.nb_peers = 1;
	shard_up(&E.b, 5);
	assert_false(resume_init(&E.b, &t, &h));
	assert_int_equal(ctr(&E.b, "ticket_nack_policy"), 1);
	ti_fini(&t);
}

static void
test_deleted_sa_ticket_refused(void **state)
{
	uint8_t buf[BUF];
	struct ike_mb mb;
	struct held h;
	struct ti t;
	size_t len;

	(void)state;
	establish(&E.a, &t, false, &h);
	/* INFORMATIONAL { D(IKE) } from the client: RFC 5723 9.8. */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	ike_mb_add_delete(&mb, IKE_PROTO_IKE, 0, 0, NULL);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&E.a, &t, buf, len), 1);
	assert_int_equal(ctr(&E.a, "ticket_revoked"), 1);
	ti_fini(&t);
	nack_then_full(&E.a, &h, "replayed");
}

static void
test_refresh_in_informational(void **state)
{
	uint8_t buf[BUF];
	struct held h, h2;
	struct ike_msg m;
	struct ike_mb mb;
	struct ti t;
	size_t len;

	(void)state;
	establish(&E.a, &t, false, &h);
	E.now += 1000 * 1000;
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&E.a, &t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	take_ticket(&m, &t, &h2);
	assert_int_equal(h2.lifetime, 3600);
	ti_fini(&t);
	/* The refreshed ticket replaced the first one. */
	nack_then_full(&E.a, &h, "replayed");
	resume_ok(&E.a, &t, &h2, NULL);
	ti_fini(&t);
}

static void
test_resume_retransmit_identical(void **state)
{
	uint8_t buf[BUF], first[BUF];
	struct ike_msg m;
	struct held h;
	struct ti t, t2;
	size_t len, flen;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_init(&t2, &E.ops);
	len = ti_resume(&t2, buf, sizeof(buf), h.ticket, h.len, NULL, 0);
	assert_int_equal(feed(&E.a, &t2, buf, len), 1);
	memcpy(first, E.out, E.out_len);
	flen = E.out_len;
	assert_int_equal(feed(&E.a, &t2, buf, len), 1);
	assert_int_equal(E.out_len, flen);
	assert_memory_equal(E.out, first, flen);
	assert_int_equal(ctr(&E.a, "resume_retransmit"), 1);
	assert_int_equal(ctr(&E.a, "ticket_nack_replayed"), 0);
	assert_int_equal(ti_resume_done(&t2, first, flen, &XF_STD, h.sk_d, h.sk_d_len), 0);
	assert_int_equal(resume_auth(&E.a, &t2, false, false, &m), 1);
	check_resp_auth(&t2, &m, false);
	ti_fini(&t);
	ti_fini(&t2);
}

static void
test_key_rotation(void **state)
{
	struct ike_ticket_keyring *old = E.ring, *ring2;
	struct held h, h2;
	struct ti t, t2;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	/* Reload: key 0x1001 stops sealing at 100, key 0x1002 seals from 50. */
	ring2 = ring_new();
	assert_int_equal(ike_ticket_keyring_add(ring2, 0x1001, 0, 100, SECRET1), IKE_OK);
	assert_int_equal(ike_ticket_keyring_add(ring2, 0x1002, 50, 1000000, SECRET2), IKE_OK);
	E.cfg.ticket_keyring = ring2;
	E.ring = ring2;
	ike_ticket_keyring_free(old);
	E.now = 200 * 1000;
	/* The old key still opens; the new ticket is sealed with the new key. */
	resume_ok(&E.a, &t2, &h, &h2);
	assert_int_equal(ike_get_u32(h2.ticket + 1), 0x1002);
	resume_ok(&E.b, &t, &h2, NULL);
	ti_fini(&t);
	ti_fini(&t2);
}

static void
test_cookie_on_resume(void **state)
{
	uint8_t buf[BUF], cookie[64];
	struct ike_pld_notify n;
	struct ike_msg m;
	struct held h;
	struct ti t, t2;
	size_t len, clen;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	E.cfg.cookie_threshold = 0; /* RFC 5723 9.3: always, as for IKE_SA_INIT */
	ti_init(&t2, &E.ops);
	len = ti_resume(&t2, buf, sizeof(buf), h.ticket, h.len, NULL, 0);
	assert_int_equal(feed(&E.a, &t2, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.spi_r, 0);
	assert_non_null(notify_of(&m, IKE_N_COOKIE, &n));
	assert_null(ike_msg_find_notify(&m, IKE_N_TICKET_NACK));
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	clen = n.len;
	memcpy(cookie, n.data, clen);
	len = ti_resume(&t2, buf, sizeof(buf), h.ticket, h.len, cookie, clen);
	assert_int_equal(feed(&E.a, &t2, buf, len), 1);
	assert_int_equal(ti_resume_done(&t2, E.out, E.out_len, &XF_STD, h.sk_d, h.sk_d_len), 0);
	assert_int_equal(resume_auth(&E.a, &t2, false, false, &m), 1);
	check_resp_auth(&t2, &m, false);
	assert_int_equal(ctr(&E.a, "cookie_sent"), 1);
	ti_fini(&t2);
}

static void
test_libreswan_form(void **state)
{
	struct ike_msg m;
	struct held h;
	struct ti t, t2;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	/* Default (RFC): the message-only AUTH is refused, the ticket stays unused. */
	assert_true(resume_init(&E.a, &t2, &h));
	assert_int_equal(resume_auth(&E.a, &t2, true, false, &m), 1);
	assert_non_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	assert_int_equal(ctr(&E.a, "resume_auth_failed"), 1);
	ti_fini(&t2);
	/* With the option it is accepted and answered in the same form. */
	E.cfg.resume_auth_compat_libreswan = true;
	assert_true(resume_init(&E.a, &t2, &h));
	assert_int_equal(resume_auth(&E.a, &t2, true, false, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	check_resp_auth(&t2, &m, true);
	assert_int_equal(ctr(&E.a, "resume_auth_libreswan_form"), 1);
	liveness_ok(&E.a, &t2);
	ti_fini(&t2);
	/* The RFC form still works with the option on. */
	establish(&E.a, &t, false, &h);
	resume_ok(&E.a, &t2, &h, NULL);
	ti_fini(&t);
	ti_fini(&t2);
}

/* The per-identity option: Bob's resumed AUTH may take the libreswan form, Alice's may not. */
static void
test_libreswan_form_per_peer(void **state)
{
	struct ike_msg m;
	struct held ha, hb;
	struct ti t, t2;

	(void)state;
	E.peers[1].resume_auth_libreswan = true;
	establish(&E.a, &t, true, &hb);
	ti_fini(&t);
	establish(&E.a, &t, false, &ha);
	ti_fini(&t);
	assert_true(resume_init(&E.a, &t2, &ha));
	assert_int_equal(resume_auth_as(&E.a, &t2, false, true, false, &m), 1);
	assert_non_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	assert_int_equal(ctr(&E.a, "resume_auth_failed"), 1);
	ti_fini(&t2);
	assert_true(resume_init(&E.a, &t2, &hb));
	assert_int_equal(resume_auth_as(&E.a, &t2, true, true, false, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	check_resp_auth(&t2, &m, true);
	assert_int_equal(ctr(&E.a, "resume_auth_libreswan_form"), 1);
	assert_int_equal(ctr(&E.a, "resume_ok"), 1);
	ti_fini(&t2);
	/* Alice's ticket was not burnt by the refusal: the RFC form resumes it. */
	resume_ok(&E.a, &t2, &ha, NULL);
	ti_fini(&t2);
}

/* One "key = hex" value of the current vector. */
static size_t
hex_field(FILE *f, const char *key, uint8_t *out, size_t cap)
{
	char line[512], k[32], v[400];
	size_t n = 0;

	assert_non_null(fgets(line, sizeof(line), f));
	v[0] = 0;
	assert_true(sscanf(line, "%31s = %399s", k, v) >= 1);
	assert_string_equal(k, key);
	for (; v[2 * n] != 0 && v[2 * n + 1] != 0; n++) {
		unsigned b;

		assert_true(n < cap);
		assert_int_equal(sscanf(v + 2 * n, "%2x", &b), 1);
		out[n] = (uint8_t)b;
	}
	return n;
}

/* RFC 5723 5.1 against tests/vectors/resume-kdf.txt (python3-cryptography). */
static void
test_resume_kdf_vectors(void **state)
{
	static const struct ike_transforms xf[] = {
		{IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, 0, IKE_KE_ECP256},
		{IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_256_128,
		 IKE_KE_ECP256},
	};
	uint8_t sk_d_old[64], ni[32], nr[32], want[7][64], seed[64];
	size_t lens[7], d_len;
	struct ike_keys_input in;
	struct ike_sa_keys k;
	struct ike_suite su;
	char line[512];
	FILE *f = fopen(RESUME_VECTORS, "r");

	(void)state;
	assert_non_null(f);
	for (unsigned v = 0; v < 2; v++) {
		do
			assert_non_null(fgets(line, sizeof(line), f));
		while (strncmp(line, "name", 4) != 0);
		d_len = hex_field(f, "sk_d_old", sk_d_old, sizeof(sk_d_old));
		in.ni_len = hex_field(f, "ni", ni, sizeof(ni));
		in.nr_len = hex_field(f, "nr", nr, sizeof(nr));
		in.ni = ni;
		in.nr = nr;
		assert_int_equal(hex_field(f, "spi_i", in.spi_i, 8), 8);
		assert_int_equal(hex_field(f, "spi_r", in.spi_r, 8), 8);
		(void)hex_field(f, "skeyseed", seed, sizeof(seed));
		lens[0] = hex_field(f, "sk_d", want[0], 64);
		lens[1] = hex_field(f, "sk_ai", want[1], 64);
		lens[2] = hex_field(f, "sk_ar", want[2], 64);
		lens[3] = hex_field(f, "sk_ei", want[3], 64);
		lens[4] = hex_field(f, "sk_er", want[4], 64);
		lens[5] = hex_field(f, "sk_pi", want[5], 64);
		lens[6] = hex_field(f, "sk_pr", want[6], 64);
		assert_int_equal(ike_suite_ike(&xf[v], &su), IKE_OK);
		assert_int_equal(ike_keys_skeyseed_resume(&E.ops, su.prf, sk_d_old, d_len, &in,
							  k.sk_d),
				 IKE_OK);
		assert_memory_equal(k.sk_d, seed, su.prf_len);
		assert_int_equal(ike_keys_derive_resume(&E.ops, &su, sk_d_old, d_len, &in, &k),
				 IKE_OK);
		assert_int_equal(lens[0], k.prf_len);
		assert_memory_equal(k.sk_d, want[0], lens[0]);
		assert_int_equal(lens[1], k.integ_key_len);
		assert_memory_equal(k.sk_ai, want[1], lens[1]);
		assert_memory_equal(k.sk_ar, want[2], lens[2]);
		assert_int_equal(lens[3], k.sk_e_len);
		assert_memory_equal(k.sk_ei, want[3], lens[3]);
		assert_memory_equal(k.sk_er, want[4], lens[4]);
		assert_memory_equal(k.sk_pi, want[5], lens[5]);
		assert_memory_equal(k.sk_pr, want[6], lens[6]);
		ike_sa_keys_wipe(&k);
	}
	fclose(f);
}

/*
 * RFC 4478 across RFC 5723: a resumed SA announces the authentication time
 * LEFT from the original IKE_AUTH, never a fresh lifetime.
 */
static void
test_resumed_sa_keeps_deadline(void **state)
{
	struct ike_pld_notify n;
	struct held h, h2;
	struct ike_msg m;
	struct ti t, t2;
	uint32_t left;

	(void)state;
	establish(&E.a, &t, true, &h);
	E.now += 1000 * 1000;
	assert_true(resume_init(&E.a, &t2, &h));
	assert_int_equal(resume_auth_as(&E.a, &t2, true, false, true, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	assert_non_null(notify_of(&m, IKE_N_AUTH_LIFETIME, &n));
	assert_int_equal(n.len, 4);
	left = ike_get_u32(n.data);
	assert_true(left >= 1998 && left <= 2000);
	/* The new ticket ends at the same deadline, not 3000 s from now. */
	take_ticket(&m, &t2, &h2);
	assert_true(h2.lifetime >= 1998 && h2.lifetime <= 2000);
	ti_fini(&t);
	ti_fini(&t2);
	/* Alice has no deadline: her resumed SA announces none. */
	establish(&E.a, &t, false, &h);
	assert_true(resume_init(&E.a, &t2, &h));
	assert_int_equal(resume_auth(&E.a, &t2, false, false, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTH_LIFETIME));
	ti_fini(&t);
	ti_fini(&t2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ticket_in_auth),
		T(test_resume_same_shard),
		T(test_resume_other_shard),
		T(test_nack_reasons),
		T(test_policy_peer_gone),
		T(test_deleted_sa_ticket_refused),
		T(test_refresh_in_informational),
		T(test_resume_retransmit_identical),
		T(test_key_rotation),
		T(test_cookie_on_resume),
		T(test_libreswan_form),
		T(test_libreswan_form_per_peer),
		T(test_resume_kdf_vectors),
		T(test_resumed_sa_keeps_deadline),
	};

	return cmocka_run_group_tests_name("resume", tests, NULL, NULL);
}
