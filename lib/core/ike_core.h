/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKEv2 responder core: sans-I/O. The host (app/runtime) owns packet I/O,
 * threads and the clock; it gives each worker lcore one struct ike_shard and
 * feeds it bursts of datagrams. The shard owns its SAs exclusively: no locks,
 * nothing shared with other shards. All memory is sized by the configuration
 * and handed over at init; nothing is allocated while processing packets.
 */
#ifndef IKE_CORE_H
#define IKE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cry_ops.h"

/* A transport address: IPv4 or IPv6, port in host order. */
struct ike_addr {
	uint8_t family; /* 4 or 6 */
	uint8_t reserved;
	uint16_t port;
	uint8_t ip[16]; /* IPv4 in the first 4 octets */
};

/* One received datagram (IKE message, non-ESP marker already removed). */
struct ike_rx {
	uint8_t *data; /* mutable: SK payloads are decrypted in place */
	uint16_t len;
	struct ike_addr local;
	struct ike_addr remote;
};

/* One datagram to send; the host provides data/cap, the core fills the rest. */
struct ike_tx {
	uint8_t *data;
	uint16_t len;
	uint16_t cap;
	struct ike_addr local;
	struct ike_addr remote;
};

/* An IKE or ESP proposal the responder accepts, in preference order. */
struct ike_suite_cfg {
	uint16_t encr_id;
	uint16_t encr_key_bits;
	uint16_t prf_id;   /* IKE only */
	uint16_t integ_id; /* 0 with AEAD */
	uint16_t ke_id;    /* IKE: KE group; ESP: PFS group or 0 */
};

enum ike_auth_kind {
	IKE_CRED_PSK,
	IKE_CRED_PUBKEY, /* certificate-based: peer proves with a CERT chaining to the trust store */
};

/* A remote identity the responder knows (one per user: "many users"). */
struct ike_peer_cfg {
	uint8_t id_type;          /* IKE_ID_* */
	uint8_t id_len;
	uint8_t id[255];
	enum ike_auth_kind auth;
	uint16_t psk_len;
	const uint8_t *psk;       /* IKE_CRED_PSK */
	uint32_t auth_lifetime_s; /* RFC 4478; 0 = none */
};

#define IKE_CORE_MAX_SUITES 8

struct ike_core_cfg {
	/* Capacity, per shard. */
	uint32_t max_ike_sas;
	uint32_t max_half_open;
	uint32_t max_cached_responses; /* last-response cache slots; 0 = max_ike_sas */
	/* Proposals, in preference order. */
	struct ike_suite_cfg ike_suites[IKE_CORE_MAX_SUITES];
	unsigned nb_ike_suites;
	struct ike_suite_cfg esp_suites[IKE_CORE_MAX_SUITES];
	unsigned nb_esp_suites;
	/* Our identity (IDr) and how we authenticate. */
	uint8_t local_id_type;
	uint8_t local_id_len;
	uint8_t local_id[255];
	const struct cry_privkey *local_key; /* signature auth; NULL for PSK */
	const uint8_t *local_cert_der;
	size_t local_cert_len;
	/* Known peers (sorted or indexed by the core at init). */
	const struct ike_peer_cfg *peers;
	unsigned nb_peers;
	/* Traffic selectors we allow (narrowing target), as address ranges. */
	struct ike_addr ts_start;
	struct ike_addr ts_end;
	/* Timers (ms). */
	uint32_t half_open_timeout_ms;
	uint32_t response_cache_ms;
	uint32_t ike_lifetime_s;
	uint32_t child_lifetime_s;
	uint32_t dpd_interval_s; /* 0: no liveness checks from our side */
	/* COOKIE (RFC 7296 2.6): half-open count that turns cookies on; 0 = always. */
	uint32_t cookie_threshold;
	uint32_t cookie_rotate_s; /* secret lifetime; 0 = 300 s */
};

/* What the host hands to the ESP data path for each installed Child SA. */
struct ike_child_info {
	uint32_t spi_in;  /* ours: inbound ESP SPI */
	uint32_t spi_out; /* the initiator's */
	uint16_t encr_id;
	uint16_t encr_key_bits;
	uint16_t integ_id;
	uint8_t key_in[32 + 4 + 64];  /* encr key | salt | integ key, RFC 7296 2.17 order */
	uint8_t key_out[32 + 4 + 64];
	struct ike_addr local;
	struct ike_addr remote;
	bool install; /* false: delete */
};

typedef void (*ike_child_cb)(void *arg, const struct ike_child_info *child);

struct ike_shard;

size_t ike_shard_mem_size(const struct ike_core_cfg *cfg);

/*
 * Sets up a shard in mem (ike_shard_mem_size() octets, cache-line aligned).
 * cfg and ops must outlive the shard. Returns NULL on a bad configuration.
 */
struct ike_shard *ike_shard_init(void *mem, const struct ike_core_cfg *cfg, unsigned shard_id,
				 const struct cry_ops *ops, ike_child_cb child_cb, void *cb_arg);

/* Wipes every secret the shard holds. The host frees mem. */
void ike_shard_fini(struct ike_shard *s);

/*
 * Which shard owns a received message, from its responder SPI; -1 for a
 * message that any shard may take (IKE_SA_INIT request: SPIr is zero).
 */
int ike_owner_shard(const uint8_t *data, size_t len);

/*
 * Processes a burst: validates, decrypts (one aead burst for the whole rx
 * burst), advances state, builds and encrypts replies into tx[]. Returns
 * the number of tx entries filled (at most tx_n).
 */
unsigned ike_shard_rx_burst(struct ike_shard *s, struct ike_rx *rx, unsigned n, struct ike_tx *tx,
			    unsigned tx_n, uint64_t now_ms);

/* Runs expired timers; may emit requests (liveness, DELETE). Returns tx count. */
unsigned ike_shard_tick(struct ike_shard *s, uint64_t now_ms, struct ike_tx *tx, unsigned tx_n);

/* Counters: a fixed list, each with a name for telemetry. */
unsigned ike_counter_count(void);
const char *ike_counter_name(unsigned i);
const uint64_t *ike_shard_counters(const struct ike_shard *s);
/* Established IKE SAs and half-open SAs right now. */
uint32_t ike_shard_nb_sas(const struct ike_shard *s);
uint32_t ike_shard_nb_half_open(const struct ike_shard *s);

#endif
