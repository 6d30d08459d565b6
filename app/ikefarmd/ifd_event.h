/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_event - the IKE event log: one line per struct ike_event, and a
 * token bucket per worker so that a storm of events never makes logging
 * (a write and a syslog call per line) the bottleneck. Pure: formatting and
 * the bucket take the time from the caller; the daemon logs the lines.
 */
#ifndef IFD_EVENT_H
#define IFD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

/* Token bucket: rate lines per second, bursts of up to burst lines. */
struct ifd_rate {
	uint32_t rate;
	uint32_t burst;
	uint32_t tokens;
	uint64_t last_ms;    /* time of the last whole token added */
	uint64_t suppressed; /* since the last summary line */
	uint64_t suppressed_total;
};

void ifd_rate_init(struct ifd_rate *r, uint32_t rate, uint32_t burst, uint64_t now_ms);

/* Takes a token: true when a line may be logged, false (counted) when suppressed. */
bool ifd_rate_take(struct ifd_rate *r, uint64_t now_ms);

/*
 * When lines were suppressed and a token is free: takes it and returns the
 * number suppressed since the last summary (then zero); else 0.
 */
uint64_t ifd_rate_summary(struct ifd_rate *r, uint64_t now_ms);

/* "fqdn:alice.example.com", the form ikefarmctl --id and the selectors take. */
void ifd_id_format(uint8_t type, const uint8_t *id, size_t len, char *buf, size_t blen);

/* "192.0.2.1[500]" or "2001:db8::1[4500]". */
void ifd_addr_format(const struct ike_addr *a, char *buf, size_t blen);

/* "AES_GCM_16-256/PRF_HMAC_SHA256" from the event's or the listing's enum values. */
void ifd_algs_format(uint8_t cipher, uint16_t key_bits, uint8_t integ, uint8_t prf, char *buf,
		     size_t blen);

/* One line, without a newline; idr: our identity (ifd_id_format). Returns its length. */
int ifd_event_format(const struct ike_event *ev, unsigned shard, const char *idr, char *buf,
		     size_t blen);

#endif
