// SPDX-License-Identifier: GPL-2.0
/*
 * funclat: call counts and latency histograms per function, with no BPF
 * map. Each traced function has its own blob (struct funclat_fn).
 *
 * Where the kernel has session programs (kprobe.session 6.10+,
 * uprobe.session 6.13+), one program runs at entry and return of every
 * call and carries the entry time in the session cookie: every call the
 * kernel probes is timed, however many are in flight. Elsewhere an entry
 * program stores the time in a 64-slot table in the blob, indexed by
 * thread id, and a return program (whose blob holds the entry blob's
 * handle) takes it back: colliding threads lose calls (LOST).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <pals/pals.bpf.h>
#include <pals/pals_session.bpf.h>
#include "funclat.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Session programs' blobs are per-CPU (-C): each CPU counts into its own
 * copy, without atomics, and the tool sums the copies.
 */
const volatile bool percpu;

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

/* Whether the calling task is one @fn counts. */
static __always_inline bool match(const struct funclat_fn *fn)
{
	if (fn->tgid && (bpf_get_current_pid_tgid() >> 32) != fn->tgid)
		return false;
	return !fn->cgroup_id ||
	       bpf_get_current_ancestor_cgroup_id(fn->cgroup_level) == fn->cgroup_id;
}

/* *@p += @v: atomic on a shared blob, plain on this CPU's copy. */
static __always_inline void add(bool atomic, __u64 *p, __u64 v)
{
	if (atomic)
		__sync_fetch_and_add(p, v);
	else
		*p += v;
}

static __always_inline void account(struct funclat_fn *fn, __u64 ns,
				    bool atomic)
{
	__u64 unit = fn->unit_ns ? fn->unit_ns : 1;
	__u32 bucket = log2_u64(ns / unit);

	if (bucket >= FUNCLAT_BUCKETS)
		bucket = FUNCLAT_BUCKETS - 1;
	add(atomic, &fn->total_ns, ns);
	if (ns > fn->threshold_ns)
		add(atomic, &fn->slow, 1);
	if (ns > fn->max_ns)
		fn->max_ns = ns;	/* racy, and close enough */
	/* Last: a snapshot never shows a timed call without its total. */
	add(atomic, &fn->hist[bucket], 1);
}

/*
 * The return may run on another CPU than the entry (the task migrated
 * meanwhile): it counts on its own CPU's copy, the sum is the same.
 */
static __always_inline int session(void *ctx)
{
	struct funclat_fn *fn = percpu ? pals_get_percpu(ctx, struct funclat_fn) :
				pals_get(ctx, struct funclat_fn);
	__u64 *start = pals_session_cookie(ctx);

	if (!fn || !start)
		return 1;
	if (pals_session_is_return(ctx)) {
		account(fn, bpf_ktime_get_ns() - *start, !percpu);
		return 0;
	}
	if (!match(fn))
		return 1;	/* no return run */
	add(!percpu, &fn->calls, 1);
	*start = bpf_ktime_get_ns();
	return 0;
}

SEC("?kprobe.session")
int on_ksession(struct pt_regs *ctx) { return session(ctx); }

SEC("?uprobe.session")
int on_usession(struct pt_regs *ctx) { return session(ctx); }

static __always_inline int entry(void *ctx)
{
	struct funclat_table *t = pals_get(ctx, struct funclat_table);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funclat_call *call;

	if (!t || !match(&t->fn))
		return 0;
	__sync_fetch_and_add(&t->fn.calls, 1);
	if (!tid)	/* interrupting the idle task: not timed */
		return 0;
	call = &t->inflight[tid % FUNCLAT_INFLIGHT];
	call->start_ns = bpf_ktime_get_ns();
	call->tid = tid;
	return 0;
}

static __always_inline int ret(void *ctx)
{
	struct funclat_ret *r = pals_get(ctx, struct funclat_ret);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funclat_call *call;
	struct funclat_table *t;

	if (!r || !tid)
		return 0;
	t = pals_lookup(r->table, struct funclat_table);
	if (!t || !match(&t->fn))
		return 0;
	call = &t->inflight[tid % FUNCLAT_INFLIGHT];
	if (call->tid != tid) {
		/* Another thread with the same slot entered since. */
		__sync_fetch_and_add(&t->fn.lost, 1);
		return 0;
	}
	call->tid = 0;
	account(&t->fn, bpf_ktime_get_ns() - call->start_ns, true);
	return 0;
}

SEC("?kprobe.multi")
int on_kentry(struct pt_regs *ctx) { return entry(ctx); }

SEC("?kretprobe.multi")
int on_kreturn(struct pt_regs *ctx) { return ret(ctx); }

SEC("?uprobe.multi")
int on_uentry(struct pt_regs *ctx) { return entry(ctx); }

SEC("?uretprobe.multi")
int on_ureturn(struct pt_regs *ctx) { return ret(ctx); }
