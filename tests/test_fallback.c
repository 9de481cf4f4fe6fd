// SPDX-License-Identifier: GPL-2.0
/*
 * One program source, two ways to its blobs: pals.ko's kfunc, or the map
 * fallback (PALS_MODE=fallback, or no module). Every test runs in the mode
 * libpals chose and checks the blobs behave the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "libpals.h"
#include "fallback.skel.h"
#include "fallback_blob.h"
#include "pals_fallback.h"
#include "util.h"

FIXTURE(fb) {
	struct fallback *skel;
	bool fallback;
};

FIXTURE_SETUP(fb)
{
	const char *env = getenv("PALS_MODE");
	struct pals_ctx *ctx = pals_ctx__default();

	ASSERT_NE(NULL, ctx) TH_LOG("%s", pals_last_error());
	self->fallback = pals_ctx__mode(ctx) == PALS_MODE_FALLBACK;
	if (env && !strcmp(env, "fallback"))
		ASSERT_TRUE(self->fallback);
	if (env && !strcmp(env, "module"))
		ASSERT_FALSE(self->fallback);
	self->skel = fallback__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, pals_object__prepare(self->skel->obj)) TH_LOG("%s", pals_last_error());
	/* fentry needs BTF of the kernel function, on every kernel here. */
	ASSERT_EQ(0, fallback__load(self->skel)) TH_LOG("load failed");
}

FIXTURE_TEARDOWN(fb)
{
	fallback__destroy(self->skel);
}

/* The map is sized for the largest blob, or shrunk with the module. */
TEST_F(fb, map_sized_for_mode)
{
	struct bpf_map *map = self->skel->maps.pals_blobs;

	if (self->fallback) {
		EXPECT_EQ(sizeof(struct pals_fb_hdr) + sizeof(struct fb_big),
			  bpf_map__value_size(map));
		EXPECT_LT(1, bpf_map__max_entries(map));
	} else {
		EXPECT_EQ(sizeof(struct pals_fb_hdr), bpf_map__value_size(map));
		EXPECT_EQ(1, bpf_map__max_entries(map));
	}
	TH_LOG("mode: %s", self->fallback ? "fallback" : "module");
}

static void check_link(struct __test_metadata *_metadata,
		       struct fallback *skel, struct pals_link *pl,
		       void (*trigger)(void))
{
	struct fb_blob b = { .tag = 7 }, got;
	__u32 tag = 11;
	int i;

	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	for (i = 0; i < 3; i++)
		trigger();
	ASSERT_EQ(0, pals_link__read(pl, 0, &got, sizeof(got)));
	EXPECT_EQ(3, got.hits);
	EXPECT_EQ(7, skel->bss->last_tag);
	/* update replaces the blob: the program sees the new bytes */
	b.tag = 9;
	ASSERT_EQ(0, pals_link__update(pl, 0, &b, sizeof(b)));
	trigger();
	EXPECT_EQ(9, skel->bss->last_tag);
	ASSERT_EQ(0, pals_link__read(pl, 0, &got, sizeof(got)));
	EXPECT_EQ(1, got.hits);
	/* write changes one member, read_range reads it back */
	ASSERT_EQ(0, pals_link__write(pl, 0, offsetof(struct fb_blob, tag),
				      &tag, sizeof(tag)));
	trigger();
	EXPECT_EQ(11, skel->bss->last_tag);
	tag = 0;
	ASSERT_EQ(0, pals_link__read_range(pl, 0, offsetof(struct fb_blob, tag),
					   &tag, sizeof(tag)));
	EXPECT_EQ(11, tag);
	ASSERT_EQ(0, pals_link__read_all(pl, &got, sizeof(got)));
	EXPECT_EQ(2, got.hits);
	EXPECT_EQ(0, skel->bss->nulls);
	EXPECT_EQ(0, pals_link__destroy(pl));
	/* detached: the program runs no more */
	trigger();
	EXPECT_EQ(11, skel->bss->last_tag);
	EXPECT_EQ(0, skel->bss->nulls);
}

TEST_F(fb, kprobe)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach(self->skel->progs.on_kprobe, NULL, &b, sizeof(b), NULL),
		   test_trigger_getpgid);
}

TEST_F(fb, kprobe_multi)
{
	struct fb_blob b = { .tag = 7 };
	struct pals_link *pl;

	pl = pals_attach(self->skel->progs.on_kprobe_multi, NULL, &b, sizeof(b), NULL);
	if (!pl && errno == EOPNOTSUPP) {
		ASSERT_NE(NULL, strstr(pals_last_error(), "no kprobe_multi links"));
		SKIP(return, "%s", pals_last_error());
	}
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	EXPECT_EQ(0, pals_link__find(pl, "__x64_sys_getpgid"));
	check_link(_metadata, self->skel, pl, test_trigger_getpgid);
}

TEST_F(fb, tracepoint)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach(self->skel->progs.on_tp, NULL, &b, sizeof(b), NULL),
		   test_trigger_getpgid);
}

TEST_F(fb, fentry)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach(self->skel->progs.on_fentry, NULL, &b, sizeof(b), NULL),
		   test_trigger_getpgid);
}

TEST_F(fb, kretprobe)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach(self->skel->progs.on_kretprobe, NULL, &b, sizeof(b), NULL),
		   test_trigger_getpgid);
}

TEST_F(fb, fexit)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach(self->skel->progs.on_fexit, NULL, &b, sizeof(b), NULL),
		   test_trigger_getpgid);
}

TEST_F(fb, lsm)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach(self->skel->progs.on_lsm, NULL, &b, sizeof(b), NULL),
		   test_trigger_getpgid);
}

TEST_F(fb, uprobe)
{
	struct fb_blob b = { .tag = 7 };

	check_link(_metadata, self->skel,
		   pals_attach_uprobe(self->skel->progs.on_uprobe, 0, test_self_exe(),
				      "test_uprobe_target", 0, NULL, &b, sizeof(b), NULL),
		   test_trigger_uprobe);
}

/* A blob of another type than the program asks for: NULL, as the kfunc. */
TEST_F(fb, wrong_type_is_null)
{
	struct bpf_program *prog = self->skel->progs.on_kprobe;
	int id = test_btf_id(self->skel->obj, "fb_big", BTF_KIND_STRUCT);
	struct pals_ctx *ctx = pals_ctx__default();
	LIBBPF_OPTS(bpf_kprobe_opts, kopts);
	struct bpf_link *link;
	__u64 handle;

	ASSERT_LT(0, id);
	ASSERT_EQ(0, pals_ctx__create(ctx, bpf_program__fd(prog), id, NULL,
				      sizeof(struct fb_big), NULL, &handle))
		TH_LOG("%s", pals_last_error());
	kopts.bpf_cookie = handle;
	link = bpf_program__attach_kprobe_opts(prog, "__x64_sys_getpgid", &kopts);
	ASSERT_NE(NULL, link);
	test_trigger_getpgid();
	EXPECT_EQ(1, self->skel->bss->nulls);
	/* a handle that was never made, likewise */
	EXPECT_EQ(0, pals_ctx__delete(ctx, handle));
	test_trigger_getpgid();
	EXPECT_EQ(2, self->skel->bss->nulls);
	bpf_link__destroy(link);
}

/* The largest blob, at its last byte: the verifier let it through. */
TEST_F(fb, largest_blob)
{
	struct fb_big big = {}, got;
	struct pals_link *pl;

	big.bytes[sizeof(big.bytes) - 1] = 42;
	pl = pals_attach(self->skel->progs.on_big, NULL, &big, sizeof(big), NULL);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(pl, 0, &got, sizeof(got)));
	EXPECT_EQ(42, got.last);
	EXPECT_EQ(0, pals_link__destroy(pl));
}

/* What the fallback cannot do fails with a reason. */
TEST_F(fb, pin_says_why)
{
	struct fb_blob b = {};
	struct pals_link *pl;
	int err;

	pl = pals_attach(self->skel->progs.on_kprobe, NULL, &b, sizeof(b), NULL);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	err = pals_link__pin(pl);
	if (self->fallback) {
		EXPECT_EQ(-EOPNOTSUPP, err);
		EXPECT_NE(NULL, strstr(pals_last_error(), "map fallback"))
			TH_LOG("%s", pals_last_error());
	} else {
		EXPECT_EQ(0, err);
		EXPECT_EQ(0, pals_link__unpin(pl));
	}
	EXPECT_EQ(0, pals_link__destroy(pl));
}

/*
 * A kind the kernel gives no cookie (raw_tp before 6.10): the fallback
 * says so before load, naming the program and the kernel that would do.
 */
TEST(kind_floor)
{
	struct fallback *skel = fallback__open();
	struct utsname u;
	int major, minor, err;

	ASSERT_NE(NULL, skel);
	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(2, sscanf(u.release, "%d.%d", &major, &minor));
	ASSERT_EQ(0, bpf_program__set_autoload(skel->progs.on_raw_tp, true));
	err = pals_object__prepare(skel->obj);
	if (pals_ctx__mode(pals_ctx__default()) == PALS_MODE_FALLBACK &&
	    major * 100 + minor < 610) {
		EXPECT_EQ(-EOPNOTSUPP, err);
		EXPECT_NE(NULL, strstr(pals_last_error(), "program 'on_raw_tp'"));
		EXPECT_NE(NULL, strstr(pals_last_error(), "Linux 6.10 does"))
			TH_LOG("%s", pals_last_error());
	} else {
		EXPECT_EQ(0, err) TH_LOG("%s", pals_last_error());
		EXPECT_EQ(0, fallback__load(skel));
	}
	fallback__destroy(skel);
}

TEST(bad_env_mode)
{
	struct pals_ctx *ctx;

	setenv("PALS_MODE", "sometimes", 1);
	ctx = pals_ctx__new(NULL);
	EXPECT_EQ(NULL, ctx);
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(pals_last_error(), "PALS_MODE=sometimes"));
	pals_ctx__free(ctx);
}

TEST_HARNESS_MAIN
