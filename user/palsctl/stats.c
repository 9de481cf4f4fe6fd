// SPDX-License-Identifier: GPL-2.0
/* palsctl stats: the module's counters and limits. */
#include <stddef.h>
#include <stdio.h>

#include "palsctl.h"

static const struct {
	const char *name;
	size_t off;
} stat_fields[] = {
	{ "blobs", offsetof(struct pals_stats, blobs) },
	{ "bytes", offsetof(struct pals_stats, bytes) },
	{ "creates", offsetof(struct pals_stats, creates) },
	{ "deletes", offsetof(struct pals_stats, deletes) },
	{ "misses", offsetof(struct pals_stats, misses) },
	{ "max_size", offsetof(struct pals_stats, max_size) },
	{ "max_bytes", offsetof(struct pals_stats, max_bytes) },
	{ "overhead", offsetof(struct pals_stats, overhead) },
	{ "slots", offsetof(struct pals_stats, slots) },
};

_Static_assert(sizeof(struct pals_stats) / sizeof(__u64) ==
	       ARRAY_SIZE(stat_fields),
	       "every field of struct pals_stats is shown");

int do_stats(int argc, char **argv)
{
	struct json_object *obj;
	struct pals_stats st;
	struct pals_ctx *ctx;
	size_t i;
	__u64 v;
	int err;

	if (argc)
		return p_usage("unexpected argument '%s'", argv[0]);
	err = ctx_open(&ctx);
	if (err)
		return err;
	err = pals_ctx__stats(ctx, &st);
	pals_ctx__free(ctx);
	if (err)
		return p_pals_err();

	obj = json_output ? json_object_new_object() : NULL;
	for (i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		v = *(const __u64 *)((const char *)&st + stat_fields[i].off);
		if (obj)
			json_object_object_add(obj, stat_fields[i].name,
					       json_object_new_uint64(v));
		else
			printf("%-10s %llu\n", stat_fields[i].name,
			       (unsigned long long)v);
	}
	if (obj)
		json_print(obj);
	return EXIT_OK;
}
