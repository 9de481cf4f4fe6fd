// SPDX-License-Identifier: GPL-2.0
/* The BPF side: bpf_pals_get() and its registration. */
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/percpu.h>

#include "pals.h"

/* Calls that got NULL. Hits are not counted: they are the hot path. */
static DEFINE_PER_CPU(u64, pals_kfunc_misses);

__bpf_kfunc_start_defs();

/*
 * bpf_pals_get() - the blob of an attachment
 * @handle: the blob's handle, normally bpf_get_attach_cookie(ctx)
 * @type_id__k: the blob's BTF type id in the program's BTF (a constant)
 * @rdwr_buf_size: sizeof the type; the verifier bounds accesses to it
 * @caller: (7.x, hidden from BPF) the calling program, see compat.h
 *
 * The hot path: a table load, three compares (four where the caller is
 * known, with one load more: the blob's kind, see pals.h) and no counter
 * on a hit (see table.c). notrace leaves out even
 * the ftrace call site; kprobes still work.
 *
 * Return: the blob's bytes if @handle is live, both the type and the size
 * are the ones the blob was created with and, where the kernel names the
 * caller, the caller belongs to the blob's BPF object; NULL otherwise.
 */
__bpf_kfunc notrace u8 *
bpf_pals_get PALS_KFUNC_PARAMS(u64 handle, u32 type_id__k,
			       const int rdwr_buf_size)
{
	struct pals_blob *blob = pals_table_lookup(handle);

	if (likely(blob->handle == handle &&
		   pals_blob_kind(blob)->type_id == type_id__k &&
		   pals_blob_kind(blob)->size == (u32)rdwr_buf_size &&
		   pals_blob_of_object(blob, PALS_CALLER_BTF)))
		return blob->data;
	this_cpu_inc(pals_kfunc_misses);
	return NULL;
}

/*
 * bpf_pals_get_percpu() - this CPU's copy of a per-CPU blob (percpu.c)
 * @handle, @type_id__k, @rdwr_buf_size, @caller: as for bpf_pals_get()
 *
 * A kfunc of its own, which leaves bpf_pals_get() as it was. The handle
 * compared is the one a per-CPU blob's copy carries, its lowest bit
 * flipped (see pals.h): a shared blob's never matches, nor a hole's,
 * whose type has no PALS_TYPE_PERCPU, and which is tested before the
 * bytes are read.
 *
 * The copy is the running CPU's: BPF programs run with migration
 * disabled, sleepable ones too (the trampoline's and uprobe's
 * migrate_disable()), so the program keeps to this CPU's copy for as
 * long as it runs, and this_cpu_ptr() may be used without preemption
 * disabled. Two programs, or two runs of one (an interrupt or a sleep
 * between), may still share the copy: atomics or not, as for a
 * PERCPU_ARRAY.
 *
 * Return: this CPU's copy if @handle is a live per-CPU blob of this type
 * and size (and, where known, the caller's BPF object); NULL otherwise.
 */
__bpf_kfunc notrace u8 *
bpf_pals_get_percpu PALS_KFUNC_PARAMS(u64 handle, u32 type_id__k,
				      const int rdwr_buf_size)
{
	struct pals_blob *blob = pals_table_lookup(handle);
	const struct pals_percpu *pc = (const struct pals_percpu *)blob->data;

	if (likely(blob->handle == (handle ^ PALS_PERCPU_MARK) &&
		   pals_blob_kind(blob)->type_id == (type_id__k | PALS_TYPE_PERCPU) &&
		   pc->size == (u32)rdwr_buf_size &&
		   pals_blob_of_object(blob, PALS_CALLER_BTF)))
		return this_cpu_ptr(pc->area);
	this_cpu_inc(pals_kfunc_misses);
	return NULL;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(pals_kfunc_ids)
BTF_ID_FLAGS(func, bpf_pals_get, KF_RET_NULL | PALS_KF_CALLER)
BTF_ID_FLAGS(func, bpf_pals_get_percpu, KF_RET_NULL | PALS_KF_CALLER)
BTF_KFUNCS_END(pals_kfunc_ids)

/* Program kinds that have a BPF cookie. */
bool pals_prog_has_cookie(const struct bpf_prog *prog)
{
	switch (prog->type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return true;
	case BPF_PROG_TYPE_LSM:
		/* Attached per cgroup, without a cookie. */
		return prog->expected_attach_type != BPF_LSM_CGROUP;
	case BPF_PROG_TYPE_TRACING:
		switch (prog->expected_attach_type) {
		case BPF_TRACE_FENTRY:
		case BPF_TRACE_FEXIT:
		case BPF_MODIFY_RETURN:
		case BPF_TRACE_RAW_TP:
			return true;
		default:
			return pals_tracing_new_has_cookie(prog->expected_attach_type);
		}
	default:
		return false;
	}
}

static int pals_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	return pals_prog_has_cookie(prog) ? 0 : -EACCES;
}

/* RAW_TRACEPOINT has no hook of its own: register for all, then filter. */
static const struct btf_kfunc_id_set pals_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &pals_kfunc_ids,
	.filter	= pals_kfunc_filter,
};

int pals_kfunc_init(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_UNSPEC, &pals_kfunc_set);
}

u64 pals_kfunc_misses_read(void)
{
	u64 misses = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		misses += READ_ONCE(*per_cpu_ptr(&pals_kfunc_misses, cpu));
	return misses;
}
