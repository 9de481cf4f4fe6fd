// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Error text of the calling thread, and the print callback it goes to. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "libpals.h"
#include "log.h"

static __thread char pals_errmsg[512];

static int pals_print_stderr(enum pals_print_level level, const char *format,
			     va_list args)
{
	if (level > PALS_WARN)
		return 0;
	return vfprintf(stderr, format, args);
}

static pals_print_fn_t pals_print_fn = pals_print_stderr;

pals_print_fn_t pals_set_print(pals_print_fn_t fn)
{
	pals_print_fn_t old = pals_print_fn;

	pals_print_fn = fn;
	return old;
}

const char *pals_last_error(void)
{
	return pals_errmsg;
}

static void pals_print(enum pals_print_level level, const char *format, ...)
{
	pals_print_fn_t fn = pals_print_fn;
	va_list args;

	if (!fn)
		return;
	va_start(args, format);
	fn(level, format, args);
	va_end(args);
}

/* Here, as every tool linked with libpals.a has log.o (not every file). */
__attribute__((constructor)) static void pals_log_init(void)
{
	pals_hint_register();
}

void pals_warn(const char *format, ...)
{
	char text[sizeof(pals_errmsg)];
	va_list args;

	va_start(args, format);
	vsnprintf(text, sizeof(text), format, args);
	va_end(args);
	pals_print(PALS_WARN, "libpals: %s\n", text);
}

int pals_err(int err, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(pals_errmsg, sizeof(pals_errmsg), format, args);
	va_end(args);
	pals_print(PALS_WARN, "libpals: %s\n", pals_errmsg);
	errno = -err;
	return err;
}

void pals_info(const char *format, ...)
{
	pals_print_fn_t fn = pals_print_fn;
	char line[256];
	va_list args;

	if (!fn)
		return;
	va_start(args, format);
	vsnprintf(line, sizeof(line), format, args);
	va_end(args);
	pals_print(PALS_INFO, "%s\n", line);
}
