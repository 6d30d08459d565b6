/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_frag.c - IPv4/IPv6 reassembly of fragmented IKE datagrams with
 * rte_ip_frag, one bounded table per worker. The library chains the
 * fragments; the protocol wants one buffer, so a chained result is copied
 * into one mbuf (an IKE_AUTH with certificates is a few KiB). Fragments the
 * library gives up on (overlap, too many, table full, timed out) land on
 * the death row: counted as frag_drop when it is freed.
 */
#include <rte_cycles.h>

#include "eth_priv.h"

static struct rte_mbuf *
linearize(struct eth_queue *q, struct rte_mbuf *r)
{
	struct rte_mbuf *n, *s;
	uint8_t *dst;

	if (r->nb_segs == 1)
		return r;
	if (rte_pktmbuf_pkt_len(r) > q->port->mbuf_room - RTE_PKTMBUF_HEADROOM) {
		ETH_COUNT(q, drop_too_big, 1);
		rte_pktmbuf_free(r);
		return NULL;
	}
	n = eth_mbuf_alloc(q);
	if (n == NULL) {
		ETH_STAT(q, rx_nobuf, 1);
		rte_pktmbuf_free(r);
		return NULL;
	}
	dst = (uint8_t *)rte_pktmbuf_append(n, (uint16_t)rte_pktmbuf_pkt_len(r));
	for (s = r; s != NULL; s = s->next) {
		rte_memcpy(dst, rte_pktmbuf_mtod(s, void *), s->data_len);
		dst += s->data_len;
	}
	n->ol_flags = 0;
	rte_pktmbuf_free(r);
	return n;
}

struct rte_mbuf *
eth_reassemble(struct eth_queue *q, struct rte_mbuf *m, uint8_t family, void *ip, void *frag_hdr)
{
	uint64_t now = rte_get_timer_cycles();
	struct rte_mbuf *r;

	ETH_COUNT(q, frag_in, 1);
	if (family == 4)
		r = rte_ipv4_frag_reassemble_packet(q->frag, &q->dr, m, now, ip);
	else
		r = rte_ipv6_frag_reassemble_packet(q->frag, &q->dr, m, now, ip, frag_hdr);
	/* The library does not bound the death row: keep room for one more flow. */
	if (q->dr.cnt > RTE_IP_FRAG_DEATH_ROW_MBUF_LEN - 2 * (RTE_LIBRTE_IP_FRAG_MAX_FRAG + 1))
		eth_frag_free_dead(q);
	if (r == NULL)
		return NULL;
	ETH_COUNT(q, frag_reassembled, 1);
	return linearize(q, r);
}

void
eth_frag_sweep(struct eth_queue *q, uint64_t now_tsc)
{
	rte_ip_frag_table_del_expired_entries(q->frag, &q->dr, now_tsc);
}

void
eth_frag_free_dead(struct eth_queue *q)
{
	if (q->dr.cnt == 0)
		return;
	ETH_COUNT(q, frag_drop, q->dr.cnt);
	rte_ip_frag_free_death_row(&q->dr, 3);
}
