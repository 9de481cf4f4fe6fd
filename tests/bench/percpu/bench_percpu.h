/* SPDX-License-Identifier: GPL-2.0 */
/* The counters bench_percpu.bpf.c keeps per attach point. */
#ifndef __PALS_BENCH_PERCPU_H
#define __PALS_BENCH_PERCPU_H

struct bench_counters {
	__u64 calls;
	__u64 sum;
	__u64 hist[8];
	__u64 last;
};

#endif /* __PALS_BENCH_PERCPU_H */
