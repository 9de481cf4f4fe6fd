/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The names a glob matched: kprobe.multi/ and uprobe.multi/ sections. */
#ifndef __LIBPALS_NAMES_H
#define __LIBPALS_NAMES_H

#include <stddef.h>

struct pals_names {
	char **v;
	size_t cnt;
};

/* Add a copy of @name: 0, or -ENOMEM after pals_err(). */
int pals_names_add(struct pals_names *names, const char *name);

/* Sort @names, each once: 0, or -ENOENT (no error set) if there is none. */
int pals_names_sort(struct pals_names *names);

void pals_names_free(struct pals_names *names);

/* strcmp() of two char * elements, for qsort() and bsearch(). */
/* A name given twice in @names[0..@cnt), or NULL (also if out of memory). */
const char *pals_names_duplicate(const char *const *names, size_t cnt);
int pals_names_cmp(const void *a, const void *b);

#endif /* __LIBPALS_NAMES_H */
