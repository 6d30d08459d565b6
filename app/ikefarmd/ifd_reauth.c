/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_reauth.c - reauthentication selectors and the per-worker mailbox. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifd_creds.h"
#include "ifd_reauth.h"

int
ifd_reauth_parse(const char *text, struct ike_reauth_sel *sel, uint8_t id_buf[255], char *why,
		 size_t wlen)
{
	const char *colon;
	char type[16], *end;

	memset(sel, 0, sizeof(*sel));
	if (text == NULL) {
		snprintf(why, wlen, "no selector: all, spi:HEX or id:TYPE:VALUE");
		return -1;
	}
	if (!strcmp(text, "all")) {
		sel->scope = IKE_REAUTH_ALL;
		return 0;
	}
	if (!strncmp(text, "spi:", 4)) {
		errno = 0;
		sel->spi_r = strtoull(text + 4, &end, 16);
		if (text[4] == '\0' || *end != '\0' || errno == ERANGE || strlen(text + 4) > 16 ||
		    sel->spi_r == 0) {
			snprintf(why, wlen, "'%s': spi: takes our SPI as 1..16 hex digits", text);
			return -1;
		}
		sel->scope = IKE_REAUTH_SA;
		return 0;
	}
	if (!strncmp(text, "id:", 3)) {
		colon = strchr(text + 3, ':');
		if (colon == NULL || (size_t)(colon - text - 3) >= sizeof(type)) {
			snprintf(why, wlen, "'%s' is not id:TYPE:VALUE", text);
			return -1;
		}
		memcpy(type, text + 3, (size_t)(colon - text - 3));
		type[colon - text - 3] = '\0';
		if (ifd_id_parse(type, colon + 1, &sel->id_type, id_buf, &sel->id_len, why, wlen) !=
		    0)
			return -1;
		sel->id = id_buf;
		sel->scope = IKE_REAUTH_IDENTITY;
		return 0;
	}
	snprintf(why, wlen, "'%s': expected all, spi:HEX or id:TYPE:VALUE", text);
	return -1;
}

uint32_t
ifd_reauth_post(struct ifd_reauth_box *b, const struct ike_reauth_sel *sel)
{
	uint32_t req = b->req;

	if (__atomic_load_n(&b->done, __ATOMIC_ACQUIRE) != req)
		return 0;
	/* The worker does not touch sel/id while done == req. */
	b->sel = *sel;
	if (sel->scope == IKE_REAUTH_IDENTITY) {
		memcpy(b->id, sel->id, sel->id_len);
		b->sel.id = b->id;
	}
	req = req + 1 == 0 ? 1 : req + 1;
	__atomic_store_n(&b->req, req, __ATOMIC_RELEASE);
	return req;
}

bool
ifd_reauth_finished(const struct ifd_reauth_box *b, uint32_t seq, uint32_t *asked)
{
	if (__atomic_load_n(&b->done, __ATOMIC_ACQUIRE) != seq)
		return false;
	*asked = b->asked;
	return true;
}

struct ike_reauth_sel *
ifd_reauth_pending(struct ifd_reauth_box *b)
{
	uint32_t req = __atomic_load_n(&b->req, __ATOMIC_ACQUIRE);

	if (req == b->done)
		return NULL;
	if (b->working != req) {
		b->working = req;
		b->asked = 0;
	}
	return &b->sel;
}

void
ifd_reauth_progress(struct ifd_reauth_box *b, unsigned n)
{
	b->asked += n;
	if (b->sel.done)
		__atomic_store_n(&b->done, b->working, __ATOMIC_RELEASE);
}
