/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tunnel_client - a remote-access client through ikefarmd's ESP data path,
 * built from the project's own pieces: lib/initiator for IKEv2 (CP for a
 * virtual IP, RFC 5723 tickets), lib/esp with the ipsec-mb driver for ESP,
 * OpenSSL for key exchange. No real peer does both RFC 5723 and user-space
 * ESP here (docs/operating.md, "Resumption through the tunnel").
 *
 *   1. full handshake asking for a virtual IPv4 address and a ticket;
 *   2. ICMP echo to TARGET through the tunnel, every reply checked;
 *   3. the IKE SA is forgotten without a DELETE (an interrupted session);
 *   4. IKE_SESSION_RESUME with the ticket at each GATEWAY in turn (the same
 *      one again, then others of the farm, each with the ticket the last
 *      resumption gave): same virtual IP, pings through the new Child SA;
 *      at the same gateway also pings on the Child SA before it, which must
 *      all go unanswered (the gateway dropped that SA: the script checks
 *      its unknown-SPI counter).
 *
 * The ESP proposal offers ESN and NO_ESN: the gateway's order picks, and
 * each Child SA runs what it picked ("esn 0|1" is printed).
 *
 * Like strongSwan's kernel-libipsec, NAT detection names an address we do
 * not have, so the gateway sees a NAT and encapsulates ESP in UDP 4500
 * (RFC 3948), which a UDP socket can carry. One socket per gateway, bound to
 * the given local address; IKE moves to port 4500 (RFC 7296 2.23) too.
 *
 * Usage: tunnel_client PSK ID TARGET LOCAL:GATEWAY [LOCAL:GATEWAY...]
 * Prints "vip A.B.C.D", "ok ..." lines and one "old-sa-unanswered N" per
 * resumption; exit 0 when every step passed, 1 otherwise.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cry_ipsecmb.h"
#include "cry_ipsecmb_esp.h"
#include "cry_openssl.h"
#include "esp_pkt.h"
#include "ike_initiator.h"

#define MAX_GW 4
#define BUF 4096
#define PINGS 5
#define HEADROOM 128
#define REPLY_MS 2000 /* two daemons poll on this machine's two cores: be patient */

struct gw {
	int fd;
	struct sockaddr_in local, ike, natt; /* ours; the gateway's port 500 and 4500 */
	bool float_4500;		      /* NAT seen: IKE and ESP on 4500 (2.23) */
};

/* A Child SA (both directions) with its key schedules on the ipsec-mb driver. */
struct tunnel {
	struct esp_sa sa;
	uint8_t local[16]; /* our outer address */
	struct cry_ipsecmb_esp_keys k_in, k_out;
	bool up;
};

static struct cry_ops ops;
static struct cry_ipsecmb *imb;
static struct ike_client_cfg cfg;
static struct ike_client cl;
static struct ike_client_hs hs;
static struct ike_init_ticket ticket;
static struct ike_init_cred cred;
static uint8_t target[4], vip[4];
static uint16_t ping_id;
static int fails;

static void
check(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	fflush(stdout);
	fails += !ok;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
gw_open(struct gw *g, const char *spec)
{
	char local[64], *colon;
	socklen_t sl = sizeof(g->local);

	memset(g, 0, sizeof(*g));
	snprintf(local, sizeof(local), "%s", spec);
	colon = strchr(local, ':');
	if (colon == NULL)
		return -1;
	*colon = '\0';
	g->local.sin_family = AF_INET;
	g->ike.sin_family = AF_INET;
	if (inet_pton(AF_INET, local, &g->local.sin_addr) != 1 ||
	    inet_pton(AF_INET, colon + 1, &g->ike.sin_addr) != 1)
		return -1;
	g->ike.sin_port = htons(500);
	g->natt = g->ike;
	g->natt.sin_port = htons(ESP_UDP_PORT);
	g->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (g->fd < 0 || bind(g->fd, (struct sockaddr *)&g->local, sizeof(g->local)) != 0 ||
	    getsockname(g->fd, (struct sockaddr *)&g->local, &sl) != 0)
		return -1;
	return 0;
}

/* IKE to the gateway: port 500, or 4500 behind the non-ESP marker (RFC 3948 2.2). */
static void
ike_send(const struct gw *g, const uint8_t *msg, size_t len)
{
	uint8_t b[BUF + 4] = {0};

	if (!g->float_4500) {
		sendto(g->fd, msg, len, 0, (const struct sockaddr *)&g->ike, sizeof(g->ike));
		return;
	}
	memcpy(b + 4, msg, len);
	sendto(g->fd, b, len + 4, 0, (const struct sockaddr *)&g->natt, sizeof(g->natt));
}

/*
 * One datagram within wait_ms: 1 = IKE (marker stripped), 2 = ESP, 0 = none.
 * NAT-keepalives are skipped.
 */
static int
recv_one(const struct gw *g, uint8_t *buf, size_t *len, int wait_ms)
{
	struct pollfd p = {.fd = g->fd, .events = POLLIN};
	uint64_t end = now_ms() + (uint64_t)wait_ms;
	struct sockaddr_in from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		uint64_t t = now_ms();

		if (t >= end || poll(&p, 1, (int)(end - t)) <= 0)
			return 0;
		fl = sizeof(from);
		n = recvfrom(g->fd, buf, BUF, 0, (struct sockaddr *)&from, &fl);
		if (n <= 1)
			continue;
		if (from.sin_port == htons(500)) {
			*len = (size_t)n;
			return 1;
		}
		if (n >= 4 && buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 0) {
			memmove(buf, buf + 4, (size_t)n - 4);
			*len = (size_t)n - 4;
			return 1;
		}
		*len = (size_t)n;
		return 2;
	}
}

/*
 * Runs the client from its first request (req) until the exchange ends:
 * answers, retransmits every second (5 times), requests of the gateway
 * (DPD) answered. Returns the last result.
 */
static enum ike_init_result
ike_run(struct gw *g, uint8_t *req, size_t req_len)
{
	static uint8_t in[BUF], out[BUF];
	enum ike_init_result r = IKE_INIT_R_TIMEOUT;
	unsigned tries = 0;
	size_t len, out_len;

	ike_send(g, req, req_len);
	while (tries < 5) {
		int k = recv_one(g, in, &len, 1000);

		if (k == 0) {
			ike_send(g, req, req_len);
			tries++;
			continue;
		}
		if (k != 1)
			continue; /* ESP before the Child SA: nothing to do with it */
		out_len = 0;
		r = ike_init_recv(&cl, in, len, out, sizeof(out), &out_len);
		if (r == IKE_INIT_R_SEND_RESPONSE) {
			ike_send(g, out, out_len);
			continue;
		}
		if (r == IKE_INIT_R_IGNORED || r == IKE_INIT_R_BAD_ICV ||
		    r == IKE_INIT_R_MALFORMED)
			continue;
		if (r != IKE_INIT_R_SEND_REQUEST)
			return r;
		/* After IKE_SA_INIT / IKE_SESSION_RESUME: NAT seen, move to 4500. */
		g->float_4500 |= cl.nat_local || cl.nat_remote;
		memcpy(req, out, out_len);
		req_len = out_len;
		tries = 0;
		ike_send(g, req, req_len);
	}
	return r;
}

/* enc key | salt | integ key (RFC 7296 2.17) into the driver's schedules. */
static bool
keys_init(struct cry_ipsecmb_esp_keys *d, const struct cry_sk_keys *k, enum esp_alg alg)
{
	uint8_t keymat[ESP_MAX_KEYMAT];
	size_t salt = k->cipher == CRY_CIPHER_AES_GCM_16 ? ESP_GCM_SALT : 0;

	memcpy(keymat, k->enc_key, k->enc_key_len);
	memcpy(keymat + k->enc_key_len, k->salt, salt);
	memcpy(keymat + k->enc_key_len + salt, k->integ_key, k->integ_key_len);
	return cry_ipsecmb_esp_keys_init(imb, d, alg, k->enc_key_len, keymat);
}

/* The client's Child SA as an esp_sa: we send init_to_resp, receive resp_to_init. */
static int
tunnel_from_client(struct tunnel *t, const struct gw *g)
{
	const struct ike_init_child *c = &cl.child;
	const struct cry_sk_keys *k = &c->keys.init_to_resp;
	enum esp_alg alg;

	if (k->cipher == CRY_CIPHER_AES_GCM_16)
		alg = ESP_ALG_AES_GCM_16;
	else if (k->integ_key_len == 32)
		alg = ESP_ALG_AES_CBC_HMAC_SHA256_128;
	else if (k->integ_key_len == 48)
		alg = ESP_ALG_AES_CBC_HMAC_SHA384_192;
	else
		alg = ESP_ALG_AES_CBC_HMAC_SHA512_256;
	/* ESN as negotiated: the ICVs cover the high 32 bits (RFC 4303 2.2.1). */
	printf("esn %d\n", c->esn);
	memset(t, 0, sizeof(*t));
	t->up = esp_sa_set_alg(&t->sa, alg, k->enc_key_len) &&
		keys_init(&t->k_out, k, alg) && keys_init(&t->k_in, &c->keys.resp_to_init, alg);
	t->sa.spi_in = c->spi_in;
	t->sa.spi_out = c->spi_out;
	t->sa.flags |= (uint8_t)(ESP_SA_UDP | (c->esn ? ESP_SA_ESN : 0));
	memcpy(t->local, &g->local.sin_addr, 4);
	memcpy(t->sa.remote, &g->natt.sin_addr, 4);
	t->sa.lport = ntohs(g->local.sin_port);
	t->sa.rport = ESP_UDP_PORT;
	t->sa.ts_len = 0; /* any inner IPv4 address */
	return t->up ? 0 : -1;
}

static uint16_t
csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* IPv4 ICMP echo request VIP -> TARGET with 56 octets of data; returns its length. */
static size_t
echo_request(uint8_t *p, uint16_t seq)
{
	size_t len = 20 + 8 + 56;
	uint16_t c;

	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 1;
	memcpy(p + 12, vip, 4);
	memcpy(p + 16, target, 4);
	c = csum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 8;
	p[24] = (uint8_t)(ping_id >> 8);
	p[25] = (uint8_t)ping_id;
	p[26] = (uint8_t)(seq >> 8);
	p[27] = (uint8_t)seq;
	for (size_t i = 28; i < len; i++)
		p[i] = (uint8_t)(i + seq);
	c = csum(p + 20, len - 20);
	p[22] = (uint8_t)(c >> 8);
	p[23] = (uint8_t)c;
	return len;
}

/* Encapsulates one echo request on t and sends its ESP part (UDP payload). */
static int
send_ping(struct tunnel *t, const struct gw *g, uint16_t seq)
{
	static uint8_t buf[BUF] __attribute__((aligned(64)));
	uint8_t iv[ESP_MAX_IV], *outer;
	uint32_t outer_len;
	struct esp_job j;
	unsigned ev;
	size_t len = echo_request(buf + HEADROOM, seq);

	if (cry_random(&ops, iv, sizeof(iv)) != IKE_OK ||
	    esp_out_prepare(&t->sa, t->local, &t->k_out, buf + HEADROOM, (uint32_t)len, HEADROOM,
			    (uint32_t)(sizeof(buf) - HEADROOM - len), iv, &j, &outer,
			    &outer_len) != ESP_OK ||
	    cry_ipsecmb_esp_burst(imb, &j, 1) != 1 || esp_out_finish(&t->sa, &j, &ev) != ESP_OK)
		return -1;
	/* outer IPv4 (20) | UDP (8) | ESP: the socket sends the ESP part. */
	sendto(g->fd, outer + 28, outer_len - 28, 0, (const struct sockaddr *)&g->natt,
	       sizeof(g->natt));
	return 0;
}

/* An ESP datagram decapsulated on t: is it the echo reply TARGET -> VIP for seq? */
static bool
is_reply(struct tunnel *t, uint8_t *esp, size_t len, uint16_t seq)
{
	uint8_t *inner;
	uint32_t inner_len;
	struct esp_job j;
	unsigned ev;

	if (len < 8 || ((uint32_t)esp[0] << 24 | (uint32_t)esp[1] << 16 | (uint32_t)esp[2] << 8 |
			esp[3]) != t->sa.spi_in ||
	    esp_in_prepare(&t->sa, &t->k_in, esp, (uint32_t)len, &j) != ESP_OK ||
	    cry_ipsecmb_esp_burst(imb, &j, 1) != 1 ||
	    esp_in_finish(&t->sa, NULL, &j, now_ms(), &inner, &inner_len, &ev) != ESP_OK)
		return false;
	return inner_len >= 28 && inner[9] == 1 && memcmp(inner + 12, target, 4) == 0 &&
	       memcmp(inner + 16, vip, 4) == 0 && inner[20] == 0 &&
	       inner[24] == (uint8_t)(ping_id >> 8) && inner[25] == (uint8_t)ping_id &&
	       inner[26] == (uint8_t)(seq >> 8) && inner[27] == (uint8_t)seq;
}

/* n echo requests on t, one at a time; how many replies came, each within wait_ms. */
static unsigned
pings(struct tunnel *t, struct gw *g, unsigned n, uint16_t first_seq, int wait_ms)
{
	static uint8_t buf[BUF], out[BUF];
	unsigned got = 0;

	for (unsigned i = 0; i < n; i++) {
		uint16_t seq = (uint16_t)(first_seq + i);
		uint64_t end = now_ms() + (uint64_t)wait_ms;
		size_t len, out_len;
		int k;

		if (send_ping(t, g, seq) != 0)
			return got;
		while (now_ms() < end && (k = recv_one(g, buf, &len, (int)(end - now_ms()))) != 0) {
			if (k == 2 && is_reply(t, buf, len, seq)) {
				got++;
				break;
			}
			/* A request of the gateway (DPD) while we wait: answer it. */
			out_len = 0;
			if (k == 1 && ike_init_recv(&cl, buf, len, out, sizeof(out), &out_len) ==
					      IKE_INIT_R_SEND_RESPONSE)
				ike_send(g, out, out_len);
		}
	}
	return got;
}

static int
setup(const char *psk, const char *id)
{
	struct cry_openssl *ossl = cry_openssl_create();

	imb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (ossl == NULL || imb == NULL)
		return -1;
	cry_openssl_bind(ossl, &ops);
	cry_ipsecmb_bind(imb, &ops);
	cred = (struct ike_init_cred){IKE_ID_FQDN, (uint8_t)strlen(id), (const uint8_t *)id,
				      (const uint8_t *)psk, strlen(psk)};
	cfg.ike = (struct ike_transforms){IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
					  IKE_INTEG_NONE, IKE_KE_CURVE25519};
	cfg.esp = (struct ike_transforms){IKE_ENCR_AES_GCM_16, 256, 0, IKE_INTEG_NONE,
					  IKE_KE_NONE};
	cfg.esp_esn = IKE_INIT_ESN_EITHER; /* the gateway's proposals decide */
	cfg.cred = cred;
	cfg.nat_detection = true;
	cfg.ticket_request = true;
	cfg.cp_v4 = true;
	/* TSi: any IPv4 (narrowed to the virtual IP); TSr: any IPv4. */
	cfg.tsi.type = IKE_TS_IPV4_ADDR_RANGE;
	cfg.tsi.end_port = 65535;
	memset(cfg.tsi.end, 0xff, 4);
	cfg.tsr = cfg.tsi;
	ping_id = (uint16_t)getpid();
	return ike_init_client_init(&cl, &cfg, &ops) == IKE_INIT_R_DONE ? 0 : -1;
}

/* NAT-D names 198.18.0.1 (benchmark space, nobody's): the gateway sees a NAT. */
static void
claim_addrs(const struct gw *g)
{
	struct ike_init_addr l = {.family = 4, .port = ntohs(g->local.sin_port)},
			     r = {.family = 4, .port = 500};

	l.ip[0] = 198;
	l.ip[1] = 18;
	l.ip[3] = 1;
	memcpy(r.ip, &g->ike.sin_addr, 4);
	ike_init_set_addrs(&cl, &l, &r);
}

static void
show(const char *what, const uint8_t *a)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, s, sizeof(s));
	printf("%s %s\n", what, s);
}

/*
 * Forget the IKE SA (no DELETE) and resume at g. same_gw: g held the SA
 * before, whose Child SA (t_old) it must have removed (RFC 5723 4.3.4);
 * another gateway of the farm cannot know of it.
 */
static void
resume_at(struct gw *g, struct tunnel *t_old, struct tunnel *t_new, bool same_gw, uint16_t *seq)
{
	static uint8_t req[BUF];
	enum ike_init_result r;
	unsigned got;
	size_t len;

	ike_init_client_reset(&cl);
	claim_addrs(g);
	g->float_4500 = false;
	check(ticket.len != 0, "a ticket to resume with");
	r = ike_init_start_resume(&cl, &hs, req, sizeof(req), &len);
	if (r == IKE_INIT_R_SEND_REQUEST)
		r = ike_run(g, req, len);
	printf("resume: %s\n", ike_init_result_name(r));
	check(r == IKE_INIT_R_ESTABLISHED && cl.resumed && cl.has_child,
	      "IKE_SESSION_RESUME + IKE_AUTH: IKE SA and Child SA up");
	if (r != IKE_INIT_R_ESTABLISHED)
		return;
	show("vip", cl.vip.ip4);
	check(cl.vip.has4 && memcmp(cl.vip.ip4, vip, 4) == 0, "the same virtual IP");
	check(tunnel_from_client(t_new, g) == 0, "new Child SA keys");
	got = pings(t_new, g, PINGS, *seq, REPLY_MS);
	*seq = (uint16_t)(*seq + PINGS);
	printf("new-sa-replies %u/%u\n", got, PINGS);
	check(got == PINGS, "traffic flows through the resumed session's Child SA");
	if (!same_gw)
		return;
	/* The SA before the resumption: the gateway removed it. */
	got = pings(t_old, g, PINGS, *seq, 1000);
	*seq = (uint16_t)(*seq + PINGS);
	printf("old-sa-unanswered %u\n", PINGS - got);
	check(got == 0, "the replaced Child SA carries nothing");
}

int
main(int argc, char **argv)
{
	static uint8_t req[BUF];
	struct gw g[MAX_GW];
	struct tunnel t[2] = {0};
	enum ike_init_result r;
	unsigned n_gw, got, cur = 0;
	uint16_t seq = 1;
	size_t len;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 5 || argc > 4 + MAX_GW) {
		fprintf(stderr, "usage: %s PSK ID TARGET LOCAL:GATEWAY [LOCAL:GATEWAY...]\n",
			argv[0]);
		return 2;
	}
	n_gw = (unsigned)argc - 4;
	if (inet_pton(AF_INET, argv[3], target) != 1 || setup(argv[1], argv[2]) != 0) {
		fprintf(stderr, "bad target or crypto set-up\n");
		return 2;
	}
	for (unsigned i = 0; i < n_gw; i++)
		if (gw_open(&g[i], argv[4 + i]) != 0) {
			perror(argv[4 + i]);
			return 2;
		}
	ike_init_set_ticket(&cl, &ticket);

	/* 1. Full handshake at the first gateway. */
	claim_addrs(&g[0]);
	r = ike_init_start(&cl, &hs, req, sizeof(req), &len);
	if (r == IKE_INIT_R_SEND_REQUEST)
		r = ike_run(&g[0], req, len);
	printf("handshake: %s\n", ike_init_result_name(r));
	check(r == IKE_INIT_R_ESTABLISHED && cl.has_child, "IKE_SA_INIT + IKE_AUTH with CP");
	if (r != IKE_INIT_R_ESTABLISHED)
		return 1;
	check(g[0].float_4500, "NAT seen: IKE and ESP on UDP 4500");
	check(cl.vip.has4, "a virtual IPv4 address");
	memcpy(vip, cl.vip.ip4, 4);
	show("vip", vip);
	check(ticket.len != 0, "a ticket with IKE_AUTH");
	check(tunnel_from_client(&t[0], &g[0]) == 0, "Child SA keys");
	got = pings(&t[0], &g[0], PINGS, seq, REPLY_MS);
	seq = (uint16_t)(seq + PINGS);
	printf("replies %u/%u\n", got, PINGS);
	check(got == PINGS, "ICMP echo through the tunnel, every reply");

	/* 2. Resume at the same gateway, then at each other one. */
	for (unsigned i = 0; i < n_gw && fails == 0; i++) {
		printf("-- resume at %s\n", argv[4 + i]);
		resume_at(&g[i], &t[cur], &t[cur ^ 1], i == 0, &seq);
		cry_ipsecmb_esp_keys_wipe(&t[cur].k_out);
		cry_ipsecmb_esp_keys_wipe(&t[cur].k_in);
		cur ^= 1;
	}
	ike_init_client_fini(&cl);
	printf("%s\n", fails == 0 ? "PASS" : "FAILED");
	return fails == 0 ? 0 : 1;
}
