/* SPDX-License-Identifier: GPL-2.0 */
/* The USDT test target's other translation units and its library. */
#ifndef __PALS_TEST_USDT_TARGET_H
#define __PALS_TEST_USDT_TARGET_H

#include <stdint.h>

/* sema.c: probe pals:sema, behind its semaphore. */
void fire_sema(void);
/* many.c: the USDT_MANY_SITES sites of probe many:site. */
void fire_many(void);
/* lib.c, in libusdt_lib.so: probes lib:args and lib:globrip. */
void fire_lib(uint8_t a0, int8_t a1, uint16_t a2, int16_t a3, uint32_t a4,
	      int32_t a5, uint64_t a6, int64_t a7);

#endif /* __PALS_TEST_USDT_TARGET_H */
