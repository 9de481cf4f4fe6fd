// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracing multi-link (7.x): one fentry, fexit or fsession program over
 * many kernel functions, a cookie each. The installed libbpf may know
 * neither its sections nor its link: libpals teaches libbpf the sections
 * when it is loaded, and creates the link itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/btf.h>

#include "bpf_compat.h"
#include "link.h"
#include "log.h"

static const struct {
	const char *sec;
	int attach_type;
} pals_trace_multi_secs[] = {
	{ "fentry.multi", PALS_TRACE_FENTRY_MULTI },
	{ "fexit.multi", PALS_TRACE_FEXIT_MULTI },
	{ "fsession.multi", PALS_TRACE_FSESSION_MULTI },
};

/* Sections libbpf does not know yet: the kernel takes no attach target. */
__attribute__((constructor)) static void pals_trace_multi_register(void)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, opts);
	enum bpf_attach_type at;
	enum bpf_prog_type pt;
	size_t i;

	for (i = 0; i < sizeof(pals_trace_multi_secs) /
		    sizeof(pals_trace_multi_secs[0]); i++)
		if (libbpf_prog_type_by_name(pals_trace_multi_secs[i].sec,
					     &pt, &at))
			libbpf_register_prog_handler(pals_trace_multi_secs[i].sec,
						     BPF_PROG_TYPE_TRACING,
						     pals_trace_multi_secs[i].attach_type,
						     &opts);
}

static bool pals_is_trace_multi(const struct bpf_program *prog)
{
	int at = bpf_program__expected_attach_type(prog);

	return bpf_program__type(prog) == BPF_PROG_TYPE_TRACING &&
	       (at == PALS_TRACE_FENTRY_MULTI ||
		at == PALS_TRACE_FEXIT_MULTI ||
		at == PALS_TRACE_FSESSION_MULTI);
}

struct pals_trace_multi_args {
	const __u32 *ids;
	const char **funcs;
};

static int pals_trace_multi_fn(const struct bpf_program *prog,
			       const __u64 *cookies, size_t cnt, const void *arg)
{
	const struct pals_trace_multi_args *a = arg;
	union {
		union bpf_attr attr;
		struct pals_link_create_tracing_multi lc;
	} u = {};
	int fd;

	u.lc.prog_fd = bpf_program__fd(prog);
	u.lc.attach_type = bpf_program__expected_attach_type(prog);
	u.lc.ids = (__u64)(unsigned long)a->ids;
	u.lc.cookies = (__u64)(unsigned long)cookies;
	u.lc.cnt = cnt;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &u.attr, sizeof(u));
	if (fd < 0)
		pals_ksym_attach_err(prog, "trace_multi", a->funcs, cnt);
	return fd < 0 ? -errno : fd;
}

/* The vmlinux BTF ids of @funcs, or NULL (error recorded). */
static __u32 *pals_func_ids(const char **funcs, size_t cnt)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	__u32 *ids;
	size_t i;
	int id;

	if (!vmlinux) {
		pals_err(-errno, "loading the kernel's BTF: %s", strerror(errno));
		return NULL;
	}
	ids = calloc(cnt, sizeof(*ids));
	if (!ids)
		pals_err(-ENOMEM, "trace_multi: %s", strerror(ENOMEM));
	for (i = 0; ids && i < cnt; i++) {
		id = btf__find_by_name_kind(vmlinux, funcs[i], BTF_KIND_FUNC);
		if (id < 0) {
			pals_err(-ENOENT, "trace_multi: no function '%s' in the kernel's BTF",
				 funcs[i]);
			free(ids);
			ids = NULL;
		} else {
			ids[i] = id;
		}
	}
	btf__free(vmlinux);
	return ids;
}

struct pals_link *pals_attach_trace_multi(const struct bpf_program *prog,
					  const char **funcs, size_t cnt,
					  const char *type, const void *data,
					  size_t size,
					  const struct pals_attach_opts *opts)
{
	struct pals_trace_multi_args a;
	struct pals_link *pl;
	void *buf;
	__u32 *ids;

	if (!funcs || !cnt) {
		pals_err(-EINVAL, "trace_multi: functions missing");
		return NULL;
	}
	if (!pals_is_trace_multi(prog)) {
		pals_err(-EINVAL, "program '%s' (section '%s') is no fentry.multi, fexit.multi or fsession.multi program",
			 bpf_program__name(prog), bpf_program__section_name(prog));
		return NULL;
	}
	ids = pals_func_ids(funcs, cnt);
	if (!ids)
		return NULL;
	if (pals_fill_blobs(opts, &data, size, cnt, funcs, NULL, &buf)) {
		free(ids);
		return NULL;
	}
	a.ids = ids;
	a.funcs = funcs;
	pl = pals_link_attach_fd(prog, type, data, size, cnt, opts,
				 pals_trace_multi_fn, &a);
	pl = pals_link_targets(pl, funcs, NULL);
	free(buf);
	free(ids);
	return pl;
}
