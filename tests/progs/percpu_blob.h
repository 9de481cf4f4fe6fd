/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU blob types of progs/percpu.bpf.c and test_percpu.c. */
#ifndef __PALS_PERCPU_BLOB_H
#define __PALS_PERCPU_BLOB_H

struct percpu_blob {
	__u64 calls;		/* runs on this CPU */
	__u32 cpu;		/* the CPU the program ran on, + 1 */
	__u32 seed;		/* written by the test */
	__u64 hist[8];		/* by calls % 8 */
	char tag[8];		/* not summed */
};

/* 12 bytes: each CPU's copy padded to 16 in what userspace sees. */
struct percpu_small {
	__u32 a, b, c;
};

#endif /* __PALS_PERCPU_BLOB_H */
