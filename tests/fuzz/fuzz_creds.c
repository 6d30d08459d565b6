/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_creds.c - libFuzzer entry point for the credentials file parser
 * (app/ikefarmd/ifd_creds.c): any bytes, NULs included. A refusal reads
 * "fuzz:LINE: reason" and leaves nothing allocated; an accepted file has
 * every PSK user pointing at its PSK inside the pool.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "ifd_check.h"
#include "ifd_creds.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first octet picks strict_files, so both outcomes of a warning are reached. */
	struct ifd_warnings w = {.strict = size > 0 && (data[0] & 1)};
	struct ifd_creds cr;
	char err[512];

	if (size > (1 << 16))
		return 0;
	err[0] = '\0';
	if (ifd_creds_parse(&cr, (const char *)data, size, "fuzz", &w, err, sizeof(err)) != 0) {
		check(strncmp(err, "fuzz:", 5) == 0 && cr.peers == NULL && cr.psk_pool == NULL);
		return 0;
	}
	for (unsigned i = 0; i < cr.nb_peers; i++) {
		const struct ike_peer_cfg *p = &cr.peers[i];

		check(p->id_len > 0 || p->any_id);
		if (p->auth == IKE_CRED_PSK)
			check(p->psk_len > 0 && p->psk >= cr.psk_pool &&
			      p->psk + p->psk_len <= cr.psk_pool + cr.psk_pool_len);
	}
	ifd_creds_free(&cr);
	return 0;
}
