// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Which kernel functions can be traced: for attach errors that name one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"

static const char *const pals_ftrace_files[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

static int pals_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *pals_ksym_untraceable(const char **syms, size_t cnt)
{
	const char **sorted, **hit, *missing = NULL;
	char line[512], *end;
	bool *found;
	size_t i, n;
	FILE *f = NULL;

	for (i = 0; !f && i < sizeof(pals_ftrace_files) / sizeof(*pals_ftrace_files); i++)
		f = fopen(pals_ftrace_files[i], "r");
	sorted = malloc(cnt * sizeof(*sorted));
	found = calloc(cnt, sizeof(*found));
	if (!f || !sorted || !found)
		goto out;
	memcpy(sorted, syms, cnt * sizeof(*sorted));
	qsort(sorted, cnt, sizeof(*sorted), pals_strcmp);
	for (i = 1, n = 1; i < cnt; i++)	/* without duplicates */
		if (strcmp(sorted[i], sorted[n - 1]))
			sorted[n++] = sorted[i];
	while (fgets(line, sizeof(line), f)) {
		end = line + strcspn(line, " \t\n");	/* "func [module]" */
		*end = 0;
		end = line;
		hit = bsearch(&end, sorted, n, sizeof(*sorted), pals_strcmp);
		if (hit)
			found[hit - sorted] = true;
	}
	for (i = 0; i < cnt && !missing; i++) {
		hit = bsearch(&syms[i], sorted, n, sizeof(*sorted), pals_strcmp);
		if (!found[hit - sorted])
			missing = syms[i];
	}
out:
	if (f)
		fclose(f);
	free(found);
	free(sorted);
	return missing;
}
