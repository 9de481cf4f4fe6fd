// SPDX-License-Identifier: GPL-2.0
/*
 * One program per attach kind, all with the same body: read the blob's
 * "in", write "out" = in + 1. Driven by test_kinds.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "touch.h"

__u64 type_mismatch_nulls;
__u64 size_mismatch_nulls;

SEC("kprobe")
int on_kprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("kretprobe")
int on_kretprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("kprobe.multi")
int on_kprobe_multi(struct pt_regs *ctx) { return touch(ctx); }
SEC("uprobe")
int on_uprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("uretprobe")
int on_uretprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("uprobe.s")
int on_uprobe_sleepable(struct pt_regs *ctx) { return touch(ctx); }
SEC("uprobe.multi")
int on_uprobe_multi(struct pt_regs *ctx) { return touch(ctx); }
SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_tracepoint(void *ctx) { return touch(ctx); }
SEC("raw_tp")
int on_raw_tp(struct bpf_raw_tracepoint_args *ctx) { return touch(ctx); }
SEC("tp_btf/sys_enter")
int on_tp_btf(__u64 *ctx) { return touch(ctx); }
SEC("perf_event")
int on_perf_event(struct bpf_perf_event_data *ctx) { return touch(ctx); }
SEC("fentry/__x64_sys_getpgid")
int on_fentry(__u64 *ctx) { return touch(ctx); }
SEC("fexit/__x64_sys_getpgid")
int on_fexit(__u64 *ctx) { return touch(ctx); }
SEC("fmod_ret/security_task_getpgid")
int on_fmod_ret(__u64 *ctx) { return touch(ctx); }
SEC("lsm/task_getpgid")
int on_lsm(__u64 *ctx) { return touch(ctx); }

/* A blob asked for with another type, or another size, is not handed out. */
SEC("kprobe")
int on_mismatch(struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	if (!__pals_get(cookie, bpf_core_type_id_local(struct test_other),
			sizeof(struct test_blob)))
		__sync_fetch_and_add(&type_mismatch_nulls, 1);
	if (!__pals_get(cookie, bpf_core_type_id_local(struct test_blob),
			sizeof(struct test_blob) - 8))
		__sync_fetch_and_add(&size_mismatch_nulls, 1);
	return touch(ctx);
}

/* Attached per cgroup, without a cookie: no blob. Loaded on demand ("?"). */
SEC("?lsm_cgroup/socket_bind")
int BPF_PROG(no_cookie_lsm_cgroup, struct socket *sock, struct sockaddr *address,
	     int addrlen)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
