/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PALS_H
#define _PALS_H

#include "compat.h"

#include <linux/bpf.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <uapi/linux/pals.h>

/*
 * What a BPF program sees: immutable after publication except for the
 * bytes, which programs may write. An update publishes a new copy; the
 * old one is freed after an RCU Tasks Trace and an RCU grace period.
 */
struct pals_blob {
	struct rcu_head rcu;
	/* What the kfunc compares: right before data, see table.c. */
	u64 handle;
#ifdef PALS_KNOWS_CALLER
	const struct btf *btf;		/* the program's: its BPF object */
#endif
	u32 type_id;			/* BTF type id in the program's BTF */
	u32 size;			/* of data */
	u8 data[] __aligned(8);
};

/*
 * The netlink socket that created blobs, identified by the socket itself:
 * its portid is freed before NETLINK_URELEASE is delivered and may then
 * be bound by another socket. Found by (net, portid) when that socket is
 * released, and told apart from a new socket with the same portid by
 * being dead. Lives until its socket's release (or module unload).
 */
struct pals_owner {
	struct hlist_node node;		/* in the owner hash, RCU */
	struct sock *sk;		/* referenced */
	struct net *net;		/* sk's, for the hash */
	u32 portid;			/* sk's, for the hash */
	struct list_head objs;		/* its blobs, under pals_mutex */
	struct rcu_head rcu;
};

/*
 * Control-plane state of one blob, touched only under pals_mutex. Its
 * handle, type and size are the published copy's (blob), which every
 * copy repeats.
 */
struct pals_obj {
	u32 flags;			/* PALS_F_* */
	struct pals_owner *owner;	/* NULL once pinned and orphaned */
	struct list_head owner_node;	/* in owner->objs */
	struct pid *owner_pid;		/* creator's thread group, referenced */
	struct bpf_prog *prog;		/* referenced */
	struct bpf_link *link;		/* referenced once bound */
	struct pals_blob *blob;		/* the copy published in the slot */
};

/* Whether @btf's programs may have @blob (compat.h: where known). */
static __always_inline bool pals_blob_of_object(const struct pals_blob *blob,
						const struct btf *btf)
{
#ifdef PALS_KNOWS_CALLER
	return blob->btf == btf;
#else
	return true;
#endif
}

/* What the kfunc compares, set as a copy is published. */
static inline void pals_blob_stamp(struct pals_blob *blob, u64 handle,
				   const struct pals_obj *obj)
{
	blob->handle = handle;
#ifdef PALS_KNOWS_CALLER
	blob->btf = obj->prog->aux->btf;
#endif
}

struct pals_stats {
	u64 blobs;
	u64 bytes;			/* charged against max_bytes */
	u64 creates;
	u64 deletes;
	u64 misses;
};

extern struct mutex pals_mutex;
extern unsigned int pals_max_size;
extern unsigned long pals_max_bytes;
extern unsigned int pals_max_slots;

/* Handle: slot index in the low bits, the slot's tag above (table.c). */
#define PALS_MAX_SLOTS		(1U << PALS_HANDLE_INDEX_BITS)
#define PALS_TAG_MASK		(U64_MAX >> PALS_HANDLE_INDEX_BITS)

/*
 * table.c: the slot table, indexed by the low bits of a handle. Readers
 * (the kfunc) see only struct pals_slots, a flat array of blob pointers
 * published with RCU and replaced by a larger copy when it fills up; the
 * control side (struct pals_slot) is touched only under pals_mutex.
 */
#define PALS_MIN_SLOTS		256U

struct pals_slots {
	u64 mask;			/* capacity - 1, capacity a power of 2 */
	u8 *data[];			/* a blob's data, never NULL: pals_hole */
};

struct pals_slot {
	struct pals_obj *obj;		/* NULL when free */
	u64 tag;			/* the next handle's, 0 until first used */
	u32 step;			/* odd: added to tag on each free */
	u32 free;			/* entry of the free list, see table.c */
};

extern struct pals_slots __rcu *pals_slots;

/*
 * Called from BPF programs, under rcu_read_lock() or, for sleepable ones,
 * rcu_read_lock_trace(); blobs and replaced tables are freed only after
 * both grace periods. The slot's blob, found by its data: what the caller
 * returns, with the fields it compares just before. Empty slots hold a
 * hole, a blob that no handle landing there can match (see table.c), so
 * there is no bounds or NULL check: the caller's handle comparison
 * rejects holes too.
 */
static __always_inline struct pals_blob *pals_table_lookup(u64 handle)
{
	const struct pals_slots *slots = rcu_dereference_raw(pals_slots);

	return container_of(READ_ONCE(slots->data[handle & slots->mask]),
			    struct pals_blob, data[0]);
}

int pals_table_init(void);
void pals_table_exit(void);
int pals_table_lock_insert(void);
int pals_table_lock_insert_n(u32 n);
void pals_table_insert(struct pals_obj *obj, struct pals_blob *blob);
struct pals_obj *pals_table_find(u64 handle);
struct pals_obj *pals_table_next(u32 *index);
struct pals_blob *pals_table_publish(struct pals_obj *obj,
				     struct pals_blob *blob);
void pals_table_remove(struct pals_obj *obj);

/*
 * obj.c: blob lifecycle. Allocation, charging and freeing take no lock;
 * the rest runs under pals_mutex.
 */
struct pals_blob *pals_blob_alloc(u32 type_id, u32 size,
				  struct netlink_ext_ack *extack);
void pals_blob_discard(struct pals_blob *blob);
void pals_blob_free(struct pals_blob *blob);
struct pals_obj *pals_obj_alloc(struct netlink_ext_ack *extack);
void pals_obj_free(struct pals_obj *obj);
void pals_obj_create(struct pals_obj *obj, struct pals_blob *blob,
		     struct pals_owner *owner);
void pals_obj_update(struct pals_obj *obj, struct pals_blob *blob);
void pals_obj_destroy(struct pals_obj *obj);

/* Blobs deleted together, freed together (obj.c). */
struct pals_dead {
	union {
		struct rcu_head rcu;
		struct work_struct work;	/* after the grace periods */
	};
	struct list_head objs;		/* through their owner_node */
};

int pals_dead_init(void);
void pals_dead_exit(void);
struct pals_dead *pals_dead_alloc(void);
void pals_obj_kill(struct pals_obj *obj, struct pals_dead *dead);
void pals_dead_free(struct pals_dead *dead);
void pals_obj_set_owner(struct pals_obj *obj, struct pals_owner *owner);
void pals_obj_destroy_all(void);
void pals_changed(void);
unsigned int pals_generation_read(void);
void pals_stats_read(struct pals_stats *st);
u64 pals_obj_overhead(void);

/* owner.c: owner objects and the socket release notifier */
struct pals_owner *pals_owner_get(const struct sk_buff *skb);
bool pals_owner_is(const struct pals_owner *owner, const struct sk_buff *skb);
int pals_owner_init(void);
void pals_owner_exit(void);

/* btf.c */
int pals_btf_check(const struct bpf_prog *prog, u32 type_id, u32 size,
		   const struct nlattr *attr, struct netlink_ext_ack *extack);

/* kfunc.c */
int pals_kfunc_init(void);
bool pals_prog_has_cookie(const struct bpf_prog *prog);
u64 pals_kfunc_misses_read(void);

/* genl.c */
/* GENL_REQ_ATTR_CHECK() with a message that names the attribute. */
#define PALS_REQUIRE(info, attr) ({					\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
									\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack, #attr ": missing");	\
	__missing;							\
})

int pals_genl_init(void);
void pals_genl_exit(void);
struct bpf_prog *pals_prog_from_info(struct genl_info *info);
struct bpf_link *pals_link_from_info(struct genl_info *info);

/* batch.c: the batch commands */
extern const struct nla_policy pals_create_batch_policy[PALS_A_MAX + 1];
extern const struct nla_policy pals_bind_batch_policy[PALS_A_MAX + 1];
extern const struct nla_policy pals_handles_policy[PALS_A_MAX + 1];
extern const struct nla_policy pals_link_id_policy[PALS_A_MAX + 1];
int pals_create_batch_doit(struct sk_buff *skb, struct genl_info *info);
int pals_bind_batch_doit(struct sk_buff *skb, struct genl_info *info);
int pals_delete_batch_doit(struct sk_buff *skb, struct genl_info *info);
int pals_delete_link_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _PALS_H */
