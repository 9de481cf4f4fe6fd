// SPDX-License-Identifier: GPL-2.0
/*
 * The variants with a rotating key, standing for many attach points: each
 * run takes the next of the nkeys keys the driver wrote into keys[] (in a
 * shuffled order), so consecutive runs touch different entries. Every
 * variant pays the same rotation, which the "key" variant shows alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bench_cfg.h"

__u64 keys[BENCH_MAX_KEYS];
__u32 nkeys;
__u32 cursor;

static __always_inline __u64 next_key(void)
{
	__u32 i = cursor;

	cursor = i + 1 < nkeys ? i + 1 : 0;
	return keys[i & (BENCH_MAX_KEYS - 1)];
}

#define BENCH_KEY(ctx)	next_key()
#include "variants.h"
