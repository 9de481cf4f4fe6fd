/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The map fallback's layout, shared by libpals and BPF programs. */
#ifndef __PALS_FALLBACK_H
#define __PALS_FALLBACK_H

/* __u32: from linux/types.h, or vmlinux.h in BPF programs. */

/*
 * The maps and the .rodata flag, as named in pals_fallback.bpf.h: an
 * ARRAY of slots, and a HASH for the blobs that find no free slot.
 */
#define PALS_FB_MAP		"pals_blobs"
#define PALS_FB_OVERFLOW	"pals_overflow"
#define PALS_FB_FLAG		"pals_fallback"

/*
 * A fallback handle: a serial number that is never 0 and never reused
 * by its pals_ctx (high 32 bits), and the blob's slot in the ARRAY (low
 * 32 bits), or PALS_FB_NO_SLOT for a blob in the HASH, keyed by handle.
 */
#define PALS_FB_NO_SLOT		0xffffffffU
#define PALS_FB_HANDLE(serial, slot)	((__u64)(serial) << 32 | (slot))
#define PALS_FB_SERIAL(handle)		((__u32)((handle) >> 32))
#define PALS_FB_SLOT(handle)		((__u32)(handle))

/* A blob's type id (in the program's BTF) and size, as its header holds them. */
#define PALS_FB_TYPE_SIZE(type_id, size)	((__u64)(type_id) << 32 | (size))

/*
 * A value of either map: this header, then the blob's bytes. @handle is
 * the one the value holds now (0: a free slot): a stale handle, whose
 * slot another blob took, does not match it. Two 64-bit words, so that
 * a program checks them with two compares.
 */
struct pals_fb_hdr {
	__u64 handle;
	__u64 type_size;	/* PALS_FB_TYPE_SIZE() */
};

#endif /* __PALS_FALLBACK_H */
