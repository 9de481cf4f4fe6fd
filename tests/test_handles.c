// SPDX-License-Identifier: GPL-2.0
/*
 * What the kfunc returns for a cookie: the blob for a live handle, NULL
 * for anything else, including values that land on an empty slot, on
 * the table's last slot (never given out) or on a live blob's slot with
 * other high bits, across table growth, and even when asking for the
 * type and size of the empty slots' placeholder; handles are random and
 * slots are not reused in order. Programs:
 * progs/handles.bpf.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/pals.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "handles.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

/* More than the table's first capacity (256), so it grows twice. */
#define NR_BLOBS	600

FIXTURE(handles) {
	struct handles *skel;
	struct pals_ctx *ctx;
	__u64 handle[NR_BLOBS];
};

/* A new blob for the program, owned by the fixture's context. */
static int create(FIXTURE_DATA(handles) *self, __u64 *handle)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct test_blob blob = { .in = 1 };

	return pals_blob__create(self->skel->progs.on_getpgid,
				 "struct test_blob", &blob, sizeof(blob), &opts,
				 handle);
}

FIXTURE_SETUP(handles)
{
	int i;

	self->skel = handles__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, handles__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	for (i = 0; i < NR_BLOBS; i++)
		ASSERT_EQ(0, create(self, &self->handle[i]));
}

FIXTURE_TEARDOWN(handles)
{
	pals_ctx__free(self->ctx);
	handles__destroy(self->skel);
}

/* Did one run of @prog attached with @cookie find a blob? */
static int prog_finds(FIXTURE_DATA(handles) *self, struct bpf_program *prog,
		      __u64 cookie)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .bpf_cookie = cookie);
	struct bpf_link *link;

	self->skel->bss->runs = 0;
	self->skel->bss->nulls = 0;
	link = bpf_program__attach_kprobe_opts(prog, "__x64_sys_getpgid", &opts);
	if (!link)
		return -errno;
	test_trigger_getpgid();
	bpf_link__destroy(link);
	if (self->skel->bss->runs + self->skel->bss->nulls != 1)
		return -EIO;
	return self->skel->bss->runs;
}

static int finds(FIXTURE_DATA(handles) *self, __u64 cookie)
{
	return prog_finds(self, self->skel->progs.on_getpgid, cookie);
}

/* The same, asking for type id 0 and size 0, which only a hole has. */
static int finds_void(FIXTURE_DATA(handles) *self, __u64 cookie)
{
	return prog_finds(self, self->skel->progs.on_getpgid_void, cookie);
}

TEST_F(handles, live_handles_find_their_blob)
{
	EXPECT_EQ(1, finds(self, self->handle[0]));
	EXPECT_EQ(1, finds(self, self->handle[255]));
	EXPECT_EQ(1, finds(self, self->handle[NR_BLOBS - 1]));
}

TEST_F(handles, forged_values_find_nothing)
{
	static const __u64 forged[] = {
		0, ~0ULL, ~0ULL - 1, 0xff, 0x1ff, 0x3ff, 0xfffff,
		1ULL << 20 | 0xff, 1ULL << 20 | 0x3ff, 1ULL << 20 | 0xfffff,
		~0ULL << 20, 1ULL << 20 | NR_BLOBS, 0xffffffffULL,
	};
	size_t i;

	/* Slot 0 empty too: 0 and ~0 then land on the two kinds of hole. */
	for (i = 0; i < NR_BLOBS && PALS_HANDLE_INDEX(self->handle[i]); i++)
		;
	if (i < NR_BLOBS)
		ASSERT_EQ(0, pals_ctx__delete(self->ctx, self->handle[i]));
	for (i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		EXPECT_EQ(0, finds(self, forged[i]))
			TH_LOG("cookie %#llx", (unsigned long long)forged[i]);
		EXPECT_EQ(0, finds_void(self, forged[i]))
			TH_LOG("cookie %#llx, void", (unsigned long long)forged[i]);
	}
}

TEST_F(handles, other_bits_on_a_live_slot_find_nothing)
{
	__u64 h = self->handle[7];

	EXPECT_EQ(0, finds(self, h + (1ULL << 20)));	/* next tag */
	EXPECT_EQ(0, finds(self, h ^ (1ULL << 19)));	/* index above the table */
	EXPECT_EQ(0, finds(self, h ^ (1ULL << 10)));	/* same slot mod 1024 */
	EXPECT_EQ(0, finds(self, PALS_HANDLE_INDEX(h)));	/* tag 0 */
}

TEST_F(handles, stale_handles_find_nothing)
{
	const size_t max = 1UL << PALS_HANDLE_INDEX_BITS;
	__u64 stale = self->handle[3], reused = 0, *kept;
	size_t n = 0;

	ASSERT_EQ(0, pals_ctx__delete(self->ctx, stale));
	EXPECT_EQ(0, finds(self, stale));
	/*
	 * New blobs take random free slots; kept alive, each takes another,
	 * so one takes the stale's before the free slots run out.
	 */
	kept = calloc(max, sizeof(*kept));
	ASSERT_NE(NULL, kept);
	while (n < max) {
		ASSERT_EQ(0, create(self, &reused));
		if (PALS_HANDLE_INDEX(reused) == PALS_HANDLE_INDEX(stale))
			break;
		kept[n++] = reused;
	}
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, kept, n));
	free(kept);
	ASSERT_EQ(PALS_HANDLE_INDEX(stale), PALS_HANDLE_INDEX(reused));
	EXPECT_NE(PALS_HANDLE_TAG(stale), PALS_HANDLE_TAG(reused));
	EXPECT_EQ(0, finds(self, stale));
	EXPECT_EQ(1, finds(self, reused));
}

/*
 * Handles are not dense (index 0, 1, ... with a small generation, as
 * they were): their tags are random, 44 bits wide, and a new blob does
 * not take the slot just freed (last-in-first-out), so another tool's
 * handles cannot be derived from one's own.
 */
TEST_F(handles, handles_are_unpredictable)
{
	int i, small = 0, same = 0, reuses = 0;
	__u64 h;

	for (i = 0; i < NR_BLOBS; i++) {
		small += PALS_HANDLE_TAG(self->handle[i]) < 0x10000;
		same += i && PALS_HANDLE_TAG(self->handle[i]) ==
			     PALS_HANDLE_TAG(self->handle[i - 1]);
	}
	EXPECT_EQ(0, small);
	EXPECT_EQ(0, same);
	/* 100 frees then creates: 1 in 424 (the free slots) takes the slot. */
	for (i = 0; i < 100; i++) {
		h = self->handle[i];
		ASSERT_EQ(0, pals_ctx__delete(self->ctx, h));
		ASSERT_EQ(0, create(self, &self->handle[i]));
		reuses += PALS_HANDLE_INDEX(h) == PALS_HANDLE_INDEX(self->handle[i]);
	}
	TH_LOG("handles with a tag below 2^16: %d of %d; 100 creates after a free took the freed slot %d times",
	       small, NR_BLOBS, reuses);
	EXPECT_LT(reuses, 10);
}

TEST_HARNESS_MAIN
