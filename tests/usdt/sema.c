// SPDX-License-Identifier: GPL-2.0
/* Probe pals:sema, which fires only while its semaphore is counted up. */
#define _SDT_HAS_SEMAPHORES 1
#include <stdint.h>
#include <sys/sdt.h>

#include "target.h"
#include "vals.h"

volatile unsigned short pals_sema_semaphore __attribute__((section(".probes")));

void fire_sema(void)
{
	if (pals_sema_semaphore)
		DTRACE_PROBE2(pals, sema, V0, V1);
}
