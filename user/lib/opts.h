/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Validation of sz-versioned opts structs, as libbpf does it. */
#ifndef __LIBPALS_OPTS_H
#define __LIBPALS_OPTS_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes past the last known field, from a newer caller, must be zero. */
static inline bool pals_opts_valid(const void *opts, size_t known)
{
	const char *p = opts;
	size_t sz, i;

	if (!opts)
		return true;
	sz = *(const size_t *)opts;
	if (sz < sizeof(size_t))
		return false;
	for (i = known; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

#define PALS_OPTS_VALID(opts, type)					\
	pals_opts_valid(opts, offsetofend(struct type, type##__last_field))

#define PALS_OPTS_GET(opts, field, fallback)				\
	((opts) && (opts)->sz >= offsetofend(typeof(*(opts)), field) ?	\
	 (opts)->field : (fallback))

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

#endif /* __LIBPALS_OPTS_H */
