// SPDX-License-Identifier: GPL-2.0
/*
 * Attach at scale: one program attached to N points with one multi-link,
 * PALS against libbpf doing the same job, in the same guest run with the
 * variants alternating:
 *
 * - libbpf: an ARRAY map of N 64-byte values (sized N at load) filled
 *   with one bpf_map_update_batch(), then the link with cookie i for
 *   point i; USDT: bpf_program__attach_usdt() with its specs map sized N.
 * - PALS: pals_attach_kprobe_multi(), _uprobe_multi(), _usdt(): N blobs,
 *   the link with their handles as cookies, the blobs bound to it.
 *
 * Kinds: kprobe_multi over N kernel functions (spread over the
 * attachable ones) or all of them, uprobe_multi over N functions of this
 * program, USDT probes of N sites in this program (sites.c). Each run
 * times the attach and the destroy, takes the memory per point (PALS:
 * the module's charged bytes; libbpf: the map's memlock) and checks that
 * the program saw each point's own data. Output: a JSON line per run to
 * OUT, the table on stdout.
 *
 * pals-scale OUT [kprobe|uprobe|usdt|phases|all]...: phases = where
 * PALS' time goes at N = 10 000 (and, with all, at every function); all =
 * kprobe_multi over every attachable function (long). Default: all but
 * "all".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "memlock.h"
#include "libpals.h"
#include "scale.h"
#include "scale.skel.h"
#include "sites.h"

#define ROUNDS		2
#define CFG		"struct scale_cfg"

enum kind { KPROBE, UPROBE, USDT, KINDS };
static const char *const kind_names[KINDS] = {
	"kprobe_multi", "uprobe_multi", "usdt",
};

enum variant { LIBBPF, PALS, VARIANTS };
static const char *const variant_names[VARIANTS] = { "libbpf", "PALS" };

struct run {
	__u64 attach_ns, destroy_ns;
	double bytes;			/* per point */
	bool verified;
};

/* The attachable kernel functions, in address order. */
static const char **ksyms;
static __u64 *kaddrs;
static size_t nksyms;
/* A function trigger() calls, and its index in ksyms (0 if absent). */
#define TRIGGERED "vfs_read"
static size_t triggered;
static char exe[PATH_MAX];
static FILE *out;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Wait, up to 10 s, until the blobs of a run are freed (after their grace
 * periods) and the charged bytes are back to @bytes: a free that comes
 * late would otherwise cancel the next run's allocation in its figure.
 */
static int stats_freed(struct pals_ctx *ctx, __u64 bytes)
{
	struct pals_stats st;
	int i, err = 0;

	for (i = 0; !err && i < 1000; i++) {
		err = pals_ctx__stats(ctx, &st);
		if (!err && st.bytes <= bytes)
			return 0;
		usleep(10000);
	}
	return err ?: -ETIMEDOUT;
}

/* Let the last teardown's deferred work run before the next timing. */
static void settle(void)
{
	usleep(300000);
}

/*
 * The module's stats once the blobs the last teardown deleted are freed
 * (after grace periods): the charged bytes stay put for 100 ms.
 */
static int stats_settled(struct pals_ctx *ctx, struct pals_stats *st)
{
	__u64 last = ~0ULL;
	int i, err = 0;

	for (i = 0; !err && i < 100; i++) {
		err = pals_ctx__stats(ctx, st);
		if (st->bytes == last)
			break;
		last = st->bytes;
		usleep(100000);
	}
	return err;
}

/*
 * Functions that fire with RCU not watching, or run BPF dispatch, or
 * are placeholders: the kernel's kprobe_multi selftest leaves them out
 * of its attach-to-everything run too.
 */
static bool skip_func(const char *name)
{
	return !strcmp(name, "arch_cpu_idle") ||
	       !strcmp(name, "default_idle") ||
	       !strncmp(name, "rcu_", 4) ||
	       !strcmp(name, "bpf_dispatcher_xdp_func") ||
	       !strncmp(name, "__ftrace_invalid_address__", 26);
}

struct sym {
	char *name;
	__u64 addr;
	int dup;
};

static int sym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sym *)a)->name,
		      ((const struct sym *)b)->name);
}

static int addr_cmp(const void *a, const void *b)
{
	__u64 x = ((const struct sym *)a)->addr, y = ((const struct sym *)b)->addr;

	return x < y ? -1 : x > y;
}

/* Names read from @path with "%llx %c %s" (kallsyms) or "%s" lines. */
static struct sym *read_syms(const char *path, bool kallsyms, size_t *cnt)
{
	char line[512], name[256], type;
	struct sym *s = NULL, *tmp;
	unsigned long long addr = 0;
	size_t n = 0, cap = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (kallsyms ? sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 ||
			       (type != 't' && type != 'T') || strchr(line, '[') :
			       sscanf(line, "%255s", name) != 1 || strchr(line, '[') ||
			       strchr(name, '.') || skip_func(name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			tmp = realloc(s, cap * sizeof(*s));
			if (!tmp)
				break;
			s = tmp;
		}
		s[n++] = (struct sym){ strdup(name), addr, 0 };
	}
	fclose(f);
	*cnt = n;
	return s;
}

/* Mark names given more than once: their address is ambiguous. */
static void mark_dups(struct sym *s, size_t n)
{
	size_t i;

	qsort(s, n, sizeof(*s), sym_cmp);
	for (i = 1; i < n; i++)
		if (!strcmp(s[i - 1].name, s[i].name))
			s[i - 1].dup = s[i].dup = 1;
}

/* Every attachable function with a unique name, and its address. */
static int load_ksyms(void)
{
	size_t nf, nk, i;
	struct sym *f = read_syms("/sys/kernel/tracing/available_filter_functions",
				  false, &nf);
	struct sym *k = read_syms("/proc/kallsyms", true, &nk), key, *hit;

	if (!f || !k)
		return -errno ?: -ENOENT;
	mark_dups(f, nf);
	mark_dups(k, nk);
	for (i = 0; i < nf; i++) {
		key.name = f[i].name;
		hit = bsearch(&key, k, nk, sizeof(*k), sym_cmp);
		f[i].addr = hit && !hit->dup && !f[i].dup ? hit->addr : 0;
	}
	qsort(f, nf, sizeof(*f), addr_cmp);
	ksyms = calloc(nf, sizeof(*ksyms));
	kaddrs = calloc(nf, sizeof(*kaddrs));
	if (!ksyms || !kaddrs)
		return -ENOMEM;
	for (i = 0; i < nf; i++) {
		if (!f[i].addr || (nksyms && kaddrs[nksyms - 1] == f[i].addr))
			continue;
		if (!strcmp(f[i].name, TRIGGERED))
			triggered = nksyms;
		ksyms[nksyms] = f[i].name;
		kaddrs[nksyms++] = f[i].addr;
	}
	return 0;
}

/* The file offset of @addr in this program, from /proc/self/maps. */
static unsigned long file_offset(unsigned long addr)
{
	unsigned long start, end, off;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long ret = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx", &start, &end, &off) == 3 &&
		    addr >= start && addr < end && strstr(line, exe)) {
			ret = addr - start + off;
			break;
		}
	}
	if (f)
		fclose(f);
	return ret;
}

/* The N points of a run and each one's data. */
struct points {
	size_t n;
	const char **syms;		/* kprobe */
	unsigned long *offsets;		/* uprobe */
	const scale_fn_t *fns;		/* uprobe, usdt */
	struct scale_cfg *cfgs;
	__u64 *cookies;			/* libbpf: 0 .. N-1 */
	__u32 *keys;
};

static int points_make(struct points *p, enum kind k, size_t n)
{
	size_t i, j, step = n < nksyms ? nksyms / n : 1;

	memset(p, 0, sizeof(*p));
	p->n = n;
	p->cfgs = calloc(n, sizeof(*p->cfgs));
	p->cookies = calloc(n, sizeof(*p->cookies));
	p->keys = calloc(n, sizeof(*p->keys));
	p->syms = calloc(n, sizeof(*p->syms));
	p->offsets = calloc(n, sizeof(*p->offsets));
	if (!p->cfgs || !p->cookies || !p->keys || !p->syms || !p->offsets)
		return -ENOMEM;
	if (k != KPROBE) {
		p->fns = scale_sites(n);
		if (!p->fns)
			return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		p->cookies[i] = p->keys[i] = i;
		if (k == KPROBE) {
			/* One point the trigger is sure to hit, in place of the first. */
			j = !i && triggered % step ? triggered : i * step;
			p->syms[i] = ksyms[j];
			p->cfgs[i].ip = kaddrs[j];
		} else {
			p->cfgs[i].ip = (unsigned long)p->fns[i];
			p->offsets[i] = file_offset((unsigned long)p->fns[i]);
			if (!p->offsets[i])
				return -ENOENT;
		}
	}
	return 0;
}

static void points_free(struct points *p)
{
	free(p->cfgs);
	free(p->cookies);
	free(p->keys);
	free(p->syms);
	free(p->offsets);
}

/* kprobe: kernel work that enters many functions. */
static void trigger(enum kind k, const struct points *p)
{
	char buf[4096];
	size_t i;
	FILE *f;

	if (k != KPROBE) {
		for (i = 0; i < p->n; i++)
			p->fns[i]();
		return;
	}
	for (i = 0; i < 20; i++) {
		f = fopen("/proc/self/status", "r");
		if (f) {
			while (fread(buf, 1, sizeof(buf), f) > 0)
				;
			fclose(f);
		}
		getppid();
	}
}

/* USDT: site s of probe s@n is its number, from first (see sites.h). */
static bool usdt_seen(const struct scale *skel, size_t n)
{
	size_t first = n == 100 ? 0 : n == 1000 ? 100 : 1100, i;

	for (i = 0; i < SCALE_SITES; i++)
		if (skel->bss->seen[i] != (i >= first && i < first + n))
			return false;
	return !skel->bss->bad;
}

static bool verify(enum kind k, const struct scale *skel, size_t n)
{
	if (k == USDT)
		return usdt_seen(skel, n);
	if (k == UPROBE)
		return skel->bss->good == n && !skel->bss->bad;
	return skel->bss->good && !skel->bss->bad;
}

static struct bpf_program *prog_of(struct scale *skel, enum kind k,
				   enum variant v)
{
	struct bpf_program *progs[KINDS][VARIANTS] = {
		{ skel->progs.km_libbpf, skel->progs.km_pals },
		{ skel->progs.um_libbpf, skel->progs.um_pals },
		{ skel->progs.usdt_libbpf, skel->progs.usdt_pals },
	};

	return progs[k][v];
}

static char probe_name[16];

static struct bpf_link *attach_libbpf(struct scale *skel, enum kind k,
				      const struct points *p)
{
	struct bpf_program *prog = prog_of(skel, k, LIBBPF);
	LIBBPF_OPTS(bpf_kprobe_multi_opts, kopts, .syms = p->syms,
		    .cookies = p->cookies, .cnt = p->n);
	LIBBPF_OPTS(bpf_uprobe_multi_opts, uopts, .offsets = p->offsets,
		    .cookies = p->cookies, .cnt = p->n);
	LIBBPF_OPTS(bpf_map_batch_opts, bopts);
	__u32 cnt = p->n;

	if (k == USDT)
		return bpf_program__attach_usdt(prog, getpid(), exe, "scale",
						probe_name, NULL);
	if (bpf_map_update_batch(bpf_map__fd(skel->maps.cfgs), p->keys,
				 p->cfgs, &cnt, &bopts))
		return NULL;
	if (k == KPROBE)
		return bpf_program__attach_kprobe_multi_opts(prog, NULL, &kopts);
	return bpf_program__attach_uprobe_multi(prog, getpid(), exe, NULL,
						&uopts);
}

static struct pals_link *attach_pals(struct scale *skel, enum kind k,
				     const struct points *p,
				     struct pals_ctx *ctx)
{
	struct bpf_program *prog = prog_of(skel, k, PALS);
	PALS_OPTS(pals_attach_opts, opts, .ctx = ctx,
		  .offsets = k == UPROBE ? p->offsets : NULL);

	if (k == USDT)
		return pals_attach_usdt(prog, getpid(), exe, "scale",
					probe_name, &opts);
	if (k == KPROBE)
		return pals_attach_kprobe_multi(prog, p->syms, p->n, CFG,
						p->cfgs, sizeof(*p->cfgs),
						&opts);
	return pals_attach_uprobe_multi(prog, getpid(), exe, NULL, p->n, CFG,
					p->cfgs, sizeof(*p->cfgs), &opts);
}

static int one_run(enum kind k, enum variant v, const struct points *p,
		   struct pals_ctx *ctx, struct run *r)
{
	struct scale *skel = scale__open();
	struct pals_stats st0, st1;
	struct bpf_link *link = NULL;
	struct pals_link *pl = NULL;
	__u64 t0, t1;
	int err;

	if (!skel)
		return -errno;
	bpf_map__set_max_entries(skel->maps.cfgs, p->n);
	if (k == USDT)
		bpf_map__set_max_entries(skel->maps.__bpf_usdt_specs, p->n);
	err = scale__load(skel) ?: stats_settled(ctx, &st0);
	if (err)
		goto out;
	t0 = now_ns();
	if (v == LIBBPF)
		link = attach_libbpf(skel, k, p);
	else
		pl = attach_pals(skel, k, p, ctx);
	t1 = now_ns();
	if (!link && !pl) {
		err = -errno;
		goto out;
	}
	r->attach_ns = t1 - t0;
	if (v == PALS) {
		err = pals_ctx__stats(ctx, &st1);
		r->bytes = (double)(st1.bytes - st0.bytes) / p->n;
	} else {
		r->bytes = (double)bench_map_memlock(bpf_map__fd(k == USDT ?
				skel->maps.__bpf_usdt_specs : skel->maps.cfgs)) / p->n;
	}
	trigger(k, p);
	r->verified = verify(k, skel, p->n);
	settle();
	t0 = now_ns();
	if (v == LIBBPF)
		bpf_link__destroy(link);
	else
		err = pals_link__destroy(pl) ?: err;
	r->destroy_ns = now_ns() - t0;
	if (v == PALS)
		err = stats_freed(ctx, st0.bytes) ?: err;
out:
	scale__destroy(skel);
	return err;
}

/*
 * Where PALS' time goes: pals_attach_*() and pals_link__destroy() taken
 * apart into the low-level calls they make, each timed.
 */
static int phases(enum kind k, const struct points *p, struct pals_ctx *ctx)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, kopts, .syms = p->syms, .cnt = p->n);
	LIBBPF_OPTS(bpf_uprobe_multi_opts, uopts, .offsets = p->offsets,
		    .cnt = p->n);
	struct scale *skel = scale__open_and_load();
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	struct bpf_program *prog;
	struct bpf_link *link;
	__u64 *handles = calloc(p->n, sizeof(*handles)), t[8];
	int id, err = skel && handles ? 0 : -ENOMEM;

	if (err)
		goto out;
	prog = prog_of(skel, k, PALS);
	settle();
	t[0] = now_ns();
	id = pals_type_id(prog, CFG, sizeof(*p->cfgs));
	t[1] = now_ns();
	err = id < 0 ? id : pals_ctx__create_batch(ctx, bpf_program__fd(prog),
						   id, p->cfgs, sizeof(*p->cfgs),
						   p->n, NULL, handles);
	t[2] = now_ns();
	if (err)
		goto out;
	kopts.cookies = uopts.cookies = handles;
	link = k == KPROBE ?
	       bpf_program__attach_kprobe_multi_opts(prog, NULL, &kopts) :
	       bpf_program__attach_uprobe_multi(prog, getpid(), exe, NULL, &uopts);
	t[3] = now_ns();
	if (!link) {
		err = -errno;
		pals_ctx__delete_batch(ctx, handles, p->n);
		goto out;
	}
	bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len);
	t[4] = now_ns();
	err = pals_ctx__bind_batch(ctx, handles, p->n, bpf_link__fd(link));
	t[5] = now_ns();
	settle();
	/* As pals_link__destroy(): the module releases the link in delete. */
	t[6] = now_ns();
	bpf_link__destroy(link);
	t[7] = now_ns();
	if (pals_ctx__delete_link(ctx, info.id) < 0 && !err)
		err = -errno;
	printf("%-13s %6zu  type id %.1f, create %.1f, attach %.1f, link id %.1f, "
	       "bind %.1f; close %.1f, delete (detach, then blobs) %.1f ms\n",
	       kind_names[k], p->n,
	       (t[1] - t[0]) / 1e6, (t[2] - t[1]) / 1e6, (t[3] - t[2]) / 1e6,
	       (t[4] - t[3]) / 1e6, (t[5] - t[4]) / 1e6, (t[7] - t[6]) / 1e6,
	       (now_ns() - t[7]) / 1e6);
out:
	if (err)
		fprintf(stderr, "scale: phases: %s (%s)\n", strerror(-err),
			pals_last_error());
	free(handles);
	scale__destroy(skel);
	return err;
}

struct row {
	enum kind kind;
	size_t n;
	struct run best[VARIANTS];	/* fastest of the rounds */
	bool verified;
};

static int measure(enum kind k, size_t n, int rounds, struct pals_ctx *ctx,
		   struct row *row)
{
	struct points p;
	enum variant v;
	struct run r;
	int round, i, err;

	err = points_make(&p, k, n);
	if (k == USDT)
		snprintf(probe_name, sizeof(probe_name), "s%zu", n);
	row->kind = k;
	row->n = n;
	row->verified = true;
	for (round = 0; !err && round < rounds; round++) {
		for (i = 0; !err && i < VARIANTS; i++) {
			/* libbpf first in even rounds, PALS first in odd ones. */
			v = (i + round) % VARIANTS;
			memset(&r, 0, sizeof(r));
			err = one_run(k, v, &p, ctx, &r);
			if (err)
				break;
			fprintf(out, "{\"test\":\"scale\",\"kind\":\"%s\",\"variant\":\"%s\","
				"\"n\":%zu,\"round\":%d,\"attach_ns\":%llu,\"destroy_ns\":%llu,"
				"\"bytes_per_point\":%.1f,\"verified\":%s}\n",
				kind_names[k], variant_names[v], n, round,
				(unsigned long long)r.attach_ns,
				(unsigned long long)r.destroy_ns, r.bytes,
				r.verified ? "true" : "false");
			fflush(out);
			row->verified &= r.verified;
			if (!round || r.attach_ns < row->best[v].attach_ns)
				row->best[v].attach_ns = r.attach_ns;
			if (!round || r.destroy_ns < row->best[v].destroy_ns)
				row->best[v].destroy_ns = r.destroy_ns;
			row->best[v].bytes = r.bytes;
		}
	}
	if (err)
		fprintf(stderr, "scale: %s N=%zu: %s (%s)\n", kind_names[k], n,
			strerror(-err), pals_last_error());
	points_free(&p);
	return err;
}

static void print_row(const struct row *r)
{
	const struct run *l = &r->best[LIBBPF], *p = &r->best[PALS];

	printf("%-13s %6zu %9.1f %9.1f %6.2f %9.1f %9.1f %6.2f %7.1f %7.1f %6.2f  %s\n",
	       kind_names[r->kind], r->n, l->attach_ns / 1e6, p->attach_ns / 1e6,
	       (double)p->attach_ns / l->attach_ns, l->destroy_ns / 1e6,
	       p->destroy_ns / 1e6, (double)p->destroy_ns / l->destroy_ns,
	       l->bytes, p->bytes, p->bytes / l->bytes,
	       r->verified ? "yes" : "NO");
	fflush(stdout);
}

static bool wanted(int argc, char **argv, const char *what)
{
	int i;

	if (argc == 2)
		return strcmp(what, "all") != 0;
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], what))
			return true;
	return false;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	static const size_t ns[] = { 100, 1000, 10000 };
	static const char *const what[KINDS] = { "kprobe", "uprobe", "usdt" };
	struct rlimit nofile = { 65536, 65536 };
	struct pals_stats st;
	struct pals_ctx *ctx;
	struct row row;
	int err = 0;
	size_t i, k;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OUT [kprobe|uprobe|usdt|phases|all]...\n",
			argv[0]);
		return 2;
	}
	out = fopen(argv[1], "a");
	if (!out || setrlimit(RLIMIT_NOFILE, &nofile) ||
	    !realpath("/proc/self/exe", exe)) {
		perror(argv[1]);
		return 1;
	}
	libbpf_set_print(quiet);
	ctx = pals_ctx__new(NULL);
	err = ctx ? load_ksyms() : -errno;
	if (err) {
		fprintf(stderr, "scale: %s (%s)\n", strerror(-err), pals_last_error());
		return 1;
	}
	printf("Attach at scale: one multi-link over N points, fastest of %d rounds\n"
	       "(variants alternating); ms of guest time; memory: bytes per point\n"
	       "(libbpf: ARRAY map or USDT specs map memlock; PALS: the module's\n"
	       "charged bytes); verified: every run saw each point's own data.\n\n",
	       ROUNDS);
	printf("%-13s %6s %9s %9s %6s %9s %9s %6s %7s %7s %6s  %s\n", "kind", "N",
	       "attach", "PALS", "ratio", "destroy", "PALS", "ratio", "memory",
	       "PALS", "ratio", "verified");
	printf("%-13s %6s %9s %9s %6s %9s %9s %6s %7s %7s\n", "", "", "libbpf",
	       "", "", "libbpf", "", "", "libbpf", "");
	for (k = 0; k < KINDS; k++) {
		for (i = 0; wanted(argc, argv, what[k]) && i < 3; i++) {
			if (measure(k, ns[i], ROUNDS, ctx, &row))
				err = 1;
			else
				print_row(&row);
		}
	}
	if (wanted(argc, argv, "phases")) {
		printf("\nPALS' steps at N = 10000, the low-level calls one at a time:\n");
		for (k = KPROBE; k <= UPROBE; k++) {
			struct points p;

			if (points_make(&p, k, 10000) || phases(k, &p, ctx))
				err = 1;
			points_free(&p);
		}
	}
	if (wanted(argc, argv, "phases") && wanted(argc, argv, "all")) {
		struct points p;

		if (points_make(&p, KPROBE, nksyms) || phases(KPROBE, &p, ctx))
			err = 1;
		points_free(&p);
	}
	if (wanted(argc, argv, "all")) {
		if (measure(KPROBE, nksyms, 1, ctx, &row))
			err = 1;
		else
			print_row(&row);
	}
	if (!pals_ctx__stats(ctx, &st))
		printf("\nPALS memory is what the module charges per blob: the blobs of\n"
		       "one request are one allocation, what they share and then each\n"
		       "one's copy (a header of what the kfunc compares, and the data),\n"
		       "at its slab size or page count. Each blob also takes a slot of\n"
		       "the table (24 bytes: the pointer programs read, the control\n"
		       "side), which PALS_A_STAT_OVERHEAD counts (with no blob live, as\n"
		       "now, it is what one blob created alone costs besides its data:\n"
		       "%llu bytes), and the table keeps up to as many slots again free\n"
		       "(it doubles).\n",
		       (unsigned long long)st.overhead);
	pals_ctx__free(ctx);
	fclose(out);
	return err;
}
