/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_keymat.c - the data path's key space from the [child] proposals (ifd_keymat.h). */
#include <stdio.h>

#include "esp_sa.h"
#include "ifd_keymat.h"
#include "ike_const.h"

int
ifd_esp_alg(unsigned encr_id, unsigned integ_id)
{
	if (encr_id == IKE_ENCR_AES_GCM_16)
		return ESP_ALG_AES_GCM_16;
	if (encr_id != IKE_ENCR_AES_CBC)
		return -1;
	switch (integ_id) {
	case IKE_INTEG_HMAC_SHA2_256_128:
		return ESP_ALG_AES_CBC_HMAC_SHA256_128;
	case IKE_INTEG_HMAC_SHA2_384_192:
		return ESP_ALG_AES_CBC_HMAC_SHA384_192;
	case IKE_INTEG_HMAC_SHA2_512_256:
		return ESP_ALG_AES_CBC_HMAC_SHA512_256;
	default:
		return -1;
	}
}

/* The most one ENCR algorithm needs with any INTEG of the list (none for AEAD). */
static unsigned
encr_need(const struct ike_alg *e, const struct ike_alg_list *integ)
{
	unsigned key = e->key_bits != 0 ? e->key_bits / 8u : ESP_MAX_ENC_KEY, most = 0, i;
	unsigned n = integ->n != 0 ? integ->n : 1;

	for (i = 0; i < n; i++) {
		int alg = ifd_esp_alg(e->id, integ->n != 0 ? integ->alg[i].id : 0);
		unsigned need = alg < 0 ? 0 : esp_keymat_len((enum esp_alg)alg, key);

		if (need > most)
			most = need;
	}
	return most;
}

unsigned
ifd_keymat_len(const struct ike_proposal_cfg *p, unsigned n)
{
	unsigned most = 0, i, k;

	for (i = 0; i < n; i++) {
		const struct ike_alg_list *encr = &p[i].xf[IKE_TRANSFORM_ENCR];

		for (k = 0; k < encr->n; k++) {
			unsigned need = encr_need(&encr->alg[k], &p[i].xf[IKE_TRANSFORM_INTEG]);

			if (need > most)
				most = need;
		}
	}
	return most;
}

int
ifd_keymat_check(const struct ike_proposal_cfg *p, unsigned n, unsigned have, char *err,
		 size_t errlen)
{
	unsigned need = ifd_keymat_len(p, n);

	if (need <= have)
		return 0;
	snprintf(err, errlen,
		 "[child] proposals need %u octets of ESP keys a direction, the data path was "
		 "started with %u: restart ikefarmd to use them",
		 need, have);
	return -1;
}
