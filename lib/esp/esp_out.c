/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * esp_out.c - outbound ESP tunnel mode (RFC 4303 3.1.2, 3.3): sequence
 * number, IV, padding, trailer, outer IPv4/IPv6 header and, behind a NAT,
 * the RFC 3948 UDP header. The ICV is written by esp_out_finish().
 */
#include <string.h>

#include "esp_csum.h"
#include "esp_pkt.h"
#include "ike_buf.h"

#define IPV4_HDR 20
#define IPV6_HDR 40
#define UDP_HDR 8

static unsigned
outer_len(const struct esp_sa *sa)
{
	return (sa->flags & ESP_SA_OUTER_V6 ? IPV6_HDR : IPV4_HDR) +
	       (sa->flags & ESP_SA_UDP ? UDP_HDR : 0);
}

unsigned
esp_out_headroom(const struct esp_sa *sa)
{
	return outer_len(sa) + ESP_HDR_LEN + esp_sa_iv_len(sa);
}

unsigned
esp_out_tailroom(const struct esp_sa *sa)
{
	return esp_sa_align(sa) - 1u + ESP_TRAILER_MIN + esp_sa_icv_len(sa);
}

uint32_t
esp_out_max_inner(const struct esp_sa *sa, uint32_t mtu)
{
	uint32_t fixed = esp_out_headroom(sa) + esp_sa_icv_len(sa), align = esp_sa_align(sa), room;

	/* outer = fixed + align_up(inner + trailer, align) <= mtu */
	if (mtu < fixed + align)
		return 0;
	room = (mtu - fixed) / align * align;
	return room < ESP_TRAILER_MIN ? 0 : room - ESP_TRAILER_MIN;
}

static void
put_ipv4(uint8_t *p, const struct esp_sa *sa, const uint8_t *local, uint32_t total, uint8_t proto)
{
	memset(p, 0, IPV4_HDR);
	p[0] = 0x45;
	ike_put_u16(p + 2, (uint16_t)total);
	p[8] = ESP_OUTER_TTL;
	p[9] = proto;
	memcpy(p + 12, local, 4);
	memcpy(p + 16, sa->remote, 4);
	ike_put_u16(p + 10, esp_csum_fold(esp_csum_add(0, p, IPV4_HDR)));
}

static void
put_ipv6(uint8_t *p, const struct esp_sa *sa, const uint8_t *local, uint32_t payload, uint8_t proto)
{
	memset(p, 0, 8);
	p[0] = 0x60;
	ike_put_u16(p + 4, (uint16_t)payload);
	p[6] = proto;
	p[7] = ESP_OUTER_TTL;
	memcpy(p + 8, local, 16);
	memcpy(p + 24, sa->remote, 16);
}

/* The outer headers in front of esp, for an ESP packet of esp_len octets. */
static uint8_t *
put_outer(const struct esp_sa *sa, const uint8_t *local, uint8_t *esp, uint32_t esp_len)
{
	bool udp = sa->flags & ESP_SA_UDP;
	uint8_t *p = esp - outer_len(sa);
	uint8_t *ip_payload = udp ? esp - UDP_HDR : esp;
	uint32_t payload = esp_len + (udp ? UDP_HDR : 0);
	uint8_t proto = udp ? 17 : ESP_PROTO;

	if (sa->flags & ESP_SA_OUTER_V6)
		put_ipv6(p, sa, local, payload, proto);
	else
		put_ipv4(p, sa, local, IPV4_HDR + payload, proto);
	if (udp) {
		/* RFC 3948 2.1: IPv4 checksum zero; IPv6 needs one (esp_out_finish). */
		ike_put_u16(ip_payload, sa->lport);
		ike_put_u16(ip_payload + 2, sa->rport);
		ike_put_u16(ip_payload + 4, (uint16_t)payload);
		ike_put_u16(ip_payload + 6, 0);
	}
	return p;
}

enum esp_status
esp_out_prepare(struct esp_sa *sa, const uint8_t *local, const void *keys, uint8_t *inner,
		uint32_t inner_len, uint32_t headroom, uint32_t tailroom, const uint8_t *iv,
		struct esp_job *j, uint8_t **outer, uint32_t *outer_len_out)
{
	bool esn = sa->flags & ESP_SA_ESN;
	uint32_t iv_len = esp_sa_iv_len(sa), icv_len = esp_sa_icv_len(sa), align = esp_sa_align(sa);
	uint32_t payload, pad, esp_len, i;
	uint8_t nh, *esp, *trailer;
	uint64_t seq;

	if (sa->ev & ESP_EV_HARD << ESP_EV_OUT_SHIFT)
		return ESP_E_EXPIRED;
	if (inner_len < 1)
		return ESP_E_INNER;
	nh = inner[0] >> 4 == 4 ? ESP_NH_IPV4 : inner[0] >> 4 == 6 ? ESP_NH_IPV6 : 0;
	if (nh == 0)
		return ESP_E_INNER;
	/* RFC 4303 3.3.3: the counter must never cycle; the SA needs a rekey first. */
	if (sa->out.seq == (esn ? UINT64_MAX : UINT32_MAX))
		return ESP_E_SEQ_EXHAUSTED;
	payload = inner_len + ESP_TRAILER_MIN;
	pad = (align - payload % align) % align;
	if (headroom < esp_out_headroom(sa) || tailroom < pad + ESP_TRAILER_MIN + icv_len ||
	    inner_len > 65535 - esp_out_headroom(sa) - esp_out_tailroom(sa))
		return ESP_E_NOSPACE;
	seq = ++sa->out.seq;
	esp = inner - ESP_HDR_LEN - iv_len;
	ike_put_u32(esp, sa->spi_out);
	ike_put_u32(esp + 4, (uint32_t)seq);
	if (sa->alg == ESP_ALG_AES_GCM_16)
		ike_put_u64(esp + ESP_HDR_LEN, seq);
	else
		memcpy(esp + ESP_HDR_LEN, iv, iv_len);
	/* RFC 4303 2.4: the default padding is 1, 2, 3, ... */
	trailer = inner + inner_len;
	for (i = 0; i < pad; i++)
		trailer[i] = (uint8_t)(i + 1);
	trailer[pad] = (uint8_t)pad;
	trailer[pad + 1] = nh;
	esp_len = ESP_HDR_LEN + iv_len + inner_len + pad + ESP_TRAILER_MIN + icv_len;

	esp_job_init(j, sa, keys, esp, inner_len + pad + ESP_TRAILER_MIN, seq, ESP_ENCRYPT);
	j->inner_len = inner_len;
	j->local = local;
	*outer = put_outer(sa, local, esp, esp_len);
	*outer_len_out = outer_len(sa) + esp_len;
	return ESP_OK;
}

enum esp_status
esp_out_finish(struct esp_sa *sa, struct esp_job *j, unsigned *events)
{
	uint32_t icv_len = esp_sa_icv_len(sa),
		 icv_off = ESP_HDR_LEN + esp_sa_iv_len(sa) + j->payload_len;

	if (!j->done)
		return ESP_E_CRYPTO;
	memcpy(j->esp + icv_off, j->tag, icv_len);
	if ((sa->flags & (ESP_SA_UDP | ESP_SA_OUTER_V6)) == (ESP_SA_UDP | ESP_SA_OUTER_V6)) {
		uint8_t *udp = j->esp - UDP_HDR;

		ike_put_u16(udp + 6,
			    esp_csum_udp6(j->local, sa->remote, udp, UDP_HDR + icv_off + icv_len));
	}
	*events = esp_sa_account(&sa->life, j->seq, &sa->out.bytes, &sa->ev, ESP_EV_OUT_SHIFT,
				 j->inner_len);
	return ESP_OK;
}
