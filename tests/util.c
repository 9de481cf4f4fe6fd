// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/pals.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "libpals.h"
#include "elffile.h"
#include "util.h"

int test_btf_id(const struct bpf_object *obj, const char *name, int kind)
{
	const struct btf *btf = bpf_object__btf(obj);

	return btf ? btf__find_by_name_kind(btf, name, kind) : -ENOENT;
}

bool test_btf_has_func(const char *module, const char *name)
{
	struct btf *vmlinux = btf__load_vmlinux_btf(), *btf = vmlinux;
	bool has;

	if (vmlinux && module)
		btf = btf__load_module_btf(module, vmlinux);
	has = btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
	if (btf != vmlinux)
		btf__free(btf);
	btf__free(vmlinux);
	return has;
}

void test_trigger_getpgid(void)
{
	/* A pid, not 0: only then does the LSM hook run. */
	syscall(SYS_getpgid, getpid());
}

__attribute__((noinline)) void test_uprobe_target(void)
{
	asm volatile ("" ::: "memory");
}

/* Another body, so that the compiler cannot fold the two. */
__attribute__((noinline)) void test_uprobe_other(void)
{
	asm volatile ("nop" ::: "memory");
}

void test_trigger_uprobe(void)
{
	test_uprobe_target();
}

void test_spin_ms(int ms)
{
	struct timespec start, now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 +
		 (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

int test_closed_fd(void)
{
	int fd = fcntl(0, F_DUPFD, 900);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? 999 : fd;
}

const char *test_self_exe(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	if (!path[0]) {
		n = readlink("/proc/self/exe", path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
	}
	return path;
}

const char *test_self_dir(void)
{
	static char dir[PATH_MAX];
	char *slash;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s", test_self_exe());
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
	}
	return dir;
}

unsigned long test_func_offset(const char *name)
{
	unsigned long off = 0;
	int fd = open(test_self_exe(), O_RDONLY);
	__u64 addr;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || pals_elf_sym(elf, name, &addr) ||
	    pals_elf_offset(elf, addr, true, &off))
		off = 0;
	elf_end(elf);
	close(fd);
	return off;
}

__u32 test_fd_link_id(int fd)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);

	if (bpf_link_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

__u32 test_link_id(struct bpf_link *link)
{
	return test_fd_link_id(bpf_link__fd(link));
}

bool test_link_gone(__u32 id)
{
	int i, fd;

	/* Link release is deferred to a workqueue: wait for the id to go. */
	for (i = 0; i < 500; i++) {
		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0 && errno == ENOENT)
			return true;
		if (fd >= 0)
			close(fd);
		usleep(10000);
	}
	return false;
}

static const char *link_calls(struct pals_link *pl, size_t size,
			      const char *name, bool libbpf, char *all,
			      char *one)
{
	size_t i, cnt = pals_link__cnt(pl);
	struct bpf_link *link;
	__u8 byte;

	if (!cnt || !pals_link__handle(pl, cnt - 1) || pals_link__handle(pl, cnt))
		return "pals_link__cnt/handle";
	if (pals_link__read_all(pl, all, cnt * size))
		return "pals_link__read_all";
	for (i = 0; i < cnt; i++)
		if (pals_link__read(pl, i, one, size) ||
		    memcmp(one, all + i * size, size))
			return "pals_link__read";
	if (pals_link__read_range(pl, 0, size - 1, &byte, 1) ||
	    byte != (__u8)all[size - 1])
		return "pals_link__read_range";
	byte = ~byte;
	if (pals_link__write(pl, 0, size - 1, &byte, 1) ||
	    pals_link__read(pl, 0, one, size) || (__u8)one[size - 1] != byte)
		return "pals_link__write";
	if (pals_link__update(pl, 0, all, size) ||
	    pals_link__read(pl, 0, one, size) || memcmp(one, all, size))
		return "pals_link__update";
	if ((name && pals_link__find(pl, name)) ||
	    pals_link__find(pl, "no such target") != -ENOENT ||
	    pals_link__find_offset(pl, ~0UL) != -ENOENT)
		return "pals_link__find";
	/* The map fallback keeps no blob past its process: no pinning. */
	if (pals_ctx__mode(pals_ctx__default()) == PALS_MODE_FALLBACK ?
	    pals_link__pin(pl) != -EOPNOTSUPP :
	    pals_link__pin(pl) || pals_link__unpin(pl))
		return "pals_link__pin/unpin";
	link = pals_link__bpf_link(pl);
	if (!link != !libbpf || link != pals_link__bpf_link(pl))
		return "pals_link__bpf_link";
	/* Not a detach: the blobs, and so the link, stay until destroyed. */
	if (bpf_link__destroy(link) ||
	    pals_link__read_all(pl, all, cnt * size))
		return "pals_link__read_all after bpf_link__destroy()";
	return NULL;
}

const char *test_link_calls(struct pals_link *pl, size_t size,
			    const char *name, bool libbpf)
{
	char *all = calloc(pals_link__cnt(pl), size), *one = calloc(1, size);
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	const char *why = "out of memory";

	if (bpf_link_get_info_by_fd(pals_link__fd(pl), &info, &len))
		why = "pals_link__fd";
	else if (all && one)
		why = link_calls(pl, size, name, libbpf, all, one);
	free(all);
	free(one);
	if (pals_link__destroy(pl))
		return why ?: "pals_link__destroy";
	if (!why && !test_link_gone(info.id))
		why = "pals_link__destroy left the link";
	return why;
}

int test_drop_caps(bool keep_bpf)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};

	if (keep_bpf) {
		if (syscall(SYS_capget, &hdr, data))
			return -errno;
		data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	}
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int test_caps_effective(bool on)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	static const int caps[] = { CAP_BPF, CAP_SYS_ADMIN };
	size_t i;

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (on)
			data[caps[i] / 32].effective |= 1U << (caps[i] % 32);
		else
			data[caps[i] / 32].effective &= ~(1U << (caps[i] % 32));
	}
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int test_rmmod(int tries)
{
	while (tries-- > 0) {
		if (!system("rmmod pals 2>/dev/null"))
			return 0;
		if (tries)
			usleep(50000);
	}
	return -EBUSY;
}

int test_insmod(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "insmod %s", getenv("PALS_KO"));
	return system(cmd) ? -EIO : 0;
}

int test_stats_settle(struct pals_ctx *ctx, struct pals_stats *st, __u64 bytes)
{
	__u64 last = TEST_BYTES_SETTLED;
	int i, same = 0, err;

	for (i = 0; i < 500; i++) {
		err = pals_ctx__stats(ctx, st);
		if (err)
			return err;
		if (bytes == TEST_BYTES_SETTLED) {
			same = st->bytes == last ? same + 1 : 0;
			last = st->bytes;
			if (same == 12)
				return 0;
		} else if (st->bytes == bytes) {
			return 0;
		}
		usleep(20000);
	}
	return -ETIMEDOUT;
}

static FILE *test_param_open(const char *name, const char *mode)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/pals/parameters/%s", name);
	return fopen(path, mode);
}

int test_param_set(const char *name, unsigned long v)
{
	FILE *f = test_param_open(name, "w");
	int err;

	if (!f)
		return -errno;
	/* Unbuffered: the write's own error is the module's answer. */
	setvbuf(f, NULL, _IONBF, 0);
	err = fprintf(f, "%lu\n", v) < 0 ? -errno : 0;
	fclose(f);
	return err;
}

long test_param_get(const char *name)
{
	FILE *f = test_param_open(name, "r");
	long v = -1;

	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

int test_nl_open(struct test_nl *t, __u16 family, __u32 portid)
{
	int one = 1, tries = 1000000, err;

	memset(t, 0, sizeof(*t));
	t->family = family;
	t->buf = calloc(1, TEST_NL_BUFSZ);
	t->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!t->buf || !t->nl ||
	    mnl_socket_setsockopt(t->nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(t->nl, NETLINK_CAP_ACK, &one, sizeof(one)))
		goto fail;
	while ((err = mnl_socket_bind(t->nl, 0, portid ? portid : MNL_SOCKET_AUTOPID)) &&
	       errno == EADDRINUSE && --tries)
		;
	if (!err)
		return 0;
fail:
	err = -errno;
	test_nl_close(t);
	return err;
}

void test_nl_close(struct test_nl *t)
{
	if (t->nl)
		mnl_socket_close(t->nl);
	free(t->buf);
	t->nl = NULL;
	t->buf = NULL;
}

struct nlmsghdr *test_nl_req(struct test_nl *t, __u8 cmd, __u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(t->buf, 0, TEST_NL_BUFSZ);
	nlh = mnl_nlmsg_put_header(t->buf);
	nlh->nlmsg_type = t->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = PALS_GENL_VERSION;
	return nlh;
}

static int test_nl_attr(const struct nlattr *attr, void *data)
{
	struct test_nl *t = data;

	if (mnl_attr_get_type(attr) == PALS_A_HANDLE &&
	    mnl_attr_validate(attr, MNL_TYPE_U64) >= 0)
		t->handle = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int test_nl_ack_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
		snprintf(data, 256, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

int test_nl_send_len(struct test_nl *t, size_t len)
{
	const struct nlmsgerr *err;
	struct nlmsghdr *nlh;
	ssize_t n;

	t->extack[0] = '\0';
	t->handle = 0;
	t->intr = 0;
	t->replies = 0;
	((struct nlmsghdr *)t->buf)->nlmsg_len = len;
	if ((t->use_write ? write(mnl_socket_get_fd(t->nl), t->buf, len) :
			    mnl_socket_sendto(t->nl, t->buf, len)) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(t->nl, t->buf, TEST_NL_BUFSZ);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)t->buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, (int *)&n)) {
			t->intr += !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
			if (nlh->nlmsg_type == NLMSG_DONE)	/* of a dump */
				return *(int *)mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				t->replies++;
				mnl_attr_parse(nlh, GENL_HDRLEN, test_nl_attr, t);
				continue;
			}
			err = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
				mnl_attr_parse(nlh, sizeof(*err),
					       test_nl_ack_attr, t->extack);
			return err->error;
		}
	}
}

int test_nl_send(struct test_nl *t, struct nlmsghdr *nlh)
{
	return test_nl_send_len(t, nlh->nlmsg_len);
}

int test_timeout_scale(void)
{
	const char *s = getenv("PALS_TEST_TIMEOUT_SCALE");
	int scale = s ? atoi(s) : 1;

	return scale >= 1 && scale <= 100 ? scale : 1;
}

bool test_debug_kernel(void)
{
	return !access("/sys/kernel/debug/kmemleak", F_OK);
}
