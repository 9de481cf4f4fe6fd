/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The map fallback of pals_get(), for kernels without pals.ko: included
 * by pals.bpf.h, not by programs.
 *
 * pals_object__prepare() (libpals, between open and load) chooses the
 * mode. With the module it leaves pals_fallback 0 and shrinks the maps to
 * one small entry: the verifier then removes the fallback's code, and
 * pals_get() is the kfunc call alone. Without it, libpals sets
 * pals_fallback, which removes the kfunc call (an unresolved weak kfunc),
 * sizes the maps' values to the largest blob the object's programs ask
 * for and fills them: each value a header and the blob's bytes. A handle
 * (the BPF cookie) names a slot of the ARRAY, whose lookup the verifier
 * inlines; blobs that find no free slot go to the HASH, keyed by handle,
 * and their handles name no slot. A blob is returned only if its header
 * holds the check word of this very handle (a stale one whose slot was
 * reused gets NULL) and the type and size the caller asks for, as the
 * kfunc checks them: one compare (pals_fallback.h).
 *
 * All are weak: several objects linked into one (bpftool gen object)
 * share them.
 */
#ifndef __PALS_FALLBACK_BPF_H
#define __PALS_FALLBACK_BPF_H

#include <bpf/bpf_helpers.h>

#include "pals_fallback.h"

const volatile __u32 pals_fallback __weak = 0;

/* Sizes, not BTF types: libpals changes the values' size. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct pals_fb_hdr));
	__uint(max_entries, 1);
} pals_blobs SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, sizeof(__u64));
	__uint(value_size, sizeof(struct pals_fb_hdr));
	__uint(max_entries, 1);
} pals_overflow SEC(".maps") __weak;

/*
 * The ARRAY's 4-byte key is the slot: on a little-endian machine, the
 * first half of the handle in memory, so one copy of the handle on the
 * stack is the key of both maps.
 */
static __always_inline __u8 *pals_fb_get(__u64 handle, __u64 type_id,
					 __u32 size)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	struct pals_fb_hdr *h = bpf_map_lookup_elem(&pals_blobs, &handle);
#else
	__u32 slot = PALS_FB_SLOT(handle);
	struct pals_fb_hdr *h = bpf_map_lookup_elem(&pals_blobs, &slot);
#endif

	if (!h)
		h = bpf_map_lookup_elem(&pals_overflow, &handle);
	if (!h || h->check != PALS_FB_CHECK(handle, type_id, size) ||
	    (size >= PALS_FB_SIZE_BIG && h->size != size))
		return (__u8 *)0;
	return (__u8 *)(h + 1);
}

#endif /* __PALS_FALLBACK_BPF_H */
