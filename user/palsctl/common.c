// SPDX-License-Identifier: GPL-2.0
/* Error reporting, JSON printing and argument helpers of the commands. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palsctl.h"

bool json_output;
bool pretty_output;
bool percpu_output;

static void p_verr(const char *fmt, va_list args)
{
	struct json_object *obj;
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, args);
	if (!json_output) {
		fprintf(stderr, "Error: %s\n", msg);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "error", json_object_new_string(msg));
	json_print(obj);
}

int p_err(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	p_verr(fmt, args);
	va_end(args);
	return EXIT_ERR;
}

int p_usage(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	p_verr(fmt, args);
	va_end(args);
	fprintf(stderr, "Try 'palsctl --help' for more information.\n");
	return EXIT_USAGE;
}

int p_pals_err(void)
{
	const char *msg = pals_last_error();

	return p_err("%s", *msg ? msg : strerror(errno));
}

/*
 * palsctl works on the module's blobs: those of the map fallback live in
 * their process's BPF objects, out of its reach.
 */
int ctx_open(struct pals_ctx **ctx)
{
	PALS_OPTS(pals_ctx_opts, opts, .mode = PALS_MODE_MODULE);

	*ctx = pals_ctx__new(&opts);
	if (!*ctx && errno == ENOENT)
		return p_err("pals.ko is not loaded: palsctl sees the module's blobs only; tools running on the map fallback keep theirs in their own process");
	return *ctx ? EXIT_OK : p_pals_err();
}

void json_print(struct json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= pretty_output ? JSON_C_TO_STRING_PRETTY |
				 JSON_C_TO_STRING_SPACED :
				 JSON_C_TO_STRING_PLAIN;
	printf("%s\n", json_object_to_json_string_ext(obj, flags));
	json_object_put(obj);
}

const char *handle_str(__u64 handle)
{
	static char buf[sizeof("0x") + 16];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)handle);
	return buf;
}

int handle_args(int argc, char **argv, int extra_ok, __u64 *handle,
		struct pals_ctx **ctx)
{
	char *end;

	if (argc < 1)
		return p_usage("HANDLE missing");
	if (argc > 1 + extra_ok)
		return p_usage("unexpected argument '%s'", argv[1 + extra_ok]);
	/* strtoull() would take leading blanks, signs, and negate. */
	errno = 0;
	*handle = strtoull(argv[0], &end, 0);
	if (!isdigit((unsigned char)argv[0][0]) || *end || errno)
		return p_usage("invalid handle '%s'", argv[0]);
	return ctx_open(ctx);
}
