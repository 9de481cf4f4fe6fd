// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * USDT where the kernel has no uprobe_multi links (before 6.6): one
 * uprobe link per site, each with its site's cookie, as libbpf does there.
 * libbpf loads a SEC("usdt") program as a uprobe_multi one only where the
 * kernel has them, so the program's expected attach type says which way.
 */
#include <errno.h>
#include <stdlib.h>

#include "link.h"
#include "log.h"
#include "usdt.h"

bool pals_usdt_per_site(const struct bpf_program *prog)
{
	return bpf_program__expected_attach_type(prog) != BPF_TRACE_UPROBE_MULTI;
}

void pals_usdt_uprobes_free(struct bpf_link **more, size_t cnt)
{
	size_t i;

	for (i = 0; more && i < cnt; i++)
		bpf_link__destroy(more[i]);
	free(more);
}

#define PALS_USDT_NOFILE \
	"a uprobe per site takes two file descriptors: raise RLIMIT_NOFILE, or attach a \"usdt\" program on Linux 6.6 or later, one uprobe_multi link"

struct bpf_link *pals_usdt_uprobes(const struct bpf_program *prog, pid_t pid,
				   const char *path,
				   const struct pals_usdt_sites *sites,
				   const __u64 *cookies, size_t cnt,
				   struct bpf_link ***more)
{
	struct bpf_link *first = NULL, *link;
	size_t i;
	int err;

	*more = calloc(cnt, sizeof(**more));
	if (!*more) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < cnt; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, opts,
			    .ref_ctr_offset = sites->ref_ctr_offsets[i],
			    .bpf_cookie = cookies[i]);

		link = bpf_program__attach_uprobe_opts(prog, pid, path,
						       sites->offsets[i], &opts);
		if (!link)
			goto fail;
		if (i)
			(*more)[i - 1] = link;
		else
			first = link;
	}
	return first;
fail:
	err = errno;
	pals_usdt_uprobes_free(*more, i ? i - 1 : 0);
	*more = NULL;
	bpf_link__destroy(first);
	errno = err;
	pals_attach_err(prog, err == EMFILE ? PALS_USDT_NOFILE : NULL,
			"usdt site %zu of %zu in %s (file offset %#lx, one uprobe per site: no uprobe_multi)",
			i, cnt, path, sites->offsets[i]);
	return NULL;
}
