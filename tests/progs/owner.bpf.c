// SPDX-License-Identifier: GPL-2.0
/*
 * For test_owner.c: counts the test process's mutex_lock() calls on the
 * module's pals_mutex, to show which socket closes take it; and a program
 * to create blobs for.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "touch.h"

__u64 mutex_addr;	/* &pals_mutex, from /proc/kallsyms */
__u64 locks;

SEC("kprobe")
int BPF_KPROBE(on_mutex_lock, struct mutex *lock)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_pid &&
	    (__u64)lock == mutex_addr)
		__sync_fetch_and_add(&locks, 1);
	return 0;
}

SEC("kprobe/__x64_sys_getpgid")
int owner_prog(struct pt_regs *ctx)
{
	return touch(ctx);
}

char LICENSE[] SEC("license") = "GPL";
