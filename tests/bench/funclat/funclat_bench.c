// SPDX-License-Identifier: GPL-2.0
/*
 * In the guest (make bench-funclat): run a latency tool on
 * __x64_sys_pread64, make N preads, and print what it cost:
 *
 *	funclat-bench N LABEL TOOL [ARG]...
 *
 * ready_ms: from fork to the tool's "Tracing" line (both tools print one
 * once attached), and cpu_ms: the tool's own CPU time until then (from
 * /proc/PID/schedstat: not advanced by I/O waits, whose length under
 * icount follows the host's clock); wl_ns: the workload's CPU time per
 * pread while traced (its own, not other tasks');
 * per program created by the tool: runs and run_time_ns per run
 * (BPF_ENABLE_STATS); timed: the sum of the tool's histogram counts.
 * Under -icount shift=0, ns are guest instructions.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/bpf.h>

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static __u32 last_prog_id(void)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id))
		;
	return id;
}

/* The CPU time @pid has run, in ns. */
static double cpu_ns(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (f && fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	if (f)
		fclose(f);
	return ns;
}

/* N preads of one byte: the traced calls. CPU time per call. */
static double workload(long n)
{
	int fd = open("/dev/zero", O_RDONLY);
	double t0 = cpu_ns(getpid());
	char c;
	long i;

	for (i = 0; i < n; i++)
		if (pread(fd, &c, 1, 0) != 1)
			break;
	t0 = (cpu_ns(getpid()) - t0) / n;
	close(fd);
	return t0;
}

/* The tool's programs (ids after @first): runs, cost per run. */
static void print_progs(__u32 first)
{
	struct bpf_prog_info info;
	__u32 id = first, len;
	int fd;

	while (!bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (fd >= 0 && !bpf_prog_get_info_by_fd(fd, &info, &len) &&
		    info.run_cnt)
			printf(" %s runs %llu ns/run %.1f", info.name,
			       (unsigned long long)info.run_cnt,
			       (double)info.run_time_ns / info.run_cnt);
		if (fd >= 0)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	unsigned long long a, b, cnt, timed = 0;
	char line[512];
	double t0, ready, cpu, wl;
	int fds[2], stats;
	__u32 first;
	long n;
	pid_t pid;
	FILE *out;

	if (argc < 4)
		return 2;
	n = atol(argv[1]);
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	first = last_prog_id();
	if (stats < 0 || pipe(fds))
		return 1;
	t0 = now_ns();
	pid = fork();
	if (!pid) {
		dup2(fds[1], 1);
		close(fds[0]);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	close(fds[1]);
	alarm(120);	/* a tool that never gets ready ends the run */
	out = fdopen(fds[0], "r");
	while (fgets(line, sizeof(line), out) && strncmp(line, "Tracing", 7))
		;
	ready = now_ns() - t0;
	cpu = cpu_ns(pid);
	wl = workload(n);
	printf("%s ready_ms %.1f cpu_ms %.1f wl_ns %.0f", argv[2], ready / 1e6,
	       cpu / 1e6, wl);
	print_progs(first);
	kill(pid, SIGINT);
	while (fgets(line, sizeof(line), out))
		if (sscanf(line, "%llu -> %llu : %llu", &a, &b, &cnt) == 3)
			timed += cnt;
	waitpid(pid, NULL, 0);
	printf(" timed %llu\n", timed);
	return 0;
}
