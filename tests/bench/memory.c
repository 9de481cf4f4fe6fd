// SPDX-License-Identifier: GPL-2.0
/*
 * Memory per attach point: kernel bytes per PALS blob over 100 000 blobs
 * on a fresh module, counted as slab objects + vmalloc areas and as the
 * growth of meminfo's Slab + VmallocUsed pages (which also sees the slot
 * table's large allocations),
 * next to the module's own PALS_A_STAT_OVERHEAD + data; and the memlock
 * per entry of the maps the other variants need at that size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "memlock.h"
#include "libpals.h"
#include "bench_cookie.skel.h"

#define MEM_N	100000

static void emit(const struct bench *b, const char *what, double bytes)
{
	fprintf(b->out, "{\"test\":\"memory\",\"meter\":\"%s\",\"what\":\"%s\","
		"\"n\":%u,\"data\":%zu,\"bytes_per_entry\":%.1f}\n",
		b->meter_name, what, MEM_N, sizeof(struct bench_cfg), bytes);
}

/*
 * Slab + VmallocUsed of /proc/meminfo in bytes: whole slab pages, large
 * kmalloc()s (which /proc/slabinfo does not list) and vmalloc pages.
 */
static long long kernel_pages(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	long long kb, sum = 0;
	char line[128];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %lld kB", &kb) == 1 ||
		    sscanf(line, "VmallocUsed: %lld kB", &kb) == 1)
			sum += kb * 1024;
	fclose(f);
	return sum;
}

static int pals_bytes(const struct bench *b)
{
	struct bench_cookie *skel = bench_cookie__open_and_load();
	struct pals_ctx *ctx = pals_ctx__new(NULL);
	int prog_fd, type_id, err = skel && ctx ? 0 : -errno;
	long long slab, vmalloc, pages;
	struct pals_stats st;
	struct bench_cfg cfg;
	__u64 handle;
	__u32 i;

	if (err)
		goto out;
	bench_cfg_fill(&cfg, 1);
	prog_fd = bpf_program__fd(skel->progs.pals);
	type_id = pals_type_id(skel->progs.pals, "struct bench_cfg", sizeof(cfg));
	err = type_id < 0 ? type_id : 0;
	slab = bench_slab_bytes();
	vmalloc = bench_vmalloc_bytes();
	pages = kernel_pages();
	for (i = 0; !err && i < MEM_N; i++)
		err = pals_ctx__create(ctx, prog_fd, type_id, &cfg, sizeof(cfg),
				       NULL, &handle);
	slab = bench_slab_bytes() - slab;
	vmalloc = bench_vmalloc_bytes() - vmalloc;
	pages = kernel_pages() - pages;
	err = err ?: pals_ctx__stats(ctx, &st);
	if (!err) {
		/* The module's own figure, for comparison. */
		emit(b, "pals_stat", st.overhead + sizeof(cfg));
		/* Slab objects and vmalloc areas the blobs took. */
		emit(b, "pals_slab", (double)(slab + vmalloc) / MEM_N);
		/* Pages, also the slot table's (a large kvmalloc()). */
		emit(b, "pals_pages", (double)pages / MEM_N);
	}
out:
	if (err)
		fprintf(stderr, "bench: memory: %s (%s)\n", strerror(-err),
			pals_last_error());
	pals_ctx__free(ctx);
	bench_cookie__destroy(skel);
	return err;
}

static int map_bytes(const struct bench *b, const char *what,
		     enum bpf_map_type type, __u32 key_size, __u32 value_size,
		     __u32 entries)
{
	int fd = bpf_map_create(type, what, key_size, value_size, entries, NULL);
	long long bytes;

	if (fd < 0) {
		fprintf(stderr, "bench: memory: %s map: %s\n", what, strerror(errno));
		return -errno;
	}
	bytes = bench_map_memlock(fd);
	close(fd);
	if (bytes < 0)
		return bytes;
	emit(b, what, (double)bytes / MEM_N);
	return 0;
}

int bench_memory(const struct bench *b)
{
	__u32 sz = sizeof(struct bench_cfg);

	return pals_bytes(b) ?:
	       map_bytes(b, "array", BPF_MAP_TYPE_ARRAY, 4, sz, MEM_N) ?:
	       map_bytes(b, "hash", BPF_MAP_TYPE_HASH, 8, sz, MEM_N) ?:
	       /* the global array: one value holding every cfg */
	       map_bytes(b, "global", BPF_MAP_TYPE_ARRAY, 4, sz * MEM_N, 1);
}
