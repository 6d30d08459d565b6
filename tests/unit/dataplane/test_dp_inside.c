/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_inside.c: decrypted packets larger than the inside MTU. Which way each
 * goes (fits, fragments, too big), the ICMP source of each family (dual
 * stack), and the IPv4 fragments themselves, checked field by field with
 * checksums computed here (RFC 1071) and the payload put back together
 * here (RFC 791 offsets): sizes, offsets, MF, the datagram id, no mbuf
 * leaked, an already fragmented packet, and exhausted fragment buffers.
 * EAL without hugepages for the mempools.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "dp_priv.h"
#include "rt.h"

#define POOL_N 256
/* Outer headers in front of the decrypted packet, as dp_inbound leaves it. */
#define OUTER 66

static struct rte_mempool *pool;
static struct dp_lcore lc;
static uint8_t orig[9000];
static const uint8_t host4[4] = {10, 99, 0, 2}, vip4[4] = {10, 98, 0, 5};
static const uint8_t gw4[4] = {10, 99, 0, 1}, gw6[16] = {0xfd, 0x99, [15] = 1};
static const uint8_t host6[16] = {0xfd, 0x99, [15] = 2}, vip6[16] = {0xfd, 0x98, [15] = 5};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071 over the IPv4 header: all ones when its checksum is right. */
static uint16_t
hdr_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* A decrypted IPv4 UDP packet of len octets from vip4 to host4, flags/offset given. */
static struct rte_mbuf *
packet4(uint32_t len, uint16_t frag_field)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *ip;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, (uint16_t)(OUTER + len)));
	assert_non_null(rte_pktmbuf_adj(m, OUTER));
	ip = rte_pktmbuf_mtod(m, uint8_t *);
	for (uint32_t i = 0; i < len; i++)
		ip[i] = (uint8_t)(i * 13 + 5);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(len >> 8);
	ip[3] = (uint8_t)len;
	ip[4] = 0x12;
	ip[5] = 0x34;
	ip[6] = (uint8_t)(frag_field >> 8);
	ip[7] = (uint8_t)frag_field;
	ip[8] = 63;
	ip[9] = 17;
	memcpy(ip + 12, vip4, 4);
	memcpy(ip + 16, host4, 4);
	memcpy(orig, ip, len);
	return m;
}

static void
test_fit(void **state)
{
	uint8_t ip[40] = {0x45};

	(void)state;
	assert_int_equal(dp_inside_fit(0, ip, 9000), DP_FIT);
	assert_int_equal(dp_inside_fit(1280, ip, 1280), DP_FIT);
	assert_int_equal(dp_inside_fit(1280, ip, 1281), DP_FIT_FRAGMENT);
	ip[6] = 0x40; /* DF */
	assert_int_equal(dp_inside_fit(1280, ip, 1281), DP_FIT_TOO_BIG);
	assert_int_equal(dp_inside_fit(1280, ip, 1280), DP_FIT);
	ip[0] = 0x60;
	ip[6] = 17; /* IPv6: never fragmented on the way (RFC 8200 5) */
	assert_int_equal(dp_inside_fit(1280, ip, 1281), DP_FIT_TOO_BIG);
	assert_int_equal(dp_inside_fit(1500, ip, 1500), DP_FIT);
}

/* inside_address of either family, inside_address6 beside an IPv4 one. */
static void
test_source(void **state)
{
	struct dp_config c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_null(dp_inside_src(&c, false));
	assert_null(dp_inside_src(&c, true));
	c.inside_family = 4;
	memcpy(c.inside_ip, gw4, 4);
	assert_memory_equal(dp_inside_src(&c, false), gw4, 4);
	assert_null(dp_inside_src(&c, true));
	c.inside6 = true;
	memcpy(c.inside_ip6, gw6, 16);
	assert_memory_equal(dp_inside_src(&c, false), gw4, 4);
	assert_memory_equal(dp_inside_src(&c, true), gw6, 16);
	memset(&c, 0, sizeof(c));
	c.inside_family = 6;
	memcpy(c.inside_ip, gw6, 16);
	assert_null(dp_inside_src(&c, false));
	assert_memory_equal(dp_inside_src(&c, true), gw6, 16);
}

/*
 * Fragments of a len-octet packet whose own flags/offset field is
 * frag_field, at mtu: each within mtu, header copied with its total length,
 * MF and offset (in 8 octets, after the packet's own), checksum right; their
 * payloads, put at their offsets, are the packet's.
 */
static void
check_frags(uint32_t len, uint32_t mtu, uint16_t frag_field, int want)
{
	struct rte_mbuf *out[DP_FRAG_MAX];
	static uint8_t got[9000];
	uint32_t base = (uint32_t)(frag_field & 0x1fff) * 8, covered = 0;
	unsigned avail = rte_mempool_avail_count(pool);
	struct rte_mbuf *m = packet4(len, frag_field);
	int n, i;

	n = dp_frag4(m, mtu, lc.frag_direct, lc.frag_indirect, out, DP_FRAG_MAX);
	assert_int_equal(n, want);
	memset(got, 0, sizeof(got));
	for (i = 0; i < n; i++) {
		const uint8_t *h = rte_pktmbuf_mtod(out[i], const uint8_t *), *p;
		uint32_t plen = rte_pktmbuf_pkt_len(out[i]),
			 off = (uint32_t)(get16(h + 6) & 0x1fff) * 8;
		bool mf = (get16(h + 6) & 0x2000) != 0;

		assert_true(plen <= mtu);
		assert_true(rte_pktmbuf_headroom(out[i]) >= 14); /* Ethernet goes in front */
		assert_true(rte_pktmbuf_data_len(out[i]) >= 20);
		assert_int_equal(get16(h + 2), plen);
		assert_memory_equal(h + 4, orig + 4, 2); /* one datagram id */
		assert_memory_equal(h + 8, orig + 8, 2); /* TTL, protocol */
		assert_memory_equal(h + 12, orig + 12, 8);
		assert_int_equal(hdr_sum(h, 20), 0xffff);
		assert_int_equal(get16(h + 6) & 0x4000, 0);
		/* Every fragment but the last carries a multiple of 8 and MF. */
		if (i + 1 < n) {
			assert_true(mf);
			assert_int_equal((plen - 20) % 8, 0);
		} else {
			assert_int_equal(mf, (frag_field & 0x2000) != 0);
		}
		assert_true(off >= base && off - base + plen - 20 <= len - 20);
		/* The data sits in the chain's second mbuf, attached to the packet's buffer. */
		assert_int_equal(out[i]->nb_segs, 2);
		assert_true(RTE_MBUF_CLONED(out[i]->next));
		p = rte_pktmbuf_read(out[i], 20, plen - 20, got + 20 + off - base);
		assert_non_null(p);
		memmove(got + 20 + off - base, p, plen - 20);
		covered += plen - 20;
	}
	if (n > 0) {
		assert_int_equal(covered, len - 20);
		assert_memory_equal(got + 20, orig + 20, len - 20);
	}
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(out[i]);
	/* The packet's buffer went back when its last fragment did. */
	assert_int_equal(rte_mempool_avail_count(pool), avail);
	assert_int_equal(rte_mempool_in_use_count(lc.frag_direct), 0);
	assert_int_equal(rte_mempool_in_use_count(lc.frag_indirect), 0);
}

static void
test_fragments(void **state)
{
	(void)state;
	check_frags(1400, 1280, 0, 2);		  /* 1256 + 124 octets of payload */
	check_frags(1400, 1283, 0, 2);		  /* payload per fragment still 1256 */
	check_frags(1301, 1300, 0, 2);		  /* one octet too many: 1280 + 1 */
	check_frags(4000, 1280, 0, 4);		  /* 3 x 1256 + 212 */
	check_frags(1400, 1280, 0x2000 | 100, 2); /* itself a first part: MF stays on the last */
	check_frags(1400, 1280, 185, 2);	  /* a last part at offset 1480 */
}

/* Out of fragment headers: nothing sent, the packet's buffer freed, nothing leaked. */
static void
test_no_buffers(void **state)
{
	struct rte_mbuf *hold[8192], *out[DP_FRAG_MAX];
	unsigned avail = rte_mempool_avail_count(pool), k = 0;
	int n;

	(void)state;
	while (k < RTE_DIM(hold) && (hold[k] = rte_pktmbuf_alloc(lc.frag_direct)) != NULL)
		k++;
	n = dp_frag4(packet4(1400, 0), 1280, lc.frag_direct, lc.frag_indirect, out, DP_FRAG_MAX);
	assert_int_equal(n, -ENOMEM);
	assert_int_equal(rte_mempool_avail_count(pool), avail);
	rte_pktmbuf_free_bulk(hold, k);
	/* More fragments than room for them. */
	n = dp_frag4(packet4(4000, 0), 1280, lc.frag_direct, lc.frag_indirect, out, 2);
	assert_true(n < 0);
	assert_int_equal(rte_mempool_avail_count(pool), avail);
	assert_int_equal(rte_mempool_in_use_count(lc.frag_direct), 0);
	assert_int_equal(rte_mempool_in_use_count(lc.frag_indirect), 0);
}

/*
 * The ICMP a too-big decrypted packet turns into (back through the tunnel):
 * to its sender, from the inside address of its family, with the inside MTU.
 */
static void
test_icmp_back(void **state)
{
	struct dp_config c;
	struct rte_mbuf *m;
	uint8_t *ip, *r;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.inside_family = 4;
	memcpy(c.inside_ip, gw4, 4);
	c.inside6 = true;
	memcpy(c.inside_ip6, gw6, 16);
	m = packet4(1400, 0x4000);
	ip = rte_pktmbuf_mtod(m, uint8_t *);
	assert_int_equal(dp_inside_fit(1280, ip, 1400), DP_FIT_TOO_BIG);
	assert_true(dp_icmp_too_big(&c, m, ip, 1400, 1280));
	r = rte_pktmbuf_mtod(m, uint8_t *);
	assert_memory_equal(r + 12, gw4, 4);
	assert_memory_equal(r + 16, vip4, 4); /* the client behind the tunnel */
	assert_int_equal(r[20], 3);
	assert_int_equal(r[21], 4);
	assert_int_equal(get16(r + 26), 1280);
	assert_memory_equal(r + 28, orig, 548);
	rte_pktmbuf_free(m);

	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, OUTER + 1400));
	rte_pktmbuf_adj(m, OUTER);
	ip = rte_pktmbuf_mtod(m, uint8_t *);
	memset(ip, 0x5a, 1400);
	ip[0] = 0x60;
	ip[4] = (1400 - 40) >> 8;
	ip[5] = (uint8_t)(1400 - 40);
	ip[6] = 17;
	memcpy(ip + 8, vip6, 16);
	memcpy(ip + 24, host6, 16);
	assert_int_equal(dp_inside_fit(1280, ip, 1400), DP_FIT_TOO_BIG);
	assert_true(dp_icmp_too_big(&c, m, ip, 1400, 1280));
	r = rte_pktmbuf_mtod(m, uint8_t *);
	assert_int_equal(r[6], 58);
	assert_memory_equal(r + 8, gw6, 16); /* inside_address6 */
	assert_memory_equal(r + 24, vip6, 16);
	assert_int_equal(r[40], 2);
	assert_int_equal((uint32_t)get16(r + 44) << 16 | get16(r + 46), 1280);
	rte_pktmbuf_free(m);
}

int
main(void)
{
	char *argv[] = {"test_dp_inside", "--lcores", "0@0", "--no-huge",
			"--no-pci",	  "-m",	      "256", "--log-level",
			"lib.eal:error",  NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit),	  cmocka_unit_test(test_source),
		cmocka_unit_test(test_fragments), cmocka_unit_test(test_no_buffers),
		cmocka_unit_test(test_icmp_back),
	};
	int rc;

	if (rt_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0) {
		fprintf(stderr, "test_dp_inside: EAL init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_inside", POOL_N, 0, 0, 9000 + 256, 0);
	if (pool == NULL || dp_frag_pools_create(&lc, 0) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dp_frag_pools_free(&lc);
	rte_mempool_free(pool);
	rt_eal_cleanup();
	return rc;
}
