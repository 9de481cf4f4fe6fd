// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* pals_ctx: one netlink socket to the pals module and its commands. */
#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/pals.h>

#include "fallback.h"
#include "libpals.h"
#include "log.h"
#include "nl.h"
#include "opts.h"

static int pals_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			*(__u16 *)arg = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* @quiet: no message if the module is absent (the caller falls back). */
static int pals_family_resolve(struct pals_ctx *ctx, bool quiet)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = pals_nl_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
			  MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(PALS_GENL_NAME)));
	if (nlh) {
		((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PALS_GENL_NAME);
	}
	err = pals_nl_talk_quiet(ctx, nlh, pals_family_cb, &ctx->family);
	/* The kernel has already run modprobe for the family's alias. */
	if (err == -ENOENT && quiet)
		return err;
	if (err == -ENOENT)
		return pals_err(err, "pals.ko is not loaded and could not be loaded (no generic netlink family \"%s\"): modprobe pals, or install it for this kernel",
				PALS_GENL_NAME);
	if (err)
		return pals_err(err, "generic netlink family \"%s\": %s",
				PALS_GENL_NAME, strerror(-err));
	return 0;
}

/* A context in fallback mode: no socket, a table of blobs. */
static struct pals_ctx *pals_ctx_fallback(struct pals_ctx *ctx, int wanted)
{
	pals_mode_notice(wanted);
	if (ctx->nl)
		mnl_socket_close(ctx->nl);
	ctx->nl = NULL;
	ctx->fb = pals_fb_new();
	if (!ctx->fb) {
		pals_ctx__free(ctx);
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	return ctx;
}

struct pals_ctx *pals_ctx__new(const struct pals_ctx_opts *opts)
{
	struct pals_ctx *ctx;
	int one = 1, err, wanted;

	if (!PALS_OPTS_VALID(opts, pals_ctx_opts)) {
		errno = EINVAL;
		return NULL;
	}
	wanted = pals_mode_wanted(PALS_OPTS_GET(opts, mode, PALS_MODE_AUTO));
	if (wanted < 0)
		return NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	pthread_mutex_init(&ctx->lock, NULL);
	if (wanted == PALS_MODE_FALLBACK)
		return pals_ctx_fallback(ctx, wanted);
	ctx->buf = malloc(PALS_NL_RCVBUF);
	ctx->buf_size = PALS_NL_RCVBUF;
	ctx->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!ctx->buf || !ctx->nl) {
		pals_err(-errno, "netlink socket: %s", strerror(errno));
		goto err;
	}
	/* Errors return only the request header, and say why. */
	if (mnl_socket_setsockopt(ctx->nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(ctx->nl, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    mnl_socket_bind(ctx->nl, 0, MNL_SOCKET_AUTOPID)) {
		pals_err(-errno, "netlink socket: %s", strerror(errno));
		goto err;
	}
	ctx->portid = mnl_socket_get_portid(ctx->nl);
	err = pals_family_resolve(ctx, wanted == PALS_MODE_AUTO);
	if (err == -ENOENT && wanted == PALS_MODE_AUTO)
		return pals_ctx_fallback(ctx, wanted);
	if (err)
		goto err;
	return ctx;
err:
	err = errno;
	pals_ctx__free(ctx);
	errno = err;
	return NULL;
}

void pals_ctx__free(struct pals_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->nl)
		mnl_socket_close(ctx->nl);
	pals_fb_free(ctx->fb);
	free(ctx->buf);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

static struct pals_ctx *pals_default_ctx;
static pthread_mutex_t pals_default_lock = PTHREAD_MUTEX_INITIALIZER;

enum pals_mode pals_ctx__mode(const struct pals_ctx *ctx)
{
	return ctx->fb ? PALS_MODE_FALLBACK : PALS_MODE_MODULE;
}

struct pals_ctx *pals_ctx__default(void)
{
	PALS_OPTS(pals_ctx_opts, ctx_opts, .mode = pals_mode_default());
	struct pals_ctx *ctx;

	pthread_mutex_lock(&pals_default_lock);
	if (!pals_default_ctx)
		pals_default_ctx = pals_ctx__new(&ctx_opts);
	ctx = pals_default_ctx;
	pthread_mutex_unlock(&pals_default_lock);
	return ctx;
}

int pals_module__probe(void)
{
	struct pals_ctx *ctx = pals_ctx__default();

	if (!ctx)
		return -errno;
	if (ctx->fb)
		return pals_err(-ENOENT, "pals.ko is not loaded: the default context runs on the map fallback");
	return 0;
}

static struct nlmsghdr *pals_msg(struct pals_ctx *ctx, __u8 cmd, __u16 flags,
				 size_t payload)
{
	return pals_nl_msg(ctx->family, cmd, flags, payload + 256);
}

/*
 * A request answered by one reply that may carry a whole blob: no ack is
 * asked for, as the kernel would drop it (no room behind a 1 MiB reply in
 * the socket's receive buffer); a failure still comes as an error.
 */
static struct nlmsghdr *pals_msg_reply(struct pals_ctx *ctx, __u8 cmd)
{
	struct nlmsghdr *nlh = pals_msg(ctx, cmd, 0, 0);

	if (nlh)
		nlh->nlmsg_flags &= ~NLM_F_ACK;
	return nlh;
}

static int pals_info_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pals_blob_info *info = arg;
	struct nlattr *attr;

	memset(info, 0, sizeof(*info));
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case PALS_A_HANDLE:
			info->handle = mnl_attr_get_u64(attr);
			break;
		case PALS_A_PROG_ID:
			info->prog_id = mnl_attr_get_u32(attr);
			break;
		case PALS_A_LINK_ID:
			info->link_id = mnl_attr_get_u32(attr);
			break;
		case PALS_A_TYPE_ID:
			info->type_id = mnl_attr_get_u32(attr);
			break;
		case PALS_A_SIZE:
			info->size = mnl_attr_get_u32(attr);
			break;
		case PALS_A_OWNER_PID:
			info->owner_pid = mnl_attr_get_u32(attr);
			break;
		case PALS_A_FLAGS:
			info->flags = mnl_attr_get_u32(attr);
			break;
		}
	}
	return MNL_CB_OK;
}

int pals_ctx__create(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
		     const void *data, size_t size,
		     const struct pals_create_opts *opts, __u64 *handle)
{
	struct pals_blob_info info;
	struct nlmsghdr *nlh;
	int err;

	if (!PALS_OPTS_VALID(opts, pals_create_opts))
		return pals_err(-EINVAL, "pals_create_opts: unknown fields set");
	if (prog_fd < 0)
		return pals_err(-EBADF, "prog_fd: negative");
	if (ctx->fb)
		return pals_fb_create_batch(ctx->fb, prog_fd, type_id, data,
					    size, 1, PALS_OPTS_GET(opts, flags, 0),
					    handle);
	/* pals.ko would take a blob that a fallback program never finds. */
	err = pals_mode_check_fd(ctx, prog_fd, NULL);
	if (err)
		return err;
	nlh = pals_msg(ctx, PALS_CMD_CREATE, 0, pals_nl_data_space(size));
	if (nlh) {
		mnl_attr_put_u32(nlh, PALS_A_PROG_FD, prog_fd);
		mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, type_id);
		if (PALS_OPTS_GET(opts, flags, 0))
			mnl_attr_put_u32(nlh, PALS_A_FLAGS, opts->flags);
		pals_nl_put_data(nlh, data, size);
	}
	err = pals_nl_talk(ctx, nlh, pals_info_cb, &info);
	if (!err)
		*handle = info.handle;
	return err;
}

int pals_ctx__bind(struct pals_ctx *ctx, __u64 handle, int link_fd)
{
	struct nlmsghdr *nlh;

	if (link_fd < 0)
		return pals_err(-EBADF, "link_fd: negative");
	if (ctx->fb)
		return pals_fb_bind_batch(ctx->fb, &handle, 1, link_fd);
	nlh = pals_msg(ctx, PALS_CMD_BIND, 0, 0);
	if (nlh) {
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
		mnl_attr_put_u32(nlh, PALS_A_LINK_FD, link_fd);
	}
	return pals_nl_talk(ctx, nlh, NULL, NULL);
}

int pals_ctx__update(struct pals_ctx *ctx, __u64 handle, const void *data,
		     size_t size)
{
	struct nlmsghdr *nlh;

	if (ctx->fb)
		return pals_fb_update(ctx->fb, handle, data, size);
	nlh = pals_msg(ctx, PALS_CMD_UPDATE, 0, pals_nl_data_space(size));
	if (nlh) {
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
		pals_nl_put_data(nlh, data, size);
	}
	return pals_nl_talk(ctx, nlh, NULL, NULL);
}

int pals_ctx__write(struct pals_ctx *ctx, __u64 handle, size_t offset,
		    const void *data, size_t size)
{
	struct nlmsghdr *nlh;

	if (offset > UINT32_MAX)
		return pals_err(-EINVAL, "offset %zu past any blob", offset);
	if (ctx->fb)
		return pals_fb_write(ctx->fb, handle, offset, data, size);
	nlh = pals_msg(ctx, PALS_CMD_WRITE, 0, pals_nl_data_space(size));
	if (nlh) {
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
		mnl_attr_put_u32(nlh, PALS_A_OFFSET, offset);
		pals_nl_put_data(nlh, data, size);
	}
	return pals_nl_talk(ctx, nlh, NULL, NULL);
}

static int pals_handle_cmd(struct pals_ctx *ctx, __u8 cmd, __u64 handle)
{
	struct nlmsghdr *nlh = pals_msg(ctx, cmd, 0, 0);

	if (nlh)
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
	return pals_nl_talk(ctx, nlh, NULL, NULL);
}

int pals_ctx__delete(struct pals_ctx *ctx, __u64 handle)
{
	if (ctx->fb)
		return pals_fb_delete(ctx->fb, handle);
	return pals_handle_cmd(ctx, PALS_CMD_DELETE, handle);
}

int pals_ctx__pin(struct pals_ctx *ctx, __u64 handle)
{
	if (ctx->fb)
		return pals_fb_unsupported("pinning a blob past its process");
	return pals_handle_cmd(ctx, PALS_CMD_PIN, handle);
}

int pals_ctx__unpin(struct pals_ctx *ctx, __u64 handle)
{
	if (ctx->fb)
		return pals_fb_unsupported("unpinning a blob");
	return pals_handle_cmd(ctx, PALS_CMD_UNPIN, handle);
}

struct pals_get_req {
	struct pals_blob_info *info;
	char *data;
	size_t size;
};

static int pals_get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pals_get_req *req = arg;
	struct nlattr *attr;
	size_t off = 0, n;

	pals_info_cb(nlh, req->info);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PALS_A_DATA)
			continue;
		n = mnl_attr_get_payload_len(attr);
		if (req->data && off < req->size)
			memcpy(req->data + off, mnl_attr_get_payload(attr),
			       n < req->size - off ? n : req->size - off);
		off += n;
	}
	return MNL_CB_OK;
}

int pals_ctx__get(struct pals_ctx *ctx, __u64 handle,
		  struct pals_blob_info *info, void *data, size_t size)
{
	struct pals_blob_info tmp;
	struct pals_get_req req = { info ? info : &tmp, data, size };
	struct nlmsghdr *nlh;

	if (ctx->fb)
		return pals_fb_get(ctx->fb, handle, info, data, size);
	nlh = pals_msg_reply(ctx, PALS_CMD_GET);
	if (nlh)
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
	return pals_nl_talk(ctx, nlh, pals_get_cb, &req);
}

struct pals_read_req {
	pals_data_cb cb;
	void *arg;
	int ret;
};

/* A PALS_CMD_READ reply: its handle and its bytes, as one buffer. */
static int pals_read_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pals_read_req *req = arg;
	struct nlattr *attr;
	__u64 handle = 0;
	size_t len = 0;
	char *data, *p;

	if (req->ret)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == PALS_A_DATA)
			len += mnl_attr_get_payload_len(attr);
		else if (mnl_attr_get_type(attr) == PALS_A_HANDLE &&
			 mnl_attr_validate(attr, MNL_TYPE_U64) >= 0)
			handle = mnl_attr_get_u64(attr);
	}
	/* One attribute, the usual case: no copy. */
	data = p = len > PALS_DATA_CHUNK_MAX ? malloc(len) : NULL;
	if (len > PALS_DATA_CHUNK_MAX && !data) {
		req->ret = pals_err(-ENOMEM, "out of memory");
		return MNL_CB_OK;
	}
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != PALS_A_DATA)
			continue;
		if (!data) {
			p = mnl_attr_get_payload(attr);
			break;
		}
		memcpy(p, mnl_attr_get_payload(attr),
		       mnl_attr_get_payload_len(attr));
		p += mnl_attr_get_payload_len(attr);
	}
	req->ret = req->cb(handle, data ? data : p, len, req->arg);
	free(data);
	return MNL_CB_OK;
}

struct pals_read_one {
	void *data;
	size_t size;
};

static int pals_read_one_cb(__u64 handle, const void *data, size_t size,
			    void *arg)
{
	struct pals_read_one *one = arg;

	(void)handle;
	memcpy(one->data, data, size < one->size ? size : one->size);
	return 0;
}

int pals_ctx__read(struct pals_ctx *ctx, __u64 handle, size_t offset,
		   void *data, size_t size)
{
	struct pals_read_one one = { data, size };
	struct pals_read_req req = { pals_read_one_cb, &one, 0 };
	struct nlmsghdr *nlh;
	int err;

	if (!size || offset > UINT32_MAX || size > UINT32_MAX)
		return pals_err(-EINVAL, "%zu bytes at %zu: not in any blob",
				size, offset);
	if (ctx->fb)
		return pals_fb_read(ctx->fb, handle, offset, data, size);
	nlh = pals_msg_reply(ctx, PALS_CMD_READ);
	if (nlh) {
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
		mnl_attr_put_u32(nlh, PALS_A_OFFSET, offset);
		mnl_attr_put_u32(nlh, PALS_A_LENGTH, size);
	}
	err = pals_nl_talk(ctx, nlh, pals_read_cb, &req);
	return err ?: req.ret;
}

int pals_ctx__read_link(struct pals_ctx *ctx, __u32 link_id, pals_data_cb cb,
			void *arg)
{
	struct pals_read_req req = { cb, arg, 0 };
	struct nlmsghdr *nlh;
	int err;

	if (ctx->fb)
		return pals_fb_read_link(ctx->fb, link_id, cb, arg);
	nlh = pals_msg(ctx, PALS_CMD_READ, NLM_F_DUMP, 0);
	if (nlh && link_id)
		mnl_attr_put_u32(nlh, PALS_A_LINK_ID, link_id);
	err = pals_nl_talk(ctx, nlh, pals_read_cb, &req);
	return req.ret ? req.ret : err;
}

struct pals_dump_req {
	pals_blob_cb cb;
	void *arg;
	int ret;
};

static int pals_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pals_dump_req *req = arg;
	struct pals_blob_info info;

	/* Once the callback stops, the rest of the dump is read and dropped. */
	if (req->ret)
		return MNL_CB_OK;
	pals_info_cb(nlh, &info);
	req->ret = req->cb(&info, req->arg);
	return MNL_CB_OK;
}

int pals_ctx__for_each(struct pals_ctx *ctx, pals_blob_cb cb, void *arg)
{
	struct pals_dump_req req = { cb, arg, 0 };
	int err;

	if (ctx->fb)
		return pals_fb_for_each(ctx->fb, cb, arg);
	err = pals_nl_talk(ctx, pals_msg(ctx, PALS_CMD_GET, NLM_F_DUMP, 0),
			   pals_dump_cb, &req);
	return req.ret ? req.ret : err;
}

static int pals_stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct pals_stats *st = arg;
	__u64 *field = (__u64 *)st;	/* in attribute order up to overhead */
	struct nlattr *attr;
	int type;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		type = mnl_attr_get_type(attr);
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			continue;
		if (type >= PALS_A_STAT_BLOBS && type <= PALS_A_STAT_OVERHEAD)
			field[type - PALS_A_STAT_BLOBS] = mnl_attr_get_u64(attr);
		else if (type == PALS_A_STAT_SLOTS)
			st->slots = mnl_attr_get_u64(attr);
	}
	return MNL_CB_OK;
}

_Static_assert(offsetof(struct pals_stats, overhead) / sizeof(__u64) ==
	       PALS_A_STAT_OVERHEAD - PALS_A_STAT_BLOBS,
	       "struct pals_stats follows the PALS_A_STAT_* order");

/*
 * libpals 0.1's struct pals_stats ended before .slots: binaries built
 * against it keep calling pals_ctx__stats@LIBPALS_0.1, which fills only
 * what they have room for (libbpf's COMPAT_VERSION).
 */
__attribute__((visibility("default")))
int pals_ctx__stats_v0_1(struct pals_ctx *ctx, struct pals_stats *st);
__attribute__((visibility("default")))
int pals_ctx__stats_v0_2(struct pals_ctx *ctx, struct pals_stats *st);
__asm__(".symver pals_ctx__stats_v0_1, pals_ctx__stats@LIBPALS_0.1");
__asm__(".symver pals_ctx__stats_v0_2, pals_ctx__stats@@LIBPALS_0.2");

int pals_ctx__stats_v0_1(struct pals_ctx *ctx, struct pals_stats *st)
{
	struct pals_stats all;
	int err = pals_ctx__stats_v0_2(ctx, &all);

	if (!err)
		memcpy(st, &all, offsetof(struct pals_stats, slots));
	return err;
}

int pals_ctx__stats_v0_2(struct pals_ctx *ctx, struct pals_stats *st)
{
	if (ctx->fb)
		return pals_fb_stats(ctx->fb, st);
	memset(st, 0, sizeof(*st));
	return pals_nl_talk(ctx, pals_msg(ctx, PALS_CMD_STATS, 0, 0),
			    pals_stats_cb, st);
}
