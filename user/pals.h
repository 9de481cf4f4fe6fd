/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libpals: userspace side of PALS, per-attach local storage for BPF.
 *
 * Errors: functions returning int give 0 or a negative errno and also set
 * errno; functions returning a pointer give NULL and set errno. When the
 * kernel explained a rejection (netlink extended ack), the text is kept
 * in the context and returned by pals_ctx__errmsg().
 *
 * A struct pals_ctx owns one netlink socket. Blobs created through it
 * belong to that socket and are destroyed when it is closed (including
 * on process exit), unless pinned. A context is not thread-safe: use one
 * per thread, as with libbpf objects.
 */
#ifndef __LIBPALS_H
#define __LIBPALS_H

#include <stddef.h>
#include <string.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBPALS_API __attribute__((visibility("default")))

/* Declare and zero-initialise an opts struct, setting its sz. */
#define PALS_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE) {						\
			.sz = sizeof(struct TYPE),			\
			__VA_ARGS__					\
		};							\
	})

struct pals_ctx;

struct pals_ctx_opts {
	size_t sz;
};
#define pals_ctx_opts__last_field sz

/* Open a netlink socket to the pals module. NULL + errno on failure. */
LIBPALS_API struct pals_ctx *pals_ctx__new(const struct pals_ctx_opts *opts);
/* Close the socket: every unpinned blob it created is destroyed. */
LIBPALS_API void pals_ctx__free(struct pals_ctx *ctx);
/* The kernel's (or the library's) text for the last failed call, or "". */
LIBPALS_API const char *pals_ctx__errmsg(const struct pals_ctx *ctx);

struct pals_create_opts {
	size_t sz;
	__u32 flags;		/* PALS_F_* from linux/pals.h */
	size_t :0;
};
#define pals_create_opts__last_field flags

/*
 * Create a blob for the program @prog_fd holding @size bytes of @data,
 * typed by BTF type @type_id of the program's BTF. Its handle, to pass as
 * the BPF cookie, is stored in @handle.
 */
LIBPALS_API int pals_ctx__create(struct pals_ctx *ctx, int prog_fd,
				 __u32 type_id, const void *data, size_t size,
				 const struct pals_create_opts *opts,
				 __u64 *handle);
/* Tie the blob to a link of its program: they live and die together. */
LIBPALS_API int pals_ctx__bind(struct pals_ctx *ctx, __u64 handle,
			       int link_fd);
/* Replace the blob's bytes atomically; @size must be the blob's size. */
LIBPALS_API int pals_ctx__update(struct pals_ctx *ctx, __u64 handle,
				 const void *data, size_t size);
LIBPALS_API int pals_ctx__delete(struct pals_ctx *ctx, __u64 handle);
LIBPALS_API int pals_ctx__pin(struct pals_ctx *ctx, __u64 handle);
/* Unpin: the blob then belongs to @ctx's socket and dies with it. */
LIBPALS_API int pals_ctx__unpin(struct pals_ctx *ctx, __u64 handle);

struct pals_blob_info {
	__u64 handle;
	__u32 prog_id;
	__u32 link_id;		/* 0 when not bound */
	__u32 type_id;
	__u32 size;
	__u32 owner_pid;
	__u32 flags;		/* PALS_F_* */
};

/*
 * Read a blob's description into @info and, if @data is not NULL, up to
 * @size of its bytes (a snapshot; programs may be writing concurrently).
 */
LIBPALS_API int pals_ctx__get(struct pals_ctx *ctx, __u64 handle,
			      struct pals_blob_info *info,
			      void *data, size_t size);

typedef int (*pals_blob_cb)(const struct pals_blob_info *info, void *arg);

/* Call @cb for every blob; a non-zero return stops and is returned. */
LIBPALS_API int pals_ctx__for_each(struct pals_ctx *ctx, pals_blob_cb cb,
				   void *arg);

struct pals_stats {
	__u64 blobs;
	__u64 bytes;
	__u64 creates;
	__u64 deletes;
	__u64 hits;
	__u64 misses;
	__u64 max_size;
	__u64 max_bytes;
	__u64 overhead;		/* kernel bytes per blob besides its data */
};

LIBPALS_API int pals_ctx__stats(struct pals_ctx *ctx, struct pals_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* __LIBPALS_H */
