// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU blobs: one copy of the type per possible CPU.
 *
 * The copy a per-CPU blob publishes in the slot table is a struct
 * pals_blob like any other, marked (pals.h: PALS_TYPE_PERCPU, the flipped
 * handle bit), whose bytes are a struct pals_percpu: the per-CPU area and
 * the type's size. bpf_pals_get_percpu() (kfunc.c) hands a program its
 * CPU's copy in the area. The area belongs to that published copy: an
 * update, or a blob leaving its batch, makes a new area, and the old one
 * is freed with its batch after the grace periods (pals_batch_discard()).
 *
 * Userspace sees the copies as one byte array, each padded to 8 bytes,
 * in the order of the possible CPUs: what bpf() reads of a PERCPU_ARRAY
 * value. Writes to the padding are dropped; it reads as zeros.
 */
#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "pals.h"

static struct pals_percpu *pals_percpu(const struct pals_blob *blob)
{
	return (struct pals_percpu *)blob->data;
}

static u32 pals_percpu_stride(u32 size)
{
	return round_up(size, 8);
}

/* What userspace sees of, and what max_bytes is charged for, @size. */
static size_t pals_percpu_bytes(u32 size)
{
	return (size_t)pals_percpu_stride(size) * num_possible_cpus();
}

u32 pals_blob_type(const struct pals_blob *blob)
{
	return pals_blob_kind(blob)->type_id & ~PALS_TYPE_PERCPU;
}

/* The type's size: of each copy, for a per-CPU blob. */
u32 pals_blob_size(const struct pals_blob *blob)
{
	return pals_blob_percpu(blob) ? pals_percpu(blob)->size :
					pals_blob_kind(blob)->size;
}

/* The bytes userspace reads and writes. */
u32 pals_blob_bytes(const struct pals_blob *blob)
{
	return pals_blob_percpu(blob) ?
	       pals_percpu_bytes(pals_percpu(blob)->size) :
	       pals_blob_kind(blob)->size;
}

/* The copy of the @i-th possible CPU. */
static u8 *pals_percpu_copy(const struct pals_percpu *pc, u32 i)
{
	return per_cpu_ptr(pc->area, cpumask_nth(i, cpu_possible_mask));
}

/*
 * Zeroed, charged to the caller's memory cgroup and against max_bytes.
 * The percpu allocator warns past PCPU_MIN_UNIT_SIZE, which the callers
 * check for: __GFP_NOWARN keeps other failures quiet.
 */
static int pals_percpu_alloc(struct pals_percpu *pc, u32 size,
			     struct netlink_ext_ack *extack)
{
	size_t cost = pals_percpu_bytes(size);
	int err;

	pc->size = size;
	pc->area = NULL;
	err = pals_charge(cost, extack);
	if (err)
		return err;
	pc->area = __alloc_percpu_gfp(size, 8, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pc->area) {
		pals_uncharge(cost);
		NL_SET_ERR_MSG_FMT(extack,
				   "PALS_A_DATA: cannot allocate %u bytes per CPU",
				   size);
		return -ENOMEM;
	}
	return 0;
}

/* A copy's area, once no program can reach it; any copy's bytes do. */
void pals_percpu_free(struct pals_blob *blob)
{
	struct pals_percpu *pc = pals_percpu(blob);

	if (!pals_blob_percpu(blob) || !pc->area)
		return;
	free_percpu(pc->area);
	pals_uncharge(pals_percpu_bytes(pc->size));
	pc->area = NULL;
}

/* Each CPU's copy's size; 0 for a shared blob. */
u32 pals_percpu_size(const struct pals_blob *blob)
{
	return pals_blob_percpu(blob) ? pals_percpu(blob)->size : 0;
}

/*
 * Without pals_mutex: @dst, the copy of a spare batch (pals_obj_leave()),
 * gets an area for copies of @size bytes.
 */
int pals_percpu_spare(struct pals_blob *dst, u32 size)
{
	pals_blob_retype(dst, PALS_TYPE_PERCPU, sizeof(struct pals_percpu));
	return pals_percpu_alloc(pals_percpu(dst), size, NULL);
}

/* @dst, a spare of @src's size, takes every CPU's bytes of @src. */
void pals_percpu_take(struct pals_blob *dst, const struct pals_blob *src)
{
	const struct pals_percpu *from = pals_percpu(src);
	struct pals_percpu *pc = pals_percpu(dst);
	int cpu;

	for_each_possible_cpu(cpu)
		memcpy(per_cpu_ptr(pc->area, cpu), per_cpu_ptr(from->area, cpu),
		       pc->size);
}

/*
 * Bytes @off .. @off + @len of the array userspace sees, from @src to
 * @pc's copies, or (@out) from them to @dst, padding as zeros.
 */
static void pals_percpu_xfer(const struct pals_percpu *pc, u32 off, u32 len,
			     const u8 *src, u8 *dst, bool out)
{
	u32 stride = pals_percpu_stride(pc->size), in, n, real;
	u8 *copy;

	for (; len; off += n, len -= n) {
		in = off % stride;
		n = min(len, stride - in);
		real = in < pc->size ? min(n, pc->size - in) : 0;
		copy = pals_percpu_copy(pc, off / stride) + in;
		if (out) {
			memcpy(dst, copy, real);
			memset(dst + real, 0, n - real);
			dst += n;
		} else {
			memcpy(copy, src, real);
			src += n;
		}
	}
}

/*
 * The PALS_A_DATA attributes among the @len bytes of attributes at @head
 * into the array userspace sees, at @off.
 */
static void pals_percpu_data_in(const struct pals_percpu *pc,
				const struct nlattr *head, int len, u32 off)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr_type(nla, PALS_A_DATA, head, len, rem) {
		pals_percpu_xfer(pc, off, nla_len(nla), nla_data(nla), NULL,
				 false);
		off += nla_len(nla);
	}
}

/*
 * The area of a new copy, of a per-CPU kind (the caller's), of a type of
 * @size bytes, filled from the @bytes of PALS_A_DATA among the attributes
 * at @head: one copy for every CPU, or every CPU's (pals_blob_bytes()).
 */
static int pals_percpu_init(struct pals_blob *blob, u32 size,
			    const struct nlattr *head, int len, size_t bytes,
			    struct netlink_ext_ack *extack)
{
	struct pals_percpu *pc = pals_percpu(blob);
	u32 i;
	int err;

	err = pals_percpu_alloc(pc, size, extack);
	if (err)
		return err;
	if (bytes != size)
		pals_percpu_data_in(pc, head, len, 0);
	else
		for (i = 0; i < num_possible_cpus(); i++)
			pals_percpu_data_in(pc, head, len,
					    i * pals_percpu_stride(size));
	return 0;
}

static int pals_percpu_len_check(u32 size, size_t len,
				 struct netlink_ext_ack *extack)
{
	if (len == size || len == pals_percpu_bytes(size))
		return 0;
	NL_SET_ERR_MSG_FMT(extack,
			   "PALS_A_DATA: %zu bytes, per-CPU blob takes %u or %u x %u",
			   len, size, num_possible_cpus(),
			   pals_percpu_stride(size));
	return -EINVAL;
}

/*
 * A batch of one per-CPU copy of a type of @size bytes for PALS_CMD_UPDATE,
 * from the request's @len bytes of PALS_A_DATA; of type 0 (pals_obj_move()
 * sets it).
 */
struct pals_batch *pals_percpu_batch(struct genl_info *info, u32 size,
				     size_t len)
{
	struct pals_batch *batch;
	struct pals_blob *blob;
	int err;

	err = pals_percpu_len_check(size, len, info->extack);
	if (err)
		return ERR_PTR(err);
	batch = pals_batch_alloc_one(sizeof(struct pals_percpu), info->extack);
	if (IS_ERR(batch))
		return batch;
	blob = (struct pals_blob *)batch->copies;
	pals_blob_retype(blob, PALS_TYPE_PERCPU, sizeof(struct pals_percpu));
	err = pals_percpu_init(blob, size,
			       genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), len, info->extack);
	if (err) {
		pals_batch_discard(batch);
		return ERR_PTR(err);
	}
	return batch;
}

/*
 * The size of a per-CPU copy of @type_id (named by @attr) if @len bytes
 * of data may create such a blob, else an error.
 */
int pals_percpu_check(const struct bpf_prog *prog, u32 type_id,
		      const struct nlattr *attr, size_t len,
		      struct netlink_ext_ack *extack)
{
	u32 max = READ_ONCE(pals_max_size);
	int size;

	size = pals_btf_size(prog, type_id, attr, extack);
	if (size < 0)
		return size;
	if (!size) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"PALS_A_TYPE_ID: %u has size 0", type_id);
		return -EINVAL;
	}
	if (size > PCPU_MIN_UNIT_SIZE) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"PALS_A_TYPE_ID: %u has %d bytes, over the %u of a per-CPU copy",
					type_id, size, (u32)PCPU_MIN_UNIT_SIZE);
		return -E2BIG;
	}
	if (pals_percpu_bytes(size) > max) {
		NL_SET_ERR_MSG_FMT(extack,
				   "PALS_A_FLAGS: per-CPU %u x %u bytes, over max_size (%u)",
				   num_possible_cpus(), pals_percpu_stride(size), max);
		return -E2BIG;
	}
	return pals_percpu_len_check(size, len, extack) ?: size;
}

/* PALS_CMD_CREATE with PALS_F_PERCPU: @len bytes of data for @type_id. */
struct pals_batch *pals_percpu_create(struct genl_info *info,
				      const struct bpf_prog *prog, u32 type_id,
				      size_t len)
{
	struct pals_batch *batch;
	int size;

	size = pals_percpu_check(prog, type_id, info->attrs[PALS_A_TYPE_ID],
				 len, info->extack);
	if (size < 0)
		return ERR_PTR(size);
	batch = pals_percpu_batch(info, size, len);
	if (!IS_ERR(batch))
		pals_blob_retype((struct pals_blob *)batch->copies,
				 type_id | PALS_TYPE_PERCPU,
				 sizeof(struct pals_percpu));
	return batch;
}

/*
 * An element of PALS_CMD_CREATE_BATCH, checked by pals_percpu_check():
 * @blob, the next copy of @batch, of @type_id from @data.
 */
int pals_percpu_elem(struct pals_batch *batch, struct pals_blob *blob,
		     const struct bpf_prog *prog, u32 type_id,
		     const struct nlattr *data, struct netlink_ext_ack *extack)
{
	pals_blob_init(batch, blob, type_id | PALS_TYPE_PERCPU,
		       sizeof(struct pals_percpu));
	return pals_percpu_init(blob, pals_btf_size(prog, type_id, NULL, extack),
				data, data->nla_len, nla_len(data), extack);
}

/*
 * Under RCU, as pals_put_data(): bytes @off .. @off + @len of the array
 * userspace sees, in PALS_A_DATA chunks.
 */
int pals_percpu_put_data(struct sk_buff *skb, const struct pals_blob *blob,
			 u32 off, u32 len)
{
	u32 end = off + len, chunk;
	struct nlattr *nla;

	for (; off < end; off += chunk) {
		chunk = min(end - off, PALS_DATA_CHUNK_MAX);
		nla = nla_reserve(skb, PALS_A_DATA, chunk);
		if (!nla)
			return -EMSGSIZE;
		pals_percpu_xfer(pals_percpu(blob), off, chunk, NULL,
				 nla_data(nla), true);
	}
	return 0;
}

/* Under RCU: PALS_CMD_WRITE's bytes into the array userspace sees, at @off. */
void pals_percpu_write(const struct genl_info *info,
		       const struct pals_blob *blob, u32 off)
{
	pals_percpu_data_in(pals_percpu(blob), genlmsg_data(info->genlhdr),
			    genlmsg_len(info->genlhdr), off);
}
