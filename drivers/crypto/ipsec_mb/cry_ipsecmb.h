/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel ipsec-mb implementation of the symmetric half of struct cry_ops:
 * HMAC PRFs, SK-payload AEAD (AES-GCM-16, AES-CBC + HMAC-SHA2) and hashes,
 * all submitted to the library in bursts. One object per lcore: it owns an
 * IMB_MGR and the fixed scratch its bursts work in, and is not thread safe.
 */
#ifndef CRY_IPSECMB_H
#define CRY_IPSECMB_H

#include "cry_ops.h"

/* Which ipsec-mb multi-buffer manager to run. */
enum cry_ipsecmb_arch {
	CRY_IPSECMB_AUTO, /* best for this CPU, chosen at run time */
	CRY_IPSECMB_SSE,
	CRY_IPSECMB_AVX,
	CRY_IPSECMB_AVX2,
	CRY_IPSECMB_AVX512,
};

/**
 * Allocates a driver instance with its own manager and burst scratch.
 * AUTO prefers the SSE manager on CPUs with SHA extensions (it is the only
 * one that uses them for HMAC-SHA2), else the widest vector manager the CPU
 * and OS support. An explicit arch the CPU cannot run is refused.
 * Returns NULL (and logs why) on failure.
 */
struct cry_ipsecmb *cry_ipsecmb_create(enum cry_ipsecmb_arch arch);

/** Name of the manager in use: "sse", "avx", "avx2" or "avx512". */
const char *cry_ipsecmb_arch_name(const struct cry_ipsecmb *c);

/** Fills ops->sym and ops->sym_ctx; the asymmetric half is left alone. */
void cry_ipsecmb_bind(struct cry_ipsecmb *c, struct cry_ops *ops);

/** Frees the manager and wipes the scratch (it held key schedules). */
void cry_ipsecmb_destroy(struct cry_ipsecmb *c);

#endif
