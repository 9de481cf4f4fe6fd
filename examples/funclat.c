// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * funclat: call counts and latency histograms of kernel functions, kept
 * in one PALS blob per function (see funclat.bpf.c). No BPF map.
 *
 *	funclat [-d SECONDS] [-t THRESHOLD_US] [-k] FUNC... [-- CMD [ARG...]]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

#include "funclat.h"
#include "funclat.skel.h"
#include "pals.h"

static const char usage[] =
"usage: funclat [-d SECONDS] [-t THRESHOLD_US] [-k] FUNC... [-- CMD [ARG...]]\n"
"\n"
"Count calls of the kernel functions FUNC... and histogram their latency,\n"
"while CMD runs or for SECONDS (default 5), then print a table.\n"
"\n"
"  -d SECONDS       how long to trace when no CMD is given\n"
"  -t THRESHOLD_US  count calls slower than this as slow (default 1000)\n"
"  -k               keep: pin the blobs, so the probes and their counters\n"
"                   stay after exit (see palsctl list; palsctl delete)\n";

struct funclat_opts {
	int seconds;
	__u64 threshold_ns;
	int keep;
	char **funcs;
	int nr_funcs;
	char **cmd;
};

static int parse_args(int argc, char **argv, struct funclat_opts *o)
{
	int c, i;

	*o = (struct funclat_opts){ .seconds = 5, .threshold_ns = 1000000 };
	while ((c = getopt(argc, argv, "+d:t:kh")) != -1) {
		switch (c) {
		case 'd':
			o->seconds = atoi(optarg);
			break;
		case 't':
			o->threshold_ns = strtoull(optarg, NULL, 0) * 1000;
			break;
		case 'k':
			o->keep = 1;
			break;
		default:
			return -1;
		}
	}
	o->funcs = argv + optind;
	for (i = optind; i < argc && strcmp(argv[i], "--"); i++)
		o->nr_funcs++;
	if (i < argc - 1)
		o->cmd = argv + i + 1;
	return o->nr_funcs > 0 && o->seconds > 0 ? 0 : -1;
}

/* Run @cmd to completion; its exit status, or -1. */
static int run_cmd(char **cmd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "funclat: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
	printf("%-28s %8llu %8llu %6llu %8llu", fn->name,
	       (unsigned long long)fn->calls, (unsigned long long)fn->timed,
	       (unsigned long long)fn->lost, (unsigned long long)fn->slow);
	print_ns(fn->timed ? fn->total_ns / fn->timed : 0);
	print_ns(fn->max_ns);
	printf("\n");
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
	printf("\n%s\n%24s : %-8s distribution\n", fn->name, "nsecs", "count");
	for (i = lo; i <= hi; i++) {
		bar = (int)(fn->hist[i] * 40 / max);
		printf("%10llu -> %-10llu : %-8llu |%-40.*s|\n",
		       i ? 1ULL << i : 0ULL, (1ULL << (i + 1)) - 1,
		       (unsigned long long)fn->hist[i], bar,
		       "****************************************");
	}
}

static int report(struct pals_link *entry, const struct funclat_opts *o)
{
	struct funclat_fn fn;
	int i, err;

	printf("%-28s %8s %8s %6s %8s %10s %10s\n", "FUNCTION", "CALLS",
	       "TIMED", "LOST", "SLOW", "AVG", "MAX");
	for (i = 0; i < o->nr_funcs; i++) {
		err = pals_link__read(entry, i, &fn, sizeof(fn));
		if (err)
			return err;
		print_row(&fn);
	}
	for (i = 0; i < o->nr_funcs; i++)
		if (!pals_link__read(entry, i, &fn, sizeof(fn)))
			print_hist(&fn);
	printf("\nslow: over %llu us. blobs (palsctl show HANDLE):",
	       (unsigned long long)o->threshold_ns / 1000);
	for (i = 0; i < o->nr_funcs; i++)
		printf(" %s=0x%llx", o->funcs[i],
		       (unsigned long long)pals_link__handle(entry, i));
	printf("\n");
	return 0;
}

static int trace(struct funclat *skel, const struct funclat_opts *o)
{
	struct funclat_fn *fns = calloc(o->nr_funcs, sizeof(*fns));
	struct funclat_ret *rets = calloc(o->nr_funcs, sizeof(*rets));
	const char **syms = (const char **)o->funcs;
	struct pals_link *entry = NULL, *ret = NULL;
	int i, err = -ENOMEM;

	if (!fns || !rets)
		goto out;
	for (i = 0; i < o->nr_funcs; i++) {
		snprintf(fns[i].name, sizeof(fns[i].name), "%s", o->funcs[i]);
		fns[i].threshold_ns = o->threshold_ns;
	}
	entry = pals_attach_kprobe_multi(skel->progs.on_entry, syms, o->nr_funcs,
					 "struct funclat_fn", fns, sizeof(*fns),
					 NULL);
	if (!entry)
		goto fail;
	for (i = 0; i < o->nr_funcs; i++)
		rets[i].fn = pals_link__handle(entry, i);
	ret = pals_attach_kprobe_multi(skel->progs.on_return, syms, o->nr_funcs,
				       "struct funclat_ret", rets, sizeof(*rets),
				       NULL);
	if (!ret)
		goto fail;

	if (o->cmd) {
		if (run_cmd(o->cmd))
			fprintf(stderr, "funclat: %s failed\n", o->cmd[0]);
	} else {
		sleep(o->seconds);
	}
	err = report(entry, o);
	if (!err && o->keep)
		err = pals_link__pin(ret) ?: pals_link__pin(entry);
	if (err)
		goto fail;
	goto out;
fail:
	err = -errno;
	fprintf(stderr, "funclat: %s\n", pals_last_error());
out:
	pals_link__destroy(ret);
	pals_link__destroy(entry);
	free(rets);
	free(fns);
	return err;
}

int main(int argc, char **argv)
{
	struct funclat_opts o;
	struct funclat *skel;
	int err;

	if (parse_args(argc, argv, &o)) {
		fputs(usage, stderr);
		return 2;
	}
	/* Errors are printed once, below, with pals_last_error(). */
	pals_set_print(NULL);
	skel = funclat__open_and_load();
	if (!skel) {
		fprintf(stderr, "funclat: loading the BPF program: %s\n",
			strerror(errno));
		return 1;
	}
	err = trace(skel, &o);
	funclat__destroy(skel);
	return err ? 1 : 0;
}
