/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_pld_parse.c - decoders for the payloads with a fixed head and one
 * variable field: KE (RFC 7296 3.4), ID (3.5), CERT (3.6), CERTREQ (3.7),
 * AUTH (3.8, RFC 7427 3), Nonce (3.9), Notify (3.10), Delete (3.11),
 * Vendor ID (3.12), EAP (3.16) and SKF (RFC 7383 2.5).
 */
#include "ike_buf.h"
#include "ike_pld.h"

#define SHA1_LEN	20

enum ike_parse_status
ike_pld_ke_parse(const uint8_t *body, size_t len, struct ike_pld_ke *ke)
{
	/* Group (2), RESERVED (2), then key exchange data, never empty. */
	if (len <= 4)
		return IKE_PARSE_KE_LENGTH;
	ke->group = ike_get_u16(body);
	ke->data = body + 4;
	ke->len = len - 4;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_id_parse(const uint8_t *body, size_t len, struct ike_pld_id *id)
{
	if (len <= 4)
		return IKE_PARSE_ID_LENGTH;
	id->type = body[0];
	id->data = body + 4;
	id->len = len - 4;
	if ((id->type == IKE_ID_IPV4_ADDR && id->len != 4) ||
	    (id->type == IKE_ID_IPV6_ADDR && id->len != 16))
		return IKE_PARSE_ID_ADDR_LENGTH;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_cert_parse(const uint8_t *body, size_t len, struct ike_pld_cert *cert)
{
	if (len <= 1)
		return IKE_PARSE_CERT_LENGTH;
	cert->encoding = body[0];
	cert->data = body + 1;
	cert->len = len - 1;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_certreq_parse(const uint8_t *body, size_t len, struct ike_pld_cert *req)
{
	/* 3.7: the authority field may be empty (any CA). */
	if (len < 1)
		return IKE_PARSE_CERTREQ_LENGTH;
	req->encoding = body[0];
	req->data = body + 1;
	req->len = len - 1;
	/* 3.7: for X.509 it is a list of SHA-1 hashes of CA public keys. */
	if (req->encoding == IKE_CERT_X509_SIGNATURE && req->len % SHA1_LEN != 0)
		return IKE_PARSE_CERTREQ_HASH_LENGTH;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_auth_parse(const uint8_t *body, size_t len, struct ike_pld_auth *auth)
{
	if (len <= 4)
		return IKE_PARSE_AUTH_LENGTH;
	auth->method = body[0];
	auth->data = body + 4;
	auth->len = len - 4;
	auth->sig_alg = NULL;
	auth->sig_alg_len = 0;
	auth->sig = auth->data;
	auth->sig_len = auth->len;
	if (auth->method == IKE_AUTH_DIGITAL_SIGNATURE) {
		/* RFC 7427 3: length (1), AlgorithmIdentifier, signature value. */
		size_t alen = auth->data[0];

		if (alen == 0 || 1 + alen >= auth->len)
			return IKE_PARSE_AUTH_SIG_ALG_LENGTH;
		auth->sig_alg = auth->data + 1;
		auth->sig_alg_len = alen;
		auth->sig = auth->data + 1 + alen;
		auth->sig_len = auth->len - 1 - alen;
	}
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_nonce_parse(const uint8_t *body, size_t len, struct ike_pld_nonce *nonce)
{
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		return IKE_PARSE_NONCE_LENGTH;
	nonce->data = body;
	nonce->len = len;
	return IKE_PARSE_OK;
}

/* Fixed or bounded data lengths of the notify types we act on. */
static bool
notify_data_len_ok(uint16_t type, size_t len)
{
	switch (type) {
	case IKE_N_COOKIE:
		return len >= 1 && len <= 64;		/* RFC 7296 2.6 */
	case IKE_N_NAT_DETECTION_SOURCE_IP:
	case IKE_N_NAT_DETECTION_DESTINATION_IP:
		return len == SHA1_LEN;			/* RFC 7296 2.23 */
	case IKE_N_INVALID_KE_PAYLOAD:
		return len == 2;			/* RFC 7296 1.2 */
	case IKE_N_SET_WINDOW_SIZE:
	case IKE_N_AUTH_LIFETIME:			/* RFC 4478 3 */
		return len == 4;
	case IKE_N_SIGNATURE_HASH_ALGORITHMS:		/* RFC 7427 4 */
		return len % 2 == 0;
	default:
		/* Data-less capability notifies may gain data (RFC 9242 3.1). */
		return true;
	}
}

enum ike_parse_status
ike_pld_notify_parse(const uint8_t *body, size_t len, struct ike_pld_notify *n)
{
	if (len < 4)
		return IKE_PARSE_NOTIFY_LENGTH;
	n->proto = body[0];
	n->spi_size = body[1];
	n->type = ike_get_u16(body + 2);
	/* 3.10: no SPI (IKE SA), a Child SA SPI (4); 8 is an IKE SPI (RFC 4306 peers). */
	if (n->spi_size != 0 && n->spi_size != IKE_CHILD_SPI_LEN && n->spi_size != IKE_SPI_LEN)
		return IKE_PARSE_NOTIFY_SPI_SIZE;
	if ((size_t)n->spi_size > len - 4)
		return IKE_PARSE_NOTIFY_LENGTH;
	n->spi = n->spi_size ? body + 4 : NULL;
	n->data = body + 4 + n->spi_size;
	n->len = len - 4 - n->spi_size;
	if (!notify_data_len_ok(n->type, n->len))
		return IKE_PARSE_NOTIFY_DATA_LENGTH;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_delete_parse(const uint8_t *body, size_t len, struct ike_pld_delete *d)
{
	if (len < 4)
		return IKE_PARSE_DELETE_LENGTH;
	d->proto = body[0];
	d->spi_size = body[1];
	d->n_spi = ike_get_u16(body + 2);
	d->spis = d->n_spi ? body + 4 : NULL;
	/* 3.11: IKE SA deletion has no SPIs; ESP/AH SPIs are 4 octets. */
	if (d->proto == IKE_PROTO_IKE) {
		if (d->spi_size != 0)
			return IKE_PARSE_DELETE_SPI_SIZE;
		if (d->n_spi != 0)
			return IKE_PARSE_DELETE_COUNT;
	} else if (d->proto == IKE_PROTO_AH || d->proto == IKE_PROTO_ESP) {
		if (d->spi_size != IKE_CHILD_SPI_LEN)
			return IKE_PARSE_DELETE_SPI_SIZE;
	} else {
		return IKE_PARSE_DELETE_PROTO;
	}
	if ((size_t)d->n_spi * d->spi_size != len - 4)
		return IKE_PARSE_DELETE_COUNT;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_vendor_parse(const uint8_t *body, size_t len, struct ike_pld_vendor *v)
{
	/* 3.12: any length, opaque to us. */
	v->data = body;
	v->len = len;
	return IKE_PARSE_OK;
}

enum ike_parse_status
ike_pld_eap_parse(const uint8_t *body, size_t len, struct ike_pld_eap *eap)
{
	if (len < 4)
		return IKE_PARSE_EAP_LENGTH;
	eap->code = body[0];
	eap->id = body[1];
	eap->length = ike_get_u16(body + 2);
	eap->type = 0;
	eap->data = NULL;
	eap->len = 0;
	/* RFC 3748 4: the EAP Length covers the whole EAP message. */
	if (eap->length != len)
		return IKE_PARSE_EAP_LENGTH;
	switch (eap->code) {
	case IKE_EAP_REQUEST:
	case IKE_EAP_RESPONSE:
		if (len < 5)
			return IKE_PARSE_EAP_LENGTH;
		eap->type = body[4];
		eap->data = body + 5;
		eap->len = len - 5;
		return IKE_PARSE_OK;
	case IKE_EAP_SUCCESS:
	case IKE_EAP_FAILURE:
		return len == 4 ? IKE_PARSE_OK : IKE_PARSE_EAP_LENGTH;
	default:
		return IKE_PARSE_EAP_CODE;
	}
}

enum ike_parse_status
ike_pld_skf_parse(const uint8_t *body, size_t len, uint8_t next_payload,
		  struct ike_pld_skf *skf)
{
	if (len <= 4)
		return IKE_PARSE_SKF_LENGTH;
	skf->frag_num = ike_get_u16(body);
	skf->total = ike_get_u16(body + 2);
	skf->data = body + 4;
	skf->len = len - 4;
	/* RFC 7383 2.5: 1 <= Fragment Number <= Total Fragments. */
	if (skf->total == 0)
		return IKE_PARSE_SKF_TOTAL;
	if (skf->frag_num == 0 || skf->frag_num > skf->total)
		return IKE_PARSE_SKF_FRAG_NUMBER;
	/* Only the first fragment names the first inner payload. */
	if (skf->frag_num > 1 && next_payload != IKE_PLD_NONE)
		return IKE_PARSE_SKF_NEXT_PAYLOAD;
	return IKE_PARSE_OK;
}
