/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual-IP leases (lib/core/ike_pool.c): the slices of [pool] member = k/n
 * and of the shards within a gateway are disjoint and cover the usable
 * addresses for many pool sizes; allocation hands out each own address
 * once, exhausts, and reuses released ones; parked addresses wait for
 * their ticket and can be taken by a resumption meanwhile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ike_pool.h"

static void
v4_pool(struct ike_core_cfg *c, uint8_t plen, uint16_t k, uint16_t n, unsigned shards)
{
	memset(c, 0, sizeof(*c));
	c->pool.has_v4 = true;
	c->pool.v4[0] = 10;
	c->pool.v4[1] = 98;
	c->pool.v4_plen = plen;
	c->pool.member_k = k;
	c->pool.member_n = n;
	c->nb_shards = shards;
}

/* Every usable offset is in exactly one (member, shard) slice, for any k/n and shard count. */
static void
test_slices_partition(void **state)
{
	static const uint8_t plens[] = {16, 20, 24, 26, 29, 30, 31};
	static uint8_t owner[1u << 16];

	(void)state;
	for (unsigned pi = 0; pi < sizeof(plens); pi++) {
		for (unsigned n = 1; n <= 9; n++) {
			for (unsigned shards = 1; shards <= 5; shards++) {
				struct ike_core_cfg c;
				uint32_t first = 0, size = 0, lo, hi, covered = 0;

				memset(owner, 0, sizeof(owner));
				for (unsigned k = 1; k <= n; k++) {
					v4_pool(&c, plens[pi], (uint16_t)k, (uint16_t)n, shards);
					for (unsigned sh = 0; sh < shards; sh++) {
						assert_true(ike_pool_range(&c.pool, 4, sh, shards, &first,
									   &size, &lo, &hi));
						assert_true(lo <= hi && lo >= first && hi <= first + size);
						for (uint32_t o = lo; o < hi; o++) {
							assert_int_equal(owner[o], 0);
							owner[o] = 1;
							covered++;
						}
					}
				}
				assert_int_equal(covered, size);
				/* IPv4: never the network (0) nor the broadcast address. */
				if (plens[pi] <= 30) {
					assert_int_equal(first, 1);
					assert_int_equal(size, (1u << (32 - plens[pi])) - 2);
				}
			}
		}
	}
}

static struct ike_pool *
pool_new(const struct ike_core_cfg *c, unsigned shard, void **mem)
{
	static struct ike_pool p[2];

	*mem = calloc(1, ike_pool_mem_size(c) + 8);
	assert_non_null(*mem);
	ike_pool_init(p, c, shard, *mem);
	return &p[0];
}

static void
test_alloc_exhaust_release(void **state)
{
	static uint8_t seen[256];
	struct ike_core_cfg c;
	struct ike_pool *p;
	uint8_t a[4];
	uint32_t off;
	void *mem;

	(void)state;
	v4_pool(&c, 24, 2, 4, 2); /* the second quarter (64..127), shard 1 of 2: 96..127 */
	p = pool_new(&c, 1, &mem);
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < 32; i++) {
		off = ike_pool_alloc(p, 100 + i, 0);
		assert_int_not_equal(off, IKE_POOL_NONE);
		ike_pool_addr(p, off, a);
		assert_true(a[3] >= 96 && a[3] < 128);
		assert_int_equal(ike_pool_offset(p, a), off);
		assert_int_equal(seen[a[3]], 0);
		seen[a[3]] = 1;
	}
	assert_int_equal(ike_pool_alloc(p, 999, 0), IKE_POOL_NONE);
	assert_int_equal(p->nheld, 32);
	ike_pool_release(p, 100, 0);
	assert_int_equal(ike_pool_alloc(p, 999, 0), 100);
	/* Not in the pool: network, broadcast, another prefix. */
	assert_int_equal(ike_pool_offset(p, (uint8_t[]){10, 98, 0, 0}), IKE_POOL_NONE);
	assert_int_equal(ike_pool_offset(p, (uint8_t[]){10, 98, 0, 255}), IKE_POOL_NONE);
	assert_int_equal(ike_pool_offset(p, (uint8_t[]){10, 97, 0, 5}), IKE_POOL_NONE);
	free(mem);
}

static void
test_park_and_resume(void **state)
{
	struct ike_core_cfg c;
	struct ike_pool *p;
	uint32_t off, other;
	void *mem;

	(void)state;
	v4_pool(&c, 30, 0, 0, 1); /* .1 and .2 */
	p = pool_new(&c, 0, &mem);
	off = ike_pool_alloc(p, 7, 1000);
	ike_pool_reserve(p, off, 2000); /* a ticket naming it expires at 2000 */
	ike_pool_release(p, off, 1500);
	other = ike_pool_alloc(p, 8, 1500);
	assert_int_not_equal(other, off);
	/* Only the parked one is left: not before 2000 + margin. */
	assert_int_equal(ike_pool_alloc(p, 9, 2000 + IKE_POOL_PARK_SKEW_S - 1), IKE_POOL_NONE);
	/* The ticket's holder comes back: it takes its address from the parking. */
	assert_true(ike_pool_take(p, off, 10));
	assert_false(ike_pool_take(p, off, 11));
	ike_pool_release(p, off, 2100); /* reserved until 2000 + margin: parked again */
	assert_int_equal(ike_pool_alloc(p, 12, 2000 + IKE_POOL_PARK_SKEW_S), off);
	/* A foreign address (outside this shard's slice) is held and released without parking. */
	v4_pool(&c, 24, 1, 2, 1);
	free(mem);
	p = pool_new(&c, 0, &mem);
	assert_false(ike_pool_own(p, 200));
	assert_true(ike_pool_take(p, 200, 5));
	ike_pool_reserve(p, 200, 5000);
	ike_pool_release(p, 200, 0);
	assert_true(ike_pool_take(p, 200, 6));
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slices_partition),
		cmocka_unit_test(test_alloc_exhaust_release),
		cmocka_unit_test(test_park_and_resume),
	};

	return cmocka_run_group_tests_name("core-pool", tests, NULL, NULL);
}
