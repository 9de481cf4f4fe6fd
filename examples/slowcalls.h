/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* slowcalls: the blob of one traced function, shared by both sides. */
#ifndef __SLOWCALLS_H
#define __SLOWCALLS_H

struct slowcalls_fn {
	char name[48];		/* the function, filled by the loader */
	__u64 threshold_ns;	/* a call this long or longer is slow */
	__u64 calls;		/* counted by the program */
	__u64 slow;
};

#endif /* __SLOWCALLS_H */
