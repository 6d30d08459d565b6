/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Seal/open through a real crypto driver: round trip, every refusal
 * reason, key rotation windows, batch open equal to one-shot open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ike_ticket.h"
#include "ike_ticket_keyring.h"
#include "ticket_test.h"

#define LIFETIME 3600
#define BATCH 32

static const struct ticket_driver *drv;

static const struct ike_ticket_keyring_params params = {
	.max_lifetime = LIFETIME,
	.clock_skew = 60,
};

void
ticket_add_key(struct ike_ticket_keyring *kr, uint32_t id, uint64_t nb, uint64_t na)
{
	uint8_t secret[IKE_TICKET_SECRET_LEN];
	unsigned i;

	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(id * 31 + i);
	assert_int_equal(ike_ticket_keyring_add(kr, id, nb, na, secret), IKE_OK);
}

static void
ident_set(struct ike_ticket_ident *id, uint8_t type, const char *text)
{
	id->type = type;
	id->len = (uint16_t)strlen(text);
	memcpy(id->data, text, id->len);
}

void
ticket_sample_state(struct ike_ticket_state *s, unsigned variant, uint64_t expires)
{
	char buf[64];
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->expires = expires;
	s->auth_deadline = expires + 7200;
	for (i = 0; i < IKE_TICKET_SPI_LEN; i++) {
		s->spi_i[i] = (uint8_t)(0x10 + i + variant);
		s->spi_r[i] = (uint8_t)(0x80 + i + variant);
	}
	s->encr = 20; /* ENCR_AES_GCM_16 */
	s->encr_key_bits = 256;
	s->prf = 5; /* PRF_HMAC_SHA2_256 */
	s->integ = 0;
	s->peer_auth = 2; /* shared key MIC */
	s->flags = variant % 2 ? IKE_TICKET_F_EAP : 0;
	s->sk_d_len = 32;
	for (i = 0; i < s->sk_d_len; i++)
		s->sk_d[i] = (uint8_t)(i * 7 + variant);
	snprintf(buf, sizeof(buf), "user%u@example.com", variant);
	ident_set(&s->id_i, 3, buf);
	ident_set(&s->id_r, 2, "gw.example.net");
	if (variant % 2)
		ident_set(&s->peer_id, 3, "eap-identity@example.com");
	s->policy_len = (uint8_t)snprintf(s->policy, sizeof(s->policy), "roadwarrior-%u", variant);
	/* Every third state carries a virtual-IP lease (state version 2), some with IPv6 too. */
	if (variant % 3 == 2) {
		s->lease = IKE_TICKET_LEASE_V4 | (variant % 2 ? IKE_TICKET_LEASE_V6 : 0);
		s->vip4[0] = 10;
		s->vip4[1] = 98;
		s->vip4[3] = (uint8_t)variant;
		s->vip6[0] = 0xfd;
		s->vip6[15] = (uint8_t)variant;
	}
}

/* Compares what a ticket carries: everything but the fields seal sets. */
static void
assert_state_equal(const struct ike_ticket_state *a, const struct ike_ticket_state *b)
{
	assert_memory_equal(a->ticket_id, b->ticket_id, IKE_TICKET_ID_LEN);
	assert_int_equal(a->issued, b->issued);
	assert_int_equal(a->expires, b->expires);
	assert_int_equal(a->auth_deadline, b->auth_deadline);
	assert_memory_equal(a->spi_i, b->spi_i, IKE_TICKET_SPI_LEN);
	assert_memory_equal(a->spi_r, b->spi_r, IKE_TICKET_SPI_LEN);
	assert_int_equal(a->encr, b->encr);
	assert_int_equal(a->encr_key_bits, b->encr_key_bits);
	assert_int_equal(a->prf, b->prf);
	assert_int_equal(a->integ, b->integ);
	assert_int_equal(a->peer_auth, b->peer_auth);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->sk_d_len, b->sk_d_len);
	assert_memory_equal(a->sk_d, b->sk_d, a->sk_d_len);
	assert_int_equal(a->id_i.type, b->id_i.type);
	assert_int_equal(a->id_i.len, b->id_i.len);
	assert_memory_equal(a->id_i.data, b->id_i.data, a->id_i.len);
	assert_int_equal(a->id_r.len, b->id_r.len);
	assert_memory_equal(a->id_r.data, b->id_r.data, a->id_r.len);
	assert_int_equal(a->peer_id.type, b->peer_id.type);
	assert_int_equal(a->peer_id.len, b->peer_id.len);
	assert_memory_equal(a->peer_id.data, b->peer_id.data, a->peer_id.len);
	assert_int_equal(a->policy_len, b->policy_len);
	assert_memory_equal(a->policy, b->policy, a->policy_len);
	assert_int_equal(a->lease, b->lease);
	if (a->lease & IKE_TICKET_LEASE_V4)
		assert_memory_equal(a->vip4, b->vip4, 4);
	if (a->lease & IKE_TICKET_LEASE_V6)
		assert_memory_equal(a->vip6, b->vip6, 16);
}

/*
 * docs/tickets.md section 2: a state without a lease is version 1 (the bytes
 * of before), with one version 2 = version 1 | flags | addresses. Bad lease
 * flags and a truncated lease are malformed.
 */
static void
test_state_lease_versions(void **state)
{
	struct ike_ticket_state in, out;
	uint8_t v1[IKE_TICKET_STATE_MAX], v2[IKE_TICKET_STATE_MAX];
	size_t l1, l2, body;

	(void)state;
	ticket_sample_state(&in, 0, T0 + 60);
	assert_int_equal(ike_ticket_state_encode(&in, v1, sizeof(v1), &l1), IKE_TICKET_OK);
	assert_int_equal(v1[0], 1);
	in.lease = IKE_TICKET_LEASE_V4 | IKE_TICKET_LEASE_V6;
	memcpy(in.vip4, "\x0a\x62\x00\x40", 4);
	memset(in.vip6, 0x11, 16);
	assert_int_equal(ike_ticket_state_encode(&in, v2, sizeof(v2), &l2), IKE_TICKET_OK);
	assert_int_equal(v2[0], 2);
	/* Same fields up to the policy, then flags | IPv4 | IPv6 where the padding was. */
	body = 1 + 16 + 8 * 3 + 16 + 8 + 3 + 32 + 3 + in.id_i.len + 3 + in.id_r.len + 3 +
	       in.peer_id.len + 1 + in.policy_len;
	assert_memory_equal(v1 + 1, v2 + 1, body - 1);
	assert_int_equal(v2[body], 3);
	assert_memory_equal(v2 + body + 1, in.vip4, 4);
	assert_memory_equal(v2 + body + 5, in.vip6, 16);
	assert_int_equal(ike_ticket_state_decode(v2, l2, &out), IKE_TICKET_OK);
	assert_state_equal(&in, &out);
	assert_int_equal(ike_ticket_state_decode(v1, l1, &out), IKE_TICKET_OK);
	assert_int_equal(out.lease, 0);
	v2[body] = 0x04; /* an unknown lease bit */
	assert_int_equal(ike_ticket_state_decode(v2, l2, &out), IKE_TICKET_MALFORMED);
	v2[body] = 0; /* version 2 without a lease */
	assert_int_equal(ike_ticket_state_decode(v2, l2, &out), IKE_TICKET_MALFORMED);
	/* Version 1 bytes relabelled 2: the lease would be read from the padding. */
	v1[0] = 2;
	assert_int_equal(ike_ticket_state_decode(v1, l1, &out), IKE_TICKET_MALFORMED);
	in.lease = 0x80;
	assert_int_equal(ike_ticket_state_encode(&in, v2, sizeof(v2), &l2), IKE_TICKET_BAD_STATE);
}

static struct ike_ticket_keyring *
ring_one_key(void)
{
	struct ike_ticket_keyring *kr = ike_ticket_keyring_create(&params);

	assert_non_null(kr);
	ticket_add_key(kr, 0x0a0b0c0d, T0, T0 + 86400);
	return kr;
}

static size_t
seal_sample(const struct ike_ticket_keyring *kr, unsigned variant, uint64_t now,
	    struct ike_ticket_state *s, uint8_t *out)
{
	size_t len = 0;

	ticket_sample_state(s, variant, now + LIFETIME);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, s, now, out, IKE_TICKET_MAX, &len),
			 IKE_TICKET_OK);
	return len;
}

static void
test_round_trip(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_state in, out;
	uint8_t t[IKE_TICKET_MAX];
	static const uint8_t zero[IKE_TICKET_ID_LEN];
	size_t len;

	(void)state;
	len = seal_sample(kr, 1, T0 + 100, &in, t);
	assert_int_equal(in.issued, T0 + 100);
	assert_memory_not_equal(in.ticket_id, zero, IKE_TICKET_ID_LEN);
	/* Clear part: version, key id; state padded to a multiple of 32. */
	assert_int_equal(t[0], 1);
	assert_int_equal(t[1], 0x0a);
	assert_int_equal(t[4], 0x0d);
	assert_int_equal((len - IKE_TICKET_OVERHEAD) % 32, 0);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0 + 200, &out), IKE_TICKET_OK);
	assert_state_equal(&in, &out);
	ike_ticket_keyring_free(kr);
}

static void
test_largest_state(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_state in, out;
	uint8_t t[IKE_TICKET_MAX];
	size_t len = 0;

	(void)state;
	ticket_sample_state(&in, 0, T0 + LIFETIME);
	in.sk_d_len = CRY_MAX_PRF_LEN;
	in.id_i.len = in.id_r.len = in.peer_id.len = IKE_TICKET_IDENT_MAX;
	memset(in.id_i.data, 'i', IKE_TICKET_IDENT_MAX);
	memset(in.id_r.data, 'r', IKE_TICKET_IDENT_MAX);
	memset(in.peer_id.data, 'p', IKE_TICKET_IDENT_MAX);
	in.policy_len = IKE_TICKET_POLICY_MAX;
	memset(in.policy, 'c', IKE_TICKET_POLICY_MAX);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_OK);
	assert_true(len <= IKE_TICKET_MAX);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0, &out), IKE_TICKET_OK);
	assert_state_equal(&in, &out);
	/* One octet more than an ID payload may carry is refused, not truncated. */
	in.id_i.len = IKE_TICKET_IDENT_MAX + 1;
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_BAD_STATE);
	ike_ticket_keyring_free(kr);
}

static void
test_reason_malformed_and_version(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_state in, out;
	uint8_t t[IKE_TICKET_MAX + 32];
	size_t len;

	(void)state;
	len = seal_sample(kr, 0, T0, &in, t);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, 0, T0, &out), IKE_TICKET_MALFORMED);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, IKE_TICKET_OVERHEAD, T0, &out),
			 IKE_TICKET_MALFORMED);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len - 1, T0, &out),
			 IKE_TICKET_MALFORMED);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, IKE_TICKET_MAX + 32, T0, &out),
			 IKE_TICKET_MALFORMED);
	t[0] = 2;
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0, &out),
			 IKE_TICKET_VERSION_UNKNOWN);
	/* A refusal leaves nothing of a state behind. */
	assert_int_equal(out.sk_d_len, 0);
	ike_ticket_keyring_free(kr);
}

static void
test_reason_unknown_key_and_bad_tag(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_keyring *other = ike_ticket_keyring_create(&params);
	struct ike_ticket_state in, out;
	uint8_t t[IKE_TICKET_MAX], m[IKE_TICKET_MAX];
	size_t len, i;

	(void)state;
	ticket_add_key(other, 0x01020304, T0, T0 + 86400);
	len = seal_sample(kr, 0, T0, &in, t);
	assert_int_equal(ike_ticket_open(&drv->ops, other, t, len, T0, &out),
			 IKE_TICKET_UNKNOWN_KEY);
	/* The same id with another secret (another farm's key): the tag fails. */
	ike_ticket_keyring_free(other);
	other = ike_ticket_keyring_create(&params);
	memset(m, 0x5a, IKE_TICKET_SECRET_LEN);
	assert_int_equal(ike_ticket_keyring_add(other, 0x0a0b0c0d, T0, T0 + 86400, m), IKE_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, other, t, len, T0, &out), IKE_TICKET_BAD_TAG);
	/* Flip one bit in each region the tag covers: AAD, IV, ciphertext, tag. */
	for (i = 1; i < len; i += (i < IKE_TICKET_HDR_LEN ? 1 : 37)) {
		enum ike_ticket_reason want =
			i < IKE_TICKET_AAD_LEN ? IKE_TICKET_UNKNOWN_KEY : IKE_TICKET_BAD_TAG;

		memcpy(m, t, len);
		m[i] ^= 0x01;
		assert_int_equal(ike_ticket_open(&drv->ops, kr, m, len, T0, &out), want);
	}
	memcpy(m, t, len);
	m[len - 1] ^= 0x80;
	assert_int_equal(ike_ticket_open(&drv->ops, kr, m, len, T0, &out), IKE_TICKET_BAD_TAG);
	/* The untouched ticket still opens: a failed open changed nothing. */
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0, &out), IKE_TICKET_OK);
	ike_ticket_keyring_free(other);
	ike_ticket_keyring_free(kr);
}

/* AAD binds the key id: a ring holding both ids must still reject a relabelled ticket. */
static void
test_reason_bad_tag_relabelled(void **state)
{
	struct ike_ticket_keyring *kr = ike_ticket_keyring_create(&params);
	struct ike_ticket_state in, out;
	uint8_t t[IKE_TICKET_MAX];
	size_t len;

	(void)state;
	ticket_add_key(kr, 1, T0, T0 + 86400);
	ticket_add_key(kr, 2, T0 - 10, T0 + 86400);
	len = seal_sample(kr, 0, T0, &in, t);
	assert_int_equal(t[4], 1); /* newest not_before seals */
	t[4] = 2;
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0, &out), IKE_TICKET_BAD_TAG);
	ike_ticket_keyring_free(kr);
}

static void
test_reason_expired_and_auth_deadline(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_state in, out, again;
	uint8_t t[IKE_TICKET_MAX], t2[IKE_TICKET_MAX];
	size_t len = 0, len2 = 0;

	(void)state;
	/* Lifetime shorter than the auth deadline: plain expiry. */
	len = seal_sample(kr, 0, T0, &in, t);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0 + LIFETIME - 1, &out),
			 IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0 + LIFETIME, &out),
			 IKE_TICKET_EXPIRED);

	/* RFC 4478 deadline in 600 s: the ticket lifetime is bounded by it. */
	ticket_sample_state(&in, 0, 0);
	in.auth_deadline = T0 + 600;
	in.expires = ike_ticket_expiry(T0, LIFETIME, in.auth_deadline);
	assert_int_equal(in.expires, T0 + 600);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_OK);
	/* Resumed at T0 + 300, the new SA's ticket carries the same deadline. */
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0 + 300, &out), IKE_TICKET_OK);
	assert_int_equal(out.auth_deadline, T0 + 600);
	again = out;
	again.expires = ike_ticket_expiry(T0 + 300, LIFETIME, again.auth_deadline);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &again, T0 + 300, t2, sizeof(t2), &len2),
			 IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t2, len2, T0 + 599, &out), IKE_TICKET_OK);
	assert_int_equal(out.auth_deadline, T0 + 600);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t2, len2, T0 + 600, &out),
			 IKE_TICKET_AUTH_DEADLINE);
	/* A ticket may never outlive the authentication. */
	again.expires = T0 + 601;
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &again, T0 + 300, t2, sizeof(t2), &len2),
			 IKE_TICKET_BAD_STATE);
	ike_ticket_keyring_free(kr);
}

static void
test_seal_refusals(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_state in;
	uint8_t t[IKE_TICKET_MAX];
	size_t len = 0;
	unsigned i;

	(void)state;
	ticket_sample_state(&in, 0, T0 + 10);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0 - 1, t, sizeof(t), &len),
			 IKE_TICKET_NO_SEAL_KEY);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0 + 86400, t, sizeof(t), &len),
			 IKE_TICKET_NO_SEAL_KEY);
	/* Finite lifetime within the farm's maximum (RFC 5723 6.2). */
	in.expires = T0;
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_BAD_STATE);
	in.expires = T0 + LIFETIME + 1;
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_BAD_STATE);
	in.expires = T0 + LIFETIME;
	memset(t, 0xee, sizeof(t));
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, 100, &len),
			 IKE_TICKET_NO_SPACE);
	for (i = 0; i < 100; i++)
		assert_int_equal(t[i], 0);
	ike_ticket_keyring_free(kr);
}

/*
 * Rotation: k1 seals until T0 + 1000; a reload at T0 + 450 adds k2 valid
 * from T0 + 500. Tickets of k1 keep opening until they expire, at the
 * latest k1's not_after + max lifetime.
 */
static void
test_rotation(void **state)
{
	struct ike_ticket_keyring *ring_a = ike_ticket_keyring_create(&params);
	struct ike_ticket_keyring *ring_b = ike_ticket_keyring_create(&params);
	struct ike_ticket_keyring *ring_c = ike_ticket_keyring_create(&params);
	struct ike_ticket_state in, out;
	uint8_t t1[IKE_TICKET_MAX], t2[IKE_TICKET_MAX], t3[IKE_TICKET_MAX];
	size_t l1, l2, l3;

	(void)state;
	ticket_add_key(ring_a, 1, T0, T0 + 1000);
	ticket_add_key(ring_b, 1, T0, T0 + 1000);
	ticket_add_key(ring_b, 2, T0 + 500, T0 + 5000);
	ticket_add_key(ring_c, 2, T0 + 500, T0 + 5000);

	l1 = seal_sample(ring_a, 0, T0 + 400, &in, t1);
	assert_int_equal(t1[4], 1);
	/* After the reload k1 still seals until k2's not_before, then k2 does. */
	l2 = seal_sample(ring_b, 1, T0 + 499, &in, t2);
	assert_int_equal(t2[4], 1);
	l2 = seal_sample(ring_b, 2, T0 + 500, &in, t2);
	assert_int_equal(t2[4], 2);
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t1, l1, T0 + 600, &out), IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t2, l2, T0 + 600, &out), IKE_TICKET_OK);

	/* Sealed by k1 in its last second: opens until it expires, 1 s before k1's window ends. */
	l3 = seal_sample(ring_a, 3, T0 + 999, &in, t3);
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t3, l3, T0 + 999 + LIFETIME - 1, &out),
			 IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t3, l3, T0 + 999 + LIFETIME, &out),
			 IKE_TICKET_EXPIRED);
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t3, l3, T0 + 1000 + LIFETIME, &out),
			 IKE_TICKET_KEY_NOT_VALID);
	/* Once k1 is dropped from the file, its tickets are unknown. */
	assert_int_equal(ike_ticket_open(&drv->ops, ring_c, t1, l1, T0 + 600, &out),
			 IKE_TICKET_UNKNOWN_KEY);
	/* A gateway whose clock lags k2's not_before by more than the skew refuses. */
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t2, l2, T0 + 440, &out), IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, ring_b, t2, l2, T0 + 439, &out),
			 IKE_TICKET_KEY_NOT_VALID);
	ike_ticket_keyring_free(ring_a);
	ike_ticket_keyring_free(ring_b);
	ike_ticket_keyring_free(ring_c);
}

/* 32 tickets through one aead_burst give exactly what 32 one-shot opens give. */
static void
test_batch_equals_one_shot(void **state)
{
	static uint8_t t[BATCH][IKE_TICKET_MAX];
	static struct ike_ticket_open_ctx ctx[BATCH];
	static struct ike_ticket_state in, one[BATCH], batch[BATCH];
	struct ike_ticket_keyring *kr = ike_ticket_keyring_create(&params);
	enum ike_ticket_reason r_one[BATCH], r_batch[BATCH];
	struct cry_aead_job jobs[BATCH];
	unsigned idx[BATCH], i, n = 0, ok = 0;
	size_t len[BATCH];
	static const uint8_t zero[sizeof(ctx[0])];

	(void)state;
	ticket_add_key(kr, 7, T0, T0 + 86400);
	for (i = 0; i < BATCH; i++)
		len[i] = seal_sample(kr, i, T0 + i, &in, t[i]);
	/* A few bad ones in the mix: tag, key id, version, length. */
	t[3][IKE_TICKET_HDR_LEN + 5] ^= 0x40;
	t[9][4] = 8;
	t[17][0] = 9;
	len[25] -= 1;
	for (i = 0; i < BATCH; i++)
		r_one[i] = ike_ticket_open(&drv->ops, kr, t[i], len[i], T0 + 100, &one[i]);

	for (i = 0; i < BATCH; i++) {
		r_batch[i] = ike_ticket_open_prepare(kr, t[i], len[i], T0 + 100, &ctx[i], &jobs[n]);
		if (r_batch[i] == IKE_TICKET_OK)
			idx[n++] = i;
	}
	assert_int_equal(n, BATCH - 3);
	ok = drv->ops.sym->aead_burst(drv->ops.sym_ctx, jobs, n);
	assert_int_equal(ok, n - 1);
	for (i = 0; i < n; i++) {
		r_batch[idx[i]] = ike_ticket_open_finish(&ctx[idx[i]], &jobs[i], &batch[idx[i]]);
		assert_memory_equal(&ctx[idx[i]], zero, sizeof(zero));
	}
	for (i = 0; i < BATCH; i++) {
		assert_int_equal(r_batch[i], r_one[i]);
		if (r_one[i] == IKE_TICKET_OK)
			assert_state_equal(&one[i], &batch[i]);
	}
	assert_int_equal(r_one[3], IKE_TICKET_BAD_TAG);
	assert_int_equal(r_one[9], IKE_TICKET_UNKNOWN_KEY);
	assert_int_equal(r_one[17], IKE_TICKET_VERSION_UNKNOWN);
	assert_int_equal(r_one[25], IKE_TICKET_MALFORMED);
	ike_ticket_keyring_free(kr);
}

/* A prepared job that never ran still finishes, as a crypto failure, and is wiped. */
static void
test_finish_without_burst(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	static const uint8_t zero[sizeof(struct ike_ticket_open_ctx)];
	struct ike_ticket_open_ctx ctx;
	size_t used;
	struct ike_ticket_state in, out;
	struct cry_aead_job job;
	uint8_t t[IKE_TICKET_MAX];
	size_t len;

	(void)state;
	len = seal_sample(kr, 0, T0, &in, t);
	assert_int_equal(ike_ticket_open_prepare(kr, t, len, T0, &ctx, &job), IKE_TICKET_OK);
	assert_ptr_equal(job.user_data, &ctx);
	used = offsetof(struct ike_ticket_open_ctx, plain) + ctx.len;
	assert_int_equal(ike_ticket_open_finish(&ctx, &job, &out), IKE_TICKET_CRYPTO);
	/* Keys, tag, IV and the plaintext octets in use are wiped. */
	assert_memory_equal(&ctx, zero, used);
	ike_ticket_keyring_free(kr);
}

int
ticket_run_seal_open_tests(const struct ticket_driver *d)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_state_lease_versions),
		cmocka_unit_test(test_largest_state),
		cmocka_unit_test(test_reason_malformed_and_version),
		cmocka_unit_test(test_reason_unknown_key_and_bad_tag),
		cmocka_unit_test(test_reason_bad_tag_relabelled),
		cmocka_unit_test(test_reason_expired_and_auth_deadline),
		cmocka_unit_test(test_seal_refusals),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_batch_equals_one_shot),
		cmocka_unit_test(test_finish_without_burst),
	};

	drv = d;
	return cmocka_run_group_tests_name(d->name, tests, NULL, NULL);
}

static const struct ticket_driver *drv_b;

/* Any gateway of the farm opens what another sealed, whatever its crypto driver. */
static void
test_cross_driver(void **state)
{
	struct ike_ticket_keyring *kr = ring_one_key();
	struct ike_ticket_state in, out;
	uint8_t t[IKE_TICKET_MAX];
	size_t len = 0;

	(void)state;
	ticket_sample_state(&in, 4, T0 + 60);
	assert_int_equal(ike_ticket_seal(&drv->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv_b->ops, kr, t, len, T0, &out), IKE_TICKET_OK);
	assert_state_equal(&in, &out);
	assert_int_equal(ike_ticket_seal(&drv_b->ops, kr, &in, T0, t, sizeof(t), &len),
			 IKE_TICKET_OK);
	assert_int_equal(ike_ticket_open(&drv->ops, kr, t, len, T0, &out), IKE_TICKET_OK);
	assert_state_equal(&in, &out);
	ike_ticket_keyring_free(kr);
}

int
ticket_run_cross_driver_tests(const struct ticket_driver *a, const struct ticket_driver *b)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cross_driver),
	};

	drv = a;
	drv_b = b;
	return cmocka_run_group_tests_name("cross-driver", tests, NULL, NULL);
}
