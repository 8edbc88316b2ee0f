// SPDX-License-Identifier: GPL-2.0
/*
 * The handshake where no tracepoint reaches it: kretprobes on the
 * functions that decide a SYN's or a request's fate.
 *
 * Drops are counted the way the kernel counts them: the entry handler
 * reads this CPU's MIB counters and the return handler takes the
 * difference.  Listener processing runs in one softirq with BH off, so
 * what changed in between belongs to this call, and the per-listener sums
 * equal nstat's (TcpExtTCPReqQFullDrop, ListenOverflows, Syncookies*).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <net/tcp.h>
#include <net/request_sock.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "tcpwatch.h"
#include "compat.h"

#define TCPW_NMIB	3

struct tcpw_krp_data {
	const struct sock *sk;		/* the listener */
	const struct request_sock *req;
	const struct sk_buff *skb;
	u64 snt_us;			/* first SYN-ACK, µs of ktime_get_ns() */
	int cpu;
	bool from_timer;
	u8 retrans;
	unsigned long mib[TCPW_NMIB];
};

static void tcpw_mib_save(struct tcpw_krp_data *d, const int *items)
{
	int i;

	d->cpu = smp_processor_id();
	for (i = 0; i < TCPW_NMIB && items[i]; i++)
		d->mib[i] = tcpw_mib(sock_net(d->sk), items[i]);
}

/* Add this call's MIB deltas to the listener's counters; keep them. */
static void tcpw_mib_account(struct tcpw_krp_data *d, const int *items,
			     const int *counters)
{
	int i;

	for (i = 0; i < TCPW_NMIB && items[i]; i++) {
		/* a CPU change cannot happen in softirq; be safe */
		d->mib[i] = d->cpu == smp_processor_id() ?
			    tcpw_mib(sock_net(d->sk), items[i]) - d->mib[i] : 0;
		tcpw_track_handshake(d->sk, counters[i], d->mib[i]);
	}
}

/* The addresses of a SYN or ACK, as the listener sees them. */
static void tcpw_tuple_from_skb(const struct sk_buff *skb,
				struct tcpw_tuple *t)
{
	const struct tcphdr *th = tcp_hdr(skb);

	memset(t, 0, sizeof(*t));
	t->sport = ntohs(th->dest);
	t->dport = ntohs(th->source);
	if (ip_hdr(skb)->version == 4) {
		t->family = AF_INET;
		t->saddr.v4 = ip_hdr(skb)->daddr;
		t->daddr.v4 = ip_hdr(skb)->saddr;
	} else {
		t->family = AF_INET6;
		t->saddr.v6 = ipv6_hdr(skb)->daddr;
		t->daddr.v6 = ipv6_hdr(skb)->saddr;
	}
}

/* @n events of @kind for the packet @skb, if anyone listens. */
static void tcpw_skb_events(const struct sock *sk, const struct sk_buff *skb,
			    int kind, unsigned long n)
{
	struct net *net = sock_net(sk);
	struct tcpw_tuple t;

	if (!n || !tcpw_event_wanted(net))
		return;
	tcpw_tuple_from_skb(skb, &t);
	while (n--)
		tcpw_hs_event(net, kind, &t, -1, 0, -1);
}

/* A request left the SYN queue: tell the listeners (the caller checked). */
static void tcpw_req_event(const struct tcpw_krp_data *d, int outcome,
			   u64 lifetime_us)
{
	struct tcpw_tuple t;

	tcpw_tuple_from_sk(req_to_sk((struct request_sock *)d->req), &t);
	tcpw_hs_event(sock_net(d->sk), TCPWATCH_EV_HALFOPEN_END, &t, outcome,
		      lifetime_us * NSEC_PER_USEC, d->retrans);
}

/* Set while tcp_check_req() runs on this CPU: its drops are its own. */
static DEFINE_PER_CPU(int, tcpw_in_check_req);

static u64 tcpw_now_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/* tcp_conn_request(rsk_ops, af_ops, sk, skb): a SYN reached a listener. */
static const int tcpw_syn_mib[TCPW_NMIB] = {
	LINUX_MIB_TCPREQQFULLDROP, LINUX_MIB_LISTENOVERFLOWS,
	LINUX_MIB_SYNCOOKIESSENT,
};

static const int tcpw_syn_cnt[TCPW_NMIB] = {
	TCPW_HS_SYNQ_DROPS, TCPW_HS_ACCEPTQ_DROPS, TCPW_HS_COOKIES_SENT,
};

/*
 * Whether tcp_conn_request() may move tcpw_syn_mib[]'s counters for
 * @sk: only with syncookies=2, a full SYN queue (drop or cookie) or a
 * full accept queue (drop).  Both queues must be @TCPW_QUEUE_MARGIN short
 * of full for a no: other CPUs may add to them before the kernel looks.
 * A no skips the return probe, most of this hook's cost per SYN.
 */
#define TCPW_QUEUE_MARGIN	(8 + 2 * num_online_cpus())

static bool tcpw_syn_may_count(const struct sock *sk)
{
	int max = READ_ONCE(sk->sk_max_ack_backlog);

	return READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_syncookies) == 2 ||
	       inet_csk_reqsk_queue_len(sk) + TCPW_QUEUE_MARGIN > max ||
	       READ_ONCE(sk->sk_ack_backlog) + TCPW_QUEUE_MARGIN > max;
}

static int tcpw_syn_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 2);
	d->skb = (const struct sk_buff *)regs_get_kernel_argument(regs, 3);
	if (d->sk->sk_state != TCP_LISTEN)
		return 1;
	tcpw_track_handshake(d->sk, TCPW_HS_SYNS, 1);
	if (!tcpw_syn_may_count(d->sk))
		return 1;
	tcpw_mib_save(d, tcpw_syn_mib);
	return 0;
}

static int tcpw_syn_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	tcpw_mib_account(d, tcpw_syn_mib, tcpw_syn_cnt);
	tcpw_skb_events(d->sk, d->skb, TCPWATCH_EV_SYN_DROP, d->mib[0]);
	tcpw_skb_events(d->sk, d->skb, TCPWATCH_EV_ACCEPTQ_OVERFLOW, d->mib[1]);
	return 0;
}

/* tcp_check_req(sk, skb, req, fastopen, req_stolen): an ACK for a request. */
static const int tcpw_ack_mib[TCPW_NMIB] = {
	LINUX_MIB_LISTENOVERFLOWS, LINUX_MIB_EMBRYONICRSTS,
};

static const int tcpw_ack_cnt[TCPW_NMIB] = {
	TCPW_HS_ACCEPTQ_DROPS, TCPW_HS_RESETS,
};

static int tcpw_ack_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	if (regs_get_kernel_argument(regs, 3) & 0xff)	/* fastopen child */
		return 1;
	d->req = (const struct request_sock *)regs_get_kernel_argument(regs, 2);
	d->sk = d->req->rsk_listener;
	if (!d->sk || d->sk->sk_state != TCP_LISTEN)
		return 1;
	d->snt_us = tcp_rsk(d->req)->snt_synack;
	d->retrans = d->req->num_retrans;
	tcpw_mib_save(d, tcpw_ack_mib);
	this_cpu_inc(tcpw_in_check_req);
	return 0;
}

static int tcpw_ack_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;
	struct sock *child = (struct sock *)regs_return_value(regs);
	u64 life = d->snt_us ? tcpw_now_us() - d->snt_us : 0;
	bool wanted = tcpw_event_wanted(sock_net(d->sk));
	struct tcpw_tuple t;

	/* the caller holds a reference on req until we return */
	this_cpu_dec(tcpw_in_check_req);
	tcpw_mib_account(d, tcpw_ack_mib, tcpw_ack_cnt);
	if (d->mib[0] && wanted) {
		tcpw_tuple_from_sk(req_to_sk((struct request_sock *)d->req), &t);
		tcpw_hs_event(sock_net(d->sk), TCPWATCH_EV_ACCEPTQ_OVERFLOW, &t,
			      -1, 0, -1);
	}
	if (d->mib[1] && wanted)
		tcpw_req_event(d, TCPWATCH_OUTCOME_RESET, life);
	if (!child || child == d->sk || tcpw_compat_req_dropped(d->req))
		return 0;
	tcpw_track_completed(d->sk, d->snt_us != 0, life, d->retrans);
	if (wanted)
		tcpw_req_event(d, TCPWATCH_OUTCOME_COMPLETED, life);
	return 0;
}

/* cookie_v4_check / cookie_v6_check(sk, skb): an ACK that may hold a cookie */
static const int tcpw_cookie_mib[TCPW_NMIB] = {
	LINUX_MIB_SYNCOOKIESRECV, LINUX_MIB_LISTENOVERFLOWS,
};

static const int tcpw_cookie_cnt[TCPW_NMIB] = {
	TCPW_HS_COOKIES_RECV, TCPW_HS_ACCEPTQ_DROPS,
};

static int tcpw_cookie_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	d->skb = (const struct sk_buff *)regs_get_kernel_argument(regs, 1);
	if (d->sk->sk_state != TCP_LISTEN)
		return 1;
	tcpw_mib_save(d, tcpw_cookie_mib);
	return 0;
}

static int tcpw_cookie_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;
	struct sock *child = (struct sock *)regs_return_value(regs);

	tcpw_mib_account(d, tcpw_cookie_mib, tcpw_cookie_cnt);
	tcpw_skb_events(d->sk, d->skb, TCPWATCH_EV_ACCEPTQ_OVERFLOW, d->mib[1]);
	if (child && child != d->sk)
		tcpw_track_handshake(d->sk, TCPW_HS_COMPLETED, 1);
	return 0;
}

/*
 * __inet_csk_reqsk_queue_drop(sk, req, from_timer): every request leaving
 * the SYN queue.  From the timer, and unlinked, it expired: its SYN-ACK
 * retries ran out (or the last retransmission could not be sent).  From
 * tcp_check_req() it completed or was reset, which that probe reports.
 * Otherwise it was dropped: an ICMP error, its listener closed, destroyed.
 */
static int tcpw_drop_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	d->from_timer = regs_get_kernel_argument(regs, 2) & 0xff;
	if (!d->from_timer && this_cpu_read(tcpw_in_check_req))
		return 1;
	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	/* the timer also drops the requests of a listener that closed */
	if (d->from_timer && inet_sk_state_load(d->sk) != TCP_LISTEN)
		d->from_timer = false;
	d->req = (const struct request_sock *)regs_get_kernel_argument(regs, 1);
	d->snt_us = tcp_rsk(d->req)->snt_synack;
	d->retrans = d->req->num_retrans;
	return 0;
}

static int tcpw_drop_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;
	u64 life = d->snt_us ? tcpw_now_us() - d->snt_us : 0;

	if (!(regs_return_value(regs) & 0xff))
		return 0;
	if (!d->from_timer) {
		if (tcpw_event_wanted(sock_net(d->sk)))
			tcpw_req_event(d, TCPWATCH_OUTCOME_DROPPED, life);
		return 0;
	}
	tcpw_track_handshake(d->sk, TCPW_HS_EXPIRED, 1);
	if (d->snt_us)
		tcpw_track_listener_hist(d->sk, TCPWATCH_HIST_HALFOPEN_EXPIRED,
					 life);
	if (tcpw_event_wanted(sock_net(d->sk)))
		tcpw_req_event(d, TCPWATCH_OUTCOME_EXPIRED, life);
	return 0;
}

/* __inet_accept(sock, newsock, newsk): accept() took a child. */
static int tcpw_accept_pre(struct kprobe *kp, struct pt_regs *regs)
{
	const struct socket *sock = (void *)regs_get_kernel_argument(regs, 0);

	tcpw_track_accepted(sock->sk,
			    (const struct sock *)regs_get_kernel_argument(regs, 2));
	return 0;
}

static struct kprobe tcpw_accept_kp = {
	.symbol_name = "__inet_accept",
	.pre_handler = tcpw_accept_pre,
};

/*
 * compat.h: without __inet_accept (5.10), inet_accept(sock, newsock, flags,
 * kern) took a child when it returns 0: the child is newsock->sk then.
 */
struct tcpw_accept_data {
	const struct socket *sock, *newsock;
};

static int tcpw_accept_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct tcpw_accept_data *d = (void *)ri->data;

	d->sock = (const struct socket *)regs_get_kernel_argument(regs, 0);
	d->newsock = (const struct socket *)regs_get_kernel_argument(regs, 1);
	return 0;
}

static int tcpw_accept_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_accept_data *d = (void *)ri->data;
	const struct sock *child;

	if (regs_return_value(regs))
		return 0;
	child = READ_ONCE(d->newsock->sk);
	if (child)
		tcpw_track_accepted(d->sock->sk, child);
	return 0;
}

static struct kretprobe tcpw_accept_krp =
	TCPW_KRETPROBE("inet_accept", tcpw_accept_entry, tcpw_accept_ret,
		       struct tcpw_accept_data);

static bool tcpw_accept_on, tcpw_accept_ret_on;

#define TCPW_KRP(fn, entry, ret) \
	TCPW_KRETPROBE(fn, entry, ret, struct tcpw_krp_data)

static struct kretprobe tcpw_krps[] = {
	TCPW_KRP("tcp_conn_request", tcpw_syn_entry, tcpw_syn_ret),
	TCPW_KRP("tcp_check_req", tcpw_ack_entry, tcpw_ack_ret),
	TCPW_KRP("cookie_v4_check", tcpw_cookie_entry, tcpw_cookie_ret),
	TCPW_KRP("cookie_v6_check", tcpw_cookie_entry, tcpw_cookie_ret),
	TCPW_KRP("__inet_csk_reqsk_queue_drop", tcpw_drop_entry, tcpw_drop_ret),
};

static u32 tcpw_krp_on;			/* bit per attached kretprobe */
static char tcpw_krp_status[256];

/* A kprobe that fails to attach leaves its counters absent, not zero. */
void tcpw_handshake_register(void)
{
	int len, err;

	if (!tcpw_handshake_probes) {
		strscpy(tcpw_krp_status, "off (handshake_probes=0)",
			sizeof(tcpw_krp_status));
		return;
	}
	tcpw_krp_on = tcpw_kretprobes_register(tcpw_krps, ARRAY_SIZE(tcpw_krps),
					       tcpw_krp_status,
					       sizeof(tcpw_krp_status));
	len = strlen(tcpw_krp_status);
	err = register_kprobe(&tcpw_accept_kp);
	tcpw_accept_on = !err;
	if (err == -ENOENT) {
		err = register_kretprobe(&tcpw_accept_krp);
		tcpw_accept_ret_on = !err;
		if (err)
			pr_warn("kretprobe inet_accept not attached (%d): no accept-queue wait\n",
				err);
		scnprintf(tcpw_krp_status + len, sizeof(tcpw_krp_status) - len,
			  "; kretprobe inet_accept%s", err ? "(off)" : "");
		return;
	}
	if (err)
		pr_warn("kprobe __inet_accept not attached (%d): no accept-queue wait\n",
			err);
	scnprintf(tcpw_krp_status + len, sizeof(tcpw_krp_status) - len,
		  "; kprobe __inet_accept%s", err ? "(off)" : "");
}

void tcpw_handshake_unregister(void)
{
	if (tcpw_accept_on)
		unregister_kprobe(&tcpw_accept_kp);
	if (tcpw_accept_ret_on)
		unregister_kretprobe(&tcpw_accept_krp);
	tcpw_kretprobes_unregister(tcpw_krps, ARRAY_SIZE(tcpw_krps),
				   tcpw_krp_on);
}

u64 tcpw_handshake_missed(void)
{
	return tcpw_kretprobes_missed(tcpw_krps, ARRAY_SIZE(tcpw_krps),
				      tcpw_krp_on);
}

const char *tcpw_handshake_status(void)
{
	return tcpw_krp_status;
}

/* The handshake counters exist only if every kretprobe attached. */
bool tcpw_handshake_ok(void)
{
	return tcpw_krp_on == GENMASK(ARRAY_SIZE(tcpw_krps) - 1, 0);
}
