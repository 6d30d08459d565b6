/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exception path in process: the driver creates a kernel TAP
 * interface (net_tap) with the port's MAC; a frame that is not ours
 * reaches the kernel there (read back on an AF_PACKET socket bound to the
 * TAP), and a frame the kernel sends on the TAP leaves through the port.
 * Needs root and /dev/net/tun; skipped (loudly) without them.
 */
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "eth_harness.h"

static struct h_frame out[H_OUT_MAX];

static void
test_exception_tap(void **state)
{
	char ifname[16];
	struct io_eth_conf c;
	uint8_t f[256], got[2048], pl[40];
	bool seen = false;
	struct h_port p;
	uint64_t t0;
	ssize_t r;
	size_t n;
	unsigned k, i;
	int fd;

	(void)state;
	h_skip_without_tap("the exception path test");
	snprintf(ifname, sizeof(ifname), "ikx%d", (int)getpid());
	h_conf(&c, 0, 1);
	snprintf(c.exception_iface, sizeof(c.exception_iface), "%s", ifname);
	h_open(&p, 1, &c);
	assert_true(io_eth_exception_port(p.dev[0]) >= 0);
	fd = h_packet_socket(ifname);

	/* Port -> kernel: UDP to an address that is not ours. */
	h_ike_payload(pl, sizeof(pl), 21);
	n = h_udp4(f, p.mac, h_peer4, h_other4, 5555, 6666, pl, sizeof(pl));
	h_inject(&p, f, n);
	assert_int_equal(h_rx(&p, 0, NULL), 0);
	assert_int_equal(h_counter(&p, 0, "exc_to_kernel"), 1);
	assert_int_equal(h_counter(&p, 0, "drop_not_ours"), 0);
	t0 = h_mono_ms();
	while (!seen && h_mono_ms() - t0 < 3000) {
		r = recv(fd, got, sizeof(got), 0);
		seen = r == (ssize_t)n && memcmp(got, f, n) == 0;
	}
	assert_true(seen);

	/* Kernel -> port: a frame sent on the TAP leaves through the port as it is. */
	n = h_udp4(f, h_peer_mac, h_our4, h_peer4, 7777, 8888, pl, sizeof(pl));
	memcpy(f + 6, p.mac, 6);
	assert_int_equal(send(fd, f, n, 0), (ssize_t)n);
	seen = false;
	t0 = h_mono_ms();
	while (!seen && h_mono_ms() - t0 < 3000) {
		h_rx(&p, 0, NULL);
		k = h_sent(&p, out, H_OUT_MAX);
		for (i = 0; i < k; i++)
			seen |= out[i].len == n && memcmp(out[i].b, f, n) == 0;
		usleep(1000);
	}
	assert_true(seen);
	assert_true(h_counter(&p, 0, "exc_from_kernel") >= 1);
	close(fd);
	h_close(&p);
	assert_int_equal(if_nametoindex(ifname), 0); /* the TAP went with the port */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exception_tap),
	};

	return cmocka_run_group_tests(tests, h_eal_setup, h_eal_teardown);
}
