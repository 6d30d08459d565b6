/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data path's key space and the [child] proposals: its records keep
 * the KEYMAT the proposals may need (dp_config.keymat_len, sized at start),
 * so a reload-creds whose proposals need more is refused.
 */
#ifndef IFD_KEYMAT_H
#define IFD_KEYMAT_H

#include <stddef.h>

#include "ike_proposal_str.h"

/* The esp_alg of an ESP transform pair (ENCR id, INTEG id, 0: none), or -1 without one. */
int ifd_esp_alg(unsigned encr_id, unsigned integ_id);

/*
 * The most KEYMAT octets of one direction a Child SA of the ESP proposals
 * p[0..n) may need on the data path (esp_keymat_len over every ENCR and
 * INTEG combination it can run); 0 when it can run none.
 */
unsigned ifd_keymat_len(const struct ike_proposal_cfg *p, unsigned n);

/*
 * 0 when the proposals p[0..n) fit records keeping have octets a
 * direction; else -1 with the reason in err.
 */
int ifd_keymat_check(const struct ike_proposal_cfg *p, unsigned n, unsigned have, char *err,
		     size_t errlen);

#endif
