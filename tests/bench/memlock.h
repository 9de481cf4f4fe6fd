/* SPDX-License-Identifier: GPL-2.0 */
/* What the kernel charges for a BPF map (memlock.c). */
#ifndef __PALS_BENCH_MEMLOCK_H
#define __PALS_BENCH_MEMLOCK_H

/* The memlock line of map @fd's fdinfo, in bytes, or a negative errno. */
long long bench_map_memlock(int fd);

#endif /* __PALS_BENCH_MEMLOCK_H */
