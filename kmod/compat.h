/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel differences, in one place: the rest of the module is written
 * against the newest kernel and includes this first. Each difference is
 * tested by feature, a macro or a probe of the headers in Kbuild, which
 * also stops the build below the floor.
 */
#ifndef _PALS_COMPAT_H
#define _PALS_COMPAT_H

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
/* 7.x builds Tasks Trace RCU on SRCU-fast: its header needs srcu.h first. */
#include <linux/srcu.h>
#include <linux/rcupdate_trace.h>

/* 6.13 renamed it when doit handlers gained a context too. */
#ifndef NL_ASSERT_CTX_FITS
#define NL_ASSERT_CTX_FITS(type_name)	NL_ASSERT_DUMP_CTX_FITS(type_name)
#endif

/*
 * 6.13 made symbol namespaces string literals; MODULE_IMPORT_NS() took a
 * bare token before. Both expand to this modinfo tag.
 */
#define PALS_IMPORT_NS(ns)	MODULE_INFO(import_ns, ns)

/*
 * Freeing what BPF programs may still read. Non-sleepable programs run
 * under rcu_read_lock(), sleepable ones under rcu_read_lock_trace(), so
 * memory they reach is freed after both grace periods: after a Tasks
 * Trace grace period, and after an RCU one unless the first implies it.
 *
 * 6.x: Tasks Trace RCU is a flavour of its own; rcu_trace_implies_rcu_gp()
 * reports whether its grace period also waits for rcu_read_lock() readers
 * (it does, by an implementation choice that the helper guards).
 *
 * 7.x: Tasks Trace RCU is the SRCU-fast domain rcu_tasks_trace_srcu_struct
 * (call_rcu_tasks_trace() is call_srcu()). Fast readers issue no memory
 * barrier, so each SRCU-fast grace period orders them with
 * synchronize_rcu() (srcu_readers_active_idx_check()): it always implies
 * an RCU grace period, the helper was dropped, and the BPF core frees
 * sleepable programs' memory on that basis alone. Kbuild tells which.
 */
#ifndef PALS_HAVE_RCU_TRACE_IMPLIES_RCU_GP
static inline bool rcu_trace_implies_rcu_gp(void)
{
	return true;
}
#endif

/*
 * 7.0 lets a kfunc learn its caller: a last struct bpf_prog_aux * argument
 * of a KF_IMPLICIT_ARGS kfunc is loaded by the verifier with the calling
 * program's aux and hidden from BPF (resolve_btfids publishes the
 * prototype without it, the full one as <kfunc>_impl), so programs call
 * the same three-argument bpf_pals_get() on every kernel. With it the
 * kfunc hands a blob only to programs of the BPF object the blob was made
 * for. 6.12 cannot tell its callers apart; uapi/linux/pals.h states what
 * protects a blob there.
 *
 * The verifier recognises the argument by type identity with vmlinux's
 * struct bpf_prog_aux and otherwise leaves the register as the program
 * had it, so the argument is declared only where Kbuild found that
 * pahole resolves the module's copy of the type to vmlinux's.
 */
#if defined(KF_IMPLICIT_ARGS) && defined(PALS_HAVE_BTF_CALLER)
#define PALS_KNOWS_CALLER
#define PALS_KF_CALLER			KF_IMPLICIT_ARGS
#define PALS_KFUNC_PARAMS(...)		(__VA_ARGS__, struct bpf_prog_aux *caller)
#define PALS_CALLER_BTF			(caller->btf)
#else
#define PALS_KF_CALLER			0
#define PALS_KFUNC_PARAMS(...)		(__VA_ARGS__)
#define PALS_CALLER_BTF			NULL
#endif

/*
 * Tracing attach types with a BPF cookie that came after 6.12: the
 * fentry/fexit session and the tracing multi-link (fentry, fexit and
 * session over many functions, one cookie each), both in 7.x.
 */
static inline bool pals_tracing_new_has_cookie(enum bpf_attach_type type)
{
#ifdef PALS_HAVE_TRACING_MULTI
	switch (type) {
	case BPF_TRACE_FSESSION:
	case BPF_TRACE_FENTRY_MULTI:
	case BPF_TRACE_FEXIT_MULTI:
	case BPF_TRACE_FSESSION_MULTI:
		return true;
	default:
		break;
	}
#endif
	return false;
}

#endif /* _PALS_COMPAT_H */
