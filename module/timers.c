// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmissions, the timers behind them, and the congestion state.
 *
 * tcp:tcp_retransmit_skb fires for every retransmitted segment.  Its
 * cause is where it happens: inside tcp_retransmit_timer() (RTO) or
 * tcp_send_loss_probe() (TLP), which kretprobes mark on this CPU; else
 * the congestion state says it (Loss: recovery after an RTO; any other:
 * fast retransmit).  No tracepoint marks a timer's expiry, so the same
 * kretprobes count expiries as the kernel counts them: this CPU's MIB
 * counter (TCPTimeouts, TCPLossProbes, TCPWinProbe) before and after the
 * call.  The write timer runs with BH off (in softirq, or from
 * tcp_release_cb() under the socket spinlock), so nothing else on this
 * CPU moves those counters in between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/stddef.h>
#include <net/tcp.h>
#include "tcpwatch.h"
#include "compat.h"

struct tcpw_tctx {
	const struct sock *sk;
	int cause;
};

/* The timer handler running on this CPU, and for which socket. */
static DEFINE_PER_CPU(struct tcpw_tctx, tcpw_tctx);

/*
 * What a timer kretprobe marks and counts, in enum tcpwatch_timer_hook
 * order, as tcpw_tkrps[] (defined after its handlers).
 */
struct tcpw_tkind {
	int cause;		/* its retransmissions' cause; -1: no mark */
	int mib;		/* LINUX_MIB_ of its expiries or probes */
	size_t stat;		/* u64 in struct tcpw_pcpu_stats: the netns's */
	size_t xfield;		/* u32 in struct tcpw_xcount: the socket's */
};

#define TCPW_NTKRPS	(TCPWATCH_HOOK_ZW_PROBE + 1)

static struct kretprobe tcpw_tkrps[TCPW_NTKRPS];

struct tcpw_tkrp_data {
	const struct tcpw_tkind *kind;
	struct tcpw_tctx prev;		/* restored on return (nesting) */
	struct tcpw_tuple t;		/* the tuple before a fatal expiry */
	const struct sock *sk;
	unsigned long mib;
	u32 rto_us;
	int cpu;
};

#define TCPW_XFIELD(f)	offsetof(struct tcpw_xcount, f)
#define TCPW_STAT(f)	offsetof(struct tcpw_pcpu_stats, f)

static const struct tcpw_tkind tcpw_tkinds[TCPW_NTKRPS] = {
	[TCPWATCH_HOOK_RTO] = {
		TCPWATCH_CAUSE_RTO, LINUX_MIB_TCPTIMEOUTS,
		TCPW_STAT(rto_expiries), TCPW_XFIELD(rto_expiries),
	},
	[TCPWATCH_HOOK_LOSS_PROBE] = {
		TCPWATCH_CAUSE_TLP, LINUX_MIB_TCPLOSSPROBES,
		TCPW_STAT(loss_probes), TCPW_XFIELD(loss_probes),
	},
	/* tcp_send_probe0() may send new data, not a retransmission */
	[TCPWATCH_HOOK_ZW_PROBE] = {
		-1, LINUX_MIB_TCPWINPROBE,
		TCPW_STAT(zw_probes), TCPW_XFIELD(zw_probes),
	},
};

/**
 * tcpw_probe_retransmit() - tcp:tcp_retransmit_skb
 * @data: unused
 * @sk: the socket, valid during the call
 * @skb: the segment retransmitted
 */
void tcpw_probe_retransmit(void *data, const struct sock *sk,
			   const struct sk_buff *skb)
{
	const struct tcpw_tctx *c = this_cpu_ptr(&tcpw_tctx);
	struct net *net = sock_net(sk);
	struct tcpw_tx_event ev;
	int cause;
	u64 id;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		cause = TCPWATCH_CAUSE_SYN;
		if (sk->sk_state == TCP_SYN_SENT &&
		    (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN))
			tcpw_track_syn_retrans(sk);
	} else if (c->sk == sk) {
		cause = c->cause;
	} else if (inet_csk(sk)->icsk_ca_state == TCP_CA_Loss) {
		cause = TCPWATCH_CAUSE_LOSS;
	} else {
		cause = TCPWATCH_CAUSE_FAST;
	}
	id = tcpw_track_retrans(sk, cause);
	if (!tcpw_event_wanted(net))
		return;
	tcpw_tx_fill(sk, &ev, id);
	ev.cause = cause;
	ev.seq = TCP_SKB_CB(skb)->seq;
	tcpw_tx_event(net, TCPWATCH_EV_RETRANS, &ev);
}

/**
 * tcpw_probe_ca_state() - tcp:tcp_cong_state_set, before the change
 * @data: unused
 * @sk: the socket, valid during the call
 * @ca_state: the new state; the socket still holds the old one
 *
 * Leaving Recovery or Loss for Open with undo_marker cleared means the
 * kernel just undid the window reduction (tcp_undo_cwnd_reduction()):
 * the retransmissions were spurious.
 */
void tcpw_probe_ca_state(void *data, const struct sock *sk, const u8 ca_state)
{
	u8 old = inet_csk(sk)->icsk_ca_state;
	struct net *net = sock_net(sk);
	struct tcpw_tx_event ev;
	struct tcpw_net *tn;
	u64 id = 0;

	/* e.g. every new child: Open to Open */
	if (old == ca_state)
		return;
	tn = tcpw_net(net);
	this_cpu_inc(tn->stats->ca_changes);
	if (ca_state == TCP_CA_Open &&
	    (old == TCP_CA_Recovery || old == TCP_CA_Loss) &&
	    !tcp_sk(sk)->undo_marker) {
		this_cpu_inc(tn->stats->undos);
		id = tcpw_track_xcount(sk, TCPW_XFIELD(undos), 1);
	}
	if (!tcpw_event_wanted(net))
		return;
	tcpw_tx_fill(sk, &ev, id);
	ev.old_ca = old;
	ev.live.ca_state = ca_state;
	tcpw_tx_event(net, TCPWATCH_EV_CA_STATE, &ev);
}

/*
 * Entering a timer function: mark this CPU as inside it, for d->sk, and
 * save this CPU's MIB counter.
 */
static struct tcpw_tkrp_data *tcpw_timer_enter(struct kretprobe_instance *ri,
					       struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;
	struct tcpw_tctx *c = this_cpu_ptr(&tcpw_tctx);

	d->kind = &tcpw_tkinds[tcpw_compat_get_kretprobe(ri) - tcpw_tkrps];
	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	d->prev = *c;
	if (d->kind->cause >= 0) {
		c->sk = d->sk;
		c->cause = d->kind->cause;
	}
	d->cpu = smp_processor_id();
	d->mib = tcpw_mib(sock_net(d->sk), d->kind->mib);
	return d;
}

/*
 * Leaving it: undo tcpw_timer_enter() and count the MIB's increase during
 * the call for the netns and the socket.  Return the increase; *@id is
 * tcpwatch's id of the socket if it grew, else 0.
 */
static unsigned long tcpw_timer_leave(struct tcpw_tkrp_data *d, u64 *id)
{
	struct net *net = sock_net(d->sk);
	u64 __percpu *stat;
	unsigned long n;

	*this_cpu_ptr(&tcpw_tctx) = d->prev;
	*id = 0;
	/* a CPU change cannot happen with BH off; be safe */
	if (d->cpu != smp_processor_id())
		return 0;
	n = tcpw_mib(net, d->kind->mib) - d->mib;
	if (!n)
		return 0;
	stat = (void __percpu *)tcpw_net(net)->stats + d->kind->stat;
	this_cpu_add(*stat, n);
	*id = tcpw_track_xcount(d->sk, d->kind->xfield, n);
	return n;
}

/* The loss probe and the zero-window probe: counts only. */
static int tcpw_timer_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	tcpw_timer_enter(ri, regs);
	return 0;
}

static int tcpw_timer_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	u64 id;

	tcpw_timer_leave((void *)ri->data, &id);
	return 0;
}

static int tcpw_rto_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = tcpw_timer_enter(ri, regs);

	d->rto_us = jiffies_to_usecs(inet_csk(d->sk)->icsk_rto);
	tcpw_tuple_from_sk(d->sk, &d->t);
	return 0;
}

/* The RTO expired (and may have killed the connection: tcp_retries2). */
static int tcpw_rto_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;
	struct net *net = sock_net(d->sk);
	struct tcpw_tx_event ev;
	u64 id;

	if (!tcpw_timer_leave(d, &id))
		return 0;
	tcpw_khist_add(tcpw_net(net), TCPWATCH_HIST_RTO, d->rto_us);
	if (!tcpw_event_wanted(net))
		return 0;
	tcpw_tx_fill(d->sk, &ev, id);
	if (d->sk->sk_state == TCP_CLOSE)
		ev.t = d->t;		/* its port is released by now */
	ev.live.rto_us = d->rto_us;	/* the timeout that expired */
	tcpw_tx_event(net, TCPWATCH_EV_RTO, &ev);
	return 0;
}

#define TCPW_TKRP(fn, entry, ret) \
	TCPW_KRETPROBE(fn, entry, ret, struct tcpw_tkrp_data)

/* In enum tcpwatch_timer_hook order. */
static struct kretprobe tcpw_tkrps[TCPW_NTKRPS] = {
	[TCPWATCH_HOOK_RTO] = TCPW_TKRP("tcp_retransmit_timer",
					tcpw_rto_entry, tcpw_rto_ret),
	[TCPWATCH_HOOK_LOSS_PROBE] = TCPW_TKRP("tcp_send_loss_probe",
					       tcpw_timer_entry, tcpw_timer_ret),
	[TCPWATCH_HOOK_ZW_PROBE] = TCPW_TKRP("tcp_send_probe0",
					     tcpw_timer_entry, tcpw_timer_ret),
};

static u32 tcpw_tkrp_on;		/* bit per attached kretprobe */
static char tcpw_tkrp_status[128];

/**
 * tcpw_close_sample() - per-connection histograms, taken at CLOSE
 * @tn: the socket's netns
 * @sk: the socket, valid during the call
 * @old: the state it leaves; listeners and failed connects are skipped
 */
void tcpw_close_sample(struct tcpw_net *tn, const struct sock *sk, int old)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (old == TCP_LISTEN || old == TCP_SYN_SENT || old == TCP_CLOSE)
		return;
	if (tp->srtt_us)
		tcpw_khist_add(tn, TCPWATCH_HIST_SRTT, tp->srtt_us >> 3);
	tcpw_khist_add(tn, TCPWATCH_HIST_RETRANS, tp->total_retrans);
}

/* A kretprobe that fails to attach leaves its counters absent. */
void tcpw_timers_register(void)
{
	tcpw_tkrp_on = tcpw_kretprobes_register(tcpw_tkrps, TCPW_NTKRPS,
						tcpw_tkrp_status,
						sizeof(tcpw_tkrp_status));
}

void tcpw_timers_unregister(void)
{
	tcpw_kretprobes_unregister(tcpw_tkrps, TCPW_NTKRPS, tcpw_tkrp_on);
	tcpw_tkrp_on = 0;
}

u32 tcpw_timer_hooks(void)
{
	return tcpw_tkrp_on;
}

u64 tcpw_timers_missed(void)
{
	return tcpw_kretprobes_missed(tcpw_tkrps, TCPW_NTKRPS, tcpw_tkrp_on);
}

const char *tcpw_timers_status(void)
{
	return tcpw_tkrp_status;
}
