// SPDX-License-Identifier: GPL-2.0
/* Blob lifecycle: create, update, destroy, and ownership release. */
#include <linux/bpf.h>
#include <linux/slab.h>

#include "pals.h"

DEFINE_MUTEX(pals_mutex);

/* Protected by pals_mutex; misses live in kfunc.c. */
static struct pals_stats pals_counts;

/* The handle is set when the blob is published. */
struct pals_blob *pals_blob_alloc(u32 type_id, u32 size)
{
	struct pals_blob *blob;

	blob = kmalloc(struct_size(blob, data, size), GFP_KERNEL_ACCOUNT);
	if (!blob)
		return NULL;
	blob->type_id = type_id;
	blob->size = size;
	return blob;
}

static void pals_blob_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct pals_blob, rcu));
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

/*
 * Takes over obj (prog reference, type, size, flags and owner filled in)
 * and blob (bytes filled in) on success; the caller frees them on error.
 */
int pals_obj_create(struct pals_obj *obj, struct pals_blob *blob,
		    struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&pals_mutex);
	if (pals_counts.bytes + obj->size > pals_max_bytes) {
		NL_SET_ERR_MSG_FMT(extack,
				   "PALS_A_DATA: %u more bytes would pass max_bytes (%lu)",
				   obj->size, pals_max_bytes);
		return -ENOSPC;
	}
	err = pals_table_insert(obj, blob);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(extack, "slot table full: too many live blobs");
	if (err)
		return err;
	pals_counts.blobs++;
	pals_counts.bytes += obj->size;
	pals_counts.creates++;
	return 0;
}

void pals_obj_update(struct pals_obj *obj, struct pals_blob *blob)
{
	pals_blob_free(pals_table_publish(obj, blob));
}

void pals_obj_destroy(struct pals_obj *obj)
{
	lockdep_assert_held(&pals_mutex);
	pals_table_remove(obj);
	pals_blob_free(obj->blob);
	if (obj->link)
		bpf_link_put(obj->link);
	bpf_prog_put(obj->prog);
	pals_counts.blobs--;
	pals_counts.bytes -= obj->size;
	pals_counts.deletes++;
	kfree(obj);
}

/* The owner socket is gone: destroy its blobs, orphan the pinned ones. */
void pals_obj_release_owner(struct net *net, u32 portid)
{
	struct pals_obj *obj;
	u32 i = 0;

	mutex_lock(&pals_mutex);
	for (; (obj = pals_table_next(&i)); i++) {
		if (obj->net != net || obj->portid != portid)
			continue;
		if (obj->flags & PALS_F_PINNED) {
			obj->net = NULL;
			obj->portid = 0;
		} else {
			pals_obj_destroy(obj);
		}
	}
	mutex_unlock(&pals_mutex);
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

void pals_stats_read(struct pals_stats *st)
{
	mutex_lock(&pals_mutex);
	*st = pals_counts;
	mutex_unlock(&pals_mutex);
	st->misses = pals_kfunc_misses_read();
}
