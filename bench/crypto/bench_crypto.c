/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_crypto.c - ipsec-mb bursts (n = 8 and 32) against OpenSSL one job
 * at a time, both through struct cry_ops, on the work a resumption costs:
 * AES-256-GCM seal/open of ticket-sized messages and HMAC-SHA256 PRFs with
 * a fresh key each. Both sides compute key schedules per job, as the
 * drivers always do. Ratios are against OpenSSL measured in this run.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_log.h"

#define JOBS 32 /* messages per round, for every variant */
#define SAMPLES 5
#define SAMPLE_NS 20000000u /* 20 ms */
#define AAD_LEN 16
#define MSG_MAX 400
#define PRF_KEY_LEN 32

struct gcm_bench {
	const struct cry_ops *ops;
	unsigned burst; /* 1: one cry_aead() call per job */
	enum cry_dir dir;
	size_t len;
	struct cry_sk_keys keys;
	uint8_t aad[AAD_LEN];
	uint8_t iv[JOBS][8];
	uint8_t data[JOBS][MSG_MAX];
	uint8_t sealed[JOBS][MSG_MAX]; /* OPEN restores these before each round */
	uint8_t icv[JOBS][16];
	struct cry_aead_job jobs[JOBS];
};

struct prf_bench {
	const struct cry_ops *ops;
	unsigned burst;
	size_t len;
	uint8_t key[JOBS][PRF_KEY_LEN];
	uint8_t data[JOBS][256];
	uint8_t out[JOBS][32];
	struct cry_prf_job jobs[JOBS];
};

static struct gcm_bench gb;
static struct prf_bench pb;

static void
log_to_stderr(enum ike_log_level level, const char *msg)
{
	(void)level;
	fprintf(stderr, "%s\n", msg);
}

static void
fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 131);
}

static unsigned
gcm_round(void *arg)
{
	struct gcm_bench *b = arg;
	unsigned i, ok = 0;

	for (i = 0; i < JOBS; i++) {
		b->jobs[i].dir = b->dir;
		if (b->dir == CRY_OPEN)
			memcpy(b->data[i], b->sealed[i], b->len);
	}
	if (b->burst == 1)
		for (i = 0; i < JOBS; i++)
			ok += cry_aead(b->ops, &b->jobs[i]) == IKE_OK;
	else
		for (i = 0; i < JOBS; i += b->burst)
			ok += b->ops->sym->aead_burst(b->ops->sym_ctx, &b->jobs[i], b->burst);
	return ok;
}

static void
gcm_setup(const struct cry_ops *ops, size_t len)
{
	unsigned i;

	memset(&gb, 0, sizeof(gb));
	gb.len = len;
	gb.keys.cipher = CRY_CIPHER_AES_GCM_16;
	gb.keys.enc_key_len = 32;
	fill(gb.keys.enc_key, 32, 1);
	fill(gb.keys.salt, 4, 2);
	fill(gb.aad, AAD_LEN, 3);
	for (i = 0; i < JOBS; i++) {
		fill(gb.iv[i], 8, (uint8_t)(i + 4));
		fill(gb.data[i], len, (uint8_t)(i + 5));
		gb.jobs[i] = (struct cry_aead_job){ .dir = CRY_SEAL, .keys = &gb.keys,
						    .aad = gb.aad, .aad_len = AAD_LEN,
						    .iv = gb.iv[i], .data = gb.data[i], .len = len,
						    .icv = gb.icv[i] };
	}
	gb.ops = ops;
	gb.burst = 1;
	gb.dir = CRY_SEAL;
	gcm_round(&gb);
	memcpy(gb.sealed, gb.data, sizeof(gb.data));
}

/* Returns ns/op, or a negative value if any job failed (a broken bench). */
static double
gcm_measure(const struct cry_ops *ops, unsigned burst, enum cry_dir dir)
{
	gb.ops = ops;
	gb.burst = burst;
	gb.dir = dir;
	if (gcm_round(&gb) != JOBS)
		return -1;
	return bench_median_ns(gcm_round, &gb, SAMPLES, SAMPLE_NS);
}

static unsigned
prf_round(void *arg)
{
	struct prf_bench *b = arg;
	unsigned i, ok = 0;

	if (b->burst == 1)
		for (i = 0; i < JOBS; i++)
			ok += cry_prf(b->ops, CRY_PRF_HMAC_SHA256, b->key[i], PRF_KEY_LEN,
				      b->data[i], b->len, b->out[i]) == IKE_OK;
	else
		for (i = 0; i < JOBS; i += b->burst)
			ok += b->ops->sym->prf_burst(b->ops->sym_ctx, &b->jobs[i], b->burst);
	return ok;
}

static double
prf_measure(const struct cry_ops *ops, unsigned burst, size_t len)
{
	unsigned i;

	pb.ops = ops;
	pb.burst = burst;
	pb.len = len;
	for (i = 0; i < JOBS; i++) {
		fill(pb.key[i], PRF_KEY_LEN, (uint8_t)(i + 7));
		fill(pb.data[i], len, (uint8_t)(i + 8));
		pb.jobs[i] = (struct cry_prf_job){ .alg = CRY_PRF_HMAC_SHA256, .key = pb.key[i],
						   .key_len = PRF_KEY_LEN, .data = pb.data[i],
						   .data_len = len, .out = pb.out[i] };
	}
	if (prf_round(&pb) != JOBS)
		return -1;
	return bench_median_ns(prf_round, &pb, SAMPLES, SAMPLE_NS);
}

static int
report_pair(const char *what, double imb8, double imb32, double base)
{
	char name[96];

	if (imb8 < 0 || imb32 < 0 || base < 0) {
		fprintf(stderr, "%s: a job failed\n", what);
		return 1;
	}
	snprintf(name, sizeof(name), "%s ipsec-mb burst 8 vs openssl", what);
	bench_report(name, imb8, base);
	snprintf(name, sizeof(name), "%s ipsec-mb burst 32 vs openssl", what);
	bench_report(name, imb32, base);
	return 0;
}

int
main(void)
{
	static const size_t gcm_lens[] = { 200, 300, 400 };
	static const size_t prf_lens[] = { 64, 128, 256 };
	struct cry_ops imb = { 0 }, ossl = { 0 };
	struct cry_ipsecmb *m;
	struct cry_openssl *o;
	char what[64];
	int bad = 0;
	size_t i;
	int d;

	ike_log_set_hook(log_to_stderr, IKE_LOG_INFO);
	m = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	o = cry_openssl_create();
	if (m == NULL || o == NULL)
		return 1;
	cry_ipsecmb_bind(m, &imb);
	cry_openssl_bind(o, &ossl);
	printf("ipsec-mb manager: %s; baseline: openssl, one job per call\n",
	       cry_ipsecmb_arch_name(m));
	for (i = 0; i < sizeof(gcm_lens) / sizeof(gcm_lens[0]); i++) {
		for (d = CRY_SEAL; d <= CRY_OPEN; d++) {
			double base, imb8, imb32;

			gcm_setup(&ossl, gcm_lens[i]);
			base = gcm_measure(&ossl, 1, (enum cry_dir)d);
			imb8 = gcm_measure(&imb, 8, (enum cry_dir)d);
			imb32 = gcm_measure(&imb, 32, (enum cry_dir)d);
			snprintf(what, sizeof(what), "aes256-gcm %s %zu B",
				 d == CRY_SEAL ? "seal" : "open", gcm_lens[i]);
			bad |= report_pair(what, imb8, imb32, base);
		}
	}
	for (i = 0; i < sizeof(prf_lens) / sizeof(prf_lens[0]); i++) {
		double base = prf_measure(&ossl, 1, prf_lens[i]);
		double imb8 = prf_measure(&imb, 8, prf_lens[i]);
		double imb32 = prf_measure(&imb, 32, prf_lens[i]);

		snprintf(what, sizeof(what), "hmac-sha256 new key %zu B", prf_lens[i]);
		bad |= report_pair(what, imb8, imb32, base);
	}
	cry_ipsecmb_destroy(m);
	cry_openssl_destroy(o);
	return bad;
}
