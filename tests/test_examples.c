// SPDX-License-Identifier: GPL-2.0
/*
 * The examples run as documented: opencount counts the opens it makes,
 * funclat times a function a command calls, slowcalls (docs/tutorial.md)
 * counts a command's calls and slow calls per function. Programs:
 * examples/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <errno.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "../examples/opencount.h"
#include "libpals.h"
#include "util.h"

/* Run @cmd with the examples directory's path; its first line matching @key. */
static int run(const char *cmd, const char *key, char *line, size_t size)
{
	char full[1024], buf[512];
	int found = 0;
	FILE *f;

	snprintf(full, sizeof(full), "PATH=%s/../examples:$PATH %s",
		 test_self_dir(), cmd);
	f = popen(full, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		if (!found && strstr(buf, key)) {
			snprintf(line, size, "%s", buf);
			found = 1;
		}
	}
	if (pclose(f))
		return -1;
	return found ? 0 : -1;
}

TEST(opencount)
{
	unsigned long long opens = 0;
	char line[512];

	ASSERT_EQ(0, run("opencount", "opens by uid 0:", line, sizeof(line)));
	ASSERT_EQ(1, sscanf(line, "opens by uid 0: %llu", &opens)) TH_LOG("%s", line);
	EXPECT_LE(3, opens);
}

/* The README's program, its loader naming a type the program does not use. */
TEST(opencount_type_mismatch)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct open_cfg cfg = {};
	char path[512];

	snprintf(path, sizeof(path), "%s/../examples/opencount.bpf.o",
		 test_self_dir());
	obj = bpf_object__open_file(path, NULL);
	ASSERT_NE(NULL, obj);
	ASSERT_EQ(0, pals_object__prepare(obj));
	ASSERT_EQ(0, bpf_object__load(obj));
	prog = bpf_object__find_program_by_name(obj, "count_opens");
	ASSERT_NE(NULL, prog);
	EXPECT_PALS_FAIL(pals_attach_kprobe(prog, "do_sys_openat2",
					    "struct pt_regs", &cfg, sizeof(cfg),
					    NULL),
			 EINVAL, "program 'count_opens' asks for 'struct open_cfg', not 'struct pt_regs'");
	bpf_object__close(obj);
}

/* Whether the kernel has kprobe_multi links (fprobe), which funclat uses. */
static bool has_kprobe_multi(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, " register_fprobe\n") != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * The same tool on the module and on the map fallback prints the same:
 * opencount's count of its own opens, funclat's calls of a sleep. Only
 * where the module is loaded (else there is one mode).
 */
TEST(same_output_both_modes)
{
	const char *cmds[][2] = {
		{ "opencount", "opens by uid 0:" },
		{ "funclat -t 1000 __x64_sys_clock_nanosleep -- sleep 0.2",
		  "__x64_sys_clock_nanosleep " },
	};
	PALS_OPTS(pals_ctx_opts, opts, .mode = PALS_MODE_MODULE);
	struct pals_ctx *ctx = pals_ctx__new(&opts);
	char mod[512], fb[512], cmd[600];
	unsigned long long c[8];
	size_t i;

	if (!ctx)
		SKIP(return, "pals.ko is not loaded: one mode only");
	pals_ctx__free(ctx);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(cmd, sizeof(cmd), "PALS_MODE=module %s", cmds[i][0]);
		ASSERT_EQ(0, run(cmd, cmds[i][1], mod, sizeof(mod))) TH_LOG("%s", cmd);
		snprintf(cmd, sizeof(cmd), "PALS_MODE=fallback %s", cmds[i][0]);
		ASSERT_EQ(0, run(cmd, cmds[i][1], fb, sizeof(fb))) TH_LOG("%s", cmd);
		if (i == 0) {
			EXPECT_STREQ(mod, fb);
			continue;
		}
		/* calls, timed, lost, slow of one sleep: the same counts */
		ASSERT_EQ(4, sscanf(mod, "__x64_sys_clock_nanosleep %llu %llu %llu %llu",
				    &c[0], &c[1], &c[2], &c[3])) TH_LOG("%s", mod);
		ASSERT_EQ(4, sscanf(fb, "__x64_sys_clock_nanosleep %llu %llu %llu %llu",
				    &c[4], &c[5], &c[6], &c[7])) TH_LOG("%s", fb);
		EXPECT_EQ(0, memcmp(c, c + 4, 4 * sizeof(c[0])))
			TH_LOG("module: %s fallback: %s", mod, fb);
	}
}

TEST(funclat)
{
	unsigned long long calls, timed, lost, slow;
	char line[512], cmd[600];

	if (!has_kprobe_multi())
		SKIP(return, "funclat needs kprobe_multi links, which this kernel lacks (no CONFIG_FPROBE)");

	ASSERT_EQ(0, run("funclat -t 1000 __x64_sys_clock_nanosleep -- sleep 0.2",
			 "__x64_sys_clock_nanosleep ", line, sizeof(line)));
	ASSERT_EQ(4, sscanf(line, "__x64_sys_clock_nanosleep %llu %llu %llu %llu",
			    &calls, &timed, &lost, &slow)) TH_LOG("%s", line);
	EXPECT_LE(1, calls);
	EXPECT_LE(1, timed);
	EXPECT_LE(1, slow);	/* 200 ms is over 1 ms */
	snprintf(cmd, sizeof(cmd), "%s/../examples/funclat 2>/dev/null",
		 test_self_dir());
	EXPECT_EQ(2, WEXITSTATUS(system(cmd)))
		TH_LOG("funclat without a function is a usage error");
}

/* Every call is as slow as 0 ns, none as slow as an hour. */
TEST(slowcalls)
{
	unsigned long long calls, slow;
	char line[512];

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	ASSERT_EQ(0, run("slowcalls -n 0 __x64_sys_getppid __x64_sys_getpgid -- "
			 "sh -c 'echo $PPID'", "__x64_sys_getppid", line,
			 sizeof(line)));
	ASSERT_EQ(2, sscanf(line, "__x64_sys_getppid calls %llu slow %llu",
			    &calls, &slow)) TH_LOG("%s", line);
	EXPECT_LE(1, calls);
	EXPECT_EQ(calls, slow);
	ASSERT_EQ(0, run("slowcalls -n 3600000000000 __x64_sys_getppid -- "
			 "sh -c 'echo $PPID'", "__x64_sys_getppid", line,
			 sizeof(line)));
	ASSERT_EQ(2, sscanf(line, "__x64_sys_getppid calls %llu slow %llu",
			    &calls, &slow)) TH_LOG("%s", line);
	EXPECT_LE(1, calls);
	EXPECT_EQ(0, slow);
}

TEST_HARNESS_MAIN
