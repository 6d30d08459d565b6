/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_metrics - a Prometheus/OpenMetrics scrape endpoint: GET /metrics on
 * [metrics] listen (ADDR:PORT or [V6ADDR]:PORT) answers the counters of
 * /ikefarm/stats per worker (label shard), the SA gauges and the workers'
 * burst-time histograms, in the Prometheus text format 0.0.4. One control
 * thread, never a worker lcore; it only reads what the workers publish.
 */
#ifndef IFD_METRICS_H
#define IFD_METRICS_H

#include <stddef.h>

#include "ifd_proto.h"

/* Binds addr ([metrics] listen) and starts the thread. 0, or -1 with the reason in err. */
int ifd_metrics_start(struct ifd_app *app, unsigned nb_shards, const char *addr, char *err,
		      size_t err_len);

/* Stops the thread and closes the socket (before the shards go). */
void ifd_metrics_stop(void);

#endif
