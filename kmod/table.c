// SPDX-License-Identifier: GPL-2.0
/*
 * Handle to blob: the slot table.
 *
 * Slot i of a table of capacity C (a power of 2) is found by any handle h
 * with h & (C - 1) == i, and the kfunc returns the blob there only if its
 * handle equals h. A slot points at the blob's data, which is what the
 * kfunc returns; the fields it compares sit just before. An empty slot
 * holds one of two holes instead of NULL, which saves the reader a test:
 * pals_hole, whose handle is all ones, in every empty slot but the last;
 * pals_hole_last, whose handle is 0, in the last slot, which is never
 * given out. A handle that lands on pals_hole has index bits other than
 * all ones, and one that lands on the last slot has them all ones, so
 * neither is equal to its hole's handle.
 */
#include <linux/slab.h>

#include "pals.h"

#define PALS_NO_SLOT	U32_MAX

static struct pals_blob pals_hole = { .handle = U64_MAX };
static struct pals_blob pals_hole_last = { .handle = 0 };

/* The readers' table, and what it takes to free it after readers. */
struct pals_slots_rcu {
	struct rcu_head rcu;
	struct pals_slots slots;	/* last: data[] must be at offset 8 */
};

struct pals_slots __rcu *pals_slots;
static struct pals_slot *pals_slot_ctl;	/* the control side, same index */
static u32 pals_nr_slots;		/* indices ever given out */
static u32 pals_free_head = PALS_NO_SLOT;

static struct pals_slots *pals_slots_locked(void)
{
	return rcu_dereference_protected(pals_slots,
					 lockdep_is_held(&pals_mutex));
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

/*
 * A table of capacity @cap holding @old's blobs (if any): every other slot
 * a hole. Its control side grows with it; readers never see that one.
 */
static int pals_table_grow(u32 cap)
{
	struct pals_slots *old = pals_slots_locked(), *slots;
	u32 old_cap = old ? old->mask + 1 : 0, i;
	struct pals_slots_rcu *new;
	struct pals_slot *ctl;

	new = kvmalloc(struct_size(new, slots.data, cap), GFP_KERNEL);
	ctl = kvcalloc(cap, sizeof(*ctl), GFP_KERNEL);
	if (!new || !ctl) {
		kvfree(new);
		kvfree(ctl);
		return -ENOMEM;
	}
	slots = &new->slots;
	slots->mask = cap - 1;
	for (i = 0; i < cap - 1; i++)
		slots->data[i] = i < pals_nr_slots ? old->data[i] : pals_hole.data;
	slots->data[cap - 1] = pals_hole_last.data;
	if (old_cap)
		memcpy(ctl, pals_slot_ctl, old_cap * sizeof(*ctl));
	kvfree(pals_slot_ctl);
	pals_slot_ctl = ctl;
	rcu_assign_pointer(pals_slots, slots);
	/* Programs may still be reading the old table, as blobs. */
	if (old)
		call_rcu_tasks_trace(&container_of(old, struct pals_slots_rcu,
						   slots)->rcu,
				     pals_slots_free_tasks_trace);
	return 0;
}

static int pals_slot_get(u32 *index)
{
	u32 cap = pals_slots_locked()->mask + 1;
	int err;

	if (pals_free_head != PALS_NO_SLOT) {
		*index = pals_free_head;
		pals_free_head = pals_slot_ctl[*index].next_free;
		return 0;
	}
	/* The last slot is never given out: it holds pals_hole_last. */
	if (pals_nr_slots == cap - 1) {
		if (cap == PALS_MAX_SLOTS)
			return -ENOSPC;
		err = pals_table_grow(cap * 2);
		if (err)
			return err;
	}
	*index = pals_nr_slots++;
	pals_slot_ctl[*index].gen = 1;
	return 0;
}

int pals_table_insert(struct pals_obj *obj, struct pals_blob *blob)
{
	struct pals_slot *slot;
	u32 index;
	int err;

	lockdep_assert_held(&pals_mutex);
	err = pals_slot_get(&index);
	if (err)
		return err;
	slot = &pals_slot_ctl[index];
	obj->handle = (u64)slot->gen << 32 | index;
	blob->handle = obj->handle;
	obj->blob = blob;
	slot->obj = obj;
	/* Readers must see the blob's handle, type and size before it. */
	smp_store_release(&pals_slots_locked()->data[index], blob->data);
	return 0;
}

struct pals_obj *pals_table_find(u64 handle)
{
	u32 index = (u32)handle;
	struct pals_obj *obj;

	lockdep_assert_held(&pals_mutex);
	if (index >= pals_nr_slots)
		return NULL;
	obj = pals_slot_ctl[index].obj;
	return obj && obj->handle == handle ? obj : NULL;
}

/* The first live object at *index or after, which is set to its slot. */
struct pals_obj *pals_table_next(u32 *index)
{
	lockdep_assert_held(&pals_mutex);
	for (; *index < pals_nr_slots; (*index)++)
		if (pals_slot_ctl[*index].obj)
			return pals_slot_ctl[*index].obj;
	return NULL;
}

/* Publish a new copy of the blob; returns the old one for freeing. */
struct pals_blob *pals_table_publish(struct pals_obj *obj,
				     struct pals_blob *blob)
{
	struct pals_blob *old = obj->blob;

	lockdep_assert_held(&pals_mutex);
	blob->handle = obj->handle;
	obj->blob = blob;
	/* As in pals_table_insert(). */
	smp_store_release(&pals_slots_locked()->data[(u32)obj->handle],
			  blob->data);
	return old;
}

void pals_table_remove(struct pals_obj *obj)
{
	u32 index = (u32)obj->handle;
	struct pals_slot *slot = &pals_slot_ctl[index];

	lockdep_assert_held(&pals_mutex);
	WRITE_ONCE(pals_slots_locked()->data[index], pals_hole.data);
	slot->obj = NULL;
	if (!++slot->gen)
		slot->gen = 1;
	slot->next_free = pals_free_head;
	pals_free_head = index;
}

int pals_table_init(void)
{
	int err;

	mutex_lock(&pals_mutex);
	err = pals_table_grow(PALS_MIN_SLOTS);
	mutex_unlock(&pals_mutex);
	return err;
}

/* Every object is gone and every reader has finished. */
void pals_table_exit(void)
{
	kvfree(container_of(rcu_dereference_protected(pals_slots, true),
			    struct pals_slots_rcu, slots));
	kvfree(pals_slot_ctl);
}
