/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic netlink plumbing of a pals_ctx. */
#ifndef __LIBPALS_NL_H
#define __LIBPALS_NL_H

#include <pthread.h>
#include <libmnl/libmnl.h>
#include <linux/types.h>

/* The receive buffer's first size; it grows to the largest reply seen. */
#define PALS_NL_RCVBUF	32768

struct pals_ctx {
	struct mnl_socket *nl;
	__u32 portid;
	__u16 family;
	pthread_mutex_t lock;	/* one request at a time: seq, buf */
	__u32 seq;
	char *buf;		/* receive buffer, @buf_size bytes */
	size_t buf_size;
	struct pals_fb *fb;	/* fallback mode (fallback.h): no socket */
};

struct nlmsghdr *pals_nl_msg(__u16 type, __u8 cmd, __u16 flags, size_t payload);
int pals_nl_talk(struct pals_ctx *ctx, struct nlmsghdr *nlh,
		 mnl_cb_t cb, void *arg);
/* pals_nl_talk() without an error message: the caller gives one. */
int pals_nl_talk_quiet(struct pals_ctx *ctx, struct nlmsghdr *nlh,
		       mnl_cb_t cb, void *arg);
void pals_nl_put_data(struct nlmsghdr *nlh, const void *data, size_t size);
size_t pals_nl_data_space(size_t size);

#endif /* __LIBPALS_NL_H */
