// SPDX-License-Identifier: GPL-2.0
/*
 * test_render.c - parsed records to text and JSON: the socket table, the
 * closed list, the stats view, event lines, the client-side filter, and
 * that every JSON document parses (with python3, when it is installed).
 */
#include <stdlib.h>
#include <sys/wait.h>

#include "format.h"
#include "parse.h"
#include "render.h"
#include "capture.h"
#include "msg.h"
#include "unit.h"

#define EV_TAIL ",\"retrans_cause\":null,\"old_ca_state\":null,\"seq\":null," \
	SOCK_TIMERS_NULL "}\n"
#define SOCK_TIMERS_NULL "\"timer\":null,\"rto_us\":null,\"backoff\":null," \
	"\"retransmits\":null,\"probes\":null,\"total_retrans\":null," \
	"\"cwnd\":null,\"ssthresh\":null,\"snd_wnd\":null,\"rcv_wnd\":null," \
	"\"snd_wscale\":null,\"rcv_wscale\":null,\"mss\":null," \
	"\"inflight\":null,\"unacked\":null,\"srtt_us\":null," \
	"\"rttvar_us\":null,\"ca_state\":null,\"cc\":null," \
	"\"retrans\":null,\"rto_expiries\":null,\"loss_probes\":null," \
	"\"zw_probes\":null,\"undos\":null"

#define HAS(s, a)	((s)->present |= 1ULL << TCPWATCH_SOCK_A_##a)

static void set_tuple(struct tw_sock *s, const struct sock_spec *spec)
{
	s->family = spec->family;
	s->state = spec->state;
	inet_pton(spec->family, spec->saddr, s->saddr);
	inet_pton(spec->family, spec->daddr, s->daddr);
	s->sport = spec->sport;
	s->dport = spec->dport;
	HAS(s, FAMILY);
	HAS(s, STATE);
	HAS(s, SADDR);
	HAS(s, DADDR);
	HAS(s, SPORT);
	HAS(s, DPORT);
}

/* ESTAB since load, LISTEN on v6, TIME-WAIT with a timer. */
static void three_socks(struct tw_sock s[3])
{
	static const struct sock_spec est = {
		AF_INET, "10.0.0.1", "10.0.0.2", 22, 51234, 1,
	};
	static const struct sock_spec lst = {
		AF_INET6, "2001:db8::1", "::", 443, 0, 10,
	};
	static const struct sock_spec tw = {
		AF_INET, "192.168.100.200", "10.0.0.2", 80, 40000, 6,
	};

	memset(s, 0, 3 * sizeof(*s));
	set_tuple(&s[0], &est);
	s[0].id = 1;
	s[0].tracked = 1;
	s[0].since_load = 1;
	s[0].in_state_ns = 1200000000ULL;
	s[0].transitions = 3;
	s[0].pid = 4242;
	snprintf(s[0].comm, sizeof(s[0].comm), "ss\"hd\n");
	HAS(&s[0], ID);
	HAS(&s[0], TRACKED);
	HAS(&s[0], SINCE_LOAD);
	HAS(&s[0], IN_STATE_NS);
	HAS(&s[0], TRANSITIONS);
	HAS(&s[0], PID);
	HAS(&s[0], COMM);
	HAS(&s[0], TIMER_NS);	/* 0, and not a timewait socket: "-" */

	set_tuple(&s[1], &lst);
	s[1].id = 2;
	s[1].in_state_ns = 184000000000ULL;
	s[1].transitions = 1;
	HAS(&s[1], ID);
	HAS(&s[1], IN_STATE_NS);
	HAS(&s[1], TRANSITIONS);

	set_tuple(&s[2], &tw);
	s[2].id = 3;
	s[2].timewait = 1;
	s[2].in_state_ns = 500000000ULL;
	s[2].timer_ns = 59950000000ULL;
	s[2].transitions = 6;
	HAS(&s[2], ID);
	HAS(&s[2], TIMEWAIT);
	HAS(&s[2], IN_STATE_NS);
	HAS(&s[2], TIMER_NS);
	HAS(&s[2], TRANSITIONS);
}

/* Feeds @json to python3's json parser; skips quietly without python3. */
static void check_json(const char *json, bool lines)
{
	const char *cmd = lines ?
		"python3 -c 'import json,sys\nfor l in sys.stdin: json.loads(l)' 2>&1" :
		"python3 -c 'import json,sys; json.load(sys.stdin)' 2>&1";
	FILE *p;
	int st;

	if (system("command -v python3 >/dev/null 2>&1"))
		return;
	p = popen(cmd, "w");
	if (!p)
		return;
	fputs(json, p);
	st = pclose(p);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		tw_fail(__FILE__, __LINE__, "invalid JSON:\n%s", json);
}

static void test_sockets_text(void)
{
	struct tw_sock s[3];
	struct capture c;

	three_socks(s);
	tw_render_sockets(cap_start(&c), s, 3, false);
	CHECK_STR(cap_end(&c),
"State      Local Address:Port  Peer Address:Port  In-State  Trans  Timer  PID/Comm\n"
"ESTAB      10.0.0.1:22         10.0.0.2:51234        1.2s*      3      -  4242/ss\"hd?\n"
"LISTEN     [2001:db8::1]:443   [::]:*                3m04s      1      -  -\n"
"TIME-WAIT  192.168.100.200:80  10.0.0.2:40000        500ms      6  59.9s  -\n"
"* since tcpwatch was loaded: the socket is older than the module\n");
	free(c.buf);
}

static void test_sockets_text_empty(void)
{
	struct capture c;

	tw_render_sockets(cap_start(&c), NULL, 0, false);
	CHECK_STR(cap_end(&c),
		  "State  Local Address:Port  Peer Address:Port  In-State  Trans  Timer  PID/Comm\n");
	free(c.buf);
}

static void test_sockets_json(void)
{
	struct tw_sock s[3];
	struct capture c;
	const char *out;

	three_socks(s);
	tw_render_sockets(cap_start(&c), s, 3, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "{\"sockets\":[\n{\"id\":1,\"family\":\"ipv4\","
		       "\"state\":\"ESTABLISHED\",\"local_addr\":\"10.0.0.1\","
		       "\"local_port\":22,\"remote_addr\":\"10.0.0.2\","
		       "\"remote_port\":51234,\"tracked\":true,"
		       "\"since_load\":true,\"timewait\":false,"
		       "\"request_sock\":false,"
		       "\"in_state_ns\":1200000000,\"lifetime_ns\":null,"
		       "\"transitions\":3,\"syn_retrans\":null,\"timer_ns\":0,\"pid\":4242,"
		       "\"comm\":\"ss\\\"hd\\n\",\"netns\":null,"
		       "\"state_time_ns\":null," SOCK_TIMERS_NULL "},\n");
	CHECK_CONTAINS(out, "\"family\":\"ipv6\",\"state\":\"LISTEN\","
		       "\"local_addr\":\"2001:db8::1\",\"local_port\":443,"
		       "\"remote_addr\":\"::\",\"remote_port\":0,");
	CHECK_CONTAINS(out, "\"state\":\"TIME_WAIT\"");
	CHECK_CONTAINS(out, "\"timer_ns\":59950000000,\"pid\":null,"
		       "\"comm\":null");
	CHECK_CONTAINS(out, "}\n]}\n");
	check_json(out, false);
	free(c.buf);

	tw_render_sockets(cap_start(&c), NULL, 0, true);
	CHECK_STR(cap_end(&c), "{\"sockets\":[\n]}\n");
	check_json(c.buf, false);
	free(c.buf);
}

/*
 * A request socket as the module sends it (tcpw_put_row() for a
 * NEW_SYN_RECV entry: untracked, no in-state time) and a full SYN_RECV
 * socket: both are SYN-RECV, as in ss; JSON tells them apart.
 */
static void request_socks(struct tw_sock s[2])
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const struct sock_spec req = {
		AF_INET, "10.0.0.1", "10.0.0.2", 80, 40001, TW_TCP_NEW_SYN_RECV,
	};
	static const struct sock_spec full = {
		AF_INET, "10.0.0.1", "10.0.0.2", 80, 40002, TW_TCP_SYN_RECV,
	};
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &req);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TRACKED, 0);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_SINCE_LOAD, 0);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMEWAIT, 0);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_TRANSITIONS, 0);
	put_pad(nlh, TCPWATCH_SOCK_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_LIFETIME_NS, 0);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, &s[0]), 0);

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_SOCKETS);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &full);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TRACKED, 1);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMEWAIT, 0);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_TRANSITIONS, 1);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_ID, 9);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_IN_STATE_NS, 12000000);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, &s[1]), 0);
}

static void test_sockets_request(void)
{
	struct tw_sock s[2];
	struct capture c;
	const char *out;

	request_socks(s);
	CHECK(tw_sock_is_request(&s[0]));
	CHECK(!tw_sock_is_request(&s[1]));
	tw_render_sockets(cap_start(&c), s, 2, false);
	CHECK_STR(cap_end(&c),
"State     Local Address:Port  Peer Address:Port  In-State  Trans  Timer  PID/Comm\n"
"SYN-RECV  10.0.0.1:80         10.0.0.2:40001            -      0      -  -\n"
"SYN-RECV  10.0.0.1:80         10.0.0.2:40002         12ms      1      -  -\n");
	free(c.buf);

	tw_render_sockets(cap_start(&c), s, 2, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "\"state\":\"SYN_RECV\",\"local_addr\":\"10.0.0.1\","
		       "\"local_port\":80,\"remote_addr\":\"10.0.0.2\","
		       "\"remote_port\":40001,\"tracked\":false,"
		       "\"since_load\":false,\"timewait\":false,"
		       "\"request_sock\":true,\"in_state_ns\":null,");
	CHECK_CONTAINS(out, "\"remote_port\":40002,\"tracked\":true,"
		       "\"since_load\":false,\"timewait\":false,"
		       "\"request_sock\":false,\"in_state_ns\":12000000,");
	CHECK(!strstr(out, "NEW_SYN_RECV"));
	check_json(out, false);
	free(c.buf);
}

/* Events and closed records keep the kernel's state: no request_sock. */
static void test_request_state_elsewhere(void)
{
	struct tw_sock s[2];
	struct capture c;
	const char *out;
	FILE *f;

	request_socks(s);
	s[0].event = TCPWATCH_EV_STATE;
	s[0].present |= 1ULL << TCPWATCH_SOCK_A_EVENT;
	f = cap_start(&c);
	tw_render_event(f, &s[0], false);
	tw_render_event(f, &s[0], true);
	tw_render_closed(f, &s[0], 1, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, " NEW-SYN-RECV ");
	CHECK_CONTAINS(out, "\"state\":\"NEW_SYN_RECV\"");
	CHECK(!strstr(out, "request_sock"));
	free(c.buf);
}

static void test_filter_syn_recv(void)
{
	struct tw_filter syn = { 0, 0, 0 }, req = { 0, 0, 0 };
	struct tw_filter est = { 0, 0, 0 };
	struct tw_sock s[2];

	request_socks(s);
	CHECK_EQ(tw_parse_states("syn-recv", &syn.states, NULL, 0), 0);
	CHECK_EQ(tw_parse_states("new-syn-recv", &req.states, NULL, 0), 0);
	CHECK_EQ(tw_parse_states("estab", &est.states, NULL, 0), 0);
	CHECK(tw_sock_match(&s[0], &syn, TW_MATCH_SOCK));
	CHECK(tw_sock_match(&s[1], &syn, TW_MATCH_SOCK));
	CHECK(tw_sock_match(&s[0], &req, TW_MATCH_SOCK));
	CHECK(!tw_sock_match(&s[1], &req, TW_MATCH_SOCK));
	CHECK(!tw_sock_match(&s[0], &est, TW_MATCH_SOCK));
	CHECK(!tw_sock_match(&s[1], &est, TW_MATCH_SOCK));
}

/* A dump record built as the module would, parsed, then rendered. */
static void test_sockets_parsed(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	static const struct sock_spec spec = {
		AF_INET6, "::ffff:192.0.2.1", "2001:db8::2", 8080, 51000, 8,
	};
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_SOCKETS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	struct tw_sock s;
	struct capture c;

	put_sock_tuple(nlh, &spec);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_IN_STATE_NS, 7500000000000ULL);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_TRANSITIONS, 2);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_PID, 1);
	mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_COMM, "systemd");
	/* JSON only: the table keeps its width */
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_SYN_RETRANS, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_sock_msg(nlh, &s), 0);
	tw_render_sockets(cap_start(&c), &s, 1, false);
	CHECK_STR(cap_end(&c),
"State       Local Address:Port       Peer Address:Port    In-State  Trans  Timer  PID/Comm\n"
"CLOSE-WAIT  [::ffff:192.0.2.1]:8080  [2001:db8::2]:51000     2h05m      2      -  1/systemd\n");
	free(c.buf);
}

static void closed_socks(struct tw_sock s[2])
{
	static const struct sock_spec a = {
		AF_INET, "10.0.0.1", "10.0.0.9", 40000, 443, 7,
	};
	static const struct sock_spec b = {
		AF_INET6, "::1", "::1", 8080, 40001, 7,
	};

	memset(s, 0, 2 * sizeof(*s));
	set_tuple(&s[0], &a);
	s[0].time_ns = 1700000000123456789ULL;
	s[0].lifetime_ns = 2500000000ULL;
	s[0].transitions = 6;
	s[0].pid = 77;
	snprintf(s[0].comm, sizeof(s[0].comm), "curl");
	s[0].state_time_ns[2] = 1500000;	/* SYN_SENT */
	s[0].state_time_ns[1] = 2400000000ULL;	/* ESTABLISHED */
	s[0].state_time_ns[4] = 40000;		/* FIN_WAIT1 */
	s[0].state_time_ns[5] = 98000000;	/* FIN_WAIT2 */
	s[0].old_state = 5;			/* closed from FIN_WAIT2 */
	s[0].syn_retrans = 2;			/* connect() resent its SYN */
	HAS(&s[0], OLD_STATE);
	HAS(&s[0], SYN_RETRANS);
	HAS(&s[0], TIME_NS);
	HAS(&s[0], LIFETIME_NS);
	HAS(&s[0], TRANSITIONS);
	HAS(&s[0], PID);
	HAS(&s[0], COMM);
	HAS(&s[0], STATE_TIME);

	set_tuple(&s[1], &b);
	s[1].time_ns = 1700000001000000000ULL;
	s[1].lifetime_ns = 3600000000000ULL;
	s[1].since_load = 1;
	HAS(&s[1], TIME_NS);
	HAS(&s[1], LIFETIME_NS);
	HAS(&s[1], SINCE_LOAD);
}

static void test_closed_text(void)
{
	struct tw_sock s[2];
	struct capture c;

	closed_socks(s);
	tw_render_closed(cap_start(&c), s, 2, false);
	CHECK_STR(cap_end(&c),
"Closed           Local Address:Port  Peer Address:Port  Last        Lifetime  Trans  PID/Comm  States\n"
"22:13:20.123456  10.0.0.1:40000      10.0.0.9:443       FIN-WAIT-2      2.5s      6  77/curl   SYN-SENT 1ms, ESTAB 2.4s, FIN-WAIT-1 40us, FIN-WAIT-2 98ms\n"
"22:13:21.000000  [::1]:8080          [::1]:40001        -             1h00m*      -  -         -\n"
"* since tcpwatch was loaded: the socket is older than the module\n");
	free(c.buf);
}

static void test_closed_json(void)
{
	struct tw_sock s[2];
	struct capture c;
	const char *out;

	closed_socks(s);
	tw_render_closed(cap_start(&c), s, 2, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "{\"closed\":[\n{");
	CHECK_CONTAINS(out, "\"lifetime_ns\":2500000000,\"transitions\":6,"
		       "\"syn_retrans\":2,");
	CHECK_CONTAINS(out, "\"transitions\":null,\"syn_retrans\":null,");
	CHECK_CONTAINS(out, "\"state_time_ns\":{\"ESTABLISHED\":2400000000,"
		       "\"SYN_SENT\":1500000,\"FIN_WAIT1\":40000,"
		       "\"FIN_WAIT2\":98000000},\"last_state\":\"FIN_WAIT2\","
		       "\"time_ns\":1700000000123456789," SOCK_TIMERS_NULL "}");
	CHECK_CONTAINS(out, "\"state_time_ns\":null,\"last_state\":null,"
		       "\"time_ns\":1700000001000000000," SOCK_TIMERS_NULL "}");
	check_json(out, false);
	free(c.buf);
}

/*
 * Connect latency, both half-open lifetimes, SYN-ACK retransmissions and
 * accept-queue wait.
 */
static void fill_kind_hists(struct tw_stats *st)
{
	struct tw_hist *h;

	h = &st->kind_hist[TCPWATCH_HIST_CONNECT];
	h->present = true;
	h->count = 10;
	h->sum_us = 10 * 2500;		/* mean 2.5 ms */
	h->slots[11] = 4;		/* 1024 .. 2047 us */
	h->slots[12] = 6;		/* 2048 .. 4095 us */
	h = &st->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE];
	h->present = true;
	h->count = 8;
	h->sum_us = 8 * 300;
	h->slots[9] = 8;		/* 256 .. 511 us */
	h = &st->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED];
	h->present = true;
	h->count = 2;
	h->sum_us = 2 * 63000000ULL;	/* 63 s: 5 SYN-ACK retries */
	h->slots[26] = 2;
	h = &st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS];
	h->present = true;
	h->count = 8;
	h->sum_us = 2;			/* retransmissions, not us */
	h->slots[0] = 6;
	h->slots[1] = 2;
	h = &st->kind_hist[TCPWATCH_HIST_ACCEPT_WAIT];
	h->present = true;
	h->count = 5;
	h->sum_us = 5 * 1200;		/* mean 1.2 ms */
	h->slots[11] = 5;		/* 1024 .. 2047 us */
}

static void fill_stats(struct tw_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->has_version = st->has_abi = st->has_stats = true;
	snprintf(st->version, sizeof(st->version), "0.1.0");
	st->abi = 1;
	st->netns = 4026531840U;
	st->uptime_ns = 7500000000000ULL;
	st->tracked = 42;
	st->max_tracked = 65536;
	st->track_drops = 1;
	st->events_sent = 999;
	st->event_drops = 2;
	st->closed_ring = 1024;
	st->close_drops = 3;
	st->tw_entered = 11;
	st->tw_exited = 8;
	st->tw_live = 3;
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		st->state_count[i] = i;
	st->transitions[7][2] = 5;
	st->transitions[2][1] = 4;
	st->transitions[1][4] = 3;
	st->transitions[10][12] = 12345;
	st->hist[1].present = true;
	st->hist[1].count = 4;
	st->hist[1].sum_us = 4 * 1500000;
	st->hist[1].slots[21] = 4;
	st->hist[6].present = true;
	st->hist[6].count = 3;
	st->hist[6].sum_us = 3 * 60000000ULL;
	st->hist[6].slots[26] = 3;
	st->hist[3].present = true;	/* present, no samples: not shown */
	st->synack_retrans = 17;
	st->syn_retrans = 5;
	st->hs.syns = 100;
	st->hs.completed = 90;
	st->hs.expired = 6;
	st->hs.resets = 1;
	st->hs.synq_drops = 2;
	st->hs.acceptq_drops = 3;
	st->hs.cookies_sent = 4;
	st->hs.cookies_recv = 5;
	st->hooks_missed = 0;
	for (i = 0; i < TCPWATCH_NCAUSES; i++)
		st->retrans[i] = i + 1;
	st->rto_expiries = 6;
	st->loss_probes = 7;
	st->zw_probes = 8;
	st->undos = 9;
	st->ca_changes = 10;
	st->winlog_port = 5201;
	st->winlog_addr_len = 4;
	inet_pton(AF_INET, "192.0.2.2", st->winlog_addr);
	st->winlog_interval_ms = 10;
	st->winlog_samples = 11;
	st->winlog_drops = 12;
	st->timer_hooks = 1U << TCPWATCH_HOOK_RTO | 1U << TCPWATCH_HOOK_ZW_PROBE;
	fill_kind_hists(st);
	st->kind_hist[TCPWATCH_HIST_RTO].present = true;
	st->kind_hist[TCPWATCH_HIST_RTO].count = 3;
	st->kind_hist[TCPWATCH_HIST_RTO].sum_us = 200000 + 400000 + 800000;
	st->kind_hist[TCPWATCH_HIST_RTO].slots[18] = 1;
	st->kind_hist[TCPWATCH_HIST_RTO].slots[19] = 1;
	st->kind_hist[TCPWATCH_HIST_RTO].slots[20] = 1;
	st->present = ~0ULL & ~(1ULL << TCPWATCH_STATS_A_PAD);
}

static void test_stats_text(void)
{
	struct tw_stats *st = malloc(sizeof(*st));
	struct capture c;
	const char *out;

	fill_stats(st);
	tw_render_stats(cap_start(&c), st, false, false);
	out = cap_end(&c);
	CHECK_CONTAINS(out,
"tcpwatch module 0.1.0 (abi 1), loaded 2h05m ago, netns 4026531840\n"
"Sockets:    42 tracked (all netns), max 65536, 1 not tracked (table full)\n"
"Events:     999 sent, 2 dropped\n"
"Closed:     ring of 1024, 3 overwritten\n"
"TIME-WAIT:  11 entered, 8 exited, 3 live\n"
"Handshakes: 17 SYN-ACKs retransmitted (listeners), 5 SYNs retransmitted (connect)\n"
"Retransmits: 15 (rto 1, loss 2, fast 3, tlp 4, syn 5)\n"
"Timers:     6 RTO expiries, 7 loss probes, 8 zero-window probes, 9 undos, 10 CA changes\n"
"Window log: addr 192.0.2.2 port 5201 every 10 ms, 11 samples, 12 dropped\n"
"\n"
"State                     Sockets\n"
"ESTAB                           1\n"
"SYN-SENT                        2\n"
"SYN-RECV                        3\n");
	/* request socks keep their own row, labelled for what they are */
	CHECK_CONTAINS(out, "CLOSING                        11\n"
		       "SYN-RECV (request socks)       12\n");
	CHECK(!strstr(out, "NEW-SYN-RECV"));
	/* only from-states with transitions, only to-states reached */
	CHECK_CONTAINS(out,
"Transitions (rows: from, columns: to):\n"
"From \\ To  ESTAB  SYN-SENT  FIN-WAIT-1  SYN-RECV (request socks)\n"
"ESTAB          0         0           3                         0\n"
"SYN-SENT       4         0           0                         0\n"
"CLOSE          0         5           0                         0\n"
"LISTEN         0         0           0                     12345\n");
	CHECK_CONTAINS(out,
"Time in state (completed stays):\n"
"State      Samples   Mean\n"
"ESTAB            4   1.5s\n"
"TIME-WAIT        3  1m00s\n");
	CHECK(strstr(out, "Time in state") &&
	      !strstr(strstr(out, "Time in state"), "SYN-RECV"));
	CHECK_CONTAINS(out,
"TIME-WAIT        3  1m00s\n"
"\n"
"Handshake histograms:\n"
"Histogram                                        Samples   Mean\n"
"connect latency                                       10    2ms\n"
"half-open lifetime, completed                          8  300us\n"
"half-open lifetime, expired                            2  1m03s\n"
"SYN-ACK retransmissions per completed handshake        8   0.25\n"
"accept-queue wait                                      5    1ms\n");
	CHECK(!strstr(out, "usecs"));
	CHECK(!strstr(out, "distribution"));
	free(c.buf);
	free(st);
}

static void test_stats_hist(void)
{
	struct tw_stats *st = malloc(sizeof(*st));
	struct capture c;
	const char *out;

	fill_stats(st);
	tw_render_stats(cap_start(&c), st, false, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out,
"\nTime in ESTAB:\n"
"     usecs               : count     distribution\n"
"   1048576 -> 2097151    : 4        |****************************************|\n"
"\nTime in TIME-WAIT:\n"
"     usecs               : count     distribution\n"
"  33554432 -> 67108863   : 3        |****************************************|\n"
"\n"
"Handshake histograms:\n");
	/* after the state ones, in the order of enum tcpwatch_hist_kind */
	CHECK_CONTAINS(out,
"SYN-ACK retransmissions per completed handshake        8   0.25\n"
"accept-queue wait                                      5    1ms\n"
"\nconnect latency (usecs):\n"
"     usecs               : count     distribution\n"
"      1024 -> 2047       : 4        |**************************              |\n"
"      2048 -> 4095       : 6        |****************************************|\n"
"\nhalf-open lifetime, completed (usecs):\n"
"     usecs               : count     distribution\n"
"       256 -> 511        : 8        |****************************************|\n"
"\nhalf-open lifetime, expired (usecs):\n"
"     usecs               : count     distribution\n"
"  33554432 -> 67108863   : 2        |****************************************|\n"
"\nSYN-ACK retransmissions per completed handshake:\n"
"     retransmits         : count     distribution\n"
"         0 -> 0          : 6        |****************************************|\n"
"         1 -> 1          : 2        |*************                           |\n"
"\naccept-queue wait (usecs):\n"
"     usecs               : count     distribution\n"
"      1024 -> 2047       : 5        |****************************************|\n");
	CHECK(strstr(out, "Time in TIME-WAIT") < strstr(out, "connect latency (usecs)"));
	free(c.buf);

	/* a kind the module sent without samples; one it did not send */
	st->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].count = 0;
	memset(st->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].slots, 0,
	       sizeof(st->kind_hist[0].slots));
	st->kind_hist[TCPWATCH_HIST_CONNECT].present = false;
	tw_render_stats(cap_start(&c), st, false, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out,
"half-open lifetime, completed                          8  300us\n"
"half-open lifetime, expired                            0      -\n");
	CHECK_CONTAINS(out, "\nhalf-open lifetime, expired (usecs): no samples\n"
		       "\nSYN-ACK retransmissions per completed handshake:\n");
	CHECK(!strstr(out, "connect latency"));
	free(c.buf);
	free(st);
}

static void test_stats_json(void)
{
	struct tw_stats *st = malloc(sizeof(*st));
	struct capture c;
	const char *out;

	fill_stats(st);
	tw_render_stats(cap_start(&c), st, true, false);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "{\"version\":\"0.1.0\",\"abi\":1,"
		       "\"netns\":4026531840,\"uptime_ns\":7500000000000,"
		       "\"tracked\":42,\"max_tracked\":65536,"
		       "\"track_drops\":1,\"events_sent\":999,"
		       "\"event_drops\":2,\"closed_ring\":1024,"
		       "\"close_drops\":3,\"tw_entered\":11,\"tw_exited\":8,"
		       "\"tw_live\":3,\"synack_retrans\":17,\"syn_retrans\":5,"
		       "\"syns\":100,\"completed\":90,\"expired\":6,"
		       "\"resets\":1,\"synq_drops\":2,\"acceptq_drops\":3,"
		       "\"cookies_sent\":4,\"cookies_recv\":5,"
		       "\"hooks_missed\":0,"
		       "\"retrans\":{\"rto\":1,\"loss\":2,\"fast\":3,"
		       "\"tlp\":4,\"syn\":5},\"rto_expiries\":6,"
		       "\"loss_probes\":7,\"zw_probes\":8,\"undos\":9,"
		       "\"ca_changes\":10,\"winlog_port\":5201,"
		       "\"winlog_addr\":\"192.0.2.2\","
		       "\"winlog_interval_ms\":10,\"winlog_samples\":11,"
		       "\"winlog_drops\":12,\"timer_hooks\":{\"rto\":true,"
		       "\"loss_probe\":false,\"zw_probe\":true},"
		       "\"state_count\":{\"ESTABLISHED\":1,\"SYN_SENT\":2,");
	CHECK_CONTAINS(out, "\"NEW_SYN_RECV\":12},\"transitions\":["
		       "{\"from\":\"ESTABLISHED\",\"to\":\"FIN_WAIT1\",\"count\":3},"
		       "{\"from\":\"SYN_SENT\",\"to\":\"ESTABLISHED\",\"count\":4},"
		       "{\"from\":\"CLOSE\",\"to\":\"SYN_SENT\",\"count\":5},"
		       "{\"from\":\"LISTEN\",\"to\":\"NEW_SYN_RECV\",\"count\":12345}],");
	CHECK_CONTAINS(out, "\"hist\":[{\"state\":\"ESTABLISHED\",\"count\":4,"
		       "\"sum_us\":6000000,\"mean_us\":1500000,\"slots\":[0,");
	CHECK_CONTAINS(out, "{\"state\":\"SYN_RECV\",\"count\":0,\"sum_us\":0,"
		       "\"mean_us\":null,");
	CHECK_CONTAINS(out, "],\"histograms\":{\"connect\":{\"count\":10,"
		       "\"sum\":25000,\"slots\":[0,0,0,0,0,0,0,0,0,0,0,4,6,0,");
	CHECK_CONTAINS(out, "\"halfopen_done\":{\"count\":8,\"sum\":2400,"
		       "\"slots\":[0,0,0,0,0,0,0,0,0,8,0,");
	CHECK_CONTAINS(out, "\"halfopen_expired\":{\"count\":2,"
		       "\"sum\":126000000,\"slots\":[");
	CHECK_CONTAINS(out, "\"synack_retrans\":{\"count\":8,\"sum\":2,"
		       "\"slots\":[6,2,0,");
	CHECK_CONTAINS(out, "\"accept_wait\":{\"count\":5,\"sum\":6000,"
		       "\"slots\":[0,0,0,0,0,0,0,0,0,0,0,5,0,");
	CHECK_CONTAINS(out, "\"rto\":{\"count\":3,\"sum\":1400000,");
	CHECK_CONTAINS(out, ",\"srtt\":null,\"retrans\":null}}\n");
	check_json(out, false);
	free(c.buf);
	free(st);
}

static void test_stats_sparse(void)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct capture c;
	const char *out;

	st->has_stats = true;
	tw_render_stats(cap_start(&c), st, false, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "tcpwatch module ? (abi -)\n"
		       "Sockets:    - tracked (all netns), max -, - not tracked");
	free(c.buf);
	tw_render_stats(cap_start(&c), st, true, false);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "{\"version\":null,\"abi\":null,");
	CHECK_CONTAINS(out, "\"tw_live\":null,\"synack_retrans\":null,"
		       "\"syn_retrans\":null,\"syns\":null,");
	CHECK_CONTAINS(out, "\"hooks_missed\":null,");
	CHECK_CONTAINS(out, "\"state_count\":null,\"transitions\":null,"
		       "\"hist\":[],\"histograms\":{\"connect\":null,"
		       "\"halfopen_done\":null,\"halfopen_expired\":null,"
		       "\"synack_retrans\":null,\"accept_wait\":null,"
		       "\"rto\":null,\"srtt\":null,\"retrans\":null}}\n");
	check_json(out, false);
	free(c.buf);
	/* an older module: its counters unknown, no handshake histograms */
	tw_render_stats(cap_start(&c), st, false, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "Handshakes: - SYN-ACKs retransmitted (listeners), "
		       "- SYNs retransmitted (connect)\n");
	CHECK(!strstr(out, "Handshake histograms"));
	free(c.buf);
	free(st);
}

/* ---- listeners, half-open connections ---- */

struct listener_spec {
	int family;
	const char *addr;
	uint16_t port;
	bool full;		/* every attribute, as a tracked listener */
	uint32_t pid;
	const char *comm;
	uint8_t since_load;
	uint32_t backlog, synq, acceptq;
	uint8_t cookies, retries;
	uint64_t halfopen_ns, synack_retrans;
	/* sent after synack_retrans as the module does, if not NULL */
	const uint64_t *hs;		/* the 8 handshake counters */
	const struct tw_hist *kh;	/* [TW_HIST_KINDS], listener kinds */
};

/* One GET_LISTENERS record as tcpw_put_listener() builds it, parsed. */
static void wire_listener(struct tw_listener *l, const struct listener_spec *ls)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_LISTENERS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_LISTENER);
	uint8_t addr[16];
	unsigned int i;

	inet_pton(ls->family, ls->addr, addr);
	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY, ls->family);
	mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR,
		     ls->family == AF_INET ? 4 : 16, addr);
	mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, ls->port);
	if (ls->full) {
		mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_SINCE_LOAD,
				ls->since_load);
		mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_BACKLOG, ls->backlog);
		mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_SYNQ_LEN, ls->synq);
		mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_ACCEPTQ_LEN,
				 ls->acceptq);
		mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_SYNCOOKIES,
				ls->cookies);
		mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_SYNACK_RETRIES,
				ls->retries);
		put_pad(nlh, TCPWATCH_LISTENER_A_PAD);
		mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_HALFOPEN_NS,
				 ls->halfopen_ns);
		mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_SYNACK_RETRANS,
				 ls->synack_retrans);
	}
	for (i = 0; ls->hs && i < 8; i++)
		mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_SYNS + i, ls->hs[i]);
	for (i = TCPWATCH_HIST_HALFOPEN_DONE; ls->kh && i < TW_HIST_KINDS;
	     i++) {
		struct nlattr *h = mnl_attr_nest_start(nlh,
						       TCPWATCH_LISTENER_A_HIST);

		mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_KIND, i);
		put_pad(nlh, TCPWATCH_HIST_A_PAD);
		mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_COUNT, ls->kh[i].count);
		put_pad(nlh, TCPWATCH_HIST_A_PAD);
		mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_SUM_US, ls->kh[i].sum_us);
		mnl_attr_put(nlh, TCPWATCH_HIST_A_SLOTS,
			     sizeof(ls->kh[i].slots), ls->kh[i].slots);
		mnl_attr_nest_end(nlh, h);
	}
	if (ls->pid) {
		mnl_attr_put_u32(nlh, TCPWATCH_LISTENER_A_PID, ls->pid);
		mnl_attr_put_strz(nlh, TCPWATCH_LISTENER_A_COMM, ls->comm);
	}
	/* a newer module's attribute: skipped */
	mnl_attr_put_u64(nlh, TCPWATCH_LISTENER_A_MAX + 1, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_listener_msg(nlh, l), 0);
}

/*
 * nginx on *:80 since before the load (SYN-Q busy, cookies on, 5
 * retries: 63 s), envoy on [::]:443 (cookies always, 2 retries: 7 s),
 * and one the module sent only its address for.
 */
static void three_listeners(struct tw_listener l[3])
{
	static const struct listener_spec specs[3] = {
		{ AF_INET, "0.0.0.0", 80, true, 812, "nginx", 1, 511, 3, 0,
		  1, 5, 63000000000ULL, 12, NULL, NULL },
		{ AF_INET6, "::", 443, true, 900, "envoy", 0, 4096, 0, 7,
		  2, 2, 7000000000ULL, 0, NULL, NULL },
		{ AF_INET, "127.0.0.1", 8080, false, 0, NULL, 0, 0, 0, 0,
		  0, 0, 0, 0, NULL, NULL },
	};
	unsigned int i;

	for (i = 0; i < 3; i++)
		wire_listener(&l[i], &specs[i]);
}

static void test_listeners_text(void)
{
	struct tw_listener l[3];
	struct capture c;

	three_listeners(l);
	tw_render_listeners(cap_start(&c), l, 3, false, false);
	CHECK_STR(cap_end(&c),
"Local Address:Port  PID/Comm   Backlog   SYN-Q  Accept-Q  Cookies  Retries  Half-open life  SYN-ACK rtx\n"
"0.0.0.0:80          812/nginx      511   3/511     0/511  on             5           1m03s          12*\n"
"[::]:443            900/envoy     4096  0/4096    7/4096  always         2            7.0s            0\n"
"127.0.0.1:8080      -                -       -         -  -              -               -            -\n"
"* counters since tcpwatch's load: the listener is older than the module\n");
	free(c.buf);

	/* no star without a counter to mark; an unknown cookie mode */
	l[0].present &= ~(1ULL << TCPWATCH_LISTENER_A_SYNACK_RETRANS);
	l[0].syncookies = 3;
	tw_render_listeners(cap_start(&c), l, 1, false, false);
	CHECK_STR(cap_end(&c),
"Local Address:Port  PID/Comm   Backlog  SYN-Q  Accept-Q  Cookies  Retries  Half-open life  SYN-ACK rtx\n"
"0.0.0.0:80          812/nginx      511  3/511     0/511  3              5           1m03s            -\n");
	free(c.buf);

	tw_render_listeners(cap_start(&c), NULL, 0, false, false);
	CHECK_STR(cap_end(&c),
"Local Address:Port  PID/Comm  Backlog  SYN-Q  Accept-Q  Cookies  Retries  Half-open life  SYN-ACK rtx\n");
	free(c.buf);
}

static void test_listeners_json(void)
{
	struct tw_listener l[3];
	struct capture c;
	const char *out;

	three_listeners(l);
	tw_render_listeners(cap_start(&c), l, 3, true, false);
	out = cap_end(&c);
	CHECK_STR(out,
"{\"listeners\":[\n"
"{\"family\":\"ipv4\",\"local_addr\":\"0.0.0.0\",\"local_port\":80,"
"\"pid\":812,\"comm\":\"nginx\",\"since_load\":true,\"backlog\":511,"
"\"synq_len\":3,\"acceptq_len\":0,\"syncookies\":1,"
"\"synack_retries\":5,\"halfopen_lifetime_ns\":63000000000,"
"\"synack_retrans\":12,\"syns\":null,\"completed\":null,"
"\"expired\":null,\"resets\":null,\"synq_drops\":null,"
"\"acceptq_drops\":null,\"cookies_sent\":null,\"cookies_recv\":null,"
"\"histograms\":{\"halfopen_done\":null,\"halfopen_expired\":null,"
"\"synack_retrans\":null,\"accept_wait\":null}},\n"
"{\"family\":\"ipv6\",\"local_addr\":\"::\",\"local_port\":443,"
"\"pid\":900,\"comm\":\"envoy\",\"since_load\":false,\"backlog\":4096,"
"\"synq_len\":0,\"acceptq_len\":7,\"syncookies\":2,"
"\"synack_retries\":2,\"halfopen_lifetime_ns\":7000000000,"
"\"synack_retrans\":0,\"syns\":null,\"completed\":null,"
"\"expired\":null,\"resets\":null,\"synq_drops\":null,"
"\"acceptq_drops\":null,\"cookies_sent\":null,\"cookies_recv\":null,"
"\"histograms\":{\"halfopen_done\":null,\"halfopen_expired\":null,"
"\"synack_retrans\":null,\"accept_wait\":null}},\n"
"{\"family\":\"ipv4\",\"local_addr\":\"127.0.0.1\",\"local_port\":8080,"
"\"pid\":null,\"comm\":null,\"since_load\":false,\"backlog\":null,"
"\"synq_len\":null,\"acceptq_len\":null,\"syncookies\":null,"
"\"synack_retries\":null,\"halfopen_lifetime_ns\":null,"
"\"synack_retrans\":null,\"syns\":null,\"completed\":null,"
"\"expired\":null,\"resets\":null,\"synq_drops\":null,"
"\"acceptq_drops\":null,\"cookies_sent\":null,\"cookies_recv\":null,"
"\"histograms\":{\"halfopen_done\":null,\"halfopen_expired\":null,"
"\"synack_retrans\":null,\"accept_wait\":null}}\n"
"]}\n");
	check_json(out, false);
	free(c.buf);

	tw_render_listeners(cap_start(&c), NULL, 0, true, false);
	CHECK_STR(cap_end(&c), "{\"listeners\":[\n]}\n");
	check_json(c.buf, false);
	free(c.buf);
}

/* The handshake counters of a newer module's listener, where sent. */
static void test_listeners_handshakes(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_LISTENERS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_LISTENER);
	static const uint8_t addr[4];
	struct tw_listener l;
	struct capture c;
	const char *out;
	unsigned int i;

	mnl_attr_put_u8(nlh, TCPWATCH_LISTENER_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPWATCH_LISTENER_A_ADDR, 4, addr);
	mnl_attr_put_u16(nlh, TCPWATCH_LISTENER_A_PORT, 22);
	for (i = TCPWATCH_LISTENER_A_SYNS;
	     i <= TCPWATCH_LISTENER_A_COOKIES_RECV; i++)
		if (i != TCPWATCH_LISTENER_A_RESETS)
			mnl_attr_put_u64(nlh, i, 10 + i);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_listener_msg(nlh, &l), 0);
	CHECK_EQ(l.hs.syns, 10 + TCPWATCH_LISTENER_A_SYNS);
	CHECK_EQ(l.hs.cookies_recv, 10 + TCPWATCH_LISTENER_A_COOKIES_RECV);
	tw_render_listeners(cap_start(&c), &l, 1, true, false);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "\"synack_retrans\":null,\"syns\":25,"
		       "\"completed\":26,\"expired\":27,\"resets\":null,"
		       "\"synq_drops\":29,\"acceptq_drops\":30,"
		       "\"cookies_sent\":31,\"cookies_recv\":32,"
		       "\"histograms\":{\"halfopen_done\":null,");
	free(c.buf);
	/* text: the counters on a second line, "-" for the one not sent */
	tw_render_listeners(cap_start(&c), &l, 1, false, false);
	CHECK_STR(cap_end(&c),
"Local Address:Port  PID/Comm  Backlog  SYN-Q  Accept-Q  Cookies  Retries  Half-open life  SYN-ACK rtx\n"
"  SYNs  Done  Expired  Reset  SYN-Q drops  Acc-Q drops  Cookies sent  Cookies recv\n"
"0.0.0.0:22          -               -      -         -  -              -               -            -\n"
"    25    26       27      -           29           30            31            32\n");
	free(c.buf);
}

/*
 * Two tracked listeners of a module with its handshake hooks, and one it
 * sent neither counters nor histograms for.  nginx: completed handshakes
 * of ~300 us, two expired after 63 s, SYN-ACK retransmissions, accept
 * waits of ~1.2 ms; envoy: nothing yet.
 */
static void hs_listeners(struct tw_listener l[3])
{
	static const uint64_t hs80[8] = {
		1234567, 1234560, 2, 1, 0, 3, 40, 38,
	};
	static const uint64_t hs443[8];
	static struct tw_hist kh80[TW_HIST_KINDS], kh443[TW_HIST_KINDS];
	static const struct listener_spec specs[3] = {
		{ AF_INET, "0.0.0.0", 80, true, 812, "nginx", 1, 511, 3, 0,
		  1, 5, 63000000000ULL, 12, hs80, kh80 },
		{ AF_INET6, "::", 443, true, 900, "envoy", 0, 4096, 0, 7,
		  2, 2, 7000000000ULL, 0, hs443, kh443 },
		{ AF_INET, "127.0.0.1", 8080, true, 0, NULL, 0, 128, 0, 0,
		  1, 5, 63000000000ULL, 1, NULL, NULL },
	};
	struct tw_hist *h;
	unsigned int i;

	memset(kh80, 0, sizeof(kh80));
	h = &kh80[TCPWATCH_HIST_HALFOPEN_DONE];
	h->count = 8;
	h->sum_us = 8 * 300;
	h->slots[9] = 8;		/* 256 .. 511 us */
	h = &kh80[TCPWATCH_HIST_HALFOPEN_EXPIRED];
	h->count = 2;
	h->sum_us = 2 * 63000000ULL;
	h->slots[26] = 2;
	h = &kh80[TCPWATCH_HIST_SYNACK_RETRANS];
	h->count = 8;
	h->sum_us = 2;
	h->slots[0] = 6;
	h->slots[1] = 2;
	h = &kh80[TCPWATCH_HIST_ACCEPT_WAIT];
	h->count = 5;
	h->sum_us = 5 * 1200;
	h->slots[11] = 5;		/* 1024 .. 2047 us */
	memset(kh443, 0, sizeof(kh443));
	for (i = 0; i < 3; i++)
		wire_listener(&l[i], &specs[i]);
}

static void test_listeners_hist_json(void)
{
	struct tw_listener *l = calloc(3, sizeof(*l));
	struct capture c;
	const char *out;

	hs_listeners(l);
	CHECK(tw_listener_has(&l[0], TCPWATCH_LISTENER_A_HIST));
	CHECK(tw_listener_has(&l[1], TCPWATCH_LISTENER_A_HIST));
	CHECK(!tw_listener_has(&l[2], TCPWATCH_LISTENER_A_HIST));
	/* --hist changes nothing in JSON */
	tw_render_listeners(cap_start(&c), l, 3, true, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out, "\"cookies_sent\":40,\"cookies_recv\":38,"
		       "\"histograms\":{\"halfopen_done\":{\"count\":8,"
		       "\"sum\":2400,\"slots\":[0,0,0,0,0,0,0,0,0,8,0,");
	CHECK_CONTAINS(out, "\"halfopen_expired\":{\"count\":2,"
		       "\"sum\":126000000,\"slots\":[");
	CHECK_CONTAINS(out, "\"synack_retrans\":{\"count\":8,\"sum\":2,"
		       "\"slots\":[6,2,0,");
	CHECK_CONTAINS(out, "\"accept_wait\":{\"count\":5,\"sum\":6000,"
		       "\"slots\":[0,0,0,0,0,0,0,0,0,0,0,5,0,0,0,0,0,0,0,0,0,"
		       "0,0,0,0,0,0,0,0,0,0,0]}}},\n");
	/* sent without samples: objects, not null */
	CHECK_CONTAINS(out, "\"local_port\":443,");
	CHECK_CONTAINS(out, "\"cookies_recv\":0,\"histograms\":{"
		       "\"halfopen_done\":{\"count\":0,\"sum\":0,\"slots\":[");
	/* not sent: null, and never a connect histogram */
	CHECK_CONTAINS(out, "\"cookies_recv\":null,\"histograms\":{"
		       "\"halfopen_done\":null,\"halfopen_expired\":null,"
		       "\"synack_retrans\":null,\"accept_wait\":null}}\n]}\n");
	CHECK(!strstr(out, "\"connect\""));
	check_json(out, false);
	free(c.buf);
	free(l);
}

static void test_listeners_hs_text(void)
{
	struct tw_listener *l = calloc(3, sizeof(*l));
	struct capture c;
	const char *out;

	hs_listeners(l);
	tw_render_listeners(cap_start(&c), l, 3, false, false);
	out = cap_end(&c);
	CHECK_STR(out,
"Local Address:Port  PID/Comm   Backlog   SYN-Q  Accept-Q  Cookies  Retries  Half-open life  SYN-ACK rtx\n"
"     SYNs     Done  Expired  Reset  SYN-Q drops  Acc-Q drops  Cookies sent  Cookies recv\n"
"0.0.0.0:80          812/nginx      511   3/511     0/511  on             5           1m03s          12*\n"
"  1234567  1234560        2      1            0            3            40            38\n"
"[::]:443            900/envoy     4096  0/4096    7/4096  always         2            7.0s            0\n"
"        0        0        0      0            0            0             0             0\n"
"127.0.0.1:8080      -              128   0/128     0/128  on             5           1m03s            1\n"
"        -        -        -      -            -            -             -             -\n"
"* counters since tcpwatch's load: the listener is older than the module\n");
	CHECK(!strstr(out, "usecs"));
	free(c.buf);
	free(l);
}

static void test_listeners_hist_charts(void)
{
	struct tw_listener *l = calloc(3, sizeof(*l));
	struct capture c;
	const char *out;

	hs_listeners(l);
	tw_render_listeners(cap_start(&c), l, 3, false, true);
	out = cap_end(&c);
	/* after the table and its note, titled as in states --hist */
	CHECK_CONTAINS(out,
"* counters since tcpwatch's load: the listener is older than the module\n"
"\n0.0.0.0:80 half-open lifetime, completed (usecs):\n"
"     usecs               : count     distribution\n"
"       256 -> 511        : 8        |****************************************|\n"
"\n0.0.0.0:80 half-open lifetime, expired (usecs):\n"
"     usecs               : count     distribution\n"
"  33554432 -> 67108863   : 2        |****************************************|\n"
"\n0.0.0.0:80 SYN-ACK retransmissions per completed handshake:\n"
"     retransmits         : count     distribution\n"
"         0 -> 0          : 6        |****************************************|\n"
"         1 -> 1          : 2        |*************                           |\n"
"\n0.0.0.0:80 accept-queue wait (usecs):\n"
"     usecs               : count     distribution\n"
"      1024 -> 2047       : 5        |****************************************|\n");
	/* kinds without samples, listeners without histograms: no chart */
	out = strstr(out, "older than the module\n");
	CHECK(out && !strstr(out, "[::]:443"));
	CHECK(out && !strstr(out, "127.0.0.1:8080"));
	CHECK(out && !strstr(out, "no samples"));
	CHECK(out && !strstr(out, "connect"));
	free(c.buf);

	/* a second listener with samples; one kind without */
	l[1].kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].count = 1;
	l[1].kind_hist[TCPWATCH_HIST_ACCEPT_WAIT].slots[0] = 1;
	l[0].kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].count = 0;
	tw_render_listeners(cap_start(&c), l, 2, false, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out,
"      1024 -> 2047       : 5        |****************************************|\n"
"\n[::]:443 accept-queue wait (usecs):\n"
"     usecs               : count     distribution\n"
"         0 -> 0          : 1        |****************************************|\n");
	CHECK(!strstr(out, "expired (usecs)"));
	free(c.buf);

	/* nothing to draw: said so */
	tw_render_listeners(cap_start(&c), &l[2], 1, false, true);
	CHECK_STR(cap_end(&c),
"Local Address:Port  PID/Comm  Backlog  SYN-Q  Accept-Q  Cookies  Retries  Half-open life  SYN-ACK rtx\n"
"127.0.0.1:8080      -             128  0/128     0/128  on             5           1m03s            1\n"
"\nHandshake histograms: no samples\n");
	free(c.buf);
	tw_render_listeners(cap_start(&c), NULL, 0, false, true);
	CHECK_CONTAINS(cap_end(&c), "SYN-ACK rtx\n\nHandshake histograms: no samples\n");
	free(c.buf);
	free(l);
}

struct halfopen_spec {
	int family;
	const char *laddr, *raddr;
	uint16_t lport, rport;
	bool full;
	uint64_t age_ns;
	uint8_t rtx, max;
	uint64_t timer_ns, expires_ns;
};

/* One GET_HALFOPEN record as tcpw_put_halfopen() builds it, parsed. */
static void wire_halfopen(struct tw_halfopen *h,
			  const struct halfopen_spec *hs)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_GET_HALFOPEN);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_HALFOPEN);
	size_t alen = hs->family == AF_INET ? 4 : 16;
	uint8_t l[16], r[16];

	inet_pton(hs->family, hs->laddr, l);
	inet_pton(hs->family, hs->raddr, r);
	mnl_attr_put_u8(nlh, TCPWATCH_HALFOPEN_A_FAMILY, hs->family);
	mnl_attr_put(nlh, TCPWATCH_HALFOPEN_A_LADDR, alen, l);
	mnl_attr_put_u16(nlh, TCPWATCH_HALFOPEN_A_LPORT, hs->lport);
	mnl_attr_put(nlh, TCPWATCH_HALFOPEN_A_RADDR, alen, r);
	mnl_attr_put_u16(nlh, TCPWATCH_HALFOPEN_A_RPORT, hs->rport);
	if (hs->full) {
		mnl_attr_put_u8(nlh, TCPWATCH_HALFOPEN_A_SYNACK_RETRANS,
				hs->rtx);
		mnl_attr_put_u8(nlh, TCPWATCH_HALFOPEN_A_MAX_RETRIES, hs->max);
		put_pad(nlh, TCPWATCH_HALFOPEN_A_PAD);
		mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_TIMER_NS,
				 hs->timer_ns);
		mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_EXPIRES_NS,
				 hs->expires_ns);
		mnl_attr_put_u64(nlh, TCPWATCH_HALFOPEN_A_AGE_NS, hs->age_ns);
	}
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_halfopen_msg(nlh, h), 0);
}

/*
 * Two SYN-ACK retransmissions in (1 s + 2 s, 0.5 s to the third, 59.5 s
 * left of 63), one past its last (7 s of 7: 4 s to expiry), and one the
 * module sent only its tuple for.
 */
static void three_halfopen(struct tw_halfopen h[3])
{
	static const struct halfopen_spec specs[3] = {
		{ AF_INET, "10.0.0.1", "10.0.0.2", 80, 40001, true,
		  3500000000ULL, 2, 5, 500000000ULL, 59500000000ULL },
		{ AF_INET6, "2001:db8::1", "2001:db8::2", 443, 50000, true,
		  3000000000ULL, 2, 2, 4000000000ULL, 4000000000ULL },
		{ AF_INET, "10.0.0.1", "10.0.0.3", 80, 40002, false,
		  0, 0, 0, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < 3; i++)
		wire_halfopen(&h[i], &specs[i]);
}

static void test_halfopen_text(void)
{
	struct tw_halfopen h[3];
	struct capture c;

	three_halfopen(h);
	tw_render_halfopen(cap_start(&c), h, 3, false);
	CHECK_STR(cap_end(&c),
"Listener           Peer                  Age  SYN-ACK rtx   Next  Expires in\n"
"10.0.0.1:80        10.0.0.2:40001       3.5s          2/5  500ms       59.5s\n"
"[2001:db8::1]:443  [2001:db8::2]:50000  3.0s          2/2   4.0s        4.0s\n"
"10.0.0.1:80        10.0.0.3:40002          -            -      -           -\n");
	free(c.buf);

	tw_render_halfopen(cap_start(&c), NULL, 0, false);
	CHECK_STR(cap_end(&c),
		  "Listener  Peer  Age  SYN-ACK rtx  Next  Expires in\n");
	free(c.buf);
}

static void test_halfopen_json(void)
{
	struct tw_halfopen h[3];
	struct capture c;
	const char *out;

	three_halfopen(h);
	tw_render_halfopen(cap_start(&c), h, 3, true);
	out = cap_end(&c);
	CHECK_STR(out,
"{\"halfopen\":[\n"
"{\"family\":\"ipv4\",\"local_addr\":\"10.0.0.1\",\"local_port\":80,"
"\"remote_addr\":\"10.0.0.2\",\"remote_port\":40001,"
"\"age_ns\":3500000000,\"synack_retrans\":2,\"max_retries\":5,"
"\"timer_ns\":500000000,\"expires_ns\":59500000000},\n"
"{\"family\":\"ipv6\",\"local_addr\":\"2001:db8::1\",\"local_port\":443,"
"\"remote_addr\":\"2001:db8::2\",\"remote_port\":50000,"
"\"age_ns\":3000000000,\"synack_retrans\":2,\"max_retries\":2,"
"\"timer_ns\":4000000000,\"expires_ns\":4000000000},\n"
"{\"family\":\"ipv4\",\"local_addr\":\"10.0.0.1\",\"local_port\":80,"
"\"remote_addr\":\"10.0.0.3\",\"remote_port\":40002,"
"\"age_ns\":null,\"synack_retrans\":null,\"max_retries\":null,"
"\"timer_ns\":null,\"expires_ns\":null}\n"
"]}\n");
	check_json(out, false);
	free(c.buf);

	tw_render_halfopen(cap_start(&c), NULL, 0, true);
	CHECK_STR(cap_end(&c), "{\"halfopen\":[\n]}\n");
	check_json(c.buf, false);
	free(c.buf);
}

static void test_filter_listen_halfopen(void)
{
	struct tw_filter any = { 0, 0, 0 }, p80 = { 0, 80, 0 };
	struct tw_filter p40001 = { 0, 40001, 0 }, p443 = { 0, 443, 0 };
	struct tw_listener l[3];
	struct tw_halfopen h[3];

	three_listeners(l);
	three_halfopen(h);
	CHECK(tw_listener_match(&l[0], &any));
	CHECK(tw_listener_match(&l[0], &p80));
	CHECK(!tw_listener_match(&l[1], &p80));
	CHECK(tw_listener_match(&l[1], &p443));
	CHECK(!tw_listener_match(&l[0], &p40001));
	CHECK(tw_halfopen_match(&h[0], &any));
	CHECK(tw_halfopen_match(&h[0], &p80));		/* listening port */
	CHECK(tw_halfopen_match(&h[0], &p40001));	/* remote port */
	CHECK(!tw_halfopen_match(&h[2], &p40001));
	CHECK(!tw_halfopen_match(&h[0], &p443));
	CHECK_STR(tw_syncookies_name(0), "off");
	CHECK_STR(tw_syncookies_name(1), "on");
	CHECK_STR(tw_syncookies_name(2), "always");
	CHECK(!tw_syncookies_name(3));
}

static void make_event(struct tw_sock *ev)
{
	static const struct sock_spec spec = {
		AF_INET, "10.0.0.1", "10.0.0.2", 22, 51234, 1,
	};

	memset(ev, 0, sizeof(*ev));
	set_tuple(ev, &spec);
	ev->event = TCPWATCH_EV_STATE;
	ev->time_ns = 1700000000123456789ULL;
	ev->old_state = 3;
	ev->old_state_ns = 250000;
	ev->pid = 4242;
	snprintf(ev->comm, sizeof(ev->comm), "sshd");
	HAS(ev, EVENT);
	HAS(ev, TIME_NS);
	HAS(ev, OLD_STATE);
	HAS(ev, OLD_STATE_NS);
	HAS(ev, PID);
	HAS(ev, COMM);
}

static void test_event_text(void)
{
	struct tw_sock ev;
	struct capture c;
	FILE *f;

	make_event(&ev);
	f = cap_start(&c);
	tw_render_event_header(f, false);
	tw_render_event(f, &ev, false);
	ev.event = TCPWATCH_EV_TW_EXIT;
	ev.state = 7;
	ev.old_state = 6;
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_OLD_STATE_NS);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_PID);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_COMM);
	tw_render_event(f, &ev, false);
	CHECK_STR(cap_end(&c),
"TIME            EVENT    LOCAL                 PEER                  OLD -> NEW                   IN-OLD PID/COMM\n"
"22:13:20.123456 STATE    10.0.0.1:22           10.0.0.2:51234        SYN-RECV -> ESTAB             250us 4242/sshd\n"
"22:13:20.123456 TW-EXIT  10.0.0.1:22           10.0.0.2:51234        TIME-WAIT -> CLOSE                - -\n");
	free(c.buf);
}

/* Nulls in @s: one less for each field that has a value. */
static size_t count_nulls(const char *s)
{
	size_t n = 0;

	while ((s = strstr(s, ":null")))
		n++, s++;
	return n;
}

/*
 * The fields after the socket's (outcome .. undos) are written as one
 * run of nulls when the event has none of their attributes: each of
 * those attributes alone still gets its field a value.
 */
static void test_event_tail_each_attr(void)
{
	struct tw_sock ev;
	struct capture c;
	size_t nulls;
	unsigned int a;
	FILE *f;

	make_event(&ev);
	f = cap_start(&c);
	tw_render_event(f, &ev, true);
	nulls = count_nulls(cap_end(&c));
	free(c.buf);
	for (a = TCPWATCH_SOCK_A_OUTCOME; a <= TCPWATCH_SOCK_A_MAX; a++) {
		/* no field of its own: it sets the bits of those it holds */
		if (a == TCPWATCH_SOCK_A_LIVE)
			continue;
		make_event(&ev);
		ev.present |= 1ULL << a;
		f = cap_start(&c);
		tw_render_event(f, &ev, true);
		if (count_nulls(cap_end(&c)) != nulls - 1)
			tw_fail(__FILE__, __LINE__, "attribute %u alone: %s",
				a, c.buf);
		free(c.buf);
	}
}

/*
 * A stream of events goes into one tw_out, flushed when full and at
 * the end: what comes out is what each event written on its own is.
 */
static void test_events_one_buffer(void)
{
	static const uint8_t kinds[] = {
		TCPWATCH_EV_STATE, TCPWATCH_EV_TW_EXIT,
		TCPWATCH_EV_HALFOPEN_END, TCPWATCH_EV_SYNACK_RETRANS,
		TCPWATCH_EV_SYN_DROP, TCPWATCH_EV_RETRANS, TCPWATCH_EV_RTO,
		TCPWATCH_EV_CA_STATE, TCPWATCH_EV_WINDOW, 0, 200,
	};
	static struct tw_out w;
	struct capture one, each;
	struct tw_sock ev;
	unsigned int i, k;
	FILE *f1, *f2;

	f1 = cap_start(&one);
	f2 = cap_start(&each);
	tw_out_init(&w, f1);
	for (i = 0; i < 200; i++) {
		make_event(&ev);
		ev.event = kinds[i % ARRAY_SIZE(kinds)];
		ev.time_ns += i * 300000000ULL;		/* a new second now and then */
		ev.sport += i;
		if (i % 3) {
			ev.outcome = i % 5;
			ev.lifetime_ns = i * 123456789ULL;
			ev.synack_retrans = i % 4;
			ev.cwnd = i;
			ev.rto_us = 200000 + i;
			HAS(&ev, OUTCOME);
			HAS(&ev, LIFETIME_NS);
			HAS(&ev, SYNACK_RETRANS);
			HAS(&ev, CWND);
			HAS(&ev, RTO_US);
		}
		for (k = 0; k < 2; k++) {
			tw_render_event_out(&w, &ev, k);
			tw_render_event(f2, &ev, k);
		}
		tw_render_retrans_out(&w, &ev, false);
		tw_render_retrans(f2, &ev, false);
		tw_render_window_out(&w, &ev, false);
		tw_render_window(f2, &ev, false);
	}
	tw_out_flush(&w);
	cap_end(&each);
	CHECK_STR(cap_end(&one), each.buf);
	CHECK(one.len > 2 * TW_OUT_SIZE);	/* flushed when full, twice */
	free(one.buf);
	free(each.buf);
}

static void test_event_json(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct tw_sock ev;
	struct capture c;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *out;
	FILE *f;

	make_event(&ev);
	f = cap_start(&c);
	tw_render_event_header(f, true);	/* nothing in JSON */
	tw_render_event(f, &ev, true);
	/* and one from the wire, with a hostile comm */
	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_EVENT);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	put_sock_tuple(nlh, &(struct sock_spec){ AF_INET6, "::1", "::1",
						 5000, 6000, 6 });
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_EVENT, TCPWATCH_EV_TW_ENTER);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_TIMEWAIT, 1);
	mnl_attr_put_strz(nlh, TCPWATCH_SOCK_A_COMM, "a\\b\"c\x01\xff");
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_event_msg(nlh, &ev), 0);
	tw_render_event(f, &ev, true);
	out = cap_end(&c);
	CHECK_STR(out,
"{\"event\":\"state\",\"time_ns\":1700000000123456789,"
"\"old_state\":\"SYN_RECV\",\"old_state_ns\":250000,\"id\":null,"
"\"family\":\"ipv4\",\"state\":\"ESTABLISHED\",\"local_addr\":\"10.0.0.1\","
"\"local_port\":22,\"remote_addr\":\"10.0.0.2\",\"remote_port\":51234,"
"\"tracked\":false,\"since_load\":false,\"timewait\":false,"
"\"in_state_ns\":null,\"lifetime_ns\":null,\"transitions\":null,"
"\"syn_retrans\":null,\"timer_ns\":null,\"pid\":4242,\"comm\":\"sshd\",\"netns\":null,"
"\"state_time_ns\":null,\"outcome\":null,\"synack_retrans\":null" EV_TAIL
"{\"event\":\"tw_enter\",\"time_ns\":null,\"old_state\":null,"
"\"old_state_ns\":null,\"id\":null,\"family\":\"ipv6\","
"\"state\":\"TIME_WAIT\",\"local_addr\":\"::1\",\"local_port\":5000,"
"\"remote_addr\":\"::1\",\"remote_port\":6000,\"tracked\":false,"
"\"since_load\":false,\"timewait\":true,\"in_state_ns\":null,"
"\"lifetime_ns\":null,\"transitions\":null,\"syn_retrans\":null,"
"\"timer_ns\":null,\"pid\":null,\"comm\":\"a\\\\b\\\"c\\u0001\\ufffd\",\"netns\":null,"
"\"state_time_ns\":null,\"outcome\":null,\"synack_retrans\":null" EV_TAIL);
	check_json(out, true);
	free(c.buf);
}

/*
 * A handshake event as parsed: the request's tuple, listener first, no
 * states; @kind's own attributes are set by the caller.
 */
static void make_hs_event(struct tw_sock *ev, uint8_t kind, int family)
{
	static const struct sock_spec v4 = {
		AF_INET, "192.0.2.1", "192.0.2.2", 7200, 40000, 0,
	};
	static const struct sock_spec v6 = {
		AF_INET6, "2001:db8::1", "2001:db8::2", 443, 50000, 0,
	};

	memset(ev, 0, sizeof(*ev));
	set_tuple(ev, family == AF_INET ? &v4 : &v6);
	ev->present &= ~(1ULL << TCPWATCH_SOCK_A_STATE);
	ev->event = kind;
	ev->time_ns = 1700000000123456789ULL;
	ev->netns = 4026531840U;
	HAS(ev, EVENT);
	HAS(ev, TIME_NS);
	HAS(ev, NETNS);
}

static void set_halfopen_end(struct tw_sock *ev, uint8_t outcome,
			     uint64_t lifetime_ns, uint8_t rtx)
{
	ev->outcome = outcome;
	ev->lifetime_ns = lifetime_ns;
	ev->synack_retrans = rtx;
	HAS(ev, OUTCOME);
	HAS(ev, LIFETIME_NS);
	HAS(ev, SYNACK_RETRANS);
}

static void test_event_handshake_text(void)
{
	struct tw_sock ev;
	struct capture c;
	FILE *f = cap_start(&c);

	make_hs_event(&ev, TCPWATCH_EV_HALFOPEN_END, AF_INET);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_EXPIRED, 7000000000ULL, 2);
	tw_render_event(f, &ev, false);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_COMPLETED, 312999, 0);
	tw_render_event(f, &ev, false);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_EXPIRED, 63999000000ULL, 5);
	tw_render_event(f, &ev, false);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_RESET, 1509999999, 1);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_LIFETIME_NS);
	tw_render_event(f, &ev, false);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_OUTCOME);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_SYNACK_RETRANS);
	tw_render_event(f, &ev, false);
	set_halfopen_end(&ev, 9, 2500000000ULL, 1);
	tw_render_event(f, &ev, false);

	make_hs_event(&ev, TCPWATCH_EV_SYNACK_RETRANS, AF_INET);
	ev.synack_retrans = 2;
	HAS(&ev, SYNACK_RETRANS);
	tw_render_event(f, &ev, false);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_SYNACK_RETRANS);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_TIME_NS);
	tw_render_event(f, &ev, false);

	make_hs_event(&ev, TCPWATCH_EV_SYN_DROP, AF_INET);
	tw_render_event(f, &ev, false);
	make_hs_event(&ev, TCPWATCH_EV_ACCEPTQ_OVERFLOW, AF_INET6);
	tw_render_event(f, &ev, false);
	make_hs_event(&ev, 42, AF_INET);	/* a newer module's kind */
	tw_render_event(f, &ev, false);
	CHECK_STR(cap_end(&c),
"22:13:20.123456 halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000 expired after 7.00s, 2 SYN-ACK rtx\n"
"22:13:20.123456 halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000 completed after 312us, 0 SYN-ACK rtx\n"
"22:13:20.123456 halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000 expired after 1m03s, 5 SYN-ACK rtx\n"
"22:13:20.123456 halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000 reset, 1 SYN-ACK rtx\n"
"22:13:20.123456 halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000 ended\n"
"22:13:20.123456 halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000 outcome 9 after 2.50s, 1 SYN-ACK rtx\n"
"22:13:20.123456 synack-rtx 192.0.2.1:7200 <- 192.0.2.2:40000 (#2)\n"
"- synack-rtx 192.0.2.1:7200 <- 192.0.2.2:40000\n"
"22:13:20.123456 syn-drop 192.0.2.1:7200 <- 192.0.2.2:40000 SYN queue full\n"
"22:13:20.123456 acceptq-overflow [2001:db8::1]:443 <- [2001:db8::2]:50000 accept queue full\n"
"22:13:20.123456 event-42 192.0.2.1:7200 <- 192.0.2.2:40000\n");
	free(c.buf);
}

static void test_event_handshake_json(void)
{
	struct tw_sock ev;
	struct capture c;
	const char *out;
	FILE *f = cap_start(&c);

	make_hs_event(&ev, TCPWATCH_EV_HALFOPEN_END, AF_INET);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_EXPIRED, 7000000000ULL, 2);
	tw_render_event(f, &ev, true);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_COMPLETED, 312000, 0);
	ev.present &= ~(1ULL << TCPWATCH_SOCK_A_LIFETIME_NS);
	tw_render_event(f, &ev, true);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_RESET, 5, 1);
	tw_render_event(f, &ev, true);
	set_halfopen_end(&ev, 9, 5, 1);
	tw_render_event(f, &ev, true);
	make_hs_event(&ev, TCPWATCH_EV_SYNACK_RETRANS, AF_INET);
	ev.synack_retrans = 3;
	HAS(&ev, SYNACK_RETRANS);
	tw_render_event(f, &ev, true);
	make_hs_event(&ev, TCPWATCH_EV_SYN_DROP, AF_INET);
	tw_render_event(f, &ev, true);
	make_hs_event(&ev, TCPWATCH_EV_ACCEPTQ_OVERFLOW, AF_INET6);
	tw_render_event(f, &ev, true);
	out = cap_end(&c);
	CHECK_CONTAINS(out,
"{\"event\":\"halfopen_end\",\"time_ns\":1700000000123456789,"
"\"old_state\":null,\"old_state_ns\":null,\"id\":null,"
"\"family\":\"ipv4\",\"state\":null,\"local_addr\":\"192.0.2.1\","
"\"local_port\":7200,\"remote_addr\":\"192.0.2.2\",\"remote_port\":40000,"
"\"tracked\":false,\"since_load\":false,\"timewait\":false,"
"\"in_state_ns\":null,\"lifetime_ns\":7000000000,\"transitions\":null,"
"\"syn_retrans\":null,\"timer_ns\":null,\"pid\":null,\"comm\":null,"
"\"netns\":4026531840,\"state_time_ns\":null,\"outcome\":\"expired\","
"\"synack_retrans\":2" EV_TAIL
"{\"event\":\"halfopen_end\",");
	CHECK_CONTAINS(out, "\"lifetime_ns\":null,");
	CHECK_CONTAINS(out, "\"outcome\":\"completed\",\"synack_retrans\":0" EV_TAIL);
	CHECK_CONTAINS(out, "\"outcome\":\"reset\",\"synack_retrans\":1" EV_TAIL);
	CHECK_CONTAINS(out, "\"outcome\":\"unknown\",\"synack_retrans\":1" EV_TAIL);
	CHECK_CONTAINS(out, "{\"event\":\"synack_retrans\",\"time_ns\":");
	CHECK_CONTAINS(out, "\"outcome\":null,\"synack_retrans\":3" EV_TAIL
		       "{\"event\":\"syn_drop\",");
	CHECK_CONTAINS(out, "\"outcome\":null,\"synack_retrans\":null" EV_TAIL
		       "{\"event\":\"acceptq_overflow\",");
	CHECK_CONTAINS(out, "\"family\":\"ipv6\",\"state\":null,"
		       "\"local_addr\":\"2001:db8::1\",\"local_port\":443,"
		       "\"remote_addr\":\"2001:db8::2\",\"remote_port\":50000,");
	CHECK(!strstr(out, "UNKNOWN"));
	check_json(out, true);
	free(c.buf);
}

/* From the wire: a handshake event as the module builds it, then shown. */
static void test_event_handshake_parsed(void)
{
	static char buf[TEST_BUFSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = msg_start(buf, TEST_FAMILY_ID,
					 TCPWATCH_CMD_EVENT);
	struct nlattr *nest = mnl_attr_nest_start(nlh, TCPWATCH_A_SOCK);
	uint8_t a[4] = { 192, 0, 2, 1 }, b[4] = { 192, 0, 2, 2 };
	struct tw_sock ev;
	struct capture c;
	FILE *f;

	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_EVENT, TCPWATCH_EV_HALFOPEN_END);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_TIME_NS, 1700000000123456789ULL);
	mnl_attr_put_u32(nlh, TCPWATCH_SOCK_A_NETNS, 7);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_SADDR, 4, a);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SPORT, 7200);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_DADDR, 4, b);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_DPORT, 40000);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_OUTCOME, TCPWATCH_OUTCOME_EXPIRED);
	mnl_attr_put_u64(nlh, TCPWATCH_SOCK_A_LIFETIME_NS, 7000000000ULL);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_SYNACK_RETRANS, 2);
	mnl_attr_nest_end(nlh, nest);
	CHECK_EQ(tw_parse_event_msg(nlh, &ev), 0);
	f = cap_start(&c);
	tw_render_event(f, &ev, false);
	tw_render_event(f, &ev, true);
	cap_end(&c);
	CHECK_CONTAINS(c.buf, "22:13:20.123456 halfopen-end 192.0.2.1:7200 <- "
		       "192.0.2.2:40000 expired after 7.00s, 2 SYN-ACK rtx\n"
		       "{\"event\":\"halfopen_end\",");
	CHECK_CONTAINS(c.buf, "\"state\":null,");
	CHECK_CONTAINS(c.buf, "\"lifetime_ns\":7000000000,");
	CHECK_CONTAINS(c.buf, "\"netns\":7,\"state_time_ns\":null,"
		       "\"outcome\":\"expired\",\"synack_retrans\":2" EV_TAIL);
	free(c.buf);
}

static void test_event_names(void)
{
	static const char * const json[] = {
		"state", "tw_enter", "tw_exit", "halfopen_end",
		"synack_retrans", "syn_drop", "acceptq_overflow", "retrans",
		"rto", "ca_state", "window",
	};
	static const char * const text[] = {
		"STATE", "TW-ENTER", "TW-EXIT", "halfopen-end", "synack-rtx",
		"syn-drop", "acceptq-overflow", "retrans", "rto", "ca-state",
		"window",
	};
	unsigned int k;

	CHECK_EQ(ARRAY_SIZE(json), TW_EVENT_KINDS);
	for (k = 0; k < TW_EVENT_KINDS; k++) {
		CHECK_STR(tw_event_name(k, true), json[k]);
		CHECK_STR(tw_event_name(k, false), text[k]);
	}
	CHECK_STR(tw_event_name(TW_EVENT_KINDS, true), "unknown");
	CHECK_STR(tw_event_name(255, false), "UNKNOWN");
	CHECK_STR(tw_outcome_name(TCPWATCH_OUTCOME_COMPLETED), "completed");
	CHECK_STR(tw_outcome_name(TCPWATCH_OUTCOME_EXPIRED), "expired");
	CHECK_STR(tw_outcome_name(TCPWATCH_OUTCOME_RESET), "reset");
	CHECK_STR(tw_outcome_name(TCPWATCH_OUTCOME_DROPPED), "dropped");
	CHECK(!tw_outcome_name(TCPWATCH_OUTCOME_DROPPED + 1));
}

static void test_parse_kinds(void)
{
	static const struct {
		const char *arg;
		uint32_t mask;
	} ok[] = {
		{ "state", 1U << TCPWATCH_EV_STATE },
		{ "tw_enter,tw_exit",
		  1U << TCPWATCH_EV_TW_ENTER | 1U << TCPWATCH_EV_TW_EXIT },
		{ "halfopen_end", 1U << TCPWATCH_EV_HALFOPEN_END },
		{ "synack_retrans", 1U << TCPWATCH_EV_SYNACK_RETRANS },
		{ "syn_drop,acceptq_overflow",
		  1U << TCPWATCH_EV_SYN_DROP |
		  1U << TCPWATCH_EV_ACCEPTQ_OVERFLOW },
		/* any case, '-' for '_', the text names too */
		{ "HALFOPEN-END,Syn-Drop", 1U << TCPWATCH_EV_HALFOPEN_END |
		  1U << TCPWATCH_EV_SYN_DROP },
		{ "synack-rtx", 1U << TCPWATCH_EV_SYNACK_RETRANS },
		{ "TW-EXIT", 1U << TCPWATCH_EV_TW_EXIT },
		{ "all", 0x7ff },
		{ "state,all", 0x7ff },
	};
	static const struct {
		const char *arg;
		const char *bad;
	} bad[] = {
		{ "bogus", "bogus" },
		{ "", "" },
		{ "state,", "" },
		{ ",state", "" },
		{ "state,,syn_drop", "" },
		{ "syn_drops", "syn_drops" },
		{ "unknown", "unknown" },
		{ "halfopen", "halfopen" },
		{ "estab", "estab" },
		{ "acceptq_overflow_and_much_more_than_that",
		  "acceptq_overflow_and_much_more_than_that" },
	};
	char why[64];
	uint32_t m;
	unsigned int i;

	CHECK_EQ(TW_ALL_KINDS, 0x7ff);
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		m = 0;
		if (tw_parse_kinds(ok[i].arg, &m, why, sizeof(why)) ||
		    m != ok[i].mask)
			tw_fail(__FILE__, __LINE__, "'%s': mask %#x, want %#x",
				ok[i].arg, m, ok[i].mask);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		m = 0xdead;
		if (!tw_parse_kinds(bad[i].arg, &m, why, sizeof(why)))
			tw_fail(__FILE__, __LINE__, "'%s' accepted",
				bad[i].arg);
		CHECK_EQ(m, 0xdead);
		CHECK_STR(why, bad[i].bad);
	}
	CHECK(tw_parse_kinds("nope", &m, NULL, 0) < 0);
}

/*
 * --kind, and --state and --port on handshake events: --state selects
 * state changes, letting handshake events through only when --kind names
 * them; --port is the listener's or the client's.
 */
static void test_filter_event_kinds(void)
{
	struct tw_filter none = { 0, 0, 0 };
	struct tw_filter st_only = { 0, 0, 1U << TCPWATCH_EV_STATE };
	struct tw_filter hs = { 0, 0, 1U << TCPWATCH_EV_HALFOPEN_END |
				1U << TCPWATCH_EV_SYN_DROP };
	struct tw_filter est = { 1U << TW_TCP_ESTABLISHED, 0, 0 };
	struct tw_filter est_hs = { 1U << TW_TCP_ESTABLISHED, 0,
				    1U << TCPWATCH_EV_STATE |
				    1U << TCPWATCH_EV_HALFOPEN_END };
	struct tw_filter lport = { 0, 7200, 0 }, rport = { 0, 40000, 0 };
	struct tw_filter other = { 0, 22, 0 };
	struct tw_filter hs_port = { 0, 40000,
				     1U << TCPWATCH_EV_HALFOPEN_END };
	struct tw_sock st, ho, drop, rtx, future;

	make_event(&st);	/* SYN-RECV -> ESTAB, 22 <-> 51234 */
	make_hs_event(&ho, TCPWATCH_EV_HALFOPEN_END, AF_INET);
	make_hs_event(&drop, TCPWATCH_EV_SYN_DROP, AF_INET);
	make_hs_event(&rtx, TCPWATCH_EV_SYNACK_RETRANS, AF_INET);
	make_hs_event(&future, 42, AF_INET);

	/* no filter: everything */
	CHECK(tw_sock_match(&st, &none, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&ho, &none, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&future, &none, TW_MATCH_EVENT));
	/* --kind */
	CHECK(tw_sock_match(&st, &st_only, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&ho, &st_only, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&st, &hs, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&ho, &hs, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&drop, &hs, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&rtx, &hs, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&future, &hs, TW_MATCH_EVENT));
	future.event = 200;	/* beyond the mask's bits: no match */
	CHECK(!tw_sock_match(&future, &st_only, TW_MATCH_EVENT));
	/* --state: state changes only, unless --kind names the others */
	CHECK(tw_sock_match(&st, &est, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&ho, &est, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&drop, &est, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&st, &est_hs, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&ho, &est_hs, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&drop, &est_hs, TW_MATCH_EVENT));
	st.state = TW_TCP_CLOSE;
	st.old_state = TW_TCP_FIN_WAIT1;
	CHECK(!tw_sock_match(&st, &est_hs, TW_MATCH_EVENT));
	/* --port: the listener's or the client's */
	CHECK(tw_sock_match(&ho, &lport, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&drop, &rport, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&rtx, &other, TW_MATCH_EVENT));
	CHECK(tw_sock_match(&ho, &hs_port, TW_MATCH_EVENT));
	CHECK(!tw_sock_match(&drop, &hs_port, TW_MATCH_EVENT));
	hs_port.port = 7201;
	CHECK(!tw_sock_match(&ho, &hs_port, TW_MATCH_EVENT));
	/* the kind filter is for events only */
	CHECK(tw_sock_match(&ho, &st_only, TW_MATCH_SOCK));
}

static void test_filter(void)
{
	struct tw_filter none = { 0, 0, 0 };
	struct tw_filter est = { 1U << 1, 0, 0 };
	struct tw_filter tw_port = { 1U << 6, 22, 0 };
	struct tw_filter port = { 0, 51234, 0 };
	struct tw_filter syn_recv = { 1U << 3, 0, 0 };
	struct tw_sock ev;

	make_event(&ev);	/* SYN-RECV -> ESTAB, 22 <-> 51234 */
	CHECK(tw_sock_match(&ev, &none, TW_MATCH_SOCK));
	CHECK(tw_sock_match(&ev, &est, TW_MATCH_SOCK));
	CHECK(!tw_sock_match(&ev, &tw_port, TW_MATCH_SOCK));
	CHECK(tw_sock_match(&ev, &port, TW_MATCH_SOCK));
	CHECK(!tw_sock_match(&ev, &syn_recv, TW_MATCH_SOCK));
	CHECK(tw_sock_match(&ev, &syn_recv, TW_MATCH_EVENT));	/* old */
	port.port = 23;
	CHECK(!tw_sock_match(&ev, &port, TW_MATCH_EVENT));
	ev.state = 200;		/* nonsense state: no crash, no match */
	CHECK(!tw_sock_match(&ev, &est, TW_MATCH_SOCK));
}

static void test_filter_closed(void)
{
	struct tw_filter est = { 1U << TW_TCP_ESTABLISHED, 0, 0 };
	struct tw_filter close = { 1U << TW_TCP_CLOSE, 0, 0 };
	struct tw_filter listen = { 1U << TW_TCP_LISTEN, 0, 0 };
	struct tw_filter fw2 = { 1U << TW_TCP_FIN_WAIT2, 0, 0 };
	struct tw_sock s[2];

	closed_socks(s);	/* CLOSE now; was SYN-SENT, ESTAB, FIN-WAITs */
	s[1].old_state = TW_TCP_FIN_WAIT2;	/* no state times, a last one */
	s[1].present |= 1ULL << TCPWATCH_SOCK_A_OLD_STATE;
	CHECK(tw_sock_match(&s[1], &fw2, TW_MATCH_CLOSED));
	CHECK(tw_sock_match(&s[0], &est, TW_MATCH_CLOSED));
	CHECK(tw_sock_match(&s[0], &close, TW_MATCH_CLOSED));
	CHECK(!tw_sock_match(&s[0], &listen, TW_MATCH_CLOSED));
	CHECK(!tw_sock_match(&s[0], &est, TW_MATCH_SOCK));
	CHECK(!tw_sock_match(&s[1], &est, TW_MATCH_CLOSED));
}

/* tools/JSON.md, beside the tcpwatch binary; NULL if missing. */
static char *read_json_doc(void)
{
	const char *slash = strrchr(tw_cli_path, '/');
	char path[512], *doc = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%.*s/JSON.md",
		 slash ? (int)(slash - tw_cli_path) : 1,
		 slash ? tw_cli_path : ".");
	f = fopen(path, "r");
	if (!f)
		return NULL;
	doc = calloc(1, 65536);
	if (doc)
		len = fread(doc, 1, 65535, f);
	fclose(f);
	if (doc)
		doc[len] = '\0';
	return doc;
}

/* Every lower-case key in @json is documented as `key` in @doc. */
static void check_keys_documented(const char *json, const char *doc)
{
	char missing[1024] = "";
	const char *p = json;

	while ((p = strchr(p, '"'))) {
		const char *end = p + 1;
		char key[64];
		size_t n;

		while (*end && *end != '"')
			end += end[0] == '\\' && end[1] ? 2 : 1;
		if (!*end)
			break;
		n = end - p - 1;
		if (end[1] == ':' && n && n < sizeof(key) - 2 &&
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") == n) {
			snprintf(key, sizeof(key), "`%.*s`", (int)n, p + 1);
			if (!strstr(doc, key) && !strstr(missing, key) &&
			    strlen(missing) + n + 4 < sizeof(missing)) {
				strcat(missing, " ");
				strcat(missing, key);
			}
		}
		p = end + 1;
	}
	if (missing[0])
		tw_fail(__FILE__, __LINE__,
			"JSON keys not in tools/JSON.md:%s", missing);
}

static void test_json_documented(void)
{
	char *doc = read_json_doc();
	struct tw_stats *st = malloc(sizeof(*st));
	struct tw_sock s[3], req[2], ev;
	struct tw_listener l[3];
	struct tw_halfopen h[3];
	struct capture c;
	FILE *f;

	if (!doc || !st) {
		tw_skip("tools/JSON.md not found beside the tcpwatch binary");
		free(doc);
		free(st);
		return;
	}
	three_socks(s);
	request_socks(req);
	make_event(&ev);
	fill_stats(st);
	f = cap_start(&c);
	tw_render_sockets(f, s, 3, true);
	tw_render_sockets(f, req, 2, true);
	closed_socks(s);
	tw_render_closed(f, s, 2, true);
	tw_render_stats(f, st, true, false);
	tw_render_event(f, &ev, true);
	make_hs_event(&ev, TCPWATCH_EV_HALFOPEN_END, AF_INET);
	set_halfopen_end(&ev, TCPWATCH_OUTCOME_EXPIRED, 7000000000ULL, 2);
	tw_render_event(f, &ev, true);
	make_hs_event(&ev, TCPWATCH_EV_SYNACK_RETRANS, AF_INET6);
	tw_render_event(f, &ev, true);
	three_listeners(l);
	tw_render_listeners(f, l, 3, true, false);
	hs_listeners(l);
	tw_render_listeners(f, l, 3, true, false);
	three_halfopen(h);
	tw_render_halfopen(f, h, 3, true);
	check_keys_documented(cap_end(&c), doc);
	CHECK_CONTAINS(c.buf, "\"request_sock\"");
	CHECK_CONTAINS(c.buf, "\"halfopen_expired\"");
	CHECK_CONTAINS(c.buf, "\"halfopen_lifetime_ns\"");
	CHECK_CONTAINS(c.buf, "\"expires_ns\"");
	CHECK_CONTAINS(c.buf, "\"hooks_missed\"");
	CHECK_CONTAINS(c.buf, "\"accept_wait\"");
	CHECK_CONTAINS(c.buf, "\"outcome\":\"expired\"");
	free(c.buf);
	free(st);
	free(doc);
}

const struct tw_test render_tests[] = {
	{ "render_sockets_text", test_sockets_text },
	{ "render_sockets_text_empty", test_sockets_text_empty },
	{ "render_sockets_json", test_sockets_json },
	{ "render_sockets_parsed_v4mapped", test_sockets_parsed },
	{ "render_sockets_request_socks", test_sockets_request },
	{ "render_request_socks_elsewhere", test_request_state_elsewhere },
	{ "render_closed_text", test_closed_text },
	{ "render_closed_json", test_closed_json },
	{ "render_stats_text", test_stats_text },
	{ "render_stats_hist", test_stats_hist },
	{ "render_stats_json", test_stats_json },
	{ "render_stats_sparse", test_stats_sparse },
	{ "render_listeners_text", test_listeners_text },
	{ "render_listeners_json", test_listeners_json },
	{ "render_listeners_handshake_counters", test_listeners_handshakes },
	{ "render_listeners_histograms_json", test_listeners_hist_json },
	{ "render_listeners_counters_text", test_listeners_hs_text },
	{ "render_listeners_hist_charts", test_listeners_hist_charts },
	{ "render_halfopen_text", test_halfopen_text },
	{ "render_halfopen_json", test_halfopen_json },
	{ "render_event_text", test_event_text },
	{ "render_event_json", test_event_json },
	{ "render_event_tail_each_attr", test_event_tail_each_attr },
	{ "render_events_one_buffer", test_events_one_buffer },
	{ "render_event_handshake_text", test_event_handshake_text },
	{ "render_event_handshake_json", test_event_handshake_json },
	{ "render_event_handshake_parsed", test_event_handshake_parsed },
	{ "event_and_outcome_names", test_event_names },
	{ "parse_event_kinds", test_parse_kinds },
	{ "filter_event_kinds_state_port", test_filter_event_kinds },
	{ "filter_client_side", test_filter },
	{ "filter_closed", test_filter_closed },
	{ "filter_syn_recv_both_kinds", test_filter_syn_recv },
	{ "filter_listen_halfopen_port", test_filter_listen_halfopen },
	{ "json_fields_documented", test_json_documented },
	{ NULL, NULL },
};
