// SPDX-License-Identifier: GPL-2.0
/* The whole chain: module loaded, kfunc in its BTF, a caller loads and runs. */
#include <errno.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "libpals.h"
#include "smoke.skel.h"
#include "util.h"

TEST(family_resolves)
{
	struct pals_ctx *ctx = pals_ctx__new(NULL);

	ASSERT_NE(NULL, ctx) TH_LOG("pals_ctx__new: %s", strerror(errno));
	pals_ctx__free(ctx);
}

TEST(kfunc_in_module_btf)
{
	struct btf *vmlinux, *btf;
	int id;

	vmlinux = btf__load_vmlinux_btf();
	ASSERT_NE(NULL, vmlinux);
	btf = btf__parse_split("/sys/kernel/btf/pals", vmlinux);
	ASSERT_NE(NULL, btf) TH_LOG("no /sys/kernel/btf/pals: module BTF missing");
	id = btf__find_by_name_kind(btf, "bpf_pals_get", BTF_KIND_FUNC);
	EXPECT_GT(id, 0);
	btf__free(btf);
	btf__free(vmlinux);
}

TEST(program_calls_kfunc)
{
	struct smoke *skel = smoke__open();
	int i;

	ASSERT_NE(NULL, skel);
	skel->bss->target_pid = getpid();
	ASSERT_EQ(0, smoke__load(skel));
	ASSERT_EQ(0, smoke__attach(skel));
	for (i = 0; i < 3; i++)
		test_trigger_getpgid();
	EXPECT_EQ(1, skel->bss->kfunc_exists);
	EXPECT_EQ(3, skel->bss->runs);
	EXPECT_EQ(3, skel->bss->nulls);
	smoke__destroy(skel);
}

TEST_HARNESS_MAIN
