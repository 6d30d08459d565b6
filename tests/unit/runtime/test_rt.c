/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runtime on real EAL (--no-huge --no-pci, 2 lcores = 2 shards) and
 * loopback UDP: datagrams whose owner (the protocol's hook) is the other
 * shard reach it through the redirect ring, replies leave from the right
 * address, the protocol's tick runs, new sessions are spread by the peer's
 * hash when the device does not spread them, and the counters show it all
 * through the telemetry socket. The protocol here is a small test handler
 * whose owner rule is the top octet of SPIr and that answers with the
 * number of the shard that handled each message.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_eal.h>

#include "ike_buf.h"
#include "rt.h"
#include "rt_priv.h" /* white box: to take a device's own flow spreading away */

#define NB_CLIENTS 32
#define PER_CLIENT 8 /* per client: 3 to shard 0, 3 to shard 1, 1 IKE_SA_INIT, 1 to shard 5 */
#define MSG_LEN 40

struct test_shard {
	struct rt_shard *shard;
	unsigned id;
	unsigned wrong_owner; /* messages handed to us that name another shard */
	unsigned ticks;
};

static struct test_shard *test_shards[2];

static void *
proto_init(struct rt_shard *s, void *arg)
{
	struct test_shard *ts = calloc(1, sizeof(*ts));

	(void)arg;
	if (ts == NULL)
		return NULL;
	ts->shard = s;
	ts->id = rt_shard_id(s);
	if (ts->id < 2)
		test_shards[ts->id] = ts;
	return ts;
}

static void
proto_fini(void *state)
{
	free(state);
}

/* The test protocol's owner rule: the top octet of SPIr; -1 (any) when SPIr is zero. */
static int
test_owner(void *arg, const struct io_pkt *p)
{
	uint64_t spir;

	(void)arg;
	if (p->len < 28)
		return -1;
	spir = ike_get_u64(p->data + 8);
	return spir == 0 ? -1 : (int)(spir >> 56);
}

/* Echo with byte 28 = handling shard. */
static void
proto_rx_burst(void *state, struct io_pkt **pkts, uint16_t n, struct rt_tx *tx, uint64_t now_ms)
{
	struct test_shard *ts = state;
	struct io_pkt *r;
	uint16_t i;
	int owner;

	(void)now_ms;
	for (i = 0; i < n; i++) {
		owner = test_owner(NULL, pkts[i]);
		if (owner >= 0 && (unsigned)owner != ts->id)
			ts->wrong_owner++;
		r = rt_tx_reply(tx, pkts[i]);
		if (r == NULL)
			continue;
		memcpy(r->data, pkts[i]->data, pkts[i]->len);
		r->len = pkts[i]->len;
		r->data[28] = (uint8_t)ts->id;
	}
}

static void
proto_tick(void *state, struct rt_tx *tx, uint64_t now_ms)
{
	struct test_shard *ts = state;

	(void)tx;
	(void)now_ms;
	ts->ticks++;
}

static const struct rt_proto test_proto = {
	.name = "test",
	.shard_init = proto_init,
	.shard_fini = proto_fini,
	.rx_burst = proto_rx_burst,
	.tick = proto_tick,
	.owner = test_owner,
};

struct client_result {
	uint16_t port;
	bool only_new; /* every message starts a session (SPIr zero) */
	unsigned sent, replies, right_shard, wrong_shard, wrong_source;
	unsigned client_shards[NB_CLIENTS]; /* bit s: shard s answered this client */
	char stats_json[8192];
	char shard1_json[8192];
};

static uint16_t
free_udp_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	uint16_t port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* IKE header with SPIi, SPIr and the Initiator flag (RFC 7296 3.1). */
static void
make_ike(uint8_t *b, uint64_t spii, uint64_t spir)
{
	memset(b, 0, MSG_LEN);
	ike_put_u64(b, spii);
	ike_put_u64(b + 8, spir);
	b[17] = 0x20; /* version 2.0 */
	b[19] = 0x08; /* I */
	ike_put_u32(b + 24, MSG_LEN);
}

/* One request/response on the telemetry socket. */
static int
telemetry_query(const char *cmd, char *out, size_t len)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char hello[1024];
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		 rte_eal_get_runtime_dir());
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		goto fail;
	if (read(fd, hello, sizeof(hello)) <= 0 || write(fd, cmd, strlen(cmd)) < 0)
		goto fail;
	n = read(fd, out, len - 1);
	if (n <= 0)
		goto fail;
	out[n] = '\0';
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Message k of a client: 0-2 name shard 0, 3-5 shard 1, 6 has SPIr zero, 7 shard 5 (none). */
static uint64_t
test_spir(unsigned k)
{
	uint64_t shard = k < 3 ? 0 : k < 6 ? 1 : 5;

	return k == 6 ? 0 : shard << 56 | 0x100 | k;
}

static void *
client_main(void *arg)
{
	struct client_result *res = arg;
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(res->port)};
	struct sockaddr_in from;
	struct timeval tv = {.tv_sec = 2};
	uint8_t msg[MSG_LEN], in[256];
	int fds[NB_CLIENTS];
	uint64_t spir;
	unsigned c, k;
	socklen_t flen;
	ssize_t n;

	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	usleep(100 * 1000); /* workers poll from the start; give EAL threads a moment */
	for (c = 0; c < NB_CLIENTS; c++) {
		fds[c] = socket(AF_INET, SOCK_DGRAM, 0);
		setsockopt(fds[c], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		for (k = 0; k < PER_CLIENT; k++) {
			spir = res->only_new ? 0 : test_spir(k);
			/* SPIi with non-zero first octets, or io_udp would take them for a marker. */
			make_ike(msg, 0x5a5a5a5a00001000ULL + c * 16 + k, spir);
			if (sendto(fds[c], msg, MSG_LEN, 0, (struct sockaddr *)&dst, sizeof(dst)) ==
			    MSG_LEN)
				res->sent++;
		}
	}
	for (c = 0; c < NB_CLIENTS; c++) {
		/* No reply for shard 5. */
		for (k = 0; k < PER_CLIENT - (res->only_new ? 0u : 1u); k++) {
			flen = sizeof(from);
			n = recvfrom(fds[c], in, sizeof(in), 0, (struct sockaddr *)&from, &flen);
			if (n != MSG_LEN)
				break;
			res->replies++;
			if (from.sin_port != dst.sin_port || from.sin_addr.s_addr != dst.sin_addr.s_addr)
				res->wrong_source++;
			res->client_shards[c] |= 1u << (in[28] & 31);
			spir = ike_get_u64(in + 8);
			if (spir == 0)
				continue;
			if (in[28] == spir >> 56)
				res->right_shard++;
			else
				res->wrong_shard++;
		}
		close(fds[c]);
	}
	usleep(100 * 1000); /* let the counters settle */
	telemetry_query("/ikefarm/stats", res->stats_json, sizeof(res->stats_json));
	telemetry_query("/ikefarm/shard,1", res->shard1_json, sizeof(res->shard1_json));
	rt_request_stop();
	return NULL;
}

/* The value of "name": in a telemetry JSON reply, or -1. */
static long long
json_u64(const char *json, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\"%s\":", name);
	p = strstr(json, key);
	return p == NULL ? -1 : strtoll(p + strlen(key), NULL, 10);
}

/* A runtime with 2 shards on loopback UDP; the clients run while rt_run() does. */
static struct rt *
start(struct client_result *res)
{
	struct rt_config cfg;
	struct rt *rt;
	char text[512], err[256];

	rt_config_defaults(&cfg);
	res->port = free_udp_port();
	snprintf(text, sizeof(text),
		 "[net]\nbind_v4 = 127.0.0.1\nbind_v6 =\nike_port = %u\nnatt_port = 0\n"
		 "buffers = 1024\nbuffer_size = 2048\n",
		 res->port);
	assert_int_equal(rt_config_parse(&cfg, text, "test", err, sizeof(err)), 0);
	rt = rt_create(&cfg, &test_proto, NULL);
	assert_non_null(rt);
	assert_int_equal(rt_nb_shards(rt), 2);
	assert_int_equal(rt_telemetry_register(rt), 0);
	return rt;
}

static void
run_clients(struct rt *rt, struct client_result *res)
{
	pthread_t th;

	rt_clear_stop();
	assert_int_equal(pthread_create(&th, NULL, client_main, res), 0);
	assert_int_equal(rt_run(rt), 0);
	pthread_join(th, NULL);
}

static void
test_redirect_and_telemetry(void **state)
{
	static struct client_result res;
	const struct rt_counters *c0, *c1;
	struct rt *rt;
	unsigned i;

	(void)state;
	rt = start(&res);
	run_clients(rt, &res);

	assert_int_equal(res.sent, NB_CLIENTS * PER_CLIENT);
	assert_int_equal(res.replies, NB_CLIENTS * (PER_CLIENT - 1));
	assert_int_equal(res.wrong_source, 0);
	/* Every message naming a shard was handled by that shard. */
	assert_int_equal(res.right_shard, NB_CLIENTS * 6);
	assert_int_equal(res.wrong_shard, 0);
	c0 = rt_shard_counters(rt_shard(rt, 0));
	c1 = rt_shard_counters(rt_shard(rt, 1));
	for (i = 0; i < 2; i++) {
		/* The handler never saw a message owned by another shard; its tick ran. */
		assert_non_null(test_shards[i]);
		assert_int_equal(test_shards[i]->wrong_owner, 0);
		assert_true(test_shards[i]->ticks > 0);
	}
	/*
	 * Each client socket lands on one shard (SO_REUSEPORT hash) and half of
	 * its owned messages name the other one, so redirects must have happened.
	 */
	assert_true(c0->redirect_out + c1->redirect_out >= NB_CLIENTS * 3);
	assert_int_equal(c0->redirect_out, c1->redirect_in);
	assert_int_equal(c1->redirect_out, c0->redirect_in);
	assert_int_equal(c0->redirect_drop_full + c1->redirect_drop_full, 0);
	assert_int_equal(c0->drop_bad_shard + c1->drop_bad_shard, NB_CLIENTS);
	assert_int_equal(c0->rx_pkts + c1->rx_pkts, NB_CLIENTS * PER_CLIENT);
	assert_int_equal(c0->tx_pkts + c1->tx_pkts, NB_CLIENTS * (PER_CLIENT - 1));
	/* The devices spread flows themselves (SO_REUSEPORT): no software spread. */
	assert_int_equal(c0->spread_out + c1->spread_out, 0);

	/* Telemetry shows the same numbers. */
	printf("/ikefarm/stats -> %s\n", res.stats_json);
	assert_int_equal(json_u64(res.stats_json, "shards"), 2);
	assert_int_equal(json_u64(res.stats_json, "redirect_out"),
			 (long long)(c0->redirect_out + c1->redirect_out));
	assert_int_equal(json_u64(res.stats_json, "redirect_in"),
			 (long long)(c0->redirect_in + c1->redirect_in));
	assert_int_equal(json_u64(res.stats_json, "drop_bad_shard"), NB_CLIENTS);
	assert_int_equal(json_u64(res.stats_json, "tx_pkts"), NB_CLIENTS * (PER_CLIENT - 1));
	assert_int_equal(json_u64(res.shard1_json, "shard"), 1);
	assert_int_equal(json_u64(res.shard1_json, "redirect_in"), (long long)c1->redirect_in);
	rt_destroy(rt);
}

/*
 * Devices that do not spread flows (one queue for all workers): every
 * message that starts a session goes to the shard its peer hashes to, so
 * each client meets one shard for all its messages and both shards get
 * new sessions.
 */
static void
test_software_spread(void **state)
{
	static struct client_result res = {.only_new = true};
	const struct rt_counters *c0, *c1;
	unsigned c, seen = 0;
	struct rt *rt;

	(void)state;
	rt = start(&res);
	rt_shard(rt, 0)->io->flags &= ~(uint32_t)IO_DEV_F_SPREADS;
	rt_shard(rt, 1)->io->flags &= ~(uint32_t)IO_DEV_F_SPREADS;
	run_clients(rt, &res);

	assert_int_equal(res.replies, NB_CLIENTS * PER_CLIENT);
	for (c = 0; c < NB_CLIENTS; c++) {
		/* One shard answered all of a client's messages (bit 0 or bit 1). */
		assert_true(res.client_shards[c] == 1 || res.client_shards[c] == 2);
		seen |= res.client_shards[c];
	}
	/* 2^-(NB_CLIENTS-1) that a random seed puts every client on one shard. */
	assert_int_equal(seen, 3);
	c0 = rt_shard_counters(rt_shard(rt, 0));
	c1 = rt_shard_counters(rt_shard(rt, 1));
	assert_true(c0->spread_out + c1->spread_out > 0);
	assert_int_equal(c0->spread_out + c1->spread_out, c0->redirect_out + c1->redirect_out);
	assert_int_equal(test_shards[0]->wrong_owner + test_shards[1]->wrong_owner, 0);
	assert_int_equal(json_u64(res.stats_json, "spread_out"),
			 (long long)(c0->spread_out + c1->spread_out));
	rt_destroy(rt);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "128", "-l", "0-1",
		       "--log-level=lib.eal:warning"};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redirect_and_telemetry),
		cmocka_unit_test(test_software_spread),
	};
	int rc;

	(void)argc;
	if (rt_eal_init((int)(sizeof(eal) / sizeof(eal[0])), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rc = cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
	rt_eal_cleanup();
	return rc;
}
