/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One packet's crypto work, as lib/esp prepares it and a crypto driver runs
 * it in bursts (drivers/crypto/ipsec_mb/cry_ipsecmb_esp.h). lib/esp writes
 * every field but done and tag; the driver writes those two only, and never
 * decides whether an ICV matches: esp_in_finish() compares in constant time.
 *
 * Regions, all relative to esp (the SPI field of the ESP header):
 *   AES-GCM-16 (RFC 4106): IV = esp + 8 (8 octets), nonce = salt | IV,
 *     payload = esp + 16 (payload_len), AAD = aad (aad_len 8 or 12).
 *   AES-CBC + HMAC (RFC 3602, RFC 4868): IV = esp + 8 (16 octets),
 *     payload = esp + 24 (payload_len), HMAC over esp (auth_len), which
 *     with ESN includes the high sequence bits stored right after the
 *     payload (RFC 4303 3.3.2.1; that is where the ICV goes afterwards).
 */
#ifndef ESP_JOB_H
#define ESP_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "esp_sa.h"

enum esp_dir { ESP_ENCRYPT, ESP_DECRYPT };

struct esp_job {
	const void *keys; /* the SA's key schedules (driver's) */
	uint8_t *esp;
	uint32_t payload_len;
	uint32_t auth_len;
	uint8_t alg; /* enum esp_alg */
	uint8_t dir; /* enum esp_dir */
	uint8_t icv_len;
	uint8_t aad_len;
	uint8_t done; /* driver: the library completed the job */
	uint8_t aad[12];
	uint8_t tag[ESP_MAX_ICV];    /* driver: the ICV computed */
	uint8_t icv_rx[ESP_MAX_ICV]; /* decrypt: the ICV received */
	uint64_t seq;		     /* full sequence number */
	uint32_t inner_len;	     /* encrypt: the inner packet's length */
	const uint8_t *local;	     /* encrypt: our outer address (the UDP/IPv6 checksum) */
	void *user;		     /* the host's (its mbuf) */
};

/*
 * Fills the fields every job shares: clears the library's part, sets keys
 * (the driver's schedules of the direction),
 * esp, payload_len, alg, dir, icv_len and seq, and the authenticated region
 * of either algorithm: GCM's AAD (SPI | [seq high] | seq low, RFC 4106 5),
 * or HMAC's auth_len over the header, IV and payload plus, with ESN, the
 * high sequence bits written right after the payload (RFC 4303 3.3.2.1).
 * A received ICV must be saved (icv_rx) before: with ESN its place is
 * overwritten.
 */
void esp_job_init(struct esp_job *j, const struct esp_sa *sa, const void *keys, uint8_t *esp,
		  uint32_t payload_len, uint64_t seq, enum esp_dir dir);

#endif
