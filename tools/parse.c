// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - tcpwatch netlink messages to plain C structs.
 *
 * Each attribute set of include/uapi/linux/tcpwatch.h has a policy table
 * below (type and, for binaries, exact length) that mirrors the header
 * and Documentation/netlink/specs/tcpwatch.yaml.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char errbuf[256];

const char *tw_parse_strerror(void)
{
	return errbuf[0] ? errbuf : "malformed message";
}

__attribute__((format(printf, 2, 3)))
static int perr(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

struct attr_policy {
	const char *name;
	enum mnl_attr_data_type type;	/* MNL_TYPE_UNSPEC: skipped (pad) */
	uint16_t len;			/* exact length, 0 = any */
	uint16_t off;			/* sock: an integer's field, 0 = none */
};

struct attr_set {
	const char *name;
	const struct attr_policy *pol;
	unsigned int max;
	const struct nlattr **tb;	/* max + 1 entries, last one wins */
	uint64_t present;		/* bit (1 << type) of each in tb */
	/* repeated attribute handled as it is met, e.g. stats hist */
	unsigned int multi_type;
	int (*multi)(const struct nlattr *attr, void *data);
	void *multi_data;
};

/* The lengths libmnl's mnl_attr_validate() wants of each type. */
#define LEN_U8		1
#define LEN_U16		2
#define LEN_U32		4
#define LEN_U64		8
#define LEN_STRING	0
#define LEN_NESTED	0

#define ATTR(n, t)	{ n, MNL_TYPE_##t, LEN_##t }
#define BIN(n, l)	{ n, MNL_TYPE_BINARY, l }

/* 0, or a compile error if @e is true (the kernel's BUILD_BUG_ON_ZERO) */
#define BUILD_BUG_ON_ZERO(e)	((int)sizeof(struct { int:(-!!(e)); }))

/*
 * An integer of a sock nest, stored straight into field @f of struct
 * tw_sock, which must be as wide as the attribute.  (No integer field
 * is at offset 0: that is tw_sock.present.)
 */
#define SOCK_INT(n, t, f)						\
	{ n, MNL_TYPE_##t, LEN_##t, offsetof(struct tw_sock, f) +	\
	  BUILD_BUG_ON_ZERO(sizeof(((struct tw_sock *)0)->f) != LEN_##t) }

static const struct attr_policy top_policy[TCPWATCH_A_MAX + 1] = {
	[TCPWATCH_A_VERSION]		= ATTR("version", STRING),
	[TCPWATCH_A_ABI]		= ATTR("abi", U32),
	[TCPWATCH_A_STATS]		= ATTR("stats", NESTED),
	[TCPWATCH_A_SOCK]		= ATTR("sock", NESTED),
	[TCPWATCH_A_FILTER_STATES]	= ATTR("filter-states", U32),
	[TCPWATCH_A_FILTER_PORT]	= ATTR("filter-port", U16),
	[TCPWATCH_A_LISTENER]		= ATTR("listener", NESTED),
	[TCPWATCH_A_HALFOPEN]		= ATTR("halfopen", NESTED),
	[TCPWATCH_A_FILTER_ADDR]	= BIN("filter-addr", 0),
	[TCPWATCH_A_WINLOG_INTERVAL_MS]	= ATTR("winlog-interval-ms", U32),
};

static const struct attr_policy stats_policy[TCPWATCH_STATS_A_MAX + 1] = {
	[TCPWATCH_STATS_A_NETNS]	= ATTR("netns", U32),
	[TCPWATCH_STATS_A_UPTIME_NS]	= ATTR("uptime-ns", U64),
	[TCPWATCH_STATS_A_TRACKED]	= ATTR("tracked", U32),
	[TCPWATCH_STATS_A_MAX_TRACKED]	= ATTR("max-tracked", U32),
	[TCPWATCH_STATS_A_TRACK_DROPS]	= ATTR("track-drops", U64),
	[TCPWATCH_STATS_A_EVENTS_SENT]	= ATTR("events-sent", U64),
	[TCPWATCH_STATS_A_EVENT_DROPS]	= ATTR("event-drops", U64),
	[TCPWATCH_STATS_A_CLOSED_RING]	= ATTR("closed-ring", U32),
	[TCPWATCH_STATS_A_CLOSE_DROPS]	= ATTR("close-drops", U64),
	[TCPWATCH_STATS_A_STATE_COUNT]	=
		BIN("state-count", sizeof(uint32_t) * TCPWATCH_NSTATES),
	[TCPWATCH_STATS_A_TRANSITIONS]	=
		BIN("transitions",
		    sizeof(uint64_t) * TCPWATCH_NSTATES * TCPWATCH_NSTATES),
	[TCPWATCH_STATS_A_HIST]		= ATTR("hist", NESTED),
	[TCPWATCH_STATS_A_TW_ENTERED]	= ATTR("tw-entered", U64),
	[TCPWATCH_STATS_A_TW_EXITED]	= ATTR("tw-exited", U64),
	[TCPWATCH_STATS_A_TW_LIVE]	= ATTR("tw-live", U32),
	[TCPWATCH_STATS_A_SYNACK_RETRANS] = ATTR("synack-retrans", U64),
	[TCPWATCH_STATS_A_SYN_RETRANS]	= ATTR("syn-retrans", U64),
	[TCPWATCH_STATS_A_SYNS]		= ATTR("syns", U64),
	[TCPWATCH_STATS_A_COMPLETED]	= ATTR("completed", U64),
	[TCPWATCH_STATS_A_EXPIRED]	= ATTR("expired", U64),
	[TCPWATCH_STATS_A_RESETS]	= ATTR("resets", U64),
	[TCPWATCH_STATS_A_SYNQ_DROPS]	= ATTR("synq-drops", U64),
	[TCPWATCH_STATS_A_ACCEPTQ_DROPS] = ATTR("acceptq-drops", U64),
	[TCPWATCH_STATS_A_COOKIES_SENT]	= ATTR("cookies-sent", U64),
	[TCPWATCH_STATS_A_COOKIES_RECV]	= ATTR("cookies-recv", U64),
	[TCPWATCH_STATS_A_HOOKS_MISSED]	= ATTR("hooks-missed", U64),
	[TCPWATCH_STATS_A_RETRANS]	=
		BIN("retrans", sizeof(uint64_t) * TCPWATCH_NCAUSES),
	[TCPWATCH_STATS_A_RTO_EXPIRIES]	= ATTR("rto-expiries", U64),
	[TCPWATCH_STATS_A_LOSS_PROBES]	= ATTR("loss-probes", U64),
	[TCPWATCH_STATS_A_ZW_PROBES]	= ATTR("zw-probes", U64),
	[TCPWATCH_STATS_A_UNDOS]	= ATTR("undos", U64),
	[TCPWATCH_STATS_A_CA_CHANGES]	= ATTR("ca-changes", U64),
	[TCPWATCH_STATS_A_WINLOG_PORT]	= ATTR("winlog-port", U16),
	[TCPWATCH_STATS_A_WINLOG_ADDR]	= BIN("winlog-addr", 0),	/* 4 or 16 */
	[TCPWATCH_STATS_A_WINLOG_INTERVAL_MS] = ATTR("winlog-interval-ms", U32),
	[TCPWATCH_STATS_A_WINLOG_SAMPLES] = ATTR("winlog-samples", U64),
	[TCPWATCH_STATS_A_WINLOG_DROPS]	= ATTR("winlog-drops", U64),
	[TCPWATCH_STATS_A_TIMER_HOOKS]	= ATTR("timer-hooks", U32),
};

static const struct attr_policy hist_policy[TCPWATCH_HIST_A_MAX + 1] = {
	[TCPWATCH_HIST_A_STATE]		= ATTR("state", U8),
	[TCPWATCH_HIST_A_COUNT]		= ATTR("count", U64),
	[TCPWATCH_HIST_A_SUM_US]	= ATTR("sum-us", U64),
	[TCPWATCH_HIST_A_SLOTS]		=
		BIN("slots", sizeof(uint64_t) * TCPWATCH_HIST_SLOTS),
	[TCPWATCH_HIST_A_KIND]		= ATTR("kind", U8),
};

static const struct attr_policy sock_policy[TCPWATCH_SOCK_A_MAX + 1] = {
	[TCPWATCH_SOCK_A_ID]		= SOCK_INT("id", U64, id),
	[TCPWATCH_SOCK_A_FAMILY]	= SOCK_INT("family", U8, family),
	[TCPWATCH_SOCK_A_STATE]		= SOCK_INT("state", U8, state),
	[TCPWATCH_SOCK_A_SADDR]		= BIN("saddr", 0),	/* 4 or 16 */
	[TCPWATCH_SOCK_A_DADDR]		= BIN("daddr", 0),	/* 4 or 16 */
	[TCPWATCH_SOCK_A_SPORT]		= SOCK_INT("sport", U16, sport),
	[TCPWATCH_SOCK_A_DPORT]		= SOCK_INT("dport", U16, dport),
	[TCPWATCH_SOCK_A_TRACKED]	= SOCK_INT("tracked", U8, tracked),
	[TCPWATCH_SOCK_A_SINCE_LOAD] =
		SOCK_INT("since-load", U8, since_load),
	[TCPWATCH_SOCK_A_IN_STATE_NS] =
		SOCK_INT("in-state-ns", U64, in_state_ns),
	[TCPWATCH_SOCK_A_LIFETIME_NS] =
		SOCK_INT("lifetime-ns", U64, lifetime_ns),
	[TCPWATCH_SOCK_A_TRANSITIONS] =
		SOCK_INT("transitions", U32, transitions),
	[TCPWATCH_SOCK_A_STATE_TIME]	=
		BIN("state-time", sizeof(uint64_t) * TCPWATCH_NSTATES),
	[TCPWATCH_SOCK_A_PID]		= SOCK_INT("pid", U32, pid),
	[TCPWATCH_SOCK_A_COMM]		= ATTR("comm", STRING),
	[TCPWATCH_SOCK_A_TIMER_NS]	= SOCK_INT("timer-ns", U64, timer_ns),
	[TCPWATCH_SOCK_A_TIMEWAIT]	= SOCK_INT("timewait", U8, timewait),
	[TCPWATCH_SOCK_A_EVENT]		= SOCK_INT("event", U8, event),
	[TCPWATCH_SOCK_A_TIME_NS]	= SOCK_INT("time-ns", U64, time_ns),
	[TCPWATCH_SOCK_A_OLD_STATE]	= SOCK_INT("old-state", U8, old_state),
	[TCPWATCH_SOCK_A_OLD_STATE_NS] =
		SOCK_INT("old-state-ns", U64, old_state_ns),
	[TCPWATCH_SOCK_A_NETNS]		= SOCK_INT("netns", U32, netns),
	[TCPWATCH_SOCK_A_SYN_RETRANS] =
		SOCK_INT("syn-retrans", U32, syn_retrans),
	[TCPWATCH_SOCK_A_OUTCOME]	= SOCK_INT("outcome", U8, outcome),
	[TCPWATCH_SOCK_A_SYNACK_RETRANS] =
		SOCK_INT("synack-retrans", U8, synack_retrans),
	[TCPWATCH_SOCK_A_TIMER]		= SOCK_INT("timer", U8, timer),
	[TCPWATCH_SOCK_A_RTO_US]	= SOCK_INT("rto-us", U32, rto_us),
	[TCPWATCH_SOCK_A_BACKOFF]	= SOCK_INT("backoff", U8, backoff),
	[TCPWATCH_SOCK_A_RETRANSMITS] =
		SOCK_INT("retransmits", U8, retransmits),
	[TCPWATCH_SOCK_A_PROBES]	= SOCK_INT("probes", U8, probes),
	[TCPWATCH_SOCK_A_TOTAL_RETRANS] =
		SOCK_INT("total-retrans", U32, total_retrans),
	[TCPWATCH_SOCK_A_CWND]		= SOCK_INT("cwnd", U32, cwnd),
	[TCPWATCH_SOCK_A_SSTHRESH]	= SOCK_INT("ssthresh", U32, ssthresh),
	[TCPWATCH_SOCK_A_SND_WND]	= SOCK_INT("snd-wnd", U32, snd_wnd),
	[TCPWATCH_SOCK_A_RCV_WND]	= SOCK_INT("rcv-wnd", U32, rcv_wnd),
	[TCPWATCH_SOCK_A_SND_WSCALE] =
		SOCK_INT("snd-wscale", U8, snd_wscale),
	[TCPWATCH_SOCK_A_RCV_WSCALE] =
		SOCK_INT("rcv-wscale", U8, rcv_wscale),
	[TCPWATCH_SOCK_A_MSS]		= SOCK_INT("mss", U32, mss),
	[TCPWATCH_SOCK_A_INFLIGHT]	= SOCK_INT("inflight", U32, inflight),
	[TCPWATCH_SOCK_A_UNACKED]	= SOCK_INT("unacked", U32, unacked),
	[TCPWATCH_SOCK_A_SRTT_US]	= SOCK_INT("srtt-us", U32, srtt_us),
	[TCPWATCH_SOCK_A_RTTVAR_US]	= SOCK_INT("rttvar-us", U32, rttvar_us),
	[TCPWATCH_SOCK_A_CA_STATE]	= SOCK_INT("ca-state", U8, ca_state),
	[TCPWATCH_SOCK_A_CC]		= ATTR("cc", STRING),
	[TCPWATCH_SOCK_A_RETRANS]	=
		BIN("retrans", sizeof(uint32_t) * TCPWATCH_NCAUSES),
	[TCPWATCH_SOCK_A_RTO_EXPIRIES] =
		SOCK_INT("rto-expiries", U32, rto_expiries),
	[TCPWATCH_SOCK_A_LOSS_PROBES] =
		SOCK_INT("loss-probes", U32, loss_probes),
	[TCPWATCH_SOCK_A_ZW_PROBES]	= SOCK_INT("zw-probes", U32, zw_probes),
	[TCPWATCH_SOCK_A_UNDOS]		= SOCK_INT("undos", U32, undos),
	[TCPWATCH_SOCK_A_RETRANS_CAUSE] =
		SOCK_INT("retrans-cause", U8, retrans_cause),
	[TCPWATCH_SOCK_A_OLD_CA_STATE] =
		SOCK_INT("old-ca-state", U8, old_ca_state),
	[TCPWATCH_SOCK_A_SEQ]		= SOCK_INT("seq", U32, seq),
	/* at least struct tcpwatch_live: a newer module's may be longer */
	[TCPWATCH_SOCK_A_LIVE]		= BIN("live", 0),
};

static const struct attr_policy listener_policy[TCPWATCH_LISTENER_A_MAX + 1] = {
	[TCPWATCH_LISTENER_A_FAMILY]	= ATTR("family", U8),
	[TCPWATCH_LISTENER_A_ADDR]	= BIN("addr", 0),	/* 4 or 16 */
	[TCPWATCH_LISTENER_A_PORT]	= ATTR("port", U16),
	[TCPWATCH_LISTENER_A_PID]	= ATTR("pid", U32),
	[TCPWATCH_LISTENER_A_COMM]	= ATTR("comm", STRING),
	[TCPWATCH_LISTENER_A_SINCE_LOAD] = ATTR("since-load", U8),
	[TCPWATCH_LISTENER_A_BACKLOG]	= ATTR("backlog", U32),
	[TCPWATCH_LISTENER_A_SYNQ_LEN]	= ATTR("synq-len", U32),
	[TCPWATCH_LISTENER_A_ACCEPTQ_LEN] = ATTR("acceptq-len", U32),
	[TCPWATCH_LISTENER_A_SYNCOOKIES] = ATTR("syncookies", U8),
	[TCPWATCH_LISTENER_A_SYNACK_RETRIES] = ATTR("synack-retries", U8),
	[TCPWATCH_LISTENER_A_HALFOPEN_NS] = ATTR("halfopen-ns", U64),
	[TCPWATCH_LISTENER_A_SYNACK_RETRANS] = ATTR("synack-retrans", U64),
	[TCPWATCH_LISTENER_A_SYNS]	= ATTR("syns", U64),
	[TCPWATCH_LISTENER_A_COMPLETED]	= ATTR("completed", U64),
	[TCPWATCH_LISTENER_A_EXPIRED]	= ATTR("expired", U64),
	[TCPWATCH_LISTENER_A_RESETS]	= ATTR("resets", U64),
	[TCPWATCH_LISTENER_A_SYNQ_DROPS] = ATTR("synq-drops", U64),
	[TCPWATCH_LISTENER_A_ACCEPTQ_DROPS] = ATTR("acceptq-drops", U64),
	[TCPWATCH_LISTENER_A_COOKIES_SENT] = ATTR("cookies-sent", U64),
	[TCPWATCH_LISTENER_A_COOKIES_RECV] = ATTR("cookies-recv", U64),
	[TCPWATCH_LISTENER_A_HIST]	= ATTR("hist", NESTED),
};

static const struct attr_policy halfopen_policy[TCPWATCH_HALFOPEN_A_MAX + 1] = {
	[TCPWATCH_HALFOPEN_A_FAMILY]	= ATTR("family", U8),
	[TCPWATCH_HALFOPEN_A_LADDR]	= BIN("laddr", 0),	/* 4 or 16 */
	[TCPWATCH_HALFOPEN_A_LPORT]	= ATTR("lport", U16),
	[TCPWATCH_HALFOPEN_A_RADDR]	= BIN("raddr", 0),	/* 4 or 16 */
	[TCPWATCH_HALFOPEN_A_RPORT]	= ATTR("rport", U16),
	[TCPWATCH_HALFOPEN_A_AGE_NS]	= ATTR("age-ns", U64),
	[TCPWATCH_HALFOPEN_A_SYNACK_RETRANS] = ATTR("synack-retrans", U8),
	[TCPWATCH_HALFOPEN_A_TIMER_NS]	= ATTR("timer-ns", U64),
	[TCPWATCH_HALFOPEN_A_EXPIRES_NS] = ATTR("expires-ns", U64),
	[TCPWATCH_HALFOPEN_A_MAX_RETRIES] = ATTR("max-retries", U8),
};

static const struct attr_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= ATTR("family-id", U16),
	[CTRL_ATTR_FAMILY_NAME]		= ATTR("family-name", STRING),
	[CTRL_ATTR_VERSION]		= ATTR("version", U32),
	[CTRL_ATTR_MCAST_GROUPS]	= ATTR("mcast-groups", NESTED),
};

static const struct attr_policy mcgrp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= ATTR("name", STRING),
	[CTRL_ATTR_MCAST_GRP_ID]	= ATTR("id", U32),
};

static const struct attr_policy nlerr_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= ATTR("msg", STRING),
	[NLMSGERR_ATTR_MISS_TYPE]	= ATTR("miss-type", U32),
};

/*
 * The attribute helpers of libmnl, inline: a socket row has some fifty
 * attributes, and a call or two into the library for each of them was
 * most of what parsing a dump cost.  They do what libmnl's do.
 */
static inline uint16_t attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline uint16_t attr_len(const struct nlattr *a)
{
	return a->nla_len - MNL_ATTR_HDRLEN;
}

static inline const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + MNL_ATTR_HDRLEN;
}

static inline uint8_t attr_u8(const struct nlattr *a)
{
	return *(const uint8_t *)attr_data(a);
}

static inline uint16_t attr_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

static inline uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

static inline uint64_t attr_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

/* mnl_attr_ok(): a whole attribute in the @len bytes left. */
static inline bool attr_ok(const struct nlattr *a, int len)
{
	return len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       (int)a->nla_len <= len;
}

/*
 * mnl_attr_validate2() with the policy's length (that of its type, or a
 * binary's): 0 or -1.
 */
static inline int attr_validate(const struct nlattr *a,
				const struct attr_policy *p)
{
	unsigned int len = attr_len(a);

	if (p->len && len != p->len)
		return -1;
	if (p->type == MNL_TYPE_STRING && !len)
		return -1;
	if (p->type == MNL_TYPE_NESTED && len && len < MNL_ATTR_HDRLEN)
		return -1;
	return 0;
}

/* Says why @attr does not pass its policy @p (of set @set): -1. */
static int bad_attr(const char *set, const struct attr_policy *p,
		    const struct nlattr *attr)
{
	if (p->type == MNL_TYPE_BINARY && p->len)
		return perr(EINVAL, "%s attribute %s: length %u, want %u",
			    set, p->name, attr_len(attr), p->len);
	return perr(EINVAL, "%s attribute %s: bad length %u", set, p->name,
		    attr_len(attr));
}

/* @attr against its policy @p (of set @set): 0, or -1 saying why not. */
static inline int check_attr(const char *set, const struct attr_policy *p,
			     const struct nlattr *attr)
{
	return attr_validate(attr, p) ? bad_attr(set, p, attr) : 0;
}

static int collect_one(const struct nlattr *attr, struct attr_set *set)
{
	unsigned int type = attr_type(attr);

	if (type > set->max || set->pol[type].type == MNL_TYPE_UNSPEC)
		return 0;	/* pad, or newer than this tool */
	if (check_attr(set->name, &set->pol[type], attr))
		return -1;
	if (set->multi && type == set->multi_type)
		return set->multi(attr, set->multi_data) < 0 ? -1 : 0;
	set->tb[type] = attr;
	set->present |= 1ULL << type;
	return 0;
}

/*
 * The attributes in the @len bytes at @start into @set, as
 * mnl_attr_parse() would walk them: what does not make a whole attribute
 * at the end is ignored.
 */
static int collect(const void *start, int len, struct attr_set *set)
{
	const struct nlattr *a = start;

	memset(set->tb, 0, sizeof(*set->tb) * (set->max + 1));
	set->present = 0;
	errbuf[0] = '\0';
	for (; attr_ok(a, len);
	     len -= MNL_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len))) {
		if (collect_one(a, set) < 0) {
			if (!errbuf[0])
				perr(EINVAL, "%s: malformed attributes",
				     set->name);
			errno = EINVAL;
			return -1;
		}
	}
	return 0;
}

static int parse_nested(const struct nlattr *nest, struct attr_set *set)
{
	return collect(attr_data(nest), attr_len(nest), set);
}

static int parse_payload(const struct nlmsghdr *nlh, unsigned int offset,
			 struct attr_set *set)
{
	const char *start = (const char *)nlh + MNL_NLMSG_HDRLEN +
			    MNL_ALIGN(offset);

	return collect(start, (const char *)nlh + MNL_ALIGN(nlh->nlmsg_len) -
		       start, set);
}

static void copy_str(char *dst, size_t len, const struct nlattr *attr)
{
	size_t n = attr_len(attr);
	const char *s = attr_data(attr);

	n = strnlen(s, n);
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

const struct genlmsghdr *tw_parse_genl(const struct nlmsghdr *nlh)
{
	/* mnl_nlmsg_get_payload_len() and _get_payload(), inline */
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr)) {
		perr(EINVAL, "message too short for a genetlink header");
		return NULL;
	}
	return (const void *)((const char *)nlh + MNL_NLMSG_HDRLEN);
}

static int parse_top(const struct nlmsghdr *nlh,
		     const struct nlattr *tb[TCPWATCH_A_MAX + 1])
{
	struct attr_set set = {
		.name = "tcpwatch", .pol = top_policy,
		.max = TCPWATCH_A_MAX, .tb = tb,
	};

	if (!tw_parse_genl(nlh))
		return -1;
	return parse_payload(nlh, sizeof(struct genlmsghdr), &set);
}

static inline int check_addr(const struct nlattr *attr, const char *set,
			     const char *name, uint8_t family, uint8_t *dst)
{
	unsigned int len = attr_len(attr);

	if (len != 4 && len != 16)
		return perr(EINVAL, "%s attribute %s: length %u, want 4 or 16",
			    set, name, len);
	if (len != (family == AF_INET ? 4U : 16U))
		return perr(EINVAL, "%s attribute %s: %u bytes for %s",
			    set, name, len,
			    family == AF_INET ? "AF_INET" : "AF_INET6");
	memcpy(dst, attr_data(attr), len);
	return 0;
}

/*
 * The bits of the attributes seen in @tb, and whether the @nreq
 * @required ones are there (-1 naming the first one missing otherwise).
 */
static int check_present(const struct attr_set *set, uint64_t *present,
			 const unsigned int *required, unsigned int nreq)
{
	unsigned int i;

	*present = set->present;
	for (i = 0; i < nreq; i++)
		if (!set->tb[required[i]])
			return perr(EINVAL, "%s: attribute %s missing",
				    set->name, set->pol[required[i]].name);
	return 0;
}

static int check_family(const char *set, uint8_t family)
{
	if (family != AF_INET && family != AF_INET6)
		return perr(EINVAL, "%s: unknown address family %u", set,
			    family);
	return 0;
}

bool tw_event_has_states(unsigned int event)
{
	return event == TCPWATCH_EV_STATE || event == TCPWATCH_EV_TW_ENTER ||
	       event == TCPWATCH_EV_TW_EXIT;
}

#define SOCK_BIT(a)	(1ULL << TCPWATCH_SOCK_A_##a)
_Static_assert(TCPWATCH_SOCK_A_MAX < 64, "tw_sock.present: a bit per attribute");
#define SOCK_LIVE_BITS							\
	(SOCK_BIT(TIMER) | SOCK_BIT(RTO_US) | SOCK_BIT(BACKOFF) |	\
	 SOCK_BIT(RETRANSMITS) | SOCK_BIT(PROBES) |			\
	 SOCK_BIT(TOTAL_RETRANS) | SOCK_BIT(CWND) | SOCK_BIT(SSTHRESH) |	\
	 SOCK_BIT(SND_WND) | SOCK_BIT(RCV_WND) | SOCK_BIT(SND_WSCALE) |	\
	 SOCK_BIT(RCV_WSCALE) | SOCK_BIT(MSS) | SOCK_BIT(INFLIGHT) |	\
	 SOCK_BIT(UNACKED) | SOCK_BIT(SRTT_US) | SOCK_BIT(RTTVAR_US) |	\
	 SOCK_BIT(CA_STATE))

/*
 * The attributes TCPWATCH_SOCK_A_LIVE stands for: each field to the
 * field of @s and the bit in the present mask the attribute of its name
 * would have set, so that nothing after parsing can tell the two forms
 * apart.  Returns those bits.
 */
static uint64_t sock_live(struct tw_sock *s, const struct nlattr *a)
{
	struct tcpwatch_live v;

	memcpy(&v, attr_data(a), sizeof(v));
	s->timer = v.timer;
	s->rto_us = v.rto_us;
	s->backoff = v.backoff;
	s->retransmits = v.retransmits;
	s->probes = v.probes;
	s->total_retrans = v.total_retrans;
	s->cwnd = v.cwnd;
	s->ssthresh = v.ssthresh;
	s->snd_wnd = v.snd_wnd;
	s->rcv_wnd = v.rcv_wnd;
	s->snd_wscale = v.snd_wscale;
	s->rcv_wscale = v.rcv_wscale;
	s->mss = v.mss;
	s->inflight = v.inflight;
	s->unacked = v.unacked;
	s->srtt_us = v.srtt_us;
	s->rttvar_us = v.rttvar_us;
	s->ca_state = v.ca_state;
	if (v.timer == TCPWATCH_TIMER_NONE)
		return SOCK_BIT(LIVE) | SOCK_LIVE_BITS;
	s->timer_ns = v.timer_ns;
	return SOCK_BIT(LIVE) | SOCK_LIVE_BITS | SOCK_BIT(TIMER_NS);
}

/* A sock attribute that is not an integer; the addresses to @addr[]. */
static void sock_other(struct tw_sock *s, unsigned int type,
		       const struct nlattr *a, const struct nlattr **addr)
{
	switch (type) {
	case TCPWATCH_SOCK_A_SADDR:
		addr[0] = a;
		break;
	case TCPWATCH_SOCK_A_DADDR:
		addr[1] = a;
		break;
	case TCPWATCH_SOCK_A_STATE_TIME:
		memcpy(s->state_time_ns, attr_data(a), sizeof(s->state_time_ns));
		break;
	case TCPWATCH_SOCK_A_COMM:
		copy_str(s->comm, sizeof(s->comm), a);
		break;
	case TCPWATCH_SOCK_A_CC:
		copy_str(s->cc, sizeof(s->cc), a);
		break;
	case TCPWATCH_SOCK_A_RETRANS:
		memcpy(s->retrans, attr_data(a), sizeof(s->retrans));
		break;
	}
}

/*
 * The attributes of a sock nest into @s as they come, the last of a
 * type winning: integers straight into the fields their policy names,
 * the addresses left in @addr[] (saddr, daddr) to be checked against
 * the family.  A table of every attribute, cleared and then looked up
 * field by field, cost more than the rest of parsing an event.
 */
static int sock_attrs(const struct nlattr *nest, struct tw_sock *s,
		      const struct nlattr **addr)
{
	const struct nlattr *a = attr_data(nest);
	int len = attr_len(nest);
	uint64_t present = 0;

	for (; attr_ok(a, len);
	     len -= MNL_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len))) {
		unsigned int type = attr_type(a), alen = attr_len(a);
		const struct attr_policy *p;
		char *field;

		if (type > TCPWATCH_SOCK_A_MAX)
			continue;	/* newer than this tool */
		p = &sock_policy[type];
		field = (char *)s + p->off;
		/* an integer of the right length, the most of them by far */
		if (p->off && alen == p->len) {
			present |= 1ULL << type;
			if (alen == LEN_U8)
				*field = attr_u8(a);
			else if (alen == LEN_U16)
				memcpy(field, attr_data(a), LEN_U16);
			else if (alen == LEN_U32)
				memcpy(field, attr_data(a), LEN_U32);
			else
				memcpy(field, attr_data(a), LEN_U64);
			continue;
		}
		if (p->type == MNL_TYPE_UNSPEC)
			continue;	/* pad, or newer than this tool */
		if (check_attr("sock", p, a))
			return -1;
		if (type == TCPWATCH_SOCK_A_LIVE) {
			if (alen < sizeof(struct tcpwatch_live))
				return perr(EINVAL, "sock attribute live: length %u, want at least %zu",
					    alen, sizeof(struct tcpwatch_live));
			present |= sock_live(s, a);
			continue;
		}
		present |= 1ULL << type;
		sock_other(s, type, a, addr);
	}
	s->present = present;
	return 0;
}

/* Whether @attr came; -1 naming it as missing from @set otherwise. */
static int need(const struct tw_sock *s, unsigned int attr, const char *set)
{
	if (tw_sock_has(s, attr))
		return 0;
	return perr(EINVAL, "%s: attribute %s missing", set,
		    sock_policy[attr].name);
}

/*
 * The sock nest; @event: of a TCPWATCH_CMD_EVENT, where EVENT is required
 * and STATE only of the kinds that carry states.
 */
static int parse_sock_nest(const struct nlattr *nest, struct tw_sock *s,
			   bool event)
{
	static const unsigned int required[] = {
		TCPWATCH_SOCK_A_FAMILY,
		TCPWATCH_SOCK_A_SADDR, TCPWATCH_SOCK_A_DADDR,
		TCPWATCH_SOCK_A_SPORT, TCPWATCH_SOCK_A_DPORT,
	};
	const struct nlattr *addr[2] = { NULL, NULL };
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (sock_attrs(nest, s, addr))
		return -1;
	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (need(s, required[i], "sock"))
			return -1;
	if (event && need(s, TCPWATCH_SOCK_A_EVENT, "event"))
		return -1;
	if ((!event || tw_event_has_states(s->event)) &&
	    need(s, TCPWATCH_SOCK_A_STATE, "sock"))
		return -1;
	if (check_family("sock", s->family) ||
	    check_addr(addr[0], "sock", "saddr", s->family, s->saddr) ||
	    check_addr(addr[1], "sock", "daddr", s->family, s->daddr))
		return -1;
	return 0;
}

int tw_parse_sock_nest(const struct nlattr *nest, struct tw_sock *s)
{
	return parse_sock_nest(nest, s, false);
}

/*
 * The TCPWATCH_A_SOCK nest of @nlh (the last, if several), the other
 * top-level attributes checked as parse_top() checks them: parse_top()
 * without its table, for the messages that come by the thousand.
 */
static const struct nlattr *sock_nest(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *nest = NULL;
	int len;

	if (!tw_parse_genl(nlh))
		return NULL;
	a = (const void *)((const char *)nlh + MNL_NLMSG_HDRLEN +
			   MNL_ALIGN(sizeof(struct genlmsghdr)));
	len = (const char *)nlh + MNL_ALIGN(nlh->nlmsg_len) - (const char *)a;
	for (; attr_ok(a, len);
	     len -= MNL_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len))) {
		unsigned int type = attr_type(a);

		if (type > TCPWATCH_A_MAX ||
		    top_policy[type].type == MNL_TYPE_UNSPEC)
			continue;
		if (check_attr("tcpwatch", &top_policy[type], a))
			return NULL;
		if (type == TCPWATCH_A_SOCK)
			nest = a;
	}
	if (!nest)
		perr(EINVAL, "message has no sock nest");
	return nest;
}

static int parse_sock_msg(const struct nlmsghdr *nlh, struct tw_sock *s,
			  bool event)
{
	const struct nlattr *nest = sock_nest(nlh);

	if (!nest) {
		memset(s, 0, sizeof(*s));	/* as parse_sock_nest() does */
		return -1;
	}
	return parse_sock_nest(nest, s, event);
}

int tw_parse_sock_msg(const struct nlmsghdr *nlh, struct tw_sock *s)
{
	return parse_sock_msg(nlh, s, false);
}

int tw_parse_event_msg(const struct nlmsghdr *nlh, struct tw_sock *s)
{
	return parse_sock_msg(nlh, s, true);
}

/*
 * One HIST nest: its kind (KIND absent: STATE_TIME), its state (-1 if
 * absent) and the histogram.
 */
static int parse_hist(const struct nlattr *nest, unsigned int *kind,
		      int *state, struct tw_hist *h)
{
	const struct nlattr *tb[TCPWATCH_HIST_A_MAX + 1];
	struct attr_set set = {
		.name = "hist", .pol = hist_policy,
		.max = TCPWATCH_HIST_A_MAX, .tb = tb,
	};

	if (parse_nested(nest, &set) < 0)
		return -1;
	*kind = TCPWATCH_HIST_STATE_TIME;
	if (tb[TCPWATCH_HIST_A_KIND])
		*kind = attr_u8(tb[TCPWATCH_HIST_A_KIND]);
	*state = -1;
	if (tb[TCPWATCH_HIST_A_STATE])
		*state = attr_u8(tb[TCPWATCH_HIST_A_STATE]);
	memset(h, 0, sizeof(*h));
	h->present = true;
	if (tb[TCPWATCH_HIST_A_COUNT])
		h->count = attr_u64(tb[TCPWATCH_HIST_A_COUNT]);
	if (tb[TCPWATCH_HIST_A_SUM_US])
		h->sum_us = attr_u64(tb[TCPWATCH_HIST_A_SUM_US]);
	if (tb[TCPWATCH_HIST_A_SLOTS])
		memcpy(h->slots, attr_data(tb[TCPWATCH_HIST_A_SLOTS]),
		       sizeof(h->slots));
	return 0;
}

/* A stats HIST nest: time in state by state, the other kinds by kind. */
static int stats_hist_cb(const struct nlattr *nest, void *data)
{
	struct tw_stats *st = data;
	unsigned int kind;
	struct tw_hist h;
	int state;

	if (parse_hist(nest, &kind, &state, &h) < 0)
		return -1;
	if (kind >= TW_HIST_KINDS)
		return 0;	/* a newer module's kind */
	if (kind != TCPWATCH_HIST_STATE_TIME) {
		st->kind_hist[kind] = h;	/* a state, if any, is moot */
		return 0;
	}
	if (state < 0)
		return perr(EINVAL, "hist: attribute state missing");
	if (state == 0 || state >= TCPWATCH_NSTATES)
		return perr(EINVAL, "hist: state %d out of range", state);
	st->hist[state] = h;
	return 0;
}

bool tw_listener_kind(unsigned int kind)
{
	return kind >= TCPWATCH_HIST_HALFOPEN_DONE &&
	       kind <= TCPWATCH_HIST_ACCEPT_WAIT;
}

/* A listener HIST nest: by kind, the listener kinds only. */
static int listener_hist_cb(const struct nlattr *nest, void *data)
{
	struct tw_listener *l = data;
	unsigned int kind;
	struct tw_hist h;
	int state;

	if (parse_hist(nest, &kind, &state, &h) < 0)
		return -1;
	if (tw_listener_kind(kind))
		l->kind_hist[kind] = h;
	return 0;
}

static int parse_stats_nest(const struct nlattr *nest, struct tw_stats *st)
{
	const struct nlattr *tb[TCPWATCH_STATS_A_MAX + 1];
	struct attr_set set = {
		.name = "stats", .pol = stats_policy,
		.max = TCPWATCH_STATS_A_MAX, .tb = tb,
		.multi_type = TCPWATCH_STATS_A_HIST, .multi = stats_hist_cb,
		.multi_data = st,
	};
	unsigned int i;

	if (parse_nested(nest, &set) < 0)
		return -1;
	for (i = 0; i <= TCPWATCH_STATS_A_MAX; i++)
		if (tb[i])
			st->present |= 1ULL << i;
	/* the HIST bit: a time-in-state histogram came (see kind_hist) */
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		if (st->hist[i].present)
			st->present |= 1ULL << TCPWATCH_STATS_A_HIST;

#define U32(a, f) do { if (tb[a]) st->f = attr_u32(tb[a]); } while (0)
#define U64(a, f) do { if (tb[a]) st->f = attr_u64(tb[a]); } while (0)
	U32(TCPWATCH_STATS_A_NETNS, netns);
	U64(TCPWATCH_STATS_A_UPTIME_NS, uptime_ns);
	U32(TCPWATCH_STATS_A_TRACKED, tracked);
	U32(TCPWATCH_STATS_A_MAX_TRACKED, max_tracked);
	U64(TCPWATCH_STATS_A_TRACK_DROPS, track_drops);
	U64(TCPWATCH_STATS_A_EVENTS_SENT, events_sent);
	U64(TCPWATCH_STATS_A_EVENT_DROPS, event_drops);
	U32(TCPWATCH_STATS_A_CLOSED_RING, closed_ring);
	U64(TCPWATCH_STATS_A_CLOSE_DROPS, close_drops);
	U64(TCPWATCH_STATS_A_TW_ENTERED, tw_entered);
	U64(TCPWATCH_STATS_A_TW_EXITED, tw_exited);
	U32(TCPWATCH_STATS_A_TW_LIVE, tw_live);
	U64(TCPWATCH_STATS_A_SYNACK_RETRANS, synack_retrans);
	U64(TCPWATCH_STATS_A_SYN_RETRANS, syn_retrans);
	U64(TCPWATCH_STATS_A_SYNS, hs.syns);
	U64(TCPWATCH_STATS_A_COMPLETED, hs.completed);
	U64(TCPWATCH_STATS_A_EXPIRED, hs.expired);
	U64(TCPWATCH_STATS_A_RESETS, hs.resets);
	U64(TCPWATCH_STATS_A_SYNQ_DROPS, hs.synq_drops);
	U64(TCPWATCH_STATS_A_ACCEPTQ_DROPS, hs.acceptq_drops);
	U64(TCPWATCH_STATS_A_COOKIES_SENT, hs.cookies_sent);
	U64(TCPWATCH_STATS_A_COOKIES_RECV, hs.cookies_recv);
	U64(TCPWATCH_STATS_A_HOOKS_MISSED, hooks_missed);
	U64(TCPWATCH_STATS_A_RTO_EXPIRIES, rto_expiries);
	U64(TCPWATCH_STATS_A_LOSS_PROBES, loss_probes);
	U64(TCPWATCH_STATS_A_ZW_PROBES, zw_probes);
	U64(TCPWATCH_STATS_A_UNDOS, undos);
	U64(TCPWATCH_STATS_A_CA_CHANGES, ca_changes);
	U32(TCPWATCH_STATS_A_WINLOG_INTERVAL_MS, winlog_interval_ms);
	U64(TCPWATCH_STATS_A_WINLOG_SAMPLES, winlog_samples);
	U64(TCPWATCH_STATS_A_WINLOG_DROPS, winlog_drops);
	U32(TCPWATCH_STATS_A_TIMER_HOOKS, timer_hooks);
#undef U32
#undef U64
	if (tb[TCPWATCH_STATS_A_STATE_COUNT])
		memcpy(st->state_count,
		       attr_data(tb[TCPWATCH_STATS_A_STATE_COUNT]),
		       sizeof(st->state_count));
	if (tb[TCPWATCH_STATS_A_TRANSITIONS])
		memcpy(st->transitions,
		       attr_data(tb[TCPWATCH_STATS_A_TRANSITIONS]),
		       sizeof(st->transitions));
	if (tb[TCPWATCH_STATS_A_RETRANS])
		memcpy(st->retrans,
		       attr_data(tb[TCPWATCH_STATS_A_RETRANS]),
		       sizeof(st->retrans));
	if (tb[TCPWATCH_STATS_A_WINLOG_PORT])
		st->winlog_port =
			attr_u16(tb[TCPWATCH_STATS_A_WINLOG_PORT]);
	if (tb[TCPWATCH_STATS_A_WINLOG_ADDR]) {
		unsigned int len =
			attr_len(tb[TCPWATCH_STATS_A_WINLOG_ADDR]);

		if (len != 4 && len != 16)
			return perr(EINVAL, "stats attribute winlog-addr: length %u, want 4 or 16",
				    len);
		st->winlog_addr_len = len;
		memcpy(st->winlog_addr,
		       attr_data(tb[TCPWATCH_STATS_A_WINLOG_ADDR]),
		       len);
	}
	return 0;
}

int tw_parse_stats_msg(const struct nlmsghdr *nlh, struct tw_stats *st)
{
	const struct nlattr *tb[TCPWATCH_A_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (parse_top(nlh, tb) < 0)
		return -1;
	if (tb[TCPWATCH_A_VERSION]) {
		st->has_version = true;
		copy_str(st->version, sizeof(st->version),
			 tb[TCPWATCH_A_VERSION]);
	}
	if (tb[TCPWATCH_A_ABI]) {
		st->has_abi = true;
		st->abi = attr_u32(tb[TCPWATCH_A_ABI]);
	}
	if (tb[TCPWATCH_A_STATS]) {
		st->has_stats = true;
		return parse_stats_nest(tb[TCPWATCH_A_STATS], st);
	}
	return 0;
}

int tw_parse_listener_nest(const struct nlattr *nest, struct tw_listener *l)
{
	static const unsigned int required[] = {
		TCPWATCH_LISTENER_A_FAMILY, TCPWATCH_LISTENER_A_ADDR,
		TCPWATCH_LISTENER_A_PORT,
	};
	const struct nlattr *tb[TCPWATCH_LISTENER_A_MAX + 1];
	struct attr_set set = {
		.name = "listener", .pol = listener_policy,
		.max = TCPWATCH_LISTENER_A_MAX, .tb = tb,
		.multi_type = TCPWATCH_LISTENER_A_HIST,
		.multi = listener_hist_cb, .multi_data = l,
	};
	unsigned int k;

	memset(l, 0, sizeof(*l));
	if (parse_nested(nest, &set) < 0 ||
	    check_present(&set, &l->present, required, ARRAY_SIZE(required)))
		return -1;
	for (k = 0; k < TW_HIST_KINDS; k++)
		if (l->kind_hist[k].present)
			l->present |= 1ULL << TCPWATCH_LISTENER_A_HIST;
	l->family = attr_u8(tb[TCPWATCH_LISTENER_A_FAMILY]);
	if (check_family("listener", l->family) ||
	    check_addr(tb[TCPWATCH_LISTENER_A_ADDR], "listener", "addr",
		       l->family, l->addr))
		return -1;
	l->port = attr_u16(tb[TCPWATCH_LISTENER_A_PORT]);

#define GET(a, f, w) do {						\
	if (tb[TCPWATCH_LISTENER_A_##a])				\
		l->f = attr_##w(tb[TCPWATCH_LISTENER_A_##a]);	\
} while (0)
	GET(PID, pid, u32);
	GET(SINCE_LOAD, since_load, u8);
	GET(BACKLOG, backlog, u32);
	GET(SYNQ_LEN, synq_len, u32);
	GET(ACCEPTQ_LEN, acceptq_len, u32);
	GET(SYNCOOKIES, syncookies, u8);
	GET(SYNACK_RETRIES, synack_retries, u8);
	GET(HALFOPEN_NS, halfopen_ns, u64);
	GET(SYNACK_RETRANS, synack_retrans, u64);
	GET(SYNS, hs.syns, u64);
	GET(COMPLETED, hs.completed, u64);
	GET(EXPIRED, hs.expired, u64);
	GET(RESETS, hs.resets, u64);
	GET(SYNQ_DROPS, hs.synq_drops, u64);
	GET(ACCEPTQ_DROPS, hs.acceptq_drops, u64);
	GET(COOKIES_SENT, hs.cookies_sent, u64);
	GET(COOKIES_RECV, hs.cookies_recv, u64);
#undef GET
	if (tb[TCPWATCH_LISTENER_A_COMM])
		copy_str(l->comm, sizeof(l->comm), tb[TCPWATCH_LISTENER_A_COMM]);
	return 0;
}

int tw_parse_listener_msg(const struct nlmsghdr *nlh, struct tw_listener *l)
{
	const struct nlattr *tb[TCPWATCH_A_MAX + 1];

	memset(l, 0, sizeof(*l));
	if (parse_top(nlh, tb) < 0)
		return -1;
	if (!tb[TCPWATCH_A_LISTENER])
		return perr(EINVAL, "message has no listener nest");
	return tw_parse_listener_nest(tb[TCPWATCH_A_LISTENER], l);
}

int tw_parse_halfopen_nest(const struct nlattr *nest, struct tw_halfopen *h)
{
	static const unsigned int required[] = {
		TCPWATCH_HALFOPEN_A_FAMILY, TCPWATCH_HALFOPEN_A_LADDR,
		TCPWATCH_HALFOPEN_A_LPORT, TCPWATCH_HALFOPEN_A_RADDR,
		TCPWATCH_HALFOPEN_A_RPORT,
	};
	const struct nlattr *tb[TCPWATCH_HALFOPEN_A_MAX + 1];
	struct attr_set set = {
		.name = "halfopen", .pol = halfopen_policy,
		.max = TCPWATCH_HALFOPEN_A_MAX, .tb = tb,
	};

	memset(h, 0, sizeof(*h));
	if (parse_nested(nest, &set) < 0 ||
	    check_present(&set, &h->present, required, ARRAY_SIZE(required)))
		return -1;
	h->family = attr_u8(tb[TCPWATCH_HALFOPEN_A_FAMILY]);
	if (check_family("halfopen", h->family) ||
	    check_addr(tb[TCPWATCH_HALFOPEN_A_LADDR], "halfopen", "laddr",
		       h->family, h->laddr) ||
	    check_addr(tb[TCPWATCH_HALFOPEN_A_RADDR], "halfopen", "raddr",
		       h->family, h->raddr))
		return -1;
	h->lport = attr_u16(tb[TCPWATCH_HALFOPEN_A_LPORT]);
	h->rport = attr_u16(tb[TCPWATCH_HALFOPEN_A_RPORT]);

#define GET(a, f, w) do {						\
	if (tb[TCPWATCH_HALFOPEN_A_##a])				\
		h->f = attr_##w(tb[TCPWATCH_HALFOPEN_A_##a]);	\
} while (0)
	GET(AGE_NS, age_ns, u64);
	GET(SYNACK_RETRANS, synack_retrans, u8);
	GET(TIMER_NS, timer_ns, u64);
	GET(EXPIRES_NS, expires_ns, u64);
	GET(MAX_RETRIES, max_retries, u8);
#undef GET
	return 0;
}

int tw_parse_halfopen_msg(const struct nlmsghdr *nlh, struct tw_halfopen *h)
{
	const struct nlattr *tb[TCPWATCH_A_MAX + 1];

	memset(h, 0, sizeof(*h));
	if (parse_top(nlh, tb) < 0)
		return -1;
	if (!tb[TCPWATCH_A_HALFOPEN])
		return perr(EINVAL, "message has no halfopen nest");
	return tw_parse_halfopen_nest(tb[TCPWATCH_A_HALFOPEN], h);
}

static int mcgrp_cb(const struct nlattr *nest, void *data)
{
	struct tw_family *fam = data;
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct attr_set set = {
		.name = "mcast-group", .pol = mcgrp_policy,
		.max = CTRL_ATTR_MCAST_GRP_MAX, .tb = tb,
	};

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0) {
		perr(EINVAL, "mcast-groups: malformed entry");
		return MNL_CB_ERROR;
	}
	if (parse_nested(nest, &set) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    fam->ngrps >= TW_MAX_MCGRPS)
		return MNL_CB_OK;
	copy_str(fam->grps[fam->ngrps].name, GENL_NAMSIZ,
		 tb[CTRL_ATTR_MCAST_GRP_NAME]);
	fam->grps[fam->ngrps].id = attr_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	fam->ngrps++;
	return MNL_CB_OK;
}

int tw_parse_family(const struct nlmsghdr *nlh, struct tw_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct attr_set set = {
		.name = "nlctrl", .pol = ctrl_policy,
		.max = CTRL_ATTR_MAX, .tb = tb,
	};

	memset(fam, 0, sizeof(*fam));
	if (!tw_parse_genl(nlh) ||
	    parse_payload(nlh, sizeof(struct genlmsghdr), &set) < 0)
		return -1;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return perr(EINVAL, "nlctrl: family id missing");
	fam->id = attr_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_FAMILY_NAME])
		copy_str(fam->name, sizeof(fam->name),
			 tb[CTRL_ATTR_FAMILY_NAME]);
	if (tb[CTRL_ATTR_VERSION])
		fam->version = attr_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] &&
	    mnl_attr_parse_nested(tb[CTRL_ATTR_MCAST_GROUPS], mcgrp_cb,
				  fam) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int64_t tw_family_mcgrp(const struct tw_family *fam, const char *name)
{
	unsigned int i;

	for (i = 0; i < fam->ngrps; i++)
		if (!strcmp(fam->grps[i].name, name))
			return fam->grps[i].id;
	return -1;
}

bool tw_ctrl_family_gone(const struct nlmsghdr *nlh, const char *name,
			 uint16_t id)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct attr_set set = {
		.name = "nlctrl", .pol = ctrl_policy,
		.max = CTRL_ATTR_MAX, .tb = tb,
	};
	const struct genlmsghdr *genl;
	char got[GENL_NAMSIZ];

	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return false;
	genl = tw_parse_genl(nlh);
	if (!genl || genl->cmd != CTRL_CMD_DELFAMILY ||
	    parse_payload(nlh, sizeof(*genl), &set) < 0)
		return false;
	if (tb[CTRL_ATTR_FAMILY_NAME]) {
		copy_str(got, sizeof(got), tb[CTRL_ATTR_FAMILY_NAME]);
		return !strcmp(got, name);
	}
	return tb[CTRL_ATTR_FAMILY_ID] &&
	       attr_u16(tb[CTRL_ATTR_FAMILY_ID]) == id;
}

int tw_parse_nlerr(const struct nlmsghdr *nlh, struct tw_nlerr *e)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct attr_set set = {
		.name = "extack", .pol = nlerr_policy,
		.max = NLMSGERR_ATTR_MAX, .tb = tb,
	};
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off;

	memset(e, 0, sizeof(*e));
	e->miss_type = -1;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		if (plen < sizeof(*err))
			return perr(EINVAL, "truncated netlink error message");
		e->error = -err->error;
		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < NLMSG_HDRLEN)
				return 0;
			off += err->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		int v;

		if (plen < sizeof(v))
			return 0;	/* old kernels: empty DONE */
		memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
		e->error = v < 0 ? -v : 0;
		off = sizeof(v);
	} else {
		return perr(EINVAL, "not an error or done message");
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || MNL_ALIGN(off) >= plen)
		return 0;
	if (parse_payload(nlh, off, &set) < 0)
		return 0;	/* the error code is what matters */
	if (tb[NLMSGERR_ATTR_MSG])
		copy_str(e->msg, sizeof(e->msg), tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		e->miss_type = attr_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return 0;
}
