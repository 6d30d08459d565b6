/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An oldest-first list of the slots in use of one table, linked by slot
 * index (UINT32_MAX, i.e. IKE_NO_SLOT, ends it): O(1) append, unlink and oldest, for
 * eviction and expiry. The half-open slots (ike_ho.c) and the response
 * cache (ike_window.c) each keep one; a slot embeds its struct ike_age.
 */
#ifndef IKE_AGE_H
#define IKE_AGE_H

#include <stddef.h>
#include <stdint.h>

struct ike_age {
	uint32_t older;
	uint32_t newer;
};

struct ike_age_list {
	uint32_t oldest;
	uint32_t newest;
};

/* The node of slot i, in a table whose slot 0 holds its node at first, stride octets apart. */
static inline struct ike_age *
ike_age_at(struct ike_age *first, size_t stride, uint32_t i)
{
	return (struct ike_age *)((char *)first + (size_t)i * stride);
}

static inline void
ike_age_init(struct ike_age_list *l)
{
	l->oldest = UINT32_MAX;
	l->newest = UINT32_MAX;
}

static inline void
ike_age_unlink(struct ike_age_list *l, struct ike_age *first, size_t stride, uint32_t i)
{
	struct ike_age *a = ike_age_at(first, stride, i);

	if (a->older != UINT32_MAX)
		ike_age_at(first, stride, a->older)->newer = a->newer;
	else
		l->oldest = a->newer;
	if (a->newer != UINT32_MAX)
		ike_age_at(first, stride, a->newer)->older = a->older;
	else
		l->newest = a->older;
}

static inline void
ike_age_append(struct ike_age_list *l, struct ike_age *first, size_t stride, uint32_t i)
{
	struct ike_age *a = ike_age_at(first, stride, i);

	a->older = l->newest;
	a->newer = UINT32_MAX;
	if (l->newest != UINT32_MAX)
		ike_age_at(first, stride, l->newest)->newer = i;
	else
		l->oldest = i;
	l->newest = i;
}

#endif
