// SPDX-License-Identifier: GPL-2.0
/*
 * The variants with the attach cookie as key, as in real use: one attach
 * point, the driver attaches each variant with the cookie it needs (an
 * index, a hash key, a PALS handle). Here the pals variant is exactly
 * pals_get(ctx, struct bench_cfg).
 */
#define BENCH_KEY(ctx)	bpf_get_attach_cookie(ctx)
#include "variants.h"
