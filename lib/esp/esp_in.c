/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * esp_in.c - inbound ESP tunnel mode (RFC 4303 3.4): outer header parse
 * (IPv4/IPv6, ESP or RFC 3948 UDP-encapsulated ESP), sequence number and
 * replay check, then after decryption the ICV, padding, next header and
 * the inner packet against the SA's selectors (RFC 4301 5.2): its source
 * against the remote one (TSi), its destination against the local one (TSr).
 */
#include <string.h>

#include "esp_pkt.h"
#include "ike_buf.h"
#include "ike_secret.h"

#define IPV4_HDR 20
#define IPV6_HDR 40
#define UDP_HDR 8

static enum esp_status
parse_udp(const uint8_t *pkt, uint32_t off, uint32_t end, struct esp_in_hdr *h)
{
	const uint8_t *u = pkt + off;
	uint32_t ulen;

	if (end - off < UDP_HDR)
		return ESP_E_TRUNCATED;
	ulen = ike_get_u16(u + 4);
	if (ulen < UDP_HDR || ulen > end - off)
		return ESP_E_TRUNCATED;
	h->udp = true;
	h->sport = ike_get_u16(u);
	h->dport = ike_get_u16(u + 2);
	/* The gateway's end is 4500 (RFC 3948 2.1); the client's may be anything a NAT chose. */
	if (h->dport != ESP_UDP_PORT && h->sport != ESP_UDP_PORT)
		return ESP_E_OUTER;
	if (ulen == UDP_HDR + 1 && u[UDP_HDR] == 0xff)
		return ESP_E_KEEPALIVE;
	if (ulen >= UDP_HDR + 4 && ike_get_u32(u + UDP_HDR) == 0)
		return ESP_E_NOT_ESP;
	h->esp_off = off + UDP_HDR;
	h->esp_len = ulen - UDP_HDR;
	return ESP_OK;
}

enum esp_status
esp_in_parse(const uint8_t *pkt, uint32_t len, struct esp_in_hdr *h)
{
	uint32_t hlen, end;
	uint8_t proto;
	enum esp_status st;

	memset(h, 0, sizeof(*h));
	if (len < 1)
		return ESP_E_TRUNCATED;
	if (pkt[0] >> 4 == 4) {
		if (len < IPV4_HDR)
			return ESP_E_TRUNCATED;
		hlen = (pkt[0] & 0xfu) * 4u;
		end = ike_get_u16(pkt + 2);
		if (hlen < IPV4_HDR || end < hlen || end > len)
			return ESP_E_TRUNCATED;
		/* A fragment (MF set or an offset): the data path does not reassemble. */
		if ((ike_get_u16(pkt + 6) & 0x3fff) != 0)
			return ESP_E_OUTER;
		proto = pkt[9];
		memcpy(h->src, pkt + 12, 4);
		memcpy(h->dst, pkt + 16, 4);
	} else if (pkt[0] >> 4 == 6) {
		if (len < IPV6_HDR)
			return ESP_E_TRUNCATED;
		hlen = IPV6_HDR;
		end = IPV6_HDR + ike_get_u16(pkt + 4);
		if (end > len)
			return ESP_E_TRUNCATED;
		proto = pkt[6]; /* extension headers are not expected in front of ESP */
		memcpy(h->src, pkt + 8, 16);
		memcpy(h->dst, pkt + 24, 16);
		h->v6 = true;
	} else {
		return ESP_E_OUTER;
	}
	if (proto == 17) {
		st = parse_udp(pkt, hlen, end, h);
		if (st != ESP_OK)
			return st;
	} else if (proto == ESP_PROTO) {
		h->esp_off = hlen;
		h->esp_len = end - hlen;
	} else {
		return ESP_E_OUTER;
	}
	if (h->esp_len < ESP_HDR_LEN)
		return ESP_E_TRUNCATED;
	h->spi = ike_get_u32(pkt + h->esp_off);
	return ESP_OK;
}

enum esp_status
esp_in_prepare(struct esp_sa *sa, const void *keys, uint8_t *esp, uint32_t esp_len,
	       struct esp_job *j)
{
	bool esn = sa->flags & ESP_SA_ESN;
	uint32_t icv_len = esp_sa_icv_len(sa), align = esp_sa_align(sa);
	uint32_t fixed = ESP_HDR_LEN + esp_sa_iv_len(sa) + icv_len;
	uint32_t payload;
	uint64_t seq;

	if (sa->ev & ESP_EV_HARD)
		return ESP_E_EXPIRED;
	if (esp_len < fixed + align) {
		sa->in.bad++;
		return ESP_E_TRUNCATED;
	}
	payload = esp_len - fixed;
	if (payload % align != 0) {
		sa->in.bad++;
		return ESP_E_ALIGN;
	}
	if (!esp_replay_check(&sa->in.rw, ike_get_u32(esp + 4), esn, &seq)) {
		sa->in.replay++;
		return ESP_E_REPLAY;
	}
	/* Saved first: with ESN the high sequence bits take its place. */
	memcpy(j->icv_rx, esp + esp_len - icv_len, icv_len);
	esp_job_init(j, sa, keys, esp, payload, seq, ESP_DECRYPT);
	return ESP_OK;
}

/* RFC 4303 2.4: with the default scheme the pad octets are 1, 2, 3, ... */
static bool
pad_ok(const uint8_t *pad, uint32_t n)
{
	uint8_t bad = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		bad |= (uint8_t)(pad[i] ^ (uint8_t)(i + 1));
	return bad == 0;
}

/* Length of the inner packet from its own header (TFC padding may follow it). */
static enum esp_status
inner_check(const struct esp_sa *sa, const struct esp_ts_local *local, const uint8_t *p,
	    uint32_t avail, uint8_t nh, uint32_t *len)
{
	bool v6 = nh == ESP_NH_IPV6;

	if (avail < (v6 ? IPV6_HDR : IPV4_HDR) || p[0] >> 4 != (v6 ? 6 : 4))
		return ESP_E_INNER;
	*len = v6 ? IPV6_HDR + (uint32_t)ike_get_u16(p + 4) : ike_get_u16(p + 2);
	if (*len > avail || (!v6 && (*len < IPV4_HDR || (p[0] & 0xfu) < 5)))
		return ESP_E_INNER;
	if (!esp_sa_ts_has(sa, v6, v6 ? p + 8 : p + 12))
		return ESP_E_SELECTOR;
	if (local != NULL && !esp_ts_local_has(local, v6, v6 ? p + 24 : p + 16))
		return ESP_E_SELECTOR_DST;
	return ESP_OK;
}

enum esp_status
esp_in_finish(struct esp_sa *sa, const struct esp_ts_local *local, struct esp_job *j,
	      uint64_t now_ms, uint8_t **inner, uint32_t *inner_len, unsigned *events)
{
	uint8_t *payload = j->esp + ESP_HDR_LEN + esp_sa_iv_len(sa);
	uint32_t pad_len, avail;
	enum esp_status st;
	uint8_t nh;

	*events = 0;
	if (!j->done)
		return ESP_E_CRYPTO;
	if (!ike_ct_eq(j->tag, j->icv_rx, esp_sa_icv_len(sa))) {
		sa->in.auth++;
		return ESP_E_AUTH;
	}
	/* Authenticated: the window moves (RFC 4303 3.4.3), whatever the content. */
	if (!esp_replay_update(&sa->in.rw, j->seq)) {
		sa->in.replay++;
		return ESP_E_REPLAY;
	}
	pad_len = payload[j->payload_len - 2];
	nh = payload[j->payload_len - 1];
	if (pad_len + ESP_TRAILER_MIN > j->payload_len ||
	    !pad_ok(payload + j->payload_len - ESP_TRAILER_MIN - pad_len, pad_len)) {
		sa->in.bad++;
		return ESP_E_PAD;
	}
	if (nh == ESP_NH_NONE) {
		sa->in.dummy++;
		return ESP_E_DUMMY;
	}
	if (nh != ESP_NH_IPV4 && nh != ESP_NH_IPV6) {
		sa->in.bad++;
		return ESP_E_NEXT_HDR;
	}
	avail = j->payload_len - ESP_TRAILER_MIN - pad_len;
	st = inner_check(sa, local, payload, avail, nh, inner_len);
	if (st != ESP_OK) {
		if (st == ESP_E_SELECTOR || st == ESP_E_SELECTOR_DST)
			sa->in.selector++;
		else
			sa->in.bad++;
		return st;
	}
	*inner = payload;
	sa->in.last_s = (uint32_t)(now_ms / 1000u);
	sa->ev &= (uint8_t)~ESP_EV_IDLE;
	*events =
		esp_sa_account(&sa->life, ++sa->in.packets, &sa->in.bytes, &sa->ev, 0, *inner_len);
	return ESP_OK;
}
