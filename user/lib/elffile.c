// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ELF files: where a binary is, its symbols, file offsets. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elffile.h"
#include "log.h"
#include "names.h"

/* Library directories searched after LD_LIBRARY_PATH, as libbpf does. */
#define PALS_ELF_LIB_DIRS \
	"/lib64:/usr/lib64:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"

/* The first readable @dirs/@name (@dirs separated by ':') into @path. */
static int pals_elf_search(const char *name, const char *dirs, char *path,
			   size_t size)
{
	const char *d, *end;
	int len, n;

	for (d = dirs; d && *d; d = end ? end + 1 : NULL) {
		end = strchr(d, ':');
		len = end ? end - d : (int)strlen(d);
		n = snprintf(path, size, "%.*s/%s", len, d, name);
		if (n > 0 && (size_t)n < size && !access(path, R_OK))
			return 0;
	}
	return -ENOENT;
}

int pals_elf_path(const char *binary, char *path, size_t size)
{
	if (strchr(binary, '/')) {
		if ((size_t)snprintf(path, size, "%s", binary) >= size)
			return pals_err(-ENAMETOOLONG, "'%s': path too long", binary);
		return 0;
	}
	if (strstr(binary, ".so") ?
	    !pals_elf_search(binary, getenv("LD_LIBRARY_PATH"), path, size) ||
	    !pals_elf_search(binary, PALS_ELF_LIB_DIRS, path, size) :
	    !pals_elf_search(binary, getenv("PATH"), path, size))
		return 0;
	return pals_err(-ENOENT, "'%s' not found", binary);
}

Elf *pals_elf_open(const char *path, int *fd)
{
	Elf *elf;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		pals_err(-errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(*fd, ELF_C_READ, NULL);
	if (!elf) {
		close(*fd);
		pals_err(-EINVAL, "%s: not an ELF file", path);
	}
	return elf;
}

void pals_elf_close(Elf *elf, int fd)
{
	elf_end(elf);
	close(fd);
}

int pals_elf_syms(Elf *elf,
		  int (*fn)(const char *name, const GElf_Sym *sym, void *arg),
		  void *arg)
{
	Elf_Scn *scn = NULL;
	const char *s;
	Elf_Data *data;
	GElf_Shdr sh;
	GElf_Sym sym;
	size_t i;
	int ret;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !sh.sh_entsize ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		data = elf_getdata(scn, NULL);
		for (i = 0; data && i < sh.sh_size / sh.sh_entsize; i++) {
			if (!gelf_getsym(data, i, &sym) ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			s = elf_strptr(elf, sh.sh_link, sym.st_name);
			ret = s ? fn(s, &sym, arg) : 0;
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct pals_elf_find {
	const char *name;
	__u64 *addr;
};

static int pals_elf_find_fn(const char *name, const GElf_Sym *sym, void *arg)
{
	const struct pals_elf_find *f = arg;

	if (strcmp(name, f->name))
		return 0;
	*f->addr = sym->st_value;
	return 1;
}

int pals_elf_sym(Elf *elf, const char *name, __u64 *addr)
{
	struct pals_elf_find f = { name, addr };

	return pals_elf_syms(elf, pals_elf_find_fn, &f) ? 0 : -ENOENT;
}

int pals_elf_offset(Elf *elf, __u64 addr, bool exec, unsigned long *off)
{
	GElf_Phdr ph;
	size_t n, i;

	if (elf_getphdrnum(elf, &n))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD ||
		    addr < ph.p_vaddr || addr >= ph.p_vaddr + ph.p_memsz ||
		    !(ph.p_flags & PF_X) != !exec)
			continue;
		*off = addr - ph.p_vaddr + ph.p_offset;
		return 0;
	}
	return -ENOENT;
}

struct pals_elf_glob {
	const char *pattern;
	struct pals_names *syms;
};

/* Functions only, as libbpf resolves uprobe_multi's names. */
static int pals_elf_glob_fn(const char *name, const GElf_Sym *sym, void *arg)
{
	const struct pals_elf_glob *g = arg;

	if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || !sym->st_value ||
	    fnmatch(g->pattern, name, 0))
		return 0;
	return pals_names_add(g->syms, name);
}

int pals_elf_glob(const char *path, const char *pattern,
		  struct pals_names *syms)
{
	struct pals_elf_glob g = { pattern, syms };
	int fd, err;
	Elf *elf;

	elf = pals_elf_open(path, &fd);
	if (!elf)
		return -errno;
	err = pals_elf_syms(elf, pals_elf_glob_fn, &g);
	pals_elf_close(elf, fd);
	/* A function in both .symtab and .dynsym once. */
	if (!err && pals_names_sort(syms))
		err = pals_err(-ENOENT, "no function of '%s' matches '%s'",
			       path, pattern);
	if (err)
		pals_names_free(syms);
	return err;
}
