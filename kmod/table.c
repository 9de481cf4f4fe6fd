// SPDX-License-Identifier: GPL-2.0
/* Handle to blob: the two-level slot table. */
#include <linux/slab.h>

#include "pals.h"

#define PALS_NO_SLOT	U32_MAX

struct pals_slot *pals_dir[PALS_MAX_SLOTS >> PALS_CHUNK_SHIFT];
static u32 pals_nr_slots;
static u32 pals_free_head = PALS_NO_SLOT;

static struct pals_slot *pals_slot(u32 index)
{
	return &pals_dir[index >> PALS_CHUNK_SHIFT][index & (PALS_CHUNK_SLOTS - 1)];
}

static int pals_slot_get(u32 *index)
{
	struct pals_slot *chunk;

	if (pals_free_head != PALS_NO_SLOT) {
		*index = pals_free_head;
		pals_free_head = pals_slot(*index)->next_free;
		return 0;
	}
	if (pals_nr_slots == PALS_MAX_SLOTS)
		return -ENOSPC;
	if (!(pals_nr_slots % PALS_CHUNK_SLOTS)) {
		chunk = kcalloc(PALS_CHUNK_SLOTS, sizeof(*chunk), GFP_KERNEL);
		if (!chunk)
			return -ENOMEM;
		/* Readers must see the zeroed chunk before its pointer. */
		smp_store_release(&pals_dir[pals_nr_slots >> PALS_CHUNK_SHIFT],
				  chunk);
	}
	*index = pals_nr_slots++;
	pals_slot(*index)->gen = 1;
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
	slot = pals_slot(index);
	obj->handle = (u64)slot->gen << 32 | index;
	blob->handle = obj->handle;
	obj->blob = blob;
	slot->obj = obj;
	rcu_assign_pointer(slot->blob, blob);
	return 0;
}

struct pals_obj *pals_table_find(u64 handle)
{
	u32 index = (u32)handle;
	struct pals_obj *obj;

	lockdep_assert_held(&pals_mutex);
	if (index >= pals_nr_slots)
		return NULL;
	obj = pals_slot(index)->obj;
	return obj && obj->handle == handle ? obj : NULL;
}

/* The first live object at *index or after, which is set to its slot. */
struct pals_obj *pals_table_next(u32 *index)
{
	lockdep_assert_held(&pals_mutex);
	for (; *index < pals_nr_slots; (*index)++)
		if (pals_slot(*index)->obj)
			return pals_slot(*index)->obj;
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
	rcu_assign_pointer(pals_slot((u32)obj->handle)->blob, blob);
	return old;
}

void pals_table_remove(struct pals_obj *obj)
{
	u32 index = (u32)obj->handle;
	struct pals_slot *slot = pals_slot(index);

	lockdep_assert_held(&pals_mutex);
	RCU_INIT_POINTER(slot->blob, NULL);
	slot->obj = NULL;
	if (!++slot->gen)
		slot->gen = 1;
	slot->next_free = pals_free_head;
	pals_free_head = index;
}

/* Every object is gone and every reader has finished. */
void pals_table_exit(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(pals_dir); i++)
		kfree(pals_dir[i]);
}
