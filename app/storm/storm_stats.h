/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Results of one phase of a run ("full", "delete", ...): completions,
 * failures counted by reason name, retransmits, a latency histogram of the
 * whole phase and a time series in buckets of one width. Memory is fixed at
 * storm_stats_init(): the series has STORM_SERIES_MAX buckets of
 * STORM_SERIES_MIN_NS at first; when the phase outgrows them, the width
 * doubles and neighbouring buckets merge, so a phase of any length keeps
 * between STORM_SERIES_MAX / 2 and STORM_SERIES_MAX points (fewer only when
 * it is shorter than STORM_SERIES_MAX / 2 minimum buckets).
 */
#ifndef STORM_STATS_H
#define STORM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "storm_hist.h"

#define STORM_STATS_MAX_REASONS 32
#define STORM_SERIES_MAX 128		/* buckets per phase (even) */
#define STORM_SERIES_MIN_NS 10000000ull /* first bucket width: 10 ms */

/* A named counter; names are static strings (reason tables). */
struct storm_count {
	const char *name;
	uint64_t n;
};

/*
 * One bucket of a phase's series. The latency percentiles are those of the
 * operations completed in the bucket; once buckets merged (a longer phase),
 * p50 is the completion-weighted mean of the merged p50s and p99 the larger
 * p99 (an upper bound of the merged bucket's p99).
 */
struct storm_bucket {
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
	struct storm_hist lat;	     /* microseconds, whole phase */
	struct storm_hist cur_lat;   /* the current bucket */
	struct storm_bucket *series; /* STORM_SERIES_MAX entries */
	size_t nb_series;	     /* buckets closed so far, plus the current one */
	uint64_t bucket_ns;	     /* width of every bucket */
	uint64_t series_t0_ns;	     /* t0_ns the series counts from */
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
/** Closes the buckets up to now_ns (call at least once per bucket width). */
void storm_stats_tick(struct storm_stats *s, uint64_t now_ns);
/** Closes the current bucket at the end of the phase; drops buckets after the last outcome. */
void storm_stats_finish(struct storm_stats *s, uint64_t now_ns);

/** Failures recorded under reason (0 if none). */
uint64_t storm_stats_fail_count(const struct storm_stats *s, const char *reason);
/** Seconds from phase start to the last completion or failure. */
double storm_stats_elapsed_s(const struct storm_stats *s);
/** Completions per second over storm_stats_elapsed_s(). */
double storm_stats_rate(const struct storm_stats *s);
/** Operations ended (completed, failed or fallen back) on this row. */
uint64_t storm_stats_ended(const struct storm_stats *s);
/** Bucket width in seconds. */
double storm_stats_bucket_s(const struct storm_stats *s);
/** Completions per second over the last closed second (whole buckets) before now_ns. */
double storm_stats_recent_rate(const struct storm_stats *s, uint64_t now_ns);
/** storm's CPU microseconds per operation ended in the phase (0 without any). */
double storm_stats_cpu_us_per_op(const struct storm_stats *s);

#endif
