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

#include "core_env.h"
#include "ike_ticket.h"
#include "ike_ticket_keyring.h"

static const uint8_t SECRET1[IKE_TICKET_SECRET_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t SECRET2[IKE_TICKET_SECRET_LEN] = {9, 9, 9, 9, 9, 9, 9, 9};

/* What the client keeps with a ticket (RFC 5723 4.2): the ticket and the old SK_d. */
struct held {
	uint8_t ticket[IKE_TICKET_MAX];
	size_t len;
	uint32_t lifetime;
	uint8_t sk_d[CRY_MAX_PRF_LEN];
	size_t sk_d_len;
};

/* The ring E.a and E.b share: they have nothing else in common. */
static struct ike_ticket_keyring *keyring;

static struct ike_ticket_keyring *
ring_new(void)
{
	struct ike_ticket_keyring_params p = {.max_lifetime = 7200, .clock_skew = 60};
	struct ike_ticket_keyring *kr = ike_ticket_keyring_create(&p);

	assert_non_null(kr);
	return kr;
}

/* The PSK responder of core_env, one suite each, with tickets and Bob's deadline at 3000 s. */
static void
cfg_resume(struct ike_core_cfg *cfg)
{
	env_cfg_psk(cfg);
	cfg->nb_ike_proposals = 1;
	cfg->nb_esp_proposals = 1;
	E.peers[1].auth_lifetime_s = 3000;
	cfg->ike_lifetime_s = 86400;
	cfg->ticket_lifetime_s = 3600;
	cfg->ticket_resumes_per_s = 10;
	cfg->ticket_replay_fp = 1e-4;
	cfg->ticket_keyring = keyring;
}

/* E.now stays at unix second 1: the ring's keys start at 0. */
static int
setup(void **state)
{
	(void)state;
	if (env_open() != 0)
		return -1;
	keyring = ring_new();
	if (ike_ticket_keyring_add(keyring, 0x1001, 0, 1000000, SECRET1) != IKE_OK)
		return -1;
	cfg_resume(&E.cfg);
	if (env_shard_up(&E.a, 3) != 0 || env_shard_up(&E.b, 5) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	env_close();
	ike_ticket_keyring_free(keyring);
	return 0;
}

/* Keeps a TICKET_LT_OPAQUE of response m with the SA's SK_d. */
static void
take_ticket(const struct ike_msg *m, const struct ti *t, struct held *h)
{
	struct ike_pld_notify n;

	assert_non_null(env_notify(m, IKE_N_TICKET_LT_OPAQUE, &n));
	assert_int_equal(n.proto, 0);
	assert_int_equal(n.spi_size, 0);
	assert_true(n.len > 4);
	h->lifetime = ike_get_u32(n.data);
	h->len = n.len - 4;
	memcpy(h->ticket, n.data + 4, h->len);
	memcpy(h->sk_d, t->keys.sk_d, t->suite.prf_len);
	h->sk_d_len = t->suite.prf_len;
}

/* Full handshake of Alice (or Bob) with N(TICKET_REQUEST); h gets the ticket. */
static void
establish(struct core_shard *sh, struct ti *t, bool bob, struct held *h)
{
	const uint8_t *id = bob ? BOB : ALICE, *psk = bob ? BOB_PSK : ALICE_PSK;
	size_t id_len = bob ? sizeof(BOB) - 1 : sizeof(ALICE) - 1;
	size_t psk_len = bob ? sizeof(BOB_PSK) - 1 : sizeof(ALICE_PSK) - 1;
	uint8_t type = bob ? IKE_ID_FQDN : IKE_ID_RFC822_ADDR;
	uint8_t buf[ENV_BUF], idb[4 + 255], auth[CRY_MAX_PRF_LEN];
	struct ike_msg m;
	struct ike_mb mb;
	size_t len, alen;

	env_sa_init(sh->s, t);
	alen = ti_psk_auth(t, psk, psk_len, idb, env_idb(idb, type, id, id_len), auth);
	ti_begin(t, &mb, buf, ENV_BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, type, id, id_len);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	env_add_child(&mb, true);
	if (h != NULL)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	len = ti_end(t, &mb);
	assert_int_equal(env_feed(sh->s, t, buf, len), 1);
	assert_int_equal(ti_open(t, E.out, E.out_len, &m), 0);
	assert_non_null(ike_msg_find(&m, IKE_PLD_AUTH, 0));
	if (h != NULL)
		take_ticket(&m, t, h);
}

/* IKE_SESSION_RESUME --> ; true when accepted (E.out: response), false on TICKET_NACK. */
static bool
resume_init(struct core_shard *sh, struct ti *t, const struct held *h)
{
	uint8_t buf[ENV_BUF], natd[20];
	struct ike_core_cfg cfg;
	struct ike_pld_notify n;
	struct ike_msg m;
	size_t len;

	ti_init(t, &E.ops);
	len = ti_resume(t, buf, sizeof(buf), h->ticket, h->len, NULL, 0);
	assert_true(len > 0);
	/* The owner rule sends it to the shard that owns the ticket (SPIr is zero). */
	cfg = E.cfg;
	cfg.nb_shards = 7;
	assert_int_equal(ike_owner_shard(&cfg, buf, len),
			 (int)ike_ticket_owner_shard(h->ticket, h->len, 7));
	assert_int_equal(env_feed(sh->s, t, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.exchange, IKE_EXCH_IKE_SESSION_RESUME);
	assert_int_equal(m.flags, IKE_HDR_F_RESPONSE);
	assert_int_equal(m.spi_i, t->spi_i);
	if (env_notify(&m, IKE_N_TICKET_NACK, &n) != NULL) {
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
	assert_non_null(env_notify(&m, IKE_N_NAT_DETECTION_SOURCE_IP, &n));
	assert_int_equal(n.len, sizeof(natd));
	assert_memory_equal(n.data, natd, sizeof(natd));
	ti_natd(m.spi_i, m.spi_r, &t->me, natd);
	assert_non_null(env_notify(&m, IKE_N_NAT_DETECTION_DESTINATION_IP, &n));
	assert_int_equal(n.len, sizeof(natd));
	assert_memory_equal(n.data, natd, sizeof(natd));
	assert_int_equal(ti_resume_done(t, E.out, E.out_len, &XF_STD, h->sk_d, h->sk_d_len), 0);
	return true;
}

/* IKE_AUTH after the resume; returns the reply count, m gets the decrypted response. */
static unsigned
resume_auth_as(struct core_shard *sh, struct ti *t, bool bob, bool libreswan, bool want_ticket,
	       struct ike_msg *m)
{
	const uint8_t *id = bob ? BOB : ALICE;
	size_t id_len = bob ? sizeof(BOB) - 1 : sizeof(ALICE) - 1;
	uint8_t type = bob ? IKE_ID_FQDN : IKE_ID_RFC822_ADDR;
	uint8_t buf[ENV_BUF], idb[4 + 255], auth[CRY_MAX_PRF_LEN];
	struct ike_mb mb;
	size_t len, alen;
	unsigned n;

	alen = ti_resume_auth(t, idb, env_idb(idb, type, id, id_len), libreswan, auth);
	assert_true(alen > 0);
	ti_begin(t, &mb, buf, ENV_BUF, IKE_EXCH_IKE_AUTH);
	ike_mb_add_id(&mb, IKE_PLD_IDI, type, id, id_len);
	ike_mb_add_auth(&mb, IKE_AUTH_PSK, auth, alen);
	env_add_child(&mb, true);
	if (want_ticket)
		ike_mb_add_notify(&mb, IKE_PROTO_NONE, NULL, 0, IKE_N_TICKET_REQUEST, NULL, 0);
	len = ti_end(t, &mb);
	n = env_feed(sh->s, t, buf, len);
	if (n == 1)
		assert_int_equal(ti_open(t, E.out, E.out_len, m), 0);
	return n;
}

static unsigned
resume_auth(struct core_shard *sh, struct ti *t, bool libreswan, bool want_ticket,
	    struct ike_msg *m)
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
resume_ok(struct core_shard *sh, struct ti *t, const struct held *h, struct held *next)
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
	assert_int_equal(env_ctr(E.a.s, "ticket_issued"), 1);
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
	assert_int_equal(env_ctr(E.a.s, "resume_old_sa_deleted"), 1);
	assert_int_equal(env_ctr(E.a.s, "resume_ok"), 1);
	assert_int_equal(ike_shard_nb_sas(E.a.s), 1);
	assert_int_equal(E.n_del, del + 1);
	env_liveness_ok(E.a.s, &t2);
	/* The ticket of the resumed SA resumes again. */
	E.now += 5000;
	ti_fini(&t);
	resume_ok(&E.a, &t, &h2, NULL);
	env_liveness_ok(E.a.s, &t);
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
	env_liveness_ok(E.b.s, &t2);
	assert_int_equal(env_ctr(E.b.s, "resume_ok"), 1);
	assert_int_equal(env_ctr(E.b.s, "resume_old_sa_deleted"), 0);
	ti_fini(&t);
	ti_fini(&t2);
}

/* Resume with a ticket that must be refused as reason; then a full handshake works. */
static void
nack_then_full(struct core_shard *sh, const struct held *h, const char *reason)
{
	char name[64];
	struct ti t;

	snprintf(name, sizeof(name), "ticket_nack_%s", reason); /* telemetry form: "_" for "-" */
	assert_int_equal(env_ctr(sh->s, name), 0);
	assert_false(resume_init(sh, &t, h));
	assert_int_equal(env_ctr(sh->s, name), 1);
	ti_fini(&t);
	establish(sh, &t, false, NULL);
	env_liveness_ok(sh->s, &t);
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
	env_shard_down(&E.b);
	E.cfg.peers = &E.peers[1];
	E.cfg.nb_peers = 1;
	assert_int_equal(env_shard_up(&E.b, 5), 0);
	assert_false(resume_init(&E.b, &t, &h));
	assert_int_equal(env_ctr(E.b.s, "ticket_nack_policy"), 1);
	ti_fini(&t);
}

static void
test_deleted_sa_ticket_refused(void **state)
{
	uint8_t buf[ENV_BUF];
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
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
	assert_int_equal(env_ctr(E.a.s, "ticket_revoked"), 1);
	ti_fini(&t);
	nack_then_full(&E.a, &h, "replayed");
}

/*
 * Two IKE_SESSION_RESUMEs of one ticket in flight at once: both pass the
 * check at IKE_SESSION_RESUME. The second IKE_AUTH finds the ticket used;
 * its peer proved it holds the ticket's SK_d, so it is counted and
 * accepted, never answered with AUTHENTICATION_FAILED. A third use, after
 * both, gets TICKET_NACK and a full handshake.
 */
static void
test_parallel_resume_at_auth(void **state)
{
	struct ike_msg m;
	struct held h;
	struct ti t, t1, t2;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_fini(&t);
	assert_true(resume_init(&E.a, &t1, &h));
	assert_true(resume_init(&E.a, &t2, &h));
	assert_int_equal(resume_auth(&E.a, &t1, false, false, &m), 1);
	check_resp_auth(&t1, &m, false);
	assert_int_equal(env_ctr(E.a.s, "resume_ticket_seen_at_auth"), 0);
	assert_int_equal(resume_auth(&E.a, &t2, false, false, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	check_resp_auth(&t2, &m, false);
	assert_int_equal(env_ctr(E.a.s, "resume_ticket_seen_at_auth"), 1);
	assert_int_equal(env_ctr(E.a.s, "resume_ok"), 2);
	ti_fini(&t1);
	ti_fini(&t2);
	nack_then_full(&E.a, &h, "replayed");
	assert_int_equal(env_ctr(E.a.s, "ticket_nack_replay_filter_full"), 0);
}

static void
test_refresh_in_informational(void **state)
{
	uint8_t buf[ENV_BUF];
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
	assert_int_equal(env_feed(E.a.s, &t, buf, len), 1);
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
	uint8_t buf[ENV_BUF], first[ENV_BUF];
	struct ike_msg m;
	struct held h;
	struct ti t, t2;
	size_t len, flen;

	(void)state;
	establish(&E.a, &t, false, &h);
	ti_init(&t2, &E.ops);
	len = ti_resume(&t2, buf, sizeof(buf), h.ticket, h.len, NULL, 0);
	assert_int_equal(env_feed(E.a.s, &t2, buf, len), 1);
	memcpy(first, E.out, E.out_len);
	flen = E.out_len;
	assert_int_equal(env_feed(E.a.s, &t2, buf, len), 1);
	assert_int_equal(E.out_len, flen);
	assert_memory_equal(E.out, first, flen);
	assert_int_equal(env_ctr(E.a.s, "resume_retransmit"), 1);
	assert_int_equal(env_ctr(E.a.s, "ticket_nack_replayed"), 0);
	assert_int_equal(ti_resume_done(&t2, first, flen, &XF_STD, h.sk_d, h.sk_d_len), 0);
	assert_int_equal(resume_auth(&E.a, &t2, false, false, &m), 1);
	check_resp_auth(&t2, &m, false);
	ti_fini(&t);
	ti_fini(&t2);
}

static void
test_key_rotation(void **state)
{
	struct ike_ticket_keyring *old = keyring, *ring2;
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
	keyring = ring2;
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
	uint8_t buf[ENV_BUF], cookie[64];
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
	assert_int_equal(env_feed(E.a.s, &t2, buf, len), 1);
	assert_int_equal(ike_msg_parse(E.out, E.out_len, &m), IKE_PARSE_OK);
	assert_int_equal(m.spi_r, 0);
	assert_non_null(env_notify(&m, IKE_N_COOKIE, &n));
	assert_null(ike_msg_find_notify(&m, IKE_N_TICKET_NACK));
	assert_int_equal(ike_shard_nb_half_open(E.a.s), 0);
	clen = n.len;
	memcpy(cookie, n.data, clen);
	len = ti_resume(&t2, buf, sizeof(buf), h.ticket, h.len, cookie, clen);
	assert_int_equal(env_feed(E.a.s, &t2, buf, len), 1);
	assert_int_equal(ti_resume_done(&t2, E.out, E.out_len, &XF_STD, h.sk_d, h.sk_d_len), 0);
	assert_int_equal(resume_auth(&E.a, &t2, false, false, &m), 1);
	check_resp_auth(&t2, &m, false);
	assert_int_equal(env_ctr(E.a.s, "cookie_sent"), 1);
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
	assert_int_equal(env_ctr(E.a.s, "resume_auth_failed"), 1);
	ti_fini(&t2);
	/* With the option it is accepted and answered in the same form. */
	E.cfg.resume_auth_compat_libreswan = true;
	assert_true(resume_init(&E.a, &t2, &h));
	assert_int_equal(resume_auth(&E.a, &t2, true, false, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	check_resp_auth(&t2, &m, true);
	assert_int_equal(env_ctr(E.a.s, "resume_auth_libreswan_form"), 1);
	env_liveness_ok(E.a.s, &t2);
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
	assert_int_equal(env_ctr(E.a.s, "resume_auth_failed"), 1);
	ti_fini(&t2);
	assert_true(resume_init(&E.a, &t2, &hb));
	assert_int_equal(resume_auth_as(&E.a, &t2, true, true, false, &m), 1);
	assert_null(ike_msg_find_notify(&m, IKE_N_AUTHENTICATION_FAILED));
	check_resp_auth(&t2, &m, true);
	assert_int_equal(env_ctr(E.a.s, "resume_auth_libreswan_form"), 1);
	assert_int_equal(env_ctr(E.a.s, "resume_ok"), 1);
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
	assert_non_null(env_notify(&m, IKE_N_AUTH_LIFETIME, &n));
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
		T(test_parallel_resume_at_auth),
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
