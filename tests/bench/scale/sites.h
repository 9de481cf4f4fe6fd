/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmark's user-space attach points (sites.c). */
#ifndef __PALS_BENCH_SITES_H
#define __PALS_BENCH_SITES_H

typedef void (*scale_fn_t)(void);

/*
 * The @n functions of USDT probe scale:s@n (n = 100, 1 000, 10 000), in
 * site order, or NULL. Site k of all of them passes k: probe s100 has
 * 0 .. 99, s1000 100 .. 1 099, s10000 1 100 .. 11 099.
 */
const scale_fn_t *scale_sites(unsigned int n);

#endif /* __PALS_BENCH_SITES_H */
