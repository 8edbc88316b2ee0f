// SPDX-License-Identifier: GPL-2.0
/*
 * fakenl.c - the kernel's side of a `tcpwatch sockets` or `tcpwatch
 * events` run, in memory: libmnl's socket calls, and the recvmsg() and
 * ppoll() nl.c makes on an events socket, answered from prebuilt
 * datagrams, so that the benchmark times nl.c, views.c, parse.c and
 * render.c exactly as the CLI runs them, without a module.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "uapi/linux/tcpwatch.h"
#include "fakenl.h"
#include "nl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define FAKE_FAMILY_ID	0x1d
#define FAKE_PORTID	4242
#define FAKE_EVENTS_GRP	7	/* tcpwatch's "events" */
#define FAKE_NOTIFY_GRP	0x10	/* nlctrl's "notify" */
/* Sockets' fds: never a real one (past any RLIMIT_NOFILE) */
#define FAKE_FD0	1000000
#define FAKE_SOCKS	4
/* A dump skb: SKB_WITH_OVERHEAD(32768) of netlink_dump()'s allocation */
#define DGRAM_SIZE	32448
/* An events batch: nlmsg_new(NLMSG_DEFAULT_SIZE) with 4 KiB pages */
#define EV_DGRAM_SIZE	3776
/* What one row takes at most (IPv6, every attribute): leave room */
#define ROW_MAX		1024
_Static_assert(ROW_MAX >= TW_NL_REQSIZE, "put_header() clears that much");

struct dgram {
	size_t len;
	char data[DGRAM_SIZE] __attribute__((aligned(8)));
};

struct evgram {
	size_t len;
	char data[EV_DGRAM_SIZE] __attribute__((aligned(8)));
};

static struct {
	struct dgram *dump;	/* the rows, then DONE */
	size_t ndump;
	struct dgram reply[2];	/* a do's answer: the reply, the ACK */
	size_t nreply;
	struct dgram *next;	/* what recvfrom hands out next */
	struct dgram *end;
	/* events: batches of EV_DGRAM_SIZE at most */
	struct evgram *ev;
	size_t nev;
	size_t ev_next;		/* what recvmsg hands out next */
	unsigned int ev_ready;	/* how many before EAGAIN */
	int ev_fd;		/* the socket in the events group, or -1 */
} k = { .ev_fd = -1 };

/* ---- the rows, as module/genl.c's tcpw_put_row() lays them out ---- */

/* A tiny LCG: the same rows for the same seed, every run. */
static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

enum row_kind { ROW_ESTAB4, ROW_ESTAB6, ROW_TIMEWAIT, ROW_REQUEST,
		ROW_CLOSING, ROW_LISTEN };

/*
 * The mix of the VM benchmark's 50k point: held connections (both ends),
 * TIME_WAIT left by the rate runs, hping3's half-opens, a few listeners.
 */
static enum row_kind pick_kind(uint32_t r)
{
	r %= 100;
	if (r < 50)
		return ROW_ESTAB4;
	if (r < 60)
		return ROW_ESTAB6;
	if (r < 80)
		return ROW_TIMEWAIT;
	if (r < 92)
		return ROW_REQUEST;
	if (r < 98)
		return ROW_CLOSING;
	return ROW_LISTEN;
}

/* An IPv6 peer: the shapes inet_ntop() prints differently. */
static void peer6(uint8_t *b, uint32_t *s)
{
	uint32_t r = rnd(s);
	unsigned int i;

	switch (r % 8) {
	case 0:		/* v4-mapped: ::ffff:192.0.2.x */
		b[10] = b[11] = 0xff;
		b[12] = 192, b[13] = 0, b[14] = 2, b[15] = r >> 8;
		break;
	case 1:		/* link-local, a full interface id */
		b[0] = 0xfe, b[1] = 0x80;
		for (i = 8; i < 16; i++)
			b[i] = rnd(s);
		break;
	case 2:		/* zeros here and there: which run becomes "::" */
		for (i = 0; i < 16; i += 2)
			if (rnd(s) % 3 == 0)
				b[i + 1] = rnd(s);
		break;
	default:	/* 2001:db8::x */
		b[0] = 0x20, b[1] = 0x01, b[2] = 0x0d, b[3] = 0xb8;
		b[14] = r >> 8;
		b[15] = r;
	}
}

/*
 * The local end is 192.0.2.1 or 2001:db8::1; a listener (@dport 0) has
 * no peer.
 */
static void put_tuple(struct nlmsghdr *nlh, int family, uint32_t *s,
		      uint16_t sport, uint16_t dport)
{
	uint8_t a[16] = { 0 }, b[16] = { 0 };
	size_t len = family == AF_INET ? 4 : 16;
	uint32_t host = rnd(s);

	if (family == AF_INET) {
		a[0] = 192, a[1] = 0, a[2] = 2, a[3] = 1;
		b[0] = host % 8 ? 192 : host >> 16;
		b[1] = host % 8 ? 0 : host >> 8;
		b[2] = 2, b[3] = host;
	} else {
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
		a[15] = 1;
		peer6(b, s);
	}
	if (!dport)
		memset(b, 0, sizeof(b));
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_FAMILY, family);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_SADDR, len, a);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_DADDR, len, b);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SPORT, sport);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_DPORT, dport);
}

/* ID and STATE_TIME: what a tracked socket's record adds. */
static void put_record(struct nlmsghdr *nlh, uint32_t *s, uint64_t id,
		       int state)
{
	uint64_t st[TCPWATCH_NSTATES] = { 0 };

	st[2] = rnd(s) % 3000000;		/* SYN-SENT, ns */
	st[1] = (uint64_t)rnd(s) * 1000;	/* ESTABLISHED */
	if (state != 1)
		st[state] = rnd(s) % 5000000000ULL;
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_ID, id);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_STATE_TIME, sizeof(st), st);
}

/*
 * tcpw_put_live_struct(): a full socket's timers and windows, one
 * attribute.  The values drawn in the order the attributes of the same
 * names once were, so that outputs stay comparable across that change.
 */
static void put_live(struct nlmsghdr *nlh, uint32_t *s)
{
	static const uint8_t timers[] = {
		TCPWATCH_TIMER_NONE, TCPWATCH_TIMER_NONE, TCPWATCH_TIMER_NONE,
		TCPWATCH_TIMER_KEEPALIVE, TCPWATCH_TIMER_RETRANS,
		TCPWATCH_TIMER_LOSS_PROBE,
	};
	struct tcpwatch_live v = { 0 };

	v.timer = timers[rnd(s) % sizeof(timers)];
	if (v.timer != TCPWATCH_TIMER_NONE)
		v.timer_ns = (uint64_t)rnd(s) * 97;
	v.rto_us = 201000 + rnd(s) % 4000;
	v.backoff = rnd(s) % 8 ? 0 : 1;
	v.total_retrans = rnd(s) % 4;
	v.cwnd = 10 + rnd(s) % 50;
	v.ssthresh = rnd(s) % 4 ? 0x7fffffff : 7 + rnd(s) % 40;
	v.snd_wnd = 65483 + rnd(s) % 100000;
	v.rcv_wnd = 65536;
	v.snd_wscale = 7;
	v.rcv_wscale = 7;
	v.mss = 1448;
	v.srtt_us = 20 + rnd(s) % 3000;
	v.rttvar_us = 10 + rnd(s) % 1500;
	v.ca_state = TCPWATCH_CA_OPEN;
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_LIVE, sizeof(v), &v);
	mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_CC, "cubic");
}

/* tcpw_put_xcount(): a tracked full socket's counts. */
static void put_xcount(struct nlmsghdr *nlh, uint32_t *s)
{
	uint32_t retrans[TCPWATCH_NCAUSES] = { 0 };

	retrans[TCPWATCH_CAUSE_RTO] = rnd(s) % 3;
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_RETRANS, sizeof(retrans), retrans);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_UNDOS, 0);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_RTO_EXPIRIES, retrans[0]);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_LOSS_PROBES, rnd(s) % 2);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_ZW_PROBES, 0);
}

static void put_row(struct nlmsghdr *nlh, size_t i, uint32_t *s)
{
	/* mostly plain names; one a JSON escape and a '?' in the table */
	static const char * const comms[] = {
		"hold", "iperf3", "sshd", "hold", "nginx: worker", "hold",
		"hold", "iperf3", "hold", "hold", "sshd", "hold", "iperf3",
		"hold", "hold", "t\xc3\xabst\x01\"q",
	};
	enum row_kind kind = pick_kind(rnd(s));
	int family = kind == ROW_ESTAB6 ? AF_INET6 : AF_INET;
	bool tracked = kind != ROW_REQUEST && rnd(s) % 16;
	bool full = kind != ROW_TIMEWAIT && kind != ROW_REQUEST;
	int state = kind == ROW_TIMEWAIT ? 6 : kind == ROW_REQUEST ? 12 :
		    kind == ROW_CLOSING ? 8 : kind == ROW_LISTEN ? 10 : 1;
	uint16_t sport = kind == ROW_LISTEN ? 7000 + i % 16 :
			 kind == ROW_REQUEST ? 7200 : 1024 + i % 64000;
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	/* from ns to days: every unit of tw_fmt_duration() */
	uint64_t in_state = (uint64_t)rnd(s) << (rnd(s) % 26);

	if (kind == ROW_LISTEN)
		put_tuple(nlh, family, s, sport, 0);
	else
		put_tuple(nlh, family, s, sport, 7001 + rnd(s) % 4);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_STATE, state);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TRACKED, tracked);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_SINCE_LOAD,
			kind != ROW_REQUEST && !tracked);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMEWAIT, kind == ROW_TIMEWAIT);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_TRANSITIONS,
			 tracked ? 2 + rnd(s) % 4 : 0);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_LIFETIME_NS,
			 kind == ROW_REQUEST ? 0 : in_state + rnd(s));
	if (tracked && full) {
		mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_PID, 300 + i % 7);
		mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_COMM,
				  comms[i % ARRAY_SIZE(comms)]);
	}
	if (tracked)
		put_record(nlh, s, 1000 + i, state);
	if (kind != ROW_REQUEST)
		mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_IN_STATE_NS, in_state);
	if (kind == ROW_TIMEWAIT) {
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMER,
				TCPWATCH_TIMER_TIME_WAIT);
		mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIMER_NS,
				 rnd(s) % 60000 * 1000000ULL);
	}
	if (full)
		put_live(nlh, s);
	if (tracked && full && kind != ROW_LISTEN)
		put_xcount(nlh, s);
	if (kind == ROW_ESTAB4 && rnd(s) % 50 == 0)
		mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SYN_RETRANS, 1);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * A genl message header at @p, as nl.c builds a request (it clears
 * TW_NL_REQSIZE bytes, which ROW_MAX leaves); the seq comes later.
 */
static struct nlmsghdr *put_header(void *p, uint16_t type, uint16_t flags,
				   uint8_t cmd)
{
	struct nlmsghdr *nlh;

	nlh = tw_nl_put_request(p, type, cmd, TCPWATCH_GENL_VERSION, flags);
	nlh->nlmsg_pid = FAKE_PORTID;
	return nlh;
}

/* NLMSG_DONE (error 0) or NLMSG_ERROR (an ACK) alone in @d. */
static void put_end(struct dgram *d, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(d->data);
	void *p;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_pid = FAKE_PORTID;
	p = mnl_nlmsg_put_extra_header(nlh, type == NLMSG_DONE ? sizeof(int) :
				       sizeof(struct nlmsgerr));
	memset(p, 0, nlh->nlmsg_len - NLMSG_HDRLEN);
	d->len = nlh->nlmsg_len;
}

int fakenl_build(size_t n, unsigned int seed, size_t *bytes)
{
	size_t cap = n / 16 + 2, i;
	uint32_t s = seed;
	struct dgram *d;

	fakenl_free();
	k.dump = calloc(cap, sizeof(*k.dump));
	if (!k.dump)
		return -1;
	*bytes = 0;
	d = k.dump;
	for (i = 0; i < n; i++) {
		struct nlmsghdr *nlh;

		if (DGRAM_SIZE - d->len < ROW_MAX) {
			if (++d == k.dump + cap - 1) {
				errno = ENOMEM;	/* rows larger than thought */
				return -1;
			}
		}
		nlh = put_header(d->data + d->len, FAKE_FAMILY_ID, NLM_F_MULTI,
				 TCPWATCH_CMD_GET_SOCKETS);
		put_row(nlh, i, &s);
		d->len += nlh->nlmsg_len;
		*bytes += nlh->nlmsg_len;
	}
	if (d->len)
		d++;
	put_end(d++, NLMSG_DONE, NLM_F_MULTI);
	k.ndump = d - k.dump;
	return 0;
}

int fakenl_load(const char *path, size_t *n, size_t *bytes)
{
	size_t cap = 16, got, off = 0, len;
	struct dgram *d;
	char *file;
	FILE *f;

	fakenl_free();
	f = fopen(path, "r");
	if (!f)
		return -1;
	file = malloc(1 << 20);
	for (len = 0; file && (got = fread(file + len, 1, (1 << 20), f)) > 0;
	     file = realloc(file, len + (1 << 20)))
		len += got;
	fclose(f);
	k.dump = calloc(cap, sizeof(*k.dump));
	if (!file || !k.dump) {
		free(file);
		errno = ENOMEM;
		return -1;
	}
	*n = *bytes = 0;
	d = k.dump;
	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(file + off);
		size_t mlen = NLMSG_ALIGN(nlh->nlmsg_len);

		if (nlh->nlmsg_len < sizeof(*nlh) || mlen > len - off ||
		    mlen > DGRAM_SIZE)
			break;	/* a torn end: what came whole is the dump */
		off += mlen;
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;	/* the recording's own DONE */
		if (DGRAM_SIZE - d->len < mlen) {
			if (++d == k.dump + cap - 1) {
				size_t i = d - k.dump;
				struct dgram *m = realloc(k.dump,
							  2 * cap * sizeof(*m));

				if (!m) {
					free(file);
					errno = ENOMEM;
					return -1;
				}
				memset(m + cap, 0, cap * sizeof(*m));
				k.dump = m;
				d = m + i;
				cap *= 2;
			}
		}
		memcpy(d->data + d->len, nlh, nlh->nlmsg_len);
		nlh = (struct nlmsghdr *)(d->data + d->len);
		nlh->nlmsg_type = FAKE_FAMILY_ID;
		nlh->nlmsg_pid = FAKE_PORTID;
		d->len += mlen;
		*bytes += mlen;
		++*n;
	}
	free(file);
	if (d->len)
		d++;
	put_end(d++, NLMSG_DONE, NLM_F_MULTI);
	k.ndump = d - k.dump;
	return 0;
}

void fakenl_free(void)
{
	free(k.dump);
	k.dump = NULL;
	k.ndump = 0;
	free(k.ev);
	k.ev = NULL;
	k.nev = 0;
}

/* ---- events, as module/genl.c's tcpw_event_put() lays them out ---- */

/*
 * A connection's events on loopback as connrate (scripts/bench.d) makes
 * them, the workload of the VM benchmark's event reader: the client's
 * socket (owner known from connect()) and the server's (known once it
 * closes), each tracked (ID and OLD_STATE_NS).
 */
static const struct life_event {
	uint8_t kind, old, new;
	bool client, owner;
} life[] = {
	{ TCPWATCH_EV_STATE, 7, 2, true, true },	/* CLOSE -> SYN_SENT */
	{ TCPWATCH_EV_STATE, 10, 3, false, false },	/* LISTEN -> SYN_RECV */
	{ TCPWATCH_EV_STATE, 2, 1, true, true },	/* -> ESTABLISHED */
	{ TCPWATCH_EV_STATE, 3, 1, false, false },
	{ TCPWATCH_EV_STATE, 1, 4, true, true },	/* -> FIN_WAIT1 */
	{ TCPWATCH_EV_STATE, 1, 8, false, false },	/* -> CLOSE_WAIT */
	{ TCPWATCH_EV_STATE, 4, 5, true, true },	/* -> FIN_WAIT2 */
	{ TCPWATCH_EV_STATE, 8, 9, false, true },	/* -> LAST_ACK */
	{ TCPWATCH_EV_STATE, 5, 7, true, true },	/* -> CLOSE */
	{ TCPWATCH_EV_TW_ENTER, 7, 6, true, true },	/* its TIME_WAIT */
	{ TCPWATCH_EV_STATE, 9, 7, false, true },	/* LAST_ACK -> CLOSE */
};

static void put_event(struct nlmsghdr *nlh, size_t i, uint32_t *s)
{
	const struct life_event *e = &life[i % ARRAY_SIZE(life)];
	size_t conn = i / ARRAY_SIZE(life);
	uint8_t lo[4] = { 127, 0, 0, 1 };
	uint16_t port = 1024 + conn % 64000;
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);

	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_EVENT, e->kind);
	/* 10,000 events a second, as the VM benchmark's 37% reader saw */
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIME_NS,
			 1700000000000000000ULL + i * 100000);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_NETNS, 4026532300U);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_SADDR, 4, lo);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_DADDR, 4, lo);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SPORT, e->client ? port : 9000);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_DPORT, e->client ? 9000 : port);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_OLD_STATE, e->old);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_STATE, e->new);
	if (e->owner) {
		mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_PID,
				 e->client ? 4242 : 4241);
		mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_COMM, "connrate");
	}
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_ID, 2 * conn + e->client + 1);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_OLD_STATE_NS,
			 e->kind == TCPWATCH_EV_TW_ENTER ? 0 :
			 e->old == 1 ? 1000000 + rnd(s) % 4000000 :
			 20000 + rnd(s) % 80000);
	mnl_attr_nest_end(nlh, nest);
}

int fakenl_build_events(size_t n, unsigned int seed, size_t *bytes)
{
	char msg[ROW_MAX] __attribute__((aligned(8)));
	size_t cap = 0, i;
	uint32_t s = seed;

	free(k.ev);
	k.ev = NULL;
	k.nev = 0;
	*bytes = 0;
	for (i = 0; i < n; i++) {
		struct nlmsghdr *nlh = put_header(msg, FAKE_FAMILY_ID, 0,
						  TCPWATCH_CMD_EVENT);
		struct evgram *d = k.nev ? &k.ev[k.nev - 1] : NULL;

		nlh->nlmsg_pid = 0;	/* multicast: port 0, seq 0 */
		put_event(nlh, i, &s);
		if (!d || d->len + nlh->nlmsg_len > EV_DGRAM_SIZE) {
			/* full: the batch goes, the event starts the next */
			if (k.nev == cap) {
				void *ev;

				cap = cap ? 2 * cap : 1024;
				ev = realloc(k.ev, cap * sizeof(*k.ev));
				if (!ev)
					return -1;
				k.ev = ev;
			}
			d = &k.ev[k.nev++];
			d->len = 0;
		}
		memcpy(d->data + d->len, nlh, nlh->nlmsg_len);
		d->len += nlh->nlmsg_len;
		*bytes += nlh->nlmsg_len;
	}
	return 0;
}

/* Every message of @d gets the request's @seq. */
static void set_seq(struct dgram *d, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)d->data;
	int len = d->len;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		nlh->nlmsg_seq = seq;
}

/* Whether request @nlh asks for family @name. */
static bool asks_for(const struct nlmsghdr *nlh, const char *name)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME)
			return !strcmp(mnl_attr_get_str(a), name);
	return false;
}

/*
 * nlctrl's answer to CTRL_CMD_GETFAMILY "tcpwatch" (with its "events"
 * group) or "nlctrl" (its "notify" group), then the ACK.
 */
static void answer_getfamily(const struct nlmsghdr *req)
{
	bool ctrl = asks_for(req, "nlctrl");
	struct nlattr *grps, *grp;
	struct nlmsghdr *nlh;

	memset(k.reply, 0, sizeof(k.reply));
	nlh = put_header(k.reply[0].data, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID,
			 ctrl ? GENL_ID_CTRL : FAKE_FAMILY_ID);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME,
			  ctrl ? "nlctrl" : TCPWATCH_GENL_NAME);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION,
			 ctrl ? 2 : TCPWATCH_GENL_VERSION);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME,
			  ctrl ? "notify" : TCPWATCH_MCGRP_EVENTS);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID,
			 ctrl ? FAKE_NOTIFY_GRP : FAKE_EVENTS_GRP);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	k.reply[0].len = nlh->nlmsg_len;
	put_end(&k.reply[1], NLMSG_ERROR, NLM_F_CAPPED);
	set_seq(&k.reply[0], req->nlmsg_seq);
	set_seq(&k.reply[1], req->nlmsg_seq);
	k.next = k.reply;
	k.end = k.reply + 2;
}

static void answer_dump(uint32_t seq)
{
	size_t i;

	for (i = 0; i < k.ndump; i++)
		set_seq(&k.dump[i], seq);
	k.next = k.dump;
	k.end = k.dump + k.ndump;
}

/* ---- libmnl's socket calls, as far as nl.c uses them ---- */

struct mnl_socket {
	int fd;			/* FAKE_FD0 + its index; 0: free */
};

static struct mnl_socket socks[FAKE_SOCKS];

struct mnl_socket *mnl_socket_open(int bus)
{
	unsigned int i;

	(void)bus;
	k.next = k.end = NULL;
	for (i = 0; i < FAKE_SOCKS; i++) {
		if (!socks[i].fd) {
			socks[i].fd = FAKE_FD0 + i;
			return &socks[i];
		}
	}
	errno = EMFILE;
	return NULL;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)nl, (void)groups, (void)pid;
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	(void)nl;
	return FAKE_PORTID;
}

int mnl_socket_get_fd(const struct mnl_socket *nl)
{
	return nl->fd;
}

/* Joining the events group starts the events over. */
int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	if (type == NETLINK_ADD_MEMBERSHIP && len == sizeof(int) &&
	    *(int *)buf == FAKE_EVENTS_GRP) {
		k.ev_fd = nl->fd;
		k.ev_next = 0;
		k.ev_ready = 0;
	}
	return 0;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	if (nl->fd == k.ev_fd)
		k.ev_fd = -1;
	nl->fd = 0;
	return 0;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req,
			  size_t siz)
{
	const struct nlmsghdr *nlh = req;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	(void)nl;
	if (nlh->nlmsg_type == GENL_ID_CTRL &&
	    genl->cmd == CTRL_CMD_GETFAMILY)
		answer_getfamily(nlh);
	else if (nlh->nlmsg_type == FAKE_FAMILY_ID &&
		 genl->cmd == TCPWATCH_CMD_GET_SOCKETS)
		answer_dump(nlh->nlmsg_seq);
	else
		return errno = EOPNOTSUPP, -1;
	return siz;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
			    size_t siz)
{
	const struct dgram *d = k.next;

	(void)nl;
	if (!d || d == k.end)
		return errno = EAGAIN, -1;
	if (d->len > siz)
		return errno = ENOSPC, -1;
	memcpy(buf, d->data, d->len);	/* the kernel's copy to user */
	k.next++;
	return d->len;
}

/* ---- the calls nl.c makes on an events socket's fd ---- */

/*
 * The events socket is ready while events are left, one batch a wakeup
 * (the VM benchmark's rate: a page of events the module sends at a time,
 * and a reader that keeps up); the others never are.  Out of events, an
 * error ends the run: the benchmark asks for as many events as it built
 * (-c), so this is not reached.
 */
/* glibc declares ppoll()'s @fds write-only; they are read too */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *tmo,
	  const sigset_t *sigmask)
{
	int ready = 0;
	nfds_t i;

	(void)tmo, (void)sigmask;
	for (i = 0; i < n; i++) {
		fds[i].revents = 0;
		if (fds[i].fd == k.ev_fd && k.ev_next < k.nev) {
			fds[i].revents = POLLIN;
			k.ev_ready = 1;
			ready++;
		}
	}
	if (!ready) {
		errno = EIO;
		return -1;
	}
	return ready;
}
#pragma GCC diagnostic pop

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl *addr = msg->msg_name;
	const struct evgram *d;

	if (fd < FAKE_FD0)
		return syscall(SYS_recvmsg, fd, msg, flags);
	if (fd != k.ev_fd || !k.ev_ready || k.ev_next >= k.nev) {
		errno = EAGAIN;
		return -1;
	}
	d = &k.ev[k.ev_next++];
	k.ev_ready--;
	if (msg->msg_iovlen < 1 || msg->msg_iov[0].iov_len < d->len) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(msg->msg_iov[0].iov_base, d->data, d->len);	/* to user */
	memset(addr, 0, sizeof(*addr));		/* from the kernel */
	addr->nl_family = AF_NETLINK;
	msg->msg_namelen = sizeof(*addr);
	msg->msg_flags = 0;
	return d->len;
}
