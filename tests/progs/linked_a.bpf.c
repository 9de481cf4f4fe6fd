// SPDX-License-Identifier: GPL-2.0
/*
 * The first of two objects linked into one with bpftool gen object
 * (linked_b.bpf.c, test_linked.c): it declares the kfunc.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "touch.h"

SEC("kprobe")
int linked_a(struct pt_regs *ctx) { return touch(ctx); }

char LICENSE[] SEC("license") = "GPL";
