/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the tests. */
#ifndef __PALS_TEST_UTIL_H
#define __PALS_TEST_UTIL_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#ifdef __KSELFTEST_HARNESS_H
/*
 * main() of the harness, with every test's timeout multiplied by
 * $PALS_TEST_TIMEOUT_SCALE (tests/suite.sh sets it on a debug kernel,
 * where KASAN, lockdep and kmemleak slow everything down).
 */
#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN						\
	int main(int argc, char **argv)					\
	{								\
		struct __fixture_metadata *f;				\
		struct __test_metadata *t;				\
		int scale = test_timeout_scale();			\
									\
		for (f = __fixture_list; f; f = f->next)		\
			for (t = f->tests; t; t = t->next)		\
				t->timeout *= scale;			\
		return test_harness_run(argc, argv);			\
	}
#endif

/* $PALS_TEST_TIMEOUT_SCALE if it is a number from 1 to 100, else 1. */
int test_timeout_scale(void);
/* Whether the kernel runs kmemleak: the debug kernel of make check. */
bool test_debug_kernel(void);

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
/* Whether the kernel's BTF (@module NULL) or @module's has function @name. */
bool test_btf_has_func(const char *module, const char *name);
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
 * Clear (@on false) or restore the effective CAP_BPF and CAP_SYS_ADMIN of
 * this thread, keeping them permitted.
 */
int test_caps_effective(bool on);
/*
 * rmmod pals, trying @tries times 50 ms apart (programs and links release
 * it asynchronously): 0 or -EBUSY.
 */
int test_rmmod(int tries);
/* insmod $PALS_KO: 0 or -EIO. */
int test_insmod(void);
/* The id of @link, or 0. */
__u32 test_link_id(struct bpf_link *link);
/* The same, of the link open at @fd. */
__u32 test_fd_link_id(int fd);
/* Wait (up to 5 s) for link @id to be released; false if it stays. */
bool test_link_gone(__u32 id);

/*
 * Every pals_link__*() call on @pl, whose blobs are @size bytes (@name:
 * the target pals_link__find() knows blob 0 by, or NULL), the handed-out
 * bpf_link (@libbpf: libbpf made the link) destroyed by the caller on
 * the way, as a careless tool would, then pals_link__destroy(), after
 * which the link must be gone. NULL if every call behaved, else the
 * first that did not.
 */
const char *test_link_calls(struct pals_link *pl, size_t size,
			    const char *name, bool libbpf);

struct pals_ctx;
struct pals_stats;
/* For test_stats_settle(): any figure, once it stops changing. */
#define TEST_BYTES_SETTLED ((__u64)-1)
/*
 * The module's stats after the copies that wait for grace periods are
 * freed (the module counts them in bytes): polls until bytes equals
 * @bytes, or with TEST_BYTES_SETTLED stays the same for a quarter of a
 * second, for up to 10 s. 0, -ETIMEDOUT or the stats call's error.
 */
int test_stats_settle(struct pals_ctx *ctx, struct pals_stats *st, __u64 bytes);
/* Write @v to /sys/module/pals/parameters/@name: 0 or a negative errno. */
int test_param_set(const char *name, unsigned long v);
/* Read /sys/module/pals/parameters/@name, or -1. */
long test_param_get(const char *name);

/*
 * Raw generic netlink, for requests libpals would not send: a socket of
 * its own with extended acks, a request buffer, the last ack's text and
 * the last reply's PALS_A_HANDLE. test_nl_open() binds it to @portid
 * (0: any), spinning while another socket holds that one.
 */
#define TEST_NL_BUFSZ	(128 * 1024)

struct mnl_socket;
struct nlmsghdr;

struct test_nl {
	struct mnl_socket *nl;
	__u16 family;
	char *buf;		/* TEST_NL_BUFSZ bytes */
	char extack[256];
	__u64 handle;
	int intr;		/* replies flagged NLM_F_DUMP_INTR */
	int replies;		/* replies of the last request */
	/*
	 * Send with write(2): no destination address, so netlink checks the
	 * capabilities of the socket's opener too, not only the sender's.
	 */
	bool use_write;
};

int test_nl_open(struct test_nl *t, __u16 family, __u32 portid);
void test_nl_close(struct test_nl *t);
/* A request header for @cmd in t->buf, ready for attributes. */
struct nlmsghdr *test_nl_req(struct test_nl *t, __u8 cmd, __u16 flags);
/*
 * Send @len bytes of the request in t->buf and read up to its ack:
 * returns the ack's (or the dump's) error, 0 or a negative errno.
 */
int test_nl_send_len(struct test_nl *t, size_t len);
int test_nl_send(struct test_nl *t, struct nlmsghdr *nlh);

#endif /* __PALS_TEST_UTIL_H */
