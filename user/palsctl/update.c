// SPDX-License-Identifier: GPL-2.0
/*
 * palsctl update: replace a blob's bytes with a file's, or stdin's, or
 * write members by name in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pals.h>

#include "palsctl.h"

/* Read all of @f into a new buffer *@buf of *@len bytes. */
static int read_all(FILE *f, __u8 **buf, size_t *len)
{
	size_t cap = 4096, n;
	__u8 *p, *tmp;

	*len = 0;
	p = malloc(cap);
	if (!p)
		return -ENOMEM;
	while ((n = fread(p + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (*len < cap)
			continue;
		tmp = realloc(p, cap * 2);
		if (!tmp) {
			free(p);
			return -ENOMEM;
		}
		p = tmp;
		cap *= 2;
	}
	if (ferror(f)) {
		free(p);
		return -EIO;
	}
	*buf = p;
	return 0;
}

static int read_input(const char *path, __u8 **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	int err;

	if (!f)
		return p_err("%s: %s", path, strerror(errno));
	err = read_all(f, buf, len);
	if (f != stdin)
		fclose(f);
	if (err)
		return p_err("%s: %s", path, strerror(-err));
	return EXIT_OK;
}

/* Each ".member=value" of @argv, written in place, in order. */
static int update_members(struct pals_ctx *ctx, __u64 handle, int argc,
			  char **argv)
{
	static __u8 buf[PALSCTL_VALUE_MAX];
	struct pals_blob_info info;
	struct blob_desc d;
	__u32 off, size;
	size_t at, stride;
	ssize_t bytes;
	int i, err;

	if (pals_ctx__get(ctx, handle, &info, NULL, 0))
		return p_pals_err();
	blob_describe(&info, &d);
	if (!d.btf)
		return p_err("the blob's type is unknown (no BTF): update it from a file");
	/* A per-CPU blob's member, in every CPU's copy. */
	bytes = info.flags & PALS_F_PERCPU ? pals_percpu__bytes(info.size) :
		info.size;
	if (bytes < 0)
		return p_pals_err();
	stride = info.flags & PALS_F_PERCPU ? (info.size + 7) / 8 * 8 :
		 info.size;
	for (i = 0; i < argc; i++) {
		err = btf_assign(d.btf, info.type_id, argv[i], &off, buf, &size);
		if (err)
			return err;
		for (at = 0; at < (size_t)bytes; at += stride)
			if (pals_ctx__write(ctx, handle, at + off, buf, size))
				return p_pals_err();
	}
	if (json_output)
		printf("null\n");
	return EXIT_OK;
}

int do_update(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "-";
	struct pals_blob_info info;
	struct pals_ctx *ctx;
	__u8 *data = NULL;
	__u64 handle;
	size_t len = 0;
	int err;

	if (argc > 1 && argv[1][0] == '.') {
		err = handle_args(argc, argv, argc - 1, &handle, &ctx);
		if (err)
			return err;
		err = update_members(ctx, handle, argc - 1, argv + 1);
		pals_ctx__free(ctx);
		return err;
	}
	err = handle_args(argc, argv, 1, &handle, &ctx);
	if (err)
		return err;
	err = read_input(path, &data, &len);
	if (err)
		goto out;
	if (pals_ctx__get(ctx, handle, &info, NULL, 0)) {
		err = p_pals_err();
		goto out;
	}
	/* A per-CPU blob also takes every CPU's copy. */
	if (len != info.size && (!(info.flags & PALS_F_PERCPU) ||
				 (ssize_t)len != pals_percpu__bytes(info.size))) {
		err = p_err("%s has %zu bytes, the blob has %u%s",
			    strcmp(path, "-") ? path : "stdin", len, info.size,
			    info.flags & PALS_F_PERCPU ?
			    " (per CPU; or every CPU's, each padded to 8)" : "");
		goto out;
	}
	if (pals_ctx__update(ctx, handle, data, len)) {
		err = p_pals_err();
		goto out;
	}
	if (json_output)
		printf("null\n");
out:
	free(data);
	pals_ctx__free(ctx);
	return err;
}
