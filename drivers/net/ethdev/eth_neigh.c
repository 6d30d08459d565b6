/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_neigh.c - the neighbour cache (ARP and ND alike). Each worker keeps
 * its own table, written only by itself; what one worker learns from the
 * wire it passes to the others over their neighbour rings (multi-producer,
 * single-consumer), so a reply leaving any queue finds the MAC that an ARP
 * reply brought to another queue. No locks, no shared tables.
 *
 * Entries never age: they are refreshed by every ARP/ND message that names
 * them (RFC 826 merge, RFC 4861 7.2.5), which covers a peer's MAC change.
 * An unresolved next hop is asked for at most once a second; the reply
 * that needs it is dropped (counted), the peer retransmits.
 */
#include <string.h>

#include <rte_cycles.h>

#include "eth_priv.h"

#define SYNC_BURST 32

static unsigned
ip_len(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

static uint32_t
neigh_hash(uint8_t family, const uint8_t *ip)
{
	uint32_t w[4] = {0}, h;

	memcpy(w, ip, ip_len(family));
	h = (w[0] ^ w[1] ^ w[2] ^ w[3]) * 0x9e3779b1u;
	return (h >> 16) & (ETH_NEIGH_SLOTS - 1);
}

/* The entry for ip, or NULL; *room is a slot to insert it into. */
static struct eth_neigh *
neigh_find(struct eth_queue *q, uint8_t family, const uint8_t *ip, struct eth_neigh **room)
{
	uint32_t h = neigh_hash(family, ip), k;
	struct eth_neigh *e, *free_slot = NULL, *incomplete = NULL;

	for (k = 0; k < ETH_NEIGH_PROBE; k++) {
		e = &q->neigh[(h + k) & (ETH_NEIGH_SLOTS - 1)];
		if (e->state == NEIGH_FREE) {
			if (free_slot == NULL)
				free_slot = e;
			continue;
		}
		if (e->family == family && memcmp(e->ip, ip, ip_len(family)) == 0)
			return e;
		if (e->state == NEIGH_INCOMPLETE && incomplete == NULL)
			incomplete = e;
	}
	if (room != NULL) {
		/* Full window: an unanswered request goes first, else a slot by the clock. */
		*room = free_slot != NULL ? free_slot
			: incomplete != NULL
				? incomplete
				: &q->neigh[(h + (rte_get_timer_cycles() % ETH_NEIGH_PROBE)) &
					    (ETH_NEIGH_SLOTS - 1)];
	}
	return NULL;
}

static void
publish(struct eth_queue *q, uint8_t family, const uint8_t *ip, const struct rte_ether_addr *mac)
{
	struct eth_port *pt = q->port;
	struct eth_neigh_msg msg = {.family = family, .mac = *mac};
	uint16_t w;

	memcpy(msg.ip, ip, ip_len(family));
	for (w = 0; w < pt->nb_workers; w++) {
		if (w == q->worker || pt->neigh[w] == NULL)
			continue;
		if (rte_ring_mp_enqueue_elem(pt->neigh[w], &msg, sizeof(msg)) != 0)
			ETH_COUNT(q, neigh_sync_full, 1);
	}
}

static void
set_entry(struct eth_neigh *e, uint8_t family, const uint8_t *ip, const struct rte_ether_addr *mac)
{
	memset(e, 0, sizeof(*e));
	e->family = family;
	memcpy(e->ip, ip, ip_len(family));
	e->mac = *mac;
	e->state = NEIGH_REACHABLE;
}

void
eth_neigh_learn(struct eth_queue *q, uint8_t family, const uint8_t *ip,
		const struct rte_ether_addr *mac, bool share)
{
	struct eth_neigh *room = NULL, *e = neigh_find(q, family, ip, &room);

	if (e != NULL && e->state == NEIGH_REACHABLE && rte_is_same_ether_addr(&e->mac, mac))
		return;
	set_entry(e != NULL ? e : room, family, ip, mac);
	if (share)
		publish(q, family, ip, mac);
}

bool
eth_neigh_refresh(struct eth_queue *q, uint8_t family, const uint8_t *ip,
		  const struct rte_ether_addr *mac)
{
	if (neigh_find(q, family, ip, NULL) == NULL)
		return false;
	eth_neigh_learn(q, family, ip, mac, true);
	return true;
}

void
eth_neigh_drain(struct eth_queue *q)
{
	struct eth_neigh_msg msgs[SYNC_BURST];
	struct rte_ring *r = q->port->neigh[q->worker];
	unsigned n, i;

	if (r == NULL)
		return;
	n = rte_ring_sc_dequeue_burst_elem(r, msgs, sizeof(msgs[0]), SYNC_BURST, NULL);
	for (i = 0; i < n; i++)
		eth_neigh_learn(q, msgs[i].family, msgs[i].ip, &msgs[i].mac, false);
	if (n != 0)
		ETH_COUNT(q, neigh_sync_in, n);
}

const struct rte_ether_addr *
eth_neigh_resolve(struct eth_queue *q, uint8_t family, const uint8_t *ip)
{
	const uint8_t *nh = eth_next_hop(q->port, family, ip);
	struct eth_neigh *room = NULL, *e;
	uint64_t now;

	if (nh == NULL) {
		ETH_COUNT(q, tx_no_route, 1);
		return NULL;
	}
	e = neigh_find(q, family, nh, &room);
	if (e != NULL && e->state == NEIGH_REACHABLE)
		return &e->mac;
	ETH_COUNT(q, tx_unresolved, 1);
	now = rte_get_timer_cycles();
	if (e != NULL && now - e->asked_tsc < q->tsc_hz)
		return NULL;
	if (e == NULL) {
		e = room;
		memset(e, 0, sizeof(*e));
		e->family = family;
		memcpy(e->ip, nh, ip_len(family));
		e->state = NEIGH_INCOMPLETE;
	}
	e->asked_tsc = now;
	if (family == 4)
		eth_arp_send_request(q, nh);
	else
		eth_nd_send_ns(q, nh);
	return NULL;
}
