// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Blob types: a name in a loaded program's BTF to a checked type id. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "asked.h"
#include "fallback.h"
#include "libpals.h"
#include "link.h"
#include "log.h"

/*
 * The BTF the kernel holds for a program is the one the kernel checks
 * blob types against, so it is read from there, by id. One is cached:
 * attaching many times with one program reads it once.
 */
static struct {
	pthread_mutex_t lock;
	__u32 id;
	struct btf *btf;
} pals_btf_cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int pals_prog_btf_id(const struct bpf_program *prog, __u32 *btf_id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(prog);

	if (fd < 0)
		return pals_err(-EINVAL, "program '%s' is not loaded",
				bpf_program__name(prog));
	if (bpf_prog_get_info_by_fd(fd, &info, &len))
		return pals_err(-errno, "program '%s': %s",
				bpf_program__name(prog), strerror(errno));
	if (!info.btf_id)
		return pals_err(-ENOENT, "program '%s' was loaded without BTF",
				bpf_program__name(prog));
	*btf_id = info.btf_id;
	return 0;
}

/* Look @name up as "struct X", "union X" or a plain (typedef) name. */
static int pals_btf_find(const struct btf *btf, const char *name)
{
	if (!strncmp(name, "struct ", 7))
		return btf__find_by_name_kind(btf, name + 7, BTF_KIND_STRUCT);
	if (!strncmp(name, "union ", 6))
		return btf__find_by_name_kind(btf, name + 6, BTF_KIND_UNION);
	return btf__find_by_name(btf, name);
}

/* @id as C spells it: "struct x", "const union y", "x_t". */
static void pals_btf_name(const struct btf *btf, __u32 id, char *buf,
			  size_t size)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	int n;

	if (t && btf_is_mod(t)) {
		n = snprintf(buf, size, "%s",
			     btf_is_const(t) ? "const " :
			     btf_is_volatile(t) ? "volatile " :
			     btf_is_restrict(t) ? "restrict " : "");
		if (n >= 0 && (size_t)n < size)
			pals_btf_name(btf, t->type, buf + n, size - n);
		return;
	}
	snprintf(buf, size, "%s%s",
		 !t ? "" : btf_is_struct(t) ? "struct " :
		 btf_is_union(t) ? "union " : "", name ? name : "?");
}

/* "'struct a'" or "'struct a', 'struct b'": what the program asks for. */
static void pals_asked_names(const struct btf *btf,
			     const struct pals_asked *asked, char *buf,
			     size_t size)
{
	char name[128];
	unsigned int i;
	size_t n = 0;
	int len;

	buf[0] = 0;
	for (i = 0; i < asked->cnt && n < size; i++) {
		pals_btf_name(btf, asked->ids[i], name, sizeof(name));
		len = snprintf(buf + n, size - n, "%s'%s'", i ? ", " : "", name);
		if (len < 0)
			break;
		n += len;
	}
}

/* The type the program asks for, when it asks for exactly one. */
static int pals_btf_pick(const struct bpf_program *prog,
			 const struct btf *btf, const struct pals_asked *asked)
{
	const char *prog_name = bpf_program__name(prog);
	char names[256];

	if (asked->cnt == 1 && !asked->unknown)
		return asked->ids[0];
	if (asked->cnt > 1) {
		pals_asked_names(btf, asked, names, sizeof(names));
		return pals_err(-EINVAL, "program '%s' asks for %s: name the blob's type",
				prog_name, names);
	}
	if (asked->unknown)
		return pals_err(-EINVAL, "program '%s': the type it asks pals_get() for is not a constant here: name the blob's type",
				prog_name);
	return pals_err(-ENOENT, "program '%s' does not call pals_get(): it has no blob to read",
			prog_name);
}

/* A named type must be one the program asks for, if that is known. */
static int pals_btf_asked(const struct bpf_program *prog,
			  const struct btf *btf, const struct pals_asked *asked,
			  const char *name, int id)
{
	char names[256];
	unsigned int i;

	for (i = 0; i < asked->cnt; i++)
		if (asked->ids[i] == (__u32)id)
			return id;
	if (asked->unknown)
		return id;
	if (!asked->cnt)
		return pals_err(-ENOENT, "program '%s' does not call pals_get(): it never reads a '%s'",
				bpf_program__name(prog), name);
	pals_asked_names(btf, asked, names, sizeof(names));
	return pals_err(-EINVAL, "program '%s' asks for %s, not '%s': name the type its pals_get() names, or give NULL",
			bpf_program__name(prog), names, name);
}

/*
 * The type @name names (NULL: the one @prog asks for), checked to be a
 * struct or union of *@size bytes (0: any size, filled in) that @prog
 * asks for.
 */
static int pals_btf_check(const struct bpf_program *prog,
			  const struct btf *btf, const char *name, size_t *size)
{
	const struct btf_type *t;
	struct pals_asked asked;
	char buf[128];
	int id, real, err;

	/* The fallback's programs lose the kfunc calls to dead code. */
	if (pals_fb_prog(bpf_program__fd(prog)))
		err = pals_insns_asked(bpf_program__insns(prog),
				       bpf_program__insn_cnt(prog), btf, &asked);
	else
		err = pals_prog_asked(bpf_program__fd(prog), btf, &asked);
	if (err)
		return pals_err(err, "program '%s': reading its instructions: %s",
				bpf_program__name(prog), strerror(-err));
	if (name) {
		id = pals_btf_find(btf, name);
		if (id < 0)
			return pals_err(-ENOENT, "program '%s' has no type '%s' in its BTF",
					bpf_program__name(prog), name);
	} else {
		id = pals_btf_pick(prog, btf, &asked);
		if (id < 0)
			return id;
		pals_btf_name(btf, id, buf, sizeof(buf));
		name = buf;
	}
	real = btf__resolve_type(btf, id);
	t = real < 0 ? NULL : btf__type_by_id(btf, real);
	if (!t || !btf_is_composite(t))
		return pals_err(-EINVAL, "'%s' is not a struct or union", name);
	if (pals_btf_asked(prog, btf, &asked, name, id) < 0)
		return -errno;
	if (*size && t->size != *size)
		return pals_err(-EINVAL, "'%s' is %u bytes, but %zu were given",
				name, t->size, *size);
	*size = t->size;
	return id;
}

/* BTF @btf_id, from the cache or loaded into it; call with its lock held. */
static struct btf *pals_btf_cached(__u32 btf_id, const char *prog)
{
	struct btf *btf;

	if (pals_btf_cache.id == btf_id)
		return pals_btf_cache.btf;
	btf = btf__load_from_kernel_by_id(btf_id);
	if (!btf) {
		pals_err(-errno, "BTF %u of program '%s': %s", btf_id, prog,
			 strerror(errno));
		return NULL;
	}
	btf__free(pals_btf_cache.btf);
	pals_btf_cache.btf = btf;
	pals_btf_cache.id = btf_id;
	return btf;
}

int pals_type_lookup(const struct bpf_program *prog, const char *type,
		     size_t *size)
{
	struct btf *btf;
	__u32 btf_id = 0;
	int err;

	if (!prog)
		return pals_err(-EINVAL, "program missing");
	if (type && !*type)
		type = NULL;
	err = pals_prog_btf_id(prog, &btf_id);
	if (err)
		return err;

	pthread_mutex_lock(&pals_btf_cache.lock);
	btf = pals_btf_cached(btf_id, bpf_program__name(prog));
	err = btf ? pals_btf_check(prog, btf, type, size) : -errno;
	pthread_mutex_unlock(&pals_btf_cache.lock);
	return err;
}

int pals_btf_size_check(int prog_fd, __u32 type_id, size_t size)
{
	struct bpf_prog_info info = {};
	const struct btf_type *t = NULL;
	__u32 len = sizeof(info);
	struct btf *btf;
	int real, err = 0;

	if (bpf_prog_get_info_by_fd(prog_fd, &info, &len))
		return pals_err(-errno, "prog_fd: %s", strerror(errno));
	if (!info.btf_id)
		return pals_err(-EINVAL, "type id %u: the program was loaded without BTF",
				type_id);
	pthread_mutex_lock(&pals_btf_cache.lock);
	btf = pals_btf_cached(info.btf_id, info.name);
	if (btf && type_id && type_id < btf__type_cnt(btf)) {
		real = btf__resolve_type(btf, type_id);
		t = real < 0 ? NULL : btf__type_by_id(btf, real);
	}
	if (!btf)
		err = -errno;
	else if (!t)
		err = pals_err(-EINVAL, "type id %u is not a type in the program's BTF",
			       type_id);
	else if (!btf_is_composite(t))
		err = pals_err(-EINVAL, "type id %u is not a struct or union",
			       type_id);
	else if (t->size != size)
		err = pals_err(-EINVAL, "%zu bytes, but type %u has size %u",
			       size, type_id, t->size);
	pthread_mutex_unlock(&pals_btf_cache.lock);
	return err;
}

int pals_type_id(const struct bpf_program *prog, const char *type, size_t size)
{
	if (!size)
		return pals_err(-EINVAL, "size missing");
	return pals_type_lookup(prog, type, &size);
}
