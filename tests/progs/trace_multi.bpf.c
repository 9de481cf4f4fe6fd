// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing multi-link (7.x): one program per kind over several syscall
 * functions, a blob each. Driven by test_trace_multi.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"

SEC("fentry.multi")
int on_fentry_multi(__u64 *ctx) { return touch(ctx); }
SEC("fexit.multi")
int on_fexit_multi(__u64 *ctx) { return touch(ctx); }
/* Runs at entry and at return: twice per call. */
SEC("fsession.multi")
int on_fsession_multi(__u64 *ctx) { return touch(ctx); }

char LICENSE[] SEC("license") = "GPL";
