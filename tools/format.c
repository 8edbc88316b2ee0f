// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - pure text helpers of the tcpwatch CLI.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "uapi/linux/tcpwatch.h"
#include "format.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Indexed by the kernel's TCP_* number; 0 is unused. */
static const char * const ss_names[TCPWATCH_NSTATES] = {
	[TW_TCP_ESTABLISHED] = "ESTAB",
	[TW_TCP_SYN_SENT] = "SYN-SENT",
	[TW_TCP_SYN_RECV] = "SYN-RECV",
	[TW_TCP_FIN_WAIT1] = "FIN-WAIT-1",
	[TW_TCP_FIN_WAIT2] = "FIN-WAIT-2",
	[TW_TCP_TIME_WAIT] = "TIME-WAIT",
	[TW_TCP_CLOSE] = "CLOSE",
	[TW_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TW_TCP_LAST_ACK] = "LAST-ACK",
	[TW_TCP_LISTEN] = "LISTEN",
	[TW_TCP_CLOSING] = "CLOSING",
	[TW_TCP_NEW_SYN_RECV] = "NEW-SYN-RECV",
};

static const char * const kernel_names[TCPWATCH_NSTATES] = {
	[TW_TCP_ESTABLISHED] = "ESTABLISHED",
	[TW_TCP_SYN_SENT] = "SYN_SENT",
	[TW_TCP_SYN_RECV] = "SYN_RECV",
	[TW_TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TW_TCP_FIN_WAIT2] = "FIN_WAIT2",
	[TW_TCP_TIME_WAIT] = "TIME_WAIT",
	[TW_TCP_CLOSE] = "CLOSE",
	[TW_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TW_TCP_LAST_ACK] = "LAST_ACK",
	[TW_TCP_LISTEN] = "LISTEN",
	[TW_TCP_CLOSING] = "CLOSING",
	[TW_TCP_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *tw_state_ss_name(unsigned int state)
{
	return state < TCPWATCH_NSTATES ? ss_names[state] : NULL;
}

const char *tw_state_kname(unsigned int state)
{
	return state < TCPWATCH_NSTATES ? kernel_names[state] : NULL;
}

const char *tw_state_str(unsigned int state)
{
	static char buf[24];
	const char *name = tw_state_ss_name(state);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "UNKNOWN(%u)", state);
	return buf;
}

const char *tw_state_kstr(unsigned int state)
{
	const char *name = tw_state_kname(state);

	return name ? name : "UNKNOWN";
}

unsigned int tw_state_shown(unsigned int state)
{
	return state == TW_TCP_NEW_SYN_RECV ? TW_TCP_SYN_RECV : state;
}

const char *tw_state_label(unsigned int state)
{
	if (state == TW_TCP_NEW_SYN_RECV)
		return "SYN-RECV (request socks)";
	return tw_state_str(state);
}

uint32_t tw_state_bits(unsigned int state)
{
	if (state == 0 || state >= TCPWATCH_NSTATES)
		return 0;
	if (state == TW_TCP_SYN_RECV)
		return (1U << TW_TCP_SYN_RECV) | (1U << TW_TCP_NEW_SYN_RECV);
	return 1U << state;
}

/* Case-insensitive, with '-' and '_' the same character. */
bool tw_name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ca = *a == '-' ? '_' : toupper((unsigned char)*a);
		int cb = *b == '-' ? '_' : toupper((unsigned char)*b);

		if (ca != cb)
			return false;
	}
	return *a == *b;
}

int tw_state_from_name(const char *name)
{
	unsigned int i;

	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		if (tw_name_eq(name, ss_names[i]) ||
		    tw_name_eq(name, kernel_names[i]))
			return i;
	}
	if (tw_name_eq(name, "UNCONN"))	/* what ss shows for CLOSE */
		return TW_TCP_CLOSE;
	return -1;
}

/* "all" or one name's bits for tw_parse_states(); 0 if unknown */
static uint32_t state_bits_of(const char *name)
{
	int st;

	if (tw_name_eq(name, "all"))
		return TW_ALL_STATES;
	st = tw_state_from_name(name);
	return st < 0 ? 0 : tw_state_bits(st);
}

int tw_parse_list(const char *arg, uint32_t (*bits_of)(const char *name),
		  uint32_t *mask, char *bad, size_t badlen)
{
	uint32_t m = 0, b;
	const char *p = arg;

	if (bad && badlen)
		bad[0] = '\0';
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char item[32];

		if (n == 0 || n >= sizeof(item)) {
			if (bad && badlen)
				snprintf(bad, badlen, "%.*s", (int)n, p);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		b = bits_of(item);
		if (!b) {
			if (bad && badlen)
				snprintf(bad, badlen, "%s", item);
			return -1;
		}
		m |= b;
		if (!end)
			break;
		p = end + 1;
	}
	*mask = m;
	return 0;
}

int tw_parse_states(const char *arg, uint32_t *mask, char *bad, size_t badlen)
{
	return tw_parse_list(arg, state_bits_of, mask, bad, badlen);
}

static int parse_ulong(const char *arg, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!arg || !isdigit((unsigned char)arg[0]))
		return -1;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int tw_parse_port(const char *arg, uint16_t *port)
{
	unsigned long v;

	if (parse_ulong(arg, 65535, &v) || v == 0)
		return -1;
	*port = v;
	return 0;
}

int tw_parse_count(const char *arg, unsigned long *count)
{
	unsigned long v;

	if (parse_ulong(arg, ~0UL, &v) || v == 0)
		return -1;
	*count = v;
	return 0;
}

int tw_parse_range(const char *arg, unsigned long min, unsigned long max,
		   unsigned long *out)
{
	unsigned long v;

	if (parse_ulong(arg, max, &v) || v < min)
		return -1;
	*out = v;
	return 0;
}

int tw_parse_seconds_ms(const char *arg, unsigned long min_ms,
			unsigned long max_ms, unsigned long *ms)
{
	unsigned long whole, frac = 0, scale = 100;
	const char *dot;
	char buf[32];

	if (!arg || strlen(arg) >= sizeof(buf))
		return -1;
	dot = strchr(arg, '.');
	snprintf(buf, sizeof(buf), "%.*s",
		 dot ? (int)(dot - arg) : (int)strlen(arg), arg);
	if (parse_ulong(buf, max_ms / 1000 + 1, &whole))
		return -1;
	if (dot) {
		const char *p = dot + 1;

		if (!*p)
			return -1;
		for (; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return -1;
			frac += (*p - '0') * scale;	/* digits past ms dropped */
			scale /= 10;
		}
	}
	whole = whole * 1000 + frac;
	if (whole < min_ms || whole > max_ms)
		return -1;
	*ms = whole;
	return 0;
}

int tw_parse_flow(const char *arg, int *family, uint8_t *addr,
		  uint16_t *port)
{
	const char *colon;
	char host[INET6_ADDRSTRLEN + 2];
	size_t n;

	*family = 0;
	if (!arg)
		return -1;
	colon = strrchr(arg, ':');
	if (!colon)
		return tw_parse_port(arg, port);
	if (tw_parse_port(colon + 1, port))
		return -1;
	n = colon - arg;
	if (!n || n >= sizeof(host))
		return -1;
	memcpy(host, arg, n);
	host[n] = '\0';
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return -1;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, addr) != 1)
			return -1;
		*family = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, host, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	return -1;	/* a bare IPv6 address needs its brackets */
}

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

char *tw_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	unsigned long long s = ns / NSEC_PER_SEC;

	if (ns < NSEC_PER_USEC)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < NSEC_PER_MSEC)
		snprintf(buf, len, "%lluus",
			 (unsigned long long)(ns / NSEC_PER_USEC));
	else if (ns < NSEC_PER_SEC)
		snprintf(buf, len, "%llums",
			 (unsigned long long)(ns / NSEC_PER_MSEC));
	else if (s < 60)
		snprintf(buf, len, "%llu.%llus", s,
			 (unsigned long long)(ns % NSEC_PER_SEC /
					      (NSEC_PER_SEC / 10)));
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%llud%02lluh", s / 86400, s % 86400 / 3600);
	return buf;
}

char *tw_fmt_usecs(char *buf, size_t len, uint64_t us)
{
	if (us < 1000)
		snprintf(buf, len, "%lluus", (unsigned long long)us);
	else if (us < 10000)
		snprintf(buf, len, "%llu.%02llums",
			 (unsigned long long)(us / 1000),
			 (unsigned long long)(us % 1000 / 10));
	else if (us < 1000000)
		snprintf(buf, len, "%llu.%llums",
			 (unsigned long long)(us / 1000),
			 (unsigned long long)(us % 1000 / 100));
	else if (us < 60000000)
		snprintf(buf, len, "%llu.%02llus",
			 (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000 / 10000));
	else
		tw_fmt_duration(buf, len, us * NSEC_PER_USEC);
	return buf;
}

char *tw_fmt_addr(char *buf, size_t len, int family, const uint8_t *addr)
{
	char tmp[INET6_ADDRSTRLEN];

	if ((family != AF_INET && family != AF_INET6) ||
	    !inet_ntop(family, addr, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	snprintf(buf, len, "%s", tmp);
	return buf;
}

char *tw_fmt_endpoint(char *buf, size_t len, int family,
		      const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN], p[8];

	tw_fmt_addr(a, sizeof(a), family, addr);
	if (port)
		snprintf(p, sizeof(p), "%u", port);
	else
		snprintf(p, sizeof(p), "*");
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", a, p);
	else
		snprintf(buf, len, "%s:%s", a, p);
	return buf;
}

char *tw_fmt_clock(char *buf, size_t len, uint64_t realtime_ns)
{
	time_t sec = realtime_ns / NSEC_PER_SEC;
	unsigned int usec = realtime_ns % NSEC_PER_SEC / NSEC_PER_USEC;
	struct tm tm;

	if (!localtime_r(&sec, &tm))
		memset(&tm, 0, sizeof(tm));
	snprintf(buf, len, "%02d:%02d:%02d.%06u",
		 tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	return buf;
}

/* Length of the valid UTF-8 sequence at @s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

struct sink {
	char *dst;
	size_t cap;
	size_t len;
};

static void sink_put(struct sink *k, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, k->len++)
		if (k->cap && k->len < k->cap - 1)
			k->dst[k->len] = s[i];
}

size_t tw_json_escape(char *dst, size_t dstlen, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	struct sink k = { dst, dstlen, 0 };
	char esc[8];
	size_t n;

	sink_put(&k, "\"", 1);
	while (*s) {
		switch (*s) {
		case '"':
			sink_put(&k, "\\\"", 2);
			break;
		case '\\':
			sink_put(&k, "\\\\", 2);
			break;
		case '\b':
			sink_put(&k, "\\b", 2);
			break;
		case '\f':
			sink_put(&k, "\\f", 2);
			break;
		case '\n':
			sink_put(&k, "\\n", 2);
			break;
		case '\r':
			sink_put(&k, "\\r", 2);
			break;
		case '\t':
			sink_put(&k, "\\t", 2);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				snprintf(esc, sizeof(esc), "\\u%04x", *s);
				sink_put(&k, esc, 6);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				sink_put(&k, "\\ufffd", 6);
				break;
			}
			sink_put(&k, (const char *)s, n);
			s += n;
			continue;
		}
		s++;
	}
	sink_put(&k, "\"", 1);
	if (dstlen)
		dst[k.len < dstlen ? k.len : dstlen - 1] = '\0';
	return k.len;
}

void tw_json_str(FILE *f, const char *src)
{
	char small[128], *buf = small;
	size_t n = tw_json_escape(small, sizeof(small), src);

	if (n >= sizeof(small)) {
		buf = malloc(n + 1);
		if (!buf) {
			fputs("null", f);
			return;
		}
		tw_json_escape(buf, n + 1, src);
	}
	fputs(buf, f);
	if (buf != small)
		free(buf);
}

void tw_table_init(struct tw_table *t, unsigned int ncols,
		   const char * const *headers, const enum tw_align *align)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = headers;
	t->align = align;
}

int tw_table_add(struct tw_table *t, const char * const *row)
{
	unsigned int c;
	char **cells;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		cells = realloc(t->cells, cap * t->ncols * sizeof(*cells));
		if (!cells)
			return -1;
		t->cells = cells;
		t->cap = cap;
	}
	cells = t->cells + t->nrows * t->ncols;
	for (c = 0; c < t->ncols; c++) {
		cells[c] = strdup(row[c] ? row[c] : "");
		if (!cells[c]) {
			while (c--)
				free(cells[c]);
			return -1;
		}
	}
	t->nrows++;
	return 0;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void print_cell(FILE *f, const char *s, size_t width,
		       enum tw_align align, bool last)
{
	size_t w = text_width(s), pad = width > w ? width - w : 0;

	if (align == TW_RIGHT)
		fprintf(f, "%*s", (int)pad, "");
	fputs(s, f);
	if (align == TW_LEFT && !last)
		fprintf(f, "%*s", (int)pad, "");
}

#define TABLE_MAX_COLS	32

static unsigned int table_cols(const struct tw_table *t)
{
	return t->ncols < TABLE_MAX_COLS ? t->ncols : TABLE_MAX_COLS;
}

static void table_widths(const struct tw_table *t,
			 size_t width[TABLE_MAX_COLS])
{
	unsigned int c, n = table_cols(t);
	size_t r;

	for (c = 0; c < n; c++)
		width[c] = text_width(t->headers[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < n; c++) {
			size_t w = text_width(t->cells[r * t->ncols + c]);

			if (w > width[c])
				width[c] = w;
		}
}

/* One line of @t: its header (@row NULL) or one of its rows. */
static void table_line(FILE *f, const struct tw_table *t, const size_t *width,
		       const char *indent, const size_t *row)
{
	unsigned int c, n = table_cols(t);

	fputs(indent, f);
	for (c = 0; c < n; c++) {
		if (c)
			fputs("  ", f);
		print_cell(f, row ? t->cells[*row * t->ncols + c] :
			   t->headers[c], width[c],
			   t->align ? t->align[c] : TW_LEFT, c == n - 1);
	}
	fputc('\n', f);
}

void tw_table_print(FILE *f, const struct tw_table *t)
{
	tw_table_print_sub(f, t, NULL);
}

void tw_table_print_sub(FILE *f, const struct tw_table *t,
			const struct tw_table *sub)
{
	size_t width[TABLE_MAX_COLS] = { 0 }, swidth[TABLE_MAX_COLS] = { 0 };
	size_t r;

	table_widths(t, width);
	table_line(f, t, width, "", NULL);
	if (sub) {
		table_widths(sub, swidth);
		table_line(f, sub, swidth, "  ", NULL);
	}
	for (r = 0; r < t->nrows; r++) {
		table_line(f, t, width, "", &r);
		if (sub && r < sub->nrows)
			table_line(f, sub, swidth, "  ", &r);
	}
}

void tw_table_free(struct tw_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

#define HIST_STARS	40

void tw_print_log2_hist(FILE *f, const uint64_t *slots, unsigned int nslots,
			const char *unit)
{
	unsigned int i, first = nslots, last = 0;
	uint64_t max = 0;
	char stars[HIST_STARS + 1];

	for (i = 0; i < nslots; i++) {
		if (!slots[i])
			continue;
		if (first == nslots)
			first = i;
		last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (!max)
		return;
	fprintf(f, "     %-19s : count     distribution\n", unit);
	for (i = first; i <= last; i++) {
		unsigned long long low = i ? 1ULL << (i - 1) : 0;
		unsigned long long high = i ? (1ULL << i) - 1 : 0;
		/* like bcc: floor(width * val / max) stars */
		unsigned int n = (__uint128_t)slots[i] * HIST_STARS / max;
		char hi[24];

		memset(stars, '*', n);
		stars[n] = '\0';
		if (i == nslots - 1)
			snprintf(hi, sizeof(hi), "inf");
		else
			snprintf(hi, sizeof(hi), "%llu", high);
		fprintf(f, "%10llu -> %-10s : %-8llu |%-*s|\n", low, hi,
			(unsigned long long)slots[i], HIST_STARS, stars);
	}
}
