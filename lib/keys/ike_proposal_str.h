/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposals written the strongSwan way, one algorithm of each kind:
 * "aes256gcm16-prfsha256-x25519", "aes128-sha256-ecp256" (IKE) or
 * "aes256gcm16", "aes128-sha256-ecp256" (ESP; a KE group there asks for
 * PFS), into the transform IDs of RFC 7296 3.3.2 (RFC 4868, RFC 5282,
 * RFC 5903, RFC 8031). Shared by the daemon's configuration and storm.
 */
#ifndef IKE_PROPOSAL_STR_H
#define IKE_PROPOSAL_STR_H

#include <stdbool.h>
#include <stddef.h>

#include "ike_suite.h"

/*
 * Parses one '-'-separated proposal. An integrity algorithm also names the
 * PRF of an IKE proposal that gives none (strongSwan's rule). Only suites
 * ike_suite_ike()/ike_suite_esp() can run are accepted.
 * Returns 0, or -1 with the reason (quoting text) in why.
 */
int ike_proposal_str_parse(const char *text, bool esp, struct ike_transforms *t, char *why,
			   size_t wlen);

#endif
