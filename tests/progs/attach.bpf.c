// SPDX-License-Identifier: GPL-2.0
/* Programs for the library's attach API tests (test_attach.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"

typedef struct test_blob test_blob_t;

SEC("kprobe")
int on_kprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("kprobe.multi")
int on_kprobe_multi(struct pt_regs *ctx) { return touch(ctx); }
SEC("uprobe.multi")
int on_uprobe_multi(struct pt_regs *ctx) { return touch(ctx); }

/* Asks for its blob by the typedef's name, not the struct's. */
SEC("kprobe")
int on_typedef(struct pt_regs *ctx)
{
	test_blob_t *b;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	b = pals_get(ctx, test_blob_t);
	if (b)
		b->out = b->in + 1;
	return 0;
}

/* Loads with or without pals.ko: the kfunc call is dead code without. */
SEC("kprobe")
int on_guarded(struct pt_regs *ctx)
{
	if (!bpf_ksym_exists(bpf_pals_get))
		return 0;
	return touch(ctx);
}

char LICENSE[] SEC("license") = "GPL";
