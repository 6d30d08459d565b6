/* SPDX-License-Identifier: BSD-3-Clause */
/* exch_requests.c - the core's own requests in the exchange tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_requests.h"
#include "ike_wire.h"

void
exch_requests_only(struct exch *x)
{
	x->core_cfg.dpd_delay_s = 0;
	x->core_cfg.dpd_timeout_s = EXCH_REQ_TIMEOUT_S;
	x->now_ms = EXCH_REQ_NOW_MS;
}

uint32_t
exch_core_spi_in(const struct exch *x)
{
	return x->c.child.spi_out;
}

void
exch_tx_reset(struct exch *x)
{
	for (unsigned i = 0; i < EXCH_TX_N; i++) {
		x->tx[i].data = x->tx_buf[i];
		x->tx[i].cap = EXCH_BUF;
	}
}

unsigned
exch_soft(struct exch *x, uint32_t spi_in)
{
	exch_tx_reset(x);
	return ike_shard_child_soft(x->shard, x->c.spi_r, spi_in, x->now_ms, x->tx, EXCH_TX_N);
}

unsigned
exch_tick(struct exch *x, uint64_t now_ms)
{
	exch_tx_reset(x);
	x->now_ms = now_ms;
	return ike_shard_tick(x->shard, now_ms, x->tx, EXCH_TX_N);
}

uint32_t
exch_msg_id(const uint8_t *m)
{
	/* RFC 7296 3.1: after the SPIs, next payload, version, exchange type and flags. */
	return ike_get_u32(m + 20);
}

void
exch_assert_request(const struct exch *x, const uint8_t *m, uint8_t exchange)
{
	assert_int_equal(ike_get_u64(m + 8), x->c.spi_r);
	assert_int_equal(m[18], exchange);
	assert_int_equal(m[19] & (IKE_HDR_F_INITIATOR | IKE_HDR_F_RESPONSE), 0);
}

enum ike_init_result
exch_to_client(struct exch *x, const struct ike_tx *t)
{
	assert_true(t->len <= sizeof(x->resp));
	memcpy(x->resp, t->data, t->len);
	x->resp_len = t->len;
	return exch_to_initiator(x);
}

const struct ike_child_info *
exch_last_child_ev(const struct exch *x)
{
	assert_true(x->n_child_ev > 0);
	return &x->child_ev[x->n_child_ev - 1];
}

void
exch_assert_rekeyed(struct exch *x, uint32_t old_in, uint32_t old_out, uint32_t delete_id)
{
	assert_int_equal(x->n_child_ev, 1);
	assert_true(exch_last_child_ev(x)->install);
	assert_int_equal(exch_last_child_ev(x)->replaces_spi_in, old_in);
	exch_assert_child_keys(x);
	exch_assert_request(x, x->resp, IKE_EXCH_INFORMATIONAL);
	assert_int_equal(exch_msg_id(x->resp), delete_id);
	/* The client answers the DELETE with its side of the old SA; only then it goes. */
	assert_int_equal(exch_to_initiator(x), IKE_INIT_R_SEND_RESPONSE);
	assert_int_equal(x->c.prev_spi_out, 0);
	assert_int_equal(exch_to_responder(x), 0);
	assert_int_equal(x->n_child_ev, 2);
	assert_false(exch_last_child_ev(x)->install);
	assert_int_equal(exch_last_child_ev(x)->spi_in, old_in);
	assert_int_equal(exch_last_child_ev(x)->spi_out, old_out);
}
