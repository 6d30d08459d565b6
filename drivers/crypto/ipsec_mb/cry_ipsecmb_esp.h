/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP crypto on the ipsec-mb driver: per-SA key schedules made once at
 * install, and bursts of lib/esp jobs submitted straight to the manager
 * (get/submit/flush), no cryptodev in between (docs/architecture.md,
 * "ESP data path", says why). The driver object is the per-lcore
 * struct cry_ipsecmb (cry_ipsecmb.h); like it, not thread safe.
 */
#ifndef CRY_IPSECMB_ESP_H
#define CRY_IPSECMB_ESP_H

#include <stdbool.h>

#include "cry_ipsecmb_priv.h"
#include "esp_pkt.h"

/* The key schedules of one SA direction; the SA record points at it. */
struct cry_ipsecmb_esp_keys {
	union {
		struct gcm_key_data gcm; /* AES-GCM: schedule and GHASH powers */
		struct {
			uint8_t enc[CRY_IPSECMB_AES_SCHED] __attribute__((aligned(16)));
			uint8_t dec[CRY_IPSECMB_AES_SCHED] __attribute__((aligned(16)));
			struct cry_ipsecmb_hmac_pads hmac;
		} cbc;
	} u;
	uint8_t salt[ESP_GCM_SALT];
	uint8_t alg;
	uint8_t enc_key_len;
} __attribute__((aligned(64)));

/*
 * Expands keymat (enc key | salt | integ key, RFC 7296 2.17 order, sizes
 * from esp_alg_desc) into k. False for an unsupported algorithm.
 */
bool cry_ipsecmb_esp_keys_init(struct cry_ipsecmb *c, struct cry_ipsecmb_esp_keys *k,
			       enum esp_alg alg, unsigned enc_key_len, const uint8_t *keymat);

/* Wipes the schedules (they are as good as the keys). */
void cry_ipsecmb_esp_keys_wipe(struct cry_ipsecmb_esp_keys *k);

/*
 * Runs n jobs (each job's keys point at a cry_ipsecmb_esp_keys); sets each
 * job's tag and done. Returns how many completed. A burst of one is the
 * one-at-a-time path: submit, then flush.
 */
unsigned cry_ipsecmb_esp_burst(struct cry_ipsecmb *c, struct esp_job *jobs, unsigned n);

#endif
