/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Session links (kprobe.session, uprobe.session), made without libbpf. */
#ifndef __LIBPALS_SESSION_H
#define __LIBPALS_SESSION_H

#include <sys/types.h>
#include <bpf/libbpf.h>

/* The session attach type @prog was loaded with, or 0 if none. */
enum bpf_attach_type pals_session_type(const struct bpf_program *prog);

/*
 * A session link of @prog over kernel functions @syms, following at
 * least @max_active calls in flight: its fd or -errno.
 */
int pals_kprobe_session_link(const struct bpf_program *prog,
			     const char **syms, const __u64 *cookies,
			     size_t cnt, __u32 max_active);

/*
 * A session link of @prog over functions @syms, or file offsets
 * @offsets, of the ELF file @binary (a path): its fd or -errno, after
 * pals_err().
 */
int pals_uprobe_session_link(const struct bpf_program *prog, pid_t pid,
			     const char *binary, const char **syms,
			     const unsigned long *offsets,
			     const __u64 *cookies, size_t cnt);

#endif /* __LIBPALS_SESSION_H */
