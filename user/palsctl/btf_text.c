// SPDX-License-Identifier: GPL-2.0
/*
 * A value as text, in the format of libbpf's btf_dump__dump_type_data():
 *
 *	(struct cfg){
 *		.name = (char[16])"vfs_read",
 *		.calls = (__u64)3,
 *		.slots = (__u32[2])[
 *			1,
 *			2,
 *		],
 *	}
 *
 * libbpf formats every scalar, enum, pointer and byte array but char
 * arrays holding a string, which are printed as one string here, as are
 * structs, unions and the other arrays, one libbpf call per leaf. Dumping the whole value in one call would be simpler, but libbpf
 * before 1.5 stops printing every array that follows a NUL-terminated
 * char array in the same call (fixed upstream by "libbpf: fix dump of
 * subsequent char arrays"), which would hide most of a typical blob.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/btf.h>

#include "palsctl.h"

struct text_dump {
	const struct btf *btf;
	struct btf_dump *d;
	const __u8 *data;
	int depth;		/* tabs at the start of each new line */
	bool line_start;	/* the last character printed was '\n' */
	int err;
};

/* Print, indenting every new line by the current depth. */
static void text_vout(struct text_dump *td, const char *fmt, va_list args)
{
	char *s, *p;
	int i;

	if (vasprintf(&s, fmt, args) < 0) {
		td->err = -ENOMEM;
		return;
	}
	for (p = s; *p; p++) {
		if (td->line_start && *p != '\n')
			for (i = 0; i < td->depth; i++)
				putchar('\t');
		td->line_start = *p == '\n';
		putchar(*p);
	}
	free(s);
}

static void text_printf(void *ctx, const char *fmt, va_list args)
{
	text_vout(ctx, fmt, args);
}

static void __attribute__((format(printf, 2, 3)))
text_out(struct text_dump *td, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	text_vout(td, fmt, args);
	va_end(args);
}

/* "(type)" as libbpf prints it: qualifiers stripped, anonymous bare. */
static void text_cast(struct text_dump *td, __u32 id)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "",
		    .strip_mods = true);
	const struct btf_type *t = btf__type_by_id(td->btf, id);

	while (t && btf_is_mod(t)) {
		id = t->type;
		t = btf__type_by_id(td->btf, id);
	}
	text_out(td, "(");
	if (t && btf_is_composite(t) && !t->name_off)
		text_out(td, "%s", btf_is_struct(t) ? "struct" : "union");
	else
		btf_dump__emit_type_decl(td->d, id, &opts);
	text_out(td, ")");
}

/* A C string literal: printable characters, quotes and backslashes escaped. */
static void text_string(struct text_dump *td, const char *s)
{
	text_out(td, "\"");
	for (; *s; s++)
		text_out(td, "%s%c", *s == '"' || *s == '\\' ? "\\" : "", *s);
	text_out(td, "\"");
}

/* Left to libbpf: everything but structs, unions and arrays of those. */
static bool is_leaf(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_type *elem;

	if (btf_is_composite(t))
		return false;
	if (!btf_is_array(t))
		return true;
	elem = btf__type_by_id(btf, btf__resolve_type(btf, btf_array(t)->type));
	return elem && btf_is_int(elem) && elem->size == 1;
}

static void text_value(struct text_dump *td, __u32 id, __u32 off,
		       bool in_array);

static void text_members(struct text_dump *td, const struct btf_type *t,
			 __u32 off)
{
	const struct btf_member *m = btf_members(t);
	__u32 i, bit_off, bits;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		bit_off = btf_member_bit_offset(t, i);
		bits = btf_member_bitfield_size(t, i);
		if (m->name_off)
			text_out(td, ".%s = ",
				 btf__name_by_offset(td->btf, m->name_off));
		if (bits) {
			text_cast(td, m->type);
			text_out(td, "0x%llx", (unsigned long long)
				 btf_bits(td->data, off * 8 + bit_off, bits));
		} else {
			text_value(td, m->type, off + bit_off / 8, false);
		}
		text_out(td, ",\n");
	}
}

static void text_value(struct text_dump *td, __u32 id, __u32 off,
		       bool in_array)
{
	LIBBPF_OPTS(btf_dump_type_data_opts, opts, .emit_zeroes = true,
		    .skip_names = in_array);
	const struct btf_type *t;
	__s64 size, esize;
	int rid, err;
	__u32 i;

	rid = btf__resolve_type(td->btf, id);
	t = rid < 0 ? NULL : btf__type_by_id(td->btf, rid);
	size = btf__resolve_size(td->btf, id);
	if (!t || size < 0) {
		td->err = -EINVAL;
		return;
	}
	if (btf_is_array(t) && btf_is_char(td->btf, btf_array(t)->type) &&
	    btf_is_string(td->data + off, btf_array(t)->nelems)) {
		if (!in_array)
			text_cast(td, id);
		text_string(td, (const char *)td->data + off);
		return;
	}
	if (is_leaf(td->btf, t)) {
		err = btf_dump__dump_type_data(td->d, id, td->data + off, size,
					       &opts);
		if (err < 0)
			td->err = err;
		return;
	}
	if (!in_array)
		text_cast(td, id);
	text_out(td, btf_is_array(t) ? "[\n" : "{\n");
	td->depth++;
	if (btf_is_array(t)) {
		esize = btf__resolve_size(td->btf, btf_array(t)->type);
		for (i = 0; esize >= 0 && i < btf_array(t)->nelems; i++) {
			text_value(td, btf_array(t)->type, off + i * esize, true);
			text_out(td, ",\n");
		}
	} else {
		text_members(td, t, off);
	}
	td->depth--;
	text_out(td, btf_is_array(t) ? "]" : "}");
}

int btf_text_print(const struct btf *btf, __u32 type_id, const void *data,
		   size_t size)
{
	struct text_dump td = { .btf = btf, .data = data };
	__s64 tsize = btf__resolve_size(btf, type_id);

	if (tsize < 0 || (size_t)tsize != size)
		return -EINVAL;
	td.d = btf_dump__new(btf, text_printf, &td, NULL);
	if (!td.d)
		return -errno;
	text_value(&td, type_id, 0, false);
	text_out(&td, "\n");
	btf_dump__free(td.d);
	return td.err;
}
