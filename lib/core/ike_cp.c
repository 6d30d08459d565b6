/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_cp.c - virtual IPs for remote-access clients (RFC 7296 3.15, 2.19):
 *   IKE_AUTH  HDR, SK {IDi, AUTH, CP(CFG_REQUEST), SAi2, TSi, TSr}  -->
 *       <--  HDR, SK {IDr, AUTH, CP(CFG_REPLY), SAr2, TSi, TSr}
 * INTERNAL_IP4_ADDRESS / INTERNAL_IP6_ADDRESS come from the shard's pools
 * (ike_pool.c), with INTERNAL_IP4_NETMASK when asked and the configured
 * INTERNAL_IP4_DNS / INTERNAL_IP6_DNS; other attributes are ignored
 * (3.15.1). A requested address is given when it is free and in this
 * shard's slice. After IKE_SESSION_RESUME the ticket's lease wins, on any
 * gateway (docs/protocol.md "Virtual IPs"). A client that asked for an
 * address and gets none: N(INTERNAL_ADDRESS_FAILURE) and no Child SA
 * (3.10.1), the IKE SA stays. TSi of every Child SA of a leased SA is
 * narrowed to its addresses (2.9). Leases go with the IKE SA: kept across
 * IKE rekeys, released (or parked for its tickets) when it is removed.
 */
#include <string.h>

#include "ike_core_priv.h"

/* Family index of the shard's pools and the SA's lease slots. */
enum { V4, V6 };

static uint32_t *
slot_of(struct ike_sa *sa, int f)
{
	return f == V4 ? &sa->vip4 : &sa->vip6;
}

static uint32_t
slot_get(const struct ike_sa *sa, int f)
{
	return f == V4 ? sa->vip4 : sa->vip6;
}

static uint32_t
now32(const struct ike_shard *s)
{
	return (uint32_t)ike_now_s(s);
}

/* What CP(CFG_REQUEST) asked for. */
static void
read_request(const struct ike_req *r, struct ike_cp_ans *a)
{
	const struct ike_pld *p = ike_msg_find(&r->msg, IKE_PLD_CP, 0);
	struct ike_pld_cp cp;

	if (p == NULL || ike_pld_cp_parse(ike_req_body(r, p), p->len, &cp) != IKE_PARSE_OK ||
	    cp.cfg_type != IKE_CFG_REQUEST)
		return;
	a->asked = true;
	for (unsigned i = 0; i < cp.n_attr; i++) {
		const struct ike_cp_attr *at = &cp.attr[i];
		static const uint8_t zero[16];

		switch (at->type) {
		case IKE_CP_INTERNAL_IP4_ADDRESS:
			a->want[V4] = true;
			if (at->len == 4 && memcmp(at->value, zero, 4) != 0) {
				memcpy(a->req[V4], at->value, 4);
				a->has_req[V4] = true;
			}
			break;
		case IKE_CP_INTERNAL_IP6_ADDRESS:
			a->want[V6] = true;
			if (at->len == 17 && memcmp(at->value, zero, 16) != 0) {
				memcpy(a->req[V6], at->value, 16);
				a->has_req[V6] = true;
			}
			break;
		case IKE_CP_INTERNAL_IP4_NETMASK:
			a->mask4 = true;
			break;
		case IKE_CP_INTERNAL_IP4_DNS:
			a->dns[V4] = true;
			break;
		case IKE_CP_INTERNAL_IP6_DNS:
			a->dns[V6] = true;
			break;
		default:
			break; /* 3.15.1: not ours to answer */
		}
	}
}

/*
 * Gives off (held by another SA here) to sa when that SA is going anyway,
 * or is the same identity's (not the wildcard certificate entry, which
 * stands for many users):
 *  - a ticket's lease: an earlier SA of the session the ticket continues;
 *    it is removed silently, as RFC 5723 4.3.4 does with the ticket's SA;
 *  - an address the client asks for: its own, from the SA it is replacing
 *    (RFC 4478 reauthentication, make-before-break); that SA stays until
 *    the client deletes it, without the address.
 * A different identity keeps it.
 */
static bool
transfer(struct ike_shard *s, struct ike_pool *p, int f, uint32_t off, struct ike_sa *sa,
	 uint32_t peer_idx, bool ticket)
{
	struct ike_sa *old = satable_lookup(s->sas, p->lease[off].holder);

	if (old == NULL || old == sa || slot_get(old, f) != off + 1)
		return false;
	if (old->state != IKE_SA_DYING) {
		if (old->peer_idx != peer_idx || s->peers_cfg[peer_idx].any_id)
			return false;
		if (ticket) {
			ike_ticket_revoke(s, old);
			ike_sa_kill(s, old);
			ike_count(s, IKE_CTR_CP_LEASE_OLD_SA_DELETED);
		} else {
			ike_count(s, IKE_CTR_CP_LEASE_TAKEN_OVER);
		}
	}
	*slot_of(old, f) = 0;
	p->lease[off].holder = ike_sa_spi_r(s, sa);
	return true;
}

/* One family: the ticket's or the requested address if we may, else a new one. */
static void
lease_family(struct ike_shard *s, int f, struct ike_sa *sa, uint32_t peer_idx,
	     const struct ike_ho_resume *rs, struct ike_cp_ans *a)
{
	struct ike_pool *p = &s->pool[f];
	bool ticket = rs != NULL && (f == V4 ? rs->vip.has4 : rs->vip.has6);
	const uint8_t *want = ticket ? (f == V4 ? rs->vip.ip4 : rs->vip.ip6)
				     : (a->has_req[f] ? a->req[f] : NULL);
	uint32_t off;

	if (!a->want[f] || p->alen == 0)
		return;
	if (want != NULL) {
		off = ike_pool_offset(p, want);
		if (off == IKE_POOL_NONE) {
			ike_count(s, ticket ? IKE_CTR_CP_TICKET_LEASE_NOT_IN_POOL
					    : IKE_CTR_CP_REQUEST_REFUSED);
		} else if ((ticket || ike_pool_own(p, off)) &&
			   (ike_pool_take(p, off, ike_sa_spi_r(s, sa)) ||
			    transfer(s, p, f, off, sa, peer_idx, ticket))) {
			*slot_of(sa, f) = off + 1;
			if (!ticket) {
				ike_count(s, IKE_CTR_CP_LEASE_REQUESTED);
			} else if (ike_pool_own(p, off)) {
				ike_count(s, IKE_CTR_CP_LEASE_RESUMED);
			} else {
				/* Only the issuer's reservation protects it: until the ticket's expiry. */
				if (a->foreign_until == 0 || rs->ticket_expires < a->foreign_until)
					a->foreign_until = rs->ticket_expires;
				ike_count(s, IKE_CTR_CP_LEASE_RESUMED_FOREIGN);
			}
			return;
		} else {
			ike_count(s, ticket ? IKE_CTR_CP_LEASE_CONFLICT : IKE_CTR_CP_REQUEST_REFUSED);
		}
	}
	off = ike_pool_alloc(p, ike_sa_spi_r(s, sa), now32(s));
	if (off == IKE_POOL_NONE)
		return;
	*slot_of(sa, f) = off + 1;
	ike_count(s, IKE_CTR_CP_LEASE_NEW);
}

void
ike_cp_lease(struct ike_shard *s, const struct ike_req *r, struct ike_sa *sa, uint32_t peer_idx,
	     const struct ike_ho_resume *rs, struct ike_cp_ans *a)
{
	memset(a, 0, sizeof(*a));
	if (s->pool[V4].alen == 0 && s->pool[V6].alen == 0)
		return; /* no pools: CP is ignored, as by a gateway without them */
	read_request(r, a);
	if (!a->asked)
		return;
	ike_count(s, IKE_CTR_CP_REQUEST);
	lease_family(s, V4, sa, peer_idx, rs, a);
	lease_family(s, V6, sa, peer_idx, rs, a);
	a->failed = (a->want[V4] || a->want[V6]) && sa->vip4 == 0 && sa->vip6 == 0;
}

void
ike_cp_cap_deadline(const struct ike_cp_ans *a, struct ike_sa *sa)
{
	if (a->foreign_until != 0 && (sa->auth_deadline == 0 || a->foreign_until < sa->auth_deadline))
		sa->auth_deadline = ike_unix32(a->foreign_until);
}

/*
 * The prefix length of [start, end] when it is exactly one prefix, else -1
 * (also for the whole address space: nothing to announce, all goes through).
 */
static int
range_prefix(const uint8_t *start, const uint8_t *end, unsigned alen)
{
	unsigned plen = 0;

	while (plen < alen * 8) {
		unsigned i = plen / 8, bit = 0x80u >> (plen % 8);

		if ((start[i] & bit) != (end[i] & bit))
			break;
		plen++;
	}
	for (unsigned b = plen; b < alen * 8; b++) {
		unsigned i = b / 8, bit = 0x80u >> (b % 8);

		if ((start[i] & bit) != 0 || (end[i] & bit) == 0)
			return -1;
	}
	return plen == 0 ? -1 : (int)plen;
}

static void
add_attr(struct ike_pld_cp *cp, uint16_t type, const uint8_t *v, uint16_t len)
{
	if (cp->n_attr == IKE_CP_MAX_ATTRS)
		return;
	cp->attr[cp->n_attr++] = (struct ike_cp_attr){.type = type, .len = len, .value = v};
}

bool
ike_cp_reply(struct ike_shard *s, const struct ike_sa *sa, const struct ike_cp_ans *a,
	     struct ike_mb *mb)
{
	const struct ike_core_cfg *cfg = s->cfg;
	const struct ike_pool_cfg *pc = &cfg->pool;
	uint8_t ip4[4], ip6[17], mask[4], subnet[17];
	bool v6net = cfg->ts_start.family == 6;
	struct ike_pld_cp cp;
	int plen;
	uint32_t m;

	if (!a->asked)
		return true;
	if (a->failed) {
		/* 3.10.1: no Child SA in this IKE_AUTH; 3.15.4: the client may retry later. */
		ike_count(s, IKE_CTR_CP_ADDRESS_FAILURE);
		ike_mb_add_notify(mb, IKE_PROTO_NONE, NULL, 0, IKE_N_INTERNAL_ADDRESS_FAILURE, NULL,
				  0);
		return false;
	}
	memset(&cp, 0, sizeof(cp));
	cp.cfg_type = IKE_CFG_REPLY;
	if (sa->vip4 != 0) {
		ike_pool_addr(&s->pool[V4], sa->vip4 - 1, ip4);
		add_attr(&cp, IKE_CP_INTERNAL_IP4_ADDRESS, ip4, 4);
		if (a->mask4) {
			m = s->pool[V4].plen ? ~(uint32_t)0 << (32 - s->pool[V4].plen) : 0;
			ike_put_u32(mask, m);
			add_attr(&cp, IKE_CP_INTERNAL_IP4_NETMASK, mask, 4);
		}
	}
	if (sa->vip4 != 0 || a->dns[V4])
		for (unsigned i = 0; i < pc->nb_dns4; i++)
			add_attr(&cp, IKE_CP_INTERNAL_IP4_DNS, pc->dns4[i], 4);
	if (sa->vip6 != 0) {
		/* 3.15.3: address and prefix length; the client owns this one address. */
		ike_pool_addr(&s->pool[V6], sa->vip6 - 1, ip6);
		ip6[16] = 128;
		add_attr(&cp, IKE_CP_INTERNAL_IP6_ADDRESS, ip6, 17);
	}
	if (sa->vip6 != 0 || a->dns[V6])
		for (unsigned i = 0; i < pc->nb_dns6; i++)
			add_attr(&cp, IKE_CP_INTERNAL_IP6_DNS, pc->dns6[i], 16);
	/*
	 * 3.15.2: the protected network ([child] ts_start..ts_end, what TSr is
	 * narrowed to) when it is one prefix, for a client that routes only it.
	 */
	plen = range_prefix(cfg->ts_start.ip, cfg->ts_end.ip, v6net ? 16 : 4);
	if (plen > 0 && (v6net ? sa->vip6 : sa->vip4) != 0) {
		memcpy(subnet, cfg->ts_start.ip, v6net ? 16 : 4);
		if (v6net) {
			subnet[16] = (uint8_t)plen;
		} else {
			ike_put_u32(subnet + 4, ~(uint32_t)0 << (32 - plen));
		}
		add_attr(&cp, v6net ? IKE_CP_INTERNAL_IP6_SUBNET : IKE_CP_INTERNAL_IP4_SUBNET, subnet,
			 v6net ? 17 : 8);
	}
	ike_mb_add_cp(mb, &cp);
	return true;
}

/* The first selector of `type` that holds addr, narrowed to addr alone. */
static bool
narrow_one(const struct ike_pld_ts *in, uint8_t type, const uint8_t *addr, size_t alen,
	   struct ike_pld_ts *out)
{
	for (unsigned i = 0; i < in->n_ts; i++) {
		const struct ike_ts *t = &in->ts[i];

		if (t->type != type || t->addr_len != alen ||
		    memcmp(t->start_addr, addr, alen) > 0 || memcmp(addr, t->end_addr, alen) > 0)
			continue;
		out->ts[out->n_ts] = *t;
		out->ts[out->n_ts].start_addr = addr;
		out->ts[out->n_ts].end_addr = addr;
		out->n_ts++;
		return true;
	}
	return false;
}

bool
ike_cp_narrow_tsi(const struct ike_shard *s, const struct ike_sa *sa, const struct ike_pld_ts *in,
		  struct ike_pld_ts *out, uint8_t addr_buf[IKE_TS_NARROW_MAX * 2][16])
{
	if (sa->vip4 == 0 && sa->vip6 == 0)
		return ike_tsi_narrow(s->cfg, in, out, addr_buf);
	out->n_ts = 0;
	if (sa->vip4 != 0) {
		ike_pool_addr(&s->pool[V4], sa->vip4 - 1, addr_buf[0]);
		narrow_one(in, IKE_TS_IPV4_ADDR_RANGE, addr_buf[0], 4, out);
	}
	if (sa->vip6 != 0) {
		ike_pool_addr(&s->pool[V6], sa->vip6 - 1, addr_buf[1]);
		narrow_one(in, IKE_TS_IPV6_ADDR_RANGE, addr_buf[1], 16, out);
	}
	return out->n_ts != 0;
}

void
ike_cp_vip(const struct ike_shard *s, const struct ike_sa *sa, struct ike_vip *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->vip4 != 0) {
		out->has4 = true;
		ike_pool_addr(&s->pool[V4], sa->vip4 - 1, out->ip4);
	}
	if (sa->vip6 != 0) {
		out->has6 = true;
		ike_pool_addr(&s->pool[V6], sa->vip6 - 1, out->ip6);
	}
}

void
ike_cp_release(struct ike_shard *s, struct ike_sa *sa)
{
	for (int f = V4; f <= V6; f++) {
		uint32_t v = slot_get(sa, f);

		if (v == 0)
			continue;
		ike_pool_release(&s->pool[f], v - 1, now32(s));
		*slot_of(sa, f) = 0;
		ike_count(s, IKE_CTR_CP_LEASE_RELEASED);
	}
}

void
ike_cp_move(struct ike_shard *s, struct ike_sa *from, struct ike_sa *to)
{
	for (int f = V4; f <= V6; f++) {
		uint32_t v = slot_get(from, f);

		if (v == 0)
			continue;
		s->pool[f].lease[v - 1].holder = ike_sa_spi_r(s, to);
		*slot_of(to, f) = v;
		*slot_of(from, f) = 0;
	}
}

void
ike_cp_ticket_state(const struct ike_shard *s, const struct ike_sa *sa,
		    struct ike_ticket_state *st)
{
	st->lease = 0;
	if (sa->vip4 != 0) {
		st->lease |= IKE_TICKET_LEASE_V4;
		ike_pool_addr(&s->pool[V4], sa->vip4 - 1, st->vip4);
	}
	if (sa->vip6 != 0) {
		st->lease |= IKE_TICKET_LEASE_V6;
		ike_pool_addr(&s->pool[V6], sa->vip6 - 1, st->vip6);
	}
}

void
ike_cp_ticket_issued(struct ike_shard *s, const struct ike_sa *sa, uint64_t expires)
{
	uint32_t until = expires > UINT32_MAX ? UINT32_MAX : (uint32_t)expires;

	for (int f = V4; f <= V6; f++)
		if (slot_get(sa, f) != 0)
			ike_pool_reserve(&s->pool[f], slot_get(sa, f) - 1, until);
}

bool
ike_shard_sa_vip(const struct ike_shard *s, uint64_t ike_spi, struct ike_vip *out)
{
	const struct ike_sa *sa = satable_lookup(s->sas, ike_spi);

	if (sa == NULL)
		return false;
	ike_cp_vip(s, sa, out);
	return true;
}

void
ike_shard_pool_usage(const struct ike_shard *s, int family, uint32_t *held, uint32_t *nfree)
{
	const struct ike_pool *p = &s->pool[family == 6 ? V6 : V4];

	*held = p->nheld;
	*nfree = p->nfree;
}
