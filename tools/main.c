// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - tcpwatch: command line parsing and dispatch.
 *
 * Usage errors are found before the kernel is asked anything and exit
 * with status 2; see views.h for the other statuses.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "format.h"
#include "views.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum {
	OPT_STATE	= 1 << 0,	/* --state */
	OPT_PORT	= 1 << 1,	/* --port */
	OPT_HIST	= 1 << 2,	/* --hist */
	OPT_COUNT	= 1 << 3,	/* -c */
	OPT_KIND	= 1 << 4,	/* --kind */
	OPT_TIMERS	= 1 << 5,	/* --timers */
	OPT_INTERVAL	= 1 << 6,	/* --interval */
	OPT_FLOW	= 1 << 7,	/* window PORT|ADDR:PORT (required) */
	OPT_NAME	= 1 << 8,	/* hist [NAME] */
	OPT_STUCK	= 1 << 9,	/* top --stuck */
	OPT_FILTER	= OPT_STATE | OPT_PORT,
};

enum { LOPT_HIST = 0x100, LOPT_VERSION, LOPT_STUCK };

struct command {
	const char *name;
	const char *synopsis;
	const char *help;
	unsigned int opts;
	int (*run)(const struct tw_opts *o);
	/* instead of run: a command that parses its own options */
	int (*main)(int argc, char **argv);
};

#define FILTER_HELP \
"  -s, --state S[,S...]  only sockets in these states: ss names (estab,\n" \
"                        time-wait, fin-wait-1, ...) or kernel names\n" \
"                        (ESTABLISHED, TIME_WAIT, FIN_WAIT1, ...), any\n" \
"                        case, comma-separated, or 'all'\n" \
"  -p, --port P          only sockets whose local or remote port is P\n"

#define COMMON_HELP \
"  -j, --json            JSON output\n" \
"  -h, --help            show this help\n"

#define STATES_LIST \
"States: LISTEN SYN-SENT SYN-RECV ESTAB FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT\n" \
"        CLOSING LAST-ACK TIME-WAIT CLOSE NEW-SYN-RECV\n" \
"SYN-RECV selects both full SYN-RECV sockets and request sockets (the\n" \
"kernel's half-open NEW_SYN_RECV entries); NEW-SYN-RECV only the latter.\n"

static const struct command commands[] = {
	{
		.name = "sockets",
		.synopsis = "tcpwatch sockets [--state S[,S...]] [--port P] [--timers] [-j]",
		.help =
"List the TCP sockets of this network namespace with the time each has\n"
"spent in its current state (In-State; '*' means counted from the\n"
"module load), its transitions seen (Trans), the TIME-WAIT time left\n"
"(Timer) and the owning process (PID/Comm).  Request sockets (half-open\n"
"connections) are shown as SYN-RECV, like ss does, with In-State '-';\n"
"in JSON their \"request_sock\" is true.\n"
"\n"
"With --timers, the timers and windows of each socket instead, read live\n"
"from the kernel: the pending timer and the time left on it (Timer: rto,\n"
"tlp (tail-loss probe), persist (zero-window probe), reorder, keepalive,\n"
"timewait), the retransmission timeout now (RTO), the exponential\n"
"backoff (Backoff), consecutive and total retransmissions (Rtx,\n"
"Retrans), the congestion window and slow-start threshold in segments\n"
"(cwnd, ssthresh; 'inf' before the first loss), the peer's and our\n"
"advertised windows in bytes (snd_wnd, rcv_wnd), the smoothed RTT (srtt),\n"
"the congestion state (CA: open, disorder, cwr, recovery, loss) and the\n"
"congestion control (CC).  '-' means the module did not send the field\n"
"(listeners, request and timewait sockets have no windows).  JSON always\n"
"has every field.\n"
"\n"
FILTER_HELP
"  -t, --timers          the timers and windows table\n"
COMMON_HELP "\n" STATES_LIST,
		.opts = OPT_FILTER | OPT_TIMERS,
		.run = tw_view_sockets,
	},
	{
		.name = "states",
		.synopsis = "tcpwatch states [--hist] [-j]",
		.help =
"Show the module's counters (SYN-ACK and SYN retransmissions among\n"
"them), the number of sockets in each state, the state transition\n"
"matrix (rows: from, columns: to), the time spent in each state\n"
"(samples and mean) and the handshake histograms: connect latency,\n"
"half-open lifetime of completed and of expired handshakes, SYN-ACK\n"
"retransmissions per completed handshake, and accept-queue wait (the\n"
"time a completed connection waited for accept()).  Request sockets\n"
"(NEW_SYN_RECV) have their own row, \"SYN-RECV (request socks)\".\n"
"\n"
"      --hist            also draw each state's time-in-state log2\n"
"                        histogram, then the handshake histograms\n"
COMMON_HELP,
		.opts = OPT_HIST,
		.run = tw_view_states,
	},
	{
		.name = "listen",
		.synopsis = "tcpwatch listen [--port P] [--hist] [-j]",
		.help =
"List the listening TCP sockets of this network namespace with their\n"
"handshake limits and queues: the listen() backlog as applied (Backlog,\n"
"capped by net.core.somaxconn), the half-open connections in the SYN\n"
"queue and the connections awaiting accept() (SYN-Q and Accept-Q, each\n"
"as length/backlog), net.ipv4.tcp_syncookies (Cookies: off, on, always),\n"
"the SYN-ACK retransmissions allowed (Retries: TCP_SYNCNT or\n"
"net.ipv4.tcp_synack_retries), the half-open lifetime those retries\n"
"imply (Half-open life: the SYN-ACK timeouts, doubling, summed) and the\n"
"SYN-ACKs retransmitted since tcpwatch first saw the listener (SYN-ACK\n"
"rtx; '*' means counted from the module load: the listener is older,\n"
"and so are its counters on the second line).\n"
"\n"
"When the module has its handshake hooks attached, each listener has a\n"
"second, indented line of handshake counters, since tcpwatch first saw\n"
"it, under the second header line: SYNs received (SYNs), handshakes\n"
"completed (Done), half-opens expired after the last SYN-ACK (Expired)\n"
"or ended by an RST (Reset), SYNs dropped with the SYN queue full\n"
"(SYN-Q drops), connections dropped with the accept queue full (Acc-Q\n"
"drops), and syncookies sent and received (Cookies sent, Cookies recv).\n"
"'-' means the module did not send that counter for the listener.\n"
"\n"
"  -p, --port P          only listeners on port P\n"
"      --hist            after the table, draw each listener's log2\n"
"                        histograms that have samples, titled with its\n"
"                        address:port: half-open lifetime of completed\n"
"                        and of expired handshakes, SYN-ACK\n"
"                        retransmissions per completed handshake, and\n"
"                        accept-queue wait (as in 'states --hist')\n"
COMMON_HELP,
		.opts = OPT_PORT | OPT_HIST,
		.run = tw_view_listeners,
	},
	{
		.name = "halfopen",
		.synopsis = "tcpwatch halfopen [--port P] [-j]",
		.help =
"List the half-open connections (request socks, SYN-RECV) of this\n"
"network namespace: the listener and the peer, the time since the first\n"
"SYN-ACK (Age), the SYN-ACKs retransmitted and allowed (SYN-ACK rtx,\n"
"n/max), the time until the next retransmission, or after the last one\n"
"until the connection expires (Next), and the time until it expires\n"
"if no ACK comes (Expires in).\n"
"\n"
"  -p, --port P          only connections whose listening or remote port\n"
"                        is P\n"
COMMON_HELP,
		.opts = OPT_PORT,
		.run = tw_view_halfopen,
	},
	{
		.name = "closed",
		.synopsis = "tcpwatch closed [--state S[,S...]] [--port P] [-j]",
		.help =
"List recently closed sockets, oldest first: when each closed, its\n"
"lifetime, its last state before CLOSE and the time it spent in each\n"
"state it went through.  --state matches a closed socket that went\n"
"through one of the states: spent time in it, or left it for CLOSE\n"
"(its last state); every record matches 'close'.\n"
"\n"
FILTER_HELP COMMON_HELP "\n" STATES_LIST,
		.opts = OPT_FILTER,
		.run = tw_view_closed,
	},
	{
		.name = "events",
		.synopsis = "tcpwatch events [--state S[,S...]] [--port P] [--kind K[,K...]] [-c COUNT] [-j]",
		.help =
"Follow state changes and handshake events as they happen, one line\n"
"each (with -j one JSON object per line).  Stops on Ctrl-C, SIGTERM or\n"
"after COUNT events (exit status 0), or when the module is unloaded\n"
"(\"tcpwatch: kernel module unloaded\", status 1).\n"
"\n"
"State changes (state, tw_enter, tw_exit) fill the columns of the\n"
"header.  Handshake events read LISTENER <- CLIENT, then what happened:\n"
"  halfopen-end      a half-open connection left the SYN queue: completed,\n"
"                    expired, reset or dropped (an ICMP error, its\n"
"                    listener closed), after how long, with how many\n"
"                    SYN-ACK retransmissions\n"
"  synack-rtx        a SYN-ACK was retransmitted (#n: the count so far)\n"
"  syn-drop          a SYN was dropped, SYN queue full\n"
"  acceptq-overflow  a connection was dropped, accept queue full\n"
"Timer and window events read LOCAL -> PEER, then the values:\n"
"  retrans           a segment was retransmitted: cause, RTO, backoff,\n"
"                    consecutive retransmissions (rtx), cwnd, ssthresh\n"
"  rto               the retransmission timer expired (the RTO that did)\n"
"  ca-state          the congestion state changed (old->new)\n"
"  window            a window change log sample (see 'tcpwatch window')\n"
"\n"
"--port matches the local or the remote port of every event.  --state\n"
"matches the new or the old state of a state change; the other events\n"
"carry no state, so with --state they are shown only if --kind names\n"
"them (without --state, all are shown).\n"
"\n"
FILTER_HELP
"  -k, --kind K[,K...]   only events of these kinds: state, tw_enter,\n"
"                        tw_exit, halfopen_end, synack_retrans, syn_drop,\n"
"                        acceptq_overflow, retrans, rto, ca_state, window,\n"
"                        comma-separated, or 'all'\n"
"  -c, --count COUNT     exit after COUNT events\n"
COMMON_HELP "\n" STATES_LIST,
		.opts = OPT_FILTER | OPT_COUNT | OPT_KIND,
		.run = tw_view_events,
	},
	{
		.name = "retrans",
		.synopsis = "tcpwatch retrans [--port P] [--kind K[,K...]] [-c COUNT] [-j]",
		.help =
"Follow retransmissions, RTO expiries and congestion-state changes as\n"
"they happen, one line each (with -j one JSON object per line, as\n"
"'events -j'): the time, the event (retrans, rto, ca-state), the\n"
"tuple, CAUSE/CA (why a segment was retransmitted: rto, loss (in loss\n"
"recovery after an RTO), fast, tlp, syn; 'expired' for an RTO expiry;\n"
"old->new for a congestion-state change), the RTO (for an rto event the\n"
"timeout that expired), the backoff and consecutive retransmissions\n"
"(BOFF, RTX; after an expiry), and cwnd and ssthresh.  Stops as events\n"
"does.\n"
"\n"
"  -p, --port P          only sockets whose local or remote port is P\n"
"  -k, --kind K[,K...]   only these kinds: retrans, rto, ca_state\n"
"                        (default: all three)\n"
"  -c, --count COUNT     exit after COUNT events\n"
COMMON_HELP,
		.opts = OPT_PORT | OPT_COUNT | OPT_KIND,
		.run = tw_view_retrans,
	},
	{
		.name = "window",
		.synopsis = "tcpwatch window PORT|ADDR:PORT [--interval MS] [-c COUNT] [-j]",
		.help =
"Log the windows of one flow as a scrolling time series: sets the\n"
"module's window change log (needs CAP_NET_ADMIN) to the sockets with\n"
"local or remote port PORT (and address ADDR, IPv6 in brackets), then\n"
"prints a line whenever cwnd, ssthresh, snd_wnd or rcv_wnd changed:\n"
"TIME, LOCAL, PEER, CWND and SSTHRESH (segments), SND_WND and RCV_WND\n"
"(bytes), SRTT and INFLIGHT (bytes sent, not acked).  On exit (Ctrl-C,\n"
"SIGTERM, COUNT lines) the log is switched off again.  The log is one\n"
"per network namespace: a second 'tcpwatch window' replaces the first's\n"
"filter.\n"
"\n"
"      --interval MS     at most one sample per socket every MS\n"
"                        milliseconds, 0..60000 (module default: 10)\n"
"  -c, --count COUNT     exit after COUNT lines\n"
COMMON_HELP,
		.opts = OPT_FLOW | OPT_INTERVAL | OPT_COUNT,
		.run = tw_view_window,
	},
	{
		.name = "hist",
		.synopsis = "tcpwatch hist [NAME] [-j]",
		.help =
"Draw the module's log2 histograms as bar charts, like bcc's tools:\n"
"every one, or the one NAME names:\n"
"  state       time in state, one chart per state (or a state's name,\n"
"              e.g. 'time-wait', for that state's only)\n"
"  connect     connect latency (SYN_SENT to ESTABLISHED)\n"
"  halfopen_done, halfopen_expired\n"
"              half-open lifetime of completed and of expired handshakes\n"
"  synack_retrans\n"
"              SYN-ACK retransmissions per completed handshake\n"
"  accept_wait time waited in the accept queue\n"
"  rto         the retransmission timeout at each RTO expiry\n"
"  srtt        smoothed RTT of connections at close\n"
"  retrans     retransmissions per closed connection\n"
"With -j, the histograms as 'states -j' has them (hist, histograms).\n"
"\n"
COMMON_HELP,
		.opts = OPT_NAME,
		.run = tw_view_hist,
	},
	{
		.name = "top",
		.synopsis = "tcpwatch top [-i SECONDS] [--stuck SECONDS] [--state S[,S...]] [--port P]",
		.help =
"A live, full-screen view (what 'tcpwatch' alone starts on a terminal),\n"
"refreshed every interval: a header with the rates since the last\n"
"refresh (new connections, closes, retransmissions, RTO expiries,\n"
"half-opens expired and SYN drops, per second) and the sockets in each\n"
"state; the listeners with their SYN and accept queues against the\n"
"backlog; and the socket table (state, local, peer, time in state,\n"
"cwnd, ssthresh, snd/rcv window, srtt, RTO, retransmissions, pid/comm).\n"
"Sockets that look stuck are highlighted: CLOSE-WAIT or FIN-WAIT-2 for\n"
"longer than --stuck, half-opens in their last SYN-ACK retry, sockets\n"
"in RTO backoff.\n"
"\n"
"Keys: q quits; < and > (or F6) move the sort column, r reverses it;\n"
"1-9 sort by that column; / sets a filter (a port, an address, a state\n"
"name or any text of the row; empty clears it); p pauses; space\n"
"refreshes now.\n"
"\n"
"When stdout is not a terminal, prints the header, the listeners and\n"
"the socket table as plain text every interval instead (-c COUNT\n"
"refreshes, then exits).\n"
"\n"
"  -i, --interval SECONDS  refresh interval, 0.1..3600 (default 1)\n"
"      --stuck SECONDS   CLOSE-WAIT/FIN-WAIT-2 age that counts as stuck\n"
"                        (default 60)\n"
"  -c, --count COUNT     plain mode: exit after COUNT refreshes\n"
FILTER_HELP
"  -h, --help            show this help\n",
		.opts = OPT_FILTER | OPT_INTERVAL | OPT_STUCK | OPT_COUNT,
		.run = tw_view_top,
	},
	{
		.name = "export",
		.synopsis = TW_EXPORT_SYNOPSIS,
		.help = tw_export_help,
		.main = tw_export_main,
	},
};

static void usage(FILE *f)
{
	unsigned int i;

	fputs("Usage: tcpwatch [-j] COMMAND [OPTIONS]\n"
	      "       tcpwatch --version | --help | COMMAND --help\n"
	      "\n"
	      "Show the TCP state machine of every socket, as tracked by the\n"
	      "tcpwatch kernel module.\n"
	      "\n"
	      "Commands:\n"
	      "  sockets   live sockets with time in state and transitions (like ss -tan)\n"
	      "  states    counters, sockets per state, transition matrix, time in state,\n"
	      "            handshake histograms\n"
	      "  listen    listeners: backlog, SYN and accept queues, SYN-ACK retries,\n"
	      "            handshake counters and histograms\n"
	      "  halfopen  half-open connections: age, SYN-ACK retransmissions, expiry\n"
	      "  closed    recently closed sockets: lifetime and time in each state\n"
	      "  events    follow state changes and handshake events as they happen\n"
	      "  retrans   follow retransmissions, RTO expiries, congestion-state changes\n"
	      "  window    log one flow's cwnd, ssthresh and windows (CAP_NET_ADMIN)\n"
	      "  hist      the module's log2 histograms as bar charts\n"
	      "  top       live full-screen view (the default on a terminal)\n"
	      "  export    serve the counters and histograms as Prometheus metrics\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json     JSON output\n"
	      "  -h, --help     show this help\n"
	      "      --version  show the CLI version and the loaded module's\n"
	      "\n"
	      "Synopsis:\n", f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s\n", commands[i].synopsis);
}

static void command_help(FILE *f, const struct command *c)
{
	fprintf(f, "Usage: %s\n\n%s", c->synopsis, c->help);
}

__attribute__((format(printf, 2, 3)))
static int bad_usage(const struct command *c, const char *fmt, ...)
{
	va_list ap;

	fputs("tcpwatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		fprintf(stderr, "Usage: %s\nTry 'tcpwatch %s --help'.\n",
			c->synopsis, c->name);
	else
		fputs("Try 'tcpwatch --help'.\n", stderr);
	return TW_EXIT_USAGE;
}

static const struct command *find_command(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * How the user spelled the option getopt_long() just complained about or
 * returned: @opt is its short name (0 if none), @longidx its index in
 * @longopts (-1 if it was not given in long form).
 */
static const char *opt_name(char **argv, const struct option *longopts,
			    int longidx, int opt)
{
	static char buf[64];
	const char *arg = argv[optind - 1];

	if (longidx >= 0) {
		snprintf(buf, sizeof(buf), "--%s", longopts[longidx].name);
	} else if (opt > 0 && opt < 0x100 && strncmp(arg, "--", 2)) {
		snprintf(buf, sizeof(buf), "-%c", opt);
	} else {
		/* an unknown long option, perhaps with "=value" */
		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(arg, "="), arg);
	}
	return buf;
}

static int run_command(const struct command *c, int argc, char **argv,
		       struct tw_opts *o)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "state",	required_argument,	NULL, 's' },
		{ "port",	required_argument,	NULL, 'p' },
		{ "count",	required_argument,	NULL, 'c' },
		{ "kind",	required_argument,	NULL, 'k' },
		{ "hist",	no_argument,		NULL, LOPT_HIST },
		{ "timers",	no_argument,		NULL, 't' },
		{ "interval",	required_argument,	NULL, 'i' },
		{ "stuck",	required_argument,	NULL, LOPT_STUCK },
		{ NULL, 0, NULL, 0 },
	};
	int opt, longidx = -1;
	char bad[64];

	if (c->main)
		return c->main(argc, argv);
	optind = 0;	/* glibc: rescan from argv[1] */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jhs:p:c:k:ti:", longopts,
				  &longidx)) != -1) {
		switch (opt) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			command_help(stdout, c);
			return TW_EXIT_OK;
		case 's':
			if (!(c->opts & OPT_STATE))
				goto unknown;
			if (tw_parse_states(optarg, &o->flt.states, bad,
					    sizeof(bad)) < 0)
				return bad_usage(c, "unknown state '%s'", bad);
			break;
		case 'p':
			if (!(c->opts & OPT_PORT))
				goto unknown;
			if (tw_parse_port(optarg, &o->flt.port) < 0)
				return bad_usage(c, "bad port '%s': want a number 1..65535",
						 optarg);
			break;
		case 'c':
			if (!(c->opts & OPT_COUNT))
				goto unknown;
			if (tw_parse_count(optarg, &o->count) < 0)
				return bad_usage(c, "bad count '%s': want a positive number",
						 optarg);
			break;
		case 'k':
			if (!(c->opts & OPT_KIND))
				goto unknown;
			if (tw_parse_kinds(optarg, &o->flt.kinds, bad,
					   sizeof(bad)) < 0)
				return bad_usage(c, "unknown event kind '%s'",
						 bad);
			break;
		case LOPT_HIST:
			if (!(c->opts & OPT_HIST))
				goto unknown;
			o->hist = true;
			break;
		case 't':
			if (!(c->opts & OPT_TIMERS))
				goto unknown;
			o->timers = true;
			break;
		case 'i':
			if (!(c->opts & OPT_INTERVAL))
				goto unknown;
			/* top: seconds; window: the module's milliseconds */
			if (c->run == tw_view_top ?
			    tw_parse_seconds_ms(optarg, 100, 3600000,
						&o->interval_ms) :
			    tw_parse_range(optarg, 0, 60000, &o->interval_ms))
				return bad_usage(c, "bad interval '%s': want %s",
						 optarg, c->run == tw_view_top ?
						 "seconds, 0.1..3600" :
						 "milliseconds, 0..60000");
			o->has_interval = true;
			break;
		case LOPT_STUCK:
			if (!(c->opts & OPT_STUCK))
				goto unknown;
			if (tw_parse_seconds_ms(optarg, 1, 86400000,
						&o->stuck_ms))
				return bad_usage(c, "bad --stuck '%s': want seconds, 0.001..86400",
						 optarg);
			break;
		case ':':
			return bad_usage(c, "option '%s' needs a value",
					 opt_name(argv, longopts, longidx,
						  optopt));
		default:
			goto unknown;
		}
		longidx = -1;
		continue;
unknown:
		return bad_usage(c, "unknown option '%s'",
				 opt_name(argv, longopts, longidx,
					  opt == '?' ? optopt : opt));
	}
	if ((c->opts & (OPT_FLOW | OPT_NAME)) && optind < argc) {
		const char *arg = argv[optind++];

		if (c->opts & OPT_NAME)
			o->hist_name = arg;
		else if (tw_parse_flow(arg, &o->flow_family, o->flow_addr,
				       &o->flow_port))
			return bad_usage(c, "bad flow '%s': want PORT, ADDR:PORT or [IPV6]:PORT",
					 arg);
	} else if (c->opts & OPT_FLOW) {
		return bad_usage(c, "which flow? give PORT or ADDR:PORT");
	}
	if (optind < argc)
		return bad_usage(c, "unexpected argument '%s'", argv[optind]);
	return c->run(o);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, LOPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct tw_opts o = { 0 };
	const struct command *c;
	int opt, longidx = -1;

	opterr = 0;
	/* '+': stop at the command, its options are parsed separately */
	while ((opt = getopt_long(argc, argv, "+:jh", longopts,
				  &longidx)) != -1) {
		switch (opt) {
		case 'j':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return TW_EXIT_OK;
		case LOPT_VERSION:
			return tw_view_version();
		default:
			return bad_usage(NULL, "unknown option '%s'",
					 opt_name(argv, longopts, longidx,
						  optopt));
		}
		longidx = -1;
	}
	if (optind >= argc) {
		/* on a terminal, the live view; else the usage */
		if (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO))
			return run_command(find_command("top"), 1,
					   (char *[]){ "top", NULL }, &o);
		usage(stderr);
		return TW_EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 >= argc) {
			usage(stdout);
			return TW_EXIT_OK;
		}
		c = find_command(argv[optind + 1]);
		if (!c)
			return bad_usage(NULL, "unknown command '%s'",
					 argv[optind + 1]);
		command_help(stdout, c);
		return TW_EXIT_OK;
	}
	c = find_command(argv[optind]);
	if (!c)
		return bad_usage(NULL, "unknown command '%s'", argv[optind]);
	return run_command(c, argc - optind, argv + optind, &o);
}
