// SPDX-License-Identifier: GPL-2.0
/*
 * Session links: a kprobe.session or uprobe.session program, prepared by
 * pals_object__prepare() and attached by pals_attach_{k,u}probe_multi()
 * or, from its section, pals_attach(), runs at entry and return of every
 * call with the same blob, and its session cookie carries the entry's
 * value to the return. Programs: progs/session.bpf.c.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "session.skel.h"
#include "session_blob.h"
#include "libpals.h"
#include "util.h"

#define BLOB "struct session_blob"
#define CALLS 5

FIXTURE(session) {
	struct session *skel;
	struct pals_ctx *ctx;
	struct pals_link *pl;
	int uprobe_sessions;
};

FIXTURE_SETUP(session)
{
	self->skel = session__open();
	ASSERT_NE(NULL, self->skel);
	ASSERT_EQ(0, pals_object__prepare(self->skel->obj)) TH_LOG("%s", pals_last_error());
	self->uprobe_sessions = pals_probe_session(true);
	ASSERT_LE(0, self->uprobe_sessions);
	bpf_program__set_autoload(self->skel->progs.on_uprobe_session,
				  self->uprobe_sessions);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, session__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
}

FIXTURE_TEARDOWN(session)
{
	pals_link__destroy(self->pl);
	pals_ctx__free(self->ctx);
	session__destroy(self->skel);
}

/* The blob after CALLS calls of @trigger: every call seen at both ends. */
static void check_calls(struct __test_metadata *_metadata,
			FIXTURE_DATA(session) *self, void (*trigger)(void))
{
	struct session_blob b;
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int i;

	ASSERT_NE(NULL, self->pl) TH_LOG("attach: %s", pals_last_error());
	EXPECT_EQ(NULL, pals_link__bpf_link(self->pl));
	ASSERT_EQ(0, bpf_link_get_info_by_fd(pals_link__fd(self->pl), &info, &len));
	for (i = 0; i < CALLS; i++)
		trigger();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &b, sizeof(b)));
	EXPECT_EQ(CALLS, b.entries);
	EXPECT_EQ(CALLS, b.returns);
	EXPECT_EQ(1000 + CALLS, b.last_cookie);
	EXPECT_EQ(0, b.bad_cookies);
	EXPECT_EQ(0, self->skel->bss->nulls);
}

TEST_F(session, kprobe)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct session_blob b = { .base = 1000 };
	const char *syms[] = { "__x64_sys_getpgid" };

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	self->pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_session,
					    syms, 1, BLOB, &b, sizeof(b), &opts);
	check_calls(_metadata, self, test_trigger_getpgid);
}

TEST_F(session, kprobe_attached_by_section)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct session_blob b = { .base = 1000 };

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	self->pl = pals_attach(self->skel->progs.on_kprobe_session_auto, BLOB,
			       &b, sizeof(b), &opts);
	check_calls(_metadata, self, test_trigger_getpgid);
	EXPECT_EQ(0, pals_link__find(self->pl, "__x64_sys_getpgid"));
}

/* Every pals_link__*() call works on a session link libpals made. */
TEST_F(session, every_link_call)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	const char *syms[] = { "__x64_sys_getpgid", "__x64_sys_getsid" };
	struct session_blob b[2] = { { .base = 1 }, { .base = 2 } };
	struct pals_link *pl;
	const char *why;

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_session,
				      syms, 2, BLOB, b, sizeof(b[0]), &opts);
	ASSERT_NE(NULL, pl) TH_LOG("attach: %s", pals_last_error());
	why = test_link_calls(pl, sizeof(b[0]), syms[0], false);
	EXPECT_EQ(NULL, why) TH_LOG("%s: %s", why, pals_last_error());
}

/* A session attach error names the function: unknown, or given twice. */
TEST_F(session, kprobe_error_names_function)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	const char *unknown[] = { "__x64_sys_getpgid", "pals_no_such_function" };
	const char *twice[] = { "__x64_sys_getpgid", "__x64_sys_getsid",
				"__x64_sys_getpgid" };
	struct session_blob b[3] = {};

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	EXPECT_PALS_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe_session,
						  unknown, 2, BLOB, b, sizeof(b[0]),
						  &opts),
			 ESRCH, "kprobe.session function 'pals_no_such_function': No such process (not a traceable kernel function");
	EXPECT_PALS_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe_session,
						  twice, 3, BLOB, b, sizeof(b[0]),
						  &opts),
			 ESRCH, "kprobe.session function '__x64_sys_getpgid': No such process (given twice)");
}

TEST_F(session, kprobe_skip_return)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct session_blob b = { .base = 1000, .skip = 1 };
	const char *syms[] = { "__x64_sys_getpgid" };

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	self->pl = pals_attach_kprobe_multi(self->skel->progs.on_kprobe_session,
					    syms, 1, BLOB, &b, sizeof(b), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("attach: %s", pals_last_error());
	test_trigger_getpgid();
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(self->pl, 0, &b, sizeof(b)));
	EXPECT_EQ(2, b.entries);
	EXPECT_EQ(0, b.returns);
}

TEST_F(session, uprobe)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct session_blob b = { .base = 1000 };
	const char *syms[] = { "test_uprobe_target" };

	if (!self->uprobe_sessions)
		SKIP(return, "kernel without uprobe.session (6.13+)");
	self->pl = pals_attach_uprobe_multi(self->skel->progs.on_uprobe_session,
					    0, test_self_exe(), syms, 1, BLOB,
					    &b, sizeof(b), &opts);
	check_calls(_metadata, self, test_trigger_uprobe);
}

/* A session link for a program not loaded as a session program. */
TEST_F(session, not_session_program)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx, .session = true);
	struct session_blob b = { .base = 1000 };
	const char *syms[] = { "__x64_sys_getpgid" };
	struct pals_stats before, after;

	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &before));
	EXPECT_PALS_FAIL(pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
						  syms, 1, BLOB, &b, sizeof(b),
						  &opts),
			 EINVAL, "was not loaded as kprobe.session");
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &after));
	EXPECT_EQ(before.blobs, after.blobs);
}

/* The probes agree with the kernel's version (sessions: 6.10, 6.13). */
TEST(probe)
{
	struct utsname u;
	int major, minor, v;

	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(2, sscanf(u.release, "%d.%d", &major, &minor));
	v = major * 100 + minor;
	EXPECT_EQ(v >= 610, pals_probe_session(false));
	EXPECT_EQ(v >= 613, pals_probe_session(true));
}

TEST_HARNESS_MAIN
