// SPDX-License-Identifier: GPL-2.0
/*
 * tcpwatch: TCP's connection machinery, visible while it runs.
 *
 * Load order: records and per-netns counters (with /proc/net/tcpwatch)
 * first, then netlink, then the probes, then the walk that records
 * sockets older than the module.  A netlink request arriving before the
 * counters existed crashed here once (the insmod/rmmod cycle test).
 * Unload reverses it, as net/core/drop_monitor.c does: no probe runs once
 * tcpw_probes_unregister() returns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>	/* before generic.h, which needs it on 5.10 */
#include <net/netns/generic.h>
#include "tcpwatch.h"
#include "compat.h"

unsigned int tcpw_max_sockets = 65536;
unsigned int tcpw_close_ring = 1024;
unsigned int tcpw_gc_ms;	/* 0: tcpw_gc_interval_ms() decides */
bool tcpw_handshake_probes = true;
u64 tcpw_load_ns;

static int tcpw_param_set(const char *val, const struct kernel_param *kp,
			  unsigned int lo, unsigned int hi)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err || v < lo || v > hi) {
		pr_err("%s=%s: must be an integer from %u to %u\n",
		       kp->name, val, lo, hi);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int tcpw_set_max_sockets(const char *val, const struct kernel_param *kp)
{
	return tcpw_param_set(val, kp, 16, 16 << 20);
}

static int tcpw_set_close_ring(const char *val, const struct kernel_param *kp)
{
	return tcpw_param_set(val, kp, 1, 1 << 20);
}

static int tcpw_set_gc_ms(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (!kstrtouint(val, 0, &v) && !v) {
		tcpw_gc_ms = 0;
		return 0;
	}
	return tcpw_param_set(val, kp, 10, 60000);
}

/**
 * tcpw_gc_interval_ms() - how often the GC pass runs
 * @hooked: whether the inet_twsk_kill kprobe ends timewait records
 *
 * Return: gc_ms if set; else 1 s, or 30 s when the pass is only a safety
 * net behind the kprobe.
 */
unsigned int tcpw_gc_interval_ms(bool hooked)
{
	if (tcpw_gc_ms)
		return tcpw_gc_ms;
	return hooked ? 30000 : 1000;
}

static const struct kernel_param_ops tcpw_max_sockets_ops = {
	.set = tcpw_set_max_sockets, .get = param_get_uint,
};

static const struct kernel_param_ops tcpw_close_ring_ops = {
	.set = tcpw_set_close_ring, .get = param_get_uint,
};

static const struct kernel_param_ops tcpw_gc_ms_ops = {
	.set = tcpw_set_gc_ms, .get = param_get_uint,
};

module_param_cb(max_sockets, &tcpw_max_sockets_ops, &tcpw_max_sockets, 0444);
MODULE_PARM_DESC(max_sockets, "most sockets tracked at once, all netns (16..16M, default 65536)");
module_param_cb(close_ring, &tcpw_close_ring_ops, &tcpw_close_ring, 0444);
MODULE_PARM_DESC(close_ring, "recently closed sockets kept (1..1M, default 1024)");
module_param_cb(gc_ms, &tcpw_gc_ms_ops, &tcpw_gc_ms, 0444);
MODULE_PARM_DESC(gc_ms, "interval of the pass that finds records of sockets gone unseen, ms (10..60000; default 0: 1000, or 30000 with the inet_twsk_kill kprobe)");
module_param_named(handshake_probes, tcpw_handshake_probes, bool, 0444);
MODULE_PARM_DESC(handshake_probes, "attach the handshake kretprobes and the accept kprobe (default 1); 0 saves their cost per connection, and the per-listener handshake counters and the accept-wait histogram are then absent");

unsigned int tcpw_net_id __read_mostly;
LIST_HEAD(tcpw_nets);
DEFINE_MUTEX(tcpw_nets_lock);	/* tcpw_nets; GC and netns exit */

#ifdef TCPW_OWN_NET_COOKIE
/* compat.h: 5.10 numbers its netns too late for us, and privately */
static atomic64_t tcpw_net_cookies = ATOMIC64_INIT(0);

u64 tcpw_compat_net_cookie(const struct net *net)
{
	return tcpw_net(net)->cookie;
}
#endif

static int __net_init tcpw_net_init(struct net *net)
{
	struct tcpw_net *tn = tcpw_net(net);
	int err;

	tn->net = net;
	tcpw_evq_init(tn);
#ifdef TCPW_OWN_NET_COOKIE
	tn->cookie = atomic64_inc_return(&tcpw_net_cookies);
#endif
	err = tcpw_stats_init(tn);
	if (err)
		return err;
	err = tcpw_proc_net_init(tn);
	if (err) {
		tcpw_stats_free(tn);
		return err;
	}
	mutex_lock(&tcpw_nets_lock);
	list_add_tail(&tn->list, &tcpw_nets);
	mutex_unlock(&tcpw_nets_lock);
	return 0;
}

static void __net_exit tcpw_net_exit(struct net *net)
{
	struct tcpw_net *tn = tcpw_net(net);

	tcpw_proc_net_exit(tn);
	tcpw_winlog_net_exit(tn);
	mutex_lock(&tcpw_nets_lock);
	list_del_init(&tn->list);
	tcpw_track_purge_net(net);
	mutex_unlock(&tcpw_nets_lock);
	/* the probe may still be running for this netns's last sockets */
	synchronize_rcu();
	/* no reader is left in a dying netns, so nothing is queued after */
	tcpw_evq_flush(tn);
	tcpw_stats_free(tn);
}

static struct pernet_operations tcpw_net_ops = {
	.init = tcpw_net_init,
	.exit = tcpw_net_exit,
	.id = &tcpw_net_id,
	.size = sizeof(struct tcpw_net),
};

static struct proc_dir_entry *tcpw_proc_link;

/* Every event queued goes out while the family still exists. */
static void tcpw_flush_events(void)
{
	struct tcpw_net *tn;

	mutex_lock(&tcpw_nets_lock);
	list_for_each_entry(tn, &tcpw_nets, list)
		tcpw_evq_flush(tn);
	mutex_unlock(&tcpw_nets_lock);
}

static int __init tcpw_init(void)
{
	int err;

	tcpw_load_ns = ktime_get_ns();
	err = tcpw_track_init();
	if (err)
		return err;
	/* every netns's counters exist before a reader can ask for them */
	err = register_pernet_subsys(&tcpw_net_ops);
	if (err)
		goto err_track;
	err = tcpw_genl_init();
	if (err)
		goto err_pernet;
	/* /proc/net is per reader's netns, so this link is too */
	tcpw_proc_link = proc_symlink("tcpwatch", NULL, "net/tcpwatch");
	if (!tcpw_proc_link) {
		err = -ENOMEM;
		goto err_genl;
	}
	err = tcpw_probes_register();
	if (err)
		goto err_link;
	tcpw_gc_start();
	pr_info("version " TCPW_VERSION " loaded: max_sockets=%u close_ring=%u gc_ms=%u\n",
		tcpw_max_sockets, tcpw_close_ring,
		tcpw_gc_interval_ms(tcpw_timewait_hooked()));
	pr_info("%u existing sockets recorded\n", tcpw_tracked());
	return 0;

err_link:
	proc_remove(tcpw_proc_link);
err_genl:
	tcpw_winlog_exit();
	tcpw_flush_events();
	tcpw_genl_exit();
err_pernet:
	unregister_pernet_subsys(&tcpw_net_ops);
err_track:
	tcpw_track_exit();
	return err;
}

static void __exit tcpw_exit(void)
{
	tcpw_probes_unregister();
	tcpw_gc_stop();
	/* the window log's probe sends events too */
	tcpw_winlog_exit();
	tcpw_flush_events();
	proc_remove(tcpw_proc_link);
	tcpw_genl_exit();
	unregister_pernet_subsys(&tcpw_net_ops);
	tcpw_track_exit();
	pr_info("unloaded\n");
}

module_init(tcpw_init);
module_exit(tcpw_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("tcpwatch developers");
MODULE_DESCRIPTION("TCP state machine, handshake and timer observer");
MODULE_VERSION(TCPW_VERSION);
