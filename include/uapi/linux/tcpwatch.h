/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcpwatch: the generic netlink interface shared by tcpwatch.ko and the
 * tcpwatch CLI.  Documentation/netlink/specs/tcpwatch.yaml describes the
 * same family in the kernel's YNL format; keep the two in step.
 *
 * Conventions: ports are host byte order u16; addresses are 4 (IPv4) or
 * 16 (IPv6) raw bytes in network order; times are nanoseconds unless the
 * name says otherwise; states are the kernel's TCP_* numbers (1..12, with
 * 12 = NEW_SYN_RECV).
 */
#ifndef _UAPI_LINUX_TCPWATCH_H
#define _UAPI_LINUX_TCPWATCH_H

#include <linux/types.h>

#define TCPWATCH_GENL_NAME	"tcpwatch"
#define TCPWATCH_GENL_VERSION	1	/* bumped on incompatible change */
#define TCPWATCH_MCGRP_EVENTS	"events"

/* TCP states as numbered by the kernel (include/net/tcp_states.h). */
#define TCPWATCH_NSTATES	13	/* index 0 unused, 1..12 */

/* Histogram slots: slot i counts values v (in µs) with 2^(i-1) <= v < 2^i;
 * slot 0 counts v == 0; the last slot also counts every larger value.
 * Samples are completed stays: one is taken when a socket leaves a state.
 */
#define TCPWATCH_HIST_SLOTS	32

/**
 * enum tcpwatch_cmd - generic netlink commands of the tcpwatch family
 * @TCPWATCH_CMD_GET_STATS: do; replies with %TCPWATCH_A_VERSION,
 *	%TCPWATCH_A_ABI and a %TCPWATCH_A_STATS nest for the caller's netns.
 * @TCPWATCH_CMD_GET_SOCKETS: dump; one message per socket, each holding
 *	a %TCPWATCH_A_SOCK nest.  Optional request filters:
 *	%TCPWATCH_A_FILTER_STATES and %TCPWATCH_A_FILTER_PORT.
 * @TCPWATCH_CMD_EVENT: notification on the "events" multicast group,
 *	holding a %TCPWATCH_A_SOCK nest with the event attributes set.
 * @TCPWATCH_CMD_GET_CLOSED: dump; the ring of recently closed sockets of
 *	the caller's netns, oldest first, one %TCPWATCH_A_SOCK nest each
 *	(%TCPWATCH_SOCK_A_TIME_NS is the close time).  Takes the same filters;
 *	the state filter matches the last state before CLOSE.
 *
 * Dump replies carry the request's command.
 */
enum tcpwatch_cmd {
	TCPWATCH_CMD_UNSPEC,
	TCPWATCH_CMD_GET_STATS,
	TCPWATCH_CMD_GET_SOCKETS,
	TCPWATCH_CMD_EVENT,
	TCPWATCH_CMD_GET_CLOSED,

	__TCPWATCH_CMD_MAX,
};

#define TCPWATCH_CMD_MAX (__TCPWATCH_CMD_MAX - 1)

/* Top-level attributes. */
enum tcpwatch_attr {
	TCPWATCH_A_UNSPEC,
	TCPWATCH_A_PAD,
	TCPWATCH_A_VERSION,		/* string: module version */
	TCPWATCH_A_ABI,			/* u32: TCPWATCH_GENL_VERSION */
	TCPWATCH_A_STATS,		/* nest: enum tcpwatch_stats_attr */
	TCPWATCH_A_SOCK,		/* nest: enum tcpwatch_sock_attr */
	TCPWATCH_A_FILTER_STATES,	/* u32: bit (1 << state) per state */
	TCPWATCH_A_FILTER_PORT,		/* u16: local or remote port */

	__TCPWATCH_A_MAX,
};

#define TCPWATCH_A_MAX (__TCPWATCH_A_MAX - 1)

/* Inside TCPWATCH_A_STATS: counters for one network namespace. */
enum tcpwatch_stats_attr {
	TCPWATCH_STATS_A_UNSPEC,
	TCPWATCH_STATS_A_PAD,
	TCPWATCH_STATS_A_NETNS,		/* u32: netns inode number */
	TCPWATCH_STATS_A_UPTIME_NS,	/* u64: time since module load */
	TCPWATCH_STATS_A_TRACKED,	/* u32: sockets tracked, all netns */
	TCPWATCH_STATS_A_MAX_TRACKED,	/* u32: module parameter max_sockets */
	TCPWATCH_STATS_A_TRACK_DROPS,	/* u64: sockets not tracked (table full) */
	TCPWATCH_STATS_A_EVENTS_SENT,	/* u64: events delivered */
	TCPWATCH_STATS_A_EVENT_DROPS,	/* u64: events lost (nomem, full reader) */
	TCPWATCH_STATS_A_CLOSED_RING,	/* u32: ring size (param close_ring) */
	TCPWATCH_STATS_A_CLOSE_DROPS,	/* u64: closed records overwritten */
	TCPWATCH_STATS_A_STATE_COUNT,	/* binary: u32[TCPWATCH_NSTATES] now */
	TCPWATCH_STATS_A_TRANSITIONS,	/* binary: u64[NSTATES][NSTATES] [from][to] */
	TCPWATCH_STATS_A_HIST,		/* nest, repeated: enum tcpwatch_hist_attr */
	TCPWATCH_STATS_A_TW_ENTERED,	/* u64: timewait sockets created */
	TCPWATCH_STATS_A_TW_EXITED,	/* u64: timewait sockets gone */
	TCPWATCH_STATS_A_TW_LIVE,	/* u32: timewait sockets now */

	__TCPWATCH_STATS_A_MAX,
};

#define TCPWATCH_STATS_A_MAX (__TCPWATCH_STATS_A_MAX - 1)

/* One log2 histogram of time in state. */
enum tcpwatch_hist_attr {
	TCPWATCH_HIST_A_UNSPEC,
	TCPWATCH_HIST_A_PAD,
	TCPWATCH_HIST_A_STATE,		/* u8: the state the time was spent in */
	TCPWATCH_HIST_A_COUNT,		/* u64: samples */
	TCPWATCH_HIST_A_SUM_US,		/* u64: sum of samples, µs */
	TCPWATCH_HIST_A_SLOTS,		/* binary: u64[TCPWATCH_HIST_SLOTS] */

	__TCPWATCH_HIST_A_MAX,
};

#define TCPWATCH_HIST_A_MAX (__TCPWATCH_HIST_A_MAX - 1)

/* enum tcpwatch_event - what a TCPWATCH_CMD_EVENT reports */
enum tcpwatch_event {
	TCPWATCH_EV_STATE,		/* a transition seen by inet_sock_set_state */
	TCPWATCH_EV_TW_ENTER,		/* socket now lives as a timewait socket */
	TCPWATCH_EV_TW_EXIT,		/* its timewait socket is gone */
};

/* One socket (dump), one closed socket (ring) or one event. */
enum tcpwatch_sock_attr {
	TCPWATCH_SOCK_A_UNSPEC,
	TCPWATCH_SOCK_A_PAD,
	TCPWATCH_SOCK_A_ID,		/* u64: tcpwatch's id for the socket */
	TCPWATCH_SOCK_A_FAMILY,		/* u8: AF_INET or AF_INET6 */
	TCPWATCH_SOCK_A_STATE,		/* u8: state now (TW: its substate) */
	TCPWATCH_SOCK_A_SADDR,		/* binary: 4 or 16 bytes */
	TCPWATCH_SOCK_A_DADDR,		/* binary: 4 or 16 bytes */
	TCPWATCH_SOCK_A_SPORT,		/* u16 */
	TCPWATCH_SOCK_A_DPORT,		/* u16 */
	TCPWATCH_SOCK_A_TRACKED,	/* u8: 1 if tcpwatch holds a record */
	TCPWATCH_SOCK_A_SINCE_LOAD,	/* u8: 1 if first seen at module load:
					 * times count from the load
					 */
	TCPWATCH_SOCK_A_IN_STATE_NS,	/* u64: time in the current state */
	TCPWATCH_SOCK_A_LIFETIME_NS,	/* u64: time since first seen */
	TCPWATCH_SOCK_A_TRANSITIONS,	/* u32: transitions seen */
	TCPWATCH_SOCK_A_STATE_TIME,	/* binary: u64[TCPWATCH_NSTATES] ns */
	TCPWATCH_SOCK_A_PID,		/* u32: owning process, where known */
	TCPWATCH_SOCK_A_COMM,		/* string */
	TCPWATCH_SOCK_A_TIMER_NS,	/* u64: time left on TIME_WAIT timer */
	TCPWATCH_SOCK_A_TIMEWAIT,	/* u8: 1 if this is a timewait socket */
	/* event-only */
	TCPWATCH_SOCK_A_EVENT,		/* u8: enum tcpwatch_event */
	TCPWATCH_SOCK_A_TIME_NS,	/* u64: CLOCK_REALTIME of the event */
	TCPWATCH_SOCK_A_OLD_STATE,	/* u8: event: state before; closed
					 * record: the last state before CLOSE
					 */
	TCPWATCH_SOCK_A_OLD_STATE_NS,	/* u64: time spent in the old state */
	TCPWATCH_SOCK_A_NETNS,		/* u32: netns inode number */

	__TCPWATCH_SOCK_A_MAX,
};

#define TCPWATCH_SOCK_A_MAX (__TCPWATCH_SOCK_A_MAX - 1)

#endif /* _UAPI_LINUX_TCPWATCH_H */
