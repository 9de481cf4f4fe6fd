// SPDX-License-Identifier: GPL-2.0
/*
 * USDT argument fetch cost, libbpf's usdt.bpf.h against PALS's
 * pals_usdt.bpf.h, in one run: a 6-argument probe of this program (its
 * arguments in registers, as compilers place them) is fired RUNS times
 * under each program in turn, for ROUNDS alternating rounds, and the
 * kernel's BPF run-time statistics (BPF_ENABLE_STATS) give each program's
 * ns per run. Run it in a guest booted with -smp 1 and -icount shift=0,
 * where a nanosecond is one guest instruction (make bench-usdt).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sdt.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "libpals.h"
#include "usdt_bench.skel.h"

#define ROUNDS	5
#define RUNS	2000

__attribute__((noipa))
static void fire(long a0, long a1, long a2, long a3, long a4, long a5)
{
	DTRACE_PROBE6(bench, six, a0, a1, a2, a3, a4, a5);
}

enum kind { EMPTY, LIBBPF, PALS, KINDS };
static const char *const kind_names[KINDS] = { "empty", "libbpf", "PALS" };

struct meter {
	__u64 ns;
	__u64 runs;
};

/* Attach @prog the @k way, fire RUNS times, detach; add its stats to @m. */
static int round_of(struct usdt_bench *skel, enum kind k, struct meter *m)
{
	struct bpf_program *progs[KINDS] = {
		skel->progs.bench_empty, skel->progs.bench_libbpf,
		skel->progs.bench_pals,
	};
	struct bpf_prog_info before = {}, after = {};
	__u32 len = sizeof(before);
	struct bpf_link *link = NULL;
	struct pals_link *pl = NULL;
	int fd = bpf_program__fd(progs[k]), i;

	if (k == PALS)
		pl = pals_attach_usdt(progs[k], 0, "/proc/self/exe", "bench",
				      "six", NULL);
	else
		link = bpf_program__attach_usdt(progs[k], 0, "/proc/self/exe",
						"bench", "six", NULL);
	if (!pl && !link) {
		fprintf(stderr, "bench-usdt: attaching %s: %s\n",
			kind_names[k], strerror(errno));
		return -1;
	}
	bpf_prog_get_info_by_fd(fd, &before, &len);
	for (i = 0; i < RUNS; i++)
		fire(i, -i, i << 8, 3, i ^ 0x55, 1L << 40);
	len = sizeof(after);
	bpf_prog_get_info_by_fd(fd, &after, &len);
	pals_link__destroy(pl);
	bpf_link__destroy(link);
	m->ns += after.run_time_ns - before.run_time_ns;
	m->runs += after.run_cnt - before.run_cnt;
	return after.run_cnt - before.run_cnt == RUNS ? 0 : -1;
}

static double per_run(const struct meter *m)
{
	return m->runs ? (double)m->ns / m->runs : 0;
}

/* What the figures depend on: the (guest) CPU and its mitigations. */
static void print_cpu(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			printf("# cpu:%s", strchr(line, ':') + 1);
			break;
		}
	}
	if (f)
		fclose(f);
	f = fopen("/sys/devices/system/cpu/vulnerabilities/spectre_v2", "r");
	if (f && fgets(line, sizeof(line), f))
		printf("# spectre_v2: %s", line);
	if (f)
		fclose(f);
}

int main(void)
{
	struct meter total[KINDS] = {}, m;
	struct usdt_bench *skel;
	int stats, r, k, err = 1;

	skel = usdt_bench__open_and_load();
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (!skel || stats < 0) {
		fprintf(stderr, "bench-usdt: setup: %s\n", strerror(errno));
		goto out;
	}
	print_cpu();
	printf("# 6-argument USDT probe, %d rounds of %d runs per program\n",
	       ROUNDS, RUNS);
	for (r = 0; r < ROUNDS; r++) {
		printf("round %d:", r + 1);
		for (k = 0; k < KINDS; k++) {
			m = (struct meter){};
			if (round_of(skel, k, &m))
				goto out;
			total[k].ns += m.ns;
			total[k].runs += m.runs;
			printf("  %s %.1f ns/run", kind_names[k], per_run(&m));
		}
		printf("\n");
	}
	printf("USDT 6-arg fetch: libbpf %.1f ns/run, PALS %.1f ns/run, empty %.1f ns/run\n",
	       per_run(&total[LIBBPF]), per_run(&total[PALS]),
	       per_run(&total[EMPTY]));
	printf("USDT ratio libbpf/PALS: %.2fx run time, %.2fx beyond the empty program\n",
	       per_run(&total[LIBBPF]) / per_run(&total[PALS]),
	       (per_run(&total[LIBBPF]) - per_run(&total[EMPTY])) /
	       (per_run(&total[PALS]) - per_run(&total[EMPTY])));
	err = 0;
out:
	if (stats >= 0)
		close(stats);
	usdt_bench__destroy(skel);
	return err;
}
