// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tcpwatch (and /proc/tcpwatch, a link to it): the reader's
 * netns in cat-able tables.  Socket rows are fetched from the kernel's
 * hash tables in batches, so no lock is held while seq_file formats.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/utsname.h>
#include <linux/math64.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "tcpwatch.h"

#define TCPW_BATCH	32

/* The file's sections, in order; each *_HEADER item prints a title. */
enum tcpw_item {
	TCPW_I_HEADER, TCPW_I_SOCK,
	TCPW_I_TIMER_HEADER, TCPW_I_TIMER,
	TCPW_I_LISTEN_HEADER, TCPW_I_LISTEN,
	TCPW_I_HALF_HEADER, TCPW_I_HALF,
	TCPW_I_CLOSED_HEADER, TCPW_I_CLOSED,
	TCPW_I_END,
};

union tcpw_any_row {
	struct tcpw_row s;
	struct tcpw_lrow l;
	struct tcpw_hrow h;
};

struct tcpw_seq {
	struct seq_net_private p;	/* must be first */
	bool started;
	loff_t pos;			/* position of the current item */
	enum tcpw_item kind;		/* and its kind */
	struct tcpw_cursor cur;		/* walk sections: next batch */
	union tcpw_any_row batch[TCPW_BATCH];
	int n, i;			/* rows in batch, current row */
	u64 closed_seq;
	struct tcpw_row closed;
	struct net *net;
	u64 now;
};

/* Short names so the matrix fits a terminal. */
static const char *const tcpw_short[TCPWATCH_NSTATES] = {
	"?", "ESTAB", "SYN_S", "SYN_R", "FIN_W1", "FIN_W2", "TIME_W",
	"CLOSE", "CLS_WT", "LAST_A", "LISTEN", "CLOSING", "NSYN_R",
};

static void tcpw_seq_dur(struct seq_file *m, const char *fmt_w, u64 ns)
{
	char buf[24];
	u64 us = div_u64(ns, NSEC_PER_USEC), s = div_u64(ns, NSEC_PER_SEC);

	if (us < 1000)
		snprintf(buf, sizeof(buf), "%lluus", us);
	else if (us < 1000000)
		snprintf(buf, sizeof(buf), "%llu.%01llums", div_u64(us, 1000),
			 div_u64(us % 1000, 100));
	else if (s < 60)
		snprintf(buf, sizeof(buf), "%llu.%02llus", s,
			 div_u64(us % 1000000, 10000));
	else if (s < 3600)
		snprintf(buf, sizeof(buf), "%llum%02llus", div_u64(s, 60), s % 60);
	else if (s < 86400)
		snprintf(buf, sizeof(buf), "%lluh%02llum", div_u64(s, 3600),
			 div_u64(s % 3600, 60));
	else
		snprintf(buf, sizeof(buf), "%llud%02lluh", div_u64(s, 86400),
			 div_u64(s % 86400, 3600));
	seq_printf(m, fmt_w, buf);
}

static void tcpw_seq_addr(struct seq_file *m, int family, const void *addr,
			  u16 port)
{
	char buf[64];

	if (family == AF_INET6)
		snprintf(buf, sizeof(buf), "[%pI6c]:%u", addr, port);
	else
		snprintf(buf, sizeof(buf), "%pI4:%u", addr, port);
	seq_printf(m, "%-26s ", buf);
}

/* The socket table shows request socks as SYN_RECV, as ss does. */
static const char *tcpw_row_state(const struct tcpw_row *r)
{
	return tcpw_state_name(r->state == TCP_NEW_SYN_RECV ? TCP_SYN_RECV :
			     r->state);
}

static void tcpw_seq_owner(struct seq_file *m, const struct tcpw_row *r)
{
	if (r->pid)
		seq_printf(m, "%d/%s\n", r->pid, r->comm);
	else
		seq_puts(m, "-\n");
}

static const char *const tcpw_ca_names[] = {
	"open", "disorder", "cwr", "recovery", "loss",
};

static const char *const tcpw_timer_names[] = {
	"-", "rto", "persist", "tlp", "reorder", "keepalive", "timewait",
};

/* Counters that a missing kretprobe would feed print as '-'. */
static void tcpw_seq_count(struct seq_file *m, const char *name, u32 hook,
			   u64 v)
{
	if (tcpw_timer_hooks() & BIT(hook))
		seq_printf(m, "  %s %llu", name, v);
	else
		seq_printf(m, "  %s -", name);
}

static void tcpw_show_tx_header(struct seq_file *m, struct net *net,
				const struct tcpw_pcpu_stats *st)
{
	u8 addr[sizeof(struct in6_addr)];
	u32 interval_ms;
	int family;
	u16 port;

	seq_printf(m, "retransmissions: rto %llu  loss %llu  fast %llu  tlp %llu  syn %llu\n",
		   st->retrans[TCPWATCH_CAUSE_RTO],
		   st->retrans[TCPWATCH_CAUSE_LOSS],
		   st->retrans[TCPWATCH_CAUSE_FAST],
		   st->retrans[TCPWATCH_CAUSE_TLP],
		   st->retrans[TCPWATCH_CAUSE_SYN]);
	seq_puts(m, "timers:");
	tcpw_seq_count(m, "RTO expiries", TCPWATCH_HOOK_RTO, st->rto_expiries);
	tcpw_seq_count(m, "loss probes", TCPWATCH_HOOK_LOSS_PROBE,
		       st->loss_probes);
	tcpw_seq_count(m, "zero-window probes", TCPWATCH_HOOK_ZW_PROBE,
		       st->zw_probes);
	if (tcpw_ca_state_hooked())
		seq_printf(m, "  undos %llu  CA changes %llu\n", st->undos,
			   st->ca_changes);
	else
		seq_puts(m, "  undos -  CA changes -\n");
	seq_printf(m, "timer kretprobes: %s, missed %llu\n",
		   tcpw_timers_status(), tcpw_timers_missed());
	tcpw_timewait_status(m);
	if (!tcpw_winlog_get(net, &family, addr, &port, &interval_ms)) {
		seq_puts(m, "window log: off");
	} else {
		seq_puts(m, "window log: on, ");
		if (family == AF_INET6)
			seq_printf(m, "address %pI6c ", addr);
		else if (family == AF_INET)
			seq_printf(m, "address %pI4 ", addr);
		if (port)
			seq_printf(m, "port %u ", port);
		seq_printf(m, "every >= %u ms", interval_ms);
	}
	seq_printf(m, ", samples sent %llu dropped %llu\n\n", st->wl_samples,
		   st->wl_drops);
}

static void tcpw_show_header(struct seq_file *m, struct tcpw_seq *s)
{
	struct tcpw_net *tn = tcpw_net(s->net);
	struct tcpw_pcpu_stats *st;
	u32 counts[TCPWATCH_NSTATES];
	bool used[TCPWATCH_NSTATES] = {};
	u64 done;
	int i, j;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st) {
		seq_printf(m, "tcpwatch: summary unavailable (%d)\n", -ENOMEM);
		return;
	}
	tcpw_stats_sum(tn, st);
	tcpw_count_states(s->net, counts);

	seq_printf(m, "tcpwatch %s (netlink abi %d) on Linux %s, netns %u, loaded ",
		   TCPW_VERSION, TCPWATCH_GENL_VERSION, init_utsname()->release,
		   s->net->ns.inum);
	tcpw_seq_dur(m, "%s ago\n", s->now - tcpw_load_ns);
	seq_printf(m, "params: max_sockets=%u close_ring=%u gc_ms=%u handshake_probes=%d\n",
		   tcpw_max_sockets, tcpw_close_ring,
		   tcpw_gc_interval_ms(tcpw_timewait_hooked()),
		   tcpw_handshake_probes);
	seq_printf(m, "tracked %u/%u (all netns)  untracked(full) %llu  events sent %llu lost %llu  closed overwritten %llu  event batches sent %llu lost %llu\n",
		   tcpw_tracked(), tcpw_max_sockets, tcpw_track_drops(),
		   st->events_sent, st->event_drops, tcpw_close_drops(),
		   st->batches_sent, st->batches_lost);
	seq_printf(m, "timewait: entered %llu  exited %llu  live %u\n",
		   st->tw_entered, st->tw_exited,
		   counts[TCP_TIME_WAIT]);
	i = TCPWATCH_HIST_CONNECT;
	for (j = 0, done = 0; j < TCPWATCH_HIST_SLOTS; j++)
		done += st->khist[i][j];
	seq_printf(m, "handshakes: SYN-ACKs retransmitted %llu  SYNs retransmitted %llu  connects %llu, mean ",
		   st->synack_retrans, st->syn_retrans, done);
	tcpw_seq_dur(m, "%s\n", done ? div64_u64(st->khist_sum[i], done) * 1000 : 0);
	if (tcpw_handshake_ok())
		seq_printf(m, "handshakes: SYNs %llu  completed %llu  expired %llu  reset %llu  SYN-queue drops %llu  accept-queue drops %llu  cookies sent %llu received %llu\n",
			   st->hs[TCPW_HS_SYNS], st->hs[TCPW_HS_COMPLETED],
			   st->hs[TCPW_HS_EXPIRED], st->hs[TCPW_HS_RESETS],
			   st->hs[TCPW_HS_SYNQ_DROPS],
			   st->hs[TCPW_HS_ACCEPTQ_DROPS],
			   st->hs[TCPW_HS_COOKIES_SENT],
			   st->hs[TCPW_HS_COOKIES_RECV]);
	seq_printf(m, "tracepoints: %s\n", tcpw_probes_status());
	seq_printf(m, "kretprobes: %s, missed %llu\n", tcpw_handshake_status(),
		   tcpw_handshake_missed());
	tcpw_show_tx_header(m, s->net, st);

	seq_puts(m, "STATE          NOW       LEFT  MEAN-TIME-IN-STATE\n");
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		done = 0;
		for (j = 0; j < TCPWATCH_HIST_SLOTS; j++)
			done += st->hist[i][j];
		seq_printf(m, "%-12s %5u %10llu  ", tcpw_state_name(i),
			   counts[i], done);
		if (done)
			tcpw_seq_dur(m, "%s\n",
				     div64_u64(st->hist_sum_us[i], done) * 1000);
		else
			seq_puts(m, "-\n");
	}

	seq_puts(m, "\nTRANSITIONS since load (row: from, column: to)\n");
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		for (j = 1; j < TCPWATCH_NSTATES; j++)
			if (st->trans[i][j]) {
				used[i] = true;
				used[j] = true;
			}
	seq_printf(m, "%-8s", "");
	for (j = 1; j < TCPWATCH_NSTATES; j++)
		if (used[j])
			seq_printf(m, " %8s", tcpw_short[j]);
	seq_putc(m, '\n');
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		if (!used[i])
			continue;
		seq_printf(m, "%-8s", tcpw_short[i]);
		for (j = 1; j < TCPWATCH_NSTATES; j++)
			if (used[j])
				seq_printf(m, " %8llu", st->trans[i][j]);
		seq_putc(m, '\n');
	}
	kfree(st);

	seq_puts(m, "\nSOCKETS (* = time counted from tcpwatch's load)\n");
	seq_printf(m, "%-12s %-26s %-26s %10s %5s %8s  %s\n", "STATE", "LOCAL",
		   "PEER", "IN-STATE", "TRANS", "TIMER", "PID/COMM");
}

static void tcpw_show_sock(struct seq_file *m, const struct tcpw_row *r)
{
	seq_printf(m, "%-12s ", tcpw_row_state(r));
	tcpw_seq_addr(m, r->t.family, &r->t.saddr, r->t.sport);
	tcpw_seq_addr(m, r->t.family, &r->t.daddr, r->t.dport);
	if (r->state == TCP_NEW_SYN_RECV)
		seq_printf(m, "%10s", "-");
	else
		tcpw_seq_dur(m, "%10s", r->in_state_ns);
	seq_putc(m, r->since_load ? '*' : ' ');
	seq_printf(m, "%4u ", r->transitions);
	if (r->timewait)
		tcpw_seq_dur(m, "%8s  ", r->timer_ns);
	else
		seq_printf(m, "%8s  ", "-");
	tcpw_seq_owner(m, r);
}

static void tcpw_show_timer(struct seq_file *m, const struct tcpw_row *r)
{
	const struct tcpw_live *l = &r->live;
	char buf[32];

	seq_printf(m, "%-12s ", tcpw_row_state(r));
	tcpw_seq_addr(m, r->t.family, &r->t.saddr, r->t.sport);
	tcpw_seq_addr(m, r->t.family, &r->t.daddr, r->t.dport);
	seq_printf(m, "%-9s ", l->timer < ARRAY_SIZE(tcpw_timer_names) ?
		   tcpw_timer_names[l->timer] : "?");
	if (l->timer)
		tcpw_seq_dur(m, "%8s ", l->timer_ns);
	else
		seq_printf(m, "%8s ", "-");
	tcpw_seq_dur(m, "%8s ", (u64)l->rto_us * NSEC_PER_USEC);
	seq_printf(m, "%2u %3u %6u ", l->backoff, l->retransmits, l->cwnd);
	if (l->ssthresh >= TCP_INFINITE_SSTHRESH)
		seq_printf(m, "%8s ", "inf");
	else
		seq_printf(m, "%8u ", l->ssthresh);
	snprintf(buf, sizeof(buf), "%u/%u", l->snd_wnd, l->snd_wscale);
	seq_printf(m, "%12s ", buf);
	snprintf(buf, sizeof(buf), "%u/%u", l->rcv_wnd, l->rcv_wscale);
	seq_printf(m, "%12s %5u ", buf, l->mss);
	tcpw_seq_dur(m, "%8s ", (u64)l->srtt_us * NSEC_PER_USEC);
	tcpw_seq_dur(m, "%8s ", (u64)l->rttvar_us * NSEC_PER_USEC);
	seq_printf(m, "%9u %-8s %-8s ", l->inflight,
		   l->ca_state < ARRAY_SIZE(tcpw_ca_names) ?
		   tcpw_ca_names[l->ca_state] : "?", l->cc);
	if (r->tracked)
		seq_printf(m, "%u/%u/%u/%u/%u %u\n",
			   r->x.retrans[TCPWATCH_CAUSE_RTO],
			   r->x.retrans[TCPWATCH_CAUSE_LOSS],
			   r->x.retrans[TCPWATCH_CAUSE_FAST],
			   r->x.retrans[TCPWATCH_CAUSE_TLP],
			   r->x.retrans[TCPWATCH_CAUSE_SYN], l->total_retrans);
	else
		seq_printf(m, "- %u\n", l->total_retrans);
}

static void tcpw_show_closed(struct seq_file *m, const struct tcpw_row *r)
{
	int i;

	seq_printf(m, "%-12s ", tcpw_state_name(r->last_state));
	tcpw_seq_addr(m, r->t.family, &r->t.saddr, r->t.sport);
	tcpw_seq_addr(m, r->t.family, &r->t.daddr, r->t.dport);
	tcpw_seq_dur(m, "%10s", r->lifetime_ns);
	seq_putc(m, r->since_load ? '*' : ' ');
	seq_printf(m, "%4u  ", r->transitions);
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		if (r->state_ns[i - 1]) {
			seq_printf(m, "%s=", tcpw_short[i]);
			tcpw_seq_dur(m, "%s ", r->state_ns[i - 1]);
		}
	tcpw_seq_owner(m, r);
}

static int tcpw_fill_visit(struct sock *sk, void *arg)
{
	struct tcpw_seq *s = arg;
	union tcpw_any_row *r = &s->batch[s->n];

	if (!net_eq(sock_net(sk), s->net))
		return 0;
	if ((s->kind == TCPW_I_LISTEN && sk->sk_state != TCP_LISTEN) ||
	    (s->kind == TCPW_I_HALF && sk->sk_state != TCP_NEW_SYN_RECV) ||
	    (s->kind == TCPW_I_TIMER && !tcpw_has_live(sk)))
		return 0;
	if (s->n == TCPW_BATCH)
		return 1;
	if (s->kind == TCPW_I_LISTEN)
		tcpw_lrow_fill(sk, &r->l, NULL);
	else if (s->kind == TCPW_I_HALF)
		tcpw_hrow_fill(sk, &r->h, s->now);
	else
		tcpw_row_fill(sk, &r->s, s->now);
	s->n++;
	return 0;
}

/* Fill the next batch of a walk section; false when it has no more. */
static bool tcpw_seq_refill(struct tcpw_seq *s)
{
	s->n = 0;
	s->i = 0;
	s->now = ktime_get_ns();
	tcpw_walk(tcpw_hashinfo(s->net), &s->cur, tcpw_fill_visit, s);
	return s->n > 0;
}

/* Enter walk section @kind, or the section after it if it is empty. */
static void tcpw_seq_enter_walk(struct tcpw_seq *s, enum tcpw_item kind)
{
	static const enum tcpw_item next_header[] = {
		[TCPW_I_SOCK] = TCPW_I_TIMER_HEADER,
		[TCPW_I_TIMER] = TCPW_I_LISTEN_HEADER,
		[TCPW_I_LISTEN] = TCPW_I_HALF_HEADER,
		[TCPW_I_HALF] = TCPW_I_CLOSED_HEADER,
	};

	memset(&s->cur, 0, sizeof(s->cur));
	s->cur.listeners_only = kind == TCPW_I_LISTEN;
	s->cur.table = kind == TCPW_I_HALF || kind == TCPW_I_TIMER ? 1 : 0;
	s->kind = kind;
	if (!tcpw_seq_refill(s))
		s->kind = next_header[kind];
}

static void tcpw_seq_advance(struct tcpw_seq *s)
{
	static const struct tcpw_filter all;

	switch (s->kind) {
	case TCPW_I_HEADER:
		tcpw_seq_enter_walk(s, TCPW_I_SOCK);
		break;
	case TCPW_I_TIMER_HEADER:
		tcpw_seq_enter_walk(s, TCPW_I_TIMER);
		break;
	case TCPW_I_LISTEN_HEADER:
		tcpw_seq_enter_walk(s, TCPW_I_LISTEN);
		break;
	case TCPW_I_HALF_HEADER:
		tcpw_seq_enter_walk(s, TCPW_I_HALF);
		break;
	case TCPW_I_SOCK:
	case TCPW_I_TIMER:
	case TCPW_I_LISTEN:
	case TCPW_I_HALF:
		if (++s->i < s->n || tcpw_seq_refill(s))
			break;
		s->kind = s->kind == TCPW_I_SOCK ? TCPW_I_TIMER_HEADER :
			  s->kind == TCPW_I_TIMER ? TCPW_I_LISTEN_HEADER :
			  s->kind == TCPW_I_LISTEN ? TCPW_I_HALF_HEADER :
			  TCPW_I_CLOSED_HEADER;
		break;
	case TCPW_I_CLOSED_HEADER:
		s->closed_seq = 0;
		fallthrough;
	case TCPW_I_CLOSED:
		s->kind = tcpw_closed_next(s->net, &all, &s->closed_seq,
					   &s->closed) ? TCPW_I_CLOSED :
							 TCPW_I_END;
		break;
	case TCPW_I_END:
		break;
	}
	s->pos++;
}

/* Item @pos, walking forward from the current one (or from the start). */
static void *tcpw_seq_get(struct seq_file *m, loff_t pos)
{
	struct tcpw_seq *s = m->private;

	s->net = seq_file_net(m);
	if (!s->started || pos < s->pos) {
		s->started = true;
		s->pos = 0;
		s->kind = TCPW_I_HEADER;
		s->now = ktime_get_ns();
	}
	while (s->pos < pos && s->kind != TCPW_I_END)
		tcpw_seq_advance(s);
	switch (s->kind) {
	case TCPW_I_END:
		return NULL;
	case TCPW_I_SOCK:
	case TCPW_I_TIMER:
	case TCPW_I_LISTEN:
	case TCPW_I_HALF:
		return &s->batch[s->i];
	case TCPW_I_CLOSED:
		return &s->closed;
	default:
		return s;
	}
}

static void *tcpw_seq_start(struct seq_file *m, loff_t *pos)
{
	return tcpw_seq_get(m, *pos);
}

static void *tcpw_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return tcpw_seq_get(m, ++*pos);
}

static void tcpw_seq_stop(struct seq_file *m, void *v)
{
}

static void tcpw_show_listener(struct seq_file *m, const struct tcpw_lrow *r)
{
	static const char *const cookies[] = { "off", "on", "always" };
	char q[24];

	tcpw_seq_addr(m, r->t.family, &r->t.saddr, r->t.sport);
	seq_printf(m, "%7u ", r->backlog);
	snprintf(q, sizeof(q), "%u/%u", r->synq_len, r->backlog);
	seq_printf(m, "%11s ", q);
	snprintf(q, sizeof(q), "%u/%u", r->acceptq_len, r->backlog);
	seq_printf(m, "%11s %7s %7u ", q,
		   r->syncookies < 3 ? cookies[r->syncookies] : "?",
		   r->synack_retries);
	tcpw_seq_dur(m, "%9s ", r->halfopen_ns);
	if (r->hs_valid)
		seq_printf(m, "%10llu%c ", r->synack_retrans,
			   r->since_load ? '*' : ' ');
	else
		seq_printf(m, "%10s* ", "-");
	if (r->hs_valid && tcpw_handshake_ok())
		seq_printf(m, "%6llu %6llu %6llu %6llu %6llu %6llu %6llu/%-6llu ",
			   r->hs[TCPW_HS_SYNS], r->hs[TCPW_HS_COMPLETED],
			   r->hs[TCPW_HS_EXPIRED], r->hs[TCPW_HS_RESETS],
			   r->hs[TCPW_HS_SYNQ_DROPS],
			   r->hs[TCPW_HS_ACCEPTQ_DROPS],
			   r->hs[TCPW_HS_COOKIES_SENT],
			   r->hs[TCPW_HS_COOKIES_RECV]);
	else
		seq_printf(m, "%6s %6s %6s %6s %6s %6s %13s ", "-", "-", "-",
			   "-", "-", "-", "-");
	if (r->pid)
		seq_printf(m, "%d/%s\n", r->pid, r->comm);
	else
		seq_puts(m, "-\n");
}

static void tcpw_show_half(struct seq_file *m, const struct tcpw_hrow *r)
{
	char q[8];

	tcpw_seq_addr(m, r->t.family, &r->t.saddr, r->t.sport);
	tcpw_seq_addr(m, r->t.family, &r->t.daddr, r->t.dport);
	if (r->age_known)
		tcpw_seq_dur(m, "%9s ", r->age_ns);
	else
		seq_printf(m, "%9s ", "-");
	snprintf(q, sizeof(q), "%u/%u", r->synack_retrans, r->max_retries);
	seq_printf(m, "%10s ", q);
	tcpw_seq_dur(m, "%9s ", r->timer_ns);
	tcpw_seq_dur(m, "%10s\n", r->expires_ns);
}

static int tcpw_seq_show(struct seq_file *m, void *v)
{
	struct tcpw_seq *s = m->private;

	switch (s->kind) {
	case TCPW_I_HEADER:
		tcpw_show_header(m, s);
		break;
	case TCPW_I_SOCK:
		tcpw_show_sock(m, v);
		break;
	case TCPW_I_TIMER_HEADER:
		seq_puts(m, "\nTIMERS AND WINDOWS (full sockets; TIMER: pending timer and time left; BO: backoff;\n"
			 "  RETR: consecutive retransmissions; windows in bytes / scale; RETRANSMITS: by cause\n"
			 "  rto/loss/fast/tlp/syn since tcpwatch saw the socket, then the kernel's total)\n");
		seq_printf(m, "%-12s %-26s %-26s %-9s %8s %8s %2s %3s %6s %8s %12s %12s %5s %8s %8s %9s %-8s %-8s %s\n",
			   "STATE", "LOCAL", "PEER", "TIMER", "LEFT", "RTO",
			   "BO", "RETR", "CWND", "SSTHRESH", "SND-WND",
			   "RCV-WND", "MSS", "SRTT", "RTTVAR", "INFLIGHT",
			   "CA", "CC", "RETRANSMITS");
		break;
	case TCPW_I_TIMER:
		tcpw_show_timer(m, v);
		break;
	case TCPW_I_LISTEN_HEADER:
		seq_puts(m, "\nLISTENERS (SYN-Q: half-open now/limit; ACCEPT-Q: awaiting accept()/limit;\n"
			 "  HALF-OPEN: lifetime the SYN-ACK retries imply; then counts: SYNs received,\n"
			 "  handshakes completed, half-opens expired, reset, SYNs dropped (SYN queue full),\n"
			 "  children dropped (accept queue full), cookies sent/received; * = since load)\n");
		seq_printf(m, "%-26s %7s %11s %11s %7s %7s %9s %11s %6s %6s %6s %6s %6s %6s %13s %s\n",
			   "LOCAL", "BACKLOG", "SYN-Q", "ACCEPT-Q", "COOKIES",
			   "RETRIES", "HALF-OPEN", "SYNACK-RTX", "SYNS", "DONE",
			   "EXPIRD", "RESET", "QDROP", "AQDROP", "COOKIES-S/R",
			   "PID/COMM");
		break;
	case TCPW_I_LISTEN:
		tcpw_show_listener(m, v);
		break;
	case TCPW_I_HALF_HEADER:
		seq_puts(m, "\nHALF-OPEN (SYN received, SYN-ACK sent, final ACK awaited; NEXT: next SYN-ACK or expiry)\n");
		seq_printf(m, "%-26s %-26s %9s %10s %9s %10s\n", "LISTENER", "PEER",
			   "AGE", "SYNACK-RTX", "NEXT", "EXPIRES-IN");
		break;
	case TCPW_I_HALF:
		tcpw_show_half(m, v);
		break;
	case TCPW_I_CLOSED_HEADER:
		seq_puts(m, "\nRECENTLY CLOSED, oldest first (state: the last one before CLOSE)\n");
		seq_printf(m, "%-12s %-26s %-26s %10s %5s  %s\n", "LAST-STATE",
			   "LOCAL", "PEER", "LIFETIME", "TRANS",
			   "TIME-PER-STATE PID/COMM");
		break;
	case TCPW_I_CLOSED:
		tcpw_show_closed(m, v);
		break;
	case TCPW_I_END:
		break;
	}
	return 0;
}

static const struct seq_operations tcpw_seq_ops = {
	.start = tcpw_seq_start,
	.next = tcpw_seq_next,
	.stop = tcpw_seq_stop,
	.show = tcpw_seq_show,
};

int tcpw_proc_net_init(struct tcpw_net *tn)
{
	tn->proc = proc_create_net("tcpwatch", 0444, tn->net->proc_net,
				   &tcpw_seq_ops, sizeof(struct tcpw_seq));
	return tn->proc ? 0 : -ENOMEM;
}

void tcpw_proc_net_exit(struct tcpw_net *tn)
{
	proc_remove(tn->proc);
}
