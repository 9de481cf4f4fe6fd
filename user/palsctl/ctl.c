// SPDX-License-Identifier: GPL-2.0
/* palsctl delete, pin, unpin: one command on one blob. */
#include <stdio.h>

#include "palsctl.h"

static int handle_cmd(int argc, char **argv,
		      int (*cmd)(struct pals_ctx *ctx, __u64 handle))
{
	struct pals_ctx *ctx;
	__u64 handle;
	int err;

	err = handle_args(argc, argv, 0, &handle, &ctx);
	if (err)
		return err;
	if (cmd(ctx, handle))
		err = p_pals_err();
	else if (json_output)
		printf("null\n");
	pals_ctx__free(ctx);
	return err;
}

int do_delete(int argc, char **argv)
{
	return handle_cmd(argc, argv, pals_ctx__delete);
}

int do_pin(int argc, char **argv)
{
	return handle_cmd(argc, argv, pals_ctx__pin);
}

int do_unpin(int argc, char **argv)
{
	return handle_cmd(argc, argv, pals_ctx__unpin);
}
