/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the attach-at-scale benchmark's programs and its driver. */
#ifndef __PALS_BENCH_SCALE_H
#define __PALS_BENCH_SCALE_H

/* One attach point's data, 64 bytes, as in the rest of make bench. */
struct scale_cfg {
	__u64 ip;		/* the point's address: what the program checks */
	__u64 pad[7];
};

/* Sites of the three USDT probes scale:s100, s1000, s10000 in all. */
#define SCALE_SITES	11100

#endif /* __PALS_BENCH_SCALE_H */
