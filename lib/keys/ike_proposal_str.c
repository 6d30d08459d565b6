/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "ike_const.h"
#include "ike_proposal_str.h"

enum kw_kind {
	KW_ENCR,
	KW_INTEG,
	KW_PRF,
	KW_KE,
	KW_KINDS,
};

struct keyword {
	const char *name;
	enum kw_kind kind;
	uint16_t id;
	uint16_t key_bits; /* KW_ENCR */
	uint16_t prf;	   /* KW_INTEG: the PRF an IKE proposal gets when it names none */
};

static const struct keyword keywords[] = {
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

static const char *const kind_names[KW_KINDS] = {"encryption", "integrity", "PRF",
						 "key exchange"};

static const struct keyword *
keyword_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == len && !strncmp(keywords[i].name, name, len))
			return &keywords[i];
	return NULL;
}

static int
refuse(char *why, size_t wlen, const char *text, const char *reason)
{
	snprintf(why, wlen, "'%s': %s", text, reason);
	return -1;
}

static bool
suite_runs(const struct ike_transforms *t, bool esp)
{
	struct ike_esp_suite e;
	struct ike_suite s;

	return esp ? ike_suite_esp(t, &e) == IKE_OK : ike_suite_ike(t, &s) == IKE_OK;
}

int
ike_proposal_str_parse(const char *text, bool esp, struct ike_transforms *t, char *why,
		       size_t wlen)
{
	const struct keyword *seen[KW_KINDS] = {NULL};
	const struct keyword *k;
	const char *p = text, *dash;
	size_t len;

	memset(t, 0, sizeof(*t));
	while (*p != '\0') {
		dash = strchr(p, '-');
		len = dash != NULL ? (size_t)(dash - p) : strlen(p);
		k = keyword_find(p, len);
		if (k == NULL) {
			snprintf(why, wlen, "'%s': unknown algorithm '%.*s'", text, (int)len, p);
			return -1;
		}
		if (seen[k->kind] != NULL) {
			snprintf(why, wlen, "'%s': more than one %s algorithm", text,
				 kind_names[k->kind]);
			return -1;
		}
		seen[k->kind] = k;
		p += len + (dash != NULL);
	}
	if (seen[KW_ENCR] == NULL)
		return refuse(why, wlen, text, "no encryption algorithm");
	if ((seen[KW_ENCR]->id == IKE_ENCR_AES_GCM_16) != (seen[KW_INTEG] == NULL))
		return refuse(why, wlen, text,
			      seen[KW_INTEG] == NULL ? "AES-CBC needs an integrity algorithm"
						     : "AES-GCM takes no integrity algorithm");
	t->encr = seen[KW_ENCR]->id;
	t->encr_key_bits = seen[KW_ENCR]->key_bits;
	t->integ = seen[KW_INTEG] != NULL ? seen[KW_INTEG]->id : IKE_INTEG_NONE;
	t->ke = seen[KW_KE] != NULL ? seen[KW_KE]->id : IKE_KE_NONE;
	if (esp) {
		if (seen[KW_PRF] != NULL)
			return refuse(why, wlen, text, "an ESP proposal has no PRF");
	} else {
		if (seen[KW_PRF] != NULL)
			t->prf = seen[KW_PRF]->id;
		else if (seen[KW_INTEG] != NULL)
			t->prf = seen[KW_INTEG]->prf;
		if (t->prf == 0)
			return refuse(why, wlen, text, "an IKE proposal needs a PRF");
		if (t->ke == IKE_KE_NONE)
			return refuse(why, wlen, text,
				      "an IKE proposal needs a key exchange group");
	}
	if (!suite_runs(t, esp))
		return refuse(why, wlen, text, "not supported by the protocol core");
	return 0;
}
