/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* funclat: the blobs shared by funclat.bpf.c and the tool. */
#ifndef __FUNCLAT_H
#define __FUNCLAT_H

#define FUNCLAT_NAME_LEN	64
#define FUNCLAT_BUCKETS		40	/* log2 of the latency in units */
#define FUNCLAT_INFLIGHT	64	/* fallback: calls in progress, by thread */

/*
 * One per traced function: its settings, written by the tool (or
 * palsctl update), and its counters, written by the programs. A call is
 * timed when its latency lands in hist[]: the tool derives TIMED from
 * the histogram, so both always agree.
 */
struct funclat_fn {
	char name[FUNCLAT_NAME_LEN];
	__u64 threshold_ns;	/* calls slower than this count as slow */
	__u64 unit_ns;		/* histogram unit: 1, 1000 or 1000000 */
	__u64 cgroup_id;	/* count only tasks under this cgroup (v2) */
	__u32 cgroup_level;	/* ... which is this deep */
	__u32 tgid;		/* count only this process; 0: all */
	__u64 calls;		/* entries counted */
	__u64 lost;		/* fallback: returns whose entry was overwritten */
	__u64 slow;
	__u64 total_ns;
	__u64 max_ns;
	__u64 hist[FUNCLAT_BUCKETS];
};

/* Fallback (no session programs): an entry table beside the counters. */
struct funclat_call {
	__u32 tid;
	__u32 pad;
	__u64 start_ns;
};

struct funclat_table {
	struct funclat_fn fn;
	struct funclat_call inflight[FUNCLAT_INFLIGHT];
};

/* Fallback, return side: the handle of the function's funclat_table. */
struct funclat_ret {
	__u64 table;
};

#endif /* __FUNCLAT_H */
