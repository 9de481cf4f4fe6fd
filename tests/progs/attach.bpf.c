// SPDX-License-Identifier: GPL-2.0
/* Programs for the library's attach API tests (test_attach.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"
#define PALS_USDT_OPTIONAL
#include "pals_usdt.bpf.h"

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

/* Asks for two types: its own blob and one it looks up by handle. */
SEC("kprobe")
int on_two_types(struct pt_regs *ctx)
{
	struct test_other *o;

	o = pals_lookup(bpf_get_attach_cookie(ctx) + 1, struct test_other);
	if (o)
		o->v[7]++;
	return touch(ctx);
}

/* Attached by pals_attach() where their sections say. */
SEC("kprobe/__x64_sys_getpgid")
int auto_kprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("kprobe.multi/__x64_sys_get[ps]*id")
int auto_multi(struct pt_regs *ctx) { return touch(ctx); }
SEC("tp/syscalls/sys_enter_getpgid")
int auto_tp(void *ctx) { return touch(ctx); }
SEC("uprobe//proc/self/exe:test_uprobe_target")
int auto_uprobe(struct pt_regs *ctx) { return touch(ctx); }
SEC("uprobe.multi//proc/self/exe:test_uprobe_[ot]*")
int auto_umulti(struct pt_regs *ctx) { return touch(ctx); }
SEC("uprobe.multi//proc/self/exe:test_no_such_function*")
int auto_umulti_none(struct pt_regs *ctx) { return touch(ctx); }

/* Never asks for a blob. */
SEC("kprobe")
int on_no_blob(struct pt_regs *ctx) { return 0; }

/* Loads with or without pals.ko: the kfunc call is dead code without. */
SEC("kprobe")
int on_guarded(struct pt_regs *ctx)
{
	if (!bpf_ksym_exists(bpf_pals_get))
		return 0;
	return touch(ctx);
}

/* Loads without pals.ko too: PALS_USDT_OPTIONAL. */
SEC("usdt")
int PALS_USDT(on_usdt_optional, long a)
{
	runs += a + pals_usdt_cookie(ctx);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
