// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The blob types a loaded program asks bpf_pals_get() for, read from the
 * instructions the kernel runs (BPF_OBJ_GET_INFO_BY_FD, xlated_prog_insns).
 *
 * The verifier rewrites a kfunc call's imm into the function's distance
 * from __bpf_call_base (x86-64 has no far kfunc calls), or hides it from
 * readers without kallsyms rights, so bpf_pals_get is not told by its
 * imm: a call is taken for it when it is a call of a module kfunc
 * (src_reg BPF_PSEUDO_KFUNC_CALL, off the module BTF's fd_array index,
 * which stays) whose second and third arguments are constants, the
 * second a struct or union of the program's BTF. The type id arrives as
 * pals_get() loads it, "r2 = id ll", which the verifier leaves alone
 * (unless net.core.bpf_jit_harden blinds constants: the call's type then
 * reads as unknown).
 *
 * Registers are followed in straight lines only: every jump target,
 * subprogram and callback entry starts with nothing known, and so does
 * everything after an exit or a "goto". A call whose type id is not known
 * there makes the answer unknown rather than wrong.
 *
 * Before load (the map fallback reads libbpf's instructions, where the
 * dead kfunc call is still there), every unresolved weak kfunc looks the
 * same: bpf_pals_get, but also the session kfunc prototype the kernel
 * lacks (pals_session.bpf.h). Such a call with unknown arguments is taken
 * for another kfunc when a pals_get() call with constants was found, and
 * makes the answer unknown only when none was.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>

#include "asked.h"

struct pals_regs {
	__u16 known;		/* bit i: r<i> holds val[i] */
	__u64 val[MAX_BPF_REG];
};

static bool pals_insn_is_jump(const struct bpf_insn *in)
{
	__u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) &&
	       op != BPF_CALL && op != BPF_EXIT;
}

/* Mark every instruction that something other than its predecessor reaches. */
static void pals_mark_entries(const struct bpf_insn *insns, __u32 cnt,
			      bool *entry)
{
	const struct bpf_insn *in;
	__s64 t;
	__u32 i;

	for (i = 0; i < cnt; i++) {
		in = &insns[i];
		t = -1;
		if (pals_insn_is_jump(in))
			t = (__s64)i + 1 + (BPF_CLASS(in->code) == BPF_JMP32 &&
					    BPF_OP(in->code) == BPF_JA ?
					    in->imm : in->off);
		else if (in->code == (BPF_JMP | BPF_CALL) &&
			 in->src_reg == BPF_PSEUDO_CALL && in->imm != -1)
			t = (__s64)i + 1 + in->imm;
		else if (in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
			 in->src_reg == BPF_PSEUDO_FUNC)
			t = (__s64)i + 1 + in->imm;
		if (t >= 0 && t < cnt)
			entry[t] = true;
		if (in->code == (BPF_JMP | BPF_EXIT) ||
		    (pals_insn_is_jump(in) && BPF_OP(in->code) == BPF_JA))
			if (i + 1 < cnt)
				entry[i + 1] = true;
	}
}

static void pals_set(struct pals_regs *r, __u8 reg, bool known, __u64 val)
{
	if (reg >= MAX_BPF_REG)
		return;
	r->known &= ~(1U << reg);
	if (!known)
		return;
	r->known |= 1U << reg;
	r->val[reg] = val;
}

static bool pals_known(const struct pals_regs *r, __u8 reg)
{
	return r->known & (1U << reg);
}

/* A struct or union of @btf, through typedefs and qualifiers? */
static bool pals_is_blob_type(const struct btf *btf, __u64 id)
{
	const struct btf_type *t;
	int real;

	if (!id || id >= btf__type_cnt(btf))
		return false;
	real = btf__resolve_type(btf, id);
	t = real < 0 ? NULL : btf__type_by_id(btf, real);
	return t && btf_is_composite(t);
}

static void pals_asked_add(struct pals_asked *asked, __u32 id)
{
	unsigned int i;

	for (i = 0; i < asked->cnt; i++)
		if (asked->ids[i] == id)
			return;
	if (asked->cnt == PALS_ASKED_MAX)
		asked->unknown = true;
	else
		asked->ids[asked->cnt++] = id;
}

/* libbpf's mark of an unresolved weak kfunc call (POISON_CALL_KFUNC_BASE). */
#define PALS_POISON_KFUNC	2002000000

/*
 * A call that may be an unresolved weak kfunc, any of them: relocated by
 * libbpf but left unresolved (the fallback's), or as the compiler left
 * it (an extern call, before libbpf's relocation).
 */
static bool pals_is_weak_call(const struct bpf_insn *in)
{
	return (!in->src_reg && in->imm >= PALS_POISON_KFUNC) ||
	       (in->src_reg == BPF_PSEUDO_CALL && in->imm == -1);
}

/* A call of a module kfunc: loaded, or one that may be unresolved. */
static bool pals_is_kfunc_call(const struct bpf_insn *in)
{
	return (in->src_reg == BPF_PSEUDO_KFUNC_CALL && in->off) ||
	       pals_is_weak_call(in);
}

static void pals_call(struct pals_regs *r, const struct bpf_insn *in,
		      const struct btf *btf, struct pals_asked *asked,
		      bool *weak_unknown)
{
	__u8 reg;

	if (pals_is_kfunc_call(in)) {
		if (!pals_known(r, BPF_REG_2) || !pals_known(r, BPF_REG_3)) {
			if (pals_is_weak_call(in))
				*weak_unknown = true;
			else
				asked->unknown = true;
		} else if (pals_is_blob_type(btf, r->val[BPF_REG_2])) {
			pals_asked_add(asked, r->val[BPF_REG_2]);
			if (r->val[BPF_REG_3] > asked->max_size &&
			    r->val[BPF_REG_3] <= UINT32_MAX)
				asked->max_size = r->val[BPF_REG_3];
		}
	}
	for (reg = BPF_REG_0; reg <= BPF_REG_5; reg++)
		pals_set(r, reg, false, 0);
}

static void pals_scan(const struct bpf_insn *insns, __u32 cnt,
		      const bool *entry, const struct btf *btf,
		      struct pals_asked *asked)
{
	struct pals_regs r = {};
	const struct bpf_insn *in;
	bool weak_unknown = false;
	__u8 cls;
	__u32 i;

	for (i = 0; i < cnt; i++) {
		in = &insns[i];
		cls = BPF_CLASS(in->code);
		if (entry[i])
			r.known = 0;
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < cnt) {
			pals_set(&r, in->dst_reg, !in->src_reg,
				 (__u32)in->imm | (__u64)in[1].imm << 32);
			i++;
		} else if (in->code == (BPF_ALU64 | BPF_MOV | BPF_K)) {
			pals_set(&r, in->dst_reg, true, (__s64)in->imm);
		} else if (in->code == (BPF_ALU | BPF_MOV | BPF_K)) {
			pals_set(&r, in->dst_reg, true, (__u32)in->imm);
		} else if (in->code == (BPF_ALU64 | BPF_MOV | BPF_X) && !in->off &&
			   in->src_reg < MAX_BPF_REG) {
			pals_set(&r, in->dst_reg, pals_known(&r, in->src_reg),
				 r.val[in->src_reg]);
		} else if (in->code == (BPF_JMP | BPF_CALL)) {
			pals_call(&r, in, btf, asked, &weak_unknown);
		} else if (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LD ||
			   cls == BPF_LDX) {
			pals_set(&r, in->dst_reg, false, 0);
		} else if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC) {
			/* fetching atomics write src_reg, cmpxchg r0 */
			pals_set(&r, in->src_reg, false, 0);
			pals_set(&r, BPF_REG_0, false, 0);
		}
	}
	if (weak_unknown && !asked->cnt)
		asked->unknown = true;
}

int pals_insns_asked(const struct bpf_insn *insns, size_t cnt,
		     const struct btf *btf, struct pals_asked *asked)
{
	bool *entry = calloc(cnt ?: 1, sizeof(*entry));

	memset(asked, 0, sizeof(*asked));
	if (!entry)
		return -ENOMEM;
	pals_mark_entries(insns, cnt, entry);
	pals_scan(insns, cnt, entry, btf, asked);
	free(entry);
	return 0;
}

int pals_prog_asked(int prog_fd, const struct btf *btf,
		    struct pals_asked *asked)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), cnt;
	struct bpf_insn *insns;
	int err;

	memset(asked, 0, sizeof(*asked));
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	cnt = info.xlated_prog_len / sizeof(*insns);
	if (!cnt) {		/* hidden: no CAP_BPF, or blinded */
		asked->unknown = true;
		return 0;
	}
	insns = calloc(cnt, sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = cnt * sizeof(*insns);
	info.xlated_prog_insns = (__u64)(unsigned long)insns;
	len = sizeof(info);
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &len)) {
		err = -errno;
		goto out;
	}
	if (info.xlated_prog_len / sizeof(*insns) < cnt)
		cnt = info.xlated_prog_len / sizeof(*insns);
	err = pals_insns_asked(insns, cnt, btf, asked);
out:
	free(insns);
	return err;
}
