/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_retired.c - gone Child SAs' counters per IKE SA (ifd_retired.h). */
#include <stdlib.h>
#include <string.h>

#include "esp_handoff.h"
#include "ifd_retired.h"

#define RETIRED_MIN 64u
#define RETIRED_SHARE 8u /* one slot per this many SAs */

int
ifd_retired_init(struct ifd_retired *t, unsigned n)
{
	uint32_t size = RETIRED_MIN;

	while (size < n / RETIRED_SHARE && size < (1u << 30))
		size <<= 1;
	memset(t, 0, sizeof(*t));
	t->slot = calloc(size, sizeof(*t->slot));
	if (t->slot == NULL)
		return -1;
	t->mask = size - 1;
	return 0;
}

void
ifd_retired_fini(struct ifd_retired *t)
{
	free(t->slot);
	t->slot = NULL;
}

/* Our IKE SPIs carry a random tag, but also shard and slot bits: mix them all. */
static struct ifd_retired_sa *
slot_of(const struct ifd_retired *t, uint64_t spi)
{
	uint64_t h = spi * 0x9e3779b97f4a7c15ull;

	return &t->slot[(h >> 32) & t->mask];
}

void
ifd_retired_add(struct ifd_retired *t, const struct esp_event *ev)
{
	struct ifd_retired_sa *e;

	if (t->slot == NULL || ev->ike_spi == 0)
		return;
	e = slot_of(t, ev->ike_spi);
	if (e->ike_spi != ev->ike_spi) {
		if (e->ike_spi != 0)
			t->evicted++;
		memset(e, 0, sizeof(*e));
		e->ike_spi = ev->ike_spi;
	}
	e->packets += ev->in.packets + ev->out.packets;
	e->bytes += ev->in.bytes + ev->out.bytes;
	e->errors += (uint64_t)ev->in.replay + ev->in.auth;
}

void
ifd_retired_move(struct ifd_retired *t, uint64_t old_spi, uint64_t new_spi)
{
	struct ifd_retired_sa *o, *n, moved;

	if (t->slot == NULL || old_spi == 0 || new_spi == 0)
		return;
	o = slot_of(t, old_spi);
	if (o->ike_spi != old_spi)
		return;
	moved = *o;
	memset(o, 0, sizeof(*o));
	n = slot_of(t, new_spi);
	if (n->ike_spi != 0)
		t->evicted++;
	*n = moved;
	n->ike_spi = new_spi;
}

void
ifd_retired_drop(struct ifd_retired *t, uint64_t ike_spi)
{
	struct ifd_retired_sa *e;

	if (t->slot == NULL)
		return;
	e = slot_of(t, ike_spi);
	if (e->ike_spi == ike_spi)
		memset(e, 0, sizeof(*e));
}

const struct ifd_retired_sa *
ifd_retired_get(const struct ifd_retired *t, uint64_t ike_spi)
{
	const struct ifd_retired_sa *e;

	if (t->slot == NULL || ike_spi == 0)
		return NULL;
	e = slot_of(t, ike_spi);
	return e->ike_spi == ike_spi ? e : NULL;
}
