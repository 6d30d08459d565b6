/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixed-size records between IKE workers and data-path lcores. A worker
 * sends an esp_handoff when it installs or deletes a Child SA (a rekey is
 * the install of the new SA naming the one it replaces, then the delete of
 * the old one); the lcore answers with esp_event records for lifetimes.
 * Both travel by pointer over rte_rings; the sender fills, the receiver
 * wipes (keys) and returns the record to its pool.
 */
#ifndef ESP_HANDOFF_H
#define ESP_HANDOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_sa.h"

enum esp_handoff_op {
	ESP_HO_INSTALL,
	ESP_HO_DELETE,
	ESP_HO_OWNER, /* an IKE SA rekey moved the Child SA: its events name ike_spi from now */
};

struct esp_handoff {
	uint8_t op;	     /* enum esp_handoff_op */
	uint8_t alg;	     /* enum esp_alg */
	uint8_t enc_key_len; /* octets */
	uint8_t flags;	     /* ESP_SA_ESN | ESP_SA_UDP | ESP_SA_OUTER_V6 | ESP_SA_TS_BOTH */
	uint16_t worker;     /* the IKE worker that owns it: lifetime events go there */
	uint16_t local_port, remote_port; /* outer UDP ports with ESP_SA_UDP */
	uint32_t spi_in;		  /* ours (esp_spi.h) */
	uint32_t spi_out;		  /* the peer's */
	uint32_t replaces_spi_in;	  /* rekey: the SA whose counters carry over; 0 none */
	uint32_t idle_s;		  /* idle lifetime; 0 none */
	struct esp_life_time time;	  /* time lifetimes after the install */
	uint64_t ike_spi;		  /* our IKE SPI of the owning IKE SA */
	uint8_t local[16], remote[16];	  /* outer (tunnel) addresses */
	struct esp_range ts_remote;	  /* TSi: the client's side, its virtual IP */
	/* With ESP_SA_TS_BOTH: TSi of the other family (dual stack: both virtual IPs). */
	struct esp_range ts_remote2;
	struct esp_range ts_local; /* TSr: the protected network */
	/* Dual stack: TSr of the other family too (ts_local2); else none of it. */
	bool ts_local_both;
	struct esp_range ts_local2;
	struct esp_life life;
	uint8_t key_in[ESP_MAX_KEYMAT]; /* enc | salt | integ (RFC 7296 2.17) */
	uint8_t key_out[ESP_MAX_KEYMAT];
};

enum esp_event_kind {
	ESP_EVENT_SOFT,	   /* soft byte/packet/time limit: rekey */
	ESP_EVENT_HARD,	   /* hard limit: delete */
	ESP_EVENT_IDLE,	   /* no inbound traffic for idle_s: delete */
	ESP_EVENT_REMOVED, /* DELETE done; final counters */
};

struct esp_event {
	uint8_t kind; /* enum esp_event_kind */
	uint16_t worker;
	uint32_t spi_in;
	uint64_t ike_spi;
	struct esp_sa_stats in, out;
};

/*
 * Builds the SA pair of an install (keys and the local address excepted:
 * the host keeps them). The remote selector becomes its prefix
 * (esp_range_prefix), both of a dual-stack record (ESP_SA_TS_BOTH: one of
 * each family), the limits their codes (esp_limits_of). False for an
 * unsupported algorithm or an inconsistent record.
 */
bool esp_handoff_sa(const struct esp_handoff *h, struct esp_sa *sa);
/* The local selector (TSr) of an install, each family it has (esp_sa.local_ts). */
void esp_handoff_ts_local(const struct esp_handoff *h, struct esp_ts_local *t);

#endif
