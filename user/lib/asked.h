/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The blob types a loaded program asks bpf_pals_get() for. */
#ifndef __LIBPALS_ASKED_H
#define __LIBPALS_ASKED_H

#include <stdbool.h>
#include <linux/types.h>

struct btf;
struct bpf_insn;

/* Distinct types told apart; a program asking for more is unknown. */
#define PALS_ASKED_MAX	16

struct pals_asked {
	__u32 ids[PALS_ASKED_MAX];	/* type ids in @btf, in program order */
	unsigned int cnt;
	bool unknown;	/* some call's type could not be read: ids is partial */
	__u32 max_size;	/* the largest blob size asked for with them */
};

/*
 * Fill @asked with the type ids (in @btf, the program's BTF) that the
 * program @prog_fd passes to bpf_pals_get(). 0 or a negative errno.
 */
int pals_prog_asked(int prog_fd, const struct btf *btf,
		    struct pals_asked *asked);

/*
 * The same from instructions not loaded yet, or as libbpf relocated them
 * (bpf_program__insns()): where dead-code elimination removed the calls
 * from the loaded program (the map fallback), they are still there.
 */
int pals_insns_asked(const struct bpf_insn *insns, size_t cnt,
		     const struct btf *btf, struct pals_asked *asked);

#endif /* __LIBPALS_ASKED_H */
