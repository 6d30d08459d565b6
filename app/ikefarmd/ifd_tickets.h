/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_tickets - the daemon's RFC 5723 ticket key ring (docs/tickets.md 4).
 * At start it loads [tickets] key_file, or without one makes a single
 * random key (tickets then only resume on this process). A reload (SIGHUP,
 * /ikefarm/ticket_keys_reload) builds a new ring, publishes it in the core
 * configuration with one pointer store and frees the old ring once every
 * worker has passed a quiescent point (rt_synchronize). A bad file keeps
 * the old ring. Control path only; workers take no lock.
 */
#ifndef IFD_TICKETS_H
#define IFD_TICKETS_H

#include <stddef.h>

#include "ifd_config.h"
#include "rt.h"

struct ifd_warnings;

/*
 * With tickets on (core.ticket_lifetime_s > 0) loads or makes the first
 * ring into cfg->core.ticket_keyring; needs no EAL (--check-config runs
 * it too). A key file must have a key that seals now and no all-zero
 * secret; group/other permissions go to w. A reload applies the same
 * checks. Returns 0, or -1 with "FILE:LINE: reason" in err.
 */
int ifd_tickets_init(struct ifd_config *cfg, struct ifd_warnings *w, char *err, size_t errlen);

/* Enables reloads; rt runs the shards that read the ring. */
void ifd_tickets_attach(struct rt *rt);

/*
 * Reloads the key file (any thread but a worker's; reloads are serialized).
 * Writes the outcome into msg. Returns 0 when a new ring is in use.
 */
int ifd_tickets_reload(char *msg, size_t len);

/* Frees the ring; the shards must be stopped. */
void ifd_tickets_fini(void);

#endif
