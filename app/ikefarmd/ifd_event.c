/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_event.c - event lines and the per-worker token bucket. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cry_ops.h"
#include "ifd_event.h"
#include "ike_const.h"
#include "ike_names.h"

void
ifd_rate_init(struct ifd_rate *r, uint32_t rate, uint32_t burst, uint64_t now_ms)
{
	memset(r, 0, sizeof(*r));
	r->rate = rate != 0 ? rate : 1;
	r->burst = burst != 0 ? burst : 1;
	r->tokens = r->burst;
	r->last_ms = now_ms;
}

static void
refill(struct ifd_rate *r, uint64_t now_ms)
{
	uint64_t add;

	if (now_ms <= r->last_ms)
		return;
	add = (now_ms - r->last_ms) * r->rate / 1000u;
	if (add == 0)
		return; /* keep the fraction: last_ms stays */
	if (r->tokens + add >= r->burst) {
		r->tokens = r->burst;
		r->last_ms = now_ms;
		return;
	}
	r->tokens += (uint32_t)add;
	/* Advance by the time those whole tokens took, not to now. */
	r->last_ms += add * 1000u / r->rate;
}

bool
ifd_rate_take(struct ifd_rate *r, uint64_t now_ms)
{
	refill(r, now_ms);
	if (r->tokens == 0) {
		r->suppressed++;
		r->suppressed_total++;
		return false;
	}
	r->tokens--;
	return true;
}

uint64_t
ifd_rate_summary(struct ifd_rate *r, uint64_t now_ms)
{
	uint64_t n = r->suppressed;

	if (n == 0)
		return 0;
	refill(r, now_ms);
	if (r->tokens == 0)
		return 0;
	r->tokens--;
	r->suppressed = 0;
	return n;
}

void
ifd_id_format(uint8_t type, const uint8_t *id, size_t len, char *buf, size_t blen)
{
	char ip[INET6_ADDRSTRLEN];
	size_t k, o;

	switch (type) {
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		/* Printable ASCII only: an identity comes from the wire. */
		o = (size_t)snprintf(buf, blen, "%s:", type == IKE_ID_FQDN ? "fqdn" : "email");
		for (k = 0; k < len && o + 1 < blen; k++)
			buf[o++] = id[k] >= 0x21 && id[k] < 0x7f ? (char)id[k] : '?';
		buf[o < blen ? o : blen - 1] = '\0';
		return;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		if (len == (type == IKE_ID_IPV4_ADDR ? 4u : 16u) &&
		    inet_ntop(type == IKE_ID_IPV4_ADDR ? AF_INET : AF_INET6, id, ip, sizeof(ip))) {
			snprintf(buf, blen, "%s:%s", type == IKE_ID_IPV4_ADDR ? "ipv4" : "ipv6",
				 ip);
			return;
		}
		break;
	default:
		break;
	}
	o = (size_t)snprintf(buf, blen,
			     "%s:", type == IKE_ID_KEY_ID ? "keyid" : ike_id_type_name(type));
	for (k = 0; k < len && o + 2 < blen; k++, o += 2)
		snprintf(buf + o, blen - o, "%02x", id[k]);
}

void
ifd_addr_format(const struct ike_addr *a, char *buf, size_t blen)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->ip, ip, sizeof(ip));
	snprintf(buf, blen, "%s[%u]", ip, a->port);
}

void
ifd_algs_format(uint8_t cipher, uint16_t key_bits, uint8_t integ, uint8_t prf, char *buf,
		size_t blen)
{
	static const char *const integ_names[] = {
		[CRY_INTEG_NONE] = "",
		[CRY_INTEG_HMAC_SHA256_128] = "/HMAC_SHA2_256_128",
		[CRY_INTEG_HMAC_SHA384_192] = "/HMAC_SHA2_384_192",
		[CRY_INTEG_HMAC_SHA512_256] = "/HMAC_SHA2_512_256"};
	static const char *const prf_names[] = {[CRY_PRF_HMAC_SHA1] = "PRF_HMAC_SHA1",
						[CRY_PRF_HMAC_SHA256] = "PRF_HMAC_SHA2_256",
						[CRY_PRF_HMAC_SHA384] = "PRF_HMAC_SHA2_384",
						[CRY_PRF_HMAC_SHA512] = "PRF_HMAC_SHA2_512"};

	snprintf(buf, blen, "%s-%u%s/%s", cipher == CRY_CIPHER_AES_CBC ? "AES_CBC" : "AES_GCM_16",
		 key_bits, integ < 4 ? integ_names[integ] : "/?", prf < 4 ? prf_names[prf] : "?");
}

static const char *const reason_names[IKE_EVR_COUNT] = {
	[IKE_EVR_NONE] = "-",
	[IKE_EVR_PEER] = "peer sent DELETE",
	[IKE_EVR_LIFETIME] = "IKE lifetime",
	[IKE_EVR_TERMINATED] = "terminated by the operator",
	[IKE_EVR_REAUTH] = "no reauthentication by the RFC 4478 deadline",
	[IKE_EVR_DPD] = "dead peer (liveness checks unanswered)",
	[IKE_EVR_REMOVED] = "user removed from the credentials",
};

int
ifd_event_format(const struct ike_event *ev, unsigned shard, const char *idr, char *buf,
		 size_t blen)
{
	char peer[64], id[300], algs[80];
	int n;

	ifd_addr_format(&ev->remote, peer, sizeof(peer));
	if (ev->id != NULL)
		ifd_id_format(ev->id_type, ev->id, ev->id_len, id, sizeof(id));
	else
		snprintf(id, sizeof(id), "-");
	ifd_algs_format(ev->cipher, ev->enc_key_bits, ev->integ, ev->prf, algs, sizeof(algs));
	switch (ev->type) {
	case IKE_EV_ESTABLISHED:
	case IKE_EV_RESUMED:
		n = snprintf(buf, blen,
			     "event %s: shard %u peer %s IDi %s IDr %s SPIs %016" PRIx64
			     "_i %016" PRIx64 "_r proposal %s",
			     ev->type == IKE_EV_ESTABLISHED ? "established" : "resumed", shard,
			     peer, id, idr, ev->spi_i, ev->spi_r, algs);
		if (ev->type == IKE_EV_RESUMED && n > 0 && (size_t)n < blen)
			n += snprintf(buf + n, blen - (size_t)n, " ticket key %02x%02x%02x%02x",
				      ev->ticket_key_id[0], ev->ticket_key_id[1],
				      ev->ticket_key_id[2], ev->ticket_key_id[3]);
		return n;
	case IKE_EV_REKEYED:
		return snprintf(buf, blen,
				"event rekeyed: shard %u peer %s IDi %s SPIs %016" PRIx64
				"_i %016" PRIx64 "_r (was %016" PRIx64 "_r) proposal %s",
				shard, peer, id, ev->spi_i, ev->spi_r, ev->old_spi_r, algs);
	case IKE_EV_REFUSED:
		return snprintf(buf, blen,
				"event refused: shard %u peer %s SPIi %016" PRIx64
				" %s (the offer is in the refused-proposal line)",
				shard, peer, ev->spi_i, ike_notify_name(ev->notify));
	case IKE_EV_AUTH_FAILED:
		return snprintf(buf, blen,
				"event auth-failed: shard %u peer %s IDi %s SPIs %016" PRIx64
				"_i %016" PRIx64 "_r %s",
				shard, peer, id, ev->spi_i, ev->spi_r, ike_notify_name(ev->notify));
	case IKE_EV_DELETED:
		return snprintf(buf, blen,
				"event deleted: shard %u peer %s IDi %s SPIs %016" PRIx64
				"_i %016" PRIx64 "_r reason: %s",
				shard, peer, id, ev->spi_i, ev->spi_r,
				ev->reason < IKE_EVR_COUNT ? reason_names[ev->reason] : "?");
	case IKE_EV_REAUTH_DEADLINE:
		return snprintf(buf, blen,
				"event reauth-deadline: shard %u peer %s IDi %s SPIs %016" PRIx64
				"_i %016" PRIx64 "_r",
				shard, peer, id, ev->spi_i, ev->spi_r);
	default:
		return snprintf(buf, blen, "event %u: shard %u peer %s", ev->type, shard, peer);
	}
}
