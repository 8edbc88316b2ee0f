// SPDX-License-Identifier: GPL-2.0
/*
 * Hook points.  sock:inet_sock_set_state is not exported to modules, so
 * find it by name among the kernel's tracepoints (as lttng-modules does)
 * and attach with tracepoint_probe_register().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/tracepoint.h>
#include <linux/string.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/request_sock.h>
#include "tcpwatch.h"
#include "compat.h"

struct tcpw_hook {
	const char *name;
	void *probe;
	bool optional;		/* compat.h: some supported kernels lack it */
	bool on;
	struct tracepoint *tp;
};

/* Every SYN-ACK retransmission; for TFO @sk is the child, so ask @req. */
static void tcpw_probe_synack(void *data, const struct sock *sk,
			      const struct request_sock *req)
{
	struct net *net = sock_net(req->rsk_listener);

	tcpw_track_synack_retrans(req->rsk_listener);
	if (tcpw_event_wanted(net)) {
		struct tcpw_tuple t;

		/* num_retrans counts this one once the send returns */
		tcpw_tuple_from_sk(req_to_sk((struct request_sock *)req), &t);
		tcpw_hs_event(net, TCPWATCH_EV_SYNACK_RETRANS, &t, -1, 0,
			      req->num_retrans + 1);
	}
}

static struct tcpw_hook tcpw_hooks[] = {
	{ .name = "inet_sock_set_state", .probe = tcpw_probe_set_state },
	{ .name = "tcp_retransmit_synack", .probe = tcpw_probe_synack },
	{ .name = "tcp_retransmit_skb", .probe = tcpw_compat_retransmit_probe },
	{ .name = "tcp_cong_state_set", .probe = tcpw_probe_ca_state,
	  .optional = true },
};

#define TCPW_HOOK_CA_STATE	3	/* tcpw_hooks[] index */

static char tcpw_tp_status[160];

struct tcpw_tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void tcpw_match_tp(struct tracepoint *tp, void *priv)
{
	struct tcpw_tp_lookup *l = priv;

	if (!strcmp(tp->name, l->name))
		l->tp = tp;
}

/**
 * tcpw_find_tracepoint() - a kernel tracepoint by name, exported or not
 * @name: e.g. "tcp_probe"
 *
 * Return: the tracepoint, or NULL if this kernel has none by that name.
 */
struct tracepoint *tcpw_find_tracepoint(const char *name)
{
	struct tcpw_tp_lookup l = { .name = name };

	for_each_kernel_tracepoint(tcpw_match_tp, &l);
	return l.tp;
}

/**
 * tcpw_kretprobes_register() - attach kretprobes, each if it can
 * @krps: the kretprobes
 * @n: how many, at most 32
 * @status: filled with their names, separated by spaces, each followed by
 *	"(off)" if it did not attach
 * @size: @status's size
 *
 * One that fails to attach is left off, with a warning: its counters are
 * unavailable.  The module works without it.
 *
 * Return: the attached ones, bit i for @krps[i].
 */
u32 tcpw_kretprobes_register(struct kretprobe *krps, unsigned int n,
			     char *status, size_t size)
{
	unsigned int i;
	int len = 0;
	u32 on = 0;
	int err;

	if (WARN_ON_ONCE(n > 32))
		n = 32;
	for (i = 0; i < n; i++) {
		err = register_kretprobe(&krps[i]);
		if (!err)
			on |= BIT(i);
		else
			pr_warn("kretprobe %s not attached (%d): its counters are unavailable\n",
				krps[i].kp.symbol_name, err);
		len += scnprintf(status + len, size - len, "%s%s%s",
				 i ? " " : "", krps[i].kp.symbol_name,
				 err ? "(off)" : "");
	}
	return on;
}

/**
 * tcpw_kretprobes_unregister() - detach what tcpw_kretprobes_register() did
 * @krps: the kretprobes
 * @n: how many
 * @on: its return value
 */
void tcpw_kretprobes_unregister(struct kretprobe *krps, unsigned int n, u32 on)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (on & BIT(i))
			unregister_kretprobe(&krps[i]);
}

/**
 * tcpw_kretprobes_missed() - hits missed by the attached kretprobes
 * @krps: the kretprobes
 * @n: how many
 * @on: tcpw_kretprobes_register()'s return value
 *
 * Missed: no free instance (nmissed), or the probe hit while another
 * kprobe's handler ran on this CPU (kp.nmissed), e.g. a softirq on the
 * way out of an interrupt taken in a return handler in process context.
 *
 * Return: the sum of both counts over them.
 */
u64 tcpw_kretprobes_missed(const struct kretprobe *krps, unsigned int n, u32 on)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < n; i++)
		if (on & BIT(i))
			sum += krps[i].nmissed + krps[i].kp.nmissed;
	return sum;
}

/* An optional tracepoint this kernel lacks is left off, and said so. */
int tcpw_probes_register(void)
{
	unsigned int i;
	int len = 0;
	int err;

	for (i = 0; i < ARRAY_SIZE(tcpw_hooks); i++) {
		struct tcpw_hook *h = &tcpw_hooks[i];

		h->tp = tcpw_find_tracepoint(h->name);
		if (!h->tp && h->optional) {
			pr_warn("tracepoint %s not in this kernel: its counters are unavailable\n",
				h->name);
		} else if (!h->tp) {
			pr_err("tracepoint %s not found\n", h->name);
			err = -ENOENT;
			goto undo;
		} else {
			err = tracepoint_probe_register(h->tp, h->probe, NULL);
			if (err) {
				pr_err("cannot attach to %s: %d\n", h->name, err);
				goto undo;
			}
			h->on = true;
		}
		len += scnprintf(tcpw_tp_status + len,
				 sizeof(tcpw_tp_status) - len, "%s%s%s",
				 i ? " " : "", h->name, h->on ? "" : "(off)");
	}
	tcpw_handshake_register();
	tcpw_timers_register();
	tcpw_timewait_register();
	return 0;
undo:
	while (i--)
		if (tcpw_hooks[i].on)
			tracepoint_probe_unregister(tcpw_hooks[i].tp,
						    tcpw_hooks[i].probe, NULL);
	tracepoint_synchronize_unregister();
	return err;
}

/* The tracepoints, each marked (off) if this kernel lacks it. */
const char *tcpw_probes_status(void)
{
	return tcpw_tp_status;
}

/* Undos and CA-state changes exist only with tcp:tcp_cong_state_set. */
bool tcpw_ca_state_hooked(void)
{
	return tcpw_hooks[TCPW_HOOK_CA_STATE].on;
}

void tcpw_probes_unregister(void)
{
	unsigned int i;

	tcpw_timewait_unregister();
	tcpw_timers_unregister();
	tcpw_handshake_unregister();
	for (i = 0; i < ARRAY_SIZE(tcpw_hooks); i++)
		if (tcpw_hooks[i].on)
			tracepoint_probe_unregister(tcpw_hooks[i].tp,
						    tcpw_hooks[i].probe, NULL);
	/* no probe runs, or will run, after this */
	tracepoint_synchronize_unregister();
}
