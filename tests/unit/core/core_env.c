/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared environment of the responder-core tests (see core_env.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_env.h"

struct core_env E;

int
env_open(void)
{
	memset(&E, 0, sizeof(E));
	E.now = ENV_NOW_MS;
	E.ossl = cry_openssl_create();
	E.imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (E.ossl == NULL || E.imb == NULL)
		return -1;
	cry_openssl_bind(E.ossl, &E.ops);
	cry_ipsecmb_bind(E.imb, &E.ops);
	return 0;
}

void
env_close(void)
{
	env_shard_down(&E.a);
	env_shard_down(&E.b);
	cry_ipsecmb_destroy(E.imb);
	cry_openssl_destroy(E.ossl);
}

int
env_setup_psk(void **state)
{
	(void)state;
	if (env_open() != 0)
		return -1;
	env_cfg_psk(&E.cfg);
	return env_shard_up(&E.a, 3);
}

int
env_teardown(void **state)
{
	(void)state;
	env_close();
	return 0;
}

void
env_child_cb(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	if (c->install) {
		if (E.n_inst < ENV_MAX_CHILD)
			E.inst[E.n_inst] = *c;
		E.n_inst++;
	} else {
		if (E.n_del < ENV_MAX_CHILD)
			E.del[E.n_del] = *c;
		E.n_del++;
	}
}

int
env_shard_up(struct core_shard *sh, unsigned id)
{
	size_t sz = ike_shard_mem_size(&E.cfg);

	sh->mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	if (sh->mem == NULL)
		return -1;
	sh->s = ike_shard_init(sh->mem, &E.cfg, id, &E.ops, env_child_cb, NULL);
	return sh->s == NULL ? -1 : 0;
}

void
env_shard_down(struct core_shard *sh)
{
	if (sh->s != NULL)
		ike_shard_fini(sh->s);
	free(sh->mem);
	sh->s = NULL;
	sh->mem = NULL;
}

void
env_cfg_base(struct ike_core_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	ike_proposal_cfg_of_suite(&cfg->ike_proposals[0],
				  &(struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 256,
							  IKE_PRF_HMAC_SHA2_256, 0, IKE_KE_ECP256},
				  false);
	cfg->nb_ike_proposals = 1;
	ike_proposal_cfg_of_suite(&cfg->esp_proposals[0],
				  &(struct ike_suite_cfg){IKE_ENCR_AES_GCM_16, 128, 0, 0, 0}, true);
	cfg->nb_esp_proposals = 1;
	cfg->ts_start.family = 4;
	memcpy(cfg->ts_start.ip, (uint8_t[]){10, 0, 0, 0}, 4);
	cfg->ts_end.family = 4;
	memcpy(cfg->ts_end.ip, (uint8_t[]){10, 0, 255, 255}, 4);
	cfg->half_open_timeout_ms = 30000;
	cfg->response_cache_ms = 60000;
	cfg->ike_lifetime_s = 3600;
	cfg->cookie_threshold = 8;
}

void
env_cfg_psk(struct ike_core_cfg *cfg)
{
	env_cfg_base(cfg);
	cfg->max_ike_sas = 64;
	cfg->max_half_open = 16;
	cfg->max_cached_responses = 32;
	ike_proposal_cfg_of_suite(&cfg->ike_proposals[1],
				  &(struct ike_suite_cfg){IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
							  IKE_INTEG_HMAC_SHA2_256_128,
							  IKE_KE_MODP2048},
				  false);
	cfg->nb_ike_proposals = 2;
	ike_proposal_cfg_of_suite(&cfg->esp_proposals[1],
				  &(struct ike_suite_cfg){IKE_ENCR_AES_CBC, 256, 0,
							  IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_ECP256},
				  true);
	cfg->nb_esp_proposals = 2;
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
	cfg->cookie_rotate_s = 60;
}

void
env_tx_reset(void)
{
	for (unsigned i = 0; i < ENV_NTX; i++) {
		E.tx[i].data = E.txbuf[i];
		E.tx[i].cap = ENV_BUF;
	}
}

unsigned
env_feed(struct ike_shard *s, const struct ti *t, const uint8_t *msg, size_t len)
{
	static uint8_t in[ENV_BUF];
	struct ike_rx rx;
	unsigned n;

	assert_true(len <= sizeof(in));
	memcpy(in, msg, len);
	rx.data = in;
	rx.len = (uint16_t)len;
	rx.tag = E.tag;
	rx.local = t->peer;
	rx.remote = t->me;
	env_tx_reset();
	n = ike_shard_rx_burst(s, &rx, 1, E.tx, ENV_NTX, E.now);
	E.out_len = 0;
	if (n > 0) {
		memcpy(E.out, E.tx[0].data, E.tx[0].len);
		E.out_len = E.tx[0].len;
		assert_memory_equal(&E.tx[0].remote, &t->me, sizeof(t->me));
		assert_int_equal(E.tx[0].tag, E.tag);
	}
	return n;
}

uint64_t
env_ctr(const struct ike_shard *s, const char *name)
{
	const uint64_t *c = ike_shard_counters(s);

	for (unsigned i = 0; i < ike_counter_count(); i++)
		if (strcmp(ike_counter_name(i), name) == 0)
			return c[i];
	fail_msg("no counter %s", name);
	return 0;
}

const struct ike_pld *
env_notify(const struct ike_msg *m, uint16_t type, struct ike_pld_notify *n)
{
	const struct ike_pld *p = ike_msg_find_notify(m, type);

	if (p != NULL)
		assert_int_equal(ike_pld_notify_parse(ike_msg_pld_body(m, p), p->len, n),
				 IKE_PARSE_OK);
	return p;
}

size_t
env_idb(uint8_t *idb, uint8_t type, const uint8_t *id, size_t len)
{
	memset(idb, 0, 4);
	idb[0] = type;
	memcpy(idb + 4, id, len);
	return 4 + len;
}

void
env_ike_sa(struct ike_pld_sa *sa, uint16_t group)
{
	memset(sa, 0, sizeof(*sa));
	ti_prop(sa, 1, IKE_PROTO_IKE, NULL, 0);
	ti_xf(sa, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ti_xf(sa, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ti_xf(sa, IKE_TRANSFORM_KE, group, 0);
}

void
env_ts_v4(struct ike_pld_ts *ts, const uint8_t lo[4], const uint8_t hi[4])
{
	memset(ts, 0, sizeof(*ts));
	ts->n_ts = 1;
	ts->ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts->ts[0].start_port = 0;
	ts->ts[0].end_port = 65535;
	ts->ts[0].addr_len = 4;
	ts->ts[0].start_addr = lo;
	ts->ts[0].end_addr = hi;
}

void
env_add_child(struct ike_mb *mb, bool gcm)
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
	env_ts_v4(&ts, lo, hi);
	ike_mb_add_ts(mb, IKE_PLD_TSI, &ts);
	ike_mb_add_ts(mb, IKE_PLD_TSR, &ts);
}

void
env_sa_init(struct ike_shard *s, struct ti *t)
{
	uint8_t buf[ENV_BUF];
	struct ike_pld_sa sa;
	size_t len;

	ti_init(t, &E.ops);
	env_ike_sa(&sa, IKE_KE_ECP256);
	len = ti_sa_init(t, buf, sizeof(buf), &sa, IKE_KE_ECP256, NULL, 0);
	assert_true(len > 0);
	assert_int_equal(env_feed(s, t, buf, len), 1);
	assert_int_equal(ti_sa_init_done(t, E.out, E.out_len, &XF_STD), 0);
}

size_t
env_psk_auth_req(struct ti *t, uint8_t *buf, uint8_t id_type, const uint8_t *id, size_t id_len,
		 const uint8_t *psk, size_t psk_len, bool initial_contact)
{
	uint8_t idb[4 + 255], auth[CRY_MAX_PRF_LEN];
	struct ike_mb mb;
	size_t alen;

	alen = ti_psk_auth(t, psk, psk_len, idb, env_idb(idb, id_type, id, id_len), auth);
	assert_true(alen > 0);
	ti_begin(t, &mb, buf, ENV_BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, id_type, id, id_len);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	if (initial_contact)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	env_add_child(&mb, true);
	return ti_end(t, &mb);
}

void
env_establish(struct ike_shard *s, struct ti *t, bool initial_contact)
{
	uint8_t buf[ENV_BUF];
	struct ike_msg m;
	size_t len;

	env_sa_init(s, t);
	len = env_psk_auth_req(t, buf, IKE_ID_RFC822_ADDR, ALICE, sizeof(ALICE) - 1, ALICE_PSK,
			       sizeof(ALICE_PSK) - 1, initial_contact);
	assert_int_equal(env_feed(s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
}

void
env_liveness_ok(struct ike_shard *s, struct ti *t)
{
	uint8_t buf[ENV_BUF];
	struct ike_msg m;
	struct ike_mb mb;
	size_t len;

	ti_begin(t, &mb, buf, sizeof(buf), IKE_EXCH_INFORMATIONAL);
	len = ti_end(t, &mb);
	assert_int_equal(env_feed(s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_int_equal(m.exchange, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(m.msg_id, t->msg_id - 1);
	assert_int_equal(m.sk_first, IKE_PLD_NONE);
}
