/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Error reporting inside libpals. */
#ifndef __LIBPALS_LOG_H
#define __LIBPALS_LOG_H

/*
 * Record @format as the thread's last error, print it at PALS_WARN, set
 * errno to -@err and return @err (a negative errno).
 */
int pals_err(int err, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Print a notice (one line, no newline) at PALS_INFO. */
void pals_info(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Print one line of advice at PALS_WARN; not an error of a call. */
void pals_warn(const char *format, ...)
	__attribute__((format(printf, 1, 2)));

/* Put libpals' hints before libbpf's messages (hint.c). */
void pals_hint_register(void);

#endif /* __LIBPALS_LOG_H */
