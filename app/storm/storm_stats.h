/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Results of one phase of a run ("full", "delete", ...): completions,
 * failures counted by reason name, retransmits, a latency histogram of the
 * whole phase and a per-second time series. Memory is fixed at
 * storm_stats_init() except the series, which grows once per second.
 */
#ifndef STORM_STATS_H
#define STORM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "storm_hist.h"

#define STORM_STATS_MAX_REASONS 32

/* A named counter; names are static strings (reason tables). */
struct storm_count {
	const char *name;
	uint64_t n;
};

/* One second of a phase. */
struct storm_second {
	uint64_t completed;
	uint64_t failed;
	uint64_t retransmits;
	uint64_t lat_p50_us;
	uint64_t lat_p99_us;
};

struct storm_stats {
	const char *phase;
	uint64_t t0_ns;	 /* phase start (monotonic) */
	uint64_t end_ns; /* last completion or failure */
	uint64_t started;
	uint64_t completed;
	uint64_t failed;
	uint64_t fallback; /* ended as a full handshake after TICKET_NACK (not in completed) */
	uint64_t retransmits;
	uint64_t tx_msgs;
	uint64_t rx_msgs;
	/*
	 * storm's own CPU time (user + system) over the whole phase and the
	 * operations that ended in it, on all of the phase's rows: a mixed
	 * phase cannot split its CPU by operation, so every row holds the sum.
	 */
	uint64_t phase_cpu_ns;
	uint64_t phase_ops;
	struct storm_count fail[STORM_STATS_MAX_REASONS];
	unsigned nb_fail;
	struct storm_count drop[STORM_STATS_MAX_REASONS]; /* responses ignored, by reason */
	unsigned nb_drop;
	struct storm_count event[STORM_STATS_MAX_REASONS]; /* "cookie", "resume-nacked", ... */
	unsigned nb_event;
	struct storm_hist lat;	   /* microseconds, whole phase */
	struct storm_hist sec_lat; /* the current second */
	struct storm_second *series;
	size_t nb_series; /* seconds closed so far, plus the current one */
	size_t series_cap;
};

/** Starts a phase at now_ns; 0 or -1 when the series cannot be allocated. */
int storm_stats_init(struct storm_stats *s, const char *phase, uint64_t now_ns);
void storm_stats_fini(struct storm_stats *s);

void storm_stats_started(struct storm_stats *s, uint64_t now_ns);
void storm_stats_completed(struct storm_stats *s, uint64_t now_ns, uint64_t latency_ns);
void storm_stats_failed(struct storm_stats *s, uint64_t now_ns, const char *reason);
void storm_stats_dropped(struct storm_stats *s, const char *reason);
/** An operation that ended as a full handshake after its resumption was refused. */
void storm_stats_fallback(struct storm_stats *s, uint64_t now_ns);
/** Counts an event of the protocol (a static name). */
void storm_stats_event(struct storm_stats *s, const char *name);
/** Events recorded under name (0 if none). */
uint64_t storm_stats_event_count(const struct storm_stats *s, const char *name);
void storm_stats_retransmit(struct storm_stats *s, uint64_t now_ns);
/** Closes the seconds up to now_ns (call at least once per second). */
void storm_stats_tick(struct storm_stats *s, uint64_t now_ns);
/** Closes the current second at the end of the phase. */
void storm_stats_finish(struct storm_stats *s, uint64_t now_ns);

/** Failures recorded under reason (0 if none). */
uint64_t storm_stats_fail_count(const struct storm_stats *s, const char *reason);
/** Seconds from phase start to the last completion or failure. */
double storm_stats_elapsed_s(const struct storm_stats *s);
/** Completions per second over storm_stats_elapsed_s(). */
double storm_stats_rate(const struct storm_stats *s);
/** Operations ended (completed, failed or fallen back) on this row. */
uint64_t storm_stats_ended(const struct storm_stats *s);
/** storm's CPU microseconds per operation ended in the phase (0 without any). */
double storm_stats_cpu_us_per_op(const struct storm_stats *s);

#endif
