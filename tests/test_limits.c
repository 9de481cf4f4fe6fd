// SPDX-License-Identifier: GPL-2.0
/*
 * Limits: max_size takes 1 .. PALS_SIZE_LIMIT only; a blob of that size
 * is allocated (from vmalloc) and read by a program, and when its memory
 * cgroup has no room the create fails with -ENOMEM and a message, never
 * a kernel warning. An update is checked against the blob's own size,
 * not today's max_size; and against max_bytes, which counts the copy an
 * update replaces until it is freed. A GET, READ and read_all of a 1 MiB
 * blob come back whole, and the context's next request is its own.
 * Programs: progs/limits.bpf.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/pals.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "limits.skel.h"
#include "nl.h"
#include "libpals.h"
#include "util.h"

#define CGROUP	"/sys/fs/cgroup/pals-limits"

FIXTURE(limits) {
	struct limits *skel;
	struct pals_ctx *ctx;
	long max_size, max_bytes;
	__u8 *big;		/* PALS_SIZE_LIMIT bytes */
};

FIXTURE_SETUP(limits)
{
	int buf = 4 * PALS_SIZE_LIMIT;

	self->skel = limits__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, limits__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	/* A 1 MiB request is larger than the default send buffer. */
	ASSERT_EQ(0, setsockopt(mnl_socket_get_fd(self->ctx->nl), SOL_SOCKET,
				SO_SNDBUFFORCE, &buf, sizeof(buf)));
	self->max_size = test_param_get("max_size");
	self->max_bytes = test_param_get("max_bytes");
	ASSERT_EQ(PALS_DEFAULT_MAX_SIZE, self->max_size);
	self->big = malloc(PALS_SIZE_LIMIT);
	ASSERT_NE(NULL, self->big);
	memset(self->big, 0x5a, PALS_SIZE_LIMIT);
	self->big[0] = 1;
	self->big[PALS_SIZE_LIMIT - 1] = 2;
}

FIXTURE_TEARDOWN(limits)
{
	test_param_set("max_size", self->max_size);
	test_param_set("max_bytes", self->max_bytes);
	free(self->big);
	pals_ctx__free(self->ctx);
	limits__destroy(self->skel);
}

static int type_id(FIXTURE_DATA(limits) *self, const char *name)
{
	return test_btf_id(self->skel->obj, name, BTF_KIND_STRUCT);
}

static int create(FIXTURE_DATA(limits) *self, struct bpf_program *prog,
		  const char *type, size_t size, __u64 *h)
{
	return pals_ctx__create(self->ctx, bpf_program__fd(prog),
				type_id(self, type), self->big, size, NULL, h);
}

/* max_size outside 1 .. PALS_SIZE_LIMIT is refused and left as it was. */
TEST_F(limits, max_size_is_bounded)
{
	static const unsigned long bad[] = {
		0, PALS_SIZE_LIMIT + 1, 16 << 20, 1UL << 32,
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* -ERANGE for what does not fit an unsigned int */
		EXPECT_EQ(bad[i] >> 32 ? -ERANGE : -EINVAL,
			  test_param_set("max_size", bad[i]))
			TH_LOG("max_size %lu", bad[i]);
		EXPECT_EQ(PALS_DEFAULT_MAX_SIZE, test_param_get("max_size"));
	}
	EXPECT_EQ(0, test_param_set("max_size", PALS_SIZE_LIMIT));
	EXPECT_EQ(PALS_SIZE_LIMIT, test_param_get("max_size"));
	EXPECT_EQ(0, test_param_set("max_size", 1));
	EXPECT_EQ(1, test_param_get("max_size"));
}

/* A blob of the largest size max_size allows: made, and seen by a program. */
TEST_F(limits, largest_blob)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct pals_link *pl;

	ASSERT_EQ(0, test_param_set("max_size", PALS_SIZE_LIMIT));
	pl = pals_attach_kprobe(self->skel->progs.limits_big, "__x64_sys_getpgid",
				"struct limit_blob", self->big, PALS_SIZE_LIMIT,
				&opts);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	EXPECT_EQ(1, self->skel->bss->runs);
	EXPECT_EQ(1, self->skel->bss->first);
	EXPECT_EQ(2, self->skel->bss->last);
	pals_link__destroy(pl);
}

/*
 * The replies to GET, READ and read_all of a 1 MiB blob are larger than
 * any fixed receive buffer of libpals: each comes back whole, and the
 * next request on the same context gets its own answer, not the ack left
 * behind by the last. Nothing is left once the link is destroyed.
 */
TEST_F(limits, largest_blob_read_back)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct pals_stats base, st;
	struct pals_blob_info info;
	struct pals_link *pl;
	__u8 *back;
	__u64 h;

	back = malloc(PALS_SIZE_LIMIT);
	ASSERT_NE(NULL, back);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &base, TEST_BYTES_SETTLED));
	ASSERT_EQ(0, test_param_set("max_size", PALS_SIZE_LIMIT));
	pl = pals_attach_kprobe(self->skel->progs.limits_big, "__x64_sys_getpgid",
				"struct limit_blob", self->big, PALS_SIZE_LIMIT,
				&opts);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());

	memset(back, 0, PALS_SIZE_LIMIT);
	EXPECT_EQ(0, pals_ctx__get(self->ctx, pals_link__handle(pl, 0), &info,
				   back, PALS_SIZE_LIMIT))
		TH_LOG("get: %s", pals_last_error());
	EXPECT_EQ(PALS_SIZE_LIMIT, info.size);
	EXPECT_EQ(0, memcmp(back, self->big, PALS_SIZE_LIMIT));
	EXPECT_EQ(0, create(self, self->skel->progs.limits_max, "max_blob",
			    65536, &h)) TH_LOG("after get: %s", pals_last_error());
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));

	memset(back, 0, PALS_SIZE_LIMIT);
	EXPECT_EQ(0, pals_link__read(pl, 0, back, PALS_SIZE_LIMIT))
		TH_LOG("read: %s", pals_last_error());
	EXPECT_EQ(0, memcmp(back, self->big, PALS_SIZE_LIMIT));
	EXPECT_EQ(0, create(self, self->skel->progs.limits_max, "max_blob",
			    65536, &h)) TH_LOG("after read: %s", pals_last_error());
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));

	memset(back, 0, PALS_SIZE_LIMIT);
	EXPECT_EQ(0, pals_link__read_all(pl, back, PALS_SIZE_LIMIT))
		TH_LOG("read_all: %s", pals_last_error());
	EXPECT_EQ(0, memcmp(back, self->big, PALS_SIZE_LIMIT));
	EXPECT_EQ(0, create(self, self->skel->progs.limits_max, "max_blob",
			    65536, &h)) TH_LOG("after read_all: %s", pals_last_error());
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));

	EXPECT_EQ(0, pals_link__destroy(pl));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, base.bytes));
	EXPECT_EQ(base.blobs, st.blobs);
	free(back);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	setvbuf(f, NULL, _IONBF, 0);
	err = fputs(text, f) < 0 ? -errno : 0;
	fclose(f);
	return err;
}

/*
 * In a memory cgroup with less than 1 MiB of room, creating a 1 MiB blob
 * fails with -ENOMEM and says so; no warning, no OOM kill, nothing
 * charged against max_bytes.
 */
TEST_F(limits, no_memory_is_enomem)
{
	struct pals_stats before, after;
	unsigned long current;
	int status, err;
	char text[64];
	FILE *f;
	pid_t pid;

	if (write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory") ||
	    (mkdir(CGROUP, 0755) && errno != EEXIST))
		SKIP(return, "no memory cgroup controller");
	ASSERT_EQ(0, test_param_set("max_size", PALS_SIZE_LIMIT));
	ASSERT_EQ(0, test_stats_settle(self->ctx, &before, TEST_BYTES_SETTLED));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		cpu_set_t cpu;

		/*
		 * Room for half the blob besides what the child uses; the
		 * request libpals builds reuses heap charged before. On one
		 * CPU: the failed allocation's pages go back to that CPU's
		 * charge stock, where another CPU's page fault could see the
		 * cgroup full until a drain that runs asynchronously.
		 */
		CPU_ZERO(&cpu);
		CPU_SET(sched_getcpu(), &cpu);
		if (sched_setaffinity(0, sizeof(cpu), &cpu))
			_exit(104);
		mallopt(M_MMAP_THRESHOLD, 32 << 20);
		mallopt(M_TRIM_THRESHOLD, 64 << 20);
		free(memset(malloc(4 * PALS_SIZE_LIMIT), 1, 4 * PALS_SIZE_LIMIT));
		snprintf(text, sizeof(text), "%d", getpid());
		if (write_file(CGROUP "/cgroup.procs", text))
			_exit(100);
		f = fopen(CGROUP "/memory.current", "r");
		if (!f || fscanf(f, "%lu", &current) != 1)
			_exit(102);
		fclose(f);
		snprintf(text, sizeof(text), "%lu", current + PALS_SIZE_LIMIT / 2);
		if (write_file(CGROUP "/memory.max", text))
			_exit(103);
		err = create(self, self->skel->progs.limits_big, "limit_blob",
			     PALS_SIZE_LIMIT, &(__u64){0});
		_exit(err == -ENOMEM && strstr(pals_last_error(), "cannot allocate") ?
		      0 : 101);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("killed by signal %d", WTERMSIG(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, rmdir(CGROUP));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &after, before.bytes));
	EXPECT_EQ(before.blobs, after.blobs);
}

/* Lowering max_size does not stop same-size updates of bigger blobs. */
TEST_F(limits, update_ignores_max_size)
{
	__u64 h;

	ASSERT_EQ(0, create(self, self->skel->progs.limits_max, "max_blob",
			    65536, &h));
	ASSERT_EQ(0, test_param_set("max_size", 512));
	EXPECT_EQ(0, pals_ctx__update(self->ctx, h, self->big, 65536))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(-E2BIG, create(self, self->skel->progs.limits_max, "max_blob",
				 65536, &(__u64){0}));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));
}

/*
 * max_bytes counts every copy until it is freed: with room for exactly
 * one blob, updating it (a second copy while the first waits for its
 * grace periods) is refused; with room for two it is not, and the count
 * returns to one blob's once the old copy is freed.
 */
TEST_F(limits, update_copies_count)
{
	struct pals_stats base, st;
	__u64 h, cost;

	ASSERT_EQ(0, test_stats_settle(self->ctx, &base, TEST_BYTES_SETTLED));
	ASSERT_EQ(0, create(self, self->skel->progs.limits_max, "max_blob",
			    65536, &h));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	cost = st.bytes - base.bytes;
	ASSERT_EQ(0, test_param_set("max_bytes", base.bytes + cost));
	EXPECT_EQ(-ENOSPC, pals_ctx__update(self->ctx, h, self->big, 65536));
	EXPECT_NE(NULL, strstr(pals_last_error(), "max_bytes"));
	ASSERT_EQ(0, test_param_set("max_bytes", base.bytes + 2 * cost));
	EXPECT_EQ(0, pals_ctx__update(self->ctx, h, self->big, 65536));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, base.bytes + cost));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, base.bytes));
}

TEST_HARNESS_MAIN
