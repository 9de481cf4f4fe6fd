/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * PALS for BPF programs: per-attach local storage.
 *
 *	#include <pals/pals.bpf.h>
 *
 *	struct open_cfg { __u64 calls; __u32 threshold; };
 *
 *	SEC("kprobe")
 *	int handler(struct pt_regs *ctx)
 *	{
 *		struct open_cfg *cfg = pals_get(ctx, struct open_cfg);
 *
 *		if (!cfg)
 *			return 0;
 *		__sync_fetch_and_add(&cfg->calls, 1);
 *		...
 *	}
 *
 * pals_get() returns the blob that userspace (libpals) created for this
 * attachment and passed as its BPF cookie, or NULL when there is none:
 * the program was attached without PALS, the blob was deleted, or it was
 * created with another type or size than T (the type is matched by BTF
 * id in this program's BTF, so name the same type as the loader: a
 * typedef and the struct it names are different types here).
 * Always test for NULL; the verifier insists.
 *
 * The blob is shared by every CPU and every concurrent run of the program
 * at this attach point: use atomics (__sync_fetch_and_add) for counters,
 * or create it per-CPU (PALS_F_PERCPU) and take this CPU's copy with
 * pals_get_percpu(ctx, T), which needs no atomics for what only programs
 * running on this CPU touch (as a PERCPU_ARRAY value); pals_get() gives
 * NULL for a per-CPU blob, and pals_get_percpu() for a shared one (and
 * on the map fallback, which has no per-CPU blobs). When
 * userspace updates the blob, a new copy replaces the old one: a program
 * that still runs on the old copy may finish, but its writes are lost.
 *
 * Works in kprobe/kretprobe, uprobe/uretprobe (sleepable too),
 * kprobe_multi, uprobe_multi, USDT, tracepoint, raw_tp, tp_btf,
 * perf_event, fentry/fexit/fmod_ret and LSM programs.
 *
 * pals_lookup(handle, T) reads any blob by its handle, for example one
 * whose handle userspace stored in this attachment's blob. The blob must
 * have been created for a program of the same BPF object (type ids are
 * those of the object's BTF; on 7.x the kfunc also checks that the
 * caller's object is the blob's, and gives other objects' programs NULL).
 *
 * Without pals.ko (a kernel it does not build for, a machine without it)
 * the same program finds its blobs in a map that libpals sizes and fills
 * (pals_fallback.bpf.h): call pals_object__prepare() between open and
 * load, which chooses the mode. The kfunc is weak: pals_available() tells
 * at load time whether either way is there, and a program that tests it
 * loads with neither.
 *
 * Linking several objects that include this header (bpftool gen object)
 * fails with libbpf's linker before the fix "libbpf: do not resolve size
 * on duplicate FUNCs" (commit 4b146e95da87, Linux 6.13; Debian's bpftool
 * 7.5 still has the bug): "global 'bpf_pals_get': failed to resolve size
 * of underlying type". Work around it by defining PALS_BPF_KFUNC_ELSEWHERE
 * before including this header in every object but the one given first
 * to bpftool gen object: those then declare the kfunc as a plain extern
 * function, which the linker binds to the first object's kfunc.
 */
#ifndef __PALS_BPF_H
#define __PALS_BPF_H

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "pals_fallback.bpf.h"

#ifdef PALS_BPF_KFUNC_ELSEWHERE
extern __u8 *bpf_pals_get(__u64 handle, __u32 type_id__k,
			  const int rdwr_buf_size) __weak;
extern __u8 *bpf_pals_get_percpu(__u64 handle, __u32 type_id__k,
				 const int rdwr_buf_size) __weak;
#else
extern __u8 *bpf_pals_get(__u64 handle, __u32 type_id__k,
			  const int rdwr_buf_size) __ksym __weak;
extern __u8 *bpf_pals_get_percpu(__u64 handle, __u32 type_id__k,
				 const int rdwr_buf_size) __ksym __weak;
#endif

/* The kfunc, or the map where libpals chose the fallback before load. */
static __always_inline __u8 *__pals_get(__u64 handle, __u64 type_id,
					const int rdwr_buf_size)
{
	if (pals_fallback)
		return pals_fb_get(handle, type_id, rdwr_buf_size);
	return bpf_pals_get(handle, type_id, rdwr_buf_size);
}

/* Whether pals_get() can find blobs: the module's kfunc, or the map. */
#define pals_available()	(pals_fallback || bpf_ksym_exists(bpf_pals_get))

/* The blob of type T with this handle, or NULL. */
#define pals_lookup(handle, T)						\
	((T *)__pals_get(handle, bpf_core_type_id_local(T), sizeof(T)))

/* The blob of type T for this attachment, or NULL. */
#define pals_get(ctx, T)	pals_lookup(bpf_get_attach_cookie(ctx), T)

/* The per-CPU kfunc; the map fallback has no per-CPU blobs: NULL. */
static __always_inline __u8 *__pals_get_percpu(__u64 handle, __u32 type_id,
					       const int rdwr_buf_size)
{
	if (pals_fallback)
		return NULL;
	return bpf_pals_get_percpu(handle, type_id, rdwr_buf_size);
}

/* This CPU's copy of the per-CPU blob of type T with this handle, or NULL. */
#define pals_lookup_percpu(handle, T)					\
	((T *)__pals_get_percpu(handle, bpf_core_type_id_local(T), sizeof(T)))

/* This CPU's copy of the per-CPU blob of type T for this attachment. */
#define pals_get_percpu(ctx, T)						\
	pals_lookup_percpu(bpf_get_attach_cookie(ctx), T)

#endif /* __PALS_BPF_H */
