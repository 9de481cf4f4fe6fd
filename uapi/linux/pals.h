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
 * Family: PALS_GENL_NAME, version PALS_GENL_VERSION. Every command and dump
 * needs CAP_BPF or CAP_SYS_ADMIN, checked as netlink_capable() does: both
 * the socket's opener and the sender must have it (the sender alone for a
 * sendto() with a destination address). Attributes are validated strictly:
 * an attribute that a command does not use, a flag outside PALS_F_ALL, a
 * wrong length, a non-zero genetlink reserved field or a netlink flag a
 * request does not use is rejected with an extended ack message.
 *
 * Commands (request attributes; [] = optional):
 *
 * PALS_CMD_CREATE	PROG_FD, TYPE_ID, DATA..., [FLAGS]
 *	Create a blob for the program. TYPE_ID is a type id in the program's
 *	BTF; it must resolve through typedef/const/volatile/restrict/type_tag
 *	to a struct or union whose size equals the data length, which must be
 *	1 .. PALS_A_STAT_MAX_SIZE bytes. The program must be a tracing kind
 *	with a BPF cookie (kprobe, uprobe, tracepoint, raw_tp, perf_event,
 *	fentry/fexit/fmod_ret, tp_btf, LSM but not BPF_LSM_CGROUP). FLAGS may
 *	hold PALS_F_PINNED and PALS_F_PERCPU (see "Per-CPU").
 *	Reply: HANDLE and the attributes of PALS_CMD_GET without DATA.
 * PALS_CMD_BIND	HANDLE, LINK_FD
 *	Take a reference on the link's file: from now on the blob and the
 *	link live and die together. The link's program must be the blob's
 *	program. A blob is bound at most once; a link may carry many blobs.
 *	Blobs created by one request share their link: binding one of them
 *	to another link than the others' gives it a copy of its own, as an
 *	update does (writes a program makes to the old copy meanwhile are
 *	lost).
 * PALS_CMD_UPDATE	HANDLE, DATA...
 *	Replace the bytes atomically: a new copy is published with RCU, so a
 *	program sees the old or the new bytes, never a mix. Writes a program
 *	makes to the old copy after the swap are lost. Same size required
 *	(max_size does not apply: a blob keeps its size).
 * PALS_CMD_GET		HANDLE
 *	Reply: HANDLE, PROG_ID, [LINK_ID], TYPE_ID, SIZE, OWNER_PID, FLAGS,
 *	DATA... (a snapshot; programs may be writing concurrently).
 *	With NLM_F_DUMP and no HANDLE: one message per blob the caller may
 *	read (see "Reading"), without DATA; messages are flagged
 *	NLM_F_DUMP_INTR if blobs changed since the dump began.
 * PALS_CMD_DELETE	HANDLE
 *	Unpublish, release the link reference, free after RCU grace periods.
 * PALS_CMD_PIN / PALS_CMD_UNPIN	HANDLE
 *	A pinned blob survives the socket that created it; it is deleted
 *	explicitly (or on module unload). Unpinning gives it back to its
 *	owner socket or, if that one is gone, to the caller's socket: it
 *	then dies with that one (alone: blobs created with it stay orphans).
 * PALS_CMD_STATS	(none)
 *	Reply: the PALS_A_STAT_* attributes.
 * PALS_CMD_WRITE	HANDLE, [OFFSET], DATA...
 *	Write the bytes into the live copy at OFFSET (default 0), in place,
 *	as an ARRAY map update does: not atomic against programs, which may
 *	see part of the write; the rest of the blob, counters a program
 *	keeps say, is left alone. OFFSET + the data's length must not pass
 *	the blob's size. Same permission as UPDATE.
 * PALS_CMD_READ	HANDLE, [OFFSET], [LENGTH]
 *	Reply: the attributes of PALS_CMD_GET without DATA, OFFSET, and
 *	DATA...: LENGTH bytes (default: up to the end) of the live copy
 *	from OFFSET (default 0), a snapshot.
 *	LINK_ID is for dumps only: a READ with HANDLE rejects it.
 *	With NLM_F_DUMP and no HANDLE: one such message per blob, or per blob
 *	bound to link LINK_ID if given, in handle index order: every blob of
 *	a multi link in one request. OFFSET and LENGTH apply to each blob; a
 *	blob they do not fit in (smaller than OFFSET, say) is left out.
 *	Messages are sized for the largest blob when the dump starts; a
 *	larger one created meanwhile fails the dump with EMSGSIZE.
 *
 * Batches: one request for many blobs, all or nothing. A failing element
 * is named by its index in the extended ack ("PALS_A_ELEM 17: ..."), and
 * nothing of the request is left behind. A request is one netlink
 * message, so a batch is at most what the socket's send buffer holds;
 * split larger ones (libpals does).
 *
 * PALS_CMD_CREATE_BATCH	PROG_FD, [TYPE_ID], [FLAGS], ELEM...
 *	One blob per PALS_A_ELEM, in order, each as PALS_CMD_CREATE makes
 *	it: an ELEM holds one PALS_A_DATA (its bytes, at most
 *	PALS_DATA_CHUNK_MAX) and, optionally, one PALS_A_TYPE_ID that
 *	overrides the request's. ENOSPC if the slot table cannot hold the
 *	whole batch or its bytes would pass max_bytes.
 *	Reply: PALS_A_HANDLES, the handles in the order of the elements, in
 *	as many attributes as needed.
 * PALS_CMD_BIND_BATCH	LINK_FD, HANDLES...
 *	PALS_CMD_BIND for every handle listed, to the one link; none is
 *	bound if one cannot be (it is named by its index).
 * PALS_CMD_DELETE_BATCH	HANDLES...
 *	PALS_CMD_DELETE for every handle listed; none is deleted if one
 *	cannot be.
 * PALS_CMD_DELETE_LINK	LINK_ID
 *	Delete every unpinned blob bound to the link (with CAP_SYS_ADMIN:
 *	of every socket; otherwise the caller's own), and their references
 *	on the link's files. If those were the last ones (the caller closed
 *	its descriptors before), the link is released, its probes detached,
 *	as the request's system call returns, before the caller can read
 *	the reply, with no lock held; programs that run until then get NULL.
 *	ENOENT if the caller has no blob bound to the link. Reply:
 *	PALS_A_COUNT, the blobs deleted.
 *
 * Ownership: a blob belongs to the netlink socket that created it, the
 * socket itself and not its port id (which netlink frees, and another
 * socket may bind, before the release is complete), and is destroyed
 * when that socket is released, unless pinned. Only the owner socket or a
 * CAP_SYS_ADMIN caller may update, delete, bind, pin or unpin it. To any
 * other caller the blob does not exist: every command that names it by
 * handle or by its link answers ENOENT, as for a deleted blob, so that
 * nobody learns whether another's handle is live.
 *
 * Reading: as bpf() does for objects by id, GET and dumps show a socket
 * the blobs it owns; every other blob (another socket's, an orphaned
 * pinned one) needs CAP_SYS_ADMIN. Blobs are not scoped to a network
 * namespace: BPF programs and links are not either. OWNER_PID is the
 * creator's thread group id in the reader's pid namespace, 0 if the
 * creator has exited or that namespace does not see it.
 *
 * Data: a blob may be larger than one attribute can carry (nla_len is 16
 * bits), so its bytes travel as one or more PALS_A_DATA attributes in
 * order, concatenated; each carries at most PALS_DATA_CHUNK_MAX bytes.
 *
 * Handle layout: bits 0 .. PALS_HANDLE_INDEX_BITS - 1 are the slot index,
 * the bits above the blob's 44-bit tag (PALS_HANDLE_TAG). Every blob gets
 * a fresh random tag, never 0 and never the one its slot's previous blob
 * had; a new blob takes the lowest free slot. A handle is therefore never
 * 0, handles say nothing about one another's tags, and a stale handle
 * matches a later blob of its slot with a chance of 2^-44 per reuse of
 * the slot. The slot table (PALS_A_STAT_SLOTS) grows as blobs are
 * created and shrinks once most of it is free, down to the highest live
 * slot. Treat handles as opaque.
 *
 * Object scope (7.0 and later): the kernel tells the kfunc which program
 * calls it, and bpf_pals_get() returns a blob only to programs of the BPF
 * object it was created for, those that share its program's BTF (one
 * object file loaded once, as by one skeleton): an entry and a return
 * program of one tool share their blobs, another tool's programs get
 * NULL whatever they pass. This needs pals.ko built with a pahole that
 * resolves its types to vmlinux's (libbpf 1.6 or later); the build warns
 * when it cannot, and the module then has the model below.
 *
 * Who may load the module: anyone. The module is the alias of its
 * family (net-pf-16-proto-16-family-pals), and the kernel's generic
 * netlink controller resolves an unknown family name for any sender, in
 * any network namespace, without a capability check, by calling
 * request_module(): where pals.ko is installed, any local user can have
 * it loaded. Loading gives that user nothing: every PALS command and dump
 * needs CAP_BPF or CAP_SYS_ADMIN in the initial user namespace (the
 * capability of a user namespace's root does not count). A system that
 * must not load it blacklists it in modprobe.d.
 *
 * Another's blobs: without CAP_SYS_ADMIN, a CAP_BPF caller sees only the
 * blobs its own socket created. GET, READ, WRITE, UPDATE, DELETE, BIND,
 * PIN, UNPIN and the batch commands answer ENOENT for another socket's
 * blob, exactly as for a handle that never existed, so they tell neither
 * whether it lives nor its contents; dumps skip it; DELETE_LINK deletes
 * only the caller's blobs bound to the link and leaves the others (and
 * so the link) in place. What such a caller shares with everyone is the
 * module's limits: max_bytes and max_slots are global, so it can fill
 * them and make others' CREATEs fail with ENOSPC (its memory is charged
 * to its own memory cgroup). CAP_SYS_ADMIN may do anything to any blob.
 *
 * Threat model (where the kfunc does not learn its caller: kernels
 * before 7.0, or a build without it): any program that may call
 * bpf_pals_get() (loading one takes CAP_BPF, plus CAP_PERFMON for
 * tracing kinds) gets a blob's bytes, writable, if it passes the blob's
 * handle, the BTF type id the blob was created with (an id in the
 * creator's program BTF, often small) and its exact size. Nothing else
 * ties a blob to its program: a program of another tool that knows
 * those three can read and write the blob. What stops it is the handle:
 * 44 random bits, not derived from other handles, which a program must
 * guess (about 2^43 calls on average, each a miss counted in
 * PALS_A_STAT_MISSES), obtain from the owner, or read from kernel
 * memory. PALS does not defend against the last: CAP_BPF + CAP_PERFMON
 * programs may read kernel memory (bpf_probe_read_kernel()), which
 * covers the slot table and every blob, so blob bytes are not secret
 * from such programs on any kernel. Whoever holds CAP_BPF and
 * CAP_PERFMON is trusted with every tracing program's data, as without
 * PALS.
 *
 * Memory: blobs are charged to the memory cgroup of the process whose
 * request allocated them (the creator for the first copy, the updater
 * for each later copy), and against the module's max_bytes, which with
 * PALS_A_STAT_BYTES counts kernel memory as allocated: each copy at its
 * slab or page size until it is freed after its grace periods, and each
 * blob's control object. max_size is 1 .. PALS_SIZE_LIMIT.
 *
 * Per-CPU: a blob created with PALS_F_PERCPU has one copy of its type per
 * possible CPU, which programs get with
 *
 *	__u8 *bpf_pals_get_percpu(__u64 handle, __u32 type_id__k,
 *				  const int rdwr_buf_size);
 *
 * (the running CPU's copy: programs run with migration disabled), while
 * bpf_pals_get() gives them NULL, as bpf_pals_get_percpu() does for a
 * shared blob. Its SIZE is its type's; its bytes, as GET, READ, WRITE
 * and UPDATE see them, are every possible CPU's copy in CPU order, each
 * padded to a multiple of 8 bytes (a PERCPU_ARRAY value as bpf() reads
 * it): size rounded up to 8 times the number of possible CPUs, which
 * must be at most max_size; padding reads as zeros and writes to it are
 * dropped. CREATE and UPDATE take either those bytes or one copy of the
 * type's size, which every CPU's copy then starts with. A copy is at
 * most 32 KiB (the kernel's per-CPU allocator). An update makes new
 * copies, as for a shared blob; WRITE writes in place.
 *
 * Errors: EPERM (capability), ENOENT (no such blob, or not the caller's),
 * EINVAL (missing or bad attribute, a program kind without a cookie,
 * wrong program or link), EBADF (fd not open), EBUSY (already bound),
 * E2BIG (size over the limit), ENOSPC (byte cap or slot table full),
 * ENOMEM (the allocation failed, e.g. in a full memory cgroup).
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
	PALS_CMD_WRITE,
	PALS_CMD_READ,
	PALS_CMD_CREATE_BATCH,
	PALS_CMD_BIND_BATCH,
	PALS_CMD_DELETE_BATCH,
	PALS_CMD_DELETE_LINK,

	__PALS_CMD_MAX,
	PALS_CMD_MAX = __PALS_CMD_MAX - 1
};

enum pals_flags {
	PALS_F_PINNED	= 1U << 0,
	PALS_F_PERCPU	= 1U << 1,	/* one copy per possible CPU, see "Per-CPU" */
};
#define PALS_F_ALL	(PALS_F_PINNED | PALS_F_PERCPU)

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
	PALS_A_OWNER_PID,	/* u32, reply: creator's tgid, see "Reading" */
	PALS_A_STAT_BLOBS,	/* u64, reply: live blobs */
	PALS_A_STAT_BYTES,	/* u64, reply: kernel memory, see "Memory" */
	PALS_A_STAT_CREATES,	/* u64, reply */
	PALS_A_STAT_DELETES,	/* u64, reply */
	PALS_A_STAT_MISSES,	/* u64, reply: kfunc calls that got NULL */
	PALS_A_STAT_MAX_SIZE,	/* u64, reply: per-blob size limit */
	PALS_A_STAT_MAX_BYTES,	/* u64, reply: limit of PALS_A_STAT_BYTES */
	PALS_A_STAT_OVERHEAD,	/* u64, reply: kernel bytes per live blob besides
				 * data (charged, and its slot of the table);
				 * with none, what one created alone costs
				 */
	PALS_A_OFFSET,		/* u32, byte offset into the blob */
	PALS_A_LENGTH,		/* u32, bytes to read */
	PALS_A_ELEM,		/* nested: one blob of a batch, may repeat */
	PALS_A_HANDLES,		/* binary: __u64 handles in order, may repeat */
	PALS_A_COUNT,		/* u32, reply: blobs deleted */
	PALS_A_STAT_SLOTS,	/* u64, reply: slot table capacity (grows and
				 * shrinks with the live blobs)
				 */

	__PALS_A_LAST,
	PALS_A_MAX = __PALS_A_LAST - 1
};

#endif /* _UAPI_LINUX_PALS_H */
