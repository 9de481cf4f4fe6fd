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

/* What the teardown test's blobs hold; anything else is a freed blob. */
#define TEST_MAGIC 0x5eed5eed5eed5eedULL

__u64 bad;

/* Counts the blobs seen holding anything but TEST_MAGIC. */
SEC("kprobe.multi")
int on_check(struct pt_regs *ctx)
{
	struct test_blob *b = touch_blob(ctx);

	if (!b)
		return 0;
	if (b->in != TEST_MAGIC || b->pad[4] != TEST_MAGIC)
		__sync_fetch_and_add(&bad, 1);
	__sync_fetch_and_add(&runs, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
