// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pals_attach(): attach where the program's SEC() says, as libbpf's
 * bpf_program__attach() does, with a blob per target.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "elffile.h"
#include "link.h"
#include "log.h"
#include "names.h"
#include "opts.h"

struct pals_auto {
	const struct bpf_program *prog;
	const char *type;
	const void *data;
	size_t size;
	const struct pals_attach_opts *opts;
};

/* The target after "KIND/" if the section @sec is one of @kinds. */
static const char *pals_auto_target(const char *sec, const char *const *kinds)
{
	size_t len;

	for (; *kinds; kinds++) {
		len = strlen(*kinds);
		if (!strncmp(sec, *kinds, len) && sec[len] == '/')
			return sec + len + 1;
	}
	return NULL;
}

/* Sessions, set up by pals_object__prepare(), attach as multi links do. */
static const char *const pals_auto_kmulti[] = {
	"kprobe.multi", "kretprobe.multi", "kprobe.session", NULL,
};
static const char *const pals_auto_umulti[] = {
	"uprobe.multi", "uretprobe.multi", "uprobe.multi.s",
	"uretprobe.multi.s", "uprobe.session", "uprobe.session.s", NULL,
};

/*
 * A multi link over @syms, functions of the kernel or, given @binary, of
 * that file, a blob each; @syms freed. Without fill(), every blob starts
 * as a copy of the one given.
 */
static struct pals_link *pals_auto_multi(const struct pals_auto *a,
					 const char *binary,
					 struct pals_names *syms)
{
	const char **v = (const char **)syms->v;
	const void *data = a->data;
	struct pals_link *pl = NULL;
	char *blobs = NULL;
	size_t i;

	if (a->data && !PALS_OPTS_GET(a->opts, fill, NULL)) {
		blobs = calloc(syms->cnt, a->size);
		if (!blobs) {
			pals_err(-ENOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < syms->cnt; i++)
			memcpy(blobs + i * a->size, a->data, a->size);
		data = blobs;
	}
	if (binary)
		pl = pals_attach_uprobe_multi(a->prog, -1, binary, v,
					      syms->cnt, a->type, data,
					      a->size, a->opts);
	else
		pl = pals_attach_kprobe_multi(a->prog, v, syms->cnt, a->type,
					      data, a->size, a->opts);
out:
	free(blobs);
	pals_names_free(syms);
	return pl;
}

/* kprobe.multi/PATTERN: every matching kernel function. */
static struct pals_link *pals_auto_kprobe_multi(const struct pals_auto *a,
						const char *pattern)
{
	struct pals_names syms = {};

	if (pals_ksym_glob(pattern, &syms))
		return NULL;
	return pals_auto_multi(a, NULL, &syms);
}

/*
 * uprobe.multi/PATH:PATTERN: every matching function of the file, the
 * path ending at the first colon as libbpf has it.
 */
static struct pals_link *pals_auto_uprobe_multi(const struct pals_auto *a,
						char *spec)
{
	char path[PATH_MAX], *pattern = strchr(spec, ':');
	struct pals_names syms = {};

	if (!pattern) {
		pals_err(-EINVAL, "section '%s': PATH:PATTERN expected",
			 bpf_program__section_name(a->prog));
		return NULL;
	}
	*pattern++ = 0;
	if (pals_elf_path(spec, path, sizeof(path)) ||
	    pals_elf_glob(path, pattern, &syms))
		return NULL;
	return pals_auto_multi(a, path, &syms);
}

/* "A:B" or "A:B:C" of @target, cut at colons (@sep) into @parts. */
static bool pals_auto_split(char *target, char sep, char **parts, int n)
{
	int i;

	parts[0] = target;
	for (i = 1; i < n; i++) {
		parts[i] = strchr(parts[i - 1], sep);
		if (!parts[i])
			return false;
		*parts[i]++ = 0;
	}
	return true;
}

static struct pals_link *pals_auto_attach(const struct pals_auto *a,
					  const char *sec, char *spec)
{
	static const char *const kprobe[] = { "kprobe", "kretprobe", NULL };
	static const char *const uprobe[] = { "uprobe", "uretprobe", "uprobe.s",
					      "uretprobe.s", NULL };
	static const char *const tp[] = { "tp", "tracepoint", NULL };
	static const char *const raw_tp[] = { "raw_tp", "raw_tracepoint", NULL };
	static const char *const trace[] = {
		"fentry", "fexit", "fmod_ret", "fentry.s", "fexit.s",
		"fmod_ret.s", "lsm", "lsm.s", "tp_btf", NULL,
	};
	static const char *const usdt[] = { "usdt", NULL };
	char *p[3], *plus;

	if (pals_auto_target(sec, pals_auto_kmulti))
		return pals_auto_kprobe_multi(a, spec);
	if (pals_auto_target(sec, pals_auto_umulti))
		return pals_auto_uprobe_multi(a, spec);
	if (pals_auto_target(sec, trace))
		return pals_attach_trace(a->prog, a->type, a->data, a->size,
					 a->opts);
	if (pals_auto_target(sec, kprobe))
		return pals_attach_kprobe(a->prog, spec, a->type, a->data,
					  a->size, a->opts);
	if (pals_auto_target(sec, raw_tp))
		return pals_attach_raw_tp(a->prog, spec, a->type, a->data,
					  a->size, a->opts);
	if (pals_auto_target(sec, tp) && pals_auto_split(spec, '/', p, 2))
		return pals_attach_tracepoint(a->prog, p[0], p[1], a->type,
					      a->data, a->size, a->opts);
	if (pals_auto_target(sec, usdt) && pals_auto_split(spec, ':', p, 3))
		return pals_attach_usdt(a->prog, -1, p[0], p[1], p[2], a->opts);
	if (pals_auto_target(sec, uprobe) && strrchr(spec, ':')) {
		/* PATH:FUNC[+OFFSET]; the path may hold colons */
		p[1] = strrchr(spec, ':');
		*p[1]++ = 0;
		plus = strchr(p[1], '+');
		if (plus)
			*plus++ = 0;
		return pals_attach_uprobe(a->prog, -1, spec, p[1],
					  plus ? strtoul(plus, NULL, 0) : 0,
					  a->type, a->data, a->size, a->opts);
	}
	pals_err(-EINVAL, "section '%s' names no target PALS attaches to by itself: use a pals_attach_*() call",
		 sec);
	return NULL;
}

struct pals_link *pals_attach(const struct bpf_program *prog, const char *type,
			      const void *data, size_t size,
			      const struct pals_attach_opts *opts)
{
	struct pals_auto a = { prog, type, data, size, opts };
	const char *sec, *target;
	struct pals_link *pl;
	void *buf = NULL;
	char *spec;

	if (!prog || !PALS_OPTS_VALID(opts, pals_attach_opts)) {
		pals_err(-EINVAL, "%s", prog ? "pals_attach_opts: unknown fields set" :
			 "program missing");
		return NULL;
	}
	sec = bpf_program__section_name(prog);
	target = strchr(sec, '/');
	spec = strdup(target ? target + 1 : "");
	if (!spec) {
		pals_err(-ENOMEM, "out of memory");
		return NULL;
	}
	/* One blob: fill() it here, for the section's target. */
	if (!pals_auto_target(sec, pals_auto_kmulti) &&
	    !pals_auto_target(sec, pals_auto_umulti) &&
	    pals_fill_blobs(opts, &a.data, size, 1,
			    (const char *const *)&spec, NULL, &buf)) {
		free(spec);
		return NULL;
	}
	pl = pals_auto_attach(&a, sec, spec);
	free(spec);
	free(buf);
	return pl;
}
