// SPDX-License-Identifier: GPL-2.0
/*
 * The target of each blob of a kprobe_multi or uprobe_multi link: the
 * link's info pairs every cookie, a blob's handle, with its function
 * address (named through /proc/kallsyms) or its file offset. The last
 * link's targets are kept: list walks a link's blobs one after another.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

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
 * Name each of @addrs by /proc/kallsyms, in one pass over it. Of aliases
 * (__x64_sys_getppid and __do_sys_getppid), a global symbol wins.
 */
static void ksyms_name(const __u64 *addrs, __u32 cnt, char **names)
{
	unsigned long long addr;
	char line[512], sym[256], type;
	__u32 *order, lo, hi, mid;
	bool *global;
	FILE *f;

	order = calloc(cnt, sizeof(*order));
	global = calloc(cnt, sizeof(*global));
	f = fopen("/proc/kallsyms", "r");
	if (!order || !global || !f)
		goto out;
	for (lo = 0; lo < cnt; lo++)
		order[lo] = lo;
	sort_addrs = addrs;
	qsort(order, cnt, sizeof(*order), addr_cmp);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) != 3 ||
		    !addr)
			continue;
		for (lo = 0, hi = cnt; lo < hi;) {
			mid = (lo + hi) / 2;
			if (addrs[order[mid]] < addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < cnt && addrs[order[lo]] == addr; lo++) {
			if (names[order[lo]] && (global[order[lo]] || type != 'T'))
				continue;
			free(names[order[lo]]);
			names[order[lo]] = strdup(sym);
			global[order[lo]] = type == 'T';
		}
	}
out:
	if (f)
		fclose(f);
	free(global);
	free(order);
}

/* Fetch the link's cookies and make every blob's target string. */
static int multi_load(int fd, const struct bpf_link_info *first)
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
	if (info.type == BPF_LINK_TYPE_KPROBE_MULTI) {
		syms = calloc(cnt, sizeof(*syms));
		if (syms)
			ksyms_name(where, cnt, syms);
		ret = info.kprobe_multi.flags & BPF_F_KPROBE_MULTI_RETURN;
	} else {
		ret = info.uprobe_multi.flags & BPF_F_UPROBE_MULTI_RETURN;
	}
	for (i = 0; i < cnt; i++) {
		if (info.type != BPF_LINK_TYPE_KPROBE_MULTI)
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
		  __u64 handle, char *buf, size_t len)
{
	__u32 i;

	if (last.link_id != link_id || !last.cnt) {
		multi_cleanup();
		if (multi_load(fd, info))
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
