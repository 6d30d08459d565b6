/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transform IDs of a vector block: "PRF = 5", "ENCR = 20/256", "INTEG = 0";
 * with prefix "ESP_" the Child SA's "ESP_ENCR" and "ESP_INTEG".
 */
#ifndef VEC_SUITE_H
#define VEC_SUITE_H

#include "ike_suite.h"
#include "vec_file.h"

/* Fills t (PRF optional, KE left 0); -1 if ENCR or INTEG is missing or malformed. */
int vec_transforms(const struct vec_block *b, const char *prefix, struct ike_transforms *t);

#endif
