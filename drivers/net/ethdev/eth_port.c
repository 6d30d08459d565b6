/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth_port.c - control path: port setup on the first open (queues, RSS,
 * offloads, MTU, per-NUMA-socket mempools, the exception TAP, the rings
 * between workers), one eth_queue per worker, teardown on the last close.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "eth_priv.h"
#include "ike_log.h"

#define POOL_CACHE 256
#define NEIGH_RING_SIZE 1024
#define RELAY_RING_SIZE 4096
#define FRAG_BUCKET_ENTRIES 4
#define RSS_WANTED                                                                                 \
	(RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_NONFRAG_IPV6_UDP | RTE_ETH_RSS_FRAG_IPV4 |     \
	 RTE_ETH_RSS_FRAG_IPV6 | RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_IPV6)

static struct eth_port *ports[RTE_MAX_ETHPORTS];

static const char *const counter_names[] = {
#define ETH_COUNTER_NAME(name, help) #name,
	ETH_COUNTER_LIST(ETH_COUNTER_NAME)
#undef ETH_COUNTER_NAME
};

/* Worker i runs on the (first_lcore + i)-th EAL lcore (the runtime's order). */
static int
worker_socket(const struct io_eth_conf *c, uint16_t worker)
{
	unsigned lcore, i = 0;

	RTE_LCORE_FOREACH(lcore)
	{
		if (i++ == c->first_lcore + (unsigned)worker)
			return (int)rte_lcore_to_socket_id(lcore);
	}
	return (int)rte_socket_id();
}

static unsigned
ip_bytes(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

static void
port_free(struct eth_port *pt)
{
	unsigned i;

	if (pt->tap_port >= 0) {
		rte_eth_dev_stop((uint16_t)pt->tap_port);
		rte_eth_dev_close((uint16_t)pt->tap_port);
		rte_vdev_uninit(pt->tap_vdev);
	}
	rte_eth_dev_stop(pt->port_id);
	/* Closing releases the queues' mbufs before their pools go. */
	rte_eth_dev_close(pt->port_id);
	for (i = 0; i < ETH_WORKERS_MAX; i++) {
		struct rte_mbuf *m;

		while (pt->relay[i] != NULL && rte_ring_sc_dequeue(pt->relay[i], (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(pt->neigh[i]);
		rte_ring_free(pt->relay[i]);
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		rte_mempool_free(pt->pools[i]);
	rte_free(pt);
}

static int
pools_create(struct eth_port *pt, const struct io_eth_conf *c, uint16_t nb_rxd, uint16_t nb_txd)
{
	unsigned per_socket[RTE_MAX_NUMA_NODES] = {0}, s;
	char name[RTE_MEMPOOL_NAMESIZE];
	uint16_t w;

	for (w = 0; w < c->nb_workers; w++)
		per_socket[worker_socket(c, w)]++;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		/* Per worker: its RX ring, TX ring, held replies, a TX batch, reassembly. */
		unsigned n = per_socket[s] *
			     (nb_rxd + nb_txd + c->nb_bufs + ETH_TXQ_MAX + c->frag_flows * 2 +
			      (c->exception_iface[0] ? nb_rxd + nb_txd : 0));

		if (per_socket[s] == 0)
			continue;
		snprintf(name, sizeof(name), "ikefarm_p%u_s%u", pt->port_id, s);
		pt->pools[s] = rte_pktmbuf_pool_create(
			name, n, POOL_CACHE, RTE_ALIGN(sizeof(struct io_pkt), RTE_MBUF_PRIV_ALIGN),
			(uint16_t)pt->mbuf_room, (int)s);
		if (pt->pools[s] == NULL) {
			ike_log(IKE_LOG_ERR,
				"io_eth: port %u: no memory for %u mbufs of %u octets on socket "
				"%u: %s",
				pt->port_id, n, pt->mbuf_room, s, rte_strerror(rte_errno));
			return -1;
		}
	}
	return 0;
}

static int
rings_create(struct eth_port *pt)
{
	char name[RTE_RING_NAMESIZE];
	uint16_t w;

	for (w = 0; w < pt->nb_workers && pt->nb_workers > 1; w++) {
		snprintf(name, sizeof(name), "ikefarm_nb%u_%u", pt->port_id, w);
		pt->neigh[w] =
			rte_ring_create_elem(name, sizeof(struct eth_neigh_msg), NEIGH_RING_SIZE,
					     worker_socket(&pt->conf, w), RING_F_SC_DEQ);
		if (pt->neigh[w] == NULL)
			return -1;
	}
	/* Relays for workers without a queue, and for the ESP data path's frames. */
	for (w = 0; w < pt->nb_queues &&
		    (pt->nb_queues < pt->nb_workers || pt->conf.esp_input != NULL);
	     w++) {
		snprintf(name, sizeof(name), "ikefarm_rl%u_%u", pt->port_id, w);
		pt->relay[w] = rte_ring_create(name, RELAY_RING_SIZE, worker_socket(&pt->conf, w),
					       RING_F_SC_DEQ);
		if (pt->relay[w] == NULL)
			return -1;
	}
	return 0;
}

/* The exception TAP: one queue pair per port queue, the port's MAC. */
static int
tap_create(struct eth_port *pt, uint16_t nb_rxd, uint16_t nb_txd)
{
	struct rte_eth_conf tc = {0};
	char args[96];
	uint16_t tp, i;

	snprintf(pt->tap_vdev, sizeof(pt->tap_vdev), "net_tap_ikefarm%u", pt->port_id);
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT,
		 pt->conf.exception_iface, RTE_ETHER_ADDR_BYTES(&pt->mac));
	if (rte_vdev_init(pt->tap_vdev, args) != 0 ||
	    rte_eth_dev_get_port_by_name(pt->tap_vdev, &tp) != 0) {
		ike_log(IKE_LOG_ERR, "io_eth: exception interface %s: cannot create %s (%s)",
			pt->conf.exception_iface, pt->tap_vdev, args);
		return -1;
	}
	pt->tap_port = tp;
	if (rte_eth_dev_configure(tp, pt->nb_queues, pt->nb_queues, &tc) != 0)
		return -1;
	for (i = 0; i < pt->nb_queues; i++) {
		int s = worker_socket(&pt->conf, i);

		if (rte_eth_rx_queue_setup(tp, i, nb_rxd, (unsigned)s, NULL, pt->pools[s]) != 0 ||
		    rte_eth_tx_queue_setup(tp, i, nb_txd, (unsigned)s, NULL) != 0)
			return -1;
	}
	return rte_eth_dev_start(tp);
}

static void
offloads(struct eth_port *pt, const struct rte_eth_dev_info *di, struct rte_eth_conf *ec)
{
	const uint64_t rx = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;

	if ((di->rx_offload_capa & rx) == rx) {
		ec->rxmode.offloads |= rx;
		pt->rx_ip_csum = pt->rx_l4_csum = true;
	}
	if (di->tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		ec->txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		pt->tx_ip_csum = true;
	}
	/* The ESP data path sends fragments as header + attached data (io_eth_send_ip). */
	if (di->tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		ec->txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (di->tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		ec->txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		pt->tx_udp_csum = true;
	}
}

static struct eth_port *
port_setup(const struct io_eth_conf *c)
{
	uint16_t nb_rxd = ETH_RX_DESC, nb_txd = ETH_TX_DESC, q;
	struct rte_eth_dev_info di;
	struct rte_eth_conf ec = {0};
	struct eth_port *pt;
	int rc;

	if (rte_eth_dev_info_get(c->port_id, &di) != 0)
		return NULL;
	pt = rte_zmalloc("ikefarm_port", sizeof(*pt), RTE_CACHE_LINE_SIZE);
	if (pt == NULL)
		return NULL;
	pt->port_id = c->port_id;
	pt->conf = *c;
	pt->nb_workers = c->nb_workers;
	pt->tap_port = -1;
	pt->nb_queues =
		(uint16_t)RTE_MIN(c->nb_workers, RTE_MIN(di.max_rx_queues, di.max_tx_queues));
	if (pt->nb_queues == 0)
		goto fail;
	/* Room for the largest datagram we take whole (reassembled) or a full frame. */
	pt->mbuf_room = RTE_PKTMBUF_HEADROOM +
			RTE_MAX(c->buf_size + RTE_ETHER_HDR_LEN + 40 + 8 + ETH_MARKER_LEN,
				(uint32_t)c->mtu + RTE_ETHER_HDR_LEN + 8);
	pt->mbuf_room = RTE_MIN(pt->mbuf_room, (uint32_t)UINT16_MAX);
	if (pt->nb_queues > 1 && (di.flow_type_rss_offloads & RTE_ETH_RSS_NONFRAG_IPV4_UDP)) {
		ec.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		ec.rx_adv_conf.rss_conf.rss_hf = di.flow_type_rss_offloads & RSS_WANTED;
		pt->spreads = true;
	}
	if (c->mtu <= di.max_mtu)
		ec.rxmode.mtu = c->mtu;
	offloads(pt, &di, &ec);
	pt->rx_partial_csum = c->partial_csum || !strcmp(di.driver_name, "net_af_packet") ||
			      !strcmp(di.driver_name, "net_af_xdp");
	rc = rte_eth_dev_configure(c->port_id, pt->nb_queues, pt->nb_queues, &ec);
	if (rc != 0) {
		ike_log(IKE_LOG_ERR, "io_eth: port %u: configure %u queues: %s", c->port_id,
			pt->nb_queues, rte_strerror(-rc));
		goto fail;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(c->port_id, &nb_rxd, &nb_txd);
	if (pools_create(pt, c, nb_rxd, nb_txd) != 0)
		goto fail;
	for (q = 0; q < pt->nb_queues; q++) {
		int s = worker_socket(c, q);
		struct rte_eth_txconf txc = di.default_txconf;

		txc.offloads = ec.txmode.offloads;
		rc = rte_eth_rx_queue_setup(c->port_id, q, nb_rxd, (unsigned)s, NULL, pt->pools[s]);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(c->port_id, q, nb_txd, (unsigned)s, &txc);
		if (rc != 0) {
			ike_log(IKE_LOG_ERR, "io_eth: port %u: queue %u: %s", c->port_id, q,
				rte_strerror(-rc));
			goto fail;
		}
	}
	if (rte_eth_macaddr_get(c->port_id, &pt->mac) != 0 || rings_create(pt) != 0)
		goto fail;
	if (rte_is_zero_ether_addr(&pt->mac)) {
		/* net_ring, net_null: no address of their own; a random local one, promiscuous. */
		rte_eth_random_addr(pt->mac.addr_bytes);
		(void)rte_eth_dev_default_mac_addr_set(c->port_id, &pt->mac);
		(void)rte_eth_promiscuous_enable(c->port_id);
	}
	rc = rte_eth_dev_set_mtu(c->port_id, c->mtu);
	if (rc != 0 && rc != -ENOTSUP)
		ike_log(IKE_LOG_WARNING, "io_eth: port %u: MTU %u not set: %s", c->port_id, c->mtu,
			rte_strerror(-rc));
	rc = rte_eth_dev_start(c->port_id);
	if (rc != 0) {
		ike_log(IKE_LOG_ERR, "io_eth: port %u: start: %s", c->port_id, rte_strerror(-rc));
		goto fail;
	}
	/* Solicited-node multicast for ND; PMDs without filters take all anyway. */
	(void)rte_eth_allmulticast_enable(c->port_id);
	if (c->exception_iface[0] != '\0' && tap_create(pt, nb_rxd, nb_txd) != 0)
		goto fail;
	ike_log(IKE_LOG_NOTICE,
		"io_eth: port %u (%s) " RTE_ETHER_ADDR_PRT_FMT ": %u queue pair%s for %u worker%s, "
		"RSS %s, checksum offload rx %s tx %s, MTU %u%s%s",
		c->port_id, di.driver_name, RTE_ETHER_ADDR_BYTES(&pt->mac), pt->nb_queues,
		pt->nb_queues == 1 ? "" : "s", c->nb_workers, c->nb_workers == 1 ? "" : "s",
		pt->spreads ? "on" : "off", pt->rx_ip_csum ? "on" : "off",
		pt->tx_udp_csum ? "on" : "off", c->mtu,
		c->exception_iface[0] ? ", exception path to " : "", c->exception_iface);
	return pt;
fail:
	port_free(pt);
	return NULL;
}

static unsigned
eth_xstats(struct io_dev *dev, const char *const **names, const uint64_t **values)
{
	*names = counter_names;
	*values = (const uint64_t *)(const void *)&eth_q(dev)->c;
	return RTE_DIM(counter_names);
}

static void eth_close(struct io_dev *dev);

static const struct io_ops eth_ops = {
	.rx_burst = eth_rx_burst,
	.tx_burst = eth_tx_burst,
	.alloc = eth_alloc,
	.free = eth_free,
	.close = eth_close,
	.xstats = eth_xstats,
};

static struct eth_queue *
queue_create(struct eth_port *pt, uint16_t worker)
{
	int s = worker_socket(&pt->conf, worker);
	uint32_t flows = RTE_MAX(pt->conf.frag_flows, (uint32_t)FRAG_BUCKET_ENTRIES);
	struct eth_queue *q;
	uint16_t id;

	q = rte_zmalloc_socket("ikefarm_ethq", sizeof(*q), RTE_CACHE_LINE_SIZE, s);
	if (q == NULL)
		return NULL;
	q->dev.ops = &eth_ops;
	q->dev.flags = pt->nb_workers == 1 || (pt->spreads && pt->nb_queues == pt->nb_workers)
			       ? IO_DEV_F_SPREADS
			       : 0;
	q->port = pt;
	q->worker = worker;
	q->qid = (uint16_t)(worker % pt->nb_queues);
	q->has_queue = worker < pt->nb_queues;
	q->pool = pt->pools[s];
	q->tsc_hz = rte_get_timer_hz();
	if (getrandom(&id, sizeof(id), 0) == sizeof(id))
		q->ip_id = id;
	q->frag = rte_ip_frag_table_create(flows / FRAG_BUCKET_ENTRIES, FRAG_BUCKET_ENTRIES, flows,
					   q->tsc_hz * ETH_FRAG_TTL_MS / 1000, s);
	if (q->frag == NULL) {
		rte_free(q);
		return NULL;
	}
	return q;
}

static bool
conf_ok(const struct io_eth_conf *c, uint16_t worker)
{
	unsigned i;

	if (!rte_eth_dev_is_valid_port(c->port_id)) {
		ike_log(IKE_LOG_ERR,
			"io_eth: no DPDK port %u (EAL arguments name the ports, "
			"e.g. --vdev net_af_packet0,iface=eth1)",
			c->port_id);
		return false;
	}
	if (c->nb_workers == 0 || c->nb_workers > ETH_WORKERS_MAX || worker >= c->nb_workers ||
	    c->burst == 0 || c->burst > IO_ETH_BURST_MAX || c->nb_addrs == 0 ||
	    c->nb_addrs > IO_ETH_ADDR_MAX || c->mtu < 576 ||
	    (c->ike_port == 0 && c->transit_input == NULL)) {
		ike_log(IKE_LOG_ERR,
			"io_eth: bad settings (worker %u of %u, burst %u, %u "
			"addresses, MTU %u)",
			worker, c->nb_workers, c->burst, c->nb_addrs, c->mtu);
		return false;
	}
	for (i = 0; i < c->nb_addrs; i++)
		if ((c->addrs[i].family != 4 && c->addrs[i].family != 6) ||
		    c->addrs[i].len > 8 * ip_bytes(c->addrs[i].family))
			return false;
	return true;
}

/*
 * Tells the link our addresses once the port is up, so that switches and
 * neighbours with a stale entry (a gateway taking over an address) update
 * now. Worker 0's queue, on the main lcore before any worker runs.
 */
static void
announce(struct eth_queue *q)
{
	const struct io_eth_conf *c = &q->port->conf;
	unsigned i;

	for (i = 0; i < c->nb_addrs; i++) {
		if (c->addrs[i].family == 4)
			eth_arp_announce(q, c->addrs[i].ip);
		else
			eth_nd_announce(q, c->addrs[i].ip);
	}
	eth_txq_flush(q);
}

struct io_dev *
io_eth_open(const struct io_eth_conf *conf, uint16_t worker)
{
	struct eth_port *pt;
	struct eth_queue *q;

	if (!conf_ok(conf, worker))
		return NULL;
	pt = ports[conf->port_id];
	if (pt == NULL) {
		pt = port_setup(conf);
		if (pt == NULL)
			return NULL;
		ports[conf->port_id] = pt;
	}
	if (pt->queues[worker] != NULL || conf->nb_workers != pt->nb_workers) {
		ike_log(IKE_LOG_ERR,
			"io_eth: port %u: worker %u already open or worker count changed",
			conf->port_id, worker);
		if (pt->refs == 0) {
			ports[conf->port_id] = NULL;
			port_free(pt);
		}
		return NULL;
	}
	q = queue_create(pt, worker);
	if (q == NULL) {
		ike_log(IKE_LOG_ERR, "io_eth: port %u: worker %u: no memory", conf->port_id,
			worker);
		if (pt->refs == 0) {
			ports[conf->port_id] = NULL;
			port_free(pt);
		}
		return NULL;
	}
	pt->queues[worker] = q;
	pt->refs++;
	if (worker == 0)
		announce(q);
	return &q->dev;
}

static void
eth_close(struct io_dev *dev)
{
	struct eth_queue *q = eth_q(dev);
	struct eth_port *pt = q->port;
	uint16_t i;

	for (i = 0; i < q->ntx; i++)
		rte_pktmbuf_free(q->tx[i]);
	q->ntx = 0;
	rte_ip_frag_table_destroy(q->frag);
	rte_ip_frag_free_death_row(&q->dr, 0);
	pt->queues[q->worker] = NULL;
	rte_free(q);
	if (--pt->refs == 0) {
		ports[pt->port_id] = NULL;
		port_free(pt);
	}
}

struct rte_mempool *
io_eth_mempool(struct io_dev *dev)
{
	return eth_q(dev)->pool;
}

void
io_eth_mac(struct io_dev *dev, uint8_t mac[6])
{
	memcpy(mac, &eth_q(dev)->port->mac, 6);
}

struct rte_ring *
io_eth_relay(uint16_t port_id, uint16_t queue)
{
	const struct eth_port *pt = port_id < RTE_MAX_ETHPORTS ? ports[port_id] : NULL;

	return pt != NULL && queue < pt->nb_queues ? pt->relay[queue] : NULL;
}

int
io_eth_exception_port(struct io_dev *dev)
{
	return eth_q(dev)->port->tap_port;
}
