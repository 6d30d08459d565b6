/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timer_wheel.c - hierarchical timer wheel with cascading (Varghese and
 * Lauck, "Hashed and Hierarchical Timing Wheels", 1987).
 *
 * Invariant: a timer at level L > 0 sits in slot (e >> 6L) & 63 where e is its
 * (possibly clamped) expiry and now_tick + 64^L <= e < now_tick + 64^(L+1)
 * held when it was placed. That slot is emptied ("cascaded") when now_tick
 * first reaches e rounded down to a multiple of 64^L, which is at or before
 * e, so every timer reaches level 0 in time.
 */
#include <stddef.h>
#include <string.h>

#include "timer_wheel.h"

#define SLOT_MASK (TIMER_WHEEL_SLOTS - 1)
#define LEVEL_SHIFT(l) ((l) * TIMER_WHEEL_SLOT_BITS)
/* Farthest distance the wheel can hold, in ticks. */
#define HORIZON ((uint64_t)1 << LEVEL_SHIFT(TIMER_WHEEL_LEVELS))

void
timer_wheel_init(struct timer_wheel *w, uint64_t tick_ms, uint64_t now_ms)
{
	memset(w, 0, sizeof(*w));
	w->tick_ms = tick_ms == 0 ? 1 : tick_ms;
	w->now_tick = now_ms / w->tick_ms;
}

static void
slot_push(struct timer_wheel *w, unsigned level, unsigned s, struct timer_node *t)
{
	struct timer_node **head = &w->slot[level][s];

	t->next = *head;
	if (t->next != NULL)
		t->next->pprev = &t->next;
	*head = t;
	t->pprev = head;
	w->occupied[level] |= (uint64_t)1 << s;
}

/* Puts an unlinked node into the slot its expiry calls for. */
static void
place(struct timer_wheel *w, struct timer_node *t)
{
	uint64_t e = t->expiry_tick;
	uint64_t delta;
	unsigned level;

	if (e < w->now_tick)
		e = w->now_tick;
	delta = e - w->now_tick;
	if (delta >= HORIZON) {
		/* Park at the far edge; it is placed again when cascaded. */
		delta = HORIZON - 1;
		e = w->now_tick + delta;
	}
	level = delta < TIMER_WHEEL_SLOTS ? 0
					  : (unsigned)(63 - __builtin_clzll(delta)) /
						    TIMER_WHEEL_SLOT_BITS;
	slot_push(w, level, (unsigned)(e >> LEVEL_SHIFT(level)) & SLOT_MASK, t);
}

/* True when pprev points at a slot head rather than into another node. */
static bool
is_slot_head(const struct timer_wheel *w, struct timer_node **pprev, unsigned *level,
	     unsigned *s)
{
	uintptr_t p = (uintptr_t)pprev, base = (uintptr_t)&w->slot[0][0];
	size_t i;

	if (p < base || p >= base + sizeof(w->slot))
		return false;
	i = (p - base) / sizeof(w->slot[0][0]);
	*level = (unsigned)(i / TIMER_WHEEL_SLOTS);
	*s = (unsigned)(i % TIMER_WHEEL_SLOTS);
	return true;
}

static void
unlink_node(struct timer_wheel *w, struct timer_node *t)
{
	unsigned level, s;

	*t->pprev = t->next;
	if (t->next != NULL)
		t->next->pprev = t->pprev;
	else if (is_slot_head(w, t->pprev, &level, &s) && w->slot[level][s] == NULL)
		w->occupied[level] &= ~((uint64_t)1 << s);
	t->next = NULL;
	t->pprev = NULL;
}

void
timer_add(struct timer_wheel *w, struct timer_node *t, uint64_t expiry_ms)
{
	if (t->pprev != NULL)
		unlink_node(w, t);
	else
		w->armed++;
	/* Round up: never fire before expiry_ms. */
	t->expiry_tick = expiry_ms / w->tick_ms + (expiry_ms % w->tick_ms != 0);
	place(w, t);
}

void
timer_cancel(struct timer_wheel *w, struct timer_node *t)
{
	if (t->pprev == NULL)
		return;
	unlink_node(w, t);
	w->armed--;
}

/* Detaches a whole slot into a list headed by *list (pprev links kept valid). */
static void
slot_take(struct timer_wheel *w, unsigned level, unsigned s, struct timer_node **list)
{
	*list = w->slot[level][s];
	w->slot[level][s] = NULL;
	w->occupied[level] &= ~((uint64_t)1 << s);
	if (*list != NULL)
		(*list)->pprev = list;
}

/* At a multiple of 64 ticks: move the slots that now come due one level down. */
static void
cascade(struct timer_wheel *w)
{
	struct timer_node *list, *t;
	unsigned level, s;

	for (level = 1; level < TIMER_WHEEL_LEVELS; level++) {
		s = (unsigned)(w->now_tick >> LEVEL_SHIFT(level)) & SLOT_MASK;
		slot_take(w, level, s, &list);
		while ((t = list) != NULL) {
			list = t->next;
			t->next = NULL;
			place(w, t);
		}
		/* The level above is due only when this one wrapped round. */
		if (s != 0)
			break;
	}
}

static uint64_t
rotr64(uint64_t v, unsigned r)
{
	r &= 63;
	return r == 0 ? v : v >> r | v << (64 - r);
}

/*
 * The first tick at or after now_tick at which a slot is due: a level-0 slot
 * fires at its tick, a level-L slot cascades at the first multiple of 64^L
 * whose level-L index is that slot. Everything before it can be skipped.
 */
static uint64_t
next_due_tick(const struct timer_wheel *w)
{
	uint64_t best = UINT64_MAX, block, due;
	unsigned level, shift, d;

	for (level = 0; level < TIMER_WHEEL_LEVELS; level++) {
		if (w->occupied[level] == 0)
			continue;
		shift = LEVEL_SHIFT(level);
		/* First boundary of this level at or after now_tick. */
		block = (w->now_tick + ((uint64_t)1 << shift) - 1) >> shift;
		d = (unsigned)__builtin_ctzll(rotr64(w->occupied[level], (unsigned)block));
		due = (block + d) << shift;
		if (due < best)
			best = due;
	}
	return best;
}

uint64_t
timer_wheel_advance(struct timer_wheel *w, uint64_t now_ms, timer_fn fn, void *arg)
{
	uint64_t target = now_ms / w->tick_ms;
	uint64_t fired = 0, due;
	struct timer_node *list, *t;

	while (w->now_tick <= target) {
		due = next_due_tick(w);
		if (due > target) {
			w->now_tick = target + 1;
			break;
		}
		w->now_tick = due;
		if ((due & SLOT_MASK) == 0)
			cascade(w);
		/* Fire this tick's slot; timers fn adds for "now" land in the next tick. */
		slot_take(w, 0, (unsigned)due & SLOT_MASK, &list);
		w->now_tick++;
		while ((t = list) != NULL) {
			unlink_node(w, t);
			w->armed--;
			fired++;
			fn(t, arg);
		}
	}
	return fired;
}
