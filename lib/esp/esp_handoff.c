/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_handoff.c - the SA records a handoff describes (esp_handoff.h). */
#include <string.h>

#include "esp_handoff.h"

bool
esp_handoff_sa(const struct esp_handoff *h, struct esp_sa *sa)
{
	size_t alen = h->flags & ESP_SA_OUTER_V6 ? 16 : 4;

	bool both = h->flags & ESP_SA_TS_BOTH;
	const struct esp_range *r6 = h->ts_remote.v6 ? &h->ts_remote : &h->ts_remote2;
	const struct esp_range *r4 = h->ts_remote.v6 ? &h->ts_remote2 : &h->ts_remote;

	memset(sa, 0, sizeof(*sa));
	if (h->op != ESP_HO_INSTALL || h->spi_in < 256 || h->spi_out < 256 ||
	    (both && h->ts_remote.v6 == h->ts_remote2.v6) ||
	    !esp_sa_set_alg(sa, (enum esp_alg)h->alg, h->enc_key_len))
		return false;
	sa->spi_in = h->spi_in;
	sa->spi_out = h->spi_out;
	sa->flags |= (uint8_t)((h->flags &
				(ESP_SA_ESN | ESP_SA_UDP | ESP_SA_OUTER_V6 | ESP_SA_TS_BOTH)) |
			       (h->ts_remote.v6 || both ? ESP_SA_TS_V6 : 0));
	memcpy(sa->remote, h->remote, alen);
	sa->lport = h->local_port;
	sa->rport = h->remote_port;
	if (both) { /* ts the IPv6 selector, ts4 the IPv4 one */
		uint8_t a4[16];

		sa->ts_len = esp_range_prefix(r6, sa->ts);
		sa->ts4_len = esp_range_prefix(r4, a4);
		memcpy(sa->ts4, a4, sizeof(sa->ts4));
	} else {
		sa->ts_len = esp_range_prefix(&h->ts_remote, sa->ts);
	}
	esp_limits_of(&h->life, &sa->life);
	return true;
}

void
esp_handoff_ts_local(const struct esp_handoff *h, struct esp_ts_local *t)
{
	memset(t, 0, sizeof(*t));
	esp_ts_local_add(t, &h->ts_local);
	if (h->ts_local_both)
		esp_ts_local_add(t, &h->ts_local2);
}
