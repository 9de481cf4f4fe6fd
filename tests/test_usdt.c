// SPDX-License-Identifier: GPL-2.0
/*
 * USDT: pals_attach_usdt() and pals_usdt.bpf.h against libbpf's own
 * bpf_program__attach_usdt() and usdt.bpf.h, on the probes of tests/usdt/
 * in a PIE and a fixed-address build of the target and in its shared
 * library. Both must see the same arguments, and the ones the probes
 * passed. Then 300 sites of one probe, each with its own spec, where
 * libbpf's spec map holds 256. Where the kernel has no uprobe_multi
 * links (before 6.6), every attachment is a uprobe link per site; the
 * per_site tests attach that way on every kernel. Programs:
 * progs/usdt.bpf.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "libpals.h"
#include "pals_usdt.h"
#include "usdt_rec.h"
#include "usdt.h"
#include "usdt.skel.h"
#include "usdt/vals.h"
#include "util.h"

struct probe {
	const char *name;
	int nargs;
	bool in_lib;
	/*
	 * libbpf 1.4 parses its spec: it knows no symbols (%rip-relative
	 * globals) and no base + index * scale operands.
	 */
	bool libbpf;
};

/* The probes of tests/usdt/ (provider "pals"); a probe's cookie is its index. */
static const struct probe probes[] = {
	{ "args0", 0, false, true },
	{ "args1", 1, false, true },
	{ "args2", 2, false, true },
	{ "args3", 3, false, true },
	{ "args4", 4, false, true },
	{ "args5", 5, false, true },
	{ "args6", 6, false, true },
	{ "args7", 7, false, true },
	{ "args8", 8, false, true },
	{ "args9", 9, false, true },
	{ "args10", 10, false, true },
	{ "args11", 11, false, true },
	{ "args12", 12, false, true },
	{ "consts", 8, false, true },
	{ "stack", 8, false, true },
	{ "frame", 8, false, true },
	{ "globptr", 8, false, true },
	{ "sema", 2, false, true },
	{ "lib", 8, true, true },
	{ "globrip", 8, false, false },
	{ "sib", 8, false, false },
	{ "libglob", 8, true, false },
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

/* Argument i of every probe: the value of type i % 8, as a BPF long. */
static __u64 expected(int i)
{
	static const __u64 v[8] = { V0, V1, V2, V3, V4, V5, V6, V7 };

	return v[i % 8];
}

FIXTURE(usdt) {
	struct usdt *skel;
	struct pals_ctx *ctx;
	char dir[PATH_MAX / 2];
	char exe[PATH_MAX];
	char lib[PATH_MAX];
	pid_t pid;
	int go;		/* the target's stdin: a byte makes it fire */
	struct bpf_link *links[NPROBES];
	struct pals_link *pls[2 * NPROBES];
};

FIXTURE_VARIANT(usdt) {
	const char *target;
};

FIXTURE_VARIANT_ADD(usdt, pie) { .target = "usdt_target" };
FIXTURE_VARIANT_ADD(usdt, fixed) { .target = "usdt_target_nopie" };

/* The descriptors this process has open. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Set the soft limit of open files: @soft, or the hard limit if 0. */
static int set_nofile(rlim_t soft)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return -errno;
	r.rlim_cur = soft ?: r.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &r) ? -errno : 0;
}

FIXTURE_SETUP(usdt)
{
	char exe[PATH_MAX / 4];
	int in[2], out[2];
	char c;

	/* A uprobe per site (no uprobe_multi) takes two fds a site. */
	ASSERT_EQ(0, set_nofile(0));

	snprintf(exe, sizeof(exe), "%s", test_self_exe());
	snprintf(self->dir, sizeof(self->dir), "%s/usdt", dirname(exe));
	snprintf(self->exe, sizeof(self->exe), "%s/%s", self->dir,
		 variant->target);
	snprintf(self->lib, sizeof(self->lib), "%s/libusdt_lib.so", self->dir);
	self->skel = usdt__open();
	ASSERT_NE(NULL, self->skel);
	ASSERT_EQ(0, pals_object__prepare(self->skel->obj)) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, usdt__load(self->skel));
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	ASSERT_EQ(0, pipe2(in, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(out, O_CLOEXEC));
	self->pid = fork();
	ASSERT_LE(0, self->pid);
	if (!self->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(self->exe, self->exe, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	self->go = in[1];
	/* Ready: loaded, its library mapped. */
	ASSERT_EQ(1, read(out[0], &c, 1));
	close(out[0]);
}

FIXTURE_TEARDOWN(usdt)
{
	size_t i;

	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	close(self->go);
	for (i = 0; i < NPROBES; i++)
		bpf_link__destroy(self->links[i]);
	for (i = 0; i < 2 * NPROBES; i++)
		pals_link__destroy(self->pls[i]);
	pals_ctx__free(self->ctx);
	usdt__destroy(self->skel);
}

/* Let the target fire its probes; true if it then exited with 0. */
static bool run_target(FIXTURE_DATA(usdt) *self)
{
	int status;

	if (write(self->go, "g", 1) != 1 ||
	    waitpid(self->pid, &status, 0) != self->pid)
		return false;
	self->pid = 0;
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

static struct pals_link *attach(FIXTURE_DATA(usdt) *self,
				const struct bpf_program *prog,
				const struct probe *p, __u64 cookie)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx,
		  .usdt_cookie = cookie);

	return pals_attach_usdt(prog, self->pid, p->in_lib ? self->lib : self->exe,
				"pals", p->name, &opts);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* libbpf's attachment, and its errno (0 when it attached). */
static struct bpf_link *attach_libbpf(FIXTURE_DATA(usdt) *self,
				      const char *binary, const char *provider,
				      const char *name, __u64 cookie, int *err)
{
	LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = cookie);
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	struct bpf_link *link;

	errno = 0;
	link = bpf_program__attach_usdt(self->skel->progs.on_libbpf, self->pid,
					binary, provider, name, &opts);
	*err = link ? 0 : errno;
	libbpf_set_print(old);
	return link;
}

static void check_rec(struct __test_metadata *_metadata,
		      const struct usdt_rec *r, const struct probe *p,
		      const char *who)
{
	int i;

	EXPECT_EQ(1, r->hits) TH_LOG("%s: %s ran %llu times", p->name, who,
				     (unsigned long long)r->hits);
	EXPECT_EQ(p->nargs, r->arg_cnt) TH_LOG("%s: %s", p->name, who);
	for (i = 0; i < 12; i++) {
		EXPECT_EQ(i < p->nargs ? expected(i) : 0, r->args[i])
			TH_LOG("%s: %s, argument %d", p->name, who, i);
	}
}

/* pals_usdt_arg_size(): argument i has type i % 8 of tests/usdt/vals.h. */
static void check_sizes(struct __test_metadata *_metadata,
			const struct usdt_rec *r, const struct probe *p)
{
	int i;

	for (i = 0; i < 12; i++)
		EXPECT_EQ(i < p->nargs ? 1 << (i % 8 / 2) : -ENOENT, r->sizes[i])
			TH_LOG("%s: size of argument %d", p->name, i);
}

/*
 * Every probe, traced by libbpf and by PALS at once (PALS_USDT and
 * pals_usdt_arg()): the same values, the expected ones. Where libbpf
 * cannot parse a spec, it refuses and PALS is checked alone.
 */
TEST_F(usdt, parity)
{
	struct usdt__bss *bss = self->skel->bss;
	const struct probe *p;
	size_t i;
	int err;

	for (i = 0; i < NPROBES; i++) {
		p = &probes[i];
		self->pls[2 * i] = attach(self, self->skel->progs.on_pals, p, i);
		ASSERT_NE(NULL, self->pls[2 * i])
			TH_LOG("%s: %s", p->name, pals_last_error());
		EXPECT_EQ(1, pals_link__cnt(self->pls[2 * i]));
		self->pls[2 * i + 1] = attach(self, self->skel->progs.on_pals_fn,
					      p, i);
		ASSERT_NE(NULL, self->pls[2 * i + 1])
			TH_LOG("%s: %s", p->name, pals_last_error());
		self->links[i] = attach_libbpf(self, p->in_lib ? self->lib : self->exe,
					       "pals", p->name, i, &err);
		EXPECT_EQ(p->libbpf, !err)
			TH_LOG("%s: libbpf: %s", p->name, strerror(err));
	}
	ASSERT_TRUE(run_target(self));
	for (i = 0; i < NPROBES; i++) {
		p = &probes[i];
		check_rec(_metadata, &bss->pals_recs[i], p, "PALS_USDT");
		check_rec(_metadata, &bss->fn_recs[i], p, "pals_usdt_arg");
		check_sizes(_metadata, &bss->fn_recs[i], p);
		if (!p->libbpf)
			continue;
		check_rec(_metadata, &bss->libbpf_recs[i], p, "BPF_USDT");
		EXPECT_EQ(0, memcmp(&bss->libbpf_recs[i], &bss->pals_recs[i],
				    sizeof(bss->pals_recs[i])))
			TH_LOG("%s: libbpf and PALS differ", p->name);
	}
}

/* Each many:site site's blob is found by the site's file offset. */
static void check_offsets(struct __test_metadata *_metadata,
			  const struct pals_link *pl, const char *exe)
{
	struct pals_usdt_sites sites;
	size_t n, bad = 0;

	ASSERT_EQ(0, pals_usdt_find(exe, "many", "site", 0, &sites));
	for (n = 0; n < sites.cnt; n++)
		bad += pals_link__find_offset(pl, sites.offsets[n]) != (int)n;
	pals_usdt_sites_free(&sites);
	EXPECT_EQ(0, bad);
}

/* Each many:site site ran once, with its own value. */
static void check_many(struct __test_metadata *_metadata,
		       const struct usdt__bss *bss)
{
	size_t n, bad = 0;

	for (n = 0; n < USDT_MANY_SITES; n++) {
		if (bss->many_hits[n] == 1 &&
		    bss->many_vals[n] == USDT_MANY_VAL(n))
			continue;
		if (!bad++)
			TH_LOG("site %zu: %llu hits, value %#llx", n,
			       (unsigned long long)bss->many_hits[n],
			       (unsigned long long)bss->many_vals[n]);
	}
	EXPECT_EQ(0, bad);
}

static int spec_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct pals_usdt_spec));
}

/*
 * 300 sites, 300 distinct specs, one attachment; libbpf's default spec
 * map (256 entries) cannot take them.
 */
/* A uprobe link per site (no uprobe_multi): minutes to detach in a guest. */
#define PER_SITE_TIMEOUT 900

TEST_F_TIMEOUT(usdt, many_sites, PER_SITE_TIMEOUT)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct usdt__bss *bss = self->skel->bss;
	struct pals_usdt_spec *specs;
	size_t n, distinct;
	struct pals_link *pl;
	int err;

	pl = pals_attach_usdt(self->skel->progs.on_many, self->pid, self->exe,
			      "many", "site", &opts);
	self->pls[0] = pl;
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(USDT_MANY_SITES, pals_link__cnt(pl));
	/* Each site's blob, found by the site's file offset. */
	check_offsets(_metadata, pl, self->exe);
	EXPECT_EQ(-ENOENT, pals_link__find_offset(pl, 1));
	self->links[0] = attach_libbpf(self, self->exe, "many", "site", 0, &err);
	EXPECT_EQ(NULL, self->links[0]);
	EXPECT_EQ(E2BIG, err) TH_LOG("libbpf: %s", strerror(err));

	specs = calloc(USDT_MANY_SITES, sizeof(*specs));
	ASSERT_NE(NULL, specs);
	for (n = 0; n < USDT_MANY_SITES; n++) {
		EXPECT_EQ(0, pals_link__read(pl, n, &specs[n], sizeof(*specs)));
	}
	qsort(specs, USDT_MANY_SITES, sizeof(*specs), spec_cmp);
	for (n = 1, distinct = 1; n < USDT_MANY_SITES; n++)
		distinct += spec_cmp(&specs[n - 1], &specs[n]) != 0;
	free(specs);
	EXPECT_EQ(USDT_MANY_SITES, distinct);

	ASSERT_TRUE(run_target(self));
	check_many(_metadata, bss);
}

/* A site's blob is its spec: rewriting its cookie redirects the site. */
TEST_F(usdt, update_cookie)
{
	struct usdt__bss *bss = self->skel->bss;
	struct pals_usdt_spec spec;

	self->pls[0] = attach(self, self->skel->progs.on_pals, &probes[13], 3);
	ASSERT_NE(NULL, self->pls[0]) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, pals_link__read(self->pls[0], 0, &spec, sizeof(spec)));
	EXPECT_EQ(3, spec.cookie);
	EXPECT_EQ(8, spec.arg_cnt);
	spec.cookie = 5;
	ASSERT_EQ(0, pals_link__update(self->pls[0], 0, &spec, sizeof(spec)));
	ASSERT_TRUE(run_target(self));
	EXPECT_EQ(0, bss->pals_recs[3].hits);
	check_rec(_metadata, &bss->pals_recs[5], &probes[13], "PALS_USDT");
}

struct usdt_site {
	struct pals_usdt_spec spec;
	__u64 tag;
	__u64 hits;
	long site, val;
};

static int fill_tag(void *blob, size_t size, size_t idx, const char *target,
		    void *ctx)
{
	struct usdt_site *s = blob;

	(void)ctx;
	if (size != sizeof(*s) || strncmp(target, "0x", 2))
		return -EINVAL;
	s->tag = 1000 + idx;
	return 0;
}

/*
 * A site blob of the tool's own struct next to the spec: filled per site
 * by opts->fill, read and written by the program through pals_get(), its
 * arguments read through its spec member; read back by the loader.
 */
TEST_F_TIMEOUT(usdt, user_struct_per_site, PER_SITE_TIMEOUT)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx,
		  .usdt_type = "struct usdt_site", .fill = fill_tag);
	struct usdt_site s;
	size_t n, bad = 0;
	struct pals_link *pl;

	pl = pals_attach_usdt(self->skel->progs.on_site, self->pid, self->exe,
			      "many", "site", &opts);
	self->pls[0] = pl;
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(USDT_MANY_SITES, pals_link__cnt(pl));
	ASSERT_EQ(0, pals_link__read(pl, 0, &s, sizeof(s)));
	EXPECT_EQ(2, s.spec.arg_cnt);
	EXPECT_EQ(1000, s.tag);
	EXPECT_EQ(0, s.hits);
	ASSERT_TRUE(run_target(self));
	for (n = 0; n < USDT_MANY_SITES; n++) {
		memset(&s, 0, sizeof(s));
		EXPECT_EQ(0, pals_link__read(pl, n, &s, sizeof(s)));
		if (s.hits == 1 && s.tag == 1000 + n && s.site >= 0 &&
		    s.val == (long)USDT_MANY_VAL(s.site))
			continue;
		if (!bad++)
			TH_LOG("site %zu: %llu hits, tag %llu, site %ld, value %#lx", n,
			       (unsigned long long)s.hits,
			       (unsigned long long)s.tag, s.site, s.val);
	}
	EXPECT_EQ(0, bad);
}

/* Every pals_link__*() call works on a USDT link. */
TEST_F(usdt, every_link_call)
{
	struct pals_link *pl;
	const char *why;

	pl = attach(self, self->skel->progs.on_pals, &probes[13], 3);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	why = test_link_calls(pl, sizeof(struct pals_usdt_spec), NULL, true);
	EXPECT_EQ(NULL, why) TH_LOG("%s: %s", why, pals_last_error());
}

/*
 * The descriptors open once the context has attached and detached once:
 * it keeps some (the fallback's map), which are not an attachment's.
 */
static int settled_fds(FIXTURE_DATA(usdt) *self)
{
	struct pals_link *pl;

	pl = attach(self, self->skel->progs.on_uprobe, &probes[13], 3);
	if (!pl || pals_link__destroy(pl))
		return -1;
	return count_fds();
}

/*
 * Every probe through a plain uprobe program: a uprobe link per site,
 * each with its own cookie, on every kernel; the same values as parity.
 */
TEST_F(usdt, per_site)
{
	struct usdt__bss *bss = self->skel->bss;
	const struct probe *p;
	size_t i;

	for (i = 0; i < NPROBES; i++) {
		p = &probes[i];
		self->pls[i] = attach(self, self->skel->progs.on_uprobe, p, i);
		ASSERT_NE(NULL, self->pls[i])
			TH_LOG("%s: %s", p->name, pals_last_error());
		EXPECT_EQ(1, pals_link__cnt(self->pls[i]));
	}
	ASSERT_TRUE(run_target(self));
	for (i = 0; i < NPROBES; i++)
		check_rec(_metadata, &bss->uprobe_recs[i], &probes[i],
			  "PALS_USDT per site");
}

/*
 * 300 sites, a uprobe link each: each fires once with its own spec,
 * each blob is found by its offset, every pals_link__*() call works, and
 * pals_link__destroy() closes every link (no descriptor left behind).
 * Slow (a uprobe's detach waits for grace periods): the PIE target only.
 */
TEST_F_TIMEOUT(usdt, per_site_many, PER_SITE_TIMEOUT)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct usdt__bss *bss = self->skel->bss;
	int fds = settled_fds(self);
	struct pals_link *pl;
	const char *why;

	ASSERT_LT(0, fds) TH_LOG("%s", pals_last_error());
	if (strcmp(variant->target, "usdt_target"))
		SKIP(return, "the per-site path is the same for every target: run on the PIE one");
	pl = pals_attach_usdt(self->skel->progs.on_many_uprobe, self->pid,
			      self->exe, "many", "site", &opts);
	ASSERT_NE(NULL, pl) TH_LOG("%s", pals_last_error());
	self->pls[0] = pl;
	ASSERT_EQ(USDT_MANY_SITES, pals_link__cnt(pl));
	/* two a site: the perf event and the link */
	EXPECT_LE(fds + 2 * USDT_MANY_SITES, count_fds());
	check_offsets(_metadata, pl, self->exe);
	ASSERT_TRUE(run_target(self));
	check_many(_metadata, bss);
	self->pls[0] = NULL;
	why = test_link_calls(pl, sizeof(struct pals_usdt_spec), NULL, true);
	EXPECT_EQ(NULL, why) TH_LOG("%s: %s", why, pals_last_error());
	EXPECT_EQ(fds, count_fds());
}

/*
 * Out of descriptors half way through the sites: the error says what to
 * do, and the sites attached so far are detached again.
 */
TEST_F_TIMEOUT(usdt, per_site_nofile, PER_SITE_TIMEOUT)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	int fds = settled_fds(self), err;
	struct pals_link *pl;

	ASSERT_LT(0, fds) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, set_nofile(fds + 40));
	pl = pals_attach_usdt(self->skel->progs.on_many_uprobe, self->pid,
			      self->exe, "many", "site", &opts);
	err = errno;
	EXPECT_EQ(0, set_nofile(0));
	EXPECT_EQ(NULL, pl);
	EXPECT_EQ(EMFILE, err);
	EXPECT_NE(NULL, strstr(pals_last_error(), "raise RLIMIT_NOFILE"))
		TH_LOG("%s", pals_last_error());
	EXPECT_NE(NULL, strstr(pals_last_error(), "'on_many_uprobe'"))
		TH_LOG("%s", pals_last_error());
	EXPECT_EQ(fds, count_fds());
	pals_link__destroy(pl);
}

/* A library given by name is searched for in LD_LIBRARY_PATH. */
TEST_F(usdt, library_by_name)
{
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx, .usdt_cookie = 18);
	struct usdt__bss *bss = self->skel->bss;

	ASSERT_EQ(0, setenv("LD_LIBRARY_PATH", self->dir, 1));
	self->pls[0] = pals_attach_usdt(self->skel->progs.on_pals, self->pid,
					"libusdt_lib.so", "pals", "lib", &opts);
	unsetenv("LD_LIBRARY_PATH");
	ASSERT_NE(NULL, self->pls[0]) TH_LOG("%s", pals_last_error());
	ASSERT_TRUE(run_target(self));
	check_rec(_metadata, &bss->pals_recs[18], &probes[18], "PALS_USDT");
}

TEST_F(usdt, errors)
{
	PALS_OPTS(pals_attach_opts, ret, .ctx = self->ctx, .retprobe = true);
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx);
	struct bpf_program *prog = self->skel->progs.on_pals;
	char text[] = "/tmp/usdt-text-XXXXXX";
	pid_t pid = self->pid;
	int fd = mkstemp(text);

	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "text\n", 5));
	close(fd);

	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, self->exe, "pals", "nope", &opts),
		    ENOENT, "no probe pals:nope in");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, self->lib, "pals", "args0", &opts),
		    ENOENT, "no probe pals:args0 in");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, test_self_exe(), "pals", "args0",
				     &opts), ENOENT, "has no .note.stapsdt");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, "/nonexistent", "pals", "args0",
				     &opts), ENOENT, "opening '/nonexistent'");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, text, "pals", "args0", &opts),
		    EINVAL, "no x86-64 executable");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, "libnope.so", "pals", "args0",
				     &opts), ENOENT, "'libnope.so' not found");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, self->exe, NULL, "args0", &opts),
		    EINVAL, "missing");
	EXPECT_PALS_FAIL(pals_attach_usdt(prog, pid, self->exe, "pals", "args0", &ret),
		    EINVAL, "do not apply");
	unlink(text);
}

TEST_HARNESS_MAIN
