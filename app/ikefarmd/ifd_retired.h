/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_retired - per IKE SA, the final counters of its Child SAs that are
 * gone (rekeyed away or deleted), so that the IKE SA's totals in
 * ikefarmctl list-sas carry across Child SA rekeys: the data path counts
 * per Child SA, and a rekey starts a new one from zero. One table per IKE
 * worker, touched by that worker only: direct-mapped by our IKE SPI, a
 * colliding IKE SA takes the slot over (evicted counts it), so memory stays
 * fixed whatever the SA count. An IKE SA rekey moves the entry; the IKE
 * SA's end drops it.
 */
#ifndef IFD_RETIRED_H
#define IFD_RETIRED_H

#include <stdbool.h>
#include <stdint.h>

struct esp_event;

struct ifd_retired_sa {
	uint64_t ike_spi; /* 0: free */
	uint64_t packets; /* both directions */
	uint64_t bytes;
	uint64_t errors; /* replayed and bad-ICV packets received */
};

struct ifd_retired {
	struct ifd_retired_sa *slot;
	uint32_t mask;
	uint64_t evicted;
};

/* A table of the power of two at or above n/8 (at least 64) slots; 0 or -1. */
int ifd_retired_init(struct ifd_retired *t, unsigned n);
void ifd_retired_fini(struct ifd_retired *t);
/* A Child SA of ike_spi is gone with these final counters (ESP_EVENT_REMOVED). */
void ifd_retired_add(struct ifd_retired *t, const struct esp_event *ev);
/* IKE SA rekey: old's totals go to nsa. */
void ifd_retired_move(struct ifd_retired *t, uint64_t old_spi, uint64_t new_spi);
/* The IKE SA is gone. */
void ifd_retired_drop(struct ifd_retired *t, uint64_t ike_spi);
/* Its totals, or NULL when none of its Child SAs is gone (or it was evicted). */
const struct ifd_retired_sa *ifd_retired_get(const struct ifd_retired *t, uint64_t ike_spi);

#endif
