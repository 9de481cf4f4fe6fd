// SPDX-License-Identifier: GPL-2.0
/*
 * Two BPF objects that include pals.bpf.h, linked into one by bpftool
 * gen object (progs/linked_a.bpf.c, progs/linked_b.bpf.c): both
 * programs get their blobs.
 */
#include <unistd.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "linked.skel.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

TEST(linked_objects)
{
	struct test_blob a = { .in = 1 }, got_a;
	struct test_other b = { .v = { 21 } }, got_b;
	struct pals_link *pa, *pb;
	struct linked *skel;

	skel = linked__open();
	ASSERT_NE(NULL, skel);
	skel->bss->target_pid = getpid();
	ASSERT_EQ(0, pals_object__prepare(skel->obj)) TH_LOG("%s", pals_last_error());
	ASSERT_EQ(0, linked__load(skel));
	pa = pals_attach_kprobe(skel->progs.linked_a, "__x64_sys_getpgid", NULL,
				&a, sizeof(a), NULL);
	ASSERT_NE(NULL, pa) TH_LOG("%s", pals_last_error());
	pb = pals_attach_kprobe(skel->progs.linked_b, "__x64_sys_getpgid", NULL,
				&b, sizeof(b), NULL);
	ASSERT_NE(NULL, pb) TH_LOG("%s", pals_last_error());
	test_trigger_getpgid();
	ASSERT_EQ(0, pals_link__read(pa, 0, &got_a, sizeof(got_a)));
	ASSERT_EQ(0, pals_link__read(pb, 0, &got_b, sizeof(got_b)));
	EXPECT_EQ(2, got_a.out);
	EXPECT_EQ(42, got_b.v[1]);
	pals_link__destroy(pb);
	pals_link__destroy(pa);
	linked__destroy(skel);
}

TEST_HARNESS_MAIN
