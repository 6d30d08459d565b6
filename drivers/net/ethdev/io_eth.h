/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * io_eth - struct io_dev over a DPDK ethdev port: one RX and one TX queue
 * per worker, the L2/L3 a gateway needs (ARP, IPv6 neighbour discovery,
 * ICMP echo, IPv4/IPv6 reassembly and fragmentation, UDP/IP checksums) and
 * IKE datagrams on the IKE and NAT-T ports handed out as io_pkts that point
 * into their mbufs.
 *
 * Layout: worker i (the i-th EAL lcore after conf->first_lcore) owns queue
 * pair i. The first io_eth_open() of a port (worker 0, on the main lcore) configures and
 * starts it for conf->nb_workers queue pairs, with RSS on the UDP 4-tuple
 * when the port can hash it (the devices then carry IO_DEV_F_SPREADS); the
 * last io_close() stops it. When the port has fewer queue pairs than
 * workers, the workers beyond them receive nothing from the port (the
 * runtime spreads new flows to them) and send through a ring that the
 * worker of queue (i mod queues) drains: nothing is shared between lcores
 * but rings.
 *
 * Non-ESP marker and NAT-keepalives as io_udp (io_udp.h). ESP to one of
 * our addresses (IP protocol 50, or UDP to the NAT-T port without the
 * marker) goes to conf->esp_input, the ESP data path (app/dataplane), when
 * one is set; else it is counted (io_stats.esp) and dropped. The data path
 * sends its ESP the same way back: every queue then has a relay ring
 * (io_eth_relay) whose frames the queue's worker sends, so no queue is
 * shared and no PMD needs spare queues (AF_PACKET has one per socket).
 *
 * VLAN (conf->vlan set): frames tagged with that VLAN id are ours (the tag
 * is stripped on receive and put on everything sent, the kernel's frames
 * included); untagged frames and other VLANs are counted (drop_vlan) and
 * dropped. Without it every tagged frame is.
 *
 * Exception path (conf->exception_iface set): every frame that is not ours
 * goes to a kernel TAP interface the driver creates with the port's MAC,
 * and every frame the kernel sends there leaves through the port.
 *
 * Inside port of the ESP data path (conf->transit_input set, ike_port 0):
 * the same ARP, ND and ICMP echo for our address on the protected network,
 * and IP packets sent to our MAC for other addresses (what the protected
 * network routes through us) go to transit_input with their TTL / hop
 * limit decremented; io_eth_send_ip() sends decrypted packets to their
 * destination on the link or to the gateway, resolved like replies are.
 */
#ifndef IO_ETH_H
#define IO_ETH_H

#include <stdbool.h>
#include <stdint.h>

#include "io.h"

struct rte_mbuf;

#define IO_ETH_ADDR_MAX 8
#define IO_ETH_BURST_MAX 64

/* One of our addresses with its on-link prefix. */
struct io_eth_prefix {
	uint8_t family; /* 4 or 6 */
	uint8_t len;	/* prefix length */
	uint8_t ip[16];
};

struct io_eth_conf {
	uint16_t port_id;
	uint16_t nb_workers;  /* devices that will be opened: 0 .. nb_workers-1 */
	uint16_t first_lcore; /* worker i runs on the (first_lcore + i)-th EAL lcore (NUMA) */
	struct io_eth_prefix addrs[IO_ETH_ADDR_MAX];
	unsigned nb_addrs;
	uint8_t gateway4[4];  /* next hop for off-link IPv4 peers; 0.0.0.0: none */
	uint8_t gateway6[16]; /* next hop for off-link IPv6 peers; ::: none */
	uint16_t ike_port;
	uint16_t natt_port;	  /* 0: none */
	uint16_t mtu;		  /* IP MTU of the port: larger replies are fragmented */
	uint32_t nb_bufs;	  /* mbufs per worker for replies and held packets */
	uint32_t buf_size;	  /* largest IKE datagram (after reassembly) */
	uint16_t burst;		  /* <= IO_ETH_BURST_MAX */
	uint32_t frag_flows;	  /* reassembly table entries per worker */
	char exception_iface[16]; /* kernel TAP name; "" = no exception path */
	uint16_t vlan;		  /* 802.1Q VLAN id our traffic is tagged with; 0 = untagged */
	/*
	 * Take UDP whose checksum field holds just the pseudo-header sum (a
	 * sender on this host deferring it to hardware, e.g. across a veth).
	 * Always on for net_af_packet and net_af_xdp ports, which deliver such
	 * frames as they are.
	 */
	bool partial_csum;
	/*
	 * ESP sink: the frame as received (Ethernet first), on the receiving
	 * worker's lcore; it takes the mbuf. NULL: ESP is counted and dropped.
	 */
	void (*esp_input)(void *arg, uint16_t worker, struct rte_mbuf *m);
	void *esp_arg;
	/*
	 * Routed-through sink (the inside port): IPv4/IPv6 to our MAC but not to
	 * our addresses, Ethernet first, on the receiving worker's lcore; it
	 * takes the mbuf. NULL: such packets are not ours (dropped or exception).
	 */
	void (*transit_input)(void *arg, uint16_t worker, struct rte_mbuf *m);
	void *transit_arg;
};

/*
 * The device of worker `worker` on conf->port_id. The first open of a port
 * sets it up for all of conf's workers (later opens must pass the same
 * conf). NULL (logged) on failure.
 */
struct io_dev *io_eth_open(const struct io_eth_conf *conf, uint16_t worker);

/* The mempool a device's mbufs come from (tests craft frames from it). */
struct rte_mempool *io_eth_mempool(struct io_dev *dev);

/* The port's MAC address (6 octets). */
void io_eth_mac(struct io_dev *dev, uint8_t mac[6]);

/*
 * The relay ring (MP/SC, mbufs of whole frames) into queue `queue` of an
 * opened port whose conf had esp_input; NULL when there is none. A frame
 * whose destination MAC is zero gets its next hop's from the queue
 * worker's neighbour cache; one larger than the MTU leaves in fragments.
 */
struct rte_ring *io_eth_relay(uint16_t port_id, uint16_t queue);

/*
 * Sends IP packets out of worker's device: each mbuf with its data at the
 * IPv4/IPv6 header (the whole header in the first segment of a chain) and
 * room for Ethernet in front. The next hop
 * is the destination when on-link, else the gateway; its MAC comes from the
 * worker's neighbour cache, and when unknown an ARP request / neighbour
 * solicitation goes out and the packet is dropped (tx_unresolved).
 * Takes every mbuf; returns how many were queued to the port.
 */
uint16_t io_eth_send_ip(struct io_dev *dev, struct rte_mbuf **m, uint16_t n);

/* The DPDK port id of the exception TAP, or -1 without one. */
int io_eth_exception_port(struct io_dev *dev);

#endif
