// SPDX-License-Identifier: GPL-2.0
/*
 * funclat: call counts and latency histograms per kernel function, with
 * no BPF map. One kprobe_multi link enters every function, one
 * kretprobe_multi link leaves it; each function has its own blob on each
 * side, and the return blob holds the handle of the entry blob.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "pals.bpf.h"
#include "funclat.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xffffffffULL) << 5; v >>= s; r |= s;
	s = (v > 0xffffULL) << 4; v >>= s; r |= s;
	s = (v > 0xffULL) << 3; v >>= s; r |= s;
	s = (v > 0xfULL) << 2; v >>= s; r |= s;
	s = (v > 0x3ULL) << 1; v >>= s; r |= s;
	return r | (__u32)(v >> 1);
}

SEC("kprobe.multi")
int on_entry(struct pt_regs *ctx)
{
	struct funclat_fn *fn = pals_get(ctx, struct funclat_fn);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funclat_call *call;

	if (!fn)
		return 0;
	__sync_fetch_and_add(&fn->calls, 1);
	if (!tid)	/* interrupting the idle task: not timed */
		return 0;
	call = &fn->inflight[tid % FUNCLAT_INFLIGHT];
	call->start_ns = bpf_ktime_get_ns();
	call->tid = tid;
	return 0;
}

SEC("kretprobe.multi")
int on_return(struct pt_regs *ctx)
{
	struct funclat_ret *ret = pals_get(ctx, struct funclat_ret);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funclat_call *call;
	struct funclat_fn *fn;
	__u32 bucket;
	__u64 ns;

	if (!ret || !tid)
		return 0;
	fn = pals_lookup(ret->fn, struct funclat_fn);
	if (!fn)
		return 0;
	call = &fn->inflight[tid % FUNCLAT_INFLIGHT];
	if (call->tid != tid) {
		/* Another thread with the same slot entered since. */
		__sync_fetch_and_add(&fn->lost, 1);
		return 0;
	}
	call->tid = 0;
	ns = bpf_ktime_get_ns() - call->start_ns;
	__sync_fetch_and_add(&fn->timed, 1);
	__sync_fetch_and_add(&fn->total_ns, ns);
	bucket = log2_u64(ns);
	if (bucket >= FUNCLAT_BUCKETS)
		bucket = FUNCLAT_BUCKETS - 1;
	__sync_fetch_and_add(&fn->hist[bucket], 1);
	if (ns > fn->threshold_ns)
		__sync_fetch_and_add(&fn->slow, 1);
	if (ns > fn->max_ns)
		fn->max_ns = ns;	/* racy, and close enough */
	return 0;
}
