// SPDX-License-Identifier: GPL-2.0
/* The generic netlink control plane: family "pals". */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "pals.h"

static const struct nla_policy pals_create_policy[PALS_A_MAX + 1] = {
	[PALS_A_PROG_FD]	= { .type = NLA_U32 },
	[PALS_A_TYPE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[PALS_A_DATA]		= { .type = NLA_BINARY, .len = PALS_DATA_CHUNK_MAX },
	[PALS_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, PALS_F_ALL),
};

static const struct nla_policy pals_bind_policy[PALS_A_MAX + 1] = {
	[PALS_A_HANDLE]		= { .type = NLA_U64 },
	[PALS_A_LINK_FD]	= { .type = NLA_U32 },
};

static const struct nla_policy pals_update_policy[PALS_A_MAX + 1] = {
	[PALS_A_HANDLE]		= { .type = NLA_U64 },
	[PALS_A_DATA]		= { .type = NLA_BINARY, .len = PALS_DATA_CHUNK_MAX },
};

static const struct nla_policy pals_handle_policy[PALS_A_MAX + 1] = {
	[PALS_A_HANDLE]		= { .type = NLA_U64 },
};

static const struct nla_policy pals_write_policy[PALS_A_MAX + 1] = {
	[PALS_A_HANDLE]		= { .type = NLA_U64 },
	[PALS_A_OFFSET]		= { .type = NLA_U32 },
	[PALS_A_DATA]		= { .type = NLA_BINARY, .len = PALS_DATA_CHUNK_MAX },
};

static const struct nla_policy pals_read_policy[PALS_A_MAX + 1] = {
	[PALS_A_HANDLE]		= { .type = NLA_U64 },
	[PALS_A_LINK_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[PALS_A_OFFSET]		= { .type = NLA_U32 },
	[PALS_A_LENGTH]		= NLA_POLICY_MIN(NLA_U32, 1),
};

/* Commands without attributes: every attribute is unsupported. */
static const struct nla_policy pals_none_policy[PALS_A_MAX + 1];

static struct genl_family pals_family;

/*
 * Every command needs CAP_BPF or CAP_SYS_ADMIN, of the socket's opener
 * and the sender (netlink_capable()), and only PALS_A_DATA, PALS_A_ELEM
 * and PALS_A_HANDLES may repeat.
 */
static int pals_check_request(const struct sk_buff *skb,
			      const struct genl_info *info,
			      struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(seen, PALS_A_MAX + 1) = {};
	const struct nlattr *nla;
	int rem, type;

	if (!netlink_capable(skb, CAP_BPF) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack, "CAP_BPF or CAP_SYS_ADMIN required");
		return -EPERM;
	}
	/* The policy has rejected types above PALS_A_MAX already. */
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		type = nla_type(nla);
		if (type == PALS_A_DATA || type == PALS_A_ELEM ||
		    type == PALS_A_HANDLES || type > PALS_A_MAX)
			continue;
		if (__test_and_set_bit(type, seen)) {
			NL_SET_ERR_MSG_FMT(extack,
					   "attribute %d given more than once",
					   type);
			NL_SET_BAD_ATTR(extack, nla);
			return -EINVAL;
		}
	}
	return 0;
}

/* The request, for pals_obj_lookup(): info->user_ptr[0]. */
static int pals_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	info->user_ptr[0] = skb;
	return pals_check_request(skb, info, info->extack);
}

/* Sum of the PALS_A_DATA attributes' lengths; 0 if there are none. */
static size_t pals_data_len(const struct genl_info *info)
{
	const struct nlattr *nla;
	size_t len = 0;
	int rem;

	nla_for_each_attr_type(nla, PALS_A_DATA, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem)
		len += nla_len(nla);
	return len;
}

/* Copy the message's PALS_A_DATA bytes to @dst, pals_data_len() of them. */
static void pals_data_copy(const struct genl_info *info, u8 *dst)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr_type(nla, PALS_A_DATA, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		memcpy(dst, nla_data(nla), nla_len(nla));
		dst += nla_len(nla);
	}
}

/* A new blob's size: up to max_size (an update's is the blob's own). */
static int pals_data_check(struct genl_info *info, size_t len, u32 max)
{
	if (!len) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_DATA],
				    "PALS_A_DATA: missing or empty");
		return -EINVAL;
	}
	if (len > max) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_DATA: %zu bytes, over max_size (%u)",
				   len, max);
		return -E2BIG;
	}
	return 0;
}

static struct bpf_prog *pals_prog_get(u32 fd)
{
	static const enum bpf_prog_type types[] = {
		BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT,
		BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_RAW_TRACEPOINT,
		BPF_PROG_TYPE_TRACING, BPF_PROG_TYPE_LSM,
	};
	struct bpf_prog *prog = ERR_PTR(-EINVAL);
	int i;

	/* bpf_prog_get_type_dev() matches one exact type. */
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		prog = bpf_prog_get_type_dev(fd, types[i], false);
		if (!IS_ERR(prog) || PTR_ERR(prog) != -EINVAL)
			break;
	}
	return prog;
}

/*
 * The file of the link of PALS_A_LINK_FD, referenced: the module holds
 * the file, not only the link, so that when it drops the last reference
 * the link is released right away, in the thread that dropped it (see
 * struct pals_batch).
 */
struct file *pals_link_from_info(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PALS_A_LINK_FD];
	struct bpf_link *link = bpf_link_get_from_fd(nla_get_u32(attr));
	struct file *file;

	if (IS_ERR(link) && PTR_ERR(link) == -EBADF)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_LINK_FD: not an open file descriptor");
	else if (IS_ERR(link))
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_LINK_FD: not a BPF link");
	if (IS_ERR(link))
		return ERR_CAST(link);
	file = fget(nla_get_u32(attr));
	if (file && file->private_data != link) {
		fput(file);
		file = NULL;
	}
	bpf_link_put(link);
	if (!file) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_LINK_FD: closed or replaced meanwhile");
		return ERR_PTR(-EBADF);
	}
	return file;
}

/* The program of PALS_A_PROG_FD, referenced, if blobs may be made for it. */
struct bpf_prog *pals_prog_from_info(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PALS_A_PROG_FD];
	struct bpf_prog *prog;

	if (PALS_REQUIRE(info, PALS_A_PROG_FD))
		return ERR_PTR(-EINVAL);
	prog = pals_prog_get(nla_get_u32(attr));
	if (IS_ERR(prog)) {
		if (PTR_ERR(prog) == -EBADF)
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "PALS_A_PROG_FD: not an open file descriptor");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "PALS_A_PROG_FD: not a BPF program of a tracing kind");
		return prog;
	}
	if (!pals_prog_has_cookie(prog)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_PROG_FD: program's attach type has no BPF cookie");
		bpf_prog_put(prog);
		return ERR_PTR(-EINVAL);
	}
	return prog;
}

/*
 * The blob named by PALS_A_HANDLE, under pals_mutex. Its owner socket may
 * read and change it, others need CAP_SYS_ADMIN (see uapi/linux/pals.h);
 * to them another's blob does not exist, so that no answer tells a live
 * blob from a stale handle.
 */
static struct pals_obj *pals_obj_lookup(struct genl_info *info)
{
	const struct sk_buff *skb = info->user_ptr[0];
	struct nlattr *attr = info->attrs[PALS_A_HANDLE];
	struct pals_obj *obj;

	lockdep_assert_held(&pals_mutex);
	if (PALS_REQUIRE(info, PALS_A_HANDLE))
		return ERR_PTR(-EINVAL);
	obj = pals_table_find(nla_get_u64(attr));
	if (!obj || (!pals_owner_is(pals_obj_batch(obj)->owner, skb) &&
		     !netlink_capable(skb, CAP_SYS_ADMIN))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_HANDLE: no such blob");
		return ERR_PTR(-ENOENT);
	}
	return obj;
}

/*
 * The bytes of the blob named by PALS_A_HANDLE, which the caller may use,
 * and the size of each copy if it is per-CPU (0 if not); for allocating,
 * without pals_mutex, before the blob is looked up again.
 */
static int pals_obj_sizes(struct genl_info *info, u32 *size, u32 *percpu)
{
	struct pals_obj *obj;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info);
	if (!IS_ERR(obj)) {
		*size = pals_blob_bytes(pals_obj_blob(obj));
		*percpu = pals_blob_percpu(pals_obj_blob(obj)) ?
			  pals_blob_size(pals_obj_blob(obj)) : 0;
	}
	mutex_unlock(&pals_mutex);
	return PTR_ERR_OR_ZERO(obj);
}

static int pals_obj_size(struct genl_info *info, u32 *size)
{
	u32 percpu;

	return pals_obj_sizes(info, size, &percpu);
}

/* The creator's pid in the reader's pid namespace; 0 if gone or not there. */
static u32 pals_owner_pid(const struct pals_batch *batch)
{
	return pid_has_task(batch->owner_pid, PIDTYPE_TGID) ?
	       pid_vnr(batch->owner_pid) : 0;
}

/* What pals_fill(), READ's PALS_A_OFFSET and pals_put_data() take at most. */
static size_t pals_fill_size(u32 data)
{
	/* Every chunk but the last is PALS_DATA_CHUNK_MAX, aligned. */
	return nla_total_size_64bit(sizeof(u64)) + 7 * nla_total_size(sizeof(u32)) +
	       NLA_ALIGN(data) + DIV_ROUND_UP(data, PALS_DATA_CHUNK_MAX) * NLA_HDRLEN;
}

/*
 * Bytes @off .. @off + @len of the blob published for @handle, read like
 * the kfunc does, without pals_mutex: the copy a program sees, or -ENOENT
 * if the blob was deleted meanwhile. Copies are freed after a Tasks Trace
 * grace period (obj.c), which waits for this reader.
 */
static int pals_put_data(struct sk_buff *skb, u64 handle, u32 off, u32 len)
{
	const struct pals_blob *blob;
	u32 end = off + len, chunk;
	int err = 0;

	rcu_read_lock_trace();
	blob = pals_table_lookup(handle);
	if (pals_blob_handle(blob) != handle)
		err = -ENOENT;
	else if (pals_blob_percpu(blob))
		err = pals_percpu_put_data(skb, blob, off, len);
	else
		for (; !err && off < end; off += chunk) {
			chunk = min(end - off, PALS_DATA_CHUNK_MAX);
			err = nla_put(skb, PALS_A_DATA, chunk, blob->data + off);
		}
	rcu_read_unlock_trace();
	return err;
}

/* Without the data: the message is not ended. */
static void *pals_fill(struct sk_buff *skb, const struct pals_obj *obj,
		       u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct pals_batch *batch = pals_obj_batch(obj);
	const struct pals_blob *blob = pals_obj_blob(obj);
	const struct bpf_link *link = pals_obj_link(obj);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pals_family, flags, cmd);
	if (!hdr)
		return ERR_PTR(-EMSGSIZE);
	if (nla_put_u64_64bit(skb, PALS_A_HANDLE, pals_blob_handle(blob),
			      PALS_A_PAD) ||
	    nla_put_u32(skb, PALS_A_PROG_ID, batch->prog->aux->id) ||
	    (link && nla_put_u32(skb, PALS_A_LINK_ID, link->id)) ||
	    nla_put_u32(skb, PALS_A_TYPE_ID, pals_blob_type(blob)) ||
	    nla_put_u32(skb, PALS_A_SIZE, pals_blob_size(blob)) ||
	    nla_put_u32(skb, PALS_A_OWNER_PID, pals_owner_pid(batch)) ||
	    nla_put_u32(skb, PALS_A_FLAGS, pals_obj_flags(obj))) {
		genlmsg_cancel(skb, hdr);
		return ERR_PTR(-EMSGSIZE);
	}
	return hdr;
}

/*
 * The reply for @obj, without data, in @skb (of pals_fill_size(0) bytes),
 * under pals_mutex: nothing is allocated there.
 */
static int pals_reply_fill(struct sk_buff *skb, const struct pals_obj *obj,
			   struct genl_info *info)
{
	void *hdr = pals_fill(skb, obj, info->snd_portid, info->snd_seq, 0,
			      info->genlhdr->cmd);

	if (IS_ERR(hdr))
		return PTR_ERR(hdr);
	genlmsg_end(skb, hdr);
	return 0;
}

/* A batch of one blob. */
static int pals_create_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	size_t len = pals_data_len(info);
	struct pals_batch *batch;
	struct pals_owner *owner;
	struct bpf_prog *prog;
	struct sk_buff *reply;
	struct pals_obj *obj;
	u32 type_id, flags;
	u64 handle;
	int err;

	if (PALS_REQUIRE(info, PALS_A_PROG_FD) ||
	    PALS_REQUIRE(info, PALS_A_TYPE_ID))
		return -EINVAL;
	err = pals_data_check(info, len, READ_ONCE(pals_max_size));
	if (err)
		return err;
	owner = pals_owner_get(skb);
	if (IS_ERR(owner))
		return PTR_ERR(owner);
	prog = pals_prog_from_info(info);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	type_id = nla_get_u32(attrs[PALS_A_TYPE_ID]);
	flags = attrs[PALS_A_FLAGS] ? nla_get_u32(attrs[PALS_A_FLAGS]) : 0;
	if (flags & PALS_F_PERCPU) {
		batch = pals_percpu_create(info, prog, type_id, len);
	} else {
		err = pals_btf_check(prog, type_id, len, attrs[PALS_A_TYPE_ID],
				     info->extack);
		batch = err ? ERR_PTR(err) :
			pals_batch_alloc_one(len, info->extack);
	}
	if (IS_ERR(batch)) {
		bpf_prog_put(prog);
		return PTR_ERR(batch);
	}
	if (!(flags & PALS_F_PERCPU)) {
		pals_blob_retype((struct pals_blob *)batch->copies, type_id, len);
		pals_data_copy(info, ((struct pals_blob *)batch->copies)->data);
	}

	reply = genlmsg_new(pals_fill_size(0), GFP_KERNEL_ACCOUNT);
	if (!reply) {
		err = -ENOMEM;
		goto discard;
	}
	err = pals_table_lock_insert();
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "slot table full: too many live blobs");
	if (err) {
		nlmsg_free(reply);
		goto discard;
	}
	pals_batch_create(batch, prog, owner, flags);
	bpf_prog_put(prog);
	handle = pals_blob_handle((struct pals_blob *)batch->copies);
	err = pals_reply_fill(reply, pals_table_find(handle), info);
	mutex_unlock(&pals_mutex);
	if (!err)
		err = genlmsg_reply(reply, info);
	else
		nlmsg_free(reply);
	/* Nobody learns the handle if the reply fails: do not keep the blob. */
	if (err) {
		mutex_lock(&pals_mutex);
		obj = pals_table_find(handle);
		if (obj)
			pals_obj_destroy(obj);
		mutex_unlock(&pals_mutex);
	}
	return err;

discard:
	pals_batch_discard(batch);
	bpf_prog_put(prog);
	return err;
}

/* The request and the link's file it resolves on the first try. */
struct pals_bind_req {
	struct genl_info *info;
	struct file *file;
};

/*
 * Under pals_mutex (pals_with_spares()): bind the blob of PALS_A_HANDLE
 * to the link of PALS_A_LINK_FD.
 */
static int pals_bind_locked(struct pals_spares *spares, void *arg)
{
	struct pals_bind_req *req = arg;
	struct genl_info *info = req->info;
	struct pals_obj *obj;

	obj = pals_obj_lookup(info);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (!req->file) {
		req->file = pals_link_from_info(info);
		if (IS_ERR(req->file)) {
			int err = PTR_ERR(req->file);

			req->file = NULL;
			return err;
		}
	}
	if (pals_obj_link(obj)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_HANDLE],
				    "PALS_A_HANDLE: blob is already bound to a link");
		return -EBUSY;
	}
	if (pals_file_link(req->file)->prog != pals_obj_batch(obj)->prog) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_LINK_FD],
				    "PALS_A_LINK_FD: link's program is not the blob's program");
		return -EINVAL;
	}
	return pals_obj_bind(obj, req->file, spares);
}

static int pals_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_bind_req req = { .info = info };
	int err;

	if (PALS_REQUIRE(info, PALS_A_LINK_FD))
		return -EINVAL;
	err = pals_with_spares(pals_bind_locked, &req, info->extack);
	if (req.file)
		fput(req.file);
	return err;
}

/*
 * Checked against the blob's own size, whatever max_size is now. The copy
 * is made between two lookups, without pals_mutex, in a batch of its own.
 */
static int pals_update_doit(struct sk_buff *skb, struct genl_info *info)
{
	size_t len = pals_data_len(info);
	struct pals_batch *own;
	LIST_HEAD(dead);
	struct pals_obj *obj;
	u32 size = 0, percpu = 0;
	int err;

	err = pals_obj_sizes(info, &size, &percpu);
	if (err)
		return err;
	err = pals_data_check(info, len, size);
	if (err)
		return err;
	if (!percpu && len != size) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_DATA: %zu bytes, but the blob has %u",
				   len, size);
		return -EINVAL;
	}
	if (percpu) {
		own = pals_percpu_batch(info, percpu, len);
	} else {
		own = pals_batch_alloc_one(size, info->extack);
		if (!IS_ERR(own))
			pals_data_copy(info, ((struct pals_blob *)own->copies)->data);
	}
	if (IS_ERR(own))
		return PTR_ERR(own);

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info);
	if (!IS_ERR(obj))
		pals_obj_move(obj, own, &dead);
	pals_dead_free(&dead);
	mutex_unlock(&pals_mutex);
	if (IS_ERR(obj)) {
		pals_batch_discard(own);
		return PTR_ERR(obj);
	}
	return 0;
}

/*
 * The reply to GET and READ: the blob's attributes and bytes @off ..
 * @off + @len. It is allocated between two lookups, the bytes are copied
 * after the second, without pals_mutex.
 */
static int pals_data_reply(struct genl_info *info, u32 off, u32 len)
{
	u8 cmd = info->genlhdr->cmd;
	struct sk_buff *reply;
	struct pals_obj *obj;
	u64 handle;
	void *hdr;
	int err;

	reply = genlmsg_new(pals_fill_size(len), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!reply) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "cannot allocate a reply for %u bytes", len);
		return -ENOMEM;
	}

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info);
	hdr = IS_ERR(obj) ? obj : pals_fill(reply, obj, info->snd_portid,
					       info->snd_seq, 0, cmd);
	mutex_unlock(&pals_mutex);
	err = PTR_ERR_OR_ZERO(hdr);
	handle = nla_get_u64(info->attrs[PALS_A_HANDLE]);
	if (!err && cmd == PALS_CMD_READ)
		err = nla_put_u32(reply, PALS_A_OFFSET, off);
	if (!err)
		err = pals_put_data(reply, handle, off, len);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_HANDLE],
				    "PALS_A_HANDLE: no such blob");
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int pals_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 size = 0;

	return pals_obj_size(info, &size) ?: pals_data_reply(info, 0, size);
}

struct pals_dump_ctx {
	u32 index;
	u32 link_id;		/* READ: only this link's blobs; 0: all */
	bool admin;		/* may see every blob, not only its own */
};

/* A dump's request: pals_check_request(), and no PALS_A_HANDLE. */
static int pals_dump_start(struct netlink_callback *cb)
{
	struct pals_dump_ctx *ctx = (struct pals_dump_ctx *)cb->ctx;
	const struct genl_info *info = genl_info_dump(cb);
	int err;

	NL_ASSERT_CTX_FITS(struct pals_dump_ctx);
	err = pals_check_request(cb->skb, info, cb->extack);
	if (err)
		return err;
	if (info->attrs[PALS_A_HANDLE]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[PALS_A_HANDLE],
				    "PALS_A_HANDLE: not allowed in a dump");
		return -EINVAL;
	}
	ctx->admin = netlink_capable(cb->skb, CAP_SYS_ADMIN);
	if (info->attrs[PALS_A_LINK_ID])
		ctx->link_id = nla_get_u32(info->attrs[PALS_A_LINK_ID]);
	return 0;
}

/*
 * The first blob at ctx->index or after that the dump shows: the caller's
 * own, or all with CAP_SYS_ADMIN; a READ dump's link's alone if it names one.
 */
static struct pals_obj *pals_dump_next(struct pals_dump_ctx *ctx,
				       const struct sk_buff *skb)
{
	struct pals_obj *obj;

	lockdep_assert_held(&pals_mutex);
	for (; (obj = pals_table_next(&ctx->index)); ctx->index++)
		if ((ctx->admin || pals_owner_is(pals_obj_batch(obj)->owner, skb)) &&
		    (!ctx->link_id || (pals_obj_link(obj) &&
				       pals_obj_link(obj)->id == ctx->link_id)))
			return obj;
	return NULL;
}

/* NLM_F_DUMP_INTR if the blobs changed during the dump. */
static int pals_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pals_dump_ctx *ctx = (struct pals_dump_ctx *)cb->ctx;
	struct nlmsghdr *nlh;
	struct pals_obj *obj;
	void *hdr;
	int err = 0;

	mutex_lock(&pals_mutex);
	cb->seq = pals_generation_read();
	for (; (obj = pals_dump_next(ctx, cb->skb)); ctx->index++) {
		nlh = (struct nlmsghdr *)skb_tail_pointer(skb);
		hdr = pals_fill(skb, obj, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI, PALS_CMD_GET);
		err = PTR_ERR_OR_ZERO(hdr);
		if (err)
			break;
		genlmsg_end(skb, hdr);
		nl_dump_check_consistent(cb, nlh);
	}
	mutex_unlock(&pals_mutex);
	/* A full skb ends this round; the dump goes on from ctx->index. */
	return err == -EMSGSIZE && skb->len ? skb->len : err;
}

/*
 * In place, like an ARRAY map update: programs may see the write half
 * done. The bytes are copied into the published copy without pals_mutex,
 * under Tasks Trace RCU as pals_put_data() reads them; a write racing
 * with an UPDATE may land in the copy being replaced, and is then lost.
 */
static int pals_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PALS_A_OFFSET];
	u64 handle = info->attrs[PALS_A_HANDLE] ?
		     nla_get_u64(info->attrs[PALS_A_HANDLE]) : 0;
	u32 off = attr ? nla_get_u32(attr) : 0, size = 0;
	size_t len = pals_data_len(info);
	struct pals_blob *blob;
	int err;

	err = pals_data_check(info, len, U32_MAX) ?: pals_obj_size(info, &size);
	if (err)
		return err;
	if (off > size || len > size - off) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_OFFSET: %u + %zu bytes of PALS_A_DATA pass the blob's %u",
				   off, len, size);
		return -EINVAL;
	}
	rcu_read_lock_trace();
	blob = pals_table_lookup(handle);
	if (pals_blob_handle(blob) != handle)
		err = -ENOENT;
	else if (pals_blob_percpu(blob))
		pals_percpu_write(info, blob, off);
	else
		pals_data_copy(info, blob->data + off);
	rcu_read_unlock_trace();
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_HANDLE],
				    "PALS_A_HANDLE: no such blob");
	return err;
}

/* The bytes PALS_A_OFFSET/PALS_A_LENGTH name in a blob of @size: *@off, *@len. */
static int pals_read_range(u32 size, struct nlattr **attrs,
			   struct netlink_ext_ack *extack, u32 *off, u32 *len)
{
	*off = attrs[PALS_A_OFFSET] ? nla_get_u32(attrs[PALS_A_OFFSET]) : 0;
	if (*off > size) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attrs[PALS_A_OFFSET],
					"PALS_A_OFFSET: %u is past the blob's %u bytes",
					*off, size);
		return -EINVAL;
	}
	*len = attrs[PALS_A_LENGTH] ? nla_get_u32(attrs[PALS_A_LENGTH]) :
				      size - *off;
	if (*len > size - *off) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attrs[PALS_A_LENGTH],
					"PALS_A_LENGTH: %u bytes from %u pass the blob's %u",
					*len, *off, size);
		return -EINVAL;
	}
	return 0;
}

/* As GET, with a range of the bytes and PALS_A_OFFSET. */
static int pals_read_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 size = 0, off, len;

	if (info->attrs[PALS_A_LINK_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_LINK_ID],
				    "PALS_A_LINK_ID: only in a dump, not with PALS_A_HANDLE");
		return -EINVAL;
	}
	return pals_obj_size(info, &size) ?:
	       pals_read_range(size, info->attrs, info->extack, &off, &len) ?:
	       pals_data_reply(info, off, len);
}

/* Every message must hold the largest blob the dump shows now. */
static int pals_read_start(struct netlink_callback *cb)
{
	struct pals_dump_ctx *ctx = (struct pals_dump_ctx *)cb->ctx;
	struct pals_dump_ctx scan;
	struct pals_obj *obj;
	u32 largest = 0;
	int err;

	err = pals_dump_start(cb);
	if (err)
		return err;
	scan = *ctx;
	mutex_lock(&pals_mutex);
	for (; (obj = pals_dump_next(&scan, cb->skb)); scan.index++)
		largest = max(largest, pals_blob_bytes(pals_obj_blob(obj)));
	mutex_unlock(&pals_mutex);
	cb->min_dump_alloc = nlmsg_total_size(GENL_HDRLEN + pals_fill_size(largest));
	return 0;
}

/*
 * Each blob's header is filled under pals_mutex, its bytes are copied
 * after, without it; a blob deleted in between is left out, and so is
 * one that PALS_A_OFFSET and PALS_A_LENGTH do not fit in.
 */
static int pals_read_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pals_dump_ctx *ctx = (struct pals_dump_ctx *)cb->ctx;
	const struct genl_info *info = genl_info_dump(cb);
	struct nlmsghdr *nlh;
	struct pals_obj *obj;
	u32 off, len;
	bool skip;
	u64 handle;
	void *hdr;
	int err;

	for (;; ctx->index++) {
		mutex_lock(&pals_mutex);
		cb->seq = pals_generation_read();
		obj = pals_dump_next(ctx, cb->skb);
		skip = obj && pals_read_range(pals_blob_bytes(pals_obj_blob(obj)),
					      info->attrs, NULL, &off, &len);
		nlh = (struct nlmsghdr *)skb_tail_pointer(skb);
		hdr = !obj || skip ? NULL :
		      pals_fill(skb, obj, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI, PALS_CMD_READ);
		handle = obj ? pals_blob_handle(pals_obj_blob(obj)) : 0;
		mutex_unlock(&pals_mutex);
		err = 0;
		if (!obj)
			break;
		if (skip)
			continue;
		err = PTR_ERR_OR_ZERO(hdr);
		if (err)
			break;
		err = nla_put_u32(skb, PALS_A_OFFSET, off) ?:
		      pals_put_data(skb, handle, off, len);
		if (err) {
			genlmsg_cancel(skb, hdr);
			if (err == -ENOENT)
				continue;
			break;
		}
		genlmsg_end(skb, hdr);
		nl_dump_check_consistent(cb, nlh);
	}
	/* A full skb ends this round; the dump goes on from ctx->index. */
	return err == -EMSGSIZE && skb->len ? skb->len : err;
}

static int pals_delete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_obj *obj;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info);
	if (!IS_ERR(obj))
		pals_obj_destroy(obj);
	mutex_unlock(&pals_mutex);
	return PTR_ERR_OR_ZERO(obj);
}

struct pals_pin_req {
	struct genl_info *info;
	struct pals_owner *owner;	/* UNPIN: the caller's; PIN: NULL */
};

/* Under pals_mutex (pals_with_spares()). */
static int pals_pin_locked(struct pals_spares *spares, void *arg)
{
	struct pals_pin_req *req = arg;
	struct pals_obj *obj;
	int err = 0;

	obj = pals_obj_lookup(req->info);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (req->owner && !pals_obj_batch(obj)->owner)
		err = pals_obj_adopt(obj, req->owner, spares);
	if (err)
		return err;
	pals_obj_assign(obj, PALS_OBJ_PINNED, !req->owner);
	pals_changed();
	return 0;
}

static int pals_pin_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_pin_req req = { .info = info };

	/* An unpinned blob dies with a socket: the caller's if orphaned. */
	if (info->genlhdr->cmd == PALS_CMD_UNPIN) {
		req.owner = pals_owner_get(skb);
		if (IS_ERR(req.owner))
			return PTR_ERR(req.owner);
	}
	return pals_with_spares(pals_pin_locked, &req, info->extack);
}

static int pals_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_stats st;
	struct sk_buff *msg;
	void *hdr;

	pals_stats_read(&st);
	/* Sized to fit: netlink would reallocate a roomier one to trim it. */
	msg = genlmsg_new(8 * nla_total_size_64bit(sizeof(u64)),
			  GFP_KERNEL_ACCOUNT);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_BLOBS, st.blobs, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_BYTES, st.bytes, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_CREATES, st.creates, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_DELETES, st.deletes, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_MISSES, st.misses, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_MAX_SIZE, pals_max_size, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_MAX_BYTES, pals_max_bytes, PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_OVERHEAD, pals_obj_overhead(), PALS_A_PAD) ||
	    nla_put_u64_64bit(msg, PALS_A_STAT_SLOTS, pals_table_capacity(), PALS_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

#define PALS_DO(_cmd, _doit, _policy) {				\
	.cmd		= _cmd,						\
	.pre_doit	= pals_pre_doit,				\
	.doit		= _doit,					\
	.policy		= _policy,					\
	.maxattr	= PALS_A_MAX,					\
	.flags		= GENL_CMD_CAP_DO,				\
}

#define PALS_DUMP(_cmd, _start, _dumpit, _policy) {			\
	.cmd		= _cmd,						\
	.start		= _start,					\
	.dumpit		= _dumpit,					\
	.policy		= _policy,					\
	.maxattr	= PALS_A_MAX,					\
	.flags		= GENL_CMD_CAP_DUMP,				\
}

static const struct genl_split_ops pals_ops[] = {
	PALS_DO(PALS_CMD_CREATE, pals_create_doit, pals_create_policy),
	PALS_DO(PALS_CMD_BIND, pals_bind_doit, pals_bind_policy),
	PALS_DO(PALS_CMD_UPDATE, pals_update_doit, pals_update_policy),
	PALS_DO(PALS_CMD_GET, pals_get_doit, pals_handle_policy),
	PALS_DUMP(PALS_CMD_GET, pals_dump_start, pals_get_dumpit, pals_handle_policy),
	PALS_DO(PALS_CMD_DELETE, pals_delete_doit, pals_handle_policy),
	PALS_DO(PALS_CMD_PIN, pals_pin_doit, pals_handle_policy),
	PALS_DO(PALS_CMD_UNPIN, pals_pin_doit, pals_handle_policy),
	PALS_DO(PALS_CMD_STATS, pals_stats_doit, pals_none_policy),
	PALS_DO(PALS_CMD_WRITE, pals_write_doit, pals_write_policy),
	PALS_DO(PALS_CMD_READ, pals_read_doit, pals_read_policy),
	PALS_DUMP(PALS_CMD_READ, pals_read_start, pals_read_dumpit, pals_read_policy),
	PALS_DO(PALS_CMD_CREATE_BATCH, pals_create_batch_doit,
		pals_create_batch_policy),
	PALS_DO(PALS_CMD_BIND_BATCH, pals_bind_batch_doit,
		pals_bind_batch_policy),
	PALS_DO(PALS_CMD_DELETE_BATCH, pals_delete_batch_doit,
		pals_handles_policy),
	PALS_DO(PALS_CMD_DELETE_LINK, pals_delete_link_doit,
		pals_link_id_policy),
};

static struct genl_family pals_family __ro_after_init = {
	.name		= PALS_GENL_NAME,
	.version	= PALS_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.split_ops	= pals_ops,
	.n_split_ops	= ARRAY_SIZE(pals_ops),
	/* 0: reserved header fields and flags are checked for every command */
	.resv_start_op	= 0,
};

int pals_genl_init(void)
{
	return genl_register_family(&pals_family);
}

void pals_genl_exit(void)
{
	genl_unregister_family(&pals_family);
}

/* A request for the family loads the module. */
MODULE_ALIAS_GENL_FAMILY(PALS_GENL_NAME);
