// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - how fast `tcpwatch sockets` turns a dump into text or JSON,
 * without a module: fakenl.c plays the kernel behind libmnl's socket
 * calls, and tw_view_sockets() runs as the CLI runs it, writing to
 * /dev/null (or -o FILE, to compare outputs).
 *
 *   tests/bench                  parse only, table and JSON at 10,000 and
 *                                50,000 rows
 *   tests/bench -n N [-j|-t|-p] [-r ROUNDS] [-o FILE] [-s SEED]
 *
 * -j: sockets -j; -t: sockets --timers; -p: parse only (a state filter
 * that no row passes, as `sockets --state CLOSING`).
 *
 * Prints the best of ROUNDS (5) runs per line: rows, view, CPU ms, rows/s.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakenl.h"
#include "views.h"

enum view { VIEW_TABLE, VIEW_JSON, VIEW_TIMERS, VIEW_PARSE };

/* parse: --state CLOSING, which no row has: the dump parsed, no output */
static const char * const view_names[] = { "table", "json", "timers", "parse" };

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

/* One `tcpwatch sockets` run into stdout; its CPU time in seconds. */
static double run_once(enum view v)
{
	struct tw_opts o = { 0 };
	double t0;
	int ret;

	o.json = v == VIEW_JSON;
	o.timers = v == VIEW_TIMERS;
	if (v == VIEW_PARSE)
		o.flt.states = 1U << 11;	/* TCP_CLOSING */
	t0 = now_s();
	ret = tw_view_sockets(&o);
	fflush(stdout);		/* what exit() would write */
	if (ret) {
		fprintf(stderr, "bench: tw_view_sockets() returned %d\n", ret);
		exit(1);
	}
	return now_s() - t0;
}

static FILE *report;	/* the real stdout: stdout is the rows' sink */

static void bench(size_t n, enum view v, unsigned int rounds)
{
	double best = 0;
	unsigned int r;

	for (r = 0; r < rounds; r++) {
		double t = run_once(v);

		if (!r || t < best)
			best = t;
	}
	fprintf(report, "%8zu  %-6s  %8.1f ms  %10.0f rows/s\n", n,
		view_names[v], best * 1e3, n / best);
}

static void build(size_t n, unsigned int seed)
{
	size_t bytes;

	if (fakenl_build(n, seed, &bytes) < 0) {
		fprintf(stderr, "bench: building %zu rows: %s\n", n,
			strerror(errno));
		exit(1);
	}
}

static void usage(void)
{
	fputs("usage: bench [-n ROWS] [-j|-t|-p] [-r ROUNDS] [-o FILE] [-s SEED]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10000, 50000 };
	const char *out = "/dev/null";
	unsigned int rounds = 5, seed = 1;
	enum view v = VIEW_TABLE;
	size_t n = 0, i;
	int c;

	while ((c = getopt(argc, argv, "n:jtpr:o:s:")) != -1) {
		switch (c) {
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
	if (optind != argc || !rounds)
		usage();
	/*
	 * Large arrays from mmap() every run, as in a fresh `tcpwatch`
	 * process, page faults included: glibc would otherwise keep them
	 * in its heap after the first run.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	report = fdopen(dup(STDOUT_FILENO), "w");
	if (!report || !freopen(out, "w", stdout)) {
		fprintf(stderr, "bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	setvbuf(report, NULL, _IOLBF, 0);
	fprintf(report, "%8s  %-6s  %11s  %17s\n", "rows", "view", "best",
		"rate");
	if (n) {
		build(n, seed);
		bench(n, v, rounds);
	} else {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			build(sizes[i], seed);
			bench(sizes[i], VIEW_PARSE, rounds);
			bench(sizes[i], VIEW_TABLE, rounds);
			bench(sizes[i], VIEW_JSON, rounds);
		}
	}
	fakenl_free();
	fclose(report);
	return 0;
}
