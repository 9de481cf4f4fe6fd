// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which way a context keeps blobs: pals.ko, or the map fallback where the
 * module is absent (fallback.c). Chosen per context, from its opts, else
 * $PALS_MODE (module, fallback or auto), else automatically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "fallback.h"
#include "log.h"

/* The oldest kernel pals.ko builds for (kmod/Kbuild). */
#define PALS_MODULE_FLOOR_MAJOR	6
#define PALS_MODULE_FLOOR_MINOR	10

static enum pals_mode pals_default_mode = PALS_MODE_AUTO;

int pals_set_mode(enum pals_mode mode)
{
	if (mode > PALS_MODE_FALLBACK)
		return pals_err(-EINVAL, "mode %d unknown", mode);
	pals_default_mode = mode;
	return 0;
}

enum pals_mode pals_mode_default(void)
{
	return pals_default_mode;
}

static int pals_mode_env(enum pals_mode *mode)
{
	const char *env = getenv("PALS_MODE");

	if (!env || !*env || !strcmp(env, "auto"))
		return 0;
	if (!strcmp(env, "module"))
		*mode = PALS_MODE_MODULE;
	else if (!strcmp(env, "fallback"))
		*mode = PALS_MODE_FALLBACK;
	else
		return pals_err(-EINVAL, "PALS_MODE=%s: give module, fallback or auto", env);
	return 0;
}

int pals_mode_wanted(enum pals_mode mode)
{
	int err;

	if (mode > PALS_MODE_FALLBACK)
		return pals_err(-EINVAL, "pals_ctx_opts: mode %d unknown", mode);
	if (mode != PALS_MODE_AUTO)
		return mode;
	err = pals_mode_env(&mode);
	return err ?: (int)mode;
}

bool pals_kernel_below(int want_major, int want_minor, int *major, int *minor)
{
	struct utsname u;

	*major = *minor = 0;
	if (uname(&u) || sscanf(u.release, "%d.%d", major, minor) != 2)
		return false;
	return *major < want_major ||
	       (*major == want_major && *minor < want_minor);
}

void pals_mode_notice(enum pals_mode wanted)
{
	int major, minor;

	if (wanted == PALS_MODE_FALLBACK) {
		pals_info("libpals: using the map fallback, as asked (%s)",
			  getenv("PALS_MODE") ? "PALS_MODE" : "pals_ctx_opts.mode");
		return;
	}
	if (pals_kernel_below(PALS_MODULE_FLOOR_MAJOR, PALS_MODULE_FLOOR_MINOR,
			      &major, &minor)) {
		pals_info("libpals: using the map fallback: kernel %d.%d is older than pals.ko's %d.%d",
			  major, minor, PALS_MODULE_FLOOR_MAJOR, PALS_MODULE_FLOOR_MINOR);
		return;
	}
	pals_info("libpals: using the map fallback: pals.ko is not loaded and could not be loaded");
}

static const char *pals_mode_name(bool fallback)
{
	return fallback ? "the map fallback (fallback mode)" :
			  "pals.ko (module mode)";
}

int pals_mode_check_fd(const struct pals_ctx *ctx, int prog_fd,
		       const char *name)
{
	bool ctx_fb = pals_ctx__mode(ctx) == PALS_MODE_FALLBACK;
	bool prog_fb = pals_fb_prog(prog_fd);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (ctx_fb == prog_fb || prog_fd < 0)
		return 0;
	if (!name && !bpf_prog_get_info_by_fd(prog_fd, &info, &len))
		name = info.name;
	return pals_err(-EINVAL, "program '%s' was loaded for %s, but the context runs on %s: prepare its object (pals_object__prepare()) in the context's mode",
			name ?: "?", pals_mode_name(prog_fb),
			pals_mode_name(ctx_fb));
}

int pals_mode_check(const struct pals_ctx *ctx, const struct bpf_program *prog)
{
	return pals_mode_check_fd(ctx, bpf_program__fd(prog),
				  bpf_program__name(prog));
}

/* The first kernel whose @prog kind gets a BPF cookie, as major * 100 + minor. */
static int pals_cookie_floor(const struct bpf_program *prog)
{
	enum bpf_attach_type at = bpf_program__expected_attach_type(prog);

	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return 610;
	case BPF_PROG_TYPE_TRACING:
		return at == BPF_TRACE_RAW_TP ? 610 : 519;
	case BPF_PROG_TYPE_LSM:
		return 519;
	case BPF_PROG_TYPE_KPROBE:
		return at == BPF_TRACE_UPROBE_MULTI ? 606 :
		       at == BPF_TRACE_KPROBE_MULTI ? 518 : 515;
	default:
		return 515;
	}
}

int pals_kind_check(const struct bpf_program *prog)
{
	int floor = pals_cookie_floor(prog), major, minor;

	if (!pals_kernel_below(floor / 100, floor % 100, &major, &minor))
		return 0;
	return pals_err(-EOPNOTSUPP, "program '%s' (section '%s'): kernel %d.%d gives this kind no BPF cookie, Linux %d.%d does: mark it SEC(\"?...\") to load the others",
			bpf_program__name(prog), bpf_program__section_name(prog),
			major, minor, floor / 100, floor % 100);
}
