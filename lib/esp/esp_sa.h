/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-SA record of the ESP data path: one per Child SA (both
 * directions), owned by one data-path lcore, touched by nothing else.
 */
#ifndef ESP_SA_H
#define ESP_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_replay.h"

/* Transforms of the data path (RFC 4106, RFC 3602 + RFC 4868). */
enum esp_alg {
	ESP_ALG_AES_GCM_16,
	ESP_ALG_AES_CBC_HMAC_SHA256_128,
	ESP_ALG_AES_CBC_HMAC_SHA384_192,
	ESP_ALG_AES_CBC_HMAC_SHA512_256,
	ESP_NB_ALGS
};

#define ESP_MAX_ICV 32
#define ESP_MAX_IV 16
#define ESP_MAX_ENC_KEY 32
#define ESP_GCM_SALT 4
#define ESP_MAX_INTEG_KEY 64
/*
 * enc key | salt | integ key, the RFC 7296 2.17 KEYMAT order: a transform
 * has a salt (GCM) or an integrity key (CBC + HMAC), never both.
 */
#define ESP_MAX_KEYMAT (ESP_MAX_ENC_KEY + ESP_MAX_INTEG_KEY)

/* Sizes of an algorithm; false for an unknown one or a bad key length. */
struct esp_alg_desc {
	uint8_t iv_len;
	uint8_t icv_len;
	uint8_t align; /* the ciphertext is a multiple of this (RFC 4303 2.4) */
	uint8_t salt_len;
	uint8_t integ_key_len;
};
bool esp_alg_desc(enum esp_alg alg, unsigned enc_key_len, struct esp_alg_desc *d);

/* An address range of one family: a traffic selector (RFC 7296 3.13.1) or one address. */
struct esp_range {
	uint8_t v6;
	uint8_t start[16]; /* network order; IPv4 in the first 4 octets */
	uint8_t end[16];
};
bool esp_range_has(const struct esp_range *r, bool v6, const uint8_t *addr);

/* Lifetimes counted on the data path (RFC 7296 2.8); 0 = no limit. */
struct esp_life {
	uint64_t soft_bytes, hard_bytes;
	uint64_t soft_packets, hard_packets;
};

/*
 * The configured Child SA lifetimes ([child] in docs/config.md; strongSwan's
 * rekey_* and life_*): soft limits start a rekey, hard limits delete, idle
 * deletes an SA that received nothing that long. 0 = off.
 */
struct esp_life_cfg {
	uint64_t rekey_bytes, life_bytes;
	uint64_t rekey_packets, life_packets;
	uint32_t rekey_time_s, life_time_s;
	uint32_t idle_time_s;
	uint32_t jitter_pct; /* each limit of an SA lowered by a random share of up to this */
};

/* One SA's time limits (seconds after its install); 0 = none. */
struct esp_life_time {
	uint32_t soft_s, hard_s;
};

/*
 * The limits of one SA from c, each lowered by its own share of up to
 * jitter_pct percent drawn from rnd (a random value per SA), so that SAs
 * set up together do not rekey or expire together; a soft limit stays
 * below its hard limit.
 */
void esp_life_of(const struct esp_life_cfg *c, uint64_t rnd, struct esp_life *life,
		 struct esp_life_time *t);

/* Events an SA raises once each; the owner reports them to its IKE worker. */
enum {
	ESP_EV_SOFT = 1 << 0, /* a soft limit: time to rekey */
	ESP_EV_HARD = 1 << 1, /* a hard limit: the SA carries nothing more */
};

struct esp_sa_stats {
	uint64_t packets;
	uint64_t bytes;	   /* inner (plaintext) octets, what the lifetimes count */
	uint32_t replay;   /* ESP_E_REPLAY */
	uint32_t auth;	   /* ESP_E_AUTH */
	uint32_t bad;	   /* ESP_E_PAD, ESP_E_NEXT_HDR, ESP_E_INNER, ESP_E_ALIGN */
	uint32_t selector; /* ESP_E_SELECTOR */
	uint32_t dummy;	   /* ESP_E_DUMMY: next header 59 */
};

enum {
	ESP_SA_ESN = 1 << 0,	  /* 64-bit sequence numbers (RFC 4303 2.2.1) */
	ESP_SA_UDP = 1 << 1,	  /* RFC 3948 UDP encapsulation */
	ESP_SA_OUTER_V6 = 1 << 2, /* the tunnel endpoints are IPv6 */
};

/* The inbound SA of a pair: the replay window, no sequence counter. */
struct esp_sa_in {
	struct esp_replay rw;
	uint64_t last_ms; /* last authenticated packet (idle lifetime) */
	struct esp_sa_stats st;
};

/* The outbound SA of a pair: the sequence counter, no replay window, no refusals to count. */
struct esp_sa_out {
	uint64_t seq; /* last sent (RFC 4303 3.3.3) */
	uint64_t packets;
	uint64_t bytes;
};

/*
 * One Child SA as the data path keeps it: the inbound and outbound SAs
 * (RFC 4301 4.1: a pair, negotiated together) with what they share stored
 * once: transform, outer addresses and ports, the remote selector and the
 * lifetimes (each direction counts against them on its own). Keys are not
 * in it: the host passes its crypto driver's key schedules to each call.
 */
struct esp_sa {
	uint32_t spi_in;  /* ours */
	uint32_t spi_out; /* the peer's */
	uint8_t alg;	  /* enum esp_alg */
	uint8_t flags;	  /* ESP_SA_* */
	uint8_t iv_len, icv_len, align;
	uint8_t ev_in, ev_out; /* ESP_EV_* each direction raised so far */
	uint16_t lport, rport; /* outer UDP ports (ESP_SA_UDP), host order: ours, the peer's */
	uint8_t local[16], remote[16]; /* outer (tunnel) addresses: ours, the peer's */
	struct esp_range ts;	       /* remote selector: inner source in, inner destination out */
	struct esp_life life;
	struct esp_sa_in in;
	struct esp_sa_out out;
};

/* What struct esp_sa may take (docs/architecture.md, "Memory per SA"; asserted by a unit test). */
#define ESP_SA_BUDGET 240

/* Fills the algorithm fields of sa; false for an unsupported transform. */
bool esp_sa_set_alg(struct esp_sa *sa, enum esp_alg alg, unsigned enc_key_len);

/*
 * Counts one packet of len inner octets (*packets, *bytes) against life
 * and raises lifetime events. Returns ESP_EV_* raised by this packet (each
 * is raised once: *events remembers them).
 */
unsigned esp_sa_account(const struct esp_life *life, uint64_t *packets, uint64_t *bytes,
			uint8_t *events, uint32_t len);

/* The outbound counters as esp_sa_stats (the refusal counts are the inbound side's). */
void esp_sa_out_stats(const struct esp_sa *sa, struct esp_sa_stats *st);

#endif
