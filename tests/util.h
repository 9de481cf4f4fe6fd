/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the tests. */
#ifndef __PALS_TEST_UTIL_H
#define __PALS_TEST_UTIL_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

/*
 * A libpals call returning a pointer fails with errno @err and a last
 * error containing @text (kselftest harness context).
 */
#define EXPECT_PALS_FAIL(call, err, text) do {				\
	errno = 0;							\
	EXPECT_EQ(NULL, call);						\
	EXPECT_EQ(err, errno);						\
	EXPECT_NE(NULL, strstr(pals_last_error(), text))		\
		TH_LOG("error text: %s", pals_last_error());		\
} while (0)

/* The id of type @name of BTF_KIND_* @kind in the object's BTF, or < 0. */
int test_btf_id(const struct bpf_object *obj, const char *name, int kind);
/* Enter getpgid(): kprobes, tracepoints, fentry and LSM hooks fire. */
void test_trigger_getpgid(void);
/* A function of the test binary for uprobes, and a trigger for them. */
void test_uprobe_target(void);
void test_uprobe_other(void);
void test_trigger_uprobe(void);
/* Burn @ms of CPU time in this thread (for perf_event programs). */
void test_spin_ms(int ms);
/* A descriptor number that is not open (and high enough to stay so). */
int test_closed_fd(void);
/* The real path of the running test binary. */
const char *test_self_exe(void);
/* The directory of the running test binary. */
const char *test_self_dir(void);
/* The file offset of function @name in the running binary, or 0. */
unsigned long test_func_offset(const char *name);
/*
 * Drop every capability of this thread; with @keep_bpf, only the
 * effective CAP_SYS_ADMIN (then only the owner may change a blob).
 */
int test_drop_caps(bool keep_bpf);
/*
 * rmmod pals, trying @tries times 50 ms apart (programs and links release
 * it asynchronously): 0 or -EBUSY.
 */
int test_rmmod(int tries);
/* insmod $PALS_KO: 0 or -EIO. */
int test_insmod(void);
/* Wait (up to 5 s) for link @id to be released; false if it stays. */
bool test_link_gone(__u32 id);

#endif /* __PALS_TEST_UTIL_H */
