// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per-CPU blobs (PALS_F_PERCPU) in userspace: what their bytes take, and
 * their copies summed by BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "libpals.h"
#include "log.h"
#include "opts.h"

/* Each copy padded to 8 bytes, as libbpf pads a PERCPU_ARRAY value. */
static size_t pals_percpu_stride(size_t size)
{
	return (size + 7) / 8 * 8;
}

ssize_t pals_percpu__bytes(size_t size)
{
	int cpus = libbpf_num_possible_cpus();

	if (cpus < 0)
		return pals_err(cpus, "number of possible CPUs: %s",
				strerror(-cpus));
	return pals_percpu_stride(size) * cpus;
}

struct pals_sum {
	const struct btf *btf;
	const char *percpu;
	size_t stride;
	int cpus;
	char *sum;
	pals_unsummed_fn unsummed;
	void *ctx;
	int skipped;
	char path[256];
};

static void pals_sum_skip(struct pals_sum *s)
{
	s->skipped++;
	if (s->unsummed)
		s->unsummed(s->path[0] ? s->path : "(whole)", s->ctx);
}

static unsigned long long pals_load(const char *p, size_t size)
{
	__u8 v1;
	__u16 v2;
	__u32 v4;
	__u64 v8;

	switch (size) {
	case 1:
		memcpy(&v1, p, size);
		return v1;
	case 2:
		memcpy(&v2, p, size);
		return v2;
	case 4:
		memcpy(&v4, p, size);
		return v4;
	default:
		memcpy(&v8, p, size);
		return v8;
	}
}

static void pals_store(char *p, size_t size, unsigned long long v)
{
	__u8 v1 = v;
	__u16 v2 = v;
	__u32 v4 = v;
	__u64 v8 = v;

	memcpy(p, size == 1 ? (void *)&v1 : size == 2 ? (void *)&v2 :
		  size == 4 ? (void *)&v4 : (void *)&v8, size);
}

/* The integer of @size bytes at @off summed over the CPUs, wrapping. */
static bool pals_sum_int(struct pals_sum *s, size_t off, size_t size)
{
	unsigned long long total = 0;
	int cpu;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return false;
	for (cpu = 0; cpu < s->cpus; cpu++)
		total += pals_load(s->percpu + cpu * s->stride + off, size);
	pals_store(s->sum + off, size, total);
	return true;
}

/* Plain char, as compilers encode it: text, a char array a string. */
static bool pals_sum_text(const struct btf *btf, const struct btf_type *t)
{
	return t && btf_is_int(t) &&
	       (btf_int_encoding(t) & BTF_INT_CHAR ||
		!strcmp(btf__name_by_offset(btf, t->name_off), "char"));
}

static void pals_sum_type(struct pals_sum *s, __u32 id, size_t off);

/* Member @name (NULL: element @idx) of the current path at @off. */
static void pals_sum_at(struct pals_sum *s, __u32 id, size_t off,
			const char *name, __u32 idx)
{
	size_t len = strlen(s->path);

	if (name)
		snprintf(s->path + len, sizeof(s->path) - len, "%s%s",
			 len ? "." : "", *name ? name : "(anon)");
	else
		snprintf(s->path + len, sizeof(s->path) - len, "[%u]", idx);
	if (id)
		pals_sum_type(s, id, off);
	else
		pals_sum_skip(s);
	s->path[len] = '\0';
}

static void pals_sum_type(struct pals_sum *s, __u32 id, size_t off)
{
	const struct btf_type *t;
	const struct btf_member *m;
	const struct btf_array *a;
	__s64 elem;
	__u32 i;

	id = btf__resolve_type(s->btf, id);
	t = btf__type_by_id(s->btf, id);
	if (!t) {
		pals_sum_skip(s);
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (pals_sum_text(s->btf, t) ||
		    btf_int_encoding(t) & BTF_INT_BOOL ||
		    btf_int_offset(t) || btf_int_bits(t) != t->size * 8 ||
		    !pals_sum_int(s, off, t->size))
			pals_sum_skip(s);
		return;
	case BTF_KIND_ARRAY:
		a = btf_array(t);
		elem = btf__resolve_size(s->btf, a->type);
		if (elem <= 0 || pals_sum_text(s->btf, btf__type_by_id(s->btf,
				btf__resolve_type(s->btf, a->type)))) {
			pals_sum_skip(s);
			return;
		}
		for (i = 0; i < a->nelems; i++)
			pals_sum_at(s, a->type, off + i * elem, NULL, i);
		return;
	case BTF_KIND_STRUCT:
		m = btf_members(t);
		/* A bit field (id 0 here) is not summed in place. */
		for (i = 0; i < btf_vlen(t); i++, m++)
			pals_sum_at(s, btf_member_bitfield_size(t, i) ||
				    btf_member_bit_offset(t, i) % 8 ? 0 : m->type,
				    off + btf_member_bit_offset(t, i) / 8,
				    btf__name_by_offset(s->btf, m->name_off) ?: "", 0);
		return;
	default:
		/* Unions, pointers, enums, floats: which CPU's is meant? */
		pals_sum_skip(s);
	}
}

int pals_percpu__sum(const struct btf *btf, __u32 type_id,
		     const void *percpu, size_t bytes, void *sum,
		     const struct pals_sum_opts *opts)
{
	struct pals_sum s = {
		.btf = btf, .percpu = percpu, .sum = sum,
		.unsummed = PALS_OPTS_GET(opts, unsummed, NULL),
		.ctx = PALS_OPTS_GET(opts, ctx, NULL),
	};
	__s64 size;
	ssize_t want;

	if (!PALS_OPTS_VALID(opts, pals_sum_opts))
		return pals_err(-EINVAL, "pals_sum_opts: unknown fields set");
	size = btf__resolve_size(btf, type_id);
	if (size <= 0)
		return pals_err(-EINVAL, "type %u: no size in the BTF", type_id);
	want = pals_percpu__bytes(size);
	if (want < 0)
		return want;
	if (bytes != (size_t)want)
		return pals_err(-EINVAL, "%lld-byte type on %d CPUs: %zd bytes, but %zu were given",
				(long long)size, libbpf_num_possible_cpus(),
				want, bytes);
	s.stride = pals_percpu_stride(size);
	s.cpus = bytes / s.stride;
	/* What is not summed keeps CPU 0's value. */
	memcpy(sum, percpu, size);
	pals_sum_type(&s, type_id, 0);
	return s.skipped;
}
