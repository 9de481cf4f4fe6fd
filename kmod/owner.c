// SPDX-License-Identifier: GPL-2.0
/*
 * Owners: the netlink sockets that created blobs.
 *
 * A blob belongs to the socket that created it, identified by its struct
 * sock and not by its portid: netlink_release() frees the portid before
 * it delivers NETLINK_URELEASE, so by then another socket may be bound to
 * the same portid. The notifier finds the owners with the released
 * (net, portid) and destroys those whose socket is dead, which a socket
 * that took over the portid is not. Sockets that never created a blob
 * have no owner and cost a lookup in the hash, without pals_mutex, when
 * they close.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "pals.h"

/* Changed under pals_mutex; looked up under RCU or pals_mutex. */
static DEFINE_HASHTABLE(pals_owners, 8);

static u32 pals_owner_key(const struct net *net, u32 portid)
{
	return hash_ptr(net, 32) ^ portid;
}

static struct pals_owner *pals_owner_find(const struct sk_buff *skb)
{
	struct sock *sk = NETLINK_CB(skb).sk;
	u32 portid = NETLINK_CB(skb).portid;
	struct pals_owner *owner;

	hash_for_each_possible_rcu(pals_owners, owner, node,
				   pals_owner_key(sock_net(sk), portid),
				   lockdep_is_held(&pals_mutex))
		if (owner->sk == sk)
			return owner;
	return NULL;
}

/* Is @owner the socket that sent @skb? */
bool pals_owner_is(const struct pals_owner *owner, const struct sk_buff *skb)
{
	return owner && owner->sk == NETLINK_CB(skb).sk;
}

/*
 * The owner object of the socket that sent @skb, made on its first call.
 * Valid until that socket is released, which cannot happen while one of
 * its requests runs.
 */
struct pals_owner *pals_owner_get(const struct sk_buff *skb)
{
	struct sock *sk = NETLINK_CB(skb).sk;
	struct pals_owner *owner, *found;

	rcu_read_lock();
	owner = pals_owner_find(skb);
	rcu_read_unlock();
	if (owner)
		return owner;
	owner = kzalloc(sizeof(*owner), GFP_KERNEL_ACCOUNT);
	if (!owner)
		return ERR_PTR(-ENOMEM);
	owner->net = sock_net(sk);
	owner->portid = NETLINK_CB(skb).portid;
	INIT_LIST_HEAD(&owner->batches);
	mutex_lock(&pals_mutex);
	found = pals_owner_find(skb);
	if (!found) {
		sock_hold(sk);
		owner->sk = sk;
		hash_add_rcu(pals_owners, &owner->node,
			     pals_owner_key(owner->net, owner->portid));
	}
	mutex_unlock(&pals_mutex);
	if (found) {
		kfree(owner);
		return found;
	}
	return owner;
}

/* Destroy the owner's blobs but the pinned ones, which it orphans. */
static void pals_owner_destroy(struct pals_owner *owner)
{
	struct pals_batch *batch, *tmp;
	struct pals_blob *blob;
	struct pals_obj *obj;
	LIST_HEAD(dead);

	lockdep_assert_held(&pals_mutex);
	list_for_each_entry_safe(batch, tmp, &owner->batches, owner_node) {
		pals_batch_for_each(batch, blob) {
			obj = pals_table_find(pals_blob_handle(blob));
			if (obj && pals_obj_batch(obj) == batch &&
			    !pals_obj_test(obj, PALS_OBJ_PINNED))
				pals_obj_kill(obj, &dead);
		}
		if (batch->live)
			pals_batch_set_owner(batch, NULL);
	}
	pals_dead_free(&dead);
	hash_del_rcu(&owner->node);
	sock_put(owner->sk);
	kfree_rcu(owner, rcu);
}

static bool pals_owner_any(const struct net *net, u32 portid)
{
	struct pals_owner *owner;
	bool any = false;

	rcu_read_lock();
	hash_for_each_possible_rcu(pals_owners, owner, node,
				   pals_owner_key(net, portid))
		if (owner->net == net && owner->portid == portid)
			any = true;
	rcu_read_unlock();
	return any;
}

static int pals_owner_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct netlink_notify *n = ptr;
	struct pals_owner *owner;
	struct hlist_node *tmp;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !pals_owner_any(n->net, n->portid))
		return NOTIFY_DONE;
	mutex_lock(&pals_mutex);
	hash_for_each_possible_safe(pals_owners, owner, tmp, node,
				    pals_owner_key(n->net, n->portid))
		if (owner->net == n->net && owner->portid == n->portid &&
		    sock_flag(owner->sk, SOCK_DEAD))
			pals_owner_destroy(owner);
	mutex_unlock(&pals_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block pals_owner_nb = {
	.notifier_call = pals_owner_event,
};

int pals_owner_init(void)
{
	return netlink_register_notifier(&pals_owner_nb);
}

/* After the family is gone: no request runs, none will. */
void pals_owner_exit(void)
{
	struct pals_owner *owner;
	struct hlist_node *tmp;
	int bkt;

	netlink_unregister_notifier(&pals_owner_nb);
	mutex_lock(&pals_mutex);
	hash_for_each_safe(pals_owners, bkt, tmp, owner, node)
		pals_owner_destroy(owner);
	mutex_unlock(&pals_mutex);
}
