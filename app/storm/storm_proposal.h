/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proposals written the strongSwan way ("aes256gcm16-prfsha256-x25519",
 * "aes128-sha256-ecp256", ESP "aes256gcm16") into the transform IDs of
 * RFC 7296 3.3.2 / RFC 8247 that the initiator offers.
 */
#ifndef STORM_PROPOSAL_H
#define STORM_PROPOSAL_H

#include <stdbool.h>

#include "ike_suite.h"

/**
 * Parses a '-'-separated list of keywords. For IKE (esp false) an
 * encryption, a PRF (or an integrity algorithm that implies it) and a KE
 * group are required; AES-GCM takes no integrity algorithm, AES-CBC needs
 * one. For ESP a KE group is optional (PFS) and there is no PRF.
 * @return 0, or -1 with a reason in *err.
 */
int storm_proposal_parse(const char *s, bool esp, struct ike_transforms *t, const char **err);

#endif
