/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pals-bench, run in the guest: each part measures and appends JSON lines
 * ({"test": ..., "meter": ...}) to the output; tests/bench/run.sh on the
 * host turns them into the report.
 */
#ifndef __PALS_BENCH_H
#define __PALS_BENCH_H

#include <stdio.h>
#include <linux/types.h>

#include "bench_cfg.h"

/* The kprobe every variant is attached to, and its trigger. */
#define BENCH_FUNC	"__x64_sys_getpgid"

enum bench_meter {
	/*
	 * -icount shift=0: bpf_stats run_time_ns / run_cnt, the program
	 * body in guest instructions.
	 */
	BENCH_ICOUNT,
	/* plain TCG: triggers per second of wall-clock time. */
	BENCH_WALL,
};

struct bench {
	enum bench_meter meter;
	const char *meter_name;
	FILE *out;
	int rounds;
	long runs;		/* triggers per variant and round */
};

/* Enter getpgid() @n times. */
void bench_trigger(long n);
/* CLOCK_MONOTONIC in ns. */
__u64 bench_now_ns(void);
/* The bytes of every slab object in use, from /proc/slabinfo. */
long long bench_slab_bytes(void);
/* The pages of every vmalloc area, from /proc/vmallocinfo. */
long long bench_vmalloc_bytes(void);
/* fill @n cfgs with the content every variant reads */
void bench_cfg_fill(struct bench_cfg *cfg, __u32 n);

int bench_access(const struct bench *b);
int bench_attach(const struct bench *b);
int bench_memory(const struct bench *b);

#endif /* __PALS_BENCH_H */
