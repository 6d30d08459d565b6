/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_replay.c - anti-replay window and ESN inference (esp_replay.h). */
#include "esp_replay.h"

static inline uint64_t *
word_of(struct esp_replay *w, uint64_t seq)
{
	return &w->bits[(seq >> 6) % ESP_REPLAY_WORDS];
}

static inline uint64_t
bit_of(uint64_t seq)
{
	return UINT64_C(1) << (seq & 63);
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
	return (w->bits[(s >> 6) % ESP_REPLAY_WORDS] & bit_of(s)) == 0;
}

bool
esp_replay_update(struct esp_replay *w, uint64_t seq)
{
	uint64_t *word;

	if (seq > w->top) {
		uint64_t from = w->top >> 6, to = seq >> 6, i;

		/* Clear the words the window moves into; at most all of them. */
		if (to - from >= ESP_REPLAY_WORDS)
			from = to - ESP_REPLAY_WORDS;
		for (i = from + 1; i <= to; i++)
			w->bits[i % ESP_REPLAY_WORDS] = 0;
		w->top = seq;
	} else if (w->top - seq >= ESP_REPLAY_WINDOW) {
		return false;
	}
	word = word_of(w, seq);
	if (*word & bit_of(seq))
		return false;
	*word |= bit_of(seq);
	return true;
}
