/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A data-path lcore's SA table driven by hand (dp_apply, dp_idle_scan at
 * chosen times, no lcore thread): time lifetimes and the idle lifetime
 * reported once each and never early, a hard limit closing both halves,
 * a replaced SA lingering DP_LINGER_S after its delete, our outer
 * addresses kept once, an install naming another worker's slot refused;
 * records sized for AES-GCM keys refusing a CBC-HMAC SA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rte_malloc.h>

#include "dp_test_util.h"

#define SLOTS 64

static struct dp t_dp;
static struct dp_lcore t_l;
/* Records with the largest key space. */
static uint64_t t_mem[SLOTS * ((sizeof(struct dp_entry) + 2 * ESP_MAX_KEYMAT + 7) / 8)];
#define T(slot) dp_tab(&t_l, slot)
static struct dp_key_line t_keys[2];

/* A lcore whose records keep keymat_len octets of keys a direction. */
static void
setup_lcore(unsigned keymat_len)
{
	memset(&t_dp, 0, sizeof(t_dp));
	memset(&t_l, 0, sizeof(t_l));
	memset(t_mem, 0, sizeof(t_mem));
	t_dp.cfg.keymat_len = keymat_len;
	t_dp.cfg.nb_lcores = 1;
	t_dp.cfg.nb_workers = 2;
	t_dp.cfg.slots_per_worker = SLOTS / 2;
	assert_true(esp_spi_layout_init(&t_dp.layout, 1, 6));
	t_dp.lc[0] = &t_l;
	for (unsigned w = 0; w < 2; w++) {
		char name[32];

		snprintf(name, sizeof(name), "t_life_ev%u", w);
		t_dp.w[w].events =
			rte_ring_create_elem(name, sizeof(struct esp_event), 64, SOCKET_ID_ANY, 0);
		assert_non_null(t_dp.w[w].events);
	}
	t_l.dp = &t_dp;
	t_l.nb_slots = SLOTS;
	t_l.tab = (uint8_t *)t_mem;
	t_l.stride = (uint32_t)dp_sa_mem_size(keymat_len);
	t_l.keys = t_keys;
	t_l.nb_keys = 2;
	dp_hosts_init(&t_l, SOCKET_ID_ANY);
	assert_non_null(t_l.hosts);
	assert_true(dp_nb_init(&t_l, SOCKET_ID_ANY));
}

static void
teardown_lcore(void)
{
	for (unsigned w = 0; w < 2; w++)
		rte_ring_free(t_dp.w[w].events);
	rte_free(t_l.hosts);
	dp_nb_free(&t_l);
}

/* Installs (or deletes) the SA in slot with tag at now_ms; returns its SPI. */
static uint32_t
apply(enum esp_handoff_op op, uint32_t slot, uint32_t tag, const uint8_t *addr,
      const struct esp_life_time *t, uint32_t idle_s, uint32_t replaces, uint64_t now_ms)
{
	uint32_t spi = esp_spi_compose(&t_dp.layout, 0, slot, tag);
	struct esp_handoff h;

	handoff(&h, spi, ESP_ALG_AES_GCM_16, false);
	h.op = (uint8_t)op;
	h.worker = (uint16_t)(slot / (SLOTS / 2));
	memcpy(h.ts_remote.start, addr, 4);
	memcpy(h.ts_remote.end, addr, 4);
	if (t != NULL)
		h.time = *t;
	h.idle_s = idle_s;
	h.replaces_spi_in = replaces;
	dp_apply(&t_l, &h, now_ms);
	return spi;
}

/* The events worker w received since the last call: their kinds as a string (S, H, I, R). */
static const char *
events(unsigned w, uint32_t want_spi)
{
	static char kinds[16];
	struct esp_event ev[8];
	unsigned n = rte_ring_dequeue_burst_elem(t_dp.w[w].events, ev, sizeof(ev[0]), 8, NULL);

	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(ev[i].spi_in, want_spi);
		assert_int_equal(ev[i].worker, w);
		kinds[i] = "SHIR"[ev[i].kind];
	}
	kinds[n] = '\0';
	return kinds;
}

static const char *
scan(uint64_t now_ms, uint32_t spi)
{
	dp_idle_scan(&t_l, now_ms);
	return events(0, spi);
}

void
test_dp_lifetimes(void **state)
{
	static const uint8_t a[4] = {10, 98, 1, 1}, b[4] = {10, 98, 1, 2};
	const struct esp_life_time t = {.soft_s = 10, .hard_s = 20};
	uint64_t t0 = 1000500; /* half a second into second 1000 */
	uint32_t spi, old, spi2;
	struct esp_job j;
	uint8_t esp[64] = {0};

	(void)state;
	setup_lcore(ESP_MAX_KEYMAT);
	spi = apply(ESP_HO_INSTALL, 3, 0x155, a, &t, 5, 0, t0);
	assert_int_equal(t_l.c.installs, 1);
	assert_int_equal(T(3)->used, DP_USED);
	assert_int_equal(dp_hosts_find(&t_l, false, a), 3);

	/* Idle: 5 s after the second of the last packet has passed, never before; once. */
	assert_string_equal(scan(t0 + 5499, spi), "");
	assert_string_equal(scan(1005999, spi), "");
	assert_string_equal(scan(1006000, spi), "I");
	assert_string_equal(scan(1007000, spi), "");
	/* An authenticated inbound packet clears the mark (esp_in_finish). */
	T(3)->sa.ev &= (uint8_t)~ESP_EV_IDLE;
	T(3)->sa.in.last_s = 1007;
	assert_string_equal(scan(1012999, spi), "S"); /* soft time at 1010 */
	assert_string_equal(scan(1013000, spi), "I");

	/* Hard time at 1020: reported once, both halves closed. */
	assert_string_equal(scan(1019999, spi), "");
	assert_string_equal(scan(1020000, spi), "H");
	assert_string_equal(scan(1030000, spi), "");
	assert_int_equal(esp_in_prepare(&T(3)->sa, NULL, esp, sizeof(esp), &j), ESP_E_EXPIRED);
	assert_true(T(3)->sa.ev & ESP_EV_HARD << ESP_EV_OUT_SHIFT);

	/* DELETE of an SA nobody replaced: final counters at once, the slot wiped. */
	apply(ESP_HO_DELETE, 3, 0x155, a, NULL, 0, 0, 1030000);
	assert_string_equal(events(0, spi), "R");
	assert_int_equal(T(3)->used, 0);
	assert_int_equal(dp_hosts_find(&t_l, false, a), UINT32_MAX);

	/* A rekey: the old SA lingers DP_LINGER_S after its delete, then goes. */
	old = apply(ESP_HO_INSTALL, 4, 0x166, b, NULL, 0, 0, 1040000);
	spi2 = apply(ESP_HO_INSTALL, 5, 0x177, b, NULL, 0, old, 1041000);
	assert_int_equal(T(4)->used, DP_REPLACED);
	assert_int_equal(dp_hosts_find(&t_l, false, b), 5);
	apply(ESP_HO_DELETE, 4, 0x166, b, NULL, 0, 0, 1042400);
	assert_int_equal(T(4)->used, DP_LINGER);
	assert_string_equal(scan(1043999, old), "");
	assert_string_equal(scan(1044000, old), "R");
	assert_int_equal(T(4)->used, 0);
	assert_int_equal(T(5)->used, DP_USED);
	assert_int_equal(dp_hosts_find(&t_l, false, b), 5);
	(void)spi2;

	/* Our outer addresses: one entry each, whatever the number of SAs. */
	assert_int_equal(t_l.nb_locals, 1);
	assert_int_equal(T(5)->local, 0);
	{
		uint32_t s6 = esp_spi_compose(&t_dp.layout, 0, 6, 0x188);
		struct esp_handoff h;

		handoff(&h, s6, ESP_ALG_AES_GCM_16, false);
		memcpy(h.local, "\xc0\x00\x02\x09", 4);
		h.ts_remote.start[3] = h.ts_remote.end[3] = 77;
		dp_apply(&t_l, &h, 1050000);
		assert_int_equal(T(6)->used, DP_USED);
		assert_int_equal(T(6)->local, 1);
		assert_memory_equal(t_l.locals[1].addr, "\xc0\x00\x02\x09", 4);
		assert_int_equal(t_l.nb_locals, 2);
	}

	/* A slot of worker 1's share named by worker 0: refused, the slot left free. */
	{
		uint32_t s40 = esp_spi_compose(&t_dp.layout, 0, 40, 0x199);
		struct esp_handoff h;
		uint64_t bad = t_l.c.bad_handoff;

		handoff(&h, s40, ESP_ALG_AES_GCM_16, false);
		h.worker = 0;
		dp_apply(&t_l, &h, 1050000);
		assert_int_equal(t_l.c.bad_handoff, bad + 1);
		assert_int_equal(T(40)->used, 0);
	}
	teardown_lcore();

	/* Keys sized for AES-GCM-only proposals: GCM fits (both directions kept), CBC not. */
	setup_lcore(esp_keymat_len(ESP_ALG_AES_GCM_16, 32));
	assert_int_equal(t_l.stride, dp_sa_mem_size(0) - 2 * (ESP_MAX_KEYMAT - 36));
	{
		struct esp_handoff h, want;
		uint32_t s7 = esp_spi_compose(&t_dp.layout, 0, 7, 0x1aa);
		uint32_t s8 = esp_spi_compose(&t_dp.layout, 0, 8, 0x1bb);

		handoff(&h, s7, ESP_ALG_AES_GCM_16, false);
		want = h;
		dp_apply(&t_l, &h, 1060000);
		assert_int_equal(T(7)->used, DP_USED);
		assert_memory_equal(T(7)->keys, want.key_in, 36);
		assert_memory_equal(T(7)->keys + 36, want.key_out, 36);
		handoff(&h, s8, ESP_ALG_AES_CBC_HMAC_SHA256_128, false);
		h.ts_remote.start[3] = h.ts_remote.end[3] = 8;
		dp_apply(&t_l, &h, 1060000);
		assert_int_equal(T(8)->used, 0);
		assert_int_equal(t_l.c.bad_handoff, 1);
		assert_int_equal(T(7)->used, DP_USED); /* its neighbour in memory untouched */
		assert_memory_equal(T(7)->keys + 36, want.key_out, 36);
	}
	teardown_lcore();
}
