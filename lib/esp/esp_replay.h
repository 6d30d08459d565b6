/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inbound anti-replay window (RFC 4303 3.4.3) with extended sequence
 * numbers (RFC 4303 3.3.3 and Appendix A2).
 *
 * The window covers the ESP_REPLAY_WINDOW sequence numbers ending at the
 * highest one authenticated so far (top). Its bitmap is a ring of 64-bit
 * words indexed by sequence number (the layout of RFC 6479): moving the
 * window right clears whole words, never shifts, and one spare word keeps a
 * full ESP_REPLAY_WINDOW behind top.
 *
 * Use: esp_replay_check() before the integrity check (cheap rejection of
 * replays and, with ESN, recovery of the high 32 bits), then
 * esp_replay_update() only once the ICV matched (RFC 4303 3.4.3: the window
 * moves only for authenticated packets).
 */
#ifndef ESP_REPLAY_H
#define ESP_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define ESP_REPLAY_WINDOW 1024 /* packets; RFC 4303 asks for at least 32, 64 by default */
#define ESP_REPLAY_WORDS (ESP_REPLAY_WINDOW / 64 + 1)

struct esp_replay {
	uint64_t top; /* highest authenticated sequence number; 0: none yet */
	uint64_t bits[ESP_REPLAY_WORDS];
};

/*
 * For a received 32-bit sequence number seq_lo: its full value (with ESN
 * the high half inferred as RFC 4303 A2.2 says, without ESN seq_lo itself)
 * in *seq. False when the packet is a replay, left of the window, or
 * sequence number zero (never sent: RFC 4303 3.3.3).
 */
bool esp_replay_check(const struct esp_replay *w, uint32_t seq_lo, bool esn, uint64_t *seq);

/*
 * Records an authenticated seq (from esp_replay_check). False when another
 * packet with seq was recorded in between (two copies in one burst).
 */
bool esp_replay_update(struct esp_replay *w, uint64_t seq);

#endif
