// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The names a glob matched, sorted and each once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "names.h"

int pals_names_add(struct pals_names *names, const char *name)
{
	char **v = realloc(names->v, (names->cnt + 1) * sizeof(*v));

	if (!v)
		return pals_err(-ENOMEM, "out of memory");
	names->v = v;
	v[names->cnt] = strdup(name);
	if (!v[names->cnt])
		return pals_err(-ENOMEM, "out of memory");
	names->cnt++;
	return 0;
}

int pals_names_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *pals_names_duplicate(const char *const *names, size_t cnt)
{
	const char **sorted = malloc(cnt * sizeof(*sorted)), *dup = NULL;
	size_t i;

	if (!sorted)
		return NULL;
	memcpy(sorted, names, cnt * sizeof(*sorted));
	qsort(sorted, cnt, sizeof(*sorted), pals_names_cmp);
	for (i = 1; i < cnt && !dup; i++)
		if (!strcmp(sorted[i - 1], sorted[i]))
			dup = sorted[i];
	free(sorted);
	return dup;
}

int pals_names_sort(struct pals_names *names)
{
	size_t i, j;

	if (!names->cnt)
		return -ENOENT;
	qsort(names->v, names->cnt, sizeof(*names->v), pals_names_cmp);
	for (i = j = 0; i < names->cnt; i++) {
		if (j && !strcmp(names->v[j - 1], names->v[i]))
			free(names->v[i]);
		else
			names->v[j++] = names->v[i];
	}
	names->cnt = j;
	return 0;
}

void pals_names_free(struct pals_names *names)
{
	while (names->cnt)
		free(names->v[--names->cnt]);
	free(names->v);
	names->v = NULL;
}
