/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_port.c - a net_tun inside port: one rx/tx queue pair per data-path lcore. */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dp_priv.h"

int
dp_port_setup(uint16_t port, unsigned nb_queues, unsigned nb_mbufs, uint16_t mtu, bool *l3)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info di;
	struct rte_mempool *pool;
	uint16_t nb_rxd = 1024, nb_txd = 1024, q;
	int socket = rte_eth_dev_socket_id(port);
	int rc;

	if (!rte_eth_dev_is_valid_port(port) || rte_eth_dev_info_get(port, &di) != 0) {
		DP_LOG(ERR, "inside port %u does not exist (give EAL a second port or vdev)\n",
		       port);
		return -1;
	}
	/* net_tun carries bare IP packets; every other port Ethernet frames (io_eth). */
	*l3 = strcmp(di.driver_name, "net_tun") == 0;
	if (!*l3)
		return 0;
	if (di.max_rx_queues < nb_queues || di.max_tx_queues < nb_queues) {
		DP_LOG(ERR, "inside port %u (%s) has %u rx / %u tx queues, %u data-path lcores\n",
		       port, di.driver_name, di.max_rx_queues, di.max_tx_queues, nb_queues);
		return -1;
	}
	pool = rte_pktmbuf_pool_create("dp_inside", nb_mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       socket < 0 ? SOCKET_ID_ANY : socket);
	if (pool == NULL)
		return -1;
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, (uint16_t)nb_queues, (uint16_t)nb_queues, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	for (q = 0; rc == 0 && q < nb_queues; q++) {
		rc = rte_eth_rx_queue_setup(port, q, nb_rxd, (unsigned)socket, NULL, pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(port, q, nb_txd, (unsigned)socket, NULL);
	}
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	/* The kernel side's MTU: what it sends us stays within the inside MTU too. */
	if (rc == 0 && mtu != 0 && rte_eth_dev_set_mtu(port, mtu) != 0)
		DP_LOG(WARNING, "inside port %u: MTU %u not set\n", port, mtu);
	if (rc != 0) {
		DP_LOG(ERR, "inside port %u (%s): %s\n", port, di.driver_name, rte_strerror(-rc));
		return -1;
	}
	DP_LOG(NOTICE, "inside port %u (%s): %u queue pair%s, IP packets\n", port, di.driver_name,
	       nb_queues, nb_queues == 1 ? "" : "s");
	return 0;
}
