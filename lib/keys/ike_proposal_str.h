/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposals written the strongSwan way, several algorithms of each kind per
 * proposal, in preference order: "aes128-aes256-sha256-sha384-ecp256-x25519"
 * (IKE), "aes256gcm16-aes128gcm16" (ESP; KE groups there ask for PFS,
 * "modpnone" makes it optional; "esn" / "noesn" the sequence numbers, both
 * in order of preference when neither is written: noesn, esn), and lists
 * of them, "a, b, default", where
 * "default" stands for the default set below. One parser for the daemon's
 * configuration and storm; transform IDs of RFC 7296 3.3.2 (RFC 4868,
 * RFC 5282, RFC 5903, RFC 8031).
 *
 * A parsed proposal keeps one algorithm list per transform type, indexed by
 * the type (ENCR .. ESN, and ADDKE1..7 of RFC 9370), so selection treats
 * every type the same way and new types need no new fields.
 */
#ifndef IKE_PROPOSAL_STR_H
#define IKE_PROPOSAL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_const.h"
#include "ike_suite.h"

#define IKE_PROP_MAX_ALGS 16 /* algorithms of one type in one proposal */

/* One algorithm: a transform ID, and the key length for ciphers that need one. */
struct ike_alg {
	uint16_t id; /* 0 in a KE, ADDKE or ESN list: "none" is acceptable */
	uint16_t key_bits;
};

struct ike_alg_list {
	uint8_t n;
	struct ike_alg alg[IKE_PROP_MAX_ALGS];
};

/* One configured proposal: for each transform type the algorithms we take, best first. */
struct ike_proposal_cfg {
	bool esp;
	struct ike_alg_list xf[IKE_TRANSFORM_MAX + 1]; /* by transform type; [0] unused */
};

/*
 * The default set: AES-GCM and AES-CBC (128 and 256-bit keys), SHA2-256/384/512
 * integrity and PRF, groups 31, 19, 20, 21, 14 in that order of preference.
 */
#define IKE_PROPOSALS_DEFAULT_IKE                                                                  \
	"aes256gcm16-aes128gcm16-prfsha256-prfsha384-prfsha512-x25519-ecp256-ecp384-ecp521-"       \
	"modp2048, "                                                                               \
	"aes256-aes128-sha256-sha384-sha512-x25519-ecp256-ecp384-ecp521-modp2048"
#define IKE_PROPOSALS_DEFAULT_ESP "aes256gcm16-aes128gcm16, aes256-aes128-sha256-sha384-sha512"
#define IKE_PROPOSALS_DEFAULT_N 2 /* proposals in each default set */

/*
 * Parses one '-'-separated proposal (not "default"). An integrity algorithm
 * also names its PRF for an IKE proposal that lists none (strongSwan's rule).
 * Every combination of the listed algorithms must be one ike_suite_ike() /
 * ike_suite_esp() can run. Returns 0, or -1 with the reason (quoting text)
 * in why.
 */
int ike_proposal_str_parse(const char *text, bool esp, struct ike_proposal_cfg *out, char *why,
			   size_t wlen);

/*
 * Parses a comma-separated list of proposals, in preference order, into
 * out[0..max); "default" inserts the default set there. A proposal equal to
 * an earlier one is refused. Returns the count (at least one), or -1 with
 * the reason in why.
 */
int ike_proposal_str_list(const char *text, bool esp, struct ike_proposal_cfg *out, unsigned max,
			  char *why, size_t wlen);

/* Same algorithms in the same order (for duplicate checks). */
bool ike_proposal_cfg_equal(const struct ike_proposal_cfg *a, const struct ike_proposal_cfg *b);

/*
 * Writes p back in this notation ("aes256gcm16-prfsha256-x25519-ecp256"),
 * IANA names for IDs without a keyword. Truncates to len (NUL-terminated).
 */
void ike_proposal_cfg_format(const struct ike_proposal_cfg *p, char *buf, size_t len);

/* The first algorithm of each kind: what an initiator with this proposal offers first. */
void ike_proposal_cfg_first(const struct ike_proposal_cfg *p, struct ike_transforms *t);

/* Whether p lists algorithm (type, id, key_bits); key_bits 0 matches any. */
bool ike_proposal_cfg_has(const struct ike_proposal_cfg *p, uint8_t type, uint16_t id,
			  uint16_t key_bits);

#endif
