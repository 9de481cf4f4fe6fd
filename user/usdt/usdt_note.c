// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * USDT sites from an ELF file's .note.stapsdt section. Each note (owner
 * "stapsdt", type 3) holds three addresses, the site's, that of section
 * .stapsdt.base when the note was written and the semaphore's (0 if
 * none), then "provider\0name\0args\0". A tool such as prelink may move
 * the file's sections afterwards without rewriting notes: the distance
 * .stapsdt.base moved by is then added to the other two addresses.
 *
 * Uprobes are placed by file offset, so each address becomes the file
 * offset behind it through the program headers: the site's in an
 * executable loadable segment, the semaphore's (the kernel's uprobe
 * ref_ctr_offset) in a writable one. This is the same for executables,
 * PIE and shared libraries, wherever they get loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elffile.h"
#include "log.h"
#include "usdt.h"

#define PALS_STAPSDT_OWNER	"stapsdt"
#define PALS_STAPSDT_TYPE	3

/* The section named @name, or NULL. */
static Elf_Scn *pals_usdt_scn(Elf *elf, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	const char *s;
	size_t strndx;

	if (elf_getshdrstrndx(elf, &strndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		s = gelf_getshdr(scn, sh) ? elf_strptr(elf, strndx, sh->sh_name) : NULL;
		if (s && !strcmp(s, name))
			return scn;
	}
	return NULL;
}

/* The next string of a note's descriptor, or NULL past its end. */
static const char *pals_usdt_str(const char **s, const char *end)
{
	const char *str = *s;
	size_t len;

	if (str >= end)
		return NULL;
	len = strnlen(str, end - str);
	if (str + len == end)
		return NULL;
	*s = str + len + 1;
	return str;
}

/* Room for one more site. */
static int pals_usdt_grow(struct pals_usdt_sites *sites, size_t *cap)
{
	size_t n = *cap ? *cap * 2 : 8;
	void *p;

	if (sites->cnt < *cap)
		return 0;
	p = reallocarray(sites->offsets, n, sizeof(*sites->offsets));
	if (!p)
		goto oom;
	sites->offsets = p;
	p = reallocarray(sites->ref_ctr_offsets, n,
			 sizeof(*sites->ref_ctr_offsets));
	if (!p)
		goto oom;
	sites->ref_ctr_offsets = p;
	p = reallocarray(sites->specs, n, sizeof(*sites->specs));
	if (!p)
		goto oom;
	sites->specs = p;
	*cap = n;
	return 0;
oom:
	return pals_err(-ENOMEM, "out of memory");
}

/* A matching note's site: its offsets and spec, appended to @sites. */
static int pals_usdt_add(Elf *elf, const char *path, const GElf_Ehdr *eh,
			 __u64 ip, __u64 sema, const char *args, __u64 cookie,
			 struct pals_usdt_sites *sites, size_t *cap)
{
	struct pals_usdt_loc loc = {
		.elf = elf, .fixed = eh->e_type == ET_EXEC, .ip = ip,
	};
	struct pals_usdt_spec *spec;
	size_t i;
	int err;

	err = pals_usdt_grow(sites, cap);
	if (err)
		return err;
	i = sites->cnt;
	if (pals_elf_offset(elf, ip, true, &sites->offsets[i]))
		return pals_err(-EINVAL, "usdt: site at 0x%llx of '%s' is in no executable segment",
				(unsigned long long)ip, path);
	sites->ref_ctr_offsets[i] = 0;
	if (sema && pals_elf_offset(elf, sema, false, &sites->ref_ctr_offsets[i]))
		return pals_err(-EINVAL, "usdt: semaphore at 0x%llx of '%s' is in no data segment",
				(unsigned long long)sema, path);
	spec = &sites->specs[i];
	memset(spec, 0, sizeof(*spec));
	spec->cookie = cookie;
	err = pals_usdt_parse_args(args, &loc, spec);
	if (err)
		return err;
	sites->cnt++;
	return 0;
}

static int pals_usdt_scan(Elf *elf, const char *path, const char *provider,
			  const char *name, __u64 cookie,
			  struct pals_usdt_sites *sites)
{
	const char *desc, *end, *prov, *nam, *args;
	size_t off = 0, next, name_off, desc_off, cap = 0;
	__u64 addr[3], base = 0;
	GElf_Shdr sh, base_sh;
	Elf_Data *data;
	GElf_Nhdr nh;
	GElf_Ehdr eh;
	Elf_Scn *scn;
	int err;

	if (!gelf_getehdr(elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN))
		return pals_err(-EINVAL, "usdt: '%s' is no x86-64 executable or shared object",
				path);
	scn = pals_usdt_scn(elf, ".note.stapsdt", &sh);
	data = scn && sh.sh_type == SHT_NOTE ? elf_getdata(scn, NULL) : NULL;
	if (!data)
		return pals_err(-ENOENT, "usdt: '%s' has no .note.stapsdt", path);
	if (pals_usdt_scn(elf, ".stapsdt.base", &base_sh))
		base = base_sh.sh_addr;
	while ((next = gelf_getnote(data, off, &nh, &name_off, &desc_off))) {
		off = next;
		if (nh.n_type != PALS_STAPSDT_TYPE ||
		    nh.n_namesz != sizeof(PALS_STAPSDT_OWNER) ||
		    memcmp((char *)data->d_buf + name_off, PALS_STAPSDT_OWNER,
			   sizeof(PALS_STAPSDT_OWNER)))
			continue;
		desc = (char *)data->d_buf + desc_off;
		end = desc + nh.n_descsz;
		if (nh.n_descsz < sizeof(addr))
			return pals_err(-EINVAL, "usdt: '%s': short stapsdt note", path);
		memcpy(addr, desc, sizeof(addr));
		desc += sizeof(addr);
		prov = pals_usdt_str(&desc, end);
		nam = pals_usdt_str(&desc, end);
		args = pals_usdt_str(&desc, end);
		if (!prov || !nam || !args)
			return pals_err(-EINVAL, "usdt: '%s': malformed stapsdt note", path);
		if (strcmp(prov, provider) || strcmp(nam, name))
			continue;
		if (base && addr[1]) {
			addr[0] += base - addr[1];
			if (addr[2])
				addr[2] += base - addr[1];
		}
		err = pals_usdt_add(elf, path, &eh, addr[0], addr[2], args,
				    cookie, sites, &cap);
		if (err)
			return err;
	}
	if (!sites->cnt)
		return pals_err(-ENOENT, "usdt: no probe %s:%s in '%s'",
				provider, name, path);
	return 0;
}

int pals_usdt_find(const char *path, const char *provider, const char *name,
		   __u64 cookie, struct pals_usdt_sites *sites)
{
	Elf *elf;
	int fd, err;

	memset(sites, 0, sizeof(*sites));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pals_err(-errno, "usdt: opening '%s': %s", path,
				strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf)
		err = pals_usdt_scan(elf, path, provider, name, cookie, sites);
	else
		err = pals_err(-EINVAL, "usdt: '%s': %s", path, elf_errmsg(-1));
	elf_end(elf);
	close(fd);
	if (err)
		pals_usdt_sites_free(sites);
	return err;
}

void pals_usdt_sites_free(struct pals_usdt_sites *sites)
{
	free(sites->offsets);
	free(sites->ref_ctr_offsets);
	free(sites->specs);
	memset(sites, 0, sizeof(*sites));
}
