/* SPDX-License-Identifier: GPL-2.0 */
/* Blob types shared by the test programs and the tests that drive them. */
#ifndef __PALS_TEST_BLOB_H
#define __PALS_TEST_BLOB_H

struct test_blob {
	__u64 in;	/* written by the test */
	__u64 out;	/* written by the program: in + 1 */
	__u64 runs;	/* incremented by the program */
	__u64 pad[5];	/* 64 bytes in all */
};

/* Same size as test_blob, another type. */
struct test_other {
	__u64 v[8];
};

#endif /* __PALS_TEST_BLOB_H */
