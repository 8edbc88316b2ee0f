// SPDX-License-Identifier: GPL-2.0
/*
 * test_timers.c - timers and windows (issue #4) and `tcpwatch top`
 * (issue #5) on the host: the new sock and stats attributes parsed from
 * messages built as the module builds them, absent ones left absent; the
 * flow, interval and time helpers; the --timers table, the retrans and
 * window lines and the timer events' text and JSON; and top's model:
 * rates, stuck sockets, the '/' filter, sorting and the plain screen.
 */
#include <stdlib.h>

#include "format.h"
#include "parse.h"
#include "render.h"
#include "top_model.h"
#include "capture.h"
#include "msg.h"
#include "unit.h"

static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));

static const struct sock_spec est = {
	AF_INET, "192.0.2.1", "192.0.2.2", 5201, 40000, 1,
};

/* The congestion control and the counts of timers_msg() and live_msg(). */
static void put_cc_counts(struct nlmsghdr *nlh)
{
	static const uint32_t causes[TCPWATCH_NCAUSES] = { 1, 2, 30, 4, 5 };

	mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_CC, "cubic");
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_RETRANS, sizeof(causes), causes);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_RTO_EXPIRIES, 3);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_LOSS_PROBES, 4);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_ZW_PROBES, 5);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_UNDOS, 6);
}

/* A GET_SOCKETS record of an ESTABLISHED socket with every new field. */
static struct nlmsghdr *timers_msg(bool event, uint8_t kind)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = msg_start(buf, TEST_FAMILY_ID, event ? TCPWATCH_CMD_EVENT :
			TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &est);
	if (event) {
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_EVENT, kind);
		put_pad(nlh, TCPWATCH_SOCK_A_PAD);
		mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIME_NS,
				 1700000000123456789ULL);
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_RETRANS_CAUSE,
				TCPWATCH_CAUSE_FAST);
		mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_OLD_CA_STATE,
				TCPWATCH_CA_OPEN);
		mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SEQ, 3000000000U);
	}
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMER, TCPWATCH_TIMER_RETRANS);
	put_pad(nlh, TCPWATCH_SOCK_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIMER_NS, 180000000ULL);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_RTO_US, 408000);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_BACKOFF, 1);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_RETRANSMITS, 2);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_PROBES, 0);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_TOTAL_RETRANS, 42);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_CWND, 10);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SSTHRESH, 0x7fffffff);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SND_WND, 65280);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_RCV_WND, 0);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_SND_WSCALE, 7);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_RCV_WSCALE, 9);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_MSS, 1448);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_INFLIGHT, 14480);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_UNACKED, 10);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SRTT_US, 20512);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_RTTVAR_US, 1000);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_CA_STATE, TCPWATCH_CA_LOSS);
	put_cc_counts(nlh);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_parse_sock_timers(void)
{
	struct tw_sock s;

	CHECK_EQ(tw_parse_sock_msg(timers_msg(false, 0), &s), 0);
	CHECK_EQ(s.timer, TCPWATCH_TIMER_RETRANS);
	CHECK_EQ(s.timer_ns, 180000000ULL);
	CHECK_EQ(s.rto_us, 408000);
	CHECK_EQ(s.backoff, 1);
	CHECK_EQ(s.retransmits, 2);
	CHECK(tw_sock_has(&s, TCPWATCH_SOCK_A_PROBES));
	CHECK_EQ(s.total_retrans, 42);
	CHECK_EQ(s.cwnd, 10);
	CHECK_EQ(s.ssthresh, 0x7fffffff);
	CHECK_EQ(s.snd_wnd, 65280);
	CHECK(tw_sock_has(&s, TCPWATCH_SOCK_A_RCV_WND));
	CHECK_EQ(s.rcv_wnd, 0);
	CHECK_EQ(s.snd_wscale, 7);
	CHECK_EQ(s.rcv_wscale, 9);
	CHECK_EQ(s.mss, 1448);
	CHECK_EQ(s.inflight, 14480);
	CHECK_EQ(s.unacked, 10);
	CHECK_EQ(s.srtt_us, 20512);
	CHECK_EQ(s.rttvar_us, 1000);
	CHECK_EQ(s.ca_state, TCPWATCH_CA_LOSS);
	CHECK_STR(s.cc, "cubic");
	CHECK_EQ(s.retrans[TCPWATCH_CAUSE_FAST], 30);
	CHECK_EQ(s.retrans[TCPWATCH_CAUSE_SYN], 5);
	CHECK_EQ(s.rto_expiries, 3);
	CHECK_EQ(s.loss_probes, 4);
	CHECK_EQ(s.zw_probes, 5);
	CHECK_EQ(s.undos, 6);
	CHECK(!tw_sock_has(&s, TCPWATCH_SOCK_A_SEQ));
}

static void test_parse_timer_events(void)
{
	struct tw_sock ev;

	/* no STATE needed of the timer events */
	CHECK_EQ(tw_parse_event_msg(timers_msg(true, TCPWATCH_EV_RETRANS),
				    &ev), 0);
	CHECK_EQ(ev.event, TCPWATCH_EV_RETRANS);
	CHECK_EQ(ev.retrans_cause, TCPWATCH_CAUSE_FAST);
	CHECK_EQ(ev.old_ca_state, TCPWATCH_CA_OPEN);
	CHECK_EQ(ev.seq, 3000000000U);
	CHECK(!tw_event_has_states(TCPWATCH_EV_RETRANS));
	CHECK(tw_event_is_timer(TCPWATCH_EV_WINDOW));
	CHECK(!tw_event_is_timer(TCPWATCH_EV_STATE));
}

static void test_parse_bad_retrans_len(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t three[3] = { 1, 2, 3 };
	struct tw_sock s;

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &est);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_RETRANS, sizeof(three), three);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, &s), -1);
	CHECK_CONTAINS(tw_parse_strerror(), "retrans");
}

/* timers_msg(false, 0) with the live fields in one LIVE attribute */
static struct nlmsghdr *live_msg(uint8_t timer, size_t len)
{
	struct tcpwatch_live v = {
		.timer_ns = 180000000ULL, .rto_us = 408000,
		.total_retrans = 42, .cwnd = 10, .ssthresh = 0x7fffffff,
		.snd_wnd = 65280, .rcv_wnd = 0, .mss = 1448,
		.inflight = 14480, .unacked = 10, .srtt_us = 20512,
		.rttvar_us = 1000, .timer = timer, .backoff = 1,
		.retransmits = 2, .probes = 0, .ca_state = TCPWATCH_CA_LOSS,
		.snd_wscale = 7, .rcv_wscale = 9,
	};
	char longer[sizeof(v) + 8] = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	memcpy(longer, &v, sizeof(v));
	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &est);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_LIVE, len, longer);
	put_cc_counts(nlh);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* Every view of @a and @b, the same. */
static void check_same_views(struct tw_sock *a, struct tw_sock *b)
{
	const char *out[2][3];
	struct capture c;
	int i;

	for (i = 0; i < 2; i++) {
		struct tw_sock *s = i ? b : a;

		tw_render_sockets(cap_start(&c), s, 1, false);
		out[i][0] = cap_end(&c);
		tw_render_sockets(cap_start(&c), s, 1, true);
		out[i][1] = cap_end(&c);
		tw_render_sockets_timers(cap_start(&c), s, 1);
		out[i][2] = cap_end(&c);
	}
	for (i = 0; i < 3; i++) {
		CHECK_STR(out[0][i], out[1][i]);
		free((char *)out[0][i]);
		free((char *)out[1][i]);
	}
}

/*
 * The LIVE attribute of dumps parses into what the attributes it stands
 * for did: the same fields, the same present bits (LIVE's aside), the
 * same output in every view; a longer struct (a newer module) too.
 */
static void test_parse_sock_live(void)
{
	static const uint8_t timers[] = {
		TCPWATCH_TIMER_RETRANS, TCPWATCH_TIMER_NONE,
	};
	const uint64_t live = 1ULL << TCPWATCH_SOCK_A_LIVE;
	struct tw_sock a, b;
	unsigned int i;

	CHECK_EQ(tw_parse_sock_msg(timers_msg(false, 0), &a), 0);
	for (i = 0; i < 2; i++) {
		size_t len = sizeof(struct tcpwatch_live) + (i ? 8 : 0);

		CHECK_EQ(tw_parse_sock_msg(live_msg(TCPWATCH_TIMER_RETRANS, len),
					   &b), 0);
		CHECK(b.present & live);
		b.present &= ~live;
		CHECK(memcmp(&a, &b, sizeof(a)) == 0);
		check_same_views(&a, &b);
	}
	/* no timer: no TIMER_NS, as the module sends none */
	CHECK_EQ(tw_parse_sock_msg(live_msg(timers[1], sizeof(struct tcpwatch_live)),
				   &b), 0);
	CHECK(!tw_sock_has(&b, TCPWATCH_SOCK_A_TIMER_NS));
	CHECK_EQ(b.timer_ns, 0);
	CHECK(tw_sock_has(&b, TCPWATCH_SOCK_A_TIMER));
	CHECK(tw_sock_has(&b, TCPWATCH_SOCK_A_CWND));
	/* shorter than this tool's struct: malformed */
	CHECK_EQ(tw_parse_sock_msg(live_msg(timers[0], 60), &b), -1);
	CHECK_CONTAINS(tw_parse_strerror(), "live");
}

static void test_parse_stats_timers(void)
{
	static const uint64_t causes[TCPWATCH_NCAUSES] = { 7, 0, 9, 1, 2 };
	uint8_t addr[4] = { 192, 0, 2, 2 };
	struct tw_stats *st = malloc(sizeof(*st));
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_STATS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	mnl_attr_put(nlh, TCPWATCH_STATS_A_RETRANS, sizeof(causes), causes);
	put_pad(nlh, TCPWATCH_STATS_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_RTO_EXPIRIES, 11);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_ZW_PROBES, 12);
	mnl_attr_put_u16(nlh, TCPWATCH_STATS_A_WINLOG_PORT, 5201);
	mnl_attr_put(nlh, TCPWATCH_STATS_A_WINLOG_ADDR, 4, addr);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_WINLOG_INTERVAL_MS, 10);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_TIMER_HOOKS, 5);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_stats_msg(nlh, st), 0);
	CHECK_EQ(st->retrans[TCPWATCH_CAUSE_RTO], 7);
	CHECK_EQ(st->retrans[TCPWATCH_CAUSE_FAST], 9);
	CHECK_EQ(st->rto_expiries, 11);
	CHECK_EQ(st->zw_probes, 12);
	/* not sent: absent, shown as "-" / null, never 0 */
	CHECK(!tw_stats_has(st, TCPWATCH_STATS_A_LOSS_PROBES));
	CHECK(!tw_stats_has(st, TCPWATCH_STATS_A_UNDOS));
	CHECK_EQ(st->winlog_port, 5201);
	CHECK_EQ(st->winlog_addr_len, 4);
	CHECK_EQ(st->winlog_interval_ms, 10);
	CHECK_EQ(st->timer_hooks, 5);
	free(st);
}

static void test_flow_parse(void)
{
	uint8_t addr[16];
	uint16_t port;
	int fam;

	CHECK_EQ(tw_parse_flow("5201", &fam, addr, &port), 0);
	CHECK_EQ(fam, 0);
	CHECK_EQ(port, 5201);
	CHECK_EQ(tw_parse_flow("192.0.2.2:80", &fam, addr, &port), 0);
	CHECK_EQ(fam, AF_INET);
	CHECK_EQ(port, 80);
	CHECK_EQ(addr[0], 192);
	CHECK_EQ(addr[3], 2);
	CHECK_EQ(tw_parse_flow("[2001:db8::2]:443", &fam, addr, &port), 0);
	CHECK_EQ(fam, AF_INET6);
	CHECK_EQ(addr[0], 0x20);
	CHECK_EQ(addr[15], 2);
	CHECK_EQ(tw_parse_flow("0", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow("70000", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow("host:80", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow("2001:db8::2:80", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow("[2001:db8::2]", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow("192.0.2.2:", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow(":80", &fam, addr, &port), -1);
	CHECK_EQ(tw_parse_flow("[]:80", &fam, addr, &port), -1);
}

static void test_interval_parse(void)
{
	unsigned long v;

	CHECK_EQ(tw_parse_seconds_ms("1", 100, 3600000, &v), 0);
	CHECK_EQ(v, 1000);
	CHECK_EQ(tw_parse_seconds_ms("0.5", 100, 3600000, &v), 0);
	CHECK_EQ(v, 500);
	CHECK_EQ(tw_parse_seconds_ms("2.25", 100, 3600000, &v), 0);
	CHECK_EQ(v, 2250);
	CHECK_EQ(tw_parse_seconds_ms("0.05", 100, 3600000, &v), -1);
	CHECK_EQ(tw_parse_seconds_ms("3601", 100, 3600000, &v), -1);
	CHECK_EQ(tw_parse_seconds_ms("1.", 100, 3600000, &v), -1);
	CHECK_EQ(tw_parse_seconds_ms(".5", 100, 3600000, &v), -1);
	CHECK_EQ(tw_parse_seconds_ms("1s", 100, 3600000, &v), -1);
	CHECK_EQ(tw_parse_seconds_ms("-1", 100, 3600000, &v), -1);
	CHECK_EQ(tw_parse_range("0", 0, 60000, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(tw_parse_range("60001", 0, 60000, &v), -1);
	CHECK_EQ(tw_parse_range("", 0, 60000, &v), -1);
}

static void test_usecs(void)
{
	char b[32];

	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 0), "0us");
	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 850), "850us");
	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 1234), "1.23ms");
	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 20512), "20.5ms");
	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 204000), "204.0ms");
	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 1632000), "1.63s");
	CHECK_STR(tw_fmt_usecs(b, sizeof(b), 120000000), "2m00s");
}

/* A listener without any of the new fields, for the '-' cells. */
static void listener_sock(struct tw_sock *s)
{
	static const struct sock_spec lst = {
		AF_INET, "192.0.2.1", "0.0.0.0", 5201, 0, 10,
	};
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &lst);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, s), 0);
}

static void test_timers_table(void)
{
	struct tw_sock s[2];
	struct capture c;
	const char *out;

	listener_sock(&s[0]);
	CHECK_EQ(tw_parse_sock_msg(timers_msg(false, 0), &s[1]), 0);
	tw_render_sockets_timers(cap_start(&c), s, 2);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "State   Local Address:Port  Peer Address:Port  "
		       "Timer          RTO  Backoff  Rtx  Retrans  cwnd  "
		       "ssthresh  snd_wnd  rcv_wnd    srtt  CA    CC\n");
	CHECK_CONTAINS(out, "LISTEN  192.0.2.1:5201      0.0.0.0:*          "
		       "-                -        -    -        -     -         "
		       "-        -        -       -  -     -\n");
	CHECK_CONTAINS(out, "ESTAB   192.0.2.1:5201      192.0.2.2:40000    "
		       "rto 180ms  408.0ms        1    2       42    10       "
		       "inf    65280        0  20.5ms  loss  cubic\n");
	free(c.buf);
}

static void test_sockets_json_timers(void)
{
	struct tw_sock s;
	struct capture c;
	const char *out;

	CHECK_EQ(tw_parse_sock_msg(timers_msg(false, 0), &s), 0);
	tw_render_sockets(cap_start(&c), &s, 1, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "\"timer\":\"retrans\",\"rto_us\":408000,"
		       "\"backoff\":1,\"retransmits\":2,\"probes\":0,"
		       "\"total_retrans\":42,\"cwnd\":10,"
		       "\"ssthresh\":2147483647,\"snd_wnd\":65280,"
		       "\"rcv_wnd\":0,\"snd_wscale\":7,\"rcv_wscale\":9,"
		       "\"mss\":1448,\"inflight\":14480,\"unacked\":10,"
		       "\"srtt_us\":20512,\"rttvar_us\":1000,"
		       "\"ca_state\":\"loss\",\"cc\":\"cubic\","
		       "\"retrans\":{\"rto\":1,\"loss\":2,\"fast\":30,"
		       "\"tlp\":4,\"syn\":5},\"rto_expiries\":3,"
		       "\"loss_probes\":4,\"zw_probes\":5,\"undos\":6}");
	free(c.buf);
}

static void test_timer_event_lines(void)
{
	uint64_t present;
	struct tw_sock ev;
	struct capture c;
	const char *out;
	FILE *f;

	f = cap_start(&c);
	CHECK_EQ(tw_parse_event_msg(timers_msg(true, TCPWATCH_EV_RETRANS),
				    &ev), 0);
	tw_render_event(f, &ev, false);
	tw_render_retrans_header(f, false);
	tw_render_retrans(f, &ev, false);
	ev.event = TCPWATCH_EV_CA_STATE;
	tw_render_retrans(f, &ev, false);
	tw_render_event(f, &ev, false);
	/* neither CA state sent: "-", not whatever was on the stack */
	present = ev.present;
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_CA_STATE |
			1ULL << TCPWATCH_SOCK_A_OLD_CA_STATE);
	tw_render_retrans(f, &ev, false);
	ev.present = present;
	ev.event = TCPWATCH_EV_RTO;
	tw_render_retrans(f, &ev, false);
	ev.event = TCPWATCH_EV_WINDOW;
	tw_render_event(f, &ev, false);
	tw_render_window_header(f, false);
	tw_render_window(f, &ev, false);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_CWND);
	tw_render_window(f, &ev, false);
	tw_render_window(f, &ev, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "22:13:20.123456 retrans 192.0.2.1:5201 -> "
		       "192.0.2.2:40000 cause fast, rto 408.0ms, backoff 1, "
		       "rtx 2, cwnd 10, ssthresh inf\n");
	CHECK_CONTAINS(out, "TIME            EVENT   LOCAL                 "
		       "PEER                  CAUSE/CA              RTO BOFF "
		       "RTX   CWND SSTHRESH\n");
	CHECK_CONTAINS(out, "22:13:20.123456 retrans 192.0.2.1:5201        "
		       "192.0.2.2:40000       fast              408.0ms    1 "
		       "  2     10      inf\n");
	CHECK_CONTAINS(out, " ca-state 192.0.2.1:5201        192.0.2.2:40000"
		       "       open->loss ");
	CHECK_CONTAINS(out, " ca-state 192.0.2.1:5201        192.0.2.2:40000"
		       "       -                 408.0ms");
	CHECK_CONTAINS(out, "ca-state 192.0.2.1:5201 -> 192.0.2.2:40000 "
		       "open->loss, cwnd 10, ssthresh inf\n");
	CHECK_CONTAINS(out, " rto     192.0.2.1:5201        192.0.2.2:40000"
		       "       expired ");
	CHECK_CONTAINS(out, "window 192.0.2.1:5201 -> 192.0.2.2:40000 "
		       "cwnd 10, ssthresh inf, snd_wnd 65280, rcv_wnd 0, "
		       "srtt 20.5ms, inflight 14480\n");
	CHECK_CONTAINS(out, "22:13:20.123456 192.0.2.1:5201        "
		       "192.0.2.2:40000           10      inf      65280"
		       "          0    20.5ms      14480\n");
	/* a field not sent is "-" (null in JSON), never 0 */
	CHECK_CONTAINS(out, "192.0.2.2:40000            -      inf");
	CHECK_CONTAINS(out, "{\"event\":\"window\",");
	CHECK_CONTAINS(out, "\"cwnd\":null,");
	CHECK_CONTAINS(out, "\"retrans_cause\":\"fast\",\"old_ca_state\":"
		       "\"open\",\"seq\":3000000000,");
	free(c.buf);
}

static void test_names(void)
{
	CHECK_STR(tw_timer_name(TCPWATCH_TIMER_ZERO_WINDOW, false), "persist");
	CHECK_STR(tw_timer_name(TCPWATCH_TIMER_ZERO_WINDOW, true),
		  "zero_window");
	CHECK_STR(tw_timer_name(99, true), "unknown");
	CHECK_STR(tw_ca_name(TCPWATCH_CA_CWR), "cwr");
	CHECK_STR(tw_ca_name(9), "unknown");
	CHECK_STR(tw_cause_name(TCPWATCH_CAUSE_TLP), "tlp");
	CHECK_STR(tw_cause_name(TCPWATCH_NCAUSES), "unknown");
}

/* ---- top ---- */

static void sock_at(struct tw_sock *s, uint8_t state, uint16_t sport,
		    uint16_t dport, uint64_t in_state_ns)
{
	struct sock_spec sp = {
		AF_INET, "192.0.2.1", "192.0.2.2", sport, dport, state,
	};
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &sp);
	put_pad(nlh, TCPWATCH_SOCK_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_IN_STATE_NS, in_state_ns);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, s), 0);
}

static void test_top_rates(void)
{
	struct tw_top_snap *a = calloc(1, sizeof(*a));
	struct tw_top_snap *b = calloc(1, sizeof(*b));
	struct tw_top_rates r;

	a->has_stats = b->has_stats = true;
	a->mono_ns = 1000000000ULL;
	b->mono_ns = 3000000000ULL;	/* 2 s later */
	a->st.present = b->st.present =
		1ULL << TCPWATCH_STATS_A_TRANSITIONS |
		1ULL << TCPWATCH_STATS_A_RETRANS |
		1ULL << TCPWATCH_STATS_A_EXPIRED;
	a->st.transitions[2][1] = 10;	/* SYN_SENT -> ESTABLISHED */
	b->st.transitions[2][1] = 20;
	b->st.transitions[3][1] = 10;	/* SYN_RECV -> ESTABLISHED */
	b->st.transitions[4][7] = 6;	/* -> CLOSE */
	a->st.retrans[TCPWATCH_CAUSE_FAST] = 5;
	b->st.retrans[TCPWATCH_CAUSE_FAST] = 9;
	b->st.retrans[TCPWATCH_CAUSE_RTO] = 2;
	b->st.hs.expired = 4;
	tw_top_rates(a, b, &r);
	CHECK(r.has[TW_RATE_CONNS]);
	CHECK(r.v[TW_RATE_CONNS] == 10.0);
	CHECK(r.v[TW_RATE_CLOSES] == 3.0);
	CHECK(r.v[TW_RATE_RETRANS] == 3.0);
	CHECK(r.v[TW_RATE_HO_EXPIRED] == 2.0);
	/* not sent by the module: unknown, not 0 */
	CHECK(!r.has[TW_RATE_RTO]);
	CHECK(!r.has[TW_RATE_SYN_DROPS]);
	/* the first refresh has no rates */
	tw_top_rates(NULL, b, &r);
	CHECK(!r.has[TW_RATE_CONNS]);
	free(a);
	free(b);
}

static void test_top_stuck_filter_sort(void)
{
	struct tw_top_snap snap = { 0 };
	struct tw_sock s[5];
	struct tw_halfopen ho = { 0 };
	struct tw_top_row *rows;
	size_t n;
	char why[8];

	sock_at(&s[0], TW_TCP_CLOSE_WAIT, 80, 40001, 120000000000ULL);
	sock_at(&s[1], TW_TCP_CLOSE_WAIT, 80, 40002, 1000000000ULL);
	sock_at(&s[2], TW_TCP_FIN_WAIT2, 40003, 80, 61000000000ULL);
	sock_at(&s[3], TW_TCP_ESTABLISHED, 22, 40004, 5000000000ULL);
	s[3].backoff = 3;
	s[3].present |= 1ULL << TCPWATCH_SOCK_A_BACKOFF;
	s[3].cwnd = 1;
	s[3].present |= 1ULL << TCPWATCH_SOCK_A_CWND;
	sock_at(&s[4], TW_TCP_NEW_SYN_RECV, 80, 40005, 0);
	s[4].present &= ~(1ULL << TCPWATCH_SOCK_A_IN_STATE_NS);
	ho.family = AF_INET;
	ho.lport = 80;
	ho.rport = 40005;
	inet_pton(AF_INET, "192.0.2.2", ho.raddr);
	ho.synack_retrans = 5;
	ho.max_retries = 5;
	ho.present = 1ULL << TCPWATCH_HALFOPEN_A_SYNACK_RETRANS |
		     1ULL << TCPWATCH_HALFOPEN_A_MAX_RETRIES;
	snap.socks = s;
	snap.nsocks = 5;
	snap.hos = &ho;
	snap.nhos = 1;

	CHECK_EQ(tw_top_stuck(&s[0], &snap, 60000000000ULL),
		 TW_STUCK_CLOSE_WAIT);
	CHECK_EQ(tw_top_stuck(&s[1], &snap, 60000000000ULL), 0);
	CHECK_EQ(tw_top_stuck(&s[2], &snap, 60000000000ULL),
		 TW_STUCK_FIN_WAIT2);
	CHECK_EQ(tw_top_stuck(&s[3], &snap, 60000000000ULL),
		 TW_STUCK_BACKOFF);
	CHECK_EQ(tw_top_stuck(&s[4], &snap, 60000000000ULL),
		 TW_STUCK_HALFOPEN);
	CHECK_STR(tw_top_stuck_str(why, sizeof(why),
				   TW_STUCK_CLOSE_WAIT | TW_STUCK_BACKOFF),
		  "CR");

	/* port filter: local or remote */
	rows = tw_top_rows(&snap, "80", TW_COL_STATE, false, 60000000000ULL,
			   &n);
	CHECK_EQ(n, 4);
	free(rows);
	/* a state, either naming style */
	rows = tw_top_rows(&snap, "close-wait", TW_COL_STATE, false,
			   60000000000ULL, &n);
	CHECK_EQ(n, 2);
	free(rows);
	rows = tw_top_rows(&snap, "SYN_RECV", TW_COL_STATE, false,
			   60000000000ULL, &n);
	CHECK_EQ(n, 1);
	free(rows);
	/* part of an address */
	rows = tw_top_rows(&snap, "192.0.2.2:4000", TW_COL_STATE, false,
			   60000000000ULL, &n);
	CHECK_EQ(n, 4);
	free(rows);
	rows = tw_top_rows(&snap, "10.9.9.9", TW_COL_STATE, false,
			   60000000000ULL, &n);
	CHECK_EQ(n, 0);
	free(rows);

	/* in-state, longest first; '-' (the request) last either way */
	rows = tw_top_rows(&snap, "", TW_COL_INSTATE, true, 60000000000ULL,
			   &n);
	CHECK_EQ(n, 5);
	CHECK(rows[0].s == &s[0]);
	CHECK(rows[1].s == &s[2]);
	CHECK(rows[3].s == &s[1]);
	CHECK(rows[4].s == &s[4]);
	CHECK_STR(rows[0].cells[TW_COL_INSTATE], "2m00s");
	CHECK_STR(rows[0].cells[TW_COL_CWND], "-");
	free(rows);
	rows = tw_top_rows(&snap, NULL, TW_COL_INSTATE, false,
			   60000000000ULL, &n);
	CHECK(rows[0].s == &s[1]);
	CHECK(rows[4].s == &s[4]);
	free(rows);
	/* by state number: ESTAB first */
	rows = tw_top_rows(&snap, NULL, TW_COL_STATE, false, 60000000000ULL,
			   &n);
	CHECK(rows[0].s == &s[3]);
	free(rows);
}

static void test_top_plain(void)
{
	struct tw_top_snap snap = { 0 };
	struct tw_top_rates r = { 0 };
	struct tw_listener l = { 0 };
	struct tw_top_row *rows;
	struct tw_sock s;
	struct capture c;
	const char *out;
	char bar[64];
	size_t n;

	tw_top_queue_bar(bar, sizeof(bar), 4, 16, 8);
	CHECK_STR(bar, "[##......] 4/16");
	tw_top_queue_bar(bar, sizeof(bar), 1, 128, 8);
	CHECK_STR(bar, "[#.......] 1/128");
	tw_top_queue_bar(bar, sizeof(bar), 20, 16, 4);
	CHECK_STR(bar, "[####] 20/16");

	sock_at(&s, TW_TCP_CLOSE_WAIT, 80, 40001, 120000000000ULL);
	snap.socks = &s;
	snap.nsocks = 1;
	snap.has_stats = true;
	snap.st.present = 1ULL << TCPWATCH_STATS_A_STATE_COUNT;
	snap.st.state_count[TW_TCP_CLOSE_WAIT] = 1;
	l.family = AF_INET;
	l.port = 80;
	l.backlog = 16;
	l.synq_len = 4;
	l.acceptq_len = 1;
	l.present = 1ULL << TCPWATCH_LISTENER_A_BACKLOG |
		    1ULL << TCPWATCH_LISTENER_A_SYNQ_LEN |
		    1ULL << TCPWATCH_LISTENER_A_ACCEPTQ_LEN;
	snap.ls = &l;
	snap.nls = 1;
	r.has[TW_RATE_CONNS] = true;
	r.v[TW_RATE_CONNS] = 12.5;
	rows = tw_top_rows(&snap, NULL, TW_COL_STATE, false, 60000000000ULL,
			   &n);
	tw_top_print_plain(cap_start(&c), &snap, &r, rows, n);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "conn/s 12.5  close/s -  retrans/s -");
	CHECK_CONTAINS(out, "\nESTAB 0  TIME-WAIT 0  CLOSE-WAIT 1  LISTEN 0\n");
	CHECK_CONTAINS(out, "0.0.0.0:80  [##........] 4/16  "
		       "[#.........] 1/16          -            -\n");
	CHECK_CONTAINS(out, "C  CLOSE-WAIT  192.0.2.1:80  192.0.2.2:40001"
		       "     2m00s     -");
	CHECK_CONTAINS(out, "C: CLOSE-WAIT too long");
	free(c.buf);
	free(rows);
}

const struct tw_test timers_tests[] = {
	{ "parse_sock_timers_windows", test_parse_sock_timers },
	{ "parse_timer_events", test_parse_timer_events },
	{ "parse_sock_retrans_bad_length", test_parse_bad_retrans_len },
	{ "parse_sock_live_struct", test_parse_sock_live },
	{ "parse_stats_timers_winlog", test_parse_stats_timers },
	{ "parse_flow", test_flow_parse },
	{ "parse_intervals", test_interval_parse },
	{ "format_usecs", test_usecs },
	{ "render_sockets_timers_table", test_timers_table },
	{ "render_sockets_json_timers", test_sockets_json_timers },
	{ "render_timer_events", test_timer_event_lines },
	{ "timer_ca_cause_names", test_names },
	{ "top_rates", test_top_rates },
	{ "top_stuck_filter_sort", test_top_stuck_filter_sort },
	{ "top_plain_screen", test_top_plain },
	{ NULL, NULL },
};
