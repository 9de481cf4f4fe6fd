// SPDX-License-Identifier: GPL-2.0
/*
 * The target of each blob of a kprobe_multi or uprobe_multi link: the
 * link's info pairs every cookie, a blob's handle, with its function
 * address (named through /proc/kallsyms) or its file offset (named by
 * the function starting there, from the file's symbols). The last
 * link's targets are kept: list walks a link's blobs one after another.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "elffile.h"
#include "palsctl.h"

static struct {
	__u32 link_id;
	__u32 cnt;
	__u64 *cookies;
	char **targets;
} last;

void multi_cleanup(void)
{
	__u32 i;

	for (i = 0; i < last.cnt; i++)
		free(last.targets[i]);
	free(last.targets);
	free(last.cookies);
	memset(&last, 0, sizeof(last));
}

static const __u64 *sort_addrs;

static int addr_cmp(const void *a, const void *b)
{
	__u64 x = sort_addrs[*(const __u32 *)a];
	__u64 y = sort_addrs[*(const __u32 *)b];

	return x < y ? -1 : x > y;
}

/*
 * Names for @cnt addresses (or file offsets), given the symbols of a list
 * one by one to namer_add(). Of aliases (__x64_sys_getppid and
 * __do_sys_getppid), a global symbol wins.
 */
struct namer {
	const __u64 *addrs;
	__u32 cnt;
	__u32 *order;	/* indexes into addrs, by address */
	bool *global;	/* names[i] is a global symbol's */
	char **names;
};

static bool namer_init(struct namer *n, const __u64 *addrs, __u32 cnt,
		       char **names)
{
	__u32 i;

	n->addrs = addrs;
	n->cnt = cnt;
	n->names = names;
	n->order = calloc(cnt, sizeof(*n->order));
	n->global = calloc(cnt, sizeof(*n->global));
	if (!n->order || !n->global) {
		free(n->order);
		free(n->global);
		return false;
	}
	for (i = 0; i < cnt; i++)
		n->order[i] = i;
	sort_addrs = addrs;
	qsort(n->order, cnt, sizeof(*n->order), addr_cmp);
	return true;
}

static void namer_add(struct namer *n, __u64 addr, const char *sym,
		      bool global)
{
	__u32 lo = 0, hi = n->cnt, mid, i;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (n->addrs[n->order[mid]] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n->cnt && n->addrs[n->order[lo]] == addr; lo++) {
		i = n->order[lo];
		if (n->names[i] && (n->global[i] || !global))
			continue;
		free(n->names[i]);
		n->names[i] = strdup(sym);
		n->global[i] = global;
	}
}

static void namer_free(struct namer *n)
{
	free(n->global);
	free(n->order);
}

/* Name each of @addrs by /proc/kallsyms, in one pass over it. */
static void ksyms_name(const __u64 *addrs, __u32 cnt, char **names)
{
	unsigned long long addr;
	char line[512], sym[256], type;
	struct namer n;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	if (namer_init(&n, addrs, cnt, names)) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%llx %c %255s", &addr, &type, sym) == 3 &&
			    addr)
				namer_add(&n, addr, sym, type == 'T');
		namer_free(&n);
	}
	fclose(f);
}

struct elf_namer {
	Elf *elf;
	struct namer *n;
};

static int elf_sym_name(const char *name, const GElf_Sym *sym, void *arg)
{
	const struct elf_namer *e = arg;
	unsigned long off;

	if (GELF_ST_TYPE(sym->st_info) == STT_FUNC && sym->st_value &&
	    !pals_elf_offset(e->elf, sym->st_value, true, &off))
		namer_add(e->n, off, name,
			  GELF_ST_BIND(sym->st_info) == STB_GLOBAL);
	return 0;
}

/*
 * Name each of the file offsets @offs of @path by the function starting
 * there, as a uprobe_multi link made from function names has them.
 */
static void elf_name(const char *path, const __u64 *offs, __u32 cnt,
		     char **names)
{
	struct namer n;
	Elf *elf;
	int fd;

	elf = pals_elf_open(path, &fd);
	if (!elf)
		return;
	if (namer_init(&n, offs, cnt, names)) {
		pals_elf_syms(elf, elf_sym_name,
			      &(struct elf_namer){ elf, &n });
		namer_free(&n);
	}
	pals_elf_close(elf, fd);
}

/*
 * Fetch the link's cookies and make every blob's target string, naming
 * uprobe_multi places by function if @names.
 */
static int multi_load(int fd, const struct bpf_link_info *first, bool names)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info), cnt, i;
	char path[PATH_MAX] = "", t[PATH_MAX + 64], **syms = NULL;
	__u64 *where;
	bool ret;

	cnt = first->type == BPF_LINK_TYPE_KPROBE_MULTI ?
	      first->kprobe_multi.count : first->uprobe_multi.count;
	last.cookies = calloc(cnt, sizeof(__u64));
	last.targets = calloc(cnt, sizeof(char *));
	where = calloc(cnt, sizeof(__u64));
	if (!last.cookies || !last.targets || !where || !cnt)
		goto err;
	if (first->type == BPF_LINK_TYPE_KPROBE_MULTI) {
		info.kprobe_multi.addrs = (__u64)(unsigned long)where;
		info.kprobe_multi.cookies = (__u64)(unsigned long)last.cookies;
		info.kprobe_multi.count = cnt;
	} else {
		info.uprobe_multi.path = (__u64)(unsigned long)path;
		info.uprobe_multi.path_size = sizeof(path);
		info.uprobe_multi.offsets = (__u64)(unsigned long)where;
		info.uprobe_multi.cookies = (__u64)(unsigned long)last.cookies;
		info.uprobe_multi.count = cnt;
	}
	if (bpf_link_get_info_by_fd(fd, &info, &len))
		goto err;
	last.cnt = cnt;
	if (info.type == BPF_LINK_TYPE_KPROBE_MULTI || names)
		syms = calloc(cnt, sizeof(*syms));
	if (info.type == BPF_LINK_TYPE_KPROBE_MULTI) {
		if (syms)
			ksyms_name(where, cnt, syms);
		ret = info.kprobe_multi.flags & BPF_F_KPROBE_MULTI_RETURN;
	} else {
		if (syms)
			elf_name(path, where, cnt, syms);
		ret = info.uprobe_multi.flags & BPF_F_UPROBE_MULTI_RETURN;
	}
	for (i = 0; i < cnt; i++) {
		if (info.type != BPF_LINK_TYPE_KPROBE_MULTI && syms && syms[i])
			snprintf(t, sizeof(t), "%s:%s:%s",
				 ret ? "uretprobe" : "uprobe", path, syms[i]);
		else if (info.type != BPF_LINK_TYPE_KPROBE_MULTI)
			snprintf(t, sizeof(t), "%s:%s+0x%llx",
				 ret ? "uretprobe" : "uprobe", path,
				 (unsigned long long)where[i]);
		else if (syms && syms[i])
			snprintf(t, sizeof(t), "%s:%s",
				 ret ? "kretprobe" : "kprobe", syms[i]);
		else
			snprintf(t, sizeof(t), "%s:0x%llx",
				 ret ? "kretprobe" : "kprobe",
				 (unsigned long long)where[i]);
		last.targets[i] = strdup(t);
		free(syms ? syms[i] : NULL);
	}
	free(syms);
	free(where);
	return 0;
err:
	free(where);
	multi_cleanup();
	return -1;
}

bool multi_target(int fd, const struct bpf_link_info *info, __u32 link_id,
		  __u64 handle, bool names, char *buf, size_t len)
{
	__u32 i;

	if (last.link_id != link_id || !last.cnt) {
		multi_cleanup();
		if (multi_load(fd, info, names))
			return false;
		last.link_id = link_id;
	}
	for (i = 0; i < last.cnt; i++) {
		if (last.cookies[i] != handle || !last.targets[i])
			continue;
		snprintf(buf, len, "%s", last.targets[i]);
		return true;
	}
	return false;
}
