// SPDX-License-Identifier: GPL-2.0
/* The generic netlink control plane: family "pals". */
#include <linux/bpf.h>
#include <linux/capability.h>
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

/* Commands without attributes: every attribute is unsupported. */
static const struct nla_policy pals_none_policy[PALS_A_MAX + 1];

static struct genl_family pals_family;

/* GENL_REQ_ATTR_CHECK() with a message that names the attribute. */
#define PALS_REQUIRE(info, attr) ({					\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
									\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack, #attr ": missing");	\
	__missing;							\
})

/* Every command needs CAP_BPF, and only PALS_A_DATA may repeat. */
static int pals_check_request(const struct genl_info *info,
			      struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(seen, PALS_A_MAX + 1) = {};
	const struct nlattr *nla;
	int rem, type;

	if (!bpf_capable()) {
		NL_SET_ERR_MSG(extack, "CAP_BPF or CAP_SYS_ADMIN required");
		return -EPERM;
	}
	/* The policy has rejected types above PALS_A_MAX already. */
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		type = nla_type(nla);
		if (type == PALS_A_DATA || type > PALS_A_MAX)
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

static int pals_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	return pals_check_request(info, info->extack);
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

/* A new blob holding the message's PALS_A_DATA bytes, @size in all. */
static struct pals_blob *pals_blob_from_info(const struct genl_info *info,
					     u32 type_id, u32 size)
{
	struct pals_blob *blob = pals_blob_alloc(type_id, size);
	const struct nlattr *nla;
	u8 *dst;
	int rem;

	if (!blob)
		return NULL;
	dst = blob->data;
	nla_for_each_attr_type(nla, PALS_A_DATA, genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		memcpy(dst, nla_data(nla), nla_len(nla));
		dst += nla_len(nla);
	}
	return blob;
}

static int pals_data_check(struct genl_info *info, size_t len)
{
	if (!len) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_DATA],
				    "PALS_A_DATA: missing or empty");
		return -EINVAL;
	}
	if (len > pals_max_size) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_DATA: %zu bytes, over max_size (%u)",
				   len, pals_max_size);
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

static bool pals_may_change(const struct pals_obj *obj,
			    const struct genl_info *info)
{
	return (obj->net == genl_info_net(info) &&
		obj->portid == info->snd_portid) || capable(CAP_SYS_ADMIN);
}

/* The blob named by PALS_A_HANDLE, which the caller may change if @change. */
static struct pals_obj *pals_obj_lookup(struct genl_info *info, bool change)
{
	struct nlattr *attr = info->attrs[PALS_A_HANDLE];
	struct pals_obj *obj;

	if (PALS_REQUIRE(info, PALS_A_HANDLE))
		return ERR_PTR(-EINVAL);
	obj = pals_table_find(nla_get_u64(attr));
	if (!obj) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_HANDLE: no such blob");
		return ERR_PTR(-ENOENT);
	}
	if (change && !pals_may_change(obj, info)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_HANDLE: blob belongs to another socket (CAP_SYS_ADMIN required)");
		return ERR_PTR(-EPERM);
	}
	return obj;
}

static int pals_fill(struct sk_buff *skb, const struct pals_obj *obj,
		     u32 portid, u32 seq, int flags, u8 cmd, bool data)
{
	u32 off, chunk;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pals_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PALS_A_HANDLE, obj->handle, PALS_A_PAD) ||
	    nla_put_u32(skb, PALS_A_PROG_ID, obj->prog->aux->id) ||
	    (obj->link && nla_put_u32(skb, PALS_A_LINK_ID, obj->link->id)) ||
	    nla_put_u32(skb, PALS_A_TYPE_ID, obj->type_id) ||
	    nla_put_u32(skb, PALS_A_SIZE, obj->size) ||
	    nla_put_u32(skb, PALS_A_OWNER_PID, obj->owner_pid) ||
	    nla_put_u32(skb, PALS_A_FLAGS, obj->flags))
		goto cancel;
	for (off = 0; data && off < obj->size; off += chunk) {
		chunk = min(obj->size - off, PALS_DATA_CHUNK_MAX);
		if (nla_put(skb, PALS_A_DATA, chunk, obj->blob->data + off))
			goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int pals_reply(const struct pals_obj *obj, struct genl_info *info,
		      bool data)
{
	size_t size = NLMSG_DEFAULT_SIZE;
	struct sk_buff *skb;
	int err;

	if (data)
		size += obj->size + DIV_ROUND_UP(obj->size, PALS_DATA_CHUNK_MAX) * NLA_HDRLEN;
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	err = pals_fill(skb, obj, info->snd_portid, info->snd_seq, 0,
			info->genlhdr->cmd, data);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

static int pals_create_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	size_t len = pals_data_len(info);
	struct pals_blob *blob;
	struct pals_obj *obj;
	int err;

	if (PALS_REQUIRE(info, PALS_A_PROG_FD) ||
	    PALS_REQUIRE(info, PALS_A_TYPE_ID))
		return -EINVAL;
	err = pals_data_check(info, len);
	if (err)
		return err;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return -ENOMEM;
	obj->type_id = nla_get_u32(attrs[PALS_A_TYPE_ID]);
	obj->size = len;
	if (attrs[PALS_A_FLAGS])
		obj->flags = nla_get_u32(attrs[PALS_A_FLAGS]);
	obj->net = genl_info_net(info);
	obj->portid = info->snd_portid;
	obj->owner_pid = task_tgid_vnr(current);
	obj->prog = pals_prog_get(nla_get_u32(attrs[PALS_A_PROG_FD]));
	if (IS_ERR(obj->prog)) {
		err = PTR_ERR(obj->prog);
		if (err == -EBADF)
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[PALS_A_PROG_FD],
					    "PALS_A_PROG_FD: not an open file descriptor");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[PALS_A_PROG_FD],
					    "PALS_A_PROG_FD: not a BPF program of a tracing kind");
		goto free_obj;
	}
	if (!pals_prog_has_cookie(obj->prog)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[PALS_A_PROG_FD],
				    "PALS_A_PROG_FD: program's attach type has no BPF cookie");
		err = -EINVAL;
		goto put_prog;
	}
	err = pals_btf_check(obj->prog, obj->type_id, obj->size,
			     attrs[PALS_A_TYPE_ID], info->extack);
	if (err)
		goto put_prog;

	blob = pals_blob_from_info(info, obj->type_id, obj->size);
	if (!blob) {
		err = -ENOMEM;
		goto put_prog;
	}

	mutex_lock(&pals_mutex);
	err = pals_obj_create(obj, blob, info->extack);
	if (err) {
		mutex_unlock(&pals_mutex);
		goto free_blob;
	}
	/* Nobody learns the handle if the reply fails: do not keep the blob. */
	err = pals_reply(obj, info, false);
	if (err)
		pals_obj_destroy(obj);
	mutex_unlock(&pals_mutex);
	return err;

free_blob:
	kfree(blob);
put_prog:
	bpf_prog_put(obj->prog);
free_obj:
	kfree(obj);
	return err;
}

static int pals_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PALS_A_LINK_FD];
	struct bpf_link *link;
	struct pals_obj *obj;
	int err;

	if (PALS_REQUIRE(info, PALS_A_LINK_FD))
		return -EINVAL;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info, true);
	link = IS_ERR(obj) ? NULL : bpf_link_get_from_fd(nla_get_u32(attr));
	if (IS_ERR(obj)) {
		err = PTR_ERR(obj);
	} else if (IS_ERR(link)) {
		err = PTR_ERR(link);
		link = NULL;
		if (err == -EBADF)
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "PALS_A_LINK_FD: not an open file descriptor");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "PALS_A_LINK_FD: not a BPF link");
	} else if (obj->link) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PALS_A_HANDLE],
				    "PALS_A_HANDLE: blob is already bound to a link");
		err = -EBUSY;
	} else if (link->prog != obj->prog) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PALS_A_LINK_FD: link's program is not the blob's program");
		err = -EINVAL;
	} else {
		obj->link = link;
		link = NULL;
		err = 0;
	}
	mutex_unlock(&pals_mutex);
	if (link)
		bpf_link_put(link);
	return err;
}

static int pals_update_doit(struct sk_buff *skb, struct genl_info *info)
{
	size_t len = pals_data_len(info);
	struct pals_blob *blob;
	struct pals_obj *obj;
	int err;

	err = pals_data_check(info, len);
	if (err)
		return err;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info, true);
	if (IS_ERR(obj)) {
		err = PTR_ERR(obj);
		goto unlock;
	}
	if (len != obj->size) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "PALS_A_DATA: %zu bytes, but the blob has %u",
				   len, obj->size);
		err = -EINVAL;
		goto unlock;
	}
	blob = pals_blob_from_info(info, obj->type_id, obj->size);
	if (!blob) {
		err = -ENOMEM;
		goto unlock;
	}
	pals_obj_update(obj, blob);
unlock:
	mutex_unlock(&pals_mutex);
	return err;
}

static int pals_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_obj *obj;
	int err;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info, false);
	err = IS_ERR(obj) ? PTR_ERR(obj) : pals_reply(obj, info, true);
	mutex_unlock(&pals_mutex);
	return err;
}

struct pals_dump_ctx {
	u32 index;
};

static int pals_get_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);

	int err;

	NL_ASSERT_CTX_FITS(struct pals_dump_ctx);
	err = pals_check_request(info, cb->extack);
	if (err)
		return err;
	if (info->attrs[PALS_A_HANDLE]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[PALS_A_HANDLE],
				    "PALS_A_HANDLE: not allowed in a dump");
		return -EINVAL;
	}
	return 0;
}

static int pals_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pals_dump_ctx *ctx = (struct pals_dump_ctx *)cb->ctx;
	struct pals_obj *obj;
	int err = 0;

	mutex_lock(&pals_mutex);
	for (; (obj = pals_table_next(&ctx->index)); ctx->index++) {
		err = pals_fill(skb, obj, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI, PALS_CMD_GET,
				false);
		if (err)
			break;
	}
	mutex_unlock(&pals_mutex);
	/* A full skb ends this round; the dump goes on from ctx->index. */
	return err == -EMSGSIZE && skb->len ? skb->len : err;
}

static int pals_delete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_obj *obj;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info, true);
	if (!IS_ERR(obj))
		pals_obj_destroy(obj);
	mutex_unlock(&pals_mutex);
	return PTR_ERR_OR_ZERO(obj);
}

static int pals_pin_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool pin = info->genlhdr->cmd == PALS_CMD_PIN;
	struct pals_obj *obj;

	mutex_lock(&pals_mutex);
	obj = pals_obj_lookup(info, true);
	if (!IS_ERR(obj) && pin) {
		obj->flags |= PALS_F_PINNED;
	} else if (!IS_ERR(obj)) {
		obj->flags &= ~PALS_F_PINNED;
		/* An unpinned blob dies with a socket: the caller's if orphaned. */
		if (!obj->portid) {
			obj->net = genl_info_net(info);
			obj->portid = info->snd_portid;
		}
	}
	mutex_unlock(&pals_mutex);
	return PTR_ERR_OR_ZERO(obj);
}

static int pals_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pals_stats st;
	struct sk_buff *msg;
	void *hdr;

	pals_stats_read(&st);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
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
	    nla_put_u64_64bit(msg, PALS_A_STAT_OVERHEAD, pals_obj_overhead(), PALS_A_PAD)) {
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

static const struct genl_split_ops pals_ops[] = {
	PALS_DO(PALS_CMD_CREATE, pals_create_doit, pals_create_policy),
	PALS_DO(PALS_CMD_BIND, pals_bind_doit, pals_bind_policy),
	PALS_DO(PALS_CMD_UPDATE, pals_update_doit, pals_update_policy),
	PALS_DO(PALS_CMD_GET, pals_get_doit, pals_handle_policy),
	{
		.cmd		= PALS_CMD_GET,
		.start		= pals_get_start,
		.dumpit		= pals_get_dumpit,
		.policy		= pals_handle_policy,
		.maxattr	= PALS_A_MAX,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	PALS_DO(PALS_CMD_DELETE, pals_delete_doit, pals_handle_policy),
	PALS_DO(PALS_CMD_PIN, pals_pin_doit, pals_handle_policy),
	PALS_DO(PALS_CMD_UNPIN, pals_pin_doit, pals_handle_policy),
	PALS_DO(PALS_CMD_STATS, pals_stats_doit, pals_none_policy),
};

static struct genl_family pals_family __ro_after_init = {
	.name		= PALS_GENL_NAME,
	.version	= PALS_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.split_ops	= pals_ops,
	.n_split_ops	= ARRAY_SIZE(pals_ops),
	.resv_start_op	= PALS_CMD_STATS + 1,
};

static int pals_netlink_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		pals_obj_release_owner(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block pals_netlink_nb = {
	.notifier_call = pals_netlink_event,
};

int pals_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&pals_netlink_nb);
	if (err)
		return err;
	err = genl_register_family(&pals_family);
	if (err)
		netlink_unregister_notifier(&pals_netlink_nb);
	return err;
}

void pals_genl_exit(void)
{
	genl_unregister_family(&pals_family);
	netlink_unregister_notifier(&pals_netlink_nb);
}
