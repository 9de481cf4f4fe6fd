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
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "ctl.skel.h"
#include "nl.h"
#include "pals.h"
#include "test_blob.h"
#include "util.h"

#define BUFSZ (128 * 1024)

FIXTURE(netlink) {
	struct ctl *skel;
	struct pals_ctx *ctx;	/* for the family id and the stats */
	struct mnl_socket *nl;
	char *buf;
	char extack[256];
	struct pals_stats base;
};

static struct mnl_socket *raw_socket(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	int one = 1;

	if (nl && (mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
		   mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one)) ||
		   mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID))) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

FIXTURE_SETUP(netlink)
{
	self->skel = ctl__open_and_load();
	ASSERT_NE(NULL, self->skel);
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);
	self->nl = raw_socket();
	ASSERT_NE(NULL, self->nl);
	self->buf = calloc(1, BUFSZ);
	ASSERT_NE(NULL, self->buf);
	ASSERT_EQ(0, pals_ctx__stats(self->ctx, &self->base));
}

FIXTURE_TEARDOWN(netlink)
{
	struct pals_stats st;

	/* Whatever a test sent, nothing was created. */
	if (!pals_ctx__stats(self->ctx, &st)) {
		EXPECT_EQ(self->base.creates, st.creates);
		EXPECT_EQ(self->base.blobs, st.blobs);
		EXPECT_EQ(self->base.bytes, st.bytes);
	}
	free(self->buf);
	mnl_socket_close(self->nl);
	pals_ctx__free(self->ctx);
	ctl__destroy(self->skel);
}

/* A request header for @cmd in @buf, ready for attributes. */
static struct nlmsghdr *req(FIXTURE_DATA(netlink) *self, __u8 cmd, __u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(self->buf, 0, BUFSZ);
	nlh = mnl_nlmsg_put_header(self->buf);
	nlh->nlmsg_type = self->ctx->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = PALS_GENL_VERSION;
	return nlh;
}

static int ack_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
		snprintf(data, 256, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/*
 * Send @len bytes of the request and read up to its ack. Returns the
 * ack's (or the dump's) error, 0 or a negative errno, and keeps its text
 * in self->extack.
 */
static int send_raw(FIXTURE_DATA(netlink) *self, size_t len)
{
	const struct nlmsgerr *err;
	struct nlmsghdr *nlh;
	ssize_t n;

	self->extack[0] = '\0';
	((struct nlmsghdr *)self->buf)->nlmsg_len = len;
	if (mnl_socket_sendto(self->nl, self->buf, len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(self->nl, self->buf, BUFSZ);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)self->buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, (int *)&n)) {
			if (nlh->nlmsg_type == NLMSG_DONE)	/* of a dump */
				return *(int *)mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			err = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
				mnl_attr_parse(nlh, sizeof(*err), ack_attr,
					       self->extack);
			return err->error;
		}
	}
}

static int send_req(FIXTURE_DATA(netlink) *self, struct nlmsghdr *nlh)
{
	return send_raw(self, nlh->nlmsg_len);
}

#define EXPECT_REJECT(call, err, text) do {				\
	EXPECT_EQ(-(err), call);					\
	EXPECT_NE(NULL, strstr(self->extack, text))			\
		TH_LOG("extack: \"%s\"", self->extack);			\
} while (0)

/* WRITE and READ take only their own attributes; a READ dump no handle. */
TEST_F(netlink, write_and_read_attributes)
{
	struct nlmsghdr *nlh;

	nlh = req(self, PALS_CMD_WRITE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u32(nlh, PALS_A_LENGTH, 8);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "Unsupported attribute");
	nlh = req(self, PALS_CMD_WRITE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_DATA: missing or empty");
	nlh = req(self, PALS_CMD_WRITE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u64(nlh, PALS_A_DATA, 0);
	EXPECT_REJECT(send_req(self, nlh), ENOENT, "PALS_A_HANDLE: no such blob");
	nlh = req(self, PALS_CMD_READ, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u32(nlh, PALS_A_LENGTH, 0);
	EXPECT_REJECT(send_req(self, nlh), ERANGE, "integer out of range");
	nlh = req(self, PALS_CMD_READ, 0);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_HANDLE: missing");
	nlh = req(self, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_HANDLE: not allowed in a dump");
	nlh = req(self, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_LINK_ID, 0);
	EXPECT_REJECT(send_req(self, nlh), ERANGE, "integer out of range");
	nlh = req(self, PALS_CMD_READ, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_LINK_ID, 0xfffffff0);
	EXPECT_EQ(0, send_req(self, nlh));	/* no such link: nothing */
}

TEST_F(netlink, missing_attributes)
{
	struct nlmsghdr *nlh = req(self, PALS_CMD_CREATE, 0);

	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_PROG_FD: missing");
	nlh = req(self, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_TYPE_ID: missing");
	EXPECT_REJECT(send_req(self, req(self, PALS_CMD_BIND, 0)), EINVAL,
		      "PALS_A_LINK_FD: missing");
	EXPECT_REJECT(send_req(self, req(self, PALS_CMD_DELETE, 0)), EINVAL,
		      "PALS_A_HANDLE: missing");
}

TEST_F(netlink, duplicated_attributes)
{
	struct nlmsghdr *nlh = req(self, PALS_CMD_GET, 0);

	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 2);
	EXPECT_REJECT(send_req(self, nlh), EINVAL,
		      "attribute 2 given more than once");	/* PALS_A_HANDLE */
	nlh = req(self, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_b));
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "given more than once");
	nlh = req(self, PALS_CMD_GET, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, PALS_A_FLAGS, 0);
	mnl_attr_put_u32(nlh, PALS_A_FLAGS, 0);
	EXPECT_NE(0, send_req(self, nlh));
	EXPECT_STRNE("", self->extack);
}

TEST_F(netlink, truncated_attributes)
{
	struct nlmsghdr *nlh = req(self, PALS_CMD_GET, 0);
	struct nlattr *attr;
	size_t len;

	/* The attribute claims more bytes than the message has. */
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	attr->nla_len = 64;
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "leftover");

	/* Half an attribute header at the end. */
	nlh = req(self, PALS_CMD_GET, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	len = nlh->nlmsg_len + 2;
	EXPECT_REJECT(send_raw(self, len), EINVAL, "leftover");

	/* No generic netlink header at all. */
	req(self, PALS_CMD_STATS, 0);
	EXPECT_EQ(-EINVAL, send_raw(self, sizeof(struct nlmsghdr)));
}

TEST_F(netlink, wrong_types_and_sizes)
{
	struct nlmsghdr *nlh = req(self, PALS_CMD_GET, 0);
	struct nlattr *attr;
	char big[PALS_DATA_CHUNK_MAX + 4] = {};

	mnl_attr_put_u32(nlh, PALS_A_HANDLE, 1);	/* a u64 */
	EXPECT_NE(0, send_req(self, nlh));
	EXPECT_STRNE("", self->extack);

	nlh = req(self, PALS_CMD_UPDATE, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	mnl_attr_put(nlh, PALS_A_DATA, sizeof(big), big);	/* > chunk max */
	EXPECT_NE(0, send_req(self, nlh));
	EXPECT_STRNE("", self->extack);

	nlh = req(self, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 0);	/* ids start at 1 */
	mnl_attr_put(nlh, PALS_A_DATA, 8, big);
	EXPECT_NE(0, send_req(self, nlh));
	EXPECT_STRNE("", self->extack);

	nlh = req(self, PALS_CMD_GET, 0);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	attr->nla_type |= NLA_F_NESTED;			/* not a nest */
	EXPECT_NE(0, send_req(self, nlh));
	EXPECT_STRNE("", self->extack);

	nlh = req(self, PALS_CMD_GET, 0);
	mnl_attr_put_u64(nlh, PALS_A_MAX + 7, 1);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "Unknown attribute type");

	nlh = req(self, PALS_CMD_STATS, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, 1);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "Unsupported attribute");
}

TEST_F(netlink, unknown_commands_and_flags)
{
	struct nlmsghdr *nlh;

	EXPECT_EQ(-EOPNOTSUPP, send_req(self, req(self, 0, 0)));
	EXPECT_EQ(-EOPNOTSUPP, send_req(self, req(self, PALS_CMD_MAX + 1, 0)));
	EXPECT_EQ(-EOPNOTSUPP, send_req(self, req(self, 250, 0)));
	/* A dump of a command that has none. */
	EXPECT_EQ(-EOPNOTSUPP, send_req(self, req(self, PALS_CMD_DELETE, NLM_F_DUMP)));

	nlh = req(self, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, bpf_program__fd(self->skel->progs.ctl_a));
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 1);
	mnl_attr_put_u32(nlh, PALS_A_FLAGS, 1U << 31);
	mnl_attr_put(nlh, PALS_A_DATA, 8, "12345678");
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "reserved bit");
}

TEST_F(netlink, bad_file_descriptors)
{
	int null_fd = open("/dev/null", O_RDONLY);
	struct nlmsghdr *nlh;
	__u64 handle;
	int id;

	ASSERT_LE(0, null_fd);
	nlh = req(self, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, test_closed_fd());
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 1);
	mnl_attr_put(nlh, PALS_A_DATA, 8, "12345678");
	EXPECT_REJECT(send_req(self, nlh), EBADF, "not an open file descriptor");

	nlh = req(self, PALS_CMD_CREATE, 0);
	mnl_attr_put_u32(nlh, PALS_A_PROG_FD, null_fd);
	mnl_attr_put_u32(nlh, PALS_A_TYPE_ID, 1);
	mnl_attr_put(nlh, PALS_A_DATA, 8, "12345678");
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_PROG_FD");

	id = pals_type_id(self->skel->progs.ctl_a, "struct test_blob",
			  sizeof(struct test_blob));
	ASSERT_LT(0, id);
	ASSERT_EQ(0, pals_ctx__create(self->ctx, bpf_program__fd(self->skel->progs.ctl_a),
				      id, self->buf, sizeof(struct test_blob),
				      NULL, &handle));
	nlh = req(self, PALS_CMD_BIND, 0);
	mnl_attr_put_u64(nlh, PALS_A_HANDLE, handle);
	mnl_attr_put_u32(nlh, PALS_A_LINK_FD, null_fd);
	EXPECT_REJECT(send_req(self, nlh), EINVAL, "PALS_A_LINK_FD: not a BPF link");
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
		nlh = req(self, rand() % (PALS_CMD_STATS + 3),
			  rand() % 4 ? 0 : NLM_F_DUMP);
		attrs = rand() % 6;
		for (j = 0; j < attrs; j++) {
			len = rand() % sizeof(payload);
			for (k = 0; k < len; k++)
				payload[k] = rand();
			mnl_attr_put(nlh, rand() % (PALS_A_MAX + 3), len, payload);
		}
		err = send_req(self, nlh);
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

/* A dump left half-read, by a socket then closed, harms nothing. */
TEST_F(netlink, abandoned_dumps)
{
	struct test_blob blob = {};
	int i, id, seen = 0;
	__u64 handle;

	id = pals_type_id(self->skel->progs.ctl_a, "struct test_blob", sizeof(blob));
	ASSERT_LT(0, id);
	for (i = 0; i < 300; i++)
		ASSERT_EQ(0, pals_ctx__create(self->ctx,
					      bpf_program__fd(self->skel->progs.ctl_a),
					      id, &blob, sizeof(blob), NULL, &handle));
	self->base.creates += 300;
	for (i = 0; i < 20; i++) {
		struct mnl_socket *nl = raw_socket();
		struct nlmsghdr *nlh = req(self, PALS_CMD_GET, NLM_F_DUMP);

		ASSERT_NE(NULL, nl);
		ASSERT_LT(0, mnl_socket_sendto(nl, nlh, nlh->nlmsg_len));
		if (i % 2)	/* read one batch of the dump, then go */
			ASSERT_LT(0, mnl_socket_recvfrom(nl, self->buf, 4096));
		mnl_socket_close(nl);
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

TEST_HARNESS_MAIN
