// SPDX-License-Identifier: GPL-2.0
/*
 * The attach-at-scale benchmark's programs (scale.c), each in a PALS
 * variant (the point's data in its blob) and a libbpf one (the cookie
 * indexes an ARRAY map): kprobe_multi and uprobe_multi check that the
 * data is the point's own (its address), USDT programs count each site's
 * argument, which their argument specs, the per-point data, fetch.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>
#include "pals.bpf.h"
#include "pals_usdt.bpf.h"
#include "scale.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);		/* N, set before load */
	__type(key, __u32);
	__type(value, struct scale_cfg);
} cfgs SEC(".maps");

__u64 good, bad;
__u32 seen[SCALE_SITES];

static __always_inline int check(void *ctx, const struct scale_cfg *c)
{
	if (c && c->ip == bpf_get_func_ip(ctx))
		__sync_fetch_and_add(&good, 1);
	else
		__sync_fetch_and_add(&bad, 1);
	return 0;
}

static __always_inline const struct scale_cfg *by_cookie(void *ctx)
{
	__u32 key = bpf_get_attach_cookie(ctx);

	return bpf_map_lookup_elem(&cfgs, &key);
}

SEC("kprobe.multi")
int km_pals(struct pt_regs *ctx)
{
	return check(ctx, pals_get(ctx, struct scale_cfg));
}

SEC("kprobe.multi")
int km_libbpf(struct pt_regs *ctx)
{
	return check(ctx, by_cookie(ctx));
}

SEC("uprobe.multi")
int um_pals(struct pt_regs *ctx)
{
	return check(ctx, pals_get(ctx, struct scale_cfg));
}

SEC("uprobe.multi")
int um_libbpf(struct pt_regs *ctx)
{
	return check(ctx, by_cookie(ctx));
}

static __always_inline int count(long site)
{
	if (site >= 0 && site < SCALE_SITES)
		__sync_fetch_and_add(&seen[site], 1);
	else
		__sync_fetch_and_add(&bad, 1);
	return 0;
}

SEC("usdt")
int PALS_USDT(usdt_pals, long site)
{
	return count(site);
}

SEC("usdt")
int BPF_USDT(usdt_libbpf, long site)
{
	return count(site);
}

char LICENSE[] SEC("license") = "GPL";
