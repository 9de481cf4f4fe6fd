// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests, sent as raw generic netlink bytes (not through
 * libpals): each gets an errno and, where the module or netlink's policy
 * decides, an extended ack text; no failed request creates anything.
 * Also random messages, and dumps abandoned half-way.
 * Program: progs/ctl.bpf.c (for a real program fd).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pals.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "ctl.skel.h"
#include "nl.h"
#include "libpals.h"
#include "test_blob.h"
#include "util.h"

FIXTURE(netlink) {
	struct ctl *skel;
	struct pals_ctx *ctx;	/* for the family id and the stats */
	struct test_nl t;
	struct pals_stats base;
	int blob_id;
};

FIXTURE_SETUP(netlink)
{
	self->skel = ctl__open_and_load();
	ASSERT_NE(NULL, self->skel);
	self->blob_id = test_btf_id(self->skel->obj, "test_blob", BTF_KIND_STRUCT);
	ASSERT_LT(0, self->blob_id);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	ASSERT_EQ(0, test_nl_open(&self->t, self->ctx->family, 0));
	ASSERT_EQ(0, test_stats_settle(self->ctx, &self->base, TEST_BYTES_SETTLED));
}

FIXTURE_TEARDOWN(netlink)
{
	struct pals_stats st;

	/* Whatever a test sent, nothing was created. */
	if (!pals_ctx__stats(self->ctx, &st)) {
		EXPECT_EQ(self->base.creates, st.creates);
		EXPECT_EQ(self->base.blobs, st.blobs);
		EXPECT_EQ(0, test_stats_settle(self->ctx, &st, self->base.bytes));
	}
	test_nl_close(&self->t);
	pals_ctx__free(self->ctx);
	ctl__destroy(self->skel);
}

#define EXPECT_REJECT(call, err, text) do {				\
	EXPECT_EQ(-(err), call);					\
	EXPECT_NE(NULL, strstr(self->t.extack, text))			\
		TH_LOG("extack: \"%s\"", self->t.extack);			\
} while (0)

/* WRITE and READ take only their own attributes; a READ dump no handle. */
TEST_F(netlink, write_and_read_attributes)
{
	struct nlmsghdr *nlh;

	nlh = test_nl_req(&self->t, PALS_CMD_WRITE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u32(nlh, PALS_A_LENGTH, 8);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "Unsupported attribute");
	nlh = test_nl_req(&self->t, PALS_CMD_WRITE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_DATA: missing or empty");
	nlh = test_nl_req(&self->t, PALS_CMD_WRITE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u64(nlh, PALS_A_DATA, 0);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), ENOENT, "PALS_A_HANDLE: no such blob");
	nlh = test_nl_req(&self->t, PALS_CMD_READ, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u32(nlh, PALS_A_LENGTH, 0);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), ERANGE, "integer out of range");
	nlh = test_nl_req(&self->t, PALS_CMD_READ, 0);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_HANDLE: missing");
	/* A link's blobs are read by a dump, not with a handle. */
	nlh = test_nl_req(&self->t, PALS_CMD_READ, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u32(nlh, PALS_A_LINK_ID, 1);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL,
		      "PALS_A_LINK_ID: only in a dump");
	nlh = test_nl_req(&self->t, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_HANDLE: not allowed in a dump");
	nlh = test_nl_req(&self->t, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_LINK_ID, 0);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), ERANGE, "integer out of range");
	nlh = test_nl_req(&self->t, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_LINK_ID, 0xfffffff0);
	EXPECT_EQ(0, test_nl_send(&self->t, nlh));	/* no such link: nothing */
}

TEST_F(netlink, missing_attributes)
{
	struct nlmsghdr *nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);

	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_PROG_FD: missing");
	nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_TYPE_ID: missing");
	EXPECT_REJECT(test_nl_send(&self->t, test_nl_req(&self->t, PALS_CMD_BIND, 0)), EINVAL,
		      "PALS_A_LINK_FD: missing");
	EXPECT_REJECT(test_nl_send(&self->t, test_nl_req(&self->t, PALS_CMD_DELETE, 0)), EINVAL,
		      "PALS_A_HANDLE: missing");
}

TEST_F(netlink, duplicated_attributes)
{
	struct nlmsghdr *nlh = test_nl_req(&self->t, PALS_CMD_GET, 0);

	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 2);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL,
		      "attribute 2 given more than once");	/* PALS_A_HANDLE */
	nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_b));
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "given more than once");
	nlh = test_nl_req(&self->t, PALS_CMD_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_FLAGS, 0);
	mnl_attr_put_u32(nlh, PALS_A_FLAGS, 0);
	EXPECT_NE(0, test_nl_send(&self->t, nlh));
	EXPECT_STRNE("", self->t.extack);
	/* In a batch's element too: one type and one DATA each. */
	for (int twice = PALS_A_TYPE_ID; twice; twice = twice == PALS_A_TYPE_ID ?
						 PALS_A_DATA : 0) {
		struct test_blob blob = {};
		struct nlattr *elem;

		nlh = test_nl_req(&self->t, PALS_CMD_CREATE_BATCH, 0);
		mnl_attr_put_u32(nlh, PALS_A_PROG_FD,
				 bpf_program__fd(self->skel->progs.ctl_a));
		elem = mnl_attr_nest_start(nlh, PALS_A_ELEM);
		mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, self->blob_id);
		mnl_attr_put(nlh, PALS_A_DATA, sizeof(blob), &blob);
		if (twice == PALS_A_TYPE_ID)
			mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, self->blob_id);
		else
			mnl_attr_put(nlh, PALS_A_DATA, sizeof(blob), &blob);
		mnl_attr_nest_end(nlh, elem);
		EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL,
			      twice == PALS_A_TYPE_ID ?
			      "PALS_A_ELEM 0: PALS_A_TYPE_ID: more than one in an element" :
			      "PALS_A_ELEM 0: PALS_A_DATA: more than one in an element");
	}
}

TEST_F(netlink, truncated_attributes)
{
	struct nlmsghdr *nlh = test_nl_req(&self->t, PALS_CMD_GET, 0);
	struct nlattr *attr;
	size_t len;

	/* The attribute claims more bytes than the message has. */
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	attr->nla_len = 64;
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "leftover");

	/* Half an attribute header at the end. */
	nlh = test_nl_req(&self->t, PALS_CMD_GET, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	len = nlh->nlmsg_len + 2;
	EXPECT_REJECT(test_nl_send_len(&self->t, len), EINVAL, "leftover");

	/* No generic netlink header at all. */
	test_nl_req(&self->t, PALS_CMD_STATS, 0);
	EXPECT_EQ(-EINVAL, test_nl_send_len(&self->t, sizeof(struct nlmsghdr)));
}

TEST_F(netlink, wrong_types_and_sizes)
{
	struct nlmsghdr *nlh = test_nl_req(&self->t, PALS_CMD_GET, 0);
	struct nlattr *attr;
	char big[PALS_DATA_CHUNK_MAX + 4] = {};

	mnl_attr_put_u32(nlh, PALS_A_HANDLE, 1);	/* a u64 */
	EXPECT_NE(0, test_nl_send(&self->t, nlh));
	EXPECT_STRNE("", self->t.extack);

	nlh = test_nl_req(&self->t, PALS_CMD_UPDATE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put(nlh, PALS_A_DATA, sizeof(big), big);	/* > chunk max */
	EXPECT_NE(0, test_nl_send(&self->t, nlh));
	EXPECT_STRNE("", self->t.extack);

	nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 0);	/* ids start at 1 */
	mnl_attr_put(nlh, PALS_A_DATA, 8, big);
	EXPECT_NE(0, test_nl_send(&self->t, nlh));
	EXPECT_STRNE("", self->t.extack);

	nlh = test_nl_req(&self->t, PALS_CMD_GET, 0);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	attr->nla_type |= NLA_F_NESTED;			/* not a nest */
	EXPECT_NE(0, test_nl_send(&self->t, nlh));
	EXPECT_STRNE("", self->t.extack);

	nlh = test_nl_req(&self->t, PALS_CMD_GET, 0);
	mnl_attr_put_u64(nlh, PALS_A_MAX + 7, 1);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "Unknown attribute type");

	nlh = test_nl_req(&self->t, PALS_CMD_STATS, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "Unsupported attribute");
}

TEST_F(netlink, unknown_commands_and_flags)
{
	struct nlmsghdr *nlh;

	EXPECT_EQ(-EOPNOTSUPP, test_nl_send(&self->t, test_nl_req(&self->t, 0, 0)));
	EXPECT_EQ(-EOPNOTSUPP, test_nl_send(&self->t, test_nl_req(&self->t, PALS_CMD_MAX + 1, 0)));
	EXPECT_EQ(-EOPNOTSUPP, test_nl_send(&self->t, test_nl_req(&self->t, 250, 0)));
	/* A dump of a command that has none. */
	EXPECT_EQ(-EOPNOTSUPP, test_nl_send(&self->t, test_nl_req(&self->t, PALS_CMD_DELETE, NLM_F_DUMP)));

	nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 1);
	mnl_attr_put_u32(nlh, PALS_A_FLAGS, 1U << 31);
	mnl_attr_put(nlh, PALS_A_DATA, 8, "12345678");
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "reserved bit");
}

/*
 * The family checks the reserved parts of every command's header: the
 * genetlink header's reserved field and netlink flags that mean nothing
 * to a request (resv_start_op 0).
 */
TEST_F(netlink, reserved_header_fields)
{
	struct nlmsghdr *nlh = test_nl_req(&self->t, PALS_CMD_STATS, 0);
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	g->reserved = 1;
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "reserved field");
	nlh = test_nl_req(&self->t, PALS_CMD_STATS, NLM_F_CREATE);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "nlmsg_flags");
	nlh = test_nl_req(&self->t, PALS_CMD_GET, NLM_F_DUMP | NLM_F_APPEND);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "nlmsg_flags");
	EXPECT_EQ(0, test_nl_send(&self->t, test_nl_req(&self->t, PALS_CMD_STATS, 0)));
}

TEST_F(netlink, bad_file_descriptors)
{
	int null_fd = open("/dev/null", O_RDONLY);
	struct nlmsghdr *nlh;
	__u64 handle;
	int id;

	ASSERT_LE(0, null_fd);
	nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, test_closed_fd());
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 1);
	mnl_attr_put(nlh, PALS_A_DATA, 8, "12345678");
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EBADF, "not an open file descriptor");

	nlh = test_nl_req(&self->t, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, null_fd);
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 1);
	mnl_attr_put(nlh, PALS_A_DATA, 8, "12345678");
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_PROG_FD");

	id = pals_type_id(self->skel->progs.ctl_a, "struct test_blob",
			  sizeof(struct test_blob));
	ASSERT_LT(0, id);
	ASSERT_EQ(0, pals_ctx__create(self->ctx, bpf_program__fd(self->skel->progs.ctl_a),
				      id, self->t.buf, sizeof(struct test_blob),
				      NULL, &handle));
	nlh = test_nl_req(&self->t, PALS_CMD_BIND, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
	mnl_attr_put_u32(nlh, PALS_A_LINK_FD, null_fd);
	EXPECT_REJECT(test_nl_send(&self->t, nlh), EINVAL, "PALS_A_LINK_FD: not a BPF link");
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, handle));
	self->base.creates++;	/* that one was meant */
	close(null_fd);
}

/* Random commands, flags and attributes: errors, never a crash. */
TEST_F(netlink, random_messages)
{
	int n = getenv("PALS_FUZZ_MSGS") ? atoi(getenv("PALS_FUZZ_MSGS")) : 20000;
	int i, j, attrs, err, rejected = 0;
	struct nlmsghdr *nlh;
	char payload[32];
	size_t k, len;

	srand(1);
	for (i = 0; i < n; i++) {
		nlh = test_nl_req(&self->t, rand() % (PALS_CMD_STATS + 3),
			  rand() % 4 ? 0 : NLM_F_DUMP);
		attrs = rand() % 6;
		for (j = 0; j < attrs; j++) {
			len = rand() % sizeof(payload);
			for (k = 0; k < len; k++)
				payload[k] = rand();
			mnl_attr_put(nlh, rand() % (PALS_A_MAX + 3), len, payload);
		}
		err = test_nl_send(&self->t, nlh);
		rejected += err < 0;
	}
	TH_LOG("random messages: %d sent, %d rejected", n, rejected);
	EXPECT_LT(n / 2, rejected);
}

static int count_blob(const struct pals_blob_info *info, void *arg)
{
	(void)info;
	++*(int *)arg;
	return 0;
}

static int stop_at_ten(const struct pals_blob_info *info, void *arg)
{
	(void)info;
	return ++*(int *)arg == 10 ? 7 : 0;
}

/* @n blobs of the fixture's context; the last one's handle in @handle. */
static int create_many(FIXTURE_DATA(netlink) *self, int n, __u64 *handle)
{
	struct test_blob blob = {};
	int i, id, err = 0;

	id = pals_type_id(self->skel->progs.ctl_a, "struct test_blob", sizeof(blob));
	for (i = 0; i < n && !err; i++)
		err = id < 0 ? id : pals_ctx__create(self->ctx,
						     bpf_program__fd(self->skel->progs.ctl_a),
						     id, &blob, sizeof(blob), NULL, handle);
	return err;
}

/* A dump left half-read, by a socket then closed, harms nothing. */
TEST_F(netlink, abandoned_dumps)
{
	int i, seen = 0;
	__u64 handle;

	ASSERT_EQ(0, create_many(self, 300, &handle));
	self->base.creates += 300;
	for (i = 0; i < 20; i++) {
		struct test_nl t;
		struct nlmsghdr *nlh;

		ASSERT_EQ(0, test_nl_open(&t, self->ctx->family, 0));
		nlh = test_nl_req(&t, PALS_CMD_GET, NLM_F_DUMP);
		ASSERT_LT(0, mnl_socket_sendto(t.nl, nlh, nlh->nlmsg_len));
		if (i % 2)	/* read one batch of the dump, then go */
			ASSERT_LT(0, mnl_socket_recvfrom(t.nl, t.buf, 4096));
		test_nl_close(&t);
	}
	ASSERT_EQ(0, pals_ctx__for_each(self->ctx, count_blob, &seen));
	EXPECT_EQ(self->base.blobs + 300, seen);

	/* A callback may stop the library's dump; the socket stays usable. */
	seen = 0;
	EXPECT_EQ(7, pals_ctx__for_each(self->ctx, stop_at_ten, &seen));
	EXPECT_EQ(10, seen);
	seen = 0;
	ASSERT_EQ(0, pals_ctx__for_each(self->ctx, count_blob, &seen));
	EXPECT_EQ(self->base.blobs + 300, seen);

	pals_ctx__free(self->ctx);	/* its 300 blobs go with it */
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
}

/*
 * Blobs created or deleted while a dump is under way: the dump's later
 * messages carry NLM_F_DUMP_INTR, so the reader knows to start again.
 */
TEST_F(netlink, changed_dump_is_flagged)
{
	int intr = 0, done = 0;
	struct nlmsghdr *nlh;
	struct test_nl t;
	__u64 handle;
	ssize_t n;

	ASSERT_EQ(0, create_many(self, 300, &handle));
	ASSERT_EQ(0, test_nl_open(&t, self->ctx->family, 0));
	nlh = test_nl_req(&t, PALS_CMD_GET, NLM_F_DUMP);
	ASSERT_LT(0, mnl_socket_sendto(t.nl, nlh, nlh->nlmsg_len));
	n = mnl_socket_recvfrom(t.nl, t.buf, 4096);	/* the first batch */
	ASSERT_LT(0, n);
	for (nlh = (struct nlmsghdr *)t.buf; mnl_nlmsg_ok(nlh, n);
	     nlh = mnl_nlmsg_next(nlh, (int *)&n))
		intr += !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
	EXPECT_EQ(0, intr);
	ASSERT_EQ(0, pals_ctx__delete(self->ctx, handle));
	while (!done && (n = mnl_socket_recvfrom(t.nl, t.buf, TEST_NL_BUFSZ)) > 0)
		for (nlh = (struct nlmsghdr *)t.buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, (int *)&n)) {
			intr += !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
			done |= nlh->nlmsg_type == NLMSG_DONE;
		}
	EXPECT_TRUE(done);
	EXPECT_LT(0, intr);
	test_nl_close(&t);
	self->base.creates += 300;
	pals_ctx__free(self->ctx);	/* its blobs go with it */
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
}

TEST_HARNESS_MAIN
