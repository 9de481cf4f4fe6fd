// SPDX-License-Identifier: GPL-2.0
/*
 * For test_locking.c: what the module does in the test process's
 * requests, seen from the kernel. Allocations while it holds pals_mutex,
 * allocations of its requests not charged to a memory cgroup, and blob
 * bytes put in a reply outside a Tasks Trace RCU read-side section.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "touch.h"

#define MUTEX_FLAGS	0x07	/* low bits of struct mutex's owner */

__u64 mutex_addr;		/* &pals_mutex, from /proc/kallsyms */
__u64 allocs;			/* by the test process, holding pals_mutex */
__u64 in_request;		/* in a pals doit, until its ack */
__u64 unaccounted;		/* in one, not charged to a memory cgroup */
__u32 data_put_len;		/* a PALS_A_DATA attribute's, from the test */
__u64 data_puts;		/* such attributes put by the test process */
__u64 data_puts_untraced;	/* outside rcu_read_lock_trace() */

static bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

static bool holds_pals_mutex(void)
{
	long owner = 0;

	bpf_probe_read_kernel(&owner, sizeof(owner), (void *)mutex_addr);
	return (owner & ~MUTEX_FLAGS) == (long)bpf_get_current_task();
}

/*
 * An allocation by the test process: a slab @object, charged to a memory
 * cgroup or not, or a page, which counts only under pals_mutex (a slab's
 * pages come without __GFP_ACCOUNT, whatever its objects are charged).
 */
static void alloc(bool object, bool charged)
{
	if (!mine())
		return;
	if (holds_pals_mutex())
		__sync_fetch_and_add(&allocs, 1);
	if (object && in_request && !charged)
		__sync_fetch_and_add(&unaccounted, 1);
}

static bool gfp_accounted(gfp_t gfp)
{
	return gfp & (1U << ___GFP_ACCOUNT_BIT);
}

SEC("tp_btf/kmalloc")
int BPF_PROG(on_kmalloc, unsigned long call_site, const void *ptr,
	     size_t bytes_req, size_t bytes_alloc, gfp_t gfp)
{
	alloc(true, gfp_accounted(gfp));
	return 0;
}

SEC("tp_btf/kmem_cache_alloc")
int BPF_PROG(on_kmem_cache_alloc, unsigned long call_site, const void *ptr,
	     struct kmem_cache *s, gfp_t gfp)
{
	__u64 account = 1ULL << bpf_core_enum_value(enum _slab_flag_bits,
						    _SLAB_ACCOUNT);

	alloc(true, gfp_accounted(gfp) || (BPF_CORE_READ(s, flags) & account));
	return 0;
}

SEC("tp_btf/mm_page_alloc")
int BPF_PROG(on_page_alloc, struct page *page, unsigned int order, gfp_t gfp)
{
	alloc(false, false);
	return 0;
}

/*
 * A request's handling, from the module's first look at it to the end of
 * generic netlink's: GET and READ ask for no ack, so not to the ack.
 */
SEC("kprobe/pals_pre_doit")
int on_pre_doit(struct pt_regs *ctx)
{
	if (mine())
		in_request = 1;
	return 0;
}

SEC("kretprobe/genl_rcv_msg")
int on_done(struct pt_regs *ctx)
{
	if (mine())
		in_request = 0;
	return 0;
}

/*
 * Blob bytes reach a reply through skb_put() (nla_put() cannot be
 * traced): the calls of data_put_len bytes, one PALS_A_DATA attribute.
 */
SEC("kprobe/skb_put")
int BPF_KPROBE(on_skb_put, struct sk_buff *skb, unsigned int len)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (!mine() || len != data_put_len)
		return 0;
	__sync_fetch_and_add(&data_puts, 1);
	if (!BPF_CORE_READ(task, trc_reader_nesting))
		__sync_fetch_and_add(&data_puts_untraced, 1);
	return 0;
}

/* What the blobs are for; runs at every function of the detach test. */
SEC("kprobe.multi")
int on_every(struct pt_regs *ctx)
{
	return touch(ctx);
}

char LICENSE[] SEC("license") = "GPL";
