/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_proposal_log.c - when no proposal was chosen, say at info level what
 * the peer offered (IANA names) and what we accept (our notation), so an
 * operator can see at once which side to change. Such requests can come in
 * floods, so a shard logs at most one per second and counts the others.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike_core_priv.h"
#include "ike_log.h"
#include "ike_names.h"

#define LOG_INTERVAL_MS 1000
#define LINE_MAX_LEN 1024 /* ike_log()'s line */

struct line {
	char buf[LINE_MAX_LEN];
	size_t off;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->off >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->off, sizeof(l->buf) - l->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->off = l->off + (size_t)n < sizeof(l->buf) ? l->off + (size_t)n
							     : sizeof(l->buf) - 1;
}

static void
put_addr(struct line *l, const struct ike_addr *a)
{
	if (a->family == 4) {
		put(l, "%u.%u.%u.%u[%u]", a->ip[0], a->ip[1], a->ip[2], a->ip[3], a->port);
		return;
	}
	for (unsigned i = 0; i < 16; i += 2)
		put(l, "%s%x", i ? ":" : "", (unsigned)(a->ip[i] << 8 | a->ip[i + 1]));
	put(l, "[%u]", a->port);
}

/* "#1 ESP: AES_CBC/256 HMAC_SHA2_256_128 NO_ESN" per received proposal. */
static void
put_offered(struct line *l, const struct ike_pld_sa *sa)
{
	for (unsigned i = 0; i < sa->n_prop; i++) {
		const struct ike_prop *p = &sa->prop[i];
		const struct ike_xform *xf = ike_prop_xforms(sa, p);

		put(l, "%s#%u %s:", i ? "; " : "", p->num, ike_proto_name(p->proto));
		for (unsigned k = 0; k < p->n_xf; k++) {
			put(l, " %s", ike_transform_id_name(xf[k].type, xf[k].id));
			if (xf[k].has_key_len)
				put(l, "/%u", xf[k].key_len);
		}
	}
}

void
ike_proposal_log_refused(struct ike_shard *s, const struct ike_rx *rx, uint8_t exchange,
			 const struct ike_pld_sa *sa, bool esp)
{
	const struct ike_proposal_cfg *props = esp ? s->esp_props : s->ike_props;
	unsigned n = esp ? s->nb_esp_props : s->nb_ike_props;
	struct line l = {.off = 0};
	char one[256];

	if (s->prop_log_ms != 0 && s->now_ms - s->prop_log_ms < LOG_INTERVAL_MS) {
		s->prop_log_quiet++;
		return;
	}
	s->prop_log_ms = s->now_ms != 0 ? s->now_ms : 1;
	put(&l, "ikefarm.lib.core: %s from ", ike_exch_name(exchange));
	put_addr(&l, &rx->remote);
	put(&l, ": no %s proposal chosen", esp ? "ESP" : "IKE");
	if (s->prop_log_quiet != 0)
		put(&l, " (and %u more not logged)", s->prop_log_quiet);
	put(&l, "; offered ");
	put_offered(&l, sa);
	put(&l, "; we accept ");
	for (unsigned i = 0; i < n; i++) {
		ike_proposal_cfg_format(&props[i], one, sizeof(one));
		put(&l, "%s%s", i ? ", " : "", one);
	}
	s->prop_log_quiet = 0;
	ike_log(IKE_LOG_INFO, "%s", l.buf);
}
