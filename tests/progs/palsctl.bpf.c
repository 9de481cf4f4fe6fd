// SPDX-License-Identifier: GPL-2.0
/*
 * The program whose blobs test_palsctl.c inspects with palsctl: on
 * getpgid() from the test's process, count the call in the blob.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "palsctl_blob.h"

int target_pid;

static __always_inline int count(struct pt_regs *ctx)
{
	struct palsctl_blob *b = pals_get(ctx, struct palsctl_blob);

	if (b)
		__sync_fetch_and_add(&b->counter, 1);
	return 0;
}

SEC("kprobe")
int on_getpgid(struct pt_regs *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	return count(ctx);
}

/* One blob per function or place: palsctl shows each one's target. */
SEC("kprobe.multi")
int on_multi(struct pt_regs *ctx) { return count(ctx); }
SEC("uprobe.multi")
int on_umulti(struct pt_regs *ctx) { return count(ctx); }

char LICENSE[] SEC("license") = "GPL";
