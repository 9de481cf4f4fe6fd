// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The map fallback, where pals.ko is absent: blobs live in each BPF
 * object's "pals_blobs" hash map (bpf/pals_fallback.bpf.h), keyed by
 * their handle, each value a struct pals_fb_hdr and the blob's bytes. A
 * pals_ctx in fallback mode keeps the table of its blobs here instead of
 * a netlink socket; its blobs die with it, or with their object's map.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/pals.h>

#include "asked.h"
#include "fallback.h"
#include "log.h"
#include "pals_fallback.h"

/* Entries of a map, unless libpals is told more (kprobe.multi globs). */
#define PALS_FB_ENTRIES		65536

struct pals_fb_map {
	__u32 id;
	int fd;
	__u32 value_size;
};

struct pals_fb_blob {
	int map;		/* index in maps, -1 once deleted */
	__u32 prog_id;
	__u32 link_id;
	__u32 type_id;
	__u32 size;
};

/*
 * Blob @handle is blobs[handle - 1]: handles are never reused. @lock
 * (recursive: commands call each other) serialises the context's threads.
 */
struct pals_fb {
	pthread_mutex_t lock;
	struct pals_fb_map *maps;
	size_t nr_maps;
	struct pals_fb_blob *blobs;
	size_t nr_blobs;
	__u64 creates;
	__u64 deletes;
};

struct pals_fb *pals_fb_new(void)
{
	struct pals_fb *fb = calloc(1, sizeof(*fb));
	pthread_mutexattr_t attr;

	if (!fb)
		return NULL;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&fb->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	return fb;
}

void pals_fb_free(struct pals_fb *fb)
{
	size_t i;

	if (!fb)
		return;
	for (i = 0; i < fb->nr_blobs; i++)
		pals_fb_delete(fb, i + 1);
	for (i = 0; i < fb->nr_maps; i++)
		close(fb->maps[i].fd);
	free(fb->maps);
	free(fb->blobs);
	pthread_mutex_destroy(&fb->lock);
	free(fb);
}

static struct pals_fb_blob *pals_fb_blob(struct pals_fb *fb, __u64 handle)
{
	if (!handle || handle > fb->nr_blobs || fb->blobs[handle - 1].map < 0) {
		pals_err(-ENOENT, "no blob with handle %#llx", (unsigned long long)handle);
		return NULL;
	}
	return &fb->blobs[handle - 1];
}

/* The fallback map of a loaded program, or -1 if it has none. */
static int pals_fb_prog_map_fd(int prog_fd, __u32 *prog_id, __u32 *value_size)
{
	struct bpf_prog_info info = {};
	struct bpf_map_info minfo;
	__u32 len = sizeof(info), ids[64], i, n;
	int fd;

	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &len))
		return -1;
	if (prog_id)
		*prog_id = info.id;
	n = info.nr_map_ids < sizeof(ids) / sizeof(ids[0]) ?
	    info.nr_map_ids : sizeof(ids) / sizeof(ids[0]);
	for (i = 0; i < n; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		memset(&minfo, 0, sizeof(minfo));
		len = sizeof(minfo);
		if (!bpf_map_get_info_by_fd(fd, &minfo, &len) &&
		    !strcmp(minfo.name, PALS_FB_MAP) &&
		    minfo.value_size > sizeof(struct pals_fb_hdr)) {
			*value_size = minfo.value_size;
			return fd;
		}
		close(fd);
	}
	return -1;
}

bool pals_fb_prog(int prog_fd)
{
	__u32 value_size;
	int fd = pals_fb_prog_map_fd(prog_fd, NULL, &value_size);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The index of @prog_fd's map in @fb, added if new; -1 after pals_err(). */
static int pals_fb_map(struct pals_fb *fb, int prog_fd, __u32 *prog_id)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), value_size;
	struct pals_fb_map *maps;
	int fd = pals_fb_prog_map_fd(prog_fd, prog_id, &value_size);
	size_t i;

	if (fd < 0)
		return pals_err(-EINVAL, "the program has no blob map: it was loaded without pals_object__prepare() in fallback mode, or does not call pals_get()");
	if (bpf_map_get_info_by_fd(fd, &info, &len)) {
		close(fd);
		return pals_err(-errno, "blob map: %s", strerror(errno));
	}
	for (i = 0; i < fb->nr_maps; i++) {
		if (fb->maps[i].id == info.id) {
			close(fd);
			return i;
		}
	}
	maps = realloc(fb->maps, (fb->nr_maps + 1) * sizeof(*maps));
	if (!maps) {
		close(fd);
		return pals_err(-ENOMEM, "out of memory");
	}
	fb->maps = maps;
	maps[fb->nr_maps] = (struct pals_fb_map){ info.id, fd, value_size };
	return fb->nr_maps++;
}

/* Write a whole value: @hdr, then @size bytes of @data (NULL: zeros). */
static int pals_fb_put(const struct pals_fb_map *map, __u64 handle,
		       const struct pals_fb_blob *b, const void *data,
		       __u64 flags)
{
	struct pals_fb_hdr *hdr = calloc(1, map->value_size);
	int err = 0;

	if (!hdr)
		return pals_err(-ENOMEM, "out of memory");
	hdr->type_id = b->type_id;
	hdr->size = b->size;
	if (data)
		memcpy(hdr + 1, data, b->size);
	if (bpf_map_update_elem(map->fd, &handle, hdr, flags))
		err = pals_err(-errno, errno == E2BIG ?
			       "blob map full (%d entries): %s" :
			       "blob map update (%d): %s",
			       errno == E2BIG ? PALS_FB_ENTRIES : errno,
			       strerror(errno));
	free(hdr);
	return err;
}

static int __pals_fb_create_batch(struct pals_fb *fb, int prog_fd,
				  __u32 type_id, const void *data, size_t size,
				  size_t cnt, __u32 flags, __u64 *handles)
{
	struct pals_fb_blob *blobs, b = { .type_id = type_id, .size = size };
	size_t i;
	int err;

	if (flags & PALS_F_PINNED)
		return pals_err(-EOPNOTSUPP, "PALS_F_PINNED: the map fallback cannot keep a blob past its process (pals.ko is not loaded)");
	if (flags & PALS_F_PERCPU)
		return pals_err(-EOPNOTSUPP, "PALS_F_PERCPU: the map fallback has no per-CPU blobs (pals.ko is not loaded)");
	if (flags)
		return pals_err(-EINVAL, "flags %#x unknown", flags);
	if (!size)
		return pals_err(-EINVAL, "blob size missing");
	b.map = pals_fb_map(fb, prog_fd, &b.prog_id);
	if (b.map < 0)
		return b.map;
	if (size > fb->maps[b.map].value_size - sizeof(struct pals_fb_hdr))
		return pals_err(-EINVAL, "a blob of %zu bytes: the program's object asks for %zu at most",
				size, fb->maps[b.map].value_size - sizeof(struct pals_fb_hdr));
	blobs = realloc(fb->blobs, (fb->nr_blobs + cnt) * sizeof(*blobs));
	if (!blobs)
		return pals_err(-ENOMEM, "out of memory");
	fb->blobs = blobs;
	for (i = 0; i < cnt; i++) {
		handles[i] = fb->nr_blobs + 1;
		err = pals_fb_put(&fb->maps[b.map], handles[i], &b,
				  data ? (const char *)data + i * size : NULL,
				  BPF_NOEXIST);
		if (err) {
			while (i--)
				pals_fb_delete(fb, handles[i]);
			return err;
		}
		fb->blobs[fb->nr_blobs++] = b;
		fb->creates++;
	}
	return 0;
}

static int __pals_fb_bind_batch(struct pals_fb *fb, const __u64 *handles,
				size_t cnt, int link_fd)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	struct pals_fb_blob *b;
	size_t i;

	if (bpf_link_get_info_by_fd(link_fd, &info, &len))
		return pals_err(-errno, "link_fd: %s", strerror(errno));
	for (i = 0; i < cnt; i++)
		if (!pals_fb_blob(fb, handles[i]))
			return -ENOENT;
	for (i = 0; i < cnt; i++) {
		b = &fb->blobs[handles[i] - 1];
		if (b->prog_id != info.prog_id)
			return pals_err(-EINVAL, "blob %#llx is not for the link's program",
					(unsigned long long)handles[i]);
		b->link_id = info.id;
	}
	return 0;
}

static int __pals_fb_update(struct pals_fb *fb, __u64 handle, const void *data,
			    size_t size)
{
	struct pals_fb_blob *b = pals_fb_blob(fb, handle);

	if (!b)
		return -ENOENT;
	if (size != b->size)
		return pals_err(-EINVAL, "%zu bytes, but the blob has %u", size, b->size);
	return pals_fb_put(&fb->maps[b->map], handle, b, data, BPF_EXIST);
}

/* The whole value of blob @handle into a new buffer, or NULL. */
static struct pals_fb_hdr *pals_fb_get_value(struct pals_fb *fb, __u64 handle,
					     struct pals_fb_blob **bp)
{
	struct pals_fb_blob *b = pals_fb_blob(fb, handle);
	struct pals_fb_hdr *v;

	if (!b)
		return NULL;
	v = malloc(fb->maps[b->map].value_size);
	if (!v) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	if (bpf_map_lookup_elem(fb->maps[b->map].fd, &handle, v)) {
		pals_err(-ENOENT, "blob %#llx is gone from its map", (unsigned long long)handle);
		free(v);
		return NULL;
	}
	*bp = b;
	return v;
}

static int pals_fb_range(const struct pals_fb_blob *b, size_t off, size_t size)
{
	if (!size || off > b->size || size > b->size - off)
		return pals_err(-EINVAL, "bytes %zu..%zu are not in a blob of %u",
				off, off + size, b->size);
	return 0;
}

/*
 * A hash map value is replaced, not written in place: bytes a program
 * writes between the read and the update here are lost.
 */
static int __pals_fb_write(struct pals_fb *fb, __u64 handle, size_t off,
			   const void *data, size_t size)
{
	struct pals_fb_blob *b;
	struct pals_fb_hdr *v = pals_fb_get_value(fb, handle, &b);
	int err;

	if (!v)
		return -errno;
	err = pals_fb_range(b, off, size);
	if (!err) {
		memcpy((char *)(v + 1) + off, data, size);
		err = pals_fb_put(&fb->maps[b->map], handle, b, v + 1, BPF_EXIST);
	}
	free(v);
	return err;
}

static int __pals_fb_read(struct pals_fb *fb, __u64 handle, size_t off,
			  void *data, size_t size)
{
	struct pals_fb_blob *b;
	struct pals_fb_hdr *v = pals_fb_get_value(fb, handle, &b);
	int err;

	if (!v)
		return -errno;
	err = pals_fb_range(b, off, size);
	if (!err)
		memcpy(data, (char *)(v + 1) + off, size);
	free(v);
	return err;
}

static int __pals_fb_get(struct pals_fb *fb, __u64 handle,
			 struct pals_blob_info *info, void *data, size_t size)
{
	struct pals_fb_blob *b = pals_fb_blob(fb, handle);

	if (!b)
		return -ENOENT;
	if (info)
		*info = (struct pals_blob_info){
			.handle = handle, .prog_id = b->prog_id,
			.link_id = b->link_id, .type_id = b->type_id,
			.size = b->size, .owner_pid = getpid(),
		};
	if (!data)
		return 0;
	return __pals_fb_read(fb, handle, 0, data, size < b->size ? size : b->size);
}

static int __pals_fb_delete(struct pals_fb *fb, __u64 handle)
{
	struct pals_fb_blob *b;

	if (!handle || handle > fb->nr_blobs || fb->blobs[handle - 1].map < 0)
		return pals_err(-ENOENT, "no blob with handle %#llx",
				(unsigned long long)handle);
	b = &fb->blobs[handle - 1];
	bpf_map_delete_elem(fb->maps[b->map].fd, &handle);
	b->map = -1;
	fb->deletes++;
	return 0;
}

static int __pals_fb_delete_link(struct pals_fb *fb, __u32 link_id)
{
	size_t i;
	int n = 0;

	for (i = 0; i < fb->nr_blobs; i++)
		if (fb->blobs[i].map >= 0 && fb->blobs[i].link_id == link_id &&
		    !__pals_fb_delete(fb, i + 1))
			n++;
	return n ?: pals_err(-ENOENT, "no blob bound to link %u", link_id);
}

static int __pals_fb_read_link(struct pals_fb *fb, __u32 link_id,
			       pals_data_cb cb, void *arg)
{
	struct pals_fb_blob *b;
	struct pals_fb_hdr *v;
	size_t i;
	int ret;

	for (i = 0; i < fb->nr_blobs; i++) {
		if (fb->blobs[i].map < 0 ||
		    (link_id && fb->blobs[i].link_id != link_id))
			continue;
		v = pals_fb_get_value(fb, i + 1, &b);
		if (!v)
			return -errno;
		ret = cb(i + 1, v + 1, b->size, arg);
		free(v);
		if (ret)
			return ret;
	}
	return 0;
}

static int __pals_fb_for_each(struct pals_fb *fb, pals_blob_cb cb, void *arg)
{
	struct pals_blob_info info;
	size_t i;
	int ret;

	for (i = 0; i < fb->nr_blobs; i++) {
		if (fb->blobs[i].map < 0)
			continue;
		__pals_fb_get(fb, i + 1, &info, NULL, 0);
		ret = cb(&info, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int __pals_fb_stats(struct pals_fb *fb, struct pals_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < fb->nr_blobs; i++) {
		if (fb->blobs[i].map < 0)
			continue;
		st->blobs++;
		st->bytes += fb->blobs[i].size;
	}
	st->creates = fb->creates;
	st->deletes = fb->deletes;
	st->overhead = sizeof(struct pals_fb_hdr);
	return 0;
}

/* pals_fb_NAME(fb, ...): __pals_fb_NAME(fb, ...) under the context's lock. */
#define PALS_FB_LOCKED(name, params, args)				\
int pals_fb_##name params						\
{									\
	int ret;							\
									\
	pthread_mutex_lock(&fb->lock);					\
	ret = __pals_fb_##name args;					\
	pthread_mutex_unlock(&fb->lock);				\
	return ret;							\
}

PALS_FB_LOCKED(create_batch,
	       (struct pals_fb *fb, int prog_fd, __u32 type_id, const void *data,
		size_t size, size_t cnt, __u32 flags, __u64 *handles),
	       (fb, prog_fd, type_id, data, size, cnt, flags, handles))
PALS_FB_LOCKED(bind_batch,
	       (struct pals_fb *fb, const __u64 *handles, size_t cnt, int link_fd),
	       (fb, handles, cnt, link_fd))
PALS_FB_LOCKED(update,
	       (struct pals_fb *fb, __u64 handle, const void *data, size_t size),
	       (fb, handle, data, size))
PALS_FB_LOCKED(write,
	       (struct pals_fb *fb, __u64 handle, size_t off, const void *data,
		size_t size),
	       (fb, handle, off, data, size))
PALS_FB_LOCKED(read,
	       (struct pals_fb *fb, __u64 handle, size_t off, void *data,
		size_t size),
	       (fb, handle, off, data, size))
PALS_FB_LOCKED(get,
	       (struct pals_fb *fb, __u64 handle, struct pals_blob_info *info,
		void *data, size_t size),
	       (fb, handle, info, data, size))
PALS_FB_LOCKED(delete, (struct pals_fb *fb, __u64 handle), (fb, handle))
PALS_FB_LOCKED(delete_link, (struct pals_fb *fb, __u32 link_id), (fb, link_id))
PALS_FB_LOCKED(read_link,
	       (struct pals_fb *fb, __u32 link_id, pals_data_cb cb, void *arg),
	       (fb, link_id, cb, arg))
PALS_FB_LOCKED(for_each, (struct pals_fb *fb, pals_blob_cb cb, void *arg),
	       (fb, cb, arg))
PALS_FB_LOCKED(stats, (struct pals_fb *fb, struct pals_stats *st), (fb, st))

int pals_fb_unsupported(const char *what)
{
	return pals_err(-EOPNOTSUPP, "%s: the map fallback cannot (pals.ko is not loaded): its blobs live in the process's BPF objects",
			what);
}

/* The .rodata variable PALS_FB_FLAG of @obj, or NULL if it has none. */
static __u32 *pals_fb_flag(struct bpf_object *obj)
{
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec, *var;
	struct bpf_map *map;
	size_t len;
	char *data;
	int id, i;

	map = bpf_object__find_map_by_name(obj, ".rodata");
	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	if (!map || id < 0)
		return NULL;
	sec = btf__type_by_id(btf, id);
	data = bpf_map__initial_value(map, &len);
	vs = btf_var_secinfos(sec);
	for (i = 0; data && i < btf_vlen(sec); i++, vs++) {
		var = btf__type_by_id(btf, vs->type);
		if (!strcmp(btf__name_by_offset(btf, var->name_off), PALS_FB_FLAG) &&
		    vs->offset + sizeof(__u32) <= len)
			return (__u32 *)(data + vs->offset);
	}
	return NULL;
}

/*
 * The largest blob @obj's programs ask for, from their instructions, or
 * a negative errno if the kernel gives one of them no cookie.
 */
static long pals_fb_max_size(struct bpf_object *obj)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_program *prog;
	struct pals_asked asked;
	long max = 0;

	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog) ||
		    pals_insns_asked(bpf_program__insns(prog),
				     bpf_program__insn_cnt(prog), btf, &asked) ||
		    !asked.cnt)
			continue;
		if (pals_kind_check(prog))
			return -errno;
		if (asked.max_size > max)
			max = asked.max_size;
	}
	return max;
}

int pals_fb_prepare(struct bpf_object *obj, bool fallback)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, PALS_FB_MAP);
	__u32 *flag = pals_fb_flag(obj);
	long max;
	int err;

	if (!map || !flag)
		return 0;	/* no pals.bpf.h in the object */
	*flag = fallback;
	if (!fallback)
		return 0;
	max = pals_fb_max_size(obj);
	if (max < 0)
		return max;
	err = bpf_map__set_value_size(map, sizeof(struct pals_fb_hdr) + (max ?: 1)) ?:
	      bpf_map__set_max_entries(map, PALS_FB_ENTRIES);
	if (err)
		return pals_err(err, "sizing the blob map: %s", strerror(-err));
	return 0;
}
