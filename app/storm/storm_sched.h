/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine: runs one phase (a mix of operations on many clients) with a
 * window of outstanding operations, optional pacing, retransmits with
 * exponential backoff and a timeout per exchange. Single-threaded: one
 * event loop over storm_io bursts, which also drives an optional
 * background load (the flood). Outcomes go to one storm_stats per
 * operation of the mix.
 */
#ifndef STORM_SCHED_H
#define STORM_SCHED_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "storm_client.h"
#include "storm_io.h"
#include "storm_scenario.h"
#include "storm_stats.h"

struct storm_sched_cfg {
	unsigned nb_clients;
	unsigned nb_socks; /* client i sends from socket i % nb_socks */
	unsigned window;   /* operations in flight at most */
	double rate;	   /* operations started per second; 0 = as fast as the window allows */
	uint64_t count; /* operations per phase; 0 = one per client (or unbounded with duration) */
	double duration_s;   /* stop starting operations after this long; 0 = no limit */
	unsigned rto_ms;     /* first retransmit after this; doubles each time */
	unsigned timeout_ms; /* an exchange fails with "timeout" after this */
};

/* Called about once per second while a phase runs, and once at its end. */
typedef void (*storm_progress_fn)(const struct storm_stats *rows, unsigned nb_rows,
				  unsigned inflight, bool final, void *arg);

/*
 * Load beside the operations: run() is called on every turn of the event
 * loop (at least every 10 ms) with the phase's first row for its counts.
 * Operations start lead_ns after the phase began.
 */
struct storm_bg {
	void (*run)(void *arg, struct storm_stats *st, uint64_t now_ns);
	void *arg;
	uint64_t lead_ns;
};

struct storm_sched;

/** NULL when out of memory. The io and clients must outlive it. */
struct storm_sched *storm_sched_create(const struct storm_sched_cfg *cfg, struct storm_io *io,
				       struct storm_clients *cl);
void storm_sched_destroy(struct storm_sched *s);

/**
 * Runs the mix until count operations started (or duration passed, or no
 * client is eligible for any of its operations, or *stop is set), then
 * waits for those in flight. Each start picks an operation by smooth
 * weighted round robin; one with no eligible client yields to the next
 * that has one. rows[k] (initialised by the caller) counts mix->op[k]. bg
 * may be NULL.
 */
void storm_sched_run(struct storm_sched *s, const struct storm_mix *mix, struct storm_stats *rows,
		     const struct storm_bg *bg, volatile sig_atomic_t *stop,
		     storm_progress_fn progress, void *arg);

/** Monotonic clock in nanoseconds. */
uint64_t storm_now_ns(void);

#endif
