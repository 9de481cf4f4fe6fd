// SPDX-License-Identifier: GPL-2.0
/*
 * The USDT argument fetch benchmark (usdt_bench.c): the same 6-argument
 * handler read with libbpf's BPF_USDT() and with PALS_USDT(), and an
 * empty handler for the fixed cost of running any program.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>
#include "pals_usdt.bpf.h"

__u64 sum;

SEC("usdt")
int BPF_USDT(bench_libbpf, long a0, long a1, long a2, long a3, long a4,
	     long a5)
{
	sum += a0 + a1 + a2 + a3 + a4 + a5;
	return 0;
}

SEC("usdt")
int PALS_USDT(bench_pals, long a0, long a1, long a2, long a3, long a4,
	      long a5)
{
	sum += a0 + a1 + a2 + a3 + a4 + a5;
	return 0;
}

SEC("usdt")
int bench_empty(struct pt_regs *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
