/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, in one place.  Supported: 6.1 to 6.12.
 * Each block names the kernel change that made it necessary.
 */
#ifndef _TCPWATCH_COMPAT_H
#define _TCPWATCH_COMPAT_H

#include <linux/version.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "tcpwatch supports Linux 6.1 and later"
#endif

/*
 * 6.1 "tcp: Introduce optional per-netns ehash": each netns points at
 * the hash table it uses (the global one unless tcp_child_ehash_entries
 * was set), and tcp_hashinfo is no longer exported in later kernels.
 */
static inline struct inet_hashinfo *tcpw_compat_hashinfo(const struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

/*
 * 5.19 "inet: remove the listening_hash" left listeners only in lhash2,
 * one bucket each, guarded by a spinlock.
 */
#define tcpw_compat_lhash_size(h)		((h)->lhash2_mask + 1)
#define tcpw_compat_lhash_lock(h, i)	(&(h)->lhash2[i].lock)
#define tcpw_compat_lhash_head(h, i)	(&(h)->lhash2[i].nulls_head)

/*
 * When the retransmission (or probe) timer fires.  6.1 and 6.12 keep it
 * in icsk_timeout; later kernels drop that field for the timer's own
 * expiry ("tcp: remove icsk->icsk_timeout").
 */
static inline unsigned long
tcpw_compat_icsk_timeout(const struct inet_connection_sock *icsk)
{
	return READ_ONCE(icsk->icsk_timeout);
}

#endif /* _TCPWATCH_COMPAT_H */
