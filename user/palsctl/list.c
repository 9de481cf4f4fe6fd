// SPDX-License-Identifier: GPL-2.0
/* palsctl list: every blob, as a table or a JSON array. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pals.h>

#include "palsctl.h"

struct blob_list {
	struct pals_blob_info *infos;
	size_t len, cap;
	bool oom;
};

static int collect(const struct pals_blob_info *info, void *arg)
{
	struct blob_list *l = arg;
	struct pals_blob_info *infos;

	if (l->len == l->cap) {
		infos = realloc(l->infos, (l->cap * 2 + 16) * sizeof(*infos));
		if (!infos) {
			l->oom = true;
			return -ENOMEM;
		}
		l->infos = infos;
		l->cap = l->cap * 2 + 16;
	}
	l->infos[l->len++] = *info;
	return 0;
}

/* "-" (unknown) is null in JSON. */
static struct json_object *json_str(const char *s)
{
	return strcmp(s, "-") ? json_object_new_string(s) : NULL;
}

struct json_object *blob_json(const struct pals_blob_info *info,
			      const struct blob_desc *d)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "handle",
			       json_object_new_string(handle_str(info->handle)));
	json_object_object_add(obj, "prog_id",
			       json_object_new_uint64(info->prog_id));
	json_object_object_add(obj, "prog_name", json_str(d->prog_name));
	json_object_object_add(obj, "link_id",
			       json_object_new_uint64(info->link_id));
	json_object_object_add(obj, "link_kind", json_str(d->link_kind));
	json_object_object_add(obj, "link_target", json_str(d->link_target));
	json_object_object_add(obj, "type_id",
			       json_object_new_uint64(info->type_id));
	json_object_object_add(obj, "type", json_str(d->type_name));
	json_object_object_add(obj, "size", json_object_new_uint64(info->size));
	json_object_object_add(obj, "owner_pid",
			       json_object_new_uint64(info->owner_pid));
	json_object_object_add(obj, "pinned",
			json_object_new_boolean(info->flags & PALS_F_PINNED));
	json_object_object_add(obj, "percpu",
			json_object_new_boolean(info->flags & PALS_F_PERCPU));
	return obj;
}

enum {
	COL_HANDLE, COL_PROG, COL_NAME, COL_LINK, COL_KIND, COL_TARGET,
	COL_TYPE, COL_SIZE, COL_PID, COL_PINNED, NR_COLS
};

static const char *const col_names[NR_COLS] = {
	"HANDLE", "PROG", "NAME", "LINK", "KIND", "TARGET", "TYPE", "SIZE",
	"PID", "PINNED",
};

struct row {
	char *cell[NR_COLS];
};

/* A cell that cannot be allocated stays NULL and prints as "?". */
static void __attribute__((format(printf, 3, 4)))
cell_set(struct row *r, int c, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	if (vasprintf(&r->cell[c], fmt, args) < 0)
		r->cell[c] = NULL;
	va_end(args);
}

static void row_free(struct row *r)
{
	int c;

	for (c = 0; c < NR_COLS; c++)
		free(r->cell[c]);
}

static void row_fill(struct row *r, const struct pals_blob_info *info,
		     const struct blob_desc *d)
{
	cell_set(r, COL_HANDLE, "%s", handle_str(info->handle));
	cell_set(r, COL_PROG, "%u", info->prog_id);
	cell_set(r, COL_NAME, "%s", d->prog_name);
	if (info->link_id)
		cell_set(r, COL_LINK, "%u", info->link_id);
	else
		cell_set(r, COL_LINK, "-");
	cell_set(r, COL_KIND, "%s", d->link_kind);
	cell_set(r, COL_TARGET, "%s", d->link_target);
	cell_set(r, COL_TYPE, "%s", d->type_name);
	cell_set(r, COL_SIZE, "%u", info->size);
	cell_set(r, COL_PID, "%u", info->owner_pid);
	cell_set(r, COL_PINNED, "%s",
		 info->flags & PALS_F_PINNED ? "yes" : "no");
}

static void row_print(const char *const *cells, const int *width)
{
	int c;

	for (c = 0; c < NR_COLS - 1; c++)
		printf("%-*s  ", width[c], cells[c]);
	printf("%s\n", cells[NR_COLS - 1]);
}

static void table_print(const struct row *rows, size_t len)
{
	const char *cells[NR_COLS];
	int width[NR_COLS], c;
	size_t i;

	for (c = 0; c < NR_COLS; c++)
		width[c] = strlen(col_names[c]);
	for (i = 0; i < len; i++)
		for (c = 0; c < NR_COLS; c++)
			if (rows[i].cell[c] &&
			    (int)strlen(rows[i].cell[c]) > width[c])
				width[c] = strlen(rows[i].cell[c]);
	row_print(col_names, width);
	for (i = 0; i < len; i++) {
		for (c = 0; c < NR_COLS; c++)
			cells[c] = rows[i].cell[c] ?: "?";
		row_print(cells, width);
	}
}

int do_list(int argc, char **argv)
{
	struct blob_list l = {};
	struct json_object *arr;
	struct pals_ctx *ctx;
	struct blob_desc d;
	struct row *rows;
	size_t i;
	int err;

	if (argc)
		return p_usage("unexpected argument '%s'", argv[0]);
	err = ctx_open(&ctx);
	if (err)
		return err;
	err = pals_ctx__for_each(ctx, collect, &l);
	pals_ctx__free(ctx);
	if (err) {
		err = l.oom ? p_err("out of memory") : p_pals_err();
		goto out;
	}

	if (json_output) {
		arr = json_object_new_array();
		for (i = 0; i < l.len; i++) {
			blob_describe(&l.infos[i], &d);
			json_object_array_add(arr, blob_json(&l.infos[i], &d));
		}
		json_print(arr);
		goto out;
	}
	rows = calloc(l.len ?: 1, sizeof(*rows));
	if (!rows) {
		err = p_err("out of memory");
		goto out;
	}
	for (i = 0; i < l.len; i++) {
		blob_describe(&l.infos[i], &d);
		row_fill(&rows[i], &l.infos[i], &d);
	}
	table_print(rows, l.len);
	for (i = 0; i < l.len; i++)
		row_free(&rows[i]);
	free(rows);
out:
	free(l.infos);
	return err;
}
