// SPDX-License-Identifier: GPL-2.0
/* One source for both modes: the kfunc with pals.ko, the map without. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "pals.bpf.h"
#include "pals_session.bpf.h"
#include "fallback_blob.h"

int target_pid;
__u32 last_tag;
__u64 nulls;

static __always_inline int bump(struct fb_blob *b)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	if (!b) {
		__sync_fetch_and_add(&nulls, 1);
		return 0;
	}
	__sync_fetch_and_add(&b->hits, 1);
	last_tag = b->tag;
	return 0;
}

SEC("kprobe/__x64_sys_getpgid")
int on_kprobe(struct pt_regs *ctx)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("kprobe.multi/__x64_sys_getpgid")
int on_kprobe_multi(struct pt_regs *ctx)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("tp/syscalls/sys_enter_getpgid")
int on_tp(void *ctx)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("fentry/__x64_sys_getpgid")
int BPF_PROG(on_fentry)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("kretprobe/__x64_sys_getpgid")
int on_kretprobe(struct pt_regs *ctx)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("fexit/__x64_sys_getpgid")
int BPF_PROG(on_fexit)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("lsm/task_getpgid")
int BPF_PROG(on_lsm)
{
	bump(pals_get(ctx, struct fb_blob));
	return 0;
}

/* Cookies from 6.10: loaded on demand ("?"), see test kind_floor. */
SEC("?raw_tp/sys_enter")
int on_raw_tp(void *ctx)
{
	return bump(pals_get(ctx, struct fb_blob));
}

SEC("uprobe")
int on_uprobe(struct pt_regs *ctx)
{
	return bump(pals_get(ctx, struct fb_blob));
}

/*
 * kprobe.session from 6.10: loaded on demand, see test session_type. The
 * blob is counted at the return run.
 */
SEC("?kprobe.session/__x64_sys_getpgid")
int on_session(struct pt_regs *ctx)
{
	struct fb_blob *b = pals_get(ctx, struct fb_blob);
	__u64 *start = pals_session_cookie(ctx);

	if (!start || !pals_session_is_return(ctx))
		return 0;
	return bump(b);
}

/* The largest blob of the object: the map's values are sized for it. */
SEC("kprobe/__x64_sys_getpgid")
int on_big(struct pt_regs *ctx)
{
	struct fb_big *b = pals_get(ctx, struct fb_big);

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid || !b)
		return 0;
	b->last = b->bytes[sizeof(b->bytes) - 1];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
