/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_handoff.c - the SA records a handoff describes (esp_handoff.h). */
#include <string.h>

#include "esp_handoff.h"

bool
esp_handoff_sa(const struct esp_handoff *h, struct esp_sa *sa)
{
	size_t alen = h->flags & ESP_SA_OUTER_V6 ? 16 : 4;

	memset(sa, 0, sizeof(*sa));
	if (h->op != ESP_HO_INSTALL || h->spi_in < 256 || h->spi_out < 256 ||
	    !esp_sa_set_alg(sa, (enum esp_alg)h->alg, h->enc_key_len))
		return false;
	sa->spi_in = h->spi_in;
	sa->spi_out = h->spi_out;
	sa->flags |= (uint8_t)((h->flags & (ESP_SA_ESN | ESP_SA_UDP | ESP_SA_OUTER_V6)) |
			       (h->ts_remote.v6 ? ESP_SA_TS_V6 : 0));
	memcpy(sa->remote, h->remote, alen);
	sa->lport = h->local_port;
	sa->rport = h->remote_port;
	sa->ts_len = esp_range_prefix(&h->ts_remote, sa->ts);
	esp_limits_of(&h->life, &sa->life);
	return true;
}
