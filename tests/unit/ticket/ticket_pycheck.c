/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helper of test_ticket_python.py, which checks our tickets with an
 * independent AES-GCM (python3-cryptography) and its own codec written
 * from docs/tickets.md. Key id 0a0b0c0d, valid from now - 10 to now + 1 day.
 *   ticket_pycheck seal <key-hex> <now>           -> ticket hex on stdout
 *   ticket_pycheck open <key-hex> <now> <ticket>  -> reason=..., then fields
 * The state sealed is fixed; the script holds the same values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cry_openssl.h"
#include "ike_ticket.h"
#include "ike_ticket_keyring.h"

#define KEY_ID 0x0a0b0c0d

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2, i;
	unsigned v;

	if (strlen(s) % 2 != 0 || n > cap)
		return 0;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return 0;
		out[i] = (uint8_t)v;
	}
	return n;
}

static void
print_hex(const char *name, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s=", name);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static void
ident_set(struct ike_ticket_ident *id, uint8_t type, const char *text)
{
	id->type = type;
	id->len = (uint16_t)strlen(text);
	memcpy(id->data, text, id->len);
}

static void
fixed_state(struct ike_ticket_state *s, uint64_t now)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->expires = now + 3600;
	s->auth_deadline = now + 7200;
	for (i = 0; i < IKE_TICKET_SPI_LEN; i++) {
		s->spi_i[i] = (uint8_t)(0x01 + i);
		s->spi_r[i] = (uint8_t)(0x11 + i);
	}
	s->encr = 20;
	s->encr_key_bits = 256;
	s->prf = 5;
	s->integ = 0;
	s->peer_auth = 2;
	s->flags = IKE_TICKET_F_EAP;
	s->sk_d_len = 32;
	for (i = 0; i < 32; i++)
		s->sk_d[i] = (uint8_t)i;
	ident_set(&s->id_i, 3, "alice@example.com");
	ident_set(&s->id_r, 2, "gw.example.net");
	ident_set(&s->peer_id, 3, "alice-eap");
	s->policy_len = 11;
	memcpy(s->policy, "roadwarrior", 11);
}

static void
print_state(const struct ike_ticket_state *s)
{
	print_hex("ticket_id", s->ticket_id, sizeof(s->ticket_id));
	printf("issued=%llu\nexpires=%llu\nauth_deadline=%llu\n", (unsigned long long)s->issued,
	       (unsigned long long)s->expires, (unsigned long long)s->auth_deadline);
	print_hex("spi_i", s->spi_i, sizeof(s->spi_i));
	print_hex("spi_r", s->spi_r, sizeof(s->spi_r));
	printf("encr=%u\nencr_key_bits=%u\nprf=%u\ninteg=%u\npeer_auth=%u\nflags=%u\n", s->encr,
	       s->encr_key_bits, s->prf, s->integ, s->peer_auth, s->flags);
	print_hex("sk_d", s->sk_d, s->sk_d_len);
	printf("id_i_type=%u\nid_r_type=%u\npeer_id_type=%u\n", s->id_i.type, s->id_r.type,
	       s->peer_id.type);
	print_hex("id_i", s->id_i.data, s->id_i.len);
	print_hex("id_r", s->id_r.data, s->id_r.len);
	print_hex("peer_id", s->peer_id.data, s->peer_id.len);
	print_hex("policy", (const uint8_t *)s->policy, s->policy_len);
}

int
main(int argc, char **argv)
{
	const struct ike_ticket_keyring_params params = {.max_lifetime = 3600};
	static uint8_t ticket[IKE_TICKET_MAX];
	struct ike_ticket_keyring *kr;
	uint8_t secret[IKE_TICKET_SECRET_LEN];
	struct ike_ticket_state s;
	struct cry_openssl *o;
	enum ike_ticket_reason r;
	struct cry_ops ops;
	uint64_t now;
	size_t len = 0;
	int rc = 2;

	if (argc < 4 || unhex(argv[2], secret, sizeof(secret)) != sizeof(secret)) {
		fprintf(stderr, "usage: %s seal|open <key-hex> <now> [ticket-hex]\n", argv[0]);
		return 2;
	}
	now = strtoull(argv[3], NULL, 10);
	o = cry_openssl_create();
	kr = ike_ticket_keyring_create(&params);
	if (o == NULL || kr == NULL ||
	    ike_ticket_keyring_add(kr, KEY_ID, now - 10, now + 86400, secret) != IKE_OK)
		return 2;
	cry_openssl_bind(o, &ops);
	if (strcmp(argv[1], "seal") == 0) {
		fixed_state(&s, now);
		r = ike_ticket_seal(&ops, kr, &s, now, ticket, sizeof(ticket), &len);
		if (r == IKE_TICKET_OK)
			print_hex("ticket", ticket, len);
		rc = r == IKE_TICKET_OK ? 0 : 1;
	} else if (strcmp(argv[1], "open") == 0 && argc == 5) {
		/* Any reason is a valid answer here: the script judges it. */
		len = unhex(argv[4], ticket, sizeof(ticket));
		r = ike_ticket_open(&ops, kr, ticket, len, now, &s);
		printf("reason=%s\n", ike_ticket_reason_name(r));
		if (r == IKE_TICKET_OK)
			print_state(&s);
		rc = 0;
	}
	ike_ticket_keyring_free(kr);
	cry_openssl_destroy(o);
	return rc;
}
