/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* USDT inside libpals: the sites of an ELF file and their argument specs. */
#ifndef __LIBPALS_USDT_H
#define __LIBPALS_USDT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <gelf.h>
#include <linux/types.h>

#include "pals_usdt.h"

/* The sites of one probe, as parallel arrays ready for uprobe_multi. */
struct pals_usdt_sites {
	size_t cnt;
	unsigned long *offsets;		/* file offset of each site */
	unsigned long *ref_ctr_offsets;	/* of its semaphore, or 0 */
	struct pals_usdt_spec *specs;	/* its blob */
};

/*
 * Fill @sites with every site of @provider:@name in the ELF file @path,
 * each spec carrying @cookie. 0, or a negative errno (-ENOENT: no such
 * probe) after pals_err(); @sites then holds nothing to free.
 */
int pals_usdt_find(const char *path, const char *provider, const char *name,
		   __u64 cookie, struct pals_usdt_sites *sites);
void pals_usdt_sites_free(struct pals_usdt_sites *sites);

/* What an argument spec needs to know of the file its site is in. */
struct pals_usdt_loc {
	Elf *elf;
	bool fixed;		/* ET_EXEC: addresses are where it runs */
	__u64 ip;		/* the site's address in the file */
};

/*
 * Parse a site's argument string (x86-64 sys/sdt.h syntax, such as
 * "-4@%eax 8@-16(%rbp) 1@$7") into @spec. 0, or -EINVAL after pals_err().
 */
int pals_usdt_parse_args(const char *args, const struct pals_usdt_loc *loc,
			 struct pals_usdt_spec *spec);

struct bpf_program;
struct bpf_link;

/*
 * True if @prog (loaded) attaches to USDT sites one uprobe each: the
 * kernel has no uprobe_multi links (6.6), so libbpf loaded it as a plain
 * uprobe program.
 */
bool pals_usdt_per_site(const struct bpf_program *prog);

/*
 * Attach @prog to each of the @cnt @sites of @path, site i with
 * @cookies[i], one uprobe link each: the first is returned, the others
 * go to *@more, a new array of @cnt - 1 (pals_usdt_uprobes_free() it).
 * NULL after pals_attach_err(), with nothing attached.
 */
struct bpf_link *pals_usdt_uprobes(const struct bpf_program *prog, pid_t pid,
				   const char *path,
				   const struct pals_usdt_sites *sites,
				   const __u64 *cookies, size_t cnt,
				   struct bpf_link ***more);

/* Destroy the @cnt links at @more and free it. */
void pals_usdt_uprobes_free(struct bpf_link **more, size_t cnt);

#endif /* __LIBPALS_USDT_H */
