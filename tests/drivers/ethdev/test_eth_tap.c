/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver on a net_tap port, the kernel on the other side (an AF_PACKET
 * socket on the TAP interface plays the peer): net_tap offers IPv4/UDP
 * checksum offloads, so this covers the offload paths the net_ring tests
 * cannot (TX: pseudo-header sums and mbuf flags the PMD completes; RX: the
 * PMD's verdict taken instead of our own check). Needs root and
 * /dev/net/tun; skipped (loudly) without them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

#include "eth_harness.h"

/* Polls the driver until the kernel side sees a frame from us of that ethertype. */
static size_t
await_frame(struct io_dev *dev, int fd, const uint8_t *mac, uint16_t type, uint8_t *buf, size_t cap)
{
	uint64_t t0 = h_mono_ms();
	struct io_pkt *p[32];
	uint16_t k, got;
	ssize_t r;

	while (h_mono_ms() - t0 < 3000) {
		got = io_rx_burst(dev, p, 32);
		for (k = 0; k < got; k++)
			io_free(dev, p[k]);
		r = recv(fd, buf, cap, MSG_DONTWAIT);
		if (r >= 14 && memcmp(buf + 6, mac, 6) == 0 && h_get16(buf + 12) == type)
			return (size_t)r;
		if (r < 0)
			usleep(1000);
	}
	fail_msg("no frame of type %04x from the driver", type);
	return 0;
}

/* Polls the driver until it hands out one IKE packet. */
static struct io_pkt *
await_pkt(struct io_dev *dev)
{
	uint64_t t0 = h_mono_ms();
	struct io_pkt *p[32];

	while (h_mono_ms() - t0 < 3000) {
		if (io_rx_burst(dev, p, 32) == 1)
			return p[0];
		usleep(1000);
	}
	fail_msg("no IKE packet");
	return NULL;
}

static void
test_tap_offloads(void **state)
{
	char ifname[16], vdev[32], args[48];
	uint8_t f[512], got[2048], pl[64], mac[6];
	struct io_eth_conf c;
	struct io_pkt *r, *in;
	struct io_dev *dev;
	uint16_t port;
	size_t n;
	int fd;

	(void)state;
	h_skip_without_tap("the net_tap test");
	snprintf(ifname, sizeof(ifname), "ikt%d", (int)getpid());
	snprintf(vdev, sizeof(vdev), "net_tap_t%d", (int)getpid());
	snprintf(args, sizeof(args), "iface=%s", ifname);
	assert_int_equal(rte_vdev_init(vdev, args), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name(vdev, &port), 0);
	h_conf(&c, port, 1);
	dev = io_eth_open(&c, 0);
	assert_non_null(dev);
	io_eth_mac(dev, mac);
	fd = h_packet_socket(ifname);

	/* The peer asks for our MAC. */
	n = h_arp_request_from_peer(f);
	assert_int_equal(send(fd, f, n, 0), (ssize_t)n);
	n = await_frame(dev, fd, mac, 0x0806, got, sizeof(got));
	assert_int_equal(h_get16(got + 14 + 6), 2);

	/* A bad UDP checksum: the PMD's verdict drops it. */
	h_ike_payload(pl, sizeof(pl), 31);
	n = h_udp4(f, mac, h_peer4, h_our4, 41000, 500, pl, sizeof(pl));
	f[14 + 20 + 6] ^= 0x10;
	assert_int_equal(send(fd, f, n, 0), (ssize_t)n);
	/* IKE to us, then our reply with offloaded checksums, checked by our own code. */
	n = h_udp4(f, mac, h_peer4, h_our4, 41000, 500, pl, sizeof(pl));
	assert_int_equal(send(fd, f, n, 0), (ssize_t)n);
	in = await_pkt(dev);
	assert_int_equal(in->len, sizeof(pl));
	assert_memory_equal(in->data, pl, sizeof(pl));
	assert_int_equal(h_dev_counter(dev, "drop_udp_csum"), 1);
	r = io_alloc(dev);
	assert_non_null(r);
	r->local = in->local;
	r->remote = in->remote;
	io_free(dev, in);
	memcpy(r->data, pl, 40);
	r->len = 40;
	assert_int_equal(io_tx_burst(dev, &r, 1), 1);
	n = await_frame(dev, fd, mac, 0x0800, got, sizeof(got));
	assert_int_equal(n, 14 + 20 + 8 + 40);
	assert_memory_equal(got, h_peer_mac, 6);
	assert_int_equal(h_cksum(got + 14, 20, 0), 0);
	assert_int_equal(h_l4_check4(got + 14), 0);
	assert_int_equal(h_get16(got + 14 + 20), 500);
	assert_int_equal(h_get16(got + 14 + 22), 41000);
	assert_memory_equal(got + 14 + 28, pl, 40);

	close(fd);
	io_close(dev);
	rte_vdev_uninit(vdev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tap_offloads),
	};

	return cmocka_run_group_tests(tests, h_eal_setup, h_eal_teardown);
}
