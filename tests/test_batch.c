// SPDX-License-Identifier: GPL-2.0
/*
 * Batches: create, bind and delete many blobs per request, all or
 * nothing, and delete a link's blobs in one request. Programs:
 * progs/batch.bpf.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/genetlink.h>
#include <linux/pals.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>

#include "kselftest_harness.h"
#include "batch.skel.h"
#include "nl.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

#define BLOB "struct test_blob"

static const char *syms[] = {
	"__x64_sys_getpgid", "__x64_sys_getppid", "__x64_sys_getsid",
};

FIXTURE(batch) {
	struct batch *skel;
	struct pals_ctx *ctx;
	struct pals_stats base;
	struct bpf_link *link;
	__u64 *handles;
	struct test_blob *blobs;
	int prog_fd;
	int type_id;
};

FIXTURE_SETUP(batch)
{
	self->skel = batch__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, batch__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &self->base, TEST_BYTES_SETTLED));
	self->prog_fd = bpf_program__fd(self->skel->progs.on_kprobe_multi);
	self->type_id = pals_type_id(self->skel->progs.on_kprobe_multi, BLOB,
				     sizeof(struct test_blob));
	ASSERT_LT(0, self->type_id);
	self->handles = calloc(20000, sizeof(*self->handles));
	self->blobs = calloc(20000, sizeof(*self->blobs));
	ASSERT_NE(NULL, self->handles);
	ASSERT_NE(NULL, self->blobs);
	for (int i = 0; i < 20000; i++)
		self->blobs[i].in = 100 * i;
}

FIXTURE_TEARDOWN(batch)
{
	struct pals_stats st;

	bpf_link__destroy(self->link);
	/* Nothing is left behind, whatever the test did. */
	pals_ctx__free(self->ctx);
	self->ctx = pals_ctx__new(NULL);
	if (self->ctx) {
		EXPECT_EQ(0, test_stats_settle(self->ctx, &st, self->base.bytes));
		EXPECT_EQ(self->base.blobs, st.blobs);
	}
	pals_ctx__free(self->ctx);
	free(self->handles);
	free(self->blobs);
	batch__destroy(self->skel);
}

static int create(FIXTURE_DATA(batch) *self, size_t cnt)
{
	return pals_ctx__create_batch(self->ctx, self->prog_fd, self->type_id,
				      self->blobs, sizeof(self->blobs[0]), cnt,
				      NULL, self->handles);
}

/* kprobe_multi over syms[], cookies the first three handles. */
static struct bpf_link *attach(FIXTURE_DATA(batch) *self,
			       struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms,
		    .cookies = self->handles, .cnt = 3);

	return bpf_program__attach_kprobe_multi_opts(prog, NULL, &opts);
}

static void expect_blobs(struct __test_metadata *_metadata,
			 FIXTURE_DATA(batch) *self, __u64 blobs)
{
	struct pals_stats st;

	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	EXPECT_EQ(self->base.blobs + blobs, st.blobs);
}

#define EXPECT_ERR(call, err, text) do {				\
	EXPECT_EQ(-(err), call);					\
	EXPECT_NE(NULL, strstr(pals_last_error(), text))		\
		TH_LOG("error text: %s", pals_last_error());		\
} while (0)

/* Each of 1 000 blobs made in one batch, bound in one, seen by its point. */
TEST_F(batch, create_bind_delete_link)
{
	struct pals_blob_info info;
	struct test_blob got;
	__u32 id;
	int i;

	ASSERT_EQ(0, create(self, 1000)) TH_LOG("%s", pals_last_error());
	expect_blobs(_metadata, self, 1000);
	for (i = 0; i < 1000; i++) {
		ASSERT_NE(0, self->handles[i]);
		if (i)
			ASSERT_NE(self->handles[i - 1], self->handles[i]);
	}
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[999], &info, &got,
				   sizeof(got)));
	EXPECT_EQ(99900, got.in);
	self->link = attach(self, self->skel->progs.on_kprobe_multi);
	ASSERT_NE(NULL, self->link);
	id = test_link_id(self->link);
	ASSERT_NE(0, id);
	/* A link may carry more blobs than it has points. */
	ASSERT_EQ(0, pals_ctx__bind_batch(self->ctx, self->handles, 1000,
					  bpf_link__fd(self->link)))
		TH_LOG("%s", pals_last_error());
	syscall(SYS_getpgid, 0);
	syscall(SYS_getppid);
	syscall(SYS_getppid);
	syscall(SYS_getsid, 0);
	syscall(SYS_getsid, 0);
	syscall(SYS_getsid, 0);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[i], &info,
					   &got, sizeof(got)));
		EXPECT_EQ(id, info.link_id);
		EXPECT_EQ(100 * i + 1, got.out);
		EXPECT_EQ(i + 1, got.runs);
	}
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[999], &info, NULL, 0));
	EXPECT_EQ(id, info.link_id);

	EXPECT_EQ(1000, pals_ctx__delete_link(self->ctx, id));
	expect_blobs(_metadata, self, 0);
	EXPECT_ERR(pals_ctx__delete_link(self->ctx, id), ENOENT, "PALS_A_LINK_ID");
	bpf_link__destroy(self->link);
	self->link = NULL;
	EXPECT_TRUE(test_link_gone(id));
}

/* Blobs created by a batch are the ones attached with the library. */
TEST_F(batch, attach_kprobe_multi_destroy)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct pals_link *pl;
	struct test_blob got;
	__u32 id;

	pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi, syms,
				      3, BLOB, self->blobs, sizeof(got), &opts);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	id = test_fd_link_id(pals_link__fd(pl));
	syscall(SYS_getsid, 0);
	ASSERT_EQ(0, pals_link__read(pl, 2, &got, sizeof(got)));
	EXPECT_EQ(201, got.out);
	/* A pinned blob and its link outlive the attachment. */
	ASSERT_EQ(0, pals_ctx__pin(self->ctx, pals_link__handle(pl, 1)));
	self->handles[0] = pals_link__handle(pl, 1);
	EXPECT_EQ(0, pals_link__destroy(pl));
	expect_blobs(_metadata, self, 1);
	EXPECT_FALSE(test_link_gone(id));
	ASSERT_EQ(0, pals_ctx__unpin(self->ctx, self->handles[0]));
	EXPECT_EQ(1, pals_ctx__delete_link(self->ctx, id));
	EXPECT_TRUE(test_link_gone(id));
}

/* Enough blobs for several requests: still one batch to the caller. */
TEST_F(batch, split_by_socket_buffer)
{
	ASSERT_EQ(0, create(self, 20000)) TH_LOG("%s", pals_last_error());
	expect_blobs(_metadata, self, 20000);
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles, 20000));
	expect_blobs(_metadata, self, 0);
}

/* Kernel bytes @cnt blobs made by one call cost, with the module's accounting. */
static __u64 batch_cost(struct __test_metadata *_metadata,
			FIXTURE_DATA(batch) *self, size_t cnt)
{
	struct pals_stats st;

	ASSERT_EQ(0, create(self, cnt));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles, cnt));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &self->base, self->base.bytes));
	return st.bytes - self->base.bytes;
}

/* The element index an error names ("PALS_A_ELEM 17: ..."), or -1. */
static int blamed(void)
{
	const char *at = strstr(pals_last_error(), "PALS_A_ELEM ");
	int index;

	return at && sscanf(at, "PALS_A_ELEM %d:", &index) == 1 ? index : -1;
}

/*
 * Over the byte cap halfway: nothing made, and the element named is the
 * first that does not fit: those before it do.
 */
TEST_F(batch, byte_cap_halfway)
{
	struct pals_stats settled;
	long max = test_param_get("max_bytes");
	__u64 cost = batch_cost(_metadata, self, 6);
	int first;

	ASSERT_LT(0, max);
	ASSERT_EQ(0, test_param_set("max_bytes", self->base.bytes + cost - 1));
	EXPECT_ERR(create(self, 10), ENOSPC, "max_bytes");
	expect_blobs(_metadata, self, 0);
	first = blamed();
	EXPECT_LE(1, first);
	EXPECT_GE(5, first);
	ASSERT_EQ(0, create(self, first)) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles, first));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &settled, self->base.bytes));
	EXPECT_ERR(create(self, first + 1), ENOSPC, "max_bytes");
	EXPECT_EQ(first, blamed());
	ASSERT_EQ(0, test_param_set("max_bytes", max));

	/* In a later request of the batch: its index in the whole. */
	cost = batch_cost(_metadata, self, 7000);
	ASSERT_EQ(0, test_param_set("max_bytes", self->base.bytes + cost - 1));
	EXPECT_ERR(create(self, 8000), ENOSPC, "max_bytes");
	first = blamed();
	EXPECT_LT(6900, first);
	EXPECT_GT(7000, first);
	ASSERT_EQ(0, test_param_set("max_bytes", max));
	expect_blobs(_metadata, self, 0);
}

/* More blobs than the slot table may hold: ENOSPC, nothing made. */
TEST_F(batch, slot_table_full)
{
	long max = test_param_get("max_slots");

	ASSERT_LT(0, max);
	ASSERT_EQ(0, test_param_set("max_slots", 256));
	EXPECT_ERR(create(self, 300), ENOSPC, "do not fit in the slot table");
	expect_blobs(_metadata, self, 0);
	ASSERT_EQ(0, create(self, 255 - self->base.blobs));
	EXPECT_ERR(create(self, 1), ENOSPC, "slot table");
	ASSERT_EQ(0, test_param_set("max_slots", max));
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles,
					    255 - self->base.blobs));
	EXPECT_EQ(-EINVAL, test_param_set("max_slots", 255));
	EXPECT_EQ(-EINVAL, test_param_set("max_slots", (1 << 20) + 1));
}

/* A request of elements built by hand, for what libpals never sends. */
struct elem {
	__u32 type_id;		/* 0: the request's */
	size_t size;
};

static int create_raw(FIXTURE_DATA(batch) *self, struct test_nl *t,
		      const struct elem *elems, int n)
{
	struct nlmsghdr *nlh = test_nl_req(t, PALS_CMD_CREATE_BATCH, 0);
	struct nlattr *nest;
	int i;

	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, self->prog_fd);
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, self->type_id);
	for (i = 0; i < n; i++) {
		nest = mnl_attr_nest_start(nlh, PALS_A_ELEM);
		if (elems[i].type_id)
			mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, elems[i].type_id);
		mnl_attr_put(nlh, PALS_A_DATA, elems[i].size, self->blobs);
		mnl_attr_nest_end(nlh, nest);
	}
	return test_nl_send(t, nlh);
}

/* One bad element fails the whole batch, and is named. */
TEST_F(batch, bad_element)
{
	int other = test_btf_id(self->skel->obj, "test_other", BTF_KIND_STRUCT);
	const size_t sz = sizeof(struct test_blob);
	const struct elem wrong_size[] = { { 0, sz }, { 0, sz }, { 0, 32 } };
	const struct elem no_type[] = { { 0, sz }, { 99999, sz }, { 0, sz } };
	int int_id = test_btf_id(self->skel->obj, "int", BTF_KIND_INT);
	const struct elem not_struct[] = { { 0, sz }, { int_id, sz } };
	const struct elem too_big[] = { { 0, sz }, { 0, 65000 } };
	const struct elem fine[] = { { 0, sz }, { other, sz } };
	struct test_nl t;

	ASSERT_LT(0, other);
	ASSERT_EQ(0, test_nl_open(&t, self->ctx->family, 0));
	EXPECT_EQ(-EINVAL, create_raw(self, &t, wrong_size, 3));
	EXPECT_NE(NULL, strstr(t.extack, "PALS_A_ELEM 2: PALS_A_DATA: 32 bytes"))
		TH_LOG("%s", t.extack);
	EXPECT_EQ(-EINVAL, create_raw(self, &t, no_type, 3));
	EXPECT_NE(NULL, strstr(t.extack, "PALS_A_ELEM 1: PALS_A_TYPE_ID: 99999"))
		TH_LOG("%s", t.extack);
	ASSERT_LT(0, int_id);
	EXPECT_EQ(-EINVAL, create_raw(self, &t, not_struct, 2));
	EXPECT_NE(NULL, strstr(t.extack, "PALS_A_ELEM 1: PALS_A_TYPE_ID: "))
		TH_LOG("%s", t.extack);
	ASSERT_EQ(0, test_param_set("max_size", 4096));
	EXPECT_EQ(-E2BIG, create_raw(self, &t, too_big, 2));
	EXPECT_NE(NULL, strstr(t.extack, "PALS_A_ELEM 1: PALS_A_DATA: 65000 bytes, over max_size"))
		TH_LOG("%s", t.extack);
	ASSERT_EQ(0, test_param_set("max_size", PALS_DEFAULT_MAX_SIZE));
	expect_blobs(_metadata, self, 0);
	/* A type of the element's own, in the program's BTF, is fine. */
	EXPECT_EQ(0, create_raw(self, &t, fine, 2)) TH_LOG("%s", t.extack);
	expect_blobs(_metadata, self, 2);
	EXPECT_EQ(1, t.replies);
	test_nl_close(&t);
	expect_blobs(_metadata, self, 0);
}

/* A list with one blob that cannot be bound binds none. */
TEST_F(batch, bind_all_or_nothing)
{
	PALS_OPTS(pals_create_opts, opts);
	struct pals_blob_info info;
	__u64 list[3];
	int other;

	ASSERT_EQ(0, create(self, 3));
	self->link = attach(self, self->skel->progs.on_kprobe_multi);
	ASSERT_NE(NULL, self->link);
	memcpy(list, self->handles, sizeof(list));
	list[2] ^= 1ULL << 40;
	EXPECT_ERR(pals_ctx__bind_batch(self->ctx, list, 3,
					bpf_link__fd(self->link)),
		   ENOENT, "PALS_A_HANDLES 2: no such blob");
	/* A blob of another program. */
	other = bpf_program__fd(self->skel->progs.on_other);
	ASSERT_EQ(0, pals_ctx__create(self->ctx, other,
				      test_btf_id(self->skel->obj, "test_other",
						  BTF_KIND_STRUCT),
				      self->blobs, sizeof(struct test_other),
				      &opts, &list[1]));
	list[2] = self->handles[2];
	EXPECT_ERR(pals_ctx__bind_batch(self->ctx, list, 3,
					bpf_link__fd(self->link)),
		   EINVAL, "PALS_A_HANDLES 1: link's program");
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[0], &info, NULL, 0));
	EXPECT_EQ(0, info.link_id);
	/* Listed twice, bound once. */
	list[1] = self->handles[0];
	ASSERT_EQ(0, pals_ctx__bind_batch(self->ctx, list, 3,
					  bpf_link__fd(self->link)));
	EXPECT_ERR(pals_ctx__bind_batch(self->ctx, self->handles + 1, 2,
					bpf_link__fd(self->link)),
		   EBUSY, "PALS_A_HANDLES 1: blob is already bound");
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[1], &info, NULL, 0));
	EXPECT_EQ(0, info.link_id);
	EXPECT_EQ(-EBADF, pals_ctx__bind_batch(self->ctx, self->handles, 3,
					       test_closed_fd()));
	EXPECT_EQ(2, pals_ctx__delete_link(self->ctx, test_link_id(self->link)));
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles + 1, 1));
}

/* A list with one blob that cannot be deleted deletes none. */
TEST_F(batch, delete_all_or_nothing)
{
	__u64 list[4];

	ASSERT_EQ(0, create(self, 3));
	memcpy(list, self->handles, 3 * sizeof(list[0]));
	list[1] ^= 1ULL << 40;
	EXPECT_ERR(pals_ctx__delete_batch(self->ctx, list, 3), ENOENT,
		   "PALS_A_HANDLES 1: no such blob");
	expect_blobs(_metadata, self, 3);
	memcpy(list, self->handles, 3 * sizeof(list[0]));
	list[3] = list[0];
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, list, 4));
	expect_blobs(_metadata, self, 0);
}

/* Another socket, without CAP_SYS_ADMIN, changes none of them. */
TEST_F(batch, other_socket)
{
	struct pals_ctx *other;
	__u32 id;

	ASSERT_EQ(0, create(self, 3));
	self->link = attach(self, self->skel->progs.on_kprobe_multi);
	ASSERT_NE(NULL, self->link);
	id = test_link_id(self->link);
	ASSERT_EQ(0, pals_ctx__bind_batch(self->ctx, self->handles, 2,
					  bpf_link__fd(self->link)));
	ASSERT_EQ(0, test_drop_caps(true));
	other = pals_ctx__new(NULL);
	ASSERT_NE(NULL, other);
	EXPECT_ERR(pals_ctx__delete_batch(other, self->handles, 3), ENOENT,
		   "PALS_A_HANDLES 0: no such blob");
	EXPECT_ERR(pals_ctx__bind_batch(other, self->handles + 2, 1,
					bpf_link__fd(self->link)),
		   ENOENT, "PALS_A_HANDLES 0: no such blob");
	EXPECT_ERR(pals_ctx__delete_link(other, id), ENOENT, "PALS_A_LINK_ID");
	pals_ctx__free(other);
	expect_blobs(_metadata, self, 3);
	EXPECT_EQ(2, pals_ctx__delete_link(self->ctx, id));
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles + 2, 1));
}

/* kprobe_multi of @prog over syms[first ..], cookies handles[first ..]. */
static struct bpf_link *attach_some(FIXTURE_DATA(batch) *self,
				    struct bpf_program *prog, int first, int cnt)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms + first,
		    .cookies = self->handles + first, .cnt = cnt);

	return bpf_program__attach_kprobe_multi_opts(prog, NULL, &opts);
}

static void trigger_all(void)
{
	syscall(SYS_getpgid, 0);
	syscall(SYS_getppid);
	syscall(SYS_getsid, 0);
}

/* Blob @i's bytes: "out" and "runs" as the program left them. */
static void expect_blob(struct __test_metadata *_metadata,
			FIXTURE_DATA(batch) *self, int i, __u64 out, __u64 runs)
{
	struct test_blob got;

	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[i], NULL, &got,
				   sizeof(got))) TH_LOG("blob %d", i);
	EXPECT_EQ(out, got.out) TH_LOG("blob %d", i);
	EXPECT_EQ(runs, got.runs) TH_LOG("blob %d", i);
}

/*
 * Blobs made together share memory, yet each is updated, bound, pinned
 * and deleted on its own; the others stay intact, and what is left is
 * freed when the last one goes.
 */
TEST_F(batch, one_blob_of_a_batch)
{
	struct pals_stats settled;
	struct test_blob blob = { .in = 7000 };
	struct pals_blob_info info;
	struct bpf_link *other;
	__u32 id, other_id;

	ASSERT_EQ(0, create(self, 3));
	self->link = attach_some(self, self->skel->progs.on_kprobe_multi, 0, 2);
	other = attach_some(self, self->skel->progs.on_kprobe_multi, 2, 1);
	ASSERT_NE(NULL, self->link);
	ASSERT_NE(NULL, other);
	id = test_link_id(self->link);
	other_id = test_link_id(other);
	ASSERT_EQ(0, pals_ctx__bind_batch(self->ctx, self->handles, 2,
					  bpf_link__fd(self->link)));
	/* Another link than its batch's: the blob gets memory of its own. */
	ASSERT_EQ(0, pals_ctx__bind(self->ctx, self->handles[2],
				    bpf_link__fd(other)));
	bpf_link__destroy(other);
	trigger_all();
	expect_blob(_metadata, self, 0, 1, 1);
	expect_blob(_metadata, self, 1, 101, 1);
	expect_blob(_metadata, self, 2, 201, 1);

	/* An update is one blob's new copy. */
	ASSERT_EQ(0, pals_ctx__update(self->ctx, self->handles[1], &blob,
				      sizeof(blob)));
	trigger_all();
	expect_blob(_metadata, self, 0, 1, 2);
	expect_blob(_metadata, self, 1, 7001, 1);
	expect_blob(_metadata, self, 2, 201, 2);

	/* Pinned, one blob stays; deleted, one goes; the rest still run. */
	ASSERT_EQ(0, pals_ctx__pin(self->ctx, self->handles[1]));
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, self->handles[0]));
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, self->handles[0], NULL,
					 NULL, 0));
	self->skel->bss->nulls = 0;
	trigger_all();
	EXPECT_EQ(1, self->skel->bss->nulls);
	expect_blob(_metadata, self, 1, 7001, 2);
	expect_blob(_metadata, self, 2, 201, 3);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[1], &info, NULL, 0));
	EXPECT_EQ(id, info.link_id);
	EXPECT_EQ(PALS_F_PINNED, info.flags);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[2], &info, NULL, 0));
	EXPECT_EQ(other_id, info.link_id);
	EXPECT_EQ(0, info.flags);

	/* Only the pinned blob holds the first link now. */
	bpf_link__destroy(self->link);
	self->link = NULL;
	EXPECT_FALSE(test_link_gone(id));
	EXPECT_ERR(pals_ctx__delete_link(self->ctx, id), ENOENT, "PALS_A_LINK_ID");
	ASSERT_EQ(0, pals_ctx__unpin(self->ctx, self->handles[1]));
	EXPECT_EQ(1, pals_ctx__delete_link(self->ctx, id));
	EXPECT_TRUE(test_link_gone(id));
	expect_blob(_metadata, self, 2, 201, 3);
	EXPECT_EQ(1, pals_ctx__delete_link(self->ctx, other_id));
	EXPECT_TRUE(test_link_gone(other_id));
	expect_blobs(_metadata, self, 0);
	EXPECT_EQ(0, test_stats_settle(self->ctx, &settled, self->base.bytes));
}

/*
 * Deleting by link after closing it: the link is released within the
 * request, its id gone when the call returns, and the batch is freed.
 */
TEST_F(batch, delete_link_releases_link_then_frees)
{
	struct pals_stats settled;
	__u32 id;
	int fd;

	ASSERT_EQ(0, create(self, 1000));
	self->link = attach(self, self->skel->progs.on_kprobe_multi);
	ASSERT_NE(NULL, self->link);
	id = test_link_id(self->link);
	ASSERT_EQ(0, pals_ctx__bind_batch(self->ctx, self->handles, 1000,
					  bpf_link__fd(self->link)));
	bpf_link__destroy(self->link);
	self->link = NULL;
	/* The blobs hold the link: it still runs the program. */
	trigger_all();
	expect_blob(_metadata, self, 2, 201, 1);
	EXPECT_EQ(1000, pals_ctx__delete_link(self->ctx, id));
	fd = bpf_link_get_fd_by_id(id);
	EXPECT_EQ(-ENOENT, fd);
	expect_blobs(_metadata, self, 0);
	EXPECT_EQ(0, test_stats_settle(self->ctx, &settled, self->base.bytes));
}

/*
 * What PALS_A_STAT_OVERHEAD says is what is charged per blob besides its
 * data, plus its slot; blobs made together cost at most 1.5 times their
 * data, as an ARRAY map's values would.
 */
TEST_F(batch, overhead_is_what_is_charged)
{
	struct pals_stats settled;
	const __u64 data = 10000 * sizeof(struct test_blob);
	struct pals_stats st;
	__u64 charged;

	ASSERT_EQ(0, self->base.blobs);
	ASSERT_EQ(0, create(self, 10000));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	charged = st.bytes - self->base.bytes;
	TH_LOG("charged %llu bytes for 10000 blobs of %zu, overhead %llu",
	       (unsigned long long)charged, sizeof(struct test_blob),
	       (unsigned long long)st.overhead);
	EXPECT_GE(data * 3 / 2, charged);
	EXPECT_LE((st.bytes - data) / 10000, st.overhead);
	/* The slot: the pointer programs read and the control side. */
	EXPECT_GE((st.bytes - data) / 10000 + 32, st.overhead);
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles, 10000));
	EXPECT_EQ(0, test_stats_settle(self->ctx, &settled, self->base.bytes));
}

/* A socket's release frees its batches but the pinned blobs, orphaned. */
TEST_F(batch, owner_release_frees_batch)
{
	struct pals_stats settled;
	struct pals_ctx *owner = pals_ctx__new(NULL);
	struct pals_blob_info info;
	struct test_blob got;
	int i;

	ASSERT_NE(NULL, owner);
	ASSERT_EQ(0, pals_ctx__create_batch(owner, self->prog_fd,
					    self->type_id, self->blobs,
					    sizeof(self->blobs[0]), 100, NULL,
					    self->handles));
	ASSERT_EQ(0, pals_ctx__pin(owner, self->handles[50]));
	pals_ctx__free(owner);
	expect_blobs(_metadata, self, 1);
	for (i = 0; i < 100; i++)
		if (i != 50)
			EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, self->handles[i],
							 NULL, NULL, 0));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[50], &info, &got,
				   sizeof(got)));
	EXPECT_EQ(5000, got.in);
	EXPECT_EQ(PALS_F_PINNED, info.flags);
	/* Unpinned, it is the caller's, and dies with its socket. */
	ASSERT_EQ(0, pals_ctx__unpin(self->ctx, self->handles[50]));
	pals_ctx__free(self->ctx);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	expect_blobs(_metadata, self, 0);
	EXPECT_EQ(0, test_stats_settle(self->ctx, &settled, self->base.bytes));
}

static volatile bool hammering;

static void *hammer(void *arg)
{
	(void)arg;
	while (hammering)
		trigger_all();
	return NULL;
}

/*
 * Tearing down while the probes fire, 200 times, the link closed first
 * (pals_link__destroy()) or deleted by while still open: a program never
 * sees a blob that was freed (freed memory is poisoned in the test guest).
 */
TEST_F_TIMEOUT(batch, teardown_never_shows_freed_blob, 600)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct pals_link *pl;
	pthread_t thread;
	int i, j;

	for (i = 0; i < 3; i++) {
		self->blobs[i].in = 0x5eed5eed5eed5eedULL;
		self->blobs[i].pad[4] = 0x5eed5eed5eed5eedULL;
	}
	hammering = true;
	ASSERT_EQ(0, pthread_create(&thread, NULL, hammer, NULL));
	for (j = 0; j < 200; j++) {
		pl = pals_attach_kprobe_multi(self->skel->progs.on_check, syms,
					      3, BLOB, self->blobs,
					      sizeof(self->blobs[0]), &opts);
		ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
		usleep(1000);
		if (j % 2)
			EXPECT_EQ(3, pals_ctx__delete_link(self->ctx,
					test_fd_link_id(pals_link__fd(pl))));
		ASSERT_EQ(0, pals_link__destroy(pl));
	}
	hammering = false;
	pthread_join(thread, NULL);
	EXPECT_LT(0, self->skel->bss->runs);
	EXPECT_EQ(0, self->skel->bss->bad);
	expect_blobs(_metadata, self, 0);
}

TEST_HARNESS_MAIN
