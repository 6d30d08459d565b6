/* SPDX-License-Identifier: BSD-3-Clause */
/* Tests for the responder SPI layout, satable and the half-open index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "halfopen.h"
#include "satable.h"
#include "siphash.h"

struct sa {
	uint64_t id;
	uint8_t pad[40];
};

struct table_fixture {
	struct spi_layout layout;
	struct satable *t;
	void *mem;
};

/* Small deterministic generator for tags (xorshift64). */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct satable *
make_table(struct table_fixture *f, uint32_t shard, uint32_t cap)
{
	size_t len = satable_mem_size(cap, sizeof(struct sa));

	assert_true(spi_layout_init(&f->layout, SPI_DEFAULT_SHARD_BITS, SPI_DEFAULT_SLOT_BITS));
	f->mem = aligned_alloc(SATABLE_ALIGN, (len + SATABLE_ALIGN - 1) / SATABLE_ALIGN *
						      SATABLE_ALIGN);
	assert_non_null(f->mem);
	f->t = satable_init(f->mem, len, &f->layout, shard, cap, sizeof(struct sa));
	assert_non_null(f->t);
	return f->t;
}

static void
test_spi_layout(void **state)
{
	struct spi_layout l;
	uint64_t spi;

	(void)state;
	assert_true(spi_layout_init(&l, 6, 22));
	assert_int_equal(l.tag_bits, 36);
	/* 0b000011 | slot 5 | tag 0xabc: computed by hand from the layout. */
	spi = spi_compose(&l, 3, 5, 0xabc);
	assert_true(spi == ((uint64_t)3 << 58 | (uint64_t)5 << 36 | 0xabc));
	assert_int_equal(spi_shard(&l, spi), 3);
	assert_int_equal(spi_slot(&l, spi), 5);
	assert_true(spi_tag(&l, spi) == 0xabc);
	/* A zero tag is never issued, so shard 0 slot 0 is never SPI zero. */
	assert_true(spi_compose(&l, 0, 0, 0) != 0);
	assert_true(spi_compose(&l, 0, 0, (uint64_t)1 << 36) != 0);
	/* Too few tag bits left. */
	assert_false(spi_layout_init(&l, 16, 20));
	assert_false(spi_layout_init(&l, 0, 22));
}

static void
test_fill_to_capacity(void **state)
{
	struct table_fixture f;
	enum { CAP = 1000 };
	static uint64_t spis[CAP];
	uint64_t rnd = 0x9e3779b97f4a7c15ULL, spi;
	struct sa *e;
	unsigned i;

	(void)state;
	make_table(&f, 7, CAP);
	for (i = 0; i < CAP; i++) {
		e = satable_insert(f.t, next_rand(&rnd), &spis[i]);
		assert_non_null(e);
		assert_int_equal(spi_shard(&f.layout, spis[i]), 7);
		assert_true(spis[i] != 0);
		assert_true(satable_spi_of(f.t, e) == spis[i]);
		e->id = i;
	}
	assert_int_equal(satable_count(f.t), CAP);
	assert_null(satable_insert(f.t, next_rand(&rnd), &spi));
	for (i = 0; i < CAP; i++) {
		e = satable_lookup(f.t, spis[i]);
		assert_non_null(e);
		assert_int_equal(e->id, i);
	}
	/* Free one, and exactly one insert fits again. */
	assert_int_equal(satable_remove(f.t, spis[17]), 0);
	assert_non_null(satable_insert(f.t, next_rand(&rnd), &spi));
	assert_null(satable_insert(f.t, next_rand(&rnd), &spi));
	free(f.mem);
}

static void
test_stale_tag_after_reuse(void **state)
{
	struct table_fixture f;
	uint64_t old_spi, new_spi, spi;
	struct sa *e;

	(void)state;
	make_table(&f, 1, 1);
	e = satable_insert(f.t, 0x111, &old_spi);
	assert_non_null(e);
	e->id = 42;
	assert_int_equal(satable_remove(f.t, old_spi), 0);
	/* Removed: gone, and removing again fails. */
	assert_null(satable_lookup(f.t, old_spi));
	assert_int_equal(satable_remove(f.t, old_spi), -1);
	/* Same slot reused with a new tag: the old SPI must not reach it. */
	e = satable_insert(f.t, 0x222, &new_spi);
	assert_non_null(e);
	assert_int_equal(e->id, 0); /* zeroed on insert */
	assert_int_equal(spi_slot(&f.layout, old_spi), spi_slot(&f.layout, new_spi));
	assert_true(old_spi != new_spi);
	assert_null(satable_lookup(f.t, old_spi));
	assert_int_equal(satable_remove(f.t, old_spi), -1);
	assert_ptr_equal(satable_lookup(f.t, new_spi), e);
	/* SPI zero and an out-of-range slot are never found. */
	assert_null(satable_lookup(f.t, 0));
	spi = spi_compose(&f.layout, 1, 5, 0x222);
	assert_null(satable_lookup(f.t, spi));
	free(f.mem);
}

static void
test_fifo_reuse_order(void **state)
{
	struct table_fixture f;
	uint64_t a, b, c, spi;

	(void)state;
	make_table(&f, 0, 3);
	assert_non_null(satable_insert(f.t, 1, &a));
	assert_non_null(satable_insert(f.t, 2, &b));
	assert_non_null(satable_insert(f.t, 3, &c));
	assert_int_equal(satable_remove(f.t, b), 0);
	assert_int_equal(satable_remove(f.t, a), 0);
	/* The slot freed first is reused first. */
	assert_non_null(satable_insert(f.t, 4, &spi));
	assert_int_equal(spi_slot(&f.layout, spi), spi_slot(&f.layout, b));
	assert_non_null(satable_insert(f.t, 5, &spi));
	assert_int_equal(spi_slot(&f.layout, spi), spi_slot(&f.layout, a));
	free(f.mem);
}

static void
test_wrong_shard(void **state)
{
	struct table_fixture f0, f1;
	uint64_t spi0, spi1, forged;

	(void)state;
	make_table(&f0, 0, 16);
	make_table(&f1, 1, 16);
	assert_non_null(satable_insert(f0.t, 0xabcdef, &spi0));
	assert_non_null(satable_insert(f1.t, 0xabcdef, &spi1));
	/* Same slot and tag, other shard: each table answers only for its own. */
	assert_int_equal(spi_slot(&f0.layout, spi0), spi_slot(&f1.layout, spi1));
	assert_null(satable_lookup(f0.t, spi1));
	assert_null(satable_lookup(f1.t, spi0));
	assert_int_equal(satable_remove(f0.t, spi1), -1);
	forged = spi_compose(&f0.layout, 1, spi_slot(&f0.layout, spi0), spi_tag(&f0.layout, spi0));
	assert_null(satable_lookup(f0.t, forged));
	free(f0.mem);
	free(f1.mem);
}

static void
test_lookup_burst(void **state)
{
	struct table_fixture f;
	uint64_t spis[8], q[8];
	void *elems[8], *out[8];
	unsigned i;

	(void)state;
	make_table(&f, 2, 8);
	for (i = 0; i < 8; i++) {
		elems[i] = satable_insert(f.t, 1000 + i, &spis[i]);
		assert_non_null(elems[i]);
	}
	assert_int_equal(satable_remove(f.t, spis[3]), 0);
	for (i = 0; i < 8; i++)
		q[i] = spis[7 - i];
	q[1] = 0;                        /* SPIr zero */
	q[5] ^= (uint64_t)1;             /* wrong tag */
	assert_int_equal(satable_lookup_burst(f.t, q, 8, out), 5);
	assert_ptr_equal(out[0], elems[7]);
	assert_null(out[1]);
	assert_ptr_equal(out[2], elems[5]);
	assert_ptr_equal(out[3], elems[4]);
	assert_null(out[4]);             /* spis[3] was removed */
	assert_null(out[5]);
	assert_ptr_equal(out[6], elems[1]);
	assert_ptr_equal(out[7], elems[0]);
	free(f.mem);
}

static void
test_bad_init(void **state)
{
	struct spi_layout l;
	size_t len = satable_mem_size(16, 8);
	void *mem = aligned_alloc(SATABLE_ALIGN, 4096);

	(void)state;
	assert_true(len <= 4096);
	assert_true(spi_layout_init(&l, 6, 22));
	assert_null(satable_init(mem, len - 1, &l, 0, 16, 8));      /* too small */
	assert_null(satable_init(mem, len, &l, 64, 16, 8));         /* shard > 6 bits */
	assert_null(satable_init((uint8_t *)mem + 8, len, &l, 0, 16, 8)); /* misaligned */
	assert_true(spi_layout_init(&l, 6, 3));
	assert_null(satable_init(mem, 4096, &l, 0, 9, 8));          /* 9 slots > 2^3 */
	assert_non_null(satable_init(mem, 4096, &l, 0, 8, 8));
	free(mem);
}

static void
test_siphash_vectors(void **state)
{
	/* Reference vectors from the SipHash authors (key 00..0f, msg 00..len-1). */
	static const struct {
		size_t len;
		uint64_t out;
	} v[] = {
		{0, 0x726fdb47dd0e0e31ULL},
		{7, 0xab0200f58b01d137ULL},
		{8, 0x93f5f5799a932462ULL},
		{15, 0xa129ca6149be45e5ULL},
		{63, 0x958a324ceb064572ULL},
	};
	uint8_t key[16], msg[64];
	unsigned i;

	(void)state;
	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_true(siphash24(key, msg, v[i].len) == v[i].out);
}

static struct halfopen_index *
make_index(uint32_t cap, void **mem)
{
	static const uint8_t hk[16] = {1, 2, 3};
	size_t len = halfopen_mem_size(cap);
	struct halfopen_index *h;

	*mem = aligned_alloc(64, (len + 63) / 64 * 64);
	assert_non_null(*mem);
	h = halfopen_init(*mem, len, cap, hk);
	assert_non_null(h);
	return h;
}

static void
test_halfopen_basic(void **state)
{
	const uint8_t v4[4] = {127, 0, 0, 1};
	uint8_t v6[16] = {0};
	struct halfopen_key k4, k4port, k6, kspi;
	struct halfopen_index *h;
	uint64_t val;
	void *mem;

	(void)state;
	v6[15] = 1;
	h = make_index(4, &mem);
	halfopen_key_make(&k4, 0x1122334455667788ULL, 4, v4, 500);
	halfopen_key_make(&k4port, 0x1122334455667788ULL, 4, v4, 4500);
	halfopen_key_make(&k6, 0x1122334455667788ULL, 6, v6, 500);
	halfopen_key_make(&kspi, 0x1122334455667789ULL, 4, v4, 500);
	assert_int_equal(halfopen_insert(h, &k4, 100), IKE_OK);
	assert_int_equal(halfopen_insert(h, &k4, 101), IKE_E_PARAM);
	assert_int_equal(halfopen_insert(h, &k4port, 200), IKE_OK);
	assert_int_equal(halfopen_insert(h, &k6, 300), IKE_OK);
	assert_int_equal(halfopen_insert(h, &kspi, 400), IKE_OK);
	assert_int_equal(halfopen_count(h), 4);
	assert_true(halfopen_lookup(h, &k4, &val));
	assert_true(val == 100);
	assert_true(halfopen_lookup(h, &k4port, &val));
	assert_true(val == 200);
	assert_true(halfopen_lookup(h, &k6, &val));
	assert_true(val == 300);
	assert_true(halfopen_lookup(h, &kspi, &val));
	assert_true(val == 400);
	assert_true(halfopen_remove(h, &k4port));
	assert_false(halfopen_remove(h, &k4port));
	assert_false(halfopen_lookup(h, &k4port, &val));
	assert_true(halfopen_lookup(h, &k6, &val));
	free(mem);
}

static void
test_halfopen_full_and_churn(void **state)
{
	enum { CAP = 5000 };
	static struct halfopen_key keys[CAP];
	struct halfopen_index *h;
	struct halfopen_key extra;
	uint8_t addr[4] = {10, 0, 0, 0};
	uint64_t rnd = 12345, val;
	void *mem;
	unsigned i, round;

	(void)state;
	h = make_index(CAP, &mem);
	for (i = 0; i < CAP; i++) {
		addr[3] = (uint8_t)i;
		halfopen_key_make(&keys[i], next_rand(&rnd), 4, addr, (uint16_t)i);
		assert_int_equal(halfopen_insert(h, &keys[i], i), IKE_OK);
	}
	halfopen_key_make(&extra, 1, 4, addr, 1);
	assert_int_equal(halfopen_insert(h, &extra, 0), IKE_E_NOSPACE);
	/* Remove and re-insert many times: backward shift must keep every key findable. */
	for (round = 0; round < 20; round++) {
		for (i = round % 3; i < CAP; i += 3)
			assert_true(halfopen_remove(h, &keys[i]));
		for (i = 0; i < CAP; i++)
			assert_int_equal(halfopen_lookup(h, &keys[i], &val), i % 3 != round % 3);
		for (i = round % 3; i < CAP; i += 3) {
			keys[i].ispi = next_rand(&rnd);
			assert_int_equal(halfopen_insert(h, &keys[i], i), IKE_OK);
		}
	}
	for (i = 0; i < CAP; i++) {
		assert_true(halfopen_lookup(h, &keys[i], &val));
		assert_true(val == i);
	}
	assert_int_equal(halfopen_count(h), CAP);
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spi_layout),
		cmocka_unit_test(test_fill_to_capacity),
		cmocka_unit_test(test_stale_tag_after_reuse),
		cmocka_unit_test(test_fifo_reuse_order),
		cmocka_unit_test(test_wrong_shard),
		cmocka_unit_test(test_lookup_burst),
		cmocka_unit_test(test_bad_init),
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_halfopen_basic),
		cmocka_unit_test(test_halfopen_full_and_churn),
	};

	return cmocka_run_group_tests_name("satable", tests, NULL, NULL);
}
