// SPDX-License-Identifier: GPL-2.0
/*
 * Batches: many blobs created, bound or deleted in one request, all or
 * nothing. What one element fails on is reported with its index.
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "pals.h"

/* The most handles one PALS_A_HANDLES attribute carries. */
#define PALS_HANDLES_MAX	(PALS_DATA_CHUNK_MAX / sizeof(u64))

static const struct nla_policy pals_elem_policy[PALS_A_MAX + 1] = {
	[PALS_A_TYPE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[PALS_A_DATA]		= { .type = NLA_BINARY, .len = PALS_DATA_CHUNK_MAX },
};

const struct nla_policy pals_create_batch_policy[PALS_A_MAX + 1] = {
	[PALS_A_PROG_FD]	= { .type = NLA_U32 },
	[PALS_A_TYPE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[PALS_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, PALS_F_ALL),
	[PALS_A_ELEM]		= NLA_POLICY_NESTED(pals_elem_policy),
};

const struct nla_policy pals_bind_batch_policy[PALS_A_MAX + 1] = {
	[PALS_A_LINK_FD]	= { .type = NLA_U32 },
	[PALS_A_HANDLES]	= NLA_POLICY_MIN_LEN(sizeof(u64)),
};

const struct nla_policy pals_handles_policy[PALS_A_MAX + 1] = {
	[PALS_A_HANDLES]	= NLA_POLICY_MIN_LEN(sizeof(u64)),
};

const struct nla_policy pals_link_id_policy[PALS_A_MAX + 1] = {
	[PALS_A_LINK_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/* Prefix the extack's message with "PALS_A_ELEM @index: ", within its length. */
static void pals_elem_blame(struct netlink_ext_ack *extack, u32 index,
			    const struct nlattr *attr, int err)
{
	char msg[NETLINK_MAX_FMTMSG_LEN];

	if (extack->_msg)
		snprintf(msg, sizeof(msg), "PALS_A_ELEM %u: %s", index,
			 extack->_msg);
	else
		snprintf(msg, sizeof(msg), "PALS_A_ELEM %u: error %d", index,
			 err);
	NL_SET_ERR_MSG_FMT(extack, "%s", msg);
	NL_SET_BAD_ATTR(extack, attr);
}

static u32 pals_count_attrs(const struct genl_info *info, int type)
{
	const struct nlattr *nla;
	u32 n = 0;
	int rem;

	nla_for_each_attr_type(nla, type, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem)
		n++;
	return n;
}

/*
 * One element's type and bytes, as parsed; an attribute given twice in
 * it is an error, with *@type set to the second.
 */
static const struct nlattr *pals_elem_get(struct genl_info *info,
					  const struct nlattr *elem,
					  const struct nlattr **type)
{
	const struct nlattr *nla, *data = NULL, *own = NULL;
	int rem;

	nla_for_each_nested(nla, elem, rem) {
		if (nla_type(nla) == PALS_A_TYPE_ID ? own : data) {
			*type = nla;
			return ERR_PTR(-EINVAL);
		}
		if (nla_type(nla) == PALS_A_TYPE_ID)
			own = nla;
		else
			data = nla;
	}
	*type = own ?: info->attrs[PALS_A_TYPE_ID];
	return data;
}

static bool pals_batch_percpu(const struct genl_info *info)
{
	return info->attrs[PALS_A_FLAGS] &&
	       nla_get_u32(info->attrs[PALS_A_FLAGS]) & PALS_F_PERCPU;
}

/* One element's bytes and type, checked as PALS_CMD_CREATE checks them. */
static int pals_elem_parse(struct genl_info *info, const struct nlattr *elem,
			   const struct bpf_prog *prog)
{
	const struct nlattr *type, *data = pals_elem_get(info, elem, &type);
	u32 max = READ_ONCE(pals_max_size);
	int err;

	if (IS_ERR(data)) {
		NL_SET_ERR_MSG_FMT(info->extack, "%s: more than one in an element",
				   nla_type(type) == PALS_A_TYPE_ID ?
				   "PALS_A_TYPE_ID" : "PALS_A_DATA");
		return -EINVAL;
	}
	if (!type) {
		NL_SET_ERR_MSG(info->extack, "PALS_A_TYPE_ID: missing");
		return -EINVAL;
	}
	if (!data || !nla_len(data)) {
		NL_SET_ERR_MSG(info->extack, "PALS_A_DATA: missing or empty");
		return -EINVAL;
	}
	if (nla_len(data) > max) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_DATA: %u bytes, over max_size (%u)",
				   nla_len(data), max);
		return -E2BIG;
	}
	if (pals_batch_percpu(info)) {
		err = pals_percpu_check(prog, nla_get_u32(type), type,
					nla_len(data), info->extack);
		return min(err, 0);
	}
	return pals_btf_check(prog, nla_get_u32(type), nla_len(data), type,
			      info->extack);
}

/* The type and copy size of a checked element, as pals_elems_copy() makes it. */
static void pals_elem_kind(struct genl_info *info, const struct nlattr *elem,
			   struct pals_kind *kind)
{
	const struct nlattr *type, *data = pals_elem_get(info, elem, &type);

	kind->type_id = nla_get_u32(type);
	kind->size = nla_len(data);
	if (pals_batch_percpu(info)) {
		kind->type_id |= PALS_TYPE_PERCPU;
		kind->size = sizeof(struct pals_percpu);
	}
}

/*
 * Check every element; the bytes of their copies, back to back, in *@len,
 * and the runs of copies of one kind (pals_blob_init()) in *@kinds. An
 * element past max_bytes is named, though the batch is charged whole.
 */
static int pals_elems_check(struct genl_info *info, const struct bpf_prog *prog,
			    size_t *len, u32 *kinds)
{
	struct pals_kind kind, last = {};
	const struct nlattr *elem;
	int rem, err;
	u32 i = 0;

	*len = 0;
	*kinds = 0;
	nla_for_each_attr_type(elem, PALS_A_ELEM, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		err = pals_elem_parse(info, elem, prog);
		if (!err) {
			pals_elem_kind(info, elem, &kind);
			*len += pals_blob_len(kind.size);
			*kinds += !i || kind.type_id != last.type_id ||
				  kind.size != last.size;
			last = kind;
		}
		if (!err && !pals_charge_fits(pals_batch_cost(*len, *kinds))) {
			NL_SET_ERR_MSG_FMT(info->extack,
					   "PALS_A_DATA: %zu bytes so far pass max_bytes (%lu)",
					   pals_batch_cost(*len, *kinds),
					   READ_ONCE(pals_max_bytes));
			err = -ENOSPC;
		}
		if (err) {
			pals_elem_blame(info->extack, i, elem, err);
			return err;
		}
		i++;
	}
	return 0;
}

/* The checked elements' copies, in @batch's room. */
static int pals_elems_copy(struct genl_info *info, struct pals_batch *batch,
			   const struct bpf_prog *prog)
{
	const struct nlattr *elem, *type, *data;
	u8 *pos = batch->copies;
	struct pals_blob *blob;
	int rem, err;
	u32 i = 0;

	nla_for_each_attr_type(elem, PALS_A_ELEM, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		data = pals_elem_get(info, elem, &type);
		blob = (struct pals_blob *)pos;
		if (pals_batch_percpu(info)) {
			err = pals_percpu_elem(batch, blob, prog,
					       nla_get_u32(type), data,
					       info->extack);
			if (err) {
				pals_elem_blame(info->extack, i, elem, err);
				return err;
			}
		} else {
			pals_blob_init(batch, blob, nla_get_u32(type),
				       nla_len(data));
			memcpy(blob->data, nla_data(data), nla_len(data));
		}
		pos += pals_blob_len(pals_blob_kind(blob)->size);
		i++;
	}
	return 0;
}

static size_t pals_handles_size(u32 n)
{
	return DIV_ROUND_UP(n, PALS_HANDLES_MAX) * NLA_HDRLEN + n * sizeof(u64);
}

/* The reply: the handles of @batch's blobs, in order. */
static int pals_handles_put(struct sk_buff *skb, struct pals_batch *batch)
{
	struct pals_blob *blob;
	u64 *handles = NULL;
	struct nlattr *nla;
	u32 left = batch->live, i = 0;

	pals_batch_for_each(batch, blob) {
		if (!i) {
			i = min_t(u32, left, PALS_HANDLES_MAX);
			left -= i;
			nla = nla_reserve(skb, PALS_A_HANDLES, i * sizeof(u64));
			if (!nla)
				return -EMSGSIZE;
			handles = nla_data(nla);
		}
		*handles++ = pals_blob_handle(blob);
		i--;
	}
	return 0;
}

/* One allocation for all the blobs: control, then the copies. */
int pals_create_batch_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 n = pals_count_attrs(info, PALS_A_ELEM), flags = 0;
	struct pals_batch *batch = NULL;
	struct pals_owner *owner;
	struct bpf_prog *prog;
	struct sk_buff *reply;
	size_t len;
	u32 kinds;
	void *hdr;
	int err;

	if (PALS_REQUIRE(info, PALS_A_ELEM))
		return -EINVAL;
	owner = pals_owner_get(skb);
	if (IS_ERR(owner))
		return PTR_ERR(owner);
	prog = pals_prog_from_info(info);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	err = pals_elems_check(info, prog, &len, &kinds);
	if (!err) {
		batch = pals_batch_alloc(len, kinds, info->extack);
		err = PTR_ERR_OR_ZERO(batch);
		/* Past max_bytes only now, for another request's blobs. */
		if (err == -ENOSPC)
			pals_elem_blame(info->extack, n - 1, NULL, err);
	}
	if (err)
		goto put_prog;
	err = pals_elems_copy(info, batch, prog);
	if (err)
		goto discard;
	if (info->attrs[PALS_A_FLAGS])
		flags = nla_get_u32(info->attrs[PALS_A_FLAGS]);

	reply = genlmsg_new(pals_handles_size(n), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!reply) {
		err = -ENOMEM;
		goto discard;
	}
	hdr = genlmsg_iput(reply, info);
	err = hdr ? pals_table_lock_insert_n(n) : -EMSGSIZE;
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_ELEM: %u blobs do not fit in the slot table (max_slots %u)",
				   n, READ_ONCE(pals_max_slots));
	if (err) {
		nlmsg_free(reply);
		goto discard;
	}
	pals_batch_create(batch, prog, owner, flags);
	bpf_prog_put(prog);
	err = pals_handles_put(reply, batch);
	if (!err) {
		genlmsg_end(reply, hdr);
		/* To the sender's socket, without waiting: under the mutex. */
		err = genlmsg_reply(reply, info);
	} else {
		nlmsg_free(reply);
	}
	/* Nobody learns the handles if the reply fails: keep no blob. */
	if (err)
		pals_batch_destroy(batch);
	mutex_unlock(&pals_mutex);
	return err;

discard:
	pals_batch_discard(batch);
put_prog:
	bpf_prog_put(prog);
	return err;
}

/*
 * The handles of every PALS_A_HANDLES attribute, in order, in an array
 * to kvfree(); their number in *@n.
 */
static u64 *pals_handles_get(struct genl_info *info, u32 *n)
{
	const struct nlattr *nla;
	u64 *handles;
	int rem;

	if (PALS_REQUIRE(info, PALS_A_HANDLES))
		return ERR_PTR(-EINVAL);
	*n = 0;
	nla_for_each_attr_type(nla, PALS_A_HANDLES, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		if (nla_len(nla) % sizeof(u64)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nla,
					    "PALS_A_HANDLES: length not a multiple of 8");
			return ERR_PTR(-EINVAL);
		}
		*n += nla_len(nla) / sizeof(u64);
	}
	handles = kvmalloc_array(*n, sizeof(*handles), GFP_KERNEL_ACCOUNT);
	if (!handles)
		return ERR_PTR(-ENOMEM);
	*n = 0;
	nla_for_each_attr_type(nla, PALS_A_HANDLES, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		memcpy(handles + *n, nla_data(nla), nla_len(nla));
		*n += nla_len(nla) / sizeof(u64);
	}
	return handles;
}

/*
 * The blob of @handle if the request's sender may change it (see
 * uapi/linux/pals.h); its extack message names the handle's @index.
 */
static struct pals_obj *pals_batch_find(struct genl_info *info, u64 handle,
					u32 index, bool admin)
{
	const struct sk_buff *skb = info->user_ptr[0];
	struct pals_obj *obj = pals_table_find(handle);

	/* Another's blob does not exist for the caller (pals_obj_lookup()). */
	if (!obj || (!admin && !pals_owner_is(pals_obj_batch(obj)->owner, skb))) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_HANDLES %u: no such blob", index);
		return ERR_PTR(-ENOENT);
	}
	return obj;
}

/* Can every listed blob be bound to @link? Under pals_mutex. */
static int pals_bind_batch_check(struct genl_info *info, const u64 *handles,
				 u32 n, const struct bpf_link *link, bool admin)
{
	struct pals_obj *obj;
	u32 i;

	for (i = 0; i < n; i++) {
		obj = pals_batch_find(info, handles[i], i, admin);
		if (IS_ERR(obj))
			return PTR_ERR(obj);
		if (pals_obj_link(obj)) {
			NL_SET_ERR_MSG_FMT(info->extack,
					   "PALS_A_HANDLES %u: blob is already bound to a link",
					   i);
			return -EBUSY;
		}
		if (pals_obj_batch(obj)->prog != link->prog) {
			NL_SET_ERR_MSG_FMT(info->extack,
					   "PALS_A_HANDLES %u: link's program is not the blob's program",
					   i);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Bind the listed blobs, each once however often listed. A blob that must
 * leave its batch and finds no spare undoes the binding and asks, with
 * -EAGAIN, for spares for every blob from it on that needs one of its
 * size: a retry per size of blob, not per blob.
 */
static int pals_bind_batch(const u64 *handles, u32 n, struct file *file,
			   struct pals_spares *spares)
{
	const struct bpf_link *link = pals_file_link(file);
	struct pals_obj *obj;
	u32 i, failed;
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		obj = pals_table_find(handles[i]);
		if (!pals_obj_link(obj))
			err = pals_obj_bind(obj, file, spares);
	}
	if (!err)
		return 0;
	failed = --i;
	while (i--) {
		obj = pals_table_find(handles[i]);
		if (pals_obj_link(obj))
			pals_obj_unbind(obj);
	}
	for (i = failed + 1; i < n; i++) {
		obj = pals_table_find(handles[i]);
		spares->count += pals_obj_must_leave(obj, link) &&
				 pals_blob_len(pals_blob_kind(pals_obj_blob(obj))->size) ==
				 pals_blob_len(spares->size) &&
				 pals_percpu_size(pals_obj_blob(obj)) ==
				 spares->percpu_size;
	}
	return err;
}

struct pals_bind_batch_req {
	struct genl_info *info;
	const u64 *handles;
	u32 n;
	struct file *file;
	bool admin;
};

/* Under pals_mutex (pals_with_spares()). */
static int pals_bind_batch_locked(struct pals_spares *spares, void *arg)
{
	struct pals_bind_batch_req *req = arg;

	return pals_bind_batch_check(req->info, req->handles, req->n,
				     pals_file_link(req->file), req->admin) ?:
	       pals_bind_batch(req->handles, req->n, req->file, spares);
}

int pals_bind_batch_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_bind_batch_req req = {
		.info = info,
		.admin = netlink_capable(skb, CAP_SYS_ADMIN),
	};
	u64 *handles;
	int err;

	if (PALS_REQUIRE(info, PALS_A_LINK_FD))
		return -EINVAL;
	handles = pals_handles_get(info, &req.n);
	if (IS_ERR(handles))
		return PTR_ERR(handles);
	req.handles = handles;
	req.file = pals_link_from_info(info);
	if (IS_ERR(req.file)) {
		kvfree(handles);
		return PTR_ERR(req.file);
	}
	err = pals_with_spares(pals_bind_batch_locked, &req, info->extack);
	kvfree(handles);
	fput(req.file);
	return err;
}

int pals_delete_batch_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool admin = netlink_capable(skb, CAP_SYS_ADMIN);
	struct pals_obj *obj;
	LIST_HEAD(dead);
	u64 *handles;
	u32 n, i;
	int err = 0;

	handles = pals_handles_get(info, &n);
	if (IS_ERR(handles))
		return PTR_ERR(handles);
	mutex_lock(&pals_mutex);
	for (i = 0; i < n && !err; i++)
		err = PTR_ERR_OR_ZERO(pals_batch_find(info, handles[i], i, admin));
	/* A handle listed twice is deleted once: the second finds nothing. */
	for (i = 0; i < n && !err; i++) {
		obj = pals_table_find(handles[i]);
		if (obj)
			pals_obj_kill(obj, &dead);
	}
	pals_dead_free(&dead);
	mutex_unlock(&pals_mutex);
	kvfree(handles);
	return err;
}

/*
 * Deleting by link, under pals_mutex: kill the blobs the caller may
 * delete on @link, unpinned, onto @dead; returns how many. The caller's
 * are in its owner's batches; with CAP_SYS_ADMIN, those of every socket
 * (and pinned orphans) are in the table. Each batch puts the reference
 * it holds on the file it took it from (pals_obj_kill()): a link may
 * have several files.
 */
static u32 pals_link_kill(struct pals_owner *owner, bool admin,
			  const struct bpf_link *link, struct list_head *dead)
{
	struct pals_batch *batch, *tmp;
	struct pals_blob *blob;
	struct pals_obj *obj;
	u32 n = 0, i = 0;

	if (admin) {
		for (; (obj = pals_table_next(&i)); i++) {
			if (pals_obj_link(obj) == link &&
			    !pals_obj_test(obj, PALS_OBJ_PINNED)) {
				pals_obj_kill(obj, dead);
				n++;
			}
		}
		return n;
	}
	list_for_each_entry_safe(batch, tmp, &owner->batches, owner_node) {
		if (batch->link != link)
			continue;
		pals_batch_for_each(batch, blob) {
			obj = pals_batch_obj(batch, blob);
			if (obj && pals_obj_test(obj, PALS_OBJ_BOUND) &&
			    !pals_obj_test(obj, PALS_OBJ_PINNED)) {
				pals_obj_kill(obj, dead);
				n++;
			}
		}
	}
	return n;
}

/* The link with id @link_id that a blob the caller may see is bound to. */
static struct bpf_link *pals_link_find(struct pals_owner *owner, bool admin,
				       u32 link_id)
{
	struct pals_batch *batch;
	struct pals_obj *obj;
	u32 i = 0;

	if (admin) {
		for (; (obj = pals_table_next(&i)); i++)
			if (pals_obj_link(obj) && pals_obj_link(obj)->id == link_id)
				return pals_obj_link(obj);
		return NULL;
	}
	list_for_each_entry(batch, &owner->batches, owner_node)
		if (batch->link && batch->link->id == link_id)
			return batch->link;
	return NULL;
}

/*
 * The last fput() of the link's file only queues the link's release to
 * this task's return to user space, after pals_mutex and genl_mutex are
 * dropped: the probes detach there, however long that takes, before the
 * caller can read the reply. Programs that run until then get NULL.
 */
static u32 pals_delete_link(struct pals_owner *owner, bool admin, u32 link_id,
			    struct list_head *dead)
{
	struct bpf_link *link = pals_link_find(owner, admin, link_id);

	lockdep_assert_held(&pals_mutex);
	if (!link)
		return 0;
	return pals_link_kill(owner, admin, link, dead);
}

int pals_delete_link_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_owner *owner;
	LIST_HEAD(dead);
	struct sk_buff *reply;
	void *hdr;
	u32 n;

	if (PALS_REQUIRE(info, PALS_A_LINK_ID))
		return -EINVAL;
	owner = pals_owner_get(skb);
	if (IS_ERR(owner))
		return PTR_ERR(owner);
	reply = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL_ACCOUNT);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_iput(reply, info);
	if (!hdr) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	mutex_lock(&pals_mutex);
	n = pals_delete_link(owner, netlink_capable(skb, CAP_SYS_ADMIN),
			     nla_get_u32(info->attrs[PALS_A_LINK_ID]), &dead);
	pals_dead_free(&dead);
	mutex_unlock(&pals_mutex);
	if (!n) {
		nlmsg_free(reply);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_LINK_ID],
				    "PALS_A_LINK_ID: no unpinned blob of the caller is bound to this link");
		return -ENOENT;
	}
	if (nla_put_u32(reply, PALS_A_COUNT, n)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}
