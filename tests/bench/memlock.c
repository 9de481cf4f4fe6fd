// SPDX-License-Identifier: GPL-2.0
/* What the kernel charges for a BPF map: its fdinfo's memlock line. */
#include <errno.h>
#include <stdio.h>

#include "memlock.h"

long long bench_map_memlock(int fd)
{
	char path[64], line[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}
