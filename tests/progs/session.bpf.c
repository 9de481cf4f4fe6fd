// SPDX-License-Identifier: GPL-2.0
/*
 * Session programs: the entry run counts the call and stores base + its
 * number in the session cookie; the return run reads it back. Both runs
 * see the same blob. Driven by test_session.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pals.bpf.h"
#include "pals_session.bpf.h"
#include "session_blob.h"

int target_pid;
__u64 nulls;

static __always_inline int session(void *ctx)
{
	struct session_blob *b;
	__u64 *cookie, n;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 1;
	b = pals_get(ctx, struct session_blob);
	cookie = pals_session_cookie(ctx);
	if (!b || !cookie) {
		__sync_fetch_and_add(&nulls, 1);
		return 1;
	}
	if (!pals_session_is_return(ctx)) {
		n = __sync_fetch_and_add(&b->entries, 1) + 1;
		*cookie = b->base + n;
		return b->skip ? 1 : 0;
	}
	__sync_fetch_and_add(&b->returns, 1);
	if (*cookie <= b->base || *cookie > b->base + b->entries)
		__sync_fetch_and_add(&b->bad_cookies, 1);
	b->last_cookie = *cookie;
	return 0;
}

SEC("kprobe.session")
int on_kprobe_session(struct pt_regs *ctx) { return session(ctx); }

/* For pals_attach(), which takes the target from the section. */
SEC("kprobe.session/__x64_sys_getpgid")
int on_kprobe_session_auto(struct pt_regs *ctx) { return session(ctx); }

/* Loaded only where the kernel has uprobe sessions (6.13+). */
SEC("?uprobe.session")
int on_uprobe_session(struct pt_regs *ctx) { return session(ctx); }

/* Not a session program: asking for a session link with it fails. */
SEC("kprobe.multi")
int on_kprobe_multi(struct pt_regs *ctx)
{
	return pals_get(ctx, struct session_blob) ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
