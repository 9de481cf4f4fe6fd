// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The low-level pair: blobs for a program, then bound to a link; one blob
 * is a batch of one.
 */
#include <errno.h>

#include "fallback.h"
#include "link.h"
#include "log.h"
#include "opts.h"

int pals_blob__create_batch(const struct bpf_program *prog, const char *type,
			    const void *data, size_t size, size_t cnt,
			    const struct pals_attach_opts *opts,
			    __u64 *cookies)
{
	PALS_OPTS(pals_create_opts, create_opts,
		  .flags = PALS_OPTS_GET(opts, flags, 0));
	struct pals_ctx *ctx;
	int id;

	if (!PALS_OPTS_VALID(opts, pals_attach_opts))
		return pals_err(-EINVAL, "pals_attach_opts: unknown fields set");
	if (data && !size)
		return pals_err(-EINVAL, "blob size missing");
	ctx = pals_opts_ctx(opts);
	if (!ctx)
		return -errno;
	id = pals_type_lookup(prog, type, &size);
	if (id < 0)
		return id;
	return pals_mode_check(ctx, prog) ?:
	       pals_ctx_create_batch(ctx, bpf_program__fd(prog), id, data,
				     size, cnt, &create_opts, cookies);
}

int pals_blob__bind_batch(const __u64 *cookies, size_t cnt,
			  const struct bpf_link *link,
			  const struct pals_attach_opts *opts)
{
	struct pals_ctx *ctx;

	if (!PALS_OPTS_VALID(opts, pals_attach_opts))
		return pals_err(-EINVAL, "pals_attach_opts: unknown fields set");
	if (!link)
		return pals_err(-EINVAL, "link missing");
	ctx = pals_opts_ctx(opts);
	if (!ctx)
		return -errno;
	return pals_ctx__bind_batch(ctx, cookies, cnt, bpf_link__fd(link));
}

int pals_blob__create(const struct bpf_program *prog, const char *type,
		      const void *data, size_t size,
		      const struct pals_attach_opts *opts, __u64 *cookie)
{
	return pals_blob__create_batch(prog, type, data, size, 1, opts, cookie);
}

int pals_blob__bind(__u64 cookie, const struct bpf_link *link,
		    const struct pals_attach_opts *opts)
{
	return pals_blob__bind_batch(&cookie, 1, link, opts);
}
