// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pals_attach_usdt(): every site of a USDT probe under one uprobe_multi
 * link, each site's blob (its cookie) holding its argument spec.
 *
 * One uprobe_multi link, not a uprobe link per site: one BPF_LINK_CREATE
 * and one descriptor however many sites there are, where perf-event
 * uprobes cost a syscall and two descriptors a site (a thousand sites
 * would exhaust the usual limit of 1024 open files), and the sites come
 * and go together.
 */
#include <errno.h>
#include <limits.h>

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

	link = bpf_program__attach_uprobe_multi(prog, a->pid, a->path, NULL,
						&opts);
	if (!link)
		pals_attach_err(prog, NULL, "usdt %s:%s:%s (%zu sites)",
				a->path, a->provider, a->name, cnt);
	return link;
}

struct pals_link *pals_attach_usdt(const struct bpf_program *prog, pid_t pid,
				   const char *binary, const char *provider,
				   const char *name,
				   const struct pals_attach_opts *opts)
{
	struct pals_usdt_sites sites;
	struct pals_usdt_args a = {
		.pid = pid, .provider = provider, .name = name, .sites = &sites,
	};
	char path[PATH_MAX];
	struct pals_link *pl;

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
	pl = pals_link_targets(pals_link_attach(prog, "struct pals_usdt_spec",
						sites.specs,
						sizeof(*sites.specs),
						sites.cnt, opts,
						pals_usdt_fn, &a),
			       NULL, sites.offsets);
	pals_usdt_sites_free(&sites);
	return pl;
}
