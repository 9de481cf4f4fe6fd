// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * funclat: call counts and latency histograms of kernel and user-space
 * functions, kept in one PALS blob per function (see funclat.bpf.c).
 * No BPF map.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pals/uapi.h>
#include <pals/libpals.h>

#include "funclat_tool.h"
#include "funclat.skel.h"

static const char usage[] =
"usage: funclat [OPTION]... FUNC [FUNC-OPTION]... [FUNC [FUNC-OPTION]...]...\n"
"               [-- CMD [ARG]...]\n"
"\n"
"Count the calls of each FUNC, a kernel function or BINARY:FUNC in a\n"
"program or library, and histogram their latency, until Ctrl-C, for -d\n"
"seconds or while CMD runs; then print a table and the histograms.\n"
"\n"
"Function options, everyone's default before the first FUNC, that\n"
"FUNC's alone after it:\n"
"  -p PID        count only calls made by process PID\n"
"  -c CGROUP     count only calls made in the cgroup v2 directory CGROUP\n"
"                or below it\n"
"  -t USECS      count calls slower than this as slow (default 1000)\n"
"  -m, -u        histogram in milliseconds, microseconds (default ns)\n"
"Options (anywhere):\n"
"  -d SECONDS    trace for this long\n"
"  -i SECONDS    print every SECONDS the counts since the last report\n"
"                (MAX: the largest so far)\n"
"  -T            print a timestamp with each report\n"
"  -k            keep: pin the blobs, so the probes and their counters\n"
"                stay after exit (palsctl list; palsctl delete)\n"
"  -a N          kernel functions: follow N calls in flight (default 512;\n"
"                kernels before 6.14 otherwise follow 2 per CPU)\n"
"  -N            no session programs: time calls with the entry/return\n"
"                table (64 slots per function) as kernels without them do\n"
"  -C            per-CPU blobs for session programs: each CPU counts in\n"
"                its own copy, without atomics; summed when read\n"
"  -v            print libbpf's debug messages, with times\n"
"\n"
"Each function's settings and counters are its blob: palsctl show HANDLE.\n";

static struct timespec start_time;

/* -v: the time since start, before each message. */
static void stamp(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "%9.3f ms ",
		(now.tv_sec - start_time.tv_sec) * 1e3 +
		(now.tv_nsec - start_time.tv_nsec) / 1e6);
}

static int verbose_print(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	(void)level;
	stamp();
	return vfprintf(stderr, fmt, ap);
}

/* The attachments, each holding some functions' blobs. */
struct funclat_links {
	struct pals_link *pl[64];
	int cnt;
};

static bool same_binary(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Attach the functions of @binary (NULL: the kernel's) from @first on. */
static int attach_group(struct funclat *skel, struct funclat_opts *o,
			int first, bool session, struct funclat_links *links)
{
	const char *binary = o->funcs[first].binary;
	__u32 flags = session && o->percpu ? PALS_F_PERCPU : 0;
	PALS_OPTS(pals_attach_opts, opts, .max_active = session ? o->max_active : 0,
		  .flags = flags);
	PALS_OPTS(pals_attach_opts, uopts, .flags = flags);
	struct funclat_table *tables;
	struct funclat_ret *rets;
	struct pals_link *entry, *ret;
	const char **syms;
	int i, n = 0, pid = -1;
	size_t size;

	if (links->cnt + 2 > (int)(sizeof(links->pl) / sizeof(links->pl[0])))
		return -E2BIG;
	syms = calloc(o->nr_funcs, sizeof(*syms));
	tables = calloc(o->nr_funcs, sizeof(*tables));
	rets = calloc(o->nr_funcs, sizeof(*rets));
	if (!syms || !tables || !rets) {
		free(syms);
		free(tables);
		free(rets);
		return -ENOMEM;
	}
	for (i = first; i < o->nr_funcs; i++) {
		if (!same_binary(binary, o->funcs[i].binary))
			continue;
		/* One process for all: uprobes in that process only. */
		pid = n && pid != (int)o->funcs[i].fn.tgid ? 0 : o->funcs[i].fn.tgid;
		syms[n] = o->funcs[i].sym;
		tables[n++].fn = o->funcs[i].fn;
	}
	pid = pid ? pid : -1;
	/* Session blobs are bare funclat_fn: pack them. */
	if (session)
		for (i = 0; i < n; i++)
			memmove((struct funclat_fn *)tables + i, &tables[i].fn,
				sizeof(struct funclat_fn));
	size = session ? sizeof(struct funclat_fn) : sizeof(*tables);
	if (!binary)
		entry = pals_attach_kprobe_multi(session ? skel->progs.on_ksession :
						 skel->progs.on_kentry, syms, n,
						 session ? "struct funclat_fn" :
						 "struct funclat_table", tables,
						 size, &opts);
	else
		entry = pals_attach_uprobe_multi(session ? skel->progs.on_usession :
						 skel->progs.on_uentry, pid, binary,
						 syms, n, session ? "struct funclat_fn" :
						 "struct funclat_table", tables,
						 size, &uopts);
	ret = NULL;
	if (entry && !session) {
		for (i = 0; i < n; i++)
			rets[i].table = pals_link__handle(entry, i);
		if (!binary)
			ret = pals_attach_kprobe_multi(skel->progs.on_kreturn, syms,
						       n, "struct funclat_ret",
						       rets, sizeof(*rets), NULL);
		else
			ret = pals_attach_uprobe_multi(skel->progs.on_ureturn, pid,
						       binary, syms, n,
						       "struct funclat_ret", rets,
						       sizeof(*rets), NULL);
	}
	free(syms);
	free(tables);
	free(rets);
	if (!entry || (!session && !ret)) {
		pals_link__destroy(entry);
		return -errno;
	}
	links->pl[links->cnt++] = entry;
	if (ret)
		links->pl[links->cnt++] = ret;
	for (i = first, n = 0; i < o->nr_funcs; i++) {
		if (!same_binary(binary, o->funcs[i].binary))
			continue;
		o->funcs[i].link = entry;
		o->funcs[i].idx = n++;
		o->funcs[i].table = !session;
		o->funcs[i].percpu = flags;
	}
	return 0;
}

/* Load the programs this kernel and these functions need, and attach. */
static struct funclat *start(struct funclat_opts *o, struct funclat_links *links)
{
	bool kernel = false, user = false, ksession, usession;
	struct funclat *skel;
	int i, err;

	for (i = 0; i < o->nr_funcs; i++) {
		kernel |= !o->funcs[i].binary;
		user |= !!o->funcs[i].binary;
	}
	ksession = kernel && !o->no_sessions && pals_probe_session(false) == 1;
	usession = user && !o->no_sessions && pals_probe_session(true) == 1;
	skel = funclat__open();
	if (!skel)
		return NULL;
	bpf_program__set_autoload(skel->progs.on_ksession, ksession);
	bpf_program__set_autoload(skel->progs.on_kentry, kernel && !ksession);
	bpf_program__set_autoload(skel->progs.on_kreturn, kernel && !ksession);
	bpf_program__set_autoload(skel->progs.on_usession, usession);
	bpf_program__set_autoload(skel->progs.on_uentry, user && !usession);
	bpf_program__set_autoload(skel->progs.on_ureturn, user && !usession);
	skel->rodata->percpu = o->percpu;
	err = pals_object__prepare(skel->obj) ?: funclat__load(skel);
	for (i = 0; !err && i < o->nr_funcs; i++)
		if (!o->funcs[i].link)
			err = attach_group(skel, o, i, o->funcs[i].binary ?
					   usession : ksession, links);
	if (err) {
		fprintf(stderr, "funclat: %s\n", *pals_last_error() ?
			pals_last_error() : strerror(-err));
		funclat__destroy(skel);
		return NULL;
	}
	if (o->verbose) {
		stamp();
		fputs("funclat: ready\n", stderr);
	}
	printf("Tracing %d function%s (%s). Hit Ctrl-C to end.\n", o->nr_funcs,
	       o->nr_funcs > 1 ? "s" : "",
	       ksession || usession ? "session programs" : "entry/return table");
	fflush(stdout);
	return skel;
}

/*
 * A per-CPU blob, every CPU's copy, into one: counters summed, the
 * settings CPU 0's, the largest max_ns.
 */
static int read_percpu(const struct funclat_func *f, struct funclat_fn *out)
{
	ssize_t bytes = pals_percpu__bytes(sizeof(*out));
	struct funclat_fn *all;
	size_t i;
	int b, err;

	if (bytes < 0)
		return bytes;
	all = malloc(bytes);
	if (!all)
		return -ENOMEM;
	err = pals_link__read(f->link, f->idx, all, bytes);
	memset(out, 0, sizeof(*out));
	/* sizeof(*out) is a multiple of 8: no padding between copies. */
	for (i = 0; !err && i < bytes / sizeof(*out); i++) {
		out->calls += all[i].calls;
		out->lost += all[i].lost;
		out->slow += all[i].slow;
		out->total_ns += all[i].total_ns;
		if (all[i].max_ns > out->max_ns)
			out->max_ns = all[i].max_ns;
		for (b = 0; b < FUNCLAT_BUCKETS; b++)
			out->hist[b] += all[i].hist[b];
	}
	if (!err)
		memcpy(out, all, offsetof(struct funclat_fn, calls));
	free(all);
	return err;
}

/* One read of each function's blob. */
static int snapshot(const struct funclat_opts *o, struct funclat_fn *out)
{
	struct funclat_table t;
	struct funclat_func *f;
	int i, err;

	for (i = 0; i < o->nr_funcs; i++) {
		f = &o->funcs[i];
		err = f->percpu ? read_percpu(f, &out[i]) :
		      f->table ? pals_link__read(f->link, f->idx, &t, sizeof(t)) :
		      pals_link__read(f->link, f->idx, &out[i], sizeof(out[i]));
		if (err)
			return err;
		if (f->table)
			out[i] = t.fn;
	}
	return 0;
}

/* Calls the kernel's probes could not hand to the programs. */
static void print_missed(const struct funclat_links *links)
{
	struct bpf_link_info info;
	__u64 missed = 0;
	__u32 len;
	int i;

	for (i = 0; i < links->cnt; i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_link_get_info_by_fd(pals_link__fd(links->pl[i]), &info, &len) &&
		    info.type == BPF_LINK_TYPE_KPROBE_MULTI)
			missed += info.kprobe_multi.missed;
	}
	printf("\nmissed by the kernel's probes: %llu\n", (unsigned long long)missed);
}

static void print_handles(const struct funclat_opts *o)
{
	int i;

	printf("blobs (palsctl show HANDLE):");
	for (i = 0; i < o->nr_funcs; i++)
		printf(" %s=0x%llx", o->funcs[i].spec, (unsigned long long)
		       pals_link__handle(o->funcs[i].link, o->funcs[i].idx));
	printf("\n");
}

static pid_t spawn(char **cmd, const sigset_t *mask)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(cmd[0], cmd);
	fprintf(stderr, "funclat: %s: %s\n", cmd[0], strerror(errno));
	_exit(127);
}

/*
 * Wait for Ctrl-C, the end of -d or of CMD, printing every -i; then the
 * final report.
 */
static int run(struct funclat_opts *o, const struct funclat_links *links)
{
	struct funclat_fn *now = calloc(o->nr_funcs, sizeof(*now));
	struct funclat_fn *prev = calloc(o->nr_funcs, sizeof(*prev));
	int left = o->duration, tick, sig, status, err = -ENOMEM;
	struct timespec timeout = { 0 };
	sigset_t mask, old;
	pid_t child = 0;

	if (!now || !prev)
		goto out;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	if (o->cmd && (child = spawn(o->cmd, &old)) < 0)
		goto out;
	for (;;) {
		tick = o->interval && (!left || o->interval < left) ? o->interval : left;
		timeout.tv_sec = tick;
		sig = sigtimedwait(&mask, NULL, tick ? &timeout : NULL);
		if (sig == SIGCHLD && child && waitpid(child, &status, WNOHANG) == child) {
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				fprintf(stderr, "funclat: %s failed\n", o->cmd[0]);
			child = 0;
			break;
		}
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (sig >= 0)
			continue;
		left -= tick;
		if (o->duration && left <= 0)
			break;
		err = snapshot(o, now);
		if (err)
			goto out;
		funclat_print(o, now, prev);
		printf("\n");
		memcpy(prev, now, o->nr_funcs * sizeof(*now));
	}
	err = snapshot(o, now);
	if (!err) {
		funclat_print(o, now, o->interval ? prev : NULL);
		print_missed(links);
		print_handles(o);
	}
out:
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	free(prev);
	free(now);
	return err;
}

int main(int argc, char **argv)
{
	struct funclat_links links = { .cnt = 0 };
	struct funclat_opts o;
	struct funclat *skel;
	int i, err = 0;

	clock_gettime(CLOCK_MONOTONIC, &start_time);
	if (funclat_parse(argc, argv, &o)) {
		fputs(usage, stderr);
		return 2;
	}
	if (o.verbose)
		libbpf_set_print(verbose_print);
	/* Errors are printed once, by funclat, with pals_last_error(). */
	pals_set_print(NULL);
	skel = start(&o, &links);
	if (!skel)
		return 1;
	err = run(&o, &links);
	if (err)
		fprintf(stderr, "funclat: %s\n", pals_last_error());
	for (i = 0; !err && o.keep && i < links.cnt; i++)
		err = pals_link__pin(links.pl[i]);
	for (i = links.cnt - 1; i >= 0; i--)
		pals_link__destroy(links.pl[i]);
	funclat__destroy(skel);
	return err ? 1 : 0;
}
