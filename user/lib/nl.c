// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Generic netlink plumbing: messages, requests, extended acks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pals.h>

#include "log.h"
#include "nl.h"

/* A zeroed request with room for @payload bytes of attributes. */
struct nlmsghdr *pals_nl_msg(__u16 type, __u8 cmd, __u16 flags, size_t payload)
{
	size_t len = MNL_ALIGN(sizeof(struct nlmsghdr)) +
		     MNL_ALIGN(sizeof(struct genlmsghdr)) + payload;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	void *buf;

	buf = calloc(1, len);
	if (!buf)
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = PALS_GENL_VERSION;
	return nlh;
}

size_t pals_nl_data_space(size_t size)
{
	size_t chunks = (size + PALS_DATA_CHUNK_MAX - 1) / PALS_DATA_CHUNK_MAX;

	return size + chunks * (MNL_ATTR_HDRLEN + MNL_ALIGNTO);
}

/* @size bytes from @data, or zeros if @data is NULL. */
void pals_nl_put_data(struct nlmsghdr *nlh, const void *data, size_t size)
{
	static char zeros[PALS_DATA_CHUNK_MAX];
	const char *p = data;
	size_t chunk;

	for (; size; p += data ? chunk : 0, size -= chunk) {
		chunk = size < PALS_DATA_CHUNK_MAX ? size : PALS_DATA_CHUNK_MAX;
		mnl_attr_put(nlh, PALS_A_DATA, chunk, data ? p : zeros);
	}
}

struct pals_nl_req {
	mnl_cb_t cb;
	void *arg;
	const char *extack;	/* the kernel's text, in the receive buffer */
	const char *what;	/* the step that failed, if not the request */
	bool acked;		/* the ack or the end of the dump was read */
	__u16 flags;		/* the request's */
};

static int pals_nl_ack_attr(const struct nlattr *attr, void *data)
{
	struct pals_nl_req *req = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		req->extack = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

static int pals_nl_data(const struct nlmsghdr *nlh, void *data)
{
	struct pals_nl_req *req = data;
	int ret = req->cb ? req->cb(nlh, req->arg) : MNL_CB_OK;

	/* Without NLM_F_ACK, the one reply is the whole answer. */
	if (ret == MNL_CB_OK && !(req->flags & (NLM_F_ACK | NLM_F_DUMP))) {
		req->acked = true;
		return MNL_CB_STOP;
	}
	return ret;
}

static int pals_nl_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct pals_nl_req *req = data;
	unsigned int off = sizeof(*err);

	req->acked = true;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, pals_nl_ack_attr, data);
	if (err->error) {
		errno = -err->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* The end of a dump carries its error code and, maybe, an extended ack. */
static int pals_nl_done(const struct nlmsghdr *nlh, void *data)
{
	struct pals_nl_req *req = data;
	int err;

	req->acked = true;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(err)))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(err), pals_nl_ack_attr, data);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/*
 * Receive the next datagram whole into ctx->buf, grown to its size first
 * (a GET or READ reply carries up to PALS_SIZE_LIMIT bytes of blob).
 */
static ssize_t pals_nl_recv(struct pals_ctx *ctx)
{
	int fd = mnl_socket_get_fd(ctx->nl);
	ssize_t n;
	char *buf;

	do
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n > ctx->buf_size) {
		buf = realloc(ctx->buf, n);
		if (!buf) {	/* drop it, the next one may fit */
			recv(fd, ctx->buf, ctx->buf_size, MSG_TRUNC);
			errno = ENOMEM;
			return -1;
		}
		ctx->buf = buf;
		ctx->buf_size = n;
	}
	return mnl_socket_recvfrom(ctx->nl, ctx->buf, ctx->buf_size);
}

/* Whether the @len bytes of ctx->buf hold the ack or end of request @seq. */
static bool pals_nl_has_ack(struct pals_ctx *ctx, int len, unsigned int seq)
{
	const struct nlmsghdr *nlh = (const void *)ctx->buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		if (nlh->nlmsg_seq == seq && (nlh->nlmsg_type == NLMSG_ERROR ||
					      nlh->nlmsg_type == NLMSG_DONE))
			return true;
	return false;
}

/*
 * After a failure before the ack of request @seq, with @n bytes of its
 * replies in ctx->buf: read and drop the rest up to the ack, so that the
 * next request does not take them for its own.
 */
static void pals_nl_drain(struct pals_ctx *ctx, ssize_t n, unsigned int seq)
{
	while (!pals_nl_has_ack(ctx, n, seq)) {
		n = pals_nl_recv(ctx);
		if (n < 0 && errno != ENOMEM)
			return;
	}
}

static int pals_nl_exchange(struct pals_ctx *ctx, struct nlmsghdr *nlh,
			    struct pals_nl_req *req)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = pals_nl_error,
		[NLMSG_DONE] = pals_nl_done,
	};
	unsigned int seq = ++ctx->seq;
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = seq;
	req->flags = nlh->nlmsg_flags;
	if (mnl_socket_sendto(ctx->nl, nlh, nlh->nlmsg_len) < 0) {
		req->what = "netlink send";
		return -errno;
	}
	do {
		n = pals_nl_recv(ctx);
		if (n < 0) {
			req->what = "netlink receive";
			ret = -errno;
			n = 0;
			break;
		}
		ret = mnl_cb_run2(ctx->buf, n, seq, ctx->portid, pals_nl_data,
				  req, ctl, NLMSG_MIN_TYPE);
		ret = ret < 0 ? -errno : ret;
	} while (ret == MNL_CB_OK);
	if (ret < 0 && !req->acked)
		pals_nl_drain(ctx, n, seq);
	return ret < 0 ? ret : 0;
}

static int pals_nl_request(struct pals_ctx *ctx, struct nlmsghdr *nlh,
			   mnl_cb_t cb, void *arg, bool quiet)
{
	struct pals_nl_req req = { .cb = cb, .arg = arg };
	int err;

	if (!nlh)
		return pals_err(-ENOMEM, "out of memory");
	pthread_mutex_lock(&ctx->lock);
	err = pals_nl_exchange(ctx, nlh, &req);
	if (err && !quiet && req.what)
		pals_err(err, "%s: %s", req.what, strerror(-err));
	else if (err && !quiet)	/* the extack is in ctx->buf: under the lock */
		pals_err(err, "%s", req.extack ? req.extack : strerror(-err));
	pthread_mutex_unlock(&ctx->lock);
	free(nlh);
	errno = -err;
	return err;
}

/*
 * Send @nlh (and free it), run @cb on each reply until the ack or the end
 * of the dump. A failure's text is the kernel's extended ack if any.
 */
int pals_nl_talk(struct pals_ctx *ctx, struct nlmsghdr *nlh,
		 mnl_cb_t cb, void *arg)
{
	return pals_nl_request(ctx, nlh, cb, arg, false);
}

int pals_nl_talk_quiet(struct pals_ctx *ctx, struct nlmsghdr *nlh,
		       mnl_cb_t cb, void *arg)
{
	return pals_nl_request(ctx, nlh, cb, arg, true);
}
