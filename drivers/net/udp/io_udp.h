/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * io_udp - struct io_dev over kernel UDP sockets, recvmmsg/sendmmsg bursts.
 *
 * One device per worker. It opens one SO_REUSEPORT socket per family and
 * listening port (IKE, NAT-T), so N workers opening the same ports share the
 * load by the kernel's 4-tuple hash. Replies leave from the address and
 * port the request came to (IP_PKTINFO / IPV6_PKTINFO).
 *
 * Non-ESP marker (RFC 3948 2.2): a datagram starting with 4 zero octets is
 * IKE behind a marker, on the NAT-T port and on an IKE port other than 500
 * (strongSwan and libreswan send it on every port but 500). On port 500 a
 * datagram is always taken as it is.
 * The marker is removed on receive, flagged, and put back on the reply.
 * On the NAT-T port anything else is ESP: counted and dropped here for now.
 * One-octet 0xFF NAT-keepalives (RFC 3948 2.3) are counted and dropped.
 */
#ifndef IO_UDP_H
#define IO_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"

/* Value of io_udp_conf.port[] for "do not listen". 0 means any free port. */
#define IO_UDP_PORT_OFF (-1)
#define IO_UDP_BURST_MAX 64

struct io_udp_conf {
	const char *bind_v4;            /* e.g. "0.0.0.0"; NULL: no IPv4 */
	const char *bind_v6;            /* e.g. "::"; NULL: no IPv6 (IPV6_V6ONLY set) */
	int32_t port[IO_PORT_COUNT];    /* IO_UDP_PORT_OFF, 0, or a port */
	uint32_t nb_bufs;               /* packet buffers owned by the device */
	uint32_t buf_size;              /* octets per buffer: the largest datagram */
	uint16_t burst;                 /* datagrams per recvmmsg/sendmmsg, <= IO_UDP_BURST_MAX */
	bool check_free;                /* first device: io_udp_ports_free() before binding */
};

/* Opens the sockets and allocates every buffer. NULL (logged) on failure. */
struct io_dev *io_udp_open(const struct io_udp_conf *conf);

/*
 * 0 when no other socket holds any of conf's fixed ports (port 0 and
 * IO_UDP_PORT_OFF are not checked); -1 with the port named in err.
 * io_udp_open() calls it when conf->check_free is set.
 */
int io_udp_ports_free(const struct io_udp_conf *conf, char *err, size_t err_len);

/* The port a socket is bound to (useful after asking for port 0); 0 if none. */
uint16_t io_udp_bound_port(const struct io_dev *dev, uint8_t family, enum io_port_kind kind);

#endif
