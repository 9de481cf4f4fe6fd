// SPDX-License-Identifier: GPL-2.0
/*
 * USDT_MANY_SITES sites of one probe, many:site, each with its own spec:
 * site n passes n as a constant, then USDT_MANY_VAL(n) in a register, in
 * a stack slot or as a constant, by turns.
 */
#include <stdint.h>
#include <sys/sdt.h>

#include "target.h"
#include "vals.h"

volatile long many_base = USDT_MANY_VAL(0);

#define SITE(n) do {							\
	volatile long s = base + (n);					\
									\
	if ((n) % 3 == 0)						\
		DTRACE_PROBE2(many, site, n, base + (n));		\
	else if ((n) % 3 == 1)						\
		DTRACE_PROBE2(many, site, n, s);			\
	else								\
		DTRACE_PROBE2(many, site, n, USDT_MANY_VAL(n));		\
} while (0);
#define S1	SITE(__COUNTER__)
#define S10	S1 S1 S1 S1 S1 S1 S1 S1 S1 S1
#define S100	S10 S10 S10 S10 S10 S10 S10 S10 S10 S10

_Static_assert(USDT_MANY_SITES == 300, "S100 S100 S100 below");

void fire_many(void)
{
	long base = many_base;

	S100 S100 S100
}
