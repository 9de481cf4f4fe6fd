/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* An attachment: a bpf_link and the blobs bound to it. */
#ifndef __LIBPALS_LINK_H
#define __LIBPALS_LINK_H

#include <bpf/libbpf.h>

#include "pals.h"

/* Create a link of @prog whose cookies are @cookies[0..@cnt). */
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

/* The context @opts names, or the default one; NULL + errno if none. */
struct pals_ctx *pals_opts_ctx(const struct pals_attach_opts *opts);

#endif /* __LIBPALS_LINK_H */
