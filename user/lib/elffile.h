/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ELF files inside libpals: where a binary is, its symbols, and the file
 * offsets uprobes are placed at. For USDT, uprobe sessions, uprobe.multi/
 * sections and palsctl.
 */
#ifndef __LIBPALS_ELFFILE_H
#define __LIBPALS_ELFFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <gelf.h>
#include <linux/types.h>

/*
 * @binary as a path: a name without '/' is searched for, as libbpf does.
 * 0, or a negative errno after pals_err().
 */
int pals_elf_path(const char *binary, char *path, size_t size);

/*
 * The ELF file @path, read-only, its descriptor in *@fd: NULL after
 * pals_err() if it cannot be opened or is no ELF file. Closed by
 * pals_elf_close().
 */
Elf *pals_elf_open(const char *path, int *fd);
void pals_elf_close(Elf *elf, int fd);

/*
 * Call @fn(@name, @sym, @arg) for each defined symbol of the symbol
 * tables (.symtab, .dynsym) until it returns non-zero: that, or 0.
 */
int pals_elf_syms(Elf *elf,
		  int (*fn)(const char *name, const GElf_Sym *sym, void *arg),
		  void *arg);

/* The address of symbol @name in the file; 0 or -ENOENT. */
int pals_elf_sym(Elf *elf, const char *name, __u64 *addr);

/*
 * The file offset of @addr in a loadable segment, executable (@exec) or
 * not: 0, -ENOENT if no such segment holds it, or -EINVAL.
 */
int pals_elf_offset(Elf *elf, __u64 addr, bool exec, unsigned long *off);

/*
 * The functions of the ELF file @path matching the fnmatch() @pattern,
 * once each, sorted, into the empty @syms (pals_names_free() it). 0, or
 * a negative errno after pals_err() (-ENOENT: none matches).
 */
struct pals_names;
int pals_elf_glob(const char *path, const char *pattern,
		  struct pals_names *syms);

#endif /* __LIBPALS_ELFFILE_H */
