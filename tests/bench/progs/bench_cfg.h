/* SPDX-License-Identifier: GPL-2.0 */
/* What every benchmark variant reads and writes: one attach point's data. */
#ifndef __PALS_BENCH_CFG_H
#define __PALS_BENCH_CFG_H

struct bench_cfg {
	__u64 a, b, c;		/* read by the program */
	__u64 out;		/* written by the program: a + b + c */
	__u64 pad[4];		/* 64 bytes in all */
};

/* Keys the rotating driver can hand out: 2^17 >= 100 000 attach points. */
#define BENCH_MAX_KEYS	(1U << 17)

#endif /* __PALS_BENCH_CFG_H */
