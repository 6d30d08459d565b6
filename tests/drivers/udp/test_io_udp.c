/* SPDX-License-Identifier: BSD-3-Clause */
/* io_udp over loopback: bursts (v4, v6), non-ESP marker, keepalives, reply source. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "io_udp.h"

#define BURST 32

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct io_dev *
open_dev(const char *v4, const char *v6, uint32_t buf_size)
{
	struct io_udp_conf c = {
		.bind_v4 = v4,
		.bind_v6 = v6,
		.port = {0, 0}, /* any free ports: tests never collide */
		.nb_bufs = 256,
		.buf_size = buf_size,
		.burst = BURST,
	};
	struct io_dev *d = io_udp_open(&c);

	assert_non_null(d);
	return d;
}

/* Receives until want packets arrived or 2 s passed. */
static unsigned
rx_wait(struct io_dev *d, struct io_pkt **pkts, unsigned want)
{
	uint64_t end = mono_ms() + 2000;
	unsigned got = 0;

	while (got < want && mono_ms() < end) {
		unsigned n = want - got > BURST ? BURST : want - got;

		got += io_rx_burst(d, pkts + got, (uint16_t)n);
	}
	return got;
}

/* Waits up to 2 s for the device to consume datagrams it will not hand out. */
static void
drain(struct io_dev *d, const uint64_t *counter, uint64_t want)
{
	struct io_pkt *p[BURST];
	uint64_t end = mono_ms() + 2000;

	while (*counter < want && mono_ms() < end)
		assert_int_equal(io_rx_burst(d, p, BURST), 0);
}

static int
client(int family, struct sockaddr_storage *ss, socklen_t *len, const char *addr, uint16_t port)
{
	int fd = socket(family, SOCK_DGRAM, 0);
	struct timeval tv = {.tv_sec = 2};

	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		assert_int_equal(inet_pton(AF_INET, addr, &s4->sin_addr), 1);
		*len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		assert_int_equal(inet_pton(AF_INET6, addr, &s6->sin6_addr), 1);
		*len = sizeof(*s6);
	}
	return fd;
}

static uint16_t
sock_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					     : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A fake IKE header: SPIi 5a 00 .. 5a i+1 (first octets non-zero, as real SPIs almost always are). */
static size_t
make_msg(uint8_t *b, unsigned i)
{
	memset(b, 0, 40);
	b[7] = (uint8_t)(i + 1);
	b[0] = 0x5a;
	b[6] = 0x5a;
	b[20] = (uint8_t)i;
	return 40;
}

/* Echoes every packet back with its first octet changed; returns how many went out. */
static uint16_t
reply_all(struct io_dev *d, struct io_pkt **req, unsigned n)
{
	struct io_pkt *rep[128];
	unsigned i;

	assert_true(n <= 128);
	for (i = 0; i < n; i++) {
		rep[i] = io_alloc(d);
		assert_non_null(rep[i]);
		memcpy(rep[i]->data, req[i]->data, req[i]->len);
		rep[i]->data[0] = 0xee;
		rep[i]->len = req[i]->len;
		rep[i]->flags = req[i]->flags;
		rep[i]->port_kind = req[i]->port_kind;
		rep[i]->ifindex = req[i]->ifindex;
		rep[i]->local = req[i]->local;
		rep[i]->remote = req[i]->remote;
		io_free(d, req[i]);
	}
	return io_tx_burst(d, rep, (uint16_t)n);
}

static void
burst_roundtrip(int family, const char *addr)
{
	enum { N = 100 };
	struct io_dev *d = open_dev(family == AF_INET ? addr : NULL,
				    family == AF_INET6 ? addr : NULL, 2048);
	uint8_t fam = family == AF_INET ? 4 : 6;
	uint16_t port = io_udp_bound_port(d, fam, IO_PORT_IKE);
	struct sockaddr_storage dst, from;
	struct io_pkt *pkts[N];
	uint8_t msg[64], in[128];
	socklen_t dlen, flen;
	unsigned i, got;
	int fd;

	assert_true(port != 0);
	fd = client(family, &dst, &dlen, addr, port);
	for (i = 0; i < N; i++)
		assert_int_equal(sendto(fd, msg, make_msg(msg, i), 0, (struct sockaddr *)&dst, dlen),
				 40);
	got = rx_wait(d, pkts, N);
	assert_int_equal(got, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(pkts[i]->len, 40);
		assert_int_equal(pkts[i]->data[7], (uint8_t)(i + 1)); /* order kept */
		assert_int_equal(pkts[i]->flags, 0);
		assert_int_equal(pkts[i]->port_kind, IO_PORT_IKE);
		assert_int_equal(pkts[i]->remote.family, fam);
		assert_int_equal(pkts[i]->remote.port, sock_port(fd));
		assert_int_equal(pkts[i]->local.port, port);
	}
	assert_int_equal(reply_all(d, pkts, 32), 32);
	assert_int_equal(reply_all(d, pkts + 32, N - 32), N - 32);
	for (i = 0; i < N; i++) {
		flen = sizeof(from);
		assert_int_equal(recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &flen), 40);
		assert_int_equal(in[0], 0xee);
		assert_int_equal(in[7], (uint8_t)(i + 1));
		assert_int_equal(memcmp(&from, &dst, dlen), 0); /* from the address we sent to */
	}
	assert_int_equal(d->stats.rx_pkts, N);
	assert_int_equal(d->stats.tx_pkts, N);
	assert_int_equal(d->stats.tx_errors, 0);
	close(fd);
	io_close(d);
}

static void
test_burst_v4(void **state)
{
	(void)state;
	burst_roundtrip(AF_INET, "127.0.0.1");
}

static void
test_burst_v6(void **state)
{
	(void)state;
	burst_roundtrip(AF_INET6, "::1");
}

static void
test_marker_strip_and_mirror(void **state)
{
	struct io_dev *d = open_dev("127.0.0.1", NULL, 2048);
	uint16_t ports[2] = {io_udp_bound_port(d, 4, IO_PORT_IKE),
			     io_udp_bound_port(d, 4, IO_PORT_NATT)};
	struct sockaddr_storage dst;
	struct io_pkt *p[1];
	uint8_t msg[64], in[128];
	socklen_t dlen;
	unsigned k;
	int fd;

	(void)state;
	/* NAT-T port, and the IKE port too (peers mark every message off port 500). */
	for (k = 0; k < 2; k++) {
		fd = client(AF_INET, &dst, &dlen, "127.0.0.1", ports[k]);
		memset(msg, 0, 4);
		make_msg(msg + 4, 9);
		assert_int_equal(sendto(fd, msg, 44, 0, (struct sockaddr *)&dst, dlen), 44);
		assert_int_equal(rx_wait(d, p, 1), 1);
		assert_int_equal(p[0]->len, 40);
		assert_int_equal(p[0]->data[7], 10); /* IKE SPIi right after the marker */
		assert_true(p[0]->flags & IO_PKT_F_NONESP_MARKER);
		assert_int_equal(p[0]->port_kind, k == 0 ? IO_PORT_IKE : IO_PORT_NATT);
		assert_int_equal(reply_all(d, p, 1), 1);
		assert_int_equal(recv(fd, in, sizeof(in), 0), 44);
		assert_int_equal(memcmp(in, "\0\0\0\0", 4), 0);
		assert_int_equal(in[4], 0xee);
		assert_int_equal(in[4 + 7], 10);
		close(fd);
	}
	io_close(d);
}

static void
test_keepalive_esp_truncated(void **state)
{
	struct io_dev *d = open_dev("127.0.0.1", NULL, 256);
	uint16_t natt = io_udp_bound_port(d, 4, IO_PORT_NATT);
	uint16_t ike = io_udp_bound_port(d, 4, IO_PORT_IKE);
	struct sockaddr_storage dst, dst_ike;
	uint8_t ka = 0xff, esp[48] = {0, 0, 0x10, 0x01}, big[300];
	socklen_t dlen;
	int fd, fd2;

	(void)state;
	fd = client(AF_INET, &dst, &dlen, "127.0.0.1", natt);
	fd2 = client(AF_INET, &dst_ike, &dlen, "127.0.0.1", ike);
	assert_int_equal(sendto(fd, &ka, 1, 0, (struct sockaddr *)&dst, dlen), 1);
	drain(d, &d->stats.natt_keepalive, 1);
	assert_int_equal(d->stats.natt_keepalive, 1);
	/* SPI 0x00001001 is not a marker: ESP. */
	assert_int_equal(sendto(fd, esp, sizeof(esp), 0, (struct sockaddr *)&dst, dlen),
			 sizeof(esp));
	drain(d, &d->stats.esp, 1);
	assert_int_equal(d->stats.esp, 1);
	memset(big, 0x11, sizeof(big));
	assert_int_equal(sendto(fd2, big, sizeof(big), 0, (struct sockaddr *)&dst_ike, dlen),
			 sizeof(big));
	drain(d, &d->stats.rx_truncated, 1);
	assert_int_equal(d->stats.rx_truncated, 1);
	assert_int_equal(d->stats.rx_pkts, 0);
	close(fd);
	close(fd2);
	io_close(d);
}

static void
test_reply_source_address(void **state)
{
	struct io_dev *d = open_dev("0.0.0.0", NULL, 2048);
	uint16_t port = io_udp_bound_port(d, 4, IO_PORT_IKE);
	struct sockaddr_storage dst, from;
	struct sockaddr_in *f4 = (struct sockaddr_in *)&from;
	struct io_pkt *p[1];
	uint8_t msg[64], in[128];
	socklen_t dlen, flen = sizeof(from);
	char txt[INET_ADDRSTRLEN];
	int fd;

	(void)state;
	/* Wildcard socket, request to 127.0.0.2: without PKTINFO the kernel would answer from 127.0.0.1. */
	fd = client(AF_INET, &dst, &dlen, "127.0.0.2", port);
	assert_int_equal(sendto(fd, msg, make_msg(msg, 1), 0, (struct sockaddr *)&dst, dlen), 40);
	assert_int_equal(rx_wait(d, p, 1), 1);
	assert_string_equal(inet_ntop(AF_INET, p[0]->local.ip, txt, sizeof(txt)), "127.0.0.2");
	assert_int_equal(reply_all(d, p, 1), 1);
	assert_int_equal(recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &flen), 40);
	assert_string_equal(inet_ntop(AF_INET, &f4->sin_addr, txt, sizeof(txt)), "127.0.0.2");
	assert_int_equal(ntohs(f4->sin_port), port);
	close(fd);
	io_close(d);
}

static void
test_reuseport_two_devices(void **state)
{
	struct io_udp_conf c = {
		.bind_v4 = "127.0.0.1",
		.port = {0, IO_UDP_PORT_OFF},
		.nb_bufs = 64,
		.buf_size = 512,
		.burst = BURST,
	};
	struct io_dev *a, *b;

	(void)state;
	a = io_udp_open(&c);
	assert_non_null(a);
	assert_int_equal(io_udp_bound_port(a, 4, IO_PORT_NATT), 0);
	/* A second worker opens the same port: SO_REUSEPORT lets it. */
	c.port[IO_PORT_IKE] = io_udp_bound_port(a, 4, IO_PORT_IKE);
	b = io_udp_open(&c);
	assert_non_null(b);
	assert_int_equal(io_udp_bound_port(b, 4, IO_PORT_IKE), c.port[IO_PORT_IKE]);
	io_close(b);
	io_close(a);
	c.burst = IO_UDP_BURST_MAX + 1;
	assert_null(io_udp_open(&c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_v4),
		cmocka_unit_test(test_burst_v6),
		cmocka_unit_test(test_marker_strip_and_mirror),
		cmocka_unit_test(test_keepalive_esp_truncated),
		cmocka_unit_test(test_reply_source_address),
		cmocka_unit_test(test_reuseport_two_devices),
	};

	return cmocka_run_group_tests_name("io_udp", tests, NULL, NULL);
}
