// SPDX-License-Identifier: GPL-2.0
/*
 * Socket records: a hash table keyed by the address of the live socket,
 * with one spinlock per bucket, updated by the state-change probe; a ring
 * of recently closed sockets; and a GC pass that finds records whose
 * socket is gone without a state change the probe could see (timewait
 * sockets expiring, chiefly) by marking every socket still in the kernel's
 * hash tables and sweeping the rest.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/log2.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <net/inet_timewait_sock.h>
#include <net/inet6_hashtables.h>
#include <net/ipv6.h>
#include "tcpwatch.h"
#include "compat.h"

/*
 * A singly linked chain: a record is 8 bytes smaller than with an hlist,
 * and unlinking walks the chain, which is about one record long.  A chain
 * ends in a "nulls" marker naming its bucket (as the kernel's socket hash
 * does): a record that moves to another bucket while a lock-free reader
 * stands on it (a socket's record following it into timewait) leads that
 * reader into the other chain, and the reader sees it at the end, and
 * starts again.
 */
struct tcpw_bucket {
	spinlock_t lock;		/* head and every entry's fields */
	struct tcpw_entry __rcu *head;
};

/*
 * A closed-ring slot.  Pushes take a slot each by a counter and fill it
 * under the slot's own lock, so they contend only when the ring wraps
 * onto a slot still being written or read.  The slot keeps the record
 * itself (what a row shows of it no longer changes once it is unhashed):
 * the row is made only when read, which costs a close nothing but the
 * swap.
 */
struct tcpw_closed {
	spinlock_t lock;		/* the slot's fields */
	u64 seq;			/* push number + 1; 0: never written */
	u64 net_cookie;
	u64 close_ns;			/* ktime_get_ns() at CLOSE */
	u64 time_ns;			/* the same, realtime */
	struct tcpw_entry *e;		/* owned by the slot */
};

/* A listener's counters: struct tcpw_lstats's fields, as atomic64_t. */
struct tcpw_lcount {
	atomic64_t synack_retrans;
	atomic64_t hs[TCPW_HS_N];
	atomic64_t hist[TCPW_NKINDS][TCPWATCH_HIST_SLOTS];
	atomic64_t hist_sum[TCPW_NKINDS];
	struct rcu_head rcu;		/* not a counter: freed at close */
};

static_assert(offsetof(struct tcpw_lcount, rcu) == sizeof(struct tcpw_lstats));
static_assert(offsetof(struct tcpw_lcount, hist_sum) ==
	      offsetof(struct tcpw_lstats, hist_sum));

static struct tcpw_bucket *tcpw_table;
static unsigned int tcpw_table_mask;
static struct kmem_cache *tcpw_entry_cache;
static atomic_t tcpw_count = ATOMIC_INIT(0);
static DEFINE_PER_CPU(u64, tcpw_drops);
static DEFINE_PER_CPU(u64, tcpw_id_seq);

static struct tcpw_closed *tcpw_ring;
static atomic64_t tcpw_ring_head = ATOMIC64_INIT(0);	/* records ever pushed */

static u32 tcpw_gc_gen;
static void tcpw_gc_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(tcpw_gc_work, tcpw_gc_fn);

/* A socket must be missed by GC for this long before its record goes. */
#define TCPW_GC_GRACE_NS	(500 * NSEC_PER_MSEC)

static struct tcpw_bucket *tcpw_bucket_of(unsigned long key)
{
	return &tcpw_table[hash_long(key, ilog2(tcpw_table_mask + 1))];
}

static struct tcpw_entry *tcpw_nulls(const struct tcpw_bucket *b)
{
	return (struct tcpw_entry *)(((b - tcpw_table) << 1) | 1UL);
}

static bool tcpw_is_nulls(const struct tcpw_entry *e)
{
	return (unsigned long)e & 1;
}

static bool tcpw_bucket_empty(struct tcpw_bucket *b)
{
	return tcpw_is_nulls(rcu_access_pointer(b->head));
}

/* Under rcu_read_lock() or @b's lock. */
static struct tcpw_entry *tcpw_find(struct tcpw_bucket *b, unsigned long key)
{
	struct tcpw_entry *e;

again:
	for (e = rcu_dereference_check(b->head, true); !tcpw_is_nulls(e);
	     e = rcu_dereference_check(e->next, true))
		if (e->key == key)
			return e;
	if (e != tcpw_nulls(b))
		goto again;
	return NULL;
}

/* Under @b's lock: @e first in the chain. */
static void tcpw_link(struct tcpw_bucket *b, struct tcpw_entry *e)
{
	RCU_INIT_POINTER(e->next, rcu_dereference_protected(b->head, true));
	rcu_assign_pointer(b->head, e);
}

/*
 * Under @b's lock: unlink what *@pp points to.  Its own link is left as
 * it was: a reader standing on it goes on along the chain.
 */
static void tcpw_unlink_at(struct tcpw_entry __rcu **pp)
{
	struct tcpw_entry *e = rcu_dereference_protected(*pp, true);

	RCU_INIT_POINTER(*pp, rcu_dereference_protected(e->next, true));
}

/* Under @b's lock: unlink @e, which is in @b. */
static void tcpw_unlink(struct tcpw_bucket *b, struct tcpw_entry *e)
{
	struct tcpw_entry __rcu **pp = &b->head;
	struct tcpw_entry *cur;

	while ((cur = rcu_dereference_protected(*pp, true)) != e)
		pp = &cur->next;
	tcpw_unlink_at(pp);
}

unsigned int tcpw_tracked(void)
{
	return atomic_read(&tcpw_count);
}

u64 tcpw_track_drops(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(tcpw_drops, cpu);
	return sum;
}

u64 tcpw_close_drops(void)
{
	u64 head = atomic64_read(&tcpw_ring_head);

	return head > tcpw_close_ring ? head - tcpw_close_ring : 0;
}

/*
 * Freed records wait out an RCU grace period (a lock-free reader may stand
 * on one) in batches, one call_rcu() each, and then wait in a per-CPU pool
 * for reuse: a socket's record then costs neither a slab allocation and
 * free nor a call_rcu() of its own, which were over a third of the state
 * probe's cost per connection.  Bounded per CPU: TCPW_POOL_READY records
 * ready, TCPW_POOL_BATCH filling and TCPW_POOL_INFLIGHT batches waiting;
 * beyond that records go to call_rcu() one by one, and back to the slab.
 */
#define TCPW_POOL_READY		128
#define TCPW_POOL_BATCH		32
#define TCPW_POOL_INFLIGHT	4

struct tcpw_pool;

struct tcpw_batch {
	struct rcu_head rcu;
	struct tcpw_pool *pool;
	struct tcpw_entry *first;	/* chained by pool_next */
	unsigned int n;
	bool busy;			/* waiting for its grace period */
};

struct tcpw_pool {
	/*
	 * The pool's fields.  A spinlock (irqsave) rather than CPU-local
	 * exclusion: RCU callbacks may run on another CPU (rcu_nocbs), and
	 * records are freed from kprobe handlers too (timewait.c).
	 */
	spinlock_t lock;
	struct tcpw_entry *ready;
	unsigned int nready;
	struct tcpw_entry *fill;
	unsigned int nfill;
	struct tcpw_batch batch[TCPW_POOL_INFLIGHT];
};

static DEFINE_PER_CPU(struct tcpw_pool, tcpw_pool);

/* What a record holds besides itself; once no reader can see it. */
static void tcpw_entry_release(struct tcpw_entry *e)
{
	if (e->has_ls)
		kfree(e->ls);
	kfree(e->xs);
}

static void tcpw_entry_destroy(struct tcpw_entry *e)
{
	tcpw_entry_release(e);
	kmem_cache_free(tcpw_entry_cache, e);
}

/* A list chained by pool_next. */
static void tcpw_entries_free(struct tcpw_entry *e)
{
	struct tcpw_entry *next;

	for (; e; e = next) {
		next = e->pool_next;
		tcpw_entry_destroy(e);
	}
}

/* A batch's grace period has passed: its records are ready for reuse. */
static void tcpw_batch_done(struct rcu_head *head)
{
	struct tcpw_batch *b = container_of(head, struct tcpw_batch, rcu);
	struct tcpw_pool *p = b->pool;
	struct tcpw_entry *e = b->first, *spill = NULL;
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	if (p->nready + b->n <= TCPW_POOL_READY) {
		while (e->pool_next)
			e = e->pool_next;
		e->pool_next = p->ready;
		p->ready = b->first;
		p->nready += b->n;
	} else {
		spill = b->first;
	}
	b->first = NULL;
	b->n = 0;
	b->busy = false;
	spin_unlock_irqrestore(&p->lock, flags);
	tcpw_entries_free(spill);
}

/* Under @p's lock: send the filled batch to call_rcu(), if a slot is free. */
static bool tcpw_pool_send(struct tcpw_pool *p)
{
	unsigned int i;

	for (i = 0; i < TCPW_POOL_INFLIGHT; i++) {
		struct tcpw_batch *b = &p->batch[i];

		if (b->busy)
			continue;
		b->busy = true;
		b->pool = p;
		b->first = p->fill;
		b->n = p->nfill;
		p->fill = NULL;
		p->nfill = 0;
		call_rcu(&b->rcu, tcpw_batch_done);
		return true;
	}
	return false;
}

/* Return: false if the pool is full (the caller frees @e itself). */
static bool tcpw_pool_put(struct tcpw_entry *e)
{
	struct tcpw_pool *p = raw_cpu_ptr(&tcpw_pool);
	unsigned long flags;
	bool put = false;

	spin_lock_irqsave(&p->lock, flags);
	/* a full batch waits for a slot, which a grace period frees */
	if (p->nfill == TCPW_POOL_BATCH)
		tcpw_pool_send(p);
	if (p->nfill < TCPW_POOL_BATCH) {
		e->pool_next = p->fill;
		p->fill = e;
		p->nfill++;
		put = true;
		if (p->nfill == TCPW_POOL_BATCH)
			tcpw_pool_send(p);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return put;
}

/* A record no reader can see any more, zeroed; NULL if none is ready. */
static struct tcpw_entry *tcpw_pool_get(void)
{
	struct tcpw_pool *p = raw_cpu_ptr(&tcpw_pool);
	struct tcpw_entry *e;
	unsigned long flags;

	if (!READ_ONCE(p->ready))
		return NULL;
	spin_lock_irqsave(&p->lock, flags);
	e = p->ready;
	if (e) {
		p->ready = e->pool_next;
		p->nready--;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (e) {
		tcpw_entry_release(e);
		memset(e, 0, sizeof(*e));
	}
	return e;
}

/* Once no probe or reader runs and rcu_barrier() returned. */
static void tcpw_pool_drain(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct tcpw_pool *p = per_cpu_ptr(&tcpw_pool, cpu);

		tcpw_entries_free(p->ready);
		tcpw_entries_free(p->fill);
		p->ready = NULL;
		p->fill = NULL;
		p->nready = 0;
		p->nfill = 0;
	}
}

static struct tcpw_entry *tcpw_entry_alloc(struct tcpw_net *tn,
					   unsigned long key)
{
	struct tcpw_entry *e;

	if (atomic_inc_return(&tcpw_count) > tcpw_max_sockets) {
		atomic_dec(&tcpw_count);
		this_cpu_inc(tcpw_drops);
		return NULL;
	}
	e = tcpw_pool_get();
	if (!e)
		e = kmem_cache_zalloc(tcpw_entry_cache,
				      GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		atomic_dec(&tcpw_count);
		this_cpu_inc(tcpw_drops);
		return NULL;
	}
	e->key = key;
	e->tn = tn;
	e->id = (this_cpu_inc_return(tcpw_id_seq) << 12) | smp_processor_id();
	return e;
}

static void tcpw_entry_free_rcu(struct rcu_head *head)
{
	tcpw_entry_destroy(container_of(head, struct tcpw_entry, rcu));
}

/*
 * A listener's own counters, made when it listens; under its bucket lock.
 * NULL if no memory.  The handshake probes read e->ls without the lock
 * (tcpw_lcount_of()): it is set once, and freed with the record.
 */
static struct tcpw_lcount *tcpw_lcount_get(struct tcpw_entry *e)
{
	struct tcpw_lcount *lc;

	if (e->state != TCP_LISTEN || e->timewait)
		return NULL;
	if (!e->has_ls) {
		lc = kzalloc(sizeof(*lc), GFP_ATOMIC | __GFP_NOWARN);
		if (!lc)
			return NULL;
		/* zeroed before seen: pairs with the lock-free readers */
		smp_store_release(&e->ls, lc);
		e->has_ls = 1;
	}
	return e->ls;
}

/* Free a record no longer counted as tracked, once no reader sees it. */
static void tcpw_entry_dispose(struct tcpw_entry *e)
{
	if (!tcpw_pool_put(e))
		call_rcu(&e->rcu, tcpw_entry_free_rcu);
}

static void tcpw_entry_free(struct tcpw_entry *e)
{
	atomic_dec(&tcpw_count);
	tcpw_entry_dispose(e);
}

/*
 * When the record began: every nanosecond since is in state_ns[] or since
 * entered_ns (tcpw_account()), so the record needs no field of its own.
 */
static u64 tcpw_born_ns(const struct tcpw_entry *e)
{
	u64 ns = READ_ONCE(e->entered_ns);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(e->state_ns); i++)
		ns -= READ_ONCE(e->state_ns[i]);
	return ns;
}

/* @e's time per state into @out, a row's array (by state - 1). */
static void tcpw_state_ns_out(u64 out[TCPWATCH_NSTATES - 1],
			      const struct tcpw_entry *e)
{
	int st, i;

	for (st = 1; st < TCPWATCH_NSTATES; st++) {
		i = tcpw_state_slot(st);
		out[st - 1] = i < 0 ? 0 : e->state_ns[i];
	}
}

static void tcpw_set_owner(struct tcpw_entry *e)
{
	e->pid = task_tgid_nr(current);
	memcpy(e->comm, current->comm, sizeof(e->comm));
}

/* Move the time since the last transition into @e's per-state total. */
static u64 tcpw_account(struct tcpw_entry *e, u64 now)
{
	u64 ns = now > e->entered_ns ? now - e->entered_ns : 0;
	int i = tcpw_state_slot(e->state);

	if (i >= 0) {
		e->state_ns[i] += ns;
		/*
		 * The first state of a record is either the CLOSE a new socket
		 * starts in or, for a socket older than the module, a state
		 * whose start is unknown: neither belongs in the histogram.
		 */
		if (e->transitions)
			tcpw_hist_add(e->tn, e->state, ns);
	}
	e->entered_ns = now;
	return ns;
}

/*
 * Hand unhashed @e, which ended at @now, to the closed ring: the ring owns
 * it from now on (it is no longer counted as tracked), so the caller must
 * not touch it after this.
 */
static void tcpw_closed_push(struct tcpw_entry *e, u64 now)
{
	u64 seq = atomic64_inc_return(&tcpw_ring_head);
	struct tcpw_closed *c = &tcpw_ring[(seq - 1) % tcpw_close_ring];
	struct tcpw_entry *old = e;

	atomic_dec(&tcpw_count);
	if (e->has_ls) {
		/* the ring shows no listener counters: no need to keep 2 KiB */
		e->has_ls = 0;
		kfree_rcu(e->ls, rcu);
		e->ls = NULL;
	}
	spin_lock_bh(&c->lock);
	/* a later push that wrapped onto the slot first keeps it */
	if (c->seq > seq)
		goto out;
	old = c->e;
	c->e = e;
	c->seq = seq;
	c->net_cookie = tcpw_compat_net_cookie(e->tn->net);
	c->close_ns = now;
	c->time_ns = ktime_to_ns(ktime_mono_to_real(ns_to_ktime(now)));
out:
	spin_unlock_bh(&c->lock);
	if (old)
		tcpw_entry_dispose(old);
}

/* What a row shows of record @e as of @now, in the socket table or the ring */
static void tcpw_row_from_entry(struct tcpw_row *r, const struct tcpw_entry *e,
				u64 now)
{
	r->tracked = 1;
	r->since_load = e->since_load;
	r->id = e->id;
	r->transitions = e->transitions;
	r->syn_retrans = e->syn_retrans;
	r->pid = e->pid;
	memcpy(r->comm, e->comm, sizeof(r->comm));
	tcpw_state_ns_out(r->state_ns, e);
	if (e->xs)
		r->x = e->xs->c;
	r->lifetime_ns = now - min(now, tcpw_born_ns(e));
}

/* Under @c's lock: the row of its record. */
static void tcpw_closed_row(const struct tcpw_closed *c, struct tcpw_row *r)
{
	const struct tcpw_entry *e = c->e;

	memset(r, 0, sizeof(*r));
	r->t = e->t;
	r->state = TCP_CLOSE;
	r->last_state = e->state;
	r->timewait = e->timewait;
	tcpw_row_from_entry(r, e, c->close_ns);
	r->time_ns = c->time_ns;
}

/*
 * An event of @kind about @e's socket, from its record (out of line: only
 * with a reader): a state change, or its entry into or exit from timewait.
 */
static noinline void tcpw_record_event(const struct tcpw_entry *e, int kind,
				       int old, int new, u64 old_ns)
{
	tcpw_event(e->tn->net, kind, &e->t, e->id, old, new, old_ns, e->pid,
		   e->pid ? e->comm : "");
}

/*
 * The timewait sock that took over @t's place in the ehash, if any.  The
 * CLOSE tracepoint fires after the socket left the hash and released its
 * port, so the lookup uses the tuple recorded before.
 */
static struct sock *tcpw_find_timewait(struct net *net,
				       const struct tcpw_tuple *t, int dif)
{
	struct inet_hashinfo *h = tcpw_hashinfo(net);
	struct sock *tw = NULL;

	rcu_read_lock();
	if (t->family == AF_INET)
		tw = tcpw_compat_lookup4(net, h, t->daddr.v4, htons(t->dport),
					 t->saddr.v4, t->sport, dif);
#if IS_ENABLED(CONFIG_IPV6)
	/* v4-mapped IPv6 sockets are hashed as IPv4 */
	else if (ipv6_addr_v4mapped(&t->daddr.v6))
		tw = tcpw_compat_lookup4(net, h, t->daddr.v6.s6_addr32[3],
					 htons(t->dport),
					 t->saddr.v6.s6_addr32[3], t->sport, dif);
	else
		tw = tcpw_compat_lookup6(net, h, &t->daddr.v6, htons(t->dport),
					 &t->saddr.v6, t->sport, dif);
#endif
	rcu_read_unlock();
	if (tw && tw->sk_state != TCP_TIME_WAIT) {
		sock_gen_put(tw);
		tw = NULL;
	}
	return tw;
}

static void tcpw_timewait_exit(struct tcpw_entry *e, u64 now);

/*
 * Whether a socket closing from @old may have left a timewait sock: the
 * kernel makes one (tcp_time_wait()) only from FIN_WAIT2 and CLOSING;
 * FIN_WAIT1, one step before, is included to be safe.
 */
static bool tcpw_may_timewait(int old)
{
	return (1 << old) & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | TCPF_CLOSING);
}

/*
 * @e (unhashed) belongs to a socket that just reached CLOSE.  If the
 * kernel replaced the socket with a timewait sock, @e follows it there;
 * otherwise the socket's life is over.  @wanted: tcpw_event_wanted().
 */
static void tcpw_close(const struct sock *sk, struct tcpw_entry *e, u64 now,
		       bool wanted)
{
	struct tcpw_net *tn = e->tn;
	struct tcpw_entry *stale;
	struct tcpw_bucket *b;
	struct sock *tw = NULL;
	long left;

	if (tcpw_may_timewait(e->state))
		tw = tcpw_find_timewait(tn->net, &e->t, sk->sk_bound_dev_if);
	if (!tw) {
		tcpw_closed_push(e, now);
		return;
	}
	left = (long)(READ_ONCE(inet_twsk(tw)->tw_timer.expires) - jiffies);
	e->key = (unsigned long)tw;
	e->timewait = 1;
	e->state = READ_ONCE(inet_twsk(tw)->tw_substate);
	e->tw_expire_ns = now + (left > 0 ? jiffies_to_nsecs(left) : 0);

	b = tcpw_bucket_of(e->key);
	spin_lock_bh(&b->lock);
	stale = tcpw_find(b, e->key);	/* an expired timewait sock GC missed */
	if (stale)
		tcpw_unlink(b, stale);
	tcpw_link(b, e);
	spin_unlock_bh(&b->lock);
	this_cpu_inc(tn->stats->tw_entered);
	if (wanted)
		tcpw_record_event(e, TCPWATCH_EV_TW_ENTER, TCP_CLOSE, e->state,
				  0);
	sock_gen_put(tw);
	if (stale)
		tcpw_timewait_exit(stale, now);
}

/*
 * The probe's bucket lock.  In softirq context, or with BH already off,
 * no softirq can take it on this CPU, so the plain lock does: most state
 * changes happen there, and the BH toggles were a tenth of the cost.
 */
static bool tcpw_bucket_lock(struct tcpw_bucket *b)
	__acquires(&b->lock)
{
	if (in_softirq()) {
		spin_lock(&b->lock);
		return false;
	}
	spin_lock_bh(&b->lock);
	return true;
}

/* @bh: what tcpw_bucket_lock() returned */
static void tcpw_bucket_unlock(struct tcpw_bucket *b, bool bh)
	__releases(&b->lock)
{
	if (bh)
		spin_unlock_bh(&b->lock);
	else
		spin_unlock(&b->lock);
}

/* ... and of a socket without one (no memory, or the end of one missed). */
static noinline void tcpw_state_event_sk(struct tcpw_net *tn,
					 const struct sock *sk, int old,
					 int new)
{
	struct tcpw_tuple t;

	tcpw_tuple_from_sk(sk, &t);
	tcpw_event(tn->net, TCPWATCH_EV_STATE, &t, 0, old, new, 0, 0, "");
}

/*
 * tcpw_track_transition() - record a state change of a TCP socket
 * @tn: the socket's netns
 * @sk: the socket, valid only during this call
 * @old: state before
 * @new: state after
 * @now: ktime_get_ns() of the change
 */
static void tcpw_track_transition(struct tcpw_net *tn, const struct sock *sk,
				  int old, int new, u64 now)
{
	unsigned long key = (unsigned long)sk;
	struct tcpw_bucket *b = tcpw_bucket_of(key);
	bool wanted = tcpw_event_wanted(tn->net);
	struct tcpw_entry *e, *gone = NULL;
	bool bh = tcpw_bucket_lock(b);

	e = tcpw_find(b, key);
	if (e && (e->state != old || e->timewait)) {
		/* memory of a socket whose end we missed: start afresh */
		tcpw_unlink(b, e);
		tcpw_entry_free(e);
		e = NULL;
	}
	if (!e && new != TCP_CLOSE) {
		e = tcpw_entry_alloc(tn, key);
		if (e) {
			bool fresh = old == TCP_CLOSE ||
				     (old == TCP_LISTEN && new == TCP_SYN_RECV);

			e->since_load = !fresh;
			e->entered_ns = fresh ? now : tcpw_load_ns;
			e->state = old;
			tcpw_link(b, e);
		}
	}
	if (e) {
		bool connect_known = e->transitions;
		u64 old_ns = tcpw_account(e, now);

		if (old == TCP_SYN_SENT && new == TCP_ESTABLISHED && connect_known)
			tcpw_khist_add(tn, TCPWATCH_HIST_CONNECT,
				       div_u64(old_ns, NSEC_PER_USEC));
		e->state = new;
		/* at CLOSE the port is already released: keep the last tuple */
		if (new != TCP_CLOSE)
			tcpw_tuple_from_sk(sk, &e->t);
		if (e->transitions < U16_MAX)
			e->transitions++;
		if (in_task() && (!e->pid || new == TCP_SYN_SENT ||
				  new == TCP_LISTEN))
			tcpw_set_owner(e);
		if (new == TCP_LISTEN)
			tcpw_lcount_get(e);
		/* under the lock: @e's fields are the change's */
		if (wanted)
			tcpw_record_event(e, TCPWATCH_EV_STATE, old, new,
					  old_ns);
		if (new == TCP_CLOSE) {
			tcpw_unlink(b, e);
			e->state = old;		/* the last state it lived in */
			gone = e;
		}
	} else if (wanted) {
		tcpw_state_event_sk(tn, sk, old, new);
	}
	tcpw_bucket_unlock(b, bh);

	if (gone)
		tcpw_close(sk, gone, now, wanted);
}

/**
 * tcpw_probe_set_state() - sock:inet_sock_set_state's probe
 * @data: unused
 * @sk: the socket, valid only during this call
 * @oldstate: state before
 * @newstate: state after
 *
 * Here, with tcpw_track_transition(), so that the compiler makes one
 * function of the two: it runs on every state change.
 */
void tcpw_probe_set_state(void *data, const struct sock *sk,
			  const int oldstate, const int newstate)
{
	struct tcpw_net *tn;
	u64 now;

	if (sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return;
	if (oldstate <= 0 || oldstate >= TCPWATCH_NSTATES ||
	    newstate <= 0 || newstate >= TCPWATCH_NSTATES)
		return;
	now = ktime_get_ns();
	/*
	 * Not every kernel calls tracepoints with preemption off (7.2: SRCU):
	 * the netns's data and records read after unlocking need this.
	 */
	rcu_read_lock();
	tn = tcpw_net_rcu(sock_net(sk));
	this_cpu_inc(tn->stats->trans[oldstate][newstate]);
	if (newstate == TCP_CLOSE)
		tcpw_close_sample(tn, sk, oldstate);
	tcpw_track_transition(tn, sk, oldstate, newstate, now);
	rcu_read_unlock();
}

/* Walk visitor at load: a record for every socket that already exists. */
int tcpw_track_seed(struct sock *sk, void *unused)
{
	unsigned long key = (unsigned long)sk;
	struct tcpw_bucket *b = tcpw_bucket_of(key);
	struct tcpw_net *tn = tcpw_net(sock_net(sk));
	struct tcpw_entry *e;

	/* skip request socks, and netns being set up or torn down */
	if (sk->sk_state == TCP_NEW_SYN_RECV || tn->net != sock_net(sk) ||
	    list_empty(&tn->list))
		return 0;
	spin_lock_bh(&b->lock);
	if (tcpw_find(b, key))
		goto out;
	e = tcpw_entry_alloc(tn, key);
	if (!e)
		goto out;
	tcpw_tuple_from_sk(sk, &e->t);
	e->since_load = 1;
	e->entered_ns = tcpw_load_ns;
	e->state = sk->sk_state;
	if (sk->sk_state == TCP_LISTEN)
		tcpw_lcount_get(e);
	if (sk->sk_state == TCP_TIME_WAIT) {
		const struct inet_timewait_sock *tw = inet_twsk(sk);
		long left = (long)(READ_ONCE(tw->tw_timer.expires) - jiffies);

		e->timewait = 1;
		e->state = READ_ONCE(tw->tw_substate);
		e->tw_expire_ns = tcpw_load_ns +
				  (left > 0 ? jiffies_to_nsecs(left) : 0);
	}
	tcpw_link(b, e);
out:
	spin_unlock_bh(&b->lock);
	return 0;
}

/*
 * A timewait sock in FIN_WAIT2 moves to TIME_WAIT on the peer's FIN with
 * no tracepoint.  Its timer is then re-armed to TCP_TIMEWAIT_LEN, which
 * dates the change (to the last re-arm: a duplicate segment re-arms it
 * too).  Called with @e's bucket lock held; @sk is @e's timewait sock.
 */
static void tcpw_tw_substate(struct tcpw_entry *e, const struct sock *sk,
			     u64 now)
{
	const struct inet_timewait_sock *tw = inet_twsk(sk);
	u8 sub = READ_ONCE(tw->tw_substate);
	long left = (long)(READ_ONCE(tw->tw_timer.expires) - jiffies);
	u64 at = now;

	if (sub == e->state)
		return;
	/* left < 0: killed by its expired timer, TCP_TIMEWAIT_LEN after */
	if (sub == TCP_TIME_WAIT && left <= TCP_TIMEWAIT_LEN)
		at = now - min_t(u64, now,
				 jiffies_to_nsecs(TCP_TIMEWAIT_LEN - left));
	tcpw_account(e, max(at, e->entered_ns));
	e->state = sub;
	e->tw_expire_ns = now + (left > 0 ? jiffies_to_nsecs(left) : 0);
	if (e->transitions < U16_MAX)
		e->transitions++;
}

/* As above, from a reader (dump, GC) under the timewait sock's ehash lock. */
static void tcpw_tw_sync(struct tcpw_entry *e, const struct sock *sk, u64 now)
{
	struct tcpw_bucket *b = tcpw_bucket_of(e->key);

	if (READ_ONCE(inet_twsk(sk)->tw_substate) == READ_ONCE(e->state))
		return;
	spin_lock_bh(&b->lock);
	if (tcpw_find(b, e->key) == e)
		tcpw_tw_substate(e, sk, now);
	spin_unlock_bh(&b->lock);
}

/* Copy @sk's record into @r; called under @sk's hash bucket lock. */
void tcpw_track_join(const struct sock *sk, struct tcpw_row *r, u64 now)
{
	bool is_tw = sk->sk_state == TCP_TIME_WAIT;
	struct tcpw_entry *e;
	u64 entered;

	rcu_read_lock();
	e = tcpw_find(tcpw_bucket_of((unsigned long)sk), (unsigned long)sk);
	if (!e || e->timewait != is_tw) {
		rcu_read_unlock();
		r->since_load = 1;
		r->in_state_ns = now - tcpw_load_ns;
		r->lifetime_ns = r->in_state_ns;
		return;
	}
	if (is_tw)
		tcpw_tw_sync(e, sk, now);
	entered = READ_ONCE(e->entered_ns);
	tcpw_row_from_entry(r, e, now);
	r->in_state_ns = now > entered ? now - entered : 0;
	if (r->state > 0 && r->state < TCPWATCH_NSTATES)
		r->state_ns[r->state - 1] += r->in_state_ns;
	rcu_read_unlock();
}

/*
 * @listener's counters, under rcu_read_lock(); NULL if it has none.  No
 * lock: a listener's state is LISTEN from before it is hashed, where SYNs
 * find it, until it closes, and its record holds counters (not a timewait
 * expiry) all that time.
 */
static struct tcpw_lcount *tcpw_lcount_of(const struct sock *listener)
{
	unsigned long key = (unsigned long)listener;
	struct tcpw_bucket *b = tcpw_bucket_of(key);
	struct tcpw_lcount *lc = NULL;
	struct tcpw_entry *e;
	unsigned long flags;

	e = tcpw_find(b, key);
	if (!e || READ_ONCE(e->state) != TCP_LISTEN)
		return NULL;
	/* pairs with tcpw_lcount_get()'s store: zeroed counters */
	lc = smp_load_acquire(&e->ls);
	if (lc)
		return lc;
	/*
	 * No memory for them at listen(): try again, under the lock.
	 * irqsave: callers include kprobe handlers in process context, where
	 * a _bh unlock could run softirqs inside the handler, whose kprobes
	 * would be missed.
	 */
	spin_lock_irqsave(&b->lock, flags);
	if (tcpw_find(b, key) == e)
		lc = tcpw_lcount_get(e);
	spin_unlock_irqrestore(&b->lock, flags);
	return lc;
}

/* A reader's copy of a listener's counters. */
static void tcpw_lcount_read(const struct tcpw_lcount *lc,
			     struct tcpw_lstats *ls)
{
	const atomic64_t *src = (const atomic64_t *)lc;
	u64 *dst = (u64 *)ls;
	unsigned int i;

	for (i = 0; i < sizeof(*ls) / sizeof(u64); i++)
		dst[i] = atomic64_read(&src[i]);
}

/* Copy a listener's record into @r; called under its lhash2 bucket lock. */
void tcpw_track_join_listener(const struct sock *sk, struct tcpw_lrow *r,
			      struct tcpw_lstats *copy)
{
	const struct tcpw_entry *e;
	unsigned int i;

	rcu_read_lock();
	e = tcpw_find(tcpw_bucket_of((unsigned long)sk), (unsigned long)sk);
	if (e && e->state == TCP_LISTEN && !e->timewait) {
		/* pairs with tcpw_lcount_get()'s store: zeroed counters */
		const struct tcpw_lcount *lc = smp_load_acquire(&e->ls);

		r->tracked = 1;
		r->since_load = e->since_load;
		r->pid = e->pid;
		memcpy(r->comm, e->comm, sizeof(r->comm));
		if (lc) {
			r->hs_valid = 1;
			r->synack_retrans = atomic64_read(&lc->synack_retrans);
			for (i = 0; i < TCPW_HS_N; i++)
				r->hs[i] = atomic64_read(&lc->hs[i]);
			if (copy)
				tcpw_lcount_read(lc, copy);
		}
	} else {
		r->since_load = 1;
	}
	rcu_read_unlock();
}

static void tcpw_lcount_hist(struct tcpw_lcount *lc, int kind, u64 v)
{
	atomic64_inc(&lc->hist[kind][tcpw_hist_slot(v)]);
	atomic64_add(v, &lc->hist_sum[kind]);
}

/* tcp:tcp_retransmit_synack, for the request's listener */
void tcpw_track_synack_retrans(const struct sock *listener)
{
	struct tcpw_lcount *lc;

	this_cpu_inc(tcpw_net(sock_net(listener))->stats->synack_retrans);
	rcu_read_lock();
	lc = tcpw_lcount_of(listener);
	if (lc)
		atomic64_inc(&lc->synack_retrans);
	rcu_read_unlock();
}

/**
 * tcpw_track_handshake() - count a handshake event of a listener
 * @listener: the listening socket, valid during this call
 * @counter: enum tcpw_hs
 * @n: how many
 */
void tcpw_track_handshake(const struct sock *listener, int counter, u64 n)
{
	struct tcpw_lcount *lc;

	if (!n)
		return;
	this_cpu_add(tcpw_net(sock_net(listener))->stats->hs[counter], n);
	rcu_read_lock();
	lc = tcpw_lcount_of(listener);
	if (lc)
		atomic64_add(n, &lc->hs[counter]);
	rcu_read_unlock();
}

/* A handshake histogram sample of one listener, and of its netns. */
void tcpw_track_listener_hist(const struct sock *listener, int kind, u64 v)
{
	struct tcpw_lcount *lc;

	tcpw_khist_add(tcpw_net(sock_net(listener)), kind, v);
	if (kind <= TCPWATCH_HIST_CONNECT || kind >= TCPW_NKINDS)
		return;
	rcu_read_lock();
	lc = tcpw_lcount_of(listener);
	if (lc)
		tcpw_lcount_hist(lc, kind, v);
	rcu_read_unlock();
}

/**
 * tcpw_track_completed() - a request of @listener became a connection
 * @listener: the listening socket, valid during this call
 * @timed: whether @halfopen_us is known
 * @halfopen_us: the request's life, from its first SYN-ACK
 * @synack_retrans: SYN-ACKs it retransmitted
 *
 * The counter and the two histograms tcp_check_req()'s probe feeds, in
 * one look-up of the listener's record.
 */
void tcpw_track_completed(const struct sock *listener, bool timed,
			  u64 halfopen_us, u32 synack_retrans)
{
	struct tcpw_net *tn = tcpw_net(sock_net(listener));
	struct tcpw_lcount *lc;

	this_cpu_inc(tn->stats->hs[TCPW_HS_COMPLETED]);
	if (timed)
		tcpw_khist_add(tn, TCPWATCH_HIST_HALFOPEN_DONE, halfopen_us);
	tcpw_khist_add(tn, TCPWATCH_HIST_SYNACK_RETRANS, synack_retrans);
	rcu_read_lock();
	lc = tcpw_lcount_of(listener);
	if (lc) {
		atomic64_inc(&lc->hs[TCPW_HS_COMPLETED]);
		if (timed)
			tcpw_lcount_hist(lc, TCPWATCH_HIST_HALFOPEN_DONE,
					 halfopen_us);
		tcpw_lcount_hist(lc, TCPWATCH_HIST_SYNACK_RETRANS,
				 synack_retrans);
	}
	rcu_read_unlock();
}

/* accept() took @child off the accept queue, where it waited since birth */
void tcpw_track_accepted(const struct sock *listener, const struct sock *child)
{
	const struct tcpw_entry *e;
	u64 now = ktime_get_ns();

	rcu_read_lock();
	e = tcpw_find(tcpw_bucket_of((unsigned long)child),
		      (unsigned long)child);
	if (e && !e->since_load && listener) {
		u64 born = tcpw_born_ns(e);

		if (now > born)
			tcpw_track_listener_hist(listener,
						 TCPWATCH_HIST_ACCEPT_WAIT,
						 div_u64(now - born,
							 NSEC_PER_USEC));
	}
	rcu_read_unlock();
}

/* tcp:tcp_retransmit_skb of a SYN, from a connecting socket */
void tcpw_track_syn_retrans(const struct sock *sk)
{
	unsigned long key = (unsigned long)sk;
	struct tcpw_bucket *b = tcpw_bucket_of(key);
	struct tcpw_entry *e;

	this_cpu_inc(tcpw_net(sock_net(sk))->stats->syn_retrans);
	spin_lock_bh(&b->lock);
	e = tcpw_find(b, key);
	if (e && e->state == TCP_SYN_SENT && e->syn_retrans < U8_MAX)
		e->syn_retrans++;
	spin_unlock_bh(&b->lock);
}

/* A socket's transmit counters, made on first use; under its bucket lock. */
static struct tcpw_xstats *tcpw_xstats(struct tcpw_entry *e)
{
	if (e->timewait)
		return NULL;
	if (!e->xs) {
		e->xs = kzalloc(sizeof(*e->xs), GFP_ATOMIC | __GFP_NOWARN);
		if (!e->xs)
			this_cpu_inc(tcpw_drops);
	}
	return e->xs;
}

/**
 * tcpw_track_xcount() - add to one of a socket's transmit counters
 * @sk: the socket, valid during this call
 * @field: offset of the u32 in struct tcpw_xcount
 * @n: how many
 *
 * irqsave, as tcpw_lcount_of(): kretprobe handlers call this.
 *
 * Return: tcpwatch's id of the socket, 0 if it is not tracked.
 */
u64 tcpw_track_xcount(const struct sock *sk, size_t field, u32 n)
{
	struct tcpw_bucket *b = tcpw_bucket_of((unsigned long)sk);
	struct tcpw_xstats *xs;
	struct tcpw_entry *e;
	unsigned long flags;
	u64 id = 0;

	spin_lock_irqsave(&b->lock, flags);
	e = tcpw_find(b, (unsigned long)sk);
	xs = e ? tcpw_xstats(e) : NULL;
	if (xs) {
		*(u32 *)((char *)&xs->c + field) += n;
		id = e->id;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return id;
}

/* tcp:tcp_retransmit_skb: one more retransmission of @cause. */
u64 tcpw_track_retrans(const struct sock *sk, int cause)
{
	this_cpu_inc(tcpw_net(sock_net(sk))->stats->retrans[cause]);
	return tcpw_track_xcount(sk, offsetof(struct tcpw_xcount, retrans) +
				 cause * sizeof(u32), 1);
}

/**
 * tcpw_track_window() - the window log's decision for one sample
 * @sk: a socket the filter matched, valid during this call
 * @l: its windows now
 * @interval_ns: at most one sample per socket per interval
 * @send: set when the sample is to be sent
 *
 * A change seen within the interval after the last sample is counted as
 * dropped; the next sample sent carries the values of its moment.
 *
 * Return: tcpwatch's id of the socket, 0 if it is not tracked.
 */
u64 tcpw_track_window(const struct sock *sk, const struct tcpw_live *l,
		      u64 interval_ns, bool *send)
{
	struct tcpw_bucket *b = tcpw_bucket_of((unsigned long)sk);
	const u32 now_w[4] = { l->cwnd, l->ssthresh, l->snd_wnd, l->rcv_wnd };
	struct tcpw_net *tn = tcpw_net(sock_net(sk));
	struct tcpw_xstats *xs;
	struct tcpw_entry *e;
	unsigned long flags;
	u64 id = 0, now;

	*send = false;
	spin_lock_irqsave(&b->lock, flags);
	e = tcpw_find(b, (unsigned long)sk);
	xs = e ? tcpw_xstats(e) : NULL;
	if (!xs || !memcmp(xs->wl_seen, now_w, sizeof(now_w)))
		goto out;
	id = e->id;
	memcpy(xs->wl_seen, now_w, sizeof(now_w));
	now = ktime_get_ns();
	if (xs->wl_sent_ns && now - xs->wl_sent_ns < interval_ns) {
		this_cpu_inc(tn->stats->wl_drops);
		goto out;
	}
	xs->wl_sent_ns = now;
	*send = true;
out:
	spin_unlock_irqrestore(&b->lock, flags);
	return id;
}

/* A timewait record whose sock is gone: expired, reused or reset. */
static void tcpw_timewait_exit(struct tcpw_entry *e, u64 now)
{
	u64 end = e->tw_expire_ns && e->tw_expire_ns < now ?
		  e->tw_expire_ns : now;
	struct tcpw_net *tn = e->tn;
	u64 ns;

	ns = tcpw_account(e, end);
	this_cpu_inc(tn->stats->tw_exited);
	if (tcpw_event_wanted(tn->net))
		tcpw_record_event(e, TCPWATCH_EV_TW_EXIT, e->state, TCP_CLOSE,
				  ns);
	tcpw_closed_push(e, end);
}

/**
 * tcpw_track_tw_gone() - a timewait sock leaves the kernel's tables
 * @sk: the timewait sock; its killer holds a reference for this call
 *
 * From the inet_twsk_kill kprobe (timewait.c), BHs off.  The record first
 * catches up with a FIN_WAIT2 -> TIME_WAIT change no reader saw, so the
 * exit names the state the sock died in.  A sock killed between
 * tcpw_close()'s lookup and its insert is missed here: GC sweeps that
 * record later.
 */
void tcpw_track_tw_gone(const struct sock *sk)
{
	unsigned long key = (unsigned long)sk;
	struct tcpw_bucket *b = tcpw_bucket_of(key);
	u64 now = ktime_get_ns();
	struct tcpw_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	e = tcpw_find(b, key);
	if (e && e->timewait) {
		tcpw_tw_substate(e, sk, now);
		tcpw_unlink(b, e);
	} else {
		e = NULL;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	if (e)
		tcpw_timewait_exit(e, now);
}

static int tcpw_gc_mark(struct sock *sk, void *arg)
{
	struct tcpw_entry *e;

	rcu_read_lock();
	e = tcpw_find(tcpw_bucket_of((unsigned long)sk), (unsigned long)sk);
	if (e) {
		WRITE_ONCE(e->seen, (u8)tcpw_gc_gen);
		if (e->timewait && sk->sk_state == TCP_TIME_WAIT)
			tcpw_tw_sync(e, sk, ktime_get_ns());
	}
	rcu_read_unlock();
	return 0;
}

/* Visit every socket of every netns once; caller holds tcpw_nets_lock. */
static void tcpw_visit_all_sockets(tcpw_visit_t visit)
{
	struct tcpw_net *tn, *prev;

	list_for_each_entry(tn, &tcpw_nets, list) {
		struct inet_hashinfo *h = tcpw_hashinfo(tn->net);
		struct tcpw_cursor c = {};
		bool dup = false;

		/* netns share the global table unless tcp_child_ehash_entries */
		list_for_each_entry(prev, &tcpw_nets, list) {
			if (prev == tn)
				break;
			if (tcpw_hashinfo(prev->net) == h) {
				dup = true;
				break;
			}
		}
		if (!dup)
			tcpw_walk(h, &c, visit, NULL);
	}
}

/*
 * Unlink every record @gone() picks, bucket by bucket under each lock.
 * Return: them, linked through gc_next (not e->next: a reader may stand
 * on a record until a grace period has passed).
 */
static struct tcpw_entry *tcpw_sweep(bool (*gone)(const struct tcpw_entry *e,
						  const void *arg),
				     const void *arg)
{
	struct tcpw_entry *e, *dead = NULL;
	unsigned int i;

	for (i = 0; i <= tcpw_table_mask; i++) {
		struct tcpw_bucket *b = &tcpw_table[i];
		struct tcpw_entry __rcu **pp = &b->head;

		if (tcpw_bucket_empty(b))
			continue;
		spin_lock_bh(&b->lock);
		while (!tcpw_is_nulls(e = rcu_dereference_protected(*pp, true))) {
			if (!gone(e, arg)) {
				pp = &e->next;
				continue;
			}
			tcpw_unlink_at(pp);
			e->gc_next = dead;
			dead = e;
		}
		spin_unlock_bh(&b->lock);
	}
	return dead;
}

/* GC: unseen by this pass, and not just made (@arg: the pass's start) */
static bool tcpw_gc_gone(const struct tcpw_entry *e, const void *arg)
{
	return READ_ONCE(e->seen) != (u8)tcpw_gc_gen &&
	       e->entered_ns + TCPW_GC_GRACE_NS <= *(const u64 *)arg;
}

static void tcpw_gc_fn(struct work_struct *work)
{
	u64 start = ktime_get_ns();
	struct tcpw_entry *e, *dead;

	mutex_lock(&tcpw_nets_lock);
	WRITE_ONCE(tcpw_gc_gen, tcpw_gc_gen + 1);
	tcpw_visit_all_sockets(tcpw_gc_mark);
	dead = tcpw_sweep(tcpw_gc_gone, &start);
	while (dead) {
		e = dead;
		dead = e->gc_next;
		if (e->timewait) {
			tcpw_timewait_exit(e, ktime_get_ns());
		} else {
			/* freed without a state change we saw: keep its story */
			tcpw_closed_push(e, ktime_get_ns());
		}
	}
	mutex_unlock(&tcpw_nets_lock);
	schedule_delayed_work(&tcpw_gc_work,
			      msecs_to_jiffies(tcpw_gc_interval_ms(tcpw_timewait_hooked())));
}

static bool tcpw_in_net(const struct tcpw_entry *e, const void *net)
{
	return e->tn->net == net;
}

/* Called with tcpw_nets_lock held, from the netns exit path. */
void tcpw_track_purge_net(struct net *net)
{
	struct tcpw_entry *e, *dead = tcpw_sweep(tcpw_in_net, net);

	while (dead) {
		e = dead;
		dead = e->gc_next;
		tcpw_entry_free(e);
	}
}

void tcpw_gc_start(void)
{
	mutex_lock(&tcpw_nets_lock);
	tcpw_visit_all_sockets(tcpw_track_seed);
	mutex_unlock(&tcpw_nets_lock);
	schedule_delayed_work(&tcpw_gc_work,
			      msecs_to_jiffies(tcpw_gc_interval_ms(tcpw_timewait_hooked())));
}

void tcpw_gc_stop(void)
{
	cancel_delayed_work_sync(&tcpw_gc_work);
}

/**
 * tcpw_closed_next() - the next closed-ring record of one netns
 * @net: the reader's netns
 * @f: filter
 * @seq: cursor: records pushed before it are skipped; advanced past the
 *	record returned.  Start from 0.
 * @row: the record
 *
 * Return: true if a record was copied into @row.
 */
bool tcpw_closed_next(struct net *net, const struct tcpw_filter *f, u64 *seq,
		      struct tcpw_row *row)
{
	u64 head = atomic64_read(&tcpw_ring_head);
	u64 cookie = tcpw_compat_net_cookie(net);
	u64 i = head > tcpw_close_ring ? head - tcpw_close_ring : 0;

	for (i = max(i, *seq); i < head; i++) {
		struct tcpw_closed *c = &tcpw_ring[i % tcpw_close_ring];
		bool found;

		spin_lock_bh(&c->lock);
		if (c->seq <= i) {
			/* taken but not written yet: the next call sees it */
			spin_unlock_bh(&c->lock);
			break;
		}
		/* a later push overwrote it: skipped */
		found = c->seq == i + 1 && c->net_cookie == cookie;
		if (found) {
			tcpw_closed_row(c, row);
			found = tcpw_filter_match(f, row);
		}
		spin_unlock_bh(&c->lock);
		if (found) {
			*seq = i + 1;
			return true;
		}
	}
	*seq = i;
	return false;
}

int tcpw_track_init(void)
{
	unsigned int i, n = roundup_pow_of_two(max(tcpw_max_sockets / 2, 1024U));

	/*
	 * issue budget: at most 256 bytes per tracked socket, all told: 18
	 * records of 224 bytes fit a 4 KiB slab page (228 bytes each), and a
	 * 16-byte bucket serves two records at the cap
	 */
	BUILD_BUG_ON(sizeof(struct tcpw_entry) > 224);

	tcpw_entry_cache = KMEM_CACHE(tcpw_entry, TCPW_COMPAT_SLAB_NO_MERGE);
	if (!tcpw_entry_cache)
		return -ENOMEM;
	tcpw_table = kvcalloc(n, sizeof(*tcpw_table), GFP_KERNEL);
	tcpw_ring = kvcalloc(tcpw_close_ring, sizeof(*tcpw_ring), GFP_KERNEL);
	if (!tcpw_table || !tcpw_ring) {
		kvfree(tcpw_table);
		kvfree(tcpw_ring);
		kmem_cache_destroy(tcpw_entry_cache);
		return -ENOMEM;
	}
	tcpw_table_mask = n - 1;
	for_each_possible_cpu(i)
		spin_lock_init(&per_cpu_ptr(&tcpw_pool, i)->lock);
	for (i = 0; i < tcpw_close_ring; i++)
		spin_lock_init(&tcpw_ring[i].lock);
	for (i = 0; i < n; i++) {
		spin_lock_init(&tcpw_table[i].lock);
		RCU_INIT_POINTER(tcpw_table[i].head, tcpw_nulls(&tcpw_table[i]));
	}
	return 0;
}

/* After every netns was purged and no probe or reader can run. */
void tcpw_track_exit(void)
{
	unsigned int i;

	rcu_barrier();
	for (i = 0; i < tcpw_close_ring; i++)
		if (tcpw_ring[i].e)
			tcpw_entry_destroy(tcpw_ring[i].e);
	tcpw_pool_drain();
	WARN_ON(atomic_read(&tcpw_count));
	kvfree(tcpw_table);
	kvfree(tcpw_ring);
	kmem_cache_destroy(tcpw_entry_cache);
}
