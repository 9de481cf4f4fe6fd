// SPDX-License-Identifier: GPL-2.0
/* Blob lifecycle: create, update, destroy, and what it costs. */
#include <linux/bpf.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "pals.h"

DEFINE_MUTEX(pals_mutex);

/* Protected by pals_mutex; bytes and misses are not. */
static struct pals_stats pals_counts;

/*
 * Kernel memory charged against max_bytes: control objects and every copy
 * of every blob, from allocation until the copy is freed after its grace
 * periods, each at the size of its slab (or page order).
 */
static atomic_long_t pals_charged;

/* Larger blobs come from vmalloc, as BPF maps' areas do. */
static bool pals_blob_paged(size_t len)
{
	return len > (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER);
}

static size_t pals_blob_cost(u32 size)
{
	size_t len = struct_size_t(struct pals_blob, data, size);

	return pals_blob_paged(len) ? PAGE_ALIGN(len) : kmalloc_size_roundup(len);
}

static size_t pals_obj_cost(void)
{
	return kmalloc_size_roundup(sizeof(struct pals_obj));
}

static int pals_charge(size_t bytes, struct netlink_ext_ack *extack)
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

/*
 * Charged to the caller's memory cgroup, and against max_bytes. Failure
 * is -ENOMEM, without a warning or the OOM killer. The handle is set when
 * the blob is published.
 */
struct pals_blob *pals_blob_alloc(u32 type_id, u32 size,
				  struct netlink_ext_ack *extack)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	size_t len = struct_size_t(struct pals_blob, data, size);
	struct pals_blob *blob;
	int err;

	err = pals_charge(pals_blob_cost(size), extack);
	if (err)
		return ERR_PTR(err);
	blob = pals_blob_paged(len) ? __vmalloc(len, gfp) : kmalloc(len, gfp);
	if (!blob) {
		atomic_long_sub(pals_blob_cost(size), &pals_charged);
		NL_SET_ERR_MSG_FMT(extack,
				   "PALS_A_DATA: cannot allocate %u bytes", size);
		return ERR_PTR(-ENOMEM);
	}
	blob->type_id = type_id;
	blob->size = size;
	return blob;
}

/* A blob that programs never saw. */
void pals_blob_discard(struct pals_blob *blob)
{
	atomic_long_sub(pals_blob_cost(blob->size), &pals_charged);
	kvfree(blob);
}

static void pals_blob_free_rcu(struct rcu_head *rcu)
{
	pals_blob_discard(container_of(rcu, struct pals_blob, rcu));
}

static void pals_blob_free_tasks_trace(struct rcu_head *rcu)
{
	if (rcu_trace_implies_rcu_gp())
		pals_blob_free_rcu(rcu);
	else
		call_rcu(rcu, pals_blob_free_rcu);
}

/*
 * Sleepable programs hold rcu_read_lock_trace(), the others
 * rcu_read_lock(): an unpublished blob is freed after both grace periods.
 */
void pals_blob_free(struct pals_blob *blob)
{
	call_rcu_tasks_trace(&blob->rcu, pals_blob_free_tasks_trace);
}

/* Charged as pals_blob_alloc(). */
struct pals_obj *pals_obj_alloc(struct netlink_ext_ack *extack)
{
	struct pals_obj *obj;
	int err;

	err = pals_charge(pals_obj_cost(), extack);
	if (err)
		return ERR_PTR(err);
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj) {
		atomic_long_sub(pals_obj_cost(), &pals_charged);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&obj->owner_node);
	return obj;
}

/* Drops what the object holds but its blob and link. */
void pals_obj_free(struct pals_obj *obj)
{
	put_pid(obj->owner_pid);
	if (obj->prog)
		bpf_prog_put(obj->prog);
	kfree(obj);
	atomic_long_sub(pals_obj_cost(), &pals_charged);
}

/* Under pals_table_lock_insert(). Takes over obj and blob. */
void pals_obj_create(struct pals_obj *obj, struct pals_blob *blob,
		     struct pals_owner *owner)
{
	lockdep_assert_held(&pals_mutex);
	pals_table_insert(obj, blob);
	pals_obj_set_owner(obj, owner);
	pals_counts.blobs++;
	pals_counts.creates++;
	pals_changed();
}

void pals_obj_update(struct pals_obj *obj, struct pals_blob *blob)
{
	lockdep_assert_held(&pals_mutex);
	blob->type_id = obj->blob->type_id;
	pals_blob_free(pals_table_publish(obj, blob));
}

void pals_obj_set_owner(struct pals_obj *obj, struct pals_owner *owner)
{
	lockdep_assert_held(&pals_mutex);
	list_del_init(&obj->owner_node);
	obj->owner = owner;
	if (owner)
		list_add_tail(&obj->owner_node, &owner->objs);
	pals_changed();
}

/* Out of the table, and off its link: what is left is only memory. */
static void pals_obj_unpublish(struct pals_obj *obj)
{
	pals_table_remove(obj);
	if (obj->link)
		bpf_link_put(obj->link);
	obj->link = NULL;
	pals_counts.blobs--;
	pals_counts.deletes++;
	pals_changed();
}

void pals_obj_destroy(struct pals_obj *obj)
{
	lockdep_assert_held(&pals_mutex);
	list_del(&obj->owner_node);
	pals_obj_unpublish(obj);
	pals_blob_free(obj->blob);
	pals_obj_free(obj);
}

/*
 * Many blobs deleted at once: unpublished and off their links right away,
 * freed together after one pair of grace periods instead of one per blob,
 * and so not while the probes of their link may still be firing on the
 * functions that free them.
 */
struct pals_dead *pals_dead_alloc(void)
{
	struct pals_dead *dead = kmalloc(sizeof(*dead), GFP_KERNEL);

	if (dead)
		INIT_LIST_HEAD(&dead->objs);
	return dead;
}

/* @obj goes on @dead through its owner_node. */
void pals_obj_kill(struct pals_obj *obj, struct pals_dead *dead)
{
	lockdep_assert_held(&pals_mutex);
	list_move_tail(&obj->owner_node, &dead->objs);
	pals_obj_unpublish(obj);
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

static void pals_dead_free_work(struct work_struct *work)
{
	struct pals_dead *dead = container_of(work, struct pals_dead, work);
	struct pals_obj *obj, *tmp;

	list_for_each_entry_safe(obj, tmp, &dead->objs, owner_node) {
		pals_blob_discard(obj->blob);
		pals_obj_free(obj);
	}
	kfree(dead);
}

/*
 * Thousands of frees: in a worker, not in the RCU callback, which would
 * hold up the grace periods queued behind it (a link's detach waits for
 * some).
 */
static void pals_dead_free_rcu(struct rcu_head *rcu)
{
	struct pals_dead *dead = container_of(rcu, struct pals_dead, rcu);

	INIT_WORK(&dead->work, pals_dead_free_work);
	queue_work(pals_dead_wq, &dead->work);
}

static void pals_dead_free_tasks_trace(struct rcu_head *rcu)
{
	if (rcu_trace_implies_rcu_gp())
		pals_dead_free_rcu(rcu);
	else
		call_rcu(rcu, pals_dead_free_rcu);
}

/* As pals_blob_free(), for all of @dead at once. */
void pals_dead_free(struct pals_dead *dead)
{
	if (list_empty(&dead->objs))
		kfree(dead);
	else
		call_rcu_tasks_trace(&dead->rcu, pals_dead_free_tasks_trace);
}

void pals_obj_destroy_all(void)
{
	struct pals_obj *obj;
	u32 i = 0;

	mutex_lock(&pals_mutex);
	for (; (obj = pals_table_next(&i)); i++)
		pals_obj_destroy(obj);
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
