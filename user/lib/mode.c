// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which way a context keeps blobs: pals.ko, or the map fallback where the
 * module is absent (fallback.c). Chosen per context, from its opts, else
 * $PALS_MODE (module, fallback or auto), else automatically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "fallback.h"
#include "log.h"

/* The oldest kernel pals.ko builds for (kmod/Kbuild). */
#define PALS_MODULE_FLOOR_MAJOR	6
#define PALS_MODULE_FLOOR_MINOR	10

static enum pals_mode pals_default_mode = PALS_MODE_AUTO;

int pals_set_mode(enum pals_mode mode)
{
	if (mode > PALS_MODE_FALLBACK)
		return pals_err(-EINVAL, "mode %d unknown", mode);
	pals_default_mode = mode;
	return 0;
}

enum pals_mode pals_mode_default(void)
{
	return pals_default_mode;
}

static int pals_mode_env(enum pals_mode *mode)
{
	const char *env = getenv("PALS_MODE");

	if (!env || !*env || !strcmp(env, "auto"))
		return 0;
	if (!strcmp(env, "module"))
		*mode = PALS_MODE_MODULE;
	else if (!strcmp(env, "fallback"))
		*mode = PALS_MODE_FALLBACK;
	else
		return pals_err(-EINVAL, "PALS_MODE=%s: give module, fallback or auto", env);
	return 0;
}

int pals_mode_wanted(enum pals_mode mode)
{
	int err;

	if (mode > PALS_MODE_FALLBACK)
		return pals_err(-EINVAL, "pals_ctx_opts: mode %d unknown", mode);
	if (mode != PALS_MODE_AUTO)
		return mode;
	err = pals_mode_env(&mode);
	return err ?: (int)mode;
}

void pals_mode_notice(enum pals_mode wanted)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (wanted == PALS_MODE_FALLBACK) {
		pals_info("libpals: using the map fallback, as asked (%s)",
			  getenv("PALS_MODE") ? "PALS_MODE" : "pals_ctx_opts.mode");
		return;
	}
	if (!uname(&u) && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	    (major < PALS_MODULE_FLOOR_MAJOR ||
	     (major == PALS_MODULE_FLOOR_MAJOR && minor < PALS_MODULE_FLOOR_MINOR))) {
		pals_info("libpals: using the map fallback: kernel %d.%d is older than pals.ko's %d.%d",
			  major, minor, PALS_MODULE_FLOOR_MAJOR, PALS_MODULE_FLOOR_MINOR);
		return;
	}
	pals_info("libpals: using the map fallback: pals.ko is not loaded and could not be loaded");
}
