// SPDX-License-Identifier: GPL-2.0
/*
 * Forged handles from BPF: random values, zero, handles of deleted blobs,
 * the right slot with the wrong generation, the live handle with the
 * wrong type or size. Every one gives NULL; the live one does not.
 * Program: progs/forge.bpf.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "forge.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

#define BLOB "struct test_blob"

FIXTURE(forge) {
	struct forge *skel;
	struct pals_ctx *ctx;
};

FIXTURE_SETUP(forge)
{
	self->skel = forge__open_and_load();
	ASSERT_NE(NULL, self->skel);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
}

FIXTURE_TEARDOWN(forge)
{
	pals_ctx__free(self->ctx);
	forge__destroy(self->skel);
}

static int create(struct __test_metadata *_metadata, FIXTURE_DATA(forge) *self,
		  __u64 *handle)
{
	struct bpf_program *prog = self->skel->progs.forge_handles;
	struct test_blob blob = {};
	int id = pals_type_id(prog, BLOB, sizeof(blob));

	EXPECT_LT(0, id);
	return pals_ctx__create(self->ctx, bpf_program__fd(prog), id, &blob,
				sizeof(blob), NULL, handle);
}

TEST_F(forge, every_forged_handle_is_null)
{
	int runs = getenv("PALS_FORGE_RUNS") ? atoi(getenv("PALS_FORGE_RUNS")) : 32;
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct pals_stats before, after;
	__u64 handles[64], deleted;
	int i;

	/* Live blobs around the one used, and freed slots among them. */
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, create(_metadata, self, &handles[i]));
	for (i = 0; i < 64; i += 2)
		ASSERT_EQ(0, pals_ctx__delete(self->ctx, handles[i]));
	ASSERT_EQ(0, create(_metadata, self, &deleted));
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, deleted));
	self->skel->bss->live = handles[31];
	self->skel->bss->deleted = deleted;

	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &before));
	for (i = 0; i < runs; i++)
		ASSERT_EQ(0, bpf_prog_test_run_opts(
			bpf_program__fd(self->skel->progs.forge_handles), &topts));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &after));

	EXPECT_EQ(0, self->skel->bss->leaks);
	EXPECT_EQ((__u64)runs << 16, self->skel->bss->control);
	EXPECT_EQ(self->skel->bss->control, self->skel->bss->control_hits);
	EXPECT_LE((__u64)runs << 17, self->skel->bss->forged);
	/* The module's own count of NULL returns agrees. */
	EXPECT_EQ(self->skel->bss->forged, after.misses - before.misses);
	TH_LOG("forged handle calls: %llu, all NULL; live calls: %llu",
	       (unsigned long long)self->skel->bss->forged,
	       (unsigned long long)self->skel->bss->control);
}

TEST_HARNESS_MAIN
