/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, in one place.  Built and tested on Debian's
 * 5.10 (bullseye), 6.1 (bookworm), 6.12 (bookworm-backports) and 7.2
 * (sid).  Each block is keyed by the release that made it necessary and
 * names that change; each release was checked against netdev's records:
 * the net-next pull request for that release, or when the change was
 * applied to net-next.  The four kernels above are built by setup; the
 * branch for 6.15 to 6.18 below was built and tested by hand on
 * trixie-backports' 6.18.15 (README: Kernels), and 6.15 to 6.17 on none.
 */
#ifndef _TCPWATCH_COMPAT_H
#define _TCPWATCH_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/tcp.h>

#if KERNEL_VERSION(5, 10, 0) > LINUX_VERSION_CODE
#error "tcpwatch supports Linux 5.10 and later"
#endif

/*
 * The record cache is kept apart from other 256-byte caches so that
 * slabinfo shows tcpwatch's own memory and rmmod removes the cache's name
 * (a merged cache leaves its alias behind): SLAB_NO_MERGE came in 6.5 "mm/slab:
 * introduce kmem_cache flag SLAB_NO_MERGE"; before it the cache may merge.
 */
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#define TCPW_COMPAT_SLAB_NO_MERGE	SLAB_NO_MERGE
#else
#define TCPW_COMPAT_SLAB_NO_MERGE	0
#endif

/*
 * The hash table of a netns.  Every kernel supported has the pointer in
 * tcp_death_row: 5.10 sets it to &tcp_hashinfo for every netns, and 6.1
 * "tcp: Introduce optional per-netns ehash" may give a netns its own
 * table; tcp_hashinfo is no longer exported in later kernels.
 */
static inline struct inet_hashinfo *tcpw_compat_hashinfo(const struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

/*
 * Listeners.  5.19 "net: inet: Retire port only listening_hash" left them
 * in lhash2 only, chained by sk_nulls_node, one spinlock per bucket.
 * Before it, lhash2 chains them through icsk_listen_portaddr_node (not a
 * nulls list), and every listener is also in listening_hash, by port, on
 * sk_nulls_node under the bucket's spinlock: the table 5.10's inet_diag
 * walks, and so does tcpwatch there.
 */
#if KERNEL_VERSION(5, 19, 0) > LINUX_VERSION_CODE
#define tcpw_compat_lhash_size(h)	INET_LHTABLE_SIZE
#define tcpw_compat_lhash_lock(h, i)	(&(h)->listening_hash[i].lock)
#define tcpw_compat_lhash_head(h, i)	(&(h)->listening_hash[i].nulls_head)
#else
#define tcpw_compat_lhash_size(h)	((h)->lhash2_mask + 1)
#define tcpw_compat_lhash_lock(h, i)	(&(h)->lhash2[i].lock)
#define tcpw_compat_lhash_head(h, i)	(&(h)->lhash2[i].nulls_head)
#endif

/*
 * Established and timewait lookup.  6.18 "tcp: Don't pass hashinfo to
 * socket lookup helpers." made __inet_lookup_established() and
 * __inet6_lookup_established() find the table from @net, without their
 * hashinfo argument.
 */
static inline struct sock *
tcpw_compat_lookup4(struct net *net, struct inet_hashinfo *h, __be32 saddr,
		    __be16 sport, __be32 daddr, u16 hnum, int dif)
{
#if KERNEL_VERSION(6, 18, 0) <= LINUX_VERSION_CODE
	return __inet_lookup_established(net, saddr, sport, daddr, hnum, dif, 0);
#else
	return __inet_lookup_established(net, h, saddr, sport, daddr, hnum,
					 dif, 0);
#endif
}

#if IS_ENABLED(CONFIG_IPV6)
static inline struct sock *
tcpw_compat_lookup6(struct net *net, struct inet_hashinfo *h,
		    const struct in6_addr *saddr, __be16 sport,
		    const struct in6_addr *daddr, u16 hnum, int dif)
{
#if KERNEL_VERSION(6, 18, 0) <= LINUX_VERSION_CODE
	return __inet6_lookup_established(net, saddr, sport, daddr, hnum, dif,
					  0);
#else
	return __inet6_lookup_established(net, h, saddr, sport, daddr, hnum,
					  dif, 0);
#endif
}
#endif

/*
 * A netns's identity for records that outlive its sockets (the closed
 * ring).  5.12 "net: initialize net->net_cookie at netns setup" made
 * net_cookie a u64 set at creation.  5.10 has an atomic64_t that
 * __net_gen_cookie() fills on first use and does not export: there
 * tcpwatch numbers each netns itself, at pernet init (main.c).
 */
#if KERNEL_VERSION(5, 12, 0) <= LINUX_VERSION_CODE
static inline u64 tcpw_compat_net_cookie(const struct net *net)
{
	return net->net_cookie;
}
#else
#define TCPW_OWN_NET_COOKIE
u64 tcpw_compat_net_cookie(const struct net *net);
#endif

/*
 * The first SYN-ACK's timeout.  5.18 "tcp: Use BPF timeout setting for
 * SYN ACK RTO" keeps it per request in req->timeout; before it,
 * reqsk_timer_handler() always starts from TCP_TIMEOUT_INIT.
 */
static inline unsigned long
tcpw_compat_req_timeout(const struct request_sock *req)
{
#if KERNEL_VERSION(5, 18, 0) <= LINUX_VERSION_CODE
	return req->timeout;
#else
	return TCP_TIMEOUT_INIT;
#endif
}

/*
 * tcp_check_req() marks a request that MPTCP refused in
 * tcp_rsk(req)->drop_req, a field that exists only with CONFIG_MPTCP
 * (off in Debian's 5.10).
 */
static inline bool tcpw_compat_req_dropped(const struct request_sock *req)
{
#if IS_ENABLED(CONFIG_MPTCP)
	return tcp_rsk(req)->drop_req;
#else
	return false;
#endif
}

/*
 * The congestion window.  5.19 "tcp: add accessors to read/set
 * tp->snd_cwnd" added tcp_snd_cwnd(); 5.10 reads the field.
 */
static inline u32 tcpw_compat_snd_cwnd(const struct tcp_sock *tp)
{
#if KERNEL_VERSION(5, 19, 0) <= LINUX_VERSION_CODE
	return tcp_snd_cwnd(tp);
#else
	return READ_ONCE(tp->snd_cwnd);
#endif
}

/*
 * When the retransmission (or probe) timer fires: icsk_timeout until 6.15
 * "tcp/dccp: remove icsk->icsk_timeout" made icsk_timeout() read the
 * timer's own expiry; 6.19 "tcp: rename icsk_timeout() to
 * tcp_timeout_expires()".
 */
static inline unsigned long tcpw_compat_xmit_timeout(const struct sock *sk)
{
#if KERNEL_VERSION(6, 19, 0) <= LINUX_VERSION_CODE
	return tcp_timeout_expires(sk);
#elif KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE
	return icsk_timeout(inet_csk(sk));
#else
	return READ_ONCE(inet_csk(sk)->icsk_timeout);
#endif
}

/*
 * tcp:tcp_retransmit_skb.  6.17 "tcp: trace retransmit failures in
 * tcp_retransmit_skb" gave it the transmit's error, and it fires for
 * failed retransmissions too: tcpwatch counts only those sent, as the
 * kernel's RetransSegs does.  tcpw_compat_retransmit_probe is what to
 * attach.
 */
#if KERNEL_VERSION(6, 17, 0) <= LINUX_VERSION_CODE
/* tcpw_probe_retransmit() is in tcpwatch.h, included first. */
static inline void tcpw_probe_retransmit_err(void *data, const struct sock *sk,
					     const struct sk_buff *skb, int err)
{
	if (!err)
		tcpw_probe_retransmit(data, sk, skb);
}

#define tcpw_compat_retransmit_probe	tcpw_probe_retransmit_err
#else
#define tcpw_compat_retransmit_probe	tcpw_probe_retransmit
#endif

/*
 * A kretprobe handler's kretprobe.  5.10's kretprobe_instance points to it
 * (rp); 5.11 "kprobes: Remove kretprobe hash" replaced that with
 * get_kretprobe().  Not a netdev change: the release is the one
 * lttng-modules' kprobes wrapper cuts at, consistent with 5.10's and
 * 6.1's headers here.
 */
#if KERNEL_VERSION(5, 11, 0) > LINUX_VERSION_CODE
#define tcpw_compat_get_kretprobe(ri)	((ri)->rp)
#else
#define tcpw_compat_get_kretprobe(ri)	get_kretprobe(ri)
#endif

/*
 * accept().  Debian's 6.1 and later have __inet_accept(sock, newsock,
 * newsk), with the child as an argument; 5.10 has only inet_accept(sock,
 * newsock, flags, kern).  handshake.c tries the first and, if this kernel
 * has no such symbol, kretprobes the second (the release that split it is
 * not pinned down here, and 6.1's may be a stable backport).
 */

/*
 * A family's multicast-group join callback, bind(group), came with
 * "genetlink: Add per family bind/unbind callbacks" (posted February 2024,
 * in 6.9 by its date; 6.12's and 7.2's headers have it, 6.1's do not).
 * With it a reader's first events are never skipped (genl.c); without it
 * they start within a jiffy of the join.  An initializer of struct
 * genl_family.
 */
#if KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE
#define TCPW_COMPAT_GENL_BIND(fn)	.bind = (fn),
#else
#define TCPW_COMPAT_GENL_BIND(fn)
#endif

/*
 * Tracepoints some supported kernels lack (probes.c marks them optional):
 * the module loads without them and says so in dmesg and /proc/tcpwatch.
 * tcp:tcp_cong_state_set came with 5.19 "tcp: Add tracepoint for
 * tcp_set_ca_state": on 5.10 the undos and CA-state changes are
 * unavailable.
 */

#endif /* _TCPWATCH_COMPAT_H */
