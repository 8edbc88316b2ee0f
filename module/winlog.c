// SPDX-License-Identifier: GPL-2.0
/*
 * The window change log: what the old tcp_probe module printed, but per
 * netns and opt-in.  tcp:tcp_probe fires for every segment an established
 * socket receives, so it is attached only while some netns has a filter
 * (set by TCPWATCH_CMD_SET_WINLOG), and a socket goes further than the
 * filter check only if it matches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include "tcpwatch.h"

/**
 * struct tcpw_wlfilter - one netns's window log filter
 * @rcu: freed after readers are done
 * @interval_ns: at most one sample per socket per interval
 * @port: local or remote port, 0 for any
 * @family: of @addr; 0 for any address
 * @addr: local or remote address
 */
struct tcpw_wlfilter {
	struct rcu_head rcu;
	u64 interval_ns;
	u16 port;
	u8 family;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
};

static DEFINE_MUTEX(tcpw_wl_lock);	/* filters' owners, the attachment */
static unsigned int tcpw_wl_nets;	/* netns with a filter */
static struct tracepoint *tcpw_wl_tp;	/* tcp_probe, while attached */
static bool tcpw_wl_closed;		/* module unloading */

static bool tcpw_wl_match(const struct tcpw_wlfilter *f, const struct sock *sk)
{
	if (f->port && sk->sk_num != f->port && ntohs(sk->sk_dport) != f->port)
		return false;
	if (!f->family)
		return true;
	if (f->family != sk->sk_family)
		return false;
#if IS_ENABLED(CONFIG_IPV6)
	if (f->family == AF_INET6)
		return ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &f->addr.v6) ||
		       ipv6_addr_equal(&sk->sk_v6_daddr, &f->addr.v6);
#endif
	return sk->sk_rcv_saddr == f->addr.v4 || sk->sk_daddr == f->addr.v4;
}

/* tcp:tcp_probe: a segment reached established socket @sk. */
static void tcpw_probe_rcv(void *data, struct sock *sk, struct sk_buff *skb)
{
	const struct tcpw_wlfilter *f;
	struct net *net = sock_net(sk);
	struct tcpw_tx_event ev;
	u64 interval_ns;
	bool send;

	rcu_read_lock();
	f = rcu_dereference(tcpw_net(net)->wl);
	if (!f || !tcpw_wl_match(f, sk)) {
		rcu_read_unlock();
		return;
	}
	interval_ns = f->interval_ns;
	rcu_read_unlock();

	tcpw_tx_fill(sk, &ev, 0);
	ev.id = tcpw_track_window(sk, &ev.live, interval_ns, &send);
	if (!send || !tcpw_event_wanted(net))
		return;
	this_cpu_inc(tcpw_net(net)->stats->wl_samples);
	tcpw_tx_event(net, TCPWATCH_EV_WINDOW, &ev);
}

static int tcpw_wl_attach(void)
{
	struct tracepoint *tp = tcpw_find_tracepoint("tcp_probe");
	int err;

	if (!tp)
		return -EOPNOTSUPP;
	err = tracepoint_probe_register(tp, tcpw_probe_rcv, NULL);
	if (!err)
		tcpw_wl_tp = tp;
	return err;
}

static void tcpw_wl_detach(void)
{
	if (!tcpw_wl_tp)
		return;
	tracepoint_probe_unregister(tcpw_wl_tp, tcpw_probe_rcv, NULL);
	tcpw_wl_tp = NULL;
}

/* Replace @tn's filter with @f (NULL: none); under tcpw_wl_lock. */
static int tcpw_wl_replace(struct tcpw_net *tn, struct tcpw_wlfilter *f)
{
	struct tcpw_wlfilter *old;
	int err;

	old = rcu_dereference_protected(tn->wl, lockdep_is_held(&tcpw_wl_lock));
	if (f && !old) {
		if (!tcpw_wl_nets && !tcpw_wl_tp) {
			err = tcpw_wl_attach();
			if (err)
				return err;
		}
		tcpw_wl_nets++;
	}
	rcu_assign_pointer(tn->wl, f);
	if (!f && old && !--tcpw_wl_nets)
		tcpw_wl_detach();
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * tcpw_winlog_set() - set or clear a netns's window log filter
 * @net: the caller's netns
 * @family: AF_INET or AF_INET6 with @addr, 0 for any address
 * @addr: 4 or 16 bytes, network order
 * @port: local or remote port, 0 for any
 * @interval_ms: at most one sample per socket per interval
 *
 * With neither an address nor a port the filter is cleared.
 *
 * Return: 0, -ENOMEM, -EOPNOTSUPP without tcp:tcp_probe, -ENODEV while
 * the module unloads.
 */
int tcpw_winlog_set(struct net *net, int family, const void *addr, u16 port,
		    u32 interval_ms)
{
	struct tcpw_wlfilter *f = NULL;
	int err = -ENODEV;

	if (family || port) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
		f->family = family;
		f->port = port;
		f->interval_ns = (u64)interval_ms * NSEC_PER_MSEC;
		if (family == AF_INET6)
			memcpy(&f->addr.v6, addr, sizeof(f->addr.v6));
		else if (family == AF_INET)
			memcpy(&f->addr.v4, addr, sizeof(f->addr.v4));
	}
	mutex_lock(&tcpw_wl_lock);
	if (!tcpw_wl_closed)
		err = tcpw_wl_replace(tcpw_net(net), f);
	mutex_unlock(&tcpw_wl_lock);
	if (err)
		kfree(f);
	return err;
}

/**
 * tcpw_winlog_get() - the filter in force in a netns
 * @net: the netns
 * @family: 0 if any address
 * @addr: 16 bytes of room
 * @port: 0 if any port
 * @interval_ms: the interval
 *
 * Return: false if the netns has no filter.
 */
bool tcpw_winlog_get(struct net *net, int *family, void *addr, u16 *port,
		     u32 *interval_ms)
{
	const struct tcpw_wlfilter *f;
	bool on;

	rcu_read_lock();
	f = rcu_dereference(tcpw_net(net)->wl);
	on = f;
	if (f) {
		*family = f->family;
		memcpy(addr, &f->addr, sizeof(f->addr));
		*port = f->port;
		*interval_ms = div_u64(f->interval_ns, NSEC_PER_MSEC);
	}
	rcu_read_unlock();
	return on;
}

/* A netns goes away: its filter with it. */
void tcpw_winlog_net_exit(struct tcpw_net *tn)
{
	mutex_lock(&tcpw_wl_lock);
	tcpw_wl_replace(tn, NULL);
	mutex_unlock(&tcpw_wl_lock);
}

/* Module unload, once no command can come: detach and wait for probes. */
void tcpw_winlog_exit(void)
{
	mutex_lock(&tcpw_wl_lock);
	tcpw_wl_closed = true;
	tcpw_wl_detach();
	mutex_unlock(&tcpw_wl_lock);
	tracepoint_synchronize_unregister();
}
