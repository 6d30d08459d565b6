/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_exc.c - the exception path: frames that are not ours go to the
 * kernel's TAP interface (same queue number as the port queue they came
 * from), and what the kernel sends on it leaves through the port. The TAP
 * carries the port's MAC, so the kernel speaks for the host as if it owned
 * the port (SSH, routing protocols, its own ARP).
 */
#include <rte_ethdev.h>

#include "eth_priv.h"

bool
eth_exception_out(struct eth_queue *q, struct rte_mbuf *m)
{
	struct eth_port *pt = q->port;

	if (pt->tap_port < 0)
		return false;
	if (rte_eth_tx_burst((uint16_t)pt->tap_port, q->qid, &m, 1) == 1) {
		ETH_COUNT(q, exc_to_kernel, 1);
	} else {
		ETH_COUNT(q, exc_drop, 1);
		rte_pktmbuf_free(m);
	}
	return true;
}

void
eth_exception_in(struct eth_queue *q)
{
	struct eth_port *pt = q->port;
	struct rte_mbuf *ms[IO_ETH_BURST_MAX];
	uint16_t n, i;

	if (pt->tap_port < 0)
		return;
	n = rte_eth_rx_burst((uint16_t)pt->tap_port, q->qid, ms, IO_ETH_BURST_MAX);
	if (n != 0)
		ETH_COUNT(q, exc_from_kernel, n);
	for (i = 0; i < n; i++)
		eth_txq_push(q, ms[i]);
}
