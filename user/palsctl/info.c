// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel tells about a blob's program, BTF type and link. BTFs
 * are loaded once per id and kept for the rest of the run.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "palsctl.h"

struct btf_entry {
	__u32 id;
	struct btf *btf;	/* NULL: could not be loaded */
};

static struct btf_entry *btf_cache;
static size_t btf_cache_len;
static struct btf *vmlinux_btf;

static __u64 ptr_to_u64(const void *p)
{
	return (__u64)(unsigned long)p;
}

/* A kernel module's BTF is split: its base is vmlinux'. */
static struct btf *btf_load(__u32 id)
{
	struct bpf_btf_info info = {};
	__u32 len = sizeof(info);
	char name[64] = "";
	int fd, err;

	fd = bpf_btf_get_fd_by_id(id);
	if (fd < 0)
		return NULL;
	info.name = ptr_to_u64(name);
	info.name_len = sizeof(name);
	err = bpf_btf_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return NULL;
	if (!info.kernel_btf || !strcmp(name, "vmlinux"))
		return btf__load_from_kernel_by_id(id);
	if (!vmlinux_btf)
		vmlinux_btf = btf__load_vmlinux_btf();
	return vmlinux_btf ? btf__load_from_kernel_by_id_split(id, vmlinux_btf) :
			     NULL;
}

static const struct btf *btf_get(__u32 id)
{
	struct btf_entry *cache;
	size_t i;

	for (i = 0; i < btf_cache_len; i++)
		if (btf_cache[i].id == id)
			return btf_cache[i].btf;
	cache = realloc(btf_cache, (btf_cache_len + 1) * sizeof(*cache));
	if (!cache)
		return NULL;
	btf_cache = cache;
	btf_cache[btf_cache_len].id = id;
	btf_cache[btf_cache_len].btf = btf_load(id);
	return btf_cache[btf_cache_len++].btf;
}

void info_cleanup(void)
{
	size_t i;

	for (i = 0; i < btf_cache_len; i++)
		btf__free(btf_cache[i].btf);
	free(btf_cache);
	btf_cache = NULL;
	btf_cache_len = 0;
	btf__free(vmlinux_btf);
	vmlinux_btf = NULL;
	multi_cleanup();
}

/* "struct foo", "union foo", "const struct foo", a typedef's name. */
static void type_name(const struct btf *btf, __u32 id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name, *prefix = "";

	if (!t) {
		snprintf(buf, len, "-");
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	if (!name || !*name)
		name = "(anon)";
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
		prefix = "struct ";
		break;
	case BTF_KIND_UNION:
		prefix = "union ";
		break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		prefix = btf_is_const(t) ? "const " :
			 btf_is_volatile(t) ? "volatile " : "restrict ";
		snprintf(buf, len, "%s", prefix);
		type_name(btf, t->type, buf + strlen(buf), len - strlen(buf));
		return;
	case BTF_KIND_TYPE_TAG:
		type_name(btf, t->type, buf, len);
		return;
	}
	snprintf(buf, len, "%s%s", prefix, name);
}

static void prog_describe(__u32 prog_id, __u32 type_id, struct blob_desc *d)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd, err;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return;
	err = bpf_prog_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return;
	if (info.name[0])
		snprintf(d->prog_name, sizeof(d->prog_name), "%s", info.name);
	d->btf = info.btf_id ? btf_get(info.btf_id) : NULL;
	if (d->btf)
		type_name(d->btf, type_id, d->type_name, sizeof(d->type_name));
}

/* The name of type @type_id in kernel BTF object @obj_id, or NULL. */
static const char *kernel_type_name(__u32 obj_id, __u32 type_id)
{
	const struct btf *btf = obj_id ? btf_get(obj_id) : NULL;
	const struct btf_type *t = btf ? btf__type_by_id(btf, type_id) : NULL;

	return t ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static void perf_event_target(const struct bpf_link_info *info,
			      const char *name, char *buf, size_t len)
{
	switch (info->perf_event.type) {
	case BPF_PERF_EVENT_KPROBE:
	case BPF_PERF_EVENT_KRETPROBE:
		snprintf(buf, len, "%s:%s+0x%x",
			 info->perf_event.type == BPF_PERF_EVENT_KPROBE ?
			 "kprobe" : "kretprobe", name,
			 info->perf_event.kprobe.offset);
		break;
	case BPF_PERF_EVENT_UPROBE:
	case BPF_PERF_EVENT_URETPROBE:
		snprintf(buf, len, "%s:%s+0x%x",
			 info->perf_event.type == BPF_PERF_EVENT_UPROBE ?
			 "uprobe" : "uretprobe", name,
			 info->perf_event.uprobe.offset);
		break;
	case BPF_PERF_EVENT_TRACEPOINT:
		snprintf(buf, len, "tracepoint:%s", name);
		break;
	case BPF_PERF_EVENT_EVENT:
		snprintf(buf, len, "event:%u:0x%llx",
			 info->perf_event.event.type,
			 (unsigned long long)info->perf_event.event.config);
		break;
	}
}

/*
 * Where the link is attached. The kinds that report a name or a path
 * are asked again, with a buffer for it. A uprobe_multi place is named
 * by its function if @names (not for USDT sites: a site at a function's
 * entry is no probe of that function).
 */
static void link_target(int fd, struct bpf_link_info *info,
			const struct pals_blob_info *blob, bool names,
			char *buf, size_t len)
{
	__u32 info_len = sizeof(*info);
	char name[PATH_MAX] = "";
	bool again = true;
	const char *s;
	__u32 cnt;

	switch (info->type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		info->raw_tracepoint.tp_name = ptr_to_u64(name);
		info->raw_tracepoint.tp_name_len = sizeof(name);
		break;
	case BPF_LINK_TYPE_PERF_EVENT:
		/* The name pointer and length are at the same place in all. */
		info->perf_event.kprobe.func_name = ptr_to_u64(name);
		info->perf_event.kprobe.name_len = sizeof(name);
		break;
	case BPF_LINK_TYPE_UPROBE_MULTI:
		info->uprobe_multi.path = ptr_to_u64(name);
		info->uprobe_multi.path_size = sizeof(name);
		break;
	default:
		again = false;
	}
	if (again && bpf_link_get_info_by_fd(fd, info, &info_len))
		return;

	switch (info->type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		snprintf(buf, len, "%s", name);
		break;
	case BPF_LINK_TYPE_TRACING:
		s = kernel_type_name(info->tracing.target_obj_id,
				     info->tracing.target_btf_id);
		snprintf(buf, len, "%s:%s",
			 libbpf_bpf_attach_type_str(info->tracing.attach_type) ?: "-",
			 s ?: "-");
		break;
	case BPF_LINK_TYPE_PERF_EVENT:
		perf_event_target(info, name, buf, len);
		break;
	case BPF_LINK_TYPE_KPROBE_MULTI:
		if (multi_target(fd, info, blob->link_id, blob->handle, true,
				 buf, len))
			break;
		cnt = info->kprobe_multi.count;
		snprintf(buf, len, "%u function%s%s", cnt, cnt == 1 ? "" : "s",
			 info->kprobe_multi.flags & BPF_F_KPROBE_MULTI_RETURN ?
			 " (return)" : "");
		break;
	case BPF_LINK_TYPE_UPROBE_MULTI:
		if (multi_target(fd, info, blob->link_id, blob->handle, names,
				 buf, len))
			break;
		cnt = info->uprobe_multi.count;
		snprintf(buf, len, "%u place%s in %s%s", cnt,
			 cnt == 1 ? "" : "s", name,
			 info->uprobe_multi.flags & BPF_F_UPROBE_MULTI_RETURN ?
			 " (return)" : "");
		break;
	}
}

static void link_describe(const struct pals_blob_info *blob,
			  struct blob_desc *d)
{
	bool usdt = !strcmp(d->type_name, "struct pals_usdt_spec");
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	const char *kind;
	int fd;

	fd = bpf_link_get_fd_by_id(blob->link_id);
	if (fd < 0)
		return;
	if (!bpf_link_get_info_by_fd(fd, &info, &len)) {
		kind = libbpf_bpf_link_type_str(info.type);
		if (kind)
			snprintf(d->link_kind, sizeof(d->link_kind), "%s", kind);
		link_target(fd, &info, blob, !usdt, d->link_target,
			    sizeof(d->link_target));
		/* A USDT site is a uprobe whose blob holds the site's spec. */
		if (usdt && !strncmp(d->link_target, "uprobe:", 7)) {
			memmove(d->link_target + 5, d->link_target + 7,
				strlen(d->link_target + 7) + 1);
			memcpy(d->link_target, "usdt:", 5);
		}
	}
	close(fd);
}

void blob_describe(const struct pals_blob_info *info, struct blob_desc *d)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->prog_name, "-");
	strcpy(d->type_name, "-");
	strcpy(d->link_kind, "-");
	strcpy(d->link_target, "-");
	prog_describe(info->prog_id, info->type_id, d);
	if (info->link_id)
		link_describe(info, d);
}
