/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_handoff.c - the SA records a handoff describes (esp_handoff.h). */
#include <string.h>

#include "esp_handoff.h"

bool
esp_handoff_sas(const struct esp_handoff *h, struct esp_sa *in, struct esp_sa *out)
{
	bool v6 = h->flags & ESP_SA_OUTER_V6;
	size_t alen = v6 ? 16 : 4;

	memset(in, 0, sizeof(*in));
	memset(out, 0, sizeof(*out));
	if (h->op != ESP_HO_INSTALL || h->spi_in < 256 || h->spi_out < 256 ||
	    !esp_sa_set_alg(in, (enum esp_alg)h->alg, h->enc_key_len) ||
	    !esp_sa_set_alg(out, (enum esp_alg)h->alg, h->enc_key_len))
		return false;
	in->spi = h->spi_in;
	out->spi = h->spi_out;
	in->flags = (uint8_t)((h->flags & (ESP_SA_ESN | ESP_SA_UDP | ESP_SA_OUTER_V6)) |
			      ESP_SA_INBOUND);
	out->flags = (uint8_t)(h->flags & (ESP_SA_ESN | ESP_SA_UDP | ESP_SA_OUTER_V6));
	/* Inbound: the peer sends from remote to local; outbound the reverse. */
	memcpy(in->src, h->remote, alen);
	memcpy(in->dst, h->local, alen);
	memcpy(out->src, h->local, alen);
	memcpy(out->dst, h->remote, alen);
	in->sport = h->remote_port;
	in->dport = h->local_port;
	out->sport = h->local_port;
	out->dport = h->remote_port;
	in->ts = h->ts_remote;
	out->ts = h->ts_remote;
	in->life = h->life;
	out->life = h->life;
	return true;
}
