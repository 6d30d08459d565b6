/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The engine: runs one phase (one operation on many clients) with a window
 * of outstanding operations, optional pacing, retransmits with exponential
 * backoff and a timeout per exchange. Single-threaded: one event loop over
 * storm_io bursts. Outcomes go to a storm_stats.
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
typedef void (*storm_progress_fn)(const struct storm_stats *st, unsigned inflight, bool final,
				  void *arg);

struct storm_sched;

/** NULL when out of memory. The io and clients must outlive it. */
struct storm_sched *storm_sched_create(const struct storm_sched_cfg *cfg, struct storm_io *io,
				       struct storm_clients *cl);
void storm_sched_destroy(struct storm_sched *s);

/**
 * Runs op until count operations finished (or duration passed, or no
 * client is eligible, or *stop is set), then waits for those in flight.
 * st must be initialised by the caller.
 */
void storm_sched_run(struct storm_sched *s, const struct storm_op *op, struct storm_stats *st,
		     volatile sig_atomic_t *stop, storm_progress_fn progress, void *arg);

/** Monotonic clock in nanoseconds. */
uint64_t storm_now_ns(void);

#endif
