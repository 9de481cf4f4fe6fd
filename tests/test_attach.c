// SPDX-License-Identifier: GPL-2.0
/*
 * The library's attachment API beyond one blob per kind (that is
 * test_kinds.c): type names, multi attachments, the pals_link methods,
 * the low-level pair, errors, the print callback, threads, and what a
 * caller sees without the module. Programs: progs/attach.bpf.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/pals.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "attach.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

#define BLOB "struct test_blob"

FIXTURE(attach) {
	struct attach *skel;
	struct pals_ctx *ctx;
	struct pals_link *pl;
	struct test_blob blob;
	struct pals_stats base;
};

FIXTURE_SETUP(attach)
{
	self->skel = attach__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, attach__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &self->base, TEST_BYTES_SETTLED));
	self->blob.in = 41;
}

FIXTURE_TEARDOWN(attach)
{
	pals_link__destroy(self->pl);
	pals_ctx__free(self->ctx);
	attach__destroy(self->skel);
}

static struct pals_link *kprobe(struct __test_metadata *_metadata,
				FIXTURE_DATA(attach) *self, const char *type,
				size_t size)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);

	(void)_metadata;
	return pals_attach_kprobe(self->skel->progs.on_kprobe,
				  "__x64_sys_getpgid", type, &self->blob, size,
				  &opts);
}

/* No blob is left behind by a failed call. */
static void expect_no_new_blob(struct __test_metadata *_metadata,
			       FIXTURE_DATA(attach) *self)
{
	struct pals_stats st;

	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, self->base.bytes));
	EXPECT_EQ(self->base.blobs, st.blobs);
	EXPECT_EQ(self->base.bytes, st.bytes);
}

#define EXPECT_FAIL(call, err, text) do {				\
	EXPECT_PALS_FAIL(call, err, text);				\
	expect_no_new_blob(_metadata, self);				\
} while (0)

static __u64 run_and_read(struct __test_metadata *_metadata,
			  FIXTURE_DATA(attach) *self, struct bpf_program *prog,
			  const char *type)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob got = {};

	self->pl = pals_attach_kprobe(prog, "__x64_sys_getpgid", type,
				      &self->blob, sizeof(self->blob), &opts);
	EXPECT_NE(NULL, self->pl) TH_LOG("%s: %s", type, pals_last_error());
	test_trigger_getpgid();
	EXPECT_EQ(0, pals_link__read(self->pl, 0, &got, sizeof(got)));
	pals_link__destroy(self->pl);
	self->pl = NULL;
	return got.out;
}

/* The blob is matched by type id: name the type the program asks for. */
TEST_F(attach, type_names)
{
	struct bpf_program *by_struct = self->skel->progs.on_kprobe;
	struct bpf_program *by_typedef = self->skel->progs.on_typedef;

	EXPECT_EQ(42, run_and_read(_metadata, self, by_struct, BLOB));
	EXPECT_EQ(42, run_and_read(_metadata, self, by_typedef, "test_blob_t"));
	/* No name: the type the program asks for. */
	EXPECT_EQ(42, run_and_read(_metadata, self, by_struct, NULL));
	EXPECT_EQ(42, run_and_read(_metadata, self, by_typedef, NULL));
	EXPECT_EQ(42, run_and_read(_metadata, self, by_typedef, ""));
}

/*
 * A typedef and its struct are different types to the kfunc: naming the
 * one the program does not ask for fails the attach, loudly.
 */
TEST_F(attach, type_not_asked_for)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct bpf_program *by_typedef = self->skel->progs.on_typedef;
	size_t size = sizeof(self->blob);

	EXPECT_FAIL(kprobe(_metadata, self, "test_blob_t", size), EINVAL,
		    "program 'on_kprobe' asks for 'struct test_blob', not 'test_blob_t'");
	EXPECT_FAIL(pals_attach_kprobe(by_typedef, "__x64_sys_getpgid", BLOB,
				       &self->blob, size, &opts),
		    EINVAL, "program 'on_typedef' asks for 'test_blob_t', not 'struct test_blob'");
	EXPECT_EQ(-EINVAL, pals_type_id(by_typedef, BLOB, size));
	EXPECT_EQ(-EINVAL, pals_blob__create(by_typedef, BLOB, &self->blob,
					     size, &opts, &(__u64){ 0 }));
	EXPECT_NE(NULL, strstr(pals_last_error(), "not 'struct test_blob'"));
	/* Checked before the size: the name is what is wrong. */
	EXPECT_FAIL(kprobe(_metadata, self, "struct test_other", 8), EINVAL,
		    "asks for 'struct test_blob', not 'struct test_other'");
}

/* Programs reading several types (pals_lookup) name the blob's type. */
TEST_F(attach, several_types)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct bpf_program *two = self->skel->progs.on_two_types;
	struct test_blob got;

	EXPECT_FAIL(pals_attach_kprobe(two, "__x64_sys_getpgid", NULL, NULL, 0,
				       &opts),
		    EINVAL, "program 'on_two_types' asks for 'struct test_other', 'struct test_blob': name the blob's type");
	EXPECT_LT(0, pals_type_id(two, "struct test_other", sizeof(got)));
	self->pl = pals_attach_kprobe(two, "__x64_sys_getpgid", BLOB,
				      &self->blob, sizeof(self->blob), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &got, sizeof(got)));
	EXPECT_EQ(42, got.out);
}

TEST_F(attach, program_without_pals_get)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct bpf_program *none = self->skel->progs.on_no_blob;

	EXPECT_FAIL(pals_attach_kprobe(none, "__x64_sys_getpgid", NULL, NULL, 0,
				       &opts),
		    ENOENT, "program 'on_no_blob' does not call pals_get()");
	EXPECT_FAIL(pals_attach_kprobe(none, "__x64_sys_getpgid", BLOB, NULL, 0,
				       &opts),
		    ENOENT, "it never reads a 'struct test_blob'");
}

/* NULL data: a zero-filled blob, of the type's size if none is given. */
TEST_F(attach, null_data_is_zeros)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	const char *syms[] = { "__x64_sys_getpgid", "__x64_sys_getppid" };
	struct test_blob got;

	EXPECT_FAIL(kprobe(_metadata, self, BLOB, 0), EINVAL,
		    "blob size missing");
	self->pl = pals_attach_kprobe(self->skel->progs.on_kprobe,
				      "__x64_sys_getpgid", NULL, NULL, 0, &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &got, sizeof(got)));
	EXPECT_EQ(1, got.out);	/* in was 0 */
	EXPECT_EQ(1, got.runs);
	EXPECT_EQ(0, got.pad[4]);
	pals_link__destroy(self->pl);

	self->pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
					    syms, 2, BLOB, NULL, sizeof(got),
					    &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, pals_link__read(self->pl, 1, &got, sizeof(got)));
	EXPECT_EQ(0, got.in);
	EXPECT_EQ(0, got.out);
}

TEST_F(attach, type_errors)
{
	size_t size = sizeof(self->blob);

	EXPECT_FAIL(kprobe(_metadata, self, "struct nope", size), ENOENT,
		    "has no type 'struct nope'");
	EXPECT_FAIL(kprobe(_metadata, self, "union test_blob", size), ENOENT,
		    "union test_blob");
	EXPECT_FAIL(kprobe(_metadata, self, "int", 4), EINVAL,
		    "not a struct or union");
	EXPECT_FAIL(kprobe(_metadata, self, BLOB, size - 8), EINVAL,
		    "is 64 bytes, but 56 were given");
	EXPECT_EQ(-ENOENT, pals_type_id(self->skel->progs.on_kprobe, "struct nope", 8));
	EXPECT_LT(0, pals_type_id(self->skel->progs.on_kprobe, BLOB, size));
}

TEST_F(attach, program_not_loaded)
{
	struct attach *skel = attach__open();

	ASSERT_NE(NULL, skel);
	EXPECT_FAIL(pals_attach_kprobe(skel->progs.on_kprobe, "__x64_sys_getpgid",
				       BLOB, &self->blob, sizeof(self->blob), NULL),
		    EINVAL, "'on_kprobe' is not loaded");
	attach__destroy(skel);
}

TEST_F(attach, attach_failure_leaves_nothing)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);

	EXPECT_FAIL(pals_attach_kprobe(self->skel->progs.on_kprobe,
				       "pals_no_such_function", BLOB, &self->blob,
				       sizeof(self->blob), &opts),
		    ENOENT, "attaching program 'on_kprobe' to kprobe 'pals_no_such_function': No such file or directory (not a traceable kernel function: see available_filter_functions)");
}

/* Attach errors name the target, or the call to use. */
TEST_F(attach, errors_name_the_target)
{
	const char *syms[] = {
		"__x64_sys_getpgid", "pals_no_such_function", "__x64_sys_getsid",
	};
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct bpf_program *multi = self->skel->progs.on_kprobe_multi;

	EXPECT_FAIL(pals_attach_kprobe_multi(multi, syms, 3, BLOB, NULL, 0,
					     &opts),
		    ESRCH, "to kprobe_multi function 'pals_no_such_function': ");
	EXPECT_FAIL(pals_attach_kprobe(multi, "__x64_sys_getpgid", BLOB, NULL,
				       0, &opts),
		    EINVAL, "program 'on_kprobe_multi' is in section 'kprobe.multi': attach it with pals_attach_kprobe_multi()");
	EXPECT_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe, syms,
					     1, BLOB, NULL, 0, &opts),
		    EINVAL, "attach it with pals_attach_kprobe(), or put it in SEC(\"kprobe.multi\")");
	EXPECT_FAIL(pals_attach_uprobe(self->skel->progs.on_uprobe_multi, 0,
				       test_self_exe(), "test_uprobe_target", 0,
				       BLOB, NULL, 0, &opts),
		    EINVAL, "attach it with pals_attach_uprobe_multi()");
	EXPECT_FAIL(pals_attach_uprobe(self->skel->progs.on_kprobe, 0,
				       "/pals/no/such/file", "f", 0, BLOB, NULL,
				       0, &opts),
		    ENOENT, "to uprobe '/pals/no/such/file:f+0'");
}

TEST_F(attach, bad_opts)
{
	struct {
		struct pals_attach_opts opts;
		long newer_field;
	} big = { .opts.sz = sizeof(big), .newer_field = 1 };
	PALS_OPTS(pals_attach_opts, both, .ctx = self->ctx,
		  .offsets = (unsigned long[]){ 1 });
	const char *syms[] = { "test_uprobe_target" };

	EXPECT_FAIL(pals_attach_kprobe(self->skel->progs.on_kprobe,
				       "__x64_sys_getpgid", BLOB, &self->blob,
				       sizeof(self->blob), &big.opts),
		    EINVAL, "unknown fields");
	EXPECT_FAIL(pals_attach_uprobe_multi(self->skel->progs.on_uprobe_multi,
					     0, test_self_exe(), syms, 1, BLOB,
					     &self->blob, sizeof(self->blob),
					     &both),
		    EINVAL, "either symbols or opts->offsets");
	EXPECT_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
					     NULL, 1, BLOB, &self->blob,
					     sizeof(self->blob), NULL),
		    EINVAL, "symbols missing");
	EXPECT_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
					     syms, 0, BLOB, &self->blob,
					     sizeof(self->blob), NULL),
		    EINVAL, "attach points missing");
}

/* One blob per function: each counts its own function's calls. */
TEST_F(attach, kprobe_multi_blob_per_symbol)
{
	const char *syms[] = {
		"__x64_sys_getpgid", "__x64_sys_getppid", "__x64_sys_getsid",
	};
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob blobs[3] = { { .in = 10 }, { .in = 20 }, { .in = 30 } };
	int i, calls;

	self->pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
					    syms, 3, BLOB, blobs, sizeof(blobs[0]),
					    &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(3, pals_link__cnt(self->pl));
	EXPECT_EQ(0, pals_link__handle(self->pl, 3));
	EXPECT_EQ(1, pals_link__find(self->pl, "__x64_sys_getppid"));
	EXPECT_EQ(2, pals_link__find(self->pl, "__x64_sys_getsid"));
	EXPECT_EQ(-ENOENT, pals_link__find(self->pl, "vfs_read"));
	EXPECT_STREQ("no blob of the link is attached at 'vfs_read'",
		     pals_last_error());
	EXPECT_EQ(-ENOENT, pals_link__find_offset(self->pl, 0));
	for (calls = 0; calls < 3; calls++)
		for (i = 0; i <= calls; i++)
			syscall(calls == 0 ? SYS_getpgid :
				calls == 1 ? SYS_getppid : SYS_getsid, 0);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pals_link__read(self->pl, i, &blobs[i],
					     sizeof(blobs[i])));
		EXPECT_EQ(10 * (i + 1) + 1, blobs[i].out);
		EXPECT_EQ(i + 1, blobs[i].runs);
	}
}

TEST_F(attach, uprobe_multi_by_offset)
{
	unsigned long offsets[2] = {
		test_func_offset("test_uprobe_target"),
		test_func_offset("test_uprobe_other"),
	};
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx, .offsets = offsets);
	struct test_blob blobs[2] = { { .in = 1 }, { .in = 2 } };

	ASSERT_NE(0, offsets[0]);
	ASSERT_NE(0, offsets[1]);
	self->pl = pals_attach_uprobe_multi(self->skel->progs.on_uprobe_multi,
					    0, test_self_exe(), NULL, 2, BLOB,
					    blobs, sizeof(blobs[0]), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	EXPECT_EQ(1, pals_link__find_offset(self->pl, offsets[1]));
	EXPECT_EQ(0, pals_link__find_offset(self->pl, offsets[0]));
	EXPECT_EQ(-ENOENT, pals_link__find(self->pl, "test_uprobe_other"));
	test_uprobe_target();
	test_uprobe_other();
	test_uprobe_other();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &blobs[0], sizeof(blobs[0])));
	ASSERT_EQ(0, pals_link__read(self->pl, 1, &blobs[1], sizeof(blobs[1])));
	EXPECT_EQ(2, blobs[0].out);
	EXPECT_EQ(1, blobs[0].runs);
	EXPECT_EQ(3, blobs[1].out);
	EXPECT_EQ(2, blobs[1].runs);
}

TEST_F(attach, update_and_read)
{
	struct test_blob got;

	self->pl = kprobe(_metadata, self, BLOB, sizeof(self->blob));
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	self->blob.in = 100;
	ASSERT_EQ(0, pals_link__update(self->pl, 0, &self->blob, sizeof(self->blob)));
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &got, sizeof(got)));
	EXPECT_EQ(101, got.out);

	/* Errors in the caller's words: blob index and sizes. */
	EXPECT_EQ(-EINVAL, pals_link__update(self->pl, 0, &got, sizeof(got) - 8));
	EXPECT_STREQ("blob 0 is 64 bytes, but 56 were given", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_link__read(self->pl, 0, &got, sizeof(got) - 8));
	EXPECT_STREQ("blob 0 is 64 bytes, but 56 were given", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_link__update(self->pl, 1, &got, sizeof(got)));
	EXPECT_STREQ("blob index 1 out of range (1 blobs)", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_link__read(self->pl, 1, &got, sizeof(got)));
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, pals_link__handle(self->pl, 0)));
	EXPECT_EQ(-ENOENT, pals_link__update(self->pl, 0, &got, sizeof(got)));
	EXPECT_NE(NULL, strstr(pals_last_error(), "blob 0 (handle 0x"));
	EXPECT_NE(NULL, strstr(pals_last_error(), ") is gone"));
}

/* A partial write changes one member and keeps what the program counted. */
TEST_F(attach, partial_write_keeps_counters)
{
	__u64 in = 100, out = 0, x = 1;
	struct test_blob got;
	__u64 h;

	self->pl = kprobe(_metadata, self, BLOB, sizeof(self->blob));
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__write(self->pl, 0, offsetof(struct test_blob, in),
				      &in, sizeof(in)))
		TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &got, sizeof(got)));
	EXPECT_EQ(100, got.in);
	EXPECT_EQ(101, got.out);
	EXPECT_EQ(2, got.runs);		/* an update would have reset it */
	ASSERT_EQ(0, pals_link__read_range(self->pl, 0,
					   offsetof(struct test_blob, out),
					   &out, sizeof(out)));
	EXPECT_EQ(101, out);

	/* The link's words first, then the module's for the raw calls. */
	EXPECT_EQ(-EINVAL, pals_link__write(self->pl, 0, 60, &x, 8));
	EXPECT_STREQ("blob 0 is 64 bytes: bytes 60..68 are not in it",
		     pals_last_error());
	EXPECT_EQ(-EINVAL, pals_link__read_range(self->pl, 1, 0, &x, 8));
	EXPECT_STREQ("blob index 1 out of range (1 blobs)", pals_last_error());
	h = pals_link__handle(self->pl, 0);
	EXPECT_EQ(-EINVAL, pals_ctx__write(self->ctx, h, 60, &x, 8));
	EXPECT_STREQ("PALS_A_OFFSET: 60 + 8 bytes of PALS_A_DATA pass the blob's 64",
		     pals_last_error());
	EXPECT_EQ(-EINVAL, pals_ctx__read(self->ctx, h, 60, &x, 8));
	EXPECT_STREQ("PALS_A_LENGTH: 8 bytes from 60 pass the blob's 64",
		     pals_last_error());
	EXPECT_EQ(-EINVAL, pals_ctx__read(self->ctx, h, 65, &x, 1));
	EXPECT_STREQ("PALS_A_OFFSET: 65 is past the blob's 64 bytes",
		     pals_last_error());
	ASSERT_EQ(0, pals_ctx__write(self->ctx, h, 56, &x, 8));
	ASSERT_EQ(0, pals_ctx__read(self->ctx, h, 56, &out, 8));
	EXPECT_EQ(1, out);
}

static int count_blob(__u64 handle, const void *data, size_t size, void *arg)
{
	(void)handle;
	(void)data;
	*(size_t *)arg += size == sizeof(struct test_blob);
	return 0;
}

/* Every blob of a multi link in one request, and only those. */
TEST_F(attach, read_all_blobs_of_a_link)
{
	const char *syms[] = {
		"__x64_sys_getpgid", "__x64_sys_getppid", "__x64_sys_getsid",
	};
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob blobs[3] = { { .in = 10 }, { .in = 20 }, { .in = 30 } };
	struct pals_link *other;
	size_t all = 0;
	int i;

	other = kprobe(_metadata, self, BLOB, sizeof(self->blob));
	ASSERT_NE(NULL, other) TH_LOG("%s", pals_last_error());
	self->pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
					    syms, 3, BLOB, blobs, sizeof(blobs[0]),
					    &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	syscall(SYS_getppid);
	memset(blobs, 0, sizeof(blobs));
	ASSERT_EQ(0, pals_link__read_all(self->pl, blobs, sizeof(blobs)))
		TH_LOG("%s", pals_last_error());
	for (i = 0; i < 3; i++)
		EXPECT_EQ(10 * (i + 1), blobs[i].in);
	EXPECT_EQ(0, blobs[0].runs);
	EXPECT_EQ(1, blobs[1].runs);
	EXPECT_EQ(21, blobs[1].out);
	EXPECT_EQ(-EINVAL, pals_link__read_all(self->pl, blobs, sizeof(blobs[0])));
	EXPECT_STREQ("3 blobs of 64 bytes are 192 bytes, but 64 were given",
		     pals_last_error());
	ASSERT_EQ(0, pals_ctx__read_link(self->ctx, 0, count_blob, &all));
	EXPECT_LE(4, all);
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, pals_link__handle(self->pl, 2)));
	EXPECT_EQ(-ENOENT, pals_link__read_all(self->pl, blobs, sizeof(blobs)));
	EXPECT_STREQ("1 of the link's 3 blobs are gone: deleted, by palsctl maybe",
		     pals_last_error());
	pals_link__destroy(other);
}

/* in = 7 for getsid's blob, 3 for the others; counts its calls. */
static int fill_by_target(void *blob, size_t size, size_t idx,
			  const char *target, void *ctx)
{
	struct test_blob *b = blob;

	(void)idx;
	if (size != sizeof(*b))
		return -EINVAL;
	if (!strcmp(target, "fail"))
		return -EPERM;
	b->in = strstr(target, "getsid") ? 7 : 3;
	(*(int *)ctx)++;
	return 0;
}

static __u64 out_of(struct __test_metadata *_metadata, struct pals_link *pl,
		    const char *target)
{
	struct test_blob got = {};
	int i = pals_link__find(pl, target);

	EXPECT_LE(0, i) TH_LOG("%s", pals_last_error());
	EXPECT_EQ(0, pals_link__read(pl, i, &got, sizeof(got)));
	return got.out;
}

/* pals_attach(): the target from SEC(), a blob per glob match. */
TEST_F(attach, auto_attach)
{
	int fills = 0;
	PALS_OPTS(pals_attach_opts, fill, .ctx = self->ctx,
		  .fill = fill_by_target, .fill_ctx = &fills);
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob got;

	self->pl = pals_attach(self->skel->progs.auto_multi, NULL, NULL,
			       sizeof(got), &fill);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	/* getpgid, getsid; getpid and getppid if not listed by an alias */
	EXPECT_LE(2, pals_link__cnt(self->pl));
	EXPECT_EQ(pals_link__cnt(self->pl), fills);
	syscall(SYS_getsid, 0);
	test_trigger_getpgid();
	EXPECT_EQ(8, out_of(_metadata, self->pl, "__x64_sys_getsid"));
	EXPECT_EQ(4, out_of(_metadata, self->pl, "__x64_sys_getpgid"));
	pals_link__destroy(self->pl);

	/* Without fill(), every blob of the glob is a copy of @data. */
	self->pl = pals_attach(self->skel->progs.auto_multi, BLOB, &self->blob,
			       sizeof(self->blob), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	syscall(SYS_getsid, 0);
	EXPECT_EQ(42, out_of(_metadata, self->pl, "__x64_sys_getsid"));
	pals_link__destroy(self->pl);

	self->pl = pals_attach(self->skel->progs.auto_kprobe, NULL, NULL,
			       sizeof(got), &fill);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	EXPECT_EQ(4, out_of(_metadata, self->pl, "__x64_sys_getpgid"));
	pals_link__destroy(self->pl);

	self->pl = pals_attach(self->skel->progs.auto_tp, NULL, NULL, 0, &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &got, sizeof(got)));
	EXPECT_EQ(1, got.out);
	pals_link__destroy(self->pl);

	/* uprobe/PATH:FUNC, fill()ed for "PATH:FUNC" */
	self->pl = pals_attach(self->skel->progs.auto_uprobe, NULL, NULL,
			       sizeof(got), &fill);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_uprobe_target();
	EXPECT_EQ(4, out_of(_metadata, self->pl, "test_uprobe_target"));
	pals_link__destroy(self->pl);
	self->pl = NULL;

	EXPECT_FAIL(pals_attach(self->skel->progs.on_kprobe, NULL, NULL, 0,
				&opts),
		    EINVAL, "section 'kprobe' names no target PALS attaches to by itself");
	EXPECT_FAIL(pals_attach(self->skel->progs.auto_kprobe, NULL, NULL, 0,
				&fill),
		    EINVAL, "opts->fill needs the blob size");
}

/* pals_attach(): uprobe.multi/PATH:PATTERN, a blob per function matched. */
TEST_F(attach, auto_attach_uprobe_multi)
{
	int fills = 0;
	PALS_OPTS(pals_attach_opts, fill, .ctx = self->ctx,
		  .fill = fill_by_target, .fill_ctx = &fills);
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob got;

	/* test_uprobe_[ot]*: test_uprobe_other and test_uprobe_target */
	self->pl = pals_attach(self->skel->progs.auto_umulti, NULL, NULL,
			       sizeof(got), &fill);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	EXPECT_EQ(2, pals_link__cnt(self->pl));
	EXPECT_EQ(2, fills);
	test_uprobe_target();
	test_uprobe_other();
	test_uprobe_other();
	EXPECT_EQ(4, out_of(_metadata, self->pl, "test_uprobe_target"));
	EXPECT_EQ(4, out_of(_metadata, self->pl, "test_uprobe_other"));
	ASSERT_EQ(0, pals_link__read(self->pl,
				     pals_link__find(self->pl, "test_uprobe_other"),
				     &got, sizeof(got)));
	EXPECT_EQ(2, got.runs);
	pals_link__destroy(self->pl);

	/* Without fill(), each blob is a copy of @data, then its own. */
	self->pl = pals_attach(self->skel->progs.auto_umulti, BLOB, &self->blob,
			       sizeof(self->blob), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	test_uprobe_other();
	EXPECT_EQ(42, out_of(_metadata, self->pl, "test_uprobe_other"));
	EXPECT_EQ(0, out_of(_metadata, self->pl, "test_uprobe_target"));
	pals_link__destroy(self->pl);
	self->pl = NULL;

	EXPECT_FAIL(pals_attach(self->skel->progs.auto_umulti_none, NULL, NULL,
				0, &opts),
		    ENOENT, "no function of '/proc/self/exe' matches 'test_no_such_function*'");
}

TEST_F(attach, fill_failure_leaves_nothing)
{
	const char *syms[] = { "__x64_sys_getpgid", "fail" };
	PALS_OPTS(pals_attach_opts, fill, .ctx = self->ctx,
		  .fill = fill_by_target, .fill_ctx = &(int){ 0 });

	EXPECT_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
					     syms, 2, BLOB, NULL,
					     sizeof(self->blob), &fill),
		    EPERM, "opts->fill failed for blob 1 (fail)");
}

TEST_F(attach, destroy_frees_blob_and_link)
{
	struct pals_blob_info info;
	__u64 handle;

	self->pl = kprobe(_metadata, self, BLOB, sizeof(self->blob));
	ASSERT_NE(NULL, self->pl);
	handle = pals_link__handle(self->pl, 0);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, &info, NULL, 0));
	EXPECT_NE(0, info.link_id);
	EXPECT_LE(0, pals_link__fd(self->pl));
	EXPECT_EQ(0, pals_link__destroy(self->pl));
	self->pl = NULL;
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
	EXPECT_TRUE(test_link_gone(info.link_id));
	expect_no_new_blob(_metadata, self);
}

/* A pinned attachment outlives pals_link__destroy() until deleted. */
TEST_F(attach, pin_survives_destroy)
{
	struct pals_blob_info info;
	__u64 handle, runs;
	int fd;

	self->pl = kprobe(_metadata, self, BLOB, sizeof(self->blob));
	ASSERT_NE(NULL, self->pl);
	handle = pals_link__handle(self->pl, 0);
	ASSERT_EQ(0, pals_link__pin(self->pl));
	ASSERT_EQ(0, pals_link__unpin(self->pl));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, &info, NULL, 0));
	EXPECT_EQ(0, info.flags & PALS_F_PINNED);
	ASSERT_EQ(0, pals_link__pin(self->pl));
	EXPECT_EQ(0, pals_link__destroy(self->pl));
	self->pl = NULL;

	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, &info, NULL, 0));
	EXPECT_EQ(PALS_F_PINNED, info.flags & PALS_F_PINNED);
	fd = bpf_link_get_fd_by_id(info.link_id);
	EXPECT_LE(0, fd);
	close(fd);
	runs = self->skel->bss->runs;
	test_trigger_getpgid();
	EXPECT_EQ(runs + 1, self->skel->bss->runs);	/* still attached */

	ASSERT_EQ(0, pals_ctx__delete(self->ctx, handle));
	EXPECT_TRUE(test_link_gone(info.link_id));
}

TEST_F(attach, low_level_pair)
{
	LIBBPF_OPTS(bpf_kprobe_opts, kopts);
	struct test_blob got;
	struct bpf_link *link;

	ASSERT_EQ(0, pals_blob__create(self->skel->progs.on_kprobe, BLOB,
				       &self->blob, sizeof(self->blob), NULL,
				       &kopts.bpf_cookie))
		TH_LOG("%s", pals_last_error());
	link = bpf_program__attach_kprobe_opts(self->skel->progs.on_kprobe,
					       "__x64_sys_getpgid", &kopts);
	ASSERT_NE(NULL, link);
	ASSERT_EQ(0, pals_blob__bind(kopts.bpf_cookie, link, NULL))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(-EBUSY, pals_blob__bind(kopts.bpf_cookie, link, NULL));
	EXPECT_EQ(-EINVAL, pals_blob__bind(kopts.bpf_cookie, NULL, NULL));
	EXPECT_EQ(-ENOENT, pals_blob__create(self->skel->progs.on_kprobe,
					     "struct nope", &got, sizeof(got),
					     NULL, &kopts.bpf_cookie));
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_ctx__get(pals_ctx__default(), kopts.bpf_cookie, NULL,
				   &got, sizeof(got)));
	EXPECT_EQ(42, got.out);
	bpf_link__destroy(link);
}

static char printed[512];
static int print_calls;

static int capture(enum pals_print_level level, const char *fmt, va_list ap)
{
	print_calls++;
	if (level == PALS_WARN)
		vsnprintf(printed, sizeof(printed), fmt, ap);
	return 0;
}

TEST_F(attach, print_callback)
{
	pals_print_fn_t old = pals_set_print(capture), prev;

	EXPECT_EQ(NULL, kprobe(_metadata, self, "struct nope", 8));
	EXPECT_EQ(1, print_calls);
	EXPECT_NE(NULL, strstr(printed, "libpals: program 'on_kprobe' has no type"))
		TH_LOG("printed: %s", printed);
	prev = pals_set_print(NULL);
	EXPECT_TRUE(prev == capture);
	EXPECT_EQ(NULL, kprobe(_metadata, self, "struct nope", 8));
	EXPECT_EQ(1, print_calls);
	pals_set_print(old);
}

#define THREADS 4
#define ROUNDS 25

static void *attach_detach(void *arg)
{
	struct attach *skel = arg;
	struct test_blob blob = {};
	struct pals_link *pl;
	long i, failed = 0;

	for (i = 0; i < ROUNDS; i++) {
		pl = pals_attach_kprobe(skel->progs.on_kprobe, "__x64_sys_getpgid",
					BLOB, &blob, sizeof(blob), NULL);
		failed += !pl || pals_link__destroy(pl);
	}
	return (void *)failed;
}

/* Threads share the default context. */
TEST_F(attach, threads_share_default_context)
{
	pthread_t t[THREADS];
	void *failed;
	int i;

	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, attach_detach, self->skel));
	for (i = 0; i < THREADS; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &failed));
		EXPECT_EQ(NULL, failed);
	}
	expect_no_new_blob(_metadata, self);
}

/*
 * Without pals.ko: the map fallback and a notice, or where the module is
 * required a clear error, no crash. Removes and reinserts it.
 */
TEST(module_not_loaded)
{
	struct test_blob blob = {};
	struct bpf_program *prog;
	PALS_OPTS(pals_ctx_opts, strict, .mode = PALS_MODE_MODULE);
	struct pals_ctx *ctx;
	struct attach *skel;
	pals_print_fn_t old;

	ASSERT_NE(NULL, getenv("PALS_KO")) TH_LOG("PALS_KO: path of pals.ko, set by suite.sh");
	/* Programs of earlier tests are freed asynchronously. */
	ASSERT_EQ(0, test_rmmod(100));

	/* Automatic: the map fallback, with one notice that says why. */
	old = pals_set_print(capture);
	print_calls = 0;
	printed[0] = 0;
	ctx = pals_ctx__new(NULL);
	EXPECT_NE(NULL, ctx);
	EXPECT_EQ(PALS_MODE_FALLBACK, pals_ctx__mode(ctx));
	EXPECT_EQ(1, print_calls);
	EXPECT_STREQ("", printed);
	pals_ctx__free(ctx);

	/* The module required: the first message says so, in one line. */
	ASSERT_EQ(0, pals_set_mode(PALS_MODE_MODULE));
	print_calls = 0;
	errno = 0;
	EXPECT_EQ(NULL, pals_ctx__new(&strict));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(1, print_calls);
	EXPECT_STREQ("libpals: pals.ko is not loaded and could not be loaded (no generic netlink family \"pals\"): modprobe pals, or install it for this kernel\n",
		     printed);
	pals_set_print(old);
	skel = attach__open();
	ASSERT_NE(NULL, skel);
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == skel->progs.on_guarded ||
					  prog == skel->progs.on_usdt_optional);
	EXPECT_EQ(0, attach__load(skel));
	EXPECT_LE(0, bpf_program__fd(skel->progs.on_usdt_optional));
	if (bpf_program__fd(skel->progs.on_guarded) >= 0) {
		EXPECT_EQ(NULL, pals_attach_kprobe(skel->progs.on_guarded,
						   "__x64_sys_getpgid", BLOB,
						   &blob, sizeof(blob), NULL));
		EXPECT_EQ(ENOENT, errno);
		EXPECT_NE(NULL, strstr(pals_last_error(), "pals.ko is not loaded"));
	}
	attach__destroy(skel);
	ASSERT_EQ(0, test_insmod());
}

TEST_HARNESS_MAIN
