/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel UDP I/O of the load generator: many connected sockets toward one
 * responder, so that every simulated client (or group of clients) has its
 * own source port and, optionally, its own source address in 127.0.0.0/8.
 * Sends are queued and leave in sendmmsg() bursts; receives are epoll +
 * recvmmsg() bursts. Buffers are allocated at create; none per message.
 */
#ifndef STORM_IO_H
#define STORM_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define STORM_MSG_MAX 2048 /* largest IKE message sent or received */
#define STORM_IO_BURST 64
#define STORM_IO_ADDR_BASE (127u << 24 | 1u << 16 | 1u) /* 127.1.0.1 */

struct storm_io_cfg {
	struct sockaddr_storage target;
	socklen_t target_len;
	unsigned nb_socks; /* distinct local ports */
	unsigned nb_addrs; /* IPv4 only: source addresses 127.1.0.1, 127.1.0.2, ...; 0 = kernel's */
	uint32_t addr_base; /* first source address (host order); 0: STORM_IO_ADDR_BASE */
	bool nonesp_marker; /* RFC 3948 2.2: 4 zero octets before every IKE message */
};

/* A received message: IKE bytes (after any marker), on socket sock. */
struct storm_rx {
	uint32_t sock;
	uint16_t len;
	uint8_t *data;
};

struct storm_io_stats {
	uint64_t tx_msgs;
	uint64_t tx_errors; /* socket buffer full or send error: counted, dropped */
	uint64_t rx_msgs;
	uint64_t rx_runts; /* shorter than an IKE header, or truncated */
};

struct storm_io;

/** Opens and connects every socket; NULL (with a message on stderr) on failure. */
struct storm_io *storm_io_create(const struct storm_io_cfg *cfg);
void storm_io_destroy(struct storm_io *io);

/** Copies one message for socket sock into the send queue; flushes when full. */
void storm_io_queue(struct storm_io *io, uint32_t sock, const uint8_t *data, size_t len);
/** Sends everything queued. */
void storm_io_flush(struct storm_io *io);

/**
 * Waits up to timeout_ms for datagrams and returns up to n of them. The
 * data stays valid until the next call.
 */
unsigned storm_io_recv_burst(struct storm_io *io, struct storm_rx *rx, unsigned n, int timeout_ms);

const struct storm_io_stats *storm_io_stats(const struct storm_io *io);
/** Local address and port of socket sock, as text, for logs ("127.1.0.3:40112"). */
void storm_io_local_name(const struct storm_io *io, uint32_t sock, char *buf, size_t len);

/**
 * Parses "ADDR:PORT" or "[ADDR6]:PORT" into ss.
 * @return 0, or -1 when malformed.
 */
int storm_io_parse_target(const char *s, struct sockaddr_storage *ss, socklen_t *len);

#endif
