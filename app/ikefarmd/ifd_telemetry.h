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

#include "ifd_proto.h"

/* Registers the commands for app's shards. Returns 0 or -1. */
int ifd_telemetry_register(struct ifd_app *app, unsigned nb_shards);

/* Makes the commands answer with an error from now on (before the shards go). */
void ifd_telemetry_stop(void);

#endif
