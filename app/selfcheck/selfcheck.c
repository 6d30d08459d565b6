/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ikefarm-selfcheck: one IKE_SA_INIT between an initiator and a responder in
 * this process, with real key exchange, real messages through the wire codec,
 * and the RFC 7296 key schedule derived on both sides through the ipsec-mb
 * driver and again through the OpenSSL driver. Then one SK-protected message
 * sealed by the initiator and opened by the responder. Prints each step and
 * exits non-zero if any check fails.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cry_ipsecmb.h"
#include "cry_openssl.h"
#include "ike_build.h"
#include "ike_const.h"
#include "ike_keys.h"
#include "ike_log.h"
#include "ike_names.h"
#include "ike_parse.h"
#include "ike_pld.h"
#include "ike_secret.h"
#include "ike_sk.h"

#define NONCE_LEN 32

struct party {
	const char *name;
	uint64_t spi;
	struct cry_kex *kex;
	uint8_t pub[CRY_MAX_KEX_PUB];
	size_t pub_len;
	uint8_t nonce[NONCE_LEN];
	uint8_t g_ir[CRY_MAX_KEX_SECRET];
	size_t g_ir_len;
	struct ike_sa_keys keys;
};

static int failures;

static void
check(int ok, const char *what)
{
	printf("  [%s] %s\n", ok ? " ok " : "FAIL", what);
	if (!ok)
		failures++;
}

static void
hex(const char *label, const uint8_t *p, size_t n)
{
	size_t i, shown = n > 24 ? 24 : n;

	printf("  %-10s ", label);
	for (i = 0; i < shown; i++)
		printf("%02x", p[i]);
	printf("%s (%zu octets)\n", n > shown ? "..." : "", n);
}

static void
log_stderr(enum ike_log_level level, const char *msg)
{
	(void)level;
	fprintf(stderr, "  log: %s\n", msg);
}

/* SA payload with one IKE proposal: AES-GCM-16/256, PRF-HMAC-SHA2-256, X25519. */
static void
fill_sa(struct ike_pld_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->n_prop = 1;
	sa->n_xf = 3;
	sa->prop[0] = (struct ike_prop){.num = 1, .proto = IKE_PROTO_IKE, .xf_first = 0, .n_xf = 3};
	sa->xf[0] = (struct ike_xform){.type = IKE_TRANSFORM_ENCR, .id = IKE_ENCR_AES_GCM_16,
				       .key_len = 256, .has_key_len = true};
	sa->xf[1] = (struct ike_xform){.type = IKE_TRANSFORM_PRF, .id = IKE_PRF_HMAC_SHA2_256};
	sa->xf[2] = (struct ike_xform){.type = IKE_TRANSFORM_KE, .id = IKE_KE_CURVE25519};
}

static size_t
build_sa_init(struct party *p, uint64_t spi_i, uint64_t spi_r, uint8_t flags, uint8_t *buf,
	      size_t cap)
{
	struct ike_pld_sa sa;
	struct ike_mb b;
	size_t len = 0;

	fill_sa(&sa);
	ike_mb_init(&b, buf, cap, spi_i, spi_r, IKE_EXCH_IKE_SA_INIT, flags, 0);
	ike_mb_add_sa(&b, &sa);
	ike_mb_add_ke(&b, IKE_KE_CURVE25519, p->pub, p->pub_len);
	ike_mb_add_nonce(&b, p->nonce, sizeof(p->nonce));
	if (ike_mb_finish(&b, &len) != IKE_OK)
		return 0;
	return len;
}

/* Parses an IKE_SA_INIT message; returns the peer's KE data and nonce. */
static int
read_sa_init(const uint8_t *buf, size_t len, struct ike_msg *msg, struct ike_pld_ke *ke,
	     struct ike_pld_nonce *nonce)
{
	const struct ike_pld *pk, *pn, *ps;
	struct ike_pld_sa sa;
	unsigned bad;

	if (ike_msg_parse(buf, len, msg) != IKE_PARSE_OK || ike_msg_validate(msg, &bad) != IKE_PARSE_OK)
		return -1;
	ps = ike_msg_find(msg, IKE_PLD_SA, 0);
	pk = ike_msg_find(msg, IKE_PLD_KE, 0);
	pn = ike_msg_find(msg, IKE_PLD_NONCE, 0);
	if (!ps || !pk || !pn)
		return -1;
	if (ike_pld_sa_parse(ike_msg_pld_body(msg, ps), ps->len, &sa) != IKE_PARSE_OK ||
	    sa.n_prop != 1 || sa.xf[0].id != IKE_ENCR_AES_GCM_16 || sa.xf[0].key_len != 256)
		return -1;
	if (ike_pld_ke_parse(ike_msg_pld_body(msg, pk), pk->len, ke) != IKE_PARSE_OK ||
	    ike_pld_nonce_parse(ike_msg_pld_body(msg, pn), pn->len, nonce) != IKE_PARSE_OK)
		return -1;
	return 0;
}

static int
make_party(struct party *p, const char *name, const struct cry_ops *ops)
{
	p->name = name;
	p->pub_len = sizeof(p->pub);
	if (cry_random(ops, (uint8_t *)&p->spi, sizeof(p->spi)) != IKE_OK ||
	    cry_random(ops, p->nonce, sizeof(p->nonce)) != IKE_OK)
		return -1;
	return ops->asym->kex_new(ops->asym_ctx, IKE_KE_CURVE25519, &p->kex, p->pub, &p->pub_len) ==
			       IKE_OK
		       ? 0
		       : -1;
}

static int
derive(struct party *p, const struct cry_ops *ops, const struct ike_suite *suite,
       const struct ike_keys_input *in, const uint8_t *peer_pub, size_t peer_len)
{
	p->g_ir_len = sizeof(p->g_ir);
	if (ops->asym->kex_derive(ops->asym_ctx, p->kex, peer_pub, peer_len, p->g_ir,
				  &p->g_ir_len) != IKE_OK)
		return -1;
	return ike_keys_derive_ike(ops, suite, in, p->g_ir, p->g_ir_len, &p->keys) == IKE_OK ? 0 : -1;
}

static int
sk_round_trip(const struct cry_ops *ops, struct party *ini, struct party *resp)
{
	static const char idi[] = "client@selfcheck.ikefarm";
	uint8_t msg[512];
	struct ike_msg parsed;
	struct ike_mb b;
	size_t sk_off, plain_off, plain_len, msg_len;
	const struct ike_pld *pid;
	struct ike_pld_id id;

	ike_mb_init(&b, msg, sizeof(msg), ini->spi, resp->spi, IKE_EXCH_IKE_AUTH,
		    IKE_HDR_F_INITIATOR, 1);
	ike_mb_begin_sk(&b, ike_sk_iv_len(&ini->keys.init_to_resp));
	ike_mb_add_id(&b, IKE_PLD_IDI, IKE_ID_RFC822_ADDR, idi, strlen(idi));
	if (ike_mb_end_sk(&b, &sk_off, &plain_off, &plain_len) != IKE_OK ||
	    ike_sk_seal(ops, &ini->keys.init_to_resp, msg, sizeof(msg), sk_off, plain_off,
			plain_len, &msg_len) != IKE_OK)
		return -1;
	printf("  initiator sealed an IKE_AUTH message with IDi: %zu octets on the wire\n", msg_len);
	if (ike_msg_parse(msg, msg_len, &parsed) != IKE_PARSE_OK ||
	    ike_sk_open(ops, &resp->keys.init_to_resp, msg, msg_len, parsed.sk_off, &plain_off,
			&plain_len) != IKE_OK ||
	    ike_msg_parse_inner(msg + plain_off, plain_len, parsed.sk_first, &parsed) != IKE_PARSE_OK)
		return -1;
	pid = ike_msg_find(&parsed, IKE_PLD_IDI, 0);
	if (!pid || ike_pld_id_parse(ike_msg_pld_body(&parsed, pid), pid->len, &id) != IKE_PARSE_OK)
		return -1;
	printf("  responder opened it: IDi type %s \"%.*s\"\n", ike_id_type_name(id.type),
	       (int)id.len, (const char *)id.data);
	/* A flipped ICV bit must be refused. */
	msg[msg_len - 1] ^= 1;
	return ike_sk_open(ops, &resp->keys.init_to_resp, msg, msg_len, parsed.sk_off, &plain_off,
			   &plain_len) == IKE_E_INTEGRITY
		       ? 0
		       : -1;
}

int
main(void)
{
	static const struct ike_transforms xf = {
		.encr = IKE_ENCR_AES_GCM_16, .encr_key_bits = 256,
		.prf = IKE_PRF_HMAC_SHA2_256, .integ = IKE_INTEG_NONE, .ke = IKE_KE_CURVE25519,
	};
	struct cry_openssl *ossl = cry_openssl_create();
	struct cry_ipsecmb *mb;
	struct cry_ops ops_mb, ops_ossl;
	struct party ini, resp;
	struct ike_sa_keys check_keys;
	struct ike_keys_input in;
	struct ike_suite suite;
	struct ike_msg m1, m2;
	struct ike_pld_ke ke1, ke2;
	struct ike_pld_nonce n1, n2;
	uint8_t req[1024], rsp[1024], skeyseed[CRY_MAX_PRF_LEN];
	size_t req_len, rsp_len;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ike_log_set_hook(log_stderr, IKE_LOG_INFO);
	memset(&check_keys, 0, sizeof(check_keys));
	mb = cry_ipsecmb_create(CRY_IPSECMB_AUTO);
	if (!ossl || !mb) {
		fprintf(stderr, "selfcheck: cannot create the crypto drivers\n");
		return 1;
	}
	cry_openssl_bind(ossl, &ops_ossl);
	ops_mb = ops_ossl;
	cry_ipsecmb_bind(mb, &ops_mb);
	printf("ikefarm self-check: IKE_SA_INIT and the RFC 7296 key schedule\n");
	printf("  drivers: symmetric %s (manager %s), key exchange %s\n", ops_mb.sym->name,
	       cry_ipsecmb_arch_name(mb), ops_mb.asym->name);

	memset(&ini, 0, sizeof(ini));
	memset(&resp, 0, sizeof(resp));
	if (ike_suite_ike(&xf, &suite) != IKE_OK || make_party(&ini, "initiator", &ops_mb) ||
	    make_party(&resp, "responder", &ops_mb)) {
		fprintf(stderr, "selfcheck: setup failed\n");
		return 1;
	}

	printf("1. initiator -> HDR(SPIi=%016" PRIx64 ", 0), SAi1(AES-GCM-16/256, PRF-SHA2-256, "
	       "X25519), KEi, Ni\n", ini.spi);
	req_len = build_sa_init(&ini, ini.spi, 0, IKE_HDR_F_INITIATOR, req, sizeof(req));
	check(req_len > 0, "request built");
	check(read_sa_init(req, req_len, &m1, &ke1, &n1) == 0, "responder parsed and validated it");

	printf("2. responder -> HDR(SPIi, SPIr=%016" PRIx64 "), SAr1, KEr, Nr\n", resp.spi);
	rsp_len = build_sa_init(&resp, ini.spi, resp.spi, IKE_HDR_F_RESPONSE, rsp, sizeof(rsp));
	check(rsp_len > 0, "response built");
	check(read_sa_init(rsp, rsp_len, &m2, &ke2, &n2) == 0, "initiator parsed and validated it");
	printf("  request %zu octets, response %zu octets\n", req_len, rsp_len);

	in = (struct ike_keys_input){.ni = n1.data, .ni_len = n1.len, .nr = n2.data, .nr_len = n2.len};
	ike_put_u64(in.spi_i, ini.spi);
	ike_put_u64(in.spi_r, resp.spi);

	printf("3. both sides: g^ir, SKEYSEED = prf(Ni | Nr, g^ir), prf+ -> SK_d, SK_ei/er, SK_pi/pr\n");
	check(derive(&ini, &ops_mb, &suite, &in, ke2.data, ke2.len) == 0, "initiator derived keys");
	check(derive(&resp, &ops_mb, &suite, &in, ke1.data, ke1.len) == 0, "responder derived keys");
	check(ini.g_ir_len == resp.g_ir_len && ike_ct_eq(ini.g_ir, resp.g_ir, ini.g_ir_len),
	      "both computed the same g^ir");
	check(ike_keys_skeyseed(&ops_mb, suite.prf, &in, ini.g_ir, ini.g_ir_len, skeyseed) == IKE_OK,
	      "SKEYSEED");
	hex("g^ir", ini.g_ir, ini.g_ir_len);
	hex("SKEYSEED", skeyseed, suite.prf_len);
	hex("SK_d", ini.keys.sk_d, ini.keys.prf_len);
	hex("SK_ei", ini.keys.sk_ei, ini.keys.sk_e_len);
	hex("SK_er", ini.keys.sk_er, ini.keys.sk_e_len);
	hex("SK_pi", ini.keys.sk_pi, ini.keys.prf_len);
	hex("SK_pr", ini.keys.sk_pr, ini.keys.prf_len);
	check(memcmp(&ini.keys, &resp.keys, sizeof(ini.keys)) == 0,
	      "initiator and responder hold identical SK_* keys");
	check(ike_keys_derive_ike(&ops_ossl, &suite, &in, ini.g_ir, ini.g_ir_len, &check_keys) ==
			      IKE_OK &&
		      memcmp(&check_keys, &ini.keys, sizeof(check_keys)) == 0,
	      "the OpenSSL driver derives the same keys as ipsec-mb");

	printf("4. SK payload: initiator seals, responder opens\n");
	check(sk_round_trip(&ops_mb, &ini, &resp) == 0,
	      "AES-GCM-16 SK round trip, and a tampered ICV is refused");

	ike_sa_keys_wipe(&ini.keys);
	ike_sa_keys_wipe(&resp.keys);
	ike_sa_keys_wipe(&check_keys);
	ike_wipe(skeyseed, sizeof(skeyseed));
	ike_wipe(ini.g_ir, sizeof(ini.g_ir));
	ike_wipe(resp.g_ir, sizeof(resp.g_ir));
	ops_mb.asym->kex_free(ops_mb.asym_ctx, ini.kex);
	ops_mb.asym->kex_free(ops_mb.asym_ctx, resp.kex);
	cry_ipsecmb_destroy(mb);
	cry_openssl_destroy(ossl);
	printf("self-check: %s (%d failed)\n", failures ? "FAILED" : "passed", failures);
	return failures ? 1 : 0;
}
