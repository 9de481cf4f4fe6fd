// SPDX-License-Identifier: GPL-2.0
/*
 * Every program kind with a BPF cookie, attached with its pals_attach_*()
 * call: the test writes "in", the program reads it through pals_get() and
 * writes "out", the test reads "out" back. Each kind's program loads
 * alone, so a kind the kernel gives no cookie (Linux 6.1: raw_tp, tp_btf,
 * uprobe_multi) or no link (kprobe_multi without CONFIG_FPROBE) is
 * skipped with libpals' reason and the others run. Programs:
 * progs/kinds.bpf.c.
 */
#include <errno.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "kinds.skel.h"
#include "test_blob.h"
#include "libpals.h"
#include "util.h"

typedef struct pals_link *(*attach_fn)(struct bpf_program *prog,
				       const struct test_blob *blob,
				       const struct pals_attach_opts *opts);

#define BLOB "struct test_blob"

static struct pals_link *attach_kprobe(struct bpf_program *prog,
				       const struct test_blob *blob,
				       const struct pals_attach_opts *opts)
{
	return pals_attach_kprobe(prog, "__x64_sys_getpgid", BLOB, blob,
				  sizeof(*blob), opts);
}

static struct pals_link *attach_kprobe_multi(struct bpf_program *prog,
					     const struct test_blob *blob,
					     const struct pals_attach_opts *opts)
{
	const char *syms[] = { "__x64_sys_getpgid" };

	return pals_attach_kprobe_multi(prog, syms, 1, BLOB, blob,
					sizeof(*blob), opts);
}

static struct pals_link *attach_uprobe(struct bpf_program *prog,
				       const struct test_blob *blob,
				       const struct pals_attach_opts *opts)
{
	return pals_attach_uprobe(prog, 0, test_self_exe(),
				  "test_uprobe_target", 0, BLOB, blob,
				  sizeof(*blob), opts);
}

static struct pals_link *attach_uprobe_multi(struct bpf_program *prog,
					     const struct test_blob *blob,
					     const struct pals_attach_opts *opts)
{
	const char *syms[] = { "test_uprobe_target" };

	return pals_attach_uprobe_multi(prog, 0, test_self_exe(), syms, 1,
					BLOB, blob, sizeof(*blob), opts);
}

static struct pals_link *attach_tracepoint(struct bpf_program *prog,
					   const struct test_blob *blob,
					   const struct pals_attach_opts *opts)
{
	return pals_attach_tracepoint(prog, "syscalls", "sys_enter_getpgid",
				      BLOB, blob, sizeof(*blob), opts);
}

static struct pals_link *attach_raw_tp(struct bpf_program *prog,
				       const struct test_blob *blob,
				       const struct pals_attach_opts *opts)
{
	return pals_attach_raw_tp(prog, "sys_enter", BLOB, blob,
				  sizeof(*blob), opts);
}

/* fentry, fexit, fmod_ret, tp_btf and LSM: the attach point is in the ELF. */
static struct pals_link *attach_trace(struct bpf_program *prog,
				      const struct test_blob *blob,
				      const struct pals_attach_opts *opts)
{
	return pals_attach_trace(prog, BLOB, blob, sizeof(*blob), opts);
}

static struct pals_link *attach_perf_event(struct bpf_program *prog,
					   const struct test_blob *blob,
					   const struct pals_attach_opts *opts)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.sample_period = 100000,	/* ns of this task's CPU time */
	};
	struct pals_link *pl;
	int pfd;

	pfd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return NULL;
	pl = pals_attach_perf_event(prog, pfd, BLOB, blob, sizeof(*blob), opts);
	if (!pl)
		close(pfd);
	return pl;
}

static void trigger_perf_event(void)
{
	test_spin_ms(20);
}

FIXTURE(kinds) {
	struct kinds *skel;
	struct pals_ctx *ctx;
	struct pals_link *pl;
	int type_id;
};

FIXTURE_VARIANT(kinds) {
	const char *prog;
	attach_fn attach;
	void (*trigger)(void);
	const char *target;	/* what pals_link__find() knows, if any */
};

#define KIND(_name, _attach, _trigger, _target)				\
	FIXTURE_VARIANT_ADD(kinds, _name) {				\
		.prog = "on_" #_name,					\
		.attach = _attach,					\
		.trigger = _trigger,					\
		.target = _target,					\
	}

#define GETPGID "__x64_sys_getpgid"
#define UPROBE "test_uprobe_target"

KIND(kprobe, attach_kprobe, test_trigger_getpgid, GETPGID);
KIND(kretprobe, attach_kprobe, test_trigger_getpgid, GETPGID);
KIND(kprobe_multi, attach_kprobe_multi, test_trigger_getpgid, GETPGID);
KIND(uprobe, attach_uprobe, test_trigger_uprobe, UPROBE);
KIND(uretprobe, attach_uprobe, test_trigger_uprobe, UPROBE);
KIND(uprobe_sleepable, attach_uprobe, test_trigger_uprobe, UPROBE);
KIND(uprobe_multi, attach_uprobe_multi, test_trigger_uprobe, UPROBE);
KIND(tracepoint, attach_tracepoint, test_trigger_getpgid, NULL);
KIND(raw_tp, attach_raw_tp, test_trigger_getpgid, NULL);
KIND(tp_btf, attach_trace, test_trigger_getpgid, NULL);
KIND(perf_event, attach_perf_event, trigger_perf_event, NULL);
KIND(fentry, attach_trace, test_trigger_getpgid, NULL);
KIND(fexit, attach_trace, test_trigger_getpgid, NULL);
KIND(fmod_ret, attach_trace, test_trigger_getpgid, NULL);
KIND(lsm, attach_trace, test_trigger_getpgid, NULL);
KIND(mismatch, attach_kprobe, test_trigger_getpgid, GETPGID);

/* Load only @name of @skel's programs: each kind is tested on its own. */
static void load_only(struct kinds *skel, const char *name)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), name));
}

/* Kernels before 6.10 lack some kinds' cookies or links. */
static bool kernel_before_6_10(void)
{
	struct utsname u;
	int major, minor;

	return !uname(&u) && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	       major * 100 + minor < 610;
}

/*
 * Each kind loads alone: where the kernel gives it no cookie (the map
 * fallback on kernels before 6.10), libpals says so before load, and the
 * kind is skipped with its words.
 */
FIXTURE_SETUP(kinds)
{
	int err;

	self->skel = kinds__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	load_only(self->skel, variant->prog);
	err = pals_object__prepare(self->skel->obj);
	if (err == -EOPNOTSUPP && kernel_before_6_10())
		SKIP(return, "%s", pals_last_error());
	ASSERT_EQ(0, err) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, kinds__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	self->type_id = test_btf_id(self->skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_GT(self->type_id, 0);
}

FIXTURE_TEARDOWN(kinds)
{
	pals_link__destroy(self->pl);
	pals_ctx__free(self->ctx);
	kinds__destroy(self->skel);
}

TEST_F(kinds, read_write)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob blob = { .in = 41 };
	struct bpf_program *prog;
	struct pals_blob_info info;
	__u64 handle;

	prog = bpf_object__find_program_by_name(self->skel->obj, variant->prog);
	ASSERT_NE(NULL, prog);
	self->pl = variant->attach(prog, &blob, &opts);
	if (!self->pl && errno == EOPNOTSUPP && kernel_before_6_10())
		SKIP(return, "%s", pals_last_error());
	ASSERT_NE(NULL, self->pl) TH_LOG("attach: %s", pals_last_error());
	ASSERT_EQ(1, pals_link__cnt(self->pl));
	handle = pals_link__handle(self->pl, 0);
	ASSERT_NE(0, handle);

	variant->trigger();

	memset(&blob, 0, sizeof(blob));
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &blob, sizeof(blob)));
	EXPECT_EQ(42, blob.out);
	EXPECT_LE(1, blob.runs);
	EXPECT_EQ(0, self->skel->bss->nulls);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, handle, &info, NULL, 0));
	EXPECT_EQ(sizeof(blob), info.size);
	EXPECT_EQ((__u32)self->type_id, info.type_id);
	EXPECT_NE(0, info.link_id);
	EXPECT_EQ((__u32)getpid(), info.owner_pid);
	if (!strcmp(variant->prog, "on_mismatch")) {
		EXPECT_EQ(blob.runs, self->skel->bss->type_mismatch_nulls);
		EXPECT_EQ(blob.runs, self->skel->bss->size_mismatch_nulls);
	}
}

/*
 * Every pals_link__*() call works on the kind's link, with the bpf_link
 * handed out and destroyed by the caller on the way; the probe stops
 * with pals_link__destroy().
 */
TEST_F(kinds, every_link_call)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob blob = { .in = 41 };
	struct bpf_program *prog;
	struct pals_link *pl;
	const char *why;
	__u64 handle;

	prog = bpf_object__find_program_by_name(self->skel->obj, variant->prog);
	ASSERT_NE(NULL, prog);
	pl = variant->attach(prog, &blob, &opts);
	if (!pl && errno == EOPNOTSUPP && kernel_before_6_10())
		SKIP(return, "%s", pals_last_error());
	ASSERT_NE(NULL, pl) TH_LOG("attach: %s", pals_last_error());
	handle = pals_link__handle(pl, 0);
	/* The program leaves the blob alone while it is compared. */
	self->skel->bss->target_pid = -1;
	why = test_link_calls(pl, sizeof(blob), variant->target, true);
	EXPECT_EQ(NULL, why) TH_LOG("%s: %s", why, pals_last_error());
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, handle, NULL, NULL, 0));
}

/*
 * A program kind without a cookie gets no blob: BPF_LSM_CGROUP. Such a
 * program cannot call the kfunc, so libpals' own check would refuse it
 * first: the kernel's is reached with the raw command.
 */
TEST(lsm_cgroup_has_no_cookie)
{
	struct test_blob blob = {};
	struct kinds *skel;
	int type_id;
	__u64 h;

	skel = kinds__open();
	ASSERT_NE(NULL, skel);
	load_only(skel, "no_cookie_lsm_cgroup");
	ASSERT_EQ(0, pals_object__prepare(skel->obj)) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, kinds__load(skel));
	type_id = test_btf_id(skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_GT(type_id, 0);
	EXPECT_EQ(-EINVAL, pals_ctx__create(pals_ctx__default(),
					    bpf_program__fd(skel->progs.no_cookie_lsm_cgroup),
					    type_id, &blob, sizeof(blob), NULL, &h));
	/* the fallback: the program never asks for a blob, so has no map */
	EXPECT_NE(NULL, strstr(pals_last_error(),
			       pals_ctx__mode(pals_ctx__default()) == PALS_MODE_FALLBACK ?
			       "has no blob map" : "no BPF cookie"))
		TH_LOG("%s", pals_last_error());
	kinds__destroy(skel);
}

TEST_HARNESS_MAIN
