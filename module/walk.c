// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the kernel's own TCP socket hash tables, the way inet_diag and
 * /proc/net/tcp do: one bucket at a time under that bucket's lock, so the
 * sockets visited are alive while the visitor looks at them.
 */
#include <linux/jiffies.h>
#include <net/inet_timewait_sock.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/ipv6.h>
#include "tcpwatch.h"
#include "compat.h"

static const char *const tcpw_state_names[TCPWATCH_NSTATES] = {
	[0]			= "?",
	[TCP_ESTABLISHED]	= "ESTABLISHED",
	[TCP_SYN_SENT]		= "SYN_SENT",
	[TCP_SYN_RECV]		= "SYN_RECV",
	[TCP_FIN_WAIT1]		= "FIN_WAIT1",
	[TCP_FIN_WAIT2]		= "FIN_WAIT2",
	[TCP_TIME_WAIT]		= "TIME_WAIT",
	[TCP_CLOSE]		= "CLOSE",
	[TCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_LAST_ACK]		= "LAST_ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
	[TCP_NEW_SYN_RECV]	= "NEW_SYN_RECV",
};

const char *tcpw_state_name(int state)
{
	if (state <= 0 || state >= TCPWATCH_NSTATES)
		return tcpw_state_names[0];
	return tcpw_state_names[state];
}

struct inet_hashinfo *tcpw_hashinfo(const struct net *net)
{
	return tcpw_compat_hashinfo(net);
}

/* sock_common holds the addresses for full, timewait and request socks. */
void tcpw_tuple_from_sk(const struct sock *sk, struct tcpw_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->family = sk->sk_family;
	t->sport = sk->sk_num;
	t->dport = ntohs(sk->sk_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		t->saddr.v6 = sk->sk_v6_rcv_saddr;
		t->daddr.v6 = sk->sk_v6_daddr;
		return;
	}
#endif
	t->saddr.v4 = sk->sk_rcv_saddr;
	t->daddr.v4 = sk->sk_daddr;
}

static u64 tcpw_jiffies_left_ns(unsigned long expires)
{
	long left = (long)(expires - jiffies);

	return left > 0 ? jiffies_to_nsecs(left) : 0;
}

/* Called under the socket's hash bucket lock. */
void tcpw_row_fill(struct sock *sk, struct tcpw_row *r, u64 now)
{
	memset(r, 0, sizeof(*r));
	tcpw_tuple_from_sk(sk, &r->t);
	r->state = sk->sk_state;
	if (sk->sk_state == TCP_TIME_WAIT) {
		const struct inet_timewait_sock *tw = inet_twsk(sk);

		r->timewait = 1;
		r->state = READ_ONCE(tw->tw_substate);
		r->timer_ns = tcpw_jiffies_left_ns(READ_ONCE(tw->tw_timer.expires));
	}
	if (sk->sk_state != TCP_NEW_SYN_RECV)
		tcpw_track_join(sk, r, now);
	if (tcpw_has_live(sk)) {
		tcpw_live_fill(sk, &r->live);
		r->has_live = 1;
	}
}

/*
 * Visit the sockets of one hash chain from position c->skip on, under the
 * kernel's lock of that chain.  Returns 1 if @visit stopped the walk.
 */
static int tcpw_walk_chain(spinlock_t *lock, struct hlist_nulls_head *head,
			   struct tcpw_cursor *c, tcpw_visit_t visit, void *arg)
{
	struct hlist_nulls_node *node;
	struct sock *sk;
	u32 n = 0;

	if (hlist_nulls_empty(head))
		return 0;
	spin_lock_bh(lock);
	sk_nulls_for_each(sk, node, head) {
		if (n++ < c->skip)
			continue;
		if (visit(sk, arg) > 0) {
			spin_unlock_bh(lock);
			return 1;
		}
		c->skip++;
	}
	spin_unlock_bh(lock);
	return 0;
}

/*
 * Visit sockets of @h from cursor @c on: listeners (lhash2), then the
 * ehash (established, timewait and request socks).  Stops when @visit
 * returns > 0, leaving the cursor on that socket so the next call resumes
 * there.  Returns 1 if stopped early, 0 at the end of the tables.
 */
int tcpw_walk(struct inet_hashinfo *h, struct tcpw_cursor *c,
	      tcpw_visit_t visit, void *arg)
{
	for (; c->table == 0; c->bucket++, c->skip = 0) {
		if (c->bucket >= tcpw_compat_lhash_size(h)) {
			c->table = c->listeners_only ? 2 : 1;
			c->bucket = 0;
			c->skip = 0;
			break;
		}
		if (tcpw_walk_chain(tcpw_compat_lhash_lock(h, c->bucket),
				    tcpw_compat_lhash_head(h, c->bucket),
				    c, visit, arg))
			return 1;
		cond_resched();
	}
	for (; c->table == 1; c->bucket++, c->skip = 0) {
		if (c->bucket > h->ehash_mask) {
			c->table = 2;
			break;
		}
		if (tcpw_walk_chain(inet_ehash_lockp(h, c->bucket),
				    &h->ehash[c->bucket].chain, c, visit, arg))
			return 1;
		if ((c->bucket & 255) == 0)
			cond_resched();
	}
	return 0;
}

/* SYN-ACK retries in force for @listener, as reqsk_timer_handler() has it */
static u8 tcpw_synack_retries(const struct sock *listener)
{
	return READ_ONCE(inet_csk(listener)->icsk_syn_retries) ?:
	       READ_ONCE(sock_net(listener)->ipv4.sysctl_tcp_synack_retries);
}

/* The SYN-ACK timer's waits, from the (n+1)th to the last (jiffies). */
static unsigned long tcpw_synack_waits(unsigned long base, int from, int last)
{
	unsigned long sum = 0;
	int i;

	for (i = from; i <= last; i++)
		sum += min_t(unsigned long, base << min(i, 31), TCP_RTO_MAX);
	return sum;
}

/* Called under the listener's lhash2 bucket lock. */
/* @copy, if not NULL, receives the listener's counters and histograms. */
void tcpw_lrow_fill(struct sock *sk, struct tcpw_lrow *r,
		    struct tcpw_lstats *copy)
{
	memset(r, 0, sizeof(*r));
	tcpw_tuple_from_sk(sk, &r->t);
	r->backlog = READ_ONCE(sk->sk_max_ack_backlog);
	r->synq_len = inet_csk_reqsk_queue_len(sk);
	r->acceptq_len = READ_ONCE(sk->sk_ack_backlog);
	r->syncookies = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_syncookies);
	r->synack_retries = tcpw_synack_retries(sk);
	/* the first SYN-ACK's wait, then one per retransmission, doubling */
	r->halfopen_ns = jiffies_to_nsecs(tcpw_synack_waits(TCP_TIMEOUT_INIT, 0,
							    r->synack_retries));
	tcpw_track_join_listener(sk, r, copy);
}

/* Called under the request sock's ehash bucket lock. */
void tcpw_hrow_fill(struct sock *sk, struct tcpw_hrow *r, u64 now)
{
	const struct request_sock *req = inet_reqsk(sk);
	u64 sent = tcp_rsk(req)->snt_synack;	/* µs of ktime_get_ns() */
	long left = (long)(READ_ONCE(req->rsk_timer.expires) - jiffies);
	u8 timeouts = req->num_timeout;

	memset(r, 0, sizeof(*r));
	tcpw_tuple_from_sk(sk, &r->t);
	r->synack_retrans = READ_ONCE(req->num_retrans);
	r->max_retries = tcpw_synack_retries(req->rsk_listener);
	r->age_known = sent != 0;
	if (sent && div_u64(now, NSEC_PER_USEC) > sent)
		r->age_ns = now - sent * NSEC_PER_USEC;
	r->timer_ns = left > 0 ? jiffies_to_nsecs(left) : 0;
	r->expires_ns = r->timer_ns;
	if (timeouts < r->max_retries)
		r->expires_ns += jiffies_to_nsecs(tcpw_synack_waits(tcpw_compat_req_timeout(req),
								    timeouts + 1,
								    r->max_retries));
}

struct tcpw_count_ctx {
	struct net *net;
	u32 *counts;
};

static int tcpw_count_visit(struct sock *sk, void *arg)
{
	struct tcpw_count_ctx *ctx = arg;
	int state = sk->sk_state;

	if (!net_eq(sock_net(sk), ctx->net))
		return 0;
	if (state == TCP_TIME_WAIT)
		state = READ_ONCE(inet_twsk(sk)->tw_substate);
	if (state > 0 && state < TCPWATCH_NSTATES)
		ctx->counts[state]++;
	return 0;
}

/* Sockets of @net per state, now, as the kernel's tables hold them. */
void tcpw_count_states(struct net *net, u32 counts[TCPWATCH_NSTATES])
{
	struct tcpw_count_ctx ctx = { .net = net, .counts = counts };
	struct tcpw_cursor c = {};

	memset(counts, 0, sizeof(u32) * TCPWATCH_NSTATES);
	tcpw_walk(tcpw_hashinfo(net), &c, tcpw_count_visit, &ctx);
}

/* @f's verdict on a socket in @state with those ports (host order). */
bool tcpw_filter_pass(const struct tcpw_filter *f, int state, u16 sport,
		      u16 dport)
{
	if (f->states && !(f->states & BIT(state)))
		return false;
	if (f->port && f->port != sport && f->port != dport)
		return false;
	return true;
}

/* Closed records match on the last state they lived in. */
bool tcpw_filter_match(const struct tcpw_filter *f, const struct tcpw_row *r)
{
	int state = r->state == TCP_CLOSE && r->last_state ? r->last_state :
							      r->state;

	return tcpw_filter_pass(f, state, r->t.sport, r->t.dport);
}
