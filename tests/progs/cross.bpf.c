// SPDX-License-Identifier: GPL-2.0
/*
 * Blobs across BPF objects: "owner" is attached with a blob, "reader"
 * looks a handle up without a cookie, from the same object or from
 * another load of this file (another BPF object). Driven by test_cross.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"

__u64 victim;		/* the handle "reader" looks up */
__u64 lookups;		/* blobs it got, and wrote to */
__u64 lookup_nulls;

SEC("kprobe")
int owner(struct pt_regs *ctx) { return touch(ctx); }

SEC("kprobe")
int reader(struct pt_regs *ctx)
{
	struct test_blob *b;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	b = pals_lookup(victim, struct test_blob);
	if (!b) {
		__sync_fetch_and_add(&lookup_nulls, 1);
		return 0;
	}
	b->pad[0] = 0xbad;
	__sync_fetch_and_add(&lookups, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
