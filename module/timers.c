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

struct tcpw_tctx {
	const struct sock *sk;
	int cause;
};

/* The timer handler running on this CPU, and for which socket. */
static DEFINE_PER_CPU(struct tcpw_tctx, tcpw_tctx);

struct tcpw_tkrp_data {
	struct tcpw_tctx prev;		/* restored on return (nesting) */
	struct tcpw_tuple t;		/* the tuple before a fatal expiry */
	const struct sock *sk;
	unsigned long mib;
	u32 rto_us;
	int cpu;
};

#define TCPW_XFIELD(f)	offsetof(struct tcpw_xcount, f)

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
	struct tcpw_net *tn = tcpw_net(net);
	struct tcpw_tx_event ev;
	u64 id = 0;

	if (old == ca_state)
		return;
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

/* Mark this CPU as inside a timer handler of d->sk; save the MIB. */
static void tcpw_tctx_enter(struct tcpw_tkrp_data *d, int cause, int mib)
{
	struct tcpw_tctx *c = this_cpu_ptr(&tcpw_tctx);

	d->prev = *c;
	if (cause >= 0) {
		c->sk = d->sk;
		c->cause = cause;
	}
	d->cpu = smp_processor_id();
	d->mib = tcpw_mib(sock_net(d->sk), mib);
}

/* Undo tcpw_tctx_enter(); return the MIB's increase during the call. */
static unsigned long tcpw_tctx_leave(struct tcpw_tkrp_data *d, int mib)
{
	*this_cpu_ptr(&tcpw_tctx) = d->prev;
	/* a CPU change cannot happen with BH off; be safe */
	if (d->cpu != smp_processor_id())
		return 0;
	return tcpw_mib(sock_net(d->sk), mib) - d->mib;
}

static int tcpw_rto_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	tcpw_tctx_enter(d, TCPWATCH_CAUSE_RTO, LINUX_MIB_TCPTIMEOUTS);
	d->rto_us = jiffies_to_usecs(inet_csk(d->sk)->icsk_rto);
	tcpw_tuple_from_sk(d->sk, &d->t);
	return 0;
}

/* The RTO expired (and may have killed the connection: tcp_retries2). */
static int tcpw_rto_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;
	unsigned long n = tcpw_tctx_leave(d, LINUX_MIB_TCPTIMEOUTS);
	struct net *net = sock_net(d->sk);
	struct tcpw_net *tn = tcpw_net(net);
	struct tcpw_tx_event ev;
	u64 id;

	if (!n)
		return 0;
	this_cpu_add(tn->stats->rto_expiries, n);
	tcpw_khist_add(tn, TCPWATCH_HIST_RTO, d->rto_us);
	id = tcpw_track_xcount(d->sk, TCPW_XFIELD(rto_expiries), n);
	if (!tcpw_event_wanted(net))
		return 0;
	tcpw_tx_fill(d->sk, &ev, id);
	if (d->sk->sk_state == TCP_CLOSE)
		ev.t = d->t;		/* its port is released by now */
	ev.live.rto_us = d->rto_us;	/* the timeout that expired */
	tcpw_tx_event(net, TCPWATCH_EV_RTO, &ev);
	return 0;
}

static int tcpw_tlp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	tcpw_tctx_enter(d, TCPWATCH_CAUSE_TLP, LINUX_MIB_TCPLOSSPROBES);
	return 0;
}

static int tcpw_tlp_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;
	unsigned long n = tcpw_tctx_leave(d, LINUX_MIB_TCPLOSSPROBES);

	if (n) {
		this_cpu_add(tcpw_net(sock_net(d->sk))->stats->loss_probes, n);
		tcpw_track_xcount(d->sk, TCPW_XFIELD(loss_probes), n);
	}
	return 0;
}

/* tcp_send_probe0() may send new data, not a retransmission: no mark. */
static int tcpw_zwp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	tcpw_tctx_enter(d, -1, LINUX_MIB_TCPWINPROBE);
	return 0;
}

static int tcpw_zwp_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_tkrp_data *d = (void *)ri->data;
	unsigned long n = tcpw_tctx_leave(d, LINUX_MIB_TCPWINPROBE);

	if (n) {
		this_cpu_add(tcpw_net(sock_net(d->sk))->stats->zw_probes, n);
		tcpw_track_xcount(d->sk, TCPW_XFIELD(zw_probes), n);
	}
	return 0;
}

#define TCPW_TKRP(fn, entry, ret) {					\
	.kp.symbol_name = fn,						\
	.entry_handler = entry,						\
	.handler = ret,							\
	.data_size = sizeof(struct tcpw_tkrp_data),			\
	.maxactive = 64,						\
}

/* In enum tcpwatch_timer_hook order. */
static struct kretprobe tcpw_tkrps[] = {
	TCPW_TKRP("tcp_retransmit_timer", tcpw_rto_entry, tcpw_rto_ret),
	TCPW_TKRP("tcp_send_loss_probe", tcpw_tlp_entry, tcpw_tlp_ret),
	TCPW_TKRP("tcp_send_probe0", tcpw_zwp_entry, tcpw_zwp_ret),
};

static u32 tcpw_tkrp_on;		/* bit per attached kretprobe */
static char tcpw_tkrp_status[128];

/**
 * tcpw_close_sample() - per-connection histograms, taken at CLOSE
 * @sk: the socket, valid during the call
 * @old: the state it leaves; listeners and failed connects are skipped
 */
void tcpw_close_sample(const struct sock *sk, int old)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct tcpw_net *tn;

	if (old == TCP_LISTEN || old == TCP_SYN_SENT || old == TCP_CLOSE)
		return;
	tn = tcpw_net(sock_net(sk));
	if (tp->srtt_us)
		tcpw_khist_add(tn, TCPWATCH_HIST_SRTT, tp->srtt_us >> 3);
	tcpw_khist_add(tn, TCPWATCH_HIST_RETRANS, tp->total_retrans);
}

/* A kretprobe that fails to attach leaves its counters absent. */
void tcpw_timers_register(void)
{
	unsigned int i;
	int len = 0, err;

	BUILD_BUG_ON(ARRAY_SIZE(tcpw_tkrps) != TCPWATCH_HOOK_ZW_PROBE + 1);
	for (i = 0; i < ARRAY_SIZE(tcpw_tkrps); i++) {
		err = register_kretprobe(&tcpw_tkrps[i]);
		if (!err)
			tcpw_tkrp_on |= BIT(i);
		else
			pr_warn("kretprobe %s not attached (%d): its counters are unavailable\n",
				tcpw_tkrps[i].kp.symbol_name, err);
		len += scnprintf(tcpw_tkrp_status + len,
				 sizeof(tcpw_tkrp_status) - len, "%s%s%s",
				 i ? " " : "", tcpw_tkrps[i].kp.symbol_name,
				 err ? "(off)" : "");
	}
}

void tcpw_timers_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpw_tkrps); i++)
		if (tcpw_tkrp_on & BIT(i))
			unregister_kretprobe(&tcpw_tkrps[i]);
	tcpw_tkrp_on = 0;
}

u32 tcpw_timer_hooks(void)
{
	return tcpw_tkrp_on;
}

u64 tcpw_timers_missed(void)
{
	unsigned int i;
	u64 n = 0;

	for (i = 0; i < ARRAY_SIZE(tcpw_tkrps); i++)
		if (tcpw_tkrp_on & BIT(i))
			n += tcpw_tkrps[i].nmissed + tcpw_tkrps[i].kp.nmissed;
	return n;
}

const char *tcpw_timers_status(void)
{
	return tcpw_tkrp_status;
}
