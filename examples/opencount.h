/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef __OPENCOUNT_H
#define __OPENCOUNT_H

struct open_cfg {
	__u32 uid;	/* set by the loader: count this user's opens */
	__u64 opens;	/* counted by the program */
};

#endif /* __OPENCOUNT_H */
