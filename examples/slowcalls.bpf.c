// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * slowcalls: one kprobe.session program over many kernel functions. Each
 * function's blob holds its name, its own threshold (changed live with
 * palsctl) and its counts; the session cookie carries the entry time to
 * the return. docs/tutorial.md builds it step by step.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <pals/pals.bpf.h>
#include <pals/pals_session.bpf.h>
#include "slowcalls.h"

SEC("kprobe.session")
int on_call(struct pt_regs *ctx)
{
	struct slowcalls_fn *fn = pals_get(ctx, struct slowcalls_fn);
	__u64 *start = pals_session_cookie(ctx);

	if (!fn || !start)
		return 1;	/* no blob: skip the return */
	if (!pals_session_is_return(ctx)) {
		*start = bpf_ktime_get_ns();
		return 0;	/* run at the return too */
	}
	__sync_fetch_and_add(&fn->calls, 1);
	if (bpf_ktime_get_ns() - *start >= fn->threshold_ns)
		__sync_fetch_and_add(&fn->slow, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
