// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* funclat: the command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "funclat_tool.h"

/* A number in [@min, @max], or -1 after a message. */
static long long number(const char *arg, long long min, long long max, int c)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 0);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "funclat: -%c %s: not a number in [%lld, %lld]\n",
			c, arg, min, max);
		return -1;
	}
	return v;
}

/*
 * A cgroup v2 directory: its id (the directory's inode number) and level
 * (how many directories below the hierarchy's root, on the same mount).
 */
static int cgroup(const char *path, struct funclat_fn *fn)
{
	char buf[PATH_MAX], *slash;
	struct stat st, up;

	if (!realpath(path, buf) || stat(buf, &st)) {
		fprintf(stderr, "funclat: -c %s: %s\n", path, strerror(errno));
		return -1;
	}
	fn->cgroup_id = st.st_ino;
	fn->cgroup_level = 0;
	while ((slash = strrchr(buf, '/')) && slash != buf) {
		*slash = '\0';
		if (stat(buf, &up) || up.st_dev != st.st_dev)
			break;
		fn->cgroup_level++;
	}
	return 0;
}

/* A setting a function's blob holds, for @fn. 0, 1 if @c is none, -1. */
static int fn_option(int c, const char *arg, struct funclat_fn *fn)
{
	long long v;

	switch (c) {
	case 'p':
		v = number(arg, 1, INT_MAX, c);
		fn->tgid = v;
		return v < 0 ? -1 : 0;
	case 'c':
		return cgroup(arg, fn);
	case 't':
		v = number(arg, 0, LLONG_MAX / 1000, c);
		fn->threshold_ns = v * 1000;
		return v < 0 ? -1 : 0;
	case 'm':
		fn->unit_ns = 1000000;
		return 0;
	case 'u':
		fn->unit_ns = 1000;
		return 0;
	}
	return 1;
}

static int tool_option(int c, const char *arg, struct funclat_opts *o)
{
	long long v = 0;

	switch (c) {
	case 'd':
		v = o->duration = number(arg, 1, INT_MAX, c);
		break;
	case 'i':
		v = o->interval = number(arg, 1, INT_MAX, c);
		break;
	case 'T':
		o->timestamps = true;
		break;
	case 'k':
		o->keep = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'N':
		o->no_sessions = true;
		break;
	case 'C':
		o->percpu = true;
		break;
	case 'a':
		v = o->max_active = number(arg, 0, 1 << 20, c);
		break;
	default:
		return -1;
	}
	return v < 0 ? -1 : 0;
}

/* FUNC or BINARY:FUNC into @f, with the settings @defaults. */
static void add_func(struct funclat_func *f, const char *spec,
		     const struct funclat_fn *defaults)
{
	const char *colon = strrchr(spec, ':'), *base;

	f->spec = spec;
	f->fn = *defaults;
	f->sym = colon ? colon + 1 : spec;
	f->binary = colon ? strndup(spec, colon - spec) : NULL;
	base = f->binary ? strrchr(f->binary, '/') : NULL;
	if (f->binary)
		snprintf(f->fn.name, sizeof(f->fn.name), "%s:%s",
			 base ? base + 1 : f->binary, f->sym);
	else
		snprintf(f->fn.name, sizeof(f->fn.name), "%s", spec);
}

/*
 * funclat [OPTION]... FUNC [FUNC-OPTION]... [FUNC [FUNC-OPTION]...]...
 *	   [-- CMD [ARG]...]
 * Function options before the first function are everyone's defaults;
 * after a function, they are that function's alone. The others go
 * anywhere.
 */
int funclat_parse(int argc, char **argv, struct funclat_opts *o)
{
	struct funclat_fn defaults = { .threshold_ns = 1000000, .unit_ns = 1 };
	struct funclat_fn *cur = &defaults;
	int c, err;

	*o = (struct funclat_opts){ .max_active = 512 };
	o->funcs = calloc(argc, sizeof(*o->funcs));
	if (!o->funcs)
		return -1;
	optind = 1;
	for (;;) {
		while ((c = getopt(argc, argv, "+p:c:t:mud:i:Tkva:NCh")) != -1) {
			err = fn_option(c, optarg, cur);
			if (err == 1)
				err = tool_option(c, optarg, o);
			if (err)
				return -1;
		}
		if (optind >= argc)
			break;
		if (!strcmp(argv[optind - 1], "--")) {
			o->cmd = argv + optind;
			break;
		}
		cur = &o->funcs[o->nr_funcs].fn;
		add_func(&o->funcs[o->nr_funcs++], argv[optind++], &defaults);
	}
	return o->nr_funcs ? 0 : -1;
}
