// SPDX-License-Identifier: GPL-2.0
/* Blob lifecycle: create, update, destroy, and what it costs. */
#include <linux/bpf.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "pals.h"

DEFINE_MUTEX(pals_mutex);

/* Protected by pals_mutex; bytes and misses are not. */
static struct pals_stats pals_counts;

/*
 * Kernel memory charged against max_bytes: batches and update copies,
 * from allocation until they are freed after their grace periods, each
 * at the size of its slab (or page order).
 */
static atomic_long_t pals_charged;

/*
 * Larger areas come from vmalloc, as BPF maps' areas do: past a costly
 * order, or past a page when whole pages waste less than the power of 2
 * kmalloc() would round up to.
 */
static bool pals_paged(size_t len)
{
	return len > (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER) ||
	       (len > PAGE_SIZE && PAGE_ALIGN(len) < kmalloc_size_roundup(len));
}

static size_t pals_cost(size_t len)
{
	return pals_paged(len) ? PAGE_ALIGN(len) : kmalloc_size_roundup(len);
}

/* Charged to the caller's memory cgroup; no warning, no OOM killer. */
static void *pals_alloc(size_t len)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;

	return pals_paged(len) ? __vmalloc(len, gfp) : kmalloc(len, gfp);
}

/* What a batch takes: @len bytes of copies, then room for @kinds. */
static size_t pals_batch_bytes(size_t len, u32 kinds)
{
	return size_add(struct_size_t(struct pals_batch, copies, len),
			size_mul(pals_kinds_kept(kinds), sizeof(struct pals_kind)));
}

/* What a batch with @len bytes of copies and @kinds kinds costs. */
size_t pals_batch_cost(size_t len, u32 kinds)
{
	return pals_cost(pals_batch_bytes(len, kinds));
}

/* Whether @bytes more would stay within max_bytes now. */
bool pals_charge_fits(size_t bytes)
{
	return atomic_long_read(&pals_charged) + bytes <= READ_ONCE(pals_max_bytes);
}

int pals_charge(size_t bytes, struct netlink_ext_ack *extack)
{
	unsigned long max = READ_ONCE(pals_max_bytes);

	if (atomic_long_add_return(bytes, &pals_charged) <= max)
		return 0;
	atomic_long_sub(bytes, &pals_charged);
	NL_SET_ERR_MSG_FMT(extack,
			   "PALS_A_DATA: %zu more bytes of kernel memory would pass max_bytes (%lu)",
			   bytes, max);
	return -ENOSPC;
}

void pals_uncharge(size_t bytes)
{
	atomic_long_sub(bytes, &pals_charged);
}

/* Charged and allocated as pals_alloc(); freed with pals_free(). */
static void *pals_charge_alloc(size_t len, struct netlink_ext_ack *extack)
{
	void *p;
	int err;

	err = pals_charge(pals_cost(len), extack);
	if (err)
		return ERR_PTR(err);
	p = pals_alloc(len);
	if (!p) {
		atomic_long_sub(pals_cost(len), &pals_charged);
		NL_SET_ERR_MSG_FMT(extack, "PALS_A_DATA: cannot allocate %zu bytes",
				   len);
		return ERR_PTR(-ENOMEM);
	}
	return p;
}

static void pals_free(void *p, size_t len)
{
	kvfree(p);
	atomic_long_sub(pals_cost(len), &pals_charged);
}

/*
 * A batch with room for @len bytes of copies, of at most @kinds runs of
 * one type, which the caller fills (pals_blob_init()), for
 * pals_batch_create() or pals_obj_move().
 */
struct pals_batch *pals_batch_alloc(size_t len, u32 kinds,
				    struct netlink_ext_ack *extack)
{
	size_t bytes = pals_batch_bytes(len, kinds);
	struct pals_batch *batch;

	batch = pals_charge_alloc(bytes, extack);
	if (IS_ERR(batch))
		return batch;
	/* The copies too: a discarded batch's are looked at (percpu.c). */
	memset(batch, 0, bytes);
	INIT_LIST_HEAD(&batch->owner_node);
	batch->len = len;
	batch->kinds_max = pals_kinds_kept(kinds);
	return batch;
}

/* A batch of one blob of @size bytes, of no type yet (pals_blob_retype()). */
struct pals_batch *pals_batch_alloc_one(u32 size, struct netlink_ext_ack *extack)
{
	struct pals_batch *batch = pals_batch_alloc(pals_blob_len(size), 1,
						    extack);

	if (!IS_ERR(batch))
		pals_blob_init(batch, (struct pals_blob *)batch->copies, 0, size);
	return batch;
}

/*
 * What the kfunc compares, but the handle (set when published) and the
 * program's BTF (pals_batch_set_prog()), for the next copy of @batch: the
 * kind of the copy before it if the same, else the next of the batch's.
 */
void pals_blob_init(struct pals_batch *batch, struct pals_blob *blob,
		    u32 type_id, u32 size)
{
#ifdef PALS_KNOWS_CALLER
	struct pals_kind *kind = pals_batch_kinds(batch) + batch->kinds;

	if (!batch->kinds || kind[-1].type_id != type_id ||
	    kind[-1].size != size) {
		if (WARN_ON_ONCE(batch->kinds == batch->kinds_max))
			return;
		batch->kinds++;
		kind->type_id = type_id;
		kind->size = size;
		kind++;
	}
	blob->kind = kind - 1;
#else
	blob->kind.type_id = type_id;
	blob->kind.size = size;
#endif
}

/* The type of @blob, alone in its batch (it shares its kind with none). */
void pals_blob_retype(struct pals_blob *blob, u32 type_id, u32 size)
{
	pals_blob_kind(blob)->type_id = type_id;
	pals_blob_kind(blob)->size = size;
}

/* @batch's blobs are of @prog, whose BTF their kinds name (compat.h). */
static void pals_batch_set_prog(struct pals_batch *batch, struct bpf_prog *prog)
{
#ifdef PALS_KNOWS_CALLER
	u32 i;

	for (i = 0; i < batch->kinds; i++)
		pals_batch_kinds(batch)[i].btf = prog->aux->btf;
#endif
	bpf_prog_inc(prog);
	batch->prog = prog;
}

/* A batch that programs never saw, or saw more than two grace periods ago. */
void pals_batch_discard(struct pals_batch *batch)
{
	struct pals_blob *blob;

	pals_batch_for_each(batch, blob)
		pals_percpu_free(blob);
	put_pid(batch->owner_pid);
	if (batch->prog)
		bpf_prog_put(batch->prog);
	pals_free(batch, pals_batch_bytes(batch->len, batch->kinds_max));
}

/*
 * Under pals_table_lock_insert_n() for every copy of @batch: its blobs,
 * of @prog, made by the caller's process for @owner.
 */
void pals_batch_create(struct pals_batch *batch, struct bpf_prog *prog,
		       struct pals_owner *owner, u32 flags)
{
	unsigned long obj_flags = flags & PALS_F_PINNED ? PALS_OBJ_PINNED : 0;
	struct pals_blob *blob;

	lockdep_assert_held(&pals_mutex);
	pals_batch_set_prog(batch, prog);
	batch->owner_pid = get_task_pid(current, PIDTYPE_TGID);
	pals_batch_for_each(batch, blob) {
		pals_table_insert(batch, blob, obj_flags);
		batch->live++;
		pals_counts.data += pals_blob_bytes(blob);
	}
	pals_batch_set_owner(batch, owner);
	pals_counts.blobs += batch->live;
	pals_counts.creates += batch->live;
}

void pals_batch_set_owner(struct pals_batch *batch, struct pals_owner *owner)
{
	lockdep_assert_held(&pals_mutex);
	list_del_init(&batch->owner_node);
	batch->owner = owner;
	if (owner)
		list_add_tail(&batch->owner_node, &owner->batches);
	pals_changed();
}

/*
 * The last bound blob puts the batch's reference: fput() leaves the
 * release of a last one to the caller's return to user space.
 */
static void pals_batch_unbind(struct pals_batch *batch)
{
	if (!--batch->bound) {
		fput(batch->link_file);
		batch->link_file = NULL;
		batch->link = NULL;
	}
}

/*
 * @obj out of its batch into @own, a batch of one whose copy the caller
 * filled, published in its place: the blob keeps what its batch gave it
 * (program, creator, owner, link). A copy is never freed on its own: the
 * old batch goes on @dead once it has no blob left.
 */
void pals_obj_move(struct pals_obj *obj, struct pals_batch *own,
		   struct list_head *dead)
{
	struct pals_batch *batch = pals_obj_batch(obj);
	struct pals_blob *old = pals_obj_blob(obj);

	lockdep_assert_held(&pals_mutex);
	pals_blob_retype((struct pals_blob *)own->copies,
			 pals_blob_kind(old)->type_id, pals_blob_kind(old)->size);
	pals_batch_set_prog(own, batch->prog);
	pals_table_publish(obj, (struct pals_blob *)own->copies);
	own->owner_pid = get_pid(batch->owner_pid);
	own->live = 1;
	pals_batch_set_owner(own, batch->owner);
	if (pals_obj_test(obj, PALS_OBJ_BOUND)) {
		own->link_file = get_file(batch->link_file);
		own->link = batch->link;
		own->bound = 1;
		pals_batch_unbind(batch);
	}
	obj->word = (unsigned long)own | (obj->word & PALS_OBJ_FLAGS);
	if (!--batch->live)
		list_move_tail(&batch->owner_node, dead);
}

/* Without pals_mutex: the spares the last pals_obj_leave() lacked. */
static int pals_spares_fill(struct pals_spares *spares)
{
	struct pals_batch *own;
	int err;

	for (; spares->count; spares->count--) {
		own = pals_batch_alloc_one(spares->size, NULL);
		if (IS_ERR(own))
			return PTR_ERR(own);
		list_add_tail(&own->owner_node, &spares->list);
		if (!spares->percpu_size)
			continue;
		err = pals_percpu_spare((struct pals_blob *)own->copies,
					spares->percpu_size);
		if (err)
			return err;
	}
	return 0;
}

static void pals_spares_free(struct pals_spares *spares)
{
	struct pals_batch *own, *tmp;

	list_for_each_entry_safe(own, tmp, &spares->list, owner_node)
		pals_batch_discard(own);
}

/*
 * Run @fn under pals_mutex and, each time it asks for spares with
 * -EAGAIN, again after allocating them without the lock. Returns what
 * @fn returns, or why the spares could not be had.
 */
int pals_with_spares(int (*fn)(struct pals_spares *spares, void *arg),
		     void *arg, struct netlink_ext_ack *extack)
{
	struct pals_spares spares = { .list = LIST_HEAD_INIT(spares.list) };
	int err;

	for (;;) {
		mutex_lock(&pals_mutex);
		err = fn(&spares, arg);
		mutex_unlock(&pals_mutex);
		if (err != -EAGAIN)
			break;
		err = pals_spares_fill(&spares);
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "cannot allocate the copy of a blob that leaves its batch");
			break;
		}
	}
	pals_spares_free(&spares);
	return err;
}

/*
 * @obj into a batch of its own, a spare, with a copy of its bytes; with
 * no spare of its size, -EAGAIN and @spares says what to allocate.
 */
static int pals_obj_leave(struct pals_obj *obj, struct pals_spares *spares,
			  struct list_head *dead)
{
	struct pals_blob *blob = pals_obj_blob(obj), *copy;
	struct pals_batch *own;

	list_for_each_entry(own, &spares->list, owner_node) {
		copy = (struct pals_blob *)own->copies;
		if (own->len != pals_blob_len(pals_blob_kind(blob)->size) ||
		    pals_percpu_size(copy) != pals_percpu_size(blob))
			continue;
		list_del_init(&own->owner_node);
		if (pals_blob_percpu(blob))
			pals_percpu_take(copy, blob);
		else
			memcpy(copy->data, blob->data, pals_blob_kind(blob)->size);
		pals_obj_move(obj, own, dead);
		return 0;
	}
	spares->size = pals_blob_kind(blob)->size;
	spares->percpu_size = pals_percpu_size(blob);
	spares->count = 1;
	return -EAGAIN;
}

/*
 * Give @obj, orphaned, to @owner; the other blobs of its batch stay
 * orphans, so it leaves the batch if it has company.
 */
int pals_obj_adopt(struct pals_obj *obj, struct pals_owner *owner,
		   struct pals_spares *spares)
{
	LIST_HEAD(dead);
	int err = 0;

	lockdep_assert_held(&pals_mutex);
	if (pals_obj_batch(obj)->live > 1)
		err = pals_obj_leave(obj, spares, &dead);
	if (!err)
		pals_batch_set_owner(pals_obj_batch(obj), owner);
	pals_dead_free(&dead);
	return err;
}

/* Whether @obj must leave its batch to be bound to @link. */
bool pals_obj_must_leave(const struct pals_obj *obj, const struct bpf_link *link)
{
	const struct pals_batch *batch = pals_obj_batch(obj);

	return batch->link && batch->link != link;
}

/*
 * Bind @obj to the link of @file, which the caller holds: the batch takes
 * a reference for its first bound blob. A blob whose batch is bound to
 * another link leaves the batch, into one of @spares.
 */
int pals_obj_bind(struct pals_obj *obj, struct file *file,
		  struct pals_spares *spares)
{
	struct bpf_link *link = pals_file_link(file);
	struct pals_batch *batch;
	LIST_HEAD(dead);
	int err;

	lockdep_assert_held(&pals_mutex);
	if (pals_obj_must_leave(obj, link)) {
		err = pals_obj_leave(obj, spares, &dead);
		pals_dead_free(&dead);
		if (err)
			return err;
	}
	batch = pals_obj_batch(obj);
	if (!batch->link) {
		batch->link_file = get_file(file);
		batch->link = link;
	}
	batch->bound++;
	pals_obj_assign(obj, PALS_OBJ_BOUND, true);
	pals_changed();
	return 0;
}

/* Undo pals_obj_bind(). */
void pals_obj_unbind(struct pals_obj *obj)
{
	lockdep_assert_held(&pals_mutex);
	pals_obj_assign(obj, PALS_OBJ_BOUND, false);
	pals_batch_unbind(pals_obj_batch(obj));
	pals_changed();
}

/*
 * Out of the table and off its link right away; its batch goes on @dead
 * once it has no blob left, to be freed with pals_dead_free().
 */
void pals_obj_kill(struct pals_obj *obj, struct list_head *dead)
{
	struct pals_batch *batch = pals_obj_batch(obj);

	lockdep_assert_held(&pals_mutex);
	pals_counts.data -= pals_blob_bytes(pals_obj_blob(obj));
	if (pals_obj_test(obj, PALS_OBJ_BOUND))
		pals_batch_unbind(batch);
	pals_table_remove(obj);
	if (!--batch->live)
		list_move_tail(&batch->owner_node, dead);
	pals_counts.blobs--;
	pals_counts.deletes++;
	pals_changed();
}

void pals_obj_destroy(struct pals_obj *obj)
{
	LIST_HEAD(dead);

	pals_obj_kill(obj, &dead);
	pals_dead_free(&dead);
}

/* The blob of @blob, a copy in @batch, if it is live and in @batch. */
struct pals_obj *pals_batch_obj(struct pals_batch *batch,
				const struct pals_blob *blob)
{
	struct pals_obj *obj = pals_table_find(pals_blob_handle(blob));

	return obj && pals_obj_batch(obj) == batch ? obj : NULL;
}

/* Every blob of @batch. */
void pals_batch_destroy(struct pals_batch *batch)
{
	struct pals_blob *blob;
	struct pals_obj *obj;
	LIST_HEAD(dead);

	pals_batch_for_each(batch, blob) {
		obj = pals_batch_obj(batch, blob);
		if (obj)
			pals_obj_kill(obj, &dead);
	}
	pals_dead_free(&dead);
}

static struct workqueue_struct *pals_dead_wq;

int pals_dead_init(void)
{
	pals_dead_wq = alloc_workqueue("pals_free", WQ_UNBOUND, 0);
	return pals_dead_wq ? 0 : -ENOMEM;
}

/* After the RCU barriers: runs what their callbacks queued, then goes. */
void pals_dead_exit(void)
{
	destroy_workqueue(pals_dead_wq);
}

/* Rings of batches past their grace periods, each by its first batch. */
static LLIST_HEAD(pals_dead_rings);

/* Each ring's batches, through their owner_node, its first's included. */
static void pals_dead_free_work(struct work_struct *work)
{
	struct pals_batch *first, *next, *batch, *tmp;

	llist_for_each_entry_safe(first, next, llist_del_all(&pals_dead_rings),
				  dead_node) {
		list_for_each_entry_safe(batch, tmp, &first->owner_node,
					 owner_node)
			pals_batch_discard(batch);
		pals_batch_discard(first);
	}
}

static DECLARE_WORK(pals_dead_work, pals_dead_free_work);

/*
 * Frees in a worker, not in the RCU callback, which would hold up the
 * grace periods queued behind it (a link's detach waits for some). The
 * ring's rcu_head is done with: its first batch is queued through it.
 */
static void pals_dead_free_rcu(struct rcu_head *rcu)
{
	struct pals_batch *first = container_of(rcu, struct pals_batch, rcu);

	llist_add(&first->dead_node, &pals_dead_rings);
	queue_work(pals_dead_wq, &pals_dead_work);
}

static void pals_dead_free_tasks_trace(struct rcu_head *rcu)
{
	if (rcu_trace_implies_rcu_gp())
		pals_dead_free_rcu(rcu);
	else
		call_rcu(rcu, pals_dead_free_rcu);
}

/*
 * The batches on @dead, unpublished: freed together after one pair of
 * grace periods, however many blobs they held.
 */
void pals_dead_free(struct list_head *dead)
{
	struct pals_batch *first;

	if (list_empty(dead))
		return;
	first = list_first_entry(dead, struct pals_batch, owner_node);
	list_del_init(dead);
	call_rcu_tasks_trace(&first->rcu, pals_dead_free_tasks_trace);
}

void pals_obj_destroy_all(void)
{
	struct pals_obj *obj;
	LIST_HEAD(dead);
	u32 i = 0;

	mutex_lock(&pals_mutex);
	for (; (obj = pals_table_next(&i)); i++)
		pals_obj_kill(obj, &dead);
	pals_dead_free(&dead);
	mutex_unlock(&pals_mutex);
}

/* Bumped on every change a dump shows; starts at 1, see nl_dump_check_consistent(). */
static unsigned int pals_generation = 1;

void pals_changed(void)
{
	lockdep_assert_held(&pals_mutex);
	if (!++pals_generation)
		pals_generation = 1;
}

unsigned int pals_generation_read(void)
{
	lockdep_assert_held(&pals_mutex);
	return pals_generation;
}

void pals_stats_read(struct pals_stats *st)
{
	mutex_lock(&pals_mutex);
	*st = pals_counts;
	mutex_unlock(&pals_mutex);
	st->bytes = atomic_long_read(&pals_charged);
	st->misses = pals_kfunc_misses_read();
}

/*
 * Kernel bytes per live blob besides its data: what is charged (batches,
 * update copies, copies waiting for their grace periods) and the table's
 * slot; with no blob, what one created alone costs.
 */
u64 pals_obj_overhead(void)
{
	struct pals_stats st;

	pals_stats_read(&st);
	if (!st.blobs || st.bytes < st.data)
		return pals_batch_cost(pals_blob_len(0), 1) + pals_table_slot_bytes();
	return div64_u64(st.bytes - st.data, st.blobs) + pals_table_slot_bytes();
}
