/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_keyfile.c - libFuzzer entry point for the ticket key file parser
 * (lib/ticket/ike_ticket_keyfile.c): any bytes, read as the daemon reads
 * them (with a key required to seal "now"). A refusal reads
 * "fuzz:LINE: reason" and never shows a secret; an accepted ring has a key
 * that seals now and finds each of its keys by id.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "ike_ticket_keyring.h"

/* 2026-01-01T00:00:00Z: a fixed "now", so runs are reproducible. */
#define FUZZ_NOW 1767225600ull

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ike_ticket_keyring_params p = {
		.max_lifetime = 3600, .clock_skew = 60, .must_seal_at = FUZZ_NOW};
	const struct ike_ticket_key *k;
	struct ike_ticket_keyring *kr;
	char err[300];

	if (size > (1 << 16))
		return 0;
	err[0] = '\0';
	kr = ike_ticket_keyring_parse((const char *)data, size, "fuzz", &p, err, sizeof(err));
	if (kr == NULL) {
		check(strncmp(err, "fuzz:", 5) == 0);
		return 0;
	}
	k = ike_ticket_keyring_seal_key(kr, FUZZ_NOW);
	check(k != NULL && k->not_before <= FUZZ_NOW && FUZZ_NOW < k->not_after);
	check(ike_ticket_keyring_find(kr, k->id) == k);
	check(ike_ticket_key_opens_at(kr, k, FUZZ_NOW));
	check(ike_ticket_keyring_count(kr) >= 1 &&
	      ike_ticket_keyring_count(kr) <= IKE_TICKET_KEYRING_MAX);
	ike_ticket_keyring_free(kr);
	return 0;
}
