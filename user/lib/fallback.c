// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The map fallback, where pals.ko is absent: blobs live in each BPF
 * object's "pals_blobs" ARRAY (bpf/pals_fallback.bpf.h), a slot each
 * named by the handle, or when every slot is taken in its "pals_overflow"
 * HASH, keyed by the handle; each value a struct pals_fb_hdr and the
 * blob's bytes. A pals_ctx in fallback mode keeps the table of its blobs
 * and the slots it took here instead of a netlink socket; its blobs die
 * with it, or with their object's maps.
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

/*
 * The ARRAY's slots: as many per program that calls pals_get() (an
 * attach point each, with room for multi-links and several attaches),
 * at least PALS_FB_SLOTS_MIN, and no more than PALS_FB_ARRAY_BYTES of
 * values (an ARRAY allocates them all at creation). The HASH takes the
 * rest, up to PALS_FB_OVERFLOW_ENTRIES, allocated as they come.
 */
#define PALS_FB_SLOTS_PER_PROG		64
#define PALS_FB_SLOTS_MIN		256
#define PALS_FB_ARRAY_BYTES		(4 << 20)
#define PALS_FB_OVERFLOW_ENTRIES	65536

struct pals_fb_map {
	__u32 id;		/* the ARRAY's */
	int fd;			/* the ARRAY */
	int overflow_fd;	/* the HASH */
	__u32 value_size;
	__u32 nr_slots;
	__u32 next_slot;	/* where the search for a free slot starts */
	__u32 nr_taken;
	bool *taken;		/* by this context, or found taken */
};

struct pals_fb_blob {
	int map;		/* index in maps, -1 once deleted */
	__u32 slot;		/* in the map's ARRAY, or PALS_FB_NO_SLOT */
	__u32 prog_id;
	__u32 link_id;
	__u32 type_id;
	__u32 size;
};

/*
 * The blob with serial number s is blobs[s - 1]: serial numbers are never
 * reused. @lock (recursive: commands call each other) serialises the
 * context's threads.
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

/* The handle of blobs[@i]. */
static __u64 pals_fb_handle(const struct pals_fb *fb, size_t i)
{
	return PALS_FB_HANDLE(i + 1, fb->blobs[i].slot);
}

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
		if (fb->blobs[i].map >= 0)
			pals_fb_delete(fb, pals_fb_handle(fb, i));
	for (i = 0; i < fb->nr_maps; i++) {
		close(fb->maps[i].fd);
		close(fb->maps[i].overflow_fd);
		free(fb->maps[i].taken);
	}
	free(fb->maps);
	free(fb->blobs);
	pthread_mutex_destroy(&fb->lock);
	free(fb);
}

static struct pals_fb_blob *pals_fb_blob(struct pals_fb *fb, __u64 handle)
{
	__u32 serial = PALS_FB_SERIAL(handle);

	if (!serial || serial > fb->nr_blobs || fb->blobs[serial - 1].map < 0 ||
	    fb->blobs[serial - 1].slot != PALS_FB_SLOT(handle)) {
		pals_err(-ENOENT, "no blob with handle %#llx", (unsigned long long)handle);
		return NULL;
	}
	return &fb->blobs[serial - 1];
}

/*
 * The fallback's maps of a loaded program (@map's fds), or -1 if none;
 * its id and name in @prog_id and @name (BPF_OBJ_NAME_LEN) if not NULL.
 */
static int pals_fb_prog_maps(int prog_fd, __u32 *prog_id, char *name,
			     struct pals_fb_map *map)
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
	if (name)
		memcpy(name, info.name, BPF_OBJ_NAME_LEN);
	memset(map, 0, sizeof(*map));
	map->fd = map->overflow_fd = -1;
	n = info.nr_map_ids < sizeof(ids) / sizeof(ids[0]) ?
	    info.nr_map_ids : sizeof(ids) / sizeof(ids[0]);
	for (i = 0; i < n; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		memset(&minfo, 0, sizeof(minfo));
		len = sizeof(minfo);
		if (bpf_map_get_info_by_fd(fd, &minfo, &len) ||
		    minfo.value_size <= sizeof(struct pals_fb_hdr)) {
			close(fd);
		} else if (!strcmp(minfo.name, PALS_FB_MAP) && map->fd < 0) {
			map->fd = fd;
			map->id = minfo.id;
			map->value_size = minfo.value_size;
			map->nr_slots = minfo.max_entries;
		} else if (!strcmp(minfo.name, PALS_FB_OVERFLOW) &&
			   map->overflow_fd < 0) {
			map->overflow_fd = fd;
		} else {
			close(fd);
		}
	}
	if (map->fd >= 0 && map->overflow_fd >= 0)
		return 0;
	close(map->fd);
	close(map->overflow_fd);
	return -1;
}

bool pals_fb_prog(int prog_fd)
{
	struct pals_fb_map map;

	if (pals_fb_prog_maps(prog_fd, NULL, NULL, &map))
		return false;
	close(map.fd);
	close(map.overflow_fd);
	return true;
}

/* The index of @prog_fd's maps in @fb, added if new; -1 after pals_err(). */
static int pals_fb_map(struct pals_fb *fb, int prog_fd, __u32 *prog_id)
{
	char name[BPF_OBJ_NAME_LEN] = "";
	struct pals_fb_map map, *maps;
	size_t i;

	if (pals_fb_prog_maps(prog_fd, prog_id, name, &map))
		return pals_err(-EINVAL, "program '%s' has no blob map: it does not call pals_get(), or its object was prepared for pals.ko (module mode) and the context runs on the map fallback (fallback mode)",
				name);
	for (i = 0; i < fb->nr_maps; i++) {
		if (fb->maps[i].id == map.id) {
			close(map.fd);
			close(map.overflow_fd);
			return i;
		}
	}
	map.taken = calloc(map.nr_slots, sizeof(*map.taken));
	maps = map.taken ? realloc(fb->maps, (fb->nr_maps + 1) * sizeof(*maps)) : NULL;
	if (!maps) {
		free(map.taken);
		close(map.fd);
		close(map.overflow_fd);
		return pals_err(-ENOMEM, "out of memory");
	}
	fb->maps = maps;
	maps[fb->nr_maps] = map;
	return fb->nr_maps++;
}

/*
 * A free slot of @map, taken, or PALS_FB_NO_SLOT when there is none. A
 * slot whose value holds a check word belongs to another context (of this
 * process: the maps are its own) and is skipped.
 */
static __u32 pals_fb_take_slot(struct pals_fb_map *map,
			       struct pals_fb_hdr *scratch)
{
	__u32 i, slot;

	for (i = 0; i < map->nr_slots && map->nr_taken < map->nr_slots; i++) {
		slot = (map->next_slot + i) % map->nr_slots;
		if (map->taken[slot])
			continue;
		map->taken[slot] = true;
		map->nr_taken++;
		if (!bpf_map_lookup_elem(map->fd, &slot, scratch) &&
		    scratch->check)
			continue;
		map->next_slot = slot + 1;
		return slot;
	}
	return PALS_FB_NO_SLOT;
}

static void pals_fb_free_slot(struct pals_fb_map *map, __u32 slot)
{
	if (slot == PALS_FB_NO_SLOT)
		return;
	map->taken[slot] = false;
	map->nr_taken--;
}

/* Write a whole value: @hdr, then @size bytes of @data (NULL: zeros). */
static int pals_fb_put(const struct pals_fb_map *map, __u64 handle,
		       const struct pals_fb_blob *b, const void *data,
		       __u64 flags)
{
	struct pals_fb_hdr *hdr = calloc(1, map->value_size);
	__u32 slot = PALS_FB_SLOT(handle);
	int err = 0;

	if (!hdr)
		return pals_err(-ENOMEM, "out of memory");
	hdr->check = PALS_FB_CHECK(handle, b->type_id, b->size);
	hdr->size = b->size;
	if (data)
		memcpy(hdr + 1, data, b->size);
	if (slot != PALS_FB_NO_SLOT ?
	    bpf_map_update_elem(map->fd, &slot, hdr, 0) :
	    bpf_map_update_elem(map->overflow_fd, &handle, hdr, flags))
		err = -errno;
	free(hdr);
	if (err == -E2BIG)
		return pals_err(err, "blob maps full: %u slots and %d more blobs",
				map->nr_slots, PALS_FB_OVERFLOW_ENTRIES);
	if (err)
		return pals_err(err, "blob map update: %s", strerror(-err));
	return err;
}

static int __pals_fb_create_batch(struct pals_fb *fb, int prog_fd,
				  __u32 type_id, const void *data, size_t size,
				  size_t cnt, __u32 flags, __u64 *handles)
{
	struct pals_fb_blob *blobs, b = { .type_id = type_id, .size = size };
	struct pals_fb_hdr *scratch;
	struct pals_fb_map *map;
	size_t i;
	int err = 0;

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
	/* As pals.ko: a blob no pals_get() could find is an error. */
	err = pals_btf_size_check(prog_fd, type_id, size);
	if (err)
		return err;
	if (size > fb->maps[b.map].value_size - sizeof(struct pals_fb_hdr))
		return pals_err(-EINVAL, "a blob of %zu bytes: the program's object asks for %zu at most",
				size, fb->maps[b.map].value_size - sizeof(struct pals_fb_hdr));
	if (cnt > UINT32_MAX - fb->nr_blobs)
		return pals_err(-ENOSPC, "the context made %zu blobs: its handles are used up",
				fb->nr_blobs);
	blobs = realloc(fb->blobs, (fb->nr_blobs + cnt) * sizeof(*blobs));
	if (!blobs)
		return pals_err(-ENOMEM, "out of memory");
	fb->blobs = blobs;
	map = &fb->maps[b.map];
	scratch = malloc(map->value_size);
	if (!scratch)
		return pals_err(-ENOMEM, "out of memory");
	for (i = 0; i < cnt; i++) {
		b.slot = pals_fb_take_slot(map, scratch);
		handles[i] = PALS_FB_HANDLE(fb->nr_blobs + 1, b.slot);
		err = pals_fb_put(map, handles[i], &b,
				  data ? (const char *)data + i * size : NULL,
				  BPF_NOEXIST);
		if (err) {
			pals_fb_free_slot(map, b.slot);
			while (i--)
				pals_fb_delete(fb, handles[i]);
			break;
		}
		fb->blobs[fb->nr_blobs++] = b;
		fb->creates++;
	}
	free(scratch);
	return err;
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
		b = pals_fb_blob(fb, handles[i]);
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
	const struct pals_fb_map *map;
	struct pals_fb_hdr *v;
	__u32 slot = PALS_FB_SLOT(handle);

	if (!b)
		return NULL;
	map = &fb->maps[b->map];
	v = malloc(map->value_size);
	if (!v) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	if ((slot != PALS_FB_NO_SLOT ?
	     bpf_map_lookup_elem(map->fd, &slot, v) :
	     bpf_map_lookup_elem(map->overflow_fd, &handle, v)) ||
	    v->check != PALS_FB_CHECK(handle, b->type_id, b->size)) {
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
 * A map value is replaced, not written in place: bytes a program writes
 * between the read and the update here are lost.
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

/* A deleted blob's slot holds zeros: no handle finds it until reused. */
static int __pals_fb_delete(struct pals_fb *fb, __u64 handle)
{
	struct pals_fb_blob *b = pals_fb_blob(fb, handle);
	struct pals_fb_map *map;
	struct pals_fb_hdr *zero;

	if (!b)
		return -ENOENT;
	map = &fb->maps[b->map];
	if (b->slot == PALS_FB_NO_SLOT) {
		bpf_map_delete_elem(map->overflow_fd, &handle);
	} else {
		zero = calloc(1, map->value_size);
		if (!zero)
			return pals_err(-ENOMEM, "out of memory");
		bpf_map_update_elem(map->fd, &b->slot, zero, 0);
		free(zero);
		pals_fb_free_slot(map, b->slot);
	}
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
		    !__pals_fb_delete(fb, pals_fb_handle(fb, i)))
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
		v = pals_fb_get_value(fb, pals_fb_handle(fb, i), &b);
		if (!v)
			return -errno;
		ret = cb(pals_fb_handle(fb, i), v + 1, b->size, arg);
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
		__pals_fb_get(fb, pals_fb_handle(fb, i), &info, NULL, 0);
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
 * The largest blob @obj's programs ask for, from their instructions, and
 * how many programs ask (*@progs), or a negative errno if the kernel
 * gives one of them no cookie.
 */
static long pals_fb_max_size(struct bpf_object *obj, __u32 *progs)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_program *prog;
	struct pals_asked asked;
	long max = 0;

	*progs = 0;
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
		(*progs)++;
	}
	return max;
}

/* The ARRAY's slots for @progs programs and values of @value_size bytes. */
static __u32 pals_fb_slots(__u32 progs, __u32 value_size)
{
	__u32 slots = progs * PALS_FB_SLOTS_PER_PROG;

	if (slots < PALS_FB_SLOTS_MIN)
		slots = PALS_FB_SLOTS_MIN;
	if (slots > PALS_FB_ARRAY_BYTES / value_size)
		slots = PALS_FB_ARRAY_BYTES / value_size;
	return slots ?: 1;
}

int pals_fb_prepare(struct bpf_object *obj, bool fallback)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, PALS_FB_MAP);
	struct bpf_map *overflow = bpf_object__find_map_by_name(obj, PALS_FB_OVERFLOW);
	__u32 *flag = pals_fb_flag(obj), value_size, progs;
	long max;
	int err;

	if (!map || !overflow || !flag)
		return 0;	/* no pals.bpf.h in the object */
	*flag = fallback;
	if (!fallback)
		return 0;
	max = pals_fb_max_size(obj, &progs);
	if (max < 0)
		return max;
	value_size = sizeof(struct pals_fb_hdr) + (max ?: 1);
	err = bpf_map__set_value_size(map, value_size) ?:
	      bpf_map__set_max_entries(map, pals_fb_slots(progs, value_size)) ?:
	      bpf_map__set_value_size(overflow, value_size) ?:
	      bpf_map__set_max_entries(overflow, PALS_FB_OVERFLOW_ENTRIES);
	if (err)
		return pals_err(err, "sizing the blob maps: %s", strerror(-err));
	return 0;
}
