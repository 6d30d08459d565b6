/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/wire public API in one include: constants, parser, decoders, builder, names. */
#ifndef IKE_WIRE_H
#define IKE_WIRE_H

#include "ike_build.h"
#include "ike_const.h"
#include "ike_names.h"
#include "ike_parse.h"
#include "ike_pld.h"

#endif
