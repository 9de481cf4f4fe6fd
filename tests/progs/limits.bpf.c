// SPDX-License-Identifier: GPL-2.0
/*
 * For test_limits.c: a blob as large as max_size may be (1 MiB), whose
 * first and last bytes the program copies out, and the 64 KiB one of
 * progs/ctl.bpf.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"

#define LIMIT_SIZE	(1 << 20)

struct limit_blob {
	__u8 b[LIMIT_SIZE];
};

struct max_blob {
	__u8 b[65536];
};

int target_pid;
__u8 first, last;
__u64 runs;

SEC("kprobe/__x64_sys_getpgid")
int limits_big(struct pt_regs *ctx)
{
	struct limit_blob *l;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	l = pals_get(ctx, struct limit_blob);
	if (!l)
		return 0;
	first = l->b[0];
	last = l->b[LIMIT_SIZE - 1];
	runs++;
	return 0;
}

SEC("kprobe/__x64_sys_getpgid")
int limits_max(struct pt_regs *ctx)
{
	struct max_blob *m = pals_get(ctx, struct max_blob);

	return m ? m->b[0] : 0;
}

char LICENSE[] SEC("license") = "GPL";
