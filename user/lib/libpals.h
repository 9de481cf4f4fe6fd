/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libpals: userspace side of PALS, per-attach local storage for BPF.
 *
 *	#include <pals/libpals.h>	cc ... $(pkg-config --cflags --libs libpals)
 *
 * Errors: functions returning int give 0 or a negative errno and also set
 * errno; functions returning a pointer give NULL and set errno. The text
 * of the last failure in the calling thread, the kernel's extended ack
 * when it gave one, is returned by pals_last_error() and also passed to
 * the print callback (see pals_set_print()).
 *
 * A struct pals_ctx owns one netlink socket. Blobs created through it
 * belong to that socket and are destroyed when it is closed (including
 * on process exit), unless pinned. A context may be shared by threads:
 * its requests are serialised. The attach calls use the context given in
 * their opts or, when none is, the library's default context, opened on
 * first use and closed only at process exit.
 */
#ifndef __LIBPALS_H
#define __LIBPALS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBPALS_API __attribute__((visibility("default")))

/* Declare and zero-initialise an opts struct, setting its sz. */
#define PALS_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE) {						\
			.sz = sizeof(struct TYPE),			\
			__VA_ARGS__					\
		};							\
	})

struct pals_ctx;

/*
 * Where a context keeps blobs: in pals.ko, or, where the module is absent,
 * in a map of each BPF object that libpals sizes and fills (the map
 * fallback: the same programs, see pals_object__prepare()). AUTO takes
 * $PALS_MODE ("module", "fallback" or "auto") if set, else the module if
 * it is loaded or loads, else the fallback with a notice at PALS_INFO
 * naming why. MODULE fails where the module is absent. The fallback
 * cannot pin blobs past the process or show them to palsctl: those
 * calls fail with -EOPNOTSUPP.
 */
enum pals_mode {
	PALS_MODE_AUTO,
	PALS_MODE_MODULE,
	PALS_MODE_FALLBACK,
};

struct pals_ctx_opts {
	size_t sz;
	enum pals_mode mode;
	size_t :0;
};
#define pals_ctx_opts__last_field mode

enum pals_print_level {
	PALS_WARN,
	PALS_INFO,
	PALS_DEBUG,
};

typedef int (*pals_print_fn_t)(enum pals_print_level level,
			       const char *format, va_list args);

/*
 * Route the library's messages (one line per failure, at PALS_WARN) to
 * @fn, or silence them with NULL; returns the previous callback. The
 * default prints PALS_WARN messages to stderr, as libbpf does.
 */
LIBPALS_API pals_print_fn_t pals_set_print(pals_print_fn_t fn);

/*
 * The text of the calling thread's last failure ("" if none), for
 * example "PALS_A_DATA: 60 bytes, but the blob has 64". Valid until the
 * thread's next failing libpals call.
 */
LIBPALS_API const char *pals_last_error(void);

/*
 * Open a netlink socket to the pals module, which the kernel loads if it
 * is installed but not loaded yet. NULL + errno on failure; when the
 * module cannot be loaded, errno is ENOENT and pals_last_error() says so.
 */
LIBPALS_API struct pals_ctx *pals_ctx__new(const struct pals_ctx_opts *opts);
/*
 * Close the socket: every unpinned blob it created is destroyed. Destroy
 * the pals_links made through @ctx first: they use it.
 */
LIBPALS_API void pals_ctx__free(struct pals_ctx *ctx);
/*
 * The library's default context, opened on first call and shared by the
 * whole process; NULL + errno if it cannot be opened. Never free it.
 */
LIBPALS_API struct pals_ctx *pals_ctx__default(void);
/* The mode @ctx runs in: PALS_MODE_MODULE or PALS_MODE_FALLBACK. */
LIBPALS_API enum pals_mode pals_ctx__mode(const struct pals_ctx *ctx);
/*
 * The mode of the default context (and so of pals_object__prepare() and
 * the attach calls without a context), before it is opened: 0, -EINVAL.
 */
LIBPALS_API int pals_set_mode(enum pals_mode mode);
/*
 * Make sure pals.ko is loaded, loading it if it is installed, for a BPF
 * object loaded without pals_object__prepare(), whose kfunc reference
 * cannot be resolved without the module (prepared objects run without
 * it, on the map fallback). Opens the default context. 0, or
 * a negative errno (-ENOENT: "pals.ko is not loaded and could not be
 * loaded ..." in pals_last_error()).
 */
LIBPALS_API int pals_module__probe(void);

struct pals_create_opts {
	size_t sz;
	__u32 flags;		/* PALS_F_* from <pals/uapi.h> */
	size_t :0;
};
#define pals_create_opts__last_field flags

/*
 * Create a blob for the program @prog_fd holding @size bytes of @data
 * (NULL: zeros), typed by BTF type @type_id of the program's BTF, taken
 * as it is (pals_type_id() checks a name). Its handle, to pass as the BPF
 * cookie, is stored in @handle.
 */
LIBPALS_API int pals_ctx__create(struct pals_ctx *ctx, int prog_fd,
				 __u32 type_id, const void *data, size_t size,
				 const struct pals_create_opts *opts,
				 __u64 *handle);
/* Tie the blob to a link of its program: they live and die together. */
LIBPALS_API int pals_ctx__bind(struct pals_ctx *ctx, __u64 handle,
			       int link_fd);
/* Replace the blob's bytes atomically; @size must be the blob's size. */
LIBPALS_API int pals_ctx__update(struct pals_ctx *ctx, __u64 handle,
				 const void *data, size_t size);
LIBPALS_API int pals_ctx__delete(struct pals_ctx *ctx, __u64 handle);

/*
 * Batches, as many blobs per request as the socket's send buffer takes.
 *
 * pals_ctx__create_batch() creates @cnt blobs of @size bytes for
 * @prog_fd, the i-th from @data + i * @size, and stores their handles in
 * @handles[0..@cnt). All or nothing: on failure no blob is left, and
 * pals_last_error() names the failing blob ("PALS_A_ELEM 17: ...").
 * -ENOSPC if the module's slot table or byte cap cannot hold them all.
 */
LIBPALS_API int pals_ctx__create_batch(struct pals_ctx *ctx, int prog_fd,
				       __u32 type_id, const void *data,
				       size_t size, size_t cnt,
				       const struct pals_create_opts *opts,
				       __u64 *handles);
/*
 * Bind every listed blob to the link @link_fd. Within a request, all or
 * nothing; a list longer than one request (tens of thousands of
 * handles) may be bound in part on failure: delete the blobs then.
 */
LIBPALS_API int pals_ctx__bind_batch(struct pals_ctx *ctx,
				     const __u64 *handles, size_t cnt,
				     int link_fd);
/* Delete every listed blob; as pals_ctx__bind_batch() for failures. */
LIBPALS_API int pals_ctx__delete_batch(struct pals_ctx *ctx,
				       const __u64 *handles, size_t cnt);
/*
 * Delete, in one request, @ctx's unpinned blobs bound to the link with
 * id @link_id (every socket's with CAP_SYS_ADMIN) and drop their
 * references on it: the link is released if nothing else holds it.
 * Returns the number deleted, or a negative errno (-ENOENT: none).
 */
LIBPALS_API int pals_ctx__delete_link(struct pals_ctx *ctx, __u32 link_id);
LIBPALS_API int pals_ctx__pin(struct pals_ctx *ctx, __u64 handle);
/*
 * Unpin: the blob dies with its owner socket again or, if that one is
 * gone, it now belongs to @ctx's socket and dies with it.
 */
LIBPALS_API int pals_ctx__unpin(struct pals_ctx *ctx, __u64 handle);

struct pals_blob_info {
	__u64 handle;
	__u32 prog_id;
	__u32 link_id;		/* 0 when not bound */
	__u32 type_id;
	__u32 size;
	__u32 owner_pid;
	__u32 flags;		/* PALS_F_* */
};

/*
 * Read a blob's description into @info and, if @data is not NULL, up to
 * @size of its bytes (a snapshot; programs may be writing concurrently).
 */
LIBPALS_API int pals_ctx__get(struct pals_ctx *ctx, __u64 handle,
			      struct pals_blob_info *info,
			      void *data, size_t size);

typedef int (*pals_blob_cb)(const struct pals_blob_info *info, void *arg);

/* Call @cb for every blob; a non-zero return stops and is returned. */
LIBPALS_API int pals_ctx__for_each(struct pals_ctx *ctx, pals_blob_cb cb,
				   void *arg);

/*
 * Write @size bytes of @data into the live blob at @offset, in place: the
 * rest of the blob (counters a program keeps, say) stays as it is. Like an
 * ARRAY map update, not atomic against programs, which may see part of
 * it; pals_ctx__update() replaces a whole blob atomically.
 */
LIBPALS_API int pals_ctx__write(struct pals_ctx *ctx, __u64 handle,
				size_t offset, const void *data, size_t size);
/* Copy @size bytes of the blob from @offset (a snapshot) into @data. */
LIBPALS_API int pals_ctx__read(struct pals_ctx *ctx, __u64 handle,
			       size_t offset, void *data, size_t size);

typedef int (*pals_data_cb)(__u64 handle, const void *data, size_t size,
			    void *arg);

/*
 * Call @cb with the bytes of every blob bound to link @link_id (0: of
 * every blob), read in one request; a non-zero return stops and is
 * returned.
 */
LIBPALS_API int pals_ctx__read_link(struct pals_ctx *ctx, __u32 link_id,
				    pals_data_cb cb, void *arg);

struct pals_stats {
	__u64 blobs;
	__u64 bytes;
	__u64 creates;
	__u64 deletes;
	__u64 misses;		/* kfunc calls that got NULL (hits: not counted) */
	__u64 max_size;
	__u64 max_bytes;
	__u64 overhead;		/* kernel bytes per blob besides its data */
	__u64 slots;		/* slot table capacity */
};

LIBPALS_API int pals_ctx__stats(struct pals_ctx *ctx, struct pals_stats *st);

/*
 * Per-CPU blobs (PALS_F_PERCPU in the create or attach flags): one copy of
 * the type per possible CPU; the program takes its CPU's with
 * pals_get_percpu(). As a PERCPU_ARRAY value in libbpf, their bytes (what
 * read, get, read_all, update and write take) are every possible CPU's
 * copy in CPU order, each padded to 8 bytes: pals_percpu__bytes() of
 * them. Create and update also take a single copy of the type, which
 * every CPU's copy then starts with. A pals_link's blob size is that of
 * the bytes.
 */
struct btf;

/* The bytes of a per-CPU blob of a @size-byte type, or a negative errno. */
LIBPALS_API ssize_t pals_percpu__bytes(size_t size);

/* Told the path ("hist[3]", "s.name") of each member that is not summed. */
typedef void (*pals_unsummed_fn)(const char *member, void *ctx);

struct pals_sum_opts {
	size_t sz;
	pals_unsummed_fn unsummed;
	void *ctx;
	size_t :0;
};
#define pals_sum_opts__last_field ctx

/*
 * Merge the @bytes of a per-CPU blob of type @type_id in @btf into one
 * copy of the type at @sum: integers are summed (wrapping, as the
 * program's would); what has no sum (unions, pointers, enums, floats,
 * bools, chars, bit fields) keeps CPU 0's value and is named to
 * opts->unsummed. Returns the number of such members, or a negative
 * errno.
 */
LIBPALS_API int pals_percpu__sum(const struct btf *btf, __u32 type_id,
				 const void *percpu, size_t bytes, void *sum,
				 const struct pals_sum_opts *opts);

struct bpf_object;
struct bpf_program;
struct bpf_link;

/*
 * The BTF type id of @type in @prog's object, checked to be a struct or
 * union (through typedefs and qualifiers) of exactly @size bytes that the
 * program asks bpf_pals_get() for. @type is "struct X", "union X", or a
 * bare name looked up among all types (a typedef's, or a struct's or
 * union's when no type before it has that name); NULL: the one type the
 * program asks for. The object must be loaded.
 *
 * The blob is handed to the program only if the program asks for this
 * very type (a typedef and the struct it names are different types), so
 * libpals reads the type ids the loaded program passes to bpf_pals_get()
 * from its instructions and refuses any other: "program 'p' asks for
 * 'struct a', not 'a_t': ...". Where the instructions do not tell (hidden
 * without CAP_BPF, constants blinded), a named type is taken as it is.
 *
 * Returns the id, or a negative errno: -ENOENT if the object's BTF has no
 * such type or the program never calls pals_get(), -EINVAL if it is not a
 * struct or union, not one the program asks for (or it asks for several
 * and @type is NULL), or its size differs from @size.
 */
LIBPALS_API int pals_type_id(const struct bpf_program *prog, const char *type,
			     size_t size);

/*
 * Fill the @size bytes of blob @idx, attached at @target (a function or
 * symbol name, a tracepoint, "0x..." for a file offset), from ctx
 * opts->fill_ctx: 0, or a negative errno that fails the attach.
 */
typedef int (*pals_fill_fn)(void *blob, size_t size, size_t idx,
			    const char *target, void *ctx);

/*
 * Options of every pals_attach_*() call. Fields a kind does not use must
 * be zero.
 */
struct pals_attach_opts {
	size_t sz;
	/* Context owning the blobs; NULL: pals_ctx__default(). */
	struct pals_ctx *ctx;
	/* PALS_F_* for every blob of the attachment. */
	__u32 flags;
	/*
	 * kprobe, uprobe, kprobe_multi, uprobe_multi: attach to the return.
	 * Programs in a "kretprobe*" or "uretprobe*" section always do.
	 */
	bool retprobe;
	/* uprobe_multi: offsets in the binary instead of symbol names. */
	const unsigned long *offsets;
	/* usdt: the value pals_usdt_cookie() gives the program. */
	__u64 usdt_cookie;
	/*
	 * kprobe_multi, uprobe_multi: a session link (as libbpf's
	 * bpf_kprobe_multi_opts.session): the program runs at entry and
	 * return. Implied for programs loaded as session programs, see
	 * pals_object__prepare().
	 */
	bool session;
	/*
	 * kprobe_multi session links: follow at least this many calls in
	 * flight at once (0: the kernel's default). Kernels before 6.14
	 * keep 2 return slots per CPU per address of the link and miss
	 * calls beyond that (pals_link__fd() and bpf_link_get_info_by_fd()
	 * count them: kprobe_multi.missed); libpals then repeats each
	 * address in the link as often as needed, which costs the kernel
	 * one more step of its cookie search per doubling.
	 */
	__u32 max_active;
	/*
	 * Fill each blob for its target: the call's @data is then one blob
	 * (or NULL: zeros) copied into every blob before fill() adjusts it.
	 * The blob size must be given. See pals_fill_fn.
	 */
	pals_fill_fn fill;
	void *fill_ctx;
	/*
	 * usdt: each site's blob type, a struct of the tool's whose first
	 * member is struct pals_usdt_spec (NULL: that struct alone).
	 * libpals writes the site's spec there and zeros the rest, which
	 * opts->fill may then fill per site (its target: "0x" and the
	 * site's file offset). The program gets the struct with
	 * pals_get(ctx, T) and reads arguments through its spec member
	 * with pals_usdt_spec_arg() (bpf/pals_usdt.bpf.h); pals_link__read()
	 * and the other calls take the whole struct.
	 */
	const char *usdt_type;
	size_t :0;
};
#define pals_attach_opts__last_field usdt_type

/*
 * An attachment: one bpf_link and its blob(s), which live and die
 * together. Every pals_attach_*() call takes the loaded program, where to
 * attach, the blob's type (NULL: the one the program asks for, or its
 * name, see pals_type_id()) and the blob's initial bytes (NULL: zeros;
 * @size 0 with NULL data: the type's size), creates the blob(s),
 * attaches with each blob's handle as the BPF cookie and binds the
 * blob(s) to the link. On failure nothing is left behind and NULL is
 * returned with errno set; pals_last_error() names the program, the
 * target and what to do.
 */
struct pals_link;

LIBPALS_API struct pals_link *
pals_attach_kprobe(const struct bpf_program *prog, const char *func,
		   const char *type, const void *data, size_t size,
		   const struct pals_attach_opts *opts);

/*
 * @pid: 0 for this process, -1 for all. @func_name: a symbol of @binary
 * (an ELF path, or a library name looked up as libbpf does), @offset
 * then being relative to it; NULL to attach at @offset in the file.
 */
LIBPALS_API struct pals_link *
pals_attach_uprobe(const struct bpf_program *prog, pid_t pid,
		   const char *binary, const char *func_name, size_t offset,
		   const char *type, const void *data, size_t size,
		   const struct pals_attach_opts *opts);

LIBPALS_API struct pals_link *
pals_attach_tracepoint(const struct bpf_program *prog, const char *category,
		       const char *name, const char *type, const void *data,
		       size_t size, const struct pals_attach_opts *opts);

LIBPALS_API struct pals_link *
pals_attach_raw_tp(const struct bpf_program *prog, const char *tp_name,
		   const char *type, const void *data, size_t size,
		   const struct pals_attach_opts *opts);

/*
 * fentry, fexit, fmod_ret, LSM and tp_btf programs: the attach point is
 * the one the program was loaded for (its SEC() or
 * bpf_program__set_attach_target()).
 */
LIBPALS_API struct pals_link *
pals_attach_trace(const struct bpf_program *prog, const char *type,
		  const void *data, size_t size,
		  const struct pals_attach_opts *opts);

/*
 * The tracing multi-link (Linux 7.x): a SEC("fentry.multi"),
 * SEC("fexit.multi") or SEC("fsession.multi") program over @cnt kernel
 * functions @funcs (names in the kernel's BTF), with one blob each:
 * @data holds @cnt blobs of @size bytes, the i-th for @funcs[i], or
 * with opts->fill one that every blob starts as; pals_link__find()
 * takes the function names. libpals registers those section names with
 * libbpf when it is loaded, if libbpf does not know them; loading such
 * a program fails on kernels without the multi-link (6.12). libpals
 * makes the link itself: pals_link__bpf_link() is NULL, pals_link__fd()
 * is the link.
 */
LIBPALS_API struct pals_link *
pals_attach_trace_multi(const struct bpf_program *prog, const char **funcs,
			size_t cnt, const char *type, const void *data,
			size_t size, const struct pals_attach_opts *opts);

/* @pfd: an open perf event; the attachment owns it from then on. */
LIBPALS_API struct pals_link *
pals_attach_perf_event(const struct bpf_program *prog, int pfd,
		       const char *type, const void *data, size_t size,
		       const struct pals_attach_opts *opts);

/*
 * One link over @cnt kernel functions @syms, with one blob each: @data
 * holds @cnt blobs of @size bytes, the i-th for @syms[i] (NULL: zeros),
 * or, with opts->fill, one that every blob starts as.
 */
LIBPALS_API struct pals_link *
pals_attach_kprobe_multi(const struct bpf_program *prog, const char **syms,
			 size_t cnt, const char *type, const void *data,
			 size_t size, const struct pals_attach_opts *opts);

/*
 * One link over @cnt places in @binary, with one blob each: @syms names
 * them, or, if @syms is NULL, opts->offsets gives their file offsets.
 * @data holds @cnt blobs of @size bytes, the i-th for the i-th place,
 * or one as with pals_attach_kprobe_multi().
 */
LIBPALS_API struct pals_link *
pals_attach_uprobe_multi(const struct bpf_program *prog, pid_t pid,
			 const char *binary, const char **syms, size_t cnt,
			 const char *type, const void *data, size_t size,
			 const struct pals_attach_opts *opts);

/*
 * Every site of the USDT probe @provider:@name in @binary (a path, or a
 * name looked up as libbpf does: a library in LD_LIBRARY_PATH and the
 * system's library directories, a program in PATH), as libbpf's
 * bpf_program__attach_usdt(): @pid 0 for this process, -1 for all, and a
 * shared library is traced in every process that maps it. Semaphores are
 * counted up by the kernel while attached (uprobe ref_ctr_offset).
 *
 * One uprobe_multi link with one blob per site, of type "struct
 * pals_usdt_spec" (bpf/pals_usdt.h), holding the site's argument spec and
 * opts->usdt_cookie, or of the tool's opts->usdt_type, a struct that
 * begins with it and carries the tool's own data per site: @prog reads them with bpf/pals_usdt.bpf.h, and its
 * section must be "usdt" (or "uprobe.multi"). Where the kernel has no
 * uprobe_multi links (before 6.6; libbpf then loads a "usdt" program as
 * a plain uprobe one), or for a "uprobe" program, a uprobe link per site
 * instead, as libbpf does: two file descriptors a site (EMFILE: raise
 * RLIMIT_NOFILE), the blobs bound to the first site's link, which
 * pals_link__fd() and pals_link__bpf_link() give; pals_link__destroy()
 * detaches every site. pals_link__cnt() is the
 * number of sites; a site's blob may be read, or rewritten (a new cookie),
 * with pals_link__read() and pals_link__update(). The number of sites and
 * of distinct specs is limited by memory only. x86-64 only.
 */
LIBPALS_API struct pals_link *
pals_attach_usdt(const struct bpf_program *prog, pid_t pid, const char *binary,
		 const char *provider, const char *name,
		 const struct pals_attach_opts *opts);

/*
 * Attach @prog where its SEC() says, as bpf_program__attach() does:
 * kprobe/FUNC, kretprobe/FUNC, uprobe/PATH:FUNC[+OFFSET] (and uretprobe,
 * for every process), tp/CATEGORY/NAME, raw_tp/NAME, fentry/, fexit/,
 * fmod_ret/, lsm/, tp_btf/ (the target the program was loaded for),
 * usdt/PATH:PROVIDER:NAME (every process), kprobe.multi/PATTERN
 * (kretprobe.multi), a glob over available_filter_functions with a blob
 * per matching function, and uprobe.multi/PATH:PATTERN (uretprobe.multi,
 * .s; every process), a glob over the file's function symbols with a
 * blob per matching function; kprobe.session/PATTERN and
 * uprobe.session/PATH:PATTERN likewise, after pals_object__prepare(). @data is one blob's bytes (NULL: zeros),
 * which every blob starts as; opts->fill adjusts each for its target (the
 * function name; for one-blob kinds, the section's text after the '/').
 * A section without a target, or another kind, fails with -EINVAL.
 */
LIBPALS_API struct pals_link *
pals_attach(const struct bpf_program *prog, const char *type,
	    const void *data, size_t size, const struct pals_attach_opts *opts);

/*
 * The libbpf link, handed over to the caller: from the first call on it
 * is the caller's, to bpf_link__destroy() when done (every call returns
 * the same one). @pl keeps a file descriptor of its own, so destroying
 * the bpf_link closes only the caller's and detaches nothing: the module
 * holds the link while blobs are bound to it, and the probes stop when
 * pals_link__destroy() deletes them and the caller's bpf_link is
 * destroyed too. For the fd alone, use pals_link__fd(), which hands
 * nothing over. NULL for links libpals made itself (session and tracing
 * multi-links), or with an error if no fd was left for the duplicate.
 */
LIBPALS_API struct bpf_link *pals_link__bpf_link(struct pals_link *pl);
/* The link's fd, for every kind; owned by @pl, do not close it. */
LIBPALS_API int pals_link__fd(const struct pals_link *pl);
/* Number of blobs: 1, or the count given to a *_multi call. */
LIBPALS_API size_t pals_link__cnt(const struct pals_link *pl);
/* The handle (the BPF cookie) of blob @idx, or 0 if @idx is out of range. */
LIBPALS_API __u64 pals_link__handle(const struct pals_link *pl, size_t idx);
/* Replace blob @idx's bytes atomically; @size must be the blob's size. */
LIBPALS_API int pals_link__update(struct pals_link *pl, size_t idx,
				  const void *data, size_t size);
/* Copy blob @idx's current bytes (a snapshot) into @data. */
LIBPALS_API int pals_link__read(const struct pals_link *pl, size_t idx,
				void *data, size_t size);
/*
 * Write @size bytes of @data at @offset into blob @idx, in place (see
 * pals_ctx__write()): one member, say, leaving the rest as the program
 * left it.
 */
LIBPALS_API int pals_link__write(struct pals_link *pl, size_t idx,
				 size_t offset, const void *data, size_t size);
/* Copy @size bytes of blob @idx from @offset into @data. */
LIBPALS_API int pals_link__read_range(const struct pals_link *pl, size_t idx,
				      size_t offset, void *data, size_t size);
/*
 * Copy every blob into @data, blob i at i * the blob size, in one
 * request: @size must be pals_link__cnt() times the blob size.
 */
LIBPALS_API int pals_link__read_all(const struct pals_link *pl, void *data,
				    size_t size);
/*
 * The index of the blob attached at kernel function or uprobe symbol
 * @name (as given to the attach call), or -ENOENT.
 */
LIBPALS_API int pals_link__find(const struct pals_link *pl, const char *name);
/*
 * The index of the blob attached at file offset @offset: a uprobe or
 * uprobe_multi place given by offset, or a USDT site. -ENOENT if none.
 */
LIBPALS_API int pals_link__find_offset(const struct pals_link *pl,
				       unsigned long offset);
/*
 * Pin every blob: the attachment then outlives its context and process,
 * until palsctl (or pals_ctx__delete()) deletes the blobs.
 */
LIBPALS_API int pals_link__pin(struct pals_link *pl);
/* Unpin every blob: they belong to the attachment's context again. */
LIBPALS_API int pals_link__unpin(struct pals_link *pl);
/*
 * Delete the unpinned blobs and detach: the link goes with its last
 * blob. Pinned blobs, and so the link, stay. Frees @pl in any case;
 * returns 0 or the first error. NULL is a no-op.
 */
LIBPALS_API int pals_link__destroy(struct pals_link *pl);

/*
 * Call between open and load of every object whose programs use
 * pals_get() (skeletons: between __open() and __load()): it opens the
 * default context and readies the object for its mode, the module's
 * kfunc or the map fallback (sized for the largest blob the programs ask
 * for). An object loaded without it finds blobs through the module only.
 *
 * Session programs (kprobe.session, kernel 6.10+; uprobe.session and
 * uprobe.session.s, 6.13+) run at a function's entry and return with one
 * 8-byte session cookie (bpf/pals_session.bpf.h). Write them in those
 * sections, call pals_object__prepare() between open and load (libbpf
 * before 1.5 does not know the sections: this sets the program type and
 * attach type), then attach them with pals_attach_kprobe_multi() or
 * pals_attach_uprobe_multi(), which make session links for them (a
 * uprobe.session @binary must then be a path). Returns 0 or -errno.
 */
LIBPALS_API int pals_object__prepare(struct bpf_object *obj);
/*
 * Whether the running kernel has kprobe sessions (@uprobe false) or
 * uprobe sessions (@uprobe true): 1, 0, or a negative errno.
 */
LIBPALS_API int pals_probe_session(bool uprobe);

/*
 * The low-level pair, for attach kinds without a pals_attach_*() call:
 * pals_blob__create() makes a blob for @prog (type named as in
 * pals_type_id()) and gives its handle, the cookie to attach with;
 * pals_blob__bind() then ties it to the link made with that cookie.
 * @opts: only ctx and flags apply. An unbound blob lives until its
 * context closes or it is deleted.
 */
LIBPALS_API int pals_blob__create(const struct bpf_program *prog,
				  const char *type, const void *data,
				  size_t size,
				  const struct pals_attach_opts *opts,
				  __u64 *cookie);
LIBPALS_API int pals_blob__bind(__u64 cookie, const struct bpf_link *link,
				const struct pals_attach_opts *opts);
/*
 * The pair for many attach points of one link (kprobe_multi,
 * uprobe_multi): @cnt blobs of @size bytes, the i-th from @data + i *
 * @size, their cookies in @cookies[0..@cnt), created all or nothing (see
 * pals_ctx__create_batch()); then bound to the one link made with them.
 */
LIBPALS_API int pals_blob__create_batch(const struct bpf_program *prog,
					const char *type, const void *data,
					size_t size, size_t cnt,
					const struct pals_attach_opts *opts,
					__u64 *cookies);
LIBPALS_API int pals_blob__bind_batch(const __u64 *cookies, size_t cnt,
				      const struct bpf_link *link,
				      const struct pals_attach_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* __LIBPALS_H */
