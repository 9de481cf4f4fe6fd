// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/btf.h>

#include "util.h"

int test_btf_id(const struct bpf_object *obj, const char *name, int kind)
{
	const struct btf *btf = bpf_object__btf(obj);

	return btf ? btf__find_by_name_kind(btf, name, kind) : -ENOENT;
}

void test_trigger_getpgid(void)
{
	/* A pid, not 0: only then does the LSM hook run. */
	syscall(SYS_getpgid, getpid());
}

__attribute__((noinline)) void test_uprobe_target(void)
{
	asm volatile ("" ::: "memory");
}

void test_trigger_uprobe(void)
{
	test_uprobe_target();
}

void test_spin_ms(int ms)
{
	struct timespec start, now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 +
		 (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

int test_closed_fd(void)
{
	int fd = fcntl(0, F_DUPFD, 900);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? 999 : fd;
}

const char *test_self_exe(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	if (!path[0]) {
		n = readlink("/proc/self/exe", path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
	}
	return path;
}
