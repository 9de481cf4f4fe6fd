// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetime: a blob dies with the socket that created it and takes its
 * link along; pinned blobs survive until deleted. Programs: progs/ctl.bpf.c.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/pals.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "ctl.skel.h"
#include "nl.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

FIXTURE(lifetime) {
	struct ctl *skel;
	struct pals_ctx *ctx;
	int prog_fd;
	int blob_id;
	struct test_blob blob;
	struct pals_stats base;
};

FIXTURE_SETUP(lifetime)
{
	self->skel = ctl__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, ctl__load(self->skel));
	self->prog_fd = bpf_program__fd(self->skel->progs.ctl_a);
	self->blob_id = test_btf_id(self->skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_GT(self->blob_id, 0);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &self->base, TEST_BYTES_SETTLED));
}

FIXTURE_TEARDOWN(lifetime)
{
	pals_ctx__free(self->ctx);
	ctl__destroy(self->skel);
}

TEST_F(lifetime, socket_close_frees_blob_and_detaches_link)
{
	struct pals_ctx *owner = pals_ctx__new(NULL);
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct pals_blob_info info;
	struct pals_stats st;
	struct bpf_link *link;
	__u64 runs;

	ASSERT_NE(NULL, owner);
	ASSERT_EQ(0, pals_ctx__create(owner, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL,
				      &opts.bpf_cookie));
	link = bpf_program__attach_kprobe_opts(self->skel->progs.ctl_a,
					       "__x64_sys_getpgid", &opts);
	ASSERT_NE(NULL, link);
	ASSERT_EQ(0, pals_ctx__bind(owner, opts.bpf_cookie, bpf_link__fd(link)));
	ASSERT_EQ(0, pals_ctx__get(owner, opts.bpf_cookie, &info, NULL, 0));
	ASSERT_NE(0, info.link_id);

	/* Only the blob holds the link now: the program still runs. */
	bpf_link__destroy(link);
	test_trigger_getpgid();
	runs = self->skel->bss->runs;
	EXPECT_EQ(1, runs);

	pals_ctx__free(owner);
	EXPECT_TRUE(test_link_gone(info.link_id));
	test_trigger_getpgid();
	EXPECT_EQ(runs, self->skel->bss->runs);
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, self->base.bytes));
	EXPECT_EQ(self->base.blobs, st.blobs);
	EXPECT_EQ(self->base.bytes, st.bytes);
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, info.handle, NULL, NULL, 0));
}

/*
 * A link with two files, its pin opened again: a blob bound through each,
 * in two requests, so two batches hold a reference each, on their own
 * file. DELETE_LINK puts each on the file it was taken from: once every
 * descriptor and the pin are gone, the link is released.
 */
TEST_F(lifetime, delete_link_puts_each_file)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct pals_blob_info info;
	struct bpf_link *link;
	__u64 handles[2];
	char path[64];
	int i, fd2;

	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd,
					      self->blob_id, &self->blob,
					      sizeof(self->blob), NULL,
					      &handles[i]));
	opts.bpf_cookie = handles[0];
	link = bpf_program__attach_kprobe_opts(self->skel->progs.ctl_a,
					       "__x64_sys_getpgid", &opts);
	ASSERT_NE(NULL, link);
	snprintf(path, sizeof(path), "/sys/fs/bpf/pals_lifetime_%d", getpid());
	ASSERT_EQ(0, bpf_link__pin(link, path));
	fd2 = bpf_obj_get(path);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, pals_ctx__bind(self->ctx, handles[0], bpf_link__fd(link)));
	ASSERT_EQ(0, pals_ctx__bind(self->ctx, handles[1], fd2));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handles[1], &info, NULL, 0));

	EXPECT_EQ(2, pals_ctx__delete_link(self->ctx, info.link_id));
	/* Each file still has its descriptor, and the link its pin. */
	self->skel->bss->nulls = 0;
	test_trigger_getpgid();
	EXPECT_EQ(1, self->skel->bss->nulls);
	EXPECT_EQ(0, bpf_link__unpin(link));
	bpf_link__destroy(link);
	EXPECT_EQ(0, close(fd2));
	EXPECT_TRUE(test_link_gone(info.link_id));
	test_trigger_getpgid();
	EXPECT_EQ(1, self->skel->bss->nulls);
}

TEST_F(lifetime, process_exit_frees_blob)
{
	struct pals_stats st;
	int status, pipefd[2];
	__u64 handle = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct pals_ctx *ctx = pals_ctx__new(NULL);

		if (!ctx || pals_ctx__create(ctx, self->prog_fd, self->blob_id,
					     &self->blob, sizeof(self->blob),
					     NULL, &handle))
			_exit(1);
		_exit(write(pipefd[1], &handle, sizeof(handle)) != sizeof(handle));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(sizeof(handle), read(pipefd[0], &handle, sizeof(handle)));
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	EXPECT_EQ(self->base.blobs, st.blobs);
	EXPECT_EQ(self->base.creates + 1, st.creates);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(lifetime, pinned_survives_until_deleted)
{
	struct pals_ctx *owner = pals_ctx__new(NULL);
	LIBBPF_OPTS(pals_create_opts, opts, .flags = PALS_F_PINNED);
	struct pals_blob_info info;
	struct test_blob out;
	__u64 handle;

	ASSERT_NE(NULL, owner);
	ASSERT_EQ(0, pals_ctx__create(owner, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), &opts,
				      &handle));
	pals_ctx__free(owner);

	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, &info, &out, sizeof(out)));
	EXPECT_EQ(PALS_F_PINNED, info.flags);
	EXPECT_EQ(0, memcmp(&out, &self->blob, sizeof(out)));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, handle));
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
}

TEST_F(lifetime, unpin_keeps_a_live_owner)
{
	struct pals_ctx *owner = pals_ctx__new(NULL);
	struct pals_ctx *other = pals_ctx__new(NULL);
	__u64 handle;

	ASSERT_NE(NULL, owner);
	ASSERT_NE(NULL, other);
	ASSERT_EQ(0, pals_ctx__create(owner, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL,
				      &handle));
	ASSERT_EQ(0, pals_ctx__pin(owner, handle));
	ASSERT_EQ(0, pals_ctx__unpin(other, handle));
	pals_ctx__free(other);
	EXPECT_EQ(0, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
	pals_ctx__free(owner);
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
}

/* An orphan, pinned blob goes to whoever unpins it. */
TEST_F(lifetime, unpin_hands_blob_to_caller)
{
	struct pals_ctx *owner = pals_ctx__new(NULL);
	struct pals_ctx *adopter = pals_ctx__new(NULL);
	__u64 handle;

	ASSERT_NE(NULL, owner);
	ASSERT_NE(NULL, adopter);
	ASSERT_EQ(0, pals_ctx__create(owner, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL,
				      &handle));
	ASSERT_EQ(0, pals_ctx__pin(owner, handle));
	pals_ctx__free(owner);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));

	ASSERT_EQ(0, pals_ctx__unpin(adopter, handle));
	pals_ctx__free(adopter);
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
}

struct dump_count {
	__u64 seen;
	int bound;
};

static int count_blob(const struct pals_blob_info *info, void *arg)
{
	struct dump_count *c = arg;

	c->seen++;
	c->bound += !!info->link_id;
	return 0;
}

TEST_F(lifetime, dump_lists_every_blob)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct dump_count c = { 0 };
	struct bpf_link *link;
	__u64 handle;
	int i;

	/* Enough for the dump to span several messages. */
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd,
					      self->blob_id, &self->blob,
					      sizeof(self->blob), NULL, &handle));
		if (!i)
			opts.bpf_cookie = handle;
	}
	link = bpf_program__attach_kprobe_opts(self->skel->progs.ctl_a,
					       "__x64_sys_getpgid", &opts);
	ASSERT_NE(NULL, link);
	ASSERT_EQ(0, pals_ctx__bind(self->ctx, opts.bpf_cookie, bpf_link__fd(link)));
	bpf_link__destroy(link);

	ASSERT_EQ(0, pals_ctx__for_each(self->ctx, count_blob, &c));
	EXPECT_EQ(300 + self->base.blobs, c.seen);
	EXPECT_EQ(1, c.bound);
}

/*
 * A READ dump's range is each blob's: a blob it does not fit in, one
 * smaller than PALS_A_OFFSET, is left out; the dump goes on to the next.
 */
TEST_F(lifetime, read_dump_skips_smaller_blobs)
{
	int max_id = test_btf_id(self->skel->obj, "max_blob", BTF_KIND_STRUCT);
	static __u8 big[65536];
	struct nlmsghdr *nlh;
	__u64 small, large;
	struct test_nl t;

	ASSERT_LT(0, max_id);
	ASSERT_EQ(0, self->base.blobs);
	big[100] = 42;
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &small));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, max_id, big,
				      sizeof(big), NULL, &large));
	ASSERT_EQ(0, test_nl_open(&t, self->ctx->family, 0));
	nlh = test_nl_req(&t, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_OFFSET, 100);
	mnl_attr_put_u32(nlh, PALS_A_LENGTH, 8);
	EXPECT_EQ(0, test_nl_send(&t, nlh)) TH_LOG("%s", t.extack);
	EXPECT_EQ(1, t.replies);
	EXPECT_EQ(large, t.handle);
	test_nl_close(&t);
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, small));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, large));
}

TEST_HARNESS_MAIN
