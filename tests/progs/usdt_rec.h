/* SPDX-License-Identifier: GPL-2.0 */
/* What the USDT test programs (usdt.bpf.c) record for test_usdt.c. */
#ifndef __PALS_TEST_USDT_REC_H
#define __PALS_TEST_USDT_REC_H

/* Probes are told apart by their USDT cookie: a slot of the records. */
#define USDT_SLOTS	32

struct usdt_rec {
	__u64 hits;
	__s64 arg_cnt;
	__u64 args[12];
	__s64 sizes[12];	/* pals_usdt_arg_size(), by on_pals_fn only */
};

#endif /* __PALS_TEST_USDT_REC_H */
