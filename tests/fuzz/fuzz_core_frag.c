/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_core_frag.c - libFuzzer entry point for the responder's RFC 7383
 * reassembly and its RFC 9242 / RFC 9370 IKE_INTERMEDIATE handling. Random
 * bytes would never pass an ICV, so the input is a script run against a
 * fresh shard with a half-open SA (IKE_SA_INIT done by lib/initiator, with
 * fragmentation, IKE_INTERMEDIATE and ADDKE1 = ECP-256 negotiated); the
 * target seals what the script says under the initiator's real keys:
 *   op 0: an Encrypted Fragment: Message ID, Fragment Number, Total,
 *         Next Payload, exchange, then len octets of inner plaintext
 *   op 1: a whole SK message: Message ID, Next Payload, exchange, inner
 *   op 2: the clock moves on by n * 500 ms (reassembly timeouts)
 *   op 3: len raw octets as a datagram (no keys: parse/ICV paths)
 * Whatever the script, the shard must neither crash nor leak (ASan), and
 * it must still hold at most one SA.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_core.h"
#include "ike_initiator.h"
#include "ike_sk.h"
#include "ike_wire.h"

#define BUF 4096

static struct cry_ops ops;
static struct ike_core_cfg cfg;
static struct ike_peer_cfg peer;
static struct ike_client_cfg ccfg;
static const uint8_t idi[] = "client-1@example.net";
static const uint8_t psk[] = "fuzz shared secret for the frag target";

static void
no_child(void *arg, const struct ike_child_info *child)
{
	(void)arg;
	(void)child;
}

static void
setup_once(void)
{
	static bool done;
	struct ike_suite_cfg ike = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE,
				    IKE_KE_CURVE25519};
	struct ike_suite_cfg esp = {IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE, 0};

	if (done)
		return;
	done = true;
	cry_openssl_bind(cry_openssl_create(), &ops);
	cry_ipsecmb_bind(cry_ipsecmb_create(CRY_IPSECMB_AUTO), &ops);
	cfg.max_ike_sas = 8;
	cfg.max_half_open = 8;
	ike_proposal_cfg_of_suite(&cfg.ike_proposals[0], &ike, false);
	cfg.ike_proposals[0].xf[IKE_TRANSFORM_ADDKE1].n = 1;
	cfg.ike_proposals[0].xf[IKE_TRANSFORM_ADDKE1].alg[0].id = IKE_KE_ECP256;
	cfg.nb_ike_proposals = 1;
	ike_proposal_cfg_of_suite(&cfg.esp_proposals[0], &esp, true);
	cfg.nb_esp_proposals = 1;
	cfg.local_id_type = IKE_ID_FQDN;
	cfg.local_id_len = 2;
	memcpy(cfg.local_id, "gw", 2);
	peer.id_type = IKE_ID_RFC822_ADDR;
	peer.id_len = sizeof(idi) - 1;
	memcpy(peer.id, idi, sizeof(idi) - 1);
	peer.psk = psk;
	peer.psk_len = sizeof(psk) - 1;
	cfg.peers = &peer;
	cfg.nb_peers = 1;
	cfg.ts_start.family = 4;
	cfg.ts_end.family = 4;
	memset(cfg.ts_end.ip, 0xff, 4);
	cfg.half_open_timeout_ms = 30000;
	cfg.response_cache_ms = 30000;
	cfg.ike_lifetime_s = 3600;
	cfg.cookie_threshold = 1000;
	cfg.cookie_rotate_s = 300;
	cfg.fragment_size = 128;
	ccfg.ike = (struct ike_transforms){ike.encr_id, ike.encr_key_bits, ike.prf_id, ike.integ_id,
					   ike.ke_id};
	ccfg.esp = (struct ike_transforms){esp.encr_id, esp.encr_key_bits, 0, 0, 0};
	ccfg.cred = (struct ike_init_cred){IKE_ID_RFC822_ADDR, sizeof(idi) - 1, idi, psk,
					   sizeof(psk) - 1};
	ccfg.intermediate = true;
	ccfg.fragmentation = true;
	ccfg.addke[0] = IKE_KE_ECP256;
	ccfg.tsi.type = ccfg.tsr.type = IKE_TS_IPV4_ADDR_RANGE;
	ccfg.tsi.end_port = ccfg.tsr.end_port = 65535;
	memset(ccfg.tsi.end, 0xff, 4);
	memset(ccfg.tsr.end, 0xff, 4);
}

struct run {
	struct ike_shard *s;
	uint64_t now_ms;
};

static void
deliver(struct run *x, uint8_t *d, size_t len)
{
	static uint8_t out[IKE_INIT_FRAG_MAX][BUF];
	struct ike_tx tx[IKE_INIT_FRAG_MAX];
	struct ike_rx rx = {.data = d, .len = (uint16_t)len};

	rx.local.family = rx.remote.family = 4;
	rx.local.port = rx.remote.port = 500;
	rx.remote.ip[0] = 192;
	for (unsigned i = 0; i < IKE_INIT_FRAG_MAX; i++)
		tx[i] = (struct ike_tx){.data = out[i], .cap = BUF};
	ike_shard_rx_burst(x->s, &rx, 1, tx, IKE_INIT_FRAG_MAX, x->now_ms);
	check(ike_shard_nb_sas(x->s) + ike_shard_nb_half_open(x->s) <= 1);
}

/* HDR(exch, mid), SKF{num/total, next} or SK{next} with the plaintext, sealed as the initiator. */
static void
send_sealed(struct run *x, const struct ike_client *c, bool frag, uint32_t mid, uint8_t num,
	    uint8_t total, uint8_t next, uint8_t exch, const uint8_t *p, size_t plen)
{
	static uint8_t msg[BUF];
	const struct cry_sk_keys *k = &c->keys.init_to_resp;
	size_t sk_off, plain_off, plain_len, len;
	struct ike_mb b;

	ike_mb_init(&b, msg, sizeof(msg), c->spi_i, c->spi_r, exch, IKE_HDR_F_INITIATOR, mid);
	if (frag)
		ike_mb_begin_skf(&b, 1, 1, IKE_PLD_NONE, ike_sk_iv_len(k));
	else
		ike_mb_begin_sk(&b, ike_sk_iv_len(k));
	if (ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len) != IKE_OK ||
	    plain_off + plen + 64 > sizeof(msg))
		return;
	/* The inner payloads as the script has them, well-formed or not. */
	memcpy(msg + plain_off, p, plen);
	plain_len = plen;
	/* Any header values, even invalid ones: they are covered by the ICV all the same. */
	msg[sk_off] = next;
	if (frag) {
		ike_put_u16(msg + sk_off + 4, num);
		ike_put_u16(msg + sk_off + 6, total);
	}
	if ((frag ? ike_skf_seal : ike_sk_seal)(&ops, k, msg, sizeof(msg), sk_off, plain_off,
						plain_len, &len) != IKE_OK)
		return;
	deliver(x, msg, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_client c;
	static struct ike_client_hs hs;
	static uint8_t req[BUF], resp[BUF];
	struct ike_rx rx = {.data = req};
	struct ike_tx tx = {.data = resp, .cap = BUF};
	struct run x = {.now_ms = 1000};
	size_t len, off = 0, out_len;
	void *mem;

	setup_once();
	mem = aligned_alloc(64, (ike_shard_mem_size(&cfg) + 63) & ~(size_t)63);
	check(mem != NULL);
	x.s = ike_shard_init(mem, &cfg, 0, &ops, no_child, NULL);
	check(x.s != NULL);
	static struct ike_init_frag_buf fb;

	check(ike_init_client_init(&c, &ccfg, &ops) == IKE_INIT_R_DONE);
	ike_init_set_frag_buf(&c, &fb);
	check(ike_init_start(&c, &hs, req, sizeof(req), &len) == IKE_INIT_R_SEND_REQUEST);
	rx.len = (uint16_t)len;
	rx.local.family = rx.remote.family = 4;
	rx.local.port = rx.remote.port = 500;
	rx.remote.ip[0] = 192;
	check(ike_shard_rx_burst(x.s, &rx, 1, &tx, 1, x.now_ms) == 1);
	check(ike_init_recv(&c, resp, tx.len, req, sizeof(req), &out_len) ==
	      IKE_INIT_R_SEND_REQUEST);
	while (off + 2 <= size) {
		uint8_t op = data[off] & 3, n = data[off + 1];

		off += 2;
		if (op == 2) {
			x.now_ms += (uint64_t)n * 500;
			continue;
		}
		if (op == 3) {
			static uint8_t raw[BUF];

			len = n <= size - off ? n : size - off;
			memcpy(raw, data + off, len);
			off += len;
			deliver(&x, raw, len);
			continue;
		}
		/* op 0/1: n is the plaintext length; then MID, num, total, next, exchange. */
		if (off + 5 > size)
			break;
		{
			uint32_t mid = data[off] & 7;
			uint8_t num = data[off + 1], total = data[off + 2], next = data[off + 3];
			uint8_t exch =
				(data[off + 4] & 1) ? IKE_EXCH_IKE_AUTH : IKE_EXCH_IKE_INTERMEDIATE;

			off += 5;
			len = n <= size - off ? n : size - off;
			send_sealed(&x, &c, op == 0, mid, num, total, next, exch, data + off, len);
			off += len;
		}
	}
	ike_init_client_fini(&c);
	ike_shard_fini(x.s);
	free(mem);
	return 0;
}
