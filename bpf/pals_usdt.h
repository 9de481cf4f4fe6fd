/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The blob of a USDT site, shared by libpals (which fills it from the
 * site's ELF note) and pals_usdt.bpf.h (which reads arguments with it).
 * Include it after the __u64 family of types is defined (linux/types.h
 * in userspace, vmlinux.h or linux/types.h in BPF programs).
 *
 * Every argument is computed the same way, without branching on its kind:
 *
 *	addr = reg[base] + (reg[index] << scale) + disp
 *	raw  = deref ? the @size bytes at addr in user memory : addr
 *	val  = raw cut to @size bytes, sign-extended if @is_signed
 *
 * where reg[] is the probed thread's registers (word indices of the x86-64
 * struct pt_regs) and reg[PALS_USDT_REG_NONE] is 0. So a constant is
 * base = index = NONE with the value in disp; a register is base = that
 * register; "-8(%rbp)" is base = rbp, disp = -8, deref; "(%rax,%rdx,8)" is
 * base = rax, index = rdx, scale = 3, deref; and "sym(%rip)" is base = rip
 * with disp = sym's distance from the probe (rip is the probe's address
 * when the program runs), which works wherever the binary is loaded.
 */
#ifndef __PALS_USDT_H
#define __PALS_USDT_H

/* Most arguments a USDT site has (sys/sdt.h, and libbpf, stop at 12). */
#define PALS_USDT_MAX_ARGS	12

/* Registers as word indices of the x86-64 struct pt_regs. */
enum pals_usdt_reg {
	PALS_USDT_REG_R15,
	PALS_USDT_REG_R14,
	PALS_USDT_REG_R13,
	PALS_USDT_REG_R12,
	PALS_USDT_REG_RBP,
	PALS_USDT_REG_RBX,
	PALS_USDT_REG_R11,
	PALS_USDT_REG_R10,
	PALS_USDT_REG_R9,
	PALS_USDT_REG_R8,
	PALS_USDT_REG_RAX,
	PALS_USDT_REG_RCX,
	PALS_USDT_REG_RDX,
	PALS_USDT_REG_RSI,
	PALS_USDT_REG_RDI,
	PALS_USDT_REG_ORIG_RAX,
	PALS_USDT_REG_RIP,
	PALS_USDT_REG_CS,
	PALS_USDT_REG_EFLAGS,
	PALS_USDT_REG_RSP,
	PALS_USDT_REG_NONE,	/* reads as 0 */
	PALS_USDT_NR_REGS,
};

struct pals_usdt_arg {
	__s64 disp;		/* displacement, or the constant */
	__u8 base;		/* enum pals_usdt_reg */
	__u8 index;		/* enum pals_usdt_reg */
	__u8 scale;		/* log2 of the index's scale, 0..3 */
	__u8 deref;		/* 1: the value is in memory at the address */
	__u8 size;		/* of the value in bytes: 1, 2, 4 or 8 */
	__u8 is_signed;
	__u8 pad[2];
};

/* The blob of one USDT site: type "struct pals_usdt_spec". */
struct pals_usdt_spec {
	__u64 cookie;		/* pals_attach_opts.usdt_cookie */
	__u16 arg_cnt;
	__u16 pad[3];
	struct pals_usdt_arg args[PALS_USDT_MAX_ARGS];
};

#endif /* __PALS_USDT_H */
