// SPDX-License-Identifier: GPL-2.0
/*
 * pals_attach_trace_multi(): fentry, fexit and fsession programs over
 * three syscalls, one blob each, on kernels with the tracing multi-link
 * (7.x; skipped on 6.12). Each function's blob counts that function's
 * calls alone, so the cookies reached the right functions. Programs:
 * progs/trace_multi.bpf.c.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "trace_multi.skel.h"
#include "test_blob.h"
#include "libpals.h"
#include "util.h"

#define BLOB "struct test_blob"

static const char *funcs[] = {
	"__x64_sys_getpgid", "__x64_sys_getsid", "__x64_sys_getpriority",
};
#define NFUNCS (sizeof(funcs) / sizeof(funcs[0]))

/* The kernel's tracing multi-link attaches programs to bpf_multi_func. */
static bool have_trace_multi(void)
{
	return test_btf_has_func(NULL, "bpf_multi_func");
}

/* Function i is called i + 1 times. */
static void trigger(void)
{
	long nr[NFUNCS] = { SYS_getpgid, SYS_getsid, SYS_getpriority };
	size_t i, n;

	for (i = 0; i < NFUNCS; i++)
		for (n = 0; n <= i; n++)
			syscall(nr[i], 0);
}

FIXTURE(trace_multi) {
	struct trace_multi *skel;
	struct pals_link *pl;
};

FIXTURE_VARIANT(trace_multi) {
	const char *prog;
	int runs_per_call;
};

FIXTURE_VARIANT_ADD(trace_multi, fentry) { "on_fentry_multi", 1 };
FIXTURE_VARIANT_ADD(trace_multi, fexit) { "on_fexit_multi", 1 };
FIXTURE_VARIANT_ADD(trace_multi, fsession) { "on_fsession_multi", 2 };

FIXTURE_SETUP(trace_multi)
{
	self->skel = trace_multi__open();
	ASSERT_NE(NULL, self->skel) TH_LOG("libpals registers the .multi sections");
	self->skel->bss->target_pid = getpid();
}

FIXTURE_TEARDOWN(trace_multi)
{
	pals_link__destroy(self->pl);
	trace_multi__destroy(self->skel);
}

TEST_F(trace_multi, per_function_blobs)
{
	struct test_blob blobs[NFUNCS] = {};
	struct bpf_program *prog;
	size_t i;

	if (!have_trace_multi())
		SKIP(return, "kernel has no tracing multi-link (7.x feature)");
	ASSERT_EQ(0, trace_multi__load(self->skel));
	prog = bpf_object__find_program_by_name(self->skel->obj, variant->prog);
	ASSERT_NE(NULL, prog);
	for (i = 0; i < NFUNCS; i++)
		blobs[i].in = 10 * (i + 1);
	self->pl = pals_attach_trace_multi(prog, funcs, NFUNCS, BLOB, blobs,
					   sizeof(blobs[0]), NULL);
	ASSERT_NE(NULL, self->pl) TH_LOG("attach: %s", pals_last_error());
	ASSERT_EQ(NFUNCS, pals_link__cnt(self->pl));

	trigger();

	for (i = 0; i < NFUNCS; i++) {
		memset(&blobs[i], 0, sizeof(blobs[i]));
		ASSERT_EQ(0, pals_link__read(self->pl, i, &blobs[i],
					     sizeof(blobs[i])));
		EXPECT_EQ(10 * (i + 1) + 1, blobs[i].out) TH_LOG("%s", funcs[i]);
		EXPECT_EQ((i + 1) * variant->runs_per_call, blobs[i].runs)
			TH_LOG("%s", funcs[i]);
	}
	EXPECT_EQ(0, self->skel->bss->nulls);
}

/* Every pals_link__*() call works on a tracing multi-link. */
TEST_F(trace_multi, every_link_call)
{
	struct test_blob blobs[NFUNCS] = {};
	struct bpf_program *prog;
	struct pals_link *pl;
	const char *why;

	if (!have_trace_multi())
		SKIP(return, "kernel has no tracing multi-link (7.x feature)");
	ASSERT_EQ(0, trace_multi__load(self->skel));
	prog = bpf_object__find_program_by_name(self->skel->obj, variant->prog);
	ASSERT_NE(NULL, prog);
	pl = pals_attach_trace_multi(prog, funcs, NFUNCS, BLOB, blobs,
				     sizeof(blobs[0]), NULL);
	ASSERT_NE(NULL, pl) TH_LOG("attach: %s", pals_last_error());
	why = test_link_calls(pl, sizeof(blobs[0]), funcs[0], false);
	EXPECT_EQ(NULL, why) TH_LOG("%s: %s", why, pals_last_error());
}

/* Blob i starts as 100 * (i + 1), from the function's name. */
static int fill_by_name(void *blob, size_t size, size_t idx,
			const char *target, void *ctx)
{
	struct test_blob *b = blob;
	size_t i;

	(void)size;
	(void)ctx;
	for (i = 0; i < NFUNCS; i++)
		if (!strcmp(target, funcs[i]))
			b->in = 100 * (i + 1);
	return idx < NFUNCS ? 0 : -EINVAL;
}

TEST_F(trace_multi, fill_and_find_by_function)
{
	PALS_OPTS(pals_attach_opts, opts, .fill = fill_by_name);
	struct test_blob blob = {};
	struct bpf_program *prog;
	size_t i;
	int idx;

	if (!have_trace_multi())
		SKIP(return, "kernel has no tracing multi-link (7.x feature)");
	ASSERT_EQ(0, trace_multi__load(self->skel));
	prog = bpf_object__find_program_by_name(self->skel->obj, variant->prog);
	ASSERT_NE(NULL, prog);
	self->pl = pals_attach_trace_multi(prog, funcs, NFUNCS, BLOB, NULL,
					   sizeof(blob), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("attach: %s", pals_last_error());

	trigger();

	for (i = 0; i < NFUNCS; i++) {
		idx = pals_link__find(self->pl, funcs[i]);
		ASSERT_LE(0, idx) TH_LOG("%s: %s", funcs[i], pals_last_error());
		ASSERT_EQ(0, pals_link__read(self->pl, idx, &blob, sizeof(blob)));
		EXPECT_EQ(100 * (i + 1) + 1, blob.out) TH_LOG("%s", funcs[i]);
	}
	EXPECT_EQ(-ENOENT, pals_link__find(self->pl, "__x64_sys_getppid"));
}

/* Errors that need no kernel support: they come before the link. */
TEST_F(trace_multi, errors)
{
	const char *bad[] = { "__x64_sys_getpgid", "pals_no_such_function" };
	struct test_blob blobs[2] = {};
	struct bpf_program *prog;

	prog = bpf_object__find_program_by_name(self->skel->obj, variant->prog);
	ASSERT_NE(NULL, prog);
	EXPECT_PALS_FAIL(pals_attach_trace_multi(prog, bad, 2, BLOB, blobs,
						 sizeof(blobs[0]), NULL),
			 ENOENT, "no function 'pals_no_such_function'");
	EXPECT_PALS_FAIL(pals_attach_trace_multi(prog, NULL, 0, BLOB, blobs,
						 sizeof(blobs[0]), NULL),
			 EINVAL, "functions missing");
	bpf_program__set_expected_attach_type(prog, BPF_TRACE_FENTRY);
	EXPECT_PALS_FAIL(pals_attach_trace_multi(prog, funcs, 1, BLOB, blobs,
						 sizeof(blobs[0]), NULL),
			 EINVAL, "is no fentry.multi, fexit.multi or fsession.multi program");
}

TEST_HARNESS_MAIN
