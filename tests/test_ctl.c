// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane: every command's success and error paths, with the
 * errno the uapi header documents and a non-empty extack message.
 * Programs: progs/ctl.bpf.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
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

/* A command fails with @err and the kernel says why. */
#define EXPECT_REJECT(err, call) do {					\
	EXPECT_EQ(-(err), (call));					\
	EXPECT_STRNE("", pals_last_error());			\
	TH_LOG("%s", pals_last_error());			\
} while (0)

FIXTURE(ctl) {
	struct ctl *skel;
	struct pals_ctx *ctx;
	int prog_a, prog_b;
	int blob_id;
	struct test_blob blob;
};

FIXTURE_SETUP(ctl)
{
	self->skel = ctl__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, ctl__load(self->skel));
	self->prog_a = bpf_program__fd(self->skel->progs.ctl_a);
	self->prog_b = bpf_program__fd(self->skel->progs.ctl_b);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	self->blob_id = test_btf_id(self->skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_GT(self->blob_id, 0);
	self->blob.in = 7;
}

FIXTURE_TEARDOWN(ctl)
{
	pals_ctx__free(self->ctx);
	ctl__destroy(self->skel);
}

static int create(FIXTURE_DATA(ctl) *self, __u64 *handle)
{
	return pals_ctx__create(self->ctx, self->prog_a, self->blob_id,
				&self->blob, sizeof(self->blob), NULL, handle);
}

/* A CREATE request with only the attributes the test chooses. */
static int raw_create(FIXTURE_DATA(ctl) *self, int prog_fd, int type_id,
		      bool data, int extra_attr)
{
	struct nlmsghdr *nlh;

	nlh = pals_nl_msg(self->ctx->family, PALS_CMD_CREATE, 0, 512);
	if (!nlh)
		return -ENOMEM;
	if (prog_fd >= 0)
		mnl_attr_put_u32(nlh, PALS_A_PROG_FD, prog_fd);
	if (type_id >= 0)
		mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, type_id);
	if (data)
		mnl_attr_put(nlh, PALS_A_DATA, sizeof(self->blob), &self->blob);
	if (extra_attr)
		mnl_attr_put_u32(nlh, extra_attr, 0);
	return pals_nl_talk(self->ctx, nlh, NULL, NULL);
}

TEST_F(ctl, create_get_update_delete)
{
	struct pals_blob_info info;
	struct test_blob out;
	struct pals_stats st0, st;
	__u64 handle;

	ASSERT_EQ(0, test_stats_settle(self->ctx, &st0, TEST_BYTES_SETTLED));
	ASSERT_EQ(0, create(self, &handle));
	EXPECT_NE(0, handle);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, &info, &out, sizeof(out)));
	EXPECT_EQ(0, memcmp(&out, &self->blob, sizeof(out)));
	EXPECT_EQ(0, info.link_id);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(sizeof(out), info.size);

	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	EXPECT_EQ(st0.blobs + 1, st.blobs);
	/* Kernel memory: the bytes, a header and a control object, rounded. */
	EXPECT_LE(st0.bytes + sizeof(out) + 24 + 64, st.bytes);
	EXPECT_GE(st0.bytes + 2 * (sizeof(out) + 24) + 256, st.bytes);
	EXPECT_EQ(st0.creates + 1, st.creates);
	EXPECT_GT(st.overhead, 0);
	TH_LOG("per-blob overhead: %llu bytes, kernel memory of this one %llu",
	       (unsigned long long)st.overhead,
	       (unsigned long long)(st.bytes - st0.bytes));

	self->blob.in = 99;
	ASSERT_EQ(0, pals_ctx__update(self->ctx, handle, &self->blob, sizeof(self->blob)));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, NULL, &out, sizeof(out)));
	EXPECT_EQ(99, out.in);

	ASSERT_EQ(0, pals_ctx__delete(self->ctx, handle));
	EXPECT_REJECT(ENOENT, pals_ctx__delete(self->ctx, handle));
	EXPECT_REJECT(ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, st0.bytes));
	EXPECT_EQ(st0.blobs, st.blobs);
	EXPECT_EQ(st0.bytes, st.bytes);
	EXPECT_EQ(st0.deletes + 1, st.deletes);
}

TEST_F(ctl, typedef_and_const_resolve)
{
	int id = test_btf_id(self->skel->obj, "test_blob_t", BTF_KIND_TYPEDEF);
	__u64 handle;

	ASSERT_GT(id, 0);
	EXPECT_EQ(0, pals_ctx__create(self->ctx, self->prog_a, id, &self->blob,
				      sizeof(self->blob), NULL, &handle));
}

TEST_F(ctl, missing_attributes)
{
	EXPECT_REJECT(EINVAL, raw_create(self, -1, self->blob_id, true, 0));
	EXPECT_REJECT(EINVAL, raw_create(self, self->prog_a, -1, true, 0));
	EXPECT_REJECT(EINVAL, raw_create(self, self->prog_a, self->blob_id, false, 0));
}

TEST_F(ctl, unsupported_attribute)
{
	EXPECT_REJECT(EINVAL, raw_create(self, self->prog_a, self->blob_id,
					 true, PALS_A_LINK_FD));
	EXPECT_REJECT(EINVAL, raw_create(self, self->prog_a, self->blob_id,
					 true, PALS_A_MAX + 1));
}

TEST_F(ctl, bad_prog_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);
	int closed_fd = test_closed_fd();
	__u64 h;

	EXPECT_REJECT(EBADF, pals_ctx__create(self->ctx, closed_fd, self->blob_id,
					      &self->blob, sizeof(self->blob), NULL, &h));
	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, null_fd, self->blob_id,
					       &self->blob, sizeof(self->blob), NULL, &h));
	close(null_fd);
}

TEST_F(ctl, prog_of_another_kind)
{
	struct bpf_insn insns[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "filter", "GPL",
			       insns, 2, NULL);
	__u64 h;

	ASSERT_LE(0, fd);
	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, fd, self->blob_id,
					       &self->blob, sizeof(self->blob), NULL, &h));
	close(fd);
}

TEST_F(ctl, bad_types_and_sizes)
{
	int int_id = test_btf_id(self->skel->obj, "int", BTF_KIND_INT);
	int max_id = test_btf_id(self->skel->obj, "max_blob", BTF_KIND_STRUCT);
	int over_id = test_btf_id(self->skel->obj, "over_blob", BTF_KIND_STRUCT);
	static __u8 big[65540];
	__u64 h;

	ASSERT_GT(int_id, 0);
	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, self->prog_a, int_id,
					       &self->blob, 4, NULL, &h));
	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, self->prog_a, 1 << 30,
					       &self->blob, sizeof(self->blob), NULL, &h));
	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, self->prog_a, self->blob_id,
					       &self->blob, sizeof(self->blob) - 8, NULL, &h));
	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, self->prog_a, self->blob_id,
					       &self->blob, 0, NULL, &h));
	/* The largest blob works, one over the limit does not. */
	EXPECT_EQ(0, pals_ctx__create(self->ctx, self->prog_a, max_id, big,
				      65536, NULL, &h));
	EXPECT_REJECT(E2BIG, pals_ctx__create(self->ctx, self->prog_a, over_id,
					      big, sizeof(big), NULL, &h));
}

struct read_count {
	__u64 h[3];	/* the blobs to count */
	int seen;
	bool bytes_ok;
};

static int count_big(__u64 handle, const void *data, size_t size, void *arg)
{
	struct read_count *c = arg;
	int i;

	for (i = 0; i < 3 && handle != c->h[i]; i++)
		;
	if (i == 3)
		return 0;
	c->seen++;
	c->bytes_ok &= size == 65536 && ((const __u8 *)data)[65535] == 0xa5;
	return 0;
}

/* A dump carries blobs of the largest size, several of them, whole. */
TEST_F(ctl, read_dump_of_large_blobs)
{
	int id = test_btf_id(self->skel->obj, "max_blob", BTF_KIND_STRUCT);
	struct read_count c = { .bytes_ok = true };
	static __u8 big[65536];
	__u8 tail;
	int i;

	big[65535] = 0xa5;
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_a, id, big,
					      sizeof(big), NULL, &c.h[i]));
	}
	ASSERT_EQ(0, pals_ctx__read_link(self->ctx, 0, count_big, &c))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(3, c.seen);
	EXPECT_TRUE(c.bytes_ok);
	ASSERT_EQ(0, pals_ctx__read(self->ctx, c.h[2], 65535, &tail, 1));
	EXPECT_EQ(0xa5, tail);
}

TEST_F(ctl, unknown_flags)
{
	LIBBPF_OPTS(pals_create_opts, opts, .flags = 1U << 7);
	__u64 h;

	EXPECT_REJECT(EINVAL, pals_ctx__create(self->ctx, self->prog_a, self->blob_id,
					       &self->blob, sizeof(self->blob), &opts, &h));
}

TEST_F(ctl, unknown_handle)
{
	__u64 h = 0x1234500000042ULL;

	EXPECT_REJECT(ENOENT, pals_ctx__get(self->ctx, h, NULL, NULL, 0));
	EXPECT_REJECT(ENOENT, pals_ctx__update(self->ctx, h, &self->blob, sizeof(self->blob)));
	EXPECT_REJECT(ENOENT, pals_ctx__delete(self->ctx, h));
	EXPECT_REJECT(ENOENT, pals_ctx__pin(self->ctx, h));
	EXPECT_REJECT(ENOENT, pals_ctx__bind(self->ctx, h, self->prog_a));
}

TEST_F(ctl, update_wrong_size)
{
	__u64 h;

	ASSERT_EQ(0, create(self, &h));
	EXPECT_REJECT(EINVAL, pals_ctx__update(self->ctx, h, &self->blob, 8));
}

TEST_F(ctl, bind_errors)
{
	struct bpf_link *la, *lb;
	int closed_fd = test_closed_fd();
	__u64 h;

	ASSERT_EQ(0, create(self, &h));
	la = bpf_program__attach_kprobe(self->skel->progs.ctl_a, false, "__x64_sys_getpgid");
	lb = bpf_program__attach_kprobe(self->skel->progs.ctl_b, false, "__x64_sys_getpgid");
	ASSERT_NE(NULL, la);
	ASSERT_NE(NULL, lb);
	EXPECT_REJECT(EBADF, pals_ctx__bind(self->ctx, h, closed_fd));
	EXPECT_REJECT(EINVAL, pals_ctx__bind(self->ctx, h, self->prog_a));
	EXPECT_REJECT(EINVAL, pals_ctx__bind(self->ctx, h, bpf_link__fd(lb)));
	EXPECT_EQ(0, pals_ctx__bind(self->ctx, h, bpf_link__fd(la)));
	EXPECT_REJECT(EBUSY, pals_ctx__bind(self->ctx, h, bpf_link__fd(la)));
	bpf_link__destroy(la);
	bpf_link__destroy(lb);
}

TEST_F(ctl, non_owner)
{
	int status;
	pid_t pid;
	__u64 h;

	ASSERT_EQ(0, create(self, &h));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct pals_ctx *other;

		if (test_drop_caps(true))
			_exit(10);
		other = pals_ctx__new(NULL);
		if (!other)
			_exit(11);
		/* Another's blob does not exist for it (test_owner.c). */
		if (pals_ctx__update(other, h, &self->blob, sizeof(self->blob)) != -ENOENT ||
		    !*pals_last_error())
			_exit(12);
		if (pals_ctx__delete(other, h) != -ENOENT)
			_exit(13);
		if (pals_ctx__get(other, h, NULL, NULL, 0) != -ENOENT)
			_exit(14);	/* nor read it without CAP_SYS_ADMIN */
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));
}

static int ignore_blob(const struct pals_blob_info *info, void *arg)
{
	(void)info;
	(void)arg;
	return 0;
}

/* Every command on @ctx, refused for want of capabilities: the misses. */
static int unrefused(FIXTURE_DATA(ctl) *self, struct pals_ctx *ctx, __u64 h)
{
	struct pals_stats st;
	int fails = 0;

#define REFUSED(call) (fails += (call) != -EPERM ||				\
			   !strstr(pals_last_error(), "CAP_BPF or CAP_SYS_ADMIN required"))
	REFUSED(pals_ctx__create(ctx, self->prog_a, self->blob_id,
				 &self->blob, sizeof(self->blob), NULL, &h));
	REFUSED(pals_ctx__bind(ctx, h, self->prog_a));
	REFUSED(pals_ctx__update(ctx, h, &self->blob, sizeof(self->blob)));
	REFUSED(pals_ctx__get(ctx, h, NULL, NULL, 0));
	REFUSED(pals_ctx__for_each(ctx, ignore_blob, NULL));
	REFUSED(pals_ctx__delete(ctx, h));
	REFUSED(pals_ctx__pin(ctx, h));
	REFUSED(pals_ctx__unpin(ctx, h));
	REFUSED(pals_ctx__stats(ctx, &st));
#undef REFUSED
	return fails;
}

/* Without CAP_BPF and CAP_SYS_ADMIN, every command is refused. */
TEST_F(ctl, no_capabilities)
{
	int status;
	pid_t pid;
	__u64 h;

	ASSERT_EQ(0, create(self, &h));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct pals_ctx *ctx;

		if (test_drop_caps(false))
			_exit(100);
		ctx = pals_ctx__new(NULL);	/* finding the family is not */
		if (!ctx)
			_exit(101);
		_exit(unrefused(self, ctx, h));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, pals_ctx__get(self->ctx, h, NULL, NULL, 0));
}

/* @cmd (on blob @h if not 0) sent with write(2) on @t. */
static int written(struct test_nl *t, __u8 cmd, __u16 flags, __u64 h)
{
	struct nlmsghdr *nlh = test_nl_req(t, cmd, flags);

	if (h)
		mnl_attr_put_u64(nlh, PALS_A_HANDLE, h);
	return test_nl_send(t, nlh);
}

/*
 * The socket's opener counts, not only the writer: a socket opened
 * without CAP_BPF and CAP_SYS_ADMIN is refused even when a privileged
 * process write()s on it (the CVE-2014-0181 pattern).
 */
TEST_F(ctl, opener_without_capabilities)
{
	struct nlmsghdr *nlh;
	struct test_nl t;
	int err;
	__u64 h;

	ASSERT_EQ(0, create(self, &h));
	ASSERT_EQ(0, test_caps_effective(false));
	err = test_nl_open(&t, self->ctx->family, 0);
	ASSERT_EQ(0, test_caps_effective(true));
	ASSERT_EQ(0, err);
	t.use_write = true;
#define EXPECT_REFUSED(call) do {					\
	EXPECT_EQ(-EPERM, call);					\
	EXPECT_NE(NULL, strstr(t.extack, "CAP_BPF or CAP_SYS_ADMIN required")); \
} while (0)
	EXPECT_REFUSED(written(&t, PALS_CMD_STATS, 0, 0));
	EXPECT_REFUSED(written(&t, PALS_CMD_GET, 0, h));
	EXPECT_REFUSED(written(&t, PALS_CMD_GET, NLM_F_DUMP, 0));
	EXPECT_REFUSED(written(&t, PALS_CMD_PIN, 0, h));
	EXPECT_REFUSED(written(&t, PALS_CMD_DELETE, 0, h));
	nlh = test_nl_req(&t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, self->prog_a);
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, self->blob_id);
	mnl_attr_put(nlh, PALS_A_DATA, sizeof(self->blob), &self->blob);
	EXPECT_REFUSED(test_nl_send(&t, nlh));
#undef EXPECT_REFUSED
	/* The same socket, with sendto() by this privileged process: obeyed. */
	t.use_write = false;
	EXPECT_EQ(0, written(&t, PALS_CMD_STATS, 0, 0));
	test_nl_close(&t);
	EXPECT_EQ(0, pals_ctx__get(self->ctx, h, NULL, NULL, 0));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));
}

/* Filling up to max_bytes: a clear error, nothing half-made. */
TEST_F(ctl, byte_cap)
{
	PALS_OPTS(pals_create_opts, opts);
	static char big[65536];	/* struct max_blob */
	struct pals_stats base, st;
	int id, i, made = 0, err = 0;
	__u64 h = 0, cost;

	id = test_btf_id(self->skel->obj, "max_blob", BTF_KIND_STRUCT);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &base, TEST_BYTES_SETTLED));
	/* What one costs: its bytes and header in pages, a control object. */
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_a, id, big,
				      sizeof(big), &opts, &h));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	cost = st.bytes - base.bytes;
	EXPECT_LT(sizeof(big), cost);
	EXPECT_GT(sizeof(big) + 8192, cost);
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, h));
	ASSERT_EQ(0, test_stats_settle(self->ctx, &base, base.bytes));
	ASSERT_EQ(0, test_param_set("max_bytes", base.bytes + 5 * cost + 100));
	for (i = 0; i < 8 && !err; i++) {
		err = pals_ctx__create(self->ctx, self->prog_a, id, big,
				       sizeof(big), &opts, &h);
		made += !err;
	}
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_NE(NULL, strstr(pals_last_error(), "max_bytes"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(5, made);
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	EXPECT_EQ(base.blobs + 5, st.blobs);
	EXPECT_EQ(base.bytes + 5 * cost, st.bytes);
	EXPECT_EQ(base.creates + 5, st.creates);
	/* Freeing one makes room for one, once its grace periods are over. */
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, h));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, base.bytes + 4 * cost));
	EXPECT_EQ(0, pals_ctx__create(self->ctx, self->prog_a, id, big,
				      sizeof(big), &opts, &h));
	EXPECT_EQ(0, test_param_set("max_bytes", base.max_bytes));
}

TEST_HARNESS_MAIN
