// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "usdt.h"
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

/* Another body, so that the compiler cannot fold the two. */
__attribute__((noinline)) void test_uprobe_other(void)
{
	asm volatile ("nop" ::: "memory");
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

const char *test_self_dir(void)
{
	static char dir[PATH_MAX];
	char *slash;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s", test_self_exe());
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
	}
	return dir;
}

unsigned long test_func_offset(const char *name)
{
	unsigned long off = 0;
	int fd = open(test_self_exe(), O_RDONLY);
	__u64 addr;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || pals_usdt_sym(elf, name, &addr) ||
	    pals_usdt_offset(elf, addr, true, &off))
		off = 0;
	elf_end(elf);
	close(fd);
	return off;
}

bool test_link_gone(__u32 id)
{
	int i, fd;

	/* Link release is deferred to a workqueue: wait for the id to go. */
	for (i = 0; i < 500; i++) {
		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0 && errno == ENOENT)
			return true;
		if (fd >= 0)
			close(fd);
		usleep(10000);
	}
	return false;
}

int test_drop_caps(bool keep_bpf)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};

	if (keep_bpf) {
		if (syscall(SYS_capget, &hdr, data))
			return -errno;
		data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	}
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int test_rmmod(int tries)
{
	while (tries-- > 0) {
		if (!system("rmmod pals 2>/dev/null"))
			return 0;
		if (tries)
			usleep(50000);
	}
	return -EBUSY;
}

int test_insmod(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "insmod %s", getenv("PALS_KO"));
	return system(cmd) ? -EIO : 0;
}
