// SPDX-License-Identifier: GPL-2.0
/* The whole chain: a program that calls the module's kfunc loads and runs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "test_blob.h"

int target_pid;
int kfunc_exists;
__u64 runs;
__u64 nulls;

SEC("kprobe/__x64_sys_getpgid")
int smoke(struct pt_regs *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	kfunc_exists = bpf_ksym_exists(bpf_pals_get);
	__sync_fetch_and_add(&runs, 1);
	/* Attached without a cookie: there is no blob. */
	if (!pals_get(ctx, struct test_blob))
		__sync_fetch_and_add(&nulls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
