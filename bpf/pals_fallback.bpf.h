/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The map fallback of pals_get(), for kernels without pals.ko: included
 * by pals.bpf.h, not by programs.
 *
 * pals_object__prepare() (libpals, between open and load) chooses the
 * mode. With the module it leaves pals_fallback 0 and shrinks the map to
 * one small entry: the verifier then removes the fallback's code, and
 * pals_get() is the kfunc call alone. Without it, libpals sets
 * pals_fallback, which removes the kfunc call (an unresolved weak kfunc),
 * sizes the map's values to the largest blob the object's programs ask
 * for and fills it: key the handle (the BPF cookie), value a header and
 * the blob's bytes. A blob is returned only if its header names the type
 * and size the caller asks for, as the kfunc checks them.
 *
 * Both are weak: several objects linked into one (bpftool gen object)
 * share them.
 */
#ifndef __PALS_FALLBACK_BPF_H
#define __PALS_FALLBACK_BPF_H

#include <bpf/bpf_helpers.h>

#include "pals_fallback.h"

const volatile __u32 pals_fallback __weak = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	/* sizes, not BTF types: libpals changes the value's size */
	__uint(key_size, sizeof(__u64));
	__uint(value_size, sizeof(struct pals_fb_hdr));
	__uint(max_entries, 1);
} pals_blobs SEC(".maps") __weak;

static __always_inline __u8 *pals_fb_get(__u64 handle, __u32 type_id,
					 __u32 size)
{
	struct pals_fb_hdr *h = bpf_map_lookup_elem(&pals_blobs, &handle);

	if (!h || h->type_id != type_id || h->size != size)
		return (__u8 *)0;
	return (__u8 *)(h + 1);
}

#endif /* __PALS_FALLBACK_BPF_H */
