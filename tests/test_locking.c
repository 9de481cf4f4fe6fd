// SPDX-License-Identifier: GPL-2.0
/*
 * What the module does under its locks, seen by BPF programs in the
 * kernel: it allocates nothing while holding pals_mutex, charges what a
 * request allocates to the caller's memory cgroup, puts blob bytes in a
 * reply inside a Tasks Trace RCU read-side section (the flavour its frees
 * wait for), and detaches a link's probes with no lock held: another
 * generic netlink family's requests, which take genl_mutex, go on
 * meanwhile. Programs: progs/locking.bpf.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pals.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "locking.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

#define BLOB "struct test_blob"

FIXTURE(locking) {
	struct locking *skel;
	struct pals_ctx *ctx;
	int prog_fd;
	int type_id;
	struct test_blob blobs[4];
	__u64 handles[4];
};

/* The address of the module's @name, or 0 (7.x: lines past any buffer). */
static __u64 module_sym(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long addr, found = 0;
	char *line = NULL, type;
	size_t n = 0, len = strlen(name);
	int end;

	while (f && !found && getline(&line, &n, f) > 0)
		if (sscanf(line, "%llx %c %n", &addr, &type, &end) == 2 &&
		    !strncmp(line + end, name, len) &&
		    !strcmp(line + end + len, "\t[pals]\n"))
			found = addr;
	free(line);
	if (f)
		fclose(f);
	return found;
}

FIXTURE_SETUP(locking)
{
	self->skel = locking__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	/* One PALS_A_DATA attribute of a test_blob (see data_is_read_...). */
	self->skel->bss->data_put_len = MNL_ALIGN(MNL_ATTR_HDRLEN +
						  sizeof(struct test_blob));
	ASSERT_EQ(0, locking__load(self->skel));
	self->skel->bss->mutex_addr = module_sym("pals_mutex");
	ASSERT_NE(0, self->skel->bss->mutex_addr);
	self->prog_fd = bpf_program__fd(self->skel->progs.on_every);
	self->type_id = pals_type_id(self->skel->progs.on_every, BLOB,
				     sizeof(struct test_blob));
	ASSERT_LT(0, self->type_id);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
}

FIXTURE_TEARDOWN(locking)
{
	pals_ctx__free(self->ctx);
	locking__destroy(self->skel);
}

static struct bpf_link *attach_getpgid(FIXTURE_DATA(locking) *self, int i)
{
	static const char *sym = "__x64_sys_getpgid";
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = &sym,
		    .cookies = &self->handles[i], .cnt = 1);

	return bpf_program__attach_kprobe_multi_opts(self->skel->progs.on_every,
						     NULL, &opts);
}

static int count_blob(const struct pals_blob_info *info, void *arg)
{
	(void)info;
	++*(int *)arg;
	return 0;
}

static int count_data(__u64 handle, const void *data, size_t size, void *arg)
{
	(void)handle;
	(void)data;
	(void)size;
	++*(int *)arg;
	return 0;
}

/*
 * Every kind of request, those that move a blob out of its batch
 * included (bound to another link than its batch's, an orphan unpinned
 * from a batch with others): none allocates while holding pals_mutex,
 * and each charges what it allocates to the caller's memory cgroup.
 */
TEST_F(locking, no_allocation_under_the_mutex)
{
	PALS_OPTS(pals_create_opts, pinned, .flags = PALS_F_PINNED);
	struct bpf_link *a, *b, *c, *probes[4];
	struct pals_blob_info info;
	struct test_blob got;
	struct pals_ctx *gone;
	struct pals_stats st;
	int i, seen = 0;

	for (i = 0; i < 4; i++)
		self->blobs[i].in = i;
	/* Two batches: one pinned, of a socket that goes away. */
	gone = pals_ctx__new(NULL);
	ASSERT_NE(NULL, gone);
	ASSERT_EQ(0, pals_ctx__create_batch(gone, self->prog_fd, self->type_id,
					    self->blobs, sizeof(self->blobs[0]),
					    2, &pinned, self->handles + 2));
	pals_ctx__free(gone);
	ASSERT_EQ(0, pals_ctx__create_batch(self->ctx, self->prog_fd,
					    self->type_id, self->blobs,
					    sizeof(self->blobs[0]), 2, NULL,
					    self->handles));
	a = attach_getpgid(self, 0);
	b = attach_getpgid(self, 1);
	c = attach_getpgid(self, 2);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, c);
	probes[0] = self->skel->links.on_kmalloc =
		bpf_program__attach(self->skel->progs.on_kmalloc);
	probes[1] = self->skel->links.on_kmem_cache_alloc =
		bpf_program__attach(self->skel->progs.on_kmem_cache_alloc);
	probes[2] = self->skel->links.on_page_alloc =
		bpf_program__attach(self->skel->progs.on_page_alloc);
	probes[3] = self->skel->links.on_pre_doit =
		bpf_program__attach(self->skel->progs.on_pre_doit);
	self->skel->links.on_done = bpf_program__attach(self->skel->progs.on_done);
	for (i = 0; i < 4; i++)
		ASSERT_NE(NULL, probes[i]);
	ASSERT_NE(NULL, self->skel->links.on_done);

	ASSERT_EQ(0, pals_ctx__bind(self->ctx, self->handles[0], bpf_link__fd(a)));
	/* Its batch is bound to a: the blob leaves it. */
	ASSERT_EQ(0, pals_ctx__bind(self->ctx, self->handles[1], bpf_link__fd(b)));
	/* An orphan with company: it leaves its batch. */
	ASSERT_EQ(0, pals_ctx__unpin(self->ctx, self->handles[2]));
	ASSERT_EQ(0, pals_ctx__bind_batch(self->ctx, self->handles + 2, 1,
					  bpf_link__fd(c)));
	ASSERT_EQ(0, pals_ctx__update(self->ctx, self->handles[0],
				      &self->blobs[3], sizeof(self->blobs[3])));
	ASSERT_EQ(0, pals_ctx__write(self->ctx, self->handles[1], 0,
				     &self->blobs[3], 8));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[1], NULL, &got,
				   sizeof(got)));
	EXPECT_EQ(3, got.in);
	ASSERT_EQ(0, pals_ctx__read(self->ctx, self->handles[0], 8, &got, 8));
	ASSERT_EQ(0, pals_ctx__for_each(self->ctx, count_blob, &seen));
	ASSERT_EQ(0, pals_ctx__read_link(self->ctx, 0, count_data, &seen));
	EXPECT_LE(6, seen);
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &st));
	ASSERT_EQ(0, pals_ctx__pin(self->ctx, self->handles[3]));
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, self->handles[3]));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[2], &info, NULL, 0));
	EXPECT_EQ(1, pals_ctx__delete_link(self->ctx, info.link_id));
	ASSERT_EQ(0, pals_ctx__delete_batch(self->ctx, self->handles, 2));

	TH_LOG("allocations under pals_mutex: %llu, not charged: %llu",
	       (unsigned long long)self->skel->bss->allocs,
	       (unsigned long long)self->skel->bss->unaccounted);
	EXPECT_EQ(0, self->skel->bss->allocs);
	/*
	 * A debug kernel's detectors (kmemleak, DEBUG_OBJECTS) allocate their
	 * own records, uncharged, for what a request allocates: there the
	 * count cannot tell the module's allocations from theirs.
	 */
	if (!test_debug_kernel())
		EXPECT_EQ(0, self->skel->bss->unaccounted);
	bpf_link__destroy(a);
	bpf_link__destroy(b);
	bpf_link__destroy(c);
}

/*
 * GET, READ and a READ dump put blob bytes in the reply inside
 * rcu_read_lock_trace(): blob copies are freed after a Tasks Trace grace
 * period, which waits only for such readers. (WRITE copies into the blob
 * the same way; no traceable call inside it shows that.)
 */
TEST_F(locking, data_is_read_under_tasks_trace_rcu)
{
	struct test_blob got;
	int seen = 0;

	ASSERT_EQ(0, pals_ctx__create(self->ctx, self->prog_fd, self->type_id,
				      &self->blobs[0], sizeof(self->blobs[0]),
				      NULL, &self->handles[0]));
	self->skel->links.on_skb_put =
		bpf_program__attach(self->skel->progs.on_skb_put);
	ASSERT_NE(NULL, self->skel->links.on_skb_put);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handles[0], NULL, &got,
				   sizeof(got)));
	ASSERT_EQ(0, pals_ctx__read(self->ctx, self->handles[0], 0, &got,
				    sizeof(got)));
	ASSERT_EQ(0, pals_ctx__read_link(self->ctx, 0, count_data, &seen));
	EXPECT_EQ(1, seen);
	EXPECT_EQ(3, self->skel->bss->data_puts);
	EXPECT_EQ(0, self->skel->bss->data_puts_untraced);
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, self->handles[0]));
}

/* The nlctrl requests made around a DELETE_LINK: when each began, how long it took. */
#define CTRL_MAX	100000

struct ctrl_times {
	volatile bool done;
	int requests;
	double at[CTRL_MAX];
	double ms[CTRL_MAX];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * CTRL_CMD_GETFAMILY of "pals": nlctrl is not a parallel_ops family, so
 * generic netlink takes genl_mutex for it. 0 or a negative errno.
 */
static int ctrl_request(struct mnl_socket *nl, char *buf, size_t size)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	ssize_t n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PALS_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, size);
		if (n < 0)
			return -errno;
		nlh = (struct nlmsghdr *)buf;
	} while (nlh->nlmsg_type != NLMSG_ERROR);
	return ((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error;
}

static void *ctrl_hammer(void *arg)
{
	struct ctrl_times *t = arg;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	size_t size = MNL_SOCKET_BUFFER_SIZE;
	char *buf = malloc(size);
	cpu_set_t cpus;
	double start;

	/* A CPU of its own, away from the detach (see detach_holds_no_lock). */
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	if (!nl || !buf || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID)) {
		t->requests = -1;
		goto out;
	}
	while (!t->done && t->requests < CTRL_MAX) {
		start = now_ms();
		if (ctrl_request(nl, buf, size)) {
			t->requests = -1;
			break;
		}
		t->at[t->requests] = start;
		t->ms[t->requests++] = now_ms() - start;
	}
out:
	free(buf);
	if (nl)
		mnl_socket_close(nl);
	return NULL;
}

static int cmp_ms(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define EVERY_NTH	16	/* of the traceable functions, to attach to */

/*
 * A kprobe_multi link of on_every over every EVERY_NTH-th function of
 * the kernel (not of modules) that ftrace can trace, by address.
 */
static struct bpf_link *attach_spread(FIXTURE_DATA(locking) *self, size_t *cnt)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts);
	FILE *f = fopen("/sys/kernel/tracing/available_filter_functions_addrs", "r");
	unsigned long long addr;
	unsigned long *addrs = NULL, *tmp;
	struct bpf_link *link = NULL;
	size_t n = 0, cap = 0, seen = 0;
	char line[512];

	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '[') || sscanf(line, "%llx", &addr) != 1 ||
		    seen++ % EVERY_NTH)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			tmp = realloc(addrs, cap * sizeof(*addrs));
			if (!tmp)
				goto out;
			addrs = tmp;
		}
		addrs[n++] = addr;
	}
	opts.addrs = addrs;
	opts.cnt = n;
	if (n)
		link = bpf_program__attach_kprobe_multi_opts(self->skel->progs.on_every,
							     NULL, &opts);
out:
	*cnt = n;
	free(addrs);
	if (f)
		fclose(f);
	return link;
}

/*
 * A kprobe_multi link over thousands of functions whose last reference
 * is a blob's: releasing the blob, by DELETE_LINK or by closing its
 * owner socket (@by_close), detaches the probes, which takes the kernel
 * seconds, with no lock held. Requests to nlctrl, which take genl_mutex
 * as PALS's do, keep answering meanwhile: none waits for the detach (a
 * request behind a lock held through it would wait all of it), and 19 in
 * 20 answer within 50 ms. The slowest is logged: on a quiet host it is
 * within 50 ms too, but a loaded host stalls the guest's vCPUs now and
 * then, with no lock involved.
 */
static void detach_while_asking(struct __test_metadata *_metadata,
				FIXTURE_DATA(locking) *self, bool by_close)
{
	struct pals_ctx *owner = by_close ? pals_ctx__new(NULL) : self->ctx;
	struct ctrl_times *times = calloc(1, sizeof(*times));
	struct pals_blob_info info;
	struct bpf_link *link;
	double start, took;
	pthread_t thread;
	cpu_set_t cpus;
	size_t n;
	int i;

	ASSERT_NE(NULL, times);
	ASSERT_NE(NULL, owner);
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpus), &cpus));
	start = now_ms();
	link = attach_spread(self, &n);
	ASSERT_NE(NULL, link) TH_LOG("kprobe_multi over %zu functions: %d", n, -errno);
	TH_LOG("attached to %zu functions in %.0f ms", n, now_ms() - start);
	n = 0;
	ASSERT_EQ(0, pals_ctx__create(owner, self->prog_fd, self->type_id,
				      &self->blobs[0], sizeof(self->blobs[0]),
				      NULL, &self->handles[0]));
	ASSERT_EQ(0, pals_ctx__bind(owner, self->handles[0], bpf_link__fd(link)));
	ASSERT_EQ(0, pals_ctx__get(owner, self->handles[0], &info, NULL, 0));
	bpf_link__destroy(link);	/* the blob holds the last reference */

	ASSERT_EQ(0, pthread_create(&thread, NULL, ctrl_hammer, times));
	usleep(200000);
	start = now_ms();
	if (by_close)
		pals_ctx__free(owner);
	else
		EXPECT_EQ(1, pals_ctx__delete_link(owner, info.link_id));
	took = now_ms() - start;
	usleep(200000);
	times->done = true;
	pthread_join(thread, NULL);
	/* The requests that overlapped the release, slowest last. */
	for (i = 0; i < times->requests; i++)
		if (times->at[i] < start + took &&
		    times->at[i] + times->ms[i] > start)
			times->ms[n++] = times->ms[i];
	ASSERT_LT(0, n);
	qsort(times->ms, n, sizeof(times->ms[0]), cmp_ms);
	TH_LOG("the release and the detach took %.0f ms; %zu nlctrl requests meanwhile: median %.1f ms, 95th percentile %.1f ms, slowest %.1f ms",
	       took, n, times->ms[n / 2], times->ms[n * 95 / 100],
	       times->ms[n - 1]);
	EXPECT_EQ(-ENOENT, bpf_link_get_fd_by_id(info.link_id));
	/* Long enough for the requests to have waited, had a lock been held. */
	EXPECT_LT(200, took);
	EXPECT_LT(10, n);
	EXPECT_GT(took / 2, times->ms[n - 1]);
	/* On a debug kernel (KASAN...) even an idle request takes 40 ms. */
	EXPECT_GT(50 * test_timeout_scale(), times->ms[n * 95 / 100]);
	free(times);
}

TEST_F_TIMEOUT(locking, delete_link_detaches_without_locks, 600)
{
	detach_while_asking(_metadata, self, false);
}

TEST_F_TIMEOUT(locking, owner_release_detaches_without_locks, 600)
{
	detach_while_asking(_metadata, self, true);
}

TEST_HARNESS_MAIN
