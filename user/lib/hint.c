// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf's messages pass through libpals on their way to the print
 * callback libbpf had, and where their cause is one libpals can name, a
 * line of libpals that says what to do comes first: the kfunc unresolved
 * because pals.ko is not loaded, or the capabilities BPF tracing needs.
 * A tool that sets its own libbpf print callback replaces this one.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>

#include "log.h"

static libbpf_print_fn_t pals_libbpf_print_next;

static bool pals_cap_effective(const struct __user_cap_data_struct *data,
			       int cap)
{
	return data[cap / 32].effective & (1U << (cap % 32));
}

/* Whether the caller may load and attach BPF tracing programs. */
static bool pals_may_trace(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return true;	/* cannot tell: say nothing */
	return pals_cap_effective(data, CAP_SYS_ADMIN) ||
	       (pals_cap_effective(data, CAP_BPF) &&
		pals_cap_effective(data, CAP_PERFMON));
}

/* Each hint once per process: libbpf repeats its message per program. */
static void pals_hint(const char *text)
{
	static bool kfunc_said, caps_said;

	if (!kfunc_said && strstr(text, "bpf_pals_get") &&
	    access("/sys/module/pals", F_OK)) {
		kfunc_said = true;
		pals_warn("kfunc bpf_pals_get unresolved: pals.ko is not loaded; run 'modprobe pals', or call pals_module__probe() before loading, which loads it");
	}
	if (!caps_said && (strstr(text, "RLIMIT_MEMLOCK") ||
			   strstr(text, "Operation not permitted") ||
			   strstr(text, "-EPERM")) && !pals_may_trace()) {
		caps_said = true;
		pals_warn("BPF tracing needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN): run as root, or grant them: setcap cap_bpf,cap_perfmon=ep TOOL");
	}
}

static int pals_libbpf_print(enum libbpf_print_level level, const char *format,
			     va_list args)
{
	char *text;
	va_list copy;

	if (level != LIBBPF_DEBUG) {
		va_copy(copy, args);
		if (vasprintf(&text, format, copy) >= 0) {
			pals_hint(text);
			free(text);
		}
		va_end(copy);
	}
	return pals_libbpf_print_next ?
	       pals_libbpf_print_next(level, format, args) : 0;
}

void pals_hint_register(void)
{
	pals_libbpf_print_next = libbpf_set_print(pals_libbpf_print);
}
