// SPDX-License-Identifier: GPL-2.0
/*
 * palsctl, run as a separate process on a blob this test attached with
 * libpals: list, show (text and JSON), update, delete, pin/unpin, stats,
 * errors and exit statuses, help. Program: progs/palsctl.bpf.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>
#include <linux/pals.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "palsctl.skel.h"
#include "palsctl_blob.h"
#include "libpals.h"
#include "usdt.h"
#include "util.h"

/* What one palsctl run printed, and how it ended. */
struct ctl_run {
	int status;	/* exit status, or -1 if it did not exit */
	char *out;	/* stdout */
	char *err;	/* stderr */
};

/* build/tests/test_palsctl -> build/palsctl */
static const char *palsctl_path(void)
{
	static char path[PATH_MAX];
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", test_self_exe());
	snprintf(path, sizeof(path), "%s/../palsctl", dirname(dir));
	return path;
}

static char *slurp_fd(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf;

	if (len < 0)
		return NULL;
	buf = calloc(1, len + 1);
	if (buf && pread(fd, buf, len, 0) != len) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * Run palsctl with the NULL-terminated arguments, standard input from
 * @in (NULL: /dev/null). Output goes through unlinked temporary files,
 * so neither stream can block the other.
 */
static int ctl_run(struct ctl_run *r, const char *in, ...)
{
	char out_tmpl[] = "/tmp/palsctl-out.XXXXXX";
	char err_tmpl[] = "/tmp/palsctl-err.XXXXXX";
	char *argv[16] = { (char *)"palsctl" };
	int out_fd, err_fd, in_fd, status, argc = 1;
	va_list args;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	va_start(args, in);
	while (argc < 15 && (argv[argc] = va_arg(args, char *)))
		argc++;
	va_end(args);
	argv[argc] = NULL;

	out_fd = mkstemp(out_tmpl);
	err_fd = mkstemp(err_tmpl);
	if (out_fd < 0 || err_fd < 0)
		return -errno;
	unlink(out_tmpl);
	unlink(err_tmpl);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		in_fd = open(in ? in : "/dev/null", O_RDONLY);
		if (in_fd < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 ||
		    dup2(err_fd, 2) < 0)
			_exit(127);
		execv(palsctl_path(), argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	r->out = slurp_fd(out_fd);
	r->err = slurp_fd(err_fd);
	close(out_fd);
	close(err_fd);
	return r->out && r->err ? 0 : -ENOMEM;
}

static void ctl_run_free(struct ctl_run *r)
{
	free(r->out);
	free(r->err);
}

/* Write @len bytes of @data to a new temporary file, named in @path. */
static int write_tmp(char path[32], const void *data, size_t len)
{
	ssize_t n;
	int fd;

	strcpy(path, "/tmp/palsctl-blob.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static const char *hex(__u64 handle)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)handle);
	return buf;
}

/* The object of @list (a JSON array) whose "handle" is @handle, or NULL. */
static struct json_object *find_blob(struct json_object *list, __u64 handle)
{
	struct json_object *o, *h;
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		o = json_object_array_get_idx(list, i);
		if (json_object_object_get_ex(o, "handle", &h) &&
		    !strcmp(json_object_get_string(h), hex(handle)))
			return o;
	}
	return NULL;
}

/* @obj's member at the dotted @path ("inner.depth"), or NULL. */
static struct json_object *member(struct json_object *obj, const char *path)
{
	char buf[128], *name, *save;

	snprintf(buf, sizeof(buf), "%s", path);
	for (name = strtok_r(buf, ".", &save); name && obj;
	     name = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(obj, name, &obj))
			return NULL;
	return obj;
}

static __s64 member_int(struct json_object *obj, const char *path)
{
	return json_object_get_int64(member(obj, path));
}

static const char *member_str(struct json_object *obj, const char *path)
{
	struct json_object *m = member(obj, path);

	return m ? json_object_get_string(m) : "(missing)";
}

/* The first of the @n strings @want that @out lacks, or "(none)". */
static const char *first_missing(const char *out, const char *const *want,
				 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strstr(out, want[i]))
			return want[i];
	return "(none)";
}

FIXTURE(palsctl) {
	struct palsctl *skel;
	struct pals_ctx *ctx;
	struct pals_link *pl;
	struct palsctl_blob blob;
	__u64 handle;
	__u32 prog_id;
	struct ctl_run r;
	struct json_object *json;
};

FIXTURE_SETUP(palsctl)
{
	LIBBPF_OPTS(pals_attach_opts, opts);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	/* Failures are checked, and their text logged, by the tests. */
	pals_set_print(NULL);
	self->skel = palsctl__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->bss->target_pid = getpid();
	ASSERT_EQ(0, palsctl__load(self->skel));
	ASSERT_EQ(0, bpf_prog_get_info_by_fd(
			bpf_program__fd(self->skel->progs.on_getpgid),
			&info, &len));
	self->prog_id = info.id;
	self->ctx = pals_ctx__new(NULL);
	ASSERT_NE(NULL, self->ctx);

	self->blob.counter = 42;
	self->blob.offset = -5;
	self->blob.mode = PALSCTL_MODE_ON;
	strcpy(self->blob.name, "pals-test");
	self->blob.inner.depth = 3;
	self->blob.inner.delta = -2;
	self->blob.inner.enabled = 1;
	self->blob.inner.level = 5;
	self->blob.slots[0] = 10;
	self->blob.slots[3] = 40;
	opts.ctx = self->ctx;
	self->pl = pals_attach_kprobe(self->skel->progs.on_getpgid,
				      "__x64_sys_getpgid", "struct palsctl_blob",
				      &self->blob, sizeof(self->blob), &opts);
	ASSERT_NE(NULL, self->pl) TH_LOG("%s", pals_last_error());
	self->handle = pals_link__handle(self->pl, 0);
}

FIXTURE_TEARDOWN(palsctl)
{
	json_object_put(self->json);
	ctl_run_free(&self->r);
	/* Pinned or not, and maybe deleted by palsctl already. */
	if (self->pl)
		pals_ctx__delete(self->ctx, self->handle);
	pals_link__destroy(self->pl);
	pals_ctx__free(self->ctx);
	palsctl__destroy(self->skel);
}

/* Run palsctl in the fixture's ctl_run (freeing the previous run's). */
#define RUN(in, ...) ({							\
	ctl_run_free(&self->r);						\
	ctl_run(&self->r, in, __VA_ARGS__, NULL);			\
})

/* Parse the last run's stdout into the fixture's json. */
#define PARSE() ({							\
	json_object_put(self->json);					\
	self->json = json_tokener_parse(self->r.out);			\
})

TEST_F(palsctl, list_json)
{
	struct json_object *o, *target;

	ASSERT_EQ(0, RUN(NULL, "list", "-j"));
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_NE(NULL, PARSE()) TH_LOG("not JSON: %s", self->r.out);
	ASSERT_TRUE(json_object_is_type(self->json, json_type_array));
	o = find_blob(self->json, self->handle);
	ASSERT_NE(NULL, o) TH_LOG("%s not in %s", hex(self->handle), self->r.out);
	EXPECT_EQ(self->prog_id, member_int(o, "prog_id"));
	EXPECT_STREQ("on_getpgid", member_str(o, "prog_name"));
	EXPECT_STREQ("struct palsctl_blob", member_str(o, "type"));
	EXPECT_EQ(sizeof(struct palsctl_blob), member_int(o, "size"));
	EXPECT_EQ(getpid(), member_int(o, "owner_pid"));
	EXPECT_FALSE(json_object_get_boolean(member(o, "pinned")));
	EXPECT_NE(0, member_int(o, "link_id"));
	EXPECT_STREQ("perf_event", member_str(o, "link_kind"));
	target = member(o, "link_target");
	ASSERT_NE(NULL, target);
	EXPECT_NE(NULL, strstr(json_object_get_string(target),
			       "kprobe:__x64_sys_getpgid"));

	/* -p: the same, pretty (on several lines). */
	ASSERT_EQ(0, RUN(NULL, "-p", "list"));
	ASSERT_EQ(0, self->r.status);
	ASSERT_NE(NULL, PARSE());
	EXPECT_NE(NULL, find_blob(self->json, self->handle));
	EXPECT_NE(NULL, strstr(self->r.out, "\n  "));
}

TEST_F(palsctl, list_text)
{
	char *line, *nl;

	ASSERT_EQ(0, RUN(NULL, "list"));
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_EQ(0, strncmp(self->r.out, "HANDLE ", 7)) TH_LOG("%s", self->r.out);
	line = strstr(self->r.out, hex(self->handle));
	ASSERT_NE(NULL, line) TH_LOG("%s", self->r.out);
	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	EXPECT_NE(NULL, strstr(line, "on_getpgid")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "struct palsctl_blob"));
	EXPECT_NE(NULL, strstr(line, " 56 "));
	EXPECT_NE(NULL, strstr(line, " no"));
}

TEST_F(palsctl, show_text)
{
	static const char *const want[] = {
		"struct palsctl_blob", ".counter = (__u64)42",
		".offset = (__s32)-5", ".mode = (enum palsctl_mode)PALSCTL_MODE_ON",
		".name = (char[16])\"pals-test\",",
		".inner = (struct palsctl_inner){\n\t\t.depth = (__u32)3,\n",
		".delta = (__s16)-2,", ".enabled = (__u8)0x1,", ".level = (__u8)0x5,",
		".slots = (__u32[4])[\n\t\t10,\n\t\t0,\n\t\t0,\n\t\t40,\n\t],",
	};

	ASSERT_EQ(0, RUN(NULL, "show", hex(self->handle)));
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	TH_LOG("%s", self->r.out);
	EXPECT_EQ(0, strncmp(self->r.out, "handle ", 7));
	EXPECT_NE(NULL, strstr(self->r.out, hex(self->handle)));
	EXPECT_NE(NULL, strstr(self->r.out, "size 56"));
	EXPECT_STREQ("(none)", first_missing(self->r.out, want, ARRAY_SIZE(want)));
}

TEST_F(palsctl, show_json)
{
	struct json_object *f, *bytes, *slots;

	ASSERT_EQ(0, RUN(NULL, "-j", "show", hex(self->handle)));
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_NE(NULL, PARSE()) TH_LOG("not JSON: %s", self->r.out);
	EXPECT_STREQ(hex(self->handle), member_str(self->json, "handle"));
	EXPECT_EQ(self->prog_id, member_int(self->json, "prog_id"));
	EXPECT_STREQ("struct palsctl_blob", member_str(self->json, "type"));
	EXPECT_EQ(56, member_int(self->json, "size"));

	/* One hex string, two digits a byte. */
	bytes = member(self->json, "bytes");
	ASSERT_NE(NULL, bytes);
	ASSERT_EQ(112, strlen(json_object_get_string(bytes)));
	EXPECT_EQ(0, strncmp("2a00000000000000fbffffff0700000070616c73",
			     json_object_get_string(bytes), 40))
		TH_LOG("%s", json_object_get_string(bytes));

	f = member(self->json, "formatted");
	ASSERT_NE(NULL, f) TH_LOG("%s", self->r.out);
	EXPECT_EQ(42, member_int(f, "counter"));
	EXPECT_EQ(-5, member_int(f, "offset"));
	EXPECT_STREQ("PALSCTL_MODE_ON", member_str(f, "mode"));
	EXPECT_STREQ("pals-test", member_str(f, "name"));
	EXPECT_EQ(3, member_int(f, "inner.depth"));
	EXPECT_EQ(-2, member_int(f, "inner.delta"));
	EXPECT_EQ(1, member_int(f, "inner.enabled"));
	EXPECT_EQ(5, member_int(f, "inner.level"));
	slots = member(f, "slots");
	ASSERT_NE(NULL, slots);
	ASSERT_EQ(4, json_object_array_length(slots));
	EXPECT_EQ(10, json_object_get_int64(json_object_array_get_idx(slots, 0)));
	EXPECT_EQ(0, json_object_get_int64(json_object_array_get_idx(slots, 1)));
	EXPECT_EQ(40, json_object_get_int64(json_object_array_get_idx(slots, 3)));
}

/* What the program writes, palsctl shows. */
TEST_F(palsctl, show_sees_program_writes)
{
	test_trigger_getpgid();
	test_trigger_getpgid();
	ASSERT_EQ(0, RUN(NULL, "-j", "show", hex(self->handle)));
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_NE(NULL, PARSE());
	EXPECT_EQ(44, member_int(self->json, "formatted.counter"));
}

TEST_F(palsctl, update_from_file_and_stdin)
{
	char path[32];
	struct palsctl_blob want = self->blob, got;

	want.counter = 7;
	strcpy(want.name, "updated");
	want.inner.level = 2;
	ASSERT_EQ(0, write_tmp(path, &want, sizeof(want)));
	ASSERT_EQ(0, RUN(NULL, "update", hex(self->handle), path));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(0, memcmp(&want, &got, sizeof(got)));

	/* Standard input, with "-" and with no FILE; JSON mode prints null. */
	want.counter = 8;
	unlink(path);
	ASSERT_EQ(0, write_tmp(path, &want, sizeof(want)));
	ASSERT_EQ(0, RUN(path, "-j", "update", hex(self->handle), "-"));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("null\n", self->r.out);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(8, got.counter);

	want.counter = 9;
	unlink(path);
	ASSERT_EQ(0, write_tmp(path, &want, sizeof(want)));
	ASSERT_EQ(0, RUN(path, "update", hex(self->handle)));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(9, got.counter);
	unlink(path);
}

/* Members by name, in place: what the program counted meanwhile stays. */
TEST_F(palsctl, update_members)
{
	struct palsctl_blob got;

	test_trigger_getpgid();
	ASSERT_EQ(0, RUN(NULL, "update", hex(self->handle), ".offset=-7",
			 ".mode=PALSCTL_MODE_OFF", ".name=renamed",
			 ".inner.depth=0x10", ".slots[2]=33"));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(43, got.counter);
	EXPECT_EQ(-7, got.offset);
	EXPECT_EQ(PALSCTL_MODE_OFF, got.mode);
	EXPECT_STREQ("renamed", got.name);
	EXPECT_EQ(16, got.inner.depth);
	EXPECT_EQ(-2, got.inner.delta);
	EXPECT_EQ(33, got.slots[2]);
	EXPECT_EQ(40, got.slots[3]);

	ASSERT_EQ(0, RUN(NULL, "-j", "update", hex(self->handle), ".mode=7"));
	EXPECT_STREQ("null\n", self->r.out);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(PALSCTL_MODE_ON, got.mode);
}

TEST_F(palsctl, update_member_errors)
{
	static const struct {
		const char *arg;
		const char *err;
	} bad[] = {
		{ ".nope=1", "Error: .nope: no such member" },
		{ ".inner.level=1", "Error: .level: no such member (bitfields" },
		{ ".offset=2147483648", "Error: .offset: '2147483648' is out of range" },
		{ ".inner.delta=x", "Error: .inner.delta: 'x' is out of range" },
		{ ".name=0123456789abcdef", ".name: '0123456789abcdef' is too long: 16 characters, room for 15 and the final NUL" },
		{ ".slots[4]=1", "Error: [4]: not an index below 4" },
		{ ".inner=3", "Error: .inner: set its members one at a time" },
		{ ".counter.x=3", "Error: .x: not a member or index" },
	};
	struct palsctl_blob got;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, RUN(NULL, "update", hex(self->handle), bad[i].arg));
		EXPECT_EQ(1, self->r.status) TH_LOG("%s", bad[i].arg);
		EXPECT_NE(NULL, strstr(self->r.err, bad[i].err))
			TH_LOG("%s: %s", bad[i].arg, self->r.err);
	}
	ASSERT_EQ(0, RUN(NULL, "update", hex(self->handle), "-", ".offset=1"));
	EXPECT_EQ(2, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(0, memcmp(&self->blob, &got, sizeof(got)));
}

/* Each blob of a multi link shows its own target; deleting one keeps the rest. */
TEST_F(palsctl, multi_link_targets)
{
	const char *syms[] = { "__x64_sys_getpgid", "__x64_sys_getsid" };
	const char *usyms[] = { "test_uprobe_other" };
	unsigned long off = test_func_offset("test_uprobe_target");
	PALS_OPTS(pals_attach_opts, opts, .ctx = self->ctx, .offsets = &off);
	PALS_OPTS(pals_attach_opts, by_name, .ctx = self->ctx);
	struct pals_link *kmulti, *umulti, *unamed, *umid;
	struct pals_usdt_sites sites;
	char want[PATH_MAX + 64], usdt_exe[PATH_MAX];
	struct json_object *o;
	__u64 counter = 0;

	kmulti = pals_attach_kprobe_multi(self->skel->progs.on_multi, syms, 2,
					  NULL, NULL, 0, &opts);
	ASSERT_NE(NULL, kmulti) TH_LOG("%s", pals_last_error());
	/* By offset, but where a function starts: named by that function. */
	umulti = pals_attach_uprobe_multi(self->skel->progs.on_umulti, 0,
					  test_self_exe(), NULL, 1, NULL, NULL,
					  0, &opts);
	ASSERT_NE(NULL, umulti) TH_LOG("%s", pals_last_error());
	unamed = pals_attach_uprobe_multi(self->skel->progs.on_umulti, 0,
					  test_self_exe(), usyms, 1, NULL, NULL,
					  0, &by_name);
	ASSERT_NE(NULL, unamed) TH_LOG("%s", pals_last_error());
	/* Inside a function (a USDT site of usdt_target): by offset. */
	snprintf(usdt_exe, sizeof(usdt_exe), "%s/usdt/usdt_target",
		 test_self_dir());
	ASSERT_EQ(0, pals_usdt_find(usdt_exe, "pals", "args0", 0, &sites))
		TH_LOG("%s", pals_last_error());
	opts.offsets = sites.offsets;
	umid = pals_attach_uprobe_multi(self->skel->progs.on_umulti, -1,
					usdt_exe, NULL, 1, NULL, NULL, 0, &opts);
	ASSERT_NE(NULL, umid) TH_LOG("%s", pals_last_error());

	ASSERT_EQ(0, RUN(NULL, "-j", "list"));
	ASSERT_NE(NULL, PARSE());
	o = find_blob(self->json, pals_link__handle(kmulti, 0));
	EXPECT_STREQ("kprobe:__x64_sys_getpgid", member_str(o, "link_target"));
	o = find_blob(self->json, pals_link__handle(kmulti, 1));
	EXPECT_STREQ("kprobe:__x64_sys_getsid", member_str(o, "link_target"));
	snprintf(want, sizeof(want), "uprobe:%s:test_uprobe_target",
		 test_self_exe());
	o = find_blob(self->json, pals_link__handle(umulti, 0));
	EXPECT_STREQ(want, member_str(o, "link_target"));
	snprintf(want, sizeof(want), "uprobe:%s:test_uprobe_other",
		 test_self_exe());
	o = find_blob(self->json, pals_link__handle(unamed, 0));
	EXPECT_STREQ(want, member_str(o, "link_target"));
	snprintf(want, sizeof(want), "uprobe:%s+0x%lx", usdt_exe,
		 sites.offsets[0]);
	o = find_blob(self->json, pals_link__handle(umid, 0));
	EXPECT_STREQ(want, member_str(o, "link_target"));
	pals_usdt_sites_free(&sites);

	ASSERT_EQ(0, RUN(NULL, "delete", hex(pals_link__handle(kmulti, 0))));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	syscall(SYS_getsid, 0);
	ASSERT_EQ(0, pals_link__read_range(kmulti, 1, 0, &counter,
					   sizeof(counter)));
	EXPECT_LE(1, counter);	/* the link and its other blob live on */
	pals_link__destroy(umid);
	pals_link__destroy(unamed);
	pals_link__destroy(umulti);
	pals_link__destroy(kmulti);
}

TEST_F(palsctl, update_wrong_size)
{
	char path[32];
	struct palsctl_blob got;

	ASSERT_EQ(0, write_tmp(path, &self->blob, sizeof(self->blob) - 8));
	ASSERT_EQ(0, RUN(NULL, "update", hex(self->handle), path));
	unlink(path);
	EXPECT_EQ(1, self->r.status);
	EXPECT_EQ(0, strncmp(self->r.err, "Error: ", 7)) TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.err, "48 bytes")) TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.err, "56")) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, NULL, &got, sizeof(got)));
	EXPECT_EQ(0, memcmp(&self->blob, &got, sizeof(got)));

	ASSERT_EQ(0, RUN(NULL, "update", hex(self->handle), "/nonexistent/blob"));
	EXPECT_EQ(1, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "Error: /nonexistent/blob: "));
}

/* A per-CPU blob of the program: CPU i's counter 10 + i, slots[0] i. */
static __u64 percpu_create(struct __test_metadata *_metadata,
			   FIXTURE_DATA(palsctl) *self, struct palsctl_blob **all,
			   int *cpus)
{
	PALS_OPTS(pals_create_opts, opts, .flags = PALS_F_PERCPU);
	struct bpf_program *prog = self->skel->progs.on_getpgid;
	__u64 h = 0;
	int i;

	*cpus = libbpf_num_possible_cpus();
	*all = calloc(*cpus, sizeof(**all));
	EXPECT_NE(NULL, *all);
	for (i = 0; *all && i < *cpus; i++) {
		(*all)[i] = self->blob;
		(*all)[i].counter = 10 + i;
		(*all)[i].slots[0] = i;
	}
	EXPECT_EQ(0, pals_ctx__create(self->ctx, bpf_program__fd(prog),
				      pals_type_id(prog, "struct palsctl_blob",
						   sizeof(self->blob)),
				      *all, *cpus * sizeof(**all), &opts, &h));
	return h;
}

TEST_F(palsctl, percpu_show_merged_and_per_cpu)
{
	struct json_object *cpus_arr, *unsummed;
	struct palsctl_blob *all;
	char h[32];
	int cpus, i;
	__u64 handle = percpu_create(_metadata, self, &all, &cpus);

	ASSERT_NE(0, handle);
	snprintf(h, sizeof(h), "%s", hex(handle));
	ASSERT_EQ(0, RUN(NULL, "-j", "show", h));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_NE(NULL, PARSE());
	EXPECT_EQ(10 * cpus + cpus * (cpus - 1) / 2,
		  member_int(self->json, "formatted.counter"));
	EXPECT_EQ(cpus * (cpus - 1) / 2,
		  json_object_get_int64(json_object_array_get_idx(
			member(self->json, "formatted.slots"), 0)));
	EXPECT_EQ(-5 * cpus, member_int(self->json, "formatted.offset"));
	EXPECT_STREQ("pals-test", member_str(self->json, "formatted.name"));
	EXPECT_TRUE(json_object_get_boolean(member(self->json, "percpu")));
	unsummed = member(self->json, "unsummed");
	ASSERT_NE(NULL, unsummed);
	/* mode (an enum), name (text), inner.enabled and inner.level (bits) */
	EXPECT_EQ(4, json_object_array_length(unsummed));
	EXPECT_EQ(2 * cpus * sizeof(*all),
		  strlen(member_str(self->json, "bytes")));

	ASSERT_EQ(0, RUN(NULL, "-c", "-j", "show", h));
	ASSERT_NE(NULL, PARSE());
	cpus_arr = member(self->json, "cpus");
	ASSERT_NE(NULL, cpus_arr);
	ASSERT_EQ(cpus, json_object_array_length(cpus_arr));
	for (i = 0; i < cpus; i++)
		EXPECT_EQ(10 + i, member_int(json_object_array_get_idx(cpus_arr, i),
					     "counter"));

	ASSERT_EQ(0, RUN(NULL, "show", h));
	EXPECT_NE(NULL, strstr(self->r.out, "per-CPU"));
	EXPECT_NE(NULL, strstr(self->r.out, "not summed"));
	ASSERT_EQ(0, RUN(NULL, "-c", "show", h));
	EXPECT_NE(NULL, strstr(self->r.out, "cpu 0:"));
	free(all);
}

TEST_F(palsctl, percpu_update_every_cpu)
{
	struct palsctl_blob *all, one = self->blob;
	char h[32], path[32];
	int cpus, i;
	__u64 handle = percpu_create(_metadata, self, &all, &cpus);

	ASSERT_NE(0, handle);
	snprintf(h, sizeof(h), "%s", hex(handle));
	ASSERT_EQ(0, RUN(NULL, "update", h, ".offset=9", ".inner.depth=77"));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, pals_ctx__read(self->ctx, handle, 0, all,
				    cpus * sizeof(*all)));
	for (i = 0; i < cpus; i++) {
		EXPECT_EQ(9, all[i].offset);
		EXPECT_EQ(77, all[i].inner.depth);
		EXPECT_EQ(10 + i, all[i].counter);
	}
	/* One copy from a file: every CPU's. */
	one.counter = 5;
	ASSERT_EQ(0, write_tmp(path, &one, sizeof(one)));
	ASSERT_EQ(0, RUN(NULL, "update", h, path));
	unlink(path);
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, pals_ctx__read(self->ctx, handle, 0, all,
				    cpus * sizeof(*all)));
	for (i = 0; i < cpus; i++)
		EXPECT_EQ(5, all[i].counter);
	/* Neither one copy nor every CPU's. */
	ASSERT_EQ(0, write_tmp(path, all, sizeof(one) + 8));
	ASSERT_EQ(0, RUN(NULL, "update", h, path));
	EXPECT_EQ(1, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "per CPU")) TH_LOG("%s", self->r.err);
	unlink(path);
	free(all);
}

TEST_F(palsctl, delete)
{
	ASSERT_EQ(0, RUN(NULL, "delete", hex(self->handle)));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_EQ(-ENOENT, pals_ctx__get(self->ctx, self->handle, NULL, NULL, 0));

	ASSERT_EQ(0, RUN(NULL, "-j", "list"));
	ASSERT_NE(NULL, PARSE());
	EXPECT_EQ(NULL, find_blob(self->json, self->handle));

	/* Twice: the kernel's reason. */
	ASSERT_EQ(0, RUN(NULL, "delete", hex(self->handle)));
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ("Error: PALS_A_HANDLE: no such blob\n", self->r.err);
}

/* The blob's "pinned" in palsctl -j list: 1, 0, or -1 if not listed. */
static int listed_pinned(__u64 handle)
{
	struct json_object *list = NULL, *o;
	struct ctl_run r;
	int ret = -1;

	if (!ctl_run(&r, NULL, "-j", "list", NULL) && !r.status)
		list = json_tokener_parse(r.out);
	o = list ? find_blob(list, handle) : NULL;
	if (o)
		ret = json_object_get_boolean(member(o, "pinned"));
	json_object_put(list);
	ctl_run_free(&r);
	return ret;
}

TEST_F(palsctl, pin_unpin)
{
	struct pals_blob_info info;

	ASSERT_EQ(0, RUN(NULL, "pin", hex(self->handle)));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, &info, NULL, 0));
	EXPECT_EQ(PALS_F_PINNED, info.flags);
	EXPECT_EQ(1, listed_pinned(self->handle));

	/* Unpinned by its creator, it shows so. */
	ASSERT_EQ(0, pals_ctx__unpin(self->ctx, self->handle));
	EXPECT_EQ(0, listed_pinned(self->handle));

	/* Unpinned by palsctl, it still belongs to its creator's socket. */
	ASSERT_EQ(0, RUN(NULL, "-j", "pin", hex(self->handle)));
	EXPECT_STREQ("null\n", self->r.out);
	EXPECT_EQ(1, listed_pinned(self->handle));
	ASSERT_EQ(0, RUN(NULL, "unpin", hex(self->handle)));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_EQ(0, listed_pinned(self->handle));
	ASSERT_EQ(0, pals_ctx__get(self->ctx, self->handle, &info, NULL, 0));
	EXPECT_EQ(0, info.flags);
}

TEST_F(palsctl, stats)
{
	static const char *const keys[] = {
		"blobs", "bytes", "creates", "deletes", "misses",
		"max_size", "max_bytes", "overhead",
	};
	struct json_object *v;
	size_t i;

	ASSERT_EQ(0, RUN(NULL, "stats", "-j"));
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	ASSERT_NE(NULL, PARSE()) TH_LOG("not JSON: %s", self->r.out);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		EXPECT_TRUE(json_object_object_get_ex(self->json, keys[i], &v))
			TH_LOG("no '%s' in %s", keys[i], self->r.out);
	}
	EXPECT_LE(1, member_int(self->json, "blobs"));
	EXPECT_LE(56, member_int(self->json, "bytes"));
	EXPECT_EQ(65536, member_int(self->json, "max_size"));

	ASSERT_EQ(0, RUN(NULL, "stats"));
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "max_size   65536\n")) TH_LOG("%s", self->r.out);
}

TEST_F(palsctl, unknown_handle)
{
	ASSERT_EQ(0, RUN(NULL, "show", "0x1234500000042"));
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ("", self->r.out);
	EXPECT_STREQ("Error: PALS_A_HANDLE: no such blob\n", self->r.err);

	/* JSON mode: the error as an object on stdout. */
	ASSERT_EQ(0, RUN(NULL, "-j", "show", "0x1234500000042"));
	EXPECT_EQ(1, self->r.status);
	ASSERT_NE(NULL, PARSE()) TH_LOG("not JSON: %s", self->r.out);
	EXPECT_STREQ("PALS_A_HANDLE: no such blob", member_str(self->json, "error"));
}

TEST_F(palsctl, usage_errors)
{
	ASSERT_EQ(0, RUN(NULL, "frobnicate"));
	EXPECT_EQ(2, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "Error: unknown command 'frobnicate'"));
	EXPECT_NE(NULL, strstr(self->r.err, "--help"));

	ASSERT_EQ(0, RUN(NULL, "--frobnicate", "list"));
	EXPECT_EQ(2, self->r.status);
	ASSERT_EQ(0, RUN(NULL, "show"));
	EXPECT_EQ(2, self->r.status);
	ASSERT_EQ(0, RUN(NULL, "pin", hex(self->handle), "extra"));
	EXPECT_EQ(2, self->r.status);
	ASSERT_EQ(0, RUN(NULL, "delete", "xyz"));
	EXPECT_EQ(2, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "Error: invalid handle 'xyz'"));
	ASSERT_EQ(0, RUN(NULL, "delete", "12junk"));
	EXPECT_EQ(2, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "Error: invalid handle '12junk'"));
}

/* A handle in decimal (any strtoull base) names the same blob. */
TEST_F(palsctl, decimal_handle)
{
	char dec[32];

	snprintf(dec, sizeof(dec), "%llu", (unsigned long long)self->handle);
	ASSERT_EQ(0, RUN(NULL, "show", dec));
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.out, hex(self->handle)));
}

TEST_F(palsctl, help)
{
	static const char *const want[] = {
		"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS",
		"EXIT STATUS", "EXAMPLES", "palsctl list", "palsctl show HANDLE",
		"palsctl update HANDLE [FILE]", "palsctl delete HANDLE",
		"palsctl pin HANDLE", "palsctl unpin HANDLE", "palsctl stats",
		"palsctl help", "--json", "--pretty",
		"palsctl update HANDLE .MEMBER=VALUE...",
		"deleting one blob of a\n        kprobe_multi, uprobe_multi or USDT link leaves the link and its\n        other blobs attached",
	};
	static const char *const how[] = { "--help", "help" };
	size_t j;

	for (j = 0; j < ARRAY_SIZE(how); j++) {
		ASSERT_EQ(0, RUN(NULL, how[j]));
		EXPECT_EQ(0, self->r.status);
		EXPECT_STREQ("(none)", first_missing(self->r.out, want,
						     ARRAY_SIZE(want)));
	}
}

TEST_HARNESS_MAIN
