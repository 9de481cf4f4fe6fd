/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The map fallback, where pals.ko is absent: a fallback-mode pals_ctx's
 * blobs, in the maps of the programs' objects (fallback.c), and the
 * choice of mode (mode.c).
 */
#ifndef __LIBPALS_FALLBACK_H
#define __LIBPALS_FALLBACK_H

#include <stdbool.h>
#include <bpf/libbpf.h>

#include "libpals.h"

struct pals_fb;

struct pals_fb *pals_fb_new(void);
/* Delete every blob of @fb, and free it. */
void pals_fb_free(struct pals_fb *fb);

/* Whether the loaded program @prog_fd finds its blobs in the map. */
bool pals_fb_prog(int prog_fd);
/*
 * 0 if @type_id names a struct or union of @size bytes in the BTF of the
 * loaded program @prog_fd (pals.ko's check at create), else -EINVAL after
 * an error saying which is wrong.
 */
int pals_btf_size_check(int prog_fd, __u32 type_id, size_t size);

/* The pals_ctx__*() commands, on @fb: as they are documented. */
int pals_fb_create_batch(struct pals_fb *fb, int prog_fd, __u32 type_id,
			 const void *data, size_t size, size_t cnt,
			 __u32 flags, __u64 *handles);
int pals_fb_bind_batch(struct pals_fb *fb, const __u64 *handles, size_t cnt,
		       int link_fd);
int pals_fb_update(struct pals_fb *fb, __u64 handle, const void *data,
		   size_t size);
int pals_fb_write(struct pals_fb *fb, __u64 handle, size_t off,
		  const void *data, size_t size);
int pals_fb_read(struct pals_fb *fb, __u64 handle, size_t off, void *data,
		 size_t size);
int pals_fb_get(struct pals_fb *fb, __u64 handle, struct pals_blob_info *info,
		void *data, size_t size);
int pals_fb_delete(struct pals_fb *fb, __u64 handle);
int pals_fb_delete_link(struct pals_fb *fb, __u32 link_id);
int pals_fb_read_link(struct pals_fb *fb, __u32 link_id, pals_data_cb cb,
		      void *arg);
int pals_fb_for_each(struct pals_fb *fb, pals_blob_cb cb, void *arg);
int pals_fb_stats(struct pals_fb *fb, struct pals_stats *st);
/* -EOPNOTSUPP after an error saying why the fallback cannot do @what. */
int pals_fb_unsupported(const char *what);

/*
 * Before @obj is loaded: set its programs to find blobs through the
 * kfunc (@fallback false) or the map, sized for the largest blob they
 * ask for. 0 or a negative errno after pals_err().
 */
int pals_fb_prepare(struct bpf_object *obj, bool fallback);

/*
 * The mode a context asked for @mode runs in: @mode, or for
 * PALS_MODE_AUTO $PALS_MODE's, else PALS_MODE_AUTO (the module if it is
 * there). A negative errno after pals_err() for a bad one.
 */
int pals_mode_wanted(enum pals_mode mode);
/* pals_set_mode()'s mode: the default context's. */
enum pals_mode pals_mode_default(void);
/*
 * Whether the running kernel is older than @want_major.@want_minor; its
 * version in *@major, *@minor (0 if unknown: then false).
 */
bool pals_kernel_below(int want_major, int want_minor, int *major, int *minor);
/*
 * 0 if the running kernel gives @prog's kind a BPF cookie, else
 * -EOPNOTSUPP after an error naming the kernel that does.
 */
int pals_kind_check(const struct bpf_program *prog);
/*
 * 0 if loaded @prog finds its blobs the way @ctx keeps them (both on
 * pals.ko or both on the map fallback), else -EINVAL after an error
 * naming both modes.
 */
int pals_mode_check(const struct pals_ctx *ctx, const struct bpf_program *prog);
/* pals_mode_check() of the program @prog_fd, named @name (NULL: its own). */
int pals_mode_check_fd(const struct pals_ctx *ctx, int prog_fd,
		       const char *name);
/* The one-line notice of a context falling back, and why. */
void pals_mode_notice(enum pals_mode wanted);

#endif /* __LIBPALS_FALLBACK_H */
