// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A libbpf struct bpf_link around a link descriptor made with a raw
 * BPF_LINK_CREATE, for attach kinds the installed libbpf does not know.
 * libbpf can adopt a link only from a bpffs path: pin it, open the pin,
 * and remove the pin again, which leaves the link owned by the bpf_link.
 * (bpffs refuses names with a dot.)
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "link_fd.h"
#include "log.h"

#define PALS_BPFFS "/sys/fs/bpf"

struct bpf_link *pals_bpf_link_from_fd(int fd)
{
	static atomic_uint seq;
	struct bpf_link *link;
	char path[64];
	int err;

	snprintf(path, sizeof(path), PALS_BPFFS "/libpals-adopt-%d-%u", getpid(),
		 atomic_fetch_add(&seq, 1));
	if (bpf_obj_pin(fd, path)) {
		err = -errno;
		close(fd);
		pals_err(err, "adopting a BPF link needs bpffs at " PALS_BPFFS ": %s",
			 strerror(-err));
		return NULL;
	}
	link = bpf_link__open(path);
	err = link ? bpf_link__unpin(link) : -errno;
	if (!link)
		unlink(path);
	close(fd);
	if (err) {
		bpf_link__destroy(link);
		pals_err(err, "adopting a BPF link from %s: %s", path,
			 strerror(-err));
		return NULL;
	}
	return link;
}
