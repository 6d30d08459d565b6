/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * io_udp.c - kernel UDP sockets as an io_dev: recvmmsg/sendmmsg bursts,
 * PKTINFO for the reply source, RFC 3948 non-ESP marker and keepalives.
 *
 * Receive buffers stay posted in the recvmmsg vector between calls, as on
 * a NIC's rx ring: a poll that finds nothing costs the syscall alone, and
 * only the slots that took a datagram are refilled. A socket that keeps
 * coming back empty is polled only every few calls (at most
 * IDLE_SKIP_MAX skipped in a row), which saves the syscall that finds
 * nothing on an idle port while the other one is busy.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ike_log.h"
#include "io_udp.h"

#define MARKER_LEN 4
#define CTRL_LEN (CMSG_SPACE(sizeof(struct in6_pktinfo)) > CMSG_SPACE(sizeof(struct in_pktinfo)) \
			  ? CMSG_SPACE(sizeof(struct in6_pktinfo))                            \
			  : CMSG_SPACE(sizeof(struct in_pktinfo)))
#define MAX_SOCKS (2 * IO_PORT_COUNT)
#define IDLE_SKIP_MAX 4 /* calls an idle socket may be left unpolled */

struct udp_sock {
	int fd;
	uint8_t family;
	uint8_t kind;
	uint16_t port;
	uint8_t idle_run; /* consecutive polls that found nothing, up to IDLE_SKIP_MAX */
	uint8_t skip;     /* calls left before this socket is polled again */
};

union ctrl_buf {
	struct cmsghdr align;
	uint8_t b[CTRL_LEN];
};

struct io_udp {
	struct io_dev dev;
	struct udp_sock socks[MAX_SOCKS];
	unsigned nb_socks;
	unsigned rx_next; /* socket polled first, rotated for fairness */
	uint16_t burst;
	uint32_t buf_size;
	uint32_t nb_bufs;
	uint32_t nb_free;
	struct io_pkt *pkts;
	uint8_t *bufs;
	struct io_pkt **free_pkts;
	/* The receive vector: rx_posted[0..nb_posted) are buffers ready for recvmmsg. */
	uint16_t nb_posted;
	struct mmsghdr rx_msgs[IO_UDP_BURST_MAX];
	struct iovec rx_iov[IO_UDP_BURST_MAX];
	struct sockaddr_in6 rx_names[IO_UDP_BURST_MAX];
	union ctrl_buf rx_ctrl[IO_UDP_BURST_MAX];
	struct io_pkt *rx_posted[IO_UDP_BURST_MAX];
	/* Scratch for one sendmmsg call. */
	struct mmsghdr msgs[IO_UDP_BURST_MAX];
	struct iovec iov[IO_UDP_BURST_MAX][2];
	struct sockaddr_in6 names[IO_UDP_BURST_MAX];
	union ctrl_buf ctrl[IO_UDP_BURST_MAX];
};

static const uint8_t nonesp_marker[MARKER_LEN];

static struct io_udp *
udp_of(struct io_dev *dev)
{
	return (struct io_udp *)(void *)dev;
}

static uint8_t *
pkt_base(const struct io_udp *u, const struct io_pkt *p)
{
	return u->bufs + (size_t)(p - u->pkts) * u->buf_size;
}

static struct io_pkt *
udp_alloc(struct io_dev *dev)
{
	struct io_udp *u = udp_of(dev);
	struct io_pkt *p;

	if (u->nb_free == 0)
		return NULL;
	p = u->free_pkts[--u->nb_free];
	memset(p, 0, sizeof(*p));
	p->data = pkt_base(u, p);
	p->cap = (uint16_t)u->buf_size;
	return p;
}

static void
udp_free(struct io_dev *dev, struct io_pkt *p)
{
	struct io_udp *u = udp_of(dev);

	u->free_pkts[u->nb_free++] = p;
}

static void
addr_from_sockaddr(struct io_addr *a, const struct sockaddr_in6 *sa)
{
	memset(a, 0, sizeof(*a));
	if (sa->sin6_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;

		a->family = 4;
		a->port = ntohs(s4->sin_port);
		memcpy(a->ip, &s4->sin_addr, 4);
	} else {
		a->family = 6;
		a->port = ntohs(sa->sin6_port);
		memcpy(a->ip, &sa->sin6_addr, 16);
	}
}

static socklen_t
addr_to_sockaddr(const struct io_addr *a, struct sockaddr_in6 *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (a->family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)sa;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->ip, 4);
		return sizeof(*s4);
	}
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons(a->port);
	memcpy(&sa->sin6_addr, a->ip, 16);
	return sizeof(*sa);
}

/* Local address and interface from the PKTINFO control message. */
static void
local_from_cmsg(struct io_pkt *p, struct msghdr *mh, const struct udp_sock *s)
{
	struct cmsghdr *c;

	memset(&p->local, 0, sizeof(p->local));
	p->local.family = s->family;
	p->local.port = s->port;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(p->local.ip, &pi.ipi_addr, 4);
			p->ifindex = (uint32_t)pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(p->local.ip, &pi.ipi6_addr, 16);
			p->ifindex = pi.ipi6_ifindex;
		}
	}
}

/* Classifies one received datagram; false when it was consumed (counted). */
static bool
rx_classify(struct io_udp *u, struct io_pkt *p, unsigned len, int msg_flags,
	    const struct udp_sock *s)
{
	uint8_t *b = p->data;

	if (msg_flags & MSG_TRUNC) {
		u->dev.stats.rx_truncated++;
		return false;
	}
	if (len == 1 && b[0] == 0xff) {
		u->dev.stats.natt_keepalive++;
		return false;
	}
	/*
	 * On port 500 itself no marker is used (RFC 3948 2.2, RFC 7296 2.23),
	 * and an initiator SPI may legally start with four zero octets there.
	 */
	if (len >= MARKER_LEN && (s->kind == IO_PORT_NATT || s->port != 500) &&
	    memcmp(b, nonesp_marker, MARKER_LEN) == 0) {
		p->data += MARKER_LEN;
		p->cap -= MARKER_LEN;
		len -= MARKER_LEN;
		p->flags |= IO_PKT_F_NONESP_MARKER;
	} else if (s->kind == IO_PORT_NATT) {
		if (len < MARKER_LEN)
			u->dev.stats.rx_runt++;
		else
			u->dev.stats.esp++;
		return false;
	}
	if (len == 0) {
		u->dev.stats.rx_runt++;
		return false;
	}
	p->len = (uint16_t)len;
	return true;
}

/* (Re)arms receive slot i for buffer p: the kernel rewrites the lengths on every receive. */
static void
rx_slot_arm(struct io_udp *u, uint16_t i, struct io_pkt *p)
{
	struct msghdr *mh = &u->rx_msgs[i].msg_hdr;

	u->rx_posted[i] = p;
	u->rx_iov[i].iov_base = pkt_base(u, p);
	u->rx_iov[i].iov_len = u->buf_size;
	mh->msg_name = &u->rx_names[i];
	mh->msg_namelen = sizeof(u->rx_names[i]);
	mh->msg_iov = &u->rx_iov[i];
	mh->msg_iovlen = 1;
	mh->msg_control = u->rx_ctrl[i].b;
	mh->msg_controllen = sizeof(u->rx_ctrl[i].b);
	mh->msg_flags = 0;
}

/*
 * Refills the slots below `used` whose buffer was handed out (NULL) and
 * re-arms those whose buffer came back, then tops the vector up to `burst`.
 * Without free buffers the last posted slot moves into the hole.
 */
static void
rx_refill(struct io_udp *u, uint16_t used)
{
	struct io_pkt *p;
	uint16_t i;

	for (i = 0; i < used && i < u->nb_posted; i++) {
		p = u->rx_posted[i];
		while (p == NULL && u->nb_free == 0 && i < u->nb_posted - 1)
			p = u->rx_posted[--u->nb_posted];
		if (p == NULL && u->nb_free > 0)
			p = u->free_pkts[--u->nb_free];
		if (p == NULL) {
			u->nb_posted = i;
			break;
		}
		rx_slot_arm(u, i, p);
	}
	while (u->nb_posted < u->burst && u->nb_free > 0) {
		rx_slot_arm(u, u->nb_posted, u->free_pkts[--u->nb_free]);
		u->nb_posted++;
	}
}

/* The datagram in receive slot i as a packet ready for classification. */
static struct io_pkt *
rx_slot_take(struct io_udp *u, uint16_t i)
{
	struct io_pkt *p = u->rx_posted[i];

	memset(p, 0, sizeof(*p));
	p->data = pkt_base(u, p);
	p->cap = (uint16_t)u->buf_size;
	return p;
}

static void
idle_note(struct udp_sock *s, bool empty)
{
	if (!empty) {
		s->idle_run = 0;
		return;
	}
	if (s->idle_run < IDLE_SKIP_MAX)
		s->idle_run++;
	s->skip = s->idle_run;
}

/* One recvmmsg on socket s into at most want posted buffers. */
static uint16_t
rx_sock(struct io_udp *u, struct udp_sock *s, struct io_pkt **out, uint16_t want)
{
	uint16_t got = 0, i, take;
	int r;

	if (s->skip > 0) {
		s->skip--;
		return 0;
	}
	if (u->nb_posted < u->burst)
		rx_refill(u, 0);
	take = want < u->nb_posted ? want : u->nb_posted;
	if (take == 0) {
		u->dev.stats.rx_nobuf++;
		return 0;
	}
	r = recvmmsg(s->fd, u->rx_msgs, take, MSG_DONTWAIT, NULL);
	idle_note(s, r <= 0);
	if (r <= 0)
		return 0;
	for (i = 0; i < r; i++) {
		struct msghdr *mh = &u->rx_msgs[i].msg_hdr;
		struct io_pkt *p = rx_slot_take(u, i);

		p->port_kind = s->kind;
		if (!rx_classify(u, p, u->rx_msgs[i].msg_len, mh->msg_flags, s))
			continue; /* the buffer stays posted */
		addr_from_sockaddr(&p->remote, &u->rx_names[i]);
		local_from_cmsg(p, mh, s);
		out[got++] = p;
		u->rx_posted[i] = NULL;
	}
	/* Slot r (if any) saw EAGAIN: re-armed too, in case the kernel touched it. */
	rx_refill(u, (uint16_t)(r < take ? r + 1 : r));
	return got;
}

static uint16_t
udp_rx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n)
{
	struct io_udp *u = udp_of(dev);
	uint16_t got = 0;
	unsigned k;

	if (n > u->burst)
		n = u->burst;
	for (k = 0; k < u->nb_socks && got < n; k++)
		got += rx_sock(u, &u->socks[(u->rx_next + k) % u->nb_socks], pkts + got,
			       (uint16_t)(n - got));
	u->rx_next = (u->rx_next + 1) % u->nb_socks;
	u->dev.stats.rx_pkts += got;
	return got;
}

/* Fills control data so the datagram leaves from p->local. */
static size_t
tx_pktinfo(const struct io_pkt *p, union ctrl_buf *cb)
{
	static const uint8_t any[16];
	struct cmsghdr *c = &cb->align;
	struct in6_pktinfo pi6 = {0};
	struct in_pktinfo pi = {0};

	if (memcmp(p->local.ip, any, p->local.family == 4 ? 4 : 16) == 0)
		return 0;
	memset(cb, 0, sizeof(*cb));
	if (p->local.family == 4) {
		memcpy(&pi.ipi_spec_dst, p->local.ip, 4);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	memcpy(&pi6.ipi6_addr, p->local.ip, 16);
	pi6.ipi6_ifindex = p->ifindex;
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi6));
	memcpy(CMSG_DATA(c), &pi6, sizeof(pi6));
	return CMSG_SPACE(sizeof(pi6));
}

/* Sends the packets of pkts[] that belong to socket s; returns how many went out. */
static uint16_t
tx_sock(struct io_udp *u, const struct udp_sock *s, struct io_pkt **pkts, uint16_t n,
	bool *done)
{
	unsigned m = 0, next = 0, sent = 0;
	uint16_t i;
	int r;

	for (i = 0; i < n; i++) {
		struct io_pkt *p = pkts[i];
		struct msghdr *mh = &u->msgs[m].msg_hdr;
		unsigned v = 0;

		if (done[i] || p->remote.family != s->family || p->port_kind != s->kind)
			continue;
		done[i] = true;
		memset(mh, 0, sizeof(*mh));
		mh->msg_name = &u->names[m];
		mh->msg_namelen = addr_to_sockaddr(&p->remote, &u->names[m]);
		if (p->flags & IO_PKT_F_NONESP_MARKER) {
			u->iov[m][v].iov_base = (void *)(uintptr_t)nonesp_marker;
			u->iov[m][v++].iov_len = MARKER_LEN;
		}
		u->iov[m][v].iov_base = p->data;
		u->iov[m][v++].iov_len = p->len;
		mh->msg_iov = u->iov[m];
		mh->msg_iovlen = v;
		mh->msg_controllen = tx_pktinfo(p, &u->ctrl[m]);
		mh->msg_control = mh->msg_controllen != 0 ? u->ctrl[m].b : NULL;
		m++;
	}
	while (next < m) {
		r = sendmmsg(s->fd, u->msgs + next, m - next, MSG_DONTWAIT);
		if (r > 0) {
			sent += (unsigned)r;
			next += (unsigned)r;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else {
			/* This datagram failed (socket full, bad address): drop it, go on. */
			u->dev.stats.tx_errors++;
			next++;
		}
	}
	return (uint16_t)sent;
}

static uint16_t
udp_tx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n)
{
	struct io_udp *u = udp_of(dev);
	bool done[IO_UDP_BURST_MAX] = {false};
	uint16_t sent = 0, i, off, chunk, left;
	unsigned k;

	for (off = 0; off < n; off += chunk) {
		chunk = n - off > IO_UDP_BURST_MAX ? IO_UDP_BURST_MAX : (uint16_t)(n - off);
		memset(done, 0, sizeof(done));
		for (k = 0; k < u->nb_socks; k++)
			sent += tx_sock(u, &u->socks[k], pkts + off, chunk, done);
		left = 0;
		for (i = 0; i < chunk; i++)
			left += !done[i];
		u->dev.stats.tx_errors += left; /* no socket for that family or port */
	}
	for (i = 0; i < n; i++)
		udp_free(dev, pkts[i]);
	u->dev.stats.tx_pkts += sent;
	return sent;
}

static void
udp_close(struct io_dev *dev)
{
	struct io_udp *u = udp_of(dev);
	unsigned k;

	for (k = 0; k < u->nb_socks; k++)
		close(u->socks[k].fd);
	free(u->free_pkts);
	free(u->pkts);
	free(u->bufs);
	free(u);
}

static const struct io_ops udp_ops = {
	.rx_burst = udp_rx_burst,
	.tx_burst = udp_tx_burst,
	.alloc = udp_alloc,
	.free = udp_free,
	.close = udp_close,
};


/*
 * A reconnect storm arrives as one burst: with the default 208 KiB receive
 * buffer the kernel drops requests before the worker polls (RcvbufErrors),
 * and each drop costs the client a retransmit timeout. Ask for 4 MiB; as
 * root the FORCE variant goes past net.core.rmem_max. Best effort.
 */
static void
socket_buffers(int fd)
{
	int size = 4 << 20;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) != 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}
static int
sock_open(struct udp_sock *s, uint8_t family, const char *addr, int32_t port,
	  enum io_port_kind kind)
{
	struct sockaddr_in6 sa;
	struct io_addr a = {.family = family, .port = (uint16_t)port};
	socklen_t len;
	int one = 1, fd;

	if (inet_pton(family == 4 ? AF_INET : AF_INET6, addr, a.ip) != 1) {
		ike_log(IKE_LOG_ERR, "io_udp: bad IPv%u address '%s'", family, addr);
		return -1;
	}
	fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
		goto fail;
	socket_buffers(fd);
	if (family == 4 && setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) != 0)
		goto fail;
	if (family == 6 && (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0 ||
			    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) != 0))
		goto fail;
	len = addr_to_sockaddr(&a, &sa);
	if (bind(fd, (struct sockaddr *)&sa, len) != 0)
		goto fail;
	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		goto fail;
	addr_from_sockaddr(&a, &sa);
	s->fd = fd;
	s->family = family;
	s->kind = (uint8_t)kind;
	s->port = a.port;
	return 0;
fail:
	ike_log(IKE_LOG_ERR, "io_udp: socket [%s]:%d: %s", addr, port, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * Our workers share each port through SO_REUSEPORT, which the kernel also
 * grants to any other process of the same user: a second daemon would
 * silently take part of the flows. A bind without SO_REUSEPORT fails while
 * anybody holds the port, so it tells us before our own sockets exist.
 */
int
io_udp_ports_free(const struct io_udp_conf *conf, char *err, size_t err_len)
{
	const char *addr[2] = {conf->bind_v4, conf->bind_v6};
	struct sockaddr_in6 sa;
	struct io_addr a;
	socklen_t len;
	unsigned f, k;
	int fd, one = 1, rc;

	for (f = 0; f < 2; f++) {
		for (k = 0; k < IO_PORT_COUNT; k++) {
			if (addr[f] == NULL || conf->port[k] <= 0)
				continue;
			a = (struct io_addr){.family = f == 0 ? 4 : 6,
					     .port = (uint16_t)conf->port[k]};
			if (inet_pton(f == 0 ? AF_INET : AF_INET6, addr[f], a.ip) != 1) {
				snprintf(err, err_len, "bad IPv%u address '%s'", a.family,
					 addr[f]);
				return -1;
			}
			fd = socket(f == 0 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (fd < 0) {
				snprintf(err, err_len, "socket: %s", strerror(errno));
				return -1;
			}
			if (f == 1)
				(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
			len = addr_to_sockaddr(&a, &sa);
			rc = bind(fd, (struct sockaddr *)&sa, len);
			if (rc != 0)
				snprintf(err, err_len, "UDP port %d (%s) on %s: %s%s",
					 conf->port[k], k == IO_PORT_IKE ? "IKE" : "NAT-T",
					 addr[f], strerror(errno),
					 errno == EADDRINUSE ? ": another process holds it" : "");
			close(fd);
			if (rc != 0)
				return -1;
		}
	}
	return 0;
}

struct io_dev *
io_udp_open(const struct io_udp_conf *conf)
{
	const char *addr[2] = {conf->bind_v4, conf->bind_v6};
	char err[160];
	struct io_udp *u;
	uint32_t i;
	unsigned f, k;

	if (conf->nb_bufs < IO_UDP_BURST_MAX || conf->buf_size < 64 || conf->buf_size > 65535 ||
	    conf->burst == 0 || conf->burst > IO_UDP_BURST_MAX) {
		ike_log(IKE_LOG_ERR, "io_udp: bad buffer settings (%u x %u, burst %u)",
			conf->nb_bufs, conf->buf_size, conf->burst);
		return NULL;
	}
	if (conf->check_free && io_udp_ports_free(conf, err, sizeof(err)) != 0) {
		ike_log(IKE_LOG_ERR, "io_udp: %s", err);
		return NULL;
	}
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return NULL;
	u->dev.ops = &udp_ops;
	u->dev.flags = IO_DEV_F_SPREADS; /* SO_REUSEPORT hashes the 4-tuple */
	u->burst = conf->burst;
	u->buf_size = conf->buf_size;
	u->nb_bufs = conf->nb_bufs;
	u->pkts = calloc(conf->nb_bufs, sizeof(*u->pkts));
	u->free_pkts = calloc(conf->nb_bufs, sizeof(*u->free_pkts));
	u->bufs = malloc((size_t)conf->nb_bufs * conf->buf_size);
	if (u->pkts == NULL || u->free_pkts == NULL || u->bufs == NULL)
		goto fail;
	for (i = 0; i < conf->nb_bufs; i++)
		u->free_pkts[u->nb_free++] = &u->pkts[conf->nb_bufs - 1 - i];
	for (f = 0; f < 2; f++) {
		for (k = 0; k < IO_PORT_COUNT; k++) {
			if (addr[f] == NULL || conf->port[k] == IO_UDP_PORT_OFF)
				continue;
			if (conf->port[k] < 0 || conf->port[k] > 65535 ||
			    sock_open(&u->socks[u->nb_socks], f == 0 ? 4 : 6, addr[f],
				      conf->port[k], k) != 0)
				goto fail;
			u->nb_socks++;
		}
	}
	if (u->nb_socks == 0) {
		ike_log(IKE_LOG_ERR, "io_udp: no address or port to listen on");
		goto fail;
	}
	return &u->dev;
fail:
	udp_close(&u->dev);
	return NULL;
}

uint16_t
io_udp_bound_port(const struct io_dev *dev, uint8_t family, enum io_port_kind kind)
{
	const struct io_udp *u = (const struct io_udp *)(const void *)dev;
	unsigned k;

	for (k = 0; k < u->nb_socks; k++)
		if (u->socks[k].family == family && u->socks[k].kind == kind)
			return u->socks[k].port;
	return 0;
}
