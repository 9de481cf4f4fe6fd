// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pals_attach_usdt(): every site of a USDT probe under one uprobe_multi
 * link, each site's blob (its cookie) holding its argument spec.
 *
 * One uprobe_multi link, not a uprobe link per site: one BPF_LINK_CREATE
 * and one descriptor however many sites there are, where perf-event
 * uprobes cost a syscall and two descriptors a site (a thousand sites
 * would exhaust the usual limit of 1024 open files), and the sites come
 * and go together. Kernels without uprobe_multi (before 6.6) get a
 * uprobe link per site all the same (usdt_uprobe.c), as with libbpf.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "elffile.h"
#include "link.h"
#include "log.h"
#include "opts.h"
#include "usdt.h"

struct pals_usdt_args {
	pid_t pid;
	const char *path;
	const char *provider;
	const char *name;
	const struct pals_usdt_sites *sites;
	struct bpf_link ***more;	/* per site: the links after the first */
};

static struct bpf_link *pals_usdt_fn(const struct bpf_program *prog,
				     const __u64 *cookies, size_t cnt,
				     const void *arg)
{
	const struct pals_usdt_args *a = arg;
	LIBBPF_OPTS(bpf_uprobe_multi_opts, opts,
		    .offsets = a->sites->offsets,
		    .ref_ctr_offsets = a->sites->ref_ctr_offsets,
		    .cookies = cookies, .cnt = cnt);
	struct bpf_link *link;

	if (pals_usdt_per_site(prog))
		return pals_usdt_uprobes(prog, a->pid, a->path, a->sites,
					 cookies, cnt, a->more);
	link = bpf_program__attach_uprobe_multi(prog, a->pid, a->path, NULL,
						&opts);
	if (!link)
		pals_attach_err(prog, NULL, "usdt %s:%s:%s (%zu sites)",
				a->path, a->provider, a->name, cnt);
	return link;
}

/*
 * The blobs of opts->usdt_type @type: each site's spec first, the rest
 * zeros and then opts->fill's. Their size into *@size.
 */
static void *pals_usdt_blobs(const struct bpf_program *prog, const char *type,
			     const struct pals_usdt_sites *sites,
			     const struct pals_attach_opts *opts, size_t *size)
{
	size_t i, sz = 0;
	char *p;

	if (pals_type_lookup(prog, type, &sz) < 0)
		return NULL;
	if (sz < sizeof(*sites->specs)) {
		pals_err(-EINVAL, "usdt_type '%s' is %zu bytes: it must begin with struct pals_usdt_spec (%zu bytes)",
			 type, sz, sizeof(*sites->specs));
		return NULL;
	}
	p = calloc(sites->cnt, sz);
	if (!p) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < sites->cnt; i++)
		memcpy(p + i * sz, &sites->specs[i], sizeof(*sites->specs));
	if (pals_fill_each(opts, p, sz, sites->cnt, NULL, sites->offsets)) {
		free(p);
		return NULL;
	}
	*size = sz;
	return p;
}

struct pals_link *pals_attach_usdt(const struct bpf_program *prog, pid_t pid,
				   const char *binary, const char *provider,
				   const char *name,
				   const struct pals_attach_opts *opts)
{
	struct pals_usdt_sites sites;
	struct bpf_link **more = NULL;
	struct pals_usdt_args a = {
		.pid = pid, .provider = provider, .name = name, .sites = &sites,
		.more = &more,
	};
	const char *type = PALS_OPTS_GET(opts, usdt_type, NULL);
	size_t size = sizeof(struct pals_usdt_spec);
	char path[PATH_MAX];
	struct pals_link *pl;
	void *blobs;

	if (!binary || !provider || !name || pid < -1) {
		pals_err(-EINVAL, "usdt: binary, provider or name missing, or pid < -1");
		return NULL;
	}
	if (PALS_OPTS_GET(opts, retprobe, false) ||
	    PALS_OPTS_GET(opts, offsets, NULL)) {
		pals_err(-EINVAL, "usdt: retprobe and offsets do not apply");
		return NULL;
	}
	if (pals_elf_path(binary, path, sizeof(path)) ||
	    pals_usdt_find(path, provider, name,
			   PALS_OPTS_GET(opts, usdt_cookie, 0), &sites))
		return NULL;
	a.path = path;
	blobs = type ? pals_usdt_blobs(prog, type, &sites, opts, &size) : NULL;
	pl = NULL;
	if (blobs || !type)
		pl = pals_link_attach(prog, type ?: "struct pals_usdt_spec",
				      blobs ?: sites.specs, size, sites.cnt,
				      opts, pals_usdt_fn, &a);
	if (pl && more)
		pals_link_adopt(pl, more, sites.cnt - 1);
	else
		pals_usdt_uprobes_free(more, sites.cnt - 1);
	pl = pals_link_targets(pl, NULL, sites.offsets);
	free(blobs);
	pals_usdt_sites_free(&sites);
	return pl;
}
