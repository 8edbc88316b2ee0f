// SPDX-License-Identifier: GPL-2.0
/*
 * The "tcpwatch" generic netlink family: stats (do), sockets and closed
 * sockets (dumps), and the "events" multicast group.  Every command works
 * on the caller's netns; Documentation/netlink/specs/tcpwatch.yaml is the
 * spec.
 */
#include <linux/slab.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/inet_timewait_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include "tcpwatch.h"
#include "compat.h"

static const struct nla_policy tcpw_policy[TCPWATCH_A_MAX + 1] = {
	[TCPWATCH_A_FILTER_STATES]	= NLA_POLICY_MASK(NLA_U32, GENMASK(12, 1)),
	[TCPWATCH_A_FILTER_PORT]	= { .type = NLA_U16 },
	/* lengths 4 or 16, checked by the command: no policy says "or" */
	[TCPWATCH_A_FILTER_ADDR]	= { .type = NLA_BINARY, .len = 16 },
	/* range checked by the command: policy bounds are s16 */
	[TCPWATCH_A_WINLOG_INTERVAL_MS]	= { .type = NLA_U32 },
};

static struct genl_family tcpw_family;

enum { TCPW_MCGRP_EVENTS };

static const struct genl_multicast_group tcpw_mcgrps[] = {
	[TCPW_MCGRP_EVENTS] = { .name = TCPWATCH_MCGRP_EVENTS },
};

static int tcpw_put_addrs(struct sk_buff *skb, const struct tcpw_tuple *t)
{
	int len = t->family == AF_INET6 ? sizeof(struct in6_addr) :
					  sizeof(__be32);

	if (nla_put_u8(skb, TCPWATCH_SOCK_A_FAMILY, t->family) ||
	    nla_put(skb, TCPWATCH_SOCK_A_SADDR, len, &t->saddr) ||
	    nla_put(skb, TCPWATCH_SOCK_A_DADDR, len, &t->daddr) ||
	    nla_put_u16(skb, TCPWATCH_SOCK_A_SPORT, t->sport) ||
	    nla_put_u16(skb, TCPWATCH_SOCK_A_DPORT, t->dport))
		return -EMSGSIZE;
	return 0;
}

static int tcpw_put_owner(struct sk_buff *skb, pid_t pid, const char *comm)
{
	if (!pid)
		return 0;
	if (nla_put_u32(skb, TCPWATCH_SOCK_A_PID, pid) ||
	    nla_put_string(skb, TCPWATCH_SOCK_A_COMM, comm))
		return -EMSGSIZE;
	return 0;
}

/* A full socket's timers and windows (struct tcpw_live). */
static int tcpw_put_live(struct sk_buff *skb, const struct tcpw_live *l)
{
	if (nla_put_u8(skb, TCPWATCH_SOCK_A_TIMER, l->timer) ||
	    (l->timer != TCPWATCH_TIMER_NONE &&
	     nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_TIMER_NS, l->timer_ns,
			       TCPWATCH_SOCK_A_PAD)) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_RTO_US, l->rto_us) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_BACKOFF, l->backoff) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_RETRANSMITS, l->retransmits) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_PROBES, l->probes) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_TOTAL_RETRANS, l->total_retrans) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_CWND, l->cwnd) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_SSTHRESH, l->ssthresh) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_SND_WND, l->snd_wnd) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_RCV_WND, l->rcv_wnd) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_SND_WSCALE, l->snd_wscale) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_RCV_WSCALE, l->rcv_wscale) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_MSS, l->mss) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_INFLIGHT, l->inflight) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_UNACKED, l->unacked) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_SRTT_US, l->srtt_us) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_RTTVAR_US, l->rttvar_us) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_CA_STATE, l->ca_state) ||
	    (l->cc[0] && nla_put_string(skb, TCPWATCH_SOCK_A_CC, l->cc)))
		return -EMSGSIZE;
	return 0;
}

static_assert(sizeof(struct tcpwatch_live) == 64);	/* as the spec says */

/*
 * The same in one attribute, for dumps: some twenty attributes a row cost
 * more to put, send and parse than the rest of the row.
 */
static int tcpw_put_live_struct(struct sk_buff *skb, const struct tcpw_live *l)
{
	const struct tcpwatch_live v = {
		.timer_ns = l->timer_ns,
		.rto_us = l->rto_us,
		.total_retrans = l->total_retrans,
		.cwnd = l->cwnd,
		.ssthresh = l->ssthresh,
		.snd_wnd = l->snd_wnd,
		.rcv_wnd = l->rcv_wnd,
		.mss = l->mss,
		.inflight = l->inflight,
		.unacked = l->unacked,
		.srtt_us = l->srtt_us,
		.rttvar_us = l->rttvar_us,
		.timer = l->timer,
		.backoff = l->backoff,
		.retransmits = l->retransmits,
		.probes = l->probes,
		.ca_state = l->ca_state,
		.snd_wscale = l->snd_wscale,
		.rcv_wscale = l->rcv_wscale,
	};

	if (nla_put(skb, TCPWATCH_SOCK_A_LIVE, sizeof(v), &v) ||
	    (l->cc[0] && nla_put_string(skb, TCPWATCH_SOCK_A_CC, l->cc)))
		return -EMSGSIZE;
	return 0;
}

/* A socket's counts; those fed by a missing kretprobe are left out. */
static int tcpw_put_xcount(struct sk_buff *skb, const struct tcpw_xcount *x)
{
	u32 hooks = tcpw_timer_hooks();

	if (nla_put(skb, TCPWATCH_SOCK_A_RETRANS, sizeof(x->retrans),
		    x->retrans) ||
	    (tcpw_ca_state_hooked() &&
	     nla_put_u32(skb, TCPWATCH_SOCK_A_UNDOS, x->undos)) ||
	    ((hooks & BIT(TCPWATCH_HOOK_RTO)) &&
	     nla_put_u32(skb, TCPWATCH_SOCK_A_RTO_EXPIRIES, x->rto_expiries)) ||
	    ((hooks & BIT(TCPWATCH_HOOK_LOSS_PROBE)) &&
	     nla_put_u32(skb, TCPWATCH_SOCK_A_LOSS_PROBES, x->loss_probes)) ||
	    ((hooks & BIT(TCPWATCH_HOOK_ZW_PROBE)) &&
	     nla_put_u32(skb, TCPWATCH_SOCK_A_ZW_PROBES, x->zw_probes)))
		return -EMSGSIZE;
	return 0;
}

/* One socket-table or closed-ring row as a TCPWATCH_A_SOCK nest. */
static int tcpw_put_row(struct sk_buff *skb, const struct tcpw_row *r, bool closed)
{
	u64 state_time[TCPWATCH_NSTATES] = {};
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPWATCH_A_SOCK);
	if (!nest)
		return -EMSGSIZE;
	memcpy(&state_time[1], r->state_ns, sizeof(r->state_ns));
	if (tcpw_put_addrs(skb, &r->t) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_STATE, r->state) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_TRACKED, r->tracked) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_SINCE_LOAD, r->since_load) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_TIMEWAIT, r->timewait) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_TRANSITIONS, r->transitions) ||
	    nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_LIFETIME_NS, r->lifetime_ns,
			      TCPWATCH_SOCK_A_PAD) ||
	    tcpw_put_owner(skb, r->pid, r->comm))
		goto cancel;
	if (r->tracked &&
	    (nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_ID, r->id,
			       TCPWATCH_SOCK_A_PAD) ||
	     nla_put(skb, TCPWATCH_SOCK_A_STATE_TIME, sizeof(state_time),
		     state_time)))
		goto cancel;
	if (closed) {
		if (nla_put_u8(skb, TCPWATCH_SOCK_A_OLD_STATE, r->last_state) ||
		    nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_TIME_NS, r->time_ns,
				      TCPWATCH_SOCK_A_PAD))
			goto cancel;
	} else if (r->state != TCP_NEW_SYN_RECV &&
		   nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_IN_STATE_NS,
				     r->in_state_ns, TCPWATCH_SOCK_A_PAD)) {
		goto cancel;
	}
	if (r->timewait &&
	    (nla_put_u8(skb, TCPWATCH_SOCK_A_TIMER, TCPWATCH_TIMER_TIME_WAIT) ||
	     nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_TIMER_NS, r->timer_ns,
			       TCPWATCH_SOCK_A_PAD)))
		goto cancel;
	if (r->has_live && tcpw_put_live_struct(skb, &r->live))
		goto cancel;
	if (r->tracked && !r->timewait && r->state != TCP_LISTEN &&
	    tcpw_put_xcount(skb, &r->x))
		goto cancel;
	if (r->syn_retrans &&
	    nla_put_u32(skb, TCPWATCH_SOCK_A_SYN_RETRANS, r->syn_retrans))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static_assert(TCPWATCH_LISTENER_A_COOKIES_RECV - TCPWATCH_LISTENER_A_SYNS ==
	      TCPW_HS_COOKIES_RECV - TCPW_HS_SYNS);
static_assert(TCPWATCH_STATS_A_COOKIES_RECV - TCPWATCH_STATS_A_SYNS ==
	      TCPW_HS_COOKIES_RECV - TCPW_HS_SYNS);

static int tcpw_put_hs(struct sk_buff *skb, const u64 hs[TCPW_HS_N],
		       int first, int pad)
{
	int i;

	for (i = 0; i < TCPW_HS_N; i++)
		if (nla_put_u64_64bit(skb, first + i, hs[i], pad))
			return -EMSGSIZE;
	return 0;
}

/* One histogram nest of type @type: @state only for time in state. */
static int tcpw_put_hist(struct sk_buff *skb, int type, int kind, int state,
			 const u64 slots[TCPWATCH_HIST_SLOTS], u64 sum)
{
	struct nlattr *h;
	u64 n = 0;
	int j;

	for (j = 0; j < TCPWATCH_HIST_SLOTS; j++)
		n += slots[j];
	h = nla_nest_start(skb, type);
	if (!h ||
	    nla_put_u8(skb, TCPWATCH_HIST_A_KIND, kind) ||
	    (state && nla_put_u8(skb, TCPWATCH_HIST_A_STATE, state)) ||
	    nla_put_u64_64bit(skb, TCPWATCH_HIST_A_COUNT, n,
			      TCPWATCH_HIST_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_HIST_A_SUM_US, sum,
			      TCPWATCH_HIST_A_PAD) ||
	    nla_put(skb, TCPWATCH_HIST_A_SLOTS,
		    sizeof(u64) * TCPWATCH_HIST_SLOTS, slots))
		return -EMSGSIZE;
	nla_nest_end(skb, h);
	return 0;
}

static int tcpw_put_u64_if(struct sk_buff *skb, bool cond, int type, u64 v)
{
	return cond ? nla_put_u64_64bit(skb, type, v, TCPWATCH_STATS_A_PAD) : 0;
}

/* Retransmissions, timers and the window log in a GET_STATS reply. */
static int tcpw_put_tx_stats(struct sk_buff *skb, struct net *net,
			     const struct tcpw_pcpu_stats *st)
{
	u32 hooks = tcpw_timer_hooks(), interval_ms;
	u8 addr[sizeof(struct in6_addr)];
	int family;
	u16 port;

	if (nla_put(skb, TCPWATCH_STATS_A_RETRANS, sizeof(st->retrans),
		    st->retrans) ||
	    tcpw_put_u64_if(skb, hooks & BIT(TCPWATCH_HOOK_RTO),
			    TCPWATCH_STATS_A_RTO_EXPIRIES, st->rto_expiries) ||
	    tcpw_put_u64_if(skb, hooks & BIT(TCPWATCH_HOOK_LOSS_PROBE),
			    TCPWATCH_STATS_A_LOSS_PROBES, st->loss_probes) ||
	    tcpw_put_u64_if(skb, hooks & BIT(TCPWATCH_HOOK_ZW_PROBE),
			    TCPWATCH_STATS_A_ZW_PROBES, st->zw_probes) ||
	    tcpw_put_u64_if(skb, tcpw_ca_state_hooked(), TCPWATCH_STATS_A_UNDOS,
			    st->undos) ||
	    tcpw_put_u64_if(skb, tcpw_ca_state_hooked(),
			    TCPWATCH_STATS_A_CA_CHANGES, st->ca_changes) ||
	    tcpw_put_u64_if(skb, true, TCPWATCH_STATS_A_WINLOG_SAMPLES,
			    st->wl_samples) ||
	    tcpw_put_u64_if(skb, true, TCPWATCH_STATS_A_WINLOG_DROPS,
			    st->wl_drops) ||
	    nla_put_u32(skb, TCPWATCH_STATS_A_TIMER_HOOKS, hooks))
		return -EMSGSIZE;
	if (!tcpw_winlog_get(net, &family, addr, &port, &interval_ms))
		return 0;
	if ((port && nla_put_u16(skb, TCPWATCH_STATS_A_WINLOG_PORT, port)) ||
	    (family && nla_put(skb, TCPWATCH_STATS_A_WINLOG_ADDR,
			       family == AF_INET6 ? 16 : 4, addr)) ||
	    nla_put_u32(skb, TCPWATCH_STATS_A_WINLOG_INTERVAL_MS, interval_ms))
		return -EMSGSIZE;
	return 0;
}

static int tcpw_put_stats(struct sk_buff *skb, struct net *net)
{
	struct tcpw_net *tn = tcpw_net(net);
	struct tcpw_pcpu_stats *st;
	u32 counts[TCPWATCH_NSTATES];
	struct nlattr *nest;
	int i, err = -EMSGSIZE;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	tcpw_stats_sum(tn, st);
	tcpw_count_states(net, counts);

	nest = nla_nest_start(skb, TCPWATCH_A_STATS);
	if (!nest)
		goto out;
	if (nla_put_u32(skb, TCPWATCH_STATS_A_NETNS, net->ns.inum) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_UPTIME_NS,
			      ktime_get_ns() - tcpw_load_ns, TCPWATCH_STATS_A_PAD) ||
	    nla_put_u32(skb, TCPWATCH_STATS_A_TRACKED, tcpw_tracked()) ||
	    nla_put_u32(skb, TCPWATCH_STATS_A_MAX_TRACKED, tcpw_max_sockets) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_TRACK_DROPS,
			      tcpw_track_drops(), TCPWATCH_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_EVENTS_SENT,
			      st->events_sent, TCPWATCH_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_EVENT_DROPS,
			      st->event_drops, TCPWATCH_STATS_A_PAD) ||
	    nla_put_u32(skb, TCPWATCH_STATS_A_CLOSED_RING, tcpw_close_ring) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_CLOSE_DROPS,
			      tcpw_close_drops(), TCPWATCH_STATS_A_PAD) ||
	    nla_put(skb, TCPWATCH_STATS_A_STATE_COUNT, sizeof(counts), counts) ||
	    nla_put(skb, TCPWATCH_STATS_A_TRANSITIONS, sizeof(st->trans),
		    st->trans) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_TW_ENTERED, st->tw_entered,
			      TCPWATCH_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_TW_EXITED, st->tw_exited,
			      TCPWATCH_STATS_A_PAD) ||
	    nla_put_u32(skb, TCPWATCH_STATS_A_TW_LIVE, counts[TCP_TIME_WAIT]) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_SYNACK_RETRANS,
			      st->synack_retrans, TCPWATCH_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_SYN_RETRANS,
			      st->syn_retrans, TCPWATCH_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_STATS_A_HOOKS_MISSED,
			      tcpw_handshake_missed(), TCPWATCH_STATS_A_PAD))
		goto out;
	if (tcpw_handshake_ok() &&
	    tcpw_put_hs(skb, st->hs, TCPWATCH_STATS_A_SYNS, TCPWATCH_STATS_A_PAD))
		goto out;
	if (tcpw_put_tx_stats(skb, net, st))
		goto out;
	for (i = TCPWATCH_HIST_STATE_TIME + 1; i < TCPW_NKINDS; i++)
		if (tcpw_put_hist(skb, TCPWATCH_STATS_A_HIST, i, 0, st->khist[i],
				  st->khist_sum[i]))
			goto out;
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		if (tcpw_put_hist(skb, TCPWATCH_STATS_A_HIST,
				  TCPWATCH_HIST_STATE_TIME, i, st->hist[i],
				  st->hist_sum_us[i]))
			goto out;
	nla_nest_end(skb, nest);
	err = 0;
out:
	kfree(st);
	return err;
}

static int tcpw_put_version(struct sk_buff *skb)
{
	if (nla_put_string(skb, TCPWATCH_A_VERSION, TCPW_VERSION) ||
	    nla_put_u32(skb, TCPWATCH_A_ABI, TCPWATCH_GENL_VERSION))
		return -EMSGSIZE;
	return 0;
}

static int tcpw_cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(16384, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpw_family, 0,
				TCPWATCH_CMD_GET_STATS);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	/* a reader that just joined asks this first (tools/views.c) */
	tcpw_event_wanted_slow(genl_info_net(info));
	err = tcpw_put_version(msg);
	if (!err)
		err = tcpw_put_stats(msg, genl_info_net(info));
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err_free:
	nlmsg_free(msg);
	return err;
}

/* State of one dump, from .start to .done. */
struct tcpw_dump {
	struct tcpw_lstats ls;		/* a listener's, copied for its reply */
	struct tcpw_filter f;
	struct tcpw_cursor cur;
	u64 closed_seq;
	struct net *net;
	struct sk_buff *skb;
	struct netlink_callback *cb;
	int cmd;
	/*
	 * The row being sent, here rather than on the stack: the kernel's
	 * zeroing of locals (INIT_STACK_ALL_ZERO) cleared it for every
	 * socket walked, those of other netns included.
	 */
	struct tcpw_row row;
};

static int tcpw_dump_start(struct netlink_callback *cb)
{
	struct nlattr *tb[TCPWATCH_A_MAX + 1];
	struct tcpw_dump *d;
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, TCPWATCH_A_MAX, tcpw_policy,
			  cb->extack);
	if (err)
		return err;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (tb[TCPWATCH_A_FILTER_STATES])
		d->f.states = nla_get_u32(tb[TCPWATCH_A_FILTER_STATES]);
	if (tb[TCPWATCH_A_FILTER_PORT])
		d->f.port = nla_get_u16(tb[TCPWATCH_A_FILTER_PORT]);
	cb->args[0] = (long)d;
	return 0;
}

static int tcpw_dump_done(struct netlink_callback *cb)
{
	kfree((struct tcpw_dump *)cb->args[0]);
	return 0;
}

static int tcpw_dump_row(struct tcpw_dump *d, const struct tcpw_row *r, bool closed)
{
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &tcpw_family, NLM_F_MULTI,
			  d->cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpw_put_row(d->skb, r, closed)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/*
 * The filter on the state and ports tcpw_row_fill() would give @sk, before
 * it: a filtered dump fills no row only to drop it.
 */
static bool tcpw_sk_match(const struct tcpw_filter *f, const struct sock *sk)
{
	int state = sk->sk_state;

	if (state == TCP_TIME_WAIT)
		state = READ_ONCE(inet_twsk(sk)->tw_substate);
	return tcpw_filter_pass(f, state, sk->sk_num, ntohs(sk->sk_dport));
}

/* Walk visitor; runs under the socket's hash bucket lock. */
static int tcpw_dump_visit(struct sock *sk, void *arg)
{
	struct tcpw_dump *d = arg;

	if (!net_eq(sock_net(sk), d->net) || !tcpw_sk_match(&d->f, sk))
		return 0;
	tcpw_row_fill(sk, &d->row, ktime_get_ns());
	if (!tcpw_filter_match(&d->f, &d->row))
		return 0;
	return tcpw_dump_row(d, &d->row, false) ? 1 : 0;
}

static int tcpw_cmd_get_sockets(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpw_dump *d = (struct tcpw_dump *)cb->args[0];

	d->net = sock_net(skb->sk);
	d->skb = skb;
	d->cb = cb;
	d->cmd = TCPWATCH_CMD_GET_SOCKETS;
	tcpw_walk(tcpw_hashinfo(d->net), &d->cur, tcpw_dump_visit, d);
	return skb->len;
}

/* The handshake counters, whose attributes follow enum tcpw_hs's order. */
static int tcpw_put_listener(struct sk_buff *skb, const struct tcpw_lrow *r,
			     const struct tcpw_lstats *ls)
{
	int len = r->t.family == AF_INET6 ? sizeof(struct in6_addr) :
					    sizeof(__be32);
	struct nlattr *nest = nla_nest_start(skb, TCPWATCH_A_LISTENER);

	if (!nest ||
	    nla_put_u8(skb, TCPWATCH_LISTENER_A_FAMILY, r->t.family) ||
	    nla_put(skb, TCPWATCH_LISTENER_A_ADDR, len, &r->t.saddr) ||
	    nla_put_u16(skb, TCPWATCH_LISTENER_A_PORT, r->t.sport) ||
	    nla_put_u8(skb, TCPWATCH_LISTENER_A_SINCE_LOAD, r->since_load) ||
	    nla_put_u32(skb, TCPWATCH_LISTENER_A_BACKLOG, r->backlog) ||
	    nla_put_u32(skb, TCPWATCH_LISTENER_A_SYNQ_LEN, r->synq_len) ||
	    nla_put_u32(skb, TCPWATCH_LISTENER_A_ACCEPTQ_LEN, r->acceptq_len) ||
	    nla_put_u8(skb, TCPWATCH_LISTENER_A_SYNCOOKIES, r->syncookies) ||
	    nla_put_u8(skb, TCPWATCH_LISTENER_A_SYNACK_RETRIES,
		       r->synack_retries) ||
	    nla_put_u64_64bit(skb, TCPWATCH_LISTENER_A_HALFOPEN_NS,
			      r->halfopen_ns, TCPWATCH_LISTENER_A_PAD))
		goto cancel;
	if (r->hs_valid &&
	    nla_put_u64_64bit(skb, TCPWATCH_LISTENER_A_SYNACK_RETRANS,
			      r->synack_retrans, TCPWATCH_LISTENER_A_PAD))
		goto cancel;
	if (r->hs_valid && tcpw_handshake_ok() &&
	    tcpw_put_hs(skb, r->hs, TCPWATCH_LISTENER_A_SYNS,
			TCPWATCH_LISTENER_A_PAD))
		goto cancel;
	if (r->hs_valid && tcpw_handshake_ok()) {
		int k;

		for (k = TCPWATCH_HIST_HALFOPEN_DONE; k < TCPW_NKINDS; k++)
			if (tcpw_put_hist(skb, TCPWATCH_LISTENER_A_HIST, k, 0,
					  ls->hist[k], ls->hist_sum[k]))
				goto cancel;
	}
	if (r->pid && (nla_put_u32(skb, TCPWATCH_LISTENER_A_PID, r->pid) ||
		       nla_put_string(skb, TCPWATCH_LISTENER_A_COMM, r->comm)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int tcpw_put_halfopen(struct sk_buff *skb, const struct tcpw_hrow *r)
{
	int len = r->t.family == AF_INET6 ? sizeof(struct in6_addr) :
					    sizeof(__be32);
	struct nlattr *nest = nla_nest_start(skb, TCPWATCH_A_HALFOPEN);

	if (!nest ||
	    nla_put_u8(skb, TCPWATCH_HALFOPEN_A_FAMILY, r->t.family) ||
	    nla_put(skb, TCPWATCH_HALFOPEN_A_LADDR, len, &r->t.saddr) ||
	    nla_put_u16(skb, TCPWATCH_HALFOPEN_A_LPORT, r->t.sport) ||
	    nla_put(skb, TCPWATCH_HALFOPEN_A_RADDR, len, &r->t.daddr) ||
	    nla_put_u16(skb, TCPWATCH_HALFOPEN_A_RPORT, r->t.dport) ||
	    nla_put_u8(skb, TCPWATCH_HALFOPEN_A_SYNACK_RETRANS,
		       r->synack_retrans) ||
	    nla_put_u8(skb, TCPWATCH_HALFOPEN_A_MAX_RETRIES, r->max_retries) ||
	    nla_put_u64_64bit(skb, TCPWATCH_HALFOPEN_A_TIMER_NS, r->timer_ns,
			      TCPWATCH_HALFOPEN_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPWATCH_HALFOPEN_A_EXPIRES_NS,
			      r->expires_ns, TCPWATCH_HALFOPEN_A_PAD) ||
	    (r->age_known &&
	     nla_put_u64_64bit(skb, TCPWATCH_HALFOPEN_A_AGE_NS, r->age_ns,
			       TCPWATCH_HALFOPEN_A_PAD))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Walk visitor for GET_LISTENERS and GET_HALFOPEN. */
static int tcpw_dump_queue_visit(struct sock *sk, void *arg)
{
	struct tcpw_dump *d = arg;
	void *hdr;
	int err;

	if (!net_eq(sock_net(sk), d->net))
		return 0;
	if (d->cmd == TCPWATCH_CMD_GET_LISTENERS) {
		struct tcpw_lrow r;

		if (sk->sk_state != TCP_LISTEN)
			return 0;
		tcpw_lrow_fill(sk, &r, &d->ls);
		if (d->f.port && d->f.port != r.t.sport)
			return 0;
		hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, &tcpw_family,
				  NLM_F_MULTI, d->cmd);
		if (!hdr)
			return 1;
		err = tcpw_put_listener(d->skb, &r, &d->ls);
	} else {
		struct tcpw_hrow r;

		if (sk->sk_state != TCP_NEW_SYN_RECV)
			return 0;
		tcpw_hrow_fill(sk, &r, ktime_get_ns());
		if (d->f.port && d->f.port != r.t.sport &&
		    d->f.port != r.t.dport)
			return 0;
		hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, &tcpw_family,
				  NLM_F_MULTI, d->cmd);
		if (!hdr)
			return 1;
		err = tcpw_put_halfopen(d->skb, &r);
	}
	if (err) {
		genlmsg_cancel(d->skb, hdr);
		return 1;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

static int tcpw_cmd_get_queue(struct sk_buff *skb, struct netlink_callback *cb,
			      int cmd)
{
	struct tcpw_dump *d = (struct tcpw_dump *)cb->args[0];

	d->net = sock_net(skb->sk);
	d->skb = skb;
	d->cb = cb;
	d->cmd = cmd;
	if (cmd == TCPWATCH_CMD_GET_LISTENERS)
		d->cur.listeners_only = true;
	else if (d->cur.table == 0)
		d->cur.table = 1;	/* request socks live in the ehash */
	tcpw_walk(tcpw_hashinfo(d->net), &d->cur, tcpw_dump_queue_visit, d);
	return skb->len;
}

static int tcpw_cmd_get_listeners(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	return tcpw_cmd_get_queue(skb, cb, TCPWATCH_CMD_GET_LISTENERS);
}

static int tcpw_cmd_get_halfopen(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return tcpw_cmd_get_queue(skb, cb, TCPWATCH_CMD_GET_HALFOPEN);
}

static int tcpw_cmd_get_closed(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpw_dump *d = (struct tcpw_dump *)cb->args[0];
	struct tcpw_row r;
	u64 seq;

	d->net = sock_net(skb->sk);
	d->skb = skb;
	d->cb = cb;
	d->cmd = TCPWATCH_CMD_GET_CLOSED;
	for (seq = d->closed_seq;
	     tcpw_closed_next(d->net, &d->f, &seq, &r); d->closed_seq = seq)
		if (tcpw_dump_row(d, &r, true))
			break;		/* resend this record next time */
	return skb->len;
}

static int tcpw_cmd_set_winlog(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = info->attrs[TCPWATCH_A_FILTER_ADDR];
	u32 interval_ms = 10;
	int family = 0, err;
	u16 port = 0;

	if (a) {
		if (nla_len(a) != 4 && nla_len(a) != 16) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "address must be 4 (IPv4) or 16 (IPv6) bytes");
			return -EINVAL;
		}
		family = nla_len(a) == 4 ? AF_INET : AF_INET6;
	}
	if (info->attrs[TCPWATCH_A_FILTER_PORT])
		port = nla_get_u16(info->attrs[TCPWATCH_A_FILTER_PORT]);
	a = info->attrs[TCPWATCH_A_WINLOG_INTERVAL_MS];
	if (a) {
		interval_ms = nla_get_u32(a);
		if (interval_ms > 60000) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "interval must be 0 to 60000 ms");
			return -EINVAL;
		}
	}
	a = info->attrs[TCPWATCH_A_FILTER_ADDR];
	err = tcpw_winlog_set(genl_info_net(info), family, a ? nla_data(a) : NULL,
			      port, interval_ms);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG(info->extack, "this kernel has no tcp:tcp_probe tracepoint");
	return err;
}

static const struct genl_ops tcpw_ops[] = {
	{
		.cmd = TCPWATCH_CMD_GET_STATS,
		.doit = tcpw_cmd_get_stats,
	},
	{
		.cmd = TCPWATCH_CMD_GET_SOCKETS,
		.start = tcpw_dump_start,
		.dumpit = tcpw_cmd_get_sockets,
		.done = tcpw_dump_done,
	},
	{
		.cmd = TCPWATCH_CMD_GET_CLOSED,
		.start = tcpw_dump_start,
		.dumpit = tcpw_cmd_get_closed,
		.done = tcpw_dump_done,
	},
	{
		.cmd = TCPWATCH_CMD_GET_LISTENERS,
		.start = tcpw_dump_start,
		.dumpit = tcpw_cmd_get_listeners,
		.done = tcpw_dump_done,
	},
	{
		.cmd = TCPWATCH_CMD_GET_HALFOPEN,
		.start = tcpw_dump_start,
		.dumpit = tcpw_cmd_get_halfopen,
		.done = tcpw_dump_done,
	},
	{
		.cmd = TCPWATCH_CMD_SET_WINLOG,
		.doit = tcpw_cmd_set_winlog,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* until this jiffy (exclusive) the answer is yes: a reader just joined */
static unsigned long tcpw_wanted_forced;

/*
 * A socket joins a group; netlink adds it to the group after this returns
 * (after netlink_table_grab(), which may sleep), so genl_has_listeners()
 * does not see it yet.  Answer yes from now for about 100 ms, by when the
 * add is done, so that no event of the reader's first moments is skipped.
 * Also called for a join that then fails its permission check: 100 ms of
 * events made for nobody.  Unused where the kernel has no such callback
 * (compat.h).
 */
static int __maybe_unused tcpw_genl_bind(int mcgrp)
{
	unsigned long now = jiffies;

	if (mcgrp != TCPW_MCGRP_EVENTS)
		return 0;
	WRITE_ONCE(tcpw_wanted_forced, now + HZ / 10 + 2);
	smp_wmb();	/* forced before key: tcpw_event_wanted_slow() */
	WRITE_ONCE(tcpw_wanted_key, (now << 1) | 1);
	return 0;
}

static struct genl_family tcpw_family __ro_after_init = {
	.name = TCPWATCH_GENL_NAME,
	.version = TCPWATCH_GENL_VERSION,
	.maxattr = TCPWATCH_A_MAX,
	.policy = tcpw_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tcpw_ops,
	.n_ops = ARRAY_SIZE(tcpw_ops),
	.mcgrps = tcpw_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tcpw_mcgrps),
	TCPW_COMPAT_GENL_BIND(tcpw_genl_bind)
};

/* Whether a socket, in any netns, is in the events group now. */
static bool tcpw_event_listeners(struct net *net)
{
	return genl_has_listeners(&tcpw_family, net, TCPW_MCGRP_EVENTS);
}

unsigned long tcpw_wanted_key;

/**
 * tcpw_event_wanted_slow() - refresh tcpw_event_wanted()'s answer
 * @net: any netns (netlink's group membership is one for all)
 *
 * Return: whether events have a reader.
 */
bool tcpw_event_wanted_slow(struct net *net)
{
	unsigned long old = READ_ONCE(tcpw_wanted_key);
	unsigned long now = jiffies;
	bool wanted;

	smp_rmb();	/* the key, then the forced yes: tcpw_genl_bind() */
	wanted = time_before(now, READ_ONCE(tcpw_wanted_forced)) ||
		 tcpw_event_listeners(net);
	/*
	 * A yes always goes in.  A no only if the key is still the one read
	 * above: a join, or a refresh that saw it, may have written a yes
	 * since, which a no found before it must not undo.
	 */
	if (wanted)
		WRITE_ONCE(tcpw_wanted_key, (now << 1) | 1);
	else
		cmpxchg(&tcpw_wanted_key, old, now << 1);
	return wanted;
}

/*
 * Events go out in batches, one queue per netns: each event is a message
 * of its own, appended to the queue's skb, which is multicast when full
 * and otherwise within a jiffy (the queue's timer).  A reader then wakes,
 * and the kernel allocates and delivers, once per batch rather than per
 * event: at thousands of events per second that is most of their cost.
 * One lock per netns keeps the events in the order they happened; the
 * readers' receive queue serialises deliveries anyway.  Counts are per
 * event: sent if some reader got its batch, lost if none did.  A batch is
 * at most NLMSG_GOODSIZE (a page), as a dump's skb, which readers' 8 KiB
 * buffers hold.
 */

/* Multicast the batch; under q->lock. */
static void tcpw_evq_send(struct tcpw_net *tn)
{
	struct tcpw_evq *q = &tn->evq;
	struct sk_buff *skb = q->skb;
	unsigned int n = q->n;
	int err;

	if (!skb)
		return;
	q->skb = NULL;
	q->n = 0;
	err = genlmsg_multicast_netns(&tcpw_family, tn->net, skb, 0,
				      TCPW_MCGRP_EVENTS, GFP_ATOMIC);
	/*
	 * -ESRCH: delivered to no one.  Either the last reader just left, or
	 * every reader's buffer was full (netlink_broadcast() says ENOBUFS
	 * only to readers that set NETLINK_BROADCAST_ERROR): a loss then.
	 */
	if (!err) {
		this_cpu_add(tn->stats->events_sent, n);
		this_cpu_inc(tn->stats->batches_sent);
	} else if (err != -ESRCH || tcpw_event_listeners(tn->net)) {
		this_cpu_add(tn->stats->event_drops, n);
		this_cpu_inc(tn->stats->batches_lost);
	}
}

static void tcpw_evq_timer(struct timer_list *t)
{
	struct tcpw_evq *q = container_of(t, struct tcpw_evq, timer);
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	tcpw_evq_send(container_of(q, struct tcpw_net, evq));
	spin_unlock_irqrestore(&q->lock, flags);
}

void tcpw_evq_init(struct tcpw_net *tn)
{
	spin_lock_init(&tn->evq.lock);
	timer_setup(&tn->evq.timer, tcpw_evq_timer, 0);
}

/**
 * tcpw_evq_flush() - send what is queued and stop the timer
 * @tn: the netns; no event may be queued for it from now on
 */
void tcpw_evq_flush(struct tcpw_net *tn)
{
	unsigned long flags;

	timer_delete_sync(&tn->evq.timer);
	spin_lock_irqsave(&tn->evq.lock, flags);
	tcpw_evq_send(tn);
	spin_unlock_irqrestore(&tn->evq.lock, flags);
}

/* What every event carries, then the kind's own attributes. */
typedef int (*tcpw_evfill_t)(struct sk_buff *skb, const void *arg);

static int tcpw_event_put(struct sk_buff *skb, struct net *net, int kind,
			  const struct tcpw_tuple *t, tcpw_evfill_t fill,
			  const void *arg)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &tcpw_family, 0, TCPWATCH_CMD_EVENT);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, TCPWATCH_A_SOCK);
	if (!nest ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_EVENT, kind) ||
	    nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_TIME_NS, ktime_get_real_ns(),
			      TCPWATCH_SOCK_A_PAD) ||
	    nla_put_u32(skb, TCPWATCH_SOCK_A_NETNS, net->ns.inum) ||
	    tcpw_put_addrs(skb, t) || fill(skb, arg)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Queue one event; a full batch goes out first.  Failures are drops. */
static void tcpw_emit(struct net *net, int kind, const struct tcpw_tuple *t,
		      tcpw_evfill_t fill, const void *arg)
{
	struct tcpw_net *tn = tcpw_net(net);
	struct tcpw_evq *q = &tn->evq;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->skb) {
		q->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
		if (!q->skb)
			goto drop;
	}
	if (tcpw_event_put(q->skb, net, kind, t, fill, arg)) {
		/* full: send the batch, start another */
		if (!q->n)
			goto drop;	/* too big for any batch */
		tcpw_evq_send(tn);
		q->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
		if (!q->skb ||
		    tcpw_event_put(q->skb, net, kind, t, fill, arg))
			goto drop;
	}
	if (!q->n++)
		mod_timer(&q->timer, jiffies + 1);
	spin_unlock_irqrestore(&q->lock, flags);
	return;
drop:
	this_cpu_inc(tn->stats->event_drops);
	spin_unlock_irqrestore(&q->lock, flags);
}

struct tcpw_state_ev {
	int old, new;
	u64 id, old_ns;
	pid_t pid;
	const char *comm;
};

static int tcpw_fill_state(struct sk_buff *skb, const void *arg)
{
	const struct tcpw_state_ev *e = arg;

	if (nla_put_u8(skb, TCPWATCH_SOCK_A_OLD_STATE, e->old) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_STATE, e->new) ||
	    tcpw_put_owner(skb, e->pid, e->comm))
		return -EMSGSIZE;
	if (e->id &&
	    (nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_ID, e->id,
			       TCPWATCH_SOCK_A_PAD) ||
	     nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_OLD_STATE_NS, e->old_ns,
			       TCPWATCH_SOCK_A_PAD)))
		return -EMSGSIZE;
	return 0;
}

/**
 * tcpw_event() - queue one state event for the netns's "events" listeners
 * @net: the socket's netns
 * @kind: enum tcpwatch_event
 * @t: the socket's addresses
 * @id: tcpwatch's id of the socket, 0 if untracked
 * @old: state before
 * @new: state after
 * @old_ns: time spent in @old, 0 if unknown
 * @pid: owner, 0 if unknown
 * @comm: owner's command
 *
 * Failures (no memory, a reader's full buffer) are counted as drops.
 */
void tcpw_event(struct net *net, int kind, const struct tcpw_tuple *t, u64 id,
		int old, int new, u64 old_ns, pid_t pid, const char *comm)
{
	const struct tcpw_state_ev e = {
		.old = old, .new = new, .id = id, .old_ns = old_ns,
		.pid = pid, .comm = comm,
	};

	tcpw_emit(net, kind, t, tcpw_fill_state, &e);
}

struct tcpw_hs_ev {
	int outcome, synack_retrans;
	u64 lifetime_ns;
};

static int tcpw_fill_hs(struct sk_buff *skb, const void *arg)
{
	const struct tcpw_hs_ev *e = arg;

	if ((e->outcome >= 0 &&
	     nla_put_u8(skb, TCPWATCH_SOCK_A_OUTCOME, e->outcome)) ||
	    (e->lifetime_ns &&
	     nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_LIFETIME_NS,
			       e->lifetime_ns, TCPWATCH_SOCK_A_PAD)) ||
	    (e->synack_retrans >= 0 &&
	     nla_put_u8(skb, TCPWATCH_SOCK_A_SYNACK_RETRANS,
			e->synack_retrans)))
		return -EMSGSIZE;
	return 0;
}

/**
 * tcpw_hs_event() - queue a handshake event
 * @net: the listener's netns
 * @kind: enum tcpwatch_event, a handshake kind
 * @t: the request's tuple (local: the listener)
 * @outcome: enum tcpwatch_outcome, or -1
 * @lifetime_ns: the half-open's lifetime, 0 if unknown
 * @synack_retrans: SYN-ACK retransmissions, or -1
 */
void tcpw_hs_event(struct net *net, int kind, const struct tcpw_tuple *t,
		   int outcome, u64 lifetime_ns, int synack_retrans)
{
	const struct tcpw_hs_ev e = {
		.outcome = outcome, .synack_retrans = synack_retrans,
		.lifetime_ns = lifetime_ns,
	};

	tcpw_emit(net, kind, t, tcpw_fill_hs, &e);
}

int tcpw_genl_init(void)
{
	unsigned long now = jiffies;

	/* tcpw_event_wanted()'s answer is not known yet; no join forced it */
	WRITE_ONCE(tcpw_wanted_forced, now);
	WRITE_ONCE(tcpw_wanted_key, (now - 1) << 1);
	return genl_register_family(&tcpw_family);
}

void tcpw_genl_exit(void)
{
	genl_unregister_family(&tcpw_family);
}

static int tcpw_fill_tx(struct sk_buff *skb, const void *arg)
{
	const struct tcpw_tx_event *ev = arg;

	if (tcpw_put_live(skb, &ev->live) ||
	    nla_put_u8(skb, TCPWATCH_SOCK_A_STATE, ev->state) ||
	    (ev->id && nla_put_u64_64bit(skb, TCPWATCH_SOCK_A_ID, ev->id,
					 TCPWATCH_SOCK_A_PAD)) ||
	    (ev->cause >= 0 &&
	     (nla_put_u8(skb, TCPWATCH_SOCK_A_RETRANS_CAUSE, ev->cause) ||
	      nla_put_u32(skb, TCPWATCH_SOCK_A_SEQ, ev->seq))) ||
	    (ev->old_ca >= 0 &&
	     nla_put_u8(skb, TCPWATCH_SOCK_A_OLD_CA_STATE, ev->old_ca)))
		return -EMSGSIZE;
	return 0;
}

/**
 * tcpw_tx_event() - queue a retransmission, RTO, CA-state or window event
 * @net: the socket's netns
 * @kind: %TCPWATCH_EV_RETRANS, _RTO, _CA_STATE or _WINDOW
 * @ev: what to say; built by tcpw_tx_fill() and the kind's fields
 */
void tcpw_tx_event(struct net *net, int kind, const struct tcpw_tx_event *ev)
{
	tcpw_emit(net, kind, &ev->t, tcpw_fill_tx, ev);
}
