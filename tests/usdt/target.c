// SPDX-License-Identifier: GPL-2.0
/*
 * The USDT test target: says it is ready with a byte on stdout, waits for
 * a byte on stdin (the test attaches meanwhile), fires every probe once,
 * exits. Argument i of every probe
 * is of type i % 8 of vals.h; the probes differ by how the compiler
 * places the arguments: registers, stack, constants, globals through a
 * register, globals %rip-relative, base + index * scale.
 */
#include <stdint.h>
#include <unistd.h>
#include <sys/sdt.h>

#include "target.h"
#include "vals.h"

volatile uint8_t g0 = V0;
volatile int8_t g1 = V1;
volatile uint16_t g2 = V2;
volatile int16_t g3 = V3;
volatile uint32_t g4 = V4;
volatile int32_t g5 = V5;
volatile uint64_t g6 = V6;
volatile int64_t g7 = V7;

volatile uint8_t ga0[3] = { 0, V0, 0 };
volatile int8_t ga1[3] = { 0, V1, 0 };
volatile uint16_t ga2[3] = { 0, V2, 0 };
volatile int16_t ga3[3] = { 0, V3, 0 };

/* Pointers read at run time: the globals are reached through registers. */
volatile uint8_t *volatile pg0 = &g0;
volatile int8_t *volatile pg1 = &g1;
volatile uint16_t *volatile pg2 = &g2;
volatile int16_t *volatile pg3 = &g3;
volatile uint32_t *volatile pg4 = &g4;
volatile int32_t *volatile pg5 = &g5;
volatile uint64_t *volatile pg6 = &g6;
volatile int64_t *volatile pg7 = &g7;

/* Arguments in registers, then on the stack past the sixth. */
__attribute__((noipa))
static void fire_args(uint8_t a0, int8_t a1, uint16_t a2, int16_t a3,
		      uint32_t a4, int32_t a5, uint64_t a6, int64_t a7,
		      uint8_t a8, int8_t a9, uint16_t a10, int16_t a11)
{
	DTRACE_PROBE(pals, args0);
	DTRACE_PROBE1(pals, args1, a0);
	DTRACE_PROBE2(pals, args2, a0, a1);
	DTRACE_PROBE3(pals, args3, a0, a1, a2);
	DTRACE_PROBE4(pals, args4, a0, a1, a2, a3);
	DTRACE_PROBE5(pals, args5, a0, a1, a2, a3, a4);
	DTRACE_PROBE6(pals, args6, a0, a1, a2, a3, a4, a5);
	DTRACE_PROBE7(pals, args7, a0, a1, a2, a3, a4, a5, a6);
	DTRACE_PROBE8(pals, args8, a0, a1, a2, a3, a4, a5, a6, a7);
	DTRACE_PROBE9(pals, args9, a0, a1, a2, a3, a4, a5, a6, a7, a8);
	DTRACE_PROBE10(pals, args10, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
	DTRACE_PROBE11(pals, args11, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9,
		       a10);
	DTRACE_PROBE12(pals, args12, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9,
		       a10, a11);
}

/* Constants, and locals in memory addressed from %rsp. */
__attribute__((noipa))
static void fire_stack(uint8_t a0, int8_t a1, uint16_t a2, int16_t a3,
		       uint32_t a4, int32_t a5, uint64_t a6, int64_t a7)
{
	volatile uint8_t s0 = a0;
	volatile int8_t s1 = a1;
	volatile uint16_t s2 = a2;
	volatile int16_t s3 = a3;
	volatile uint32_t s4 = a4;
	volatile int32_t s5 = a5;
	volatile uint64_t s6 = a6;
	volatile int64_t s7 = a7;

	DTRACE_PROBE8(pals, consts, V0, V1, V2, V3, V4, V5, V6, V7);
	DTRACE_PROBE8(pals, stack, s0, s1, s2, s3, s4, s5, s6, s7);
}

/* Unoptimised: arguments addressed from the frame pointer, %rbp. */
__attribute__((noipa, optimize("O0")))
static void fire_frame(uint8_t a0, int8_t a1, uint16_t a2, int16_t a3,
		       uint32_t a4, int32_t a5, uint64_t a6, int64_t a7)
{
	DTRACE_PROBE8(pals, frame, a0, a1, a2, a3, a4, a5, a6, a7);
}

/* Globals through registers, %rip-relative, and indexed (SIB). */
__attribute__((noipa))
static void fire_globals(int i)
{
	volatile uint32_t la4[3] = { 0, V4, 0 };
	volatile int32_t la5[3] = { 0, V5, 0 };
	volatile uint64_t la6[3] = { 0, V6, 0 };
	volatile int64_t la7[3] = { 0, V7, 0 };

	DTRACE_PROBE8(pals, globptr, *pg0, *pg1, *pg2, *pg3, *pg4, *pg5, *pg6,
		      *pg7);
	DTRACE_PROBE8(pals, globrip, g0, g1, g2, g3, g4, g5, g6, g7);
	DTRACE_PROBE8(pals, sib, ga0[i], ga1[i], ga2[i], ga3[i], la4[i],
		      la5[i], la6[i], la7[i]);
}

int main(void)
{
	char c;

	if (write(1, "r", 1) != 1 || read(0, &c, 1) != 1)
		return 1;
	fire_args(V0, V1, V2, V3, V4, V5, V6, V7, V0, V1, V2, V3);
	fire_stack(V0, V1, V2, V3, V4, V5, V6, V7);
	fire_frame(V0, V1, V2, V3, V4, V5, V6, V7);
	fire_globals(1);
	fire_sema();
	fire_lib(V0, V1, V2, V3, V4, V5, V6, V7);
	fire_many();
	return 0;
}
