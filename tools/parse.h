/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - tcpwatch netlink messages to plain C structs.
 *
 * Every function here is pure: it reads one message (or attribute) that
 * is already in memory and fills a struct, validating each attribute's
 * type and length.  Unknown attribute types are skipped (newer module),
 * known ones of the wrong length reject the whole message.  On failure a
 * function returns -1 with errno set and tw_parse_strerror() describing
 * what was wrong.
 */
#ifndef TCPWATCH_PARSE_H
#define TCPWATCH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#include "uapi/linux/tcpwatch.h"

#define TW_COMM_LEN	64
#define TW_VERSION_LEN	64
#define TW_MAX_MCGRPS	8
#define TW_CC_LEN	16	/* TCP_CA_NAME_MAX */
/* tp->snd_ssthresh before the first loss (TCP_INFINITE_SSTHRESH) */
#define TW_SSTHRESH_INFINITE	0x7fffffffU

/* One socket: a GET_SOCKETS or GET_CLOSED record, or an EVENT. */
struct tw_sock {
	uint64_t present;	/* bit (1 << TCPWATCH_SOCK_A_x) if seen */
	uint64_t id;
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t state;
	uint8_t saddr[16];	/* 4 bytes used for AF_INET */
	uint8_t daddr[16];
	uint16_t sport;
	uint16_t dport;
	uint8_t tracked;
	uint8_t since_load;
	uint8_t timewait;
	uint64_t in_state_ns;
	uint64_t lifetime_ns;
	uint32_t transitions;
	uint64_t state_time_ns[TCPWATCH_NSTATES];
	uint32_t pid;
	char comm[TW_COMM_LEN];
	uint64_t timer_ns;
	uint8_t event;		/* enum tcpwatch_event */
	uint64_t time_ns;
	uint8_t old_state;
	uint64_t old_state_ns;
	uint32_t netns;
	uint32_t syn_retrans;
	uint8_t outcome;	/* enum tcpwatch_outcome (halfopen-end) */
	uint8_t synack_retrans;	/* a request's SYN-ACK retransmissions */
	/* timers and windows, read live (full sockets) */
	uint8_t timer;		/* enum tcpwatch_timer */
	uint32_t rto_us;
	uint8_t backoff;
	uint8_t retransmits;	/* consecutive (icsk_retransmits) */
	uint8_t probes;
	uint32_t total_retrans;
	uint32_t cwnd;		/* segments */
	uint32_t ssthresh;	/* segments; TW_SSTHRESH_INFINITE at first */
	uint32_t snd_wnd;	/* bytes */
	uint32_t rcv_wnd;	/* bytes */
	uint8_t snd_wscale;
	uint8_t rcv_wscale;
	uint32_t mss;
	uint32_t inflight;	/* bytes */
	uint32_t unacked;	/* segments */
	uint32_t srtt_us;
	uint32_t rttvar_us;
	uint8_t ca_state;	/* enum tcpwatch_ca_state */
	char cc[TW_CC_LEN];
	/* counted by tcpwatch since it saw the socket */
	uint32_t retrans[TCPWATCH_NCAUSES];	/* by enum tcpwatch_retrans_cause */
	uint32_t rto_expiries;
	uint32_t loss_probes;
	uint32_t zw_probes;
	uint32_t undos;
	/* events */
	uint8_t retrans_cause;
	uint8_t old_ca_state;
	uint32_t seq;
};

#define tw_sock_has(s, attr)	((((s)->present) >> (attr)) & 1)

struct tw_hist {
	bool present;
	uint64_t count;
	uint64_t sum_us;	/* µs; a plain count for SYNACK_RETRANS */
	uint64_t slots[TCPWATCH_HIST_SLOTS];
};

/*
 * The histogram kinds (enum tcpwatch_hist_kind) this tool knows; a HIST
 * nest of a newer kind is skipped.
 */
#define TW_HIST_KINDS	(TCPWATCH_HIST_RETRANS + 1)

/*
 * Handshake counters of a listener (TCPWATCH_LISTENER_A_SYNS ..
 * COOKIES_RECV), or their sums for a netns (TCPWATCH_STATS_A_SYNS ..).
 */
struct tw_handshakes {
	uint64_t syns;
	uint64_t completed;
	uint64_t expired;
	uint64_t resets;
	uint64_t synq_drops;
	uint64_t acceptq_drops;
	uint64_t cookies_sent;
	uint64_t cookies_recv;
};

/* A GET_STATS reply. */
struct tw_stats {
	bool has_version;
	bool has_abi;
	bool has_stats;
	char version[TW_VERSION_LEN];
	uint32_t abi;
	uint64_t present;	/* bit (1 << TCPWATCH_STATS_A_x) if seen */
	uint32_t netns;
	uint64_t uptime_ns;
	uint32_t tracked;
	uint32_t max_tracked;
	uint64_t track_drops;
	uint64_t events_sent;
	uint64_t event_drops;
	uint32_t closed_ring;
	uint64_t close_drops;
	uint32_t state_count[TCPWATCH_NSTATES];
	uint64_t transitions[TCPWATCH_NSTATES][TCPWATCH_NSTATES]; /* [from][to] */
	struct tw_hist hist[TCPWATCH_NSTATES];	/* time in state, by state */
	/* the other kinds, by kind; [TCPWATCH_HIST_STATE_TIME] is unused */
	struct tw_hist kind_hist[TW_HIST_KINDS];
	uint64_t tw_entered;
	uint64_t tw_exited;
	uint32_t tw_live;
	uint64_t synack_retrans;
	uint64_t syn_retrans;
	struct tw_handshakes hs;	/* the listeners' sums */
	uint64_t hooks_missed;
	/* timers and windows */
	uint64_t retrans[TCPWATCH_NCAUSES];	/* by enum tcpwatch_retrans_cause */
	uint64_t rto_expiries;
	uint64_t loss_probes;
	uint64_t zw_probes;
	uint64_t undos;
	uint64_t ca_changes;
	uint16_t winlog_port;
	uint8_t winlog_addr_len;	/* 4 or 16; 0 if none */
	uint8_t winlog_addr[16];
	uint32_t winlog_interval_ms;
	uint64_t winlog_samples;
	uint64_t winlog_drops;
	uint32_t timer_hooks;	/* bits (1 << enum tcpwatch_timer_hook) */
};

#define tw_stats_has(st, attr)	((((st)->present) >> (attr)) & 1)

/* A GET_LISTENERS record: one listening socket. */
struct tw_listener {
	uint64_t present;	/* bit (1 << TCPWATCH_LISTENER_A_x) if seen */
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint32_t pid;
	char comm[TW_COMM_LEN];
	uint8_t since_load;
	uint32_t backlog;
	uint32_t synq_len;
	uint32_t acceptq_len;
	uint8_t syncookies;
	uint8_t synack_retries;
	uint64_t halfopen_ns;
	uint64_t synack_retrans;
	struct tw_handshakes hs;
	/*
	 * The listener's histograms, by kind: HALFOPEN_DONE,
	 * HALFOPEN_EXPIRED, SYNACK_RETRANS, ACCEPT_WAIT (tw_listener_kind());
	 * the other entries stay unused.
	 */
	struct tw_hist kind_hist[TW_HIST_KINDS];
};

/*
 * Whether histograms of @kind belong in a listener nest: HALFOPEN_DONE,
 * HALFOPEN_EXPIRED, SYNACK_RETRANS and ACCEPT_WAIT do; time in state,
 * connect latency and unknown kinds do not.
 */
bool tw_listener_kind(unsigned int kind);

/*
 * tw_listener_has(l, TCPWATCH_LISTENER_A_HIST): at least one histogram of
 * a listener kind came.
 */
#define tw_listener_has(l, attr)	((((l)->present) >> (attr)) & 1)

/* A GET_HALFOPEN record: one request sock in a listener's SYN queue. */
struct tw_halfopen {
	uint64_t present;	/* bit (1 << TCPWATCH_HALFOPEN_A_x) if seen */
	uint8_t family;
	uint8_t laddr[16];
	uint16_t lport;
	uint8_t raddr[16];
	uint16_t rport;
	uint64_t age_ns;
	uint8_t synack_retrans;
	uint64_t timer_ns;
	uint64_t expires_ns;
	uint8_t max_retries;
};

#define tw_halfopen_has(h, attr)	((((h)->present) >> (attr)) & 1)

/* The nlctrl CTRL_CMD_GETFAMILY reply. */
struct tw_family {
	uint16_t id;
	uint32_t version;
	char name[GENL_NAMSIZ];
	unsigned int ngrps;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} grps[TW_MAX_MCGRPS];
};

/* What a NLMSG_ERROR or NLMSG_DONE message says. */
struct tw_nlerr {
	int error;		/* positive errno, 0 for an ACK / clean DONE */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 if none */
};

const char *tw_parse_strerror(void);

/* Checks the netlink and genetlink headers; returns the genl header. */
const struct genlmsghdr *tw_parse_genl(const struct nlmsghdr *nlh);

/*
 * A message carrying one TCPWATCH_A_SOCK nest (dump record), and the nest
 * itself.  FAMILY, STATE, both addresses and both ports are required.
 */
int tw_parse_sock_msg(const struct nlmsghdr *nlh, struct tw_sock *s);
int tw_parse_sock_nest(const struct nlattr *nest, struct tw_sock *s);

/*
 * A TCPWATCH_CMD_EVENT: the nest of tw_parse_sock_msg() with EVENT
 * required.  STATE is required only of the events that carry states
 * (tw_event_has_states()); the handshake events have none.
 */
int tw_parse_event_msg(const struct nlmsghdr *nlh, struct tw_sock *s);

/*
 * Whether events of kind @event carry STATE (and OLD_STATE): STATE,
 * TW_ENTER, TW_EXIT.  The handshake events (HALFOPEN_END, SYNACK_RETRANS,
 * SYN_DROP, ACCEPTQ_OVERFLOW), the timer and window events (RETRANS, RTO,
 * CA_STATE, WINDOW: STATE optional) and unknown kinds do not.
 */
bool tw_event_has_states(unsigned int event);

/*
 * A GET_STATS reply.  HIST nests go by their KIND: time in state (KIND
 * absent or STATE_TIME; STATE required) into st->hist[state], the other
 * known kinds into st->kind_hist[kind]; unknown kinds are skipped.
 */
int tw_parse_stats_msg(const struct nlmsghdr *nlh, struct tw_stats *st);

/*
 * A message carrying one TCPWATCH_A_LISTENER nest, and the nest itself.
 * FAMILY, ADDR and PORT are required.  HIST nests go by their KIND into
 * l->kind_hist[kind] (the last one wins); kinds that are not a listener's
 * (tw_listener_kind()), KIND absent included, are skipped.
 */
int tw_parse_listener_msg(const struct nlmsghdr *nlh, struct tw_listener *l);
int tw_parse_listener_nest(const struct nlattr *nest, struct tw_listener *l);

/*
 * A message carrying one TCPWATCH_A_HALFOPEN nest, and the nest itself.
 * FAMILY, both addresses and both ports are required.
 */
int tw_parse_halfopen_msg(const struct nlmsghdr *nlh, struct tw_halfopen *h);
int tw_parse_halfopen_nest(const struct nlattr *nest, struct tw_halfopen *h);

int tw_parse_family(const struct nlmsghdr *nlh, struct tw_family *fam);
/* The id of multicast group @name, or -1. */
int64_t tw_family_mcgrp(const struct tw_family *fam, const char *name);

/*
 * Whether @nlh, a notification of nlctrl's "notify" multicast group, says
 * that generic netlink family @name (id @id) went away: a
 * CTRL_CMD_DELFAMILY naming @name, or naming no family but carrying @id.
 * Anything else is false: CTRL_CMD_NEWFAMILY, CTRL_CMD_DELMCAST_GRP (sent
 * just before the DELFAMILY), other families, messages that are not
 * nlctrl's, malformed ones.
 */
bool tw_ctrl_family_gone(const struct nlmsghdr *nlh, const char *name,
			 uint16_t id);

/* NLMSG_ERROR or NLMSG_DONE, extack TLVs included. */
int tw_parse_nlerr(const struct nlmsghdr *nlh, struct tw_nlerr *e);

#endif /* TCPWATCH_PARSE_H */
