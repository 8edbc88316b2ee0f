// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - the tcpwatch binary's exit statuses and messages for help,
 * bad usage and a missing module, and tests/spec_check.py (the YNL spec
 * against the uapi header).  Nothing here needs the module.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "unit.h"

/* Runs "tcpwatch ARGS" with stderr into stdout; returns the exit status. */
static int run(const char *args, char *out, size_t len)
{
	char cmd[512];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1 </dev/null", tw_cli_path,
		 args);
	out[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < len && fgets(out + n, len - n, p))
		n += strlen(out + n);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_cli(void)
{
	if (access(tw_cli_path, X_OK) == 0)
		return true;
	tw_skip("tcpwatch binary not built");
	return false;
}

/* Whether the tcpwatch module is loaded here (then skip "not loaded"). */
static bool module_loaded(void)
{
	return access("/sys/module/tcpwatch", F_OK) == 0;
}

static void test_help(void)
{
	char out[8192];

	if (!have_cli())
		return;
	CHECK_EQ(run("--help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "Usage: tcpwatch");
	CHECK_CONTAINS(out, "events");
	CHECK_EQ(run("-h", out, sizeof(out)), 0);
	CHECK_EQ(run("sockets --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "Usage: tcpwatch sockets");
	CHECK_CONTAINS(out, "--state");
	CHECK_EQ(run("states -h", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "--hist");
	CHECK_EQ(run("events --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "--count");
	CHECK_CONTAINS(out, "Usage: tcpwatch events [--state S[,S...]] "
		       "[--port P] [--kind K[,K...]] [-c COUNT] [-j]\n");
	CHECK_CONTAINS(out, "-k, --kind K[,K...]");
	CHECK_EQ(run("help closed", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "Usage: tcpwatch closed");
	CHECK_EQ(run("--help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "  listen    ");
	CHECK_CONTAINS(out, "  halfopen  ");
	CHECK_CONTAINS(out, "tcpwatch listen [--port P] [--hist] [-j]\n");
	CHECK_CONTAINS(out, "tcpwatch halfopen [--port P] [-j]\n");
	CHECK_EQ(run("listen --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "Usage: tcpwatch listen [--port P] [--hist] [-j]");
	CHECK_CONTAINS(out, "--hist");
	CHECK(!strstr(out, "--state"));
	CHECK_EQ(run("help halfopen", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "Usage: tcpwatch halfopen [--port P] [-j]");
	CHECK(!strstr(out, "--state"));
}

/* The help says what the less obvious behaviours are. */
static void test_help_semantics(void)
{
	char out[8192];

	if (!have_cli())
		return;
	CHECK_EQ(run("closed --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "--state matches a closed socket that went\n"
		       "through one of the states");
	CHECK_CONTAINS(out, "(its last state)");
	CHECK_EQ(run("sockets --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "shown as SYN-RECV");
	CHECK_CONTAINS(out, "\"request_sock\"");
	CHECK_CONTAINS(out, "SYN-RECV selects both full SYN-RECV sockets and request sockets");
	CHECK_EQ(run("events --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "\"tcpwatch: kernel module unloaded\", status 1");
	CHECK_CONTAINS(out, "halfopen-end");
	CHECK_CONTAINS(out, "synack-rtx");
	CHECK_CONTAINS(out, "acceptq-overflow");
	CHECK_CONTAINS(out, "state, tw_enter,\n"
		       "                        tw_exit, halfopen_end, synack_retrans, syn_drop,\n"
		       "                        acceptq_overflow");
	CHECK_CONTAINS(out, "--port matches the local or the remote port of every event");
	CHECK_CONTAINS(out, "with --state they are shown only if --kind names\n"
		       "them (without --state, all are shown)");
	CHECK_EQ(run("states --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "SYN-RECV (request socks)");
	CHECK_CONTAINS(out, "connect latency");
	CHECK_CONTAINS(out, "SYN-ACK and SYN retransmissions");
	CHECK_CONTAINS(out, "accept-queue wait");
	CHECK_EQ(run("listen --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "as length/backlog");
	CHECK_CONTAINS(out, "Cookies: off, on, always");
	CHECK_CONTAINS(out, "'*' means counted from the module load");
	CHECK_CONTAINS(out, "only listeners on port P");
	/* the counters' second line and the per-listener charts */
	CHECK_CONTAINS(out, "second, indented line of handshake");
	CHECK_CONTAINS(out, "(SYN-Q drops), connections dropped with the accept queue full (Acc-Q\n"
		       "drops), and syncookies sent and received (Cookies sent, Cookies recv)");
	CHECK_CONTAINS(out, "titled with its\n"
		       "                        address:port");
	CHECK_EQ(run("events --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "expired, reset or dropped");
	CHECK_EQ(run("halfopen --help", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "n/max");
	CHECK_CONTAINS(out, "(Next)");
	CHECK_CONTAINS(out, "(Expires in)");
	CHECK_CONTAINS(out, "listening or remote port");
}

static void test_version(void)
{
	char out[4096];

	if (!have_cli())
		return;
	CHECK_EQ(run("--version", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "tcpwatch CLI ");
	CHECK_CONTAINS(out, "module: ");
}

static void test_bad_usage(void)
{
	static const struct {
		const char *args;
		const char *msg;
	} cases[] = {
		{ "", "Usage: tcpwatch" },
		{ "frobnicate", "unknown command 'frobnicate'" },
		{ "--frob", "unknown option '--frob'" },
		{ "sockets --frob", "unknown option '--frob'" },
		{ "sockets -x", "unknown option '-x'" },
		{ "sockets --port abc", "bad port 'abc'" },
		{ "sockets --port 0", "bad port '0'" },
		{ "closed -p 70000", "bad port '70000'" },
		{ "events --port=-1", "bad port '-1'" },
		{ "sockets --state bogus", "unknown state 'bogus'" },
		{ "sockets --state estab,", "unknown state ''" },
		{ "events -s TIME_WAIT,FIN_WAIT3", "unknown state 'FIN_WAIT3'" },
		{ "sockets --state", "option '--state' needs a value" },
		{ "events -c 0", "bad count '0'" },
		{ "events -c", "option '-c' needs a value" },
		{ "states --port 22", "unknown option '--port'" },
		{ "sockets --hist", "unknown option '--hist'" },
		{ "sockets extra", "unexpected argument 'extra'" },
		{ "help nope", "unknown command 'nope'" },
		{ "listen --state estab", "unknown option '--state'" },
		{ "listen -s listen", "unknown option '-s'" },
		{ "halfopen --hist", "unknown option '--hist'" },
		{ "listen --port 0", "bad port '0'" },
		{ "listen -p", "option '-p' needs a value" },
		{ "listen extra", "unexpected argument 'extra'" },
		{ "halfopen --state syn-recv", "unknown option '--state'" },
		{ "halfopen -c 1", "unknown option '-c'" },
		{ "halfopen --port=65536", "bad port '65536'" },
		{ "events --kind bogus", "unknown event kind 'bogus'" },
		{ "events -k state,,syn_drop", "unknown event kind ''" },
		{ "events --kind=halfopen_end,estab", "unknown event kind 'estab'" },
		{ "events --kind", "option '--kind' needs a value" },
		{ "events -j -k", "option '-k' needs a value" },
		{ "sockets --kind state", "unknown option '--kind'" },
		{ "closed -k state", "unknown option '-k'" },
		{ "states --kind all", "unknown option '--kind'" },
		{ "window", "which flow?" },
		{ "window 0", "bad flow '0'" },
		{ "window host:80", "bad flow 'host:80'" },
		{ "window 2001:db8::1:80", "bad flow '2001:db8::1:80'" },
		{ "window 80 --interval 60001", "bad interval '60001'" },
		{ "window 80 --interval", "option '--interval' needs a value" },
		{ "window 80 81", "unexpected argument '81'" },
		{ "window 80 --state estab", "unknown option '--state'" },
		{ "retrans --kind bogus", "unknown event kind 'bogus'" },
		{ "retrans --state estab", "unknown option '--state'" },
		{ "sockets --interval 1", "unknown option '--interval'" },
		{ "states -t", "unknown option '-t'" },
		{ "top -i 0", "bad interval '0'" },
		{ "top -i 1s", "bad interval '1s'" },
		{ "top --stuck x", "bad --stuck 'x'" },
		{ "top extra", "unexpected argument 'extra'" },
		{ "hist a b", "unexpected argument 'b'" },
		{ "hist bogus", "unknown histogram 'bogus'" },
		{ "top -j", "top has no JSON output" },
	};
	char out[4096];
	unsigned int i;

	if (!have_cli())
		return;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int st = run(cases[i].args, out, sizeof(out));

		if (st != 2 || !strstr(out, cases[i].msg))
			tw_fail(__FILE__, __LINE__,
				"tcpwatch %s: status %d, want 2 and \"%s\":\n%s",
				cases[i].args, st, cases[i].msg, out);
		if (*cases[i].args && !strstr(out, "--help"))
			tw_fail(__FILE__, __LINE__,
				"tcpwatch %s: no usage hint:\n%s",
				cases[i].args, out);
	}
}

static void test_not_loaded(void)
{
	static const char * const cmds[] = {
		"sockets", "-j sockets", "states", "closed --port 22",
		"events -c 1", "sockets --state all -j",
		"sockets --state syn-recv", "closed -s new-syn-recv,estab",
		"events -j --state SYN_RECV",
		"listen", "listen -j --port 80", "listen --hist -p 80",
		"-j halfopen",
		"halfopen -p 443",
		"events --kind halfopen_end,syn-drop -c 1",
		"events -j -k all -s estab -p 80",
	};
	char out[4096];
	unsigned int i;

	if (!have_cli())
		return;
	if (module_loaded()) {
		tw_skip("the tcpwatch module is loaded");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		int st = run(cmds[i], out, sizeof(out));

		if (st != 1 || strcmp(out, "tcpwatch: kernel module not loaded (try: sudo insmod module/tcpwatch.ko)\n"))
			tw_fail(__FILE__, __LINE__,
				"tcpwatch %s: status %d, output:\n%s",
				cmds[i], st, out);
	}
	CHECK_EQ(run("--version", out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "module: not loaded");
}

static void test_spec_matches_uapi(void)
{
	const char *slash = strrchr(tw_cli_path, '/');
	int dirlen = slash ? (int)(slash - tw_cli_path) : 1;
	const char *dir = slash ? tw_cli_path : ".";
	char out[8192], cmd[600];
	size_t n = 0;
	FILE *p;
	int st;

	if (system("command -v python3 >/dev/null 2>&1")) {
		tw_skip("no python3");
		return;
	}
	/* tests/ sits beside the tcpwatch binary */
	snprintf(cmd, sizeof(cmd), "python3 %.*s/tests/spec_check.py 2>&1",
		 dirlen, dir);
	out[0] = '\0';
	p = popen(cmd, "r");
	if (!p) {
		tw_skip("popen failed");
		return;
	}
	while (n + 1 < sizeof(out) && fgets(out + n, sizeof(out) - n, p))
		n += strlen(out + n);
	st = pclose(p);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		tw_skip("python3 has no yaml module");
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		tw_fail(__FILE__, __LINE__, "%s:\n%s", cmd, out);
}

const struct tw_test cli_tests[] = {
	{ "cli_help", test_help },
	{ "cli_help_semantics", test_help_semantics },
	{ "cli_version", test_version },
	{ "cli_bad_usage_exit_2", test_bad_usage },
	{ "cli_module_not_loaded", test_not_loaded },
	{ "spec_matches_uapi", test_spec_matches_uapi },
	{ NULL, NULL },
};
