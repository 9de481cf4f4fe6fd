// SPDX-License-Identifier: GPL-2.0
/*
 * Kprobes that look a blob up by whatever cookie test_handles.c gives:
 * as struct test_blob, and with type id 0 and size 0, which no blob has
 * but the table's empty slots would match if they were not built to fail
 * on their handle.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "touch.h"

SEC("kprobe")
int on_getpgid(struct pt_regs *ctx) { return touch(ctx); }

SEC("kprobe")
int on_getpgid_void(struct pt_regs *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	if (bpf_pals_get(bpf_get_attach_cookie(ctx), 0, 0))
		__sync_fetch_and_add(&runs, 1);
	else
		__sync_fetch_and_add(&nulls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
