/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_openssl_rand.c - random bytes from a per-context pool. One RAND_bytes
 * call per 1 KiB costs about as much as one per 32 octets, so nonces, SPIs
 * and DH exponents are served from the pool. Served bytes are wiped at once
 * so no copy of a handed-out secret stays behind.
 */
#include <string.h>

#include <openssl/rand.h>

#include "cry_openssl_priv.h"
#include "ike_secret.h"

enum ike_status
cry_ossl_random(void *ctx, uint8_t *out, size_t len)
{
	struct cry_openssl *c = ctx;

	while (len > 0) {
		size_t n;
		uint8_t *src;

		if (c->pool_left == 0) {
			if (RAND_bytes(c->pool, sizeof(c->pool)) != 1)
				return IKE_E_CRYPTO;
			c->pool_left = sizeof(c->pool);
		}
		n = len < c->pool_left ? len : c->pool_left;
		src = c->pool + c->pool_left - n;
		memcpy(out, src, n);
		ike_wipe(src, n);
		c->pool_left -= n;
		out += n;
		len -= n;
	}
	return IKE_OK;
}
