/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_telemetry - read-only DPDK telemetry for the daemon:
 *   /ikefarm/stats       every counter summed over the shards, SA counts
 *   /ikefarm/shard,<n>   the same for one shard
 *   /ikefarm/reauth,<sel> RFC 4478 reauthentication: all, spi:HEX, id:TYPE:VALUE
 *   /ikefarm/ticket_keys_reload  reload [tickets] key_file
 * Values: ike_sas, half_open, the core's counters (ike_counter_name), the
 * runtime's (RT_COUNTER_LIST) and the packet device's (io_*).
 */
#ifndef IFD_TELEMETRY_H
#define IFD_TELEMETRY_H

#include <stdbool.h>

#include "ifd_proto.h"

/*
 * The values behind /ikefarm/stats, also served by the metrics endpoint:
 * ifd_value_count() of them, each named (ifd_value_name) and summed into
 * v[] by ifd_values_add_shard(). Gauges (SA counts) go up and down, the
 * rest are counters.
 */
unsigned ifd_value_count(void);
const char *ifd_value_name(unsigned k);
bool ifd_value_is_gauge(unsigned k);
void ifd_values_add_shard(const struct ifd_shard *s, uint64_t *v);

/* Registers the commands for app's shards. Returns 0 or -1. */
int ifd_telemetry_register(struct ifd_app *app, unsigned nb_shards);

/* Makes the commands answer with an error from now on (before the shards go). */
void ifd_telemetry_stop(void);

#endif
