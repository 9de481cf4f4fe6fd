// SPDX-License-Identifier: GPL-2.0
/*
 * palsctl show of a per-CPU blob: every CPU's copies merged by BTF
 * (integers summed), or with --per-cpu each CPU's copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "palsctl.h"

struct unsummed {
	struct json_object *arr;	/* JSON: the members' paths */
};

static void note_unsummed(const char *member, void *ctx)
{
	struct unsummed *u = ctx;

	if (u->arr)
		json_object_array_add(u->arr, json_object_new_string(member));
	else
		printf("  (%s: not summed, CPU 0's)\n", member);
}

/* The merged copy into a new buffer *@sum; what is not summed is said. */
static int percpu_merge(const struct pals_blob_info *info,
			const struct blob_desc *d, const __u8 *data,
			size_t bytes, struct unsummed *u, __u8 **sum)
{
	LIBBPF_OPTS(pals_sum_opts, opts, .unsummed = note_unsummed, .ctx = u);
	int n;

	*sum = malloc(info->size);
	if (!*sum)
		return p_err("out of memory");
	n = pals_percpu__sum(d->btf, info->type_id, data, bytes, *sum, &opts);
	if (n < 0) {
		free(*sum);
		*sum = NULL;
		return p_pals_err();
	}
	return EXIT_OK;
}

static int percpu_text(const struct pals_blob_info *info,
		       const struct blob_desc *d, const __u8 *data,
		       size_t bytes)
{
	size_t stride = bytes / libbpf_num_possible_cpus(), off;
	struct unsummed u = {};
	__u8 *sum;
	int err;

	printf("handle %s  prog %u %s  type %s  size %u  per-CPU (%d CPUs)\n",
	       handle_str(info->handle), info->prog_id, d->prog_name,
	       d->type_name, info->size, libbpf_num_possible_cpus());
	if (percpu_output) {
		for (off = 0; off < bytes; off += stride) {
			printf("cpu %zu:\n", off / stride);
			err = btf_text_print(d->btf, info->type_id, data + off,
					     info->size);
			if (err)
				return p_err("cannot format type %u: %s",
					     info->type_id, strerror(-err));
		}
		return EXIT_OK;
	}
	err = percpu_merge(info, d, data, bytes, &u, &sum);
	if (err)
		return err;
	err = btf_text_print(d->btf, info->type_id, sum, info->size);
	free(sum);
	if (err)
		return p_err("cannot format type %u: %s", info->type_id,
			     strerror(-err));
	return EXIT_OK;
}

/* "formatted": the merged copy, "unsummed" its members that are CPU 0's; "cpus". */
static int percpu_json(struct json_object *obj,
		       const struct pals_blob_info *info,
		       const struct blob_desc *d, const __u8 *data,
		       size_t bytes)
{
	size_t stride = bytes / libbpf_num_possible_cpus(), off;
	struct unsummed u = { json_object_new_array() };
	struct json_object *cpus;
	__u8 *sum;
	int err;

	err = percpu_merge(info, d, data, bytes, &u, &sum);
	if (err) {
		json_object_put(u.arr);
		return err;
	}
	json_object_object_add(obj, "formatted",
			       btf_json_value(d->btf, info->type_id, sum,
					      info->size));
	json_object_object_add(obj, "unsummed", u.arr);
	free(sum);
	if (!percpu_output)
		return EXIT_OK;
	cpus = json_object_new_array();
	for (off = 0; off < bytes; off += stride)
		json_object_array_add(cpus, btf_json_value(d->btf, info->type_id,
							   data + off,
							   info->size));
	json_object_object_add(obj, "cpus", cpus);
	return EXIT_OK;
}

int percpu_show(struct json_object *obj, const struct pals_blob_info *info,
		const struct blob_desc *d, const __u8 *data, size_t bytes)
{
	if (!d->btf)
		return p_err("the blob's type is unknown (no BTF): cannot merge its CPUs' copies");
	return obj ? percpu_json(obj, info, d, data, bytes) :
		     percpu_text(info, d, data, bytes);
}
