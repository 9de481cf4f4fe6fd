// SPDX-License-Identifier: GPL-2.0
/*
 * A program that cannot load for a reason libpals can name gets one line
 * of libpals, with the fix, through its print callback before libbpf's
 * message: the kfunc unresolved because pals.ko is not loaded, and the
 * capabilities BPF tracing needs. Programs: progs/kinds.bpf.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "kinds.skel.h"
#include "libpals.h"
#include "util.h"

static char said[4096];

static int capture(enum pals_print_level level, const char *format,
		   va_list args)
{
	size_t n = strlen(said);

	(void)level;
	vsnprintf(said + n, sizeof(said) - n, format, args);
	return 0;
}

static void setup_print(void)
{
	said[0] = 0;
	pals_set_print(capture);
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (; (text = strstr(text, what)); text++)
		n++;
	return n;
}

TEST(kfunc_without_module)
{
	struct kinds *skel;

	ASSERT_NE(NULL, getenv("PALS_KO"));
	ASSERT_EQ(0, test_rmmod(100));
	setup_print();
	skel = kinds__open_and_load();
	EXPECT_EQ(NULL, skel);
	kinds__destroy(skel);
	pals_set_print(NULL);
	EXPECT_EQ(0, test_insmod());
	EXPECT_NE(NULL, strstr(said, "libpals: kfunc bpf_pals_get unresolved: pals.ko is not loaded; run 'modprobe pals'"))
		TH_LOG("said: %s", said);
	/* Once, however many programs call it. */
	EXPECT_EQ(1, count(said, "libpals: kfunc"));
}

TEST(no_capabilities)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct kinds *skel;

		setup_print();
		if (test_drop_caps(false))
			_exit(2);
		skel = kinds__open_and_load();
		_exit(!skel && strstr(said, "libpals: BPF tracing needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN): run as root, or grant them") ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Loading with the module there and every capability: nothing said. */
TEST(nothing_to_say)
{
	struct kinds *skel;

	setup_print();
	skel = kinds__open_and_load();
	pals_set_print(NULL);
	EXPECT_NE(NULL, skel);
	kinds__destroy(skel);
	EXPECT_STREQ("", said);
}

TEST_HARNESS_MAIN
