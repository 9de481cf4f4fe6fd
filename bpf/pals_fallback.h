/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The map fallback's layout, shared by libpals and BPF programs. */
#ifndef __PALS_FALLBACK_H
#define __PALS_FALLBACK_H

/* __u32: from linux/types.h, or vmlinux.h in BPF programs. */

/* The map and the .rodata flag, as named in pals_fallback.bpf.h. */
#define PALS_FB_MAP	"pals_blobs"
#define PALS_FB_FLAG	"pals_fallback"

/* A value of the map: this header, then the blob's bytes. */
struct pals_fb_hdr {
	__u32 type_id;	/* in the program's BTF */
	__u32 size;	/* of the blob */
};

#endif /* __PALS_FALLBACK_H */
