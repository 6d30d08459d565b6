/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Results of a run: a human-readable table, storm.json, summary.csv and
 * series-<phase>.csv, and a plot (rate and latency over time) as a gnuplot
 * script, rendered to storm.png when gnuplot is installed.
 */
#ifndef STORM_REPORT_H
#define STORM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "storm_io.h"
#include "storm_stats.h"

/* How the run was configured, echoed into the results. */
struct storm_run_info {
	const char *target;
	const char *resume_target; /* NULL: resume phases go to target */
	bool ticket;
	const char *scenario;
	const char *ike_proposal;
	const char *esp_proposal;
	const char *crypto;
	unsigned clients;
	unsigned sockets;
	unsigned src_addrs;
	unsigned window;
	double rate;
	uint64_t count;
	double duration_s;
	unsigned rto_ms;
	unsigned timeout_ms;
	bool nonesp_marker;
	const char *mix; /* the mixed phase's weights */
	const char *flood_op;
	double flood_rate;
	uint64_t flood_count;
	unsigned flood_sources;
	unsigned flood_lead_ms;
	time_t started_at; /* wall clock */
};

/** The final table on f. */
void storm_report_table(FILE *f, const struct storm_run_info *ri, const struct storm_stats *ph,
			unsigned nb);

/**
 * Writes storm.json, summary.csv, series-<phase>.csv and storm.gp into dir
 * (created if missing) and runs gnuplot on storm.gp when it is installed.
 * Says what it wrote (or why not) on log.
 * @return 0, or -1 when a file could not be written.
 */
int storm_report_write(const char *dir, const struct storm_run_info *ri,
		       const struct storm_stats *ph, unsigned nb, const struct storm_io_stats *io,
		       FILE *log);

/** The one-line progress text (no newline) for a running phase and its nb rows. */
void storm_report_progress_line(char *buf, size_t len, const char *name,
				const struct storm_stats *rows, unsigned nb, unsigned inflight,
				uint64_t now_ns);

#endif
