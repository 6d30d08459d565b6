/* SPDX-License-Identifier: BSD-3-Clause */
/* Reauthentication selectors and the per-worker mailbox (app/ikefarmd/ifd_reauth.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ifd_reauth.h"
#include "ike_const.h"

static void
test_parse(void **state)
{
	struct ike_reauth_sel sel;
	uint8_t id[255];
	char why[256];

	(void)state;
	assert_int_equal(ifd_reauth_parse("all", &sel, id, why, sizeof(why)), 0);
	assert_int_equal(sel.scope, IKE_REAUTH_ALL);
	/* No selector is not "all": an empty command must not ask every client. */
	assert_int_equal(ifd_reauth_parse(NULL, &sel, id, why, sizeof(why)), -1);
	assert_int_equal(ifd_reauth_parse("spi:8a3f00c2d1e4b567", &sel, id, why, sizeof(why)), 0);
	assert_int_equal(sel.scope, IKE_REAUTH_SA);
	assert_true(sel.spi_r == 0x8a3f00c2d1e4b567ull);
	assert_int_equal(
		ifd_reauth_parse("id:fqdn:client1.example.com", &sel, id, why, sizeof(why)), 0);
	assert_int_equal(sel.scope, IKE_REAUTH_IDENTITY);
	assert_int_equal(sel.id_type, IKE_ID_FQDN);
	assert_int_equal(sel.id_len, 19);
	assert_ptr_equal(sel.id, id);
	assert_memory_equal(id, "client1.example.com", 19);
	assert_int_equal(ifd_reauth_parse("id:ipv4:192.0.2.7", &sel, id, why, sizeof(why)), 0);
	assert_int_equal(sel.id_type, IKE_ID_IPV4_ADDR);
	assert_memory_equal(id, "\xc0\x00\x02\x07", 4);
	assert_false(sel.done);
	assert_true(sel.deadline == 0 && sel.next_peer == 0 && sel.next_spi == 0);
}

static void
test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"",
		"al",
		"spi:",
		"spi:0",
		"spi:12345678901234567",
		"spi:xyz",
		"id:fqdn",
		"id:dn:x",
		"id:ipv4:300.0.0.1",
		"id:fqdn:",
	};
	struct ike_reauth_sel sel;
	uint8_t id[255];
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (ifd_reauth_parse(bad[i], &sel, id, why, sizeof(why)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(why[0] != '\0');
	}
}

/* One command at a time per box; the worker finishes it over several calls. */
static void
test_mailbox(void **state)
{
	static struct ifd_reauth_box box;
	struct ike_reauth_sel sel, *w;
	uint8_t id[255];
	char why[256];
	uint32_t seq, seq2, asked;

	(void)state;
	assert_null(ifd_reauth_pending(&box));
	assert_int_equal(ifd_reauth_parse("id:email:bob@example.com", &sel, id, why, sizeof(why)),
			 0);
	seq = ifd_reauth_post(&box, &sel);
	assert_int_not_equal(seq, 0);
	memset(id, 0, sizeof(id));			  /* the box keeps its own copy */
	assert_int_equal(ifd_reauth_post(&box, &sel), 0); /* busy */
	assert_false(ifd_reauth_finished(&box, seq, &asked));
	w = ifd_reauth_pending(&box);
	assert_non_null(w);
	assert_int_equal(w->scope, IKE_REAUTH_IDENTITY);
	assert_memory_equal(w->id, "bob@example.com", 15);
	ifd_reauth_progress(&box, 64); /* tx[] was full: not done yet */
	assert_false(ifd_reauth_finished(&box, seq, &asked));
	assert_ptr_equal(ifd_reauth_pending(&box), w);
	w->done = true;
	ifd_reauth_progress(&box, 3);
	assert_true(ifd_reauth_finished(&box, seq, &asked));
	assert_int_equal(asked, 67);
	assert_null(ifd_reauth_pending(&box));
	/* The next command starts its count from zero. */
	assert_int_equal(ifd_reauth_parse("all", &sel, id, why, sizeof(why)), 0);
	seq2 = ifd_reauth_post(&box, &sel);
	assert_int_not_equal(seq2, 0);
	assert_int_not_equal(seq2, seq);
	w = ifd_reauth_pending(&box);
	assert_non_null(w);
	assert_int_equal(w->scope, IKE_REAUTH_ALL);
	assert_false(w->done);
	w->done = true;
	ifd_reauth_progress(&box, 0);
	assert_true(ifd_reauth_finished(&box, seq2, &asked));
	assert_int_equal(asked, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_mailbox),
	};

	return cmocka_run_group_tests_name("ifd_reauth", tests, NULL, NULL);
}
