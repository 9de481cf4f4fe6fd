// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * slowcalls [-n NS] FUNC... -- CMD [ARG...]: run CMD and count, per
 * kernel function, its calls and those that took NS nanoseconds or more
 * (default 10000). docs/tutorial.md builds it step by step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <pals/libpals.h>
#include "slowcalls.h"
#include "slowcalls.skel.h"

/* Each function's blob starts as the template, with its own name. */
static int fill_name(void *blob, size_t size, size_t idx, const char *target,
		     void *ctx)
{
	struct slowcalls_fn *fn = blob;

	(void)size;
	(void)idx;
	(void)ctx;
	snprintf(fn->name, sizeof(fn->name), "%s", target);
	return 0;
}

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid ? 0 : -1;
}

int main(int argc, char **argv)
{
	PALS_OPTS(pals_attach_opts, opts, .fill = fill_name);
	struct slowcalls_fn tmpl = { .threshold_ns = 10000 }, *fns;
	struct slowcalls *skel;
	struct pals_link *pl;
	int i, nfuncs, err = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		tmpl.threshold_ns = strtoull(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	for (nfuncs = 0; nfuncs + 1 < argc && strcmp(argv[nfuncs + 1], "--"); nfuncs++)
		;
	if (!nfuncs || nfuncs + 2 >= argc) {
		fprintf(stderr, "usage: slowcalls [-n NS] FUNC... -- CMD [ARG...]\n");
		return 2;
	}
	skel = slowcalls__open();
	/*
	 * pals.ko's kfunc, or where the module is absent a map: chosen here;
	 * also kprobe.session for libbpf before 1.5, which does not know it.
	 */
	if (!skel || pals_object__prepare(skel->obj) || slowcalls__load(skel))
		goto out;
	pl = pals_attach_kprobe_multi(skel->progs.on_call,
				      (const char **)argv + 1, nfuncs,
				      NULL, &tmpl, sizeof(tmpl),
				      &opts);
	if (!pl)
		goto out;
	run(argv + nfuncs + 2);
	fns = calloc(nfuncs, sizeof(*fns));
	if (fns && !pals_link__read_all(pl, fns, nfuncs * sizeof(*fns))) {
		for (i = 0; i < nfuncs; i++)
			printf("%-32s calls %llu slow %llu\n", fns[i].name,
			       (unsigned long long)fns[i].calls,
			       (unsigned long long)fns[i].slow);
		err = 0;
	}
	free(fns);
	pals_link__destroy(pl);
out:
	slowcalls__destroy(skel);
	return err;
}
