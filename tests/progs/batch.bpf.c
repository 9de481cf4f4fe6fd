// SPDX-License-Identifier: GPL-2.0
/* Programs for the batch tests (test_batch.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"

SEC("kprobe.multi")
int on_kprobe_multi(struct pt_regs *ctx) { return touch(ctx); }

/* Another program, and struct test_other in the object's BTF. */
SEC("kprobe.multi")
int on_other(struct pt_regs *ctx)
{
	struct test_other *o = pals_get(ctx, struct test_other);

	if (o)
		o->v[0]++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
