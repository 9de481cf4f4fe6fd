// SPDX-License-Identifier: GPL-2.0
/*
 * The same USDT probes read with libbpf's usdt.bpf.h and with PALS's
 * pals_usdt.bpf.h (test_usdt.c): each program records, in the slot the
 * probe's USDT cookie names, how often it ran, the argument count and
 * all 12 arguments (0 past the count). The "usdt" programs attach
 * through one uprobe_multi link where the kernel has them, the "uprobe"
 * ones always one uprobe per site.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>
#include "pals_usdt.bpf.h"
#include "usdt_rec.h"
#include "../usdt/vals.h"

struct usdt_rec libbpf_recs[USDT_SLOTS];
struct usdt_rec pals_recs[USDT_SLOTS];
struct usdt_rec fn_recs[USDT_SLOTS];
struct usdt_rec uprobe_recs[USDT_SLOTS];
__u64 many_hits[USDT_MANY_SITES];
__u64 many_vals[USDT_MANY_SITES];

static __always_inline void record(struct usdt_rec *recs, long slot, long cnt,
				   const long *v, const __s64 *sizes)
{
	struct usdt_rec *r;
	int i;

	if (slot < 0 || slot >= USDT_SLOTS)
		return;
	r = &recs[slot];
	__sync_fetch_and_add(&r->hits, 1);
	r->arg_cnt = cnt;
	for (i = 0; i < 12; i++) {
		r->args[i] = v[i];
		if (sizes)
			r->sizes[i] = sizes[i];
	}
}

#define ARGS12	long a0, long a1, long a2, long a3, long a4, long a5,	\
		long a6, long a7, long a8, long a9, long a10, long a11
#define VALS12	{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 }

SEC("usdt")
int BPF_USDT(on_libbpf, ARGS12)
{
	long v[12] = VALS12;

	record(libbpf_recs, bpf_usdt_cookie(ctx), bpf_usdt_arg_cnt(ctx), v, NULL);
	return 0;
}

SEC("usdt")
int PALS_USDT(on_pals, ARGS12)
{
	long v[12] = VALS12;

	record(pals_recs, pals_usdt_cookie(ctx), pals_usdt_arg_cnt(ctx), v,
	       NULL);
	return 0;
}

/* The same through pals_usdt_arg(), one argument at a time, and sizes. */
SEC("usdt")
int on_pals_fn(struct pt_regs *ctx)
{
	__s64 sizes[12];
	long v[12];
	int i;

	for (i = 0; i < 12; i++) {
		pals_usdt_arg(ctx, i, &v[i]);
		sizes[i] = pals_usdt_arg_size(ctx, i);
	}
	record(fn_recs, pals_usdt_cookie(ctx), pals_usdt_arg_cnt(ctx), v, sizes);
	return 0;
}

/* A site blob of the tool's own type: the spec, then the tool's fields. */
struct usdt_site {
	struct pals_usdt_spec spec;
	__u64 tag;		/* filled per site by the loader */
	__u64 hits;
	long site, val;		/* the probe's arguments */
};

SEC("usdt")
int on_site(struct pt_regs *ctx)
{
	struct usdt_site *s = pals_get(ctx, struct usdt_site);

	if (!s || pals_usdt_spec_arg(ctx, &s->spec, 0, &s->site) ||
	    pals_usdt_spec_arg(ctx, &s->spec, 1, &s->val))
		return 0;
	__sync_fetch_and_add(&s->hits, 1);
	return 0;
}

static __always_inline void record_many(long site, long val)
{
	if (site >= 0 && site < USDT_MANY_SITES) {
		__sync_fetch_and_add(&many_hits[site], 1);
		many_vals[site] = val;
	}
}

SEC("usdt")
int PALS_USDT(on_many, long site, long val)
{
	record_many(site, val);
	return 0;
}

/*
 * PALS_USDT in plain uprobe programs: libbpf loads them as such on every
 * kernel, so pals_attach_usdt() attaches them one uprobe per site, as it
 * does "usdt" programs where the kernel has no uprobe_multi.
 */
SEC("uprobe")
int PALS_USDT(on_uprobe, ARGS12)
{
	long v[12] = VALS12;

	record(uprobe_recs, pals_usdt_cookie(ctx), pals_usdt_arg_cnt(ctx), v,
	       NULL);
	return 0;
}

SEC("uprobe")
int PALS_USDT(on_many_uprobe, long site, long val)
{
	record_many(site, val);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
