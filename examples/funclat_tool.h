/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* funclat, the tool: what its files share. */
#ifndef __FUNCLAT_TOOL_H
#define __FUNCLAT_TOOL_H

#include <stdbool.h>
#include <linux/types.h>

#include "funclat.h"

/* One traced function. */
struct funclat_func {
	const char *spec;	/* FUNC or BINARY:FUNC, as given */
	char *binary;		/* NULL for a kernel function */
	const char *sym;
	struct funclat_fn fn;	/* its settings, then its last snapshot */
	struct pals_link *link;	/* the attachment holding its blob */
	size_t idx;		/* the blob's index there */
	bool table;		/* blob type struct funclat_table (fallback) */
	bool percpu;		/* a per-CPU blob (-C) */
};

struct funclat_opts {
	int duration;		/* -d: seconds; 0: until Ctrl-C or CMD ends */
	int interval;		/* -i: seconds between reports; 0: one at the end */
	bool timestamps;	/* -T */
	bool keep;		/* -k */
	bool verbose;		/* -v */
	int max_active;		/* -a: kernel calls in flight to follow */
	bool no_sessions;	/* -N: the entry/return table everywhere */
	bool percpu;		/* -C: session programs' blobs per CPU */
	struct funclat_func *funcs;
	int nr_funcs;
	char **cmd;		/* after --, or NULL */
};

/* Parse the command line into @o: 0, or -1 after a message. */
int funclat_parse(int argc, char **argv, struct funclat_opts *o);

/*
 * Print the table and histograms of the snapshots @now (one per
 * function), less @prev if not NULL (interval mode).
 */
void funclat_print(const struct funclat_opts *o, const struct funclat_fn *now,
		   const struct funclat_fn *prev);

#endif /* __FUNCLAT_TOOL_H */
