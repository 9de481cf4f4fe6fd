/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * USDT arguments for BPF programs attached with pals_attach_usdt().
 *
 *	#include <pals/pals_usdt.bpf.h>
 *
 *	SEC("usdt")
 *	int PALS_USDT(on_query, const char *sql, long rows)
 *	{
 *		... pals_usdt_cookie(ctx) ...
 *	}
 *
 * Each USDT site's attachment carries its argument spec in its blob
 * (struct pals_usdt_spec, see pals_usdt.h): there is no spec map to size,
 * no spec id, and one pals_get() per invocation finds the spec for every
 * argument. The program's section must be "usdt" (or "uprobe.multi"):
 * pals_attach_usdt() attaches through one uprobe_multi link, or where
 * the kernel has none (before 6.6) one uprobe link per site, each with
 * its site's cookie; the source is the same.
 *
 * Like libbpf's bpf_usdt_*() (bpf/usdt.bpf.h), which these mirror, an
 * argument that cannot be read is 0. The calls take ctx, the program's
 * struct pt_regs *, and read no map.
 *
 * A program that must load even where pals.ko is not loaded (to run with
 * libbpf's USDT support instead, say) defines PALS_USDT_OPTIONAL before
 * including this header: bpf_ksym_exists() then drops the kfunc call at
 * load time when the module is missing, and every call here behaves as
 * for a site without a spec (-ESRCH, arguments and cookie 0). With the
 * module loaded it costs nothing.
 */
#ifndef __PALS_USDT_BPF_H
#define __PALS_USDT_BPF_H

#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "pals.bpf.h"
#include "pals_usdt.h"

struct pt_regs;

#ifdef PALS_USDT_OPTIONAL
#define __pals_usdt_spec(ctx)						\
	(pals_available() ?						\
	 pals_get(ctx, struct pals_usdt_spec) : NULL)
#else
#define __pals_usdt_spec(ctx)	pals_get(ctx, struct pals_usdt_spec)
#endif

/* The probed thread's registers, with 0 at PALS_USDT_REG_NONE. */
static __always_inline void __pals_usdt_regs(struct pt_regs *ctx, __u64 *regs)
{
	const __u64 *r = (const __u64 *)ctx;
	int i;

#pragma unroll
	for (i = 0; i < PALS_USDT_REG_NONE; i++)
		regs[i] = r[i];
	regs[PALS_USDT_REG_NONE] = 0;
}

/* Argument @i of the site @spec describes, read from @regs and memory. */
static __always_inline int __pals_usdt_fetch(const struct pals_usdt_spec *spec,
					     const __u64 *regs, __u64 i,
					     long *res)
{
	const struct pals_usdt_arg *a;
	__u64 val, addr, shift;
	__u8 base, index, size;
	int err;

	*res = 0;
	if (!spec)
		return -ESRCH;
	if (i >= PALS_USDT_MAX_ARGS)
		return -ENOENT;
	/* Keep the bound check of a variable @i for the verifier. */
	if (!__builtin_constant_p(i))
		barrier_var(i);
	if (i >= spec->arg_cnt)
		return -ENOENT;
	a = &spec->args[i];
	base = a->base;
	index = a->index;
	size = a->size;
	if (base >= PALS_USDT_NR_REGS || index >= PALS_USDT_NR_REGS ||
	    !size || size > 8)
		return -EINVAL;
	val = regs[base] + (regs[index] << (a->scale & 3)) + a->disp;
	if (a->deref) {
		addr = val;
		val = 0;
		err = bpf_probe_read_user(&val, size, (void *)addr);
		if (err)
			return err;
	}
	shift = 64 - 8 * (__u64)size;
	val <<= shift;
	*res = a->is_signed ? (long)val >> shift : (long)(val >> shift);
	return 0;
}

/* The number of arguments of the traced site, or -ESRCH without a spec. */
static __always_inline int pals_usdt_arg_cnt(struct pt_regs *ctx)
{
	struct pals_usdt_spec *spec = __pals_usdt_spec(ctx);

	return spec ? spec->arg_cnt : -ESRCH;
}

/*
 * Put argument @i (from 0) of the site @spec describes into *@res: for a
 * site whose blob is a struct of the tool's (pals_attach_opts.usdt_type),
 * T *site = pals_get(ctx, T) and then pals_usdt_spec_arg(ctx,
 * &site->spec, i, &v); the calls that take only ctx look for a bare
 * struct pals_usdt_spec and find none there. 0 on success, a negative
 * errno otherwise (-ESRCH: @spec NULL), *@res then being 0.
 */
static __always_inline int pals_usdt_spec_arg(struct pt_regs *ctx,
					      const struct pals_usdt_spec *spec,
					      __u64 i, long *res)
{
	__u64 regs[PALS_USDT_NR_REGS];

	__pals_usdt_regs(ctx, regs);
	return __pals_usdt_fetch(spec, regs, i, res);
}

/*
 * Put argument @i (from 0) of the traced site into *@res: 0 on success, a
 * negative errno otherwise, *@res then being 0.
 */
static __always_inline int pals_usdt_arg(struct pt_regs *ctx, __u64 i,
					 long *res)
{
	return pals_usdt_spec_arg(ctx, __pals_usdt_spec(ctx), i, res);
}

/*
 * The size in bytes of argument @i (from 0) of the traced site, as
 * libbpf's bpf_usdt_arg_size(): -ESRCH without a spec, -ENOENT if the
 * site has no such argument.
 */
static __always_inline int pals_usdt_arg_size(struct pt_regs *ctx, __u64 i)
{
	struct pals_usdt_spec *spec = __pals_usdt_spec(ctx);

	if (!spec)
		return -ESRCH;
	if (i >= PALS_USDT_MAX_ARGS)
		return -ENOENT;
	barrier_var(i);
	if (i >= spec->arg_cnt)
		return -ENOENT;
	return spec->args[i].size;
}

/* The cookie given to pals_attach_usdt() (opts->usdt_cookie), or 0. */
static __always_inline long pals_usdt_cookie(struct pt_regs *ctx)
{
	struct pals_usdt_spec *spec = __pals_usdt_spec(ctx);

	return spec ? spec->cookie : 0;
}

#define ___pals_usdt_arg(i) \
	({ long _x; __pals_usdt_fetch(__spec, __regs, i, &_x); (void *)_x; })
#define ___pals_usdt_args0() ctx
#define ___pals_usdt_args1(x) ___pals_usdt_args0(), ___pals_usdt_arg(0)
#define ___pals_usdt_args2(x, args...) ___pals_usdt_args1(args), ___pals_usdt_arg(1)
#define ___pals_usdt_args3(x, args...) ___pals_usdt_args2(args), ___pals_usdt_arg(2)
#define ___pals_usdt_args4(x, args...) ___pals_usdt_args3(args), ___pals_usdt_arg(3)
#define ___pals_usdt_args5(x, args...) ___pals_usdt_args4(args), ___pals_usdt_arg(4)
#define ___pals_usdt_args6(x, args...) ___pals_usdt_args5(args), ___pals_usdt_arg(5)
#define ___pals_usdt_args7(x, args...) ___pals_usdt_args6(args), ___pals_usdt_arg(6)
#define ___pals_usdt_args8(x, args...) ___pals_usdt_args7(args), ___pals_usdt_arg(7)
#define ___pals_usdt_args9(x, args...) ___pals_usdt_args8(args), ___pals_usdt_arg(8)
#define ___pals_usdt_args10(x, args...) ___pals_usdt_args9(args), ___pals_usdt_arg(9)
#define ___pals_usdt_args11(x, args...) ___pals_usdt_args10(args), ___pals_usdt_arg(10)
#define ___pals_usdt_args12(x, args...) ___pals_usdt_args11(args), ___pals_usdt_arg(11)
#define ___pals_usdt_args(args...) \
	___bpf_apply(___pals_usdt_args, ___bpf_narg(args))(args)

/*
 * PALS_USDT(name, args...): a USDT program whose body receives the site's
 * arguments as typed parameters, as libbpf's BPF_USDT() does; ctx stays
 * available. The spec is looked up once and the registers read once for
 * all arguments.
 */
#define PALS_USDT(name, args...)					\
name(struct pt_regs *ctx);						\
static __always_inline typeof(name(0))					\
____##name(struct pt_regs *ctx, ##args);				\
typeof(name(0)) name(struct pt_regs *ctx)				\
{									\
	struct pals_usdt_spec *__spec __attribute__((unused)) =		\
		__pals_usdt_spec(ctx);					\
	__u64 __regs[PALS_USDT_NR_REGS];				\
									\
	__pals_usdt_regs(ctx, __regs);					\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")		\
	return ____##name(___pals_usdt_args(args));			\
	_Pragma("GCC diagnostic pop")					\
}									\
static __always_inline typeof(name(0))					\
____##name(struct pt_regs *ctx, ##args)

#endif /* __PALS_USDT_BPF_H */
