// SPDX-License-Identifier: GPL-2.0
/* Check a blob's type against the program's BTF. */
#include <linux/btf.h>

#include "pals.h"

/* Deeper modifier chains than this are not produced by compilers. */
#define PALS_BTF_MAX_MODIFIERS	32

static const struct btf_type *pals_btf_resolve(const struct btf *btf,
						u32 type_id)
{
	const struct btf_type *t = btf_type_by_id(btf, type_id);
	int i;

	for (i = 0; t && i < PALS_BTF_MAX_MODIFIERS; i++) {
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			t = btf_type_by_id(btf, t->type);
			break;
		default:
			return t;
		}
	}
	return NULL;
}

/* The size of the struct or union @type_id names in @prog's BTF, or an error. */
int pals_btf_size(const struct bpf_prog *prog, u32 type_id,
		  const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	const struct btf *btf = prog->aux->btf;
	const struct btf_type *t;

	if (!btf) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "PALS_A_TYPE_ID: the program was loaded without BTF");
		return -EINVAL;
	}
	t = pals_btf_resolve(btf, type_id);
	if (!t) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"PALS_A_TYPE_ID: %u is not a type in the program's BTF",
					type_id);
		return -EINVAL;
	}
	if (!btf_type_is_struct(t)) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"PALS_A_TYPE_ID: %u is not a struct or union",
					type_id);
		return -EINVAL;
	}
	return min_t(u32, t->size, INT_MAX);
}

int pals_btf_check(const struct bpf_prog *prog, u32 type_id, u32 size,
		   const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	int type_size = pals_btf_size(prog, type_id, attr, extack);

	if (type_size < 0)
		return type_size;
	if (type_size != size) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"PALS_A_DATA: %u bytes, but type %u has size %d",
					size, type_id, type_size);
		return -EINVAL;
	}
	return 0;
}
