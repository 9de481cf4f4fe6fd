// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* funclat: the table and the histograms, from one snapshot per function. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "funclat_tool.h"

static __u64 timed(const struct funclat_fn *fn)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < FUNCLAT_BUCKETS; i++)
		n += fn->hist[i];
	return n;
}

/* @now less @prev: the counters of an interval (maxima stay absolute). */
static void delta(struct funclat_fn *d, const struct funclat_fn *now,
		  const struct funclat_fn *prev)
{
	int i;

	*d = *now;
	if (!prev)
		return;
	d->calls -= prev->calls;
	d->lost -= prev->lost;
	d->slow -= prev->slow;
	d->total_ns -= prev->total_ns;
	for (i = 0; i < FUNCLAT_BUCKETS; i++)
		d->hist[i] -= prev->hist[i];
}

static void print_ns(__u64 ns)
{
	if (ns >= 1000000)
		printf(" %8.2fms", ns / 1e6);
	else if (ns >= 1000)
		printf(" %8.1fus", ns / 1e3);
	else
		printf(" %8lluns", (unsigned long long)ns);
}

static void print_row(const struct funclat_fn *fn)
{
	__u64 n = timed(fn);

	printf("%-28s %8llu %8llu %6llu %8llu", fn->name,
	       (unsigned long long)fn->calls, (unsigned long long)n,
	       (unsigned long long)fn->lost, (unsigned long long)fn->slow);
	print_ns(n ? fn->total_ns / n : 0);
	print_ns(fn->max_ns);
	printf("\n");
}

static const char *unit_name(__u64 unit_ns)
{
	return unit_ns == 1000000 ? "msecs" : unit_ns == 1000 ? "usecs" : "nsecs";
}

static void print_hist(const struct funclat_fn *fn)
{
	__u64 max = 0;
	int i, lo = -1, hi = 0, bar;

	for (i = 0; i < FUNCLAT_BUCKETS; i++) {
		if (!fn->hist[i])
			continue;
		lo = lo < 0 ? i : lo;
		hi = i;
		max = fn->hist[i] > max ? fn->hist[i] : max;
	}
	if (lo < 0)
		return;
	printf("\n%s\n%24s : %-8s distribution\n", fn->name,
	       unit_name(fn->unit_ns), "count");
	for (i = lo; i <= hi; i++) {
		bar = (int)(fn->hist[i] * 40 / max);
		printf("%10llu -> %-10llu : %-8llu |%-40.*s|\n",
		       i ? 1ULL << i : 0ULL, (1ULL << (i + 1)) - 1,
		       (unsigned long long)fn->hist[i], bar,
		       "****************************************");
	}
}

void funclat_print(const struct funclat_opts *o, const struct funclat_fn *now,
		   const struct funclat_fn *prev)
{
	struct funclat_fn d;
	char buf[32];
	time_t t;
	int i;

	if (o->timestamps) {
		t = time(NULL);
		strftime(buf, sizeof(buf), "%H:%M:%S", localtime(&t));
		printf("%-8s\n", buf);
	}
	printf("%-28s %8s %8s %6s %8s %10s %10s\n", "FUNCTION", "CALLS",
	       "TIMED", "LOST", "SLOW", "AVG", "MAX");
	for (i = 0; i < o->nr_funcs; i++) {
		delta(&d, &now[i], prev ? &prev[i] : NULL);
		print_row(&d);
	}
	for (i = 0; i < o->nr_funcs; i++) {
		delta(&d, &now[i], prev ? &prev[i] : NULL);
		print_hist(&d);
	}
}
