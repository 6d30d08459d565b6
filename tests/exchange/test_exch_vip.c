/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchange tests of virtual IPs (RFC 7296 3.15, docs/protocol.md "Virtual
 * IPs"): the initiator library asks with CP(CFG_REQUEST) in IKE_AUTH, the
 * responder core answers CP(CFG_REPLY) from its pool and narrows TSi to the
 * address. Exhaustion (INTERNAL_ADDRESS_FAILURE), requested addresses,
 * release on DELETE, leases kept across an IKE rekey, two gateways with
 * different [pool] member slices over thousands of leases, and the same
 * address after resumption on a second gateway sharing the ticket keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"

static struct exch X;
static struct ike_init_ticket T;

static void
pool4(struct ike_pool_cfg *p, uint8_t a, uint8_t b, uint8_t c, uint8_t plen)
{
	p->has_v4 = true;
	p->v4[0] = a;
	p->v4[1] = b;
	p->v4[2] = c;
	p->v4[3] = 0;
	p->v4_plen = plen;
}

/*
 * [pool] v4 = 10.98.0.0/24, v6 = fd00:98::/112, dns = 10.99.0.53, fd00:99::53;
 * the test may change the configuration before exch_start().
 */
static void
setup(bool tickets, bool v6)
{
	static const uint8_t dns6[16] = {0xfd, 0, 0, 0x99, [15] = 0x53};
	struct ike_pool_cfg *p = &X.core_cfg.pool;

	exch_init(&X, &exch_ike_x25519_gcm, &exch_esp_gcm, NULL, 0);
	pool4(p, 10, 98, 0, 24);
	p->nb_dns4 = 1;
	memcpy(p->dns4[0], (uint8_t[]){10, 99, 0, 53}, 4);
	if (v6) {
		p->has_v6 = true;
		p->v6[0] = 0xfd;
		p->v6[3] = 0x98;
		p->v6_plen = 112;
		p->nb_dns6 = 1;
		memcpy(p->dns6[0], dns6, 16);
	}
	X.cfg.cp_v4 = true;
	X.cfg.cp_v6 = v6;
	if (tickets)
		exch_tickets(&X, &T, true);
}

static void
start(bool tickets, bool v6)
{
	setup(tickets, v6);
	exch_start(&X);
}

static uint32_t
held4(const struct ike_shard *s)
{
	uint32_t held, nfree;

	ike_shard_pool_usage(s, 4, &held, &nfree);
	return held;
}

/* The client's address, what the core says the SA holds and what the Child SA carries agree. */
static void
assert_vip4(const uint8_t want[4])
{
	const struct ike_child_info *ci = exch_last_install(&X);
	struct ike_vip v;

	assert_true(X.c.vip.has4);
	assert_memory_equal(X.c.vip.ip4, want, 4);
	assert_true(ike_shard_sa_vip(X.shard, X.c.spi_r, &v));
	assert_true(v.has4);
	assert_memory_equal(v.ip4, want, 4);
	assert_true(ci->install && ci->vip.has4);
	assert_memory_equal(ci->vip.ip4, want, 4);
	/* RFC 7296 2.9: TSi narrowed to the one address, on both sides. */
	assert_int_equal(ci->tsi.family, 4);
	assert_memory_equal(ci->tsi.start, want, 4);
	assert_memory_equal(ci->tsi.end, want, 4);
	assert_memory_equal(X.c.child.tsi.start, want, 4);
	assert_memory_equal(X.c.child.tsi.end, want, 4);
}

static void
test_assign_v4_v6(void **state)
{
	static const uint8_t first4[4] = {10, 98, 0, 1};
	static const uint8_t first6[16] = {0xfd, 0, 0, 0x98, [15] = 1};

	(void)state;
	start(false, true);
	exch_handshake(&X);
	assert_vip4(first4);
	assert_memory_equal(X.c.vip.mask4, ((uint8_t[]){255, 255, 255, 0}), 4);
	assert_true(X.c.vip.has_dns4);
	assert_memory_equal(X.c.vip.dns4, ((uint8_t[]){10, 99, 0, 53}), 4);
	assert_true(X.c.vip.has6);
	assert_memory_equal(X.c.vip.ip6, first6, 16);
	assert_true(X.c.vip.has_dns6);
	assert_int_equal(exch_ctr(&X, "cp_lease_new"), 2);
	exch_fini(&X);
}

/* The client proposes TSi of both families (strongSwan's vips = 0.0.0.0,::). */
static void
tsi_both(void)
{
	X.cfg.tsi2.type = IKE_TS_IPV6_ADDR_RANGE;
	X.cfg.tsi2.end_port = 65535;
	memset(X.cfg.tsi2.end, 0xff, 16);
}

/* The install of the current Child SA carries both virtual IPs as its client selectors. */
static void
assert_dual_install(const uint8_t ip4[4], const uint8_t ip6[16])
{
	const struct ike_child_info *ci = exch_last_install(&X);

	assert_true(ci->install);
	assert_int_equal(ci->tsi.family, 4);
	assert_memory_equal(ci->tsi.start, ip4, 4);
	assert_memory_equal(ci->tsi.end, ip4, 4);
	assert_int_equal(ci->tsi2.family, 6);
	assert_memory_equal(ci->tsi2.start, ip6, 16);
	assert_memory_equal(ci->tsi2.end, ip6, 16);
}

/*
 * Dual stack (strongSwan's vips = 0.0.0.0,::, NetworkManager, mobile
 * clients): TSi of both families, CP for both. One Child SA whose
 * data-path record holds both narrowed selectors; a rekey of ours and one
 * of the client's keep both.
 */
static void
test_dual_stack_one_child(void **state)
{
	static const uint8_t first4[4] = {10, 98, 0, 1};
	static const uint8_t first6[16] = {0xfd, 0, 0, 0x98, [15] = 1};
	uint32_t old_in;

	(void)state;
	setup(false, true);
	exch_requests_only(&X);
	tsi_both();
	exch_start(&X);
	exch_handshake(&X);
	assert_dual_install(first4, first6);
	assert_int_equal(X.n_child_ev, 1);
	/* The client sees both narrowed too. */
	assert_memory_equal(X.c.child.tsi.start, first4, 4);
	assert_int_equal(X.c.child.tsi2.type, IKE_TS_IPV6_ADDR_RANGE);
	assert_memory_equal(X.c.child.tsi2.start, first6, 16);
	assert_memory_equal(X.c.child.tsi2.end, first6, 16);
	/* Our rekey (a soft lifetime): the new SA has both. */
	old_in = exch_core_spi_in(&X);
	assert_int_equal(exch_soft(&X, old_in), 1);
	assert_int_equal(exch_to_client(&X, &X.tx[0]), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(exch_to_responder(&X), 1);
	assert_int_not_equal(exch_last_install(&X)->spi_in, old_in);
	assert_dual_install(first4, first6);
	/* The client's rekey: both again. */
	old_in = exch_last_install(&X)->spi_in;
	assert_int_equal(ike_init_req_rekey_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	exch_round(&X);
	assert_int_not_equal(exch_last_install(&X)->spi_in, old_in);
	assert_dual_install(first4, first6);
	exch_fini(&X);
}

/* 3.15.2: the protected network, when [child] ts_start..ts_end is one prefix. */
static void
test_protected_subnet(void **state)
{
	(void)state;
	start(false, false); /* [child] 10.0.0.0 .. 10.255.255.255 */
	exch_handshake(&X);
	assert_true(X.c.vip.has_subnet4);
	assert_memory_equal(X.c.vip.subnet4, ((uint8_t[]){10, 0, 0, 0, 255, 0, 0, 0}), 8);
	exch_fini(&X);
	setup(false, false);
	X.core_cfg.ts_end.ip[3] = 254; /* 10.0.0.0 .. 10.255.255.254: not one prefix */
	exch_start(&X);
	exch_handshake(&X);
	assert_true(X.c.vip.has4);
	assert_false(X.c.vip.has_subnet4);
	exch_fini(&X);
}

/* No CP in the request: no address, TSi narrowed to the configured range as before. */
static void
test_no_request_no_lease(void **state)
{
	(void)state;
	start(false, false);
	X.cfg.cp_v4 = false;
	exch_handshake(&X);
	assert_false(X.c.vip.has4);
	assert_false(X.child_ev[X.n_child_ev - 1].vip.has4);
	assert_int_equal(X.child_ev[X.n_child_ev - 1].tsi.start[0], 10);
	assert_int_equal(held4(X.shard), 0);
	exch_fini(&X);
}

/* A second identity the responder knows (for tests where two users meet). */
static const uint8_t id_b[] = "client-2@example.net";
static struct ike_peer_cfg peers2[2];
static struct ike_init_cred cred_b;

/* Before exch_start(). */
static void
two_identities(void)
{
	peers2[0] = X.peer;
	peers2[1] = X.peer;
	peers2[1].id_len = sizeof(id_b) - 1;
	memcpy(peers2[1].id, id_b, sizeof(id_b) - 1);
	X.core_cfg.peers = peers2;
	X.core_cfg.nb_peers = 2;
	cred_b = X.cfg.cred;
	cred_b.id = id_b;
	cred_b.id_len = sizeof(id_b) - 1;
}

static void
test_requested_address(void **state)
{
	static const uint8_t want[4] = {10, 98, 0, 77};
	uint64_t first_spi;
	struct ike_vip v;

	(void)state;
	setup(false, false);
	two_identities();
	memcpy(X.cfg.cp_want4, want, 4);
	exch_start(&X);
	exch_handshake(&X);
	assert_vip4(want);
	assert_int_equal(exch_ctr(&X, "cp_lease_requested_address"), 1);
	first_spi = X.c.spi_r;
	/* Another identity asks for it: taken, so another address. */
	X.cfg.initial_contact = false;
	ike_init_client_reset(&X.c);
	ike_init_set_cred(&X.c, &cred_b);
	exch_handshake_more(&X);
	assert_true(X.c.vip.has4);
	assert_memory_not_equal(X.c.vip.ip4, want, 4);
	assert_int_equal(exch_ctr(&X, "cp_requested_address_refused"), 1);
	/*
	 * The same identity asks for it from a new IKE SA while the first one is
	 * up (RFC 4478 reauthentication, make-before-break): it moves over.
	 */
	ike_init_client_reset(&X.c);
	ike_init_set_cred(&X.c, &X.cfg.cred);
	exch_handshake_more(&X);
	assert_vip4(want);
	assert_int_equal(exch_ctr(&X, "cp_lease_taken_over"), 1);
	assert_true(ike_shard_sa_vip(X.shard, first_spi, &v));
	assert_false(v.has4);
	assert_int_equal(ike_shard_nb_sas(X.shard), 3);
	assert_int_equal(held4(X.shard), 2);
	/* Outside the pool: refused, another one given. */
	memcpy(X.cfg.cp_want4, ((uint8_t[]){192, 0, 2, 1}), 4);
	ike_init_client_reset(&X.c);
	exch_handshake_more(&X);
	assert_true(X.c.vip.has4);
	assert_int_equal(X.c.vip.ip4[2], 0);
	assert_int_equal(exch_ctr(&X, "cp_requested_address_refused"), 2);
	exch_fini(&X);
}

/* RFC 7296 3.10.1, 3.15.4: no address left: INTERNAL_ADDRESS_FAILURE, no Child SA. */
static void
test_exhausted(void **state)
{
	(void)state;
	setup(false, false);
	X.cfg.initial_contact = false;
	X.core_cfg.pool.v4_plen = 30; /* two usable addresses (.1, .2) */
	exch_start(&X);
	for (int i = 0; i < 2; i++) {
		ike_init_client_reset(&X.c);
		exch_handshake_more(&X);
		assert_true(X.c.vip.has4);
		assert_int_equal(X.c.vip.ip4[3], i + 1);
	}
	ike_init_client_reset(&X.c);
	assert_int_equal(ike_init_start(&X.c, &X.hs, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_ADDRESS_FAILURE);
	assert_int_equal(exch_ctr(&X, "cp_internal_address_failure"), 1);
	/* The IKE SA is up (3.10.1), without a Child SA and without an address. */
	assert_int_equal(ike_shard_nb_sas(X.shard), 3);
	assert_int_equal(held4(X.shard), 2);
	exch_fini(&X);
}

static void
test_release_on_delete(void **state)
{
	uint8_t first[4];

	(void)state;
	start(false, false);
	exch_handshake(&X);
	memcpy(first, X.c.vip.ip4, 4);
	assert_int_equal(held4(X.shard), 1);
	assert_int_equal(ike_init_req_delete_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	exch_round(&X);
	exch_tick(&X, X.now_ms + 1000);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(held4(X.shard), 0);
	assert_int_equal(exch_ctr(&X, "cp_lease_released"), 1);
	/* No ticket was issued: the address is free at once, and handed out again. */
	ike_init_client_reset(&X.c);
	exch_handshake(&X);
	assert_memory_equal(X.c.vip.ip4, first, 4);
	exch_fini(&X);
}

/* An IKE SA rekey keeps the address; the new SA's Child SAs are narrowed to it too. */
static void
test_kept_across_ike_rekey(void **state)
{
	uint8_t first[4];
	struct ike_vip v;

	(void)state;
	start(false, false);
	exch_handshake(&X);
	memcpy(first, X.c.vip.ip4, 4);
	assert_int_equal(ike_init_req_rekey_ike(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	/* <-- SA, Nr, KEr;  D(IKE) of the old SA --> (its answer belongs to the old SA) */
	assert_int_equal(exch_round(&X), IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_IGNORED);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_true(ike_shard_sa_vip(X.shard, X.c.spi_r, &v));
	assert_true(v.has4);
	assert_memory_equal(v.ip4, first, 4);
	assert_int_equal(held4(X.shard), 1);
	assert_int_equal(ike_init_req_new_child(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_memory_equal(exch_last_install(&X)->tsi.start, first, 4);
	assert_memory_equal(exch_last_install(&X)->tsi.end, first, 4);
	exch_fini(&X);
}

static void
child_cb(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	(void)c;
}

/* A gateway of the same farm: the same pool and ticket keys, another member slice. */
static struct ike_shard *
gateway(struct ike_core_cfg *cfg, uint16_t k, uint16_t n, void **mem)
{
	size_t sz;
	struct ike_shard *s;

	*cfg = X.core_cfg;
	cfg->pool.member_k = k;
	cfg->pool.member_n = n;
	sz = ike_shard_mem_size(cfg);
	*mem = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	assert_non_null(*mem);
	s = ike_shard_init(*mem, cfg, 0, &exch_ops, child_cb, NULL);
	assert_non_null(s);
	return s;
}

/*
 * Two gateways, members 1/2 and 2/2 of a /20, 1500 leases each: every
 * address lies in its own gateway's half, and no address is given twice.
 */
static void
test_partition_two_gateways(void **state)
{
	static uint8_t seen[4096];
	struct ike_core_cfg cfg[2], saved;
	struct ike_shard *gw[2], *orig;
	void *mem[2];

	(void)state;
	start(false, false);
	orig = X.shard;
	saved = X.core_cfg;
	X.cfg.initial_contact = false;
	X.core_cfg.max_ike_sas = 2048;
	X.core_cfg.max_half_open = 16;
	pool4(&X.core_cfg.pool, 10, 98, 0, 20);
	memset(seen, 0, sizeof(seen));
	for (int g = 0; g < 2; g++)
		gw[g] = gateway(&cfg[g], (uint16_t)(g + 1), 2, &mem[g]);
	for (int i = 0; i < 1500; i++) {
		for (int g = 0; g < 2; g++) {
			unsigned off;

			X.shard = gw[g];
			ike_init_client_reset(&X.c);
			exch_handshake_more(&X);
			assert_true(X.c.vip.has4);
			off = (unsigned)(X.c.vip.ip4[2] & 0x0f) << 8 | X.c.vip.ip4[3];
			/* 4094 usable: member 1 has offsets 1..2047, member 2 2048..4094. */
			assert_true(g == 0 ? off >= 1 && off <= 2047 : off >= 2048 && off <= 4094);
			assert_int_equal(seen[off], 0);
			seen[off] = 1;
		}
	}
	for (int g = 0; g < 2; g++) {
		assert_int_equal(held4(gw[g]), 1500);
		ike_shard_fini(gw[g]);
		free(mem[g]);
	}
	X.shard = orig;
	X.core_cfg = saved;
	exch_fini(&X);
}

/* Gateway 1 of 2 (member 1/2 of the pool, tickets on), the client's SA up on it. */
static void
start_first_gateway(bool v6)
{
	setup(true, v6);
	X.core_cfg.pool.member_k = 1;
	X.core_cfg.pool.member_n = 2;
	exch_start(&X);
	exch_handshake(&X);
}

static struct ike_shard *first_gw;
static struct ike_core_cfg second_cfg;
static void *second_mem;

/* The client's peer is gateway 2 (member 2/2) from now; gateway 1 stays. */
static void
to_second_gateway(void)
{
	first_gw = X.shard;
	X.shard = gateway(&second_cfg, 2, 2, &second_mem);
}

/* Gateway 2 goes, then gateway 1 and the client. */
static void
fini_two_gateways(void)
{
	ike_shard_fini(X.shard);
	free(second_mem);
	X.shard = first_gw;
	exch_fini(&X);
}

/*
 * The ticket carries the lease: on a second gateway (member 2/2, whose
 * slice does not hold the address) the resumed client gets the same
 * address, and its authentication ends when the issuer's reservation does.
 */
static void
test_resume_other_gateway_same_vip(void **state)
{
	uint8_t vip[4];

	(void)state;
	start_first_gateway(false);
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_ISSUED);
	memcpy(vip, X.c.vip.ip4, 4);
	assert_true(vip[3] < 128);
	to_second_gateway();
	exch_resume(&X);
	assert_vip4(vip);
	assert_int_equal(exch_ctr(&X, "cp_lease_resumed_foreign"), 1);
	/* RFC 4478 deadline capped at the ticket's expiry: N(AUTH_LIFETIME) says so. */
	assert_true(X.c.auth_lifetime_s > 0 && X.c.auth_lifetime_s <= EXCH_TICKET_LIFETIME_S);
	/* A new client on the second gateway gets an address of its own slice. */
	X.cfg.ticket_request = false;
	X.cfg.initial_contact = false;
	ike_init_client_reset(&X.c);
	exch_handshake_more(&X);
	assert_true(X.c.vip.ip4[3] >= 128);
	fini_two_gateways();
}

/*
 * Dual stack: both addresses travel in the ticket (state version 2) and
 * come back, and the resumed SA's Child SA carries both again.
 */
static void
test_resume_other_gateway_v4_v6(void **state)
{
	uint8_t ip4[4], ip6[16];

	(void)state;
	setup(true, true);
	tsi_both();
	X.core_cfg.pool.member_k = 1;
	X.core_cfg.pool.member_n = 2;
	exch_start(&X);
	exch_handshake(&X);
	assert_true(X.c.vip.has4 && X.c.vip.has6);
	memcpy(ip4, X.c.vip.ip4, 4);
	memcpy(ip6, X.c.vip.ip6, 16);
	to_second_gateway();
	exch_resume(&X);
	assert_true(X.c.vip.has4 && X.c.vip.has6);
	assert_memory_equal(X.c.vip.ip4, ip4, 4);
	assert_memory_equal(X.c.vip.ip6, ip6, 16);
	assert_int_equal(exch_ctr(&X, "cp_lease_resumed_foreign"), 2);
	assert_dual_install(ip4, ip6);
	fini_two_gateways();
}

/*
 * Same gateway, the client lost its SA but the gateway still has it: the
 * resumption takes the address over and the old SA goes (RFC 5723 4.3.4).
 * After the client's SA is gone without a DELETE, the address stays parked
 * for the ticket: a new client does not get it, the resumed one does.
 */
static void
test_resume_same_gateway(void **state)
{
	uint8_t vip[4];

	(void)state;
	start(true, false);
	exch_handshake(&X);
	memcpy(vip, X.c.vip.ip4, 4);
	exch_resume(&X);
	assert_vip4(vip);
	assert_int_equal(exch_ctr(&X, "cp_lease_resumed"), 1);
	exch_tick(&X, X.now_ms + 1000);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(held4(X.shard), 1);
	exch_fini(&X);
}

/* The SA expires (no DELETE from the client): its address is kept for the ticket. */
static void
test_parked_for_ticket(void **state)
{
	struct ike_init_ticket keep;
	uint8_t vip[4];

	(void)state;
	setup(true, false);
	X.core_cfg.ike_lifetime_s = 60;
	exch_start(&X);
	exch_handshake(&X);
	memcpy(vip, X.c.vip.ip4, 4);
	keep = T;
	/* Past the IKE SA lifetime and its grace: the core deletes it. */
	for (int i = 0; i < 400 && ike_shard_nb_sas(X.shard) != 0; i++)
		exch_tick(&X, X.now_ms + 1000);
	assert_int_equal(ike_shard_nb_sas(X.shard), 0);
	assert_int_equal(held4(X.shard), 0);
	/* Another client: not the parked address. */
	X.cfg.ticket_request = false;
	ike_init_client_reset(&X.c);
	exch_handshake(&X);
	assert_memory_not_equal(X.c.vip.ip4, vip, 4);
	/* The first client comes back with its ticket: its address. */
	X.cfg.ticket_request = true;
	T = keep;
	exch_resume(&X);
	assert_memory_equal(X.c.vip.ip4, vip, 4);
	exch_fini(&X);
}

/*
 * Two tickets of one session (a refresh on gateway 1 revokes the first
 * there only) resumed one after the other on gateway 2: the second finds
 * the address held by the first one's SA, of the same identity. That SA is
 * the same session's: it goes and the address moves to the new SA.
 */
static void
test_resume_held_by_same_identity(void **state)
{
	struct ike_init_ticket t1, t2;
	uint8_t vip[4];

	(void)state;
	start_first_gateway(false);
	memcpy(vip, X.c.vip.ip4, 4);
	t1 = T;
	assert_int_equal(ike_init_req_ticket(&X.c, X.req, sizeof(X.req), &X.req_len),
			 IKE_INIT_R_SEND_REQUEST);
	assert_int_equal(exch_round(&X), IKE_INIT_R_DONE);
	assert_int_equal(X.c.ticket_answer, IKE_INIT_TICKET_ISSUED);
	t2 = T;
	to_second_gateway();
	T = t1;
	exch_resume(&X);
	assert_vip4(vip);
	T = t2;
	exch_resume(&X);
	assert_vip4(vip);
	assert_int_equal(exch_ctr(&X, "cp_lease_old_sa_deleted"), 1);
	exch_tick(&X, X.now_ms + 1000);
	assert_int_equal(ike_shard_nb_sas(X.shard), 1);
	assert_int_equal(held4(X.shard), 1);
	fini_two_gateways();
}

/*
 * The documented restart limit: a gateway that restarts forgets that an
 * address is parked for a ticket, gives it to another identity, and the
 * ticket's holder then gets another address (never the other one's).
 */
static void
test_resume_conflict_after_restart(void **state)
{
	struct ike_init_ticket t1;
	uint8_t vip[4];

	(void)state;
	setup(true, false);
	two_identities();
	exch_start(&X);
	exch_handshake(&X);
	memcpy(vip, X.c.vip.ip4, 4);
	t1 = T;
	exch_restart(&X);
	/* Identity B, fresh state: the lowest address again, the one A's ticket names. */
	ike_init_client_reset(&X.c);
	ike_init_set_cred(&X.c, &cred_b);
	X.cfg.ticket_request = false;
	exch_handshake(&X);
	assert_memory_equal(X.c.vip.ip4, vip, 4);
	/* A comes back with its ticket: B keeps the address, A gets another. */
	X.cfg.ticket_request = true;
	ike_init_set_cred(&X.c, &X.cfg.cred);
	T = t1;
	exch_resume(&X);
	assert_true(X.c.vip.has4);
	assert_memory_not_equal(X.c.vip.ip4, vip, 4);
	assert_int_equal(exch_ctr(&X, "cp_ticket_lease_conflict"), 1);
	assert_int_equal(held4(X.shard), 2);
	exch_fini(&X);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign_v4_v6),
		cmocka_unit_test(test_dual_stack_one_child),
		cmocka_unit_test(test_no_request_no_lease),
		cmocka_unit_test(test_protected_subnet),
		cmocka_unit_test(test_requested_address),
		cmocka_unit_test(test_exhausted),
		cmocka_unit_test(test_release_on_delete),
		cmocka_unit_test(test_kept_across_ike_rekey),
		cmocka_unit_test(test_partition_two_gateways),
		cmocka_unit_test(test_resume_other_gateway_same_vip),
		cmocka_unit_test(test_resume_other_gateway_v4_v6),
		cmocka_unit_test(test_resume_same_gateway),
		cmocka_unit_test(test_parked_for_ticket),
		cmocka_unit_test(test_resume_held_by_same_identity),
		cmocka_unit_test(test_resume_conflict_after_restart),
	};

	return cmocka_run_group_tests(tests, exch_ticket_setup, exch_ticket_teardown);
}
