// SPDX-License-Identifier: GPL-2.0
/*
 * The second object linked after linked_a.bpf.c: pals.bpf.h's workaround
 * for libbpf's linker before Linux 6.13 (PALS_BPF_KFUNC_ELSEWHERE).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define PALS_BPF_KFUNC_ELSEWHERE
#include "pals.bpf.h"
#include "test_blob.h"

extern int target_pid;

SEC("kprobe")
int linked_b(struct pt_regs *ctx)
{
	struct test_other *o;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	o = pals_get(ctx, struct test_other);
	if (o)
		o->v[1] = o->v[0] * 2;
	return 0;
}
