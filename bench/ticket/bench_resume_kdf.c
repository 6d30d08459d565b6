/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_resume_kdf.c - RFC 5723 5.1 keys of 32 resumed IKE SAs:
 * ike_keys_derive_resume_burst() (one prf_burst per prf+ round) against 32
 * one-shot ike_keys_derive_resume() calls, with the ipsec-mb and the
 * OpenSSL driver. Suite AES-GCM-256 / PRF HMAC-SHA-256 with 32-octet
 * nonces, the common strongSwan proposal. Ratios are against OpenSSL one at
 * a time, measured in this run.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_keys.h"

#define SAS 32
#define SAMPLES 5
#define SAMPLE_NS 50000000u /* 50 ms */

struct kdf_bench {
	const struct cry_ops *ops;
	struct ike_suite suite;
	uint8_t sk_d[SAS][32];
	uint8_t ni[SAS][32];
	uint8_t nr[SAS][32];
	struct ike_keys_input in[SAS];
	struct ike_sa_keys keys[SAS];
	struct ike_resume_derive items[SAS];
	unsigned failures;
};

static unsigned
one_at_a_time(void *arg)
{
	struct kdf_bench *b = arg;

	for (unsigned i = 0; i < SAS; i++)
		b->failures += ike_keys_derive_resume(b->ops, &b->suite, b->sk_d[i], 32, &b->in[i],
						      &b->keys[i]) != IKE_OK;
	return SAS;
}

static unsigned
burst(void *arg)
{
	struct kdf_bench *b = arg;

	b->failures += SAS - ike_keys_derive_resume_burst(b->ops, b->items, SAS);
	return SAS;
}

static double
measure(void *arg, const struct cry_ops *ops, bool in_burst)
{
	struct kdf_bench *b = arg;
	double ns;

	b->ops = ops;
	b->failures = 0;
	ns = bench_median_ns(in_burst ? burst : one_at_a_time, b, SAMPLES, SAMPLE_NS);
	if (b->failures != 0) {
		fprintf(stderr, "bench_resume_kdf: %u derivations failed\n", b->failures);
		exit(1);
	}
	return ns;
}

int
main(void)
{
	static struct kdf_bench b;
	const struct ike_transforms t = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					 IKE_INTEG_NONE, IKE_KE_ECP256};
	struct cry_openssl *o = cry_openssl_create();
	struct cry_ipsecmb *m = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	struct cry_ops ossl, imb;

	if (o == NULL || m == NULL || ike_suite_ike(&t, &b.suite) != IKE_OK) {
		fprintf(stderr, "bench_resume_kdf: setup failed\n");
		return 1;
	}
	cry_openssl_bind(o, &ossl);
	cry_openssl_bind(o, &imb);
	cry_ipsecmb_bind(m, &imb);
	for (unsigned i = 0; i < SAS; i++) {
		memset(b.sk_d[i], 0x40 + (int)i, 32);
		memset(b.ni[i], (int)i, 32);
		memset(b.nr[i], 0x80 + (int)i, 32);
		b.in[i] = (struct ike_keys_input){b.ni[i], 32, b.nr[i], 32, {0}, {0}};
		memset(b.in[i].spi_i, (int)i, IKE_SPI_LEN);
		memset(b.in[i].spi_r, 0xc0 + (int)i, IKE_SPI_LEN);
		b.items[i] = (struct ike_resume_derive){
			.suite = &b.suite,
			.sk_d_old = b.sk_d[i],
			.sk_d_len = 32,
			.in = &b.in[i],
			.keys = &b.keys[i],
		};
	}
	printf("resumption keys (RFC 5723 5.1), %u SAs per round, ipsec-mb manager %s\n", SAS,
	       cry_ipsecmb_arch_name(m));
	bench_burst_rows(measure, &b, &ossl, &imb, "derive_resume_burst(32)", "resumed SAs");

	cry_ipsecmb_destroy(m);
	cry_openssl_destroy(o);
	return 0;
}
