// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct pals_link: one bpf_link and its blobs, made and freed together. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/pals.h>

#include "link.h"
#include "log.h"
#include "opts.h"

struct pals_link {
	struct pals_ctx *ctx;
	struct bpf_link *link;
	__u32 link_id;
	size_t cnt;
	__u64 handles[];
};

struct pals_ctx *pals_opts_ctx(const struct pals_attach_opts *opts)
{
	struct pals_ctx *ctx = PALS_OPTS_GET(opts, ctx, NULL);

	return ctx ? ctx : pals_ctx__default();
}

/* Delete the blobs of a half-made attachment, keeping the first error. */
static void pals_link_unwind(struct pals_link *pl, size_t created)
{
	int err = errno;

	pals_ctx__delete_batch(pl->ctx, pl->handles, created);
	bpf_link__destroy(pl->link);
	free(pl);
	errno = err;
}

struct pals_link *pals_link_attach(const struct bpf_program *prog,
				   const char *type, const void *data,
				   size_t size, size_t cnt,
				   const struct pals_attach_opts *opts,
				   pals_attach_fn attach, const void *arg)
{
	PALS_OPTS(pals_create_opts, create_opts);
	struct bpf_link_info info = {};
	__u32 info_len = sizeof(info);
	struct pals_link *pl;
	int id;

	if (!PALS_OPTS_VALID(opts, pals_attach_opts)) {
		pals_err(-EINVAL, "pals_attach_opts: unknown fields set");
		return NULL;
	}
	if (!cnt || (!data && size)) {
		pals_err(-EINVAL, "%s missing", cnt ? "blob data" : "attach points");
		return NULL;
	}
	id = pals_type_id(prog, type, size);
	if (id < 0)
		return NULL;
	pl = calloc(1, sizeof(*pl) + cnt * sizeof(pl->handles[0]));
	if (!pl) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	pl->cnt = cnt;
	pl->ctx = pals_opts_ctx(opts);
	if (!pl->ctx) {
		pals_link_unwind(pl, 0);
		return NULL;
	}
	create_opts.flags = PALS_OPTS_GET(opts, flags, 0);
	if (pals_ctx__create_batch(pl->ctx, bpf_program__fd(prog), id, data,
				   size, cnt, &create_opts, pl->handles)) {
		pals_link_unwind(pl, 0);
		return NULL;
	}
	pl->link = attach(prog, pl->handles, cnt, arg);
	if (!pl->link) {
		pals_err(-errno, "attaching program '%s': %s",
			 bpf_program__name(prog), strerror(errno));
		pals_link_unwind(pl, cnt);
		return NULL;
	}
	if (bpf_link_get_info_by_fd(bpf_link__fd(pl->link), &info, &info_len)) {
		pals_err(-errno, "link info: %s", strerror(errno));
		pals_link_unwind(pl, cnt);
		return NULL;
	}
	pl->link_id = info.id;
	if (pals_ctx__bind_batch(pl->ctx, pl->handles, cnt,
				 bpf_link__fd(pl->link))) {
		pals_link_unwind(pl, cnt);
		return NULL;
	}
	return pl;
}

struct bpf_link *pals_link__bpf_link(const struct pals_link *pl)
{
	return pl->link;
}

size_t pals_link__cnt(const struct pals_link *pl)
{
	return pl->cnt;
}

__u64 pals_link__handle(const struct pals_link *pl, size_t idx)
{
	return idx < pl->cnt ? pl->handles[idx] : 0;
}

static int pals_link_check_idx(const struct pals_link *pl, size_t idx)
{
	if (idx >= pl->cnt)
		return pals_err(-EINVAL, "blob index %zu out of range (%zu blobs)",
				idx, pl->cnt);
	return 0;
}

int pals_link__update(struct pals_link *pl, size_t idx, const void *data,
		      size_t size)
{
	return pals_link_check_idx(pl, idx) ?:
	       pals_ctx__update(pl->ctx, pl->handles[idx], data, size);
}

int pals_link__read(const struct pals_link *pl, size_t idx, void *data,
		    size_t size)
{
	struct pals_blob_info info;
	int err;

	err = pals_link_check_idx(pl, idx) ?:
	      pals_ctx__get(pl->ctx, pl->handles[idx], &info, data, size);
	if (!err && info.size != size)
		err = pals_err(-EINVAL, "blob %zu is %u bytes, but %zu were asked for",
			       idx, info.size, size);
	return err;
}

/* Run a command on every blob of @pl; stop at the first error. */
static int pals_link_each(struct pals_link *pl,
			  int (*cmd)(struct pals_ctx *ctx, __u64 handle))
{
	size_t i;
	int err;

	for (i = 0; i < pl->cnt; i++) {
		err = cmd(pl->ctx, pl->handles[i]);
		if (err)
			return err;
	}
	return 0;
}

int pals_link__pin(struct pals_link *pl)
{
	return pals_link_each(pl, pals_ctx__pin);
}

int pals_link__unpin(struct pals_link *pl)
{
	return pals_link_each(pl, pals_ctx__unpin);
}

/*
 * The blobs go first, in one request, while this process still holds the
 * link: the module's references are dropped then, so closing the link
 * detaches it right away and in this thread, as libbpf's destroy does. A
 * bpf_link_put() of the last reference from the module would instead
 * defer the detach to a kernel worker, after the call returned.
 */
int pals_link__destroy(struct pals_link *pl)
{
	int err, ret;

	if (!pl)
		return 0;
	err = pals_ctx__delete_link(pl->ctx, pl->link_id);
	/* None left: all pinned, or deleted already (by palsctl, say). */
	if (err > 0 || err == -ENOENT)
		err = 0;
	ret = bpf_link__destroy(pl->link);
	free(pl);
	return err ?: ret;
}
