/* SPDX-License-Identifier: GPL-2.0 */
/* palsctl: what the command files share. */
#ifndef __PALSCTL_H
#define __PALSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <json-c/json.h>

#include "libpals.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_ERR	1
#define EXIT_USAGE	2

/* -j: JSON output; -p: pretty JSON (implies -j). */
extern bool json_output;
extern bool pretty_output;
/* -c: per-CPU blobs shown per CPU, not merged. */
extern bool percpu_output;

/*
 * Report a failure: "Error: TEXT" on stderr, or {"error": "TEXT"} on
 * stdout in JSON mode. Returns EXIT_ERR.
 */
int p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for a wrong command line, with a hint to --help: EXIT_USAGE. */
int p_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report libpals' last failure, the kernel's text when it gave one. */
int p_pals_err(void);

/* Open the netlink context in @ctx: EXIT_OK, or EXIT_ERR reported. */
int ctx_open(struct pals_ctx **ctx);

/* Print @obj as JSON (pretty with -p) on stdout and put it. */
void json_print(struct json_object *obj);
/* "0x..." of a handle, in a static buffer. */
const char *handle_str(__u64 handle);

/*
 * Commands taking exactly one HANDLE: check the arguments left after the
 * command name (@argc of them; @extra_ok more are allowed), parse the
 * handle (any strtoull base) and open the netlink context. Returns
 * EXIT_OK, or the status to exit with after reporting why.
 */
int handle_args(int argc, char **argv, int extra_ok, __u64 *handle,
		struct pals_ctx **ctx);

/* Commands: argc/argv start after the command name; return an EXIT_*. */
int do_list(int argc, char **argv);
int do_show(int argc, char **argv);
int do_update(int argc, char **argv);
int do_delete(int argc, char **argv);
int do_pin(int argc, char **argv);
int do_unpin(int argc, char **argv);
int do_stats(int argc, char **argv);

/* What the kernel tells about a blob's program and link (info.c). */
struct blob_desc {
	char prog_name[16];	/* BPF_OBJ_NAME_LEN; "-" if unknown */
	const struct btf *btf;	/* the program's BTF, or NULL */
	char type_name[128];	/* "struct foo", a typedef name, or "-" */
	char link_kind[32];	/* "perf_event", ... or "-" */
	char link_target[256];	/* "kprobe:do_sys_openat2", ... or "-" */
};

/* Fill @d for @info; what cannot be learnt is "-" (or NULL). */
void blob_describe(const struct pals_blob_info *info, struct blob_desc *d);
/* The description of a blob as a JSON object (list.c). */
struct json_object *blob_json(const struct pals_blob_info *info,
			      const struct blob_desc *d);
/*
 * The target of the blob with @handle on kprobe_multi or uprobe_multi
 * link @link_id (open as @fd, @info its first info) into @buf, a
 * uprobe_multi place named by the function starting there if @names:
 * false if the link does not tell (multi.c).
 */
struct bpf_link_info;
bool multi_target(int fd, const struct bpf_link_info *info, __u32 link_id,
		  __u64 handle, bool names, char *buf, size_t len);
void multi_cleanup(void);
/* Free the BTFs blob_describe() loaded and keeps for later calls. */
void info_cleanup(void);

/*
 * The value of @size bytes at @data, of BTF type @type_id, as JSON
 * (btf_json.c): NULL if @size is not the type's size.
 */
struct json_object *btf_json_value(const struct btf *btf, __u32 type_id,
				   const void *data, size_t size);

/*
 * Print the value on stdout as libbpf's btf_dump does (btf_text.c): 0,
 * or a negative errno (-EINVAL if @size is not the type's size).
 */
int btf_text_print(const struct btf *btf, __u32 type_id, const void *data,
		   size_t size);

/* The largest member a ".member=value" argument sets, in bytes. */
#define PALSCTL_VALUE_MAX	4096

/*
 * Parse @expr, ".member=value" (members nest, arrays take [index]), for
 * BTF type @type_id: the member's offset in *@off and the value's bytes
 * in @buf (PALSCTL_VALUE_MAX of room), *@size of them. Returns EXIT_OK,
 * or the status to exit with after reporting why.
 */
int btf_assign(const struct btf *btf, __u32 type_id, const char *expr,
	       __u32 *off, __u8 *buf, __u32 *size);

/* Is type @id a char (through typedefs and qualifiers)? */
bool btf_is_char(const struct btf *btf, __u32 id);
/* A NUL-terminated string of printable characters fills @s[0..@n). */
bool btf_is_string(const __u8 *s, __u32 n);

/* @nbits (at most 64) bits of @data from bit @bit_off, little-endian. */
__u64 btf_bits(const void *data, __u32 bit_off, __u32 nbits);

/*
 * percpu.c: show a per-CPU blob's @bytes, merged or (-c) per CPU, as text
 * or (@obj not NULL) into @obj's JSON. An EXIT_* status.
 */
int percpu_show(struct json_object *obj, const struct pals_blob_info *info,
		const struct blob_desc *d, const __u8 *data, size_t bytes);

#endif /* __PALSCTL_H */
