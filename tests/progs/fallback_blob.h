/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __FALLBACK_BLOB_H
#define __FALLBACK_BLOB_H

struct fb_blob {
	__u64 hits;
	__u32 tag;
	__u32 pad;
};

struct fb_big {
	__u8 bytes[300];
	__u8 last;
};

#endif /* __FALLBACK_BLOB_H */
