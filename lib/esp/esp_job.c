/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_job.c - what the inbound and outbound jobs share. */
#include <stdbool.h>
#include <string.h>

#include "esp_job.h"
#include "esp_pkt.h"
#include "ike_buf.h"

void
esp_job_init(struct esp_job *j, const struct esp_sa *sa, const void *keys, uint8_t *esp,
	     uint32_t payload_len, uint64_t seq, enum esp_dir dir)
{
	bool esn = sa->flags & ESP_SA_ESN;

	memset(j, 0, offsetof(struct esp_job, tag));
	j->keys = keys;
	j->esp = esp;
	j->payload_len = payload_len;
	j->alg = sa->alg;
	j->dir = (uint8_t)dir;
	j->icv_len = (uint8_t)esp_sa_icv_len(sa);
	j->seq = seq;
	if (sa->alg == ESP_ALG_AES_GCM_16) {
		ike_put_u32(j->aad, dir == ESP_DECRYPT ? sa->spi_in : sa->spi_out);
		if (esn)
			ike_put_u64(j->aad + 4, seq);
		else
			ike_put_u32(j->aad + 4, (uint32_t)seq);
		j->aad_len = esn ? 12 : 8;
		return;
	}
	j->auth_len = ESP_HDR_LEN + esp_sa_iv_len(sa) + payload_len;
	if (esn) {
		ike_put_u32(esp + j->auth_len, (uint32_t)(seq >> 32));
		j->auth_len += 4;
	}
}
