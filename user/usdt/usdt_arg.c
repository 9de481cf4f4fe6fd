// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * x86-64 USDT argument specs. sys/sdt.h records each argument as
 * "SIZE@OPERAND", SIZE being 1, 2, 4 or 8 bytes, negative when signed,
 * and OPERAND the AT&T text the compiler chose for it:
 *
 *	$-9			a constant
 *	%eax			a register (its width is that of SIZE)
 *	-20(%rbp)  (%rsp)	memory at register + displacement
 *	(%rcx,%rdx,8)  -24(%rsp,%rdx)  garr(,%rdx,8)
 *				memory at base + index * scale + disp
 *	g32(%rip)  24+garr(%rip)
 *				a global: a symbol, plus or minus constants
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elffile.h"
#include "log.h"
#include "usdt.h"

/* Each register's names: 64, 32, 16 and 8 bits wide. */
static const char *const pals_usdt_regs[PALS_USDT_REG_NONE][4] = {
	[PALS_USDT_REG_RAX] = { "rax", "eax", "ax", "al" },
	[PALS_USDT_REG_RBX] = { "rbx", "ebx", "bx", "bl" },
	[PALS_USDT_REG_RCX] = { "rcx", "ecx", "cx", "cl" },
	[PALS_USDT_REG_RDX] = { "rdx", "edx", "dx", "dl" },
	[PALS_USDT_REG_RSI] = { "rsi", "esi", "si", "sil" },
	[PALS_USDT_REG_RDI] = { "rdi", "edi", "di", "dil" },
	[PALS_USDT_REG_RBP] = { "rbp", "ebp", "bp", "bpl" },
	[PALS_USDT_REG_RSP] = { "rsp", "esp", "sp", "spl" },
	[PALS_USDT_REG_R8] = { "r8", "r8d", "r8w", "r8b" },
	[PALS_USDT_REG_R9] = { "r9", "r9d", "r9w", "r9b" },
	[PALS_USDT_REG_R10] = { "r10", "r10d", "r10w", "r10b" },
	[PALS_USDT_REG_R11] = { "r11", "r11d", "r11w", "r11b" },
	[PALS_USDT_REG_R12] = { "r12", "r12d", "r12w", "r12b" },
	[PALS_USDT_REG_R13] = { "r13", "r13d", "r13w", "r13b" },
	[PALS_USDT_REG_R14] = { "r14", "r14d", "r14w", "r14b" },
	[PALS_USDT_REG_R15] = { "r15", "r15d", "r15w", "r15b" },
	[PALS_USDT_REG_RIP] = { "rip", "eip" },
};

/* One argument being parsed: where we are and what to say on failure. */
struct pals_usdt_parser {
	const char *p;
	const char *args;
	int num;
	const struct pals_usdt_loc *loc;
};

static int pals_usdt_bad(const struct pals_usdt_parser *ps, const char *why)
{
	return pals_err(-EINVAL, "usdt: argument %d of '%s': %s", ps->num,
			ps->args, why);
}

/* "%NAME": *@reg is its pt_regs word index. */
static int pals_usdt_reg(struct pals_usdt_parser *ps, __u8 *reg)
{
	size_t len, i, w;

	if (*ps->p != '%')
		return pals_usdt_bad(ps, "register expected");
	ps->p++;
	len = strspn(ps->p, "abcdefghijklmnopqrstuvwxyz0123456789");
	for (i = 0; i < PALS_USDT_REG_NONE; i++) {
		for (w = 0; w < 4 && pals_usdt_regs[i][w]; w++) {
			if (strlen(pals_usdt_regs[i][w]) == len &&
			    !strncmp(pals_usdt_regs[i][w], ps->p, len)) {
				ps->p += len;
				*reg = i;
				return 0;
			}
		}
	}
	return pals_usdt_bad(ps, "unknown register");
}

/*
 * A displacement: numbers and at most one symbol, added or subtracted
 * ("-24", "0x10", "garr+24", "24+garr"). *@sym tells if a symbol was in it.
 */
static int pals_usdt_disp(struct pals_usdt_parser *ps, __s64 *disp, bool *sym)
{
	char name[256], *end;
	__u64 val;
	size_t len;
	bool neg;

	*disp = 0;
	*sym = false;
	for (;;) {
		neg = *ps->p == '-';
		if (*ps->p == '-' || *ps->p == '+')
			ps->p++;
		if (isdigit((unsigned char)*ps->p)) {
			errno = 0;
			val = strtoull(ps->p, &end, 0);
			if (errno)
				return pals_usdt_bad(ps, "number out of range");
			ps->p = end;
		} else {
			len = strcspn(ps->p, "+-(), ");
			if (!len || len >= sizeof(name))
				return pals_usdt_bad(ps, "number or symbol expected");
			if (*sym || neg)
				return pals_usdt_bad(ps, "only one symbol may be added");
			memcpy(name, ps->p, len);
			name[len] = '\0';
			if (pals_elf_sym(ps->loc->elf, name, &val))
				return pals_usdt_bad(ps, "symbol not in the file's symbol tables");
			*sym = true;
			ps->p += len;
		}
		*disp += neg ? -val : val;
		if (*ps->p != '-' && *ps->p != '+')
			return 0;
	}
}

/* "DISP(%BASE,%INDEX,SCALE)", every part optional but the parentheses. */
static int pals_usdt_mem(struct pals_usdt_parser *ps, struct pals_usdt_arg *arg)
{
	bool sym = false;
	char *end;
	long scale;
	int err;

	arg->deref = 1;
	if (*ps->p != '(') {
		err = pals_usdt_disp(ps, &arg->disp, &sym);
		if (err)
			return err;
	}
	if (*ps->p++ != '(')
		return pals_usdt_bad(ps, "'(' expected");
	if (*ps->p == '%' && (err = pals_usdt_reg(ps, &arg->base)))
		return err;
	if (*ps->p == ',') {
		ps->p++;
		err = pals_usdt_reg(ps, &arg->index);
		if (err)
			return err;
		if (arg->index == PALS_USDT_REG_RIP)
			return pals_usdt_bad(ps, "%rip cannot be an index");
		if (*ps->p == ',') {
			scale = strtol(ps->p + 1, &end, 10);
			if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
				return pals_usdt_bad(ps, "scale must be 1, 2, 4 or 8");
			arg->scale = __builtin_ctzl(scale);
			ps->p = end;
		}
	}
	if (*ps->p++ != ')')
		return pals_usdt_bad(ps, "')' expected");
	if (!sym) {
		if (arg->base == PALS_USDT_REG_RIP)
			return pals_usdt_bad(ps, "%rip-relative without a symbol");
		return 0;
	}
	/*
	 * A symbol's address is its file address plus the load bias, which
	 * is rip - ip when the program runs at the site: address it from
	 * rip. Only in a fixed-address file may another register hold the
	 * base; compilers emit no other form.
	 */
	if (arg->base == PALS_USDT_REG_RIP || arg->base == PALS_USDT_REG_NONE) {
		arg->base = PALS_USDT_REG_RIP;
		arg->disp -= ps->loc->ip;
	} else if (!ps->loc->fixed) {
		return pals_usdt_bad(ps, "symbol and base register in a relocatable file");
	}
	return 0;
}

static int pals_usdt_arg(struct pals_usdt_parser *ps, struct pals_usdt_arg *arg)
{
	bool sym;
	char *end;
	long size;
	int err;

	memset(arg, 0, sizeof(*arg));
	arg->base = PALS_USDT_REG_NONE;
	arg->index = PALS_USDT_REG_NONE;
	size = strtol(ps->p, &end, 10);
	if (end == ps->p || *end != '@')
		return pals_usdt_bad(ps, "SIZE@ expected");
	if (labs(size) != 1 && labs(size) != 2 && labs(size) != 4 &&
	    labs(size) != 8)
		return pals_usdt_bad(ps, "size must be 1, 2, 4 or 8 bytes");
	arg->size = labs(size);
	arg->is_signed = size < 0;
	ps->p = end + 1;
	switch (*ps->p) {
	case '$':
		ps->p++;
		err = pals_usdt_disp(ps, &arg->disp, &sym);
		if (!err && sym)
			err = pals_usdt_bad(ps, "a symbol's address as a constant");
		break;
	case '%':
		err = pals_usdt_reg(ps, &arg->base);
		break;
	default:
		err = pals_usdt_mem(ps, arg);
	}
	if (!err && *ps->p && *ps->p != ' ')
		err = pals_usdt_bad(ps, "junk after the operand");
	return err;
}

int pals_usdt_parse_args(const char *args, const struct pals_usdt_loc *loc,
			 struct pals_usdt_spec *spec)
{
	struct pals_usdt_parser ps = { .p = args, .args = args, .loc = loc };
	int err;

	spec->arg_cnt = 0;
	for (;;) {
		while (*ps.p == ' ')
			ps.p++;
		if (!*ps.p)
			return 0;
		if (ps.num == PALS_USDT_MAX_ARGS)
			return pals_err(-EINVAL, "usdt: more than %d arguments in '%s'",
					PALS_USDT_MAX_ARGS, args);
		err = pals_usdt_arg(&ps, &spec->args[ps.num]);
		if (err)
			return err;
		spec->arg_cnt = ++ps.num;
	}
}
