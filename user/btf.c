// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Blob types: a name in a loaded program's BTF to a checked type id. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "log.h"
#include "pals.h"

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

static int pals_btf_check(const struct bpf_program *prog,
			  const struct btf *btf, const char *name, size_t size)
{
	const struct btf_type *t;
	int id, real;

	id = pals_btf_find(btf, name);
	if (id < 0)
		return pals_err(-ENOENT, "program '%s' has no type '%s' in its BTF",
				bpf_program__name(prog), name);
	real = btf__resolve_type(btf, id);
	t = real < 0 ? NULL : btf__type_by_id(btf, real);
	if (!t || !btf_is_composite(t))
		return pals_err(-EINVAL, "'%s' is not a struct or union", name);
	if (t->size != size)
		return pals_err(-EINVAL, "'%s' is %u bytes, but %zu were given",
				name, t->size, size);
	return id;
}

int pals_type_id(const struct bpf_program *prog, const char *type, size_t size)
{
	struct btf *btf;
	__u32 btf_id = 0;
	int err;

	if (!prog || !type || !*type)
		return pals_err(-EINVAL, "%s missing", prog ? "type name" : "program");
	err = pals_prog_btf_id(prog, &btf_id);
	if (err)
		return err;

	pthread_mutex_lock(&pals_btf_cache.lock);
	if (pals_btf_cache.id != btf_id) {
		btf = btf__load_from_kernel_by_id(btf_id);
		if (!btf) {
			err = pals_err(-errno, "BTF %u of program '%s': %s", btf_id,
				       bpf_program__name(prog), strerror(errno));
			goto unlock;
		}
		btf__free(pals_btf_cache.btf);
		pals_btf_cache.btf = btf;
		pals_btf_cache.id = btf_id;
	}
	err = pals_btf_check(prog, pals_btf_cache.btf, type, size);
unlock:
	pthread_mutex_unlock(&pals_btf_cache.lock);
	return err;
}
