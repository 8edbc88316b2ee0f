// SPDX-License-Identifier: GPL-2.0
/*
 * test_format.c - durations, addresses, state names, option values, JSON
 * escaping, clock times, tables and histograms.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "format.h"
#include "uapi/linux/tcpwatch.h"
#include "unit.h"

static const char *dur(uint64_t ns)
{
	static char buf[32];

	return tw_fmt_duration(buf, sizeof(buf), ns);
}

static void test_duration(void)
{
	CHECK_STR(dur(0), "0ns");
	CHECK_STR(dur(999), "999ns");
	CHECK_STR(dur(1000), "1us");
	CHECK_STR(dur(999999), "999us");
	CHECK_STR(dur(1000000), "1ms");
	CHECK_STR(dur(999999999), "999ms");
	CHECK_STR(dur(1000000000), "1.0s");
	CHECK_STR(dur(1200000000), "1.2s");
	CHECK_STR(dur(1299999999), "1.2s");	/* truncated, not rounded */
	CHECK_STR(dur(59999999999ULL), "59.9s");
	CHECK_STR(dur(60000000000ULL), "1m00s");
	CHECK_STR(dur(184000000000ULL), "3m04s");
	CHECK_STR(dur(3599999999999ULL), "59m59s");
	CHECK_STR(dur(3600000000000ULL), "1h00m");
	CHECK_STR(dur(7500000000000ULL), "2h05m");
	CHECK_STR(dur(86399999999999ULL), "23h59m");
	CHECK_STR(dur(86400000000000ULL), "1d00h");
	CHECK_STR(dur(273600000000000ULL), "3d04h");
	CHECK_STR(dur(UINT64_MAX), "213503d23h");
}

static void test_duration_small_buffer(void)
{
	char buf[4];

	tw_fmt_duration(buf, sizeof(buf), 184000000000ULL);
	CHECK_STR(buf, "3m0");
}

static const char *ep(int family, const char *addr, uint16_t port)
{
	static char buf[64];
	uint8_t raw[16];

	if (inet_pton(family, addr, raw) != 1)
		return "inet_pton failed";
	return tw_fmt_endpoint(buf, sizeof(buf), family, raw, port);
}

static void test_addr_v4(void)
{
	uint8_t raw[4] = { 192, 0, 2, 1 };
	char buf[64];

	CHECK_STR(ep(AF_INET, "10.0.0.1", 22), "10.0.0.1:22");
	CHECK_STR(ep(AF_INET, "255.255.255.255", 65535),
		  "255.255.255.255:65535");
	CHECK_STR(ep(AF_INET, "0.0.0.0", 0), "0.0.0.0:*");
	CHECK_STR(tw_fmt_addr(buf, sizeof(buf), AF_INET, raw), "192.0.2.1");
}

static void test_addr_v6(void)
{
	uint8_t raw[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char buf[64];

	CHECK_STR(ep(AF_INET6, "2001:db8::1", 443), "[2001:db8::1]:443");
	CHECK_STR(ep(AF_INET6, "::", 0), "[::]:*");
	CHECK_STR(ep(AF_INET6, "::1", 8080), "[::1]:8080");
	CHECK_STR(ep(AF_INET6, "::ffff:192.0.2.1", 80),
		  "[::ffff:192.0.2.1]:80");
	CHECK_STR(ep(AF_INET6, "fe80::1:2:3:4", 1), "[fe80::1:2:3:4]:1");
	CHECK_STR(ep(AF_INET6, "2001:db8:1:2:3:4:5:6", 65535),
		  "[2001:db8:1:2:3:4:5:6]:65535");
	CHECK_STR(tw_fmt_addr(buf, sizeof(buf), AF_INET6, raw),
		  "2001:db8::1");
	CHECK_STR(tw_fmt_addr(buf, sizeof(buf), 99, raw), "?");
}

/* @raw formatted by tw_fmt_addr() as by inet_ntop(); false if not. */
static bool same_as_ntop(int family, const uint8_t *raw)
{
	char want[INET6_ADDRSTRLEN], got[64];

	inet_ntop(family, raw, want, sizeof(want));
	tw_fmt_addr(got, sizeof(got), family, raw);
	if (!strcmp(got, want))
		return true;
	tw_fail(__FILE__, __LINE__, "got %s, inet_ntop says %s", got, want);
	return false;
}

/*
 * tw_fmt_addr() writes addresses itself (inet_ntop() costs a sprintf() a
 * byte): every IPv6 address whose words are 0, 1 or ffff (where "::"
 * goes, IPv4-mapped and -compatible forms), random ones with zero runs,
 * and every value of each IPv4 byte.
 */
static void test_addr_like_inet_ntop(void)
{
	static const unsigned int words[] = { 0, 1, 0xffff };
	uint32_t seed = 1;
	uint8_t raw[16];
	unsigned int i, j, k;

	for (i = 0; i < 6561; i++) {
		for (j = 0, k = i; j < 8; j++, k /= 3) {
			raw[2 * j] = words[k % 3] >> 8;
			raw[2 * j + 1] = words[k % 3];
		}
		if (!same_as_ntop(AF_INET6, raw))
			return;
	}
	for (i = 0; i < 5000; i++) {
		for (j = 0; j < 16; j += 2) {
			seed = seed * 1103515245U + 12345U;
			raw[j] = seed % 3 ? 0 : seed >> 24;
			raw[j + 1] = seed % 5 ? 0 : seed >> 16;
		}
		if (!same_as_ntop(AF_INET6, raw))
			return;
	}
	for (i = 0; i < 256; i++) {
		for (j = 0; j < 4; j++) {
			memset(raw, 0, 4);
			raw[j] = i;
			raw[3 - j] |= 255 - i;
			if (!same_as_ntop(AF_INET, raw))
				return;
		}
	}
}

static void test_state_names(void)
{
	static const char * const ss[] = {
		NULL, "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
		"FIN-WAIT-2", "TIME-WAIT", "CLOSE", "CLOSE-WAIT", "LAST-ACK",
		"LISTEN", "CLOSING", "NEW-SYN-RECV",
	};
	static const char * const kern[] = {
		NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING", "NEW_SYN_RECV",
	};
	unsigned int i;

	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		CHECK_STR(tw_state_ss_name(i), ss[i]);
		CHECK_STR(tw_state_kname(i), kern[i]);
		CHECK_STR(tw_state_str(i), ss[i]);
		CHECK_EQ(tw_state_from_name(ss[i]), i);
		CHECK_EQ(tw_state_from_name(kern[i]), i);
	}
	CHECK(tw_state_ss_name(0) == NULL);
	CHECK(tw_state_kname(13) == NULL);
	CHECK_STR(tw_state_str(0), "UNKNOWN(0)");
	CHECK_STR(tw_state_str(200), "UNKNOWN(200)");
	CHECK_STR(tw_state_kstr(13), "UNKNOWN");
}

/* Request socks: SYN-RECV in socket tables, their own row in stats. */
static void test_state_request_socks(void)
{
	unsigned int i;

	CHECK_EQ(tw_state_shown(TW_TCP_NEW_SYN_RECV), TW_TCP_SYN_RECV);
	for (i = 0; i < TCPWATCH_NSTATES + 2; i++)
		if (i != TW_TCP_NEW_SYN_RECV)
			CHECK_EQ(tw_state_shown(i), i);
	CHECK_STR(tw_state_label(TW_TCP_NEW_SYN_RECV),
		  "SYN-RECV (request socks)");
	CHECK_STR(tw_state_label(TW_TCP_SYN_RECV), "SYN-RECV");
	CHECK_STR(tw_state_label(TW_TCP_ESTABLISHED), "ESTAB");
	CHECK_STR(tw_state_label(0), "UNKNOWN(0)");
	CHECK_STR(tw_state_kname(TW_TCP_NEW_SYN_RECV), "NEW_SYN_RECV");
}

static void test_state_bits(void)
{
	unsigned int i;

	CHECK_EQ(tw_state_bits(TW_TCP_SYN_RECV), (1U << 3) | (1U << 12));
	CHECK_EQ(tw_state_bits(TW_TCP_NEW_SYN_RECV), 1U << 12);
	CHECK_EQ(tw_state_bits(TW_TCP_ESTABLISHED), 1U << 1);
	CHECK_EQ(tw_state_bits(0), 0);
	CHECK_EQ(tw_state_bits(TCPWATCH_NSTATES), 0);
	CHECK_EQ(tw_state_bits(200), 0);
	for (i = 1; i < TCPWATCH_NSTATES; i++)
		CHECK((tw_state_bits(i) & ~TW_ALL_STATES) == 0);
}

static void test_state_parse(void)
{
	CHECK_EQ(tw_state_from_name("estab"), 1);
	CHECK_EQ(tw_state_from_name("Established"), 1);
	CHECK_EQ(tw_state_from_name("time-wait"), 6);
	CHECK_EQ(tw_state_from_name("Time_Wait"), 6);
	CHECK_EQ(tw_state_from_name("fin-wait-1"), 4);
	CHECK_EQ(tw_state_from_name("fin_wait1"), 4);
	CHECK_EQ(tw_state_from_name("FIN-WAIT2"), 5);
	CHECK_EQ(tw_state_from_name("syn_recv"), 3);
	CHECK_EQ(tw_state_from_name("new-syn-recv"), 12);
	CHECK_EQ(tw_state_from_name("close"), 7);
	CHECK_EQ(tw_state_from_name("unconn"), 7);
	CHECK_EQ(tw_state_from_name("close_wait"), 8);
	CHECK_EQ(tw_state_from_name("last-ack"), 9);
	CHECK_EQ(tw_state_from_name("listen"), 10);
	CHECK_EQ(tw_state_from_name("closing"), 11);
}

static void test_state_parse_errors(void)
{
	CHECK(tw_state_from_name("") < 0);
	CHECK(tw_state_from_name("estab ") < 0);
	CHECK(tw_state_from_name("FINWAIT1") < 0);
	CHECK(tw_state_from_name("fin-wait-3") < 0);
	CHECK(tw_state_from_name("ESTABLISHEDX") < 0);
	CHECK(tw_state_from_name("EST") < 0);
	CHECK(tw_state_from_name("all") < 0);
	CHECK(tw_state_from_name("12") < 0);
}

static void test_state_list(void)
{
	uint32_t mask = 0;
	char bad[64];

	CHECK_EQ(tw_parse_states("estab", &mask, bad, sizeof(bad)), 0);
	CHECK_EQ(mask, 1U << 1);
	CHECK_EQ(tw_parse_states("ESTABLISHED,listen,Time-Wait", &mask, bad,
				 sizeof(bad)), 0);
	CHECK_EQ(mask, (1U << 1) | (1U << 10) | (1U << 6));
	CHECK_EQ(tw_parse_states("all", &mask, bad, sizeof(bad)), 0);
	CHECK_EQ(mask, TW_ALL_STATES);
	CHECK_EQ(mask, 0x1ffe);
	CHECK_EQ(tw_parse_states("ALL,estab", &mask, NULL, 0), 0);
	CHECK_EQ(mask, TW_ALL_STATES);
	/* SYN-RECV as ss means it: full sockets and request socks */
	CHECK_EQ(tw_parse_states("syn-recv", &mask, bad, sizeof(bad)), 0);
	CHECK_EQ(mask, (1U << 3) | (1U << 12));
	CHECK_EQ(tw_parse_states("SYN_RECV", &mask, bad, sizeof(bad)), 0);
	CHECK_EQ(mask, (1U << 3) | (1U << 12));
	CHECK_EQ(tw_parse_states("new-syn-recv", &mask, bad, sizeof(bad)), 0);
	CHECK_EQ(mask, 1U << 12);
	CHECK_EQ(tw_parse_states("NEW_SYN_RECV,listen", &mask, bad,
				 sizeof(bad)), 0);
	CHECK_EQ(mask, (1U << 12) | (1U << 10));
}

static void test_state_list_errors(void)
{
	uint32_t mask = 42;
	char bad[64];

	CHECK(tw_parse_states("estab,bogus", &mask, bad, sizeof(bad)) < 0);
	CHECK_STR(bad, "bogus");
	CHECK_EQ(mask, 42);	/* untouched on error */
	CHECK(tw_parse_states("estab,,listen", &mask, bad, sizeof(bad)) < 0);
	CHECK_STR(bad, "");
	CHECK(tw_parse_states("estab,", &mask, bad, sizeof(bad)) < 0);
	CHECK(tw_parse_states(",estab", &mask, bad, sizeof(bad)) < 0);
	CHECK(tw_parse_states("", &mask, bad, sizeof(bad)) < 0);
	CHECK(tw_parse_states("established-and-then-some-more-chars",
			      &mask, bad, sizeof(bad)) < 0);
	CHECK_STR(bad, "established-and-then-some-more-chars");
	CHECK(tw_parse_states("estab listen", &mask, bad, sizeof(bad)) < 0);
	CHECK_STR(bad, "estab listen");
}

static void test_port_parse(void)
{
	uint16_t port = 0;

	CHECK_EQ(tw_parse_port("22", &port), 0);
	CHECK_EQ(port, 22);
	CHECK_EQ(tw_parse_port("1", &port), 0);
	CHECK_EQ(port, 1);
	CHECK_EQ(tw_parse_port("65535", &port), 0);
	CHECK_EQ(port, 65535);
	CHECK_EQ(tw_parse_port("00080", &port), 0);
	CHECK_EQ(port, 80);
}

static void test_port_parse_errors(void)
{
	static const char * const bad[] = {
		"", "0", "65536", "-1", "+1", " 22", "22 ", "22x", "abc",
		"0x16", "1e3", "99999999999999999999999", "4294967318",
	};
	uint16_t port = 7;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (tw_parse_port(bad[i], &port) == 0)
			tw_fail(__FILE__, __LINE__, "port \"%s\" accepted",
				bad[i]);
	}
	CHECK(tw_parse_port(NULL, &port) < 0);
	CHECK_EQ(port, 7);
}

static void test_count_parse(void)
{
	unsigned long n = 0;

	CHECK_EQ(tw_parse_count("1", &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(tw_parse_count("1000000", &n), 0);
	CHECK_EQ(n, 1000000);
	CHECK(tw_parse_count("0", &n) < 0);
	CHECK(tw_parse_count("-5", &n) < 0);
	CHECK(tw_parse_count("5s", &n) < 0);
	CHECK(tw_parse_count("", &n) < 0);
}

static const char *jesc(const char *s)
{
	static char buf[256];

	tw_json_escape(buf, sizeof(buf), s);
	return buf;
}

static void test_json_escape(void)
{
	CHECK_STR(jesc("sshd"), "\"sshd\"");
	CHECK_STR(jesc(""), "\"\"");
	CHECK_STR(jesc("a\"b"), "\"a\\\"b\"");
	CHECK_STR(jesc("back\\slash"), "\"back\\\\slash\"");
	CHECK_STR(jesc("\"\\\""), "\"\\\"\\\\\\\"\"");
	CHECK_STR(jesc("tab\there"), "\"tab\\there\"");
	CHECK_STR(jesc("nl\ncr\r"), "\"nl\\ncr\\r\"");
	CHECK_STR(jesc("\b\f"), "\"\\b\\f\"");
	CHECK_STR(jesc("\x01\x1f"), "\"\\u0001\\u001f\"");
	CHECK_STR(jesc("del\x7f"), "\"del\\u007f\"");
	CHECK_STR(jesc("kworker/0:1"), "\"kworker/0:1\"");
	CHECK_STR(jesc("caf\xc3\xa9"), "\"caf\xc3\xa9\"");	/* UTF-8 kept */
	CHECK_STR(jesc("\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	CHECK_STR(jesc("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
}

static void test_json_escape_invalid_utf8(void)
{
	CHECK_STR(jesc("a\xff" "b"), "\"a\\ufffdb\"");
	CHECK_STR(jesc("\xc3"), "\"\\ufffd\"");		/* truncated */
	CHECK_STR(jesc("\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_STR(jesc("\xed\xa0\x80"),				/* surrogate */
		  "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(jesc("\xf4\x90\x80\x80"),			/* > U+10FFFF */
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void test_json_escape_truncation(void)
{
	char small[6];
	size_t n;

	n = tw_json_escape(small, sizeof(small), "a\"bcdef");
	CHECK_EQ(n, strlen("\"a\\\"bcdef\""));
	CHECK_STR(small, "\"a\\\"b");
	n = tw_json_escape(NULL, 0, "x\n");
	CHECK_EQ(n, 5);
}

static void test_json_str_long(void)
{
	char in[400], *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	memset(in, '"', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	tw_json_str(f, in);
	fclose(f);
	CHECK_EQ(len, 2 + 2 * 399);
	CHECK(out && out[0] == '"' && out[1] == '\\' && out[len - 1] == '"');
	free(out);
}

static void test_clock(void)
{
	char buf[32];

	/* run.c sets TZ=UTC; 1700000000 is 2023-11-14 22:13:20 UTC */
	CHECK_STR(tw_fmt_clock(buf, sizeof(buf), 1700000000123456789ULL),
		  "22:13:20.123456");
	CHECK_STR(tw_fmt_clock(buf, sizeof(buf), 0), "00:00:00.000000");
	CHECK_STR(tw_fmt_clock(buf, sizeof(buf), 86399999999999ULL),
		  "23:59:59.999999");
}

/*
 * tw_put_clock() keeps the last second's "HH:MM:SS": every call still
 * gives localtime's, whether the second changes or not.
 */
static void test_clock_each_second(void)
{
	static const uint64_t secs[] = {
		1700000000, 1700000000, 1700000001, 1700000000, 86399, 86400,
		86400, 0, 1700003600,
	};
	char got[32], want[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(secs); i++) {
		uint64_t ns = secs[i] * 1000000000ULL + i * 1000 + 999;
		time_t t = secs[i];
		struct tm tm;

		localtime_r(&t, &tm);
		snprintf(want, sizeof(want), "%02d:%02d:%02d.%06u",
			 tm.tm_hour, tm.tm_min, tm.tm_sec, i);
		CHECK_STR(tw_fmt_clock(got, sizeof(got), ns), want);
		memset(got, 'x', sizeof(got));
		CHECK_EQ(tw_put_clock(got, ns) - got, TW_CLOCK_LEN);
		CHECK(!memcmp(got, want, TW_CLOCK_LEN) && got[TW_CLOCK_LEN] == 'x');
	}
}

/* Decimal numbers written in place: every digit count, both edges. */
static void test_put_u64(void)
{
	uint64_t v, p10 = 1;
	char got[32], want[32];
	unsigned int d;

	for (d = 1; d <= 20; d++) {
		const uint64_t vals[] = { p10 - 1, p10, p10 + 1, 2 * p10 - 1 };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(vals); i++) {
			v = vals[i];
			*tw_put_u64(got, v) = '\0';
			snprintf(want, sizeof(want), "%" PRIu64, v);
			CHECK_STR(got, want);
			CHECK_EQ(tw_ndigits(v), strlen(want));
		}
		if (d < 20)
			p10 *= 10;
	}
	*tw_put_u64(got, UINT64_MAX) = '\0';
	CHECK_STR(got, "18446744073709551615");
}

/* tw_json_put() writes what tw_json_escape() does. */
static void test_json_put(void)
{
	static const char * const strs[] = {
		"", "sshd", "nginx: worker", "a\\b\"c", "\x01\x1f\x7f\n\t",
		"caf\xc3\xa9", "\xff\xfe", "\xe2\x82", "\xf0\x9f\x98\x80!",
		"\xed\xa0\x80",
	};
	char got[128], want[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		tw_json_escape(want, sizeof(want), strs[i]);
		*tw_json_put(got, strs[i]) = '\0';
		CHECK_STR(got, want);
	}
}

/*
 * An address written in place stays within TW_ADDR_MAX bytes (ntop4()
 * writes past its digits), an endpoint within TW_ENDPOINT_MAX.
 */
static void test_put_addr_room(void)
{
	static const uint8_t v4[4] = { 255, 255, 255, 255 };
	static const uint8_t mapped[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 255, 255, 255, 7,
	};
	static const uint8_t full[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	char buf[TW_ENDPOINT_MAX + 8], *end;

	memset(buf, 'x', sizeof(buf));
	end = tw_put_addr(buf, AF_INET, v4);
	CHECK_EQ(end - buf, 15);
	CHECK(!memcmp(buf, "255.255.255.255", 15));
	CHECK(buf[TW_ADDR_MAX] == 'x');
	memset(buf, 'x', sizeof(buf));
	end = tw_put_addr(buf, AF_INET6, mapped);
	CHECK_EQ(end - buf, 20);
	CHECK(!memcmp(buf, "::ffff:255.255.255.7", 20));
	CHECK(buf[TW_ADDR_MAX] == 'x');
	memset(buf, 'x', sizeof(buf));
	end = tw_put_endpoint(buf, AF_INET6, full, 65535);
	CHECK_EQ(end - buf, TW_ENDPOINT_MAX - 6);
	CHECK(buf[TW_ENDPOINT_MAX] == 'x');
}

static void test_table(void)
{
	static const char * const hdr[] = { "State", "Count", "Who" };
	static const enum tw_align al[] = { TW_LEFT, TW_RIGHT, TW_LEFT };
	const char *r1[] = { "ESTAB", "7", "sshd" };
	const char *r2[] = { "NEW-SYN-RECV", "12345", "caf\xc3\xa9" };
	const char *r3[] = { "X", "", "" };
	struct tw_table t;
	char *out = NULL;
	size_t len;
	FILE *f;

	f = open_memstream(&out, &len);
	tw_table_init(&t, 3, hdr, al);
	CHECK_EQ(tw_table_add(&t, r1), 0);
	CHECK_EQ(tw_table_add(&t, r2), 0);
	CHECK_EQ(tw_table_add(&t, r3), 0);
	tw_table_print(f, &t);
	tw_table_free(&t);
	fclose(f);
	CHECK_STR(out,
		  "State         Count  Who\n"
		  "ESTAB             7  sshd\n"
		  "NEW-SYN-RECV  12345  caf\xc3\xa9\n"
		  "X                    \n");
	free(out);
}

/* A second line per row, aligned among the second lines. */
static void test_table_sub(void)
{
	static const char * const hdr[] = { "Listener", "Backlog" };
	static const enum tw_align al[] = { TW_LEFT, TW_RIGHT };
	static const char * const shdr[] = { "SYNs", "Drops" };
	static const enum tw_align sal[] = { TW_RIGHT, TW_RIGHT };
	const char *r1[] = { "0.0.0.0:80", "511" };
	const char *r2[] = { "[::]:443", "4096" };
	const char *r3[] = { "127.0.0.1:8080", "-" };
	const char *s1[] = { "1234567", "0" };
	const char *s2[] = { "5", "-" };
	struct tw_table t, sub;
	char *out = NULL;
	size_t len;
	FILE *f;

	f = open_memstream(&out, &len);
	tw_table_init(&t, 2, hdr, al);
	tw_table_init(&sub, 2, shdr, sal);
	CHECK_EQ(tw_table_add(&t, r1), 0);
	CHECK_EQ(tw_table_add(&t, r2), 0);
	CHECK_EQ(tw_table_add(&t, r3), 0);
	CHECK_EQ(tw_table_add(&sub, s1), 0);
	CHECK_EQ(tw_table_add(&sub, s2), 0);
	/* the third row has no second line */
	tw_table_print_sub(f, &t, &sub);
	/* NULL: a plain table */
	tw_table_print_sub(f, &sub, NULL);
	tw_table_free(&t);
	tw_table_free(&sub);
	fclose(f);
	CHECK_STR(out,
		  "Listener        Backlog\n"
		  "     SYNs  Drops\n"
		  "0.0.0.0:80          511\n"
		  "  1234567      0\n"
		  "[::]:443           4096\n"
		  "        5      -\n"
		  "127.0.0.1:8080        -\n"
		  "   SYNs  Drops\n"
		  "1234567      0\n"
		  "      5      -\n");
	free(out);
}

static void test_table_many_rows(void)
{
	static const char * const hdr[] = { "N" };
	struct tw_table t;
	char num[16], *out = NULL;
	const char *row[1] = { num };
	size_t len;
	FILE *f = open_memstream(&out, &len);
	int i;

	tw_table_init(&t, 1, hdr, NULL);
	for (i = 0; i < 1000; i++) {
		snprintf(num, sizeof(num), "%d", i);
		CHECK_EQ(tw_table_add(&t, row), 0);
	}
	CHECK_EQ(t.nrows, 1000);
	tw_table_print(f, &t);
	tw_table_free(&t);
	fclose(f);
	CHECK_CONTAINS(out, "\n999\n");
	free(out);
}

static void test_log2_hist(void)
{
	uint64_t slots[TCPWATCH_HIST_SLOTS] = { 0 };
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	slots[1] = 1;
	slots[2] = 4;
	slots[4] = 2;
	tw_print_log2_hist(f, slots, TCPWATCH_HIST_SLOTS, "usecs");
	fclose(f);
	CHECK_STR(out,
		  "     usecs               : count     distribution\n"
		  "         1 -> 1          : 1        |**********                              |\n"
		  "         2 -> 3          : 4        |****************************************|\n"
		  "         4 -> 7          : 0        |                                        |\n"
		  "         8 -> 15         : 2        |********************                    |\n");
	free(out);
}

static void test_log2_hist_edges(void)
{
	uint64_t slots[TCPWATCH_HIST_SLOTS] = { 0 };
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	tw_print_log2_hist(f, slots, TCPWATCH_HIST_SLOTS, "usecs");
	fflush(f);
	CHECK_EQ(len, 0);		/* all zero: nothing */
	slots[0] = 3;
	slots[31] = UINT64_MAX;
	tw_print_log2_hist(f, slots, TCPWATCH_HIST_SLOTS, "usecs");
	fclose(f);
	CHECK_CONTAINS(out, "         0 -> 0          : 3        |  ");
	/* the last slot is open-ended: the module clamps into it */
	CHECK_CONTAINS(out, "1073741824 -> inf        : 18446744073709551615 |****************************************|\n");
	free(out);
}

const struct tw_test format_tests[] = {
	{ "format_duration", test_duration },
	{ "format_duration_small_buffer", test_duration_small_buffer },
	{ "format_addr_v4", test_addr_v4 },
	{ "format_addr_v6", test_addr_v6 },
	{ "format_addr_like_inet_ntop", test_addr_like_inet_ntop },
	{ "format_state_names", test_state_names },
	{ "format_state_request_socks", test_state_request_socks },
	{ "format_state_filter_bits", test_state_bits },
	{ "parse_state_names_both_styles", test_state_parse },
	{ "parse_state_name_errors", test_state_parse_errors },
	{ "parse_state_list", test_state_list },
	{ "parse_state_list_errors", test_state_list_errors },
	{ "parse_port", test_port_parse },
	{ "parse_port_errors", test_port_parse_errors },
	{ "parse_count", test_count_parse },
	{ "json_escape_comm", test_json_escape },
	{ "json_escape_invalid_utf8", test_json_escape_invalid_utf8 },
	{ "json_escape_truncation", test_json_escape_truncation },
	{ "json_str_long", test_json_str_long },
	{ "format_clock", test_clock },
	{ "format_clock_each_second", test_clock_each_second },
	{ "format_put_u64", test_put_u64 },
	{ "json_put_like_escape", test_json_put },
	{ "format_put_addr_room", test_put_addr_room },
	{ "format_table", test_table },
	{ "format_table_many_rows", test_table_many_rows },
	{ "format_table_second_lines", test_table_sub },
	{ "format_log2_hist", test_log2_hist },
	{ "format_log2_hist_edges", test_log2_hist_edges },
	{ NULL, NULL },
};
