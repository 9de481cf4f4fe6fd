/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* An attachment: a bpf_link and the blobs bound to it. */
#ifndef __LIBPALS_LINK_H
#define __LIBPALS_LINK_H

#include <bpf/libbpf.h>

#include "libpals.h"

/*
 * pals_ctx__create_batch() without its mode check, for callers that made
 * it with the program's name (pals_mode_check()).
 */
int pals_ctx_create_batch(struct pals_ctx *ctx, int prog_fd, __u32 type_id,
			  const void *data, size_t size, size_t cnt,
			  const struct pals_create_opts *opts, __u64 *handles);

/*
 * Create a link of @prog whose cookies are @cookies[0..@cnt); on failure,
 * NULL after pals_attach_err() (or pals_err()).
 */
typedef struct bpf_link *(*pals_attach_fn)(const struct bpf_program *prog,
					   const __u64 *cookies, size_t cnt,
					   const void *arg);

/*
 * Create @cnt blobs of @size bytes from @data, attach @prog with their
 * handles as cookies through @attach(@arg), bind the blobs to the link.
 */
struct pals_link *pals_link_attach(const struct bpf_program *prog,
				   const char *type, const void *data,
				   size_t size, size_t cnt,
				   const struct pals_attach_opts *opts,
				   pals_attach_fn attach, const void *arg);

/*
 * Give @pl @cnt more links of its blobs, made besides its own by its
 * attach function (USDT without uprobe_multi: a uprobe link per site),
 * and the malloc()ed array @more of them: pals_link__destroy() destroys
 * them after its own. Blobs stay bound to its own link, whose id and fd
 * pals_link__fd() and the module know.
 */
void pals_link_adopt(struct pals_link *pl, struct bpf_link **more, size_t cnt);

/*
 * For link kinds libbpf cannot make: @attach returns the new link's fd,
 * or a negative errno after pals_err().
 */
typedef int (*pals_attach_fd_fn)(const struct bpf_program *prog,
				 const __u64 *cookies, size_t cnt,
				 const void *arg);

/* pals_link_attach() with a link made by @attach(@arg). */
struct pals_link *pals_link_attach_fd(const struct bpf_program *prog,
				      const char *type, const void *data,
				      size_t size, size_t cnt,
				      const struct pals_attach_opts *opts,
				      pals_attach_fd_fn attach, const void *arg);

/*
 * pals_type_id() with @type NULL for the type @prog asks for and *@size 0
 * for any size, the type's size then stored there.
 */
int pals_type_lookup(const struct bpf_program *prog, const char *type,
		     size_t *size);

/*
 * Set the error of a failed libbpf attach (errno): the program, the
 * target (printf-style @target) and, if not NULL, a @hint of what to do.
 */
void pals_attach_err(const struct bpf_program *prog, const char *hint,
		     const char *target, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * 0 if @prog's section suits a pals_attach_@kind() call (@multi: the
 * _multi one), else -EINVAL after an error naming the right call.
 */
int pals_attach_check_kind(const struct bpf_program *prog, bool multi,
			   const char *kind);

/*
 * The first of @syms that is not a traceable kernel function (not in
 * tracefs' available_filter_functions), or NULL if all are or the list
 * cannot be read.
 */
const char *pals_ksym_untraceable(const char **syms, size_t cnt);

#define PALS_NOT_TRACEABLE \
	"not a traceable kernel function: see available_filter_functions"

/*
 * Set the error of a failed @kind attach (errno) over kernel functions
 * @syms: it names the first given twice or not traceable, if any.
 */
void pals_ksym_attach_err(const struct bpf_program *prog, const char *kind,
			  const char **syms, size_t cnt);

/*
 * Remember where each blob of @pl is attached, for pals_link__find()
 * (@names: functions or symbols) and pals_link__find_offset() (@offsets:
 * file offsets), pals_link__cnt() of each; either may be NULL. Returns
 * @pl, or NULL after destroying it if out of memory (or @pl is NULL).
 */
struct pals_link *pals_link_targets(struct pals_link *pl,
				    const char *const *names,
				    const unsigned long *offsets);

/*
 * With opts->fill: replace *@data (one blob, or NULL) by @cnt blobs of
 * @size bytes, each a copy of it adjusted by fill() for its target
 * (@targets[i], else "0x" @offsets[i], else none); *@buf is then what to
 * free after attaching. Without, leave *@data and set *@buf to NULL.
 * 0, or a negative errno after pals_err().
 */
int pals_fill_blobs(const struct pals_attach_opts *opts, const void **data,
		    size_t size, size_t cnt, const char *const *targets,
		    const unsigned long *offsets, void **buf);

/*
 * Run opts->fill, if any, on each of the @cnt blobs of @size bytes at
 * @blobs, in place (targets as for pals_fill_blobs()). 0, or a negative
 * errno after pals_err().
 */
int pals_fill_each(const struct pals_attach_opts *opts, void *blobs,
		   size_t size, size_t cnt, const char *const *targets,
		   const unsigned long *offsets);

/*
 * The traceable kernel functions matching the fnmatch() @pattern, once
 * each, sorted, into the empty @syms (pals_names_free() it). 0, or a
 * negative errno after pals_err() (-ENOENT: none matches).
 */
struct pals_names;
int pals_ksym_glob(const char *pattern, struct pals_names *syms);

/* The context @opts names, or the default one; NULL + errno if none. */
struct pals_ctx *pals_opts_ctx(const struct pals_attach_opts *opts);

#endif /* __LIBPALS_LINK_H */
