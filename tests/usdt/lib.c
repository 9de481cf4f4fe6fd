// SPDX-License-Identifier: GPL-2.0
/*
 * libusdt_lib.so: probes in a shared library, loaded wherever the loader
 * puts it, each behind a semaphore of the library's.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <stdint.h>
#include <sys/sdt.h>

#include "target.h"
#include "vals.h"

volatile unsigned short pals_lib_semaphore __attribute__((section(".probes")));
volatile unsigned short pals_libglob_semaphore __attribute__((section(".probes")));

static volatile uint8_t lg0 = V0;
static volatile int8_t lg1 = V1;
static volatile uint16_t lg2 = V2;
static volatile int16_t lg3 = V3;
static volatile uint32_t lg4 = V4;
static volatile int32_t lg5 = V5;
static volatile uint64_t lg6 = V6;
static volatile int64_t lg7 = V7;

void fire_lib(uint8_t a0, int8_t a1, uint16_t a2, int16_t a3, uint32_t a4,
	      int32_t a5, uint64_t a6, int64_t a7)
{
	if (pals_lib_semaphore)
		DTRACE_PROBE8(pals, lib, a0, a1, a2, a3, a4, a5, a6, a7);
	if (pals_libglob_semaphore)
		DTRACE_PROBE8(pals, libglob, lg0, lg1, lg2, lg3, lg4, lg5, lg6,
			      lg7);
}
