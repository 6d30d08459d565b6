/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * storm_client.c - the only file of storm that knows lib/initiator. Maps
 * its results onto storm_step, lends handshake state from a pool sized by
 * the engine's window, and gives every client its own identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ike_buf.h"
#include "ike_initiator.h"
#include "ike_secret.h"
#include "storm_client.h"
#include "ike_proposal_str.h"

#define STORM_ID_MAX 64

/* Which operation a client is in; decides what a CLOSED result means. */
enum client_op {
	OP_NONE,
	OP_FULL,
	OP_RESUME,
	OP_RESUME_FALLBACK, /* the full handshake after a TICKET_NACK */
	OP_DELETE,
	OP_REKEY,
};

struct storm_clients {
	struct ike_client_cfg cfg;
	char why[160]; /* reason a setup step refused, for *err */
	const struct cry_ops *ops;
	unsigned n;
	struct ike_client *c;
	struct ike_init_cred *cred;
	char (*id)[STORM_ID_MAX];
	uint8_t *op;		   /* enum client_op per client */
	uint8_t *cookie_seen;	   /* a COOKIE was noted in the current operation */
	struct ike_init_ticket *ticket; /* per client, with --ticket only */
	uint64_t *ticket_deadline_s;	/* monotonic second the ticket expires */
	storm_note_fn note;
	void *note_arg;
	struct ike_client_hs **hs; /* lent to client i, or NULL */
	struct ike_client_hs *pool;
	struct ike_client_hs **free_hs;
	unsigned nb_free;
	uint8_t *psk;
	size_t psk_len;
	struct ike_init_addr fake_local; /* --encap: an address nobody has */
	struct ike_init_addr remote;
	/* Builds the flood's IKE_SA_INIT requests; never gets an answer. */
	struct ike_client flood;
	struct ike_client_hs flood_hs;
};

/* The id format must hold exactly one conversion, and it must be %u. */
static bool
id_format_ok(const char *f)
{
	const char *p = strchr(f, '%');

	return p != NULL && p[1] == 'u' && strchr(p + 2, '%') == NULL;
}

static void
ts_any(struct ike_init_ts *ts, int family)
{
	memset(ts, 0, sizeof(*ts));
	ts->end_port = 65535;
	if (family == AF_INET6) {
		ts->type = IKE_TS_IPV6_ADDR_RANGE;
		memset(ts->end, 0xff, 16);
	} else {
		/* 127.0.0.0/8: loopback is the only place storm runs */
		ts->type = IKE_TS_IPV4_ADDR_RANGE;
		ts->start[0] = 127;
		ts->end[0] = 127;
		memset(ts->end + 1, 0xff, 3);
	}
}

/* NAT detection with a local address of 0.0.0.0:0 (or [::]:0) always reports a NAT. */
static void
encap_init(struct storm_clients *cl, const struct sockaddr *target)
{
	cl->cfg.nat_detection = true;
	if (target->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)target;

		cl->remote.family = 6;
		cl->remote.port = ntohs(a->sin6_port);
		memcpy(cl->remote.ip, &a->sin6_addr, 16);
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)target;

		cl->remote.family = 4;
		cl->remote.port = ntohs(a->sin_port);
		memcpy(cl->remote.ip, &a->sin_addr, 4);
	}
	cl->fake_local.family = cl->remote.family;
}

static int
cfg_init(struct storm_clients *cl, const struct storm_client_opts *o, const char **err)
{
	struct ike_client_cfg *cfg = &cl->cfg;
	struct ike_proposal_cfg ike, esp;
	const struct ike_alg_list *ke = &ike.xf[IKE_TRANSFORM_KE];

	if (ike_proposal_str_parse(o->ike_proposal, false, &ike, cl->why, sizeof(cl->why)) != 0 ||
	    ike_proposal_str_parse(o->esp_proposal, true, &esp, cl->why, sizeof(cl->why)) != 0) {
		*err = cl->why;
		return -1;
	}
	/* The initiator offers one algorithm of each kind: the first; KEi is the first group. */
	ike_proposal_cfg_first(&ike, &cfg->ike);
	ike_proposal_cfg_first(&esp, &cfg->esp);
	/* ESN: "esn" or "noesn" alone offers that one, both (or neither written) offer both. */
	if (esp.xf[IKE_TRANSFORM_ESN].n == 2)
		cfg->esp_esn = IKE_INIT_ESN_EITHER;
	else if (esp.xf[IKE_TRANSFORM_ESN].alg[0].id == IKE_ESN_YES)
		cfg->esp_esn = IKE_INIT_ESN_YES;
	for (unsigned i = 1; i < ke->n && i <= IKE_INIT_MAX_KE_ALT; i++)
		cfg->ike_ke_alt[i - 1] = ke->alg[i].id;
	if (o->psk == NULL || o->psk[0] == '\0') {
		*err = "a PSK is required";
		return -1;
	}
	if (!id_format_ok(o->id_format)) {
		*err = "the id format needs exactly one %u";
		return -1;
	}
	cl->psk_len = strlen(o->psk);
	cl->psk = malloc(cl->psk_len);
	if (cl->psk == NULL) {
		*err = "out of memory";
		return -1;
	}
	memcpy(cl->psk, o->psk, cl->psk_len);
	cfg->initial_contact = o->initial_contact;
	cfg->ticket_request = o->ticket;
	/* RFC 9370: one method per ADDKE type (the first listed), NONE offered too if listed. */
	for (unsigned a = 0; a < IKE_INIT_ADDKE_MAX; a++) {
		const struct ike_alg_list *l = &ike.xf[IKE_TRANSFORM_ADDKE1 + a];

		for (unsigned i = 0; i < l->n; i++) {
			if (l->alg[i].id == IKE_KE_NONE)
				cfg->addke_optional = true;
			else if (cfg->addke[a] == IKE_KE_NONE)
				cfg->addke[a] = l->alg[i].id;
		}
		if (cfg->addke[a] != IKE_KE_NONE && o->intermediate < 0) {
			*err = "additional key exchanges (keN_) need --intermediate";
			return -1;
		}
	}
	cfg->intermediate = o->intermediate >= 0;
	cfg->intermediate_extra = o->intermediate > 0 ? (uint8_t)o->intermediate : 0;
	cfg->cp_v4 = o->vip && o->family != AF_INET6;
	cfg->cp_v6 = o->vip && o->family == AF_INET6;
	if (o->encap)
		encap_init(cl, o->target);
	ts_any(&cfg->tsi, o->family);
	ts_any(&cfg->tsr, o->family);
	/* A remote-access client proposes any address as TSi: the responder narrows it to its VIP. */
	if (o->vip) {
		memset(cfg->tsi.start, 0, sizeof(cfg->tsi.start));
		memset(cfg->tsi.end, 0xff, sizeof(cfg->tsi.end));
	}
	return 0;
}

static int
client_init(struct storm_clients *cl, unsigned i)
{
	struct ike_init_cred *cr = &cl->cred[i];

	if (ike_init_client_init(&cl->c[i], &cl->cfg, cl->ops) != IKE_INIT_R_DONE)
		return -1;
	ike_init_set_cred(&cl->c[i], cr);
	if (cl->ticket != NULL)
		ike_init_set_ticket(&cl->c[i], &cl->ticket[i]);
	if (cl->cfg.nat_detection)
		ike_init_set_addrs(&cl->c[i], &cl->fake_local, &cl->remote);
	return 0;
}

struct storm_clients *
storm_clients_create(const struct storm_client_opts *o, unsigned n, unsigned window,
		     const struct cry_ops *ops, const char **err)
{
	struct storm_clients *cl;
	unsigned i;
	int len;

	*err = "out of memory";
	cl = calloc(1, sizeof(*cl));
	if (cl == NULL)
		return NULL;
	cl->ops = ops;
	cl->n = n;
	cl->c = calloc(n, sizeof(*cl->c));
	cl->cred = calloc(n, sizeof(*cl->cred));
	cl->id = calloc(n, sizeof(*cl->id));
	cl->op = calloc(n, 1);
	cl->cookie_seen = calloc(n, 1);
	if (o->ticket) {
		cl->ticket = calloc(n, sizeof(*cl->ticket));
		cl->ticket_deadline_s = calloc(n, sizeof(*cl->ticket_deadline_s));
		if (cl->ticket == NULL || cl->ticket_deadline_s == NULL)
			goto fail;
	}
	cl->hs = calloc(n, sizeof(*cl->hs));
	cl->pool = calloc(window, sizeof(*cl->pool));
	cl->free_hs = calloc(window, sizeof(*cl->free_hs));
	if (cl->c == NULL || cl->cred == NULL || cl->id == NULL || cl->op == NULL ||
	    cl->cookie_seen == NULL || cl->hs == NULL || cl->pool == NULL || cl->free_hs == NULL)
		goto fail;
	if (cfg_init(cl, o, err) != 0)
		goto fail;
	for (i = 0; i < window; i++)
		cl->free_hs[cl->nb_free++] = &cl->pool[i];
	for (i = 0; i < n; i++) {
		len = snprintf(cl->id[i], STORM_ID_MAX, o->id_format, i);
		if (len <= 0 || len >= STORM_ID_MAX) {
			*err = "identity longer than 63 octets";
			goto fail;
		}
		/* user@host is an RFC822_ADDR identity, anything else an FQDN (strongSwan's rule)
		 */
		cl->cred[i].id_type = strchr(cl->id[i], '@') ? IKE_ID_RFC822_ADDR : IKE_ID_FQDN;
		cl->cred[i].id_len = (uint8_t)len;
		cl->cred[i].id = (const uint8_t *)cl->id[i];
		cl->cred[i].psk = cl->psk;
		cl->cred[i].psk_len = cl->psk_len;
		if (client_init(cl, i) != 0) {
			*err = "proposal not supported by the initiator";
			goto fail;
		}
	}
	if (ike_init_client_init(&cl->flood, &cl->cfg, cl->ops) != IKE_INIT_R_DONE)
		goto fail;
	ike_init_set_cred(&cl->flood, &cl->cred[0]);
	if (cl->cfg.nat_detection)
		ike_init_set_addrs(&cl->flood, &cl->fake_local, &cl->remote);
	return cl;
fail:
	storm_clients_destroy(cl);
	return NULL;
}

void
storm_clients_destroy(struct storm_clients *cl)
{
	unsigned i;

	if (cl == NULL)
		return;
	if (cl->c != NULL)
		for (i = 0; i < cl->n; i++)
			ike_init_client_fini(&cl->c[i]);
	ike_init_client_fini(&cl->flood);
	if (cl->psk != NULL)
		ike_wipe(cl->psk, cl->psk_len);
	free(cl->psk);
	free(cl->free_hs);
	free(cl->pool);
	free(cl->hs);
	if (cl->ticket != NULL)
		ike_wipe(cl->ticket, (size_t)cl->n * sizeof(*cl->ticket));
	free(cl->ticket);
	free(cl->ticket_deadline_s);
	free(cl->cookie_seen);
	free(cl->op);
	free(cl->id);
	free(cl->cred);
	free(cl->c);
	free(cl);
}

uint64_t
storm_client_spi_i(const struct storm_clients *cl, unsigned i)
{
	return cl->c[i].spi_i;
}

uint64_t
storm_client_msg_spi_i(const uint8_t *msg, size_t len)
{
	return len >= 8 ? ike_get_u64(msg) : 0; /* RFC 7296 3.1: SPIi leads the header */
}

bool
storm_client_established(const struct storm_clients *cl, unsigned i)
{
	return cl->c[i].state == IKE_INIT_S_ESTABLISHED;
}

static uint64_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

bool
storm_client_has_ticket(const struct storm_clients *cl, unsigned i)
{
	/* RFC 5723 4.3.1: never present a ticket known to have expired. */
	return cl->ticket != NULL && cl->ticket[i].len != 0 &&
	       now_s() < cl->ticket_deadline_s[i];
}

void
storm_clients_set_note(struct storm_clients *cl, storm_note_fn fn, void *arg)
{
	cl->note = fn;
	cl->note_arg = arg;
}

static void
note(struct storm_clients *cl, const char *event)
{
	if (cl->note != NULL)
		cl->note(cl->note_arg, event);
}

static bool
in_handshake(const struct storm_clients *cl, unsigned i)
{
	return cl->op[i] == OP_FULL || cl->op[i] == OP_RESUME || cl->op[i] == OP_RESUME_FALLBACK;
}

/* The Lifetime of TICKET_LT_OPAQUE counts from now (RFC 5723 7.1). */
static void
ticket_stamp(struct storm_clients *cl, unsigned i)
{
	if (cl->ticket != NULL && cl->c[i].ticket_answer == IKE_INIT_TICKET_ISSUED)
		cl->ticket_deadline_s[i] = now_s() + cl->ticket[i].lifetime_s;
}

/* Takes back the handshake state once the library has let go of it. */
static void
hs_reclaim(struct storm_clients *cl, unsigned i)
{
	if (cl->hs[i] != NULL && cl->c[i].hs == NULL) {
		cl->free_hs[cl->nb_free++] = cl->hs[i];
		cl->hs[i] = NULL;
	}
}

/* Maps a library result; what completes the operation depends on the operation. */
static enum storm_step
step_of(struct storm_clients *cl, unsigned i, enum ike_init_result r, const char **reason)
{
	hs_reclaim(cl, i);
	*reason = NULL;
	switch (r) {
	case IKE_INIT_R_SEND_REQUEST:
		return STORM_STEP_SEND;
	case IKE_INIT_R_SEND_RESPONSE:
		return STORM_STEP_WAIT;
	case IKE_INIT_R_ESTABLISHED:
		if (!in_handshake(cl, i))
			return STORM_STEP_WAIT;
		if ((cl->c[i].cfg->cp_v4 && !cl->c[i].vip.has4) ||
		    (cl->c[i].cfg->cp_v6 && !cl->c[i].vip.has6)) {
			*reason = "no-virtual-ip";
			return STORM_STEP_FAIL;
		}
		ticket_stamp(cl, i);
		return cl->op[i] == OP_RESUME_FALLBACK ? STORM_STEP_DONE_FALLBACK
						       : STORM_STEP_DONE;
	case IKE_INIT_R_DONE:
		return in_handshake(cl, i) ? STORM_STEP_WAIT : STORM_STEP_DONE;
	case IKE_INIT_R_CLOSED:
		if (cl->op[i] == OP_DELETE)
			return STORM_STEP_DONE;
		*reason = "closed-by-responder";
		return STORM_STEP_FAIL;
	case IKE_INIT_R_IGNORED:
	case IKE_INIT_R_BAD_ICV:
	case IKE_INIT_R_MALFORMED:
		*reason = ike_init_result_name(r);
		return STORM_STEP_WAIT;
	default:
		*reason = ike_init_result_name(r);
		return STORM_STEP_FAIL;
	}
}

enum storm_step
storm_client_full_begin(struct storm_clients *cl, unsigned i, uint8_t *out, size_t cap,
			size_t *out_len, const char **reason)
{
	enum ike_init_result r;

	*out_len = 0;
	if (cl->nb_free == 0) {
		*reason = "no-handshake-slot";
		return STORM_STEP_FAIL;
	}
	/* A client that ran before starts over: a new IKE SA with new SPIs. */
	ike_init_client_reset(&cl->c[i]);
	cl->op[i] = OP_FULL;
	cl->cookie_seen[i] = 0;
	cl->hs[i] = cl->free_hs[--cl->nb_free];
	r = ike_init_start(&cl->c[i], cl->hs[i], out, cap, out_len);
	return step_of(cl, i, r, reason);
}

enum storm_step
storm_client_resume_begin(struct storm_clients *cl, unsigned i, uint8_t *out, size_t cap,
			  size_t *out_len, const char **reason)
{
	enum ike_init_result r;

	*out_len = 0;
	if (!storm_client_has_ticket(cl, i)) {
		*reason = ike_init_result_name(IKE_INIT_R_NO_TICKET);
		return STORM_STEP_FAIL;
	}
	if (cl->nb_free == 0) {
		*reason = "no-handshake-slot";
		return STORM_STEP_FAIL;
	}
	/* The old SA is forgotten without a DELETE: the responder drops it (4.3.4). */
	ike_init_client_reset(&cl->c[i]);
	cl->op[i] = OP_RESUME;
	cl->cookie_seen[i] = 0;
	cl->hs[i] = cl->free_hs[--cl->nb_free];
	r = ike_init_start_resume(&cl->c[i], cl->hs[i], out, cap, out_len);
	return step_of(cl, i, r, reason);
}

/* TICKET_NACK: the same operation goes on as a full handshake (RFC 5723 4.3.2). */
static enum ike_init_result
fallback_full(struct storm_clients *cl, unsigned i, uint8_t *out, size_t cap, size_t *out_len)
{
	note(cl, "resume-nacked");
	hs_reclaim(cl, i);
	ike_init_client_reset(&cl->c[i]);
	cl->op[i] = OP_RESUME_FALLBACK;
	cl->hs[i] = cl->free_hs[--cl->nb_free];
	return ike_init_start(&cl->c[i], cl->hs[i], out, cap, out_len);
}

/* An exchange on client i's established IKE SA: op noted, its request built by req. */
static enum storm_step
sa_request_begin(struct storm_clients *cl, unsigned i, enum client_op op,
		 enum ike_init_result (*req)(struct ike_client *, uint8_t *, size_t, size_t *),
		 uint8_t *out, size_t cap, size_t *out_len, const char **reason)
{
	*out_len = 0;
	cl->op[i] = op;
	return step_of(cl, i, req(&cl->c[i], out, cap, out_len), reason);
}

enum storm_step
storm_client_delete_begin(struct storm_clients *cl, unsigned i, uint8_t *out, size_t cap,
			  size_t *out_len, const char **reason)
{
	return sa_request_begin(cl, i, OP_DELETE, ike_init_req_delete_ike, out, cap, out_len,
				reason);
}

enum storm_step
storm_client_rekey_begin(struct storm_clients *cl, unsigned i, uint8_t *out, size_t cap,
			 size_t *out_len, const char **reason)
{
	return sa_request_begin(cl, i, OP_REKEY, ike_init_req_rekey_ike, out, cap, out_len, reason);
}

/*
 * The answer to an IKE SA rekey switched the client to the new SA and put
 * the D(IKE) of the old one in out (RFC 7296 2.18): the rekey is done, the
 * DELETE leaves once and its answer, on the old SPIs, is not waited for.
 */
static bool
rekey_done(const struct storm_clients *cl, unsigned i, enum ike_init_result r)
{
	return cl->op[i] == OP_REKEY && r == IKE_INIT_R_SEND_REQUEST &&
	       cl->c[i].state == IKE_INIT_S_ESTABLISHED && cl->c[i].req == IKE_INIT_REQ_NONE;
}

bool
storm_client_answer_idle(struct storm_clients *cl, unsigned i, uint8_t *msg, size_t len,
			 uint8_t *out, size_t cap, size_t *out_len)
{
	*out_len = 0;
	/* Requests only (R clear, RFC 7296 3.1): a late response has nothing to answer. */
	if (len < IKE_HDR_LEN || (msg[19] & IKE_HDR_F_RESPONSE) != 0)
		return false;
	return ike_init_recv(&cl->c[i], msg, len, out, cap, out_len) == IKE_INIT_R_SEND_RESPONSE;
}

enum storm_step
storm_client_recv(struct storm_clients *cl, unsigned i, uint8_t *msg, size_t len, uint8_t *out,
		  size_t cap, size_t *out_len, const char **reason)
{
	enum ike_init_result r;

	r = ike_init_recv(&cl->c[i], msg, len, out, cap, out_len);
	if (rekey_done(cl, i, r)) {
		*reason = NULL;
		return STORM_STEP_DONE;
	}
	if (r == IKE_INIT_R_RESUME_NACKED && cl->op[i] == OP_RESUME)
		r = fallback_full(cl, i, out, cap, out_len);
	if (cl->c[i].hs != NULL && cl->c[i].hs->cookie_len != 0 && !cl->cookie_seen[i]) {
		cl->cookie_seen[i] = 1;
		note(cl, "cookie");
	}
	return step_of(cl, i, r, reason);
}

void
storm_client_abort(struct storm_clients *cl, unsigned i)
{
	ike_init_abort(&cl->c[i], IKE_INIT_R_TIMEOUT);
	hs_reclaim(cl, i);
	cl->op[i] = OP_NONE;
}

int
storm_clients_flood_request(struct storm_clients *cl, uint8_t *out, size_t cap, size_t *out_len)
{
	enum ike_init_result r;

	/* A fresh SPIi, nonce and key share each time; the state is dropped at once. */
	ike_init_client_reset(&cl->flood);
	r = ike_init_start(&cl->flood, &cl->flood_hs, out, cap, out_len);
	ike_init_client_reset(&cl->flood);
	return r == IKE_INIT_R_SEND_REQUEST ? 0 : -1;
}
