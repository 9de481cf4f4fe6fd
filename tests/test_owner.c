// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership: a blob belongs to the socket that created it, not to its
 * portid, which netlink frees before the module hears of the release: a
 * socket that binds the same portid meanwhile gets nothing of the dying
 * socket's blobs, and keeps its own. Closing a socket that never created
 * a blob does not take the module's lock. Without CAP_SYS_ADMIN a socket
 * reads and lists only its own blobs. The creator's pid is reported as
 * the reader's pid namespace sees it, and as 0 once it has exited.
 * Programs: progs/owner.bpf.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/pals.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "owner.skel.h"
#include "nl.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

#define RACE_ROUNDS	300

FIXTURE(owner) {
	struct owner *skel;
	struct pals_ctx *ctx;
	int prog_fd;
	int blob_id;
	struct test_blob blob;
};

FIXTURE_SETUP(owner)
{
	self->skel = owner__open_and_load();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	self->prog_fd = bpf_program__fd(self->skel->progs.owner_prog);
	self->blob_id = test_btf_id(self->skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_GT(self->blob_id, 0);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
}

FIXTURE_TEARDOWN(owner)
{
	pals_ctx__free(self->ctx);
	owner__destroy(self->skel);
}

/* Create a blob through a raw socket: 0 and t->handle, or the error. */
static int raw_create(FIXTURE_DATA(owner) *self, struct test_nl *t)
{
	struct nlmsghdr *nlh = test_nl_req(t, PALS_CMD_CREATE, 0);

	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, self->prog_fd);
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, self->blob_id);
	mnl_attr_put(nlh, PALS_A_DATA, sizeof(self->blob), &self->blob);
	return test_nl_send(t, nlh);
}

/* @cmd on blob @handle through a raw socket. */
static int raw_handle_cmd(struct test_nl *t, __u8 cmd, __u64 handle)
{
	struct nlmsghdr *nlh = test_nl_req(t, cmd, 0);

	mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
	return test_nl_send(t, nlh);
}

static void *close_ctx(void *ctx)
{
	pals_ctx__free(ctx);
	return NULL;
}

/*
 * Round after round, socket A creates a blob and is closed by another
 * thread while socket B binds A's portid as soon as netlink frees it
 * (before the module hears of A's release, in some rounds), then tries
 * to pin A's blob and creates one of its own. B, without CAP_SYS_ADMIN,
 * must never pin A's blob, and its own blob must outlive A's release.
 */
TEST_F(owner, portid_reuse_gets_nothing)
{
	int round, hijacked = 0, lost = 0, err;
	struct pals_ctx *a;
	struct test_nl b;
	pthread_t closer;
	__u64 ha, hb;
	__u32 portid;

	ASSERT_EQ(0, test_drop_caps(true));
	for (round = 0; round < RACE_ROUNDS; round++) {
		a = pals_ctx__new(NULL);
		ASSERT_NE(NULL, a);
		ASSERT_EQ(0, pals_ctx__create(a, self->prog_fd, self->blob_id,
					      &self->blob, sizeof(self->blob),
					      NULL, &ha));
		portid = a->portid;
		ASSERT_EQ(0, pthread_create(&closer, NULL, close_ctx, a));
		ASSERT_EQ(0, test_nl_open(&b, self->ctx->family, portid));
		err = raw_handle_cmd(&b, PALS_CMD_PIN, ha);
		hijacked += !err;
		ASSERT_EQ(0, raw_create(self, &b));
		hb = b.handle;
		ASSERT_EQ(0, pthread_join(closer, NULL));
		lost += raw_handle_cmd(&b, PALS_CMD_GET, hb) != 0;
		EXPECT_EQ(-ENOENT, raw_handle_cmd(&b, PALS_CMD_GET, ha));
		if (!err)	/* do not leave a pinned blob behind */
			raw_handle_cmd(&b, PALS_CMD_DELETE, ha);
		test_nl_close(&b);
	}
	TH_LOG("%d rounds: B pinned A's blob in %d, lost its own in %d",
	       RACE_ROUNDS, hijacked, lost);
	EXPECT_EQ(0, hijacked);
	EXPECT_EQ(0, lost);
}

/* The address of the module's pals_mutex, or 0. */
/* Line by line: 7.x kernels have Rust symbols longer than any buffer. */
static __u64 pals_mutex_addr(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long addr, found = 0;
	char *line = NULL, type;
	size_t n = 0;
	int end;

	while (f && !found && getline(&line, &n, f) > 0)
		if (sscanf(line, "%llx %c pals_mutex%n", &addr, &type, &end) == 2 &&
		    end > 0 && !strcmp(line + end, "\t[pals]\n"))
			found = addr;
	free(line);
	if (f)
		fclose(f);
	return found;
}

/*
 * Closing a generic netlink socket that never created a blob does not
 * wait for the module's mutex, however many blobs came and went before;
 * closing one that did takes it once, to destroy them.
 */
TEST_F(owner, unrelated_close_takes_no_lock)
{
	struct bpf_link *link;
	struct pals_ctx *user;
	struct test_nl t;
	__u64 h;
	int i;

	self->skel->bss->mutex_addr = pals_mutex_addr();
	ASSERT_NE(0, self->skel->bss->mutex_addr);
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
					      &self->blob, sizeof(self->blob),
					      NULL, &h));
		if (i % 3)
			ASSERT_EQ(0, pals_ctx__delete(self->ctx, h));
	}
	/* With lockdep (the debug kernel) mutex_lock() is mutex_lock_nested(). */
	link = bpf_program__attach_kprobe(self->skel->progs.on_mutex_lock, false,
					  test_btf_has_func(NULL, "mutex_lock_nested") ?
					  "mutex_lock_nested" : "mutex_lock");
	ASSERT_NE(NULL, link);

	ASSERT_EQ(0, test_nl_open(&t, self->ctx->family, 0));	/* bound */
	self->skel->bss->locks = 0;
	test_nl_close(&t);
	EXPECT_EQ(0, self->skel->bss->locks);

	user = pals_ctx__new(NULL);
	ASSERT_NE(NULL, user);
	ASSERT_EQ(0, pals_ctx__create(user, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &h));
	self->skel->bss->locks = 0;
	pals_ctx__free(user);
	EXPECT_EQ(1, self->skel->bss->locks);
	bpf_link__destroy(link);
}

static int count_blob(const struct pals_blob_info *info, void *arg)
{
	__u64 *seen = arg;

	seen[0]++;
	seen[1] = info->handle;
	return 0;
}

/*
 * Without CAP_SYS_ADMIN, a socket reads and lists only its own blobs;
 * with it, every blob.
 */
TEST_F(owner, others_blobs_need_cap_sys_admin)
{
	struct pals_blob_info info;
	struct pals_ctx *other;
	__u64 mine, theirs, seen[2] = {};

	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &theirs));
	other = pals_ctx__new(NULL);
	ASSERT_NE(NULL, other);
	ASSERT_EQ(0, pals_ctx__create(other, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &mine));
	/* As root: every blob. */
	EXPECT_EQ(0, pals_ctx__get(other, theirs, &info, NULL, 0));
	ASSERT_EQ(0, pals_ctx__for_each(other, count_blob, seen));
	EXPECT_LE(2, seen[0]);

	ASSERT_EQ(0, test_drop_caps(true));
	EXPECT_EQ(-ENOENT, pals_ctx__get(other, theirs, &info, NULL, 0));
	EXPECT_NE(NULL, strstr(pals_last_error(), "no such blob"));
	EXPECT_EQ(0, pals_ctx__get(other, mine, &info, NULL, 0));
	seen[0] = 0;
	ASSERT_EQ(0, pals_ctx__for_each(other, count_blob, seen));
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(mine, seen[1]);
	seen[0] = 0;
	ASSERT_EQ(0, pals_ctx__for_each(self->ctx, count_blob, seen));
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(theirs, seen[1]);
	pals_ctx__free(other);
}

/*
 * @cmd on blob @handle (for DELETE_LINK and a READ dump, link @handle)
 * through a raw socket, with what else the command needs.
 */
static int ask(struct test_nl *t, __u8 cmd, __u16 flags, __u64 handle,
	       int link_fd)
{
	struct nlmsghdr *nlh = test_nl_req(t, cmd, flags);
	struct test_blob data = {};

	switch (cmd) {
	case PALS_CMD_BIND_BATCH:
		mnl_attr_put_u32(nlh, PALS_A_LINK_FD, link_fd);
		/* fall through */
	case PALS_CMD_DELETE_BATCH:
		mnl_attr_put(nlh, PALS_A_HANDLES, sizeof(handle), &handle);
		break;
	case PALS_CMD_DELETE_LINK:
		mnl_attr_put_u32(nlh, PALS_A_LINK_ID, handle);
		break;
	case PALS_CMD_READ:
		if (flags & NLM_F_DUMP) {
			mnl_attr_put_u32(nlh, PALS_A_LINK_ID, handle);
			break;
		}
		/* fall through */
	default:
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
		if (cmd == PALS_CMD_BIND)
			mnl_attr_put_u32(nlh, PALS_A_LINK_FD, link_fd);
		if (cmd == PALS_CMD_UPDATE || cmd == PALS_CMD_WRITE)
			mnl_attr_put(nlh, PALS_A_DATA, sizeof(data), &data);
	}
	return test_nl_send(t, nlh);
}

static __u32 blob_link_id(struct pals_ctx *ctx, __u64 handle)
{
	struct pals_blob_info info = {};

	pals_ctx__get(ctx, handle, &info, NULL, 0);
	return info.link_id;
}

/*
 * Without CAP_SYS_ADMIN, another socket's blob does not exist: every
 * command that takes a handle or a link id answers for it exactly as for
 * a deleted handle or a link without blobs, so that a caller cannot tell
 * a live blob from a dead one. Nothing of the other's changes.
 */
TEST_F(owner, not_yours_is_no_such_blob)
{
	static const struct { __u8 cmd; __u16 flags; } cmds[] = {
		{ PALS_CMD_GET, 0 }, { PALS_CMD_READ, 0 },
		{ PALS_CMD_UPDATE, 0 }, { PALS_CMD_WRITE, 0 },
		{ PALS_CMD_DELETE, 0 }, { PALS_CMD_PIN, 0 },
		{ PALS_CMD_UNPIN, 0 }, { PALS_CMD_BIND, 0 },
		{ PALS_CMD_BIND_BATCH, 0 }, { PALS_CMD_DELETE_BATCH, 0 },
		{ PALS_CMD_DELETE_LINK, 0 }, { PALS_CMD_READ, NLM_F_DUMP },
	};
	__u64 theirs, bound, stale, live_arg, dead_arg;
	struct bpf_link *link, *bare;
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct pals_blob_info info;
	char text[256];
	struct test_nl t;
	size_t i;
	int err;

	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &theirs));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &bound));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &stale));
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, stale));
	opts.bpf_cookie = bound;
	link = bpf_program__attach_kprobe_opts(self->skel->progs.owner_prog,
					       "__x64_sys_getpgid", &opts);
	bare = bpf_program__attach_kprobe_opts(self->skel->progs.owner_prog,
					       "__x64_sys_getpgid", NULL);
	ASSERT_NE(NULL, link);
	ASSERT_NE(NULL, bare);
	ASSERT_EQ(0, pals_ctx__bind(self->ctx, bound, bpf_link__fd(link)));

	ASSERT_EQ(0, test_drop_caps(true));
	ASSERT_EQ(0, test_nl_open(&t, self->ctx->family, 0));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		live_arg = theirs;
		dead_arg = stale;
		if (cmds[i].cmd == PALS_CMD_DELETE_LINK ||
		    cmds[i].flags & NLM_F_DUMP) {
			live_arg = blob_link_id(self->ctx, bound);
			dead_arg = test_link_id(bare);
		}
		err = ask(&t, cmds[i].cmd, cmds[i].flags, live_arg,
			  bpf_link__fd(bare));
		snprintf(text, sizeof(text), "%s", t.extack);
		EXPECT_EQ(cmds[i].flags & NLM_F_DUMP ? 0 : -ENOENT, err)
			TH_LOG("command %u: %s", cmds[i].cmd, text);
		EXPECT_EQ(0, t.replies) TH_LOG("command %u", cmds[i].cmd);
		EXPECT_EQ(err, ask(&t, cmds[i].cmd, cmds[i].flags, dead_arg,
				   bpf_link__fd(bare)))
			TH_LOG("command %u", cmds[i].cmd);
		EXPECT_STREQ(text, t.extack) TH_LOG("command %u", cmds[i].cmd);
	}
	test_nl_close(&t);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, theirs, &info, NULL, 0));
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(0, info.link_id);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, bound, &info, NULL, 0));
	EXPECT_NE(0, info.link_id);
	bpf_link__destroy(link);
	bpf_link__destroy(bare);
}

/*
 * The creator's pid as the reader's pid namespace sees it: a child in a
 * new pid namespace (its pid 1 there) creates a pinned blob, this process
 * sees the child's pid in its own namespace; the child sees 0 for this
 * process's blob, whose creator its namespace does not contain; once the
 * child has exited, its blob's creator is 0 too.
 */
TEST_F(owner, owner_pid_in_readers_namespace)
{
	struct pals_blob_info info;
	int to_child[2], from_child[2], status;
	__u64 mine, msg[2];
	pid_t child;
	char c;

	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->blob_id,
				      &self->blob, sizeof(self->blob), NULL, &mine));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, mine, &info, NULL, 0));
	EXPECT_EQ(getpid(), info.owner_pid);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(from_child));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct pals_ctx *ctx = pals_ctx__new(NULL);
		PALS_OPTS(pals_create_opts, opts, .flags = PALS_F_PINNED);

		if (!ctx || getpid() != 1 ||
		    pals_ctx__create(ctx, self->prog_fd, self->blob_id,
				     &self->blob, sizeof(self->blob), &opts, &msg[0]) ||
		    pals_ctx__get(ctx, mine, &info, NULL, 0))
			_exit(1);
		msg[1] = info.owner_pid;
		if (write(from_child[1], msg, sizeof(msg)) != sizeof(msg) ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(sizeof(msg), read(from_child[0], msg, sizeof(msg)));
	EXPECT_EQ(0, msg[1]);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, msg[0], &info, NULL, 0));
	EXPECT_EQ(child, info.owner_pid);

	ASSERT_EQ(1, write(to_child[1], "x", 1));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, msg[0], &info, NULL, 0));
	EXPECT_EQ(0, info.owner_pid);
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, msg[0]));
}

TEST_HARNESS_MAIN
