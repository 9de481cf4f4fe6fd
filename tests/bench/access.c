// SPDX-License-Identifier: GPL-2.0
/*
 * The access benchmark: the seven variants of progs/variants.h, attached one
 * at a time to the same kprobe, several rounds alternated (A B C ... A B C
 * ...), at each scale: the cookie as key with one attach point, then the
 * rotating key over 1, 1 000 and 100 000 live blobs and map entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "libpals.h"
#include "pals_fallback.h"
#include "bench_cookie.skel.h"
#include "bench_rotate.skel.h"

enum { EMPTY, KEY, ARRAY, HASH, GLOBAL, PALS, FALLBACK, NR_VARIANTS };

static const char *const variant_names[NR_VARIANTS] = {
	"empty", "key", "array", "hash", "global", "pals", "fallback",
};

static const struct scale {
	const char *mode;	/* "cookie" or "rotate" */
	__u32 n;		/* attach points: blobs and map entries */
} scales[] = {
	{ "cookie", 1 },
	{ "rotate", 1 },
	{ "rotate", 1000 },
	{ "rotate", 100000 },
};

/* The parts of either skeleton the benchmark uses. */
struct vobj {
	struct bench_cookie *cookie;
	struct bench_rotate *rotate;
	struct bpf_object *obj;
	struct bpf_program *progs[NR_VARIANTS];
	struct bpf_map *array, *hash, *blobs, *overflow, *cfgs;
	struct bench_cfg *cfg;		/* cfgs[], after load */
	__u64 *keys;			/* rotate only, after load */
	__u32 *nkeys;
	__u64 *misses;			/* after load */
};

#define VOBJ_SET(v, s)							\
	do {								\
		(v)->obj = (s)->obj;					\
		(v)->progs[EMPTY] = (s)->progs.empty;			\
		(v)->progs[KEY] = (s)->progs.key;			\
		(v)->progs[ARRAY] = (s)->progs.array;			\
		(v)->progs[HASH] = (s)->progs.hash;			\
		(v)->progs[GLOBAL] = (s)->progs.global;			\
		(v)->progs[PALS] = (s)->progs.pals;			\
		(v)->progs[FALLBACK] = (s)->progs.fallback;		\
		(v)->blobs = (s)->maps.pals_blobs;			\
		(v)->overflow = (s)->maps.pals_overflow;		\
		(v)->array = (s)->maps.cfg_array;			\
		(v)->hash = (s)->maps.cfg_hash;				\
		(v)->cfgs = (s)->maps.data_cfgs;			\
	} while (0)

static int vobj_open(struct vobj *v, const struct scale *sc)
{
	size_t sz = sc->n * sizeof(struct bench_cfg);

	memset(v, 0, sizeof(*v));
	if (!strcmp(sc->mode, "cookie")) {
		v->cookie = bench_cookie__open();
		if (!v->cookie)
			return -errno;
		VOBJ_SET(v, v->cookie);
		v->cookie->rodata->cfg_cnt = sc->n;
	} else {
		v->rotate = bench_rotate__open();
		if (!v->rotate)
			return -errno;
		VOBJ_SET(v, v->rotate);
		v->rotate->rodata->cfg_cnt = sc->n;
	}
	if (bpf_map__set_max_entries(v->array, sc->n) ||
	    bpf_map__set_max_entries(v->hash, sc->n) ||
	    bpf_map__set_max_entries(v->blobs, sc->n) ||
	    bpf_map__set_value_size(v->blobs, sizeof(struct pals_fb_hdr) +
				    sizeof(struct bench_cfg)) ||
	    bpf_map__set_value_size(v->overflow, sizeof(struct pals_fb_hdr) +
				    sizeof(struct bench_cfg)) ||
	    bpf_map__set_value_size(v->cfgs, sz) ||
	    bpf_object__load(v->obj))
		return -errno;
	/* The skeleton's pointer predates the resize. */
	v->cfg = bpf_map__initial_value(v->cfgs, &sz);
	if (v->cookie) {
		v->misses = &v->cookie->bss->misses;
	} else {
		v->misses = &v->rotate->bss->misses;
		v->keys = v->rotate->bss->keys;
		v->nkeys = &v->rotate->bss->nkeys;
		*v->nkeys = sc->n;
	}
	return 0;
}

static void vobj_close(struct vobj *v)
{
	bench_cookie__destroy(v->cookie);
	bench_rotate__destroy(v->rotate);
}

/* The fallback's handle of attach point @i: blob i + 1, in slot i. */
#define FALLBACK_HANDLE(i)	PALS_FB_HANDLE((i) + 1, (i))

/* The fallback's ARRAY as libpals fills it: header, then the blob. */
static int fill_fallback(struct vobj *v, const struct bench_cfg *cfg, __u32 n,
			 int type_id)
{
	struct fb_value {
		struct pals_fb_hdr hdr;
		struct bench_cfg cfg;
	} *vals = calloc(n, sizeof(*vals));
	__u32 *keys = calloc(n, sizeof(*keys));
	__u32 count = n, i;
	int err = -ENOMEM;

	if (vals && keys) {
		for (i = 0; i < n; i++) {
			keys[i] = i;
			vals[i].hdr.check = PALS_FB_CHECK(FALLBACK_HANDLE(i),
							  type_id, sizeof(*cfg));
			vals[i].hdr.size = sizeof(*cfg);
			vals[i].cfg = cfg[i];
		}
		err = bpf_map_update_batch(bpf_map__fd(v->blobs), keys, vals,
					   &count, NULL);
		if (err)
			fprintf(stderr, "bench: filling the fallback map: %s\n",
				strerror(-err));
	}
	free(keys);
	free(vals);
	return err;
}

/* Every attach point's data, in each variant's store; handles of blobs. */
static int fill(struct vobj *v, struct pals_ctx *ctx, __u32 n, __u64 *handles)
{
	struct bench_cfg *cfg = calloc(n, sizeof(*cfg));
	__u32 *idx = calloc(n, sizeof(*idx)), count, i;
	__u64 *hkeys = calloc(n, sizeof(*hkeys));
	int prog_fd = bpf_program__fd(v->progs[PALS]);
	int type_id, err = -ENOMEM;

	if (!cfg || !idx || !hkeys)
		goto out;
	bench_cfg_fill(cfg, n);
	memcpy(v->cfg, cfg, n * sizeof(*cfg));
	for (i = 0; i < n; i++) {
		idx[i] = i;
		hkeys[i] = i;
	}
	count = n;
	err = bpf_map_update_batch(bpf_map__fd(v->array), idx, cfg, &count, NULL);
	count = n;
	err = err ?: bpf_map_update_batch(bpf_map__fd(v->hash), hkeys, cfg,
					  &count, NULL);
	if (err) {
		fprintf(stderr, "bench: filling maps: %s\n", strerror(-err));
		goto out;
	}
	type_id = pals_type_id(v->progs[PALS], "struct bench_cfg", sizeof(*cfg));
	err = type_id < 0 ? type_id : fill_fallback(v, cfg, n, type_id);
	for (i = 0; !err && i < n; i++)
		err = pals_ctx__create(ctx, prog_fd, type_id, &cfg[i],
				       sizeof(*cfg), NULL, &handles[i]);
out:
	free(hkeys);
	free(idx);
	free(cfg);
	return err;
}

/* A fixed shuffle of 0 .. n - 1: the order the rotating key visits. */
static void shuffle(__u32 *perm, __u32 n)
{
	__u64 seed = 0x9e3779b97f4a7c15ULL;
	__u32 i, j, t;

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (seed >> 33) % (i + 1);
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
}

/* The key of attach point @i for variant @var: a handle or an index. */
static __u64 key_of(int var, __u32 i, const __u64 *handles)
{
	return var == PALS ? handles[i] : var == FALLBACK ? FALLBACK_HANDLE(i) : i;
}

static int run_variant(const struct bench *b, const struct scale *sc,
		       struct vobj *v, int var, int round, const __u32 *perm,
		       const __u64 *handles)
{
	struct bpf_prog_info before = {}, after = {};
	__u32 len = sizeof(before), i;
	int fd = bpf_program__fd(v->progs[var]);
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct bpf_link *link;
	__u64 t0, t1;

	if (v->keys)
		for (i = 0; i < sc->n; i++)
			v->keys[i] = key_of(var, perm[i], handles);
	else
		opts.bpf_cookie = key_of(var, 0, handles);
	link = bpf_program__attach_kprobe_opts(v->progs[var], BENCH_FUNC, &opts);
	if (!link) {
		fprintf(stderr, "bench: attach %s: %s\n", variant_names[var],
			strerror(errno));
		return -errno;
	}
	bpf_prog_get_info_by_fd(fd, &before, &len);
	t0 = bench_now_ns();
	bench_trigger(b->runs);
	t1 = bench_now_ns();
	bpf_prog_get_info_by_fd(fd, &after, &len);
	bpf_link__destroy(link);
	if (*v->misses) {
		fprintf(stderr, "bench: %s found no struct in %llu runs\n",
			variant_names[var], (unsigned long long)*v->misses);
		return -ENOENT;
	}

	fprintf(b->out, "{\"test\":\"access\",\"meter\":\"%s\",\"mode\":\"%s\","
		"\"n\":%u,\"variant\":\"%s\",\"round\":%d,\"triggers\":%ld,"
		"\"wall_ns\":%llu", b->meter_name, sc->mode, sc->n,
		variant_names[var], round, b->runs,
		(unsigned long long)(t1 - t0));
	if (b->meter == BENCH_ICOUNT)
		fprintf(b->out, ",\"run_cnt\":%llu,\"run_time_ns\":%llu",
			(unsigned long long)(after.run_cnt - before.run_cnt),
			(unsigned long long)(after.run_time_ns - before.run_time_ns));
	fprintf(b->out, "}\n");
	return 0;
}

static int run_scale(const struct bench *b, const struct scale *sc)
{
	__u64 *handles = calloc(sc->n, sizeof(*handles));
	__u32 *perm = calloc(sc->n, sizeof(*perm));
	struct pals_ctx *ctx = pals_ctx__new(NULL);
	int round, var, err;
	struct vobj v = {};

	err = !handles || !perm || !ctx ? -ENOMEM : vobj_open(&v, sc);
	if (!err) {
		shuffle(perm, sc->n);
		err = fill(&v, ctx, sc->n, handles);
	}
	for (round = 0; !err && round < b->rounds; round++)
		for (var = 0; !err && var < NR_VARIANTS; var++)
			err = run_variant(b, sc, &v, var, round, perm, handles);
	if (err)
		fprintf(stderr, "bench: access %s %u: %s (%s)\n", sc->mode,
			sc->n, strerror(-err), pals_last_error());
	vobj_close(&v);
	pals_ctx__free(ctx);	/* deletes the blobs */
	free(perm);
	free(handles);
	return err;
}

int bench_access(const struct bench *b)
{
	/* Stats on only for the icount meter: they add a clock read. */
	int stats_fd = -1, err = 0;
	size_t i;

	if (b->meter == BENCH_ICOUNT) {
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0) {
			perror("bench: BPF_ENABLE_STATS");
			return -errno;
		}
	}
	for (i = 0; !err && i < sizeof(scales) / sizeof(scales[0]); i++)
		err = run_scale(b, &scales[i]);
	if (stats_fd >= 0)
		close(stats_fd);
	return err;
}
