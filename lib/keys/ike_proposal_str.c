/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "ike_names.h"
#include "ike_proposal_str.h"

struct keyword {
	const char *name;
	uint8_t type; /* IKE_TRANSFORM_* */
	uint16_t id;
	uint16_t key_bits; /* ENCR */
	uint16_t prf;	   /* INTEG: the PRF an IKE proposal gets when it names none */
};

static const struct keyword keywords[] = {
	{"aes128", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128, 0},
	{"aes192", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 192, 0},
	{"aes256", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256, 0},
	{"aes128gcm16", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128, 0},
	{"aes192gcm16", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 192, 0},
	{"aes256gcm16", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256, 0},
	{"sha256", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, IKE_PRF_HMAC_SHA2_256},
	{"sha384", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, IKE_PRF_HMAC_SHA2_384},
	{"sha512", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, IKE_PRF_HMAC_SHA2_512},
	{"prfsha1", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA1, 0, 0},
	{"prfsha256", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0, 0},
	{"prfsha384", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_384, 0, 0},
	{"prfsha512", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_512, 0, 0},
	{"x25519", IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0, 0},
	{"curve25519", IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0, 0},
	{"ecp256", IKE_TRANSFORM_KE, IKE_KE_ECP256, 0, 0},
	{"ecp384", IKE_TRANSFORM_KE, IKE_KE_ECP384, 0, 0},
	{"ecp521", IKE_TRANSFORM_KE, IKE_KE_ECP521, 0, 0},
	{"modp2048", IKE_TRANSFORM_KE, IKE_KE_MODP2048, 0, 0},
	{"modpnone", IKE_TRANSFORM_KE, IKE_KE_NONE, 0, 0}, /* ESP: PFS optional */
	{"noesn", IKE_TRANSFORM_ESN, IKE_ESN_NO, 0, 0},
	{"esn", IKE_TRANSFORM_ESN, IKE_ESN_YES, 0, 0},
};

#define NB_KEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

static const struct keyword *
keyword_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NB_KEYWORDS; i++)
		if (strlen(keywords[i].name) == len && !strncmp(keywords[i].name, name, len))
			return &keywords[i];
	return NULL;
}

static const struct keyword *
keyword_of(uint8_t type, const struct ike_alg *a)
{
	for (size_t i = 0; i < NB_KEYWORDS; i++)
		if (keywords[i].type == type && keywords[i].id == a->id &&
		    keywords[i].key_bits == a->key_bits)
			return &keywords[i];
	return NULL;
}

/*
 * RFC 9370 additional key exchange in strongSwan 6's notation: "ke<n>_<group>"
 * (n = 1..7) or "ke<n>_none" (that exchange is optional). Sets *type to
 * ADDKEn; NULL when the word is no such token.
 */
static const struct keyword *
addke_find(const char *name, size_t len, uint8_t *type)
{
	static const struct keyword none = {"none", IKE_TRANSFORM_KE, IKE_KE_NONE, 0, 0};
	const struct keyword *k;

	if (len < 5 || name[0] != 'k' || name[1] != 'e' || name[2] < '1' || name[2] > '7' ||
	    name[3] != '_')
		return NULL;
	*type = (uint8_t)(IKE_TRANSFORM_ADDKE1 + (name[2] - '1'));
	if (len - 4 == 4 && !strncmp(name + 4, "none", 4))
		return &none;
	k = keyword_find(name + 4, len - 4);
	return k != NULL && k->type == IKE_TRANSFORM_KE && k->id != IKE_KE_NONE ? k : NULL;
}

static int
refuse(char *why, size_t wlen, const char *text, const char *reason)
{
	snprintf(why, wlen, "'%s': %s", text, reason);
	return -1;
}

static int
list_add(struct ike_alg_list *l, uint16_t id, uint16_t key_bits)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->alg[i].id == id && l->alg[i].key_bits == key_bits)
			return 1;
	if (l->n == IKE_PROP_MAX_ALGS)
		return -1;
	l->alg[l->n++] = (struct ike_alg){id, key_bits};
	return 0;
}

/*
 * An ESP proposal that names neither "esn" nor "noesn" takes both, "noesn"
 * first: strongSwan, Windows and Android offer NO_ESN only, libreswan
 * offers both (esn=either), and a client that offers ESN only still gets a
 * Child SA because the data path runs 64-bit sequence numbers too.
 */
static void
esn_default(struct ike_alg_list *l)
{
	list_add(l, IKE_ESN_NO, 0);
	list_add(l, IKE_ESN_YES, 0);
}

static bool
esn_is_default(const struct ike_alg_list *l)
{
	return l->n == 2 && l->alg[0].id == IKE_ESN_NO && l->alg[1].id == IKE_ESN_YES;
}

/* Every combination of the listed algorithms is a suite the core runs. */
static bool
all_suites_run(const struct ike_proposal_cfg *p)
{
	const struct ike_alg_list *e = &p->xf[IKE_TRANSFORM_ENCR], *i = &p->xf[IKE_TRANSFORM_INTEG];
	const struct ike_alg_list *f = &p->xf[IKE_TRANSFORM_PRF], *k = &p->xf[IKE_TRANSFORM_KE];
	unsigned ni = i->n ? i->n : 1, nf = f->n ? f->n : 1, nk = k->n ? k->n : 1;
	struct ike_esp_suite es;
	struct ike_suite s;

	for (unsigned a = 0; a < e->n; a++)
		for (unsigned b = 0; b < ni; b++)
			for (unsigned c = 0; c < nf; c++)
				for (unsigned d = 0; d < nk; d++) {
					struct ike_transforms t = {
						.encr = e->alg[a].id,
						.encr_key_bits = e->alg[a].key_bits,
						.integ = i->n ? i->alg[b].id : IKE_INTEG_NONE,
						.prf = f->n ? f->alg[c].id : 0,
						.ke = k->n ? k->alg[d].id : IKE_KE_NONE,
					};
					if (p->esp ? ike_suite_esp(&t, &es) != IKE_OK
						   : ike_suite_ike(&t, &s) != IKE_OK)
						return false;
				}
	return true;
}

/* The rules between kinds (RFC 5282 8 for AEAD; strongSwan's PRF rule). */
/* A list with at least one method other than "none". */
static bool
has_real(const struct ike_alg_list *l)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->alg[i].id != IKE_KE_NONE)
			return true;
	return false;
}

static int
check_kinds(struct ike_proposal_cfg *p, const char *text, char *why, size_t wlen)
{
	struct ike_alg_list *encr = &p->xf[IKE_TRANSFORM_ENCR],
			    *integ = &p->xf[IKE_TRANSFORM_INTEG];
	struct ike_alg_list *prf = &p->xf[IKE_TRANSFORM_PRF], *ke = &p->xf[IKE_TRANSFORM_KE];
	unsigned aead = 0;

	if (encr->n == 0)
		return refuse(why, wlen, text, "no encryption algorithm");
	for (unsigned i = 0; i < encr->n; i++)
		aead += encr->alg[i].id == IKE_ENCR_AES_GCM_16;
	if (aead != 0 && aead != encr->n)
		return refuse(why, wlen, text,
			      "mixes AEAD and non-AEAD encryption (write two proposals)");
	if (aead != 0 && integ->n != 0)
		return refuse(why, wlen, text, "AES-GCM takes no integrity algorithm");
	if (aead == 0 && integ->n == 0)
		return refuse(why, wlen, text, "AES-CBC needs an integrity algorithm");
	if (p->esp) {
		if (prf->n != 0)
			return refuse(why, wlen, text, "an ESP proposal has no PRF");
		/* RFC 9370 2.2.4: they follow the CREATE_CHILD_SA's own key exchange. */
		for (uint8_t t = IKE_TRANSFORM_ADDKE1; t <= IKE_TRANSFORM_ADDKE7; t++)
			if (p->xf[t].n != 0 && !has_real(ke))
				return refuse(why, wlen, text,
					      "additional key exchanges (keN_) of an ESP "
					      "proposal need a key exchange group (PFS)");
		if (p->xf[IKE_TRANSFORM_ESN].n == 0)
			esn_default(&p->xf[IKE_TRANSFORM_ESN]);
	} else {
		if (p->xf[IKE_TRANSFORM_ESN].n != 0)
			return refuse(why, wlen, text, "an IKE proposal has no ESN");
		if (prf->n == 0)
			for (unsigned i = 0; i < integ->n; i++)
				list_add(prf, keyword_of(IKE_TRANSFORM_INTEG, &integ->alg[i])->prf,
					 0);
		if (prf->n == 0)
			return refuse(why, wlen, text, "an IKE proposal needs a PRF");
		if (ke->n == 0)
			return refuse(why, wlen, text,
				      "an IKE proposal needs a key exchange group");
		if (ike_proposal_cfg_has(p, IKE_TRANSFORM_KE, IKE_KE_NONE, 0))
			return refuse(why, wlen, text, "modpnone is for ESP proposals only");
	}
	if (!all_suites_run(p))
		return refuse(why, wlen, text, "not supported by the protocol core");
	return 0;
}

int
ike_proposal_str_parse(const char *text, bool esp, struct ike_proposal_cfg *out, char *why,
		       size_t wlen)
{
	const struct keyword *k;
	const char *p = text, *dash;
	uint8_t type;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	out->esp = esp;
	while (*p != '\0') {
		dash = strchr(p, '-');
		len = dash != NULL ? (size_t)(dash - p) : strlen(p);
		k = keyword_find(p, len);
		type = k != NULL ? k->type : 0;
		if (k == NULL)
			k = addke_find(p, len, &type);
		if (k == NULL) {
			snprintf(why, wlen, "'%s': unknown algorithm '%.*s'", text, (int)len, p);
			return -1;
		}
		rc = list_add(&out->xf[type], k->id, k->key_bits);
		if (rc != 0) {
			snprintf(why, wlen, "'%s': %s '%s'", text,
				 rc > 0 ? "listed twice:" : "too many algorithms of the kind of",
				 k->name);
			return -1;
		}
		p += len + (dash != NULL);
		if (dash != NULL && *p == '\0')
			return refuse(why, wlen, text, "ends with '-'");
	}
	return check_kinds(out, text, why, wlen);
}

/* One list item, blanks trimmed, into one[] (size cap); "" when too long. */
static const char *
item(const char *b, const char *e, char *one, size_t cap)
{
	for (; b < e && (*b == ' ' || *b == '\t'); b++)
		;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((size_t)(e - b) >= cap)
		return NULL;
	memcpy(one, b, (size_t)(e - b));
	one[e - b] = '\0';
	return one;
}

int
ike_proposal_str_list(const char *text, bool esp, struct ike_proposal_cfg *out, unsigned max,
		      char *why, size_t wlen)
{
	struct ike_proposal_cfg dflt[IKE_PROPOSALS_DEFAULT_N];
	const char *p = text, *comma;
	char one[256];
	unsigned n = 0;
	int got;

	for (;;) {
		comma = strchr(p, ',');
		if (item(p, comma != NULL ? comma : p + strlen(p), one, sizeof(one)) == NULL) {
			snprintf(why, wlen, "proposal '%.20s...' is too long", p);
			return -1;
		}
		if (one[0] == '\0') {
			snprintf(why, wlen, "empty proposal in '%s'", text);
			return -1;
		}
		if (!strcmp(one, "default")) {
			got = ike_proposal_str_list(esp ? IKE_PROPOSALS_DEFAULT_ESP
							: IKE_PROPOSALS_DEFAULT_IKE,
						    esp, dflt, IKE_PROPOSALS_DEFAULT_N, why, wlen);
		} else {
			got = ike_proposal_str_parse(one, esp, dflt, why, wlen) == 0 ? 1 : -1;
		}
		if (got < 0)
			return -1;
		if (n + (unsigned)got > max) {
			snprintf(why, wlen, "more than %u proposals", max);
			return -1;
		}
		/* A repeat is a typo (two lists merged): it never changes what is chosen. */
		for (unsigned k = 0; k < (unsigned)got; k++)
			for (unsigned i = 0; i < n + k; i++)
				if (ike_proposal_cfg_equal(i < n ? &out[i] : &dflt[i - n],
							   &dflt[k])) {
					snprintf(why, wlen, "proposal %u ('%s') repeats proposal %u",
						 n + k + 1, one, i + 1);
					return -1;
				}
		memcpy(&out[n], dflt, (size_t)got * sizeof(*dflt));
		n += (unsigned)got;
		if (comma == NULL)
			return (int)n;
		p = comma + 1;
	}
}

bool
ike_proposal_cfg_equal(const struct ike_proposal_cfg *a, const struct ike_proposal_cfg *b)
{
	if (a->esp != b->esp)
		return false;
	for (unsigned t = 1; t <= IKE_TRANSFORM_MAX; t++) {
		if (a->xf[t].n != b->xf[t].n)
			return false;
		for (unsigned i = 0; i < a->xf[t].n; i++)
			if (a->xf[t].alg[i].id != b->xf[t].alg[i].id ||
			    a->xf[t].alg[i].key_bits != b->xf[t].alg[i].key_bits)
				return false;
	}
	return true;
}

bool
ike_proposal_cfg_has(const struct ike_proposal_cfg *p, uint8_t type, uint16_t id, uint16_t key_bits)
{
	const struct ike_alg_list *l = &p->xf[type];

	for (unsigned i = 0; i < l->n; i++)
		if (l->alg[i].id == id && (key_bits == 0 || l->alg[i].key_bits == key_bits))
			return true;
	return false;
}

/* Appends "-word" (no dash first); stops quietly at the end of buf. */
static void
put_word(char *buf, size_t len, size_t *off, const char *word)
{
	int n = snprintf(buf + *off, len - *off, "%s%s", *off != 0 ? "-" : "", word);

	if (n > 0)
		*off = *off + (size_t)n < len ? *off + (size_t)n : len - 1;
}

void
ike_proposal_cfg_format(const struct ike_proposal_cfg *p, char *buf, size_t len)
{
	static const uint8_t order[] = {IKE_TRANSFORM_ENCR, IKE_TRANSFORM_INTEG, IKE_TRANSFORM_PRF,
					IKE_TRANSFORM_KE};
	size_t off = 0;
	char other[48];

	if (len == 0)
		return;
	buf[0] = '\0';
	for (unsigned o = 0; o < sizeof(order); o++) {
		const struct ike_alg_list *l = &p->xf[order[o]];

		for (unsigned i = 0; i < l->n; i++) {
			const struct keyword *k = keyword_of(order[o], &l->alg[i]);

			put_word(buf, len, &off,
				 k != NULL ? k->name
					   : ike_transform_id_name(order[o], l->alg[i].id));
		}
	}
	/* RFC 9370 additional key exchanges, strongSwan 6's "ke1_ecp256" form. */
	for (uint8_t t = IKE_TRANSFORM_ADDKE1; t <= IKE_TRANSFORM_ADDKE7; t++)
		for (unsigned i = 0; i < p->xf[t].n; i++) {
			const struct keyword *k = keyword_of(IKE_TRANSFORM_KE, &p->xf[t].alg[i]);

			if (p->xf[t].alg[i].id == IKE_KE_NONE)
				k = addke_find("ke1_none", 8, &(uint8_t){0});
			snprintf(other, sizeof(other), "ke%u_%s", t - IKE_TRANSFORM_ADDKE1 + 1,
				 k != NULL ? k->name
					   : ike_transform_id_name(IKE_TRANSFORM_KE,
								   p->xf[t].alg[i].id));
			put_word(buf, len, &off, other);
		}
	/* ESN words only when they differ from what an ESP proposal without them takes. */
	for (unsigned i = 0; p->esp && !esn_is_default(&p->xf[IKE_TRANSFORM_ESN]) &&
			     i < p->xf[IKE_TRANSFORM_ESN].n;
	     i++)
		put_word(buf, len, &off,
			 p->xf[IKE_TRANSFORM_ESN].alg[i].id == IKE_ESN_YES ? "esn" : "noesn");
}

void
ike_proposal_cfg_first(const struct ike_proposal_cfg *p, struct ike_transforms *t)
{
	const struct ike_alg_list *e = &p->xf[IKE_TRANSFORM_ENCR];

	memset(t, 0, sizeof(*t));
	t->encr = e->n ? e->alg[0].id : 0;
	t->encr_key_bits = e->n ? e->alg[0].key_bits : 0;
	t->prf = p->xf[IKE_TRANSFORM_PRF].n ? p->xf[IKE_TRANSFORM_PRF].alg[0].id : 0;
	t->integ = p->xf[IKE_TRANSFORM_INTEG].n ? p->xf[IKE_TRANSFORM_INTEG].alg[0].id : 0;
	t->ke = p->xf[IKE_TRANSFORM_KE].n ? p->xf[IKE_TRANSFORM_KE].alg[0].id : IKE_KE_NONE;
}
