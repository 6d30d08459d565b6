/* SPDX-License-Identifier: BSD-3-Clause */
/* exch_peer.c - more initiators of the test identity against the harness's shard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exch_peer.h"

void
exch_peer_init(struct exch_peer *p, const struct exch *x, uint16_t port)
{
	memset(p, 0, sizeof(*p));
	p->cfg = x->cfg;
	p->cfg.initial_contact = false;
	p->addr = x->local;
	p->addr.port = port;
	assert_int_equal(ike_init_client_init(&p->c, &p->cfg, &exch_ops), IKE_INIT_R_DONE);
	ike_init_set_addrs(&p->c, &p->addr, &x->remote);
}

void
exch_peer_fini(struct exch_peer *p)
{
	ike_init_client_fini(&p->c);
}

void
exch_peers_start(struct exch *x, struct exch_peer *p, unsigned n, uint16_t first_port)
{
	exch_start(x);
	for (unsigned i = 0; i < n; i++)
		exch_peer_init(&p[i], x, (uint16_t)(first_port + i));
}

void
exch_peers_fini(struct exch *x, struct exch_peer *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		exch_peer_fini(&p[i]);
	exch_fini(x);
}

unsigned
exch_peer_send(struct exch *x, const struct exch_peer *p)
{
	return exch_send_from(x, p->req, p->req_len, &p->addr);
}

enum ike_init_result
exch_peer_round(struct exch *x, struct exch_peer *p)
{
	uint8_t next[EXCH_BUF];
	size_t len = 0;
	enum ike_init_result r;

	assert_int_equal(exch_peer_send(x, p), 1);
	memcpy(p->resp, x->resp, x->resp_len);
	p->resp_len = x->resp_len;
	r = ike_init_recv(&p->c, x->resp, x->resp_len, next, sizeof(next), &len);
	if (len != 0) {
		memcpy(p->req, next, len);
		p->req_len = len;
	}
	return r;
}
