// SPDX-License-Identifier: GPL-2.0
/* palsctl show: one blob's bytes, formatted by its program's BTF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/pals.h>

#include "palsctl.h"

/* Without BTF: the bytes in hex, 16 a line. */
static void hex_print(const __u8 *data, __u32 size)
{
	__u32 i;

	for (i = 0; i < size; i++)
		printf("%02x%c", data[i], i % 16 == 15 || i == size - 1 ?
					  '\n' : ' ');
}

static int show_text(const struct pals_blob_info *info,
		     const struct blob_desc *d, const __u8 *data)
{
	int err;

	printf("handle %s  prog %u %s  type %s  size %u\n",
	       handle_str(info->handle), info->prog_id, d->prog_name,
	       d->type_name, info->size);
	if (!d->btf) {
		hex_print(data, info->size);
		return EXIT_OK;
	}
	err = btf_text_print(d->btf, info->type_id, data, info->size);
	if (err)
		return p_err("cannot format type %u: %s", info->type_id,
			     strerror(-err));
	return EXIT_OK;
}

static int show_json(const struct pals_blob_info *info,
		     const struct blob_desc *d, const __u8 *data, size_t bytes)
{
	struct json_object *obj = blob_json(info, d);
	char *hex = calloc(1, 2 * bytes + 1);
	size_t i;
	int err;

	for (i = 0; hex && i < bytes; i++)
		snprintf(hex + 2 * i, 3, "%02x", data[i]);
	json_object_object_add(obj, "bytes",
			       hex ? json_object_new_string(hex) : NULL);
	free(hex);
	if (info->flags & PALS_F_PERCPU) {
		err = percpu_show(obj, info, d, data, bytes);
		if (err) {
			json_object_put(obj);
			return err;
		}
	} else {
		json_object_object_add(obj, "formatted", d->btf ?
				       btf_json_value(d->btf, info->type_id,
						      data, info->size) : NULL);
	}
	json_print(obj);
	return EXIT_OK;
}

int do_show(int argc, char **argv)
{
	struct pals_blob_info info;
	struct pals_ctx *ctx;
	struct blob_desc d;
	__u8 *data = NULL;
	ssize_t bytes;
	__u64 handle;
	int err;

	err = handle_args(argc, argv, 0, &handle, &ctx);
	if (err)
		return err;
	/* The size first, then the bytes: a blob's size never changes. */
	if (pals_ctx__get(ctx, handle, &info, NULL, 0)) {
		err = p_pals_err();
		goto out;
	}
	bytes = info.flags & PALS_F_PERCPU ? pals_percpu__bytes(info.size) :
		info.size;
	if (bytes < 0) {
		err = p_pals_err();
		goto out;
	}
	data = malloc(bytes);
	if (!data) {
		err = p_err("out of memory");
		goto out;
	}
	if (pals_ctx__get(ctx, handle, &info, data, bytes)) {
		err = p_pals_err();
		goto out;
	}
	blob_describe(&info, &d);
	if (json_output)
		err = show_json(&info, &d, data, bytes);
	else if (info.flags & PALS_F_PERCPU)
		err = percpu_show(NULL, &info, &d, data, bytes);
	else
		err = show_text(&info, &d, data);
out:
	free(data);
	pals_ctx__free(ctx);
	return err;
}
