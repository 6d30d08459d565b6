/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_proposal.c - strongSwan-style proposal keywords -> IKEv2 transform IDs. */
#include <string.h>

#include "ike_const.h"
#include "storm_proposal.h"

enum kw_kind {
	KW_ENCR,
	KW_INTEG, /* also the PRF when none is named (strongSwan's rule) */
	KW_PRF,
	KW_KE,
};

struct kw {
	const char *name;
	enum kw_kind kind;
	uint16_t id;
	uint16_t key_bits; /* KW_ENCR */
	uint16_t prf;	   /* KW_INTEG: the PRF it implies */
};

static const struct kw keywords[] = {
	{"aes128", KW_ENCR, IKE_ENCR_AES_CBC, 128, 0},
	{"aes192", KW_ENCR, IKE_ENCR_AES_CBC, 192, 0},
	{"aes256", KW_ENCR, IKE_ENCR_AES_CBC, 256, 0},
	{"aes128gcm16", KW_ENCR, IKE_ENCR_AES_GCM_16, 128, 0},
	{"aes192gcm16", KW_ENCR, IKE_ENCR_AES_GCM_16, 192, 0},
	{"aes256gcm16", KW_ENCR, IKE_ENCR_AES_GCM_16, 256, 0},
	{"sha256", KW_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, IKE_PRF_HMAC_SHA2_256},
	{"sha384", KW_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, IKE_PRF_HMAC_SHA2_384},
	{"sha512", KW_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, IKE_PRF_HMAC_SHA2_512},
	{"prfsha1", KW_PRF, IKE_PRF_HMAC_SHA1, 0, 0},
	{"prfsha256", KW_PRF, IKE_PRF_HMAC_SHA2_256, 0, 0},
	{"prfsha384", KW_PRF, IKE_PRF_HMAC_SHA2_384, 0, 0},
	{"prfsha512", KW_PRF, IKE_PRF_HMAC_SHA2_512, 0, 0},
	{"modp2048", KW_KE, IKE_KE_MODP2048, 0, 0},
	{"ecp256", KW_KE, IKE_KE_ECP256, 0, 0},
	{"ecp384", KW_KE, IKE_KE_ECP384, 0, 0},
	{"x25519", KW_KE, IKE_KE_CURVE25519, 0, 0},
	{"curve25519", KW_KE, IKE_KE_CURVE25519, 0, 0},
};

static const struct kw *
lookup(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == len && memcmp(keywords[i].name, s, len) == 0)
			return &keywords[i];
	return NULL;
}

int
storm_proposal_parse(const char *s, bool esp, struct ike_transforms *t, const char **err)
{
	uint16_t implied_prf = 0;
	bool has_encr = false;
	const struct kw *k;
	const char *p = s, *dash;
	size_t len;

	memset(t, 0, sizeof(*t));
	t->integ = IKE_INTEG_NONE;
	t->ke = IKE_KE_NONE;
	while (*p != '\0') {
		dash = strchr(p, '-');
		len = dash ? (size_t)(dash - p) : strlen(p);
		k = lookup(p, len);
		if (k == NULL) {
			*err = "unknown keyword";
			return -1;
		}
		switch (k->kind) {
		case KW_ENCR:
			t->encr = k->id;
			t->encr_key_bits = k->key_bits;
			has_encr = true;
			break;
		case KW_INTEG:
			t->integ = k->id;
			implied_prf = k->prf;
			break;
		case KW_PRF:
			if (esp) {
				*err = "ESP proposals have no PRF";
				return -1;
			}
			t->prf = k->id;
			break;
		case KW_KE:
			t->ke = k->id;
			break;
		}
		p += len;
		if (*p == '-')
			p++;
	}
	if (!has_encr) {
		*err = "no encryption algorithm";
		return -1;
	}
	if ((t->encr == IKE_ENCR_AES_GCM_16) != (t->integ == IKE_INTEG_NONE)) {
		*err = t->integ == IKE_INTEG_NONE ? "AES-CBC needs an integrity algorithm"
						  : "AES-GCM takes no integrity algorithm";
		return -1;
	}
	if (esp)
		return 0;
	if (t->prf == 0)
		t->prf = implied_prf;
	if (t->prf == 0) {
		*err = "no PRF";
		return -1;
	}
	if (t->ke == IKE_KE_NONE) {
		*err = "no key exchange group";
		return -1;
	}
	return 0;
}
