/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_ticket_keyfile.c - the ticket key file: one key per line,
 *   <id: 8 hex> <not-before> <not-after> <secret: 64 hex>   # comment
 * times as unix seconds or RFC 3339 date-times (RFC 3339 5.6; leap
 * seconds are refused). Every error is "FILE:LINE: reason"; a secret
 * never appears in a message. Refused beyond syntax: a NUL byte (text
 * tools would show a different line than we parse), an all-zero secret
 * (a placeholder, not a key), and, when the caller asks, a file with no key
 * that seals now (resumption would be off without a word).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike_hex.h"
#include "ike_secret.h"
#include "ike_ticket_keyring.h"

#define KEYFILE_MAX_BYTES (1u << 20)
#define FIELDS 4
/* 9999-12-31T23:59:59Z: the last instant RFC 3339 can write. */
#define TIME_MAX 253402300799ULL

struct token {
	const char *p;
	size_t len;
};

struct keyfile_ctx {
	const char *file;
	unsigned line;
	char *err;
	size_t err_len;
};

static void __attribute__((format(printf, 2, 3)))
keyfile_error(const struct keyfile_ctx *c, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	if (c->err == NULL || c->err_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->err_len, "%s:%u: %s", c->file, c->line, reason);
}

/* Exactly 2 * n hex digits into n octets. */
static bool
hex_decode(const struct token *t, uint8_t *out, size_t n)
{
	size_t len;

	return t->len == 2 * n && ike_hex_decode_n(t->p, t->len, out, n, &len) == 0;
}

/* n decimal digits at p; false when one is not a digit. */
static bool
digits(const char *p, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(p[i] - '0');
	}
	return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (y >= 1970 here). */
static uint64_t
days_from_civil(unsigned y, unsigned m, unsigned d)
{
	uint64_t yy = m <= 2 ? y - 1 : y;
	uint64_t era = yy / 400;
	uint64_t yoe = yy - era * 400;
	uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static unsigned
days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

static bool
parse_unix(const struct token *t, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (t->len == 0 || t->len > 12)
		return false;
	for (i = 0; i < t->len; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(t->p[i] - '0');
	}
	*out = v;
	return v <= TIME_MAX;
}

/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm). */
static bool
parse_rfc3339(const struct token *t, uint64_t *out)
{
	const char *p = t->p;
	size_t n = t->len, i = 19;
	unsigned y, mo, d, h, mi, s, oh, om;
	int64_t off = 0;
	uint64_t v;

	if (n < 20 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't') ||
	    p[13] != ':' || p[16] != ':')
		return false;
	if (!digits(p, 4, &y) || !digits(p + 5, 2, &mo) || !digits(p + 8, 2, &d) ||
	    !digits(p + 11, 2, &h) || !digits(p + 14, 2, &mi) || !digits(p + 17, 2, &s))
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || s > 59)
		return false;
	if (p[i] == '.') {
		/* Fractions of a second are dropped: keys work in whole seconds. */
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (p[i - 1] == '.')
			return false;
	}
	if (i + 1 == n && (p[i] == 'Z' || p[i] == 'z')) {
		off = 0;
	} else if (i + 6 == n && (p[i] == '+' || p[i] == '-') && p[i + 3] == ':' &&
		   digits(p + i + 1, 2, &oh) && digits(p + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		off = (int64_t)(oh * 3600 + om * 60);
		if (p[i] == '-')
			off = -off;
	} else {
		return false;
	}
	v = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	/* Local time = UTC + offset. */
	if (off > 0 && v < (uint64_t)off)
		return false;
	*out = (uint64_t)((int64_t)v - off);
	return *out <= TIME_MAX;
}

static bool
parse_time(const struct token *t, uint64_t *out)
{
	return parse_unix(t, out) || parse_rfc3339(t, out);
}

/* Splits one line (comment already cut) into at most FIELDS + 1 tokens. */
static unsigned
tokenize(const char *p, size_t n, struct token *tok)
{
	unsigned nb = 0;
	size_t i = 0, start;

	while (i < n && nb <= FIELDS) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			i++;
		tok[nb].p = p + start;
		tok[nb].len = i - start;
		nb++;
	}
	return nb;
}

/*
 * Reports a field that does not parse. A long one is not echoed: it may be
 * a secret written in the wrong column. The longest valid field other than
 * the secret is an RFC 3339 time with nanoseconds and an offset (35).
 */
#define ECHO_MAX 40

static bool
bad_field(const struct keyfile_ctx *c, const char *what, const struct token *t, const char *want)
{
	if (t->len > ECHO_MAX)
		keyfile_error(c, "%s (%zu characters, not shown) %s", what, t->len, want);
	else
		keyfile_error(c, "%s '%.*s' %s", what, (int)t->len, t->p, want);
	return false;
}

static bool
bad_time(const struct keyfile_ctx *c, const char *what, const struct token *t)
{
	return bad_field(c, what, t, "is not RFC 3339 (2025-01-31T12:00:00Z) or unix seconds");
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Where each key came from, for the "no key seals now" error. */
struct key_line {
	uint64_t not_before, not_after;
	unsigned line;
};

static bool
parse_line(struct ike_ticket_keyring *kr, const struct keyfile_ctx *c, const struct token *tok,
	   struct key_line *kl)
{
	uint8_t id_bytes[4], secret[IKE_TICKET_SECRET_LEN];
	uint64_t nb, na;
	uint32_t id;
	enum ike_status st;

	if (!hex_decode(&tok[0], id_bytes, sizeof(id_bytes)))
		return bad_field(c, "key id", &tok[0], "is not 8 hex digits");
	id = (uint32_t)id_bytes[0] << 24 | (uint32_t)id_bytes[1] << 16 |
	     (uint32_t)id_bytes[2] << 8 | id_bytes[3];
	if (!parse_time(&tok[1], &nb))
		return bad_time(c, "not-before", &tok[1]);
	if (!parse_time(&tok[2], &na))
		return bad_time(c, "not-after", &tok[2]);
	if (na <= nb) {
		keyfile_error(c, "not-after must be later than not-before");
		return false;
	}
	if (!hex_decode(&tok[3], secret, sizeof(secret))) {
		ike_wipe(secret, sizeof(secret));
		keyfile_error(c, "secret is not 64 hex digits (32 octets)");
		return false;
	}
	if (all_zero(secret, sizeof(secret))) {
		keyfile_error(c, "secret of key %08x is all zero: generate one (docs/tickets.md)",
			      (unsigned)id);
		return false;
	}
	st = ike_ticket_keyring_add(kr, id, nb, na, secret);
	ike_wipe(secret, sizeof(secret));
	if (st == IKE_E_NOSPACE)
		keyfile_error(c, "more than %u keys", IKE_TICKET_KEYRING_MAX);
	else if (st != IKE_OK)
		keyfile_error(c, "duplicate key id %08x", (unsigned)id);
	else
		*kl = (struct key_line){.not_before = nb, .not_after = na, .line = c->line};
	return st == IKE_OK;
}

/* t (unix seconds) as an RFC 3339 UTC date-time in buf (32 octets). */
static const char *
rfc3339(uint64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "%" PRIu64, t);
	return buf;
}

/*
 * With p->must_seal_at: refuses a ring where no key seals then, naming
 * the line of the key nearest to that time (the last to expire before it,
 * or the first to start after it).
 */
static bool
check_seal_now(const struct ike_ticket_keyring *kr, struct keyfile_ctx *c,
	       const struct key_line *kl, unsigned n, uint64_t now)
{
	const struct key_line *best = &kl[0];
	char when[32];

	if (now == 0 || ike_ticket_keyring_seal_key(kr, now) != NULL)
		return true;
	for (unsigned i = 1; i < n; i++) {
		uint64_t d = kl[i].not_before > now ? kl[i].not_before - now : now - kl[i].not_after;
		uint64_t db = best->not_before > now ? best->not_before - now
						     : now - best->not_after;

		if (d < db)
			best = &kl[i];
	}
	c->line = best->line;
	/* Absolute times only: the message must not change from one second to the next. */
	if (best->not_before > now)
		keyfile_error(c, "no key seals tickets now: the nearest is valid only from %s",
			      rfc3339(best->not_before, when));
	else
		keyfile_error(c, "no key seals tickets now: the nearest expired at %s",
			      rfc3339(best->not_after, when));
	return false;
}

struct ike_ticket_keyring *
ike_ticket_keyring_parse(const char *text, size_t len, const char *file,
			 const struct ike_ticket_keyring_params *p, char *err, size_t err_len)
{
	struct keyfile_ctx c = {.file = file, .line = 0, .err = err, .err_len = err_len};
	struct key_line kl[IKE_TICKET_KEYRING_MAX];
	struct token tok[FIELDS + 1];
	struct ike_ticket_keyring *kr;
	unsigned nb_keys = 0;
	size_t off = 0, n;
	const char *eol, *hash;
	unsigned nb;

	kr = ike_ticket_keyring_create(p);
	if (kr == NULL) {
		keyfile_error(&c, "bad keyring parameters or out of memory");
		return NULL;
	}
	while (off < len) {
		c.line++;
		eol = memchr(text + off, '\n', len - off);
		n = eol != NULL ? (size_t)(eol - (text + off)) : len - off;
		if (memchr(text + off, '\0', n) != NULL) {
			keyfile_error(&c, "NUL byte in the line");
			goto fail;
		}
		hash = memchr(text + off, '#', n);
		nb = tokenize(text + off, hash != NULL ? (size_t)(hash - (text + off)) : n, tok);
		off += n + 1;
		if (nb == 0)
			continue;
		if (nb != FIELDS) {
			keyfile_error(
				&c, "want 4 fields: <id> <not-before> <not-after> <secret>, got %s",
				nb > FIELDS ? "more" : "fewer");
			goto fail;
		}
		if (!parse_line(kr, &c, tok, &kl[nb_keys]))
			goto fail;
		nb_keys++;
	}
	if (ike_ticket_keyring_count(kr) == 0) {
		c.line = c.line == 0 ? 1 : c.line;
		keyfile_error(&c, "no keys");
		goto fail;
	}
	if (!check_seal_now(kr, &c, kl, nb_keys, p->must_seal_at))
		goto fail;
	return kr;
fail:
	ike_ticket_keyring_free(kr);
	return NULL;
}

struct ike_ticket_keyring *
ike_ticket_keyring_load(const char *path, const struct ike_ticket_keyring_params *p, char *err,
			size_t err_len)
{
	struct ike_ticket_keyring *kr = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, err_len, "%s:0: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(KEYFILE_MAX_BYTES);
	if (buf == NULL) {
		snprintf(err, err_len, "%s:0: out of memory", path);
		goto out;
	}
	len = fread(buf, 1, KEYFILE_MAX_BYTES, f);
	if (ferror(f) || !feof(f)) {
		snprintf(err, err_len, "%s:0: %s", path,
			 ferror(f) ? "read error" : "larger than 1 MiB");
		goto out;
	}
	kr = ike_ticket_keyring_parse(buf, len, path, p, err, err_len);
out:
	if (buf != NULL) {
		ike_wipe(buf, len);
		free(buf);
	}
	fclose(f);
	return kr;
}
