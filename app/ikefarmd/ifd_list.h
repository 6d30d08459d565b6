/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_list - one page of a shard's IKE SAs for the operator's listing
 * (/ikefarm/sas, ikefarmctl list-sas), through a one-slot mailbox per
 * shard like ifd_reauth's: the control thread writes the cursor while the
 * box is idle and bumps req; the worker fills at most IFD_LIST_PAGE SAs
 * between bursts and publishes done = req. So listing 100 000 SAs costs a
 * worker one bounded page per request, never a long stall.
 */
#ifndef IFD_LIST_H
#define IFD_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "ifd_retired.h"
#include "ike_core.h"

/* SAs per page: a page's telemetry reply stays under DPDK's 16 KB. */
#define IFD_LIST_PAGE 32

struct ifd_list_box {
	uint32_t req;		     /* control thread */
	uint32_t done;		     /* worker */
	struct ike_sa_cursor cursor; /* control writes it, the worker moves it on */
	unsigned n;		     /* worker: SAs in sa[] */
	struct ike_sa_info sa[IFD_LIST_PAGE];
	struct ifd_retired_sa retired[IFD_LIST_PAGE]; /* worker: sa[i]'s gone Child SAs (zero: none) */
};

/* Control side: asks for the page at c. Returns its number, or 0 when the box is busy. */
uint32_t ifd_list_post(struct ifd_list_box *b, const struct ike_sa_cursor *c);

/* Control side: true once page seq is in b->sa[0..n) with b->cursor after it. */
bool ifd_list_finished(const struct ifd_list_box *b, uint32_t seq);

/* Worker side: the cursor of a page to fill, or NULL. */
struct ike_sa_cursor *ifd_list_pending(struct ifd_list_box *b);

/* Worker side: n SAs are in b->sa[]. */
void ifd_list_complete(struct ifd_list_box *b, unsigned n);

/*
 * Parses "SHARD:PEER:SPI" (decimal, decimal, hex; "" or NULL: 0:0:0), the
 * position /ikefarm/sas answers with as "next". Returns 0, or -1.
 */
int ifd_list_pos_parse(const char *text, unsigned *shard, struct ike_sa_cursor *c);

#endif
