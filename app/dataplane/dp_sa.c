/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_sa.c - a data-path lcore's SA table: installs and deletes from the
 * handoff ring, the outbound routes (rte_lpm/rte_lpm6 next hop = slot),
 * lifetime events to the owning IKE worker, the idle and time lifetime scan.
 */
#include <string.h>

#include "dp_priv.h"
#include "ike_secret.h"

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An outbound route of an SA: its selector's prefix of one family. */
struct sa_route {
	bool v6;
	uint8_t depth;
	uint8_t addr[16];
};

/* The route of e for a family; false: e has no selector of it. */
static bool
route_of(const struct dp_entry *e, bool v6, struct sa_route *r)
{
	const uint8_t *p = esp_sa_ts_of(&e->sa, v6, &r->depth);

	if (p == NULL)
		return false;
	r->v6 = v6;
	memset(r->addr, 0, sizeof(r->addr));
	memcpy(r->addr, p, v6 ? 16 : 4);
	return true;
}

static bool
is_host(const struct sa_route *r)
{
	return r->depth == (r->v6 ? 128 : 32);
}

static bool
lpm_add(struct dp_lcore *l, bool v6, const uint8_t *prefix, uint8_t depth, uint32_t nh)
{
	if (v6)
		return rte_lpm6_add(l->lpm6, prefix, depth, nh) == 0;
	return rte_lpm_add(l->lpm4, be32(prefix), depth, nh) == 0;
}

/* Deletes the rule for prefix/depth if its next hop is nh; true if it did. */
static bool
lpm_del(struct dp_lcore *l, bool v6, const uint8_t *prefix, uint8_t depth, uint32_t nh)
{
	uint32_t cur;

	if (v6)
		return rte_lpm6_is_rule_present(l->lpm6, prefix, depth, &cur) == 1 && cur == nh &&
		       rte_lpm6_delete(l->lpm6, prefix, depth) == 0;
	return rte_lpm_is_rule_present(l->lpm4, be32(prefix), depth, &cur) == 1 && cur == nh &&
	       rte_lpm_delete(l->lpm4, be32(prefix), depth) == 0;
}

/* Tells lcore d that this one now has (or no longer has) the route r. */
static void
route_tell(struct dp_lcore *l, const struct sa_route *r, bool add, unsigned d)
{
	struct dp_route_msg msg = {
		.add = add, .v6 = r->v6, .depth = r->depth, .owner = (uint8_t)l->id};

	memcpy(msg.prefix, r->addr, sizeof(msg.prefix));
	if (rte_ring_mp_enqueue_elem(l->dp->lc[d]->routes, &msg, sizeof(msg)) != 0)
		l->c.routes_sync_full++;
}

/*
 * Tells the other lcores about a route of ours: every one for a subnet;
 * for one address, the lcore inside packets to it are steered to, if not
 * this one (the second address of a dual-stack SA: the SA lives where its
 * first one is steered, dp_spi_alloc).
 */
static void
route_publish(struct dp_lcore *l, const struct sa_route *r, bool add)
{
	unsigned d;

	if (is_host(r)) {
		d = dp_owner(l->dp, r->addr, r->v6);
		if (d != l->id)
			route_tell(l, r, add, d);
		return;
	}
	for (d = 0; d < l->dp->cfg.nb_lcores; d++)
		if (d != l->id)
			route_tell(l, r, add, d);
}

/*
 * One address (a virtual IP, the usual case) goes in the hash: rte_lpm's
 * rule table is a linear list per depth, too slow for a million /32s.
 */
static bool
route_add_one(struct dp_lcore *l, const struct sa_route *r, uint32_t slot)
{
	if (is_host(r))
		dp_hosts_add(l, r->v6, r->addr, slot);
	else if (!lpm_add(l, r->v6, r->addr, r->depth, slot))
		return false;
	route_publish(l, r, true);
	return true;
}

/* Removes the route only if it still leads to this slot (a rekey took it over). */
static void
route_del_one(struct dp_lcore *l, const struct sa_route *r, uint32_t slot)
{
	if (is_host(r)) {
		if (dp_hosts_find(l, r->v6, r->addr) != slot)
			return;
		dp_hosts_del(l, r->v6, r->addr, slot);
	} else if (!lpm_del(l, r->v6, r->addr, r->depth, slot)) {
		return;
	}
	route_publish(l, r, false);
}

/* The routes of e's selectors, one a family (dual stack: both). */
static bool
route_add(struct dp_lcore *l, const struct dp_entry *e, uint32_t slot)
{
	struct sa_route r4, r6;
	bool has4 = route_of(e, false, &r4), has6 = route_of(e, true, &r6);

	if (has4 && !route_add_one(l, &r4, slot))
		return false;
	if (has6 && !route_add_one(l, &r6, slot)) {
		if (has4)
			route_del_one(l, &r4, slot);
		return false;
	}
	return true;
}

static void
route_del(struct dp_lcore *l, const struct dp_entry *e, uint32_t slot)
{
	struct sa_route r;

	if (route_of(e, false, &r))
		route_del_one(l, &r, slot);
	if (route_of(e, true, &r))
		route_del_one(l, &r, slot);
}

void
dp_routes_drain(struct dp_lcore *l)
{
	struct dp_route_msg msg[32];
	unsigned n, i;

	n = rte_ring_sc_dequeue_burst_elem(l->routes, msg, sizeof(msg[0]), RTE_DIM(msg), NULL);
	for (i = 0; i < n; i++) {
		uint32_t nh = DP_NH_FWD(l, msg[i].owner);
		bool ok = msg[i].add ? lpm_add(l, msg[i].v6, msg[i].prefix, msg[i].depth, nh)
				     : lpm_del(l, msg[i].v6, msg[i].prefix, msg[i].depth, nh);

		if (ok)
			l->c.routes_synced++;
	}
}

struct dp_entry *
dp_route(struct dp_lcore *l, const uint8_t *dst, bool v6, int *fwd)
{
	uint32_t nh = dp_hosts_find(l, v6, dst);
	int rc = 0;

	*fwd = -1;
	if (nh == UINT32_MAX) {
		rc = v6 ? rte_lpm6_lookup(l->lpm6, dst, &nh)
			: rte_lpm_lookup(l->lpm4, be32(dst), &nh);
	}
	if (rc != 0)
		return NULL;
	if (nh >= l->nb_slots) {
		if (nh - l->nb_slots < l->dp->cfg.nb_lcores)
			*fwd = (int)(nh - l->nb_slots);
		return NULL;
	}
	return dp_tab(l, nh)->used ? dp_tab(l, nh) : NULL;
}

void
dp_event(struct dp_lcore *l, const struct dp_entry *e, enum esp_event_kind kind)
{
	unsigned w = dp_entry_worker(l, e);
	struct esp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = (uint8_t)kind;
	ev.worker = (uint16_t)w;
	ev.spi_in = e->sa.spi_in;
	ev.ike_spi = e->ike_spi;
	esp_sa_in_stats(&e->sa, &ev.in);
	esp_sa_out_stats(&e->sa, &ev.out);
	if (rte_ring_mp_enqueue_elem(l->dp->w[w].events, &ev, sizeof(ev)) == 0)
		l->c.events++;
	else
		l->c.events_lost++;
}

void
dp_raise(struct dp_lcore *l, const struct dp_entry *e, unsigned ev)
{
	if (ev & ESP_EV_SOFT)
		dp_event(l, e, ESP_EVENT_SOFT);
	if (ev & ESP_EV_HARD)
		dp_event(l, e, ESP_EVENT_HARD);
}

static void
entry_clear(struct dp_lcore *l, struct dp_entry *e)
{
	__atomic_store_n(&e->used, 0, __ATOMIC_RELEASE);
	dp_keys_forget(l, dp_slot(l, e));
	dp_nb_release(l, e);
	dp_tsr_release(l, e->sa.local_ts);
	ike_wipe(e, l->stride); /* the keys too */
}

/*
 * A rekey: the new SA takes the outside Ethernet addresses the SA it
 * replaces learnt, so that it sends through the hop the client's packets
 * came from at once; otherwise outbound packets would go to the next hop
 * the IKE worker resolves (no_l2_dest) until the client's first packet on
 * the new SA, which a client that only receives may never send.
 */
static void
inherit_l2(struct dp_lcore *l, struct dp_entry *e, uint32_t old_spi)
{
	const struct dp_entry *o;
	uint32_t slot;

	if (old_spi == 0 || esp_spi_lcore(&l->dp->layout, old_spi) != l->id)
		return;
	slot = esp_spi_slot(&l->dp->layout, old_spi);
	if (slot >= l->nb_slots)
		return;
	o = dp_tab(l, slot);
	if (o->used && o->sa.spi_in == old_spi)
		dp_nb_hold(l, e, o->nb);
}

/* The SA a rekey replaces lingers after its delete (enum dp_use). */
static void
mark_replaced(struct dp_lcore *l, uint32_t old_spi)
{
	uint32_t slot;

	if (old_spi == 0 || esp_spi_lcore(&l->dp->layout, old_spi) != l->id)
		return;
	slot = esp_spi_slot(&l->dp->layout, old_spi);
	if (slot < l->nb_slots && dp_tab(l, slot)->used == DP_USED &&
	    dp_tab(l, slot)->sa.spi_in == old_spi)
		dp_tab(l, slot)->used = DP_REPLACED;
}

/* The end of an entry: final counters to its IKE worker, the slot wiped. */
static void
entry_remove(struct dp_lcore *l, struct dp_entry *e)
{
	dp_event(l, e, ESP_EVENT_REMOVED);
	entry_clear(l, e);
}

/* The index of our outer address in l->locals, added if new; -1 when the table is full. */
static int
local_of(struct dp_lcore *l, const struct esp_handoff *h)
{
	bool v6 = h->flags & ESP_SA_OUTER_V6;
	struct dp_local *a;
	unsigned i;

	for (i = 0; i < l->nb_locals; i++) {
		a = &l->locals[i];
		if (a->v6 == v6 && memcmp(a->addr, h->local, v6 ? 16 : 4) == 0)
			return (int)i;
	}
	if (l->nb_locals == DP_MAX_LOCALS) {
		DP_LOG(ERR, "lcore %u: more than %u local outer addresses\n", l->id, DP_MAX_LOCALS);
		return -1;
	}
	a = &l->locals[l->nb_locals];
	memset(a, 0, sizeof(*a));
	memcpy(a->addr, h->local, v6 ? 16 : 4);
	a->v6 = v6;
	return (int)l->nb_locals++;
}

/* Whether the KEYMAT of h fits the records' key space (dp_config.keymat_len). */
static bool
keys_fit(struct dp_lcore *l, const struct esp_handoff *h)
{
	unsigned need = esp_keymat_len((enum esp_alg)h->alg, h->enc_key_len);

	if (need <= l->dp->cfg.keymat_len)
		return true;
	DP_LOG(ERR, "lcore %u: SA %08x needs %u octets of keys a direction, records keep %u\n",
	       l->id, h->spi_in, need, l->dp->cfg.keymat_len);
	return false;
}

/* A time lifetime s seconds after now_s (at least 1: 0 means none); 0 stays 0. */
static uint32_t
due(uint32_t now_s, uint32_t s)
{
	uint32_t at = now_s + s;

	return s == 0 ? 0 : at != 0 ? at : 1;
}

static void
install(struct dp_lcore *l, const struct esp_handoff *h, uint32_t slot, uint64_t now_ms)
{
	struct dp_entry *e = dp_tab(l, slot);
	unsigned k = l->dp->cfg.keymat_len;
	uint32_t now_s = (uint32_t)(now_ms / 1000u);
	struct esp_ts_local tsr;
	int local;

	if (e->used == DP_LINGER) {
		entry_remove(l, e); /* the worker reused the slot: lingering ends now */
	} else if (e->used) {
		/* The worker reuses a slot only after its delete: this is a stale record. */
		route_del(l, e, slot);
		entry_clear(l, e);
	}
	/* The slot's share of the table names its worker (esp_spi.h). */
	if (h->worker != slot / l->dp->cfg.slots_per_worker || !esp_handoff_sa(h, &e->sa) ||
	    !keys_fit(l, h) || (local = local_of(l, h)) < 0) {
		entry_clear(l, e);
		l->c.bad_handoff++;
		return;
	}
	e->local = (uint8_t)local;
	esp_handoff_ts_local(h, &tsr);
	e->sa.local_ts = dp_tsr_hold(l, &tsr);
	if (e->sa.local_ts == 0) { /* counted: tsr_full */
		entry_clear(l, e);
		return;
	}
	memcpy(e->keys, h->key_in, k);
	memcpy(e->keys + k, h->key_out, k);
	e->sa.in.last_s = now_s;
	e->ike_spi = h->ike_spi;
	e->idle_s = h->idle_s;
	e->soft_at = due(now_s, h->time.soft_s);
	e->hard_at = due(now_s, h->time.hard_s);
	inherit_l2(l, e, h->replaces_spi_in);
	if (!route_add(l, e, slot)) {
		entry_clear(l, e);
		l->c.bad_handoff++;
		return;
	}
	__atomic_store_n(&e->used, DP_USED, __ATOMIC_RELEASE);
	mark_replaced(l, h->replaces_spi_in);
	l->c.installs++;
}

void
dp_apply(struct dp_lcore *l, struct esp_handoff *h, uint64_t now_ms)
{
	uint32_t slot = esp_spi_slot(&l->dp->layout, h->spi_in);

	if (esp_spi_lcore(&l->dp->layout, h->spi_in) != l->id || slot >= l->nb_slots) {
		l->c.bad_handoff++;
	} else if (h->op == ESP_HO_INSTALL) {
		install(l, h, slot, now_ms);
	} else if (!dp_tab(l, slot)->used || dp_tab(l, slot)->used == DP_LINGER ||
		   dp_tab(l, slot)->sa.spi_in != h->spi_in) {
		l->c.bad_handoff++;
	} else if (h->op == ESP_HO_OWNER) {
		dp_tab(l, slot)->ike_spi = h->ike_spi;
	} else {
		struct dp_entry *e = dp_tab(l, slot);

		route_del(l, e, slot);
		l->c.deletes++;
		if (e->used == DP_REPLACED) {
			/* Its successor carries the traffic; trailing packets still decrypt. */
			e->used = DP_LINGER;
			e->hard_at = (uint32_t)(now_ms / 1000u) + DP_LINGER_S;
		} else {
			entry_remove(l, e);
		}
	}
	ike_wipe(h, sizeof(*h));
}

/* Whether the time at (0: none) has come; wraps with now_s. */
static bool
passed(uint32_t at, uint32_t now_s)
{
	return at != 0 && (int32_t)(now_s - at) >= 0;
}

/* Time lifetimes (RFC 7296 2.8): raised once each, like the byte and packet limits. */
static void
time_check(struct dp_lcore *l, struct dp_entry *e, uint32_t now_s)
{
	unsigned ev = 0;

	if (passed(e->soft_at, now_s))
		ev |= ESP_EV_SOFT;
	if (passed(e->hard_at, now_s))
		ev |= ESP_EV_HARD | ESP_EV_SOFT;
	ev &= ~(unsigned)e->sa.ev & (ESP_EV_SOFT | ESP_EV_HARD);
	if (ev == 0)
		return;
	/* Raised for the inbound half; the outbound half sends nothing more either. */
	e->sa.ev |= (uint8_t)(ev | (ev & ESP_EV_HARD) << ESP_EV_OUT_SHIFT);
	dp_raise(l, e, ev);
}

void
dp_idle_scan(struct dp_lcore *l, uint64_t now_ms)
{
	uint32_t now_s = (uint32_t)(now_ms / 1000u);
	unsigned i;

	for (i = 0; i < DP_IDLE_SCAN; i++) {
		struct dp_entry *e = dp_tab(l, l->idle_cursor);

		if (++l->idle_cursor == l->nb_slots)
			l->idle_cursor = 0;
		if (!e->used)
			continue;
		if (e->used == DP_LINGER) {
			if ((int32_t)(now_s - e->hard_at) >= 0)
				entry_remove(l, e);
			continue;
		}
		/*
		 * Idle once idle_s whole seconds passed since the second of the
		 * last packet: never early, at most a second late.
		 */
		if (e->idle_s != 0 && !(e->sa.ev & ESP_EV_IDLE) &&
		    now_s - e->sa.in.last_s > e->idle_s) {
			e->sa.ev |= ESP_EV_IDLE;
			dp_event(l, e, ESP_EVENT_IDLE);
		}
		time_check(l, e, now_s);
	}
}
