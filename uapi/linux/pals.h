/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * PALS: per-attach local storage for BPF programs.
 *
 * A blob is a typed byte buffer owned by the pals module for one
 * (BPF program, attach point) pair. Userspace creates it over the generic
 * netlink family below, passes its handle as the BPF cookie when creating
 * the link, and binds the blob to that link. The program then reads and
 * writes it with the kfunc
 *
 *	__u8 *bpf_pals_get(__u64 handle, __u32 type_id__k, const int rdwr_buf_size);
 *
 * which returns the blob only when the handle is live and both the BTF type
 * id and the size match the ones given at creation; otherwise NULL.
 *
 * Family: PALS_GENL_NAME, version PALS_GENL_VERSION. Every command needs
 * CAP_BPF or CAP_SYS_ADMIN. Attributes are validated strictly: an attribute
 * that a command does not use, a flag outside PALS_F_ALL or a wrong length
 * is rejected with an extended ack message naming the attribute.
 *
 * Commands (request attributes; [] = optional):
 *
 * PALS_CMD_CREATE	PROG_FD, TYPE_ID, DATA..., [FLAGS]
 *	Create a blob for the program. TYPE_ID is a type id in the program's
 *	BTF; it must resolve through typedef/const/volatile/restrict/type_tag
 *	to a struct or union whose size equals the data length, which must be
 *	1 .. PALS_A_STAT_MAX_SIZE bytes. The program must be a tracing kind
 *	with a BPF cookie (kprobe, uprobe, tracepoint, raw_tp, perf_event,
 *	fentry/fexit/fmod_ret, tp_btf, LSM). FLAGS may hold PALS_F_PINNED.
 *	Reply: HANDLE and the attributes of PALS_CMD_GET without DATA.
 * PALS_CMD_BIND	HANDLE, LINK_FD
 *	Take a reference on the link: from now on the blob and the link live
 *	and die together. The link's program must be the blob's program. A
 *	blob is bound at most once; a link may carry many blobs.
 * PALS_CMD_UPDATE	HANDLE, DATA...
 *	Replace the bytes atomically: a new copy is published with RCU, so a
 *	program sees the old or the new bytes, never a mix. Writes a program
 *	makes to the old copy after the swap are lost. Same size required.
 * PALS_CMD_GET		HANDLE
 *	Reply: HANDLE, PROG_ID, [LINK_ID], TYPE_ID, SIZE, OWNER_PID, FLAGS,
 *	DATA... (a snapshot; programs may be writing concurrently).
 *	With NLM_F_DUMP and no HANDLE: one message per blob, without DATA.
 * PALS_CMD_DELETE	HANDLE
 *	Unpublish, release the link reference, free after RCU grace periods.
 * PALS_CMD_PIN / PALS_CMD_UNPIN	HANDLE
 *	A pinned blob survives the socket that created it; it is deleted
 *	explicitly (or on module unload). Unpinning gives it back to its
 *	owner socket or, if that one is gone, to the caller's socket: it
 *	then dies with that one.
 * PALS_CMD_STATS	(none)
 *	Reply: the PALS_A_STAT_* attributes.
 *
 * Ownership: a blob belongs to the netlink socket that created it and is
 * destroyed when that socket is released, unless pinned. Only the owner
 * socket or a CAP_SYS_ADMIN caller may update, delete, pin or unpin it.
 *
 * Data: a blob may be larger than one attribute can carry (nla_len is 16
 * bits), so its bytes travel as one or more PALS_A_DATA attributes in
 * order, concatenated; each carries at most PALS_DATA_CHUNK_MAX bytes.
 *
 * Handle layout: bits 0-31 are the slot index, bits 32-63 the slot's
 * generation, which is never 0 and changes each time the slot is freed,
 * so a handle is never 0 and a stale handle does not match a later blob
 * (until the 32-bit generation wraps).
 *
 * Errors: EPERM (capability or ownership), ENOENT (no such blob), EINVAL
 * (missing or bad attribute, a program kind without a cookie, wrong
 * program or link), EBADF (fd not open), EBUSY (already bound), E2BIG
 * (size over the limit), ENOSPC (byte cap or slot table full).
 */
#ifndef _UAPI_LINUX_PALS_H
#define _UAPI_LINUX_PALS_H

#include <linux/types.h>

#define PALS_GENL_NAME		"pals"
#define PALS_GENL_VERSION	1

#define PALS_HANDLE_INDEX_BITS	20
#define PALS_HANDLE_INDEX(h)	((__u32)((h) & ((1ULL << PALS_HANDLE_INDEX_BITS) - 1)))
#define PALS_HANDLE_TAG(h)	((__u64)(h) >> PALS_HANDLE_INDEX_BITS)

/* Largest payload of one PALS_A_DATA attribute: 16-bit nla_len, aligned. */
#define PALS_DATA_CHUNK_MAX	65528

/* Default module limits (module parameters max_size and max_bytes). */
#define PALS_DEFAULT_MAX_SIZE	65536
/* The largest max_size the module accepts. */
#define PALS_SIZE_LIMIT		(1 << 20)
#define PALS_DEFAULT_MAX_BYTES	(256 << 20)

enum pals_cmd {
	PALS_CMD_UNSPEC,
	PALS_CMD_CREATE,
	PALS_CMD_BIND,
	PALS_CMD_UPDATE,
	PALS_CMD_GET,
	PALS_CMD_DELETE,
	PALS_CMD_PIN,
	PALS_CMD_UNPIN,
	PALS_CMD_STATS,

	__PALS_CMD_MAX,
	PALS_CMD_MAX = __PALS_CMD_MAX - 1
};

enum pals_flags {
	PALS_F_PINNED	= 1U << 0,
};
#define PALS_F_ALL	(PALS_F_PINNED)

enum pals_attr {
	PALS_A_UNSPEC,
	PALS_A_PAD,
	PALS_A_HANDLE,		/* u64 */
	PALS_A_PROG_FD,		/* u32 */
	PALS_A_LINK_FD,		/* u32 */
	PALS_A_TYPE_ID,		/* u32, in the program's BTF */
	PALS_A_DATA,		/* binary, may repeat (see "Data") */
	PALS_A_FLAGS,		/* u32, PALS_F_* */
	PALS_A_PROG_ID,		/* u32, reply */
	PALS_A_LINK_ID,		/* u32, reply, present when bound */
	PALS_A_SIZE,		/* u32, reply */
	PALS_A_OWNER_PID,	/* u32, reply: creator's tgid */
	PALS_A_STAT_BLOBS,	/* u64, reply: live blobs */
	PALS_A_STAT_BYTES,	/* u64, reply: bytes of live blob data */
	PALS_A_STAT_CREATES,	/* u64, reply */
	PALS_A_STAT_DELETES,	/* u64, reply */
	PALS_A_STAT_MISSES,	/* u64, reply: kfunc calls that got NULL */
	PALS_A_STAT_MAX_SIZE,	/* u64, reply: per-blob size limit */
	PALS_A_STAT_MAX_BYTES,	/* u64, reply: total bytes limit */
	PALS_A_STAT_OVERHEAD,	/* u64, reply: kernel bytes per blob besides data */

	__PALS_A_LAST,
	PALS_A_MAX = __PALS_A_LAST - 1
};

#endif /* _UAPI_LINUX_PALS_H */
