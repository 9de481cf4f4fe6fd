// SPDX-License-Identifier: GPL-2.0
/*
 * funclat against a known workload: many more threads than CPUs, each
 * making calls that sleep, so that hundreds are in flight at once. With
 * session programs every call the kernel's probes see is timed: TIMED
 * equals CALLS, nothing is lost, and together with the calls the probes
 * missed they are exactly the calls made. Program: examples/funclat*.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "libpals.h"
#include "util.h"

#define THREADS	256
#define CALLS	20
#define FUNC	"__x64_sys_nanosleep"

struct row {
	unsigned long long calls, timed, lost, slow, missed;
};

struct funclat_run {
	pid_t pid;
	FILE *out;
};

/* Start funclat with @args and wait until it says it is tracing. */
static int funclat_start(struct funclat_run *r, const char *args)
{
	char cmd[2 * PATH_MAX + 128], line[512];
	int fds[2];

	snprintf(cmd, sizeof(cmd), "exec %s/../examples/funclat %s",
		 test_self_dir(), args);
	if (pipe(fds))
		return -1;
	r->pid = fork();
	if (!r->pid) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl("/bin/sh", "sh", "-c", cmd, NULL);
		_exit(127);
	}
	close(fds[1]);
	r->out = fdopen(fds[0], "r");
	while (r->out && fgets(line, sizeof(line), r->out))
		if (!strncmp(line, "Tracing ", 8))
			return 0;
	return -1;
}

/*
 * Stop funclat (Ctrl-C) and parse the rows of the @n functions @names
 * into @rows, with the calls the kernel missed.
 */
static int funclat_stop(struct funclat_run *r, const char *const *names,
			struct row *rows, int n)
{
	char line[512], name[128];
	int i, status, found = 0;
	unsigned long long missed = 0;
	struct row row;

	kill(r->pid, SIGINT);
	while (fgets(line, sizeof(line), r->out)) {
		sscanf(line, "missed by the kernel's probes: %llu", &missed);
		if (sscanf(line, "%127s %llu %llu %llu %llu", name, &row.calls,
			   &row.timed, &row.lost, &row.slow) != 5)
			continue;
		for (i = 0; i < n; i++) {
			if (!strcmp(name, names[i])) {
				rows[i] = row;
				found++;
			}
		}
	}
	for (i = 0; i < n; i++)
		rows[i].missed = missed;
	fclose(r->out);
	if (waitpid(r->pid, &status, 0) != r->pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return found == n ? 0 : -1;
}

/* The user-space function traced: sleeps 1 ms. */
__attribute__((noinline)) void funclat_target(void)
{
	struct timespec ms = { .tv_nsec = 1000000 };

	syscall(SYS_nanosleep, &ms, NULL);
}

static pthread_barrier_t all_started;

static void *sleeper(void *arg)
{
	int i;

	(void)arg;
	pthread_barrier_wait(&all_started);
	for (i = 0; i < CALLS; i++)
		funclat_target();
	return NULL;
}

/* THREADS threads making CALLS sleeping calls each, all started at once. */
static void workload(struct __test_metadata *_metadata)
{
	pthread_t t[THREADS];
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&all_started, NULL, THREADS));
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, sleeper, NULL));
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&all_started);
}

/*
 * The workload under funclat @opts, tracing @spec for this process only;
 * the row named @name.
 */
static void traced(struct __test_metadata *_metadata, const char *opts,
		   const char *spec, const char *name, struct row *row)
{
	char args[PATH_MAX + 64];
	struct funclat_run r;

	snprintf(args, sizeof(args), "%s -p %d %s", opts, getpid(), spec);
	ASSERT_EQ(0, funclat_start(&r, args));
	workload(_metadata);
	ASSERT_EQ(0, funclat_stop(&r, &name, row, 1));
	TH_LOG("funclat %s: calls %llu timed %llu lost %llu missed %llu", opts,
	       row->calls, row->timed, row->lost, row->missed);
}

TEST(sessions_time_every_call)
{
	struct row row = { 0 };

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	traced(_metadata, "", FUNC, FUNC, &row);
	EXPECT_EQ(THREADS * CALLS, row.calls);
	EXPECT_EQ(THREADS * CALLS, row.timed);
	EXPECT_EQ(0, row.lost);
	EXPECT_EQ(0, row.missed);
}

/* The same with per-CPU blobs (-C): the CPUs' copies sum to every call. */
TEST(percpu_sessions_time_every_call)
{
	struct row row = { 0 };

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	traced(_metadata, "-C", FUNC, FUNC, &row);
	EXPECT_EQ(THREADS * CALLS, row.calls);
	EXPECT_EQ(THREADS * CALLS, row.timed);
	EXPECT_EQ(0, row.lost);
	EXPECT_EQ(0, row.missed);
}

/*
 * The same with the kernel's own return pool (-a 0): before 6.14 it has
 * 2 slots per CPU, so this workload overflows it (proof that hundreds of
 * calls are in flight), and every call is still accounted for: timed or
 * missed by the kernel, none lost.
 */
TEST(kernel_pool_misses_are_counted)
{
	struct row row = { 0 };
	struct utsname u;
	int major, minor;

	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(2, sscanf(u.release, "%d.%d", &major, &minor));
	if (pals_probe_session(false) != 1 || major * 1000 + minor >= 6014)
		SKIP(return, "kernel without kprobe.session or without a return pool");
	traced(_metadata, "-a 0", FUNC, FUNC, &row);
	EXPECT_LT(0, row.missed);
	EXPECT_EQ(row.calls, row.timed);
	EXPECT_EQ(0, row.lost);
	EXPECT_EQ(THREADS * CALLS, row.calls + row.missed);
}

/*
 * The entry/return table (-N, what kernels without sessions get): every
 * entry is counted; each return is timed, lost to a slot collision, or
 * missed by the kernel's return pool.
 */
TEST(table_accounts_for_every_call)
{
	struct row row = { 0 };

	traced(_metadata, "-N", FUNC, FUNC, &row);
	EXPECT_EQ(THREADS * CALLS, row.calls);
	EXPECT_EQ(THREADS * CALLS, row.timed + row.lost + row.missed);
}

/*
 * A user-space function: every call counted; with uprobe sessions (6.13+)
 * every one timed, else timed or, where threads collide in the
 * entry table, lost.
 */
TEST(user_function)
{
	struct row row = { 0 };
	char spec[PATH_MAX + 32];
	int sessions = pals_probe_session(true);

	ASSERT_LE(0, sessions);
	snprintf(spec, sizeof(spec), "%s:funclat_target", test_self_exe());
	traced(_metadata, "", spec, "test_funclat:funclat_target", &row);
	EXPECT_EQ(THREADS * CALLS, row.calls);
	EXPECT_EQ(THREADS * CALLS, row.timed + row.lost);
	if (sessions)
		EXPECT_EQ(0, row.lost);
}

/* A child in cgroup @cg (if not NULL) makes @n getppid() and getpgid() calls. */
static void in_cgroup(struct __test_metadata *_metadata, const char *cg, int n)
{
	char path[PATH_MAX];
	int i, status;
	pid_t pid;
	FILE *f;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid && cg) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		f = fopen(path, "w");
		if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
			_exit(1);
	}
	if (!pid) {
		for (i = 0; i < n; i++) {
			syscall(SYS_getppid);
			syscall(SYS_getpgid, 0);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
}

/*
 * Per-function settings: -c before the functions filters both by a
 * cgroup and its descendants; -c after the second function gives it a
 * deeper cgroup of its own.
 */
TEST(per_function_cgroup)
{
	const char *top = "/sys/fs/cgroup/pals-funclat";
	const char *sub = "/sys/fs/cgroup/pals-funclat/sub";
	const char *names[] = { "__x64_sys_getppid", "__x64_sys_getpgid" };
	struct funclat_run r;
	struct row rows[2];
	char args[256];

	if (access("/sys/fs/cgroup/cgroup.procs", F_OK))
		SKIP(return, "no cgroup v2 hierarchy at /sys/fs/cgroup");
	mkdir(top, 0755);
	ASSERT_EQ(0, mkdir(sub, 0755) && errno != EEXIST);
	snprintf(args, sizeof(args), "-c %s %s %s -c %s", top, names[0],
		 names[1], sub);
	ASSERT_EQ(0, funclat_start(&r, args));
	in_cgroup(_metadata, top, 5);
	in_cgroup(_metadata, sub, 11);
	in_cgroup(_metadata, NULL, 100);
	ASSERT_EQ(0, funclat_stop(&r, names, rows, 2));
	EXPECT_EQ(16, rows[0].calls);	/* the top cgroup and below */
	EXPECT_EQ(16, rows[0].timed);
	EXPECT_EQ(11, rows[1].calls);	/* the sub cgroup only */
	EXPECT_EQ(11, rows[1].timed);
	rmdir(sub);
	rmdir(top);
}

TEST_HARNESS_MAIN
