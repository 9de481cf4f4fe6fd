// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct pals_link: one bpf_link and its blobs, made and freed together. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/pals.h>

#include "bpf_compat.h"
#include "fallback.h"
#include "link.h"
#include "log.h"
#include "opts.h"

struct pals_link {
	struct pals_ctx *ctx;
	struct bpf_link *link;	/* libbpf's, until handed out; NULL if none */
	struct bpf_link *given;	/* handed out: the caller's, never touched */
	int fd;			/* the link's: link's, or our own */
	struct bpf_link **more;	/* more links of the blobs (USDT per site) */
	size_t nr_more;
	size_t size;			/* of each blob */
	char **names;			/* blob i's function or symbol, or NULL */
	unsigned long *offsets;		/* blob i's file offset, or NULL */
	__u32 link_id;
	size_t cnt;
	__u64 handles[];
};

struct pals_ctx *pals_opts_ctx(const struct pals_attach_opts *opts)
{
	struct pals_ctx *ctx = PALS_OPTS_GET(opts, ctx, NULL);

	return ctx ? ctx : pals_ctx__default();
}

static int pals_link_close(struct pals_link *pl)
{
	size_t i;

	for (i = 0; i < pl->nr_more; i++)
		bpf_link__destroy(pl->more[i]);
	if (pl->link)
		return bpf_link__destroy(pl->link);
	return pl->fd >= 0 ? close(pl->fd) : 0;
}

static void pals_link_free(struct pals_link *pl)
{
	size_t i;

	for (i = 0; pl->names && i < pl->cnt; i++)
		free(pl->names[i]);
	free(pl->names);
	free(pl->offsets);
	free(pl->more);
	free(pl);
}

void pals_link_adopt(struct pals_link *pl, struct bpf_link **more, size_t cnt)
{
	pl->more = more;
	pl->nr_more = cnt;
}

/* Delete the blobs of a half-made attachment, keeping the first error. */
static void pals_link_unwind(struct pals_link *pl, size_t created)
{
	int err = errno;

	pals_ctx__delete_batch(pl->ctx, pl->handles, created);
	pals_link_close(pl);
	pals_link_free(pl);
	errno = err;
}

struct pals_link *pals_link_targets(struct pals_link *pl,
				    const char *const *names,
				    const unsigned long *offsets)
{
	size_t i;

	if (!pl)
		return NULL;
	if (names) {
		pl->names = calloc(pl->cnt, sizeof(*pl->names));
		for (i = 0; pl->names && i < pl->cnt; i++) {
			pl->names[i] = strdup(names[i]);
			if (!pl->names[i])
				goto nomem;
		}
		if (!pl->names)
			goto nomem;
	}
	if (offsets) {
		pl->offsets = calloc(pl->cnt, sizeof(*pl->offsets));
		if (!pl->offsets)
			goto nomem;
		memcpy(pl->offsets, offsets, pl->cnt * sizeof(*offsets));
	}
	return pl;
nomem:
	pals_link__destroy(pl);
	pals_err(-ENOMEM, "out of memory");
	return NULL;
}

int pals_link__find(const struct pals_link *pl, const char *name)
{
	size_t i;

	for (i = 0; name && pl->names && i < pl->cnt; i++)
		if (!strcmp(pl->names[i], name))
			return i;
	return pals_err(-ENOENT, "no blob of the link is attached at '%s'",
			name ? name : "(null)");
}

int pals_link__find_offset(const struct pals_link *pl, unsigned long offset)
{
	size_t i;

	for (i = 0; pl->offsets && i < pl->cnt; i++)
		if (pl->offsets[i] == offset)
			return i;
	return pals_err(-ENOENT, "no blob of the link is attached at file offset %#lx",
			offset);
}

static struct pals_link *pals_link_make(const struct bpf_program *prog,
					const char *type, const void *data,
					size_t size, size_t cnt,
					const struct pals_attach_opts *opts,
					pals_attach_fn attach,
					pals_attach_fd_fn attach_fd,
					const void *arg)
{
	PALS_OPTS(pals_create_opts, create_opts);
	struct bpf_link_info info = {};
	__u32 info_len = sizeof(info);
	struct pals_link *pl;
	ssize_t bytes;
	int id;

	if (!PALS_OPTS_VALID(opts, pals_attach_opts)) {
		pals_err(-EINVAL, "pals_attach_opts: unknown fields set");
		return NULL;
	}
	if (!cnt || (data && !size)) {
		pals_err(-EINVAL, "%s missing", cnt ? "blob size" : "attach points");
		return NULL;
	}
	pl = calloc(1, sizeof(*pl) + cnt * sizeof(pl->handles[0]));
	if (!pl) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	pl->cnt = cnt;
	pl->fd = -1;
	/* No module: say that first, whatever the program looks like. */
	pl->ctx = pals_opts_ctx(opts);
	id = pl->ctx ? pals_type_lookup(prog, type, &size) : -1;
	if (id >= 0 && pals_mode_check(pl->ctx, prog))
		id = -1;
	if (id < 0) {
		pals_link_unwind(pl, 0);
		return NULL;
	}
	create_opts.flags = PALS_OPTS_GET(opts, flags, 0);
	/* A per-CPU blob's bytes are every CPU's copy (see libpals.h). */
	bytes = create_opts.flags & PALS_F_PERCPU ? pals_percpu__bytes(size) :
		(ssize_t)size;
	pl->size = bytes;
	if (bytes < 0 ||
	    pals_ctx_create_batch(pl->ctx, bpf_program__fd(prog), id, data,
				  size, cnt, &create_opts, pl->handles)) {
		pals_link_unwind(pl, 0);
		return NULL;
	}
	if (attach_fd) {
		pl->fd = attach_fd(prog, pl->handles, cnt, arg);
		if (pl->fd < 0) {
			pals_link_unwind(pl, cnt);
			return NULL;
		}
	} else {
		pl->link = attach(prog, pl->handles, cnt, arg);
		if (!pl->link) {
			pals_link_unwind(pl, cnt);
			return NULL;
		}
		pl->fd = bpf_link__fd(pl->link);
	}
	if (bpf_link_get_info_by_fd(pl->fd, &info, &info_len)) {
		pals_err(-errno, "link info: %s", strerror(errno));
		pals_link_unwind(pl, cnt);
		return NULL;
	}
	pl->link_id = info.id;
	if (pals_ctx__bind_batch(pl->ctx, pl->handles, cnt, pl->fd)) {
		pals_link_unwind(pl, cnt);
		return NULL;
	}
	return pl;
}

struct pals_link *pals_link_attach(const struct bpf_program *prog,
				   const char *type, const void *data,
				   size_t size, size_t cnt,
				   const struct pals_attach_opts *opts,
				   pals_attach_fn attach, const void *arg)
{
	return pals_link_make(prog, type, data, size, cnt, opts, attach, NULL,
			      arg);
}

struct pals_link *pals_link_attach_fd(const struct bpf_program *prog,
				      const char *type, const void *data,
				      size_t size, size_t cnt,
				      const struct pals_attach_opts *opts,
				      pals_attach_fd_fn attach, const void *arg)
{
	return pals_link_make(prog, type, data, size, cnt, opts, NULL, attach,
			      arg);
}

void pals_attach_err(const struct bpf_program *prog, const char *hint,
		     const char *target, ...)
{
	char where[256];
	va_list args;
	int err = errno;

	va_start(args, target);
	vsnprintf(where, sizeof(where), target, args);
	va_end(args);
	pals_err(-err, "attaching program '%s' to %s: %s%s%s%s",
		 bpf_program__name(prog), where, strerror(err),
		 hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
}

int pals_attach_check_kind(const struct bpf_program *prog, bool multi,
			   const char *kind)
{
	enum bpf_attach_type type = bpf_program__expected_attach_type(prog);
	bool is_multi = type == BPF_TRACE_KPROBE_MULTI ||
			type == BPF_TRACE_UPROBE_MULTI ||
			(int)type == PALS_TRACE_KPROBE_SESSION ||
			(int)type == PALS_TRACE_UPROBE_SESSION;

	if (bpf_program__type(prog) != BPF_PROG_TYPE_KPROBE || multi == is_multi)
		return 0;
	return pals_err(-EINVAL, "program '%s' is in section '%s': attach it with pals_attach_%s%s(), or put it in SEC(\"%s%s\")",
			bpf_program__name(prog), bpf_program__section_name(prog),
			kind, multi ? "" : "_multi", kind, multi ? ".multi" : "");
}

/*
 * Hand the libbpf link over, keeping a duplicate of its fd: whatever the
 * caller then does with it (bpf_link__destroy() included) cannot reach
 * @pl, which uses its own fd and never touches the link again.
 */
struct bpf_link *pals_link__bpf_link(struct pals_link *pl)
{
	int fd;

	if (pl->given || !pl->link)
		return pl->given;
	fd = fcntl(pl->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		pals_err(-errno, "link fd: %s", strerror(errno));
		return NULL;
	}
	pl->given = pl->link;
	pl->link = NULL;
	pl->fd = fd;
	return pl->given;
}

int pals_link__fd(const struct pals_link *pl)
{
	return pl->fd;
}

size_t pals_link__cnt(const struct pals_link *pl)
{
	return pl->cnt;
}

__u64 pals_link__handle(const struct pals_link *pl, size_t idx)
{
	return idx < pl->cnt ? pl->handles[idx] : 0;
}

/* Blob @idx exists and @off + @size bytes fit in it (@size 0: all). */
static int pals_link_check(const struct pals_link *pl, size_t idx, size_t off,
			   size_t size, bool whole)
{
	if (idx >= pl->cnt)
		return pals_err(-EINVAL, "blob index %zu out of range (%zu blobs)",
				idx, pl->cnt);
	if (whole && size != pl->size)
		return pals_err(-EINVAL, "blob %zu is %zu bytes, but %zu were given",
				idx, pl->size, size);
	if (!size || off > pl->size || size > pl->size - off)
		return pals_err(-EINVAL, "blob %zu is %zu bytes: bytes %zu..%zu are not in it",
				idx, pl->size, off, off + size);
	return 0;
}

/* A command's failure on blob @idx, in the link's words. */
static int pals_link_err(const struct pals_link *pl, size_t idx, int err)
{
	if (err == -ENOENT)
		return pals_err(err, "blob %zu (handle %#llx) is gone: deleted, by palsctl maybe",
				idx, (unsigned long long)pl->handles[idx]);
	return err;
}

int pals_link__update(struct pals_link *pl, size_t idx, const void *data,
		      size_t size)
{
	return pals_link_check(pl, idx, 0, size, true) ?:
	       pals_link_err(pl, idx, pals_ctx__update(pl->ctx, pl->handles[idx],
						       data, size));
}

int pals_link__read(const struct pals_link *pl, size_t idx, void *data,
		    size_t size)
{
	return pals_link_check(pl, idx, 0, size, true) ?:
	       pals_link_err(pl, idx, pals_ctx__get(pl->ctx, pl->handles[idx],
						    NULL, data, size));
}

int pals_link__write(struct pals_link *pl, size_t idx, size_t offset,
		     const void *data, size_t size)
{
	return pals_link_check(pl, idx, offset, size, false) ?:
	       pals_link_err(pl, idx, pals_ctx__write(pl->ctx, pl->handles[idx],
						      offset, data, size));
}

int pals_link__read_range(const struct pals_link *pl, size_t idx,
			  size_t offset, void *data, size_t size)
{
	return pals_link_check(pl, idx, offset, size, false) ?:
	       pals_link_err(pl, idx, pals_ctx__read(pl->ctx, pl->handles[idx],
						     offset, data, size));
}

struct pals_read_all {
	const struct pals_link *pl;
	char *data;
	size_t found;
};

static int pals_read_all_cb(__u64 handle, const void *data, size_t size,
			    void *arg)
{
	struct pals_read_all *all = arg;
	const struct pals_link *pl = all->pl;
	size_t i;

	/* Blobs come in slot order, mostly the order they were made in. */
	for (i = 0; i < pl->cnt; i++) {
		if (pl->handles[(all->found + i) % pl->cnt] != handle)
			continue;
		i = (all->found + i) % pl->cnt;
		memcpy(all->data + i * pl->size, data,
		       size < pl->size ? size : pl->size);
		all->found++;
		return 0;
	}
	return 0;
}

int pals_link__read_all(const struct pals_link *pl, void *data, size_t size)
{
	struct pals_read_all all = { pl, data, 0 };
	int err;

	if (size != pl->cnt * pl->size)
		return pals_err(-EINVAL, "%zu blobs of %zu bytes are %zu bytes, but %zu were given",
				pl->cnt, pl->size, pl->cnt * pl->size, size);
	err = pals_ctx__read_link(pl->ctx, pl->link_id, pals_read_all_cb, &all);
	if (!err && all.found != pl->cnt)
		err = pals_err(-ENOENT, "%zu of the link's %zu blobs are gone: deleted, by palsctl maybe",
			       pl->cnt - all.found, pl->cnt);
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
 * The link goes first: the module holds its file while blobs are bound,
 * so closing it here detaches nothing, and deleting the link's blobs then
 * drops the file's last reference inside that one request, which releases
 * the link (its probes stop) before the blobs are unpublished and freed,
 * and before the call returns, as libbpf's destroy does.
 */
int pals_link__destroy(struct pals_link *pl)
{
	int err, ret;

	if (!pl)
		return 0;
	ret = pals_link_close(pl);
	err = pals_ctx__delete_link(pl->ctx, pl->link_id);
	/* None left: all pinned, or deleted already (by palsctl, say). */
	if (err > 0 || err == -ENOENT)
		err = 0;
	pals_link_free(pl);
	return err ?: ret;
}
