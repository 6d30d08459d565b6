/* SPDX-License-Identifier: BSD-3-Clause */
/* storm_spimap.c - fixed-size SPIi hash table (linear probing). */
#include <stdlib.h>

#include "storm_spimap.h"

/* SPIs are random, but mix anyway: a responder-chosen pattern must not cluster. */
static uint64_t
slot_of(const struct storm_spimap *m, uint64_t spi)
{
	spi ^= spi >> 33;
	spi *= 0xff51afd7ed558ccdull; /* MurmurHash3 fmix64 constants */
	spi ^= spi >> 33;
	return spi & m->mask;
}

int
storm_spimap_init(struct storm_spimap *m, uint32_t n)
{
	uint64_t size = 16;

	while (size < 2ull * n)
		size *= 2;
	m->ent = calloc(size, sizeof(*m->ent));
	m->mask = size - 1;
	return m->ent != NULL ? 0 : -1;
}

void
storm_spimap_fini(struct storm_spimap *m)
{
	free(m->ent);
	m->ent = NULL;
}

void
storm_spimap_put(struct storm_spimap *m, uint64_t spi, uint32_t idx)
{
	uint64_t i = slot_of(m, spi);

	while (m->ent[i].spi != 0 && m->ent[i].spi != spi)
		i = (i + 1) & m->mask;
	m->ent[i].spi = spi;
	m->ent[i].idx = idx;
}

uint32_t
storm_spimap_get(const struct storm_spimap *m, uint64_t spi)
{
	uint64_t i;

	if (spi == 0)
		return STORM_SPIMAP_NONE;
	for (i = slot_of(m, spi); m->ent[i].spi != 0; i = (i + 1) & m->mask)
		if (m->ent[i].spi == spi)
			return m->ent[i].idx;
	return STORM_SPIMAP_NONE;
}

void
storm_spimap_del(struct storm_spimap *m, uint64_t spi)
{
	uint64_t i, j, home;

	if (spi == 0)
		return;
	for (i = slot_of(m, spi); m->ent[i].spi != spi; i = (i + 1) & m->mask)
		if (m->ent[i].spi == 0)
			return;
	/* Backward shift: pull later entries of the cluster into the hole. */
	for (j = (i + 1) & m->mask; m->ent[j].spi != 0; j = (j + 1) & m->mask) {
		home = slot_of(m, m->ent[j].spi);
		/* move j to i unless its home lies cyclically in (i, j] */
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->ent[i] = m->ent[j];
			i = j;
		}
	}
	m->ent[i].spi = 0;
}
