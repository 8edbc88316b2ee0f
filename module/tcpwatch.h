/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpwatch internals shared between the module's files.
 *
 * Data flow: the inet_sock_set_state probe (probes.c) updates a socket's
 * record (track.c) and the per-netns counters (stats.c) and sends an event
 * (genl.c).  Readers (/proc in proc.c, dumps in genl.c) walk the kernel's
 * own socket hash tables (walk.c) and join each live socket with its record
 * by address, never dereferencing a socket pointer stored earlier.
 */
#ifndef _TCPWATCH_H
#define _TCPWATCH_H

#include <linux/types.h>
#include <linux/in6.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/rculist.h>
#include <linux/timer.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <net/tcp_states.h>
#include "uapi/linux/tcpwatch.h"

#define TCPW_VERSION "0.1.0"

struct sock;
struct seq_file;
struct kretprobe;

/* Module parameters (main.c). */
extern unsigned int tcpw_max_sockets;
extern unsigned int tcpw_close_ring;
extern unsigned int tcpw_gc_ms;
extern bool tcpw_handshake_probes;
extern u64 tcpw_load_ns;		/* ktime_get_ns() at load */

#define TCPW_NKINDS	(TCPWATCH_HIST_RETRANS + 1)

/* Handshake counters, per listener and summed per netns (handshake.c). */
enum tcpw_hs {
	TCPW_HS_SYNS,
	TCPW_HS_COMPLETED,
	TCPW_HS_EXPIRED,
	TCPW_HS_RESETS,
	TCPW_HS_SYNQ_DROPS,
	TCPW_HS_ACCEPTQ_DROPS,
	TCPW_HS_COOKIES_SENT,
	TCPW_HS_COOKIES_RECV,
	TCPW_HS_N
};

/*
 * What only a listener's record needs, allocated when it listens: a
 * reader's copy.  The record holds the same fields as atomic64_t
 * (struct tcpw_lcount, track.c), which the handshake probes add to
 * without a lock.
 */
struct tcpw_lstats {
	u64 synack_retrans;
	u64 hs[TCPW_HS_N];
	u64 hist[TCPW_NKINDS][TCPWATCH_HIST_SLOTS];	/* handshake kinds */
	u64 hist_sum[TCPW_NKINDS];
};

/* Per-CPU, per-netns counters (stats.c).  Summed by readers. */
struct tcpw_pcpu_stats {
	u64 trans[TCPWATCH_NSTATES][TCPWATCH_NSTATES];
	u64 hist[TCPWATCH_NSTATES][TCPWATCH_HIST_SLOTS];
	u64 hist_sum_us[TCPWATCH_NSTATES];
	u64 tw_entered;
	u64 tw_exited;
	u64 events_sent;
	u64 event_drops;
	u64 batches_sent;		/* datagrams of events, some reader got */
	u64 batches_lost;		/* ... no reader got */
	u64 synack_retrans;
	u64 syn_retrans;
	u64 hs[TCPW_HS_N];
	/* by enum tcpwatch_hist_kind; [0], time in state, lives above */
	u64 khist[TCPW_NKINDS][TCPWATCH_HIST_SLOTS];
	u64 khist_sum[TCPW_NKINDS];
	u64 retrans[TCPWATCH_NCAUSES];
	u64 rto_expiries;
	u64 loss_probes;
	u64 zw_probes;
	u64 undos;
	u64 ca_changes;
	u64 wl_samples;
	u64 wl_drops;
};

struct tcpw_wlfilter;
struct tcpw_lcount;

/* One network namespace's tcpwatch state, from net_generic(). */
/* Events waiting to be multicast in one batch (genl.c). */
struct tcpw_evq {
	spinlock_t lock;		/* skb, n */
	struct sk_buff *skb;		/* NULL when empty */
	unsigned int n;			/* events in skb */
	struct timer_list timer;	/* sends a partial batch */
};

struct tcpw_net {
	struct net *net;
	struct list_head list;		/* tcpw_nets, under tcpw_nets_lock */
	struct tcpw_pcpu_stats __percpu *stats;
	struct proc_dir_entry *proc;
	struct tcpw_wlfilter __rcu *wl;	/* window log filter (winlog.c) */
	u64 cookie;			/* compat.h: TCPW_OWN_NET_COOKIE only */
	struct tcpw_evq evq;
};

extern struct list_head tcpw_nets;
extern struct mutex tcpw_nets_lock;
extern unsigned int tcpw_net_id;

static inline struct tcpw_net *tcpw_net(const struct net *net)
{
	return net_generic(net, tcpw_net_id);
}

/* tcpw_net() for a caller that holds rcu_read_lock() already. */
static inline struct tcpw_net *tcpw_net_rcu(const struct net *net)
{
	return rcu_dereference(net->gen)->ptr[tcpw_net_id];
}

/* Address and ports of a socket, as the socket table shows them. */
struct tcpw_tuple {
	union {
		__be32 v4;
		struct in6_addr v6;
	} saddr, daddr;
	u16 sport, dport;		/* host order */
	u8 family;
};

/* A socket's retransmission and probe counts (timers.c). */
struct tcpw_xcount {
	u32 retrans[TCPWATCH_NCAUSES];
	u32 rto_expiries;
	u32 loss_probes;
	u32 zw_probes;
	u32 undos;
};

/* Kept per socket once it retransmits or is window-logged. */
struct tcpw_xstats {
	struct tcpw_xcount c;
	u64 wl_sent_ns;			/* window log: last sample sent */
	u32 wl_seen[4];			/* cwnd, ssthresh, snd_wnd, rcv_wnd
					 * as last seen, sent or not
					 */
};

/* A full socket's timers and windows, read live (live.c). */
struct tcpw_live {
	u64 timer_ns;			/* time left on the pending timer */
	u32 rto_us;
	u32 total_retrans;
	u32 cwnd;
	u32 ssthresh;
	u32 snd_wnd;
	u32 rcv_wnd;
	u32 mss;
	u32 inflight;
	u32 unacked;
	u32 srtt_us;
	u32 rttvar_us;
	u8 timer;			/* enum tcpwatch_timer */
	u8 backoff;
	u8 retransmits;
	u8 probes;
	u8 ca_state;
	u8 snd_wscale;
	u8 rcv_wscale;
	char cc[16];			/* TCP_CA_NAME_MAX */
};

void tcpw_live_fill(const struct sock *sk, struct tcpw_live *l);
bool tcpw_has_live(const struct sock *sk);

/*
 * The time a record spends in each state, without CLOSE (where it ends)
 * and NEW_SYN_RECV (a request sock's state, not a full socket's).
 */
#define TCPW_NSLOTS	(TCPWATCH_NSTATES - 3)

/* state_ns[] slot of @state, or -1 for none. */
static inline int tcpw_state_slot(int state)
{
	if (state <= 0 || state == TCP_CLOSE || state > TCP_CLOSING)
		return -1;
	return state < TCP_CLOSE ? state - 1 : state - 2;
}

/*
 * A socket's record.  @key is the address of the live struct sock (or of
 * its timewait sock) and is used only as a hash key: it is compared, never
 * dereferenced.
 */
struct tcpw_entry {
	struct tcpw_entry __rcu *next;	/* hash chain (track.c) */
	union {
		struct rcu_head rcu;	/* once unhashed, to be freed */
		struct tcpw_entry *gc_next;	/* GC's list of the unhashed */
		struct tcpw_entry *pool_next;	/* track.c's pool of freed ones */
	};
	unsigned long key;
	struct tcpw_net *tn;		/* its netns; valid while hashed */
	u64 id;
	u64 entered_ns;			/* entered current state */
	union {
		u64 tw_expire_ns;	/* timewait: its timer's expiry */
		struct tcpw_lcount *ls;	/* listener, if has_ls */
	};
	/* by tcpw_state_slot(): a record ends at CLOSE, never spends time there */
	u64 state_ns[TCPW_NSLOTS];
	struct tcpw_tuple t;
	u8 state;
	u8 since_load:1, timewait:1, has_ls:1;
	u16 transitions;
	u8 syn_retrans;			/* connect: SYNs retransmitted */
	u8 seen;			/* GC generation (track.c) */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct tcpw_xstats *xs;		/* NULL until needed */
};

/*
 * A row of the socket table or of the closed ring: everything a reader
 * shows, copied out so that no lock is held while formatting.
 */
struct tcpw_row {
	struct tcpw_tuple t;
	u8 state;
	u8 tracked:1, since_load:1, timewait:1, has_live:1;
	u8 last_state;			/* closed ring: state before close */
	u32 transitions;
	u32 syn_retrans;
	pid_t pid;
	u64 id;
	u64 in_state_ns;
	u64 lifetime_ns;
	u64 timer_ns;			/* timewait time left */
	u64 time_ns;			/* closed ring: CLOSE time, realtime */
	u64 state_ns[TCPWATCH_NSTATES - 1];
	char comm[TASK_COMM_LEN];
	struct tcpw_live live;		/* if has_live */
	struct tcpw_xcount x;		/* if tracked */
};

/* A listener as GET_LISTENERS and /proc show it. */
struct tcpw_lrow {
	struct tcpw_tuple t;
	u8 since_load:1, tracked:1, hs_valid:1;
	u8 syncookies;
	u8 synack_retries;
	u32 backlog;
	u32 synq_len;
	u32 acceptq_len;
	u64 halfopen_ns;
	u64 synack_retrans;
	u64 hs[TCPW_HS_N];
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

/* A request sock (half-open connection). */
struct tcpw_hrow {
	struct tcpw_tuple t;		/* local: the listener's address */
	u8 synack_retrans;
	u8 max_retries;
	bool age_known;
	u64 age_ns;
	u64 timer_ns;
	u64 expires_ns;
};

struct tcpw_filter {
	u32 states;			/* bit per state; 0 = all */
	u16 port;			/* 0 = any */
};

bool tcpw_filter_pass(const struct tcpw_filter *f, int state, u16 sport,
		      u16 dport);
bool tcpw_filter_match(const struct tcpw_filter *f, const struct tcpw_row *r);

/* track.c */
int tcpw_track_init(void);
void tcpw_track_exit(void);
void tcpw_probe_set_state(void *data, const struct sock *sk,
			  const int oldstate, const int newstate);
int tcpw_track_seed(struct sock *sk, void *unused);
void tcpw_track_join(const struct sock *sk, struct tcpw_row *r, u64 now);
void tcpw_track_join_listener(const struct sock *sk, struct tcpw_lrow *r,
			      struct tcpw_lstats *copy);
void tcpw_track_synack_retrans(const struct sock *listener);
void tcpw_track_handshake(const struct sock *listener, int counter, u64 n);
void tcpw_track_completed(const struct sock *listener, bool timed,
			  u64 halfopen_us, u32 synack_retrans);
void tcpw_track_accepted(const struct sock *listener, const struct sock *child);
void tcpw_track_listener_hist(const struct sock *listener, int kind, u64 v);
void tcpw_track_syn_retrans(const struct sock *sk);
u64 tcpw_track_retrans(const struct sock *sk, int cause);
u64 tcpw_track_xcount(const struct sock *sk, size_t field, u32 n);
u64 tcpw_track_window(const struct sock *sk, const struct tcpw_live *l,
		      u64 interval_ns, bool *send);
void tcpw_track_purge_net(struct net *net);
void tcpw_gc_start(void);
void tcpw_gc_stop(void);
unsigned int tcpw_tracked(void);
u64 tcpw_track_drops(void);
u64 tcpw_close_drops(void);
bool tcpw_closed_next(struct net *net, const struct tcpw_filter *f, u64 *seq,
		      struct tcpw_row *row);

/* walk.c: iterate a netns's TCP sockets (listeners, then ehash) */
struct tcpw_cursor {
	u32 table;			/* 0: listeners, 1: ehash, 2: end */
	u32 bucket;
	u32 skip;			/* sockets already visited in bucket */
	bool listeners_only;		/* end after table 0 */
};

/* Return 0 when the socket was consumed, > 0 to stop before it. */
typedef int (*tcpw_visit_t)(struct sock *sk, void *arg);
int tcpw_walk(struct inet_hashinfo *h, struct tcpw_cursor *c,
	      tcpw_visit_t visit, void *arg);
struct inet_hashinfo *tcpw_hashinfo(const struct net *net);
void tcpw_row_fill(struct sock *sk, struct tcpw_row *r, u64 now);
void tcpw_count_states(struct net *net, u32 counts[TCPWATCH_NSTATES]);
void tcpw_lrow_fill(struct sock *sk, struct tcpw_lrow *r,
		    struct tcpw_lstats *copy);
void tcpw_hrow_fill(struct sock *sk, struct tcpw_hrow *r, u64 now);
const char *tcpw_state_name(int state);
void tcpw_tuple_from_sk(const struct sock *sk, struct tcpw_tuple *t);

/* stats.c */
int tcpw_stats_init(struct tcpw_net *tn);
void tcpw_stats_free(struct tcpw_net *tn);
void tcpw_stats_sum(struct tcpw_net *tn, struct tcpw_pcpu_stats *sum);
/* Slot 0 holds 0 µs; slot i holds [2^(i-1), 2^i) µs; the last is open. */
static inline unsigned int tcpw_hist_slot(u64 us)
{
	unsigned int slot = us ? ilog2(us) + 1 : 0;

	return min_t(unsigned int, slot, TCPWATCH_HIST_SLOTS - 1);
}

/*
 * @v in the histogram's unit: µs, or a count for SYNACK_RETRANS.  Inline,
 * as tcpw_hist_add(): the state probe calls them.
 */
static inline void tcpw_khist_add(struct tcpw_net *tn, int kind, u64 v)
{
	if (kind <= TCPWATCH_HIST_STATE_TIME || kind >= TCPW_NKINDS)
		return;
	this_cpu_inc(tn->stats->khist[kind][tcpw_hist_slot(v)]);
	this_cpu_add(tn->stats->khist_sum[kind], v);
}

/* Called from the probe and from GC: preemption may be on, so this_cpu. */
static inline void tcpw_hist_add(struct tcpw_net *tn, int state, u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	if (state <= 0 || state >= TCPWATCH_NSTATES)
		return;
	this_cpu_inc(tn->stats->hist[state][tcpw_hist_slot(us)]);
	this_cpu_add(tn->stats->hist_sum_us[state], us);
}

/* probes.c */
int tcpw_probes_register(void);
void tcpw_probes_unregister(void);
const char *tcpw_probes_status(void);
bool tcpw_ca_state_hooked(void);
u32 tcpw_kretprobes_register(struct kretprobe *krps, unsigned int n,
			     char *status, size_t size);
void tcpw_kretprobes_unregister(struct kretprobe *krps, unsigned int n, u32 on);
u64 tcpw_kretprobes_missed(const struct kretprobe *krps, unsigned int n, u32 on);

/* A kretprobe on @fn, with @type in each instance's data. */
#define TCPW_KRETPROBE(fn, entry, ret, type) {				\
	.kp.symbol_name = fn,						\
	.entry_handler = entry,						\
	.handler = ret,							\
	.data_size = sizeof(type),					\
	.maxactive = 64,						\
}

/* handshake.c: kretprobes where no tracepoint exists */
void tcpw_handshake_register(void);
void tcpw_handshake_unregister(void);
u64 tcpw_handshake_missed(void);
const char *tcpw_handshake_status(void);
bool tcpw_handshake_ok(void);

/* timers.c: retransmissions, timer expiries, probes, congestion state */
void tcpw_probe_retransmit(void *data, const struct sock *sk,
			   const struct sk_buff *skb);
void tcpw_probe_ca_state(void *data, const struct sock *sk, const u8 ca_state);
void tcpw_timers_register(void);
void tcpw_timewait_register(void);
void tcpw_timewait_unregister(void);
bool tcpw_timewait_hooked(void);
void tcpw_timewait_status(struct seq_file *m);
void tcpw_track_tw_gone(const struct sock *sk);
unsigned int tcpw_gc_interval_ms(bool hooked);
void tcpw_timers_unregister(void);
u32 tcpw_timer_hooks(void);
u64 tcpw_timers_missed(void);
const char *tcpw_timers_status(void);
void tcpw_close_sample(struct tcpw_net *tn, const struct sock *sk, int old);

/* winlog.c: the window change log */
int tcpw_winlog_set(struct net *net, int family, const void *addr, u16 port,
		    u32 interval_ms);
bool tcpw_winlog_get(struct net *net, int *family, void *addr, u16 *port,
		     u32 *interval_ms);
void tcpw_winlog_net_exit(struct tcpw_net *tn);
void tcpw_winlog_exit(void);

/* probes.c */
struct tracepoint *tcpw_find_tracepoint(const char *name);

/* proc.c */
int tcpw_proc_net_init(struct tcpw_net *tn);
void tcpw_proc_net_exit(struct tcpw_net *tn);

/* genl.c */
int tcpw_genl_init(void);
void tcpw_genl_exit(void);
void tcpw_event(struct net *net, int kind, const struct tcpw_tuple *t, u64 id,
		int old, int new, u64 old_ns, pid_t pid, const char *comm);
void tcpw_evq_init(struct tcpw_net *tn);
void tcpw_evq_flush(struct tcpw_net *tn);
extern unsigned long tcpw_wanted_key;
bool tcpw_event_wanted_slow(struct net *net);

/**
 * tcpw_event_wanted() - whether to build events: some reader subscribed
 * @net: the netns of the event
 *
 * Asked on every state change and handshake step, so the answer is kept
 * for a jiffy in tcpw_wanted_key, (jiffy << 1) | answer: asking netlink
 * each time was a tenth of the state probe's cost.  A reader that joins
 * sets the answer at once where the kernel tells (compat.h:
 * TCPW_COMPAT_GENL_BIND); elsewhere its first events are those from up to a
 * jiffy after it joined.
 *
 * Return: true if events have a reader.
 */
static inline bool tcpw_event_wanted(struct net *net)
{
	unsigned long key = READ_ONCE(tcpw_wanted_key), now = jiffies;

	/* this jiffy's answer, or ask (after a wrap: one jiffy stale) */
	if (likely((key ^ (now << 1)) <= 1))
		return key & 1;
	return tcpw_event_wanted_slow(net);
}

void tcpw_hs_event(struct net *net, int kind, const struct tcpw_tuple *t,
		   int outcome, u64 lifetime_ns, int synack_retrans);

/* What a retransmission, RTO, CA-state or window event says. */
struct tcpw_tx_event {
	struct tcpw_tuple t;
	struct tcpw_live live;
	u64 id;				/* 0 if untracked */
	u32 seq;			/* RETRANS */
	s8 cause;			/* RETRANS, else -1 */
	s8 old_ca;			/* CA_STATE, else -1 */
	u8 state;			/* the socket's TCP state */
};

void tcpw_tx_event(struct net *net, int kind, const struct tcpw_tx_event *ev);
void tcpw_tx_fill(const struct sock *sk, struct tcpw_tx_event *ev, u64 id);

/* This CPU's value of a netns's LINUX_MIB_ counter. */
static inline unsigned long tcpw_mib(const struct net *net, int item)
{
	return this_cpu_ptr(net->mib.net_statistics)->mibs[item];
}

#endif /* _TCPWATCH_H */
