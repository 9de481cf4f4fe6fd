// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Batches: many blobs created, bound or deleted per request. A request is
 * one netlink message, so a batch is split into requests the socket's
 * send buffer can carry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/pals.h>

#include "fallback.h"
#include "link.h"
#include "log.h"
#include "nl.h"
#include "opts.h"
#include "libpals.h"

/* Room for the headers of a request beyond its elements. */
#define PALS_BATCH_HDR		256
/* Replies carry 8 bytes per element: 32 KiB at most. */
#define PALS_BATCH_MAX_CNT	4096
/* An element's bytes travel in one attribute, within a 16-bit nest. */
#define PALS_BATCH_ELEM_MAX	(PALS_DATA_CHUNK_MAX - 2 * MNL_ATTR_HDRLEN)

/* The largest request the socket takes (netlink_sendmsg()'s limit). */
static size_t pals_batch_msg_max(struct pals_ctx *ctx)
{
	int sndbuf = 0;
	socklen_t len = sizeof(sndbuf);

	if (getsockopt(mnl_socket_get_fd(ctx->nl), SOL_SOCKET, SO_SNDBUF,
		       &sndbuf, &len) || sndbuf < 4096)
		return 4096 - 32;
	return sndbuf - 32;
}

/* How many of @cnt items of @item bytes go in the next request. */
static size_t pals_batch_fit(struct pals_ctx *ctx, size_t cnt, size_t item)
{
	size_t n = (pals_batch_msg_max(ctx) - PALS_BATCH_HDR) / item;

	return n < cnt ? n : cnt;
}

/* Put @cnt handles in PALS_A_HANDLES attributes of at most 64 KiB. */
static void pals_batch_put_handles(struct nlmsghdr *nlh, const __u64 *handles,
				   size_t cnt)
{
	const size_t max = PALS_DATA_CHUNK_MAX / sizeof(__u64);
	size_t n;

	for (; cnt; handles += n, cnt -= n) {
		n = cnt < max ? cnt : max;
		mnl_attr_put(nlh, PALS_A_HANDLES, n * sizeof(__u64), handles);
	}
}

static size_t pals_batch_handles_space(size_t cnt)
{
	const size_t max = PALS_DATA_CHUNK_MAX / sizeof(__u64);

	return cnt * sizeof(__u64) + (cnt / max + 1) * MNL_ATTR_HDRLEN;
}

struct pals_handles_req {
	__u64 *handles;
	size_t cnt;		/* expected */
	size_t got;
};

static int pals_handles_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pals_handles_req *req = arg;
	struct nlattr *attr;
	size_t n;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PALS_A_HANDLES)
			continue;
		n = mnl_attr_get_payload_len(attr) / sizeof(__u64);
		if (n > req->cnt - req->got)
			n = req->cnt - req->got;
		memcpy(req->handles + req->got, mnl_attr_get_payload(attr),
		       n * sizeof(__u64));
		req->got += n;
	}
	return MNL_CB_OK;
}

/* Renumber the kernel's "PALS_A_ELEM i:" by the request's first element. */
static int pals_batch_blame(int err, size_t base)
{
	const char *msg = pals_last_error();
	unsigned int i;
	int off = 0;

	if (base && sscanf(msg, "PALS_A_ELEM %u: %n", &i, &off) == 1 && off)
		return pals_err(err, "PALS_A_ELEM %zu: %s", base + i, msg + off);
	return err;
}

static int pals_create_chunk(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
			     const char *data, size_t size, size_t cnt,
			     __u32 flags, __u64 *handles)
{
	struct pals_handles_req req = { handles, cnt, 0 };
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	size_t i;
	int err;

	nlh = pals_nl_msg(ctx->family, PALS_CMD_CREATE_BATCH, 0,
			  PALS_BATCH_HDR + cnt * pals_nl_data_space(size + MNL_ATTR_HDRLEN));
	if (nlh) {
		mnl_attr_put_u32(nlh, PALS_A_PROG_FD, prog_fd);
		mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, type_id);
		if (flags)
			mnl_attr_put_u32(nlh, PALS_A_FLAGS, flags);
		for (i = 0; i < cnt; i++) {
			nest = mnl_attr_nest_start(nlh, PALS_A_ELEM);
			mnl_attr_put(nlh, PALS_A_DATA, size, data + i * size);
			mnl_attr_nest_end(nlh, nest);
		}
	}
	err = pals_nl_talk(ctx, nlh, pals_handles_cb, &req);
	if (!err && req.got != cnt)
		err = pals_err(-EPROTO, "create batch: %zu handles for %zu blobs",
			       req.got, cnt);
	return err;
}

/* Blobs too large for a batch element, one request each. */
static int pals_create_each(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
			    const char *data, size_t size, size_t cnt,
			    const struct pals_create_opts *opts,
			    __u64 *handles)
{
	size_t i;
	int err;

	for (i = 0; i < cnt; i++) {
		err = pals_ctx__create(ctx, prog_fd, type_id, data + i * size,
				       size, opts, &handles[i]);
		if (err) {
			pals_ctx__delete_batch(ctx, handles, i);
			return err;
		}
	}
	return 0;
}

static int pals_create_batch(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
			     const void *data, size_t size, size_t cnt,
			     const struct pals_create_opts *opts, __u32 flags,
			     __u64 *handles)
{
	size_t done, n;
	int err;

	if (size > PALS_BATCH_ELEM_MAX)
		return pals_create_each(ctx, prog_fd, type_id, data, size, cnt,
					opts, handles);
	for (done = 0; done < cnt; done += n) {
		n = pals_batch_fit(ctx, cnt - done,
				   pals_nl_data_space(size + MNL_ATTR_HDRLEN));
		if (n > PALS_BATCH_MAX_CNT)
			n = PALS_BATCH_MAX_CNT;
		err = pals_create_chunk(ctx, prog_fd, type_id,
					(const char *)data + done * size, size,
					n, flags, handles + done);
		if (err) {
			err = pals_batch_blame(err, done);
			if (done)
				pals_ctx__delete_batch(ctx, handles, done);
			return err;
		}
	}
	return 0;
}

int pals_ctx_create_batch(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
			  const void *data, size_t size, size_t cnt,
			  const struct pals_create_opts *opts, __u64 *handles)
{
	__u32 flags = PALS_OPTS_GET(opts, flags, 0);
	void *zeros = NULL;
	int err;

	if (!PALS_OPTS_VALID(opts, pals_create_opts))
		return pals_err(-EINVAL, "pals_create_opts: unknown fields set");
	if (prog_fd < 0)
		return pals_err(-EBADF, "prog_fd: negative");
	if (!cnt || !handles)
		return pals_err(-EINVAL, "create batch: no blobs or handles");
	/* NULL data: zero-filled blobs, as pals_ctx__create() makes them. */
	if (!data) {
		data = zeros = calloc(cnt, size);
		if (!data)
			return pals_err(-ENOMEM, "create batch: %s", strerror(ENOMEM));
	}
	if (ctx->fb)
		err = pals_fb_create_batch(ctx->fb, prog_fd, type_id, data, size,
					   cnt, flags, handles);
	else
		err = pals_create_batch(ctx, prog_fd, type_id, data, size, cnt, opts,
				flags, handles);
	free(zeros);
	return err;
}

int pals_ctx__create_batch(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
			   const void *data, size_t size, size_t cnt,
			   const struct pals_create_opts *opts, __u64 *handles)
{
	/* The fallback's create names the program it finds no map of. */
	return (!ctx->fb ? pals_mode_check_fd(ctx, prog_fd, NULL) : 0) ?:
	       pals_ctx_create_batch(ctx, prog_fd, type_id, data, size, cnt,
				     opts, handles);
}


/* Run @cmd on @handles, as many per request as fit; 0 or the first error. */
static int pals_handles_cmd(struct pals_ctx *ctx, __u8 cmd, int link_fd,
			    const __u64 *handles, size_t cnt)
{
	struct nlmsghdr *nlh;
	size_t done, n;
	int err;

	for (done = 0; done < cnt; done += n) {
		n = pals_batch_fit(ctx, cnt - done, sizeof(__u64));
		nlh = pals_nl_msg(ctx->family, cmd, 0,
				  PALS_BATCH_HDR + pals_batch_handles_space(n));
		if (nlh) {
			if (link_fd >= 0)
				mnl_attr_put_u32(nlh, PALS_A_LINK_FD, link_fd);
			pals_batch_put_handles(nlh, handles + done, n);
		}
		err = pals_nl_talk(ctx, nlh, NULL, NULL);
		if (err)
			return err;
	}
	return 0;
}

int pals_ctx__bind_batch(struct pals_ctx *ctx, const __u64 *handles,
			 size_t cnt, int link_fd)
{
	if (link_fd < 0)
		return pals_err(-EBADF, "link_fd: negative");
	if (!cnt || !handles)
		return pals_err(-EINVAL, "bind batch: no handles");
	if (ctx->fb)
		return pals_fb_bind_batch(ctx->fb, handles, cnt, link_fd);
	return pals_handles_cmd(ctx, PALS_CMD_BIND_BATCH, link_fd, handles, cnt);
}

int pals_ctx__delete_batch(struct pals_ctx *ctx, const __u64 *handles,
			   size_t cnt)
{
	if (!cnt)
		return 0;
	if (!handles)
		return pals_err(-EINVAL, "delete batch: no handles");
	if (ctx->fb) {
		while (cnt--)
			pals_fb_delete(ctx->fb, handles[cnt]);
		return 0;
	}
	return pals_handles_cmd(ctx, PALS_CMD_DELETE_BATCH, -1, handles, cnt);
}

static int pals_count_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == PALS_A_COUNT &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			*(__u32 *)arg = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

int pals_ctx__delete_link(struct pals_ctx *ctx, __u32 link_id)
{
	struct nlmsghdr *nlh;
	__u32 cnt = 0;
	int err;

	if (ctx->fb)
		return pals_fb_delete_link(ctx->fb, link_id);
	nlh = pals_nl_msg(ctx->family, PALS_CMD_DELETE_LINK, 0, PALS_BATCH_HDR);
	if (nlh)
		mnl_attr_put_u32(nlh, PALS_A_LINK_ID, link_id);
	err = pals_nl_talk(ctx, nlh, pals_count_cb, &cnt);
	return err ? err : (int)cnt;
}
