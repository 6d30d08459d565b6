/* SPDX-License-Identifier: BSD-3-Clause */
/* The gone Child SAs' counters per IKE SA (ifd_retired.h): sums, IKE SA rekey, end, eviction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "esp_handoff.h"
#include "ifd_retired.h"

static struct esp_event
removed(uint64_t ike_spi, uint64_t in_bytes, uint64_t out_bytes)
{
	struct esp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = ESP_EVENT_REMOVED;
	ev.ike_spi = ike_spi;
	ev.in.packets = in_bytes / 100;
	ev.in.bytes = in_bytes;
	ev.in.replay = 1;
	ev.in.auth = 2;
	ev.out.packets = out_bytes / 100;
	ev.out.bytes = out_bytes;
	return ev;
}

static void
test_sums_move_drop(void **state)
{
	struct ifd_retired t;
	const struct ifd_retired_sa *r;
	struct esp_event ev;

	(void)state;
	assert_int_equal(ifd_retired_init(&t, 1000), 0);
	assert_null(ifd_retired_get(&t, 0x1234));
	ev = removed(0x1234, 1000, 500);
	ifd_retired_add(&t, &ev);
	ev = removed(0x1234, 2000, 0);
	ifd_retired_add(&t, &ev);
	r = ifd_retired_get(&t, 0x1234);
	assert_non_null(r);
	assert_int_equal(r->bytes, 3500);
	assert_int_equal(r->packets, 35);
	assert_int_equal(r->errors, 6);
	/* An IKE SA rekey: the totals follow the new SA. */
	ifd_retired_move(&t, 0x1234, 0xabcdef);
	assert_null(ifd_retired_get(&t, 0x1234));
	r = ifd_retired_get(&t, 0xabcdef);
	assert_non_null(r);
	assert_int_equal(r->bytes, 3500);
	ifd_retired_drop(&t, 0xabcdef);
	assert_null(ifd_retired_get(&t, 0xabcdef));
	assert_int_equal(t.evicted, 0);
	ifd_retired_fini(&t);
}

/* Memory stays fixed: more IKE SAs than slots evict each other, never mix their sums. */
static void
test_eviction(void **state)
{
	struct ifd_retired t;
	const struct ifd_retired_sa *r;
	struct esp_event ev;
	unsigned found = 0;

	(void)state;
	assert_int_equal(ifd_retired_init(&t, 0), 0); /* the minimum: 64 slots */
	for (uint64_t spi = 1; spi <= 1000; spi++) {
		ev = removed(spi << 20 | 7, spi, 0);
		ifd_retired_add(&t, &ev);
	}
	assert_true(t.evicted >= 1000 - 64);
	for (uint64_t spi = 1; spi <= 1000; spi++) {
		r = ifd_retired_get(&t, spi << 20 | 7);
		if (r == NULL)
			continue;
		found++;
		assert_int_equal(r->bytes, spi);
	}
	assert_true(found > 0 && found <= 64);
	ifd_retired_fini(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_move_drop),
		cmocka_unit_test(test_eviction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
