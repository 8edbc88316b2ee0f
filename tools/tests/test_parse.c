// SPDX-License-Identifier: GPL-2.0
/*
 * test_parse.c - hand-built netlink messages through parse.c: a GET_STATS
 * reply, socket dump records, events, the nlctrl family reply, netlink
 * errors with extack, and malformed variants of each.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "parse.h"
#include "msg.h"
#include "unit.h"

/* ---- GET_STATS ---- */

enum stats_fault {
	SF_NONE,
	SF_TRANSITIONS_SHORT,	/* u32 instead of u64 matrix */
	SF_TRANSITIONS_LONG,
	SF_STATE_COUNT_LEN,
	SF_SLOTS_LEN,
	SF_HIST_NO_STATE,
	SF_HIST_STATE_RANGE,
	SF_U64_AS_U32,
};

static void put_hist(struct nlmsghdr *nlh, uint8_t state, uint64_t count,
		     uint64_t sum, const uint64_t *slots, enum stats_fault fault)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_STATS_A_HIST);

	if (fault != SF_HIST_NO_STATE)
		mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_STATE,
				fault == SF_HIST_STATE_RANGE ? 13 : state);
	put_pad(nlh, TCPWATCH_HIST_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_COUNT, count);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_SUM_US, sum);
	mnl_attr_put(nlh, TCPWATCH_HIST_A_SLOTS,
		     sizeof(uint64_t) * TCPWATCH_HIST_SLOTS -
		     (fault == SF_SLOTS_LEN ? 8 : 0), slots);
	mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *build_stats(void *buf, enum stats_fault fault)
{
	/* one spare row, for the too-long variant */
	static uint64_t trans[TCPWATCH_NSTATES + 1][TCPWATCH_NSTATES];
	const size_t tlen = sizeof(uint64_t) * TCPWATCH_NSTATES *
			    TCPWATCH_NSTATES;
	static uint32_t count[TCPWATCH_NSTATES + 1];
	static uint64_t slots_est[TCPWATCH_HIST_SLOTS];
	static uint64_t slots_tw[TCPWATCH_HIST_SLOTS];
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_STATS);
	struct nlattr *stats;
	unsigned int i;

	memset(trans, 0, sizeof(trans));
	trans[7][2] = 5;	/* CLOSE -> SYN_SENT */
	trans[2][1] = 4;	/* SYN_SENT -> ESTABLISHED */
	trans[10][12] = 9;	/* LISTEN -> NEW_SYN_RECV */
	trans[1][4] = 3;	/* ESTABLISHED -> FIN_WAIT1 */
	trans[12][12] = 0x123456789abcdef0ULL;
	for (i = 0; i < TCPWATCH_NSTATES; i++)
		count[i] = i * 10;
	for (i = 0; i < TCPWATCH_HIST_SLOTS; i++) {
		slots_est[i] = i;
		slots_tw[i] = i == 31 ? 7 : 0;
	}

	nlh->nlmsg_flags = 0;
	mnl_attr_put_strz(nlh, TCPWATCH_A_VERSION, "0.1.0-test");
	mnl_attr_put_u32(nlh, TCPWATCH_A_ABI, TCPWATCH_GENL_VERSION);
	stats = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_NETNS, 4026531840U);
	put_pad(nlh, TCPWATCH_STATS_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_UPTIME_NS, 7500000000000ULL);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_TRACKED, 42);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_MAX_TRACKED, 65536);
	if (fault == SF_U64_AS_U32)
		mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_TRACK_DROPS, 1);
	else
		mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_TRACK_DROPS, 1);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_EVENTS_SENT, 1000000000000ULL);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_EVENT_DROPS, 2);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_CLOSED_RING, 1024);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_CLOSE_DROPS, 3);
	mnl_attr_put(nlh, TCPWATCH_STATS_A_STATE_COUNT,
		     sizeof(uint32_t) * (TCPWATCH_NSTATES +
					 (fault == SF_STATE_COUNT_LEN)),
		     count);
	if (fault == SF_TRANSITIONS_SHORT)
		mnl_attr_put(nlh, TCPWATCH_STATS_A_TRANSITIONS,
			     sizeof(uint32_t) * TCPWATCH_NSTATES *
			     TCPWATCH_NSTATES, trans);
	else if (fault == SF_TRANSITIONS_LONG)
		mnl_attr_put(nlh, TCPWATCH_STATS_A_TRANSITIONS, tlen + 8,
			     trans);
	else
		mnl_attr_put(nlh, TCPWATCH_STATS_A_TRANSITIONS, tlen, trans);
	put_hist(nlh, 1, 100, 123456789, slots_est, SF_NONE);
	put_hist(nlh, 6, 7, 7 * 1500000000ULL, slots_tw, fault);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_TW_ENTERED, 11);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_TW_EXITED, 8);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_TW_LIVE, 3);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_SYNACK_RETRANS, 17);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_SYN_RETRANS, 5);
	/* a newer module's attribute: skipped */
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_MAX + 5, 77);
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_put_u32(nlh, TCPWATCH_A_MAX + 3, 1);
	return nlh;
}

static void test_stats(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct nlmsghdr *nlh = build_stats(buf, SF_NONE);
	unsigned int i, j, nonzero = 0;

	CHECK_EQ(tw_parse_stats_msg(nlh, st), 0);
	CHECK(st->has_version && st->has_abi && st->has_stats);
	CHECK_STR(st->version, "0.1.0-test");
	CHECK_EQ(st->abi, TCPWATCH_GENL_VERSION);
	CHECK_EQ(st->netns, 4026531840U);
	CHECK_EQ(st->uptime_ns, 7500000000000ULL);
	CHECK_EQ(st->tracked, 42);
	CHECK_EQ(st->max_tracked, 65536);
	CHECK_EQ(st->track_drops, 1);
	CHECK_EQ(st->events_sent, 1000000000000ULL);
	CHECK_EQ(st->event_drops, 2);
	CHECK_EQ(st->closed_ring, 1024);
	CHECK_EQ(st->close_drops, 3);
	CHECK_EQ(st->tw_entered, 11);
	CHECK_EQ(st->tw_exited, 8);
	CHECK_EQ(st->tw_live, 3);
	CHECK_EQ(st->synack_retrans, 17);
	CHECK_EQ(st->syn_retrans, 5);
	CHECK(tw_stats_has(st, TCPWATCH_STATS_A_SYNACK_RETRANS));
	CHECK(tw_stats_has(st, TCPWATCH_STATS_A_SYN_RETRANS));
	for (i = 0; i < TW_HIST_KINDS; i++)
		CHECK(!st->kind_hist[i].present);	/* an older module */
	for (i = 0; i < TCPWATCH_NSTATES; i++)
		CHECK_EQ(st->state_count[i], i * 10);
	CHECK_EQ(st->transitions[7][2], 5);
	CHECK_EQ(st->transitions[2][1], 4);
	CHECK_EQ(st->transitions[10][12], 9);
	CHECK_EQ(st->transitions[1][4], 3);
	CHECK_EQ(st->transitions[12][12], 0x123456789abcdef0ULL);
	for (i = 0; i < TCPWATCH_NSTATES; i++)
		for (j = 0; j < TCPWATCH_NSTATES; j++)
			nonzero += st->transitions[i][j] != 0;
	CHECK_EQ(nonzero, 5);
	CHECK(tw_stats_has(st, TCPWATCH_STATS_A_HIST));
	CHECK(tw_stats_has(st, TCPWATCH_STATS_A_TRANSITIONS));
	CHECK(tw_stats_has(st, TCPWATCH_STATS_A_TW_LIVE));
	CHECK(st->hist[1].present);
	CHECK_EQ(st->hist[1].count, 100);
	CHECK_EQ(st->hist[1].sum_us, 123456789);
	for (i = 0; i < TCPWATCH_HIST_SLOTS; i++)
		CHECK_EQ(st->hist[1].slots[i], i);
	CHECK(st->hist[6].present);
	CHECK_EQ(st->hist[6].count, 7);
	CHECK_EQ(st->hist[6].slots[31], 7);
	CHECK_EQ(st->hist[6].slots[30], 0);
	for (i = 0; i < TCPWATCH_NSTATES; i++)
		if (i != 1 && i != 6)
			CHECK(!st->hist[i].present);
	free(st);
}

static void expect_stats_error(enum stats_fault fault, const char *what)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_stats *st = calloc(1, sizeof(*st));

	errno = 0;
	if (tw_parse_stats_msg(build_stats(buf, fault), st) == 0)
		tw_fail(__FILE__, __LINE__, "fault %d accepted", fault);
	CHECK_EQ(errno, EINVAL);
	CHECK_CONTAINS(tw_parse_strerror(), what);
	free(st);
}

static void test_stats_bad_transitions(void)
{
	expect_stats_error(SF_TRANSITIONS_SHORT, "transitions: length 676, want 1352");
	expect_stats_error(SF_TRANSITIONS_LONG, "transitions: length 1360, want 1352");
}

static void test_stats_bad_lengths(void)
{
	expect_stats_error(SF_STATE_COUNT_LEN, "state-count: length 56, want 52");
	expect_stats_error(SF_SLOTS_LEN, "slots: length 248, want 256");
	expect_stats_error(SF_U64_AS_U32, "track-drops");
}

static void test_stats_bad_hist(void)
{
	expect_stats_error(SF_HIST_NO_STATE, "hist: attribute state missing");
	expect_stats_error(SF_HIST_STATE_RANGE, "hist: state 13 out of range");
}

/*
 * A HIST nest of attribute @type as the module sends one of kind @kind
 * (-1: no KIND).
 */
static void put_hist_nest(struct nlmsghdr *nlh, uint16_t type, int kind,
			  int state, uint64_t count, uint64_t sum,
			  const uint64_t *slots)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (kind >= 0)
		mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_KIND, kind);
	if (state >= 0)
		mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_STATE, state);
	put_pad(nlh, TCPWATCH_HIST_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_COUNT, count);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_SUM_US, sum);
	mnl_attr_put(nlh, TCPWATCH_HIST_A_SLOTS,
		     sizeof(uint64_t) * TCPWATCH_HIST_SLOTS, slots);
	/* a newer module's attribute inside the nest: skipped */
	mnl_attr_put_u32(nlh, TCPWATCH_HIST_A_MAX + 1, 99);
	mnl_attr_nest_end(nlh, nest);
}

/* A stats HIST nest. */
static void put_kind_hist(struct nlmsghdr *nlh, int kind, int state,
			  uint64_t count, uint64_t sum, const uint64_t *slots)
{
	put_hist_nest(nlh, TCPWATCH_STATS_A_HIST, kind, state, count, sum,
		      slots);
}

/*
 * The histograms of the extended reply: state time without KIND (older
 * modules) and with KIND 0, the other five kinds, and a kind from
 * the future (skipped, even without a state).
 */
static void test_stats_hist_kinds(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static uint64_t slots[TCPWATCH_HIST_SLOTS];
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_STATS);
	struct nlattr *stats;
	unsigned int i;

	for (i = 0; i < TCPWATCH_HIST_SLOTS; i++)
		slots[i] = i + 1;
	mnl_attr_put_u32(nlh, TCPWATCH_A_ABI, TCPWATCH_GENL_VERSION);
	stats = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	put_kind_hist(nlh, -1, 1, 10, 100, slots);
	put_kind_hist(nlh, TCPWATCH_HIST_STATE_TIME, 6, 20, 200, slots);
	put_kind_hist(nlh, TCPWATCH_HIST_CONNECT, -1, 30, 300, slots);
	put_kind_hist(nlh, TCPWATCH_HIST_HALFOPEN_DONE, -1, 40, 400, slots);
	/* a state beside another kind is moot, even a bad one */
	put_kind_hist(nlh, TCPWATCH_HIST_HALFOPEN_EXPIRED, 200, 0, 0, slots);
	put_kind_hist(nlh, TCPWATCH_HIST_SYNACK_RETRANS, -1, 50, 7, slots);
	put_kind_hist(nlh, TCPWATCH_HIST_ACCEPT_WAIT, -1, 80, 800, slots);
	put_kind_hist(nlh, TW_HIST_KINDS, -1, 60, 600, slots);
	put_kind_hist(nlh, 255, 3, 70, 700, slots);
	mnl_attr_nest_end(nlh, stats);

	CHECK_EQ(tw_parse_stats_msg(nlh, st), 0);
	CHECK(tw_stats_has(st, TCPWATCH_STATS_A_HIST));
	CHECK(st->hist[1].present);
	CHECK_EQ(st->hist[1].count, 10);
	CHECK(st->hist[6].present);
	CHECK_EQ(st->hist[6].count, 20);
	CHECK_EQ(st->hist[6].sum_us, 200);
	CHECK(!st->hist[3].present);	/* the future kind's state */
	CHECK(!st->kind_hist[TCPWATCH_HIST_STATE_TIME].present);
	CHECK(st->kind_hist[TCPWATCH_HIST_CONNECT].present);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_CONNECT].count, 30);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_CONNECT].sum_us, 300);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_CONNECT].slots[31], 32);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].count, 40);
	CHECK(st->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].present);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].count, 0);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].count, 50);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].sum_us, 7);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].slots[0], 1);
	CHECK(st->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].present);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].count, 80);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].sum_us, 800);
	CHECK_EQ(st->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].slots[5], 6);
	free(st);
}

/* Only handshake histograms: the HIST bit stays for time in state. */
static void test_stats_hist_kinds_only(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const uint64_t slots[TCPWATCH_HIST_SLOTS];
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_STATS);
	struct nlattr *stats = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);

	put_kind_hist(nlh, TCPWATCH_HIST_CONNECT, -1, 1, 1, slots);
	mnl_attr_nest_end(nlh, stats);
	CHECK_EQ(tw_parse_stats_msg(nlh, st), 0);
	CHECK(!tw_stats_has(st, TCPWATCH_STATS_A_HIST));
	CHECK(st->kind_hist[TCPWATCH_HIST_CONNECT].present);
	free(st);
}

static void test_stats_hist_kind_bad(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const uint64_t slots[TCPWATCH_HIST_SLOTS];
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct nlmsghdr *nlh;
	struct nlattr *stats, *hist;

	/* KIND as a u32 */
	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_STATS);
	stats = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	hist = mnl_attr_nest_start(nlh, TCPWATCH_STATS_A_HIST);
	mnl_attr_put_u32(nlh, TCPWATCH_HIST_A_KIND, TCPWATCH_HIST_CONNECT);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_nest_end(nlh, stats);
	CHECK(tw_parse_stats_msg(nlh, st) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "hist attribute kind: bad length 4");

	/* a handshake kind with short slots */
	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_STATS);
	stats = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	hist = mnl_attr_nest_start(nlh, TCPWATCH_STATS_A_HIST);
	mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_KIND, TCPWATCH_HIST_SYNACK_RETRANS);
	mnl_attr_put(nlh, TCPWATCH_HIST_A_SLOTS, 16, slots);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_nest_end(nlh, stats);
	CHECK(tw_parse_stats_msg(nlh, st) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "slots: length 16, want 256");

	/* KIND 0 still needs its state */
	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_STATS);
	stats = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	put_kind_hist(nlh, TCPWATCH_HIST_STATE_TIME, -1, 1, 1, slots);
	mnl_attr_nest_end(nlh, stats);
	CHECK(tw_parse_stats_msg(nlh, st) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "hist: attribute state missing");
	free(st);
}

static void test_stats_minimal(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_STATS);

	mnl_attr_put_strz(nlh, TCPWATCH_A_VERSION, "x");
	CHECK_EQ(tw_parse_stats_msg(nlh, st), 0);
	CHECK(st->has_version && !st->has_abi && !st->has_stats);
	CHECK_EQ(st->present, 0);
	free(st);
}

/* ---- sockets and events ---- */

enum sock_fault {
	K_NONE,
	K_SADDR_5,
	K_SADDR_0,
	K_DADDR_15,
	K_SADDR_16_FOR_V4,
	K_NO_DPORT,
	K_PORT_U32,
	K_STATE_TIME_LEN,
	K_BAD_FAMILY,
	K_NO_NEST,
};

static const struct sock_spec v4_est = {
	AF_INET, "10.0.0.1", "10.0.0.2", 22, 51234, 1,
};

static const struct sock_spec v6_listen = {
	AF_INET6, "2001:db8::1", "::", 443, 0, 10,
};

static struct nlmsghdr *build_sock(void *buf, uint8_t cmd,
				   const struct sock_spec *s,
				   enum sock_fault fault)
{
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID, cmd);
	uint64_t st_time[TCPWATCH_NSTATES + 1] = { 0 };
	uint8_t addr[16] = { 10, 0, 0, 1 };
	struct nlattr *nest;
	unsigned int i;

	for (i = 1; i < TCPWATCH_NSTATES; i++)
		st_time[i] = i * 1000000ULL;
	if (fault == K_NO_NEST) {
		mnl_attr_put_u32(nlh, TCPWATCH_A_ABI, 1);
		return nlh;
	}
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_pad(nlh, TCPWATCH_SOCK_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_ID, 0xfeedfacecafebeefULL);
	switch (fault) {
	case K_SADDR_5:
	case K_SADDR_0:
	case K_DADDR_15:
	case K_SADDR_16_FOR_V4:
	case K_NO_DPORT:
	case K_PORT_U32:
	case K_BAD_FAMILY:
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_FAMILY,
				fault == K_BAD_FAMILY ? AF_UNIX : s->family);
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_STATE, s->state);
		mnl_attr_put(nlh, TCPWATCH_SOCK_A_SADDR,
			     fault == K_SADDR_5 ? 5 : fault == K_SADDR_0 ? 0 :
			     fault == K_SADDR_16_FOR_V4 ? 16 : 4, addr);
		mnl_attr_put(nlh, TCPWATCH_SOCK_A_DADDR,
			     fault == K_DADDR_15 ? 15 : 4, addr);
		if (fault == K_PORT_U32)
			mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SPORT, s->sport);
		else
			mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SPORT, s->sport);
		if (fault != K_NO_DPORT)
			mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_DPORT, s->dport);
		break;
	default:
		put_sock_tuple(nlh, s);
	}
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TRACKED, 1);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_SINCE_LOAD, 1);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_IN_STATE_NS, 1200000000ULL);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_LIFETIME_NS, 184000000000ULL);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_TRANSITIONS, 3);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_STATE_TIME,
		     sizeof(uint64_t) * (TCPWATCH_NSTATES +
					 (fault == K_STATE_TIME_LEN)),
		     st_time);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_PID, 4242);
	mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_COMM, "sshd");
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMEWAIT, 0);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SYN_RETRANS, 2);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_MAX + 1, 0);	/* newer */
	if (cmd == TCPWATCH_CMD_EVENT) {
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_EVENT, TCPWATCH_EV_STATE);
		mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIME_NS,
				 1700000000123456789ULL);
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_OLD_STATE, 3);
		mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_OLD_STATE_NS, 250000);
		mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_NETNS, 4026531840U);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_sock_v4(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const uint8_t src[4] = { 10, 0, 0, 1 }, dst[4] = { 10, 0, 0, 2 };
	struct tw_sock s;
	unsigned int i;

	CHECK_EQ(tw_parse_sock_msg(build_sock(buf, TCPWATCH_CMD_GET_SOCKETS,
					      &v4_est, K_NONE), &s), 0);
	CHECK_EQ(s.id, 0xfeedfacecafebeefULL);
	CHECK_EQ(s.family, AF_INET);
	CHECK_EQ(s.state, 1);
	CHECK(!memcmp(s.saddr, src, 4));
	CHECK(!memcmp(s.daddr, dst, 4));
	CHECK_EQ(s.sport, 22);
	CHECK_EQ(s.dport, 51234);
	CHECK_EQ(s.tracked, 1);
	CHECK_EQ(s.since_load, 1);
	CHECK_EQ(s.in_state_ns, 1200000000ULL);
	CHECK_EQ(s.lifetime_ns, 184000000000ULL);
	CHECK_EQ(s.transitions, 3);
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		CHECK_EQ(s.state_time_ns[i], i * 1000000ULL);
	CHECK_EQ(s.pid, 4242);
	CHECK_STR(s.comm, "sshd");
	CHECK_EQ(s.timewait, 0);
	CHECK_EQ(s.syn_retrans, 2);
	CHECK(tw_sock_has(&s, TCPWATCH_SOCK_A_SYN_RETRANS));
	CHECK(tw_sock_has(&s, TCPWATCH_SOCK_A_TIMEWAIT));
	CHECK(!tw_sock_has(&s, TCPWATCH_SOCK_A_TIMER_NS));
	CHECK(!tw_sock_has(&s, TCPWATCH_SOCK_A_EVENT));
	CHECK(!tw_sock_has(&s, TCPWATCH_SOCK_A_PAD));
}

static void test_sock_v6(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	uint8_t src[16];
	struct tw_sock s;

	inet_pton(AF_INET6, "2001:db8::1", src);
	CHECK_EQ(tw_parse_sock_msg(build_sock(buf, TCPWATCH_CMD_GET_SOCKETS,
					      &v6_listen, K_NONE), &s), 0);
	CHECK_EQ(s.family, AF_INET6);
	CHECK_EQ(s.state, 10);
	CHECK(!memcmp(s.saddr, src, 16));
	CHECK_EQ(s.sport, 443);
	CHECK_EQ(s.dport, 0);
}

static void expect_sock_error(enum sock_fault fault, const char *what)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_sock s;

	errno = 0;
	if (!tw_parse_sock_msg(build_sock(buf, TCPWATCH_CMD_GET_SOCKETS,
					  &v4_est, fault), &s))
		tw_fail(__FILE__, __LINE__, "fault %d accepted", fault);
	CHECK_EQ(errno, EINVAL);
	CHECK_CONTAINS(tw_parse_strerror(), what);
}

static void test_sock_bad_addr_len(void)
{
	expect_sock_error(K_SADDR_5, "saddr: length 5, want 4 or 16");
	expect_sock_error(K_SADDR_0, "saddr: length 0, want 4 or 16");
	expect_sock_error(K_DADDR_15, "daddr: length 15, want 4 or 16");
	expect_sock_error(K_SADDR_16_FOR_V4, "saddr: 16 bytes for AF_INET");
}

static void test_sock_malformed(void)
{
	expect_sock_error(K_NO_DPORT, "dport missing");
	expect_sock_error(K_PORT_U32, "sport: bad length 4");
	expect_sock_error(K_STATE_TIME_LEN, "state-time: length 112, want 104");
	expect_sock_error(K_BAD_FAMILY, "unknown address family 1");
	expect_sock_error(K_NO_NEST, "no sock nest");
}

static void test_sock_comm_unterminated(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_SOCKETS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	char big[100];
	struct tw_sock s;

	memset(big, 'x', sizeof(big));
	put_sock_tuple(nlh, &v4_est);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_COMM, 5, "abcde");	/* no NUL */
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, &s), 0);
	CHECK_STR(s.comm, "abcde");

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &v4_est);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_COMM, sizeof(big), big);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, &s), 0);
	CHECK_EQ(strlen(s.comm), TW_COMM_LEN - 1);
}

static void test_sock_truncated(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_SOCKETS);
	struct tw_sock s;

	nlh->nlmsg_len = NLMSG_HDRLEN + 2;	/* half a genl header */
	CHECK(tw_parse_sock_msg(nlh, &s) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "genetlink header");
}

static void test_event(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	const struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct tw_sock ev;

	nlh = build_sock(buf, TCPWATCH_CMD_EVENT, &v4_est, K_NONE);
	genl = tw_parse_genl(nlh);
	CHECK(genl && genl->cmd == TCPWATCH_CMD_EVENT);
	CHECK_EQ(tw_parse_event_msg(nlh, &ev), 0);
	CHECK_EQ(ev.event, TCPWATCH_EV_STATE);
	CHECK_EQ(ev.time_ns, 1700000000123456789ULL);
	CHECK_EQ(ev.old_state, 3);
	CHECK_EQ(ev.old_state_ns, 250000);
	CHECK_EQ(ev.netns, 4026531840U);
	CHECK_EQ(ev.state, 1);
	CHECK_EQ(ev.sport, 22);
	CHECK_STR(ev.comm, "sshd");
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_OLD_STATE_NS));
}

static void test_event_missing_kind(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_sock ev;

	/* a dump record is not an event */
	CHECK(tw_parse_event_msg(build_sock(buf, TCPWATCH_CMD_GET_SOCKETS,
					    &v4_est, K_NONE), &ev) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "event missing");
}

/* ---- handshake events ---- */

enum hs_fault {
	H_NONE,
	H_STATE,		/* a STATE as well (harmless) */
	H_NO_EVENT,
	H_OUTCOME_U32,
	H_SYNACK_U16,
	H_NO_SPORT,
};

/*
 * A handshake event as the module sends one: the request's tuple
 * (local: the listener) with no STATE or OLD_STATE, EVENT, TIME_NS,
 * NETNS; @outcome (< 0: none), @lifetime (0: none), @rtx (< 0: none).
 */
static struct nlmsghdr *build_hs_event(void *buf, uint8_t kind,
				       const struct sock_spec *sp,
				       int outcome, uint64_t lifetime, int rtx,
				       enum hs_fault fault)
{
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_EVENT);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	size_t alen = sp->family == AF_INET ? 4 : 16;
	uint8_t a[16], b[16];

	inet_pton(sp->family, sp->saddr, a);
	inet_pton(sp->family, sp->daddr, b);
	if (fault != H_NO_EVENT)
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_EVENT, kind);
	put_pad(nlh, TCPWATCH_SOCK_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIME_NS, 1700000000123456789ULL);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_NETNS, 4026531840U);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_FAMILY, sp->family);
	if (fault == H_STATE)
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_STATE, sp->state);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_SADDR, alen, a);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_DADDR, alen, b);
	if (fault != H_NO_SPORT)
		mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SPORT, sp->sport);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_DPORT, sp->dport);
	if (fault == H_OUTCOME_U32)
		mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_OUTCOME, 1);
	else if (outcome >= 0)
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_OUTCOME, outcome);
	if (lifetime) {
		put_pad(nlh, TCPWATCH_SOCK_A_PAD);
		mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_LIFETIME_NS, lifetime);
	}
	if (fault == H_SYNACK_U16)
		mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SYNACK_RETRANS, 2);
	else if (rtx >= 0)
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_SYNACK_RETRANS, rtx);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_MAX + 1, 0);	/* newer */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static const struct sock_spec hs_v4 = {
	AF_INET, "192.0.2.1", "192.0.2.2", 7200, 40000, 0,
};

static const struct sock_spec hs_v6 = {
	AF_INET6, "2001:db8::1", "2001:db8::2", 443, 50000, 0,
};

/* The common part of every handshake event parsed from build_hs_event. */
static void check_hs_common(const struct tw_sock *ev, uint8_t kind)
{
	static const uint8_t src[4] = { 192, 0, 2, 1 };
	static const uint8_t dst[4] = { 192, 0, 2, 2 };

	CHECK_EQ(ev->event, kind);
	CHECK_EQ(ev->time_ns, 1700000000123456789ULL);
	CHECK_EQ(ev->netns, 4026531840U);
	CHECK_EQ(ev->family, AF_INET);
	CHECK(!memcmp(ev->saddr, src, 4));
	CHECK(!memcmp(ev->daddr, dst, 4));
	CHECK_EQ(ev->sport, 7200);
	CHECK_EQ(ev->dport, 40000);
	CHECK(!tw_sock_has(ev, TCPWATCH_SOCK_A_STATE));
	CHECK(!tw_sock_has(ev, TCPWATCH_SOCK_A_OLD_STATE));
	CHECK(!tw_sock_has(ev, TCPWATCH_SOCK_A_OLD_STATE_NS));
	CHECK_EQ(ev->state, 0);
	CHECK(!tw_event_has_states(kind));
}

static void test_event_halfopen_end(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	uint8_t v6[16];
	struct tw_sock ev;

	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_HALFOPEN_END, &hs_v4,
			TCPWATCH_OUTCOME_EXPIRED, 7000000000ULL, 2, H_NONE),
			&ev), 0);
	check_hs_common(&ev, TCPWATCH_EV_HALFOPEN_END);
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_OUTCOME));
	CHECK_EQ(ev.outcome, TCPWATCH_OUTCOME_EXPIRED);
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_LIFETIME_NS));
	CHECK_EQ(ev.lifetime_ns, 7000000000ULL);
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_SYNACK_RETRANS));
	CHECK_EQ(ev.synack_retrans, 2);

	/* v6, completed, without a lifetime (it may be absent) */
	inet_pton(AF_INET6, "2001:db8::2", v6);
	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_HALFOPEN_END, &hs_v6,
			TCPWATCH_OUTCOME_COMPLETED, 0, 0, H_NONE), &ev), 0);
	CHECK_EQ(ev.family, AF_INET6);
	CHECK(!memcmp(ev.daddr, v6, 16));
	CHECK_EQ(ev.sport, 443);
	CHECK_EQ(ev.outcome, TCPWATCH_OUTCOME_COMPLETED);
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_OUTCOME));
	CHECK(!tw_sock_has(&ev, TCPWATCH_SOCK_A_LIFETIME_NS));
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_SYNACK_RETRANS));
	CHECK_EQ(ev.synack_retrans, 0);

	/* reset, and an outcome this tool does not know: still parsed */
	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_HALFOPEN_END, &hs_v4,
			TCPWATCH_OUTCOME_RESET, 1, 1, H_NONE), &ev), 0);
	CHECK_EQ(ev.outcome, TCPWATCH_OUTCOME_RESET);
	CHECK_EQ(ev.lifetime_ns, 1);
	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_HALFOPEN_END, &hs_v4, 9, 0, -1, H_NONE),
			&ev), 0);
	CHECK_EQ(ev.outcome, 9);
	CHECK(!tw_sock_has(&ev, TCPWATCH_SOCK_A_SYNACK_RETRANS));
}

static void test_event_synack_retrans(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_sock ev;

	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_SYNACK_RETRANS, &hs_v4, -1, 0, 2, H_NONE),
			&ev), 0);
	check_hs_common(&ev, TCPWATCH_EV_SYNACK_RETRANS);
	CHECK_EQ(ev.synack_retrans, 2);
	CHECK(tw_sock_has(&ev, TCPWATCH_SOCK_A_SYNACK_RETRANS));
	CHECK(!tw_sock_has(&ev, TCPWATCH_SOCK_A_OUTCOME));
	CHECK(!tw_sock_has(&ev, TCPWATCH_SOCK_A_LIFETIME_NS));
}

static void test_event_drops(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_sock ev;

	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf, TCPWATCH_EV_SYN_DROP,
			&hs_v4, -1, 0, -1, H_NONE), &ev), 0);
	check_hs_common(&ev, TCPWATCH_EV_SYN_DROP);
	CHECK(!tw_sock_has(&ev, TCPWATCH_SOCK_A_SYNACK_RETRANS));
	CHECK(!tw_sock_has(&ev, TCPWATCH_SOCK_A_OUTCOME));

	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_ACCEPTQ_OVERFLOW, &hs_v4, -1, 0, -1,
			H_NONE), &ev), 0);
	check_hs_common(&ev, TCPWATCH_EV_ACCEPTQ_OVERFLOW);

	/* a STATE on a handshake event does no harm */
	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf, TCPWATCH_EV_SYN_DROP,
			&(struct sock_spec){ AF_INET, "192.0.2.1",
					     "192.0.2.2", 7200, 40000,
					     10 }, -1, 0, -1, H_STATE),
			&ev), 0);
	CHECK_EQ(ev.state, 10);
	/* a newer module's kind, without states */
	CHECK_EQ(tw_parse_event_msg(build_hs_event(buf, 42, &hs_v4, -1, 0,
						   -1, H_NONE), &ev), 0);
	CHECK_EQ(ev.event, 42);
	CHECK(!tw_event_has_states(42));
}

/* STATE stays required where it belongs; bad handshake attributes. */
static void test_event_state_required(void)
{
	static const unsigned int kinds[] = {
		TCPWATCH_EV_STATE, TCPWATCH_EV_TW_ENTER, TCPWATCH_EV_TW_EXIT,
	};
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_sock ev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		CHECK(tw_event_has_states(kinds[i]));
		CHECK(tw_parse_event_msg(build_hs_event(buf, kinds[i], &hs_v4,
				-1, 0, -1, H_NONE), &ev) < 0);
		CHECK_EQ(errno, EINVAL);
		CHECK_CONTAINS(tw_parse_strerror(),
			       "sock: attribute state missing");
	}
	/* a dump record needs its state, whatever else it carries */
	CHECK(tw_parse_sock_msg(build_hs_event(buf, TCPWATCH_EV_SYN_DROP,
			&hs_v4, -1, 0, -1, H_NONE), &ev) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "sock: attribute state missing");
	/* no kind: not an event */
	CHECK(tw_parse_event_msg(build_hs_event(buf, 0, &hs_v4, -1, 0, -1,
						H_NO_EVENT), &ev) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "event: attribute event missing");
	/* the tuple is still required */
	CHECK(tw_parse_event_msg(build_hs_event(buf, TCPWATCH_EV_SYN_DROP,
			&hs_v4, -1, 0, -1, H_NO_SPORT), &ev) < 0);
	CHECK_CONTAINS(tw_parse_strerror(), "sock: attribute sport missing");
	CHECK(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_HALFOPEN_END, &hs_v4, -1, 0, -1,
			H_OUTCOME_U32), &ev) < 0);
	CHECK_CONTAINS(tw_parse_strerror(),
		       "sock attribute outcome: bad length 4");
	CHECK(tw_parse_event_msg(build_hs_event(buf,
			TCPWATCH_EV_SYNACK_RETRANS, &hs_v4, -1, 0, -1,
			H_SYNACK_U16), &ev) < 0);
	CHECK_CONTAINS(tw_parse_strerror(),
		       "sock attribute synack-retrans: bad length 2");
}

/* ---- listeners, half-open connections ---- */

enum rec_fault {
	R_NONE,
	R_NO_PORT,		/* a required attribute missing */
	R_ADDR_16_FOR_V4,
	R_ADDR_5,
	R_U64_AS_U32,		/* halfopen-ns / age-ns */
	R_U8_AS_U32,		/* syncookies / synack-retrans */
	R_BAD_FAMILY,
	R_NO_NEST,
	R_SOCK_NEST,		/* the wrong nest */
};

static struct nlmsghdr *build_listener(void *buf, enum rec_fault fault)
{
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_LISTENERS);
	uint8_t addr[16] = { 0 };
	struct nlattr *nest, *future;

	if (fault == R_NO_NEST) {
		mnl_attr_put_u32(nlh, TCPWATCH_A_ABI, 1);
		return nlh;
	}
	nest = mnl_attr_nest_start(nlh, fault == R_SOCK_NEST ?
				   TCPWATCH_A_SOCK : TCPWATCH_A_LISTENER);
	put_pad(nlh, TCPWATCH_LISTENER_A_PAD);
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY,
			fault == R_BAD_FAMILY ? AF_UNIX : AF_INET);
	mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR,
		     fault == R_ADDR_16_FOR_V4 ? 16 : fault == R_ADDR_5 ? 5 : 4,
		     addr);
	if (fault != R_NO_PORT)
		mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, 80);
	mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_PID, 812);
	mnl_attr_put_strz(nlh, TCPWATCH_LISTENER_A_COMM, "nginx");
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_SINCE_LOAD, 1);
	mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_BACKLOG, 511);
	mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_SYNQ_LEN, 3);
	mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_ACCEPTQ_LEN, 1);
	if (fault == R_U8_AS_U32)
		mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_SYNCOOKIES, 1);
	else
		mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_SYNCOOKIES, 1);
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_SYNACK_RETRIES, 5);
	put_pad(nlh, TCPWATCH_LISTENER_A_PAD);
	if (fault == R_U64_AS_U32)
		mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_HALFOPEN_NS, 1);
	else
		mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_HALFOPEN_NS,
				 63000000000ULL);
	mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_SYNACK_RETRANS,
			 0x100000000ULL);
	/* a newer module's attributes, a nest among them: skipped */
	mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_MAX + 1, 7);
	future = mnl_attr_nest_start(nlh, TCPWATCH_LISTENER_A_MAX + 2);
	mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_KIND, TCPWATCH_HIST_CONNECT);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_COUNT, 1);
	mnl_attr_nest_end(nlh, future);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, TCPWATCH_A_MAX + 1, 1);
	return nlh;
}

static void test_listener(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const uint8_t any[4];
	struct tw_listener l;

	CHECK_EQ(tw_parse_listener_msg(build_listener(buf, R_NONE), &l), 0);
	CHECK_EQ(l.family, AF_INET);
	CHECK(!memcmp(l.addr, any, 4));
	CHECK_EQ(l.port, 80);
	CHECK_EQ(l.pid, 812);
	CHECK_STR(l.comm, "nginx");
	CHECK_EQ(l.since_load, 1);
	CHECK_EQ(l.backlog, 511);
	CHECK_EQ(l.synq_len, 3);
	CHECK_EQ(l.acceptq_len, 1);
	CHECK_EQ(l.syncookies, 1);
	CHECK_EQ(l.synack_retries, 5);
	CHECK_EQ(l.halfopen_ns, 63000000000ULL);
	CHECK_EQ(l.synack_retrans, 0x100000000ULL);
	CHECK(tw_listener_has(&l, TCPWATCH_LISTENER_A_SYNACK_RETRANS));
	CHECK(!tw_listener_has(&l, TCPWATCH_LISTENER_A_PAD));
}

static void test_listener_minimal(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_LISTENERS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_LISTENER);
	uint8_t addr[16];
	struct tw_listener l;

	inet_pton(AF_INET6, "2001:db8::1", addr);
	mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, 443);
	mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR, 16, addr);
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY, AF_INET6);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_listener_msg(nlh, &l), 0);
	CHECK_EQ(l.family, AF_INET6);
	CHECK(!memcmp(l.addr, addr, 16));
	CHECK_EQ(l.port, 443);
	CHECK_EQ(l.present, (1ULL << TCPWATCH_LISTENER_A_FAMILY) |
		 (1ULL << TCPWATCH_LISTENER_A_ADDR) |
		 (1ULL << TCPWATCH_LISTENER_A_PORT));
}

static void expect_listener_error(enum rec_fault fault, const char *what)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_listener l;

	errno = 0;
	if (!tw_parse_listener_msg(build_listener(buf, fault), &l))
		tw_fail(__FILE__, __LINE__, "fault %d accepted", fault);
	CHECK_EQ(errno, EINVAL);
	CHECK_CONTAINS(tw_parse_strerror(), what);
}

static void test_listener_malformed(void)
{
	expect_listener_error(R_NO_PORT, "listener: attribute port missing");
	expect_listener_error(R_ADDR_16_FOR_V4,
			      "listener attribute addr: 16 bytes for AF_INET");
	expect_listener_error(R_ADDR_5,
			      "listener attribute addr: length 5, want 4 or 16");
	expect_listener_error(R_U64_AS_U32, "halfopen-ns: bad length 4");
	expect_listener_error(R_U8_AS_U32, "syncookies: bad length 4");
	expect_listener_error(R_BAD_FAMILY, "listener: unknown address family 1");
	expect_listener_error(R_NO_NEST, "no listener nest");
	expect_listener_error(R_SOCK_NEST, "no listener nest");
}

/*
 * The listener's histograms, as tcpw_put_listener() sends them after the
 * handshake counters: the four listener kinds by kind; kinds that are not
 * a listener's (no KIND, time in state, connect, a newer one) skipped.
 */
static void test_listener_hist(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static uint64_t slots[TCPWATCH_HIST_SLOTS];
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_LISTENERS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_LISTENER);
	struct tw_listener *l = calloc(1, sizeof(*l));
	uint8_t addr[4] = { 192, 0, 2, 1 };
	unsigned int i;

	for (i = 0; i < TCPWATCH_HIST_SLOTS; i++)
		slots[i] = 100 + i;
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR, 4, addr);
	mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, 7200);
	put_pad(nlh, TCPWATCH_LISTENER_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_SYNS, 9);
#define LH(kind, state, count, sum) \
	put_hist_nest(nlh, TCPWATCH_LISTENER_A_HIST, kind, state, count, sum, \
		      slots)
	LH(TCPWATCH_HIST_HALFOPEN_DONE, -1, 40, 400);
	LH(TCPWATCH_HIST_HALFOPEN_EXPIRED, -1, 0, 0);
	LH(TCPWATCH_HIST_SYNACK_RETRANS, -1, 50, 7);
	LH(TCPWATCH_HIST_ACCEPT_WAIT, -1, 80, 800);
	LH(-1, 1, 11, 11);				/* time in state */
	LH(TCPWATCH_HIST_STATE_TIME, 300, 12, 12);	/* even a bad state */
	LH(TCPWATCH_HIST_CONNECT, -1, 13, 13);
	LH(TW_HIST_KINDS, -1, 14, 14);
	LH(255, -1, 15, 15);
#undef LH
	mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_PID, 812);
	mnl_attr_nest_end(nlh, nest);

	CHECK_EQ(tw_parse_listener_msg(nlh, l), 0);
	CHECK_EQ(l->port, 7200);
	CHECK_EQ(l->hs.syns, 9);
	CHECK_EQ(l->pid, 812);		/* attributes after the nests */
	CHECK(tw_listener_has(l, TCPWATCH_LISTENER_A_HIST));
	CHECK(tw_listener_has(l, TCPWATCH_LISTENER_A_SYNS));
	CHECK(!tw_listener_has(l, TCPWATCH_LISTENER_A_COMPLETED));
	CHECK(l->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].present);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].count, 40);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].sum_us, 400);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].slots[0], 100);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].slots[31], 131);
	CHECK(l->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].present);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].count, 0);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].count, 50);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].sum_us, 7);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].count, 80);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].sum_us, 800);
	CHECK_EQ(l->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].slots[5], 105);
	CHECK(!l->kind_hist[TCPWATCH_HIST_STATE_TIME].present);
	CHECK(!l->kind_hist[TCPWATCH_HIST_CONNECT].present);

	CHECK(!tw_listener_kind(TCPWATCH_HIST_STATE_TIME));
	CHECK(!tw_listener_kind(TCPWATCH_HIST_CONNECT));
	CHECK(tw_listener_kind(TCPWATCH_HIST_HALFOPEN_DONE));
	CHECK(tw_listener_kind(TCPWATCH_HIST_ACCEPT_WAIT));
	CHECK(!tw_listener_kind(TW_HIST_KINDS));

	/* only kinds that are not a listener's: no HIST bit */
	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_LISTENERS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_LISTENER);
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR, 4, addr);
	mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, 7200);
	put_hist_nest(nlh, TCPWATCH_LISTENER_A_HIST, TCPWATCH_HIST_CONNECT,
		      -1, 1, 1, slots);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_listener_msg(nlh, l), 0);
	CHECK(!tw_listener_has(l, TCPWATCH_LISTENER_A_HIST));
	for (i = 0; i < TW_HIST_KINDS; i++)
		CHECK(!l->kind_hist[i].present);
	free(l);
}

/* A listener's malformed HIST nest rejects the record. */
static void test_listener_hist_bad(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const uint64_t slots[TCPWATCH_HIST_SLOTS];
	struct tw_listener *l = calloc(1, sizeof(*l));
	static const uint8_t addr[4];
	struct nlmsghdr *nlh;
	struct nlattr *nest, *hist;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		nlh = msg_start(buf, TEST_FAMILY_ID,
				TCPWATCH_CMD_GET_LISTENERS);
		nest = mnl_attr_nest_start(nlh, TCPWATCH_A_LISTENER);
		mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY, AF_INET);
		mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR, 4, addr);
		mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, 80);
		if (i == 0) {
			/* HIST not a nest: a u8 */
			mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_HIST, 1);
		} else {
			hist = mnl_attr_nest_start(nlh,
						   TCPWATCH_LISTENER_A_HIST);
			mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_KIND,
					TCPWATCH_HIST_ACCEPT_WAIT);
			if (i == 1)
				mnl_attr_put(nlh, TCPWATCH_HIST_A_SLOTS, 8,
					     slots);
			else
				mnl_attr_put_u32(nlh, TCPWATCH_HIST_A_COUNT, 1);
			mnl_attr_nest_end(nlh, hist);
		}
		mnl_attr_nest_end(nlh, nest);
		errno = 0;
		CHECK(tw_parse_listener_msg(nlh, l) < 0);
		CHECK_EQ(errno, EINVAL);
		CHECK_CONTAINS(tw_parse_strerror(),
			       i == 0 ? "listener attribute hist: bad length" :
			       i == 1 ? "hist attribute slots: length 8, want 256" :
			       "hist attribute count: bad length 4");
	}
	free(l);
}

static struct nlmsghdr *build_halfopen(void *buf, enum rec_fault fault)
{
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_HALFOPEN);
	uint8_t l[16], r[16];
	struct nlattr *nest;

	inet_pton(AF_INET6, "2001:db8::1", l);
	inet_pton(AF_INET6, "2001:db8::2", r);
	if (fault == R_NO_NEST) {
		mnl_attr_put_u32(nlh, TCPWATCH_A_ABI, 1);
		return nlh;
	}
	nest = mnl_attr_nest_start(nlh, fault == R_SOCK_NEST ?
				   TCPWATCH_A_SOCK : TCPWATCH_A_HALFOPEN);
	mnl_attr_put_u8(nlh, TCPWATCH_HALFOPEN_A_FAMILY,
			fault == R_BAD_FAMILY ? AF_UNIX : AF_INET6);
	mnl_attr_put(nlh, TCPWATCH_HALFOPEN_A_LADDR, 16, l);
	mnl_attr_put_u16(nlh, TCPWATCH_HALFOPEN_A_LPORT, 443);
	mnl_attr_put(nlh, TCPWATCH_HALFOPEN_A_RADDR,
		     fault == R_ADDR_5 ? 5 : 16, r);
	if (fault != R_NO_PORT)
		mnl_attr_put_u16(nlh, TCPWATCH_HALFOPEN_A_RPORT, 50000);
	put_pad(nlh, TCPWATCH_HALFOPEN_A_PAD);
	if (fault == R_U64_AS_U32)
		mnl_attr_put_u32(nlh, TCPWATCH_HALFOPEN_A_AGE_NS, 1);
	else
		mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_AGE_NS, 3500000000ULL);
	if (fault == R_U8_AS_U32)
		mnl_attr_put_u32(nlh, TCPWATCH_HALFOPEN_A_SYNACK_RETRANS, 2);
	else
		mnl_attr_put_u8(nlh, TCPWATCH_HALFOPEN_A_SYNACK_RETRANS, 2);
	mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_TIMER_NS, 500000000ULL);
	mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_EXPIRES_NS, 59500000000ULL);
	mnl_attr_put_u8(nlh, TCPWATCH_HALFOPEN_A_MAX_RETRIES, 5);
	mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_MAX + 1, 1);	/* newer */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_halfopen(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	uint8_t l[16], r[16];
	struct tw_halfopen h;

	inet_pton(AF_INET6, "2001:db8::1", l);
	inet_pton(AF_INET6, "2001:db8::2", r);
	CHECK_EQ(tw_parse_halfopen_msg(build_halfopen(buf, R_NONE), &h), 0);
	CHECK_EQ(h.family, AF_INET6);
	CHECK(!memcmp(h.laddr, l, 16));
	CHECK(!memcmp(h.raddr, r, 16));
	CHECK_EQ(h.lport, 443);
	CHECK_EQ(h.rport, 50000);
	CHECK_EQ(h.age_ns, 3500000000ULL);
	CHECK_EQ(h.synack_retrans, 2);
	CHECK_EQ(h.timer_ns, 500000000ULL);
	CHECK_EQ(h.expires_ns, 59500000000ULL);
	CHECK_EQ(h.max_retries, 5);
	CHECK(tw_halfopen_has(&h, TCPWATCH_HALFOPEN_A_MAX_RETRIES));
	CHECK(!tw_halfopen_has(&h, TCPWATCH_HALFOPEN_A_PAD));
}

static void expect_halfopen_error(enum rec_fault fault, const char *what)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_halfopen h;

	errno = 0;
	if (!tw_parse_halfopen_msg(build_halfopen(buf, fault), &h))
		tw_fail(__FILE__, __LINE__, "fault %d accepted", fault);
	CHECK_EQ(errno, EINVAL);
	CHECK_CONTAINS(tw_parse_strerror(), what);
}

static void test_halfopen_malformed(void)
{
	expect_halfopen_error(R_NO_PORT, "halfopen: attribute rport missing");
	expect_halfopen_error(R_ADDR_5,
			      "halfopen attribute raddr: length 5, want 4 or 16");
	expect_halfopen_error(R_U64_AS_U32, "age-ns: bad length 4");
	expect_halfopen_error(R_U8_AS_U32, "synack-retrans: bad length 4");
	expect_halfopen_error(R_BAD_FAMILY, "halfopen: unknown address family 1");
	expect_halfopen_error(R_NO_NEST, "no halfopen nest");
	expect_halfopen_error(R_SOCK_NEST, "no halfopen nest");
}

/* ---- nlctrl, errors ---- */

static void test_family(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct nlattr *grps, *g;
	struct tw_family fam;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCPWATCH_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x21);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, TCPWATCH_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, TCPWATCH_A_MAX);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	g = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "other");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 5);
	mnl_attr_nest_end(nlh, g);
	g = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME,
			  TCPWATCH_MCGRP_EVENTS);
	mnl_attr_nest_end(nlh, g);
	mnl_attr_nest_end(nlh, grps);

	CHECK_EQ(tw_parse_family(nlh, &fam), 0);
	CHECK_EQ(fam.id, 0x21);
	CHECK_EQ(fam.version, TCPWATCH_GENL_VERSION);
	CHECK_STR(fam.name, "tcpwatch");
	CHECK_EQ(fam.ngrps, 2);
	CHECK_EQ(tw_family_mcgrp(&fam, "events"), 9);
	CHECK_EQ(tw_family_mcgrp(&fam, "other"), 5);
	CHECK(tw_family_mcgrp(&fam, "nope") < 0);
}

static void test_family_no_id(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct tw_family fam;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "x");
	CHECK(tw_parse_family(nlh, &fam) < 0);
	nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x21);	/* u16 */
	CHECK(tw_parse_family(nlh, &fam) < 0);
}

/*
 * An nlctrl notification as genl_ctrl_event() multicasts it: @cmd, then
 * ctrl_fill_info() (family) or ctrl_fill_mcgrp_info() (group) attributes;
 * a NULL @name or a zero @id is left out.
 */
static struct nlmsghdr *build_ctrl_note(void *buf, uint8_t cmd,
					const char *name, uint16_t id)
{
	struct nlmsghdr *nlh = msg_start(buf, GENL_ID_CTRL, cmd);
	struct nlattr *grps, *g;

	nlh->nlmsg_flags = 0;
	nlh->nlmsg_seq = 0;
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	if (cmd == CTRL_CMD_NEWFAMILY || cmd == CTRL_CMD_DELFAMILY) {
		mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
		mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, TCPWATCH_A_MAX);
	}
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	g = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, TCPWATCH_MCGRP_EVENTS);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_nest_end(nlh, g);
	mnl_attr_nest_end(nlh, grps);
	return nlh;
}

#define GONE(cmd, name, id) \
	tw_ctrl_family_gone(build_ctrl_note(buf, cmd, name, id), \
			    TCPWATCH_GENL_NAME, 0x21)

static void test_ctrl_family_gone(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));

	/* what rmmod tcpwatch sends: DELMCAST_GRP, then DELFAMILY */
	CHECK(!GONE(CTRL_CMD_DELMCAST_GRP, TCPWATCH_GENL_NAME, 0x21));
	CHECK(GONE(CTRL_CMD_DELFAMILY, TCPWATCH_GENL_NAME, 0x21));
	/* the name decides; a reloaded module may have had another id */
	CHECK(GONE(CTRL_CMD_DELFAMILY, TCPWATCH_GENL_NAME, 0x22));
	/* no name: our id */
	CHECK(GONE(CTRL_CMD_DELFAMILY, NULL, 0x21));
	CHECK(!GONE(CTRL_CMD_DELFAMILY, NULL, 0x22));
	CHECK(!GONE(CTRL_CMD_DELFAMILY, NULL, 0));
}

static void test_ctrl_family_not_gone(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* insmod: NEWFAMILY, NEWMCAST_GRP */
	CHECK(!GONE(CTRL_CMD_NEWFAMILY, TCPWATCH_GENL_NAME, 0x21));
	CHECK(!GONE(CTRL_CMD_NEWMCAST_GRP, TCPWATCH_GENL_NAME, 0x21));
	/* other families come and go */
	CHECK(!GONE(CTRL_CMD_DELFAMILY, "tcp_metrics", 0x1a));
	CHECK(!GONE(CTRL_CMD_DELFAMILY, "tcpwatch2", 0x21));
	CHECK(!GONE(CTRL_CMD_DELFAMILY, "tcpwatc", 0x21));

	/* not nlctrl's: one of our own events, with the same command number */
	nlh = build_ctrl_note(buf, CTRL_CMD_DELFAMILY, TCPWATCH_GENL_NAME,
			      0x21);
	nlh->nlmsg_type = 0x21;
	CHECK(!tw_ctrl_family_gone(nlh, TCPWATCH_GENL_NAME, 0x21));

	/* malformed: a u32 family id, a truncated genl header */
	nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x21);
	CHECK(!tw_ctrl_family_gone(nlh, TCPWATCH_GENL_NAME, 0x21));
	nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	genl = mnl_nlmsg_get_payload(nlh);
	genl->cmd = CTRL_CMD_DELFAMILY;
	nlh->nlmsg_len = NLMSG_HDRLEN + 1;
	CHECK(!tw_ctrl_family_gone(nlh, TCPWATCH_GENL_NAME, 0x21));
}

#undef GONE

/* An NLMSG_ERROR for @req, as netlink_ack() builds it. */
static struct nlmsghdr *build_nlerr(void *buf, const struct nlmsghdr *req,
				    int error, bool capped, const char *msg)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	size_t copy = capped ? sizeof(*req) : req->nlmsg_len;

	memset(buf, 0, TEST_BUFSIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	if (capped)
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(e->error) + copy);
	e->error = error;
	memcpy(&e->msg, req, copy);
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	return nlh;
}

static void test_nlerr_extack(void)
{
	static char req_buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *req = msg_start(req_buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_SOCKETS);
	struct tw_nlerr e;

	mnl_attr_put_u32(req, TCPWATCH_A_FILTER_STATES, 0xffffffff);
	mnl_attr_put_u16(req, TCPWATCH_A_FILTER_PORT, 22);

	CHECK_EQ(tw_parse_nlerr(build_nlerr(buf, req, -EINVAL, true,
					    "bad state mask"), &e), 0);
	CHECK_EQ(e.error, EINVAL);
	CHECK_STR(e.msg, "bad state mask");

	/* not capped: the whole request sits between header and TLVs */
	CHECK_EQ(tw_parse_nlerr(build_nlerr(buf, req, -ERANGE, false,
					    "port out of range"), &e), 0);
	CHECK_EQ(e.error, ERANGE);
	CHECK_STR(e.msg, "port out of range");

	CHECK_EQ(tw_parse_nlerr(build_nlerr(buf, req, -EPERM, false, NULL),
				&e), 0);
	CHECK_EQ(e.error, EPERM);
	CHECK_STR(e.msg, "");
	CHECK_EQ(tw_parse_nlerr(build_nlerr(buf, req, 0, true, NULL), &e), 0);
	CHECK_EQ(e.error, 0);	/* an ACK */
}

static void test_nlerr_done(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct tw_nlerr e;
	int *v;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	v = mnl_nlmsg_put_extra_header(nlh, sizeof(*v));
	*v = -EMSGSIZE;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, 6);
	CHECK_EQ(tw_parse_nlerr(nlh, &e), 0);
	CHECK_EQ(e.error, EMSGSIZE);
	CHECK_STR(e.msg, "dump failed");
	CHECK_EQ(e.miss_type, 6);

	*v = 0;
	nlh->nlmsg_flags = NLM_F_MULTI;
	CHECK_EQ(tw_parse_nlerr(nlh, &e), 0);
	CHECK_EQ(e.error, 0);
	CHECK_STR(e.msg, "");
}

const struct tw_test parse_tests[] = {
	{ "parse_stats_reply", test_stats },
	{ "parse_stats_reject_transitions_len", test_stats_bad_transitions },
	{ "parse_stats_reject_bad_lengths", test_stats_bad_lengths },
	{ "parse_stats_reject_bad_hist", test_stats_bad_hist },
	{ "parse_stats_minimal", test_stats_minimal },
	{ "parse_stats_hist_kinds", test_stats_hist_kinds },
	{ "parse_stats_hist_kinds_only", test_stats_hist_kinds_only },
	{ "parse_stats_reject_bad_hist_kind", test_stats_hist_kind_bad },
	{ "parse_sock_dump_v4", test_sock_v4 },
	{ "parse_sock_dump_v6", test_sock_v6 },
	{ "parse_sock_reject_addr_len", test_sock_bad_addr_len },
	{ "parse_sock_reject_malformed", test_sock_malformed },
	{ "parse_sock_comm_unterminated", test_sock_comm_unterminated },
	{ "parse_sock_truncated_header", test_sock_truncated },
	{ "parse_listener", test_listener },
	{ "parse_listener_minimal_v6", test_listener_minimal },
	{ "parse_listener_reject_malformed", test_listener_malformed },
	{ "parse_listener_histograms", test_listener_hist },
	{ "parse_listener_reject_bad_hist", test_listener_hist_bad },
	{ "parse_halfopen", test_halfopen },
	{ "parse_halfopen_reject_malformed", test_halfopen_malformed },
	{ "parse_event", test_event },
	{ "parse_event_requires_kind", test_event_missing_kind },
	{ "parse_event_halfopen_end", test_event_halfopen_end },
	{ "parse_event_synack_retrans", test_event_synack_retrans },
	{ "parse_event_syn_drop_acceptq_overflow", test_event_drops },
	{ "parse_event_state_required_by_kind", test_event_state_required },
	{ "parse_ctrl_family", test_family },
	{ "parse_ctrl_family_bad", test_family_no_id },
	{ "parse_ctrl_family_gone", test_ctrl_family_gone },
	{ "parse_ctrl_family_not_gone", test_ctrl_family_not_gone },
	{ "parse_nlerr_extack", test_nlerr_extack },
	{ "parse_nlerr_done", test_nlerr_done },
	{ NULL, NULL },
};
