/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_proposal - proposal strings in strongSwan's notation, one algorithm of
 * each kind per proposal: "aes256gcm16-prfsha256-x25519" (IKE) or
 * "aes128-sha256" (ESP, "-ecp256" adds PFS). Only suites the core can run
 * (lib/keys ike_suite_ike / ike_suite_esp) are accepted.
 */
#ifndef IFD_PROPOSAL_H
#define IFD_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ike_core.h"

/* Parses one proposal. Returns 0, or -1 with the reason in why. */
int ifd_proposal_parse(const char *text, bool esp, struct ike_suite_cfg *out, char *why,
		       size_t wlen);

/*
 * Parses a comma-separated list, in preference order, into out[0..max).
 * Returns the count (at least one), or -1 with the reason in why.
 */
int ifd_proposal_list(const char *text, bool esp, struct ike_suite_cfg *out, unsigned max,
		      char *why, size_t wlen);

#endif
