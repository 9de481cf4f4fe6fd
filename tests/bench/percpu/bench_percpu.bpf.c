// SPDX-License-Identifier: GPL-2.0
/*
 * Counters per attach point under contention: the same four counters in
 * a shared blob with atomics, in a per-CPU blob, and in a PERCPU_ARRAY
 * found by the cookie. One kprobe on __x64_sys_getpgid, attached with
 * one variant at a time. Driven by percpu_bench.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "bench_percpu.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_counters);
} counters SEC(".maps");

static __always_inline void count(struct bench_counters *c, __u64 v)
{
	c->calls++;
	c->sum += v;
	c->hist[v & 7]++;
	c->last = v;
}

SEC("kprobe/__x64_sys_getpgid")
int shared(struct pt_regs *ctx)
{
	struct bench_counters *c = pals_get(ctx, struct bench_counters);
	__u64 v = bpf_get_prandom_u32();

	if (!c)
		return 0;
	__sync_fetch_and_add(&c->calls, 1);
	__sync_fetch_and_add(&c->sum, v);
	__sync_fetch_and_add(&c->hist[v & 7], 1);
	c->last = v;
	return 0;
}

SEC("kprobe/__x64_sys_getpgid")
int percpu(struct pt_regs *ctx)
{
	struct bench_counters *c = pals_get_percpu(ctx, struct bench_counters);

	if (c)
		count(c, bpf_get_prandom_u32());
	return 0;
}

SEC("kprobe/__x64_sys_getpgid")
int percpu_array(struct pt_regs *ctx)
{
	__u32 key = bpf_get_attach_cookie(ctx);
	struct bench_counters *c = bpf_map_lookup_elem(&counters, &key);

	if (c)
		count(c, bpf_get_prandom_u32());
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
