/* SPDX-License-Identifier: GPL-2.0 */
/* The blob test_palsctl.c shows, updates and reads back with palsctl. */
#ifndef __PALS_TEST_PALSCTL_BLOB_H
#define __PALS_TEST_PALSCTL_BLOB_H

enum palsctl_mode {
	PALSCTL_MODE_OFF,
	PALSCTL_MODE_ON = 7,
};

struct palsctl_inner {
	__u32 depth;
	__s16 delta;
	__u8 enabled:1;
	__u8 level:3;
};

struct palsctl_blob {
	__u64 counter;			/* incremented by the program */
	__s32 offset;
	enum palsctl_mode mode;
	char name[16];
	struct palsctl_inner inner;
	__u32 slots[4];
};

#endif /* __PALS_TEST_PALSCTL_BLOB_H */
