// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Blobs filled per target by the caller's opts->fill. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "log.h"
#include "opts.h"

int pals_fill_each(const struct pals_attach_opts *opts, void *blobs,
		   size_t size, size_t cnt, const char *const *targets,
		   const unsigned long *offsets)
{
	pals_fill_fn fill = PALS_OPTS_GET(opts, fill, NULL);
	char where[32], *p = blobs;
	size_t i;
	int err;

	for (i = 0; fill && i < cnt; i++) {
		if (!targets && offsets)
			snprintf(where, sizeof(where), "%#lx", offsets[i]);
		err = fill(p + i * size, size, i,
			   targets ? targets[i] : offsets ? where : NULL,
			   opts->fill_ctx);
		if (err)
			return pals_err(err < 0 ? err : -EINVAL,
					"opts->fill failed for blob %zu (%s)", i,
					targets ? targets[i] : offsets ? where : "-");
	}
	return 0;
}

int pals_fill_blobs(const struct pals_attach_opts *opts, const void **data,
		    size_t size, size_t cnt, const char *const *targets,
		    const unsigned long *offsets, void **buf)
{
	size_t i;
	char *p;

	*buf = NULL;
	if (!PALS_OPTS_GET(opts, fill, NULL))
		return 0;
	if (!size)
		return pals_err(-EINVAL, "opts->fill needs the blob size");
	p = calloc(cnt, size);
	if (!p)
		return pals_err(-ENOMEM, "out of memory");
	for (i = 0; *data && i < cnt; i++)
		memcpy(p + i * size, *data, size);
	if (pals_fill_each(opts, p, size, cnt, targets, offsets)) {
		free(p);
		return -errno;
	}
	*data = p;
	*buf = p;
	return 0;
}
