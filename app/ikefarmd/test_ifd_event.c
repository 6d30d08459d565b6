/* SPDX-License-Identifier: BSD-3-Clause */
/* Event lines, the event token bucket and the listing mailbox (ifd_event.c, ifd_list.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cry_ops.h"
#include "ifd_creds_merge.h"
#include "ifd_event.h"
#include "ifd_list.h"
#include "ike_const.h"

static void
test_rate(void **state)
{
	struct ifd_rate r;
	unsigned ok = 0;

	(void)state;
	ifd_rate_init(&r, 10, 5, 1000);
	for (unsigned i = 0; i < 8; i++)
		ok += ifd_rate_take(&r, 1000);
	assert_int_equal(ok, 5); /* the burst, then nothing at the same instant */
	assert_int_equal(r.suppressed, 3);
	/* No token yet: the summary waits. */
	assert_int_equal(ifd_rate_summary(&r, 1050), 0);
	/* 10/s: 250 ms give two tokens; the summary takes one. */
	assert_int_equal(ifd_rate_summary(&r, 1250), 3);
	assert_int_equal(r.suppressed, 0);
	assert_int_equal(r.suppressed_total, 3);
	assert_true(ifd_rate_take(&r, 1250));
	assert_false(ifd_rate_take(&r, 1250));
	/* Fractions are kept: the 50 ms left over at 1250 and 50 more make one token. */
	assert_true(ifd_rate_take(&r, 1300));
	assert_false(ifd_rate_take(&r, 1350));
	assert_true(ifd_rate_take(&r, 1400));
	/* A long pause refills to the burst, not beyond. */
	ok = 0;
	for (unsigned i = 0; i < 20; i++)
		ok += ifd_rate_take(&r, 100000);
	assert_int_equal(ok, 5);
	assert_int_equal(r.suppressed_total, 3 + 1 + 1 + 15);
}

static void
test_format(void **state)
{
	static const uint8_t alice[] = "alice.example.com";
	struct ike_event ev;
	char line[600];

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.type = IKE_EV_ESTABLISHED;
	ev.spi_i = 0x1122334455667788ull;
	ev.spi_r = 0x0400000100000001ull;
	ev.remote.family = 4;
	ev.remote.port = 4500;
	memcpy(ev.remote.ip, "\xc0\x00\x02\x07", 4);
	ev.id_type = IKE_ID_FQDN;
	ev.id = alice;
	ev.id_len = sizeof(alice) - 1;
	ev.cipher = CRY_CIPHER_AES_GCM_16;
	ev.enc_key_bits = 256;
	ev.prf = CRY_PRF_HMAC_SHA256;
	ifd_event_format(&ev, 3, "fqdn:gw", line, sizeof(line));
	assert_string_equal(line, "event established: shard 3 peer 192.0.2.7[4500] IDi "
				  "fqdn:alice.example.com IDr fqdn:gw SPIs 1122334455667788_i "
				  "0400000100000001_r proposal AES_GCM_16-256/PRF_HMAC_SHA2_256");
	ev.type = IKE_EV_RESUMED;
	memcpy(ev.ticket_key_id, "\x0a\x0b\x0c\x0d", 4);
	ifd_event_format(&ev, 0, "fqdn:gw", line, sizeof(line));
	assert_non_null(strstr(line, "event resumed: "));
	assert_non_null(strstr(line, " ticket key 0a0b0c0d"));
	ev.type = IKE_EV_DELETED;
	ev.reason = IKE_EVR_TERMINATED;
	ifd_event_format(&ev, 0, "fqdn:gw", line, sizeof(line));
	assert_non_null(strstr(line, "reason: terminated by the operator"));
	ev.type = IKE_EV_REFUSED;
	ev.notify = IKE_N_NO_PROPOSAL_CHOSEN;
	ifd_event_format(&ev, 0, "fqdn:gw", line, sizeof(line));
	assert_non_null(strstr(line, "event refused: "));
	assert_non_null(strstr(line, "NO_PROPOSAL_CHOSEN"));
	/* A wire identity with control characters is shown escaped, never raw. */
	ev.type = IKE_EV_AUTH_FAILED;
	ev.notify = IKE_N_AUTHENTICATION_FAILED;
	ev.id = (const uint8_t *)"ev\nil";
	ev.id_len = 5;
	ifd_event_format(&ev, 0, "fqdn:gw", line, sizeof(line));
	assert_non_null(strstr(line, "IDi fqdn:ev?il "));
	assert_null(strchr(line, '\n'));
	/* A short buffer is truncated, not overrun. */
	assert_true(ifd_event_format(&ev, 0, "fqdn:gw", line, 10) > 0);
	assert_int_equal(strlen(line), 9);
}

static void
test_id_format(void **state)
{
	char buf[64];

	(void)state;
	ifd_id_format(IKE_ID_IPV4_ADDR, (const uint8_t *)"\x0a\x00\x00\x01", 4, buf, sizeof(buf));
	assert_string_equal(buf, "ipv4:10.0.0.1");
	ifd_id_format(IKE_ID_KEY_ID, (const uint8_t *)"\x01\xab", 2, buf, sizeof(buf));
	assert_string_equal(buf, "keyid:01ab");
	ifd_id_format(IKE_ID_RFC822_ADDR, (const uint8_t *)"bob@x", 5, buf, 8);
	assert_string_equal(buf, "email:b");
}

static void
test_pos(void **state)
{
	struct ike_sa_cursor c;
	unsigned shard;

	(void)state;
	assert_int_equal(ifd_list_pos_parse("", &shard, &c), 0);
	assert_int_equal(shard, 0);
	assert_int_equal(ifd_list_pos_parse(NULL, &shard, &c), 0);
	assert_int_equal(ifd_list_pos_parse("2:17:40000a0000000001", &shard, &c), 0);
	assert_int_equal(shard, 2);
	assert_int_equal(c.peer, 17);
	assert_true(c.spi == 0x40000a0000000001ull);
	assert_false(c.done);
	assert_int_equal(ifd_list_pos_parse("2:17", &shard, &c), -1);
	assert_int_equal(ifd_list_pos_parse("2:17:1:", &shard, &c), -1);
	assert_int_equal(ifd_list_pos_parse("-1:0:0", &shard, &c), -1);
	assert_int_equal(ifd_list_pos_parse("1: 0:0", &shard, &c), -1);
	assert_int_equal(ifd_list_pos_parse("1:0:10000000000000000", &shard, &c), -1);
	assert_int_equal(ifd_list_pos_parse("4294967296:0:0", &shard, &c), -1);
}

static void
test_list_box(void **state)
{
	static struct ifd_list_box box;
	struct ike_sa_cursor c = {.peer = 3, .spi = 9}, *w;
	uint32_t seq;

	(void)state;
	assert_null(ifd_list_pending(&box));
	seq = ifd_list_post(&box, &c);
	assert_int_not_equal(seq, 0);
	/* One page at a time: busy until the worker answers. */
	assert_int_equal(ifd_list_post(&box, &c), 0);
	assert_false(ifd_list_finished(&box, seq));
	w = ifd_list_pending(&box);
	assert_non_null(w);
	assert_int_equal(w->peer, 3);
	w->peer = 4;
	w->done = true;
	ifd_list_complete(&box, 7);
	assert_true(ifd_list_finished(&box, seq));
	assert_int_equal(box.n, 7);
	assert_true(box.cursor.done);
	assert_null(ifd_list_pending(&box));
	assert_int_not_equal(ifd_list_post(&box, &c), 0);
}

static void
peer(struct ike_peer_cfg *p, const char *name, const char *psk)
{
	memset(p, 0, sizeof(*p));
	p->id_type = IKE_ID_FQDN;
	p->id_len = (uint8_t)strlen(name);
	memcpy(p->id, name, p->id_len);
	p->auth = IKE_CRED_PSK;
	p->psk = (const uint8_t *)psk;
	p->psk_len = (uint16_t)strlen(psk);
}

/* reload-creds: kept identities keep their index, removed ones leave a slot, new ones follow. */
static void
test_creds_merge(void **state)
{
	struct ike_peer_cfg old[3], fresh_p[3], *list, *list2;
	struct ifd_creds fresh = {.peers = fresh_p, .nb_peers = 3};
	struct ifd_creds_merge_stats st;
	unsigned n, n2;
	char why[200];

	(void)state;
	peer(&old[0], "a", "old-a");
	peer(&old[1], "b", "old-b");
	peer(&old[2], "c", "old-c");
	peer(&fresh_p[0], "c", "new-c");
	peer(&fresh_p[1], "d", "new-d");
	peer(&fresh_p[2], "a", "new-a");
	assert_int_equal(ifd_creds_merge(old, 3, &fresh, 8, &list, &n, &st, why, sizeof(why)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(st.kept, 2);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.removed, 1);
	assert_memory_equal(list[0].id, "a", 1);
	assert_ptr_equal(list[0].psk, fresh_p[2].psk); /* the new PSK of a kept user */
	assert_false(list[0].removed);
	assert_true(list[1].removed);
	assert_null(list[1].psk); /* nothing of the old file's secrets */
	assert_memory_equal(list[2].id, "c", 1);
	assert_ptr_equal(list[2].psk, fresh_p[0].psk);
	assert_memory_equal(list[3].id, "d", 1);
	/* The same file again: nothing moves, the slot of b stays removed and is not counted again.
	 */
	assert_int_equal(ifd_creds_merge(list, n, &fresh, 8, &list2, &n2, &st, why, sizeof(why)),
			 0);
	assert_int_equal(n2, 4);
	assert_int_equal(st.kept, 3);
	assert_int_equal(st.added, 0);
	assert_int_equal(st.removed, 0);
	assert_true(list2[1].removed);
	free(list2);
	/* b back: a new slot, the removed one stays (other SAs' indexes never move). */
	peer(&fresh_p[1], "b", "new-b");
	assert_int_equal(ifd_creds_merge(list, n, &fresh, 8, &list2, &n2, &st, why, sizeof(why)),
			 0);
	assert_int_equal(n2, 5);
	assert_memory_equal(list2[4].id, "b", 1);
	assert_true(list2[1].removed);
	assert_true(list2[3].removed); /* d went */
	free(list2);
	/* Beyond the room: refused, with the reason. */
	assert_int_equal(ifd_creds_merge(list, n, &fresh, 4, &list2, &n2, &st, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "max_users 4"));
	free(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate),	  cmocka_unit_test(test_format),
		cmocka_unit_test(test_id_format), cmocka_unit_test(test_pos),
		cmocka_unit_test(test_list_box),  cmocka_unit_test(test_creds_merge),
	};

	return cmocka_run_group_tests_name("ifd_event", tests, NULL, NULL);
}
