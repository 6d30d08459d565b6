/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_icmp_too_big: the ICMP "fragmentation needed" and ICMPv6 "packet too
 * big" the data path writes in place of an inside packet too big for the
 * tunnel, checked field by field with checksums computed here (RFC 1071,
 * the RFC 8200 pseudo header), not DPDK's. No EAL: the mbuf is a plain
 * struct over a static buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_mbuf.h>

#include "dp_priv.h"

#define HEADROOM 128

static uint8_t buf[HEADROOM + 2048];
static uint8_t orig[2048];
static const uint8_t gw4[4] = {10, 99, 0, 1}, host4[4] = {10, 99, 0, 2}, vip4[4] = {10, 98, 0, 5};
static const uint8_t gw6[16] = {0xfd, 0, [15] = 1}, host6[16] = {0xfd, 0, [15] = 2},
		     vip6[16] = {0xfd, 0x98, [15] = 5};

static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* An inside packet of len octets at the mbuf's data, proto and first l4 octet given. */
static uint8_t *
packet(struct rte_mbuf *m, bool v6, uint32_t len, uint8_t proto, uint8_t l4_first)
{
	uint8_t *ip = buf + HEADROOM;

	memset(m, 0, sizeof(*m));
	m->buf_addr = buf;
	m->buf_len = sizeof(buf);
	m->data_off = HEADROOM;
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	for (uint32_t i = 0; i < len; i++)
		ip[i] = (uint8_t)(i * 7 + 3);
	if (v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		ip[4] = (uint8_t)((len - 40) >> 8);
		ip[5] = (uint8_t)(len - 40);
		ip[6] = proto;
		ip[7] = 63;
		memcpy(ip + 8, host6, 16);
		memcpy(ip + 24, vip6, 16);
		ip[40] = l4_first;
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		ip[2] = (uint8_t)(len >> 8);
		ip[3] = (uint8_t)len;
		ip[6] = 0x40; /* DF */
		ip[8] = 63;
		ip[9] = proto;
		memcpy(ip + 12, host4, 4);
		memcpy(ip + 16, vip4, 4);
		ip[20] = l4_first;
	}
	memcpy(orig, ip, len);
	return ip;
}

static void
config(struct dp_config *c, uint8_t family)
{
	memset(c, 0, sizeof(*c));
	c->inside_family = family;
	memcpy(c->inside_ip, family == 4 ? gw4 : gw6, family == 4 ? 4 : 16);
}

static void
check4(uint32_t len, uint32_t mtu)
{
	struct dp_config c;
	struct rte_mbuf m;
	uint8_t *ip = packet(&m, false, len, 6, 0), *r;
	uint32_t quote = len < 548 ? len : 548;

	config(&c, 4);
	assert_true(dp_icmp_too_big(&c, &m, ip, len, mtu));
	r = (uint8_t *)m.buf_addr + m.data_off;
	assert_int_equal(m.data_len, 28 + quote);
	assert_int_equal(m.pkt_len, 28 + quote);
	assert_int_equal(r[0], 0x45);
	assert_int_equal(get16(r + 2), 28 + quote);
	assert_int_equal(r[9], 1);
	assert_memory_equal(r + 12, gw4, 4);
	assert_memory_equal(r + 16, host4, 4);
	assert_int_equal(fold(sum16(r, 20, 0)), 0xffff);
	assert_int_equal(r[20], 3); /* destination unreachable */
	assert_int_equal(r[21], 4); /* fragmentation needed and DF set */
	assert_int_equal(get16(r + 24), 0);
	assert_int_equal(get16(r + 26), mtu);
	assert_int_equal(fold(sum16(r + 20, 8 + quote, 0)), 0xffff);
	assert_memory_equal(r + 28, orig, quote);
}

static void
test_frag_needed4(void **state)
{
	(void)state;
	check4(1439, 1438); /* quotes the first 548 octets: 576 in all */
	check4(100, 68);    /* a short packet whole */
}

static void
check6(uint32_t len, uint32_t mtu)
{
	struct dp_config c;
	struct rte_mbuf m;
	uint8_t *ip = packet(&m, true, len, 17, 0), *r;
	uint32_t quote = len < 1232 ? len : 1232, s;

	config(&c, 6);
	assert_true(dp_icmp_too_big(&c, &m, ip, len, mtu));
	r = (uint8_t *)m.buf_addr + m.data_off;
	assert_int_equal(m.data_len, 48 + quote);
	assert_int_equal(r[0] >> 4, 6);
	assert_int_equal(get16(r + 4), 8 + quote);
	assert_int_equal(r[6], 58);
	assert_memory_equal(r + 8, gw6, 16);
	assert_memory_equal(r + 24, host6, 16);
	assert_int_equal(r[40], 2); /* packet too big */
	assert_int_equal(r[41], 0);
	assert_int_equal((uint32_t)get16(r + 44) << 16 | get16(r + 46), mtu);
	/* RFC 8200 8.1 pseudo header: addresses, length, next header. */
	s = sum16(r + 8, 32, 0) + 8 + quote + 58;
	assert_int_equal(fold(sum16(r + 40, 8 + quote, s)), 0xffff);
	assert_memory_equal(r + 48, orig, quote);
}

static void
test_packet_too_big6(void **state)
{
	(void)state;
	check6(1500, 1280); /* quotes 1232 octets: 1280 in all */
	check6(1300, 1280);
}

/* Never an error about an error; echo requests are not errors. */
static void
test_not_for_errors(void **state)
{
	struct dp_config c;
	struct rte_mbuf m;
	uint8_t *ip;

	(void)state;
	config(&c, 4);
	ip = packet(&m, false, 600, 1, 3);
	assert_false(dp_icmp_too_big(&c, &m, ip, 600, 576));
	assert_int_equal(m.data_off, HEADROOM);
	assert_memory_equal(ip, orig, 600);
	ip = packet(&m, false, 600, 1, 8);
	assert_true(dp_icmp_too_big(&c, &m, ip, 600, 576));
	config(&c, 6);
	ip = packet(&m, true, 1400, 58, 1);
	assert_false(dp_icmp_too_big(&c, &m, ip, 1400, 1280));
	assert_memory_equal(ip, orig, 1400);
	ip = packet(&m, true, 1400, 58, 128);
	assert_true(dp_icmp_too_big(&c, &m, ip, 1400, 1280));
}

/* No inside address of the packet's family, or no room in front: nothing sent. */
static void
test_no_source_no_room(void **state)
{
	struct dp_config c;
	struct rte_mbuf m;
	uint8_t *ip;

	(void)state;
	config(&c, 4);
	ip = packet(&m, true, 1400, 17, 0);
	assert_false(dp_icmp_too_big(&c, &m, ip, 1400, 1280));
	config(&c, 0);
	ip = packet(&m, false, 1400, 17, 0);
	assert_false(dp_icmp_too_big(&c, &m, ip, 1400, 1280));
	config(&c, 4);
	ip = packet(&m, false, 1400, 17, 0);
	memmove(buf + 20, ip, 1400);
	m.data_off = 20;
	assert_false(dp_icmp_too_big(&c, &m, buf + 20, 1400, 1280));
	assert_int_equal(m.data_off, 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frag_needed4),
		cmocka_unit_test(test_packet_too_big6),
		cmocka_unit_test(test_not_for_errors),
		cmocka_unit_test(test_no_source_no_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
