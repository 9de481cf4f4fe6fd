// SPDX-License-Identifier: GPL-2.0
/*
 * A blob belongs to the BPF object it was created for: a program of the
 * same object may look it up by handle; on kernels whose kfunc learns its
 * caller (7.x: bpf_pals_get_impl in pals' BTF) a program of another
 * object gets NULL even with the right handle, type id and size, and
 * cannot write the blob. Programs: progs/cross.bpf.c.
 */
#include <unistd.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "cross.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

/*
 * Whether the kernel can tell a kfunc its caller (7.0: bpf_obj_new() is
 * such a kfunc, bpf_obj_new_impl() before), and whether pals.ko takes it
 * (resolve_btfids keeps such a kfunc's full prototype as <kfunc>_impl).
 */
static void kfunc_knows_caller(bool *kernel, bool *pals)
{
	*kernel = test_btf_has_func(NULL, "bpf_obj_new");
	*pals = test_btf_has_func("pals", "bpf_pals_get_impl");
}

FIXTURE(cross) {
	struct cross *a, *b;
	struct pals_link *pl;
	struct bpf_link *reader;
	__u64 handle;
};

FIXTURE_SETUP(cross)
{
	struct test_blob blob = { .in = 1 };

	self->a = cross__open_and_load();
	ASSERT_NE(NULL, self->a);
	self->b = cross__open_and_load();
	ASSERT_NE(NULL, self->b);
	self->a->bss->target_pid = getpid();
	self->b->bss->target_pid = getpid();
	self->pl = pals_attach_kprobe(self->a->progs.owner, "__x64_sys_getpgid",
				      "struct test_blob", &blob, sizeof(blob),
				      NULL);
	ASSERT_NE(NULL, self->pl) TH_LOG("attach: %s", pals_last_error());
	self->handle = pals_link__handle(self->pl, 0);
}

FIXTURE_TEARDOWN(cross)
{
	bpf_link__destroy(self->reader);
	pals_link__destroy(self->pl);
	cross__destroy(self->b);
	cross__destroy(self->a);
}

/* Run "reader" of @skel against the owner's handle; the blob after. */
static void read_from(FIXTURE_DATA(cross) *self, struct cross *skel,
		      struct test_blob *blob)
{
	skel->bss->victim = self->handle;
	self->reader = bpf_program__attach_kprobe(skel->progs.reader, false,
						  "__x64_sys_getpgid");
	if (!self->reader)
		return;
	test_trigger_getpgid();
	pals_link__read(self->pl, 0, blob, sizeof(*blob));
}

/*
 * An update moves the blob into a batch of its own (kmod/obj.c), which
 * keeps what the kfunc compares, the BPF object included.
 */
static void update(FIXTURE_DATA(cross) *self,
		   struct __test_metadata *_metadata)
{
	struct test_blob blob = { .in = 1 };

	ASSERT_EQ(0, pals_link__update(self->pl, 0, &blob, sizeof(blob)))
		TH_LOG("update: %s", pals_last_error());
}

/* Another program of the owner's object reads and writes the blob. */
static void same_shares(FIXTURE_DATA(cross) *self,
			struct __test_metadata *_metadata)
{
	struct test_blob blob = {};

	read_from(self, self->a, &blob);
	ASSERT_NE(NULL, self->reader);
	EXPECT_LE(1, self->a->bss->lookups);
	EXPECT_EQ(0, self->a->bss->lookup_nulls);
	EXPECT_EQ(0xbad, blob.pad[0]);
	EXPECT_EQ(2, blob.out) TH_LOG("the owner still reads its blob");
}

TEST_F(cross, same_object_shares)
{
	same_shares(self, _metadata);
}

TEST_F(cross, same_object_shares_after_update)
{
	update(self, _metadata);
	same_shares(self, _metadata);
}

/* Another object reads the blob: it gets NULL where the kernel tells. */
static void other_gets_null(FIXTURE_DATA(cross) *self,
			    struct __test_metadata *_metadata)
{
	struct test_blob blob = {};
	bool kernel, pals;

	kfunc_knows_caller(&kernel, &pals);
	if (!kernel)
		SKIP(return, "the kfunc cannot learn its caller before Linux 7.0 (see uapi/linux/pals.h, Threat model)");
	ASSERT_TRUE(pals) TH_LOG("pals.ko was built without learning its caller: its build warned why (pahole's libbpf before 1.6?)");
	read_from(self, self->b, &blob);
	ASSERT_NE(NULL, self->reader);
	EXPECT_EQ(0, self->b->bss->lookups);
	EXPECT_LE(1, self->b->bss->lookup_nulls);
	EXPECT_EQ(0, blob.pad[0]) TH_LOG("another object wrote the blob");
	EXPECT_EQ(2, blob.out) TH_LOG("the owner still reads its blob");
}

TEST_F(cross, other_object_gets_null)
{
	other_gets_null(self, _metadata);
}

TEST_F(cross, other_object_gets_null_after_update)
{
	update(self, _metadata);
	other_gets_null(self, _metadata);
}

TEST_HARNESS_MAIN
