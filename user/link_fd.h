/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef __LIBPALS_LINK_FD_H
#define __LIBPALS_LINK_FD_H

#include <bpf/libbpf.h>

/* A bpf_link owning link descriptor @fd, which is consumed; NULL + errno. */
struct bpf_link *pals_bpf_link_from_fd(int fd);

#endif /* __LIBPALS_LINK_FD_H */
