/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit.h - the tcpwatch CLI's tiny unit test framework.  Each test file
 * exports a table of tests ending with { NULL, NULL }; run.c runs them and
 * prints "PASS name", "FAIL name" or "SKIP name" per test, then
 * "N passed, N failed".  Diagnostics go to stderr.
 */
#ifndef TCPWATCH_UNIT_H
#define TCPWATCH_UNIT_H

#include <stdio.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct tw_test {
	const char *name;
	void (*fn)(void);
};

extern const struct tw_test format_tests[];
extern const struct tw_test parse_tests[];
extern const struct tw_test render_tests[];
extern const struct tw_test timers_tests[];
extern const struct tw_test nl_tests[];
extern const struct tw_test cli_tests[];
extern const struct tw_test prom_tests[];

/* The tcpwatch binary the CLI tests run. */
extern const char *tw_cli_path;

__attribute__((format(printf, 3, 4)))
void tw_fail(const char *file, int line, const char *fmt, ...);
/* Marks the running test skipped, with a reason on stderr. */
void tw_skip(const char *why);

#define CHECK(c) do {							\
	if (!(c))							\
		tw_fail(__FILE__, __LINE__, "CHECK(%s)", #c);		\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long _a = (a), _b = (b);				\
	if (_a != _b)							\
		tw_fail(__FILE__, __LINE__, "%s: got %llu, want %llu",	\
			#a, _a, _b);					\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || strcmp(_a, _b))					\
		tw_fail(__FILE__, __LINE__,				\
			"%s:\n  got  \"%s\"\n  want \"%s\"", #a,	\
			_a ? _a : "(null)", _b);			\
} while (0)

#define CHECK_CONTAINS(hay, needle) do {				\
	const char *_h = (hay), *_n = (needle);				\
	if (!_h || !strstr(_h, _n))					\
		tw_fail(__FILE__, __LINE__,				\
			"%s does not contain \"%s\":\n%s", #hay, _n,	\
			_h ? _h : "(null)");				\
} while (0)

#endif /* TCPWATCH_UNIT_H */
