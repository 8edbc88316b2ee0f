// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - how fast `tcpwatch sockets` turns a dump into text or JSON,
 * and `tcpwatch events` a stream of events, without a module: fakenl.c
 * plays the kernel behind libmnl's socket calls, and tw_view_sockets()
 * or tw_view_events() runs as the CLI runs it, writing to /dev/null (or
 * -o FILE, to compare outputs).
 *
 *   tests/bench                  parse only, table and JSON at 10,000 and
 *                                50,000 rows; events, text and JSON, at
 *                                100,000 events
 *   tests/bench -n N [-j|-t|-p] [-r ROUNDS] [-o FILE] [-s SEED]
 *   tests/bench -e -n N [-j] [-r ROUNDS] [-o FILE] [-s SEED]
 *   tests/bench -f DUMP [-j|-t|-p] [-r ROUNDS] [-o FILE]
 *
 * -f: a GET_SOCKETS reply recorded from a module (its messages one after
 * another, fakenl_load()) in place of the synthetic rows: the same real
 * rows through two builds of the CLI, to compare their output.
 * -j: sockets -j (events -j with -e); -t: sockets --timers; -p: parse
 * only (a state filter that no row passes, as `sockets --state CLOSING`);
 * -e: `events -c N` over N events (the VM benchmark's: connections on
 * loopback opened and closed, ten events or so each), one batch of them
 * a wakeup.
 *
 * Prints the best of ROUNDS (5) runs per line: rows or events, view, CPU
 * ms, rate.  Under callgrind (make bench-ir) the first run alone is
 * counted, for the instructions per row or event.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if __has_include("valgrind/callgrind.h")
#include "valgrind/callgrind.h"
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#include "fakenl.h"
#include "views.h"

enum view { VIEW_TABLE, VIEW_JSON, VIEW_TIMERS, VIEW_PARSE, VIEW_EVENTS,
	    VIEW_EVENTS_JSON };

/* parse: --state CLOSING, which no row has: the dump parsed, no output */
static const char * const view_names[] = {
	"table", "json", "timers", "parse", "events", "events -j",
};

static bool is_events(enum view v)
{
	return v == VIEW_EVENTS || v == VIEW_EVENTS_JSON;
}

/*
 * The process's CPU time, user and system: the machine this runs on is
 * often busy with VM runs, and wall time would count their share too.
 */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static FILE *report;	/* the real stdout: stdout is the rows' sink */
static int quiet_fd = -1, stderr_fd = -1;	/* events: banners muted */

/* One `tcpwatch sockets` or `events -c @n` run; its CPU time in seconds. */
static double run_once(enum view v, size_t n)
{
	struct tw_opts o = { 0 };
	double t0;
	int ret;

	o.json = v == VIEW_JSON || v == VIEW_EVENTS_JSON;
	o.timers = v == VIEW_TIMERS;
	if (v == VIEW_PARSE)
		o.flt.states = 1U << 11;	/* TCP_CLOSING */
	o.count = n;
	t0 = now_s();
	if (is_events(v)) {
		/* "tracing TCP events, Ctrl-C to end" each run: not here */
		dup2(quiet_fd, STDERR_FILENO);
		ret = tw_view_events(&o);
		dup2(stderr_fd, STDERR_FILENO);
	} else {
		ret = tw_view_sockets(&o);
	}
	fflush(stdout);		/* what exit() would write */
	if (ret) {
		fprintf(stderr, "bench: the %s view returned %d\n",
			view_names[v], ret);
		exit(1);
	}
	return now_s() - t0;
}

static void bench(size_t n, enum view v, unsigned int rounds)
{
	double best = 0;
	unsigned int r;

	for (r = 0; r < rounds; r++) {
		double t;

		if (!r)
			CALLGRIND_START_INSTRUMENTATION;
		t = run_once(v, n);
		if (!r)
			CALLGRIND_STOP_INSTRUMENTATION;
		if (!r || t < best)
			best = t;
	}
	fprintf(report, "%8zu  %-9s  %8.1f ms  %10.0f %s/s\n", n,
		view_names[v], best * 1e3, n / best,
		is_events(v) ? "events" : "rows");
}

static void build(size_t n, bool events, unsigned int seed)
{
	size_t bytes;
	int ret;

	ret = events ? fakenl_build_events(n, seed, &bytes) :
		       fakenl_build(n, seed, &bytes);
	if (ret < 0) {
		fprintf(stderr, "bench: building %zu %s: %s\n", n,
			events ? "events" : "rows", strerror(errno));
		exit(1);
	}
}

static void usage(void)
{
	fputs("usage: bench [-n ROWS] [-j|-t|-p] [-r ROUNDS] [-o FILE] [-s SEED]\n"
	      "       bench -f DUMP [-j|-t|-p] [-r ROUNDS] [-o FILE]\n"
	      "       bench -e [-n EVENTS] [-j] [-r ROUNDS] [-o FILE] [-s SEED]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10000, 50000 };
	const size_t nev = 100000;
	const char *out = "/dev/null", *dump = NULL;
	unsigned int rounds = 5, seed = 1;
	enum view v = VIEW_TABLE;
	bool events = false;
	size_t n = 0, i;
	int c;

	while ((c = getopt(argc, argv, "n:jtper:o:s:f:")) != -1) {
		switch (c) {
		case 'f':
			dump = optarg;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'j':
			v = VIEW_JSON;
			break;
		case 't':
			v = VIEW_TIMERS;
			break;
		case 'p':
			v = VIEW_PARSE;
			break;
		case 'e':
			events = true;
			break;
		case 'r':
			rounds = strtoul(optarg, NULL, 10);
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			seed = strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !rounds ||
	    (events && (v == VIEW_TIMERS || v == VIEW_PARSE)))
		usage();
	if (events) {
		v = v == VIEW_JSON ? VIEW_EVENTS_JSON : VIEW_EVENTS;
		if (!n)
			n = nev;
	}
	/*
	 * Large arrays from mmap() every run, as in a fresh `tcpwatch`
	 * process, page faults included: glibc would otherwise keep them
	 * in its heap after the first run.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	report = fdopen(dup(STDOUT_FILENO), "w");
	stderr_fd = dup(STDERR_FILENO);
	quiet_fd = open("/dev/null", O_WRONLY);
	if (!report || stderr_fd < 0 || quiet_fd < 0 ||
	    !freopen(out, "w", stdout)) {
		fprintf(stderr, "bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	setvbuf(report, NULL, _IOLBF, 0);
	fprintf(report, "%8s  %-9s  %11s  %17s\n", "n", "view", "best",
		"rate");
	if (dump) {
		size_t bytes;

		if (events || fakenl_load(dump, &n, &bytes) < 0) {
			fprintf(stderr, "bench: %s: %s\n", dump,
				events ? "not with -e" : strerror(errno));
			return 1;
		}
		bench(n, v, rounds);
	} else if (n) {
		build(n, events, seed);
		bench(n, v, rounds);
	} else {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			build(sizes[i], false, seed);
			bench(sizes[i], VIEW_PARSE, rounds);
			bench(sizes[i], VIEW_TABLE, rounds);
			bench(sizes[i], VIEW_JSON, rounds);
		}
		build(nev, true, seed);
		bench(nev, VIEW_EVENTS, rounds);
		bench(nev, VIEW_EVENTS_JSON, rounds);
	}
	fakenl_free();
	fclose(report);
	return 0;
}
