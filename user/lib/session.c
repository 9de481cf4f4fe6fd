// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Session programs: one program runs at a function's entry and at its
 * return, sharing an 8-byte session cookie (kprobe.session since 6.10,
 * uprobe.session since 6.13). libbpf 1.4 knows neither: libpals sets the
 * attach type before load (pals_object__prepare()) and creates the
 * links with BPF_LINK_CREATE itself.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "bpf_compat.h"
#include "elffile.h"
#include "fallback.h"
#include "libpals.h"
#include "link.h"
#include "log.h"
#include "session.h"

static const struct {
	const char *sec;
	enum bpf_attach_type type;
	bool sleepable;
} pals_session_secs[] = {
	{ "kprobe.session", PALS_TRACE_KPROBE_SESSION, false },
	{ "uprobe.session.s", PALS_TRACE_UPROBE_SESSION, true },
	{ "uprobe.session", PALS_TRACE_UPROBE_SESSION, false },
};

int pals_object__prepare(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct pals_ctx *ctx = pals_ctx__default();
	const char *sec;
	size_t i, len;
	int err;

	if (!ctx)
		return -errno;
	err = pals_fb_prepare(obj, pals_ctx__mode(ctx) == PALS_MODE_FALLBACK);
	if (err)
		return err;
	bpf_object__for_each_program(prog, obj) {
		sec = bpf_program__section_name(prog);
		for (i = 0; i < sizeof(pals_session_secs) / sizeof(pals_session_secs[0]); i++) {
			len = strlen(pals_session_secs[i].sec);
			if (!strncmp(sec, pals_session_secs[i].sec, len) &&
			    (sec[len] == '\0' || sec[len] == '/'))
				break;
		}
		if (i == sizeof(pals_session_secs) / sizeof(pals_session_secs[0]))
			continue;
		err = bpf_program__set_type(prog, BPF_PROG_TYPE_KPROBE) ?:
		      bpf_program__set_expected_attach_type(prog, pals_session_secs[i].type);
		if (!err && pals_session_secs[i].sleepable)
			err = bpf_program__set_flags(prog, bpf_program__flags(prog) |
						     BPF_F_SLEEPABLE);
		if (err)
			return pals_err(err, "program '%s': setting the %s attach type: %s",
					bpf_program__name(prog), pals_session_secs[i].sec,
					strerror(-err));
	}
	return 0;
}

enum bpf_attach_type pals_session_type(const struct bpf_program *prog)
{
	enum bpf_attach_type type = bpf_program__expected_attach_type(prog);

	return type == PALS_TRACE_KPROBE_SESSION ||
	       type == PALS_TRACE_UPROBE_SESSION ? type : 0;
}

static int pals_not_session(const struct bpf_program *prog, const char *kind)
{
	return pals_err(-EINVAL, "program '%s' was not loaded as %s: use SEC(\"%s\") and pals_object__prepare()",
			bpf_program__name(prog), kind, kind);
}

static int pals_link_create(union bpf_attr *attr)
{
	int fd = syscall(__NR_bpf, BPF_LINK_CREATE, attr, sizeof(*attr));

	return fd < 0 ? -errno : fd;
}

int pals_probe_session(bool uprobe)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	union bpf_attr attr;
	const char *sym = "pals";
	unsigned long off = 0;
	int prog_fd, fd;

	opts.expected_attach_type = uprobe ? PALS_TRACE_UPROBE_SESSION :
					     PALS_TRACE_KPROBE_SESSION;
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", insns,
				sizeof(insns) / sizeof(insns[0]), &opts);
	if (prog_fd < 0 && errno == EINVAL)
		return 0;	/* an attach type this kernel does not know */
	if (prog_fd < 0)
		return pals_err(-errno, "session probe: loading a program: %s",
				strerror(errno));
	/*
	 * A count over the kernel's limit fails with E2BIG where the link
	 * kind exists and before anything is looked up; a kernel without
	 * it rejects the attach type with EINVAL first.
	 */
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.attach_type = opts.expected_attach_type;
	if (uprobe) {
		attr.link_create.uprobe_multi.path = (uintptr_t)"/";
		attr.link_create.uprobe_multi.offsets = (uintptr_t)&off;
		attr.link_create.uprobe_multi.cnt = UINT_MAX;
	} else {
		attr.link_create.kprobe_multi.syms = (uintptr_t)&sym;
		attr.link_create.kprobe_multi.cnt = UINT_MAX;
	}
	fd = pals_link_create(&attr);
	close(prog_fd);
	if (fd >= 0)
		close(fd);
	return fd == -E2BIG;
}

/*
 * Before 6.14 a kprobe_multi link with a return side (fprobe on rethook)
 * preallocates 2 return slots per possible CPU per address it was given,
 * and a call finding none is missed entirely. Addresses may repeat
 * (ftrace keeps one), so a link over each address repeated enough times
 * follows @max_active calls. Since 6.14 fprobe keeps returns on the
 * task's shadow stack and a repeated address would run twice.
 */
static bool pals_fprobe_pool(void)
{
	struct utsname u;
	int major, minor;

	return !uname(&u) && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	       major * 1000 + minor < 6014;
}

/*
 * A kprobe.session link of @prog over functions @syms or addresses
 * @addrs: its fd, or a negative errno.
 */
static int pals_kprobe_session_create(const struct bpf_program *prog,
				      const char **syms, const __u64 *addrs,
				      const __u64 *cookies, size_t cnt)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = bpf_program__fd(prog);
	attr.link_create.attach_type = PALS_TRACE_KPROBE_SESSION;
	attr.link_create.kprobe_multi.syms = (uintptr_t)syms;
	attr.link_create.kprobe_multi.addrs = (uintptr_t)addrs;
	attr.link_create.kprobe_multi.cookies = (uintptr_t)cookies;
	attr.link_create.kprobe_multi.cnt = cnt;
	return pals_link_create(&attr);
}

/* Replace the session link @fd by one following @max_active calls. */
static int pals_kprobe_session_widen(const struct bpf_program *prog, int fd,
				     size_t cnt, __u32 max_active)
{
	size_t slots = 2 * (size_t)libbpf_num_possible_cpus(), reps, i;
	struct bpf_link_info info;
	__u64 *addrs, *cookies;
	__u32 len = sizeof(info);
	int wide;

	reps = (max_active + slots * cnt - 1) / (slots * cnt);
	if (reps <= 1 || !pals_fprobe_pool())
		return fd;
	addrs = calloc(cnt * reps, sizeof(*addrs));
	cookies = calloc(cnt * reps, sizeof(*cookies));
	wide = -ENOMEM;
	if (!addrs || !cookies)
		goto out;
	memset(&info, 0, sizeof(info));
	info.kprobe_multi.addrs = (uintptr_t)addrs;
	info.kprobe_multi.cookies = (uintptr_t)cookies;
	info.kprobe_multi.count = cnt;
	wide = bpf_link_get_info_by_fd(fd, &info, &len) ? -errno : 0;
	if (!wide && !addrs[0])
		wide = -EPERM;	/* addresses hidden (kptr_restrict) */
	if (wide)
		goto out;
	for (i = cnt; i < cnt * reps; i++) {
		addrs[i] = addrs[i % cnt];
		cookies[i] = cookies[i % cnt];
	}
	wide = pals_kprobe_session_create(prog, NULL, addrs, cookies,
					  cnt * reps);
out:
	free(addrs);
	free(cookies);
	if (wide < 0)
		return pals_err(wide, "kprobe.session: %zu addresses for %u calls in flight: %s",
				cnt * reps, max_active, strerror(-wide));
	close(fd);
	return wide;
}

int pals_kprobe_session_link(const struct bpf_program *prog,
			     const char **syms, const __u64 *cookies,
			     size_t cnt, __u32 max_active)
{
	int fd, wide;

	if (pals_session_type(prog) != PALS_TRACE_KPROBE_SESSION)
		return pals_not_session(prog, "kprobe.session");
	fd = pals_kprobe_session_create(prog, syms, NULL, cookies, cnt);
	if (fd < 0) {
		errno = -fd;
		pals_ksym_attach_err(prog, "kprobe.session", syms, cnt);
		return fd;
	}
	wide = pals_kprobe_session_widen(prog, fd, cnt, max_active);
	if (wide < 0)
		close(fd);
	return wide;
}

/* File offsets of functions @syms of the ELF file @path. */
static int pals_sym_offsets(const char *path, const char **syms, size_t cnt,
			    unsigned long *offs)
{
	int fd, err = 0;
	__u64 addr;
	size_t i;
	Elf *elf;

	elf = pals_elf_open(path, &fd);
	if (!elf)
		return -errno;
	for (i = 0; !err && i < cnt; i++) {
		err = pals_elf_sym(elf, syms[i], &addr) ?:
		      pals_elf_offset(elf, addr, true, &offs[i]);
		if (err)
			err = pals_err(err, "%s: no function '%s'", path, syms[i]);
	}
	pals_elf_close(elf, fd);
	return err;
}

int pals_uprobe_session_link(const struct bpf_program *prog, pid_t pid,
			     const char *binary, const char **syms,
			     const unsigned long *offsets,
			     const __u64 *cookies, size_t cnt)
{
	unsigned long *offs = NULL;
	char path[PATH_MAX];
	union bpf_attr attr;
	int err;

	if (pals_session_type(prog) != PALS_TRACE_UPROBE_SESSION)
		return pals_not_session(prog, "uprobe.session");
	err = pals_elf_path(binary, path, sizeof(path));
	if (err)
		return err;
	if (syms) {
		offs = calloc(cnt, sizeof(*offs));
		if (!offs)
			return pals_err(-ENOMEM, "out of memory");
		err = pals_sym_offsets(path, syms, cnt, offs);
		if (err) {
			free(offs);
			return err;
		}
		offsets = offs;
	}
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = bpf_program__fd(prog);
	attr.link_create.attach_type = PALS_TRACE_UPROBE_SESSION;
	attr.link_create.uprobe_multi.path = (uintptr_t)path;
	attr.link_create.uprobe_multi.offsets = (uintptr_t)offsets;
	attr.link_create.uprobe_multi.cookies = (uintptr_t)cookies;
	attr.link_create.uprobe_multi.cnt = cnt;
	/* As libbpf: 0 is this process, -1 every process. */
	attr.link_create.uprobe_multi.pid = !pid ? getpid() : pid < 0 ? 0 : pid;
	err = pals_link_create(&attr);
	if (err < 0)
		pals_err(err, "attaching program '%s' (uprobe.session): %s",
			 bpf_program__name(prog), strerror(-err));
	free(offs);
	return err;
}
