/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ticket module unit tests: seal/open with each crypto driver (OpenSSL,
 * and ipsec-mb for the AEAD with OpenSSL random), tickets crossing
 * drivers, the key file, and the one-time-use filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ticket_test.h"

int
main(void)
{
	struct ticket_driver ossl = {.name = "seal-open-openssl"};
	struct ticket_driver imb = {.name = "seal-open-ipsecmb"};
	struct cry_openssl *o = cry_openssl_create();
	struct cry_ipsecmb *m = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	int failed = 0;

	if (o == NULL || m == NULL) {
		fprintf(stderr, "cannot create the crypto drivers (openssl %p, ipsec-mb %p)\n",
			(void *)o, (void *)m);
		return 1;
	}
	cry_openssl_bind(o, &ossl.ops);
	cry_openssl_bind(o, &imb.ops);
	cry_ipsecmb_bind(m, &imb.ops);

	failed += ticket_run_seal_open_tests(&ossl);
	failed += ticket_run_seal_open_tests(&imb);
	failed += ticket_run_cross_driver_tests(&ossl, &imb);
	failed += ticket_run_keyfile_tests();
	failed += ticket_run_replay_tests();

	cry_ipsecmb_destroy(m);
	cry_openssl_destroy(o);
	return failed == 0 ? 0 : 1;
}
