/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exchanges the responder core starts itself (Child SA rekeys on a soft
 * lifetime, DPD probes, their resends), for the exchange tests: the shard's
 * entry points with x->tx as the send queue, the header check of the core's
 * requests, and a request handed to the client.
 */
#ifndef EXCH_REQUESTS_H
#define EXCH_REQUESTS_H

#include <stdint.h>

#include "exch_harness.h"

/* The clock and the request timeout of exch_requests_only(). */
#define EXCH_REQ_NOW_MS 1000000ull
#define EXCH_REQ_TIMEOUT_S 20u

/*
 * A responder that starts requests only when the test makes it (no DPD
 * probes); a request of its own is resent, then given up with its IKE SA
 * EXCH_REQ_TIMEOUT_S after the first send. The clock at EXCH_REQ_NOW_MS.
 * After exch_init(), before exch_start().
 */
void exch_requests_only(struct exch *x);

/* The core's inbound SPI of the client's Child SA (the one the data path reports on). */
uint32_t exch_core_spi_in(const struct exch *x);

/* x->tx[] ready to take EXCH_TX_N messages of a direct ike_shard_* call. */
void exch_tx_reset(struct exch *x);

/*
 * The data path reports a soft limit of the core's inbound SPI spi_in on
 * the client's IKE SA; returns how many messages the core sent (in x->tx).
 */
unsigned exch_soft(struct exch *x, uint32_t spi_in);

/* Runs the shard's timers at now_ms (x->now_ms too); returns the messages sent (in x->tx). */
unsigned exch_tick(struct exch *x, uint64_t now_ms);

/* The message ID of an IKE message. */
uint32_t exch_msg_id(const uint8_t *m);

/* m is the core's request (I and R clear, RFC 7296 3.1) of that exchange on the client's SA. */
void exch_assert_request(const struct exch *x, const uint8_t *m, uint8_t exchange);

/* A message of the core to the client; the client's answer, if any, in x->req. */
enum ike_init_result exch_to_client(struct exch *x, const struct ike_tx *t);

/* The core's last Child SA event (fails the test when there is none). */
const struct ike_child_info *exch_last_child_ev(const struct exch *x);

/*
 * The end of the core's own Child SA rekey, its last answer just in (with
 * x->n_child_ev cleared before the rekey): one new SA to the data path in
 * place of old_in, with the client's SPIs and keys; in x->resp the core's
 * DELETE of the old SA (message ID delete_id), which the client answers,
 * and then the data path told to remove the old SA (old_in, old_out).
 */
void exch_assert_rekeyed(struct exch *x, uint32_t old_in, uint32_t old_out, uint32_t delete_id);

#endif
