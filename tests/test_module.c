// SPDX-License-Identifier: GPL-2.0
/*
 * The module's own lifetime: rmmod is refused while a loaded program
 * calls the kfunc, and works afterwards; it frees pinned blobs; insmod
 * and rmmod in a loop with blobs made in between. Also creators killed
 * with SIGKILL in the middle of their work. Programs: progs/ctl.bpf.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pals.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "ctl.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

#define BLOB "struct test_blob"

static int module_refcnt(void)
{
	FILE *f = fopen("/sys/module/pals/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

FIXTURE(module) {
};

FIXTURE_SETUP(module)
{
	ASSERT_NE(NULL, getenv("PALS_KO")) TH_LOG("PALS_KO: path of pals.ko");
}

/* Whatever failed, the next test finds the module loaded. */
FIXTURE_TEARDOWN(module)
{
	if (access("/sys/module/pals", F_OK))
		EXPECT_EQ(0, test_insmod());
}

TEST_F(module, unload_refused_while_kfunc_user_loaded)
{
	struct ctl *skel;

	skel = ctl__open_and_load();
	ASSERT_NE(NULL, skel);
	EXPECT_LT(0, module_refcnt());
	EXPECT_EQ(-EBUSY, test_rmmod(1));
	ctl__destroy(skel);
	ASSERT_EQ(0, test_rmmod(100));
	ASSERT_EQ(0, test_insmod());
}

static bool prog_gone(__u32 id)
{
	int i, fd;

	for (i = 0; i < 100; i++) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			return errno == ENOENT;
		close(fd);
		usleep(50000);
	}
	return false;
}

/* Module exit frees pinned blobs, and puts their programs. */
TEST_F(module, unload_frees_pinned_blobs)
{
	PALS_OPTS(pals_create_opts, pinned, .flags = PALS_F_PINNED);
	struct test_blob blob = {};
	struct pals_blob_info info;
	struct pals_stats st;
	struct pals_ctx *ctx;
	struct ctl *skel;
	__u64 h;
	int id;

	skel = ctl__open();
	ASSERT_NE(NULL, skel);
	bpf_program__set_autoload(skel->progs.ctl_a, false);
	bpf_program__set_autoload(skel->progs.ctl_b, false);
	ASSERT_EQ(0, ctl__load(skel));
	ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, ctx);
	/* ctl_plain asks for no type: libpals would refuse to name one. */
	id = test_btf_id(skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, pals_ctx__create(ctx, bpf_program__fd(skel->progs.ctl_plain),
				      id, &blob, sizeof(blob), &pinned, &h));
	ASSERT_EQ(0, pals_ctx__get(ctx, h, &info, NULL, 0));
	pals_ctx__free(ctx);
	ctl__destroy(skel);
	EXPECT_FALSE(prog_gone(info.prog_id));	/* the blob holds it */

	ASSERT_EQ(0, test_rmmod(100));
	EXPECT_TRUE(prog_gone(info.prog_id));
	ASSERT_EQ(0, test_insmod());
	ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(0, pals_ctx__stats(ctx, &st));
	EXPECT_EQ(0, st.blobs);
	pals_ctx__free(ctx);
}

/* Attach, use; leave the rest to exit (@keep) or destroy. 0 if all went well. */
static int attach_and_use(bool keep)
{
	const char *syms[] = {
		"__x64_sys_getpgid", "__x64_sys_getppid",
		"__x64_sys_getsid", "__x64_sys_getuid",
	};
	struct test_blob blobs[4] = { { .in = 1 }, { .in = 2 }, { .in = 3 } };
	struct pals_link *one, *multi;
	struct pals_stats st;
	struct ctl *skel;
	int err = -1;

	skel = ctl__open();
	if (!skel)
		return -1;
	skel->bss->target_pid = getpid();
	if (ctl__load(skel))
		goto out;
	one = pals_attach_kprobe(skel->progs.ctl_b, "__x64_sys_getpgid", BLOB,
				 blobs, sizeof(blobs[0]), NULL);
	multi = pals_attach_kprobe_multi(skel->progs.ctl_multi, syms, 4, BLOB, blobs,
					 sizeof(blobs[0]), NULL);
	test_trigger_getpgid();
	if (one && multi && skel->bss->runs == 2 &&
	    !pals_ctx__stats(pals_ctx__default(), &st) && st.blobs == 5)
		err = 0;
	if (keep)
		return err;
	pals_link__destroy(multi);
	pals_link__destroy(one);
out:
	ctl__destroy(skel);
	return err;
}

/*
 * Each round: attachments left to a process exit, others destroyed, rmmod.
 * A debug kernel, ten times slower, runs a quarter of the rounds: its
 * detectors see every path in the first.
 */
TEST_F_TIMEOUT(module, insmod_rmmod_loop, 300)
{
	int i, status, rounds = test_timeout_scale() > 1 ? 5 : 20;
	pid_t pid;

	for (i = 0; i < rounds; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(attach_and_use(true) ? 1 : 0);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, status) TH_LOG("round %d: child", i);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(attach_and_use(false) ? 1 : 0);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, status) TH_LOG("round %d: destroying child", i);
		ASSERT_EQ(0, test_rmmod(100)) TH_LOG("round %d", i);
		ASSERT_EQ(0, test_insmod());
	}
}

/* A creator making attachments in a loop, until killed. */
static void creator(int ready)
{
	struct test_blob blob = {};
	struct pals_link *pl;
	struct ctl *skel;

	skel = ctl__open_and_load();
	if (!skel)
		_exit(1);
	for (;;) {
		pl = pals_attach_kprobe(skel->progs.ctl_a, "__x64_sys_getpgid",
					BLOB, &blob, sizeof(blob), NULL);
		if (!pl)
			_exit(2);
		if (ready >= 0 && write(ready, "", 1) == 1)
			ready = -1;
		if (rand() % 2)
			pals_link__destroy(pl);
	}
}

TEST_F_TIMEOUT(module, sigkill_mid_operation, 120)
{
	struct pals_ctx *ctx = pals_ctx__new(NULL);
	struct pals_stats base, st;
	int i, tries, status, ready[2];
	char c;
	pid_t pid;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(0, test_stats_settle(ctx, &base, TEST_BYTES_SETTLED));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, pipe(ready));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			creator(ready[1]);
		ASSERT_EQ(1, read(ready[0], &c, 1));	/* it has begun */
		close(ready[0]);
		close(ready[1]);
		usleep((i % 5) * 13000);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("creator exited %d",
							WEXITSTATUS(status));
	}
	/* The sockets are released on exit; their blobs went with them. */
	for (tries = 0; tries < 100; tries++) {
		ASSERT_EQ(0, pals_ctx__stats(ctx, &st));
		if (st.blobs == base.blobs)
			break;
		usleep(20000);
	}
	EXPECT_EQ(base.blobs, st.blobs);
	EXPECT_EQ(0, test_stats_settle(ctx, &st, base.bytes));
	EXPECT_LT(base.creates, st.creates);
	pals_ctx__free(ctx);
	/* And so their links and programs: the module can go. */
	ASSERT_EQ(0, test_rmmod(100));
	ASSERT_EQ(0, test_insmod());
}

TEST_HARNESS_MAIN
