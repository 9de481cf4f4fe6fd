// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU blobs: a kprobe counting into its CPU's copy, and a raw_tp run
 * through bpf_prog_test_run that crosses the kfuncs: the shared one on a
 * per-CPU blob, the per-CPU one on a shared blob. Driven by test_percpu.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "percpu_blob.h"
#include "test_blob.h"

int target_pid;
__u64 runs;		/* kprobe runs of target_pid */
__u64 misses;		/* ... that got no per-CPU blob */
__u64 shared_hits;	/* ... whose pals_get() did not give NULL: must stay 0 */
struct percpu_small small;	/* the type in the object's BTF */

SEC("kprobe/__x64_sys_getpgid")
int percpu_count(struct pt_regs *ctx)
{
	struct percpu_blob *b;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	__sync_fetch_and_add(&runs, 1);
	if (pals_get(ctx, struct percpu_blob))
		__sync_fetch_and_add(&shared_hits, 1);
	b = pals_get_percpu(ctx, struct percpu_blob);
	if (!b) {
		__sync_fetch_and_add(&misses, 1);
		return 0;
	}
	/* This CPU's copy: no atomics (migration is disabled). */
	b->hist[b->calls & 7]++;
	b->calls++;
	b->cpu = bpf_get_smp_processor_id() + 1;
	return 0;
}

__u64 percpu_h;		/* a live per-CPU struct percpu_blob */
__u64 shared_h;		/* a live shared struct percpu_blob */
__u64 leaks;		/* crossed calls that returned a pointer: must stay 0 */
__u64 crossed;		/* crossed calls made */
__u64 percpu_ok;	/* the right calls that returned the blob */
__u64 shared_ok;
__u32 cpu;		/* the CPU the last run's percpu copy was taken on */

#define ID(T)	bpf_core_type_id_local(T)

static __always_inline void cross(void *p)
{
	crossed++;
	if (p)
		leaks++;
}

SEC("raw_tp")
int percpu_cross(void *ctx)
{
	struct percpu_blob *b;

	/* bpf_pals_get() on the per-CPU blob, with anything near its handle. */
	cross(bpf_pals_get(percpu_h, ID(struct percpu_blob),
			   sizeof(struct percpu_blob)));
	cross(bpf_pals_get(percpu_h ^ 1, ID(struct percpu_blob),
			   sizeof(struct percpu_blob)));
	cross(bpf_pals_get(percpu_h ^ 1, ID(struct percpu_blob) | 0x80000000,
			   sizeof(struct percpu_blob)));
	cross(bpf_pals_get(percpu_h ^ 1, ID(struct percpu_blob) | 0x80000000,
			   16));
	cross(bpf_pals_get(percpu_h, ID(struct percpu_blob) | 0x80000000, 16));
	/* bpf_pals_get_percpu() on the shared blob, and with the wrong type. */
	cross(bpf_pals_get_percpu(shared_h, ID(struct percpu_blob),
				  sizeof(struct percpu_blob)));
	cross(bpf_pals_get_percpu(shared_h ^ 1, ID(struct percpu_blob),
				  sizeof(struct percpu_blob)));
	cross(bpf_pals_get_percpu(percpu_h ^ 1, ID(struct percpu_blob),
				  sizeof(struct percpu_blob)));
	cross(bpf_pals_get_percpu(percpu_h, ID(struct test_blob),
				  sizeof(struct test_blob)));
	cross(bpf_pals_get_percpu(percpu_h, ID(struct percpu_blob),
				  sizeof(struct percpu_blob) - 8));
	cross(bpf_pals_get_percpu(percpu_h ^ 2, ID(struct percpu_blob),
				  sizeof(struct percpu_blob)));

	b = pals_lookup_percpu(percpu_h, struct percpu_blob);
	if (b) {
		percpu_ok++;
		b->calls++;
		cpu = bpf_get_smp_processor_id();
	}
	if (pals_lookup(shared_h, struct percpu_blob))
		shared_ok++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
