// SPDX-License-Identifier: GPL-2.0
/*
 * A full socket's timers and windows, read from the live socket without
 * its lock, as /proc/net/tcp does: each field is a single load, so a
 * reader may see a mix of two moments but never a torn value.  Callers
 * hold what keeps @sk alive: its hash bucket lock, or a probe's call.
 */
#include <linux/jiffies.h>
#include <linux/string.h>
#include <net/tcp.h>
#include <net/inet_connection_sock.h>
#include "tcpwatch.h"
#include "compat.h"

/* Listeners, timewait and request socks have no such fields. */
bool tcpw_has_live(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP &&
	       !((1 << sk->sk_state) &
		 (TCPF_LISTEN | TCPF_TIME_WAIT | TCPF_NEW_SYN_RECV | TCPF_CLOSE));
}

static u64 tcpw_left_ns(unsigned long expires)
{
	long left = (long)(expires - jiffies);

	return left > 0 ? jiffies_to_nsecs(left) : 0;
}

/* The pending timer, in /proc/net/tcp's order of precedence. */
static void tcpw_live_timer(const struct sock *sk, struct tcpw_live *l)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	u8 pending = READ_ONCE(icsk->icsk_pending);

	switch (pending) {
	case ICSK_TIME_RETRANS:
		l->timer = TCPWATCH_TIMER_RETRANS;
		break;
	case ICSK_TIME_LOSS_PROBE:
		l->timer = TCPWATCH_TIMER_LOSS_PROBE;
		break;
	case ICSK_TIME_REO_TIMEOUT:
		l->timer = TCPWATCH_TIMER_REORDER;
		break;
	case ICSK_TIME_PROBE0:
		l->timer = TCPWATCH_TIMER_ZERO_WINDOW;
		break;
	default:
		if (timer_pending(&sk->sk_timer)) {
			l->timer = TCPWATCH_TIMER_KEEPALIVE;
			l->timer_ns = tcpw_left_ns(READ_ONCE(sk->sk_timer.expires));
		}
		return;
	}
	l->timer_ns = tcpw_left_ns(tcpw_compat_xmit_timeout(sk));
}

/**
 * tcpw_live_fill() - read a full TCP socket's timers and windows
 * @sk: the socket, kept alive by the caller
 * @l: filled; what ss -ti shows, in the same units (see the uapi header)
 */
void tcpw_live_fill(const struct sock *sk, struct tcpw_live *l)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_congestion_ops *ca;

	memset(l, 0, sizeof(*l));
	tcpw_live_timer(sk, l);
	l->rto_us = jiffies_to_usecs(READ_ONCE(icsk->icsk_rto));
	l->backoff = READ_ONCE(icsk->icsk_backoff);
	l->retransmits = READ_ONCE(icsk->icsk_retransmits);
	l->probes = READ_ONCE(icsk->icsk_probes_out);
	l->ca_state = icsk->icsk_ca_state;	/* a bit-field */
	l->total_retrans = READ_ONCE(tp->total_retrans);
	l->cwnd = tcpw_compat_snd_cwnd(tp);
	l->ssthresh = READ_ONCE(tp->snd_ssthresh);
	l->snd_wnd = READ_ONCE(tp->snd_wnd);
	l->rcv_wnd = READ_ONCE(tp->rcv_wnd);
	l->snd_wscale = tp->rx_opt.snd_wscale;
	l->rcv_wscale = tp->rx_opt.rcv_wscale;
	l->mss = READ_ONCE(tp->mss_cache);
	l->inflight = READ_ONCE(tp->snd_nxt) - READ_ONCE(tp->snd_una);
	l->unacked = READ_ONCE(tp->packets_out);
	l->srtt_us = READ_ONCE(tp->srtt_us) >> 3;
	l->rttvar_us = READ_ONCE(tp->mdev_us) >> 2;
	/* the ops live as long as a socket uses them (module reference) */
	ca = READ_ONCE(icsk->icsk_ca_ops);
	if (ca)
		strscpy(l->cc, ca->name, sizeof(l->cc));
}

/**
 * tcpw_tx_fill() - an event about @sk, from the live socket
 * @sk: the socket, valid during the call
 * @ev: filled; cause and old_ca -1 (none)
 * @id: tcpwatch's id of the socket, 0 if unknown
 */
void tcpw_tx_fill(const struct sock *sk, struct tcpw_tx_event *ev, u64 id)
{
	memset(ev, 0, sizeof(*ev));
	tcpw_tuple_from_sk(sk, &ev->t);
	tcpw_live_fill(sk, &ev->live);
	ev->id = id;
	ev->state = sk->sk_state;
	ev->cause = -1;
	ev->old_ca = -1;
}
