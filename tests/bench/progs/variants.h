/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seven variants of the access benchmark, one kprobe program each. They
 * share the body, touch(): read three fields of the attach point's 64-byte
 * struct, write a fourth. They differ only in how the struct is found from
 * the run's key, BENCH_KEY(ctx), which the including file defines:
 *
 *   empty	nothing at all (the floor)
 *   key	the key only, stored so that it is not optimised away
 *   array	key -> ARRAY map lookup (libbpf USDT specs)
 *   hash	key -> HASH map lookup (Retis)
 *   global	key -> index into a global array resized at load (retsnoop)
 *   pals	key -> bpf_pals_get(), i.e. pals_get() with this key
 *   fallback	key -> pals_get()'s map fallback (pals_fallback.bpf.h), as
 *		without pals.ko: an ARRAY lookup by the handle's slot and the
 *		check of handle, type and size
 *
 * The driver sizes cfg_array, cfg_hash, pals_blobs and cfgs[] to the
 * attach point count before loading, and sets cfg_cnt to it.
 */
#ifndef __PALS_BENCH_VARIANTS_H
#define __PALS_BENCH_VARIANTS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "bench_cfg.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_cfg);
} cfg_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, struct bench_cfg);
} cfg_hash SEC(".maps");

const volatile __u32 cfg_cnt = 1;
struct bench_cfg cfgs[1] SEC(".data.cfgs");
__u64 sink;
__u64 misses;		/* runs that found no struct: the driver checks 0 */

static __always_inline int touch(struct bench_cfg *c)
{
	if (!c) {
		misses++;
		return 0;
	}
	c->out = c->a + c->b + c->c;
	return 0;
}

SEC("kprobe")
int empty(void *ctx)
{
	return 0;
}

SEC("kprobe")
int key(void *ctx)
{
	sink = BENCH_KEY(ctx);
	return 0;
}

SEC("kprobe")
int array(void *ctx)
{
	__u32 k = BENCH_KEY(ctx);

	return touch(bpf_map_lookup_elem(&cfg_array, &k));
}

SEC("kprobe")
int hash(void *ctx)
{
	__u64 k = BENCH_KEY(ctx);

	return touch(bpf_map_lookup_elem(&cfg_hash, &k));
}

SEC("kprobe")
int global(void *ctx)
{
	__u64 k = BENCH_KEY(ctx);

	if (k >= cfg_cnt)
		return 0;
	return touch(&cfgs[k]);
}

SEC("kprobe")
int pals(void *ctx)
{
	return touch((struct bench_cfg *)
		     bpf_pals_get(BENCH_KEY(ctx),
				  bpf_core_type_id_local(struct bench_cfg),
				  sizeof(struct bench_cfg)));
}

SEC("kprobe")
int fallback(void *ctx)
{
	return touch((struct bench_cfg *)
		     pals_fb_get(BENCH_KEY(ctx),
				 bpf_core_type_id_local(struct bench_cfg),
				 sizeof(struct bench_cfg)));
}

char LICENSE[] SEC("license") = "GPL";

#endif /* __PALS_BENCH_VARIANTS_H */
