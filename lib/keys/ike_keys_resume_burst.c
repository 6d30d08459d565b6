/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_keys_resume_burst.c - RFC 5723 5.1 keys for many resumed IKE SAs at
 * once, in lockstep: every SKEYSEED = prf(SK_d_old, "Resumption" | Ni | Nr)
 * in one prf_burst, then round n of every prf+ (RFC 7296 2.13, 2.14) in one
 * prf_burst, so a driver that batches HMACs (ipsec-mb) hashes them in
 * parallel lanes. Each job carries its own PRF: items may mix suites.
 * Scratch lives on the stack, IKE_KEYS_RESUME_BURST_MAX items at a time.
 */
#include <string.h>

#include "ike_buf.h"
#include "ike_keys_priv.h"
#include "ike_secret.h"

#define SEED_MAX (2 * IKE_NONCE_MAX + 2 * IKE_SPI_LEN)
/* The seven secrets, rounded up to whole prf+ rounds. */
#define KEYMAT_MAX                                                                                 \
	(3 * CRY_MAX_PRF_LEN + 2 * CRY_MAX_INTEG_KEY + 2 * IKE_MAX_SK_E + CRY_MAX_PRF_LEN)

struct resume_scratch {
	/* "Resumption" | Ni | Nr for SKEYSEED, then T(n-1) | Ni | Nr | SPIi | SPIr | n. */
	uint8_t in[CRY_MAX_PRF_LEN + SEED_MAX + 1];
	uint8_t skeyseed[CRY_MAX_PRF_LEN];
	uint8_t km[KEYMAT_MAX];
	size_t seed_len;
	size_t km_len;
	unsigned rounds;
};

static size_t
keymat_len(const struct ike_suite *su)
{
	const struct ike_cipher_suite *c = &su->sk;

	return 3 * (size_t)su->prf_len + 2 * (size_t)c->integ_key_len +
	       2 * ((size_t)c->enc_key_len + c->salt_len);
}

static bool
item_ok(const struct ike_resume_derive *it)
{
	const struct ike_suite *su = it->suite;

	return su != NULL && it->sk_d_old != NULL && it->in != NULL && it->keys != NULL &&
	       ike_keys_nonces_ok(it->in) && su->prf_len != 0 &&
	       su->prf_len == cry_prf_len(su->prf) &&
	       keymat_len(su) + su->prf_len <= (size_t)KEYMAT_MAX;
}

/* SKEYSEED for every item: one burst. Returns how many jobs were set up. */
static unsigned
skeyseed_jobs(struct ike_resume_derive *items, unsigned n, struct resume_scratch *sc,
	      struct cry_prf_job *jobs, uint8_t *job_item)
{
	unsigned nj = 0;

	for (unsigned i = 0; i < n; i++) {
		struct ike_resume_derive *it = &items[i];
		struct ike_wr w;

		if (!item_ok(it)) {
			it->status = IKE_E_PARAM;
			continue;
		}
		/* SKEYSEED = prf(SK_d_old, "Resumption" | Ni | Nr) */
		ike_wr_init(&w, sc[i].in, sizeof(sc[i].in));
		ike_wr_bytes(&w, ike_resumption_label, sizeof(ike_resumption_label));
		ike_wr_bytes(&w, it->in->ni, it->in->ni_len);
		ike_wr_bytes(&w, it->in->nr, it->in->nr_len);
		jobs[nj] = (struct cry_prf_job){
			.alg = it->suite->prf,
			.key = it->sk_d_old,
			.key_len = it->sk_d_len,
			.data = sc[i].in,
			.data_len = w.off,
			.out = sc[i].skeyseed,
		};
		job_item[nj++] = (uint8_t)i;
		it->status = IKE_OK;
	}
	return nj;
}

/* Ni | Nr | SPIi | SPIr after the room for T(n-1) (RFC 7296 2.14). */
static void
seed_prepare(const struct ike_resume_derive *it, struct resume_scratch *sc)
{
	const struct ike_keys_input *in = it->in;
	size_t prf_len = it->suite->prf_len;
	struct ike_wr w;

	ike_wr_init(&w, sc->in + prf_len, sizeof(sc->in) - prf_len);
	ike_wr_bytes(&w, in->ni, in->ni_len);
	ike_wr_bytes(&w, in->nr, in->nr_len);
	ike_wr_bytes(&w, in->spi_i, IKE_SPI_LEN);
	ike_wr_bytes(&w, in->spi_r, IKE_SPI_LEN);
	sc->seed_len = w.off;
	sc->km_len = keymat_len(it->suite);
	sc->rounds = (unsigned)((sc->km_len + prf_len - 1) / prf_len);
}

/* Round r (from 1) of prf+ for every item that still needs it. */
static unsigned
round_jobs(struct ike_resume_derive *items, unsigned n, struct resume_scratch *sc, unsigned r,
	   struct cry_prf_job *jobs, uint8_t *job_item)
{
	unsigned nj = 0;

	for (unsigned i = 0; i < n; i++) {
		struct ike_resume_derive *it = &items[i];
		size_t prf_len;
		uint8_t *buf;

		if (it->status != IKE_OK || r > sc[i].rounds)
			continue;
		prf_len = it->suite->prf_len;
		buf = sc[i].in;
		/* T1 = prf(K, S | 0x01), Tn = prf(K, T(n-1) | S | n) */
		buf[prf_len + sc[i].seed_len] = (uint8_t)r;
		if (r > 1)
			memcpy(buf, sc[i].km + (r - 2) * prf_len, prf_len);
		jobs[nj] = (struct cry_prf_job){
			.alg = it->suite->prf,
			.key = sc[i].skeyseed,
			.key_len = prf_len,
			.data = r == 1 ? buf + prf_len : buf,
			.data_len = (r == 1 ? 0 : prf_len) + sc[i].seed_len + 1,
			.out = sc[i].km + (r - 1) * prf_len,
		};
		job_item[nj++] = (uint8_t)i;
	}
	return nj;
}

static void
run(const struct cry_ops *ops, struct ike_resume_derive *items, struct cry_prf_job *jobs,
    const uint8_t *job_item, unsigned nj)
{
	ops->sym->prf_burst(ops->sym_ctx, jobs, nj);
	for (unsigned j = 0; j < nj; j++)
		if (jobs[j].status != IKE_OK)
			items[job_item[j]].status = jobs[j].status;
}

static unsigned
derive_chunk(const struct cry_ops *ops, struct ike_resume_derive *items, unsigned n)
{
	struct resume_scratch sc[IKE_KEYS_RESUME_BURST_MAX];
	struct cry_prf_job jobs[IKE_KEYS_RESUME_BURST_MAX];
	uint8_t job_item[IKE_KEYS_RESUME_BURST_MAX];
	unsigned nj, ok = 0;

	nj = skeyseed_jobs(items, n, sc, jobs, job_item);
	if (nj != 0)
		run(ops, items, jobs, job_item, nj);
	for (unsigned i = 0; i < n; i++)
		if (items[i].status == IKE_OK)
			seed_prepare(&items[i], &sc[i]);
	for (unsigned r = 1;; r++) {
		nj = round_jobs(items, n, sc, r, jobs, job_item);
		if (nj == 0)
			break;
		run(ops, items, jobs, job_item, nj);
	}
	for (unsigned i = 0; i < n; i++) {
		if (items[i].status == IKE_OK) {
			ike_keys_split(items[i].suite, sc[i].km, items[i].keys);
			ok++;
		} else if (items[i].keys != NULL) {
			ike_sa_keys_wipe(items[i].keys);
		}
	}
	ike_wipe(sc, sizeof(sc));
	ike_wipe(jobs, sizeof(jobs));
	return ok;
}

unsigned
ike_keys_derive_resume_burst(const struct cry_ops *ops, struct ike_resume_derive *items, unsigned n)
{
	unsigned ok = 0;

	for (unsigned off = 0; off < n; off += IKE_KEYS_RESUME_BURST_MAX) {
		unsigned chunk =
			n - off < IKE_KEYS_RESUME_BURST_MAX ? n - off : IKE_KEYS_RESUME_BURST_MAX;

		ok += derive_chunk(ops, items + off, chunk);
	}
	return ok;
}
