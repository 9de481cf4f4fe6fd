// SPDX-License-Identifier: GPL-2.0
/*
 * The attach-at-scale benchmark's user-space points: 11 100 functions,
 * each with a USDT site passing its own number (so each site has its own
 * argument spec): 100 of probe scale:s100, 1 000 of scale:s1000, 10 000
 * of scale:s10000. The functions of a probe are listed, in order, in
 * their own section: uprobe_multi attaches to their entries.
 */
#include <sys/sdt.h>

#include "sites.h"

#define FN_(probe, n)							\
	static __attribute__((noinline)) void scale_fn_##n(void)	\
	{								\
		DTRACE_PROBE1(scale, probe, n);				\
	}								\
	static void (*const scale_ptr_##n)(void)			\
		__attribute__((section("scale_" #probe), used)) = scale_fn_##n;
#define FN(probe, n)	FN_(probe, n)
#define F1(p)		FN(p, __COUNTER__)
#define F10(p)		F1(p) F1(p) F1(p) F1(p) F1(p) F1(p) F1(p) F1(p) F1(p) F1(p)
#define F100(p)		F10(p) F10(p) F10(p) F10(p) F10(p) F10(p) F10(p) F10(p) F10(p) F10(p)
#define F1000(p)	F100(p) F100(p) F100(p) F100(p) F100(p) F100(p) F100(p) F100(p) F100(p) F100(p)

F100(s100)
F1000(s1000)
F1000(s10000) F1000(s10000) F1000(s10000) F1000(s10000) F1000(s10000)
F1000(s10000) F1000(s10000) F1000(s10000) F1000(s10000) F1000(s10000)

#define SITES(probe)							\
	extern scale_fn_t __start_scale_##probe[], __stop_scale_##probe[]; \
	if (n == __stop_scale_##probe - __start_scale_##probe)		\
		return __start_scale_##probe

const scale_fn_t *scale_sites(unsigned int n)
{
	SITES(s100);
	SITES(s1000);
	SITES(s10000);
	return 0;
}
