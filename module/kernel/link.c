// SPDX-License-Identifier: GPL-2.0
/*
 * Links: Ethernet devices cxnet owns. Attaching registers an rx_handler
 * (as a bridge port or bond slave does), so cxnet sees every frame before
 * Linux's protocol handlers: IPv4 and ARP go to the stack (consumed), the
 * rest is passed on untouched. Transmit is dev_queue_xmit().
 *
 * Lifetime: a link holds a tracked reference on its device. Detach (by
 * netlink, NETDEV_UNREGISTER, netns exit or rmmod) unregisters the handler
 * (which waits for running handlers), takes the link out of the stack, and
 * drops the device reference after an RCU grace period, when no stack
 * reader can still transmit through it. All under RTNL.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>

#include "cxnet.h"

struct cxnet_link {
	struct list_head node;		/* cn->links, under RTNL */
	struct net_device *dev;
	netdevice_tracker tracker;
	struct cxnet_net *cn;
	struct rcu_head rcu;
};

static void cxnet_link_desc(const struct net_device *dev, struct cx_link_desc *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->ifindex = dev->ifindex;
	strscpy(desc->name, dev->name, sizeof(desc->name));
	ether_addr_copy(desc->mac, dev->dev_addr);
	desc->mtu = dev->mtu;
	if (dev->flags & IFF_UP)
		desc->flags |= CX_LINK_F_UP;
	if (netif_running(dev) && netif_carrier_ok(dev))
		desc->flags |= CX_LINK_F_RUNNING;
	if (dev->flags & IFF_BROADCAST)
		desc->flags |= CX_LINK_F_BROADCAST;
	if (dev->flags & IFF_NOARP)
		desc->flags |= CX_LINK_F_NOARP;
	if (dev->flags & IFF_POINTOPOINT)
		desc->flags |= CX_LINK_F_POINTOPOINT;
}

static rx_handler_result_t cxnet_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct cxnet_link *link = rcu_dereference(skb->dev->rx_handler_data);
	unsigned int mac_len;

	if ((skb->protocol != htons(ETH_P_IP) && skb->protocol != htons(ETH_P_ARP)) ||
	    skb_vlan_tag_present(skb) || unlikely(!link)) {
		if (link)
			cx_stack_link_count_passed(link->cn->stack, skb->dev->ifindex);
		return RX_HANDLER_PASS;
	}
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	/* eth_type_trans() pulled the Ethernet header: the stack wants it back */
	mac_len = skb->data - skb_mac_header(skb);
	if (mac_len != ETH_HLEN) {
		cx_stack_link_count_passed(link->cn->stack, skb->dev->ifindex);
		return RX_HANDLER_PASS;
	}
	__skb_push(skb, mac_len);
	BUILD_BUG_ON(PACKET_HOST != CX_PKT_HOST || PACKET_BROADCAST != CX_PKT_BROADCAST ||
		     PACKET_MULTICAST != CX_PKT_MULTICAST || PACKET_OTHERHOST != CX_PKT_OTHERHOST);
	if (cx_stack_rx(link->cn->stack, skb->dev->ifindex, (struct cx_pkt *)skb,
			(enum cx_pkt_type)min_t(u8, skb->pkt_type, PACKET_OTHERHOST)))
		return RX_HANDLER_CONSUMED;
	__skb_pull(skb, mac_len);
	cx_stack_link_count_passed(link->cn->stack, skb->dev->ifindex);
	return RX_HANDLER_PASS;
}

int cxnet_link_xmit(void *link_ctx, struct cx_pkt *frame)
{
	struct cxnet_link *link = link_ctx;
	struct sk_buff *skb = (struct sk_buff *)frame;
	int rc;

	skb->dev = link->dev;
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = eth_hdr(skb)->h_proto;
	/*
	 * A forwarded packet from a local sender (veth) may still carry a
	 * partial transport checksum: the device completes it, as for Linux's
	 * own forwarding. Anything else has complete checksums.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_NONE;
	rc = dev_queue_xmit(skb);
	return net_xmit_eval(rc) ? -ENOBUFS : 0;
}

static struct cxnet_link *cxnet_link_find(struct cxnet_net *cn, const struct net_device *dev)
{
	struct cxnet_link *link;

	list_for_each_entry(link, &cn->links, node)
		if (link->dev == dev)
			return link;
	return NULL;
}

int cxnet_link_attach(struct cxnet_net *cn, struct net_device *dev,
		      struct netlink_ext_ack *extack)
{
	struct cx_link_desc desc;
	struct cxnet_link *link;
	int err;

	ASSERT_RTNL();
	if (cxnet_link_find(cn, dev)) {
		NL_SET_ERR_MSG(extack, "device is already attached to cxnet");
		return -EEXIST;
	}
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG(extack, "cxnet does not attach loopback devices");
		return -EOPNOTSUPP;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "cxnet attaches Ethernet devices only");
		return -EOPNOTSUPP;
	}
	if (netdev_is_rx_handler_busy(dev)) {
		NL_SET_ERR_MSG(extack,
			       "device is already claimed by another rx handler (bridge port, bond slave, macvlan/ipvlan lower device, ...)");
		return -EBUSY;
	}
	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->dev = dev;
	link->cn = cn;
	cxnet_link_desc(dev, &desc);
	err = cx_stack_link_attach(cn->stack, &desc, link);
	if (err) {
		NL_SET_ERR_MSG(extack, "cxnet could not add the link");
		kfree(link);
		return err;
	}
	netdev_hold(dev, &link->tracker, GFP_KERNEL);
	err = netdev_rx_handler_register(dev, cxnet_rx_handler, link);
	if (err) {
		NL_SET_ERR_MSG(extack, "device is already claimed by another rx handler");
		cx_stack_link_detach(cn->stack, dev->ifindex);
		synchronize_rcu();
		netdev_put(dev, &link->tracker);
		kfree(link);
		return err;
	}
	list_add_tail(&link->node, &cn->links);
	return 0;
}

static void cxnet_link_free_rcu(struct rcu_head *head)
{
	struct cxnet_link *link = container_of(head, struct cxnet_link, rcu);

	netdev_put(link->dev, &link->tracker);
	kfree(link);
}

static void __cxnet_link_detach(struct cxnet_link *link)
{
	/* waits for handlers running on other CPUs (synchronize_net) */
	netdev_rx_handler_unregister(link->dev);
	cx_stack_link_detach(link->cn->stack, link->dev->ifindex);
	list_del(&link->node);
	call_rcu(&link->rcu, cxnet_link_free_rcu);
}

int cxnet_link_detach(struct cxnet_net *cn, struct net_device *dev,
		      struct netlink_ext_ack *extack)
{
	struct cxnet_link *link;

	ASSERT_RTNL();
	link = cxnet_link_find(cn, dev);
	if (!link) {
		NL_SET_ERR_MSG(extack, "device is not attached to cxnet");
		return -ENODEV;
	}
	__cxnet_link_detach(link);
	return 0;
}

void cxnet_link_detach_all(struct cxnet_net *cn)
{
	struct cxnet_link *link, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(link, tmp, &cn->links, node)
		__cxnet_link_detach(link);
}

static int cxnet_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct cxnet_net *cn;
	struct cxnet_link *link;
	struct cx_link_desc desc;

	if (rcu_access_pointer(dev->rx_handler) != cxnet_rx_handler)
		return NOTIFY_DONE;
	cn = cxnet_pernet(dev_net(dev));
	link = cxnet_link_find(cn, dev);
	if (!link)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UNREGISTER:
		__cxnet_link_detach(link);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGEMTU:
	case NETDEV_CHANGEADDR:
	case NETDEV_CHANGENAME:
		cxnet_link_desc(dev, &desc);
		cx_stack_link_change(cn->stack, &desc);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block cxnet_netdev_notifier = {
	.notifier_call = cxnet_netdev_event,
};

int cxnet_link_init(void)
{
	return register_netdevice_notifier(&cxnet_netdev_notifier);
}

void cxnet_link_exit(void)
{
	unregister_netdevice_notifier(&cxnet_netdev_notifier);
}
