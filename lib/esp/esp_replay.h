/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inbound anti-replay window (RFC 4303 3.4.3) with extended sequence
 * numbers (RFC 4303 3.3.3 and Appendix A2).
 *
 * The window covers the ESP_REPLAY_WINDOW sequence numbers ending at the
 * highest one authenticated so far (top): bit i of the bitmap (word i / 64)
 * is top - i. Moving the window right shifts the bitmap by the distance,
 * a few word operations for ESP_REPLAY_WORDS words (an in-order packet
 * moves it by one); a ring of words (RFC 6479) would need a spare word.
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

/*
 * Packets. RFC 4303 3.4.3 asks for at least 32, 64 by default. An SA's
 * packets reach one data-path lcore in order of its rings, so what the
 * window must absorb is the reordering before us: a client's multi-queue
 * sender and the network. 256 covers four 64-packet bursts out of order
 * (about 3 ms of one SA at 1 Gbit/s of 1400-octet packets, 0.3 ms at
 * 10 Gbit/s) in 32 octets of bitmap per SA; 1024 took 136 of the ~1 KiB an
 * IKE SA and its Child SA may cost in all (docs/architecture.md, Memory).
 * A power of two, at least 64.
 */
#define ESP_REPLAY_WINDOW 256
#define ESP_REPLAY_WORDS (ESP_REPLAY_WINDOW / 64)

struct esp_replay {
	uint64_t top; /* highest authenticated sequence number; 0: none yet */
	uint64_t bits[ESP_REPLAY_WORDS]; /* bit i: top - i seen */
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
