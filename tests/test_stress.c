// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency stress: programs on five attach kinds (a sleepable uprobe
 * among them) fire without pause on both CPUs while other threads update
 * blobs, create, bind, pin and delete attachments, dump the table, and
 * fork creators that get SIGKILLed. The programs count torn reads (must
 * be 0); the updater reads back every update it made (none may be lost);
 * at the end nothing is left. PALS_STRESS_SECONDS sets the duration
 * (default 10; make stress: 60). Programs: progs/stress.bpf.c.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pals.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "stress.skel.h"
#include "libpals.h"
#include "stress_blob.h"
#include "util.h"

#define BLOB "struct stress_blob"
#define NR_SYMS 4

static const char *syms[NR_SYMS] = {
	"__x64_sys_getpgid", "__x64_sys_getppid",
	"__x64_sys_getsid", "__x64_sys_getuid",
};

struct counts {
	atomic_ulong fires, updates, verified, lost, attaches, creates,
		     dumps, dumped, kills, errors;
};

FIXTURE(stress) {
	struct stress *skel;
	struct pals_ctx *ctx;		/* the updater's */
	struct pals_link *links[4];	/* the updated attachments */
	atomic_bool stop;
	struct counts n;
	struct pals_stats base;
};

FIXTURE_SETUP(stress)
{
	self->skel = stress__open_and_load();
	ASSERT_NE(NULL, self->skel);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	ASSERT_EQ(0, test_stats_settle(self->ctx, &self->base, TEST_BYTES_SETTLED));
	/* Errors are counted and checked; their text would flood the log. */
	pals_set_print(NULL);
}

FIXTURE_TEARDOWN(stress)
{
	int i;

	for (i = 0; i < 4; i++)
		pals_link__destroy(self->links[i]);
	pals_ctx__free(self->ctx);
	stress__destroy(self->skel);
}

static void *fire(void *arg)
{
	FIXTURE_DATA(stress) *self = arg;

	while (!self->stop) {
		syscall(SYS_getpgid, 0);
		syscall(SYS_getppid);
		syscall(SYS_getsid, 0);
		syscall(SYS_getuid);
		test_uprobe_target();
		self->n.fires++;
	}
	return NULL;
}

/* Update every blob of the updated attachments in turn, and read back. */
static void *update(void *arg)
{
	FIXTURE_DATA(stress) *self = arg;
	struct stress_blob b, got;
	__u64 seq = 1;
	size_t i, j;

	while (!self->stop) {
		for (i = 0; i < 4; i++) {
			for (j = 0; j < pals_link__cnt(self->links[i]); j++) {
				stress_blob_fill(&b, ++seq);
				if (pals_link__update(self->links[i], j, &b, sizeof(b)) ||
				    pals_link__read(self->links[i], j, &got, sizeof(got))) {
					self->n.errors++;
					continue;
				}
				self->n.updates++;
				if (got.seq == seq && stress_blob_whole(&got))
					self->n.verified++;
				else
					self->n.lost++;
			}
		}
	}
	return NULL;
}

/* Attachments made and unmade, some pinned first, on a context of its own. */
static void *churn(void *arg)
{
	FIXTURE_DATA(stress) *self = arg;
	struct pals_ctx *ctx = pals_ctx__new(NULL);
	PALS_OPTS(pals_attach_opts, opts, .ctx = ctx);
	struct stress_blob b;
	struct pals_link *pl;
	__u64 h;
	int i = 0, id;

	id = pals_type_id(self->skel->progs.on_kprobe, BLOB, sizeof(b));
	if (!ctx || id < 0) {
		self->n.errors++;
		return NULL;
	}
	stress_blob_fill(&b, 1);
	while (!self->stop) {
		pl = pals_attach_kprobe(self->skel->progs.on_kprobe,
					syms[i % NR_SYMS], BLOB, &b, sizeof(b), &opts);
		if (!pl) {
			self->n.errors++;
			continue;
		}
		self->n.attaches++;
		if (i % 3 == 0 && (pals_link__pin(pl) || pals_link__unpin(pl)))
			self->n.errors++;
		if (pals_link__destroy(pl))
			self->n.errors++;
		if (pals_ctx__create(ctx, bpf_program__fd(self->skel->progs.on_kprobe),
				     id, &b, sizeof(b), NULL, &h) ||
		    pals_ctx__delete(ctx, h))
			self->n.errors++;
		else
			self->n.creates++;
		i++;
	}
	pals_ctx__free(ctx);
	return NULL;
}

static int count_blob(const struct pals_blob_info *info, void *arg)
{
	(void)info;
	++*(unsigned long *)arg;
	return 0;
}

static void *dump(void *arg)
{
	FIXTURE_DATA(stress) *self = arg;
	struct pals_ctx *ctx = pals_ctx__new(NULL);
	unsigned long seen;

	while (ctx && !self->stop) {
		seen = 0;
		if (pals_ctx__for_each(ctx, count_blob, &seen))
			self->n.errors++;
		self->n.dumps++;
		self->n.dumped += seen;
		usleep(1000);
	}
	pals_ctx__free(ctx);
	return NULL;
}

/* In a child: attach in a loop, leaving everything to the kill. */
static void creator(struct stress *skel)
{
	struct stress_blob b[NR_SYMS];
	int i;

	for (i = 0; i < NR_SYMS; i++)
		stress_blob_fill(&b[i], 1);
	for (;;)
		if (!pals_attach_kprobe_multi(skel->progs.on_kprobe_multi, syms,
					      NR_SYMS, BLOB, b, sizeof(b[0]), NULL) &&
		    !pals_attach_uprobe(skel->progs.on_uprobe_sleepable, 0,
					test_self_exe(), "test_uprobe_target", 0,
					BLOB, b, sizeof(b[0]), NULL))
			_exit(2);
}

static void *kill_creators(void *arg)
{
	FIXTURE_DATA(stress) *self = arg;
	int i = 0, status;
	pid_t pid;

	while (!self->stop) {
		pid = fork();
		if (pid < 0) {
			self->n.errors++;
			continue;
		}
		if (!pid)
			creator(self->skel);
		usleep(5000 + (i++ % 7) * 7000);
		kill(pid, SIGKILL);
		if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
			self->n.errors++;
		else
			self->n.kills++;
	}
	return NULL;
}

static struct pals_link *attach_updated(FIXTURE_DATA(stress) *self, int i)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct stress_blob b[NR_SYMS];
	int j;

	for (j = 0; j < NR_SYMS; j++)
		stress_blob_fill(&b[j], 1);
	switch (i) {
	case 0:
		return pals_attach_kprobe_multi(self->skel->progs.on_kprobe_multi,
						syms, NR_SYMS, BLOB, b, sizeof(b[0]),
						&opts);
	case 1:
		return pals_attach_trace(self->skel->progs.on_fentry, BLOB, b,
					 sizeof(b[0]), &opts);
	case 2:
		return pals_attach_tracepoint(self->skel->progs.on_tracepoint,
					      "syscalls", "sys_enter_getpgid",
					      BLOB, b, sizeof(b[0]), &opts);
	default:
		return pals_attach_uprobe(self->skel->progs.on_uprobe_sleepable, 0,
					  test_self_exe(), "test_uprobe_target",
					  0, BLOB, b, sizeof(b[0]), &opts);
	}
}

TEST_F_TIMEOUT(stress, everything_at_once, 300)
{
	const char *env = getenv("PALS_STRESS_SECONDS");
	void *(*fn[])(void *) = { fire, fire, update, churn, dump, kill_creators };
	int seconds = env ? atoi(env) : 10;
	pthread_t t[ARRAY_SIZE(fn)];
	struct pals_stats st;
	size_t i;

	for (i = 0; i < 4; i++) {
		self->links[i] = attach_updated(self, i);
		ASSERT_NE(NULL, self->links[i]) TH_LOG("%zu: %s", i, pals_last_error());
	}
	for (i = 0; i < ARRAY_SIZE(fn); i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fn[i], self));
	sleep(seconds);
	self->stop = true;
	for (i = 0; i < ARRAY_SIZE(fn); i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, pals_link__destroy(self->links[i]));
		self->links[i] = NULL;
	}
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
		if (st.blobs == self->base.blobs)
			break;
		usleep(20000);
	}

	TH_LOG("stress: %d s; kfunc calls %llu: blob found %llu (torn %llu), NULL %llu",
	       seconds, (unsigned long long)(self->skel->bss->reads +
					     self->skel->bss->nulls),
	       (unsigned long long)self->skel->bss->reads,
	       (unsigned long long)self->skel->bss->torn,
	       (unsigned long long)self->skel->bss->nulls);
	TH_LOG("stress: updates %lu (verified %lu, lost %lu), attach+destroy %lu, create+delete %lu",
	       self->n.updates, self->n.verified, self->n.lost,
	       self->n.attaches, self->n.creates);
	TH_LOG("stress: dumps %lu (%lu blobs seen), creators killed %lu, errors %lu, trigger loops %lu",
	       self->n.dumps, self->n.dumped, self->n.kills, self->n.errors,
	       self->n.fires);
	TH_LOG("stress: module creates %llu, deletes %llu; left: %llu blobs, %llu bytes",
	       (unsigned long long)(st.creates - self->base.creates),
	       (unsigned long long)(st.deletes - self->base.deletes),
	       (unsigned long long)(st.blobs - self->base.blobs),
	       (unsigned long long)(st.bytes - self->base.bytes));

	EXPECT_EQ(0, self->skel->bss->torn);
	EXPECT_EQ(0, self->n.lost);
	EXPECT_EQ(0, self->n.errors);
	EXPECT_LT(0, self->skel->bss->reads);
	EXPECT_LT(0, self->n.verified);
	EXPECT_LT(0, self->n.attaches);
	EXPECT_LT(0, self->n.kills);
	EXPECT_EQ(self->base.blobs, st.blobs);
	EXPECT_EQ(0, test_stats_settle(self->ctx, &st, self->base.bytes));
	EXPECT_EQ(self->base.bytes, st.bytes);
	EXPECT_EQ(st.creates - self->base.creates, st.deletes - self->base.deletes);
}

TEST_HARNESS_MAIN
