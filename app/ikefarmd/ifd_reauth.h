/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_reauth - operator-driven RFC 4478 reauthentication. A selector
 * ("all", "spi:HEX", "id:TYPE:VALUE") goes from the control thread to each
 * worker through a one-slot mailbox per shard: the control side fills the
 * slot while it is idle and publishes it by bumping req; the worker runs
 * ike_shard_reauth_request() between bursts until the selector is done and
 * then publishes done = req. One writer per field, no lock.
 */
#ifndef IFD_REAUTH_H
#define IFD_REAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

struct ifd_reauth_box {
	uint32_t req;	  /* control thread */
	uint32_t done;	  /* worker */
	uint32_t working; /* worker: the command it is counting for */
	uint32_t asked;	  /* worker: requests sent for it (read once done == its number) */
	struct ike_reauth_sel sel;
	uint8_t id[255];
};

/*
 * Parses a selector into sel (id points into id_buf); NULL is refused (no
 * implicit "all"). Returns 0, or -1 with why.
 */
int ifd_reauth_parse(const char *text, struct ike_reauth_sel *sel, uint8_t id_buf[255], char *why,
		     size_t wlen);

/* Control side: posts sel. Returns the command's number, or 0 when the box is busy. */
uint32_t ifd_reauth_post(struct ifd_reauth_box *b, const struct ike_reauth_sel *sel);

/* Control side: true once command seq is done; *asked: its request count. */
bool ifd_reauth_finished(const struct ifd_reauth_box *b, uint32_t seq, uint32_t *asked);

/* Worker side: the selector to work on, or NULL when there is nothing to do. */
struct ike_reauth_sel *ifd_reauth_pending(struct ifd_reauth_box *b);

/* Worker side: after sending n requests; completes the command once sel->done. */
void ifd_reauth_progress(struct ifd_reauth_box *b, unsigned n);

#endif
