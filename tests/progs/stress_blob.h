/* SPDX-License-Identifier: GPL-2.0 */
/* The blob of the stress test: every update writes it consistently. */
#ifndef __PALS_STRESS_BLOB_H
#define __PALS_STRESS_BLOB_H

#define STRESS_WORDS 6

struct stress_blob {
	__u64 seq;			/* bumped by each update */
	__u64 word[STRESS_WORDS];	/* seq * (i + 1) */
	__u64 check;			/* seq ^ the sum of the words */
	__u64 reads;			/* counted by the programs */
};

static inline void stress_blob_fill(struct stress_blob *b, __u64 seq)
{
	int i;

	b->seq = seq;
	b->check = 0;
	for (i = 0; i < STRESS_WORDS; i++) {
		b->word[i] = seq * (i + 1);
		b->check += b->word[i];
	}
	b->check ^= seq;
}

/* Whether @b is one update's bytes, not a mix of two. */
static inline int stress_blob_whole(const struct stress_blob *b)
{
	__u64 seq = b->seq, sum = 0;
	int i;

	for (i = 0; i < STRESS_WORDS; i++) {
		if (b->word[i] != seq * (i + 1))
			return 0;
		sum += b->word[i];
	}
	return (sum ^ seq) == b->check;
}

#endif /* __PALS_STRESS_BLOB_H */
