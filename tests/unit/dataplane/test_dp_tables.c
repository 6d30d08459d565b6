/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data-path tables without packets: the record's size budget, the
 * host-route index and the neighbour table against plain models, the
 * local-selector table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_malloc.h>

#include "dp_test_util.h"

/* Records without keys (these tests never install): the table's stride. */
#define REC_WORDS (sizeof(struct dp_entry) / 8)
static struct dp_entry *
rec(uint64_t *mem, unsigned i)
{
	return (struct dp_entry *)(mem + (size_t)i * REC_WORDS);
}

/*
 * The host-route index against a plain model: 200 slots (a 512-cell
 * table), addresses that share low bits so runs form, random adds, rekey
 * take-overs and deletes; every address finds exactly the model's slot.
 */
void
test_hosts_index(void **state)
{
	enum { SLOTS = 200, ADDRS = 300 };
	static uint64_t tab[SLOTS * REC_WORDS];
	uint32_t model[ADDRS]; /* address index -> slot, UINT32_MAX: none */
	int owner[SLOTS];      /* slot -> address index, -1: free */
	struct dp_lcore l;
	uint64_t rnd = 0x9e3779b97f4a7c15ull;

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(tab, 0, sizeof(tab));
	l.nb_slots = SLOTS;
	l.tab = (uint8_t *)tab;
	l.stride = REC_WORDS * 8;
	dp_hosts_init(&l, SOCKET_ID_ANY);
	assert_non_null(l.hosts);
	for (int a = 0; a < ADDRS; a++)
		model[a] = UINT32_MAX;
	for (int s = 0; s < SLOTS; s++)
		owner[s] = -1;
	for (int step = 0; step < 20000; step++) {
		uint32_t s, a;
		uint8_t addr[4];

		rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
		s = (uint32_t)(rnd >> 33) % SLOTS;
		a = (uint32_t)(rnd >> 13) % ADDRS;
		if (owner[s] >= 0) {
			/* Delete the SA in s: its address goes only if it still points here. */
			int o = owner[s];

			memcpy(addr, rec(tab, s)->sa.ts, 4);
			dp_hosts_del(&l, false, addr, s);
			if (model[o] == s)
				model[o] = UINT32_MAX;
			owner[s] = -1;
			memset(rec(tab, s), 0, l.stride);
		} else {
			/* Install address a in s (a rekey when another slot has it). */
			addr[0] = 10;
			addr[1] = (uint8_t)(a % 3);
			addr[2] = (uint8_t)(a >> 8);
			addr[3] = (uint8_t)a;
			memcpy(rec(tab, s)->sa.ts, addr, 4);
			rec(tab, s)->sa.ts_len = 32;
			dp_hosts_add(&l, false, addr, s);
			if (model[a] != UINT32_MAX)
				owner[model[a]] = -1; /* the old SA no longer owns the route */
			model[a] = s;
			owner[s] = (int)a;
		}
		if (step % 97 == 0 || step > 19900)
			for (int b = 0; b < ADDRS; b++) {
				uint8_t q[4] = {10, (uint8_t)(b % 3), (uint8_t)(b >> 8),
						(uint8_t)b};

				assert_int_equal(dp_hosts_find(&l, false, q), model[b]);
			}
	}
	rte_free(l.hosts);
}

/* The per-Child-SA record stays within its budget (a size, not a timing). */
void
test_record_size(void **state)
{
	(void)state;
	printf("data-path record per Child SA: %zu octets (budget %d), SA pair %zu\n",
	       dp_sa_mem_size(0), DP_SA_MEM_BUDGET, sizeof(struct esp_sa));
	assert_true(dp_sa_mem_size(0) <= DP_SA_MEM_BUDGET);
	/* Key space for the proposals: AES-GCM-256 only (36 a direction) takes 120 less. */
	assert_int_equal(dp_sa_mem_size(esp_keymat_len(ESP_ALG_AES_GCM_16, 32)),
			 dp_sa_mem_size(0) - 2 * (ESP_MAX_KEYMAT - 36));
	assert_int_equal(esp_keymat_len(ESP_ALG_AES_CBC_HMAC_SHA512_256, 32), ESP_MAX_KEYMAT);
	assert_true(sizeof(struct esp_sa) <= ESP_SA_BUDGET);
}

/*
 * The neighbour table against a plain model: SAs learn one of a few
 * Ethernet address pairs (frames share low bits so index runs form), move
 * to another, are deleted (release) or take their predecessor's (hold);
 * each SA's entry holds its pair, an entry lives while SAs name it. Then
 * a full table: the SA beyond keeps none and it is counted.
 */
void
test_nb_table(void **state)
{
	enum { SLOTS = 400, PAIRS = 60 };
	static uint64_t tab[SLOTS * REC_WORDS];
	int pair[SLOTS]; /* slot -> pair index, -1: none */
	struct dp_lcore l;
	uint64_t rnd = 0x2545f4914f6cdd1dull;
	uint8_t frame[12];

	(void)state;
	memset(&l, 0, sizeof(l));
	memset(tab, 0, sizeof(tab));
	l.nb_slots = SLOTS;
	l.tab = (uint8_t *)tab;
	l.stride = REC_WORDS * 8;
	assert_true(dp_nb_init(&l, SOCKET_ID_ANY));
	assert_int_equal(l.nb_cap, DP_NB_MIN);
	for (int s = 0; s < SLOTS; s++)
		pair[s] = -1;
	for (int step = 0; step < 20000; step++) {
		uint32_t s, o, p;
		unsigned refs[PAIRS] = {0}, used = 0;

		rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
		s = (uint32_t)(rnd >> 33) % SLOTS;
		o = (uint32_t)(rnd >> 17) % SLOTS;
		p = (uint32_t)(rnd >> 7) % PAIRS;
		switch ((rnd >> 50) % 4) {
		case 0:
			dp_nb_release(&l, rec(tab, s));
			pair[s] = -1;
			break;
		case 1:
			dp_nb_hold(&l, rec(tab, s), rec(tab, o)->nb);
			pair[s] = pair[o];
			break;
		default:
			memset(frame, 0, sizeof(frame));
			frame[0] = (uint8_t)(p % 4); /* our address: 4 of them */
			frame[6] = 2;
			frame[11] = (uint8_t)p; /* the peer's */
			dp_nb_learn(&l, rec(tab, s), frame);
			pair[s] = (int)p;
			break;
		}
		for (int t = 0; t < SLOTS; t++) {
			if (pair[t] < 0) {
				assert_int_equal(rec(tab, t)->nb, 0);
				continue;
			}
			assert_int_not_equal(rec(tab, t)->nb, 0);
			assert_int_equal(l.nbs[rec(tab, t)->nb].our[0], pair[t] % 4);
			assert_int_equal(l.nbs[rec(tab, t)->nb].peer[5], pair[t]);
			refs[pair[t]]++;
		}
		for (int q = 0; q < PAIRS; q++)
			used += refs[q] != 0;
		if (step % 101 == 0) {
			/* One entry per pair in use, holding that many references. */
			unsigned free_n = 0;

			for (uint32_t n = l.nb_free; n != 0; n = l.nbs[n].refs)
				free_n++;
			assert_int_equal(l.nb_next - 1 - free_n, used);
			for (int t = 0; t < SLOTS; t++)
				if (pair[t] >= 0)
					assert_int_equal(l.nbs[rec(tab, t)->nb].refs,
							 refs[pair[t]]);
		}
	}
	for (int s = 0; s < SLOTS; s++)
		dp_nb_release(&l, rec(tab, s));
	/* All free again, the index empty. */
	{
		unsigned free_n = 0;

		for (uint32_t n = l.nb_free; n != 0; n = l.nbs[n].refs)
			free_n++;
		assert_int_equal(free_n, l.nb_next - 1);
		for (uint32_t i = 0; i <= l.nb_cells_mask; i++)
			assert_int_equal(l.nb_cells[i], 0);
	}
	/* Full: DP_NB_MIN distinct pairs fill it; the next SA keeps none, counted. */
	{
		static uint64_t many[(DP_NB_MIN + 1) * REC_WORDS];

		memset(many, 0, sizeof(many));
		for (unsigned i = 0; i <= DP_NB_MIN; i++) {
			memset(frame, 0, sizeof(frame));
			frame[6] = 2;
			frame[10] = (uint8_t)(i >> 8);
			frame[11] = (uint8_t)i;
			dp_nb_learn(&l, rec(many, i), frame);
			assert_int_equal(rec(many, i)->nb == 0, i == DP_NB_MIN);
		}
		assert_int_equal(l.c.nb_full, 1);
		dp_nb_release(&l, rec(many, 0));
		dp_nb_learn(&l, rec(many, DP_NB_MIN), frame);
		assert_int_not_equal(rec(many, DP_NB_MIN)->nb, 0);
		for (unsigned i = 0; i <= DP_NB_MIN; i++)
			dp_nb_release(&l, rec(many, i));
	}
	dp_nb_free(&l);
}

/* The local selector 10.99.N.0/24 (and fd99:0:0:N::/64 if v6). */
static void
tsr_of(struct esp_ts_local *t, unsigned n, bool v6)
{
	struct esp_range r = {.start = {10, 99, (uint8_t)n, 0}, .end = {10, 99, (uint8_t)n, 255}};

	memset(t, 0, sizeof(*t));
	esp_ts_local_add(t, &r);
	if (v6) {
		memset(&r, 0, sizeof(r));
		r.v6 = 1;
		r.start[0] = r.end[0] = 0xfd;
		r.start[1] = r.end[1] = 0x99;
		r.start[7] = r.end[7] = (uint8_t)n;
		memset(r.end + 8, 0xff, 8);
		esp_ts_local_add(t, &r);
	}
}

/*
 * The local-selector table: equal selectors share an entry (IPv4 alone
 * and IPv4 + IPv6 are different ones), DP_MAX_TSR distinct ones fit, one
 * more is refused and counted; an entry goes with its last reference and
 * its place serves the next; all released, the table is empty.
 */
void
test_tsr_table(void **state)
{
	static struct dp_lcore l;
	struct esp_ts_local t;
	uint8_t ref[DP_MAX_TSR], a, b, c;
	unsigned i;

	(void)state;
	memset(&l, 0, sizeof(l));
	tsr_of(&t, 0, false);
	a = dp_tsr_hold(&l, &t);
	b = dp_tsr_hold(&l, &t);
	assert_int_not_equal(a, 0);
	assert_int_equal(a, b);
	tsr_of(&t, 0, true);
	c = dp_tsr_hold(&l, &t);
	assert_int_not_equal(c, 0);
	assert_int_not_equal(c, a);
	assert_true(esp_ts_local_has(dp_tsr_of(&l, c), true, (const uint8_t[16]){0xfd, 0x99}));
	assert_false(esp_ts_local_has(dp_tsr_of(&l, a), true, (const uint8_t[16]){0xfd, 0x99}));
	dp_tsr_release(&l, a);
	dp_tsr_release(&l, b);
	dp_tsr_release(&l, c);
	assert_int_equal(l.nb_tsr, 0);

	for (i = 0; i < DP_MAX_TSR; i++) {
		tsr_of(&t, i, true);
		ref[i] = dp_tsr_hold(&l, &t);
		assert_int_equal(ref[i], i + 1);
	}
	tsr_of(&t, 0, false);
	assert_int_equal(dp_tsr_hold(&l, &t), 0);
	assert_int_equal(l.c.tsr_full, 1);
	/* A held one is still shared when full. */
	tsr_of(&t, 7, true);
	assert_int_equal(dp_tsr_hold(&l, &t), ref[7]);
	dp_tsr_release(&l, ref[7]);
	/* Its last SA gone, the place of 10.99.7.0/24 takes the new selector. */
	dp_tsr_release(&l, ref[7]);
	tsr_of(&t, 0, false);
	assert_int_equal(dp_tsr_hold(&l, &t), ref[7]);
	assert_true(esp_ts_local_has(dp_tsr_of(&l, ref[7]), false, (const uint8_t[4]){10, 99}));
	assert_false(esp_ts_local_has(dp_tsr_of(&l, ref[7]), false, (const uint8_t[4]){10, 99, 7}));
	dp_tsr_release(&l, ref[7]);
	for (i = 0; i < DP_MAX_TSR; i++)
		if (i != 7)
			dp_tsr_release(&l, ref[i]);
	assert_int_equal(l.nb_tsr, 0);
	for (i = 0; i < DP_MAX_TSR; i++)
		assert_int_equal(l.tsr[i].refs, 0);
}
