// SPDX-License-Identifier: GPL-2.0
/*
 * PALS: per-attach local storage for BPF programs.
 *
 * Module parameters, init and exit. The contract with userspace is
 * uapi/linux/pals.h.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "pals.h"

unsigned int pals_max_size = PALS_DEFAULT_MAX_SIZE;

static int pals_max_size_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, PALS_SIZE_LIMIT);
}

static const struct kernel_param_ops pals_max_size_ops = {
	.set	= pals_max_size_set,
	.get	= param_get_uint,
};

module_param_cb(max_size, &pals_max_size_ops, &pals_max_size, 0644);
MODULE_PARM_DESC(max_size, "Largest blob in bytes, 1 .. 1 MiB (default 65536)");

unsigned int pals_max_slots = PALS_MAX_SLOTS;

static int pals_max_slots_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, PALS_MIN_SLOTS, PALS_MAX_SLOTS);
}

static const struct kernel_param_ops pals_max_slots_ops = {
	.set	= pals_max_slots_set,
	.get	= param_get_uint,
};

module_param_cb(max_slots, &pals_max_slots_ops, &pals_max_slots, 0644);
MODULE_PARM_DESC(max_slots, "Live blobs + 1 at most, 256 .. 1048576 (default)");

unsigned long pals_max_bytes = PALS_DEFAULT_MAX_BYTES;
module_param_named(max_bytes, pals_max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "Kernel memory of all blobs in bytes (default 256 MiB)");

static int __init pals_init(void)
{
	int err;

	err = pals_dead_init();
	if (err)
		return err;
	err = pals_table_init();
	if (err)
		goto err_dead;
	err = pals_kfunc_init();
	if (err)
		goto err_table;
	err = pals_owner_init();
	if (err)
		goto err_table;
	err = pals_genl_init();
	if (err)
		goto err_owner;
	return 0;
err_owner:
	pals_owner_exit();
err_table:
	pals_table_exit();
err_dead:
	pals_dead_exit();
	return err;
}

static void __exit pals_exit(void)
{
	pals_genl_exit();
	pals_owner_exit();
	pals_obj_destroy_all();
	pals_table_stop();
	/* Wait for the blob free callbacks, then for what they queued. */
	rcu_barrier_tasks_trace();
	rcu_barrier();
	pals_dead_exit();
	pals_table_exit();
}

module_init(pals_init);
module_exit(pals_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("PALS developers");
MODULE_DESCRIPTION("Per-attach local storage for BPF programs");
PALS_IMPORT_NS("BPF_INTERNAL");
