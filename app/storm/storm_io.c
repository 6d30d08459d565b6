/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_io.c - connected UDP sockets, sendmmsg/recvmmsg bursts, non-ESP marker. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "storm_io.h"

#define MARKER_LEN 4
#define SOCK_BUF (1 << 20)
#define IKE_HDR_LEN 28 /* RFC 7296 3.1 */

struct tx_slot {
	uint32_t sock;
	uint16_t len;
	uint8_t buf[MARKER_LEN + STORM_MSG_MAX];
};

struct storm_io {
	struct storm_io_cfg cfg;
	int epfd;
	int *fds;
	struct storm_io_stats stats;
	unsigned nb_tx;
	struct tx_slot tx[STORM_IO_BURST];
	/* Headers point at tx[i] and rx_buf[i] for good: a burst sets lengths only. */
	struct mmsghdr tx_msg[STORM_IO_BURST];
	struct iovec tx_iov[STORM_IO_BURST];
	struct mmsghdr rx_msg[STORM_IO_BURST];
	struct iovec rx_iov[STORM_IO_BURST];
	uint8_t rx_buf[STORM_IO_BURST][MARKER_LEN + STORM_MSG_MAX];
};

int
storm_io_parse_target(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	char *end;
	unsigned long port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - s - 1);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hl);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, s, hl);
	}
	host[hl] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || colon[1] == '\0' || port == 0 || port > 65535)
		return -1;
	if (s[0] != '[') {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -1;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -1;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a);
	}
	return 0;
}

/* Source address of socket i: 127.1.0.1 (or addr_base) + (i mod nb_addrs), or any. */
static int
sock_bind(const struct storm_io_cfg *cfg, int fd, unsigned i)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	uint32_t host;

	if (cfg->target.ss_family != AF_INET || cfg->nb_addrs == 0)
		return 0;
	host = (cfg->addr_base != 0 ? cfg->addr_base : STORM_IO_ADDR_BASE) + i % cfg->nb_addrs;
	a.sin_addr.s_addr = htonl(host);
	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static int
sock_open(struct storm_io *io, unsigned i)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
	int buf = SOCK_BUF;
	int fd;

	fd = socket(io->cfg.target.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	io->fds[i] = fd;
	/* best effort: the kernel caps these at net.core.[rw]mem_max */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (sock_bind(&io->cfg, fd, i) != 0)
		return -1;
	/* connected: the kernel drops datagrams from anyone but the target */
	if (connect(fd, (const struct sockaddr *)&io->cfg.target, io->cfg.target_len) != 0)
		return -1;
	return epoll_ctl(io->epfd, EPOLL_CTL_ADD, fd, &ev);
}

struct storm_io *
storm_io_create(const struct storm_io_cfg *cfg)
{
	struct storm_io *io;
	unsigned i;

	if (cfg->nb_socks == 0)
		return NULL;
	io = calloc(1, sizeof(*io));
	if (io == NULL)
		return NULL;
	io->cfg = *cfg;
	io->fds = malloc(cfg->nb_socks * sizeof(*io->fds));
	io->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (io->fds == NULL || io->epfd < 0) {
		fprintf(stderr, "storm: io: %s\n", strerror(errno));
		free(io->fds);
		if (io->epfd >= 0)
			close(io->epfd);
		free(io);
		return NULL;
	}
	for (i = 0; i < STORM_IO_BURST; i++) {
		io->tx_iov[i].iov_base = io->tx[i].buf;
		io->tx_msg[i].msg_hdr.msg_iov = &io->tx_iov[i];
		io->tx_msg[i].msg_hdr.msg_iovlen = 1;
		io->rx_iov[i].iov_base = io->rx_buf[i];
		io->rx_iov[i].iov_len = sizeof(io->rx_buf[i]);
		io->rx_msg[i].msg_hdr.msg_iov = &io->rx_iov[i];
		io->rx_msg[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i < cfg->nb_socks; i++)
		io->fds[i] = -1;
	for (i = 0; i < cfg->nb_socks; i++) {
		if (sock_open(io, i) != 0) {
			fprintf(stderr, "storm: socket %u of %u: %s\n", i + 1, cfg->nb_socks,
				strerror(errno));
			storm_io_destroy(io);
			return NULL;
		}
	}
	return io;
}

void
storm_io_destroy(struct storm_io *io)
{
	unsigned i;

	if (io == NULL)
		return;
	for (i = 0; i < io->cfg.nb_socks; i++)
		if (io->fds[i] >= 0)
			close(io->fds[i]);
	close(io->epfd);
	free(io->fds);
	free(io);
}

/* Sends tx[from, to) on one socket, in as few sendmmsg calls as it takes. */
static void
send_run(struct storm_io *io, unsigned from, unsigned to)
{
	int fd = io->fds[io->tx[from].sock];
	unsigned n = to - from, done = 0;
	int r;

	while (done < n) {
		r = sendmmsg(fd, io->tx_msg + from + done, n - done, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/*
			 * Full buffer or ICMP port unreachable (ECONNREFUSED on a
			 * connected socket): this datagram is lost, like on a
			 * real network; the scheduler's retransmit covers it.
			 */
			io->stats.tx_errors++;
			done++;
			continue;
		}
		io->stats.tx_msgs += (unsigned)r;
		done += (unsigned)r;
	}
}

void
storm_io_flush(struct storm_io *io)
{
	unsigned i, start = 0;

	for (i = 1; i <= io->nb_tx; i++) {
		if (i == io->nb_tx || io->tx[i].sock != io->tx[start].sock) {
			send_run(io, start, i);
			start = i;
		}
	}
	io->nb_tx = 0;
}

void
storm_io_queue(struct storm_io *io, uint32_t sock, const uint8_t *data, size_t len)
{
	struct tx_slot *t;
	size_t off = io->cfg.nonesp_marker ? MARKER_LEN : 0;

	if (len > STORM_MSG_MAX || sock >= io->cfg.nb_socks) {
		io->stats.tx_errors++;
		return;
	}
	if (io->nb_tx == STORM_IO_BURST)
		storm_io_flush(io);
	t = &io->tx[io->nb_tx++];
	t->sock = sock;
	memset(t->buf, 0, off);
	memcpy(t->buf + off, data, len);
	t->len = (uint16_t)(off + len);
	io->tx_iov[io->nb_tx - 1].iov_len = t->len;
}

/*
 * Receives up to n datagrams from socket sock into the buffers from *used
 * on; appends the valid ones to rx[*got...]. Runts use a buffer but no entry.
 */
static void
recv_sock(struct storm_io *io, uint32_t sock, struct storm_rx *rx, unsigned *used, unsigned *got,
	  unsigned n)
{
	struct mmsghdr *msg = io->rx_msg + *used;
	unsigned i, first = *used;
	uint8_t *p;
	size_t len;
	int r;

	r = recvmmsg(io->fds[sock], msg, n, MSG_DONTWAIT, NULL);
	if (r <= 0)
		return; /* EAGAIN, or a queued ICMP error (ECONNREFUSED): nothing to read */
	*used += (unsigned)r;
	for (i = 0; i < (unsigned)r; i++) {
		p = io->rx_buf[first + i];
		len = msg[i].msg_len;
		io->stats.rx_msgs++;
		/* RFC 3948 2.2: an IKE message never starts with 4 zero octets (SPIi != 0) */
		if (len >= MARKER_LEN && memcmp(p, "\0\0\0\0", MARKER_LEN) == 0) {
			p += MARKER_LEN;
			len -= MARKER_LEN;
		}
		if (len < IKE_HDR_LEN || (msg[i].msg_hdr.msg_flags & MSG_TRUNC)) {
			io->stats.rx_runts++;
			continue;
		}
		rx[*got].sock = sock;
		rx[*got].data = p;
		rx[*got].len = (uint16_t)len;
		(*got)++;
	}
}

unsigned
storm_io_recv_burst(struct storm_io *io, struct storm_rx *rx, unsigned n, int timeout_ms)
{
	struct epoll_event ev[STORM_IO_BURST];
	unsigned got = 0, used = 0;
	int i, k;

	if (n > STORM_IO_BURST)
		n = STORM_IO_BURST;
	k = epoll_wait(io->epfd, ev, (int)n, timeout_ms);
	for (i = 0; i < k && used < n; i++)
		recv_sock(io, ev[i].data.u32, rx, &used, &got, n - used);
	return got;
}

const struct storm_io_stats *
storm_io_stats(const struct storm_io *io)
{
	return &io->stats;
}

void
storm_io_local_name(const struct storm_io *io, uint32_t sock, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN];
	uint16_t port;

	if (sock >= io->cfg.nb_socks ||
	    getsockname(io->fds[sock], (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(buf, len, "?");
		return;
	}
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		port = ntohs(a->sin_port);
		snprintf(buf, len, "%s:%u", host, port);
	} else {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		port = ntohs(a->sin6_port);
		snprintf(buf, len, "[%s]:%u", host, port);
	}
}
