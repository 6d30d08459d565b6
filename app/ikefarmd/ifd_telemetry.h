/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_telemetry - DPDK telemetry for the daemon:
 *   /ikefarm/stats       the IKE core's counters summed over the shards, SA counts
 *   /ikefarm/shard,<n>   the same for one shard
 *   /ikefarm/runtime[,<n>] the runtime's (RT_COUNTER_LIST), the packet
 *                        device's (io_*) and events_suppressed, summed or one shard
 *   /ikefarm/reauth,<sel> RFC 4478 reauthentication: all, spi:HEX, id:TYPE:VALUE
 *   /ikefarm/ticket_keys_reload  reload [tickets] key_file
 * Which value goes where, and why: ifd_tel_layout.h.
 */
#ifndef IFD_TELEMETRY_H
#define IFD_TELEMETRY_H

#include <stdbool.h>

#include "ifd_proto.h"
#include "ifd_tel_layout.h"

/*
 * The values behind /ikefarm/stats and /ikefarm/runtime, also served by
 * the metrics endpoint (names and endpoints: ifd_tel_layout.h): summed
 * into v[] (ifd_value_count() of them) by ifd_values_add_shard().
 */
void ifd_values_add_shard(const struct ifd_shard *s, uint64_t *v);

/* Registers the commands for app's shards. Returns 0 or -1. */
int ifd_telemetry_register(struct ifd_app *app, unsigned nb_shards);

/* Makes the commands answer with an error from now on (before the shards go). */
void ifd_telemetry_stop(void);

#endif
