/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_sa_time.h - times as struct ike_sa keeps them, in 32 bits: unix
 * seconds (to 2106), and milliseconds as the low 32 bits of the shard's
 * clock. ike_ms64() gives a 32-bit ms time back as the full time nearest
 * now, which is right while it lies within 2^31 ms of now: ike_timers.c
 * says why an SA's times always do.
 */
#ifndef IKE_SA_TIME_H
#define IKE_SA_TIME_H

#include <stdint.h>

#define IKE_MS32_SPAN (1u << 30) /* farthest a 32-bit time is set ahead, or kept behind */

/* Later than 2106: held at the end. */
static inline uint32_t
ike_unix32(uint64_t unix_s)
{
	return unix_s > UINT32_MAX ? UINT32_MAX : (uint32_t)unix_s;
}

static inline uint32_t
ike_ms32(uint64_t ms)
{
	return (uint32_t)ms;
}

static inline uint64_t
ike_ms64(uint64_t now_ms, uint32_t t)
{
	int32_t d = (int32_t)(t - ike_ms32(now_ms));

	if (d < 0 && (uint64_t)-(int64_t)d > now_ms)
		return 0; /* before the clock's start */
	return (uint64_t)((int64_t)now_ms + d);
}

#endif
