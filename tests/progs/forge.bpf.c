// SPDX-License-Identifier: GPL-2.0
/*
 * Forged handles: run through bpf_prog_test_run, each run calls the kfunc
 * with every kind of bad handle, type and size, and once with the live
 * blob as a control. Driven by test_forge.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "test_blob.h"

#define FORGE_KINDS 8

__u64 live;		/* a live struct test_blob */
__u64 deleted;		/* the handle a deleted blob had */
__u64 forged;		/* calls with a bad handle, type or size */
__u64 leaks;		/* ... of which returned a pointer: must stay 0 */
__u64 control;		/* calls with the live handle, type and size */
__u64 control_hits;	/* ... of which returned the blob */

static __always_inline __u64 rand64(void)
{
	return (__u64)bpf_get_prandom_u32() << 32 | bpf_get_prandom_u32();
}

/* A bad handle of kind @kind, derived from the live one. */
static __always_inline __u64 forge(__u32 kind)
{
	__u64 tag = live >> 20, idx = live & 0xfffff, r = rand64();

	switch (kind) {
	case 0: return r;					/* random */
	case 1: return 0;
	case 2: return deleted;					/* stale */
	case 3: return (tag + 1 + (r & 0xffff)) << 20 | idx;	/* later tags */
	case 4: return (tag - 1) << 20 | idx;			/* earlier tag */
	case 5: return idx;					/* tag 0 */
	case 6: return tag << 20 | ((idx + 1 + (r & 0xffffe)) & 0xfffff); /* other slot */
	default: return tag << 20 | 0xfffff;			/* beyond */
	}
}

static long forge_one(__u64 i, void *ctx)
{
	__u64 h = forge(i % FORGE_KINDS);

	if (h != live) {
		forged++;
		if (bpf_pals_get(h, bpf_core_type_id_local(struct test_blob),
				 sizeof(struct test_blob)))
			leaks++;
	}
	/* The live handle, with another type or another size. */
	forged += 2;
	if (bpf_pals_get(live, bpf_core_type_id_local(struct test_other),
			 sizeof(struct test_other)))
		leaks++;
	if (bpf_pals_get(live, bpf_core_type_id_local(struct test_blob),
			 sizeof(struct test_blob) - 8))
		leaks++;
	control++;
	if (pals_lookup(live, struct test_blob))
		control_hits++;
	return 0;
}

SEC("raw_tp")
int forge_handles(void *ctx)
{
	bpf_loop(1 << 16, forge_one, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
