// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* opencount: the smallest PALS loader; README.md shows it whole. */
#include <stdio.h>
#include <unistd.h>
#include <linux/types.h>
#include <pals/libpals.h>
#include "opencount.h"
#include "opencount.skel.h"

int main(void)
{
	struct open_cfg cfg = { .uid = getuid() };
	struct opencount *skel;
	struct pals_link *pl;
	int i;

	skel = opencount__open();
	if (!skel)
		return 1;
	/* pals.ko's kfunc, or where the module is absent a map: chosen here */
	if (pals_object__prepare(skel->obj) || opencount__load(skel)) {
		opencount__destroy(skel);
		return 1;
	}
	/* NULL: the blob's type is the one count_opens asks pals_get() for */
	pl = pals_attach_kprobe(skel->progs.count_opens, "do_sys_openat2",
				NULL, &cfg, sizeof(cfg), NULL);
	if (!pl) {	/* libpals has printed why, pals_last_error() has it */
		opencount__destroy(skel);
		return 1;
	}
	for (i = 0; i < 3; i++)
		fclose(fopen("/proc/self/stat", "r"));
	if (!pals_link__read(pl, 0, &cfg, sizeof(cfg)))
		printf("opens by uid %u: %llu\n", cfg.uid,
		       (unsigned long long)cfg.opens);
	pals_link__destroy(pl);	/* detaches and frees the blob */
	opencount__destroy(skel);
	return 0;
}
