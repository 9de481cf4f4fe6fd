/* SPDX-License-Identifier: GPL-2.0 */
/* The blob of the session programs (session.bpf.c, test_session.c). */
#ifndef __PALS_SESSION_BLOB_H
#define __PALS_SESSION_BLOB_H

struct session_blob {
	__u64 base;		/* written by the test */
	__u64 entries;		/* entry runs */
	__u64 returns;		/* return runs */
	__u64 last_cookie;	/* the session cookie the last return run read */
	__u64 bad_cookies;	/* return runs whose cookie no entry stored */
	__u64 skip;		/* written by the test: the entry asks for no return */
};

#endif /* __PALS_SESSION_BLOB_H */
