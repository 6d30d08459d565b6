/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cry_ipsecmb_sha256ni.c - one SHA-256 compression from the initial state
 * (FIPS 180-4 6.2.2) on the SHA extensions, for HMAC key pads.
 * ipsec-mb's own one-block function does not use SHA-NI and costs ~250 ns
 * here; with a fresh HMAC key per PRF (prf+, AUTH) the two pads would cost
 * more than the HMAC itself. Built for the sha target only; the caller
 * checks the CPU flag first.
 */
#include <immintrin.h>

#include "cry_ipsecmb_priv.h"

static const uint32_t sha256_k[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static const uint32_t sha256_h0[8] __attribute__((aligned(16))) = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

__attribute__((target("sha,sse4.1"))) void
cry_ipsecmb_sha256_block_shani(const uint8_t *block, uint8_t *state)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i w[16], abef, cdgh, abef0, cdgh0, t;
	int g;

	/* The round instructions keep the state as ABEF and CDGH. */
	t = _mm_shuffle_epi32(_mm_load_si128((const __m128i *)&sha256_h0[0]), 0xb1);
	cdgh = _mm_shuffle_epi32(_mm_load_si128((const __m128i *)&sha256_h0[4]), 0x1b);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
	abef0 = abef;
	cdgh0 = cdgh;

	for (g = 0; g < 16; g++) {
		if (g < 4)
			w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * g)),
						bswap);
		else
			w[g] = _mm_sha256msg2_epu32(
				_mm_add_epi32(_mm_sha256msg1_epu32(w[g - 4], w[g - 3]),
					      _mm_alignr_epi8(w[g - 1], w[g - 2], 4)),
				w[g - 1]);
		t = _mm_add_epi32(w[g], _mm_load_si128((const __m128i *)&sha256_k[4 * g]));
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, t);
		abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(t, 0x0e));
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);

	/* Back to a..h, native-endian words: the layout ipsec-mb's HMAC jobs read. */
	t = _mm_shuffle_epi32(abef, 0x1b);
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)state, _mm_blend_epi16(t, cdgh, 0xf0));
	_mm_storeu_si128((__m128i *)(state + 16), _mm_alignr_epi8(cdgh, t, 8));
}
