/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The values the USDT test probes pass (tests/usdt/) and the test
 * expects (tests/test_usdt.c). Argument i of every probe has type i % 8 of
 * this list and carries its value: top bits set wherever a type has them,
 * so a wrong width or extension shows.
 */
#ifndef __PALS_TEST_USDT_VALS_H
#define __PALS_TEST_USDT_VALS_H

#define V0	((uint8_t)0xa5)
#define V1	((int8_t)-91)
#define V2	((uint16_t)0xbeef)
#define V3	((int16_t)-12345)
#define V4	((uint32_t)0xdeadbeef)
#define V5	((int32_t)-1234567890)
#define V6	((uint64_t)0xfedcba9876543210ull)
#define V7	((int64_t)-1234567890123456789ll)

/*
 * The sites of probe many:site (tests/usdt/many.c): more distinct specs
 * than libbpf's spec map holds (256).
 */
#define USDT_MANY_SITES	300
/* What site n passes as its second argument, besides n. */
#define USDT_MANY_VAL(n)	(0x5a5a0000 + (n))

#endif /* __PALS_TEST_USDT_VALS_H */
