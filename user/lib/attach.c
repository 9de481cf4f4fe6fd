// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* pals_attach_*(): libbpf's attach calls, with a blob per cookie. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "log.h"
#include "opts.h"
#include "session.h"

/* The return side: asked for, or implied by a k/uretprobe* section. */
static bool pals_retprobe(const struct bpf_program *prog,
			  const struct pals_attach_opts *opts)
{
	const char *sec = bpf_program__section_name(prog);

	return PALS_OPTS_GET(opts, retprobe, false) ||
	       !strncmp(sec, "kretprobe", 9) || !strncmp(sec, "uretprobe", 9);
}

/*
 * A session link: asked for, or implied by a program loaded as a session
 * program. Either needs the program loaded so (pals_object__prepare()).
 */
static bool pals_session(const struct bpf_program *prog,
			 const struct pals_attach_opts *opts)
{
	return PALS_OPTS_GET(opts, session, false) || pals_session_type(prog);
}

/* The two links a _multi attach call can make, and the call's kind. */
struct pals_multi_kind {
	const char *name;		/* for pals_attach_check_kind() */
	pals_attach_fn multi;		/* a kprobe_multi or uprobe_multi link */
	pals_attach_fd_fn session;	/* a session link, libbpf having none */
};

/*
 * pals_attach_{k,u}probe_multi() once their arguments are checked: @cnt
 * blobs, filled per target (@syms[i] or @offsets[i]) if opts->fill asks,
 * bound to the session or multi link @kind makes from @arg.
 */
static struct pals_link *pals_attach_multi(const struct bpf_program *prog,
					   const struct pals_multi_kind *kind,
					   const void *arg, const char **syms,
					   const unsigned long *offsets,
					   size_t cnt, const char *type,
					   const void *data, size_t size,
					   const struct pals_attach_opts *opts)
{
	struct pals_link *pl;
	void *buf;

	if (pals_attach_check_kind(prog, true, kind->name) ||
	    pals_fill_blobs(opts, &data, size, cnt, syms, offsets, &buf))
		return NULL;
	if (pals_session(prog, opts))
		pl = pals_link_attach_fd(prog, type, data, size, cnt, opts,
					 kind->session, arg);
	else
		pl = pals_link_attach(prog, type, data, size, cnt, opts,
				      kind->multi, arg);
	pl = pals_link_targets(pl, syms, offsets);
	free(buf);
	return pl;
}

struct pals_kprobe_args {
	const char *func;
	const char **syms;
	bool retprobe;
	__u32 max_active;
};

static struct bpf_link *pals_kprobe_fn(const struct bpf_program *prog,
				       const __u64 *cookies, size_t cnt,
				       const void *arg)
{
	const struct pals_kprobe_args *a = arg;
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .bpf_cookie = cookies[0],
		    .retprobe = a->retprobe);
	struct bpf_link *link;

	(void)cnt;
	link = bpf_program__attach_kprobe_opts(prog, a->func, &opts);
	if (!link)
		pals_attach_err(prog, errno == ENOENT || errno == EINVAL ?
				PALS_NOT_TRACEABLE : NULL, "kprobe '%s'", a->func);
	return link;
}

struct pals_link *pals_attach_kprobe(const struct bpf_program *prog,
				     const char *func, const char *type,
				     const void *data, size_t size,
				     const struct pals_attach_opts *opts)
{
	struct pals_kprobe_args a = {
		.func = func, .retprobe = pals_retprobe(prog, opts),
	};

	if (pals_attach_check_kind(prog, false, "kprobe"))
		return NULL;
	return pals_link_targets(pals_link_attach(prog, type, data, size, 1,
						  opts, pals_kprobe_fn, &a),
				 &func, NULL);
}

static struct bpf_link *pals_kprobe_multi_fn(const struct bpf_program *prog,
					     const __u64 *cookies, size_t cnt,
					     const void *arg)
{
	const struct pals_kprobe_args *a = arg;
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = a->syms,
		    .cookies = cookies, .cnt = cnt, .retprobe = a->retprobe);
	struct bpf_link *link;

	link = bpf_program__attach_kprobe_multi_opts(prog, NULL, &opts);
	if (!link)
		pals_ksym_attach_err(prog, "kprobe_multi", a->syms, cnt);
	return link;
}

static int pals_kprobe_session_fn(const struct bpf_program *prog,
				  const __u64 *cookies, size_t cnt,
				  const void *arg)
{
	const struct pals_kprobe_args *a = arg;

	return pals_kprobe_session_link(prog, a->syms, cookies, cnt,
					a->max_active);
}

struct pals_link *pals_attach_kprobe_multi(const struct bpf_program *prog,
					   const char **syms, size_t cnt,
					   const char *type, const void *data,
					   size_t size,
					   const struct pals_attach_opts *opts)
{
	static const struct pals_multi_kind kind = {
		"kprobe", pals_kprobe_multi_fn, pals_kprobe_session_fn,
	};
	struct pals_kprobe_args a = {
		.syms = syms, .retprobe = pals_retprobe(prog, opts),
		.max_active = PALS_OPTS_GET(opts, max_active, 0),
	};

	if (!syms) {
		pals_err(-EINVAL, "kprobe_multi: symbols missing");
		return NULL;
	}
	return pals_attach_multi(prog, &kind, &a, syms, NULL, cnt, type, data,
				 size, opts);
}

struct pals_uprobe_args {
	pid_t pid;
	const char *binary;
	const char *func_name;
	size_t offset;
	const char **syms;
	const unsigned long *offsets;
	bool retprobe;
};

static struct bpf_link *pals_uprobe_fn(const struct bpf_program *prog,
				       const __u64 *cookies, size_t cnt,
				       const void *arg)
{
	const struct pals_uprobe_args *a = arg;
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = cookies[0],
		    .retprobe = a->retprobe, .func_name = a->func_name);
	struct bpf_link *link;

	(void)cnt;
	link = bpf_program__attach_uprobe_opts(prog, a->pid, a->binary,
					       a->offset, &opts);
	if (!link)
		pals_attach_err(prog, errno == ENOENT ?
				"no such file, or no such symbol in it" : NULL,
				"uprobe '%s:%s+%#zx'", a->binary,
				a->func_name ? a->func_name : "", a->offset);
	return link;
}

struct pals_link *pals_attach_uprobe(const struct bpf_program *prog, pid_t pid,
				     const char *binary, const char *func_name,
				     size_t offset, const char *type,
				     const void *data, size_t size,
				     const struct pals_attach_opts *opts)
{
	struct pals_uprobe_args a = {
		.pid = pid, .binary = binary, .func_name = func_name,
		.offset = offset, .retprobe = pals_retprobe(prog, opts),
	};

	if (pals_attach_check_kind(prog, false, "uprobe"))
		return NULL;
	return pals_link_targets(pals_link_attach(prog, type, data, size, 1,
						  opts, pals_uprobe_fn, &a),
				 func_name ? &func_name : NULL,
				 func_name ? NULL : &offset);
}

static struct bpf_link *pals_uprobe_multi_fn(const struct bpf_program *prog,
					     const __u64 *cookies, size_t cnt,
					     const void *arg)
{
	const struct pals_uprobe_args *a = arg;
	LIBBPF_OPTS(bpf_uprobe_multi_opts, opts, .syms = a->syms,
		    .offsets = a->offsets, .cookies = cookies, .cnt = cnt,
		    .retprobe = a->retprobe);
	struct bpf_link *link;

	link = bpf_program__attach_uprobe_multi(prog, a->pid, a->binary, NULL,
						&opts);
	if (!link)
		pals_attach_err(prog, errno == ENOENT ?
				"no such file, or a symbol is not in it" : NULL,
				"uprobe_multi over %zu places in '%s'", cnt,
				a->binary);
	return link;
}

static int pals_uprobe_session_fn(const struct bpf_program *prog,
				  const __u64 *cookies, size_t cnt,
				  const void *arg)
{
	const struct pals_uprobe_args *a = arg;

	return pals_uprobe_session_link(prog, a->pid, a->binary, a->syms,
					a->offsets, cookies, cnt);
}

struct pals_link *pals_attach_uprobe_multi(const struct bpf_program *prog,
					   pid_t pid, const char *binary,
					   const char **syms, size_t cnt,
					   const char *type, const void *data,
					   size_t size,
					   const struct pals_attach_opts *opts)
{
	static const struct pals_multi_kind kind = {
		"uprobe", pals_uprobe_multi_fn, pals_uprobe_session_fn,
	};
	struct pals_uprobe_args a = {
		.pid = pid, .binary = binary, .syms = syms,
		.offsets = PALS_OPTS_GET(opts, offsets, NULL),
		.retprobe = pals_retprobe(prog, opts),
	};

	if (!a.syms == !a.offsets) {
		pals_err(-EINVAL, "uprobe_multi: give either symbols or opts->offsets");
		return NULL;
	}
	return pals_attach_multi(prog, &kind, &a, syms, a.offsets, cnt, type,
				 data, size, opts);
}

struct pals_tracepoint_args {
	const char *category;
	const char *name;
};

static struct bpf_link *pals_tracepoint_fn(const struct bpf_program *prog,
					   const __u64 *cookies, size_t cnt,
					   const void *arg)
{
	const struct pals_tracepoint_args *a = arg;
	LIBBPF_OPTS(bpf_tracepoint_opts, opts, .bpf_cookie = cookies[0]);
	struct bpf_link *link;

	(void)cnt;
	link = bpf_program__attach_tracepoint_opts(prog, a->category, a->name,
						   &opts);
	if (!link)
		pals_attach_err(prog, errno == ENOENT ?
				"no such tracepoint: see tracefs' events/" : NULL,
				"tracepoint '%s/%s'", a->category, a->name);
	return link;
}

struct pals_link *pals_attach_tracepoint(const struct bpf_program *prog,
					 const char *category, const char *name,
					 const char *type, const void *data,
					 size_t size,
					 const struct pals_attach_opts *opts)
{
	struct pals_tracepoint_args a = { category, name };

	return pals_link_attach(prog, type, data, size, 1, opts,
				pals_tracepoint_fn, &a);
}

static struct bpf_link *pals_raw_tp_fn(const struct bpf_program *prog,
				       const __u64 *cookies, size_t cnt,
				       const void *arg)
{
	LIBBPF_OPTS(bpf_raw_tracepoint_opts, opts, .cookie = cookies[0]);
	struct bpf_link *link;

	(void)cnt;
	link = bpf_program__attach_raw_tracepoint_opts(prog, arg, &opts);
	if (!link)
		pals_attach_err(prog, errno == ENOENT ? "no such tracepoint" : NULL,
				"raw tracepoint '%s'", (const char *)arg);
	return link;
}

struct pals_link *pals_attach_raw_tp(const struct bpf_program *prog,
				     const char *tp_name, const char *type,
				     const void *data, size_t size,
				     const struct pals_attach_opts *opts)
{
	return pals_link_attach(prog, type, data, size, 1, opts,
				pals_raw_tp_fn, tp_name);
}

static struct bpf_link *pals_trace_fn(const struct bpf_program *prog,
				      const __u64 *cookies, size_t cnt,
				      const void *arg)
{
	LIBBPF_OPTS(bpf_trace_opts, opts, .cookie = cookies[0]);
	struct bpf_link *link;

	(void)cnt;
	(void)arg;
	link = bpf_program__attach_trace_opts(prog, &opts);
	if (!link)
		pals_attach_err(prog, NULL, "'%s'",
				bpf_program__section_name(prog));
	return link;
}

struct pals_link *pals_attach_trace(const struct bpf_program *prog,
				    const char *type, const void *data,
				    size_t size,
				    const struct pals_attach_opts *opts)
{
	return pals_link_attach(prog, type, data, size, 1, opts,
				pals_trace_fn, NULL);
}

static struct bpf_link *pals_perf_event_fn(const struct bpf_program *prog,
					   const __u64 *cookies, size_t cnt,
					   const void *arg)
{
	LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = cookies[0]);
	struct bpf_link *link;

	(void)cnt;
	link = bpf_program__attach_perf_event_opts(prog, *(const int *)arg,
						   &opts);
	if (!link)
		pals_attach_err(prog, NULL, "perf event fd %d",
				*(const int *)arg);
	return link;
}

struct pals_link *pals_attach_perf_event(const struct bpf_program *prog,
					 int pfd, const char *type,
					 const void *data, size_t size,
					 const struct pals_attach_opts *opts)
{
	return pals_link_attach(prog, type, data, size, 1, opts,
				pals_perf_event_fn, &pfd);
}
