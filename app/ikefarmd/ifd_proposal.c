/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_proposal.c - strongSwan-style proposal keywords -> struct
 * ike_suite_cfg (transform IDs of RFC 7296 3.3.2, RFC 4868, RFC 5282,
 * RFC 5903, RFC 8031).
 */
#include <stdio.h>
#include <string.h>

#include "ifd_proposal.h"
#include "ike_const.h"
#include "ike_suite.h"

enum kw_kind {
	KW_ENCR,
	KW_INTEG,
	KW_PRF,
	KW_KE,
};

struct keyword {
	const char *name;
	enum kw_kind kind;
	uint16_t id;
	uint16_t key_bits; /* ENCR */
	uint16_t prf;	   /* INTEG: the PRF an IKE proposal gets when it names none */
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

static const char *const kind_names[] = {"encryption", "integrity", "PRF", "key exchange"};

static const struct keyword *
keyword_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == len && !strncmp(keywords[i].name, name, len))
			return &keywords[i];
	return NULL;
}

int
ifd_proposal_parse(const char *text, bool esp, struct ike_suite_cfg *out, char *why, size_t wlen)
{
	const struct keyword *seen[4] = {NULL};
	const struct keyword *k;
	struct ike_transforms t;
	const char *p = text, *dash;
	size_t len;

	memset(out, 0, sizeof(*out));
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
	if (seen[KW_ENCR] == NULL) {
		snprintf(why, wlen, "'%s': no encryption algorithm", text);
		return -1;
	}
	k = seen[KW_ENCR];
	if ((k->id == IKE_ENCR_AES_GCM_16) != (seen[KW_INTEG] == NULL)) {
		snprintf(why, wlen, "'%s': %s", text,
			 seen[KW_INTEG] == NULL ? "AES-CBC needs an integrity algorithm"
						: "AES-GCM takes no integrity algorithm");
		return -1;
	}
	out->encr_id = k->id;
	out->encr_key_bits = k->key_bits;
	out->integ_id = seen[KW_INTEG] != NULL ? seen[KW_INTEG]->id : 0;
	out->ke_id = seen[KW_KE] != NULL ? seen[KW_KE]->id : 0;
	if (esp) {
		if (seen[KW_PRF] != NULL) {
			snprintf(why, wlen, "'%s': an ESP proposal has no PRF", text);
			return -1;
		}
	} else {
		if (seen[KW_PRF] != NULL)
			out->prf_id = seen[KW_PRF]->id;
		else if (seen[KW_INTEG] != NULL)
			out->prf_id = seen[KW_INTEG]->prf; /* strongSwan does the same */
		if (out->prf_id == 0 || out->ke_id == 0) {
			snprintf(why, wlen, "'%s': an IKE proposal needs a %s", text,
				 out->prf_id == 0 ? "PRF" : "key exchange group");
			return -1;
		}
	}
	t = (struct ike_transforms){out->encr_id, out->encr_key_bits, out->prf_id, out->integ_id,
				    out->ke_id};
	if (esp) {
		struct ike_esp_suite s;

		if (ike_suite_esp(&t, &s) == IKE_OK)
			return 0;
	} else {
		struct ike_suite s;

		if (ike_suite_ike(&t, &s) == IKE_OK)
			return 0;
	}
	snprintf(why, wlen, "'%s': not supported by the protocol core", text);
	return -1;
}

int
ifd_proposal_list(const char *text, bool esp, struct ike_suite_cfg *out, unsigned max, char *why,
		  size_t wlen)
{
	char one[128];
	const char *p = text, *comma, *b, *e;
	unsigned n = 0;

	for (;;) {
		comma = strchr(p, ',');
		e = comma != NULL ? comma : p + strlen(p);
		for (b = p; b < e && (*b == ' ' || *b == '\t'); b++)
			;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == b) {
			snprintf(why, wlen, "empty proposal in '%s'", text);
			return -1;
		}
		if (n == max) {
			snprintf(why, wlen, "more than %u proposals", max);
			return -1;
		}
		if ((size_t)(e - b) >= sizeof(one)) {
			snprintf(why, wlen, "proposal '%.*s...' is too long", 20, b);
			return -1;
		}
		memcpy(one, b, (size_t)(e - b));
		one[e - b] = '\0';
		if (ifd_proposal_parse(one, esp, &out[n], why, wlen) != 0)
			return -1;
		n++;
		if (comma == NULL)
			return (int)n;
		p = comma + 1;
	}
}
