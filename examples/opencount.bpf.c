// SPDX-License-Identifier: GPL-2.0
/* opencount: the smallest PALS program; README.md shows it whole. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <pals/pals.bpf.h>
#include "opencount.h"

SEC("kprobe")
int count_opens(struct pt_regs *ctx)
{
	struct open_cfg *cfg = pals_get(ctx, struct open_cfg);

	if (!cfg || (__u32)bpf_get_current_uid_gid() != cfg->uid)
		return 0;
	__sync_fetch_and_add(&cfg->opens, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
