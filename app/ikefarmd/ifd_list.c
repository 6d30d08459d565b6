/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_list.c - the listing mailbox and its position parser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ifd_list.h"

uint32_t
ifd_list_post(struct ifd_list_box *b, const struct ike_sa_cursor *c)
{
	uint32_t req = b->req;

	if (__atomic_load_n(&b->done, __ATOMIC_ACQUIRE) != req)
		return 0;
	/* The worker does not touch the box while done == req. */
	b->cursor = *c;
	b->n = 0;
	req = req + 1 == 0 ? 1 : req + 1;
	__atomic_store_n(&b->req, req, __ATOMIC_RELEASE);
	return req;
}

bool
ifd_list_finished(const struct ifd_list_box *b, uint32_t seq)
{
	return __atomic_load_n(&b->done, __ATOMIC_ACQUIRE) == seq;
}

struct ike_sa_cursor *
ifd_list_pending(struct ifd_list_box *b)
{
	return __atomic_load_n(&b->req, __ATOMIC_ACQUIRE) == b->done ? NULL : &b->cursor;
}

void
ifd_list_complete(struct ifd_list_box *b, unsigned n)
{
	b->n = n;
	__atomic_store_n(&b->done, b->req, __ATOMIC_RELEASE);
}

static int
number(const char *s, const char **end, int base, unsigned long long max, unsigned long long *out)
{
	char *e;

	if (*s < '0' || *s > 'f')
		return -1; /* no sign, no space */
	errno = 0;
	*out = strtoull(s, &e, base);
	if (e == s || errno == ERANGE || *out > max)
		return -1;
	*end = e;
	return 0;
}

int
ifd_list_pos_parse(const char *text, unsigned *shard, struct ike_sa_cursor *c)
{
	unsigned long long v[3];
	const char *p = text;

	memset(c, 0, sizeof(*c));
	*shard = 0;
	if (text == NULL || *text == '\0')
		return 0;
	if (number(p, &p, 10, UINT32_MAX, &v[0]) != 0 || *p++ != ':' ||
	    number(p, &p, 10, UINT32_MAX, &v[1]) != 0 || *p++ != ':' ||
	    number(p, &p, 16, UINT64_MAX, &v[2]) != 0 || *p != '\0')
		return -1;
	*shard = (unsigned)v[0];
	c->peer = (uint32_t)v[1];
	c->spi = v[2];
	return 0;
}
