// SPDX-License-Identifier: GPL-2.0
/*
 * ".member=value": where a member of a blob's BTF type is and the bytes a
 * value gives it. Members nest (.inner.depth) and arrays take an index
 * (.slots[2]); values are integers in any C base, enumerator names,
 * true/false, floating-point numbers, and strings for char arrays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "palsctl.h"

/* The member @name of struct/union @t, anonymous members searched too. */
static const struct btf_member *find_member(const struct btf *btf,
					    const struct btf_type *t,
					    const char *name, size_t len,
					    __u32 *bit_off)
{
	const struct btf_member *m = btf_members(t), *found;
	const struct btf_type *mt;
	const char *mname;
	__u32 i, off;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		mname = btf__name_by_offset(btf, m->name_off);
		if (mname && *mname) {
			if (strlen(mname) != len || strncmp(mname, name, len))
				continue;
			*bit_off = btf_member_bit_offset(t, i);
			return btf_member_bitfield_size(t, i) ? NULL : m;
		}
		mt = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		if (!mt || !btf_is_composite(mt))
			continue;
		found = find_member(btf, mt, name, len, &off);
		if (found) {
			*bit_off = btf_member_bit_offset(t, i) + off;
			return found;
		}
	}
	return NULL;
}

/* Follow @path (".a.b[2]") from type *@id: *@id and *@off become the member's. */
static int walk(const struct btf *btf, const char *path, const char *end,
		__u32 *id, __u32 *off)
{
	const struct btf_member *m;
	const struct btf_type *t;
	unsigned long idx;
	__u32 bit_off;
	__s64 esize;
	size_t len;
	char *stop;

	while (path < end) {
		t = btf__type_by_id(btf, btf__resolve_type(btf, *id));
		if (*path == '.' && t && btf_is_composite(t)) {
			len = strcspn(path + 1, ".[=");
			m = find_member(btf, t, path + 1, len, &bit_off);
			if (!m || bit_off % 8)
				return p_err("%.*s: no such member (bitfields cannot be set)",
					     (int)(path + 1 + len - path), path);
			*id = m->type;
			*off += bit_off / 8;
			path += 1 + len;
		} else if (*path == '[' && t && btf_is_array(t)) {
			errno = 0;
			idx = strtoul(path + 1, &stop, 0);
			esize = btf__resolve_size(btf, btf_array(t)->type);
			if (errno || *stop != ']' || idx >= btf_array(t)->nelems ||
			    esize < 0)
				return p_err("%.*s: not an index below %u",
					     (int)(end - path), path,
					     btf_array(t)->nelems);
			*id = btf_array(t)->type;
			*off += idx * esize;
			path = stop + 1;
		} else {
			return p_err("%.*s: not a member or index of this type",
				     (int)(end - path), path);
		}
	}
	return EXIT_OK;
}

static int enum_value(const struct btf *btf, const struct btf_type *t,
		      const char *s, __u64 *v)
{
	__u32 i;

	for (i = 0; i < btf_vlen(t); i++) {
		if (btf_is_enum(t) &&
		    !strcmp(s, btf__name_by_offset(btf, btf_enum(t)[i].name_off))) {
			*v = (__s64)btf_enum(t)[i].val;
			return 0;
		}
		if (btf_is_enum64(t) &&
		    !strcmp(s, btf__name_by_offset(btf, btf_enum64(t)[i].name_off))) {
			*v = btf_enum64_value(&btf_enum64(t)[i]);
			return 0;
		}
	}
	return -ENOENT;
}

/* An integer of @size bytes, @is_signed or not, from @s into @buf. */
static int int_bytes(const char *s, __u32 size, bool is_signed, __u8 *buf)
{
	__u64 u;
	__s64 v;
	char *end;

	errno = 0;
	if (is_signed) {
		v = strtoll(s, &end, 0);
		u = v;
		if (size < 8 && (v < -(1LL << (size * 8 - 1)) ||
				 v >= 1LL << (size * 8 - 1)))
			errno = ERANGE;
	} else {
		u = strtoull(s, &end, 0);
		if (*s == '-' || (size < 8 && u >> (size * 8)))
			errno = ERANGE;
	}
	if (!*s || *end || errno)
		return -ERANGE;
	memcpy(buf, &u, size);	/* little-endian */
	return 0;
}

/* The bytes of @value for type @id: *@size of them into @buf. */
static int value_bytes(const struct btf *btf, __u32 id, const char *value,
		       __u8 *buf, __u32 *size)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, id));
	__s64 tsize = btf__resolve_size(btf, id);
	double d;
	float f;
	char *end;
	__u64 v;

	if (!t || tsize <= 0 || tsize > PALSCTL_VALUE_MAX)
		return -EINVAL;
	*size = tsize;
	memset(buf, 0, tsize);
	if (btf_is_array(t) && btf_is_char(btf, btf_array(t)->type))
		return strlen(value) < (size_t)tsize ?
		       (memcpy(buf, value, strlen(value)), 0) : -E2BIG;
	if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL) &&
	    (!strcmp(value, "true") || !strcmp(value, "false"))) {
		buf[0] = value[0] == 't';
		return 0;
	}
	if (btf_is_int(t) && t->size <= 8)
		return int_bytes(value, t->size,
				 btf_int_encoding(t) & BTF_INT_SIGNED, buf);
	if (btf_is_any_enum(t)) {
		if (!enum_value(btf, t, value, &v)) {
			memcpy(buf, &v, t->size);
			return 0;
		}
		return int_bytes(value, t->size, btf_kflag(t), buf);
	}
	if (btf_is_float(t) && (t->size == 4 || t->size == 8)) {
		errno = 0;
		d = strtod(value, &end);
		if (!*value || *end || errno)
			return -ERANGE;
		f = d;
		memcpy(buf, t->size == 4 ? (void *)&f : (void *)&d, t->size);
		return 0;
	}
	return -EINVAL;
}

int btf_assign(const struct btf *btf, __u32 type_id, const char *expr,
	       __u32 *off, __u8 *buf, __u32 *size)
{
	const char *eq = strchr(expr, '=');
	__u32 id = type_id;
	int err;

	*off = 0;
	if (*expr != '.' || !eq)
		return p_usage("'%s': not .member=value", expr);
	err = walk(btf, expr, eq, &id, off);
	if (err)
		return err;
	err = value_bytes(btf, id, eq + 1, buf, size);
	if (err == -ERANGE)
		return p_err("%.*s: '%s' is out of range for its type",
			     (int)(eq - expr), expr, eq + 1);
	if (err == -E2BIG)
		return p_err("%.*s: '%s' is too long: %zu characters, room for %u and the final NUL",
			     (int)(eq - expr), expr, eq + 1, strlen(eq + 1),
			     *size - 1);
	if (err)
		return p_err("%.*s: set its members one at a time",
			     (int)(eq - expr), expr);
	return EXIT_OK;
}
