/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ticket.c - tickets opened per second: one aead_burst for 32
 * tickets (ike_ticket_open_prepare/finish) against 32 one-shot
 * ike_ticket_open() calls, with the ipsec-mb and the OpenSSL driver.
 * Every ratio is against OpenSSL one at a time, measured in this run.
 * The tickets carry a typical remote-access state (FQDN/e-mail IDs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_ticket.h"
#include "ike_ticket_keyring.h"

#define TICKETS 32
#define SAMPLES 5
#define SAMPLE_NS 50000000u /* 50 ms */
#define NOW 1735689600u	    /* 2025-01-01T00:00:00Z */

struct ticket_bench {
	const struct cry_ops *ops;
	const struct ike_ticket_keyring *kr;
	uint8_t t[TICKETS][IKE_TICKET_MAX];
	size_t len[TICKETS];
	struct ike_ticket_open_ctx ctx[TICKETS];
	struct cry_aead_job jobs[TICKETS];
	struct ike_ticket_state st[TICKETS];
	unsigned failures;
};

static void
ident_set(struct ike_ticket_ident *id, uint8_t type, const char *text)
{
	id->type = type;
	id->len = (uint16_t)strlen(text);
	memcpy(id->data, text, id->len);
}

static int
seal_tickets(struct ticket_bench *b)
{
	struct ike_ticket_state s;
	unsigned i;

	for (i = 0; i < TICKETS; i++) {
		memset(&s, 0, sizeof(s));
		s.expires = NOW + 3600;
		s.auth_deadline = NOW + 86400;
		memset(s.spi_i, (int)i, sizeof(s.spi_i));
		memset(s.spi_r, 0x80 + (int)i, sizeof(s.spi_r));
		s.encr = 20;
		s.encr_key_bits = 256;
		s.prf = 5;
		s.peer_auth = 2;
		s.flags = IKE_TICKET_F_EAP;
		s.sk_d_len = 32;
		memset(s.sk_d, (int)i, s.sk_d_len);
		ident_set(&s.id_i, 3, "road.warrior.1234@example.com");
		ident_set(&s.id_r, 2, "vpn-gw.example.net");
		ident_set(&s.peer_id, 3, "eap-user-1234");
		s.policy_len = 11;
		memcpy(s.policy, "roadwarrior", 11);
		if (ike_ticket_seal(b->ops, b->kr, &s, NOW, b->t[i], IKE_TICKET_MAX, &b->len[i]) !=
		    IKE_TICKET_OK)
			return -1;
	}
	return 0;
}

static unsigned
open_one_at_a_time(void *arg)
{
	struct ticket_bench *b = arg;
	unsigned i;

	for (i = 0; i < TICKETS; i++)
		b->failures += ike_ticket_open(b->ops, b->kr, b->t[i], b->len[i], NOW + 1,
					       &b->st[i]) != IKE_TICKET_OK;
	return TICKETS;
}

static unsigned
open_burst(void *arg)
{
	struct ticket_bench *b = arg;
	unsigned i, n = 0;

	for (i = 0; i < TICKETS; i++)
		if (ike_ticket_open_prepare(b->kr, b->t[i], b->len[i], NOW + 1, &b->ctx[n],
					    &b->jobs[n]) == IKE_TICKET_OK)
			n++;
	b->ops->sym->aead_burst(b->ops->sym_ctx, b->jobs, n);
	for (i = 0; i < n; i++)
		b->failures +=
			ike_ticket_open_finish(&b->ctx[i], &b->jobs[i], &b->st[i]) != IKE_TICKET_OK;
	b->failures += TICKETS - n;
	return TICKETS;
}

static double
measure(void *arg, const struct cry_ops *ops, bool burst)
{
	struct ticket_bench *b = arg;
	double ns;

	b->ops = ops;
	b->failures = 0;
	ns = bench_median_ns(burst ? open_burst : open_one_at_a_time, b, SAMPLES, SAMPLE_NS);
	if (b->failures != 0) {
		fprintf(stderr, "bench_ticket: %u tickets failed to open\n", b->failures);
		exit(1);
	}
	return ns;
}

int
main(void)
{
	static struct ticket_bench b;
	const struct ike_ticket_keyring_params params = {.max_lifetime = 3600, .clock_skew = 60};
	uint8_t secret[IKE_TICKET_SECRET_LEN];
	struct ike_ticket_keyring *kr = ike_ticket_keyring_create(&params);
	struct cry_openssl *o = cry_openssl_create();
	struct cry_ipsecmb *m = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	struct cry_ops ossl, imb;

	memset(secret, 0x42, sizeof(secret));
	if (kr == NULL || o == NULL || m == NULL ||
	    ike_ticket_keyring_add(kr, 1, NOW - 60, NOW + 86400, secret) != IKE_OK) {
		fprintf(stderr, "bench_ticket: setup failed\n");
		return 1;
	}
	cry_openssl_bind(o, &ossl);
	cry_openssl_bind(o, &imb);
	cry_ipsecmb_bind(m, &imb);
	b.kr = kr;
	b.ops = &ossl;
	if (seal_tickets(&b) != 0) {
		fprintf(stderr, "bench_ticket: seal failed\n");
		return 1;
	}
	printf("ticket open, %u tickets of %zu octets per round, ipsec-mb manager %s\n", TICKETS,
	       b.len[0], cry_ipsecmb_arch_name(m));
	bench_burst_rows(measure, &b, &ossl, &imb, "aead_burst(32)", "tickets");

	cry_ipsecmb_destroy(m);
	cry_openssl_destroy(o);
	ike_ticket_keyring_free(kr);
	return 0;
}
