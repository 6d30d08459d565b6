/* SPDX-License-Identifier: BSD-3-Clause */
/* eth_harness.c - net_ring ports and frame builders for the ethdev driver tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "eth_harness.h"
#include "rt.h"

const uint8_t h_our4[4] = {198, 51, 100, 1};
const uint8_t h_peer4[4] = {198, 51, 100, 2};
const uint8_t h_other4[4] = {198, 51, 100, 9};
const uint8_t h_gw4[4] = {198, 51, 100, 254};
const uint8_t h_far4[4] = {203, 0, 113, 7};
const uint8_t h_our6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
const uint8_t h_peer6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
const uint8_t h_far6[16] = {0x20, 0x01, 0x0d, 0xb9, [15] = 7};
const uint8_t h_gw6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xff, [15] = 0xfe};
const uint8_t h_peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
const uint8_t h_gw_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xfe};

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
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6];
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
			h_arp(want, bcast, 1, p->mac, c->addrs[i].ip, zero, c->addrs[i].ip);
			len = 60;
		} else {
			len = h_nd(want, all_mac, p->mac, c->addrs[i].ip, all_nodes, 136, 0x20,
				   c->addrs[i].ip, 2, p->mac);
		}
		if (c->vlan != 0) {
			memmove(want + 16, want + 12, len - 12);
			want[12] = 0x81;
			want[13] = 0;
			want[14] = (uint8_t)(c->vlan >> 8);
			want[15] = (uint8_t)c->vlan;
			len += 4;
		}
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

uint64_t
h_counter(struct h_port *p, unsigned w, const char *name)
{
	const char *const *names;
	const uint64_t *v;
	unsigned n, k;

	n = io_xstats(p->dev[w], &names, &v);
	for (k = 0; k < n; k++)
		if (!strcmp(names[k], name))
			return v[k] - p->base[w][k];
	fail_msg("no counter %s", name);
	return 0;
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

uint16_t
h_cksum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint32_t
pseudo_sum(const uint8_t *src, const uint8_t *dst, unsigned alen, uint8_t proto, size_t l4len)
{
	uint32_t s = (uint32_t)(~h_cksum(src, alen, 0) & 0xffff);

	s += (uint32_t)(~h_cksum(dst, alen, 0) & 0xffff);
	return s + proto + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);
}

uint16_t
h_l4_check4(const uint8_t *ip)
{
	unsigned hl = (ip[0] & 0xf) * 4u;
	size_t tot = (size_t)(ip[2] << 8 | ip[3]);

	return h_cksum(ip + hl, tot - hl, pseudo_sum(ip + 12, ip + 16, 4, ip[9], tot - hl));
}

uint16_t
h_l4_check6(const uint8_t *ip6, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	return h_cksum(l4, l4len, pseudo_sum(ip6 + 8, ip6 + 24, 16, proto, l4len));
}

size_t
h_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return 14;
}

size_t
h_arp(uint8_t *f, const uint8_t *dst_mac, uint16_t op, const uint8_t *sha, const uint8_t *spa,
      const uint8_t *tha, const uint8_t *tpa)
{
	uint8_t *a = f + h_eth(f, dst_mac, sha, 0x0806);

	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	return 14 + 28;
}

size_t
h_udp4(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst, uint16_t sport,
       uint16_t dport, const void *payload, size_t len)
{
	uint8_t *ip = f + h_eth(f, dst_mac, h_peer_mac, 0x0800), *u = ip + 20;

	memset(ip, 0, 28);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(28 + len));
	put16(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, h_cksum(ip, 20, 0));
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + len));
	memcpy(u + 8, payload, len);
	put16(u + 6, h_l4_check4(ip));
	if (u[6] == 0 && u[7] == 0)
		u[6] = u[7] = 0xff;
	return 14 + 28 + len;
}

size_t
h_udp6(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src, const uint8_t *dst, uint16_t sport,
       uint16_t dport, const void *payload, size_t len)
{
	uint8_t *ip = f + h_eth(f, dst_mac, h_peer_mac, 0x86dd), *u = ip + 40;
	uint16_t ck;

	memset(ip, 0, 48);
	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)(8 + len));
	ip[6] = 17;
	ip[7] = 64;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + len));
	memcpy(u + 8, payload, len);
	ck = h_l4_check6(ip, 17, u, 8 + len);
	put16(u + 6, ck == 0 ? 0xffff : ck);
	return 14 + 48 + len;
}

size_t
h_nd(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src, const uint8_t *dst,
     uint8_t type, uint8_t flags, const uint8_t *target, uint8_t opt, const uint8_t *ll)
{
	uint8_t *ip = f + h_eth(f, dmac, smac, 0x86dd), *l4 = ip + 40;

	memset(ip, 0, 40 + 32);
	ip[0] = 0x60;
	put16(ip + 4, 32);
	ip[6] = 58;
	ip[7] = 255;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	l4[0] = type;
	l4[4] = flags;
	memcpy(l4 + 8, target, 16);
	l4[24] = opt;
	l4[25] = 1;
	memcpy(l4 + 26, ll, 6);
	put16(l4 + 2, h_l4_check6(ip, 58, l4, 32));
	return 14 + 40 + 32;
}

unsigned
h_frag4(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out)
{
	const uint8_t *ip = frame + 14;
	size_t l4len = len - 14 - 20, off;
	unsigned n = 0;
	uint16_t c;

	for (off = 0; off < l4len; off += c, n++) {
		uint8_t *f = out[n].b, *fip = f + 14;

		c = (uint16_t)(l4len - off < chunk ? l4len - off : chunk);
		memcpy(f, frame, 14 + 20);
		put16(fip + 2, (uint16_t)(20 + c));
		put16(fip + 6, (uint16_t)((off >> 3) | (off + c < l4len ? 0x2000 : 0)));
		fip[10] = fip[11] = 0;
		put16(fip + 10, h_cksum(fip, 20, 0));
		memcpy(fip + 20, ip + 20 + off, c);
		out[n].len = (uint16_t)(14 + 20 + c);
	}
	return n;
}

unsigned
h_frag6(const uint8_t *frame, size_t len, uint16_t chunk, struct h_frame *out)
{
	const uint8_t *ip = frame + 14;
	size_t l4len = len - 14 - 40, off;
	unsigned n = 0;
	uint16_t c;

	for (off = 0; off < l4len; off += c, n++) {
		uint8_t *f = out[n].b, *fip = f + 14, *fh = fip + 40;

		c = (uint16_t)(l4len - off < chunk ? l4len - off : chunk);
		memcpy(f, frame, 14 + 40);
		put16(fip + 4, (uint16_t)(8 + c));
		fip[6] = 44;
		fh[0] = 17;
		fh[1] = 0;
		put16(fh + 2, (uint16_t)(off | (off + c < l4len ? 1 : 0)));
		fh[4] = 0xca;
		fh[5] = 0xfe;
		fh[6] = 0x00;
		fh[7] = 0x01;
		memcpy(fh + 8, ip + 40 + off, c);
		out[n].len = (uint16_t)(14 + 48 + c);
	}
	return n;
}

void
h_ike_payload(uint8_t *b, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7 + 1);
}

int
h_eal_start(char *argv0)
{
	char *eal[] = {argv0,
		       "--no-huge",
		       "--no-pci",
		       "-m",
		       "256",
		       "-l",
		       "0",
		       "--log-level=lib.eal:warning",
		       "--log-level=user1:warning"};

	return rt_eal_init((int)(sizeof(eal) / sizeof(eal[0])), eal) < 0 ? -1 : 0;
}

void
h_eal_stop(void)
{
	rt_eal_cleanup();
}
