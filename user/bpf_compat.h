/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uapi values newer than the host's linux/bpf.h or libbpf may know.
 * Values are the kernel's ABI: include/uapi/linux/bpf.h, enum
 * bpf_attach_type (kprobe sessions 6.10, uprobe sessions 6.13).
 */
#ifndef __LIBPALS_BPF_COMPAT_H
#define __LIBPALS_BPF_COMPAT_H

#define PALS_TRACE_KPROBE_SESSION	56
#define PALS_TRACE_UPROBE_SESSION	57

#endif /* __LIBPALS_BPF_COMPAT_H */
