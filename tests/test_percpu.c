// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU blobs (PALS_F_PERCPU): created, read, updated and written as
 * every CPU's copy; counted into from BPF on every vCPU and summed by
 * BTF; refused by the shared kfunc and the shared ones by the per-CPU
 * kfunc; charged; kept across CPU hotplug; under stress.
 * Program: progs/percpu.bpf.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/pals.h>

#include "kselftest_harness.h"
#include "libpals.h"
#include "percpu_blob.h"
#include "percpu.skel.h"
#include "util.h"

#define BLOB "struct percpu_blob"

FIXTURE(percpu) {
	struct percpu *skel;
	struct pals_ctx *ctx;
	int cpus;
	int count_fd;
	int small_id, blob_id;
};

FIXTURE_SETUP(percpu)
{
	self->skel = percpu__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, percpu__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	self->cpus = libbpf_num_possible_cpus();
	ASSERT_LT(0, self->cpus);
	self->count_fd = bpf_program__fd(self->skel->progs.percpu_count);
	/* No program asks for it: pals_type_id() would say so. */
	self->small_id = test_btf_id(self->skel->obj, "percpu_small",
				     BTF_KIND_STRUCT);
	self->blob_id = pals_type_id(self->skel->progs.percpu_count, BLOB,
				     sizeof(struct percpu_blob));
	ASSERT_LT(0, self->small_id);
	ASSERT_LT(0, self->blob_id);
}

FIXTURE_TEARDOWN(percpu)
{
	pals_ctx__free(self->ctx);
	percpu__destroy(self->skel);
}

static const struct pals_create_opts percpu_opts = {
	.sz = sizeof(percpu_opts), .flags = PALS_F_PERCPU,
};

/* CPU @i's struct percpu_small in the bytes of a per-CPU blob. */
static struct percpu_small *small_at(void *bytes, int i)
{
	return (struct percpu_small *)((char *)bytes + i * 16);
}

TEST_F(percpu, create_one_copy_reads_every_cpu)
{
	struct percpu_small one = { 1, 2, 3 }, *all;
	struct pals_blob_info info = {};
	ssize_t bytes = pals_percpu__bytes(sizeof(one));
	__u64 h;
	int i;

	ASSERT_EQ(16 * self->cpus, bytes);
	all = malloc(bytes);
	ASSERT_NE(NULL, all);
	memset(all, 0xaa, bytes);
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->count_fd, self->small_id,
				      &one, sizeof(one), &percpu_opts, &h));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, h, &info, all, bytes));
	EXPECT_EQ(h, info.handle);
	EXPECT_EQ(PALS_F_PERCPU, info.flags);
	EXPECT_EQ(sizeof(one), info.size);
	EXPECT_EQ(self->small_id, info.type_id);
	for (i = 0; i < self->cpus; i++) {
		EXPECT_EQ(0, memcmp(&one, small_at(all, i), sizeof(one)));
		/* The padding reads as zeros. */
		EXPECT_EQ(0, *(__u32 *)((char *)small_at(all, i) + 12));
	}
	/* A range: CPU 1's b and c, or CPU 0's if alone. */
	memset(all, 0, bytes);
	ASSERT_EQ(0, pals_ctx__read(self->ctx, h, (self->cpus - 1) * 16 + 4,
				    all, 8));
	EXPECT_EQ(2, ((__u32 *)all)[0]);
	EXPECT_EQ(3, ((__u32 *)all)[1]);
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));
	free(all);
}

TEST_F(percpu, create_update_write_every_cpu)
{
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_small));
	struct percpu_small one = { 7, 8, 9 };
	char *in = malloc(bytes), *out = malloc(bytes);
	__u32 v = 0x55;
	__u64 h;
	int i;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	/* Every CPU's own copy, padding given non-zero. */
	for (i = 0; i < bytes; i++)
		in[i] = i + 1;
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->count_fd, self->small_id,
				      in, bytes, &percpu_opts, &h));
	ASSERT_EQ(0, pals_ctx__read(self->ctx, h, 0, out, bytes));
	for (i = 0; i < self->cpus; i++) {
		EXPECT_EQ(0, memcmp(small_at(in, i), small_at(out, i), 12));
		EXPECT_EQ(0, *(__u32 *)((char *)small_at(out, i) + 12));
	}

	/* An update with one copy sets every CPU's. */
	ASSERT_EQ(0, pals_ctx__update(self->ctx, h, &one, sizeof(one)));
	ASSERT_EQ(0, pals_ctx__read(self->ctx, h, 0, out, bytes));
	for (i = 0; i < self->cpus; i++)
		EXPECT_EQ(0, memcmp(&one, small_at(out, i), sizeof(one)));

	/* With every CPU's bytes, each its own. */
	ASSERT_EQ(0, pals_ctx__update(self->ctx, h, in, bytes));
	ASSERT_EQ(0, pals_ctx__read(self->ctx, h, 0, out, bytes));
	for (i = 0; i < self->cpus; i++)
		EXPECT_EQ(0, memcmp(small_at(in, i), small_at(out, i), 12));

	/* A write in place touches the bytes it names, on the CPU it names. */
	ASSERT_EQ(0, pals_ctx__write(self->ctx, h, (self->cpus - 1) * 16 + 4,
				     &v, sizeof(v)));
	/* Across a copy's end: the padding part is dropped. */
	ASSERT_EQ(0, pals_ctx__write(self->ctx, h, 8, "ABCDEFGH", 8));
	ASSERT_EQ(0, pals_ctx__read(self->ctx, h, 0, out, bytes));
	EXPECT_EQ(0x55, small_at(out, self->cpus - 1)->b);
	EXPECT_EQ(0, memcmp("ABCD", &small_at(out, 0)->c, 4));
	EXPECT_EQ(0, *(__u32 *)((char *)small_at(out, 0) + 12));
	EXPECT_EQ(small_at(in, 0)->a, small_at(out, 0)->a);
	free(in);
	free(out);
}

TEST_F(percpu, bad_sizes_are_named)
{
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_small));
	char buf[4096] = {};
	__u64 h;

	EXPECT_EQ(-EINVAL, pals_ctx__create(self->ctx, self->count_fd,
					    self->small_id, buf, 13,
					    &percpu_opts, &h));
	EXPECT_NE(NULL, strstr(pals_last_error(), "per-CPU blob takes"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_ctx__create(self->ctx, self->count_fd,
					    self->small_id, buf, bytes + 16,
					    &percpu_opts, &h));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->count_fd, self->small_id,
				      buf, 12, &percpu_opts, &h));
	EXPECT_EQ(-EINVAL, pals_ctx__update(self->ctx, h, buf, 16));
	EXPECT_NE(NULL, strstr(pals_last_error(), "per-CPU blob takes"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(-EINVAL, pals_ctx__write(self->ctx, h, bytes - 4, buf, 8));
	EXPECT_EQ(-EINVAL, pals_ctx__read(self->ctx, h, bytes - 4, buf, 8));
	EXPECT_EQ(0, pals_ctx__delete(self->ctx, h));
}

TEST_F(percpu, over_max_size_counts_every_cpu)
{
	long old = test_param_get("max_size");
	struct percpu_blob b = {};
	__u64 h;

	ASSERT_LT(0, old);
	/* One copy fits, every CPU's do not (on 2 CPUs or more). */
	if (self->cpus < 2)
		SKIP(return, "one possible CPU");
	ASSERT_EQ(0, test_param_set("max_size", sizeof(b) + 8));
	EXPECT_EQ(-E2BIG, pals_ctx__create(self->ctx, self->count_fd,
					   self->blob_id, &b, sizeof(b),
					   &percpu_opts, &h));
	EXPECT_NE(NULL, strstr(pals_last_error(), "over max_size"))
		TH_LOG("%s", pals_last_error());
	/* The same blob shared fits. */
	EXPECT_EQ(0, pals_ctx__create(self->ctx, self->count_fd, self->blob_id,
				      &b, sizeof(b), NULL, &h));
	ASSERT_EQ(0, test_param_set("max_size", old));
}

TEST_F(percpu, memory_is_every_cpu_and_freed)
{
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_blob));
	struct pals_stats before, with, after;
	struct percpu_blob b = {};
	__u64 h;

	ASSERT_EQ(0, test_stats_settle(self->ctx, &before, TEST_BYTES_SETTLED));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->count_fd, self->blob_id,
				      &b, sizeof(b), &percpu_opts, &h));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &with));
	EXPECT_LE(before.bytes + bytes, with.bytes);
	EXPECT_GT(before.bytes + bytes + 256, with.bytes);
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, h));
	ASSERT_EQ(0, test_stats_settle(self->ctx, &after, before.bytes));
	EXPECT_EQ(before.bytes, after.bytes);
}

/* percpu_count attached to getpgid with a per-CPU blob of @init. */
static struct pals_link *attach_counting(FIXTURE_DATA(percpu) *self,
					 const struct percpu_blob *init)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx,
		  .flags = PALS_F_PERCPU);

	return pals_attach_kprobe(self->skel->progs.percpu_count,
				  "__x64_sys_getpgid", BLOB, init,
				  sizeof(*init), &opts);
}

static void on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int online(int cpu)
{
	char path[64], c = '1';
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;	/* no such file: cpu0, always online */
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

/* Calls of getpgid on each online CPU: 10 + 3 * cpu of them; the total. */
static __u64 run_everywhere(int cpus, __u64 *want)
{
	cpu_set_t saved;
	__u64 total = 0;
	int cpu, i;

	sched_getaffinity(0, sizeof(saved), &saved);
	for (cpu = 0; cpu < cpus; cpu++) {
		want[cpu] = 0;
		if (!online(cpu))
			continue;
		on_cpu(cpu);
		for (i = 0; i < 10 + 3 * cpu; i++)
			test_trigger_getpgid();
		want[cpu] = 10 + 3 * cpu;
		total += want[cpu];
	}
	sched_setaffinity(0, sizeof(saved), &saved);
	return total;
}

struct unsummed {
	int n;
	char first[64];
};

static void note_unsummed(const char *member, void *ctx)
{
	struct unsummed *u = ctx;

	if (!u->n++)
		snprintf(u->first, sizeof(u->first), "%s", member);
}

TEST_F(percpu, bpf_counts_on_every_cpu_and_sums)
{
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_blob));
	struct percpu_blob init = { .seed = 5, .tag = "abc" }, *all, sum;
	struct unsummed u = {};
	LIBBPF_OPTS(pals_sum_opts, sopts, .unsummed = note_unsummed, .ctx = &u);
	struct pals_link *pl;
	__u64 want[256], total, hist = 0;
	int cpu, i;

	ASSERT_GE(256, self->cpus);
	all = malloc(bytes);
	ASSERT_NE(NULL, all);
	pl = attach_counting(self, &init);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	total = run_everywhere(self->cpus, want);
	EXPECT_EQ(total, self->skel->bss->runs);
	EXPECT_EQ(0, self->skel->bss->misses);
	EXPECT_EQ(0, self->skel->bss->shared_hits);

	/* A link's blob size is every CPU's bytes. */
	EXPECT_EQ(-EINVAL, pals_link__read(pl, 0, all, sizeof(init)));
	ASSERT_EQ(0, pals_link__read(pl, 0, all, bytes));
	for (cpu = 0; cpu < self->cpus; cpu++) {
		struct percpu_blob *b = (void *)((char *)all + cpu * sizeof(*b));

		EXPECT_EQ(want[cpu], b->calls) TH_LOG("cpu %d", cpu);
		EXPECT_EQ(want[cpu] ? cpu + 1 : 0, b->cpu);
		EXPECT_EQ(5, b->seed);
		EXPECT_STREQ("abc", b->tag);
	}
	ASSERT_EQ(0, pals_link__read_all(pl, all, bytes));
	EXPECT_EQ(want[0], all->calls);

	EXPECT_EQ(1, pals_percpu__sum(bpf_object__btf(self->skel->obj),
				      self->blob_id, all, bytes, &sum, &sopts));
	EXPECT_STREQ("tag", u.first);
	EXPECT_EQ(total, sum.calls);
	EXPECT_EQ(5 * self->cpus, sum.seed);
	EXPECT_STREQ("abc", sum.tag);
	for (i = 0; i < 8; i++)
		hist += sum.hist[i];
	EXPECT_EQ(total, hist);
	EXPECT_EQ(-EINVAL, pals_percpu__sum(bpf_object__btf(self->skel->obj),
					    self->blob_id, all, bytes - 8, &sum,
					    NULL));
	EXPECT_EQ(0, pals_link__destroy(pl));
	free(all);
}

TEST_F(percpu, kfuncs_do_not_cross)
{
	int fd = bpf_program__fd(self->skel->progs.percpu_cross);
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_blob));
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct percpu_blob b = {}, *all;
	struct pals_stats before, after;
	int runs = 1000, i;
	__u32 id;

	all = calloc(1, bytes);
	ASSERT_NE(NULL, all);
	id = pals_type_id(self->skel->progs.percpu_cross, BLOB, sizeof(b));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, fd, id, &b, sizeof(b),
				      &percpu_opts, &self->skel->bss->percpu_h));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, fd, id, &b, sizeof(b), NULL,
				      &self->skel->bss->shared_h));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &before));
	for (i = 0; i < runs; i++)
		ASSERT_EQ(0, bpf_prog_test_run_opts(fd, &topts));
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &after));
	EXPECT_EQ(0, self->skel->bss->leaks);
	EXPECT_EQ(11 * runs, self->skel->bss->crossed);
	EXPECT_EQ(runs, self->skel->bss->percpu_ok);
	EXPECT_EQ(runs, self->skel->bss->shared_ok);
	EXPECT_EQ(11 * runs, after.misses - before.misses);
	/* The writes landed in the CPU's copy that ran last. */
	ASSERT_EQ(0, pals_ctx__read(self->ctx, self->skel->bss->percpu_h, 0,
				    all, bytes));
	for (i = 0, id = 0; i < self->cpus; i++)
		id += all[i].calls;
	EXPECT_EQ(runs, id);
	EXPECT_NE(0, all[self->skel->bss->cpu].calls);
	free(all);
}

/*
 * 7.x, where the kfunc learns its caller: another BPF object's program
 * gets NULL for a per-CPU blob, as for a shared one (test_cross.c), also
 * once an @update moved it into a batch of its own (kmod/obj.c).
 */
static void other_gets_null(FIXTURE_DATA(percpu) *self,
			    struct __test_metadata *_metadata, bool update)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct percpu_blob b = {};
	struct percpu *other;
	int i, fd;
	__u32 id;

	if (!test_btf_has_func(NULL, "bpf_obj_new"))
		SKIP(return, "the kfunc cannot learn its caller before Linux 7.0");
	ASSERT_TRUE(test_btf_has_func("pals", "bpf_pals_get_percpu_impl"));
	other = percpu__open_and_load();
	ASSERT_NE(NULL, other);
	fd = bpf_program__fd(self->skel->progs.percpu_cross);
	id = pals_type_id(self->skel->progs.percpu_cross, BLOB, sizeof(b));
	ASSERT_EQ(0, pals_ctx__create(self->ctx, fd, id, &b, sizeof(b),
				      &percpu_opts, &self->skel->bss->percpu_h));
	if (update)
		ASSERT_EQ(0, pals_ctx__update(self->ctx,
					      self->skel->bss->percpu_h, &b,
					      sizeof(b)));
	other->bss->percpu_h = self->skel->bss->percpu_h;
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, bpf_prog_test_run_opts(
			bpf_program__fd(other->progs.percpu_cross), &topts));
		ASSERT_EQ(0, bpf_prog_test_run_opts(fd, &topts));
	}
	EXPECT_EQ(0, other->bss->percpu_ok);
	EXPECT_EQ(0, other->bss->leaks);
	EXPECT_EQ(10, self->skel->bss->percpu_ok);
	percpu__destroy(other);
}

TEST_F(percpu, other_object_gets_null)
{
	other_gets_null(self, _metadata, false);
}

TEST_F(percpu, other_object_gets_null_after_update)
{
	other_gets_null(self, _metadata, true);
}

TEST_F(percpu, batch_and_links_of_their_own)
{
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_blob));
	struct bpf_program *prog = self->skel->progs.percpu_count;
	LIBBPF_OPTS(bpf_kprobe_opts, kopts);
	struct percpu_blob init[3] = { { .seed = 1 }, { .seed = 2 }, { .seed = 3 } };
	struct pals_stats before, after;
	struct bpf_link *links[2];
	__u64 h[3], want[256], total;
	struct percpu_blob *all;
	int i, cpu;

	ASSERT_GE(256, self->cpus);
	all = malloc(bytes);
	ASSERT_NE(NULL, all);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &before, TEST_BYTES_SETTLED));
	ASSERT_EQ(0, pals_ctx__create_batch(self->ctx, self->count_fd,
					    self->blob_id, init, sizeof(init[0]),
					    3, &percpu_opts, h));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pals_ctx__read(self->ctx, h[i], 0, all, bytes));
		for (cpu = 0; cpu < self->cpus; cpu++)
			EXPECT_EQ(i + 1, all[cpu].seed);
	}
	/* Two links: blob 1 leaves the batch bound to link 0, with its copies. */
	for (i = 0; i < 2; i++) {
		kopts.bpf_cookie = h[i];
		links[i] = bpf_program__attach_kprobe_opts(prog,
							   "__x64_sys_getpgid",
							   &kopts);
		ASSERT_NE(NULL, links[i]);
		ASSERT_EQ(0, pals_ctx__bind(self->ctx, h[i],
					    bpf_link__fd(links[i])));
	}
	total = run_everywhere(self->cpus, want);
	EXPECT_EQ(0, self->skel->bss->misses);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pals_ctx__read(self->ctx, h[i], 0, all, bytes));
		for (cpu = 0; cpu < self->cpus; cpu++) {
			EXPECT_EQ(want[cpu], all[cpu].calls);
			EXPECT_EQ(i + 1, all[cpu].seed);
		}
	}
	EXPECT_EQ(2 * total, self->skel->bss->runs);
	for (i = 0; i < 2; i++)
		bpf_link__destroy(links[i]);
	EXPECT_EQ(0, pals_ctx__delete_batch(self->ctx, h, 3));
	ASSERT_EQ(0, test_stats_settle(self->ctx, &after, before.bytes));
	EXPECT_EQ(before.bytes, after.bytes);
	free(all);
}

/* Offline a vCPU, count on the others, bring it back and count there. */
TEST_F(percpu, cpu_hotplug)
{
	const char *path = "/sys/devices/system/cpu/cpu1/online";
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_blob));
	struct percpu_blob init = {}, *all;
	__u64 want[256];
	struct pals_link *pl;
	int fd;

	if (self->cpus < 2 || access(path, W_OK))
		SKIP(return, "no cpu1 to take offline");
	ASSERT_GE(256, self->cpus);
	all = malloc(bytes);
	ASSERT_NE(NULL, all);
	pl = attach_counting(self, &init);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "0", 1)) TH_LOG("offline: %s", strerror(errno));
	run_everywhere(self->cpus, want);
	EXPECT_EQ(0, want[1]);
	ASSERT_EQ(0, pals_link__read(pl, 0, all, bytes));
	EXPECT_EQ(want[0], all[0].calls);
	EXPECT_EQ(0, all[1].calls);
	/* Its copy is still there to write and read while it is offline. */
	ASSERT_EQ(0, pals_link__write(pl, 0, sizeof(init) + 12, "\x07\0\0\0", 4));
	ASSERT_EQ(1, write(fd, "1", 1)) TH_LOG("online: %s", strerror(errno));
	close(fd);
	run_everywhere(self->cpus, want);
	ASSERT_EQ(0, pals_link__read(pl, 0, all, bytes));
	EXPECT_EQ(2 * want[0], all[0].calls);
	EXPECT_EQ(want[1], all[1].calls);
	EXPECT_EQ(2, all[1].cpu);
	EXPECT_EQ(7, all[1].seed);
	EXPECT_EQ(0, pals_link__destroy(pl));
	free(all);
}

struct stress {
	int stop;
	int cpu;
	__u64 calls;
};

static void *stress_caller(void *arg)
{
	struct stress *s = arg;

	on_cpu(s->cpu);
	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
		test_trigger_getpgid();
		__atomic_store_n(&s->calls, s->calls + 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * Programs count on every vCPU while the blob is updated, written, read
 * and other per-CPU blobs come and go; in the end the counts add up and
 * every byte is freed.
 */
TEST_F(percpu, stress)
{
	int secs = getenv("PALS_STRESS_SECONDS") ?
		   atoi(getenv("PALS_STRESS_SECONDS")) : 3;
	ssize_t bytes = pals_percpu__bytes(sizeof(struct percpu_blob));
	struct percpu_blob init = {}, *all, sum;
	struct pals_stats before, after;
	struct stress s[256] = {};
	pthread_t t[256];
	struct pals_link *pl;
	__u64 calls = 0, before_update = 0, rounds = 0, h;
	time_t end;
	int i;

	ASSERT_GE(256, self->cpus);
	all = malloc(bytes);
	ASSERT_NE(NULL, all);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &before, TEST_BYTES_SETTLED));
	pl = attach_counting(self, &init);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	for (i = 0; i < self->cpus; i++) {
		s[i].cpu = i;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, stress_caller, &s[i]));
	}
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		ASSERT_EQ(0, pals_link__update(pl, 0, all, bytes));
		ASSERT_EQ(0, pals_link__write(pl, 0, 8, "\x01\0\0\0", 4));
		ASSERT_EQ(0, pals_link__read(pl, 0, all, bytes));
		ASSERT_EQ(0, pals_ctx__create(self->ctx, self->count_fd,
					      self->blob_id, &init, sizeof(init),
					      &percpu_opts, &h));
		ASSERT_EQ(0, pals_ctx__delete(self->ctx, h));
		rounds++;
	}
	/*
	 * The last update zeroes the counts: the calls made after it are
	 * all counted, those made before it are not (but for calls in
	 * flight at either end), so the count lies between the calls made
	 * since a look after the update and those since a look before.
	 */
	memset(all, 0, bytes);
	for (i = 0; i < self->cpus; i++)
		before_update -= __atomic_load_n(&s[i].calls, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pals_link__update(pl, 0, all, bytes));
	for (i = 0; i < self->cpus; i++)
		calls -= __atomic_load_n(&s[i].calls, __ATOMIC_RELAXED);
	usleep(100000);
	for (i = 0; i < self->cpus; i++)
		__atomic_store_n(&s[i].stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < self->cpus; i++) {
		pthread_join(t[i], NULL);
		calls += s[i].calls;
		before_update += s[i].calls;
	}
	ASSERT_EQ(0, pals_link__read(pl, 0, all, bytes));
	ASSERT_LE(0, pals_percpu__sum(bpf_object__btf(self->skel->obj),
				      self->blob_id, all, bytes, &sum, NULL));
	EXPECT_LE(calls, sum.calls + self->cpus);
	EXPECT_GE(before_update + self->cpus, sum.calls);
	EXPECT_EQ(0, self->skel->bss->misses);
	TH_LOG("%llu rounds of update/write/read/create/delete, %llu calls after",
	       (unsigned long long)rounds, (unsigned long long)calls);
	EXPECT_EQ(0, pals_link__destroy(pl));
	ASSERT_EQ(0, test_stats_settle(self->ctx, &after, before.bytes));
	EXPECT_EQ(before.bytes, after.bytes);
	free(all);
}

TEST_HARNESS_MAIN
