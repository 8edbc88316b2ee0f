// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - runs every unit test table; usage: tests/unit [path/to/tcpwatch]
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "unit.h"

const char *tw_cli_path = "./tcpwatch";

static bool failed, skipped;

void tw_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failed = true;
}

void tw_skip(const char *why)
{
	fprintf(stderr, "  skipped: %s\n", why);
	skipped = true;
}

int main(int argc, char **argv)
{
	static const struct tw_test *tables[] = {
		format_tests, parse_tests, render_tests, timers_tests, nl_tests,
		cli_tests,
		prom_tests,
	};
	unsigned int pass = 0, fail = 0, skip = 0, i;
	const struct tw_test *t;

	if (argc > 1)
		tw_cli_path = argv[1];
	/* the clock and table tests expect UTC */
	setenv("TZ", "UTC", 1);
	tzset();
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		for (t = tables[i]; t->name; t++) {
			failed = skipped = false;
			fflush(stderr);
			t->fn();
			if (failed) {
				printf("FAIL %s\n", t->name);
				fail++;
			} else if (skipped) {
				printf("SKIP %s\n", t->name);
				skip++;
			} else {
				printf("PASS %s\n", t->name);
				pass++;
			}
		}
	}
	if (skip)
		printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	else
		printf("%u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
