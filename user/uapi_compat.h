/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF uapi newer than the build host's linux/bpf.h (Debian 12 ships 6.1's).
 * Values and layouts are kernel ABI, from include/uapi/linux/bpf.h of 7.3.
 */
#ifndef __LIBPALS_UAPI_COMPAT_H
#define __LIBPALS_UAPI_COMPAT_H

#include <linux/types.h>

enum {
	PALS_BPF_TRACE_FENTRY_MULTI = 59,
	PALS_BPF_TRACE_FEXIT_MULTI = 60,
	PALS_BPF_TRACE_FSESSION_MULTI = 61,
};

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

#endif /* __LIBPALS_UAPI_COMPAT_H */
