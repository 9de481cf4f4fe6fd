/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Session programs (kprobe.session, uprobe.session): one program runs at
 * a function's entry and at its return; returning non-zero from the
 * entry run skips the return run.
 *
 *	SEC("kprobe.session")
 *	int handler(struct pt_regs *ctx)
 *	{
 *		struct cfg *cfg = pals_get(ctx, struct cfg);
 *		__u64 *start = pals_session_cookie(ctx);
 *
 *		if (!cfg || !start)
 *			return 1;
 *		if (!pals_session_is_return(ctx)) {
 *			*start = bpf_ktime_get_ns();
 *			return 0;
 *		}
 *		... bpf_ktime_get_ns() - *start ...
 *	}
 *
 * The loader calls pals_object__prepare() before load and attaches with
 * pals_attach_kprobe_multi() / pals_attach_uprobe_multi().
 *
 * The kfuncs took no argument until the kernel added fentry/fexit
 * sessions and then the program's context: both prototypes are declared
 * weak, and the one the kernel has is called.
 */
#ifndef __PALS_SESSION_BPF_H
#define __PALS_SESSION_BPF_H

#include <bpf/bpf_helpers.h>

extern __u64 *bpf_session_cookie___noctx(void) __ksym __weak;
extern bool bpf_session_is_return___noctx(void) __ksym __weak;
extern __u64 *bpf_session_cookie___ctx(void *ctx) __ksym __weak;
extern bool bpf_session_is_return___ctx(void *ctx) __ksym __weak;

/* The session's 8 bytes: what the entry run stores, the return run reads. */
static __always_inline __u64 *pals_session_cookie(void *ctx)
{
	if (bpf_ksym_exists(bpf_session_cookie___ctx))
		return bpf_session_cookie___ctx(ctx);
	return bpf_session_cookie___noctx();
}

/* Whether this run is the return run. */
static __always_inline bool pals_session_is_return(void *ctx)
{
	if (bpf_ksym_exists(bpf_session_is_return___ctx))
		return bpf_session_is_return___ctx(ctx);
	return bpf_session_is_return___noctx();
}

#endif /* __PALS_SESSION_BPF_H */
