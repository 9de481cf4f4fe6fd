// SPDX-License-Identifier: GPL-2.0
/*
 * A value as JSON, walked from its BTF type: integers (bool as true or
 * false), enums by name when the value has one, pointers as numbers,
 * floats as numbers, arrays (char arrays holding a NUL-terminated,
 * printable string as that string), structs and unions as objects by
 * member name, bitfields included. Typedefs and qualifiers are looked
 * through; what has no JSON form is null. Bytes are little-endian.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "palsctl.h"

__u64 btf_bits(const void *data, __u32 bit_off, __u32 nbits)
{
	const __u8 *p = data;
	__u64 v = 0;
	__u32 i, b;

	for (i = 0; i < nbits; i++) {
		b = bit_off + i;
		if (p[b / 8] & (1U << (b % 8)))
			v |= 1ULL << i;
	}
	return v;
}

/* @v, @nbits wide, sign-extended to 64 bits. */
static __u64 sext(__u64 v, __u32 nbits)
{
	if (nbits < 64 && (v >> (nbits - 1)) & 1)
		v |= ~0ULL << nbits;
	return v;
}

static struct json_object *int_new(__u64 v, __u32 nbits, bool is_signed)
{
	return is_signed ? json_object_new_int64((__s64)sext(v, nbits)) :
			   json_object_new_uint64(v);
}

/* Wider than 64 bits (__int128): a hex string. */
static struct json_object *wide_int_new(const __u8 *data, __u32 size)
{
	char buf[2 + 2 * 16 + 1] = "0x";
	__u32 i;

	for (i = 0; i < size && i < 16; i++)
		sprintf(buf + 2 + 2 * i, "%02x", data[size - 1 - i]);
	return json_object_new_string(buf);
}

static struct json_object *int_json(const struct btf_type *t,
				    const __u8 *data, __u32 bit_off,
				    __u32 bitfield)
{
	__u8 enc = btf_int_encoding(t);
	__u32 nbits = bitfield ? bitfield : btf_int_bits(t);
	__u64 v;

	bit_off += btf_int_offset(t);
	if (nbits > 64)
		return bit_off % 8 ? NULL :
		       wide_int_new(data + bit_off / 8, t->size);
	v = btf_bits(data, bit_off, nbits);
	if (enc & BTF_INT_BOOL)
		return json_object_new_boolean(v != 0);
	return int_new(v, nbits, enc & BTF_INT_SIGNED);
}

static struct json_object *enum_json(const struct btf *btf,
				     const struct btf_type *t,
				     const __u8 *data, __u32 bit_off,
				     __u32 bitfield)
{
	__u32 nbits = bitfield ? bitfield : t->size * 8;
	__u64 v = btf_bits(data, bit_off, nbits), ev;
	bool is_signed = btf_kflag(t);
	const char *name = NULL;
	__u32 i, name_off;

	if (is_signed)
		v = sext(v, nbits);
	for (i = 0; i < btf_vlen(t) && !name; i++) {
		if (btf_is_enum64(t)) {
			ev = btf_enum64_value(btf_enum64(t) + i);
			name_off = btf_enum64(t)[i].name_off;
		} else {
			ev = is_signed ? (__u64)(__s64)btf_enum(t)[i].val :
					 (__u32)btf_enum(t)[i].val;
			name_off = btf_enum(t)[i].name_off;
		}
		if (ev == v)
			name = btf__name_by_offset(btf, name_off);
	}
	if (name && *name)
		return json_object_new_string(name);
	return int_new(v, nbits, is_signed);
}

static struct json_object *float_json(const struct btf_type *t,
				      const __u8 *data)
{
	float f;
	double d;

	switch (t->size) {
	case sizeof(f):
		memcpy(&f, data, sizeof(f));
		return json_object_new_double(f);
	case sizeof(d):
		memcpy(&d, data, sizeof(d));
		return json_object_new_double(d);
	}
	return NULL;
}

bool btf_is_char(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;

	t = btf__type_by_id(btf, btf__resolve_type(btf, id));

	return t && btf_is_int(t) && t->size == 1 &&
	       !(btf_int_encoding(t) & BTF_INT_BOOL) &&
	       ((btf_int_encoding(t) & BTF_INT_CHAR) ||
		!strcmp(btf__name_by_offset(btf, t->name_off), "char"));
}

bool btf_is_string(const __u8 *s, __u32 n)
{
	const __u8 *nul = memchr(s, '\0', n);
	const __u8 *p;

	if (!nul)
		return false;
	for (p = s; p < nul; p++)
		if (!isprint(*p))
			return false;
	return true;
}

static struct json_object *value_json(const struct btf *btf, __u32 id,
				      const __u8 *data, __u32 bit_off,
				      __u32 bitfield);

static struct json_object *array_json(const struct btf *btf,
				      const struct btf_type *t,
				      const __u8 *data, __u32 bit_off)
{
	const struct btf_array *a = btf_array(t);
	__s64 esize = btf__resolve_size(btf, a->type);
	struct json_object *arr;
	__u32 i;

	if (esize < 0)
		return NULL;
	if (btf_is_char(btf, a->type) && !(bit_off % 8) &&
	    btf_is_string(data + bit_off / 8, a->nelems))
		return json_object_new_string((const char *)data + bit_off / 8);
	arr = json_object_new_array();
	for (i = 0; i < a->nelems; i++)
		json_object_array_add(arr, value_json(btf, a->type, data,
						      bit_off + i * esize * 8, 0));
	return arr;
}

/* Add the members of struct/union @t to @obj; anonymous ones inline. */
static void members_json(const struct btf *btf, const struct btf_type *t,
			 const __u8 *data, __u32 bit_off,
			 struct json_object *obj)
{
	const struct btf_member *m = btf_members(t);
	const struct btf_type *mt;
	const char *name;
	__u32 i, off;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		name = btf__name_by_offset(btf, m->name_off);
		off = bit_off + btf_member_bit_offset(t, i);
		if (name && *name) {
			json_object_object_add(obj, name,
				value_json(btf, m->type, data, off,
					   btf_member_bitfield_size(t, i)));
			continue;
		}
		mt = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		if (mt && btf_is_composite(mt))
			members_json(btf, mt, data, off, obj);
	}
}

static struct json_object *value_json(const struct btf *btf, __u32 id,
				      const __u8 *data, __u32 bit_off,
				      __u32 bitfield)
{
	const struct btf_type *t;
	struct json_object *obj;
	int rid = btf__resolve_type(btf, id);

	t = rid < 0 ? NULL : btf__type_by_id(btf, rid);
	if (!t)
		return NULL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return int_json(t, data, bit_off, bitfield);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return enum_json(btf, t, data, bit_off, bitfield);
	case BTF_KIND_PTR:
		return json_object_new_uint64(btf_bits(data, bit_off, 64));
	case BTF_KIND_FLOAT:
		return float_json(t, data + bit_off / 8);
	case BTF_KIND_ARRAY:
		return array_json(btf, t, data, bit_off);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		obj = json_object_new_object();
		members_json(btf, t, data, bit_off, obj);
		return obj;
	}
	return NULL;
}

struct json_object *btf_json_value(const struct btf *btf, __u32 type_id,
				   const void *data, size_t size)
{
	__s64 tsize = btf__resolve_size(btf, type_id);

	if (tsize < 0 || (size_t)tsize != size)
		return NULL;
	return value_json(btf, type_id, data, 0, 0);
}
