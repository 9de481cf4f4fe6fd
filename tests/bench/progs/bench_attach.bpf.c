// SPDX-License-Identifier: GPL-2.0
/*
 * The programs the attach benchmark attaches N times, plain (a cookie)
 * and with PALS (a blob per attachment): a kprobe and a raw tracepoint,
 * each touching its attachment's blob as real users would.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "bench_cfg.h"

static __always_inline int touch(struct bench_cfg *c)
{
	if (c)
		c->out = c->a + c->b + c->c;
	return 0;
}

SEC("kprobe")
int on_kprobe(void *ctx)
{
	return touch(pals_get(ctx, struct bench_cfg));
}

SEC("raw_tp")
int on_raw_tp(void *ctx)
{
	return touch(pals_get(ctx, struct bench_cfg));
}

char LICENSE[] SEC("license") = "GPL";
