/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uapi values newer than the host's linux/bpf.h or libbpf may know.
 * Values are the kernel's ABI: include/uapi/linux/bpf.h, enum
 * bpf_attach_type (kprobe sessions 6.10, uprobe sessions 6.13, the
 * tracing multi-link 7.x) and union bpf_attr.
 */
#ifndef __LIBPALS_BPF_COMPAT_H
#define __LIBPALS_BPF_COMPAT_H

#define PALS_TRACE_KPROBE_SESSION	56
#define PALS_TRACE_UPROBE_SESSION	57
#define PALS_TRACE_FENTRY_MULTI		59
#define PALS_TRACE_FEXIT_MULTI		60
#define PALS_TRACE_FSESSION_MULTI	61

#include <linux/types.h>

/* union bpf_attr's link_create for the tracing multi-link. */
struct pals_link_create_tracing_multi {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__aligned_u64 ids;		/* BTF ids of vmlinux functions */
	__aligned_u64 cookies;
	__u32 cnt;
};

#endif /* __LIBPALS_BPF_COMPAT_H */
