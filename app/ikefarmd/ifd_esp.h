/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_esp - the daemon's side of the ESP data path (app/dataplane): the
 * last [runtime] esp_lcores lcores carry ESP between the outside port
 * ([net] port) and the inside port ([net] inside_port); the IKE workers
 * choose Child SA SPIs that name a data-path lcore, hand Child SAs over as
 * the core installs and deletes them, pass on the ESP their queues
 * receive, and act on the lifetime events the data path reports.
 */
#ifndef IFD_ESP_H
#define IFD_ESP_H

#include <stdint.h>

#include "ifd_proto.h"
#include "ifd_retired.h"

struct rte_mbuf;

/* Sets up the inside port and the data path when esp_lcores > 0 (app->dp). 0 or -1 (logged). */
int ifd_esp_start(struct ifd_app *app, unsigned nb_workers);
void ifd_esp_stop(struct ifd_app *app);
/* Once the IKE workers' devices are open: ESP leaves through their relay rings. */
int ifd_esp_attach(struct ifd_app *app, unsigned nb_workers);

/* ike_child_spi_cb (arg: the app); worker = the shard's id, passed in *child's context. */
uint32_t ifd_esp_spi(struct ifd_app *app, unsigned worker, const struct ike_child_info *c);
/* ike_child_spi_free_cb: an SPI from ifd_esp_spi() that was never installed. */
void ifd_esp_spi_free(struct ifd_app *app, unsigned worker, uint32_t spi_in);
/* The core installed or deleted a Child SA on worker. */
void ifd_esp_child(struct ifd_app *app, unsigned worker, const struct ike_child_info *c);
/*
 * Lifetime events for worker: soft limits start a rekey (CREATE_CHILD_SA),
 * hard limits and idle Child SAs are deleted (INFORMATIONAL, RFC 7296 2.8)
 * through ike; the final counters of removed ones go to retired. Returns
 * the core tx count.
 */
unsigned ifd_esp_events(struct ifd_app *app, unsigned worker, struct ike_shard *ike,
			struct ifd_retired *retired, uint64_t now_ms, struct ike_tx *tx,
			unsigned tx_n);

/* rt_proto hooks. */
void ifd_esp_input(void *app, uint16_t worker, struct rte_mbuf *m);
int ifd_esp_lcore(void *app);

#endif
