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

/*
 * A value of either map: this header, then the blob's bytes. @check is
 * PALS_FB_CHECK() of the handle, type id and size of the blob the value
 * holds now (0: a free slot); @size is the blob's size, which a program
 * reads only for a blob of PALS_FB_SIZE_BIG bytes or more.
 */
struct pals_fb_hdr {
	__u64 check;
	__u64 size;
};

/*
 * One 64-bit compare checks handle, type id and size exactly: the handle
 * plus the type id (a BTF id: below 1 << 20, BTF_MAX_TYPE) plus the size
 * times 1 << 20, a size of PALS_FB_SIZE_BIG or more counted as
 * PALS_FB_SIZE_BIG and compared besides (@size). In the ARRAY, whose
 * index is the handle's slot (below 1 << 19: libpals sizes it to 4 MiB),
 * the sum carries nothing out of the low 32 bits (it stays below 2^31 +
 * 2^19), so its high half is the serial number and its low half slot +
 * type id + size << 20, which less the slot, known, leaves the type id
 * in the low 20 bits and the size above them: each exact. In the HASH,
 * keyed by the handle, the handle is exact and the sum one-to-one in
 * type id and size. A free slot's 0 is no such sum: type ids start at 1.
 * The program adds constants: the type id, which libbpf relocates, and
 * the size shifted, which fits an instruction's immediate.
 */
#define PALS_FB_SIZE_BIG	2047U
#define PALS_FB_SIZE_PART(size)						\
	((__u64)((size) < PALS_FB_SIZE_BIG ? (size) : PALS_FB_SIZE_BIG) << 20)
#define PALS_FB_CHECK(handle, type_id, size)				\
	((__u64)(handle) + (type_id) + PALS_FB_SIZE_PART(size))

#endif /* __PALS_FALLBACK_H */
