/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-SA record of the ESP data path: one per Child SA (both
 * directions), owned by one data-path lcore, touched by nothing else.
 */
#ifndef ESP_SA_H
#define ESP_SA_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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
/* KEYMAT octets of one direction of alg (enc key + salt or integ key); 0 for a bad one. */
unsigned esp_keymat_len(enum esp_alg alg, unsigned enc_key_len);

/* An address range of one family: a traffic selector (RFC 7296 3.13.1) or one address. */
struct esp_range {
	uint8_t v6;
	uint8_t start[16]; /* network order; IPv4 in the first 4 octets */
	uint8_t end[16];
};

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

/*
 * A limit as the data path keeps it: 32 bits, value = mantissa << exponent
 * (26 and 6 bits), rounded down; 0 = none. Exact up to 2^26 (64 Mi packets
 * or octets); above, at most 2^-25 of it early, far below any jitter.
 * Larger codes are larger values, so comparing codes compares limits.
 */
#define ESP_LIMIT_MANT_BITS 26
uint32_t esp_limit_code(uint64_t v);
static inline uint64_t
esp_limit_value(uint32_t code)
{
	return (uint64_t)(code & ((1u << ESP_LIMIT_MANT_BITS) - 1))
	       << (code >> ESP_LIMIT_MANT_BITS);
}

/* struct esp_life of one SA, coded (esp_limit_code); a soft limit stays below its hard one. */
struct esp_limits {
	uint32_t soft_bytes, hard_bytes;
	uint32_t soft_packets, hard_packets;
};
void esp_limits_of(const struct esp_life *life, struct esp_limits *lim);

/*
 * Events an SA raises once each; the owner reports them to its IKE worker.
 * struct esp_sa keeps the inbound ones in the low bits of ev, the outbound
 * ones ESP_EV_OUT_SHIFT higher.
 */
enum {
	ESP_EV_SOFT = 1 << 0, /* a soft limit: time to rekey */
	ESP_EV_HARD = 1 << 1, /* a hard limit: the SA carries nothing more */
};
#define ESP_EV_OUT_SHIFT 2
/* The host reported the SA idle; the next authenticated inbound packet clears it. */
#define ESP_EV_IDLE (1 << 4)

struct esp_sa_stats {
	uint64_t packets;
	uint64_t bytes;	   /* inner (plaintext) octets, what the lifetimes count */
	uint32_t replay;   /* ESP_E_REPLAY */
	uint32_t auth;	   /* ESP_E_AUTH */
	uint32_t bad;	   /* ESP_E_PAD, ESP_E_NEXT_HDR, ESP_E_INNER, ESP_E_ALIGN */
	uint32_t selector; /* ESP_E_SELECTOR, ESP_E_SELECTOR_DST */
	uint32_t dummy;	   /* ESP_E_DUMMY: next header 59 */
};

enum {
	ESP_SA_ESN = 1 << 0,	  /* 64-bit sequence numbers (RFC 4303 2.2.1) */
	ESP_SA_UDP = 1 << 1,	  /* RFC 3948 UDP encapsulation */
	ESP_SA_OUTER_V6 = 1 << 2, /* the tunnel endpoints are IPv6 */
	ESP_SA_TS_V6 = 1 << 3,	  /* the remote selector is IPv6 */
	/* Dual stack: ts is the IPv6 selector (ESP_SA_TS_V6 set), ts4 the IPv4 one. */
	ESP_SA_TS_BOTH = 1 << 6,
};
/* Bits 4-5 of flags: the encryption key length, (octets - 16) / 8 (AES-128/192/256). */
#define ESP_SA_KEY_SHIFT 4

/* The inbound SA of a pair: the replay window, no sequence counter; esp_sa_in_stats(). */
struct esp_sa_in {
	struct esp_replay rw;
	uint64_t packets;
	uint64_t bytes;
	uint32_t replay, auth, bad, selector, dummy; /* as in struct esp_sa_stats */
	uint32_t last_s; /* last authenticated packet, now_ms / 1000 (idle lifetime) */
};

/* The outbound SA of a pair: no replay window, nothing refused to count; packets = seq. */
struct esp_sa_out {
	uint64_t seq; /* last sent (RFC 4303 3.3.3) */
	uint64_t bytes;
};

/*
 * One Child SA as the data path keeps it: the inbound and outbound SAs
 * (RFC 4301 4.1: a pair, negotiated together) with what they share stored
 * once: transform, remote outer address and ports, the remote selector and
 * the lifetimes (each direction counts against them on its own). Not in
 * it: the keys (the host passes its crypto driver's key schedules to each
 * call), the local outer address (one of the host's few, passed to
 * esp_out_prepare), the IV/ICV sizes (the transform's: esp_sa_iv_len()...).
 */
struct esp_sa {
	uint32_t spi_in;       /* ours */
	uint32_t spi_out;      /* the peer's */
	uint16_t lport, rport; /* outer UDP ports (ESP_SA_UDP), host order: ours, the peer's */
	uint8_t alg;	       /* enum esp_alg */
	uint8_t flags;	       /* ESP_SA_*, key length */
	uint8_t ev;	       /* ESP_EV_* raised so far, each direction; ESP_EV_IDLE */
	uint8_t ts_len;	       /* remote selector prefix length */
	uint8_t remote[16];    /* the peer's outer (tunnel) address */
	/*
	 * Remote selector, a prefix (the inner source in, the destination
	 * out): the outbound route needs one anyway (esp_range_prefix).
	 */
	uint8_t ts[16];
	/*
	 * With ESP_SA_TS_BOTH, the IPv4 selector of a Child SA that carries
	 * both families (a client with an IPv4 and an IPv6 virtual IP).
	 */
	uint8_t ts4[4];
	uint8_t ts4_len;
	/*
	 * The owner's name for the pair's local selector (TSr), e.g. an index
	 * into a table of the few distinct ones (struct esp_ts_local); not
	 * read here. In what was padding: it costs no octet.
	 */
	uint8_t local_ts;
	struct esp_limits life;
	struct esp_sa_in in;
	struct esp_sa_out out;
};

/* What struct esp_sa may take (docs/architecture.md, "Memory per SA"; asserted by a unit test). */
#define ESP_SA_BUDGET 168

/*
 * The sizes of sa's transform (as esp_alg_desc says: a unit test holds
 * them to it), per packet without a table: GCM has an 8-octet IV, 4-octet
 * alignment and a 16-octet ICV; CBC a 16-octet IV and block and the HMAC's
 * half (16, 24, 32 in enum order).
 */
static inline unsigned
esp_sa_iv_len(const struct esp_sa *sa)
{
	return sa->alg == ESP_ALG_AES_GCM_16 ? 8u : 16u;
}
static inline unsigned
esp_sa_align(const struct esp_sa *sa)
{
	return sa->alg == ESP_ALG_AES_GCM_16 ? 4u : 16u;
}
static inline unsigned
esp_sa_icv_len(const struct esp_sa *sa)
{
	return sa->alg <= ESP_ALG_AES_CBC_HMAC_SHA256_128 ? 16u : 8u * (sa->alg + 1u);
}
static inline unsigned
esp_sa_enc_key_len(const struct esp_sa *sa)
{
	return 16u + 8u * (sa->flags >> ESP_SA_KEY_SHIFT & 3u);
}

/* Fills the algorithm fields of sa; false for an unsupported transform. */
bool esp_sa_set_alg(struct esp_sa *sa, enum esp_alg alg, unsigned enc_key_len);

/*
 * The prefix that is exactly the range r in *addr (16 octets) and its
 * length; for a range that is no prefix, its start address alone.
 */
uint8_t esp_range_prefix(const struct esp_range *r, uint8_t *addr);
/* Whether addr (IPv6 if v6) lies in the remote selector of sa of its family. */
bool esp_sa_ts_has(const struct esp_sa *sa, bool v6, const uint8_t *addr);

/*
 * A local selector (TSr: the protected network) of each family as we
 * answered it, exact ranges: an inbound packet's inner destination must lie
 * in the one of its family (RFC 4301 5.2). Most SAs share one: the owner
 * keeps them apart from struct esp_sa (esp_sa.local_ts).
 */
enum {
	ESP_TSL_V4 = 1 << 0,
	ESP_TSL_V6 = 1 << 1,
};
struct esp_ts_local {
	uint32_t start4, end4; /* host order */
	uint8_t start6[16], end6[16];
	uint8_t has; /* ESP_TSL_*: the families it has a range of */
};
/* Adds the range r to t (one of each family; a second of a family replaces the first). */
void esp_ts_local_add(struct esp_ts_local *t, const struct esp_range *r);
/* Whether addr (IPv6 if v6) lies in t's range of its family. */
static inline bool
esp_ts_local_has(const struct esp_ts_local *t, bool v6, const uint8_t *addr)
{
	if (!v6) {
		uint32_t a = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
			     (uint32_t)addr[2] << 8 | addr[3];

		return (t->has & ESP_TSL_V4) && a >= t->start4 && a <= t->end4;
	}
	return (t->has & ESP_TSL_V6) && memcmp(addr, t->start6, 16) >= 0 &&
	       memcmp(addr, t->end6, 16) <= 0;
}

/* The remote selector of sa of a family: its prefix (*len its length), or NULL: none. */
static inline const uint8_t *
esp_sa_ts_of(const struct esp_sa *sa, bool v6, uint8_t *len)
{
	if (!v6 && (sa->flags & ESP_SA_TS_BOTH)) {
		*len = sa->ts4_len;
		return sa->ts4;
	}
	if (v6 != ((sa->flags & ESP_SA_TS_V6) != 0))
		return NULL;
	*len = sa->ts_len;
	return sa->ts;
}

/*
 * Counts one packet of len inner octets (*bytes; packets: the count with
 * it) against lim and raises lifetime events. Returns ESP_EV_* raised by
 * this packet: each once, *ev remembers them shift bits up.
 */
unsigned esp_sa_account(const struct esp_limits *lim, uint64_t packets, uint64_t *bytes,
			uint8_t *ev, unsigned shift, uint32_t len);

/* The counters of each direction as esp_sa_stats (the refusal counts are the inbound side's). */
void esp_sa_in_stats(const struct esp_sa *sa, struct esp_sa_stats *st);
void esp_sa_out_stats(const struct esp_sa *sa, struct esp_sa_stats *st);

#endif
