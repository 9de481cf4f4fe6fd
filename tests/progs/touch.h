/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body the test programs share: for the test's process only, read the
 * blob's "in", write "out" = in + 1 and count the run, in the blob and in
 * globals the test reads through the skeleton.
 */
#ifndef __PALS_TEST_TOUCH_H
#define __PALS_TEST_TOUCH_H

#include "pals.bpf.h"
#include "test_blob.h"

int target_pid;
__u64 runs;
__u64 nulls;

/* The test process's blob, or NULL: another process, or none (counted). */
static __always_inline struct test_blob *touch_blob(void *ctx)
{
	struct test_blob *b;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return NULL;
	b = pals_get(ctx, struct test_blob);
	if (!b)
		__sync_fetch_and_add(&nulls, 1);
	return b;
}

static __always_inline int touch(void *ctx)
{
	struct test_blob *b = touch_blob(ctx);

	if (!b)
		return 0;
	b->out = b->in + 1;
	__sync_fetch_and_add(&b->runs, 1);
	__sync_fetch_and_add(&runs, 1);
	return 0;
}

#endif /* __PALS_TEST_TOUCH_H */
