/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PALS_H
#define _PALS_H

#include <linux/bpf.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <uapi/linux/pals.h>

/*
 * What a BPF program sees: immutable after publication except for the
 * bytes, which programs may write. An update publishes a new copy; the
 * old one is freed after an RCU Tasks Trace and an RCU grace period.
 */
struct pals_blob {
	u64 handle;
	u64 type_size;			/* size << 32 | BTF type id */
	struct rcu_head rcu;
	u8 data[] __aligned(8);
};

static inline u64 pals_type_size(u32 type_id, u32 size)
{
	return (u64)size << 32 | type_id;
}

/* Control-plane state of one blob, touched only under pals_mutex. */
struct pals_obj {
	u64 handle;
	u32 type_id;
	u32 size;
	u32 flags;			/* PALS_F_* */
	u32 portid;			/* owner socket */
	struct net *net;		/* owner socket's netns, not referenced */
	pid_t owner_pid;
	struct bpf_prog *prog;		/* referenced */
	struct bpf_link *link;		/* referenced once bound */
	struct pals_blob *blob;		/* the copy published in the slot */
};

struct pals_stats {
	u64 blobs;
	u64 bytes;
	u64 creates;
	u64 deletes;
	u64 hits;
	u64 misses;
};

extern struct mutex pals_mutex;
extern unsigned int pals_max_size;
extern unsigned long pals_max_bytes;

/*
 * table.c: a two-level slot table indexed by the low 32 bits of a handle.
 * Readers (the kfunc) are lock-free; writers hold pals_mutex. Chunks are
 * allocated on demand and never freed before module exit.
 */
#define PALS_CHUNK_SHIFT	8
#define PALS_CHUNK_SLOTS	(1U << PALS_CHUNK_SHIFT)
#define PALS_MAX_SLOTS		(1U << 20)

struct pals_slot {
	struct pals_blob __rcu *blob;	/* NULL when free */
	struct pals_obj *obj;		/* NULL when free */
	u32 gen;			/* never 0, bumped on each free */
	u32 next_free;
};

extern struct pals_slot *pals_dir[PALS_MAX_SLOTS >> PALS_CHUNK_SHIFT];

/*
 * Called from BPF programs, under rcu_read_lock() or, for sleepable ones,
 * rcu_read_lock_trace(); blobs are freed only after both grace periods.
 */
static __always_inline struct pals_blob *pals_table_lookup(u64 handle)
{
	u32 index = (u32)handle;
	struct pals_slot *chunk;

	if (unlikely(index >= PALS_MAX_SLOTS))
		return NULL;
	chunk = READ_ONCE(pals_dir[index >> PALS_CHUNK_SHIFT]);
	if (unlikely(!chunk))
		return NULL;
	return rcu_dereference_raw(chunk[index & (PALS_CHUNK_SLOTS - 1)].blob);
}

void pals_table_exit(void);
int pals_table_insert(struct pals_obj *obj, struct pals_blob *blob);
struct pals_obj *pals_table_find(u64 handle);
struct pals_obj *pals_table_next(u32 *index);
struct pals_blob *pals_table_publish(struct pals_obj *obj,
				     struct pals_blob *blob);
void pals_table_remove(struct pals_obj *obj);

/* obj.c: blob lifecycle, all under pals_mutex */
struct pals_blob *pals_blob_alloc(u32 type_id, u32 size);
void pals_blob_free(struct pals_blob *blob);
int pals_obj_create(struct pals_obj *obj, struct pals_blob *blob,
		    struct netlink_ext_ack *extack);
void pals_obj_update(struct pals_obj *obj, struct pals_blob *blob);
void pals_obj_destroy(struct pals_obj *obj);
void pals_obj_release_owner(struct net *net, u32 portid);
void pals_obj_destroy_all(void);
void pals_stats_read(struct pals_stats *st);
u64 pals_obj_overhead(void);

/* btf.c */
int pals_btf_check(const struct bpf_prog *prog, u32 type_id, u32 size,
		   const struct nlattr *attr, struct netlink_ext_ack *extack);

/* kfunc.c */
int pals_kfunc_init(void);
bool pals_prog_has_cookie(const struct bpf_prog *prog);
void pals_kfunc_stats(u64 *hits, u64 *misses);

/* genl.c */
int pals_genl_init(void);
void pals_genl_exit(void);

#endif /* _PALS_H */
