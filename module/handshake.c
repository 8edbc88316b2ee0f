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
#include "tcpwatch.h"

#define TCPW_NMIB	3

struct tcpw_krp_data {
	const struct sock *sk;		/* the listener */
	const struct request_sock *req;
	u64 snt_us;			/* first SYN-ACK, µs of ktime_get_ns() */
	int cpu;
	u8 retrans;
	unsigned long mib[TCPW_NMIB];
};

static unsigned long tcpw_mib(const struct sock *sk, int item)
{
	return this_cpu_ptr(sock_net(sk)->mib.net_statistics)->mibs[item];
}

static void tcpw_mib_save(struct tcpw_krp_data *d, const int *items)
{
	int i;

	d->cpu = smp_processor_id();
	for (i = 0; i < TCPW_NMIB && items[i]; i++)
		d->mib[i] = tcpw_mib(d->sk, items[i]);
}

/* Add this call's MIB deltas to the listener's counters. */
static void tcpw_mib_account(struct tcpw_krp_data *d, const int *items,
			     const int *counters)
{
	int i;

	if (d->cpu != smp_processor_id())	/* cannot happen; be safe */
		return;
	for (i = 0; i < TCPW_NMIB && items[i]; i++)
		tcpw_track_handshake(d->sk, counters[i],
				     tcpw_mib(d->sk, items[i]) - d->mib[i]);
}

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

static int tcpw_syn_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 2);
	if (d->sk->sk_state != TCP_LISTEN)
		return 1;
	tcpw_track_handshake(d->sk, TCPW_HS_SYNS, 1);
	tcpw_mib_save(d, tcpw_syn_mib);
	return 0;
}

static int tcpw_syn_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	tcpw_mib_account((void *)ri->data, tcpw_syn_mib, tcpw_syn_cnt);
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
	return 0;
}

static int tcpw_ack_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;
	struct sock *child = (struct sock *)regs_return_value(regs);
	struct tcpw_net *tn = tcpw_net(sock_net(d->sk));

	tcpw_mib_account(d, tcpw_ack_mib, tcpw_ack_cnt);
	/* the caller holds a reference on req until we return */
	if (!child || child == d->sk || tcp_rsk(d->req)->drop_req)
		return 0;
	tcpw_track_handshake(d->sk, TCPW_HS_COMPLETED, 1);
	if (d->snt_us)
		tcpw_khist_add(tn, TCPWATCH_HIST_HALFOPEN_DONE,
			       tcpw_now_us() - d->snt_us);
	tcpw_khist_add(tn, TCPWATCH_HIST_SYNACK_RETRANS, d->retrans);
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
	if (child && child != d->sk)
		tcpw_track_handshake(d->sk, TCPW_HS_COMPLETED, 1);
	return 0;
}

/*
 * __inet_csk_reqsk_queue_drop(sk, req, from_timer): every request leaving
 * the SYN queue.  From the timer, and unlinked, it expired: its SYN-ACK
 * retries ran out (or the last retransmission could not be sent).
 */
static int tcpw_drop_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	if (!(regs_get_kernel_argument(regs, 2) & 0xff))	/* from_timer */
		return 1;
	d->sk = (const struct sock *)regs_get_kernel_argument(regs, 0);
	d->req = (const struct request_sock *)regs_get_kernel_argument(regs, 1);
	d->snt_us = tcp_rsk(d->req)->snt_synack;
	return 0;
}

static int tcpw_drop_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tcpw_krp_data *d = (void *)ri->data;

	if (!(regs_return_value(regs) & 0xff))
		return 0;
	tcpw_track_handshake(d->sk, TCPW_HS_EXPIRED, 1);
	if (d->snt_us)
		tcpw_khist_add(tcpw_net(sock_net(d->sk)),
			       TCPWATCH_HIST_HALFOPEN_EXPIRED,
			       tcpw_now_us() - d->snt_us);
	return 0;
}

#define TCPW_KRP(fn, entry, ret) {					\
	.kp.symbol_name = fn,						\
	.entry_handler = entry,						\
	.handler = ret,							\
	.data_size = sizeof(struct tcpw_krp_data),			\
	.maxactive = 64,						\
}

static struct kretprobe tcpw_krps[] = {
	TCPW_KRP("tcp_conn_request", tcpw_syn_entry, tcpw_syn_ret),
	TCPW_KRP("tcp_check_req", tcpw_ack_entry, tcpw_ack_ret),
	TCPW_KRP("cookie_v4_check", tcpw_cookie_entry, tcpw_cookie_ret),
	TCPW_KRP("cookie_v6_check", tcpw_cookie_entry, tcpw_cookie_ret),
	TCPW_KRP("__inet_csk_reqsk_queue_drop", tcpw_drop_entry, tcpw_drop_ret),
};

static bool tcpw_krp_on[ARRAY_SIZE(tcpw_krps)];
static char tcpw_krp_status[256];

/* A kprobe that fails to attach leaves its counters absent, not zero. */
void tcpw_handshake_register(void)
{
	int len = 0, err;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpw_krps); i++) {
		err = register_kretprobe(&tcpw_krps[i]);
		tcpw_krp_on[i] = !err;
		if (err)
			pr_warn("kretprobe %s not attached (%d): its counters are unavailable\n",
				tcpw_krps[i].kp.symbol_name, err);
		len += scnprintf(tcpw_krp_status + len,
				 sizeof(tcpw_krp_status) - len, "%s%s%s",
				 i ? " " : "", tcpw_krps[i].kp.symbol_name,
				 err ? "(off)" : "");
	}
}

void tcpw_handshake_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpw_krps); i++)
		if (tcpw_krp_on[i])
			unregister_kretprobe(&tcpw_krps[i]);
}

u64 tcpw_handshake_missed(void)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpw_krps); i++)
		if (tcpw_krp_on[i])
			n += tcpw_krps[i].nmissed;
	return n;
}

const char *tcpw_handshake_status(void)
{
	return tcpw_krp_status;
}

/* The handshake counters exist only if every kretprobe attached. */
bool tcpw_handshake_ok(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpw_krps); i++)
		if (!tcpw_krp_on[i])
			return false;
	return true;
}
