/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * io.h - packet I/O seen by the runtime: a burst interface over some
 * datagram source (kernel UDP sockets, a DPDK ethdev queue), one device per
 * worker.
 *
 * Ownership: every struct io_pkt belongs to the device that handed it out
 * (rx_burst or alloc) and goes back to that same device through tx_burst or
 * free, on the device's own thread. Buffers are allocated at open; nothing
 * is allocated per packet.
 */
#ifndef IO_H
#define IO_H

#include <stdint.h>

/* Transport address; same layout as struct ike_addr in lib/core. */
struct io_addr {
	uint8_t family; /* 4 or 6 */
	uint8_t reserved;
	uint16_t port;  /* host order */
	uint8_t ip[16]; /* IPv4 in the first 4 octets */
};

/* Which listening port a datagram came to (replies leave from it). */
enum io_port_kind {
	IO_PORT_IKE = 0,  /* default 500 */
	IO_PORT_NATT = 1, /* default 4500, RFC 3948 */
	IO_PORT_COUNT
};

/* A 4-zero-octet non-ESP marker preceded the IKE message (RFC 3948 2.2). */
#define IO_PKT_F_NONESP_MARKER 0x1

struct io_pkt {
	uint8_t *data;     /* IKE message (after any marker) */
	uint16_t len;
	uint16_t cap;      /* octets available from data */
	uint16_t flags;    /* IO_PKT_F_*; replies mirror the request's */
	uint8_t port_kind; /* enum io_port_kind */
	uint8_t reserved;
	uint32_t ifindex;  /* interface it came in on; 0 = let routing choose */
	struct io_addr local;
	struct io_addr remote;
};

/* Counters, written only by the device's owner thread. */
struct io_stats {
	uint64_t rx_pkts;       /* IKE datagrams handed out */
	uint64_t tx_pkts;
	uint64_t tx_errors;     /* dropped: socket full or send error */
	uint64_t rx_nobuf;      /* receive skipped: no free buffer */
	uint64_t rx_truncated;  /* larger than a buffer: dropped */
	uint64_t rx_runt;       /* too short to be IKE: dropped */
	uint64_t natt_keepalive; /* RFC 3948 2.3 one-octet 0xFF: dropped */
	uint64_t esp;           /* ESP on the NAT-T port: no ESP path yet, dropped */
};

struct io_dev;

struct io_ops {
	/* Receives up to n datagrams; returns how many are in pkts[]. */
	uint16_t (*rx_burst)(struct io_dev *dev, struct io_pkt **pkts, uint16_t n);
	/* Sends and takes back all n packets; returns how many were sent. */
	uint16_t (*tx_burst)(struct io_dev *dev, struct io_pkt **pkts, uint16_t n);
	/* An empty packet for a reply (data at its start, len 0), or NULL. */
	struct io_pkt *(*alloc)(struct io_dev *dev);
	void (*free)(struct io_dev *dev, struct io_pkt *pkt);
	void (*close)(struct io_dev *dev);
	/*
	 * The device's own counters, beyond struct io_stats: *names and *values
	 * point at count entries that stay valid until close (values written
	 * by the owner thread only). May be NULL: none.
	 */
	unsigned (*xstats)(struct io_dev *dev, const char *const **names,
			   const uint64_t **values);
};

/*
 * The device itself spreads new flows over the workers (kernel SO_REUSEPORT
 * hash, NIC RSS): each worker sees only its share. Without it one device
 * receives every new flow and the runtime must spread them in software.
 */
#define IO_DEV_F_SPREADS 0x1

struct io_dev {
	const struct io_ops *ops;
	struct io_stats stats;
	uint32_t flags; /* IO_DEV_F_* */
};

static inline uint16_t
io_rx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n)
{
	return dev->ops->rx_burst(dev, pkts, n);
}

static inline uint16_t
io_tx_burst(struct io_dev *dev, struct io_pkt **pkts, uint16_t n)
{
	return dev->ops->tx_burst(dev, pkts, n);
}

static inline struct io_pkt *
io_alloc(struct io_dev *dev)
{
	return dev->ops->alloc(dev);
}

static inline void
io_free(struct io_dev *dev, struct io_pkt *pkt)
{
	dev->ops->free(dev, pkt);
}

static inline void
io_close(struct io_dev *dev)
{
	dev->ops->close(dev);
}

static inline unsigned
io_xstats(struct io_dev *dev, const char *const **names, const uint64_t **values)
{
	if (dev->ops->xstats == NULL)
		return 0;
	return dev->ops->xstats(dev, names, values);
}

#endif
