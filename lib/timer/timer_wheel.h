/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timer_wheel - hierarchical timer wheel for one shard (one lcore).
 *
 * TIMER_WHEEL_LEVELS levels of 64 slots; a slot at level L spans 64^L ticks.
 * With a 1 ms tick the wheel reaches 2^36 ms (795 days); later expiries are
 * parked in the top level and re-placed when they come round. A timer goes
 * into the level whose span covers its distance and is moved down
 * ("cascaded") when the level below reaches it, at most LEVELS-1 times in
 * its life. add and cancel are O(1); a tick costs O(1) plus the timers it
 * fires or cascades, independent of how many timers are armed. A 64-bit
 * occupancy map per level lets advance() jump to the next due slot.
 *
 * Nodes are intrusive: embed struct timer_node in the owner's struct and
 * recover it with container_of-style arithmetic in the callback.
 * Times are absolute milliseconds from the caller's clock; a timer fires
 * on the first advance() whose now_ms reaches its expiry (never early, at
 * most one tick late).
 */
#ifndef TIMER_WHEEL_H
#define TIMER_WHEEL_H

#include <stdbool.h>
#include <stdint.h>

#define TIMER_WHEEL_LEVELS 6
#define TIMER_WHEEL_SLOT_BITS 6
#define TIMER_WHEEL_SLOTS (1u << TIMER_WHEEL_SLOT_BITS)

struct timer_node {
	struct timer_node *next;
	struct timer_node **pprev; /* NULL when not armed */
	uint64_t expiry_tick;
};

struct timer_wheel {
	uint64_t tick_ms;
	uint64_t now_tick; /* next tick to process */
	uint64_t armed;
	uint64_t occupied[TIMER_WHEEL_LEVELS]; /* bit s: slot s is non-empty */
	struct timer_node *slot[TIMER_WHEEL_LEVELS][TIMER_WHEEL_SLOTS];
};

typedef void (*timer_fn)(struct timer_node *t, void *arg);

/* Sets up an empty wheel; tick_ms >= 1 is the resolution. */
void timer_wheel_init(struct timer_wheel *w, uint64_t tick_ms, uint64_t now_ms);

static inline void
timer_node_init(struct timer_node *t)
{
	t->next = NULL;
	t->pprev = NULL;
	t->expiry_tick = 0;
}

static inline bool
timer_armed(const struct timer_node *t)
{
	return t->pprev != NULL;
}

/* Arms t to fire at expiry_ms (re-arms it if armed). A past time fires next tick. */
void timer_add(struct timer_wheel *w, struct timer_node *t, uint64_t expiry_ms);

/* Disarms t; does nothing when t is not armed. */
void timer_cancel(struct timer_wheel *w, struct timer_node *t);

/*
 * Processes every tick up to now_ms and calls fn(t, arg) once for each
 * timer that expired, in expiry-tick order. t is disarmed before the call;
 * fn may add or cancel any timer, including t. Returns the number fired.
 */
uint64_t timer_wheel_advance(struct timer_wheel *w, uint64_t now_ms, timer_fn fn, void *arg);

static inline uint64_t
timer_wheel_armed(const struct timer_wheel *w)
{
	return w->armed;
}

#endif
