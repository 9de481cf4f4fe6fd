// SPDX-License-Identifier: GPL-2.0
/* palsctl show: one blob's bytes, formatted by its program's BTF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

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

static void show_json(const struct pals_blob_info *info,
		      const struct blob_desc *d, const __u8 *data)
{
	struct json_object *obj = blob_json(info, d);
	char *hex = calloc(1, 2 * info->size + 1);
	__u32 i;

	for (i = 0; hex && i < info->size; i++)
		snprintf(hex + 2 * i, 3, "%02x", data[i]);
	json_object_object_add(obj, "bytes",
			       hex ? json_object_new_string(hex) : NULL);
	free(hex);
	json_object_object_add(obj, "formatted", d->btf ?
			       btf_json_value(d->btf, info->type_id, data,
					      info->size) : NULL);
	json_print(obj);
}

int do_show(int argc, char **argv)
{
	struct pals_blob_info info;
	struct pals_ctx *ctx;
	struct blob_desc d;
	__u8 *data = NULL;
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
	data = malloc(info.size);
	if (!data) {
		err = p_err("out of memory");
		goto out;
	}
	if (pals_ctx__get(ctx, handle, &info, data, info.size)) {
		err = p_pals_err();
		goto out;
	}
	blob_describe(&info, &d);
	if (json_output)
		show_json(&info, &d, data);
	else
		err = show_text(&info, &d, data);
out:
	free(data);
	pals_ctx__free(ctx);
	return err;
}
