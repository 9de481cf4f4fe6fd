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

/*
 * The maps are sized for the largest blob, the ARRAY with slots for the
 * programs (64 each, 256 at least), or shrunk with the module.
 */
TEST_F(fb, map_sized_for_mode)
{
	struct bpf_map *map = self->skel->maps.pals_blobs;
	struct bpf_map *overflow = self->skel->maps.pals_overflow;

	if (self->fallback) {
		EXPECT_EQ(sizeof(struct pals_fb_hdr) + sizeof(struct fb_big),
			  bpf_map__value_size(map));
		EXPECT_EQ(bpf_map__value_size(map), bpf_map__value_size(overflow));
		EXPECT_EQ(9 * 64, bpf_map__max_entries(map));
		EXPECT_LT(1, bpf_map__max_entries(overflow));
	} else {
		EXPECT_EQ(sizeof(struct pals_fb_hdr), bpf_map__value_size(map));
		EXPECT_EQ(1, bpf_map__max_entries(map));
		EXPECT_EQ(1, bpf_map__max_entries(overflow));
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

/* Attach @prog with @cookie, trigger it once, detach. */
static void run_with_cookie(struct __test_metadata *_metadata,
			    struct bpf_program *prog, __u64 cookie)
{
	LIBBPF_OPTS(bpf_kprobe_opts, kopts, .bpf_cookie = cookie);
	struct bpf_link *link;

	link = bpf_program__attach_kprobe_opts(prog, "__x64_sys_getpgid", &kopts);
	ASSERT_NE(NULL, link);
	test_trigger_getpgid();
	bpf_link__destroy(link);
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

/*
 * A size other than the type's, or a type id that is no struct in the
 * program's BTF, is refused at create in both modes: the fallback's check
 * word holds no size, so its size must be the type's.
 */
TEST_F(fb, create_checks_type_size)
{
	int fd = bpf_program__fd(self->skel->progs.on_kprobe);
	int id = test_btf_id(self->skel->obj, "fb_blob", BTF_KIND_STRUCT);
	int int_id = test_btf_id(self->skel->obj, "int", BTF_KIND_INT);
	struct pals_ctx *ctx = pals_ctx__default();
	char data[sizeof(struct fb_blob) + 8] = {};
	__u64 handle = 0;

	ASSERT_LT(0, id);
	ASSERT_LT(0, int_id);
	EXPECT_EQ(-EINVAL, pals_ctx__create(ctx, fd, id, data, sizeof(data),
					    NULL, &handle));
	EXPECT_NE(NULL, strstr(pals_last_error(), "24 bytes, but type"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_ctx__create(ctx, fd, id, data,
					    sizeof(struct fb_blob) - 8, NULL,
					    &handle));
	EXPECT_EQ(-EINVAL, pals_ctx__create(ctx, fd, int_id, data, sizeof(int),
					    NULL, &handle));
	EXPECT_NE(NULL, strstr(pals_last_error(), "is not a struct or union"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_ctx__create(ctx, fd, 0xfffff, data,
					    sizeof(struct fb_blob), NULL, &handle));
	EXPECT_NE(NULL, strstr(pals_last_error(), "is not a type in the program's BTF"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(0, handle);
}

/*
 * Handles no blob has read NULL: a free slot's (serial 0, the slot the
 * type id's number names: a value of zeros), and 2^64 - type id, whose
 * sum with the type id is the free slot's 0.
 */
TEST_F(fb, free_slot_is_null)
{
	struct bpf_program *prog = self->skel->progs.on_kprobe;
	int id = test_btf_id(self->skel->obj, "fb_blob", BTF_KIND_STRUCT);

	if (!self->fallback)
		SKIP(return, "the module's handles name no slot");
	ASSERT_LT(0, id);
	ASSERT_LT(id, bpf_map__max_entries(self->skel->maps.pals_blobs));
	run_with_cookie(_metadata, prog, PALS_FB_HANDLE(0, id));
	EXPECT_EQ(1, self->skel->bss->nulls);
	run_with_cookie(_metadata, prog, -(__u64)id);
	EXPECT_EQ(2, self->skel->bss->nulls);
	run_with_cookie(_metadata, prog, 0);
	EXPECT_EQ(3, self->skel->bss->nulls);
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
 * The raw entry points refuse a program of the other mode than @ctx's as
 * pals_attach() does: pals_ctx__create(), pals_ctx__create_batch(),
 * pals_blob__create() (and so pals_blob__create_batch()).
 */
static void check_raw_mismatch(struct __test_metadata *_metadata,
			       struct fallback *skel, struct pals_ctx *ctx)
{
	struct bpf_program *prog = skel->progs.on_kprobe;
	int id = test_btf_id(skel->obj, "fb_blob", BTF_KIND_STRUCT);
	PALS_OPTS(pals_attach_opts, aopts, .ctx = ctx);
	struct fb_blob b[2] = {};
	__u64 handles[2] = {};
	int i;

	ASSERT_LT(0, id);
	for (i = 0; i < 3; i++) {
		int err = i == 0 ?
			pals_ctx__create(ctx, bpf_program__fd(prog), id, b,
					 sizeof(b[0]), NULL, handles) :
			i == 1 ?
			pals_ctx__create_batch(ctx, bpf_program__fd(prog), id, b,
					       sizeof(b[0]), 2, NULL, handles) :
			pals_blob__create(prog, NULL, b, sizeof(b[0]), &aopts,
					  handles);

		EXPECT_EQ(-EINVAL, err) TH_LOG("entry point %d", i);
		EXPECT_NE(NULL, strstr(pals_last_error(), "program 'on_kprobe'"))
			TH_LOG("entry point %d: %s", i, pals_last_error());
		EXPECT_NE(NULL, strstr(pals_last_error(), "(module mode)"));
		EXPECT_NE(NULL, strstr(pals_last_error(), "(fallback mode)"));
		EXPECT_EQ(0, handles[0]);
	}
}

/* A context in the other mode than the object's: attach names both. */
TEST_F(fb, mode_mismatch)
{
	PALS_OPTS(pals_ctx_opts, copts, .mode = self->fallback ?
		  PALS_MODE_MODULE : PALS_MODE_FALLBACK);
	struct pals_ctx *other = pals_ctx__new(&copts);
	PALS_OPTS(pals_attach_opts, aopts, .ctx = other);
	struct fb_blob b = {};

	if (!other)
		SKIP(return, "no context in the other mode: %s", pals_last_error());
	EXPECT_EQ(NULL, pals_attach(self->skel->progs.on_kprobe, NULL, &b,
				    sizeof(b), &aopts));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(pals_last_error(), "program 'on_kprobe'"));
	EXPECT_NE(NULL, strstr(pals_last_error(), "(module mode)"));
	EXPECT_NE(NULL, strstr(pals_last_error(), "(fallback mode)"))
		TH_LOG("%s", pals_last_error());
	check_raw_mismatch(_metadata, self->skel, other);
	test_trigger_getpgid();
	EXPECT_EQ(0, self->skel->bss->nulls);
	pals_ctx__free(other);
}

/* An object prepared for the fallback, a context on the module. */
TEST(mode_mismatch_fallback_object)
{
	PALS_OPTS(pals_ctx_opts, copts, .mode = PALS_MODE_MODULE);
	PALS_OPTS(pals_attach_opts, aopts);
	struct fb_blob b = {};
	struct fallback *skel;

	/* a test runs in its own process: no default context yet */
	ASSERT_EQ(0, pals_set_mode(PALS_MODE_FALLBACK));
	aopts.ctx = pals_ctx__new(&copts);
	if (!aopts.ctx)
		SKIP(return, "no context on the module: %s", pals_last_error());
	skel = fallback__open();
	ASSERT_NE(NULL, skel);
	ASSERT_EQ(0, pals_object__prepare(skel->obj)) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, fallback__load(skel));
	EXPECT_EQ(NULL, pals_attach(skel->progs.on_kprobe, NULL, &b, sizeof(b),
				    &aopts));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(pals_last_error(),
			       "program 'on_kprobe' was loaded for the map fallback (fallback mode), but the context runs on pals.ko (module mode)"))
		TH_LOG("%s", pals_last_error());
	check_raw_mismatch(_metadata, skel, aopts.ctx);
	fallback__destroy(skel);
	pals_ctx__free(aopts.ctx);
}

/* How many of @prog's loaded instructions load @map's address. */
static int map_loads(struct __test_metadata *_metadata,
		     const struct bpf_program *prog, const struct bpf_map *map)
{
	struct bpf_prog_info info = {};
	struct bpf_map_info minfo = {};
	__u32 len = sizeof(info), mlen = sizeof(minfo), i, cnt;
	struct bpf_insn *insns;
	int n = 0;

	EXPECT_EQ(0, bpf_map_get_info_by_fd(bpf_map__fd(map), &minfo, &mlen));
	EXPECT_EQ(0, bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len));
	cnt = info.xlated_prog_len / sizeof(*insns);
	insns = calloc(cnt, sizeof(*insns));
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = cnt * sizeof(*insns);
	info.xlated_prog_insns = (__u64)(unsigned long)insns;
	len = sizeof(info);
	EXPECT_EQ(0, bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len));
	for (i = 0; insns && i < cnt; i++)
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    insns[i].src_reg == BPF_PSEUDO_MAP_FD &&
		    (__u32)insns[i].imm == minfo.id)
			n++;
	free(insns);
	return n;
}

/*
 * With the module, pals_get() is the kfunc call alone: the verifier
 * removed the maps' code. On the fallback, the program uses the ARRAY.
 */
TEST_F(fb, dead_path_removed)
{
	struct bpf_program *prog = self->skel->progs.on_kprobe;
	int array = map_loads(_metadata, prog, self->skel->maps.pals_blobs);
	int overflow = map_loads(_metadata, prog, self->skel->maps.pals_overflow);

	if (self->fallback) {
		EXPECT_EQ(1, array);
		EXPECT_EQ(1, overflow);
	} else {
		EXPECT_EQ(0, array);
		EXPECT_EQ(0, overflow);
	}
}

/*
 * The fallback's ARRAY slots, then its HASH for what does not fit; a
 * deleted blob's slot goes to the next blob, and the old handle finds
 * nothing there.
 */
TEST_F(fb, slots_overflow_stale)
{
	struct bpf_program *prog = self->skel->progs.on_kprobe;
	int id = test_btf_id(self->skel->obj, "fb_blob", BTF_KIND_STRUCT);
	struct pals_ctx *ctx = pals_ctx__default();
	__u32 slots = bpf_map__max_entries(self->skel->maps.pals_blobs), i;
	struct fb_blob *blobs;
	__u64 *handles, stale, fresh;

	if (!self->fallback)
		SKIP(return, "the module's handles name no slot");
	ASSERT_LT(0, id);
	blobs = calloc(slots + 1, sizeof(*blobs));
	handles = calloc(slots + 1, sizeof(*handles));
	ASSERT_NE(NULL, blobs);
	ASSERT_NE(NULL, handles);
	for (i = 0; i <= slots; i++)
		blobs[i].tag = 1000 + i;
	ASSERT_EQ(0, pals_ctx__create_batch(ctx, bpf_program__fd(prog), id,
					    blobs, sizeof(*blobs), slots + 1,
					    NULL, handles))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(slots - 1, PALS_FB_SLOT(handles[slots - 1]));
	EXPECT_EQ(PALS_FB_NO_SLOT, PALS_FB_SLOT(handles[slots]));
	run_with_cookie(_metadata, prog, handles[slots]);
	EXPECT_EQ(1000 + slots, self->skel->bss->last_tag);
	run_with_cookie(_metadata, prog, handles[7]);
	EXPECT_EQ(1007, self->skel->bss->last_tag);
	EXPECT_EQ(0, self->skel->bss->nulls);

	stale = handles[7];
	ASSERT_EQ(0, pals_ctx__delete(ctx, stale));
	blobs[0].tag = 77;
	ASSERT_EQ(0, pals_ctx__create(ctx, bpf_program__fd(prog), id, &blobs[0],
				      sizeof(blobs[0]), NULL, &fresh));
	EXPECT_EQ(PALS_FB_SLOT(stale), PALS_FB_SLOT(fresh));
	EXPECT_NE(stale, fresh);
	run_with_cookie(_metadata, prog, stale);
	EXPECT_EQ(1, self->skel->bss->nulls);
	EXPECT_EQ(1007, self->skel->bss->last_tag);
	run_with_cookie(_metadata, prog, fresh);
	EXPECT_EQ(77, self->skel->bss->last_tag);
	EXPECT_EQ(-ENOENT, pals_ctx__delete(ctx, stale));
	handles[7] = fresh;
	EXPECT_EQ(0, pals_ctx__delete_batch(ctx, handles, slots + 1))
		TH_LOG("%s", pals_last_error());
	free(handles);
	free(blobs);
}

/*
 * Two contexts share the object's ARRAY: a slot one context freed and the
 * other took holds the other's blob, and the first one's stale handle to
 * it reads NULL, though both number their blobs from 1.
 */
TEST_F(fb, other_context_handle)
{
	struct bpf_program *prog = self->skel->progs.on_kprobe;
	int fd = bpf_program__fd(prog);
	int id = test_btf_id(self->skel->obj, "fb_blob", BTF_KIND_STRUCT);
	PALS_OPTS(pals_ctx_opts, copts, .mode = PALS_MODE_FALLBACK);
	struct pals_ctx *a = pals_ctx__default(), *b;
	struct fb_blob blob = { .tag = 1 };
	__u64 a1, a2, b1;

	if (!self->fallback)
		SKIP(return, "the module's handles name no slot");
	ASSERT_LT(0, id);
	b = pals_ctx__new(&copts);
	ASSERT_NE(NULL, b) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, pals_ctx__create(a, fd, id, &blob, sizeof(blob), NULL, &a1));
	blob.tag = 2;
	ASSERT_EQ(0, pals_ctx__create(a, fd, id, &blob, sizeof(blob), NULL, &a2));
	ASSERT_EQ(0, pals_ctx__delete(a, a2));
	blob.tag = 3;
	ASSERT_EQ(0, pals_ctx__create(b, fd, id, &blob, sizeof(blob), NULL, &b1));
	EXPECT_EQ(PALS_FB_SLOT(a2), PALS_FB_SLOT(b1));
	EXPECT_EQ(PALS_FB_SERIAL(a1), PALS_FB_SERIAL(b1));
	run_with_cookie(_metadata, prog, a2);
	EXPECT_EQ(1, self->skel->bss->nulls);
	run_with_cookie(_metadata, prog, b1);
	EXPECT_EQ(3, self->skel->bss->last_tag);
	run_with_cookie(_metadata, prog, a1);
	EXPECT_EQ(1, self->skel->bss->last_tag);
	/* a serial no blob in that slot has: no blob */
	run_with_cookie(_metadata, prog, PALS_FB_HANDLE(2, PALS_FB_SLOT(a1)));
	EXPECT_EQ(2, self->skel->bss->nulls);
	EXPECT_EQ(1, self->skel->bss->last_tag);
	EXPECT_EQ(0, pals_ctx__delete(a, a1));
	pals_ctx__free(b);
}

/*
 * A kprobe.session program's blob type, found without being named in
 * both modes: on the fallback, the instructions libpals reads still hold
 * the session kfunc prototype the kernel lacks, which is no pals_get().
 */
TEST(session_type)
{
	struct fb_blob b = { .tag = 5 }, got;
	struct fallback *skel;
	struct pals_link *pl;

	if (pals_probe_session(false) != 1)
		SKIP(return, "kernel without kprobe.session (6.10+)");
	skel = fallback__open();
	ASSERT_NE(NULL, skel);
	skel->bss->target_pid = getpid();
	ASSERT_EQ(0, bpf_program__set_autoload(skel->progs.on_session, true));
	ASSERT_EQ(0, pals_object__prepare(skel->obj)) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, fallback__load(skel));
	pl = pals_attach(skel->progs.on_session, NULL, &b, sizeof(b), NULL);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(pl, 0, &got, sizeof(got)));
	EXPECT_EQ(2, got.hits);
	EXPECT_EQ(5, skel->bss->last_tag);
	EXPECT_EQ(0, skel->bss->nulls);
	EXPECT_EQ(0, pals_link__destroy(pl));
	fallback__destroy(skel);
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
