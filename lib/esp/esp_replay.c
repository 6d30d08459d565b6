/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_replay.c - anti-replay window and ESN inference (esp_replay.h). */
#include "esp_replay.h"

/* Whether top - i (i < ESP_REPLAY_WINDOW) was seen. */
static inline bool
seen(const struct esp_replay *w, uint64_t i)
{
	return (w->bits[i >> 6] >> (i & 63) & 1) != 0;
}

/* Moves the window right by d (at least 1): old bit i becomes bit i + d. */
static void
shift(struct esp_replay *w, uint64_t d)
{
	unsigned ws, bs, k;

	if (d < 64) {
		/* The usual case (in order: d = 1), unrolled by the compiler. */
		bs = (unsigned)d;
		for (k = ESP_REPLAY_WORDS - 1; k > 0; k--)
			w->bits[k] = w->bits[k] << bs | w->bits[k - 1] >> (64 - bs);
		w->bits[0] <<= bs;
		return;
	}
	if (d >= ESP_REPLAY_WINDOW) {
		for (k = 0; k < ESP_REPLAY_WORDS; k++)
			w->bits[k] = 0;
		return;
	}
	ws = (unsigned)d >> 6;
	bs = (unsigned)d & 63;
	for (k = ESP_REPLAY_WORDS; k-- > 0;) {
		uint64_t v = 0;

		if (k >= ws) {
			v = w->bits[k - ws] << bs;
			if (bs != 0 && k > ws)
				v |= w->bits[k - ws - 1] >> (64 - bs);
		}
		w->bits[k] = v;
	}
}

/* RFC 4303 A2.2: the high 32 bits are those that put seq_lo nearest the window. */
static bool
infer_high(uint64_t top, uint32_t seq_lo, uint64_t *seq)
{
	uint32_t tl = (uint32_t)top, th = (uint32_t)(top >> 32);
	uint32_t bottom = tl - (ESP_REPLAY_WINDOW - 1); /* may wrap: case B */
	uint32_t sh;

	if (tl >= ESP_REPLAY_WINDOW - 1) {
		/* Case A: the window lies within one 2^32 subspace. */
		if (seq_lo >= bottom) {
			sh = th;
		} else {
			if (th == UINT32_MAX)
				return false; /* the 64-bit space is exhausted */
			sh = th + 1;
		}
	} else {
		/* Case B: the window straddles two subspaces. */
		if (seq_lo >= bottom) {
			if (th == 0)
				return false; /* left of sequence number 1 */
			sh = th - 1;
		} else {
			sh = th;
		}
	}
	*seq = (uint64_t)sh << 32 | seq_lo;
	return true;
}

bool
esp_replay_check(const struct esp_replay *w, uint32_t seq_lo, bool esn, uint64_t *seq)
{
	uint64_t s = seq_lo;

	if (esn && !infer_high(w->top, seq_lo, &s))
		return false;
	if (s == 0)
		return false;
	*seq = s;
	if (s > w->top)
		return true;
	if (w->top - s >= ESP_REPLAY_WINDOW)
		return false;
	return !seen(w, w->top - s);
}

bool
esp_replay_update(struct esp_replay *w, uint64_t seq)
{
	uint64_t i;

	if (seq > w->top) {
		shift(w, seq - w->top);
		w->top = seq;
	} else if (w->top - seq >= ESP_REPLAY_WINDOW) {
		return false;
	}
	i = w->top - seq;
	if (seen(w, i))
		return false;
	w->bits[i >> 6] |= UINT64_C(1) << (i & 63);
	return true;
}
