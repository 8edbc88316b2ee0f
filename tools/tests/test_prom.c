// SPDX-License-Identifier: GPL-2.0
/*
 * test_prom.c - prom.c: bucket bounds, units, escaping, absent
 * attributes left out, listener merging, and (when promtool is
 * installed) that `promtool check metrics` accepts the whole exposition.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "format.h"
#include "msg.h"
#include "parse.h"
#include "prom.h"
#include "unit.h"

#define NETNS	4026531840U

/* The exposition of @in as a malloc'ed string. */
static char *expose(const struct tw_prom_input *in)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	tw_prom_write(f, in);
	fclose(f);
	return buf;
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

#define set(st, a)	((st)->present |= 1ULL << (a))

static void fill_stats(struct tw_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->has_version = st->has_abi = st->has_stats = true;
	strcpy(st->version, "0.4.0");
	st->abi = TCPWATCH_GENL_VERSION;
	set(st, TCPWATCH_STATS_A_NETNS);
	st->netns = NETNS;
	set(st, TCPWATCH_STATS_A_UPTIME_NS);
	st->uptime_ns = 12345678901ULL;
	set(st, TCPWATCH_STATS_A_COMPLETED);
	st->hs.completed = 7;
	set(st, TCPWATCH_STATS_A_TRACKED);
	st->tracked = 42;
	set(st, TCPWATCH_STATS_A_STATE_COUNT);
	st->state_count[TW_TCP_ESTABLISHED] = 3;
	st->state_count[TW_TCP_LISTEN] = 2;
	set(st, TCPWATCH_STATS_A_TRANSITIONS);
	st->transitions[TW_TCP_SYN_SENT][TW_TCP_ESTABLISHED] = 5;
	st->transitions[0][TW_TCP_LISTEN] = 2;
	st->hist[TW_TCP_ESTABLISHED].present = true;
	st->hist[TW_TCP_ESTABLISHED].slots[0] = 1;
	st->hist[TW_TCP_ESTABLISHED].slots[1] = 2;
	st->hist[TW_TCP_ESTABLISHED].slots[TCPWATCH_HIST_SLOTS - 1] = 4;
	st->hist[TW_TCP_ESTABLISHED].count = 7;
	st->hist[TW_TCP_ESTABLISHED].sum_us = 4500000123ULL;
	st->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].present = true;
	st->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].slots[3] = 9;
	st->kind_hist[TCPWATCH_HIST_HALFOPEN_DONE].sum_us = 45;
	st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].present = true;
	st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].slots[0] = 6;
	st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].slots[2] = 1;
	st->kind_hist[TCPWATCH_HIST_SYNACK_RETRANS].sum_us = 2;
}

static void fill_listener(struct tw_listener *l, int family, const char *addr,
			  uint16_t port)
{
	memset(l, 0, sizeof(*l));
	l->family = family;
	inet_pton(family, addr, l->addr);
	l->port = port;
	l->present = 1ULL << TCPWATCH_LISTENER_A_FAMILY |
		     1ULL << TCPWATCH_LISTENER_A_ADDR |
		     1ULL << TCPWATCH_LISTENER_A_PORT |
		     1ULL << TCPWATCH_LISTENER_A_BACKLOG |
		     1ULL << TCPWATCH_LISTENER_A_SYNQ_LEN |
		     1ULL << TCPWATCH_LISTENER_A_EXPIRED;
	l->backlog = 16;
	l->synq_len = 3;
	l->hs.expired = 2;
	l->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].present = true;
	l->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].slots[23] = 2;
	l->kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].sum_us = 14000000;
}

static void test_prom_units(void)
{
	char b[64];

	CHECK_STR(tw_prom_le(b, sizeof(b), 0, true), "0.000001");
	CHECK_STR(tw_prom_le(b, sizeof(b), 1, true), "0.000002");
	CHECK_STR(tw_prom_le(b, sizeof(b), 20, true), "1.048576");
	CHECK_STR(tw_prom_le(b, sizeof(b), 30, true), "1073.741824");
	CHECK_STR(tw_prom_le(b, sizeof(b), 0, false), "0");
	CHECK_STR(tw_prom_le(b, sizeof(b), 1, false), "1");
	CHECK_STR(tw_prom_le(b, sizeof(b), 2, false), "3");
	CHECK_STR(tw_prom_le(b, sizeof(b), 8, false), "255");
	CHECK_STR(tw_prom_us_to_s(b, sizeof(b), 0), "0");
	CHECK_STR(tw_prom_us_to_s(b, sizeof(b), 1), "0.000001");
	CHECK_STR(tw_prom_us_to_s(b, sizeof(b), 1500000), "1.5");
	CHECK_STR(tw_prom_us_to_s(b, sizeof(b), 63000000), "63");
	CHECK_STR(tw_prom_label_escape(b, sizeof(b), "a\"b\\c\nd"),
		  "a\\\"b\\\\c\\nd");
	/* never past the buffer, even mid-escape */
	CHECK_STR(tw_prom_label_escape(b, 5, "\"\"\""), "\\\"");
}

static void test_prom_down(void)
{
	struct tw_prom_input in = { 0 };
	char *out = expose(&in);

	CHECK_STR(out, "# HELP tcpwatch_up 1 if the tcpwatch module answered this scrape, 0 if not (not loaded, or an error).\n"
		  "# TYPE tcpwatch_up gauge\ntcpwatch_up 0\n");
	free(out);
}

static void test_prom_stats(void)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct tw_prom_input in = { 0 };
	char *out;

	fill_stats(st);
	in.st = st;
	out = expose(&in);
	CHECK_CONTAINS(out, "tcpwatch_up 1\n");
	CHECK_CONTAINS(out, "tcpwatch_module_info{version=\"0.4.0\",abi=\"2\"} 1\n");
	CHECK_CONTAINS(out, "tcpwatch_module_uptime_seconds 12.345678\n");
	CHECK_CONTAINS(out, "# TYPE tcpwatch_handshakes_completed_total counter\n"
		       "tcpwatch_handshakes_completed_total{netns=\"4026531840\"} 7\n");
	/* module-wide: no netns label */
	CHECK_CONTAINS(out, "\ntcpwatch_tracked_sockets 42\n");
	/* every state, with the kernel's names, one HELP/TYPE */
	CHECK_CONTAINS(out, "tcpwatch_sockets{netns=\"4026531840\",state=\"ESTABLISHED\"} 3\n");
	CHECK_CONTAINS(out, "tcpwatch_sockets{netns=\"4026531840\",state=\"NEW_SYN_RECV\"} 0\n");
	CHECK_EQ(count(out, "tcpwatch_sockets{"), 12);
	CHECK_EQ(count(out, "# TYPE tcpwatch_sockets gauge"), 1);
	/* transitions: the pairs seen only, state 0 as UNKNOWN */
	CHECK_CONTAINS(out, "tcpwatch_transitions_total{netns=\"4026531840\",from=\"SYN_SENT\",to=\"ESTABLISHED\"} 5\n");
	CHECK_EQ(count(out, "tcpwatch_transitions_total{"), 2);
	/* absent attributes: no metric at all, not 0 */
	CHECK(!strstr(out, "tcpwatch_syns_received_total"));
	CHECK(!strstr(out, "tcpwatch_rto_expiries_total"));
	CHECK(!strstr(out, "tcpwatch_retransmissions_total"));
	CHECK(!strstr(out, "tcpwatch_connect_latency_seconds"));
	CHECK(!strstr(out, "tcpwatch_listener"));
	/* time in state: cumulative buckets, the last slot only in +Inf */
	CHECK_CONTAINS(out, "# TYPE tcpwatch_time_in_state_seconds histogram\n"
		       "tcpwatch_time_in_state_seconds_bucket{netns=\"4026531840\",state=\"ESTABLISHED\",le=\"0.000001\"} 1\n"
		       "tcpwatch_time_in_state_seconds_bucket{netns=\"4026531840\",state=\"ESTABLISHED\",le=\"0.000002\"} 3\n");
	CHECK_CONTAINS(out, "le=\"1073.741824\"} 3\n"
		       "tcpwatch_time_in_state_seconds_bucket{netns=\"4026531840\",state=\"ESTABLISHED\",le=\"+Inf\"} 7\n"
		       "tcpwatch_time_in_state_seconds_sum{netns=\"4026531840\",state=\"ESTABLISHED\"} 4500.000123\n"
		       "tcpwatch_time_in_state_seconds_count{netns=\"4026531840\",state=\"ESTABLISHED\"} 7\n");
	CHECK_EQ(count(out, "tcpwatch_time_in_state_seconds_bucket{"), 32);
	/* outcome label; a count histogram keeps integer bounds */
	CHECK_CONTAINS(out, "tcpwatch_halfopen_lifetime_seconds_bucket{netns=\"4026531840\",outcome=\"completed\",le=\"0.000008\"} 9\n");
	CHECK(!strstr(out, "outcome=\"expired\""));
	CHECK_CONTAINS(out, "tcpwatch_handshake_synack_retransmissions_bucket{netns=\"4026531840\",le=\"0\"} 6\n"
		       "tcpwatch_handshake_synack_retransmissions_bucket{netns=\"4026531840\",le=\"1\"} 6\n"
		       "tcpwatch_handshake_synack_retransmissions_bucket{netns=\"4026531840\",le=\"3\"} 7\n");
	CHECK_CONTAINS(out, "le=\"255\"} 7\n");
	CHECK_CONTAINS(out, "tcpwatch_handshake_synack_retransmissions_sum{netns=\"4026531840\"} 2\n");
	free(out);

	/* issue #4's counters when the module sends them */
	set(st, TCPWATCH_STATS_A_RETRANS);
	st->retrans[TCPWATCH_CAUSE_TLP] = 4;
	set(st, TCPWATCH_STATS_A_RTO_EXPIRIES);
	st->rto_expiries = 0;
	st->kind_hist[TCPWATCH_HIST_RTO].present = true;
	st->kind_hist[TCPWATCH_HIST_RTO].slots[18] = 1;
	out = expose(&in);
	CHECK_CONTAINS(out, "tcpwatch_retransmissions_total{netns=\"4026531840\",cause=\"tlp\"} 4\n");
	CHECK_CONTAINS(out, "tcpwatch_retransmissions_total{netns=\"4026531840\",cause=\"rto\"} 0\n");
	CHECK_CONTAINS(out, "tcpwatch_rto_expiries_total{netns=\"4026531840\"} 0\n");
	CHECK_CONTAINS(out, "tcpwatch_rto_seconds_bucket{netns=\"4026531840\",le=\"0.262144\"} 1\n");
	free(out);
	free(st);
}

static void test_prom_listeners(void)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct tw_listener *ls = calloc(4, sizeof(*ls));
	struct tw_prom_input in = { 0 };
	char *out;

	fill_stats(st);
	fill_listener(&ls[0], AF_INET6, "2001:db8::1", 443);
	fill_listener(&ls[1], AF_INET, "192.0.2.1", 80);
	fill_listener(&ls[2], AF_INET, "192.0.2.1", 22);
	fill_listener(&ls[3], AF_INET, "192.0.2.1", 80);	/* reuseport */
	ls[3].synq_len = 1;
	ls[3].present |= 1ULL << TCPWATCH_LISTENER_A_COMPLETED;
	ls[3].hs.completed = 5;
	CHECK_EQ(tw_prom_merge_listeners(ls, 4), 3);
	CHECK_EQ(ls[0].port, 22);
	CHECK_EQ(ls[1].port, 80);
	CHECK_EQ(ls[1].backlog, 32);
	CHECK_EQ(ls[1].synq_len, 4);
	CHECK_EQ(ls[1].hs.completed, 5);
	CHECK_EQ(ls[1].kind_hist[TCPWATCH_HIST_HALFOPEN_EXPIRED].slots[23], 4);
	CHECK_EQ(ls[2].family, AF_INET6);
	CHECK_EQ(tw_prom_merge_listeners(ls, 0), 0);

	in.st = st;
	in.ls = ls;
	in.nls = 3;
	in.ls_read = true;
	out = expose(&in);
	CHECK_CONTAINS(out, "tcpwatch_listeners_omitted{netns=\"4026531840\"} 0\n");
	CHECK_CONTAINS(out, "tcpwatch_listener_synq_length{netns=\"4026531840\",addr=\"192.0.2.1\",port=\"80\"} 4\n");
	CHECK_CONTAINS(out, "tcpwatch_listener_backlog{netns=\"4026531840\",addr=\"2001:db8::1\",port=\"443\"} 16\n");
	CHECK_CONTAINS(out, "tcpwatch_listener_halfopens_expired_total{netns=\"4026531840\",addr=\"192.0.2.1\",port=\"22\"} 2\n");
	/* only the merged listener had COMPLETED */
	CHECK_EQ(count(out, "tcpwatch_listener_handshakes_completed_total{"), 1);
	CHECK(!strstr(out, "tcpwatch_listener_acceptq_length"));
	CHECK_CONTAINS(out, "tcpwatch_listener_halfopen_lifetime_seconds_bucket{netns=\"4026531840\",addr=\"192.0.2.1\",port=\"80\",outcome=\"expired\",le=\"8.388608\"} 4\n");
	CHECK_CONTAINS(out, "tcpwatch_listener_halfopen_lifetime_seconds_sum{netns=\"4026531840\",addr=\"192.0.2.1\",port=\"80\",outcome=\"expired\"} 28\n");
	CHECK_EQ(count(out, "# TYPE tcpwatch_listener_halfopen_lifetime_seconds histogram"), 1);
	free(out);

	/* the cap: the caller passes fewer, and says how many it left out */
	in.nls = 1;
	in.ls_omitted = 2;
	out = expose(&in);
	CHECK_CONTAINS(out, "tcpwatch_listeners_omitted{netns=\"4026531840\"} 2\n");
	CHECK_EQ(count(out, "tcpwatch_listener_backlog{"), 1);
	free(out);
	free(ls);
	free(st);
}

/* A GET_STATS reply as the module builds it, through parse.c to prom.c. */
static void test_prom_from_message(void)
{
	static uint64_t slots[TCPWATCH_HIST_SLOTS];
	char *buf = calloc(1, TEST_BUFSIZE);
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct tw_prom_input in = { 0 };
	struct nlattr *nest, *h;
	struct nlmsghdr *nlh;
	char *out;

	nlh = msg_start(buf, TEST_FAMILY_ID, TCPWATCH_CMD_GET_STATS);
	mnl_attr_put_strz(nlh, TCPWATCH_A_VERSION, "0.4.0");
	mnl_attr_put_u32(nlh, TCPWATCH_A_ABI, TCPWATCH_GENL_VERSION);
	nest = mnl_attr_nest_start(nlh, TCPWATCH_A_STATS);
	mnl_attr_put_u32(nlh, TCPWATCH_STATS_A_NETNS, 77);
	put_pad(nlh, TCPWATCH_STATS_A_PAD);
	mnl_attr_put_u64(nlh, TCPWATCH_STATS_A_COMPLETED, 1000);
	h = mnl_attr_nest_start(nlh, TCPWATCH_STATS_A_HIST);
	mnl_attr_put_u8(nlh, TCPWATCH_HIST_A_KIND, TCPWATCH_HIST_CONNECT);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_COUNT, 3);
	mnl_attr_put_u64(nlh, TCPWATCH_HIST_A_SUM_US, 150000);
	slots[16] = 3;
	mnl_attr_put(nlh, TCPWATCH_HIST_A_SLOTS, sizeof(slots), slots);
	mnl_attr_nest_end(nlh, h);
	mnl_attr_nest_end(nlh, nest);

	CHECK_EQ(tw_parse_stats_msg(nlh, st), 0);
	in.st = st;
	out = expose(&in);
	CHECK_CONTAINS(out, "tcpwatch_handshakes_completed_total{netns=\"77\"} 1000\n");
	CHECK_CONTAINS(out, "tcpwatch_connect_latency_seconds_bucket{netns=\"77\",le=\"0.032768\"} 0\n"
		       "tcpwatch_connect_latency_seconds_bucket{netns=\"77\",le=\"0.065536\"} 3\n");
	CHECK_CONTAINS(out, "tcpwatch_connect_latency_seconds_sum{netns=\"77\"} 0.15\n");
	/* not sent: not there */
	CHECK(!strstr(out, "tcpwatch_sockets{"));
	CHECK(!strstr(out, "tcpwatch_events_dropped_total"));
	free(out);
	free(st);
	free(buf);
}

/* Runs `promtool check metrics` on @text; returns its exit status. */
static int promtool(const char *text, char *out, size_t len)
{
	char path[] = "/tmp/tw-prom-XXXXXX", cmd[128];
	FILE *p;
	size_t n;
	int fd, st;

	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", path);
	p = popen(cmd, "r");
	n = p ? fread(out, 1, len - 1, p) : 0;
	out[n] = '\0';
	st = p ? pclose(p) : -1;
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_prom_promtool(void)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct tw_listener *ls = calloc(2, sizeof(*ls));
	struct tw_prom_input in = { 0 };
	char *text, out[4096];
	unsigned int k;

	if (system("command -v promtool >/dev/null 2>&1")) {
		tw_skip("promtool not installed");
		goto out;
	}
	fill_stats(st);
	set(st, TCPWATCH_STATS_A_RETRANS);
	for (k = 0; k < TW_HIST_KINDS; k++)
		st->kind_hist[k].present = true;
	fill_listener(&ls[0], AF_INET, "192.0.2.1", 80);
	fill_listener(&ls[1], AF_INET6, "::", 80);
	for (k = 0; k < TW_HIST_KINDS; k++)
		ls[0].kind_hist[k].present = true;
	in.st = st;
	in.ls = ls;
	in.nls = 2;
	in.ls_read = true;
	text = expose(&in);
	if (promtool(text, out, sizeof(out)) != 0 || out[0])
		tw_fail(__FILE__, __LINE__, "promtool check metrics:\n%s", out);
	free(text);
out:
	free(ls);
	free(st);
}

/* `tcpwatch export ARGS` with output to @out; returns the exit status. */
static int run_export(const char *args, char *out, size_t len)
{
	char cmd[512];
	size_t n;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s export %s 2>&1", tw_cli_path, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_export(void)
{
	char out[4096];

	if (access(tw_cli_path, X_OK)) {
		tw_skip("no tcpwatch binary");
		return false;
	}
	return run_export("--help", out, sizeof(out)) == 0;
}

static void test_export_usage(void)
{
	static const struct {
		const char *args;
		const char *msg;
	} cases[] = {
		{ "--listen 1.2.3", "bad listen address '1.2.3'" },
		{ "--listen [::1", "bad listen address '[::1'" },
		{ "--listen 127.0.0.1:0", "bad listen address" },
		{ "--listen", "option '--listen' needs a value" },
		{ "--textfile x --listen 127.0.0.1:1", "exclude each other" },
		{ "--once", "--interval and --once go with --textfile" },
		{ "--textfile x --interval 0", "bad interval '0'" },
		{ "--textfile x -i 5 --once", "--interval and --once exclude" },
		{ "--max-listeners -1", "bad --max-listeners '-1'" },
		{ "--frob", "unknown option '--frob'" },
		{ "--frob=1", "unknown option '--frob'" },
		{ "extra", "unexpected argument 'extra'" },
	};
	char out[4096];
	unsigned int i;

	if (!have_export())
		return;
	CHECK_EQ(run_export("--help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "Usage: tcpwatch export [--listen ADDR:PORT");
	CHECK_CONTAINS(out, "127.0.0.1:9977");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int st = run_export(cases[i].args, out, sizeof(out));

		if (st != 2 || !strstr(out, cases[i].msg) ||
		    !strstr(out, "Try 'tcpwatch export --help'"))
			tw_fail(__FILE__, __LINE__,
				"tcpwatch export %s: status %d, want 2 and \"%s\":\n%s",
				cases[i].args, st, cases[i].msg, out);
	}
}

static bool module_loaded(void)
{
	return access("/sys/module/tcpwatch", F_OK) == 0;
}

/* --once without the module: the file says tcpwatch_up 0, status 1. */
static void test_export_textfile(void)
{
	char dir[] = "/tmp/tw-export-XXXXXX", path[64], args[128];
	char out[4096], text[4096];
	size_t n;
	FILE *f;

	if (!have_export())
		return;
	if (module_loaded()) {
		tw_skip("the tcpwatch module is loaded");
		return;
	}
	if (!mkdtemp(dir)) {
		tw_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/tcpwatch.prom", dir);
	snprintf(args, sizeof(args), "--textfile %s --once", path);
	CHECK_EQ(run_export(args, out, sizeof(out)), 1);
	CHECK_CONTAINS(out, "kernel module not loaded");
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = '\0';
		fclose(f);
		CHECK_CONTAINS(text, "\ntcpwatch_up 0\n");
	}
	/* nothing but the file is left in the directory */
	snprintf(args, sizeof(args), "ls -A %s", dir);
	f = popen(args, "r");
	n = f ? fread(out, 1, sizeof(out) - 1, f) : 0;
	out[n] = '\0';
	if (f)
		pclose(f);
	CHECK_STR(out, "tcpwatch.prom\n");
	unlink(path);
	CHECK_EQ(run_export("--textfile /nonexistent/dir/x.prom --once", out,
			    sizeof(out)), 1);
	CHECK_CONTAINS(out, "cannot write /nonexistent/dir/x.prom");
	rmdir(dir);
}

/* A free loopback port, as the kernel hands one out (0 if none). */
static unsigned int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned int port = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* GET @path from 127.0.0.1:@port, HTTP/1.0; the reply into @out. */
static int http_get(unsigned int port, const char *path, char *out,
		    size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char req[128];
	size_t got = 0;
	ssize_t n;
	int fd;

	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", path);
	if (write(fd, req, strlen(req)) < 0) {
		close(fd);
		return -1;
	}
	while (got < len - 1 && (n = read(fd, out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fd);
	return 0;
}

/* The HTTP server: /metrics, 404 elsewhere; SIGTERM ends it with 0. */
static void test_export_http(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char out[8192], listen[32];
	unsigned int port, i;
	pid_t pid;
	int st;

	if (!have_export())
		return;
	port = free_port();
	if (!port) {
		tw_skip("no free loopback port");
		return;
	}
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		execl(tw_cli_path, tw_cli_path, "export", "--listen", listen,
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 50 && http_get(port, "/metrics", out, sizeof(out));
	     i++)
		nanosleep(&ts, NULL);
	CHECK_CONTAINS(out, " 200 OK\r\n");
	CHECK_CONTAINS(out, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n");
	CHECK_CONTAINS(out, "\r\n\r\n# HELP tcpwatch_up ");
	if (!module_loaded())
		CHECK_CONTAINS(out, "\ntcpwatch_up 0\n");
	CHECK_EQ(http_get(port, "/other", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, " 404 Not Found\r\n");
	kill(pid, SIGTERM);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

const struct tw_test prom_tests[] = {
	{ "prom_units", test_prom_units },
	{ "prom_down", test_prom_down },
	{ "prom_stats", test_prom_stats },
	{ "prom_listeners", test_prom_listeners },
	{ "prom_from_message", test_prom_from_message },
	{ "prom_promtool", test_prom_promtool },
	{ "export_usage", test_export_usage },
	{ "export_textfile", test_export_textfile },
	{ "export_http", test_export_http },
	{ NULL, NULL },
};
