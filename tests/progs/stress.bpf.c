// SPDX-License-Identifier: GPL-2.0
/*
 * The stress test's programs, on several attach kinds, sleepable uprobe
 * included: each checks that its blob is whole (never a mix of two
 * updates) and counts its reads. Driven by test_stress.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "stress_blob.h"

__u64 reads;
__u64 torn;
__u64 nulls;

static __always_inline int check(void *ctx)
{
	struct stress_blob *b = pals_get(ctx, struct stress_blob);

	if (!b) {
		__sync_fetch_and_add(&nulls, 1);
		return 0;
	}
	if (!stress_blob_whole(b))
		__sync_fetch_and_add(&torn, 1);
	__sync_fetch_and_add(&b->reads, 1);
	__sync_fetch_and_add(&reads, 1);
	return 0;
}

SEC("kprobe.multi")
int on_kprobe_multi(struct pt_regs *ctx) { return check(ctx); }
SEC("kprobe")
int on_kprobe(struct pt_regs *ctx) { return check(ctx); }
SEC("fentry/__x64_sys_getpgid")
int on_fentry(__u64 *ctx) { return check(ctx); }
SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_tracepoint(void *ctx) { return check(ctx); }
SEC("uprobe.s")
int on_uprobe_sleepable(struct pt_regs *ctx) { return check(ctx); }

char LICENSE[] SEC("license") = "GPL";
