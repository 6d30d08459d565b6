/* SPDX-License-Identifier: BSD-3-Clause */
/* eth_harness.c - EAL, net_ring ports and TAP helpers for the ethdev driver tests. */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "eth_harness.h"
#include "rt.h"

static unsigned port_seq;

void
h_conf(struct io_eth_conf *c, uint16_t port_id, uint16_t nb_workers)
{
	memset(c, 0, sizeof(*c));
	c->port_id = port_id;
	c->nb_workers = nb_workers;
	c->addrs[0] = (struct io_eth_prefix){.family = 4, .len = 24};
	memcpy(c->addrs[0].ip, h_our4, 4);
	c->addrs[1] = (struct io_eth_prefix){.family = 6, .len = 64};
	memcpy(c->addrs[1].ip, h_our6, 16);
	c->nb_addrs = 2;
	memcpy(c->gateway4, h_gw4, 4);
	memcpy(c->gateway6, h_gw6, 16);
	c->ike_port = 500;
	c->natt_port = 4500;
	c->mtu = 1500;
	c->nb_bufs = 256;
	c->buf_size = 8192;
	c->burst = 32;
	c->frag_flows = 16;
}

/* Opening the port announced each address: an ARP announcement or an unsolicited NA. */
static void
check_announcements(struct h_port *p, const struct io_eth_conf *c)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	static const uint8_t all_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	static struct h_frame out[IO_ETH_ADDR_MAX + 1];
	uint8_t want[128] = {0};
	unsigned n, i;
	size_t len;

	n = h_sent(p, out, IO_ETH_ADDR_MAX + 1);
	assert_int_equal(n, c->nb_addrs);
	for (i = 0; i < n; i++) {
		memset(want, 0, sizeof(want));
		if (c->addrs[i].family == 4) {
			h_arp(want, h_bcast, 1, p->mac, c->addrs[i].ip, h_zero_mac, c->addrs[i].ip);
			len = 60;
		} else {
			len = h_nd(want, all_mac, p->mac, c->addrs[i].ip, all_nodes, 136, 0x20,
				   c->addrs[i].ip, 2, p->mac);
		}
		if (c->vlan != 0)
			len = h_vlan_tag(want, len, c->vlan);
		assert_int_equal(out[i].len, len);
		assert_memory_equal(out[i].b, want, len);
	}
}

void
h_open(struct h_port *p, unsigned nb_workers, const struct io_eth_conf *conf)
{
	char name[32];
	struct io_eth_conf c;
	unsigned w;
	int port;

	memset(p, 0, sizeof(*p));
	snprintf(name, sizeof(name), "h_rx%u", port_seq);
	p->rx = rte_ring_create(name, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "h_tx%u", port_seq);
	p->tx = rte_ring_create(name, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(p->rx);
	assert_non_null(p->tx);
	snprintf(name, sizeof(name), "net_ring_h%u", port_seq++);
	port = rte_eth_from_rings(name, &p->rx, 1, &p->tx, 1, 0);
	assert_true(port >= 0);
	p->port_id = (uint16_t)port;
	p->nb_workers = nb_workers;
	if (conf != NULL)
		c = *conf;
	else
		h_conf(&c, p->port_id, (uint16_t)nb_workers);
	c.port_id = p->port_id;
	c.nb_workers = (uint16_t)nb_workers;
	for (w = 0; w < nb_workers; w++) {
		p->dev[w] = io_eth_open(&c, (uint16_t)w);
		assert_non_null(p->dev[w]);
	}
	io_eth_mac(p->dev[0], p->mac);
	check_announcements(p, &c);
	for (w = 0; w < nb_workers; w++) {
		const char *const *names;
		const uint64_t *v;
		unsigned n = io_xstats(p->dev[w], &names, &v), k;

		assert_true(n <= H_COUNTERS_MAX);
		for (k = 0; k < n; k++)
			p->base[w][k] = v[k];
	}
}

void
h_close(struct h_port *p)
{
	struct rte_mbuf *m;
	unsigned w;

	while (rte_ring_dequeue(p->tx, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	while (rte_ring_dequeue(p->rx, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	for (w = p->nb_workers; w-- > 0;)
		io_close(p->dev[w]);
	rte_ring_free(p->rx);
	rte_ring_free(p->tx);
}

void
h_inject(struct h_port *p, const void *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(io_eth_mempool(p->dev[0]));
	void *d;

	assert_non_null(m);
	d = rte_pktmbuf_append(m, (uint16_t)len);
	assert_non_null(d);
	memcpy(d, frame, len);
	assert_int_equal(rte_ring_enqueue(p->rx, m), 0);
}

uint16_t
h_rx(struct h_port *p, unsigned w, struct io_pkt **pkts)
{
	return io_rx_burst(p->dev[w], pkts, 32);
}

unsigned
h_sent(struct h_port *p, struct h_frame *out, unsigned max)
{
	struct rte_mbuf *m;
	unsigned n = 0;

	while (rte_ring_dequeue(p->tx, (void **)&m) == 0) {
		const void *d;

		assert_true(n < max);
		assert_true(rte_pktmbuf_pkt_len(m) <= H_FRAME_MAX);
		out[n].len = (uint16_t)rte_pktmbuf_pkt_len(m);
		d = rte_pktmbuf_read(m, 0, out[n].len, out[n].b);
		assert_non_null(d);
		if (d != out[n].b)
			memcpy(out[n].b, d, out[n].len);
		rte_pktmbuf_free(m);
		n++;
	}
	return n;
}

/* The index of a named driver counter of dev; fails the test when unknown. */
static unsigned
counter_index(struct io_dev *dev, const char *name, const uint64_t **v)
{
	const char *const *names;
	unsigned n, k;

	n = io_xstats(dev, &names, v);
	for (k = 0; k < n; k++)
		if (!strcmp(names[k], name))
			return k;
	fail_msg("no counter %s", name);
	return 0;
}

uint64_t
h_counter(struct h_port *p, unsigned w, const char *name)
{
	const uint64_t *v;
	unsigned k = counter_index(p->dev[w], name, &v);

	return v[k] - p->base[w][k];
}

uint64_t
h_dev_counter(struct io_dev *dev, const char *name)
{
	const uint64_t *v;
	unsigned k = counter_index(dev, name, &v);

	return v[k];
}

void
h_only_counters(struct h_port *p, unsigned w, const char *const *nonzero)
{
	const char *const *names;
	const uint64_t *v;
	unsigned n, k, j;
	bool allowed;

	n = io_xstats(p->dev[w], &names, &v);
	for (k = 0; k < n; k++) {
		allowed = false;
		for (j = 0; nonzero[j] != NULL; j++)
			allowed |= !strcmp(nonzero[j], names[k]);
		if (!allowed && v[k] != p->base[w][k])
			fail_msg("counter %s is %lu, want 0", names[k],
				 (unsigned long)(v[k] - p->base[w][k]));
	}
}

void
h_learn_peer(struct h_port *p, uint8_t family)
{
	static struct h_frame answer[H_OUT_MAX];
	uint8_t f[128];
	size_t n = family == 4 ? h_arp_request_from_peer(f) : h_ns_from_peer(f);

	h_inject(p, f, n);
	assert_int_equal(h_rx(p, 0, NULL), 0);
	assert_int_equal(h_sent(p, answer, H_OUT_MAX), 1);
}

uint16_t
h_send_reply(struct h_port *p, unsigned w, uint8_t family, const uint8_t *peer, uint16_t lport,
	     uint16_t rport, const void *payload, uint16_t len, uint16_t flags)
{
	struct io_pkt *r = io_alloc(p->dev[w]);
	size_t alen = family == 4 ? 4 : 16;

	assert_non_null(r);
	assert_true(r->cap >= len);
	r->local.family = r->remote.family = family;
	memcpy(r->local.ip, family == 4 ? h_our4 : h_our6, alen);
	memcpy(r->remote.ip, peer, alen);
	r->local.port = lport;
	r->remote.port = rport;
	r->flags = flags;
	memcpy(r->data, payload, len);
	r->len = len;
	return io_tx_burst(p->dev[w], &r, 1);
}

void
h_skip_without_tap(const char *test)
{
	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) != 0) {
		fprintf(stderr, "SKIP: %s needs root and /dev/net/tun\n", test);
		skip();
	}
}

int
h_packet_socket(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	struct timeval tv = {.tv_sec = 0, .tv_usec = 100 * 1000};
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	assert_true(fd >= 0);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	assert_true(sll.sll_ifindex > 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

uint64_t
h_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
h_eal_setup(void **state)
{
	char *eal[] = {"ethdev_test",
		       "--no-huge",
		       "--no-pci",
		       "-m",
		       "256",
		       "-l",
		       "0",
		       "--log-level=lib.eal:warning",
		       "--log-level=user1:warning"};

	(void)state;
	return rt_eal_init((int)(sizeof(eal) / sizeof(eal[0])), eal) < 0 ? -1 : 0;
}

int
h_eal_teardown(void **state)
{
	(void)state;
	rt_eal_cleanup();
	return 0;
}
