/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP tunnel mode (RFC 4303) packets, two-phase like the crypto they need:
 * prepare builds or checks the headers and describes the crypto work in an
 * esp_job, the host runs a whole burst of jobs through its crypto driver,
 * finish completes each packet. No allocation: packets are transformed in
 * the caller's buffer.
 *
 * Outbound, the inner IP packet becomes
 *   outer IPv4/IPv6 | [UDP (RFC 3948)] | SPI | seq | IV | inner | pad | pad len | next hdr | ICV
 * in place: the headers go in front of it, the trailer behind it.
 */
#ifndef ESP_PKT_H
#define ESP_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_job.h"
#include "esp_sa.h"
#include "esp_status.h"

#define ESP_HDR_LEN 8	  /* SPI | sequence number */
#define ESP_TRAILER_MIN 2 /* pad length | next header */
#define ESP_PROTO 50	  /* IP protocol number of ESP */
#define ESP_UDP_PORT 4500 /* RFC 3948 */
#define ESP_NH_IPV4 4	  /* RFC 4303 2.6, tunnel mode */
#define ESP_NH_IPV6 41
#define ESP_NH_NONE 59 /* dummy packet (RFC 4303 2.6) */
#define ESP_OUTER_TTL 64

/*
 * Both directions work on the pair (struct esp_sa): esp_out_* on its
 * outbound half, esp_in_* on its inbound half. keys: the crypto driver's
 * key schedules of that direction.
 */

/* Octets needed in front of the inner packet (outer IP, UDP, ESP header, IV). */
unsigned esp_out_headroom(const struct esp_sa *sa);
/* Octets needed behind it at most (padding, trailer, ICV). */
unsigned esp_out_tailroom(const struct esp_sa *sa);

/* The largest inner packet whose outer packet (outer IP header on) fits mtu octets. */
uint32_t esp_out_max_inner(const struct esp_sa *sa, uint32_t mtu);

/*
 * Encapsulates the inner IPv4/IPv6 packet at inner (inner_len octets, with
 * at least headroom writable octets before it and tailroom after it), from
 * our outer address local (4 or 16 octets, kept until esp_out_finish).
 * iv: 16 unpredictable octets for CBC (RFC 3602 2.3), ignored for GCM,
 * whose IV is the sequence number (unique per key, RFC 4106 3.1).
 * On ESP_OK the outer packet is at *outer (*outer_len octets) once the job
 * ran and esp_out_finish() returned ESP_OK.
 */
enum esp_status esp_out_prepare(struct esp_sa *sa, const uint8_t *local, const void *keys,
				uint8_t *inner, uint32_t inner_len, uint32_t headroom,
				uint32_t tailroom, const uint8_t *iv, struct esp_job *j,
				uint8_t **outer, uint32_t *outer_len);

/* Writes the ICV (and the IPv6 UDP checksum); counts the packet. */
enum esp_status esp_out_finish(struct esp_sa *sa, struct esp_job *j, unsigned *events);

/* What the outer headers of a received packet say. */
struct esp_in_hdr {
	uint32_t spi;
	uint32_t esp_off; /* from the outer IP header */
	uint32_t esp_len; /* SPI to the end of the ICV */
	bool v6;
	bool udp; /* RFC 3948 UDP-encapsulated */
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
};

/*
 * Parses an outer IPv4/IPv6 packet of len octets (the IP header first)
 * carrying ESP or UDP-encapsulated ESP (one of the ports 4500). ESP_E_NOT_ESP: UDP 4500 carrying
 * IKE (the non-ESP marker, RFC 3948 2.2); ESP_E_KEEPALIVE: a NAT-keepalive.
 */
enum esp_status esp_in_parse(const uint8_t *pkt, uint32_t len, struct esp_in_hdr *h);

/*
 * Checks the ESP packet at esp (esp_len octets: SPI to ICV) against sa:
 * lengths, alignment, the replay window; describes the decryption in j.
 * Counts replays in sa.
 */
enum esp_status esp_in_prepare(struct esp_sa *sa, const void *keys, uint8_t *esp, uint32_t esp_len,
			       struct esp_job *j);

/*
 * After the job ran: ICV (constant time), the replay window, padding, next
 * header, inner header and selectors: the inner source in sa's remote
 * selector, the inner destination in local (the SA's TSr; NULL: not
 * checked, as a client's end does). On ESP_OK the inner packet is at
 * *inner (*inner_len octets, TFC padding removed) and the packet is counted;
 * *events gets lifetime events it raised. Every drop is counted in sa.
 */
enum esp_status esp_in_finish(struct esp_sa *sa, const struct esp_ts_local *local,
			      struct esp_job *j, uint64_t now_ms, uint8_t **inner,
			      uint32_t *inner_len, unsigned *events);

#endif
