/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PALS_H
#define _PALS_H

#include "compat.h"

#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <uapi/linux/pals.h>

/*
 * What the kfunc compares besides the handle: the type, its size and,
 * where the kernel names the caller (compat.h), the program's BTF, its
 * BPF object. On such kernels the blobs of a batch share it: the batch
 * keeps one for each run of blobs of one type (pals_batch_kinds()), and
 * each blob points at its own, which keeps the header of every copy at
 * 16 bytes; elsewhere each copy holds it.
 */
struct pals_kind {
	u32 type_id;			/* BTF type id in the program's BTF */
	u32 size;			/* of data */
#ifdef PALS_KNOWS_CALLER
	const struct btf *btf;		/* the program's: its BPF object */
#endif
};

/*
 * A copy of a blob, what a BPF program sees: the fields the kfunc
 * compares, then the bytes, which programs may write. Immutable after
 * publication but for the bytes. Every copy lies in a batch (struct
 * pals_batch): an update moves the blob into a batch of its own, and the
 * old copy is freed with its batch, after an RCU Tasks Trace and an RCU
 * grace period.
 */
struct pals_blob {
	/* What the kfunc compares: right before data, see table.c. */
	u64 handle;
#ifdef PALS_KNOWS_CALLER
	struct pals_kind *kind;		/* its batch's; NULL until set */
#else
	struct pals_kind kind;
#endif
	u8 data[] __aligned(8);
};

static inline struct pals_kind *pals_blob_kind(const struct pals_blob *blob)
{
#ifdef PALS_KNOWS_CALLER
	return blob->kind;
#else
	return (struct pals_kind *)&blob->kind;
#endif
}

/* Whether the blob was given its kind: not a copy left unfilled. */
static inline bool pals_blob_made(const struct pals_blob *blob)
{
	return pals_blob_kind(blob);
}

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
	struct list_head batches;	/* its batches, under pals_mutex */
	struct rcu_head rcu;
};

/*
 * Blobs created by one request, in one allocation: what they share, then
 * their copies back to back, then their kinds (pals_batch_kinds()). A blob updated, or that cannot share what
 * its batch's others do, moves into a batch of its own. Touched only
 * under pals_mutex; freed in one go once it has no blob left, after the
 * grace periods.
 */
struct pals_batch {
	struct pals_owner *owner;	/* NULL once orphaned: all left pinned */
	struct list_head owner_node;	/* in owner->batches, or dead */
	struct pid *owner_pid;		/* creator's thread group, referenced */
	struct bpf_prog *prog;		/* referenced */
	struct bpf_link *link;		/* link_file's, while a blob is bound */
	/*
	 * Referenced while a blob is bound: the file the first of them was
	 * bound through (a link may have several). Its last fput() releases
	 * the link in the task that drops it, when it returns to user space,
	 * outside every lock; a last bpf_link_put() would defer the detach
	 * to a worker.
	 */
	struct file *link_file;
	u32 live;			/* blobs in the table */
	u32 bound;			/* of those, bound to link */
	u32 kinds;			/* used of pals_batch_kinds() */
	u32 kinds_max;			/* room for, after the copies */
	size_t len;			/* of copies */
	union {
		struct rcu_head rcu;
		struct llist_node dead_node;	/* after the grace periods */
	};
	u8 copies[] __aligned(8);	/* struct pals_blob, each 8-aligned */
};

/*
 * One blob's control side, its slot's entry (table.c), under pals_mutex:
 * its batch and PALS_OBJ_* flags, or the last tag of a free slot.
 */
struct pals_obj {
	unsigned long word;
};

#define PALS_OBJ_FREE		BIT(0)
#define PALS_OBJ_PINNED		BIT(1)
#define PALS_OBJ_BOUND		BIT(2)	/* to its batch's link */
#define PALS_OBJ_FLAGS		(PALS_OBJ_PINNED | PALS_OBJ_BOUND)

static inline struct pals_batch *pals_obj_batch(const struct pals_obj *obj)
{
	return (struct pals_batch *)(obj->word & ~(PALS_OBJ_FREE | PALS_OBJ_FLAGS));
}

static inline bool pals_obj_test(const struct pals_obj *obj, unsigned long flag)
{
	return obj->word & flag;
}

static inline void pals_obj_assign(struct pals_obj *obj, unsigned long flag,
				   bool on)
{
	obj->word = on ? obj->word | flag : obj->word & ~flag;
}

static inline struct bpf_link *pals_file_link(const struct file *file)
{
	return file->private_data;
}

/* The link the blob is bound to, or NULL. */
static inline struct bpf_link *pals_obj_link(const struct pals_obj *obj)
{
	return pals_obj_test(obj, PALS_OBJ_BOUND) ? pals_obj_batch(obj)->link :
						    NULL;
}


/* Whether @btf's programs may have @blob (compat.h: where known). */
static __always_inline bool pals_blob_of_object(const struct pals_blob *blob,
						const struct btf *btf)
{
#ifdef PALS_KNOWS_CALLER
	return blob->kind->btf == btf;
#else
	return true;
#endif
}

/*
 * A per-CPU blob (percpu.c) publishes a copy whose bytes are a struct
 * pals_percpu, with PALS_TYPE_PERCPU in its type_id and its handle's
 * lowest bit flipped. That bit is the slot index's lowest: a handle
 * landing on the slot never equals the flipped one, so bpf_pals_get()
 * cannot match the copy whatever a program passes (and hand it the
 * pointer inside), nor can bpf_pals_get_percpu(), which flips the bit of
 * the handle it is given, match a shared blob.
 */
#define PALS_TYPE_PERCPU	BIT(31)
#define PALS_PERCPU_MARK	1ULL

static inline bool pals_blob_percpu(const struct pals_blob *blob)
{
	return pals_blob_kind(blob)->type_id & PALS_TYPE_PERCPU;
}

/* The handle userspace knows the blob by. */
static inline u64 pals_blob_handle(const struct pals_blob *blob)
{
	return blob->handle ^ (pals_blob_percpu(blob) ? PALS_PERCPU_MARK : 0);
}

/* The handle the kfunc compares, set as a copy is published, after its kind. */
static inline void pals_blob_stamp(struct pals_blob *blob, u64 handle)
{
	blob->handle = handle ^ (pals_blob_percpu(blob) ? PALS_PERCPU_MARK : 0);
}

struct pals_stats {
	u64 blobs;
	u64 bytes;			/* charged against max_bytes */
	u64 creates;
	u64 deletes;
	u64 misses;
	u64 data;			/* bytes of the live blobs */
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
 * published with RCU and replaced by a copy of another size when it fills
 * up or is mostly free; the control side (struct pals_obj) is touched
 * only under pals_mutex.
 */
#define PALS_MIN_SLOTS		256U

struct pals_slots {
	u64 mask;			/* capacity - 1, capacity a power of 2 */
	u8 *data[];			/* a blob's data, never NULL: pals_hole */
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
void pals_table_insert(struct pals_batch *batch, struct pals_blob *blob,
		       unsigned long flags);
struct pals_obj *pals_table_find(u64 handle);
struct pals_obj *pals_table_next(u32 *index);
struct pals_blob *pals_obj_blob(const struct pals_obj *obj);
struct pals_blob *pals_table_publish(struct pals_obj *obj,
				     struct pals_blob *blob);
void pals_table_remove(struct pals_obj *obj);
u32 pals_table_capacity(void);
size_t pals_table_slot_bytes(void);
void pals_table_stop(void);

/*
 * obj.c: blob lifecycle. Allocation, charging and freeing take no lock;
 * the rest runs under pals_mutex.
 */
static inline size_t pals_blob_len(u32 size)
{
	return ALIGN(struct_size_t(struct pals_blob, data, size), 8);
}

/*
 * The copies of @batch, in the order they were created, up to the first
 * not filled (a request that failed half-way).
 */
#define pals_batch_for_each(batch, blob)					\
	for (blob = (struct pals_blob *)(batch)->copies;			\
	     (u8 *)blob < (batch)->copies + (batch)->len && pals_blob_made(blob); \
	     blob = (struct pals_blob *)((u8 *)blob +				\
					 pals_blob_len(pals_blob_kind(blob)->size)))

/*
 * How many of @n kinds a batch keeps, after its copies (struct
 * pals_kind): on kernels where copies hold their own, none.
 */
static inline u32 pals_kinds_kept(u32 n)
{
#ifdef PALS_KNOWS_CALLER
	return n;
#else
	return 0;
#endif
}

/* The kinds @batch keeps for its blobs. */
static inline struct pals_kind *pals_batch_kinds(const struct pals_batch *batch)
{
	return (struct pals_kind *)(batch->copies + batch->len);
}

size_t pals_batch_cost(size_t len, u32 kinds);
bool pals_charge_fits(size_t bytes);
int pals_charge(size_t bytes, struct netlink_ext_ack *extack);
void pals_uncharge(size_t bytes);
struct pals_batch *pals_batch_alloc(size_t len, u32 kinds,
				    struct netlink_ext_ack *extack);
struct pals_batch *pals_batch_alloc_one(u32 size, struct netlink_ext_ack *extack);
void pals_blob_init(struct pals_batch *batch, struct pals_blob *blob,
		    u32 type_id, u32 size);
void pals_blob_retype(struct pals_blob *blob, u32 type_id, u32 size);
void pals_batch_discard(struct pals_batch *batch);
void pals_batch_create(struct pals_batch *batch, struct bpf_prog *prog,
		       struct pals_owner *owner, u32 flags);
void pals_obj_move(struct pals_obj *obj, struct pals_batch *own,
		   struct list_head *dead);

/*
 * Batches of one, allocated without pals_mutex, for blobs that must leave
 * their batch under it (binding to another link than their batch's,
 * unpinning an orphan with company): nothing is allocated under
 * pals_mutex. Their list, through owner_node, and what the last
 * pals_obj_leave() found lacking: @count spares for blobs of @size bytes.
 * pals_with_spares() allocates them and calls again.
 */
struct pals_spares {
	struct list_head list;
	u32 size;
	u32 percpu_size;	/* of each CPU's copy; 0: a shared blob */
	u32 count;
};

int pals_with_spares(int (*fn)(struct pals_spares *spares, void *arg),
		     void *arg, struct netlink_ext_ack *extack);
bool pals_obj_must_leave(const struct pals_obj *obj, const struct bpf_link *link);
int pals_obj_bind(struct pals_obj *obj, struct file *file,
		  struct pals_spares *spares);
void pals_obj_unbind(struct pals_obj *obj);
int pals_obj_adopt(struct pals_obj *obj, struct pals_owner *owner,
		   struct pals_spares *spares);
struct pals_obj *pals_batch_obj(struct pals_batch *batch,
				const struct pals_blob *blob);
void pals_obj_kill(struct pals_obj *obj, struct list_head *dead);
void pals_dead_free(struct list_head *dead);
void pals_obj_destroy(struct pals_obj *obj);
void pals_batch_destroy(struct pals_batch *batch);
void pals_batch_set_owner(struct pals_batch *batch, struct pals_owner *owner);
int pals_dead_init(void);
void pals_dead_exit(void);
void pals_obj_destroy_all(void);
void pals_changed(void);
unsigned int pals_generation_read(void);
void pals_stats_read(struct pals_stats *st);
u64 pals_obj_overhead(void);

static inline u32 pals_obj_flags(const struct pals_obj *obj)
{
	return (pals_obj_test(obj, PALS_OBJ_PINNED) ? PALS_F_PINNED : 0) |
	       (pals_blob_percpu(pals_obj_blob(obj)) ? PALS_F_PERCPU : 0);
}

/* percpu.c: per-CPU blobs, a struct pals_percpu in their copy's bytes */
struct pals_percpu {
	void __percpu *area;		/* size bytes per possible CPU */
	u32 size;			/* of the type */
};

u32 pals_blob_type(const struct pals_blob *blob);
u32 pals_blob_size(const struct pals_blob *blob);
u32 pals_blob_bytes(const struct pals_blob *blob);
struct pals_batch *pals_percpu_batch(struct genl_info *info, u32 size,
				     size_t len);
struct pals_batch *pals_percpu_create(struct genl_info *info,
				      const struct bpf_prog *prog, u32 type_id,
				      size_t len);
int pals_percpu_check(const struct bpf_prog *prog, u32 type_id,
		      const struct nlattr *attr, size_t len,
		      struct netlink_ext_ack *extack);
int pals_percpu_elem(struct pals_batch *batch, struct pals_blob *blob,
		     const struct bpf_prog *prog, u32 type_id,
		     const struct nlattr *data, struct netlink_ext_ack *extack);
void pals_percpu_free(struct pals_blob *blob);
u32 pals_percpu_size(const struct pals_blob *blob);
int pals_percpu_spare(struct pals_blob *dst, u32 size);
void pals_percpu_take(struct pals_blob *dst, const struct pals_blob *src);
int pals_percpu_put_data(struct sk_buff *skb, const struct pals_blob *blob,
			 u32 off, u32 len);
void pals_percpu_write(const struct genl_info *info,
		       const struct pals_blob *blob, u32 off);

/* owner.c: owner objects and the socket release notifier */
struct pals_owner *pals_owner_get(const struct sk_buff *skb);
bool pals_owner_is(const struct pals_owner *owner, const struct sk_buff *skb);
int pals_owner_init(void);
void pals_owner_exit(void);

/* btf.c */
int pals_btf_check(const struct bpf_prog *prog, u32 type_id, u32 size,
		   const struct nlattr *attr, struct netlink_ext_ack *extack);
int pals_btf_size(const struct bpf_prog *prog, u32 type_id,
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
struct file *pals_link_from_info(struct genl_info *info);

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
