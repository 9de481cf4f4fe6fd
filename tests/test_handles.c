// SPDX-License-Identifier: GPL-2.0
/*
 * What the kfunc returns for a cookie: the blob for a live handle, NULL
 * for anything else, including values that land on an empty slot, on
 * the table's last slot (never given out) or on a live blob's slot with
 * other high bits, across table growth, and even when asking for the
 * type and size of the empty slots' placeholder; tags are random, a stale
 * handle stays dead after its slot is reused, and the table shrinks back
 * when most of it is free, its survivors still found. Programs:
 * progs/handles.bpf.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
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
 * they once were): their tags are random and 44 bits wide, so another
 * tool's handles cannot be derived from one's own.
 */
TEST_F(handles, handles_are_unpredictable)
{
	int i, small = 0, same = 0;

	for (i = 0; i < NR_BLOBS; i++) {
		small += PALS_HANDLE_TAG(self->handle[i]) < 0x10000;
		same += i && PALS_HANDLE_TAG(self->handle[i]) ==
			     PALS_HANDLE_TAG(self->handle[i - 1]);
	}
	TH_LOG("handles with a tag below 2^16: %d of %d", small, NR_BLOBS);
	EXPECT_EQ(0, small);
	EXPECT_EQ(0, same);
}

#define ROUNDS		3
#define ROUND_BLOBS	3000

/* Create @n blobs at once into @h; 0 or a negative errno. */
static int create_n(FIXTURE_DATA(handles) *self, __u64 *h, size_t n)
{
	struct bpf_program *prog = self->skel->progs.on_getpgid;
	static const struct test_blob blob[ROUND_BLOBS];
	int id = pals_type_id(prog, "struct test_blob", sizeof(blob[0]));

	if (id < 0)
		return id;
	return pals_ctx__create_batch(self->ctx, bpf_program__fd(prog), id,
				      blob, sizeof(blob[0]), n, NULL, h);
}

/*
 * Three rounds of 3000 creates and deletes. A slot's next tag used to be
 * its last plus a fixed per-slot step, which two handles of a slot gave
 * away (1613 of 1613 reused slots); now no reused slot's third tag is
 * its second plus the difference of the first two, and every handle of
 * an earlier round is gone (ENOENT, NULL for programs) although its slot
 * was reused.
 */
TEST_F_TIMEOUT(handles, reused_slots_get_unrelated_tags, 300)
{
	static __u64 h[ROUNDS][ROUND_BLOBS];
	const __u64 mask = ~0ULL >> PALS_HANDLE_INDEX_BITS;
	int r, i, j, reused = 0, stepped = 0, alive = 0;
	pals_print_fn_t print;
	__u64 t0, t1, t2;

	for (r = 0; r < ROUNDS; r++) {
		ASSERT_EQ(0, create_n(self, h[r], ROUND_BLOBS));
		if (r < ROUNDS - 1)
			ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, h[r],
							    ROUND_BLOBS));
	}
	/* Slot by slot: the tags its three blobs had, one per round. */
	for (i = 0; i < ROUND_BLOBS; i++) {
		for (j = 0; j < ROUND_BLOBS; j++)
			if (PALS_HANDLE_INDEX(h[1][j]) == PALS_HANDLE_INDEX(h[0][i]))
				break;
		for (r = 0; r < ROUND_BLOBS; r++)
			if (PALS_HANDLE_INDEX(h[2][r]) == PALS_HANDLE_INDEX(h[0][i]))
				break;
		if (j == ROUND_BLOBS || r == ROUND_BLOBS)
			continue;
		reused++;
		t0 = PALS_HANDLE_TAG(h[0][i]);
		t1 = PALS_HANDLE_TAG(h[1][j]);
		t2 = PALS_HANDLE_TAG(h[2][r]);
		stepped += t2 == ((t1 + (t1 - t0)) & mask);
		EXPECT_NE(t0, t1);
		EXPECT_NE(t1, t2);
	}
	TH_LOG("slots used in all %d rounds: %d; third tag = second + (second - first): %d",
	       ROUNDS, reused, stepped);
	EXPECT_GT(reused, ROUND_BLOBS / 2);
	EXPECT_EQ(0, stepped);
	/* The first two rounds' handles are dead, to netlink and programs. */
	print = pals_set_print(NULL);
	for (r = 0; r < ROUNDS - 1; r++)
		for (i = 0; i < ROUND_BLOBS; i++)
			alive += pals_ctx__delete(self->ctx, h[r][i]) != -ENOENT;
	pals_set_print(print);
	EXPECT_EQ(0, alive);
	for (i = 0; i < ROUND_BLOBS; i += 500) {
		EXPECT_EQ(0, finds(self, h[0][i]));
		EXPECT_EQ(0, finds(self, h[1][i]));
		EXPECT_EQ(1, finds(self, h[2][i]));
	}
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, h[ROUNDS - 1], ROUND_BLOBS));
}

/* The table's capacity once it stops changing, or 0. */
static __u64 table_slots(FIXTURE_DATA(handles) *self, __u64 want)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct pals_stats st;
	int i;

	for (i = 0; i < 300; i++) {
		if (pals_ctx__stats(self->ctx, &st))
			return 0;
		if (st.slots == want)
			break;
		nanosleep(&ts, NULL);
	}
	return st.slots;
}

/* The capacity a table holding @h[0..n) should shrink to. */
static __u64 shrunk_cap(const __u64 *h, size_t n)
{
	__u64 need = 256, cap = 1;
	size_t i;

	if (4 * n > need)
		need = 4 * n;
	for (i = 0; i < n; i++)
		if (PALS_HANDLE_INDEX(h[i]) + 2 > need)
			need = PALS_HANDLE_INDEX(h[i]) + 2;
	while (cap < need)
		cap <<= 1;
	return cap;
}

/*
 * Grown to 3600 blobs, the table shrinks once 100 are left, but not
 * below the highest survivor's slot: first held at 1024 by the
 * fixture's last blob, then to what the first 100 need. Survivors are
 * found by programs and netlink throughout; new blobs grow it again.
 */
TEST_F_TIMEOUT(handles, table_shrinks_when_mostly_free, 300)
{
	static __u64 more[ROUND_BLOBS];
	struct pals_blob_info info;
	struct pals_stats st;
	__u64 keep[101];
	int i;

	ASSERT_EQ(0, create_n(self, more, ROUND_BLOBS));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	EXPECT_GE(st.slots, 4096);
	if (st.blobs != NR_BLOBS + ROUND_BLOBS)
		SKIP(return, "other blobs live: %llu", (unsigned long long)st.blobs);
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, more, ROUND_BLOBS));
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handle + 100,
					    NR_BLOBS - 101));
	for (i = 0; i < 100; i++)
		keep[i] = self->handle[i];
	keep[100] = self->handle[NR_BLOBS - 1];
	EXPECT_EQ(shrunk_cap(keep, 101), table_slots(self, shrunk_cap(keep, 101)));
	TH_LOG("101 blobs left, the highest in slot %u: %llu slots",
	       PALS_HANDLE_INDEX(keep[100]),
	       (unsigned long long)table_slots(self, 0));
	EXPECT_EQ(1, finds(self, keep[100]));
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, keep[100]));
	EXPECT_EQ(shrunk_cap(keep, 100), table_slots(self, shrunk_cap(keep, 100)));
	EXPECT_LE(shrunk_cap(keep, 100), 512);
	TH_LOG("100 blobs left: %llu slots",
	       (unsigned long long)table_slots(self, 0));
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(0, pals_ctx__get(self->ctx, keep[i], &info, NULL, 0));
		EXPECT_EQ(keep[i], info.handle);
	}
	for (i = 0; i < 100; i += 9)
		EXPECT_EQ(1, finds(self, keep[i]));
	EXPECT_EQ(0, finds(self, keep[100]));
	EXPECT_EQ(0, finds(self, more[0]));
	EXPECT_EQ(0, finds(self, more[ROUND_BLOBS - 1]));
	/* And it grows again, the survivors kept. */
	ASSERT_EQ(0, create_n(self, more, ROUND_BLOBS));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	EXPECT_GE(st.slots, 4096);
	EXPECT_EQ(1, finds(self, keep[50]));
	EXPECT_EQ(1, finds(self, more[ROUND_BLOBS - 1]));
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, more, ROUND_BLOBS));
}

static void *trigger_until(void *stop)
{
	while (!__atomic_load_n((int *)stop, __ATOMIC_RELAXED))
		test_trigger_getpgid();
	return NULL;
}

/*
 * A program keeps finding a survivor while the table is replaced under
 * it: 200 rounds, each growing it (500 blobs more) and shrinking it back
 * (deleted again), with getpgid() triggered all along from a thread.
 */
TEST_F_TIMEOUT(handles, survivor_found_while_table_resizes, 300)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .bpf_cookie = self->handle[0]);
	static __u64 more[500];
	__u64 slots, grown = 0, shrunk = ~0ULL;
	struct bpf_link *link;
	struct pals_stats st;
	pthread_t t;
	int i, stop = 0;

	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handle + 10,
					    NR_BLOBS - 10));
	self->skel->bss->runs = 0;
	self->skel->bss->nulls = 0;
	link = bpf_program__attach_kprobe_opts(self->skel->progs.on_getpgid,
					       "__x64_sys_getpgid", &opts);
	ASSERT_NE(NULL, link);
	ASSERT_EQ(0, pthread_create(&t, NULL, trigger_until, &stop));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, create_n(self, more, 500));
		ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
		grown = st.slots > grown ? st.slots : grown;
		ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, more, 500));
		slots = table_slots(self, 256);
		shrunk = slots < shrunk ? slots : shrunk;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	bpf_link__destroy(link);
	TH_LOG("slots between %llu and %llu; %llu runs found the survivor, %llu got NULL",
	       (unsigned long long)shrunk, (unsigned long long)grown,
	       (unsigned long long)self->skel->bss->runs,
	       (unsigned long long)self->skel->bss->nulls);
	EXPECT_EQ(256, shrunk);
	EXPECT_GE(grown, 512);
	EXPECT_GT(self->skel->bss->runs, 0);
	EXPECT_EQ(0, self->skel->bss->nulls);
}

TEST_HARNESS_MAIN
