// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which kernel functions can be traced (tracefs' available_filter_functions):
 * for attach errors that name one, and for kprobe.multi/PATTERN sections.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "log.h"
#include "names.h"

static const char *const pals_ftrace_files[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

static FILE *pals_ftrace_open(void)
{
	FILE *f = NULL;
	size_t i;

	for (i = 0; !f && i < sizeof(pals_ftrace_files) / sizeof(*pals_ftrace_files); i++)
		f = fopen(pals_ftrace_files[i], "r");
	return f;
}

/* The function name of a line, "func [module]\n" cut in place. */
static char *pals_ftrace_name(char *line)
{
	line[strcspn(line, " \t\n")] = 0;
	return line;
}

const char *pals_ksym_untraceable(const char **syms, size_t cnt)
{
	const char **sorted, **hit, *missing = NULL;
	char line[512], *name;
	FILE *f = pals_ftrace_open();
	bool *found;
	size_t i, n;

	sorted = malloc(cnt * sizeof(*sorted));
	found = calloc(cnt, sizeof(*found));
	if (!f || !sorted || !found)
		goto out;
	memcpy(sorted, syms, cnt * sizeof(*sorted));
	qsort(sorted, cnt, sizeof(*sorted), pals_names_cmp);
	for (i = 1, n = 1; i < cnt; i++)	/* without duplicates */
		if (strcmp(sorted[i], sorted[n - 1]))
			sorted[n++] = sorted[i];
	while (fgets(line, sizeof(line), f)) {
		name = pals_ftrace_name(line);
		hit = bsearch(&name, sorted, n, sizeof(*sorted), pals_names_cmp);
		if (hit)
			found[hit - sorted] = true;
	}
	for (i = 0; i < cnt && !missing; i++) {
		hit = bsearch(&syms[i], sorted, n, sizeof(*sorted), pals_names_cmp);
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

void pals_ksym_attach_err(const struct bpf_program *prog, const char *kind,
			  const char **syms, size_t cnt)
{
	const char *dup, *bad = NULL;
	int err = errno;

	dup = pals_names_duplicate(syms, cnt);
	if (!dup)
		bad = pals_ksym_untraceable(syms, cnt);
	errno = err;
	if (dup)
		pals_attach_err(prog, "given twice", "%s function '%s'", kind, dup);
	else if (bad)
		pals_attach_err(prog, PALS_NOT_TRACEABLE, "%s function '%s'",
				kind, bad);
	else
		pals_attach_err(prog, err == EOPNOTSUPP ?
				"this kernel has no kprobe_multi links: they need Linux 5.18 built with CONFIG_FPROBE" : NULL,
				"%s over %zu functions", kind, cnt);
}

int pals_ksym_glob(const char *pattern, struct pals_names *syms)
{
	FILE *f = pals_ftrace_open();
	char line[512], *name;
	int err = 0;

	if (!f)
		return pals_err(-errno, "available_filter_functions: %s (is tracefs mounted?)",
				strerror(errno));
	while (!err && fgets(line, sizeof(line), f)) {
		name = pals_ftrace_name(line);
		if (!fnmatch(pattern, name, 0) &&
		    strncmp(name, "__ftrace_invalid_address__", 26))
			err = pals_names_add(syms, name);
	}
	fclose(f);
	/* A function listed twice (static functions of several files) once. */
	if (!err && pals_names_sort(syms))
		err = pals_err(-ENOENT, "no traceable kernel function matches '%s'",
			       pattern);
	if (err)
		pals_names_free(syms);
	return err;
}
