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
#define TCPWATCH_GENL_VERSION	2	/* bumped on incompatible change */
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
 * @TCPWATCH_CMD_GET_LISTENERS: dump; one %TCPWATCH_A_LISTENER nest per
 *	listening socket of the caller's netns: limits, queues now, and
 *	handshake counters since tcpwatch first saw it.  Takes
 *	%TCPWATCH_A_FILTER_PORT (the listening port).
 * @TCPWATCH_CMD_GET_HALFOPEN: dump; one %TCPWATCH_A_HALFOPEN nest per
 *	request sock (half-open connection, SYN_RECV) of the caller's netns.
 *	Takes %TCPWATCH_A_FILTER_PORT (listening or remote port).
 *
 * @TCPWATCH_CMD_SET_WINLOG: do, needs CAP_NET_ADMIN in the netns's user
 *	namespace; sets the caller's netns's window-change-log filter:
 *	%TCPWATCH_A_FILTER_PORT (local or remote port) and/or
 *	%TCPWATCH_A_FILTER_ADDR (local or remote address), both must match
 *	when both are given, and %TCPWATCH_A_WINLOG_INTERVAL_MS (minimum
 *	time between two samples of one socket, default 10 ms).  Matching
 *	sockets then send a %TCPWATCH_EV_WINDOW event whenever cwnd,
 *	ssthresh, snd_wnd or rcv_wnd changed since the last sample.  Without
 *	port and address the filter is cleared (the log stops).  The filter
 *	in force is in the GET_STATS reply.
 *
 * Dump replies carry the request's command.
 */
enum tcpwatch_cmd {
	TCPWATCH_CMD_UNSPEC,
	TCPWATCH_CMD_GET_STATS,
	TCPWATCH_CMD_GET_SOCKETS,
	TCPWATCH_CMD_EVENT,
	TCPWATCH_CMD_GET_CLOSED,
	TCPWATCH_CMD_GET_LISTENERS,
	TCPWATCH_CMD_GET_HALFOPEN,
	TCPWATCH_CMD_SET_WINLOG,

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
	TCPWATCH_A_LISTENER,		/* nest: enum tcpwatch_listener_attr */
	TCPWATCH_A_HALFOPEN,		/* nest: enum tcpwatch_halfopen_attr */
	TCPWATCH_A_FILTER_ADDR,		/* binary: 4 or 16 bytes */
	TCPWATCH_A_WINLOG_INTERVAL_MS,	/* u32: 0..60000 */

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
	TCPWATCH_STATS_A_SYNACK_RETRANS,	/* u64: SYN-ACKs retransmitted */
	TCPWATCH_STATS_A_SYN_RETRANS,	/* u64: SYNs retransmitted (connect) */
	/* the netns's sums of the TCPWATCH_LISTENER_A_ handshake counters */
	TCPWATCH_STATS_A_SYNS,		/* u64 */
	TCPWATCH_STATS_A_COMPLETED,	/* u64 */
	TCPWATCH_STATS_A_EXPIRED,	/* u64 */
	TCPWATCH_STATS_A_RESETS,	/* u64 */
	TCPWATCH_STATS_A_SYNQ_DROPS,	/* u64 */
	TCPWATCH_STATS_A_ACCEPTQ_DROPS,	/* u64 */
	TCPWATCH_STATS_A_COOKIES_SENT,	/* u64 */
	TCPWATCH_STATS_A_COOKIES_RECV,	/* u64 */
	TCPWATCH_STATS_A_HOOKS_MISSED,	/* u64: kretprobe instances missed,
					 * all netns: counters may be short
					 */
	/* retransmissions by cause (enum tcpwatch_retrans_cause), and timers */
	TCPWATCH_STATS_A_RETRANS,	/* binary: u64[TCPWATCH_NCAUSES] */
	TCPWATCH_STATS_A_RTO_EXPIRIES,	/* u64: retransmission timer expiries
					 * of full sockets with data out
					 * (TcpExtTCPTimeouts less SYN-ACK
					 * timeouts)
					 */
	TCPWATCH_STATS_A_LOSS_PROBES,	/* u64: tail-loss probes sent
					 * (TcpExtTCPLossProbes)
					 */
	TCPWATCH_STATS_A_ZW_PROBES,	/* u64: zero-window probes sent
					 * (TcpExtTCPWinProbe)
					 */
	TCPWATCH_STATS_A_UNDOS,		/* u64: congestion-window reductions
					 * undone (spurious retransmission
					 * detected), see TCPWATCH_SOCK_A_UNDOS
					 */
	TCPWATCH_STATS_A_CA_CHANGES,	/* u64: congestion-state changes */
	/* the window change log (TCPWATCH_CMD_SET_WINLOG) */
	TCPWATCH_STATS_A_WINLOG_PORT,	/* u16: filter port, absent if none */
	TCPWATCH_STATS_A_WINLOG_ADDR,	/* binary: filter address, if any */
	TCPWATCH_STATS_A_WINLOG_INTERVAL_MS,	/* u32 */
	TCPWATCH_STATS_A_WINLOG_SAMPLES,	/* u64: window events sent */
	TCPWATCH_STATS_A_WINLOG_DROPS,	/* u64: changes not sent: within the
					 * interval, or no memory
					 */
	TCPWATCH_STATS_A_TIMER_HOOKS,	/* u32: bit per enum tcpwatch_timer_hook
					 * attached; fields fed by a missing
					 * hook are absent
					 */

	__TCPWATCH_STATS_A_MAX,
};

#define TCPWATCH_STATS_A_MAX (__TCPWATCH_STATS_A_MAX - 1)

/**
 * enum tcpwatch_hist_kind - what a histogram measures
 * @TCPWATCH_HIST_STATE_TIME: time in state (µs); %TCPWATCH_HIST_A_STATE
 *	says which state
 * @TCPWATCH_HIST_CONNECT: connect latency, SYN_SENT to ESTABLISHED (µs)
 * @TCPWATCH_HIST_HALFOPEN_DONE: half-open lifetime, SYN to the final ACK,
 *	of completed handshakes (µs)
 * @TCPWATCH_HIST_HALFOPEN_EXPIRED: half-open lifetime of requests that
 *	expired after the last SYN-ACK retransmission (µs)
 * @TCPWATCH_HIST_SYNACK_RETRANS: SYN-ACK retransmissions per completed
 *	handshake (a count, not µs)
 * @TCPWATCH_HIST_ACCEPT_WAIT: time a completed connection waited in the
 *	accept queue before accept() took it (µs)
 * @TCPWATCH_HIST_RTO: the retransmission timeout that expired, at each
 *	RTO expiry (µs)
 * @TCPWATCH_HIST_SRTT: smoothed RTT of each connection at close, if it
 *	had an RTT sample (µs)
 * @TCPWATCH_HIST_RETRANS: retransmissions per closed connection (the
 *	kernel's total_retrans at close; a count)
 */
enum tcpwatch_hist_kind {
	TCPWATCH_HIST_STATE_TIME,
	TCPWATCH_HIST_CONNECT,
	TCPWATCH_HIST_HALFOPEN_DONE,
	TCPWATCH_HIST_HALFOPEN_EXPIRED,
	TCPWATCH_HIST_SYNACK_RETRANS,
	TCPWATCH_HIST_ACCEPT_WAIT,
	TCPWATCH_HIST_RTO,
	TCPWATCH_HIST_SRTT,
	TCPWATCH_HIST_RETRANS,
};

/* One log2 histogram. */
enum tcpwatch_hist_attr {
	TCPWATCH_HIST_A_UNSPEC,
	TCPWATCH_HIST_A_PAD,
	TCPWATCH_HIST_A_STATE,		/* u8: the state the time was spent in */
	TCPWATCH_HIST_A_COUNT,		/* u64: samples */
	TCPWATCH_HIST_A_SUM_US,		/* u64: sum of samples (µs, or count) */
	TCPWATCH_HIST_A_SLOTS,		/* binary: u64[TCPWATCH_HIST_SLOTS] */
	TCPWATCH_HIST_A_KIND,		/* u8: enum tcpwatch_hist_kind; absent
					 * means TCPWATCH_HIST_STATE_TIME
					 */

	__TCPWATCH_HIST_A_MAX,
};

#define TCPWATCH_HIST_A_MAX (__TCPWATCH_HIST_A_MAX - 1)

/*
 * enum tcpwatch_event - what a TCPWATCH_CMD_EVENT reports.  For the
 * handshake events the tuple is the request's: local is the listener.
 */
enum tcpwatch_event {
	TCPWATCH_EV_STATE,		/* a transition seen by inet_sock_set_state */
	TCPWATCH_EV_TW_ENTER,		/* socket now lives as a timewait socket */
	TCPWATCH_EV_TW_EXIT,		/* its timewait socket is gone */
	TCPWATCH_EV_HALFOPEN_END,	/* a request left the SYN queue: OUTCOME,
					 * LIFETIME_NS, SYNACK_RETRANS
					 */
	TCPWATCH_EV_SYNACK_RETRANS,	/* a SYN-ACK was retransmitted:
					 * SYNACK_RETRANS is the count so far
					 */
	TCPWATCH_EV_SYN_DROP,		/* a SYN was dropped, SYN queue full */
	TCPWATCH_EV_ACCEPTQ_OVERFLOW,	/* a child was dropped, accept queue
					 * full (at SYN or at the final ACK)
					 */
	TCPWATCH_EV_RETRANS,		/* a segment was retransmitted:
					 * RETRANS_CAUSE, RTO_US, BACKOFF,
					 * RETRANSMITS, SEQ, windows
					 */
	TCPWATCH_EV_RTO,		/* the retransmission timer expired:
					 * RTO_US is the timeout that expired,
					 * BACKOFF and RETRANSMITS are after it
					 */
	TCPWATCH_EV_CA_STATE,		/* congestion state changed: CA_STATE,
					 * OLD_CA_STATE, windows
					 */
	TCPWATCH_EV_WINDOW,		/* window change log sample: CWND,
					 * SSTHRESH, SND_WND, RCV_WND, SRTT_US,
					 * INFLIGHT, RTO_US
					 */
};

/**
 * enum tcpwatch_retrans_cause - why a segment was retransmitted
 * @TCPWATCH_CAUSE_RTO: by the retransmission timer itself, on expiry
 * @TCPWATCH_CAUSE_LOSS: in loss recovery after an RTO (congestion state
 *	Loss), as ACKs arrive
 * @TCPWATCH_CAUSE_FAST: fast retransmit (dupacks, SACK or RACK: states
 *	Disorder, Recovery, CWR, Open)
 * @TCPWATCH_CAUSE_TLP: tail-loss probe retransmitting the last segment
 * @TCPWATCH_CAUSE_SYN: a SYN (connect) or a Fast Open SYN-ACK; SYN-ACKs of
 *	request socks are counted per listener instead
 */
enum tcpwatch_retrans_cause {
	TCPWATCH_CAUSE_RTO,
	TCPWATCH_CAUSE_LOSS,
	TCPWATCH_CAUSE_FAST,
	TCPWATCH_CAUSE_TLP,
	TCPWATCH_CAUSE_SYN,
};

#define TCPWATCH_NCAUSES	5

/**
 * enum tcpwatch_timer - the socket timer pending, as ss's "timer:" shows
 * @TCPWATCH_TIMER_NONE: none
 * @TCPWATCH_TIMER_RETRANS: retransmission timer (RTO)
 * @TCPWATCH_TIMER_ZERO_WINDOW: zero-window (persist) probe timer
 * @TCPWATCH_TIMER_LOSS_PROBE: tail-loss probe timer
 * @TCPWATCH_TIMER_REORDER: RACK reordering timer
 * @TCPWATCH_TIMER_KEEPALIVE: keepalive (or SYN_RECV/FIN_WAIT2) timer
 * @TCPWATCH_TIMER_TIME_WAIT: the timewait socket's timer
 */
enum tcpwatch_timer {
	TCPWATCH_TIMER_NONE,
	TCPWATCH_TIMER_RETRANS,
	TCPWATCH_TIMER_ZERO_WINDOW,
	TCPWATCH_TIMER_LOSS_PROBE,
	TCPWATCH_TIMER_REORDER,
	TCPWATCH_TIMER_KEEPALIVE,
	TCPWATCH_TIMER_TIME_WAIT,
};

/* enum tcpwatch_timer_hook - kprobes behind the timer counters */
enum tcpwatch_timer_hook {
	TCPWATCH_HOOK_RTO,		/* tcp_retransmit_timer */
	TCPWATCH_HOOK_LOSS_PROBE,	/* tcp_send_loss_probe */
	TCPWATCH_HOOK_ZW_PROBE,		/* tcp_send_probe0 */
};

/* congestion-avoidance states, as the kernel numbers them (TCP_CA_*) */
enum tcpwatch_ca_state {
	TCPWATCH_CA_OPEN,
	TCPWATCH_CA_DISORDER,
	TCPWATCH_CA_CWR,
	TCPWATCH_CA_RECOVERY,
	TCPWATCH_CA_LOSS,
};

/* enum tcpwatch_outcome - how a half-open connection ended */
enum tcpwatch_outcome {
	TCPWATCH_OUTCOME_COMPLETED,	/* final ACK: a child was made */
	TCPWATCH_OUTCOME_EXPIRED,	/* no ACK after the last SYN-ACK */
	TCPWATCH_OUTCOME_RESET,		/* ended by RST */
	TCPWATCH_OUTCOME_DROPPED,	/* removed otherwise: ICMP error,
					 * listener closed, socket destroyed
					 */
};

/*
 * A full socket's timers and windows in one attribute, TCPWATCH_SOCK_A_LIVE
 * (as inet_diag sends struct tcp_info): what get-sockets and get-closed
 * send in place of the attributes TIMER to CA_STATE, one for each field
 * of the same name, in the same units.  timer_ns is TIMER_NS, valid when
 * timer is not TCPWATCH_TIMER_NONE.  Events send the attributes.  A newer
 * module may send a longer struct, with fields added at the end.
 */
struct tcpwatch_live {
	__u64 timer_ns;
	__u32 rto_us;
	__u32 total_retrans;
	__u32 cwnd;
	__u32 ssthresh;
	__u32 snd_wnd;
	__u32 rcv_wnd;
	__u32 mss;
	__u32 inflight;
	__u32 unacked;
	__u32 srtt_us;
	__u32 rttvar_us;
	__u8 timer;
	__u8 backoff;
	__u8 retransmits;
	__u8 probes;
	__u8 ca_state;
	__u8 snd_wscale;
	__u8 rcv_wscale;
	__u8 pad[5];			/* 0 */
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
	TCPWATCH_SOCK_A_SYN_RETRANS,	/* u32: SYNs retransmitted by connect */
	TCPWATCH_SOCK_A_OUTCOME,	/* u8: enum tcpwatch_outcome */
	TCPWATCH_SOCK_A_SYNACK_RETRANS,	/* u8: a request's SYN-ACK
					 * retransmissions
					 */
	/*
	 * Timers and windows, read live from the socket (full sockets, not
	 * listeners or timewait).  TIMER_NS above is the time left on the
	 * pending timer.
	 */
	TCPWATCH_SOCK_A_TIMER,		/* u8: enum tcpwatch_timer */
	TCPWATCH_SOCK_A_RTO_US,		/* u32: retransmission timeout now */
	TCPWATCH_SOCK_A_BACKOFF,	/* u8: exponential backoff (icsk_backoff) */
	TCPWATCH_SOCK_A_RETRANSMITS,	/* u8: consecutive retransmissions
					 * (icsk_retransmits)
					 */
	TCPWATCH_SOCK_A_PROBES,		/* u8: unanswered zero-window or
					 * keepalive probes (icsk_probes_out)
					 */
	TCPWATCH_SOCK_A_TOTAL_RETRANS,	/* u32: the kernel's total_retrans */
	TCPWATCH_SOCK_A_CWND,		/* u32: segments */
	TCPWATCH_SOCK_A_SSTHRESH,	/* u32: segments; 0x7fffffff = initial */
	TCPWATCH_SOCK_A_SND_WND,	/* u32: bytes, peer's advertised window */
	TCPWATCH_SOCK_A_RCV_WND,	/* u32: bytes, our advertised window */
	TCPWATCH_SOCK_A_SND_WSCALE,	/* u8 */
	TCPWATCH_SOCK_A_RCV_WSCALE,	/* u8 */
	TCPWATCH_SOCK_A_MSS,		/* u32: mss_cache, bytes */
	TCPWATCH_SOCK_A_INFLIGHT,	/* u32: bytes sent, not acked
					 * (snd_nxt - snd_una)
					 */
	TCPWATCH_SOCK_A_UNACKED,	/* u32: segments out (packets_out) */
	TCPWATCH_SOCK_A_SRTT_US,	/* u32 */
	TCPWATCH_SOCK_A_RTTVAR_US,	/* u32 */
	TCPWATCH_SOCK_A_CA_STATE,	/* u8: enum tcpwatch_ca_state */
	TCPWATCH_SOCK_A_CC,		/* string: congestion control */
	/* counted by tcpwatch since it first saw the socket */
	TCPWATCH_SOCK_A_RETRANS,	/* binary: u32[TCPWATCH_NCAUSES] */
	TCPWATCH_SOCK_A_RTO_EXPIRIES,	/* u32 */
	TCPWATCH_SOCK_A_LOSS_PROBES,	/* u32: tail-loss probes sent */
	TCPWATCH_SOCK_A_ZW_PROBES,	/* u32: zero-window probes sent */
	TCPWATCH_SOCK_A_UNDOS,		/* u32: cwnd reductions undone: left
					 * Recovery or Loss for Open with the
					 * kernel's undo done (undo_marker
					 * cleared), a spurious retransmission
					 */
	/* event-only */
	TCPWATCH_SOCK_A_RETRANS_CAUSE,	/* u8: enum tcpwatch_retrans_cause */
	TCPWATCH_SOCK_A_OLD_CA_STATE,	/* u8 */
	TCPWATCH_SOCK_A_SEQ,		/* u32: retransmitted segment's seq */
	TCPWATCH_SOCK_A_LIVE,		/* binary: struct tcpwatch_live */

	__TCPWATCH_SOCK_A_MAX,
};

#define TCPWATCH_SOCK_A_MAX (__TCPWATCH_SOCK_A_MAX - 1)

/*
 * One listening socket.  Counters count since tcpwatch first saw the
 * listener (at load, or at listen()); LISTENER_A_SINCE_LOAD says which.
 */
enum tcpwatch_listener_attr {
	TCPWATCH_LISTENER_A_UNSPEC,
	TCPWATCH_LISTENER_A_PAD,
	TCPWATCH_LISTENER_A_FAMILY,	/* u8 */
	TCPWATCH_LISTENER_A_ADDR,	/* binary: 4 or 16 bytes */
	TCPWATCH_LISTENER_A_PORT,	/* u16 */
	TCPWATCH_LISTENER_A_PID,	/* u32: owner, where known */
	TCPWATCH_LISTENER_A_COMM,	/* string */
	TCPWATCH_LISTENER_A_SINCE_LOAD,	/* u8 */
	TCPWATCH_LISTENER_A_BACKLOG,	/* u32: listen() backlog as applied
					 * (min with somaxconn); both queues
					 * are full when longer than this
					 */
	TCPWATCH_LISTENER_A_SYNQ_LEN,	/* u32: half-open requests now */
	TCPWATCH_LISTENER_A_ACCEPTQ_LEN,	/* u32: children awaiting accept() */
	TCPWATCH_LISTENER_A_SYNCOOKIES,	/* u8: net.ipv4.tcp_syncookies */
	TCPWATCH_LISTENER_A_SYNACK_RETRIES,	/* u8: in force (TCP_SYNCNT or
						 * net.ipv4.tcp_synack_retries)
						 */
	TCPWATCH_LISTENER_A_HALFOPEN_NS,	/* u64: half-open lifetime these
						 * settings imply: the SYN-ACK
						 * timeouts, doubling, summed
						 */
	TCPWATCH_LISTENER_A_SYNACK_RETRANS,	/* u64: SYN-ACKs retransmitted */
	/* handshake counters, from kprobes (absent where not attached) */
	TCPWATCH_LISTENER_A_SYNS,	/* u64: SYNs received (tcp_conn_request) */
	TCPWATCH_LISTENER_A_COMPLETED,	/* u64: handshakes completed, cookies
					 * included
					 */
	TCPWATCH_LISTENER_A_EXPIRED,	/* u64: half-opens expired after the
					 * last SYN-ACK retransmission
					 */
	TCPWATCH_LISTENER_A_RESETS,	/* u64: half-opens ended by RST */
	TCPWATCH_LISTENER_A_SYNQ_DROPS,	/* u64: SYNs dropped, SYN queue full
					 * (TcpExtTCPReqQFullDrop)
					 */
	TCPWATCH_LISTENER_A_ACCEPTQ_DROPS,	/* u64: accept queue full
						 * (TcpExtListenOverflows)
						 */
	TCPWATCH_LISTENER_A_COOKIES_SENT,	/* u64: TcpExtSyncookiesSent */
	TCPWATCH_LISTENER_A_COOKIES_RECV,	/* u64: TcpExtSyncookiesRecv */
	TCPWATCH_LISTENER_A_HIST,	/* nest, repeated: enum tcpwatch_hist_attr
					 * with KIND HALFOPEN_DONE, HALFOPEN_EXPIRED,
					 * SYNACK_RETRANS or ACCEPT_WAIT
					 */

	__TCPWATCH_LISTENER_A_MAX,
};

#define TCPWATCH_LISTENER_A_MAX (__TCPWATCH_LISTENER_A_MAX - 1)

/* One request sock: a half-open connection in a listener's SYN queue. */
enum tcpwatch_halfopen_attr {
	TCPWATCH_HALFOPEN_A_UNSPEC,
	TCPWATCH_HALFOPEN_A_PAD,
	TCPWATCH_HALFOPEN_A_FAMILY,	/* u8 */
	TCPWATCH_HALFOPEN_A_LADDR,	/* binary: listener's address */
	TCPWATCH_HALFOPEN_A_LPORT,	/* u16: listener's port */
	TCPWATCH_HALFOPEN_A_RADDR,	/* binary: the client */
	TCPWATCH_HALFOPEN_A_RPORT,	/* u16 */
	TCPWATCH_HALFOPEN_A_AGE_NS,	/* u64: since the first SYN-ACK was sent */
	TCPWATCH_HALFOPEN_A_SYNACK_RETRANS,	/* u8: SYN-ACKs retransmitted */
	TCPWATCH_HALFOPEN_A_TIMER_NS,	/* u64: until the next retransmission,
					 * or the expiry after the last one
					 */
	TCPWATCH_HALFOPEN_A_EXPIRES_NS,	/* u64: until expiry if no ACK comes */
	TCPWATCH_HALFOPEN_A_MAX_RETRIES,	/* u8: SYN-ACK retransmissions allowed */

	__TCPWATCH_HALFOPEN_A_MAX,
};

#define TCPWATCH_HALFOPEN_A_MAX (__TCPWATCH_HALFOPEN_A_MAX - 1)

#endif /* _UAPI_LINUX_TCPWATCH_H */
