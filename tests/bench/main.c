// SPDX-License-Identifier: GPL-2.0
/*
 * pals-bench METER OUT [PART...]: run the benchmark parts in the guest
 * (pals.ko inserted) and append their JSON lines to OUT. METER is "icount"
 * (the guest runs with -icount shift=0) or "wall" (plain TCG). PARTs:
 * memory, access, attach; by default all three for icount, access for
 * wall.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>

#include "bench.h"

void bench_trigger(long n)
{
	while (n--)
		syscall(SYS_getpgid, 0);
}

__u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

long long bench_slab_bytes(void)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	long long sum = 0, active, size;
	char line[512];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %lld %*d %lld", &active, &size) == 2)
			sum += active * size;
	fclose(f);
	return sum;
}

long long bench_vmalloc_bytes(void)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	long long sum = 0;
	char line[512], *p;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if ((p = strstr(line, " pages=")))
			sum += atoll(p + 7) * sysconf(_SC_PAGESIZE);
	fclose(f);
	return sum;
}

void bench_cfg_fill(struct bench_cfg *cfg, __u32 n)
{
	__u32 i;

	memset(cfg, 0, n * sizeof(*cfg));
	for (i = 0; i < n; i++) {
		cfg[i].a = i;
		cfg[i].b = 2 * i;
		cfg[i].c = 3 * i;
	}
}

static const struct part {
	const char *name;
	int (*run)(const struct bench *b);
} parts[] = {
	/* Memory first, on a fresh module. */
	{ "memory", bench_memory },
	{ "access", bench_access },
	{ "attach", bench_attach },
};

static bool wanted(const struct bench *b, const char *part, int argc,
		   char **argv)
{
	int i;

	/*
	 * The control plane is timed in the icount guest only: it is
	 * deterministic there, and detaching 1 000 kprobes (a
	 * tracepoint_synchronize_unregister() each) takes a minute, which
	 * is better not spent twice. Memory needs no second look either.
	 */
	if (argc == 3)
		return b->meter == BENCH_ICOUNT || !strcmp(part, "access");
	for (i = 3; i < argc; i++)
		if (!strcmp(argv[i], part))
			return true;
	return false;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	/* Two descriptors per kprobe link, 1 000 links at a time. */
	struct rlimit nofile = { 65536, 65536 };
	struct bench b = { 0 };
	int err = 0;
	size_t i;

	if (argc < 3 || (strcmp(argv[1], "icount") && strcmp(argv[1], "wall"))) {
		fprintf(stderr, "usage: %s icount|wall OUT [memory|access|attach]...\n",
			argv[0]);
		return 2;
	}
	b.meter = strcmp(argv[1], "icount") ? BENCH_WALL : BENCH_ICOUNT;
	b.meter_name = argv[1];
	/*
	 * icount is deterministic: its rounds only show that it is. Wall
	 * clock rounds are short and many, the report takes the fastest.
	 */
	b.rounds = b.meter == BENCH_ICOUNT ? 3 : 21;
	b.runs = b.meter == BENCH_ICOUNT ? 2000 : 5000;
	b.out = fopen(argv[2], "a");
	if (!b.out || setrlimit(RLIMIT_NOFILE, &nofile)) {
		perror(argv[2]);
		return 1;
	}
	libbpf_set_print(quiet);
	for (i = 0; !err && i < sizeof(parts) / sizeof(parts[0]); i++)
		if (wanted(&b, parts[i].name, argc, argv))
			err = parts[i].run(&b);
	fclose(b.out);
	return err ? 1 : 0;
}
