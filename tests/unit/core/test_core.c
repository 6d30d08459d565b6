/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Responder core (lib/core) against a test-side initiator, message by
 * message, with real crypto: OpenSSL for key exchange and random numbers,
 * ipsec-mb for PRFs, hashes and the SK payloads.
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
#include "ike_sa.h"
#include "ike_sk.h"
#include "satable.h"

#define NTX 4
#define BUF 2048

static const uint8_t ALICE[] = "alice@example.com";
static const uint8_t ALICE_PSK[] = "correct horse battery staple";
static const uint8_t BOB[] = "bob.example.com";
static const uint8_t BOB_PSK[] = "bob's shared secret";
static const uint8_t CHILD_SPI[4] = {0x11, 0x22, 0x33, 0x44};

static struct {
	struct cry_openssl *ossl;
	struct cry_ipsecmb *imb;
	struct cry_ops ops;
	struct ike_core_cfg cfg;
	struct ike_peer_cfg peers[2];
	void *mem;
	struct ike_shard *s;
	struct ike_child_info inst[8];
	unsigned n_inst;
	struct ike_child_info del[8];
	unsigned n_del;
	uint8_t txbuf[NTX][BUF];
	struct ike_tx tx[NTX];
	uint8_t out[BUF];
	size_t out_len;
	uint64_t now;
	uint32_t tag; /* host tag of the datagrams feed() hands in */
} E;

static void
child_cb(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	if (c->install && E.n_inst < 8)
		E.inst[E.n_inst++] = *c;
	else if (!c->install && E.n_del < 8)
		E.del[E.n_del++] = *c;
}

static uint64_t
ctr(const char *name)
{
	const uint64_t *c = ike_shard_counters(E.s);

	for (unsigned i = 0; i < ike_counter_count(); i++)
		if (strcmp(ike_counter_name(i), name) == 0)
			return c[i];
	fail_msg("no counter %s", name);
	return 0;
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
	cfg->ike_suites[1] = (struct ike_suite_cfg){IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
						    IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_MODP2048};
	cfg->nb_ike_suites = 2;
	cfg->esp_suites[0] = (struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 128, 0, 0, 0};
	cfg->esp_suites[1] = (struct ike_suite_cfg){IKE_ENCR_AES_CBC, 256, 0,
						    IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256};
	cfg->nb_esp_suites = 2;
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
	E.peers[1].auth_lifetime_s = 3600;
	cfg->peers = E.peers;
	cfg->nb_peers = 2;
	cfg->ts_start.family = 4;
	memcpy(cfg->ts_start.ip, (uint8_t[]){10, 0, 0, 0}, 4);
	cfg->ts_end.family = 4;
	memcpy(cfg->ts_end.ip, (uint8_t[]){10, 0, 255, 255}, 4);
	cfg->half_open_timeout_ms = 30000;
	cfg->response_cache_ms = 60000;
	cfg->ike_lifetime_s = 3600;
	cfg->cookie_threshold = 8;
	cfg->cookie_rotate_s = 60;
}

static int
shard_up(unsigned shard_id)
{
	size_t sz = ike_shard_mem_size(&E.cfg);

	E.mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	E.s = ike_shard_init(E.mem, &E.cfg, shard_id, &E.ops, child_cb, NULL);
	E.n_inst = 0;
	E.n_del = 0;
	E.now = 1000;
	return E.s == NULL ? -1 : 0;
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
	cfg_default(&E.cfg);
	return shard_up(3);
}

static int
teardown(void **state)
{
	(void)state;
	ike_shard_fini(E.s);
	free(E.mem);
	cry_ipsecmb_destroy(E.imb);
	cry_openssl_destroy(E.ossl);
	return 0;
}

/* Feeds one datagram; returns how many replies came out (the first is in E.out). */
static unsigned
feed(const struct ti *t, const uint8_t *msg, size_t len)
{
	static uint8_t in[BUF];
	struct ike_rx rx;
	unsigned n;

	memcpy(in, msg, len);
	rx.data = in;
	rx.len = (uint16_t)len;
	rx.tag = E.tag;
	rx.local = t->peer;
	rx.remote = t->me;
	for (unsigned i = 0; i < NTX; i++) {
		E.tx[i].data = E.txbuf[i];
		E.tx[i].cap = BUF;
	}
	n = ike_shard_rx_burst(E.s, &rx, 1, E.tx, NTX, E.now);
	E.out_len = 0;
	if (n > 0) {
		memcpy(E.out, E.tx[0].data, E.tx[0].len);
		E.out_len = E.tx[0].len;
		assert_memory_equal(&E.tx[0].remote, &t->me, sizeof(t->me));
		assert_int_equal(E.tx[0].tag, E.tag);
	}
	return n;
}

static void
ike_sa_std(struct ike_pld_sa *sa, uint16_t group)
{
	memset(sa, 0, sizeof(*sa));
	ti_prop(sa, 1, IKE_PROTO_IKE, NULL, 0);
	ti_xf(sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ti_xf(sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ti_xf(sa, IKE_TRANSFORM_KE, group, 0);
}

static const struct ike_transforms XF_STD = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, 0,
					     IKE_KE_ECP256};

static const struct ike_pld *
notify_of(const struct ike_msg *m, uint16_t type, struct ike_pld_notify *n)
{
	const struct ike_pld *p = ike_msg_find_notify(m, type);

	if (p != NULL)
		assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, n),
				 IKE_PARSE_OK);
	return p;
}

/* IKE_SA_INIT { SA, KE, Ni, N(NAT_D)x2, N(FRAG_SUP) } --> and keys. */
static void
do_init(struct ti *t)
{
	uint8_t buf[BUF];
	struct ike_pld_sa sa;
	size_t len;

	ti_init(t, &E.ops);
	ike_sa_std(&sa, IKE_KE_ECP256);
	len = ti_sa_init(t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_true(len > 0);
	assert_int_equal(feed(t, buf, len), 1);
	assert_int_equal(ti_sa_init_done(t, E.out, E.out_len, &XF_STD), 0);
}

static void
add_child_payloads(struct ike_mb *mb, bool gcm)
{
	static const uint8_t lo[4] = {0, 0, 0, 0}, hi[4] = {255, 255, 255, 255};
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;

	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, CHILD_SPI, 4);
	if (gcm) {
		ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128);
	} else {
		ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256);
		ti_xf(&sa, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	}
	ti_xf(&sa, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	ike_mb_add_sa(mb, &sa);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].start_port = 0;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = lo;
	ts.ts[0].end_addr = hi;
	ike_mb_add_ts(mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(mb, IKE_PLD_TSR, &ts);
}

/* IKE_AUTH { IDi, AUTH, [N(INITIAL_CONTACT)], SA, TSi, TSr } --> */
static size_t
auth_req(struct ti *t, uint8_t *buf, uint8_t id_type, const uint8_t *id, size_t id_len,
	 const uint8_t *psk, size_t psk_len, bool initial_contact)
{
	uint8_t idb[4 + 255], auth[CRY_MAX_PRF_LEN];
	struct ike_mb mb;
	size_t alen;

	memset(idb, 0, 4);
	idb[0] = id_type;
	memcpy(idb + 4, id, id_len);
	alen = ti_psk_auth(t, psk, psk_len, idb, 4 + id_len, auth);
	assert_true(alen > 0);
	ti_begin(t, &mb, buf, BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, id_type, id, id_len);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	if (initial_contact)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	add_child_payloads(&mb, true);
	return ti_end(t, &mb);
}

static void
establish(struct ti *t, bool initial_contact)
{
	uint8_t buf[BUF];
	struct ike_msg m;
	size_t len;

	do_init(t);
	len = auth_req(t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
		       sizeof(ALICE_PSK) - 1, initial_contact);
	assert_int_equal(feed(t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
}

/* INFORMATIONAL {} --> <-- {} : proves the SA still works. */
static void
liveness_ok(struct ti *t)
{
	uint8_t buf[BUF];
	struct ike_msg m;
	struct ike_mb mb;
	size_t len;

	ti_begin(t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(t, &mb);
	assert_int_equal(feed(t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.exchange, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(m.msg_id, t->msg_id - 1);
	assert_int_equal(m.sk_first, IKE_PLD_NONE);
}

static void
test_sa_init_response(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_pld_ke ke;
	struct ike_msg m;
	struct ti t;
	uint8_t natd[20];
	const struct ike_pld *p;

	(void)state;
	do_init(&t);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_SA_INIT);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	assert_int_equal(m.msg_id, 0);
	assert_int_equal(m.spi_i, t.spi_i);
	assert_true(m.spi_r != 0);
	assert_int_equal(ike_owner_shard(&E.cfg, E.out, E.out_len), 3);
	p = ike_msg_find(&m, IKE_PLD_SA, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.n_prop, 1);
	assert_int_equal(sa.prop[0].n_xf, 3);
	assert_int_equal(sa.xf[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(sa.xf[0].key_len, 256);
	assert_int_equal(sa.xf[1].id, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(sa.xf[2].id, IKE_KE_ECP256);
	p = ike_msg_find(&m, IKE_PLD_KE, 0);
	assert_int_equal(ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke), IKE_PARSE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(ke.len, 64); /* RFC 5903 7: x | y, 32 octets each */
	assert_true(t.nr_len >= 16);
	/* RFC 7296 2.23: both NAT-D hashes over the response's SPIs. */
	assert_non_null(notify_of(&m, IKE_N_NAT_DETECTION_SOURCE_IP, &n));
	ti_natd(t.spi_i, m.spi_r, &t.peer, natd);
	assert_int_equal(n.len, 20);
	assert_memory_equal(n.data, natd, 20);
	assert_non_null(notify_of(&m, IKE_N_NAT_DETECTION_DESTINATION_IP, &n));
	ti_natd(t.spi_i, m.spi_r, &t.me, natd);
	assert_memory_equal(n.data, natd, 20);
	assert_non_null(ike_msg_find_notify(&m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED));
	assert_int_equal(ike_shard_nb_half_open(E.s), 1);
	assert_int_equal(ike_shard_nb_sas(E.s), 0);
	ti_fini(&t);
}

static void
test_auth_psk_ok(void **state)
{
	uint8_t buf[BUF], idb[4 + 16];
	struct ike_child_keys ck;
	struct ike_keys_input in;
	struct ike_esp_suite esp;
	struct ike_transforms ex = {IKE_ENCR_AES_GCM_16, 128, 0, 0, 0};
	struct ike_pld_auth auth;
	struct ike_pld_ts ts;
	struct ike_pld_sa sa;
	struct ike_pld_id id;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ti t;
	size_t len;

	(void)state;
	do_init(&t);
	len = auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
		       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(feed(&t, buf, len), 1);
	/* <-- IKE_AUTH { IDr, AUTH, SA, TSi, TSr } */
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	p = ike_msg_find(&m, IKE_PLD_IDR, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_id_parse(ike_msg_pld_body(&m, p), p->len, &id), IKE_PARSE_OK);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_memory_equal(id.data, "vpn.example.net!", 16);
	memcpy(idb, ike_msg_pld_body(&m, p), p->len);
	p = ike_msg_find(&m, IKE_PLD_AUTH, 0);
	assert_int_equal(ike_pld_auth_parse(ike_msg_pld_body(&m, p), p->len, &auth), IKE_PARSE_OK);
	assert_int_equal(auth.method, IKE_AUTH_PSK);
	assert_true(ti_psk_verify(&t, ALICE_PSK, sizeof(ALICE_PSK) - 1, idb, 20, auth.data,
				  auth.len));
	assert_false(ti_psk_verify(&t, BOB_PSK, sizeof(BOB_PSK) - 1, idb, 20, auth.data,
				   auth.len));
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTH_LIFETIME));
	p = ike_msg_find(&m, IKE_PLD_SA, 0);
	assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &sa), IKE_PARSE_OK);
	assert_int_equal(sa.prop[0].proto, IKE_PROTO_ESP);
	assert_int_equal(sa.prop[0].spi_size, 4);
	p = ike_msg_find(&m, IKE_PLD_TSI, 0);
	assert_int_equal(ike_pld_ts_parse(ike_msg_pld_body(&m, p), p->len, &ts), IKE_PARSE_OK);
	assert_int_equal(ts.n_ts, 1);
	assert_memory_equal(ts.ts[0].start_addr, ((uint8_t[]){10, 0, 0, 0}), 4);
	assert_memory_equal(ts.ts[0].end_addr, ((uint8_t[]){10, 0, 255, 255}), 4);
	assert_non_null(ike_msg_find(&m, IKE_PLD_TSR, 0));
	/* The data path got the Child SA, keyed as the initiator computes it. */
	assert_int_equal(E.n_inst, 1);
	assert_int_equal(E.inst[0].spi_out, 0x11223344);
	assert_int_equal(E.inst[0].spi_in, ike_get_u32(sa.prop[0].spi));
	assert_int_equal(ike_suite_esp(&ex, &esp), IKE_OK);
	memset(&in, 0, sizeof(in));
	in.ni = t.ni;
	in.ni_len = sizeof(t.ni);
	in.nr = t.nr;
	in.nr_len = t.nr_len;
	assert_int_equal(ike_keys_derive_child(&E.ops, &t.keys, &esp, &in, NULL, 0, &ck), IKE_OK);
	assert_memory_equal(E.inst[0].key_in, ck.init_to_resp.enc_key, 16);
	assert_memory_equal(E.inst[0].key_in + 16, ck.init_to_resp.salt, 4);
	assert_memory_equal(E.inst[0].key_out, ck.resp_to_init.enc_key, 16);
	assert_memory_equal(E.inst[0].key_out + 16, ck.resp_to_init.salt, 4);
	assert_int_equal(ike_shard_nb_sas(E.s), 1);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	assert_int_equal(ctr("auth_ok"), 1);
	liveness_ok(&t);
	ti_fini(&t);
}

static void
expect_auth_failed(struct ti *t)
{
	struct ike_pld_notify n;
	struct ike_msg m;

	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_non_null(notify_of(&m, IKE_N_AUTHENTICATION_FAILED, &n));
	assert_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	assert_int_equal(ike_shard_nb_sas(E.s), 0);
	assert_int_equal(E.n_inst, 0);
}

static void
test_auth_wrong_psk(void **state)
{
	static const uint8_t bad[] = "not the secret";
	uint8_t buf[BUF];
	struct ti t;
	size_t len;

	(void)state;
	do_init(&t);
	len = auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, bad, sizeof(bad) - 1,
		       false);
	assert_int_equal(feed(&t, buf, len), 1);
	expect_auth_failed(&t);
	assert_int_equal(ctr("auth_failed"), 1);
	/* The half-open SA is gone: its SPI is unknown now. */
	t.msg_id = 1;
	len = auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
		       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_unknown_spi"), 1);
	ti_fini(&t);
}

static void
test_auth_unknown_id(void **state)
{
	static const uint8_t who[] = "mallory@example.com";
	uint8_t buf[BUF];
	struct ti t;
	size_t len;

	(void)state;
	do_init(&t);
	len = auth_req(&t, buf, IKE_ID_RFC822_ADDR, who, sizeof(who) - 1, ALICE_PSK,
		       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(feed(&t, buf, len), 1);
	expect_auth_failed(&t);
	assert_int_equal(ctr("auth_unknown_id"), 1);
	ti_fini(&t);
}

static void
test_auth_lifetime(void **state)
{
	uint8_t buf[BUF];
	struct ike_pld_notify n;
	struct ike_msg m;
	struct ti t;
	size_t len;

	(void)state;
	do_init(&t);
	len = auth_req(&t, buf, IKE_ID_FQDN, BOB, sizeof(BOB) - 1, BOB_PSK, sizeof(BOB_PSK) - 1,
		       false);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_non_null(notify_of(&m, IKE_N_AUTH_LIFETIME, &n));
	assert_int_equal(n.len, 4);
	assert_int_equal(ike_get_u32(n.data), 3600);
	ti_fini(&t);
}

static void
test_invalid_ke(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_msg m;
	uint8_t buf[BUF];
	struct ti t;
	size_t len;

	(void)state;
	ti_init(&t, &E.ops);
	/* SA offers 31 and 19, KE is 31: we want 19 (first in our configuration). */
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_IKE, NULL, 0);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_CURVE25519, NULL, 0);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.spi_r, 0);
	assert_non_null(notify_of(&m, IKE_N_INVALID_KE_PAYLOAD, &n));
	assert_int_equal(n.len, 2);
	assert_int_equal(ike_get_u16(n.data), IKE_KE_ECP256);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	/* Retry with the group we asked for. */
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_sa_init_done(&t, E.out, E.out_len, &XF_STD), 0);
	assert_int_equal(ike_shard_nb_half_open(E.s), 1);
	ti_fini(&t);
}

static void
test_no_proposal(void **state)
{
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_msg m;
	uint8_t buf[BUF];
	struct ti t;
	size_t len;

	(void)state;
	ti_init(&t, &E.ops);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_IKE, NULL, 0);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_3DES, 0);
	ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA1, 0);
	ti_xf(&sa, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_non_null(notify_of(&m, IKE_N_NO_PROPOSAL_CHOSEN, &n));
	assert_null(ike_msg_find(&m, IKE_PLD_SA, 0));
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	assert_int_equal(ctr("init_no_proposal_sent"), 1);
	ti_fini(&t);
}

static void
test_child_no_proposal_keeps_ike_sa(void **state)
{
	uint8_t buf[BUF], idb[4 + 64], auth[CRY_MAX_PRF_LEN];
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	struct ike_msg m;
	struct ike_mb mb;
	struct ti t;
	size_t len, alen;

	(void)state;
	do_init(&t);
	memset(idb, 0, 4);
	idb[0] = IKE_ID_RFC822_ADDR;
	memcpy(idb + 4, ALICE, sizeof(ALICE) - 1);
	alen = ti_psk_auth(&t, ALICE_PSK, sizeof(ALICE_PSK) - 1, idb, 4 + sizeof(ALICE) - 1, auth);
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, CHILD_SPI, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_3DES, 0);
	ti_xf(&sa, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	ike_mb_add_sa(&mb, &sa);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = (const uint8_t[]){10, 0, 0, 1};
	ts.ts[0].end_addr = (const uint8_t[]){10, 0, 0, 1};
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &ts);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	assert_non_null(notify_of(&m, IKE_N_NO_PROPOSAL_CHOSEN, &n));
	assert_int_equal(E.n_inst, 0);
	assert_int_equal(ike_shard_nb_sas(E.s), 1);
	liveness_ok(&t);
	ti_fini(&t);
}

static void
test_ts_unacceptable(void **state)
{
	uint8_t buf[BUF], idb[4 + 64], auth[CRY_MAX_PRF_LEN];
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	struct ike_msg m;
	struct ike_mb mb;
	struct ti t;
	size_t len, alen;

	(void)state;
	do_init(&t);
	memset(idb, 0, 4);
	idb[0] = IKE_ID_RFC822_ADDR;
	memcpy(idb + 4, ALICE, sizeof(ALICE) - 1);
	alen = ti_psk_auth(&t, ALICE_PSK, sizeof(ALICE_PSK) - 1, idb, 4 + sizeof(ALICE) - 1, auth);
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, CHILD_SPI, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ike_mb_add_sa(&mb, &sa);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = (const uint8_t[]){172, 16, 0, 0};
	ts.ts[0].end_addr = (const uint8_t[]){172, 16, 255, 255};
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &ts);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_non_null(notify_of(&m, IKE_N_TS_UNACCEPTABLE, &n));
	assert_int_equal(E.n_inst, 0);
	assert_int_equal(ike_shard_nb_sas(E.s), 1);
	ti_fini(&t);
}

static void
test_cookie_round_trip(void **state)
{
	uint8_t buf[BUF], cookie[64], bad[64];
	struct ike_pld_notify n;
	struct ike_pld_sa sa;
	struct ike_msg m;
	struct ti t;
	size_t len, clen;

	(void)state;
	E.cfg.cookie_threshold = 0; /* always */
	ti_init(&t, &E.ops);
	ike_sa_std(&sa, IKE_KE_ECP256);
	/* IKE_SA_INIT { SA, KE, Ni } --> <-- N(COOKIE) */
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.spi_r, 0);
	assert_int_equal(m.n_pld, 1);
	assert_non_null(notify_of(&m, IKE_N_COOKIE, &n));
	assert_true(n.len >= 1 && n.len <= 64);
	clen = n.len;
	memcpy(cookie, n.data, clen);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	/* A forged cookie gets a fresh one, no state. */
	memcpy(bad, cookie, clen);
	bad[clen - 1] ^= 1;
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, bad, clen);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ctr("cookie_bad"), 1);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	/* IKE_SA_INIT { N(COOKIE), SA, KE, Ni } --> <-- SA, KE, Nr */
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, cookie, clen);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_sa_init_done(&t, E.out, E.out_len, &XF_STD), 0);
	assert_true(t.spi_r != 0);
	assert_int_equal(ike_shard_nb_half_open(E.s), 1);
	assert_int_equal(ctr("cookie_sent"), 2);
	/* After one rotation the cookie is still accepted, after two it is not. */
	E.now += 61 * 1000;
	t.spi_i ^= 0x100; /* a new SA attempt with the same nonce and cookie */
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, cookie, clen);
	assert_int_equal(feed(&t, buf, len), 1);
	E.now += 61 * 1000;
	t.spi_i ^= 0x300;
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, cookie, clen);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ctr("cookie_bad"), 1 + 2);
	ti_fini(&t);
}

static void
test_retransmits_identical(void **state)
{
	uint8_t buf[BUF], first[BUF];
	struct ike_pld_sa sa;
	struct ti t;
	size_t len, flen;

	(void)state;
	ti_init(&t, &E.ops);
	ike_sa_std(&sa, IKE_KE_ECP256);
	len = ti_sa_init(&t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_int_equal(feed(&t, buf, len), 1);
	memcpy(first, E.out, E.out_len);
	flen = E.out_len;
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(E.out_len, flen);
	assert_memory_equal(E.out, first, flen);
	assert_int_equal(ike_shard_nb_half_open(E.s), 1);
	assert_int_equal(ctr("init_retransmit"), 1);
	assert_int_equal(ti_sa_init_done(&t, E.out, E.out_len, &XF_STD), 0);
	len = auth_req(&t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
		       sizeof(ALICE_PSK) - 1, false);
	assert_int_equal(feed(&t, buf, len), 1);
	memcpy(first, E.out, E.out_len);
	flen = E.out_len;
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(E.out_len, flen);
	assert_memory_equal(E.out, first, flen);
	assert_int_equal(ctr("retransmit_resent"), 1);
	assert_int_equal(E.n_inst, 1);
	/* The cache expires after response_cache_ms. */
	E.now += E.cfg.response_cache_ms + 1;
	assert_int_equal(ike_shard_tick(E.s, E.now, E.tx, NTX), 0);
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_retransmit_uncached"), 1);
	liveness_ok(&t);
	ti_fini(&t);
}

static void
test_delete_child_and_ike(void **state)
{
	uint8_t buf[BUF], spi[4];
	struct ike_pld_delete d;
	const struct ike_pld *p;
	struct ike_msg m;
	struct ike_mb mb;
	struct ti t;
	size_t len;

	(void)state;
	establish(&t, false);
	liveness_ok(&t);
	assert_int_equal(ctr("info_liveness"), 1);
	/* INFORMATIONAL { D(ESP, 0x11223344) } --> <-- { D(ESP, ours) } */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	ike_mb_add_delete(&mb, IKE_PROTO_ESP, 4, 1, CHILD_SPI);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	p = ike_msg_find(&m, IKE_PLD_DELETE, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_delete_parse(ike_msg_pld_body(&m, p), p->len, &d), IKE_PARSE_OK);
	assert_int_equal(d.n_spi, 1);
	ike_put_u32(spi, E.inst[0].spi_in);
	assert_memory_equal(d.spis, spi, 4);
	assert_int_equal(E.n_del, 1);
	assert_int_equal(E.del[0].spi_in, E.inst[0].spi_in);
	/* INFORMATIONAL { D(IKE) } --> <-- {} */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	ike_mb_add_delete(&mb, IKE_PROTO_IKE, 0, 0, NULL);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&t, buf, len), 1);
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.sk_first, IKE_PLD_NONE);
	assert_int_equal(ike_shard_nb_sas(E.s), 0);
	ti_fini(&t);
}

static void
test_initial_contact(void **state)
{
	struct ti a, b;

	(void)state;
	establish(&a, false);
	establish(&b, false);
	assert_int_equal(ike_shard_nb_sas(E.s), 2);
	ti_fini(&a);
	ti_fini(&b);
	establish(&a, true);
	assert_int_equal(ike_shard_nb_sas(E.s), 1);
	assert_int_equal(ctr("initial_contact_deleted"), 2);
	assert_int_equal(E.n_del, 2);
	liveness_ok(&a);
	ti_fini(&a);
}

static void
test_create_child_pfs_and_rekey(void **state)
{
	uint8_t buf[BUF], nonce[32], pub[CRY_MAX_KEX_PUB], g_ir[CRY_MAX_KEX_SECRET];
	size_t pub_len = sizeof(pub), g_len = sizeof(g_ir), len;
	struct ike_pld_sa sa;
	struct ike_pld_ts ts;
	struct ike_pld_ke ke;
	struct ike_msg m;
	struct ike_mb mb;
	struct cry_kex *kex;
	struct ti t;
	const struct ike_pld *p;
	static const uint8_t lo[4] = {10, 0, 1, 0}, hi[4] = {10, 0, 1, 255};
	static const uint8_t spi2[4] = {0x55, 0x66, 0x77, 0x88};

	(void)state;
	establish(&t, false);
	assert_int_equal(E.ops.asym->kex_new(E.ops.asym_ctx, IKE_KE_ECP256, &kex, pub, &pub_len),
			 IKE_OK);
	cry_random(&E.ops, nonce, sizeof(nonce));
	/* CREATE_CHILD_SA { N(REKEY_SA), SA(CBC, PFS 19), Ni, KEi, TSi, TSr } --> */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_CREATE_CHILD_SA);
	ike_mb_add_notify(&mb, IKE_PROTO_ESP, CHILD_SPI, 4, IKE_N_REKEY_SA, NULL, 0);
	memset(&sa, 0, sizeof(sa));
	ti_prop(&sa, 1, IKE_PROTO_ESP, spi2, 4);
	ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256);
	ti_xf(&sa, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
	ti_xf(&sa, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	ike_mb_add_sa(&mb, &sa);
	ike_mb_add_nonce(&mb, nonce, sizeof(nonce));
	ike_mb_add_ke(&mb, IKE_KE_ECP256, pub, pub_len);
	memset(&ts, 0, sizeof(ts));
	ts.n_ts = 1;
	ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts.ts[0].end_port = 65535;
	ts.ts[0].addr_len = 4;
	ts.ts[0].start_addr = lo;
	ts.ts[0].end_addr = hi;
	ike_mb_add_ts(&mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(&mb, IKE_PLD_TSR, &ts);
	len = ti_end(&t, &mb);
	assert_int_equal(feed(&t, buf, len), 1);
	/* <-- { SA, Nr, KEr, TSi, TSr } */
	assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
	assert_null(ike_msg_find(&m, IKE_PLD_NOTIFY, 0));
	assert_non_null(ike_msg_find(&m, IKE_PLD_NONCE, 0));
	p = ike_msg_find(&m, IKE_PLD_KE, 0);
	assert_non_null(p);
	assert_int_equal(ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke), IKE_PARSE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(E.ops.asym->kex_derive(E.ops.asym_ctx, kex, ke.data, ke.len, g_ir, &g_len),
			 IKE_OK);
	E.ops.asym->kex_free(E.ops.asym_ctx, kex);
	assert_int_equal(E.n_inst, 2);
	assert_int_equal(E.inst[1].spi_out, 0x55667788);
	assert_int_equal(E.inst[1].integ_id, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(ctr("child_rekeyed"), 1);

	/* CREATE_CHILD_SA { SA(IKE, new SPIi), Ni, KEi } --> <-- { SA(new SPIr), Nr, KEr } */
	{
		uint8_t nspi[8];
		uint64_t new_spi_i = t.spi_i ^ 0xabcdef;
		struct ike_pld_sa rsa;
		struct ike_pld_nonce nr;
		struct ike_keys_input in;
		struct ike_sa_keys nk;
		struct ike_suite suite;

		pub_len = sizeof(pub);
		g_len = sizeof(g_ir);
		assert_int_equal(E.ops.asym->kex_new(E.ops.asym_ctx, IKE_KE_ECP256, &kex, pub,
						     &pub_len),
				 IKE_OK);
		ike_put_u64(nspi, new_spi_i);
		ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_CREATE_CHILD_SA);
		memset(&sa, 0, sizeof(sa));
		ti_prop(&sa, 1, IKE_PROTO_IKE, nspi, 8);
		ti_xf(&sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
		ti_xf(&sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
		ti_xf(&sa, IKE_TRANSFORM_KE, IKE_KE_ECP256, 0);
		ike_mb_add_sa(&mb, &sa);
		ike_mb_add_nonce(&mb, nonce, sizeof(nonce));
		ike_mb_add_ke(&mb, IKE_KE_ECP256, pub, pub_len);
		len = ti_end(&t, &mb);
		assert_int_equal(feed(&t, buf, len), 1);
		assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
		p = ike_msg_find(&m, IKE_PLD_SA, 0);
		assert_non_null(p);
		assert_int_equal(ike_pld_sa_parse(ike_msg_pld_body(&m, p), p->len, &rsa),
				 IKE_PARSE_OK);
		assert_int_equal(rsa.prop[0].proto, IKE_PROTO_IKE);
		assert_int_equal(rsa.prop[0].spi_size, 8);
		p = ike_msg_find(&m, IKE_PLD_NONCE, 0);
		ike_pld_nonce_parse(ike_msg_pld_body(&m, p), p->len, &nr);
		p = ike_msg_find(&m, IKE_PLD_KE, 0);
		ike_pld_ke_parse(ike_msg_pld_body(&m, p), p->len, &ke);
		assert_int_equal(E.ops.asym->kex_derive(E.ops.asym_ctx, kex, ke.data, ke.len,
							g_ir, &g_len),
				 IKE_OK);
		E.ops.asym->kex_free(E.ops.asym_ctx, kex);
		/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) (RFC 7296 2.18) */
		assert_int_equal(ike_suite_ike(&XF_STD, &suite), IKE_OK);
		in.ni = nonce;
		in.ni_len = sizeof(nonce);
		in.nr = nr.data;
		in.nr_len = nr.len;
		ike_put_u64(in.spi_i, new_spi_i);
		memcpy(in.spi_r, rsa.prop[0].spi, 8);
		assert_int_equal(ike_keys_derive_rekey(&E.ops, &t.keys, &suite, &in, g_ir, g_len,
						       &nk),
				 IKE_OK);
		/* The old SA still deletes: D(IKE) on it --> <-- {} */
		ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
		ike_mb_add_delete(&mb, IKE_PROTO_IKE, 0, 0, NULL);
		len = ti_end(&t, &mb);
		assert_int_equal(feed(&t, buf, len), 1);
		assert_int_equal(ti_open(&t, E.out, E.out_len, &m), 0);
		/* The Child SAs moved: deleting the old IKE SA deleted none of them. */
		assert_int_equal(E.n_del, 0);
		assert_int_equal(ike_shard_nb_sas(E.s), 1);
		/* Switch to the new SA: message IDs restart at 0. */
		t.spi_i = new_spi_i;
		t.spi_r = ike_get_u64(in.spi_r);
		t.keys = nk;
		t.msg_id = 0;
		liveness_ok(&t);
		assert_int_equal(ctr("ike_rekeyed"), 1);
	}
	ti_fini(&t);
}

static void
test_malformed_counted(void **state)
{
	uint8_t buf[BUF], good[BUF];
	struct ike_mb mb;
	struct ti t;
	size_t len;

	(void)state;
	establish(&t, false);
	/* Truncated header. */
	assert_int_equal(feed(&t, (const uint8_t *)"\x01\x02\x03", 3), 0);
	assert_int_equal(ctr("drop_parse_truncated_header"), 1);
	/* Bad ICV: one bit flipped in the ciphertext. */
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(&t, &mb);
	memcpy(good, buf, len);
	buf[len - 20] ^= 0x40;
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_icv_mismatch"), 1);
	/* Length field larger than the datagram. */
	memcpy(buf, good, len);
	ike_put_u32(buf + 24, (uint32_t)len + 8);
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_parse_length_field_mismatch"), 1);
	/* Unknown SPIr on this shard. */
	memcpy(buf, good, len);
	buf[15] ^= 0x01;
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_unknown_spi"), 1);
	/* Future message ID. */
	memcpy(buf, good, len);
	ike_put_u32(buf + 20, t.msg_id + 5);
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_msgid_future"), 1);
	/* Old message ID (two before the window). */
	memcpy(buf, good, len);
	ike_put_u32(buf + 20, 0);
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_msgid_old"), 1);
	/* An exchange type we do not know. */
	memcpy(buf, good, len);
	buf[18] = 99;
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_exchange_unknown"), 1);
	/* Our own response flag from the "initiator". */
	memcpy(buf, good, len);
	buf[19] = IKE_HDR_F_RESPONSE | IKE_HDR_F_INITIATOR;
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("rx_response"), 1);
	/* Not from the original initiator. */
	memcpy(buf, good, len);
	buf[19] = 0;
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_not_from_initiator"), 1);
	/* A tampered exchange type: it is under the ICV. */
	memcpy(buf, good, len);
	buf[18] = IKE_EXCH_CREATE_CHILD_SA;
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_icv_mismatch"), 2);
	/* IKE_AUTH, properly protected, on an established SA: wrong state. */
	t.msg_id--;
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_IKE_AUTH);
	assert_int_equal(feed(&t, buf, ti_end(&t, &mb)), 0);
	assert_int_equal(ctr("drop_exchange_in_state"), 1);
	/* The SK payload relabelled as SKF: fragments are not reassembled, no answer. */
	memcpy(buf, good, len);
	buf[16] = IKE_PLD_SKF;
	assert_int_equal(feed(&t, buf, len), 0);
	/* IKE_SA_INIT with a message ID other than 0. */
	memcpy(buf, t.req, t.req_len);
	ike_put_u32(buf + 20, 7);
	assert_int_equal(feed(&t, buf, t.req_len), 0);
	assert_int_equal(ctr("drop_init_bad_header"), 1);
	/* The good message is still accepted: the SA was not disturbed. */
	assert_int_equal(feed(&t, good, len), 1);
	assert_int_equal(ctr("info_liveness"), 1);
	liveness_ok(&t);
	ti_fini(&t);
}

static void
test_wrong_shard(void **state)
{
	uint8_t buf[BUF];
	struct ike_mb mb;
	struct ti t;
	size_t len;
	struct spi_layout l;

	(void)state;
	establish(&t, false);
	assert_true(spi_layout_init(&l, SPI_DEFAULT_SHARD_BITS, SPI_DEFAULT_SLOT_BITS));
	/* Same slot and tag, another shard's field: not ours, no answer. */
	t.spi_r = spi_compose(&l, 4, spi_slot(&l, t.spi_r), spi_tag(&l, t.spi_r));
	ti_begin(&t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(&t, &mb);
	assert_int_equal(ike_owner_shard(&E.cfg, buf, len), 4);
	assert_int_equal(feed(&t, buf, len), 0);
	assert_int_equal(ctr("drop_wrong_shard"), 1);
	ti_fini(&t);
}

static void
test_half_open_reaped(void **state)
{
	struct ti t;

	(void)state;
	do_init(&t);
	assert_int_equal(ike_shard_nb_half_open(E.s), 1);
	E.now += E.cfg.half_open_timeout_ms + 1;
	assert_int_equal(ike_shard_tick(E.s, E.now, E.tx, NTX), 0);
	assert_int_equal(ike_shard_nb_half_open(E.s), 0);
	assert_int_equal(ctr("half_open_expired"), 1);
	ti_fini(&t);
}

static void
test_lifetime_sends_delete(void **state)
{
	struct ike_msg m;
	struct ti t;

	(void)state;
	establish(&t, false);
	E.now += (uint64_t)E.cfg.ike_lifetime_s * 1000 + 1;
	assert_int_equal(ike_shard_tick(E.s, E.now, E.tx, NTX), 1);
	/* <-- INFORMATIONAL { D(IKE) } as our request: R clear, message ID 0. */
	assert_int_equal(ti_open(&t, E.tx[0].data, E.tx[0].len, &m), 0);
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.msg_id, 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_DELETE, 0));
	assert_int_equal(ike_shard_nb_sas(E.s), 0);
	assert_int_equal(E.n_del, 1);
	ti_fini(&t);
}

static void
test_sizes(void **state)
{
	size_t per_sa = satable_mem_size(1024, sizeof(struct ike_sa)) / 1024;

	(void)state;
	printf("# sizeof(struct ike_sa) = %zu\n", sizeof(struct ike_sa));
	printf("# bytes per established SA in the SA table = %zu\n", per_sa);
	printf("# sizeof(struct ike_ho) = %zu (half-open only), sizeof(struct ike_resp) = %zu\n",
	       sizeof(struct ike_ho), sizeof(struct ike_resp));
	assert_true(per_sa < 1024);
}

/*
 * RFC 7296 2.23: an authenticated new request from another port (NAT
 * rebinding, or the initiator's move to 4500) moves the SA there, with the
 * host tag; our own requests follow.
 */
static void
test_peer_moves(void **state)
{
	struct ike_reauth_sel sel;
	struct ti t;

	(void)state;
	E.tag = 0x101;
	establish(&t, false);
	assert_int_equal(ctr("peer_address_updated"), 0);
	t.me.port = 4500;
	E.tag = 0x202;
	liveness_ok(&t); /* feed() checks the answer goes to the new port, with the new tag */
	assert_int_equal(ctr("peer_address_updated"), 1);
	liveness_ok(&t);
	assert_int_equal(ctr("peer_address_updated"), 1);
	memset(&sel, 0, sizeof(sel));
	sel.scope = IKE_REAUTH_ALL;
	for (unsigned i = 0; i < NTX; i++) {
		E.tx[i].data = E.txbuf[i];
		E.tx[i].cap = BUF;
	}
	assert_int_equal(ike_shard_reauth_request(E.s, &sel, E.now, E.tx, NTX), 1);
	assert_true(sel.done);
	assert_memory_equal(&E.tx[0].remote, &t.me, sizeof(t.me));
	assert_int_equal(E.tx[0].tag, 0x202);
	ti_fini(&t);
}

/* A non-default SPI layout from cfg: SPIr carries the shard in that layout. */
static void
test_spi_layout_from_cfg(void **state)
{
	struct spi_layout l;
	struct ike_msg m;
	struct ti t;

	(void)state;
	ike_shard_fini(E.s);
	free(E.mem);
	E.cfg.spi_shard_bits = 4;
	E.cfg.spi_slot_bits = 12;
	assert_int_equal(shard_up(9), 0);
	do_init(&t);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_true(spi_layout_init(&l, 4, 12));
	assert_int_equal(spi_shard(&l, m.spi_r), 9);
	assert_true(spi_slot(&l, m.spi_r) < E.cfg.max_ike_sas);
	assert_int_equal(ike_owner_shard(&E.cfg, E.out, E.out_len), 9);
	ti_fini(&t);
	/* A shard id or a capacity the layout cannot hold is refused. */
	ike_shard_fini(E.s);
	free(E.mem);
	assert_int_equal(shard_up(16), -1);
	free(E.mem);
	E.cfg.spi_slot_bits = 3; /* 8 slots < max_ike_sas */
	assert_int_equal(shard_up(1), -1);
	free(E.mem);
	E.cfg.spi_slot_bits = 0;
	E.cfg.spi_shard_bits = 0;
	assert_int_equal(shard_up(3), 0);
}

/* DPDK telemetry takes [A-Za-z0-9_] names: every counter is [a-z0-9_]+, and unique. */
static void
test_counter_names(void **state)
{
	unsigned n = ike_counter_count();

	(void)state;
	assert_true(n > 0);
	assert_null(ike_counter_name(n));
	for (unsigned i = 0; i < n; i++) {
		const char *name = ike_counter_name(i);

		assert_non_null(name);
		assert_true(name[0] != '\0');
		for (const char *c = name; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				fail_msg("counter %u '%s': character '%c'", i, name, *c);
		for (unsigned j = 0; j < i; j++)
			if (strcmp(name, ike_counter_name(j)) == 0)
				fail_msg("counter name '%s' twice (%u and %u)", name, j, i);
	}
	/* Wire parse statuses keep their name, with '_' for '-'. */
	for (unsigned i = 0; i < n; i++)
		if (strcmp(ike_counter_name(i), "drop_parse_certreq_hash_list_length") == 0)
			return;
	fail_msg("no drop_parse_certreq_hash_list_length");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sa_init_response),
		T(test_auth_psk_ok),
		T(test_auth_wrong_psk),
		T(test_auth_unknown_id),
		T(test_auth_lifetime),
		T(test_invalid_ke),
		T(test_no_proposal),
		T(test_child_no_proposal_keeps_ike_sa),
		T(test_ts_unacceptable),
		T(test_cookie_round_trip),
		T(test_retransmits_identical),
		T(test_delete_child_and_ike),
		T(test_initial_contact),
		T(test_create_child_pfs_and_rekey),
		T(test_malformed_counted),
		T(test_wrong_shard),
		T(test_half_open_reaped),
		T(test_lifetime_sends_delete),
		T(test_sizes),
		T(test_spi_layout_from_cfg),
		T(test_peer_moves),
		T(test_counter_names),
	};

	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
