/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_metrics.c - the scrape endpoint. Requests are served one at a time
 * (a scraper every few seconds); a client gets 2 s to send its request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ifd_addrport.h"
#include "ifd_log.h"
#include "ifd_metrics.h"
#include "ifd_telemetry.h"
#include "ikefarm_build_config.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define REQ_MAX 2048
#define REQ_WAIT_MS 2000

static struct {
	int fd;
	bool running;
	bool stop;
	pthread_t thread;
	struct ifd_app *app;
	unsigned nb_shards;
} srv = {.fd = -1};

static void
put_counters(FILE *f, const uint64_t *v, unsigned nb_shards)
{
	unsigned nv = ifd_value_count();

	for (unsigned k = 0; k < nv; k++) {
		bool gauge = ifd_value_is_gauge(k);
		const char *suffix = gauge ? "" : "_total";

		fprintf(f, "# TYPE ikefarm_%s%s %s\n", ifd_value_name(k), suffix,
			gauge ? "gauge" : "counter");
		for (unsigned i = 0; i < nb_shards; i++)
			fprintf(f, "ikefarm_%s%s{shard=\"%u\"} %lu\n", ifd_value_name(k), suffix, i,
				(unsigned long)v[(size_t)i * nv + k]);
	}
}

static void
put_histograms(FILE *f, const struct ifd_app *app, unsigned nb_shards)
{
	fprintf(f, "# HELP ikefarm_burst_seconds Time a worker takes to handle one received "
		   "burst: parse, crypto, replies.\n"
		   "# TYPE ikefarm_burst_seconds histogram\n");
	for (unsigned i = 0; i < nb_shards; i++) {
		const struct ifd_hist *h = ifd_shard_burst_time(app->shards[i]);
		uint64_t cum = 0, count = LOAD(h->count);

		for (unsigned b = 0; b < IFD_HIST_BUCKETS - 1; b++) {
			cum += LOAD(h->bucket[b]);
			fprintf(f, "ikefarm_burst_seconds_bucket{shard=\"%u\",le=\"%g\"} %lu\n", i,
				ifd_hist_bounds_us[b] / 1e6, (unsigned long)cum);
		}
		cum += LOAD(h->bucket[IFD_HIST_BUCKETS - 1]);
		/* Read separately from the buckets: never report fewer than they hold. */
		if (count < cum)
			count = cum;
		fprintf(f, "ikefarm_burst_seconds_bucket{shard=\"%u\",le=\"+Inf\"} %lu\n", i,
			(unsigned long)count);
		fprintf(f, "ikefarm_burst_seconds_sum{shard=\"%u\"} %.9f\n", i,
			LOAD(h->sum_ns) / 1e9);
		fprintf(f, "ikefarm_burst_seconds_count{shard=\"%u\"} %lu\n", i,
			(unsigned long)count);
	}
}

/* The whole scrape body in a malloc'd buffer, or NULL. */
static char *
render(size_t *len)
{
	unsigned nv = ifd_value_count(), n = srv.nb_shards;
	uint64_t *v = calloc((size_t)nv * n, sizeof(*v));
	char *body = NULL;
	FILE *f;

	if (v == NULL)
		return NULL;
	f = open_memstream(&body, len);
	if (f == NULL) {
		free(v);
		return NULL;
	}
	for (unsigned i = 0; i < n; i++)
		ifd_values_add_shard(srv.app->shards[i], v + (size_t)i * nv);
	fprintf(f, "# TYPE ikefarm_info gauge\nikefarm_info{version=\"%s\"} 1\n", IKEFARM_VERSION);
	fprintf(f, "# TYPE ikefarm_shards gauge\nikefarm_shards %u\n", n);
	put_counters(f, v, n);
	put_histograms(f, srv.app, n);
	free(v);
	if (fclose(f) != 0) {
		free(body);
		return NULL;
	}
	return body;
}

static void
send_all(int fd, const char *p, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = send(fd, p, len, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

static void
reply(int fd, const char *status, const char *type, const char *body, size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, type, len);

	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

/* Reads until the end of the request head (or REQ_WAIT_MS); returns its length or -1. */
static ssize_t
read_request(int fd, char *buf, size_t cap)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	size_t got = 0;
	ssize_t r;

	while (got < cap - 1) {
		if (poll(&pfd, 1, REQ_WAIT_MS) <= 0)
			return -1;
		r = recv(fd, buf + got, cap - 1 - got, 0);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL || strstr(buf, "\n\n") != NULL)
			return (ssize_t)got;
	}
	return -1;
}

static void
serve(int fd)
{
	static const char text_type[] = "text/plain; version=0.0.4; charset=utf-8";
	char req[REQ_MAX];
	size_t len;
	char *body;

	if (read_request(fd, req, sizeof(req)) < 0)
		return;
	if (strncmp(req, "GET ", 4) != 0) {
		reply(fd, "405 Method Not Allowed", "text/plain", "GET only\n", 9);
		return;
	}
	if (strncmp(req + 4, "/metrics ", 9) != 0 && strncmp(req + 4, "/metrics?", 9) != 0) {
		reply(fd, "404 Not Found", "text/plain", "try /metrics\n", 13);
		return;
	}
	body = render(&len);
	if (body == NULL) {
		reply(fd, "500 Internal Server Error", "text/plain", "out of memory\n", 14);
		return;
	}
	reply(fd, "200 OK", text_type, body, len);
	free(body);
}

static void *
metrics_main(void *arg)
{
	struct pollfd pfd = {.fd = srv.fd, .events = POLLIN};
	int c;

	(void)arg;
	while (!__atomic_load_n(&srv.stop, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		c = accept4(srv.fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		serve(c);
		close(c);
	}
	return NULL;
}

int
ifd_metrics_start(struct ifd_app *app, unsigned nb_shards, const char *addr, char *err,
		  size_t err_len)
{
	struct sockaddr_storage ss;
	unsigned len;
	int one = 1;

	if (ifd_addrport_parse(addr, &ss, &len) != 0) {
		snprintf(err, err_len, "metrics.listen: '%s' is not ADDR:PORT or [V6ADDR]:PORT",
			 addr);
		return -1;
	}
	srv.fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.fd < 0 || setsockopt(srv.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(srv.fd, (struct sockaddr *)&ss, len) != 0 || listen(srv.fd, 16) != 0) {
		snprintf(err, err_len, "metrics.listen %s: %s", addr, strerror(errno));
		if (srv.fd >= 0)
			close(srv.fd);
		srv.fd = -1;
		return -1;
	}
	srv.app = app;
	srv.nb_shards = nb_shards;
	srv.stop = false;
	if (pthread_create(&srv.thread, NULL, metrics_main, NULL) != 0) {
		snprintf(err, err_len, "metrics: cannot start its thread");
		close(srv.fd);
		srv.fd = -1;
		return -1;
	}
	pthread_setname_np(srv.thread, "ikefarm-metrics");
	srv.running = true;
	return 0;
}

void
ifd_metrics_stop(void)
{
	if (!srv.running)
		return;
	__atomic_store_n(&srv.stop, true, __ATOMIC_RELEASE);
	pthread_join(srv.thread, NULL);
	close(srv.fd);
	srv.fd = -1;
	srv.running = false;
}
