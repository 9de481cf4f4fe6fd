/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* funclat: the blobs shared by funclat.bpf.c and funclat.c. */
#ifndef __FUNCLAT_H
#define __FUNCLAT_H

#define FUNCLAT_NAME_LEN	64
#define FUNCLAT_BUCKETS		32	/* log2 of the latency in ns */
#define FUNCLAT_INFLIGHT	64	/* calls in progress, by thread id */

struct funclat_call {
	__u32 tid;
	__u32 pad;
	__u64 start_ns;
};

/* One per traced function: settings from the tool, counters from BPF. */
struct funclat_fn {
	char name[FUNCLAT_NAME_LEN];
	__u64 threshold_ns;	/* calls slower than this count as slow */
	__u64 calls;		/* entries */
	__u64 timed;		/* returns matched with their entry */
	__u64 lost;		/* returns whose entry slot was taken */
	__u64 slow;
	__u64 total_ns;
	__u64 max_ns;
	__u64 hist[FUNCLAT_BUCKETS];
	struct funclat_call inflight[FUNCLAT_INFLIGHT];
};

/* One per traced function on the return side: its entry blob. */
struct funclat_ret {
	__u64 fn;		/* handle of the function's struct funclat_fn */
};

#endif /* __FUNCLAT_H */
