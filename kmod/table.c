// SPDX-License-Identifier: GPL-2.0
/*
 * Handle to blob: the slot table.
 *
 * A handle is a slot index in its low PALS_HANDLE_INDEX_BITS bits and the
 * slot's tag above them. Slot i of a table of capacity C (a power of 2) is
 * found by any handle h with h & (C - 1) == i, and the kfunc returns the
 * blob there only if its handle equals h. A slot points at the blob's
 * data, which is what the kfunc returns; the fields it compares sit just
 * before. An empty slot holds one of two holes instead of NULL, which
 * saves the reader a test: pals_hole, whose handle is all ones, in every
 * empty slot but the last; pals_hole_last, whose handle is 0, in the last
 * slot, which is never given out. A handle that lands on pals_hole has
 * index bits other than all ones, and one that lands on the last slot has
 * them all ones, so neither is equal to its hole's handle.
 *
 * Tags: every blob gets a fresh random 44-bit tag, never 0 and never the
 * one the slot's previous blob had, so no tag says anything about another
 * and a stale handle matches a later blob of its slot with a chance of
 * 2^-44 per reuse. A new blob takes the lowest free slot: the index is not
 * secret, the tag is, and low indices let the table shrink.
 *
 * Size: the table doubles (or more) when a request needs more free slots
 * than it has. Once at most an eighth of it is live, a worker shrinks it
 * to the smallest power of 2 (at least PALS_MIN_SLOTS) that is at most a
 * quarter live and holds every live slot: handles keep their index, so
 * one high live slot holds the table at its size until it is freed.
 * Readers may still use a replaced table: it is freed after the same
 * grace periods as a blob.
 */
#include <linux/bitmap.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "pals.h"

static struct pals_blob pals_hole = { .handle = U64_MAX };
static struct pals_blob pals_hole_last = { .handle = 0 };

/* The readers' table, and what it takes to free it after readers. */
struct pals_slots_rcu {
	struct rcu_head rcu;
	struct pals_slots slots;	/* last: data[] must be at offset 8 */
};

struct pals_slots __rcu *pals_slots;
/*
 * The control side, same index: a live slot's batch and flags, a free
 * slot's last tag << 1 | PALS_OBJ_FREE (0: never used); which slots are
 * live; how many; no free slot below pals_first_free.
 */
static struct pals_obj *pals_slot_ctl;
static unsigned long *pals_slot_live;
static u32 pals_nr_live;
static u32 pals_first_free;
/* The live slot that held the last shrink back, or 0. */
static u32 pals_shrink_block;

static void pals_table_shrink_fn(struct work_struct *work);
static DECLARE_WORK(pals_shrink_work, pals_table_shrink_fn);

/* A table of another size, allocated before taking pals_mutex. */
struct pals_table_new {
	u32 cap;
	struct pals_slots_rcu *slots;
	struct pals_obj *ctl;
	unsigned long *live;
};

static struct pals_slots *pals_slots_locked(void)
{
	return rcu_dereference_protected(pals_slots,
					 lockdep_is_held(&pals_mutex));
}

static u32 pals_cap(void)
{
	return pals_slots_locked()->mask + 1;
}

static void pals_slots_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct pals_slots_rcu, rcu));
}

static void pals_slots_free_tasks_trace(struct rcu_head *rcu)
{
	if (rcu_trace_implies_rcu_gp())
		pals_slots_free_rcu(rcu);
	else
		call_rcu(rcu, pals_slots_free_rcu);
}

static void pals_table_new_free(struct pals_table_new *new)
{
	kvfree(new->slots);
	kvfree(new->ctl);
	bitmap_free(new->live);
	memset(new, 0, sizeof(*new));
}

/*
 * Charged to the memory cgroup of the caller whose blob needed the room
 * (a shrink runs in a worker: to none).
 */
static int pals_table_new_alloc(struct pals_table_new *new, u32 cap)
{
	new->cap = cap;
	new->slots = kvmalloc(struct_size(new->slots, slots.data, cap),
			      GFP_KERNEL_ACCOUNT);
	new->ctl = kvcalloc(cap, sizeof(*new->ctl), GFP_KERNEL_ACCOUNT);
	new->live = bitmap_zalloc(cap, GFP_KERNEL_ACCOUNT);
	if (new->slots && new->ctl && new->live)
		return 0;
	pals_table_new_free(new);
	return -ENOMEM;
}

/*
 * Publish @new, holding the old table's blobs (if any; when it is
 * smaller, no live slot is at or above its last): every other slot a
 * hole. Its control side comes along; readers never see that one. The
 * copies are of at most 2^20 slots.
 */
static void pals_table_install(struct pals_table_new *new)
{
	struct pals_slots *old = pals_slots_locked(), *slots;
	u32 old_cap = old ? old->mask + 1 : 0, cap = new->cap, i;

	slots = &new->slots->slots;
	slots->mask = cap - 1;
	for (i = 0; i < cap - 1; i++)
		slots->data[i] = i + 1 < old_cap ? old->data[i] : pals_hole.data;
	slots->data[cap - 1] = pals_hole_last.data;
	if (old_cap) {
		memcpy(new->ctl, pals_slot_ctl,
		       min(old_cap, cap) * sizeof(*new->ctl));
		bitmap_copy(new->live, pals_slot_live, min(old_cap, cap));
	}
	kvfree(pals_slot_ctl);
	bitmap_free(pals_slot_live);
	pals_slot_ctl = new->ctl;
	pals_slot_live = new->live;
	pals_shrink_block = 0;
	rcu_assign_pointer(pals_slots, slots);
	/* Programs may still be reading the old table, as blobs. */
	if (old)
		call_rcu_tasks_trace(&container_of(old, struct pals_slots_rcu,
						   slots)->rcu,
				     pals_slots_free_tasks_trace);
}

/*
 * The capacity that leaves @n slots free: the current one, or a larger
 * power of 2; 0 if the live blobs and @n more would pass max_slots - 1
 * (the last slot is never given out).
 */
static u32 pals_cap_grown(u32 n)
{
	u32 cap = pals_cap();
	u64 want = (u64)pals_nr_live + 1 + n;

	if (want > READ_ONCE(pals_max_slots))
		return 0;
	return want <= cap ? cap : roundup_pow_of_two(want);
}

/*
 * The capacity to shrink to: a smaller power of 2, at least
 * PALS_MIN_SLOTS, at most a quarter live, above the highest live slot
 * (the last slot is never given out); or the current one.
 */
static u32 pals_cap_shrunk(u32 unused)
{
	u32 cap = pals_cap(), top, want;

	top = find_last_bit(pals_slot_live, cap);
	want = max3(PALS_MIN_SLOTS, 4 * pals_nr_live, top < cap ? top + 2 : 0);
	want = roundup_pow_of_two(want);
	if (want < cap)
		return want;
	/* Held by the highest live slot: retry once it is freed. */
	pals_shrink_block = top < cap && 2 * (top + 2) > cap ? top : 0;
	return cap;
}

/*
 * Take pals_mutex with the table at the capacity @cap_for(@n) gives
 * (0: none), replacing it if needed; with no allocation under the mutex,
 * which socket releases wait for. Returns 0 (locked) or an error
 * (unlocked): -ENOSPC if @cap_for gives none.
 */
static int pals_table_lock_sized(u32 (*cap_for)(u32 n), u32 n)
{
	struct pals_table_new new = {};
	u32 cap;
	int err;

	for (;;) {
		mutex_lock(&pals_mutex);
		cap = cap_for(n);
		if (cap && cap == pals_cap())
			break;
		if (cap && new.cap == cap) {
			pals_table_install(&new);
			return 0;
		}
		mutex_unlock(&pals_mutex);
		pals_table_new_free(&new);
		if (!cap)
			return -ENOSPC;
		err = pals_table_new_alloc(&new, cap);
		if (err)
			return err;
	}
	/* Another caller resized the table meanwhile. */
	pals_table_new_free(&new);
	return 0;
}

/*
 * Take pals_mutex with @n free slots available for pals_table_insert(),
 * growing the table if needed. Returns 0 (locked) or an error (unlocked):
 * -ENOSPC if max_slots does not leave room for @n more blobs.
 */
int pals_table_lock_insert_n(u32 n)
{
	return pals_table_lock_sized(pals_cap_grown, n);
}

int pals_table_lock_insert(void)
{
	return pals_table_lock_insert_n(1);
}

static void pals_table_shrink_fn(struct work_struct *work)
{
	if (!pals_table_lock_sized(pals_cap_shrunk, 0))
		mutex_unlock(&pals_mutex);
}

static u32 pals_index(const struct pals_obj *obj)
{
	return obj - pals_slot_ctl;
}

/* The copy published for @obj. */
struct pals_blob *pals_obj_blob(const struct pals_obj *obj)
{
	lockdep_assert_held(&pals_mutex);
	return container_of(pals_slots_locked()->data[pals_index(obj)],
			    struct pals_blob, data[0]);
}

static bool pals_obj_live(const struct pals_obj *obj)
{
	return obj->word && !pals_obj_test(obj, PALS_OBJ_FREE);
}

/*
 * Under pals_table_lock_insert(): cannot fail. Publishes @blob for a new
 * blob of @batch, with PALS_OBJ_* @flags, and gives it its handle.
 */
void pals_table_insert(struct pals_batch *batch, struct pals_blob *blob,
		       unsigned long flags)
{
	struct pals_obj *obj;
	u64 last, tag;
	u32 index;

	lockdep_assert_held(&pals_mutex);
	index = find_next_zero_bit(pals_slot_live, pals_cap() - 1,
				   pals_first_free);
	__set_bit(index, pals_slot_live);
	pals_first_free = index + 1;
	pals_nr_live++;
	obj = &pals_slot_ctl[index];
	last = obj->word >> 1;
	do
		tag = get_random_u64() & PALS_TAG_MASK;
	while (!tag || tag == last);
	pals_blob_stamp(blob, tag << PALS_HANDLE_INDEX_BITS | index);
	obj->word = (unsigned long)batch | flags;
	/* Readers must see the blob's handle, type and size before it. */
	smp_store_release(&pals_slots_locked()->data[index], blob->data);
}

struct pals_obj *pals_table_find(u64 handle)
{
	u32 index = PALS_HANDLE_INDEX(handle);
	struct pals_obj *obj;

	lockdep_assert_held(&pals_mutex);
	if (index >= pals_cap() - 1)
		return NULL;
	obj = &pals_slot_ctl[index];
	return pals_obj_live(obj) && pals_blob_handle(pals_obj_blob(obj)) == handle ?
	       obj : NULL;
}

/* The first live object at *index or after, which is set to its slot. */
struct pals_obj *pals_table_next(u32 *index)
{
	u32 last = pals_cap() - 1;

	lockdep_assert_held(&pals_mutex);
	*index = find_next_bit(pals_slot_live, last, *index);
	return *index < last ? &pals_slot_ctl[*index] : NULL;
}

/* Publish a new copy of the blob; returns the old one. */
struct pals_blob *pals_table_publish(struct pals_obj *obj,
				     struct pals_blob *blob)
{
	struct pals_blob *old = pals_obj_blob(obj);

	pals_blob_stamp(blob, pals_blob_handle(old));
	/* As in pals_table_insert(). */
	smp_store_release(&pals_slots_locked()->data[pals_index(obj)],
			  blob->data);
	return old;
}

void pals_table_remove(struct pals_obj *obj)
{
	u32 index = pals_index(obj), cap = pals_cap();
	u64 tag = PALS_HANDLE_TAG(pals_obj_blob(obj)->handle);

	WRITE_ONCE(pals_slots_locked()->data[index], pals_hole.data);
	obj->word = tag << 1 | PALS_OBJ_FREE;
	__clear_bit(index, pals_slot_live);
	pals_nr_live--;
	pals_first_free = min(pals_first_free, index);
	if (cap > PALS_MIN_SLOTS && 8 * pals_nr_live <= cap &&
	    index >= pals_shrink_block)
		schedule_work(&pals_shrink_work);
}

/* Capacity of the table, the last slot included. */
u32 pals_table_capacity(void)
{
	u32 cap;

	mutex_lock(&pals_mutex);
	cap = pals_cap();
	mutex_unlock(&pals_mutex);
	return cap;
}

/* What a live blob's slot takes: the pointer programs read, the rest. */
size_t pals_table_slot_bytes(void)
{
	return sizeof(*pals_slots->data) + sizeof(*pals_slot_ctl);
}

int pals_table_init(void)
{
	struct pals_table_new new = {};
	int err;

	err = pals_table_new_alloc(&new, PALS_MIN_SLOTS);
	if (err)
		return err;
	mutex_lock(&pals_mutex);
	pals_table_install(&new);
	mutex_unlock(&pals_mutex);
	return 0;
}

/* Every object is gone: no shrink starts after this one. */
void pals_table_stop(void)
{
	cancel_work_sync(&pals_shrink_work);
}

/* After pals_table_stop(), and every reader has finished. */
void pals_table_exit(void)
{
	kvfree(container_of(rcu_dereference_protected(pals_slots, true),
			    struct pals_slots_rcu, slots));
	kvfree(pals_slot_ctl);
	bitmap_free(pals_slot_live);
}
