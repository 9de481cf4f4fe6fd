// SPDX-License-Identifier: GPL-2.0
/* Programs and types for test_ctl.c, test_lifetime.c, test_module.c, test_netlink.c. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"

/* The largest blob the module takes by default (max_size), and one more. */
struct max_blob {
	__u8 b[65536];
};

struct over_blob {
	__u8 b[65540];
};

typedef const struct test_blob test_blob_t;

SEC("kprobe/__x64_sys_getpgid")
int ctl_a(struct pt_regs *ctx)
{
	struct max_blob *m = pals_get(ctx, struct max_blob);
	struct over_blob *o = pals_get(ctx, struct over_blob);
	test_blob_t *t = pals_get(ctx, test_blob_t);

	if (m && o && t)
		m->b[0] = o->b[0] + t->in;
	return touch(ctx);
}

SEC("kprobe/__x64_sys_getpgid")
int ctl_b(struct pt_regs *ctx)
{
	return touch(ctx);
}

SEC("kprobe.multi")
int ctl_multi(struct pt_regs *ctx)
{
	return touch(ctx);
}

/* Does not call the kfunc, so does not hold the module. */
SEC("kprobe/__x64_sys_getpgid")
int ctl_plain(struct pt_regs *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
