// SPDX-License-Identifier: GPL-2.0
/*
 * Control-plane cost: N attachments made with plain libbpf (attach with a
 * cookie) versus with PALS (pals_attach_*(): create the blob, attach with
 * its handle, bind), then torn down, for N = 1, 100, 1 000, for a kprobe
 * and a raw tracepoint (whose own attach is much cheaper, so PALS' share
 * shows more).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "libpals.h"
#include "bench_attach.skel.h"

/* A tracepoint that stays quiet while the benchmark runs. */
#define BENCH_TP	"task_rename"

static const __u32 counts[] = { 1, 100, 1000 };

struct kind {
	const char *name;
	const char *prog;
	struct bpf_link *(*plain)(const struct bpf_program *prog, __u64 cookie);
	struct pals_link *(*pals)(const struct bpf_program *prog,
				  const struct bench_cfg *cfg,
				  const struct pals_attach_opts *opts);
};

static struct bpf_link *kprobe_plain(const struct bpf_program *prog,
				     __u64 cookie)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .bpf_cookie = cookie);

	return bpf_program__attach_kprobe_opts(prog, BENCH_FUNC, &opts);
}

static struct pals_link *kprobe_pals(const struct bpf_program *prog,
				     const struct bench_cfg *cfg,
				     const struct pals_attach_opts *opts)
{
	return pals_attach_kprobe(prog, BENCH_FUNC, "struct bench_cfg", cfg,
				  sizeof(*cfg), opts);
}

static struct bpf_link *raw_tp_plain(const struct bpf_program *prog,
				     __u64 cookie)
{
	LIBBPF_OPTS(bpf_raw_tracepoint_opts, opts, .cookie = cookie);

	return bpf_program__attach_raw_tracepoint_opts(prog, BENCH_TP, &opts);
}

static struct pals_link *raw_tp_pals(const struct bpf_program *prog,
				     const struct bench_cfg *cfg,
				     const struct pals_attach_opts *opts)
{
	return pals_attach_raw_tp(prog, BENCH_TP, "struct bench_cfg", cfg,
				  sizeof(*cfg), opts);
}

static const struct kind kinds[] = {
	{ "kprobe", "on_kprobe", kprobe_plain, kprobe_pals },
	{ "raw_tp", "on_raw_tp", raw_tp_plain, raw_tp_pals },
};

/*
 * Let the work the last teardown queued (RCU callbacks, deferred frees)
 * run now rather than in the next measurement: there is one vCPU.
 */
static void settle(void)
{
	usleep(300000);
}

static void emit(const struct bench *b, const struct kind *k, const char *how,
		 __u32 n, int round, __u64 attach_ns, __u64 detach_ns)
{
	fprintf(b->out, "{\"test\":\"attach\",\"meter\":\"%s\",\"kind\":\"%s\","
		"\"how\":\"%s\",\"n\":%u,\"round\":%d,\"attach_ns\":%llu,"
		"\"detach_ns\":%llu}\n", b->meter_name, k->name, how, n, round,
		(unsigned long long)attach_ns, (unsigned long long)detach_ns);
}

static int plain(const struct bench *b, const struct kind *k,
		 const struct bpf_program *prog, __u32 n, int round)
{
	struct bpf_link **links = calloc(n, sizeof(*links));
	__u64 t0, t1, t2, t3;
	__u32 i;
	int err = 0;

	if (!links)
		return -ENOMEM;
	settle();
	t0 = bench_now_ns();
	for (i = 0; !err && i < n; i++)
		if (!(links[i] = k->plain(prog, i + 1)))
			err = -errno;
	t1 = bench_now_ns();
	settle();
	t2 = bench_now_ns();
	for (i = 0; i < n; i++)
		bpf_link__destroy(links[i]);
	t3 = bench_now_ns();
	free(links);
	if (!err)
		emit(b, k, "plain", n, round, t1 - t0, t3 - t2);
	return err;
}

static int with_pals(const struct bench *b, const struct kind *k,
		     const struct bpf_program *prog, struct pals_ctx *ctx,
		     __u32 n, int round)
{
	struct pals_link **links = calloc(n, sizeof(*links));
	PALS_OPTS(pals_attach_opts, opts, .ctx = ctx);
	struct bench_cfg cfg;
	__u64 t0, t1, t2, t3;
	__u32 i;
	int err = 0;

	if (!links)
		return -ENOMEM;
	bench_cfg_fill(&cfg, 1);
	settle();
	t0 = bench_now_ns();
	for (i = 0; !err && i < n; i++)
		if (!(links[i] = k->pals(prog, &cfg, &opts)))
			err = -errno;
	t1 = bench_now_ns();
	settle();
	t2 = bench_now_ns();
	for (i = 0; i < n; i++)
		pals_link__destroy(links[i]);
	t3 = bench_now_ns();
	free(links);
	if (!err)
		emit(b, k, "pals", n, round, t1 - t0, t3 - t2);
	return err;
}

/*
 * Where PALS' share goes: the steps of pals_attach_*() one at a time,
 * each over all N (name -> type id, create, plain attach with the
 * handle, bind), through the low-level calls.
 */
static int phases(const struct bench *b, const struct kind *k,
		  const struct bpf_program *prog, struct pals_ctx *ctx,
		  __u32 n, int round)
{
	struct bpf_link **links = calloc(n, sizeof(*links));
	__u64 *handles = calloc(n, sizeof(*handles));
	int prog_fd = bpf_program__fd(prog), id = 0;
	struct bench_cfg cfg;
	__u64 t[5];
	__u32 i;
	int err = links && handles ? 0 : -ENOMEM;

	bench_cfg_fill(&cfg, 1);
	settle();
	t[0] = bench_now_ns();
	for (i = 0; !err && i < n; i++)
		if ((id = pals_type_id(prog, "struct bench_cfg", sizeof(cfg))) < 0)
			err = id;
	t[1] = bench_now_ns();
	for (i = 0; !err && i < n; i++)
		err = pals_ctx__create(ctx, prog_fd, id, &cfg, sizeof(cfg), NULL,
				       &handles[i]);
	t[2] = bench_now_ns();
	for (i = 0; !err && i < n; i++)
		if (!(links[i] = k->plain(prog, handles[i])))
			err = -errno;
	t[3] = bench_now_ns();
	for (i = 0; !err && i < n; i++)
		err = pals_ctx__bind(ctx, handles[i], bpf_link__fd(links[i]));
	t[4] = bench_now_ns();
	for (i = 0; i < n && handles && handles[i]; i++)
		pals_ctx__delete(ctx, handles[i]);
	for (i = 0; links && i < n; i++)
		bpf_link__destroy(links[i]);
	free(handles);
	free(links);
	if (!err)
		fprintf(b->out, "{\"test\":\"attach_phases\",\"meter\":\"%s\","
			"\"kind\":\"%s\",\"n\":%u,\"round\":%d,\"type_ns\":%llu,"
			"\"create_ns\":%llu,\"attach_ns\":%llu,\"bind_ns\":%llu}\n",
			b->meter_name, k->name, n, round,
			(unsigned long long)(t[1] - t[0]),
			(unsigned long long)(t[2] - t[1]),
			(unsigned long long)(t[3] - t[2]),
			(unsigned long long)(t[4] - t[3]));
	return err;
}

int bench_attach(const struct bench *b)
{
	struct bench_attach *skel = bench_attach__open_and_load();
	struct pals_ctx *ctx = pals_ctx__new(NULL);
	int round, err = skel && ctx ? 0 : -errno;
	/* Deterministic under icount: one round. */
	int rounds = b->meter == BENCH_ICOUNT ? 1 : 3;
	const struct bpf_program *prog;
	size_t i, k;

	for (round = 0; !err && round < rounds; round++) {
		for (k = 0; !err && k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			prog = bpf_object__find_program_by_name(skel->obj,
								kinds[k].prog);
			for (i = 0; !err && i < sizeof(counts) / sizeof(counts[0]); i++)
				err = plain(b, &kinds[k], prog, counts[i], round) ?:
				      with_pals(b, &kinds[k], prog, ctx, counts[i], round) ?:
				      /* kprobes: 36 s more teardown for the same */
				      (strcmp(kinds[k].name, "raw_tp") ? 0 :
				       phases(b, &kinds[k], prog, ctx, counts[i], round));
		}
	}
	if (err)
		fprintf(stderr, "bench: attach: %s (%s)\n", strerror(-err),
			pals_last_error());
	pals_ctx__free(ctx);
	bench_attach__destroy(skel);
	return err;
}
