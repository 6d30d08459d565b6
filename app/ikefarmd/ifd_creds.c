/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_creds.c - identity parsing and the credentials file (one user per line). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifd_check.h"
#include "ifd_creds.h"
#include "ike_const.h"
#include "ike_hex.h"
#include "ike_secret.h"
#include "rt_config.h"

#define IFD_PSK_MAX 1024
/*
 * Shorter PSKs are warned about (refused with strict_files): 16 random
 * octets are 128 bits, the strength of the weakest key we negotiate
 * (AES-128); a text PSK of that length holds less, so it is a floor.
 */
#define IFD_PSK_MIN 16
#define IFD_LINE_MAX 4096

int
ifd_id_parse(const char *type, const char *value, uint8_t *id_type, uint8_t *id, uint8_t *id_len,
	     char *why, size_t wlen)
{
	size_t len = strlen(value);

	if (len == 0) {
		snprintf(why, wlen, "empty %s identity", type);
		return -1;
	}
	if (!strcmp(type, "fqdn") || !strcmp(type, "email")) {
		if (len > 255) {
			snprintf(why, wlen, "identity '%.40s...' longer than 255 octets", value);
			return -1;
		}
		*id_type = !strcmp(type, "fqdn") ? IKE_ID_FQDN : IKE_ID_RFC822_ADDR;
		memcpy(id, value, len);
		*id_len = (uint8_t)len;
		return 0;
	}
	if (!strcmp(type, "ipv4") || !strcmp(type, "ipv6")) {
		int af = type[3] == '4' ? AF_INET : AF_INET6;

		if (inet_pton(af, value, id) != 1) {
			snprintf(why, wlen, "'%s' is not an %s address", value, type);
			return -1;
		}
		*id_type = af == AF_INET ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
		*id_len = af == AF_INET ? 4 : 16;
		return 0;
	}
	if (!strcmp(type, "keyid")) {
		size_t n;

		/* value is not empty: checked above */
		if (ike_hex_decode(value, id, 255, &n) != 0) {
			snprintf(why, wlen, "keyid '%s' is not 1..255 octets of hex", value);
			return -1;
		}
		*id_type = IKE_ID_KEY_ID;
		*id_len = (uint8_t)n;
		return 0;
	}
	snprintf(why, wlen, "unknown identity type '%s' (fqdn, email, ipv4, ipv6, keyid)", type);
	return -1;
}

/* Cuts the next whitespace-separated field; a field may be "quoted". */
static char *
next_field(char **s, bool *bad_quote)
{
	char *p = *s, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return NULL;
	if (*p == '"') {
		start = ++p;
		p = strchr(p, '"');
		if (p == NULL || (p[1] != '\0' && p[1] != ' ' && p[1] != '\t')) {
			*bad_quote = true;
			return NULL;
		}
	} else {
		start = p;
		p += strcspn(p, " \t");
	}
	if (*p != '\0')
		*p++ = '\0';
	*s = p;
	return start;
}

/* Decodes a PSK field: 0x<hex> or text. */
static int
psk_decode(const char *f, bool quoted, uint8_t *out, size_t *len)
{
	if (!quoted && (!strncmp(f, "0x", 2) || !strncmp(f, "0X", 2))) {
		if (f[2] == '\0') /* "0x" alone: no key */
			return -1;
		return ike_hex_decode(f + 2, out, IFD_PSK_MAX, len);
	}
	*len = strlen(f);
	if (*len == 0 || *len > IFD_PSK_MAX)
		return -1;
	memcpy(out, f, *len);
	return 0;
}

struct loader {
	struct ifd_creds *cr;
	unsigned *lines; /* line of each peer, for duplicate errors */
	size_t *psk_off; /* offsets into psk_pool until the pool stops moving */
	unsigned cap;
	unsigned wildcard_line; /* line of the '*' entry, 0 when none yet */
	size_t pool_cap;
};

static int
grow(struct loader *ld, size_t psk_len)
{
	struct ifd_creds *cr = ld->cr;

	if (cr->nb_peers == ld->cap) {
		unsigned cap = ld->cap ? 2 * ld->cap : 64;
		void *p = realloc(cr->peers, cap * sizeof(*cr->peers));

		if (p == NULL)
			return -1;
		cr->peers = p;
		if ((p = realloc(ld->lines, cap * sizeof(*ld->lines))) == NULL)
			return -1;
		ld->lines = p;
		if ((p = realloc(ld->psk_off, cap * sizeof(*ld->psk_off))) == NULL)
			return -1;
		ld->psk_off = p;
		ld->cap = cap;
	}
	if (cr->psk_pool_len + psk_len > ld->pool_cap) {
		size_t cap = 2 * (ld->pool_cap + psk_len);
		uint8_t *p = malloc(cap);

		/* Not realloc: the old block must be wiped, not just released. */
		if (p == NULL)
			return -1;
		if (cr->psk_pool != NULL)
			memcpy(p, cr->psk_pool, cr->psk_pool_len);
		ike_wipe(cr->psk_pool, ld->pool_cap);
		free(cr->psk_pool);
		cr->psk_pool = p;
		ld->pool_cap = cap;
	}
	return 0;
}

static int
peer_cmp(const void *a, const void *b, void *arg)
{
	const struct ike_peer_cfg *peers = arg;
	const struct ike_peer_cfg *x = &peers[*(const unsigned *)a];
	const struct ike_peer_cfg *y = &peers[*(const unsigned *)b];

	if (x->id_type != y->id_type)
		return x->id_type - y->id_type;
	if (x->id_len != y->id_len)
		return x->id_len - y->id_len;
	return memcmp(x->id, y->id, x->id_len);
}

/* Finds two lines with the same identity; returns 0 when all are unique. */
static int
check_unique(struct loader *ld, const char *path, char *err, size_t errlen)
{
	struct ifd_creds *cr = ld->cr;
	unsigned *idx, i, a, b;
	int rc = 0;

	if (cr->nb_peers < 2)
		return 0;
	idx = malloc(cr->nb_peers * sizeof(*idx));
	if (idx == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	for (i = 0; i < cr->nb_peers; i++)
		idx[i] = i;
	qsort_r(idx, cr->nb_peers, sizeof(*idx), peer_cmp, cr->peers);
	for (i = 1; i < cr->nb_peers; i++) {
		if (peer_cmp(&idx[i - 1], &idx[i], cr->peers) != 0)
			continue;
		a = ld->lines[idx[i - 1]];
		b = ld->lines[idx[i]];
		rt_config_fail(err, errlen, path, a > b ? a : b, "duplicate identity (first on line %u)",
		     a < b ? a : b);
		rc = -1;
		break;
	}
	free(idx);
	return rc;
}

/* Optional last column: the peer's RFC 4478 lifetime in seconds, or "none". */
static int
lifetime_parse(const char *f, uint32_t *out, char *why, size_t wlen)
{
	unsigned long long v;
	char *end;

	if (!strcmp(f, "none")) {
		*out = IKE_AUTH_LIFETIME_NONE;
		return 0;
	}
	errno = 0;
	v = strtoull(f, &end, 10);
	if (*f < '0' || *f > '9' || *end != '\0' || errno == ERANGE || v == 0 ||
	    v > IFD_AUTH_LIFETIME_MAX) {
		snprintf(why, wlen, "auth lifetime '%s' is not 1..%u seconds or 'none'", f,
			 IFD_AUTH_LIFETIME_MAX);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Option words, after the auth lifetime: resume-auth=libreswan. */
static int
option_parse(const char *f, bool *libreswan, char *why, size_t wlen)
{
	static const char resume_auth[] = "resume-auth=";
	const char *val = f + sizeof(resume_auth) - 1;

	if (strncmp(f, resume_auth, sizeof(resume_auth) - 1) != 0) {
		snprintf(why, wlen, "unknown option '%.*s' (resume-auth=libreswan)",
			 (int)strcspn(f, "="), f);
		return -1;
	}
	if (strcmp(val, "libreswan") != 0) {
		snprintf(why, wlen, "resume-auth '%.40s' is not 'libreswan'", val);
		return -1;
	}
	if (*libreswan) {
		snprintf(why, wlen, "resume-auth given twice");
		return -1;
	}
	*libreswan = true;
	return 0;
}

static int
parse_line(struct loader *ld, char *s, char *why, size_t wlen)
{
	struct ifd_creds *cr = ld->cr;
	uint8_t psk[IFD_PSK_MAX];
	struct ike_peer_cfg *p;
	char *type, *id, *key, *life = NULL, *f;
	bool bad_quote = false, quoted, wildcard, pubkey, options = false, libreswan = false;
	uint32_t lifetime = 0;
	size_t psk_len = 0;
	int rc = -1;

	type = next_field(&s, &bad_quote);
	if (type == NULL && !bad_quote)
		return 1; /* blank or comment */
	wildcard = type != NULL && !strcmp(type, "*");
	id = wildcard ? NULL : next_field(&s, &bad_quote);
	while (*s == ' ' || *s == '\t')
		s++;
	quoted = *s == '"';
	key = wildcard || id != NULL ? next_field(&s, &bad_quote) : NULL;
	/* Then [auth-lifetime] [option...]: an option is a word with '='. */
	while (key != NULL && (f = next_field(&s, &bad_quote)) != NULL) {
		if (strchr(f, '=') != NULL) {
			if (option_parse(f, &libreswan, why, wlen) != 0)
				return -1;
			options = true;
		} else if (options) {
			snprintf(why, wlen, "'%.40s' after an option (the auth lifetime comes first)",
				 f);
			return -1;
		} else if (life != NULL) {
			snprintf(why, wlen,
				 "text after the auth lifetime (quote a psk that has spaces)");
			return -1;
		} else {
			life = f;
		}
	}
	if (bad_quote) {
		snprintf(why, wlen, "unterminated quote");
		return -1;
	}
	if (key == NULL) {
		snprintf(why, wlen, "expected 'id-type id psk|pubkey [auth-lifetime] [option...]' "
				    "or '* pubkey [auth-lifetime] [option...]'");
		return -1;
	}
	pubkey = !quoted && !strcmp(key, "pubkey");
	if (wildcard && !pubkey) {
		snprintf(why, wlen, "'*' takes only pubkey (any identity a trusted certificate names)");
		return -1;
	}
	if (wildcard && ld->wildcard_line != 0) {
		snprintf(why, wlen, "second '*' entry (first on line %u)", ld->wildcard_line);
		return -1;
	}
	if (life != NULL && lifetime_parse(life, &lifetime, why, wlen) != 0)
		return -1;
	if (!pubkey && psk_decode(key, quoted, psk, &psk_len) != 0) {
		snprintf(why, wlen, "psk must be 0x<hex> or text, 1..%d octets", IFD_PSK_MAX);
		goto out;
	}
	if (grow(ld, psk_len) != 0) {
		snprintf(why, wlen, "out of memory");
		goto out;
	}
	p = &cr->peers[cr->nb_peers];
	memset(p, 0, sizeof(*p));
	if (!wildcard && ifd_id_parse(type, id, &p->id_type, p->id, &p->id_len, why, wlen) != 0)
		goto out;
	p->auth = pubkey ? IKE_CRED_PUBKEY : IKE_CRED_PSK;
	p->any_id = wildcard;
	p->psk_len = (uint16_t)psk_len;
	p->auth_lifetime_s = lifetime;
	p->resume_auth_libreswan = libreswan;
	ld->psk_off[cr->nb_peers] = cr->psk_pool_len;
	if (psk_len != 0)
		memcpy(cr->psk_pool + cr->psk_pool_len, psk, psk_len);
	cr->psk_pool_len += psk_len;
	cr->nb_peers++;
	rc = 0;
out:
	ike_wipe(psk, sizeof(psk));
	return rc;
}

/* The next line of text at *off (without its newline), or NULL at the end. */
static const char *
next_line(const char *text, size_t len, size_t *off, size_t *n)
{
	const char *p = text + *off, *eol;

	if (*off >= len)
		return NULL;
	eol = memchr(p, '\n', len - *off);
	*n = eol != NULL ? (size_t)(eol - p) : len - *off;
	*off += *n + 1;
	return p;
}

int
ifd_creds_parse(struct ifd_creds *cr, const char *text, size_t len, const char *name,
		struct ifd_warnings *w, char *err, size_t errlen)
{
	struct loader ld = {.cr = cr};
	char line[IFD_LINE_MAX + 1], why[256];
	unsigned lineno = 0, i;
	const char *p;
	size_t off = 0, n;
	int rc = -1, r;

	memset(cr, 0, sizeof(*cr));
	while ((p = next_line(text, len, &off, &n)) != NULL) {
		lineno++;
		if (n > IFD_LINE_MAX) {
			rt_config_fail(err, errlen, name, lineno, "line longer than %d characters",
				       IFD_LINE_MAX);
			goto out;
		}
		/* C strings would end there: a PSK would silently lose its tail. */
		if (memchr(p, '\0', n) != NULL) {
			rt_config_fail(err, errlen, name, lineno, "NUL byte in the line");
			goto out;
		}
		memcpy(line, p, n);
		while (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		r = parse_line(&ld, line, why, sizeof(why));
		if (r < 0) {
			rt_config_fail(err, errlen, name, lineno, "%s", why);
			goto out;
		}
		if (r > 0)
			continue;
		ld.lines[cr->nb_peers - 1] = lineno;
		if (cr->peers[cr->nb_peers - 1].any_id)
			ld.wildcard_line = lineno;
		if (cr->peers[cr->nb_peers - 1].auth == IKE_CRED_PSK &&
		    cr->peers[cr->nb_peers - 1].psk_len < IFD_PSK_MIN &&
		    ifd_warn(w, err, errlen, name, lineno,
			     "psk of %u octets: use at least %d random octets (RFC 7296 2.15: as "
			     "unpredictable as the strongest key negotiated)",
			     cr->peers[cr->nb_peers - 1].psk_len, IFD_PSK_MIN) != 0)
			goto out;
	}
	if (check_unique(&ld, name, err, errlen) != 0)
		goto out;
	/* The pool no longer moves: point every peer at its PSK. */
	for (i = 0; i < cr->nb_peers; i++)
		if (cr->peers[i].auth == IKE_CRED_PSK)
			cr->peers[i].psk = cr->psk_pool + ld.psk_off[i];
	rc = 0;
out:
	ike_wipe(line, sizeof(line));
	free(ld.lines);
	free(ld.psk_off);
	if (rc != 0)
		ifd_creds_free(cr);
	return rc;
}

int
ifd_creds_load(struct ifd_creds *cr, const char *path, struct ifd_warnings *w, char *err,
	       size_t errlen)
{
	enum { MAX_FILE = 1 << 22 };
	char *text;
	size_t len;
	int rc = -1;
	FILE *f;

	memset(cr, 0, sizeof(*cr));
	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(MAX_FILE + 1);
	if (text == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return -1;
	}
	len = fread(text, 1, MAX_FILE + 1, f);
	if (ferror(f) || len > MAX_FILE)
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error" : "larger than 4 MiB");
	else
		rc = ifd_creds_parse(cr, text, len, path, w, err, errlen);
	ike_wipe(text, len);
	free(text);
	fclose(f);
	return rc;
}

void
ifd_creds_free(struct ifd_creds *cr)
{
	if (cr->psk_pool != NULL)
		ike_wipe(cr->psk_pool, cr->psk_pool_len);
	free(cr->psk_pool);
	free(cr->peers);
	memset(cr, 0, sizeof(*cr));
}
