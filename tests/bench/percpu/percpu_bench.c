// SPDX-License-Identifier: GPL-2.0
/*
 * percpu-bench METER OUT: four counters per attach point kept three ways
 * (bench_percpu.bpf.c), one traced function, one JSON line per variant
 * appended to OUT.
 *
 *   wall    one thread per online vCPU, each pinned, each making CALLS
 *           getpgid() calls at once; the wall time of the fastest of
 *           ROUNDS rounds, variants alternated (A B C A B C ...).
 *   icount  one thread: BPF_ENABLE_STATS run_time_ns / run_cnt, the
 *           program's instructions per run under -icount shift=0.
 *
 * Each variant's counters are read back: every call must be counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pals.h>

#include "libpals.h"
#include "bench_percpu.h"
#include "bench_percpu.skel.h"

#define FUNC	"__x64_sys_getpgid"
#define ROUNDS	5
#define CALLS	20000

enum { SHARED, PERCPU, PERCPU_ARRAY, NR_VARIANTS };

static const char *const names[NR_VARIANTS] = {
	"shared_atomic", "pals_percpu", "percpu_array",
};

struct attached {
	struct pals_link *pl;
	struct bpf_link *link;
	struct bpf_program *prog;
};

static int attach(struct bench_percpu *skel, int v, struct attached *a)
{
	PALS_OPTS(pals_attach_opts, opts, .flags = v == PERCPU ? PALS_F_PERCPU : 0);
	struct bench_counters zero = {};

	memset(a, 0, sizeof(*a));
	a->prog = v == SHARED ? skel->progs.shared : v == PERCPU ?
		  skel->progs.percpu : skel->progs.percpu_array;
	if (v == PERCPU_ARRAY) {
		a->link = bpf_program__attach_kprobe(a->prog, false, FUNC);
		return a->link ? 0 : -errno;
	}
	a->pl = pals_attach_kprobe(a->prog, FUNC, "struct bench_counters",
				   &zero, sizeof(zero), &opts);
	if (!a->pl)
		fprintf(stderr, "percpu-bench: %s\n", pals_last_error());
	return a->pl ? 0 : -errno;
}

/* The calls the variant counted, over every CPU's copy. */
static __u64 counted(struct bench_percpu *skel, int v, struct attached *a)
{
	int cpus = libbpf_num_possible_cpus(), i;
	struct bench_counters *all = calloc(cpus, sizeof(*all));
	__u32 key = 0;
	__u64 calls = 0;

	if (!all)
		return 0;
	if (v == SHARED)
		pals_link__read(a->pl, 0, all, sizeof(*all));
	else if (v == PERCPU)
		pals_link__read(a->pl, 0, all, cpus * sizeof(*all));
	else
		bpf_map__lookup_elem(skel->maps.counters, &key, sizeof(key), all,
				     cpus * sizeof(*all), 0);
	for (i = 0; i < (v == SHARED ? 1 : cpus); i++)
		calls += all[i].calls;
	if (v == PERCPU_ARRAY) {
		memset(all, 0, cpus * sizeof(*all));
		bpf_map__update_elem(skel->maps.counters, &key, sizeof(key), all,
				     cpus * sizeof(*all), 0);
	}
	free(all);
	return calls;
}

static void detach(struct attached *a)
{
	pals_link__destroy(a->pl);
	bpf_link__destroy(a->link);
}

static pthread_barrier_t go, done;

static void *caller(void *arg)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	CPU_SET((int)(long)arg, &set);
	sched_setaffinity(0, sizeof(set), &set);
	pthread_barrier_wait(&go);
	for (i = 0; i < CALLS; i++)
		syscall(SYS_getpgid, 0);
	pthread_barrier_wait(&done);
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One round of @n pinned threads: the wall time, in ns. */
static double round_ns(int n)
{
	pthread_t t[64];
	double start, end;
	long i;

	pthread_barrier_init(&go, NULL, n + 1);
	pthread_barrier_init(&done, NULL, n + 1);
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, caller, (void *)i);
	pthread_barrier_wait(&go);
	start = now_ns();
	pthread_barrier_wait(&done);
	end = now_ns();
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	pthread_barrier_destroy(&done);
	return end - start;
}

static int bench_wall(struct bench_percpu *skel, FILE *out)
{
	int n = sysconf(_SC_NPROCESSORS_ONLN), r, v, err;
	double best[NR_VARIANTS], ns;
	struct attached a;
	__u64 calls;

	if (n > 64)
		n = 64;
	for (v = 0; v < NR_VARIANTS; v++)
		best[v] = 1e30;
	for (r = 0; r < ROUNDS; r++) {
		for (v = 0; v < NR_VARIANTS; v++) {
			err = attach(skel, v, &a);
			if (err)
				return err;
			ns = round_ns(n);
			calls = counted(skel, v, &a);
			detach(&a);
			if (calls != (__u64)n * CALLS) {
				fprintf(stderr, "percpu-bench: %s counted %llu of %d calls\n",
					names[v], (unsigned long long)calls, n * CALLS);
				return -EIO;
			}
			if (ns < best[v])
				best[v] = ns;
		}
	}
	for (v = 0; v < NR_VARIANTS; v++)
		fprintf(out, "{\"test\":\"percpu\",\"meter\":\"wall\",\"variant\":\"%s\",\"threads\":%d,\"calls\":%d,\"rounds\":%d,\"wall_ns\":%.0f,\"ns_per_call\":%.1f}\n",
			names[v], n, CALLS, ROUNDS, best[v], best[v] / CALLS);
	return 0;
}

static int bench_icount(struct bench_percpu *skel, FILE *out)
{
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME), r, v, i, err = 0;
	struct bpf_prog_info before, after;
	double best[NR_VARIANTS], ns;
	__u32 len = sizeof(before);
	struct attached a;

	if (stats < 0)
		return -errno;
	for (v = 0; v < NR_VARIANTS; v++)
		best[v] = 1e30;
	for (r = 0; !err && r < 3; r++) {
		for (v = 0; !err && v < NR_VARIANTS; v++) {
			err = attach(skel, v, &a);
			if (err)
				break;
			memset(&before, 0, sizeof(before));
			memset(&after, 0, sizeof(after));
			len = sizeof(before);
			bpf_prog_get_info_by_fd(bpf_program__fd(a.prog), &before, &len);
			for (i = 0; i < 2000; i++)
				syscall(SYS_getpgid, 0);
			len = sizeof(after);
			bpf_prog_get_info_by_fd(bpf_program__fd(a.prog), &after, &len);
			if (counted(skel, v, &a) != 2000)
				err = -EIO;
			detach(&a);
			ns = (double)(after.run_time_ns - before.run_time_ns) /
				    (after.run_cnt - before.run_cnt ?: 1);
			if (ns < best[v])
				best[v] = ns;
		}
	}
	close(stats);
	for (v = 0; !err && v < NR_VARIANTS; v++)
		fprintf(out, "{\"test\":\"percpu\",\"meter\":\"icount\",\"variant\":\"%s\",\"ns\":%.1f}\n",
			names[v], best[v]);
	return err;
}

int main(int argc, char **argv)
{
	struct bench_percpu *skel;
	FILE *out;
	int err;

	if (argc != 3 || (strcmp(argv[1], "wall") && strcmp(argv[1], "icount"))) {
		fprintf(stderr, "usage: percpu-bench wall|icount OUT\n");
		return 2;
	}
	out = fopen(argv[2], "a");
	skel = bench_percpu__open_and_load();
	if (!out || !skel) {
		fprintf(stderr, "percpu-bench: %s\n", strerror(errno));
		return 1;
	}
	err = !strcmp(argv[1], "wall") ? bench_wall(skel, out) :
					 bench_icount(skel, out);
	if (err)
		fprintf(stderr, "percpu-bench: %s\n", strerror(-err));
	bench_percpu__destroy(skel);
	fclose(out);
	return err ? 1 : 0;
}
