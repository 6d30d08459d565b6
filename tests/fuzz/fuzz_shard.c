/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_shard.c - libFuzzer entry point for a whole responder shard
 * (ike_shard_rx_burst, ike_shard_tick): each input is a sequence of events
 * against one shard that holds an IKE SA set up by the harness with the
 * project's initiator (lib/initiator) and real crypto (OpenSSL, ipsec-mb),
 * so the fuzzer reaches the encrypted exchanges: the plaintext payloads
 * it writes are sealed with the SA's keys and pass the ICV.
 *
 * Input: one mode octet, then records until the input ends:
 *   mode bit 0: stop after IKE_SA_INIT (keys known, IKE_AUTH fuzzed),
 *        else IKE_AUTH (with N(TICKET_REQUEST)) completes first.
 *   record: op octet, then by op & 3
 *     0 sealed request: exchange, flags, msg-id mode, first payload type,
 *       u16 length, that many octets of inner payloads (sealed as SK);
 *     1 raw datagram: u16 length, that many octets, as received;
 *     2 time: u16, the clock moves by that many x 10 ms, timers run;
 *     3 initiator request: one octet picks liveness, new Child SA, Child or
 *       IKE rekey, ticket request, Child or IKE delete, or resumption with
 *       the ticket; the shard's answer goes back to the initiator. Child SAs
 *       by CREATE_CHILD_SA take PFS (x25519) and an RFC 9370 additional key
 *       exchange (ECP-256), so they run IKE_FOLLOWUP_KE too.
 *   op bit 7 queues the datagram with the next ones (up to BURST) so that
 *   they go through one rx burst; bit 6 sends it to the NAT-T port.
 * Oracles: the sanitizers, and the burst contract (no more replies than
 * transmit slots, each within its buffer).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_core.h"
#include "ike_initiator.h"
#include "ike_sk.h"
#include "ike_ticket_keyring.h"

#define BUF 4096
#define BURST 8
#define NTX 8
#define HDR_LEN 28
#define PLD_SK 46

static const uint8_t IDI[] = "fuzz@example.net";
static const uint8_t IDR[] = "gw.example.net";
static const uint8_t PSK[] = "fuzzing shared secret, 32 octets";
static const uint8_t TICKET_SECRET[IKE_TICKET_SECRET_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

static struct {
	bool up;
	struct cry_ops ops;
	struct ike_core_cfg cfg;
	struct ike_peer_cfg peer;
	struct ike_client_cfg ccfg;
	struct ike_ticket_keyring *ring;
	void *mem;
} G;

/* One input's state. */
static struct {
	struct ike_shard *s;
	struct ike_client c;
	struct ike_client_hs hs;
	struct ike_init_ticket ticket;
	struct ike_init_followup fu;
	struct ike_init_addr cl, gw;
	uint64_t now;
	uint8_t rxbuf[BURST][BUF];
	struct ike_rx rx[BURST];
	unsigned nrx;
	uint8_t txbuf[NTX][BUF];
	struct ike_tx tx[NTX];
	uint8_t out[BUF];
	size_t out_len;
} F;

static void
child_cb(void *arg, const struct ike_child_info *c)
{
	(void)arg;
	(void)c;
}

static void
ts_all4(struct ike_init_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 65535;
	memset(ts->end, 0xff, 4);
}

static void
global_init(void)
{
	static const struct ike_suite_cfg ike = {IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, 0,
						 IKE_KE_CURVE25519};
	static const struct ike_suite_cfg ike_cbc = {IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
						     IKE_INTEG_HMAC_SHA2_256_128, IKE_KE_CURVE25519};
	static const struct ike_suite_cfg esp = {IKE_ENCR_AES_GCM_16, 128, 0, 0, IKE_KE_CURVE25519};
	const struct ike_ticket_keyring_params kp = {.max_lifetime = 3600, .clock_skew = 60};
	struct ike_core_cfg *cc = &G.cfg;
	struct cry_openssl *ossl = cry_openssl_create();
	struct cry_ipsecmb *imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);

	check(ossl != NULL && imb != NULL);
	cry_openssl_bind(ossl, &G.ops);
	cry_ipsecmb_bind(imb, &G.ops);
	G.ring = ike_ticket_keyring_create(&kp);
	check(G.ring != NULL &&
	      ike_ticket_keyring_add(G.ring, 0x5eed, 0, 100000000, TICKET_SECRET) == IKE_OK);

	/* Small tables, so that a few records fill them. */
	cc->max_ike_sas = 8;
	cc->max_half_open = 8;
	cc->max_cached_responses = 4;
	ike_proposal_cfg_of_suite(&cc->ike_proposals[0], &ike, false);
	ike_proposal_cfg_of_suite(&cc->ike_proposals[1], &ike_cbc, false);
	cc->nb_ike_proposals = 2;
	ike_proposal_cfg_of_suite(&cc->esp_proposals[0], &esp, true);
	cc->esp_proposals[0].xf[IKE_TRANSFORM_ADDKE1] =
		(struct ike_alg_list){.n = 2, .alg = {{IKE_KE_ECP256, 0}, {IKE_KE_NONE, 0}}};
	cc->nb_esp_proposals = 1;
	cc->local_id_type = IKE_ID_FQDN;
	cc->local_id_len = sizeof(IDR) - 1;
	memcpy(cc->local_id, IDR, sizeof(IDR) - 1);
	G.peer.id_type = IKE_ID_RFC822_ADDR;
	G.peer.id_len = sizeof(IDI) - 1;
	memcpy(G.peer.id, IDI, sizeof(IDI) - 1);
	G.peer.auth = IKE_CRED_PSK;
	G.peer.psk = PSK;
	G.peer.psk_len = sizeof(PSK) - 1;
	G.peer.auth_lifetime_s = 600;
	cc->peers = &G.peer;
	cc->nb_peers = 1;
	cc->ts_start.family = 4;
	cc->ts_start.ip[0] = 10;
	cc->ts_end.family = 4;
	memset(cc->ts_end.ip, 0xff, 4);
	cc->ts_end.ip[0] = 10;
	cc->half_open_timeout_ms = 3000;
	cc->response_cache_ms = 3000;
	cc->ike_lifetime_s = 60;
	cc->auth_grace_s = 5;
	cc->cookie_threshold = 4;
	cc->cookie_rotate_s = 30;
	cc->ticket_lifetime_s = 600;
	cc->ticket_resumes_per_s = 10;
	cc->ticket_keyring = G.ring;
	cc->spi_shard_bits = 4;
	cc->spi_slot_bits = 16;
	check(ike_core_cfg_check(cc, 1) == IKE_CFG_OK);
	G.mem = aligned_alloc(64, (ike_shard_mem_size(cc) + 63) & ~(size_t)63);
	check(G.mem != NULL);

	G.ccfg.ike = (struct ike_transforms){ike.encr_id, ike.encr_key_bits, ike.prf_id, 0,
					     ike.ke_id};
	G.ccfg.esp = (struct ike_transforms){esp.encr_id, esp.encr_key_bits, 0, 0, esp.ke_id};
	G.ccfg.esp_addke[0] = IKE_KE_ECP256;
	G.ccfg.cred = (struct ike_init_cred){IKE_ID_RFC822_ADDR, sizeof(IDI) - 1, IDI, PSK,
					     sizeof(PSK) - 1};
	G.ccfg.idr_type = IKE_ID_FQDN;
	G.ccfg.idr = IDR;
	G.ccfg.idr_len = sizeof(IDR) - 1;
	G.ccfg.initial_contact = true;
	G.ccfg.nat_detection = true;
	G.ccfg.ticket_request = true;
	ts_all4(&G.ccfg.tsi);
	ts_all4(&G.ccfg.tsr);
	G.up = true;
}

static void
addr_of(struct ike_addr *out, const struct ike_init_addr *in, bool natt)
{
	memset(out, 0, sizeof(*out));
	out->family = in->family;
	out->port = natt ? 4500 : in->port;
	memcpy(out->ip, in->ip, sizeof(out->ip));
}

/* Runs the queued datagrams through one rx burst; returns the reply count. */
static unsigned
flush(void)
{
	unsigned n;

	for (unsigned i = 0; i < NTX; i++)
		F.tx[i] = (struct ike_tx){.data = F.txbuf[i], .cap = BUF};
	if (F.nrx == 0)
		return 0;
	n = ike_shard_rx_burst(F.s, F.rx, F.nrx, F.tx, NTX, F.now);
	F.nrx = 0;
	check(n <= NTX);
	for (unsigned i = 0; i < n; i++)
		check(F.tx[i].len <= F.tx[i].cap && F.tx[i].data == F.txbuf[i]);
	return n;
}

static void
queue(const uint8_t *msg, size_t len, bool natt, bool more)
{
	struct ike_rx *rx = &F.rx[F.nrx];

	if (len > BUF)
		len = BUF;
	memcpy(F.rxbuf[F.nrx], msg, len);
	rx->data = F.rxbuf[F.nrx];
	rx->len = (uint16_t)len;
	rx->tag = F.nrx;
	addr_of(&rx->local, &F.gw, natt);
	addr_of(&rx->remote, &F.cl, natt);
	F.nrx++;
	if (!more || F.nrx == BURST)
		flush();
}

/* The initiator sends F.out; its answer (the first reply) goes back to it. */
static void
client_round(void)
{
	for (unsigned round = 0; round < 4 && F.out_len != 0; round++) {
		queue(F.out, F.out_len, false, false); /* flushes: the reply is in F.tx[0] */
		F.out_len = 0;
		if (F.tx[0].len == 0)
			return;
		(void)ike_init_recv(&F.c, F.tx[0].data, F.tx[0].len, F.out, sizeof(F.out),
				    &F.out_len);
		F.tx[0].len = 0;
	}
}

static void
setup(uint8_t mode)
{
	F.s = ike_shard_init(G.mem, &G.cfg, 0, &G.ops, child_cb, NULL);
	check(F.s != NULL);
	F.now = 1000;
	F.nrx = 0;
	F.cl = (struct ike_init_addr){.family = 4, .port = 500, .ip = {192, 0, 2, 10}};
	F.gw = (struct ike_init_addr){.family = 4, .port = 500, .ip = {198, 51, 100, 1}};
	check(ike_init_client_init(&F.c, &G.ccfg, &G.ops) == IKE_INIT_R_DONE);
	ike_init_set_addrs(&F.c, &F.cl, &F.gw);
	memset(&F.ticket, 0, sizeof(F.ticket));
	ike_init_set_ticket(&F.c, &F.ticket);
	memset(&F.fu, 0, sizeof(F.fu));
	ike_init_set_followup(&F.c, &F.fu);
	check(ike_init_start(&F.c, &F.hs, F.out, sizeof(F.out), &F.out_len) ==
	      IKE_INIT_R_SEND_REQUEST);
	/* IKE_SA_INIT --> <-- : the client then holds the keys and its IKE_AUTH request. */
	queue(F.out, F.out_len, false, false);
	F.out_len = 0;
	check(F.tx[0].len != 0);
	check(ike_init_recv(&F.c, F.tx[0].data, F.tx[0].len, F.out, sizeof(F.out), &F.out_len) ==
	      IKE_INIT_R_SEND_REQUEST);
	if (mode & 1)
		return;
	/* IKE_AUTH { IDi, AUTH, N(INITIAL_CONTACT), N(TICKET_REQUEST), SA, TSi, TSr } --> */
	client_round();
	check(F.c.state == IKE_INIT_S_ESTABLISHED);
}

static void
teardown(void)
{
	ike_init_client_fini(&F.c);
	ike_shard_fini(F.s);
}

static uint16_t
u16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* HDR(SPIs of the client's SA, exchange, flags, msg id), SK { body } sealed with SK_ei/ai. */
static void
sealed_request(const uint8_t *h, const uint8_t *body, size_t len, uint8_t op)
{
	static uint8_t msg[BUF];
	const struct cry_sk_keys *k = &F.c.keys.init_to_resp;
	size_t iv = ike_sk_iv_len(k), plain_off = HDR_LEN + 4 + iv, out_len;
	uint32_t mid;

	if (plain_off + len + ike_sk_trailer_max(k) > sizeof(msg))
		return;
	switch (h[2] & 3) {
	case 0: /* the next request: the client's window follows */
		mid = F.c.msg_id++;
		break;
	case 1: /* the last one again */
		mid = F.c.msg_id - 1;
		break;
	case 2: /* beyond the window */
		mid = F.c.msg_id + 1 + (h[2] >> 2);
		break;
	default:
		mid = (uint32_t)h[2] << 24;
		break;
	}
	memset(msg, 0, plain_off);
	for (int i = 0; i < 8; i++) {
		msg[i] = (uint8_t)(F.c.spi_i >> (56 - 8 * i));
		msg[8 + i] = (uint8_t)(F.c.spi_r >> (56 - 8 * i));
	}
	msg[16] = PLD_SK;
	msg[17] = 0x20; /* IKEv2 */
	msg[18] = h[0];
	msg[19] = h[1];
	msg[20] = (uint8_t)(mid >> 24);
	msg[21] = (uint8_t)(mid >> 16);
	msg[22] = (uint8_t)(mid >> 8);
	msg[23] = (uint8_t)mid;
	msg[HDR_LEN] = h[3]; /* the first inner payload */
	memcpy(msg + plain_off, body, len);
	if (ike_sk_seal(&G.ops, k, msg, sizeof(msg), HDR_LEN, plain_off, len, &out_len) == IKE_OK)
		queue(msg, out_len, op & 0x40, op & 0x80);
}

/* A request the initiator itself builds, answered back to it. */
static void
client_request(uint8_t which)
{
	enum ike_init_result r;

	flush();
	F.out_len = 0;
	switch (which % 8) {
	case 0:
		r = ike_init_req_liveness(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	case 1:
		r = ike_init_req_new_child(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	case 2:
		r = ike_init_req_rekey_child(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	case 3:
		r = ike_init_req_rekey_ike(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	case 4:
		r = ike_init_req_ticket(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	case 5:
		r = ike_init_req_delete_child(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	case 6:
		r = ike_init_req_delete_ike(&F.c, F.out, sizeof(F.out), &F.out_len);
		break;
	default: /* RFC 5723: forget the SA, come back with the ticket */
		if (F.ticket.len == 0)
			return;
		ike_init_client_reset(&F.c);
		r = ike_init_start_resume(&F.c, &F.hs, F.out, sizeof(F.out), &F.out_len);
		break;
	}
	if (r != IKE_INIT_R_SEND_REQUEST)
		F.out_len = 0;
	client_round();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 1;

	if (size == 0 || size > 1 << 16)
		return 0;
	if (!G.up)
		global_init();
	setup(data[0]);
	while (off < size) {
		uint8_t op = data[off++];
		size_t len;

		switch (op & 3) {
		case 0:
			if (size - off < 6)
				goto done;
			len = u16_at(data + off + 4);
			if (len > size - off - 6)
				len = size - off - 6;
			sealed_request(data + off, data + off + 6, len, op);
			off += 6 + len;
			break;
		case 1:
			if (size - off < 2)
				goto done;
			len = u16_at(data + off);
			if (len > size - off - 2)
				len = size - off - 2;
			queue(data + off + 2, len, op & 0x40, op & 0x80);
			off += 2 + len;
			break;
		case 2:
			if (size - off < 2)
				goto done;
			flush();
			F.now += (uint64_t)u16_at(data + off) * 10;
			off += 2;
			check(ike_shard_tick(F.s, F.now, F.tx, NTX) <= NTX);
			break;
		default:
			if (size - off < 1)
				goto done;
			client_request(data[off++]);
			break;
		}
	}
done:
	flush();
	teardown();
	return 0;
}
