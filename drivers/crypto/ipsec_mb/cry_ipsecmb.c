/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_ipsecmb.c - lifecycle of the ipsec-mb driver and the choice of
 * multi-buffer manager. Initialising a manager the CPU cannot run kills
 * the process (init_mb_mgr_avx512 on a CPU without AVX-512), so every arch
 * is checked against the library's CPU flags and the compiler's CPU probe,
 * which also checks that the OS saves the wide registers.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cry_ipsecmb_priv.h"
#include "ike_log.h"
#include "ike_secret.h"

struct arch_desc {
	const char *name;
	uint64_t imb_flags;
	void (*init)(IMB_MGR *mgr);
};

static const struct arch_desc arch_descs[] = {
	[CRY_IPSECMB_SSE] = { "sse", IMB_CPUFLAGS_SSE, init_mb_mgr_sse },
	[CRY_IPSECMB_AVX] = { "avx", IMB_CPUFLAGS_AVX, init_mb_mgr_avx },
	[CRY_IPSECMB_AVX2] = { "avx2", IMB_CPUFLAGS_AVX2, init_mb_mgr_avx2 },
	[CRY_IPSECMB_AVX512] = { "avx512", IMB_CPUFLAGS_AVX512, init_mb_mgr_avx512 },
};

static const struct cry_sym_ops cry_ipsecmb_sym_ops = {
	.name = "ipsec-mb",
	.prf_burst = cry_ipsecmb_prf_burst,
	.aead_burst = cry_ipsecmb_aead_burst,
	.hash = cry_ipsecmb_hash,
};

static bool
os_supports(enum cry_ipsecmb_arch arch)
{
	__builtin_cpu_init();
	switch (arch) {
	case CRY_IPSECMB_AVX:
		return __builtin_cpu_supports("avx");
	case CRY_IPSECMB_AVX2:
		return __builtin_cpu_supports("avx2");
	case CRY_IPSECMB_AVX512:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
		       __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw") &&
		       __builtin_cpu_supports("avx512vl");
	default:
		return true;
	}
}

static bool
arch_usable(enum cry_ipsecmb_arch arch, uint64_t features)
{
	return (features & arch_descs[arch].imb_flags) == arch_descs[arch].imb_flags &&
	       os_supports(arch);
}

/*
 * Measured on AMD EPYC (docs in the project notes): only the SSE manager
 * runs HMAC-SHA2 on the SHA extensions, 6-10x faster per job than AVX2,
 * and AES-GCM is as fast on SSE as on the wider managers.
 */
static enum cry_ipsecmb_arch
arch_pick(uint64_t features)
{
	static const enum cry_ipsecmb_arch widest_first[] = {
		CRY_IPSECMB_AVX512, CRY_IPSECMB_AVX2, CRY_IPSECMB_AVX, CRY_IPSECMB_SSE,
	};
	size_t i;

	if ((features & IMB_FEATURE_SHANI) && arch_usable(CRY_IPSECMB_SSE, features))
		return CRY_IPSECMB_SSE;
	for (i = 0; i < sizeof(widest_first) / sizeof(widest_first[0]); i++)
		if (arch_usable(widest_first[i], features))
			return widest_first[i];
	return CRY_IPSECMB_AUTO;
}

struct cry_ipsecmb *
cry_ipsecmb_create(enum cry_ipsecmb_arch arch)
{
	uint64_t features = imb_get_feature_flags();
	struct cry_ipsecmb *c;

	if (arch == CRY_IPSECMB_AUTO) {
		arch = arch_pick(features);
		if (arch == CRY_IPSECMB_AUTO) {
			ike_log(IKE_LOG_ERR, "ikefarm.drv.ipsecmb: no usable manager (cpu 0x%llx)",
				(unsigned long long)features);
			return NULL;
		}
		ike_log(IKE_LOG_INFO, "ikefarm.drv.ipsecmb: auto picked %s (cpu 0x%llx, sha-ni %s)",
			arch_descs[arch].name, (unsigned long long)features,
			features & IMB_FEATURE_SHANI ? "yes" : "no");
	} else if (arch > CRY_IPSECMB_AVX512 || !arch_usable(arch, features)) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.ipsecmb: manager %d not supported by this cpu",
			(int)arch);
		return NULL;
	}
	/* aligned_alloc needs a size that is a multiple of the alignment. */
	c = aligned_alloc(64, (sizeof(*c) + 63) & ~(size_t)63);
	if (c == NULL) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.ipsecmb: out of memory");
		return NULL;
	}
	memset(c, 0, sizeof(*c));
	c->arch = arch;
	c->mgr = alloc_mb_mgr(0);
	if (c->mgr == NULL) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.ipsecmb: alloc_mb_mgr failed");
		free(c);
		return NULL;
	}
	arch_descs[arch].init(c->mgr);
	if (imb_get_errno(c->mgr) != 0) {
		ike_log(IKE_LOG_ERR, "ikefarm.drv.ipsecmb: init %s: %s", arch_descs[arch].name,
			imb_get_strerror(imb_get_errno(c->mgr)));
		free_mb_mgr(c->mgr);
		free(c);
		return NULL;
	}
	return c;
}

const char *
cry_ipsecmb_arch_name(const struct cry_ipsecmb *c)
{
	return arch_descs[c->arch].name;
}

void
cry_ipsecmb_bind(struct cry_ipsecmb *c, struct cry_ops *ops)
{
	ops->sym = &cry_ipsecmb_sym_ops;
	ops->sym_ctx = c;
}

void
cry_ipsecmb_destroy(struct cry_ipsecmb *c)
{
	if (c == NULL)
		return;
	free_mb_mgr(c->mgr);
	ike_wipe(c, sizeof(*c));
	free(c);
}
