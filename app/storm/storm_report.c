/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_report.c - table, JSON, CSV and gnuplot output of a run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "storm_report.h"

#define NS_PER_S 1e9
#define PATH_LEN 4096

/* Percentiles every report shows, with their JSON/CSV keys. */
static const struct {
	double p;
	const char *key;
	const char *label;
} pcts[] = {
	{50.0, "p50", "p50"},
	{90.0, "p90", "p90"},
	{99.0, "p99", "p99"},
	{99.9, "p99_9", "p99.9"},
};
#define NB_PCTS (sizeof(pcts) / sizeof(pcts[0]))

/* The run's clock starts with its earliest row; every series is placed on it. */
static uint64_t
run_t0(const struct storm_stats *ph, unsigned nb)
{
	uint64_t t0 = ph[0].t0_ns;
	unsigned i;

	for (i = 1; i < nb; i++)
		if (ph[i].t0_ns < t0)
			t0 = ph[i].t0_ns;
	return t0;
}

/* Seconds from the run's start to the phase's start. */
static double
phase_start_s(const struct storm_stats *s, uint64_t t0)
{
	return (double)(s->t0_ns - t0) / NS_PER_S;
}

void
storm_report_progress_line(char *buf, size_t len, const char *name, const struct storm_stats *rows,
			   unsigned nb, unsigned inflight, uint64_t now_ns)
{
	double t = now_ns > rows[0].t0_ns ? (double)(now_ns - rows[0].t0_ns) / NS_PER_S : 0.0;
	unsigned long long done = 0, failed = 0, retx = 0;
	double rate = 0.0;
	unsigned i;

	for (i = 0; i < nb; i++) {
		done += rows[i].completed;
		failed += rows[i].failed;
		retx += rows[i].retransmits;
		rate += storm_stats_recent_rate(&rows[i], now_ns);
	}
	snprintf(buf, len,
		 "%-7s %6.1fs  done %-8llu failed %-6llu in flight %-5u %7.0f/s  p50 %.1f ms  retx "
		 "%llu",
		 name, t, done, failed, inflight, rate,
		 (double)storm_hist_percentile(&rows[0].lat, 50.0) / 1000.0, retx);
}

void
storm_report_table(FILE *f, const struct storm_run_info *ri, const struct storm_stats *ph,
		   unsigned nb)
{
	unsigned i, k, r;

	fprintf(f, "\nstorm: %u clients -> %s, scenario %s, window %u, IKE %s, ESP %s\n",
		ri->clients, ri->target, ri->scenario, ri->window, ri->ike_proposal,
		ri->esp_proposal);
	fprintf(f, "%-12s %9s %9s %9s %8s %10s %8s", "phase", "started", "completed", "failed",
		"retx", "rate/s", "cpu-us");
	for (k = 0; k < NB_PCTS; k++)
		fprintf(f, " %8s", pcts[k].label);
	fprintf(f, " %8s\n", "max");
	for (i = 0; i < nb; i++) {
		const struct storm_stats *s = &ph[i];

		fprintf(f, "%-12s %9llu %9llu %9llu %8llu %10.1f %8.1f", s->phase,
			(unsigned long long)s->started, (unsigned long long)s->completed,
			(unsigned long long)s->failed, (unsigned long long)s->retransmits,
			storm_stats_rate(s), storm_stats_cpu_us_per_op(s));
		for (k = 0; k < NB_PCTS; k++)
			fprintf(f, " %8.2f",
				(double)storm_hist_percentile(&s->lat, pcts[k].p) / 1000.0);
		fprintf(f, " %8.2f\n", (double)s->lat.max / 1000.0);
	}
	fprintf(f, "(latencies in ms, from first request to last response of an operation;\n"
		   " cpu-us: storm's own CPU time per operation ended in the phase)\n");
	for (i = 0; i < nb; i++) {
		for (r = 0; r < ph[i].nb_fail; r++)
			fprintf(f, "%s: failed %llu: %s\n", ph[i].phase,
				(unsigned long long)ph[i].fail[r].n, ph[i].fail[r].name);
		for (r = 0; r < ph[i].nb_drop; r++)
			fprintf(f, "%s: ignored %llu responses: %s\n", ph[i].phase,
				(unsigned long long)ph[i].drop[r].n, ph[i].drop[r].name);
		if (ph[i].fallback != 0)
			fprintf(f, "%s: %llu completed as full handshakes after TICKET_NACK\n",
				ph[i].phase, (unsigned long long)ph[i].fallback);
		for (r = 0; r < ph[i].nb_event; r++)
			fprintf(f, "%s: event %s: %llu\n", ph[i].phase, ph[i].event[r].name,
				(unsigned long long)ph[i].event[r].n);
	}
}

/* Names are ours or the initiator's (letters, digits, '-'), so no escaping is needed. */
static void
json_counts(FILE *f, const char *key, const struct storm_count *c, unsigned n)
{
	unsigned i;

	fprintf(f, "      \"%s\": {", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\"%s\": %llu", i ? ", " : "", c[i].name, (unsigned long long)c[i].n);
	fprintf(f, "},\n");
}

static void
json_phase(FILE *f, const struct storm_stats *s, uint64_t t0, bool last)
{
	double w = storm_stats_bucket_s(s), start = phase_start_s(s, t0);
	size_t t;
	unsigned k;

	fprintf(f, "    {\n      \"name\": \"%s\",\n", s->phase);
	fprintf(f,
		"      \"started\": %llu,\n      \"completed\": %llu,\n      \"failed\": %llu,\n",
		(unsigned long long)s->started, (unsigned long long)s->completed,
		(unsigned long long)s->failed);
	fprintf(f, "      \"fallback_full\": %llu,\n", (unsigned long long)s->fallback);
	json_counts(f, "failures", s->fail, s->nb_fail);
	json_counts(f, "ignored_responses", s->drop, s->nb_drop);
	json_counts(f, "events", s->event, s->nb_event);
	fprintf(f,
		"      \"retransmits\": %llu,\n      \"tx_msgs\": %llu,\n      \"rx_msgs\": "
		"%llu,\n",
		(unsigned long long)s->retransmits, (unsigned long long)s->tx_msgs,
		(unsigned long long)s->rx_msgs);
	fprintf(f, "      \"elapsed_s\": %.6f,\n      \"rate_per_s\": %.3f,\n",
		storm_stats_elapsed_s(s), storm_stats_rate(s));
	fprintf(f, "      \"phase_cpu_s\": %.6f,\n      \"phase_cpu_us_per_op\": %.2f,\n",
		(double)s->phase_cpu_ns / 1e9, storm_stats_cpu_us_per_op(s));
	fprintf(f, "      \"latency_us\": {\"min\": %llu, \"mean\": %.1f",
		(unsigned long long)(s->lat.count ? s->lat.min : 0), storm_hist_mean(&s->lat));
	for (k = 0; k < NB_PCTS; k++)
		fprintf(f, ", \"%s\": %llu", pcts[k].key,
			(unsigned long long)storm_hist_percentile(&s->lat, pcts[k].p));
	fprintf(f, ", \"max\": %llu},\n", (unsigned long long)s->lat.max);
	fprintf(f, "      \"start_s\": %.6f,\n      \"bucket_s\": %.3f,\n", start, w);
	fprintf(f, "      \"series\": [");
	for (t = 0; t < s->nb_series; t++) {
		const struct storm_bucket *x = &s->series[t];

		fprintf(f,
			"%s\n        {\"t\": %.3f, \"t_run\": %.3f, \"completed\": %llu, "
			"\"failed\": %llu, \"retransmits\": %llu, \"completed_per_s\": %.1f, "
			"\"p50_us\": %llu, \"p99_us\": %llu}",
			t ? "," : "", (double)t * w, start + (double)t * w,
			(unsigned long long)x->completed, (unsigned long long)x->failed,
			(unsigned long long)x->retransmits, (double)x->completed / w,
			(unsigned long long)x->lat_p50_us, (unsigned long long)x->lat_p99_us);
	}
	fprintf(f, "\n      ]\n    }%s\n", last ? "" : ",");
}

static int
write_json(const char *path, const struct storm_run_info *ri, const struct storm_stats *ph,
	   unsigned nb, const struct storm_io_stats *io)
{
	char when[32];
	FILE *f = fopen(path, "w");
	unsigned i;

	if (f == NULL)
		return -1;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&ri->started_at));
	fprintf(f, "{\n  \"tool\": \"storm\",\n  \"started_at\": \"%s\",\n", when);
	fprintf(f,
		"  \"config\": {\"target\": \"%s\", \"scenario\": \"%s\", "
		"\"ike_proposal\": \"%s\", \"esp_proposal\": \"%s\", \"crypto\": \"%s\", "
		"\"clients\": %u, \"sockets\": %u, \"src_addrs\": %u, \"window\": %u, "
		"\"rate\": %.3f, \"count\": %llu, \"duration_s\": %.3f, \"rto_ms\": %u, "
		"\"timeout_ms\": %u, \"nonesp_marker\": %s, \"ticket\": %s, "
		"\"resume_target\": \"%s\", \"mix\": \"%s\", \"flood_op\": \"%s\", "
		"\"flood_rate\": %.3f, \"flood_count\": %llu, \"flood_sources\": %u, "
		"\"flood_lead_ms\": %u},\n",
		ri->target, ri->scenario, ri->ike_proposal, ri->esp_proposal, ri->crypto,
		ri->clients, ri->sockets, ri->src_addrs, ri->window, ri->rate,
		(unsigned long long)ri->count, ri->duration_s, ri->rto_ms, ri->timeout_ms,
		ri->nonesp_marker ? "true" : "false", ri->ticket ? "true" : "false",
		ri->resume_target != NULL ? ri->resume_target : ri->target, ri->mix, ri->flood_op,
		ri->flood_rate, (unsigned long long)ri->flood_count, ri->flood_sources,
		ri->flood_lead_ms);
	fprintf(f,
		"  \"io\": {\"tx_msgs\": %llu, \"tx_errors\": %llu, \"rx_msgs\": %llu, "
		"\"rx_runts\": %llu},\n",
		(unsigned long long)io->tx_msgs, (unsigned long long)io->tx_errors,
		(unsigned long long)io->rx_msgs, (unsigned long long)io->rx_runts);
	fprintf(f, "  \"phases\": [\n");
	for (i = 0; i < nb; i++)
		json_phase(f, &ph[i], run_t0(ph, nb), i + 1 == nb);
	fprintf(f, "  ]\n}\n");
	return fclose(f) == 0 ? 0 : -1;
}

static int
write_summary_csv(const char *path, const struct storm_stats *ph, unsigned nb)
{
	FILE *f = fopen(path, "w");
	unsigned i, k;

	if (f == NULL)
		return -1;
	fprintf(f, "phase,started,completed,failed,retransmits,elapsed_s,rate_per_s,"
		   "lat_min_us,lat_mean_us");
	for (k = 0; k < NB_PCTS; k++)
		fprintf(f, ",lat_%s_us", pcts[k].key);
	fprintf(f, ",lat_max_us,fallback_full,phase_cpu_us_per_op\n");
	for (i = 0; i < nb; i++) {
		const struct storm_stats *s = &ph[i];

		fprintf(f, "%s,%llu,%llu,%llu,%llu,%.6f,%.3f,%llu,%.1f", s->phase,
			(unsigned long long)s->started, (unsigned long long)s->completed,
			(unsigned long long)s->failed, (unsigned long long)s->retransmits,
			storm_stats_elapsed_s(s), storm_stats_rate(s),
			(unsigned long long)(s->lat.count ? s->lat.min : 0),
			storm_hist_mean(&s->lat));
		for (k = 0; k < NB_PCTS; k++)
			fprintf(f, ",%llu",
				(unsigned long long)storm_hist_percentile(&s->lat, pcts[k].p));
		fprintf(f, ",%llu,%llu,%.2f\n", (unsigned long long)s->lat.max,
			(unsigned long long)s->fallback, storm_stats_cpu_us_per_op(s));
	}
	return fclose(f) == 0 ? 0 : -1;
}

/*
 * One row per bucket: its start in seconds since the run started and since
 * the phase started, the bucket width, counts, rates (count / width) and the
 * latency percentiles of the bucket's completions.
 */
static int
write_series_csv(const char *path, const struct storm_stats *s, uint64_t t0)
{
	double w = storm_stats_bucket_s(s), start = phase_start_s(s, t0);
	FILE *f = fopen(path, "w");
	size_t t;

	if (f == NULL)
		return -1;
	fprintf(f, "t_run_s,t_s,bucket_s,completed,failed,retransmits,completed_per_s,"
		   "failed_per_s,lat_p50_us,lat_p99_us\n");
	for (t = 0; t < s->nb_series; t++) {
		const struct storm_bucket *x = &s->series[t];

		fprintf(f, "%.3f,%.3f,%.3f,%llu,%llu,%llu,%.1f,%.1f,%llu,%llu\n",
			start + (double)t * w, (double)t * w, w, (unsigned long long)x->completed,
			(unsigned long long)x->failed, (unsigned long long)x->retransmits,
			(double)x->completed / w, (double)x->failed / w,
			(unsigned long long)x->lat_p50_us, (unsigned long long)x->lat_p99_us);
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* Plot columns of series-<phase>.csv: the bucket midpoint on the run's clock. */
#define GP_X "($1 + $3 / 2)"

/*
 * A dotted line where a phase (not the first) starts, with its name: the
 * row's, or for a phase of several rows ("mixed-new", "mixed-resume", ...)
 * the part before the '-'. The rows of one phase start within microseconds.
 */
static void
gnuplot_phase_marks(FILE *f, const struct storm_stats *ph, unsigned nb, uint64_t t0)
{
	unsigned i, j;

	for (i = 0; i < nb; i = j) {
		double x = phase_start_s(&ph[i], t0);
		size_t len = strlen(ph[i].phase);

		for (j = i + 1; j < nb && ph[j].t0_ns - ph[i].t0_ns < STORM_SERIES_MIN_NS; j++)
			;
		if (j > i + 1 && strchr(ph[i].phase, '-') != NULL)
			len = (size_t)(strchr(ph[i].phase, '-') - ph[i].phase);
		if (i > 0)
			fprintf(f,
				"set arrow from %.3f, graph 0 to %.3f, graph 1 nohead dt 3 "
				"lc rgb 'gray40'\n",
				x, x);
		fprintf(f, "set label '%.*s' at %.3f, graph 0.96 offset 0.5,0 tc rgb 'gray30'\n",
			(int)len, ph[i].phase, x);
	}
}

/*
 * Two panels on one x axis (seconds since the run started, phases one
 * after another, one colour per row): operations/s, then p50 (solid) and
 * p99 (dashed) latency in ms on a log scale. Rows without a single completion have no
 * latency line; a bucket without completions leaves a gap, not a zero.
 */
static int
write_gnuplot(const char *path, const struct storm_run_info *ri, const struct storm_stats *ph,
	      unsigned nb)
{
	FILE *f = fopen(path, "w");
	uint64_t t0 = run_t0(ph, nb);
	unsigned i, n, nb_lat = 0;
	double end = 0.0;

	if (f == NULL)
		return -1;
	for (i = 0; i < nb; i++) {
		double e = phase_start_s(&ph[i], t0) +
			   (double)ph[i].nb_series * storm_stats_bucket_s(&ph[i]);

		if (e > end)
			end = e;
		nb_lat += ph[i].completed > 0;
	}
	fprintf(f,
		"# storm: rate and latency over time; run \"gnuplot storm.gp\" in this folder\n");
	fprintf(f,
		"set terminal pngcairo size 1200,%u noenhanced\n"
		"set output 'storm.png'\n"
		"set datafile separator ','\n"
		"set key outside right top\n"
		"set grid\n"
		"set xrange [0:%.3f]\n"
		"set yrange [0:*]\n"
		"set xlabel 'seconds since the run started'\n"
		"set lmargin at screen 0.07\n"
		"set rmargin at screen 0.74\n",
		nb_lat ? 800u : 400u, end > 0 ? end : 1.0);
	gnuplot_phase_marks(f, ph, nb, t0);
	fprintf(f, "set multiplot layout %u,1 title 'storm: %u clients -> %s (%s)'\n",
		nb_lat ? 2u : 1u, ri->clients, ri->target, ri->scenario);
	fprintf(f, "set ylabel 'operations/s'\nplot ");
	for (i = 0, n = 0; i < nb; i++) {
		fprintf(f,
			"%s'series-%s.csv' skip 1 using " GP_X ":7 with linespoints lc %u lw 2 "
			"pt 7 ps 0.4 title '%s completed/s (bucket %.0f ms)'",
			n++ ? ", \\\n     " : "", ph[i].phase, i + 1, ph[i].phase,
			storm_stats_bucket_s(&ph[i]) * 1e3);
		if (ph[i].failed > 0)
			fprintf(f,
				", \\\n     'series-%s.csv' skip 1 using " GP_X ":8 with lines "
				"lc %u dt 2 title '%s failed/s'",
				ph[i].phase, i + 1, ph[i].phase);
	}
	if (nb_lat > 0) {
		/* a few timed-out or retransmitted operations would flatten a linear axis */
		fprintf(f, "\nset ylabel 'latency (ms)'\nset logscale y\nset yrange [*:*]\n"
			   "plot ");
		for (i = 0, n = 0; i < nb; i++) {
			if (ph[i].completed == 0)
				continue;
			fprintf(f,
				"%s'series-%s.csv' skip 1 using " GP_X ":($4 > 0 ? $9/1000 : 1/0) "
				"with linespoints lc %u lw 2 pt 7 ps 0.4 title '%s p50', "
				"'series-%s.csv' skip 1 using " GP_X ":($4 > 0 ? $10/1000 : 1/0) "
				"with lines lc %u dt 2 title '%s p99'",
				n++ ? ", \\\n     " : "", ph[i].phase, i + 1, ph[i].phase,
				ph[i].phase, i + 1, ph[i].phase);
		}
	}
	fprintf(f, "\nunset multiplot\n");
	return fclose(f) == 0 ? 0 : -1;
}

/* Runs "gnuplot storm.gp" inside dir; returns its exit status, 127 if not installed. */
static int
run_gnuplot(const char *dir)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(dir) != 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", "storm.gp", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int
storm_report_write(const char *dir, const struct storm_run_info *ri, const struct storm_stats *ph,
		   unsigned nb, const struct storm_io_stats *io, FILE *log)
{
	char path[PATH_LEN];
	unsigned i;
	int rc;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(log, "storm: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/storm.json", dir);
	if (write_json(path, ri, ph, nb, io) != 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if (write_summary_csv(path, ph, nb) != 0)
		goto fail;
	for (i = 0; i < nb; i++) {
		snprintf(path, sizeof(path), "%s/series-%s.csv", dir, ph[i].phase);
		if (write_series_csv(path, &ph[i], run_t0(ph, nb)) != 0)
			goto fail;
	}
	snprintf(path, sizeof(path), "%s/storm.gp", dir);
	if (write_gnuplot(path, ri, ph, nb) != 0)
		goto fail;
	fprintf(log, "storm: results in %s (storm.json, summary.csv, series-*.csv, storm.gp)\n",
		dir);
	rc = run_gnuplot(dir);
	if (rc == 0)
		fprintf(log, "storm: plot in %s/storm.png\n", dir);
	else if (rc == 127)
		fprintf(log,
			"storm: gnuplot not installed, no plot "
			"(apt-get install gnuplot-nox; then: cd %s && gnuplot storm.gp)\n",
			dir);
	else
		fprintf(log, "storm: gnuplot failed (status %d), no plot\n", rc);
	return 0;
fail:
	fprintf(log, "storm: cannot write %s: %s\n", path, strerror(errno));
	return -1;
}
