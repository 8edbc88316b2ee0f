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

size_t tw_strput(char *buf, size_t len, size_t at, const char *s, size_t n)
{
	if (at < len) {
		size_t k = n < len - 1 - at ? n : len - 1 - at;

		tw_copy(buf + at, s, k);
		buf[at + k] = '\0';
	}
	return at + n;
}

/*
 * @n bytes of @s into @buf as snprintf() would: truncated, NUL ended.
 * A few bytes, always: a plain loop.
 */
static char *put_str(char *buf, size_t len, const char *s, size_t n)
{
	size_t i;

	if (!len)
		return buf;
	for (i = 0; i < n && i < len - 1; i++)
		buf[i] = s[i];
	buf[i] = '\0';
	return buf;
}

/* @v in decimal at @p, zero padded to @width digits; returns the end. */
static char *put_dec(char *p, uint64_t v, unsigned int width)
{
	unsigned int n = tw_ndigits(v);
	char *end = p + (n < width ? width : n), *d = tw_dec(end, v);

	while (d > p)
		*--d = '0';
	return end;
}

/*
 * "<a><unit>", or with @sep "<a><sep><b><unit>", @b zero padded to
 * @bwidth digits: the shapes of every duration here, written without
 * snprintf(), which cost more than the rest of a table row.
 */
static char *fmt_units(char *buf, size_t len, uint64_t a, const char *sep,
		       uint64_t b, unsigned int bwidth, const char *unit)
{
	char tmp[64], *p = put_dec(tmp, a, 0);

	if (sep) {
		*p++ = *sep;
		p = put_dec(p, b, bwidth);
	}
	while (*unit)
		*p++ = *unit++;
	return put_str(buf, len, tmp, p - tmp);
}

char *tw_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / NSEC_PER_SEC;

	if (ns < NSEC_PER_USEC)
		return fmt_units(buf, len, ns, NULL, 0, 0, "ns");
	if (ns < NSEC_PER_MSEC)
		return fmt_units(buf, len, ns / NSEC_PER_USEC, NULL, 0, 0,
				 "us");
	if (ns < NSEC_PER_SEC)
		return fmt_units(buf, len, ns / NSEC_PER_MSEC, NULL, 0, 0,
				 "ms");
	if (s < 60)
		return fmt_units(buf, len, s, ".",
				 ns % NSEC_PER_SEC / (NSEC_PER_SEC / 10), 1,
				 "s");
	if (s < 3600)
		return fmt_units(buf, len, s / 60, "m", s % 60, 2, "s");
	if (s < 86400)
		return fmt_units(buf, len, s / 3600, "h", s % 3600 / 60, 2,
				 "m");
	return fmt_units(buf, len, s / 86400, "d", s % 86400 / 3600, 2, "h");
}

char *tw_fmt_usecs(char *buf, size_t len, uint64_t us)
{
	if (us < 1000)
		return fmt_units(buf, len, us, NULL, 0, 0, "us");
	if (us < 10000)
		return fmt_units(buf, len, us / 1000, ".", us % 1000 / 10, 2,
				 "ms");
	if (us < 1000000)
		return fmt_units(buf, len, us / 1000, ".", us % 1000 / 100, 1,
				 "ms");
	if (us < 60000000)
		return fmt_units(buf, len, us / 1000000, ".",
				 us % 1000000 / 10000, 2, "s");
	return tw_fmt_duration(buf, len, us * NSEC_PER_USEC);
}

/* Each byte value's digits, their count in the fourth byte. */
static char octets[256][4];

/* Made on first use (out of line: ntop4() stays a leaf). */
__attribute__((cold))
static void octets_make(void)
{
	unsigned int i;

	for (i = 0; i < 256; i++)
		octets[i][3] = put_dec(octets[i], i, 0) - octets[i];
}

/*
 * inet_ntop()'s dotted quad, at @p; returns the end.  Four bytes of
 * octets[] are copied for each octet and those past its digits written
 * over: up to three past the end, which the room for any address
 * (TW_ADDR_MAX) covers.
 */
static char *ntop4(char *p, const uint8_t *a)
{
	unsigned int i;

	if (!octets[0][3])
		octets_make();
	for (i = 0; i < 4; i++) {
		memcpy(p, octets[a[i]], 4);
		p += octets[a[i]][3];
		*p++ = '.';
	}
	return p - 1;
}

/* A 16-bit word in lower-case hex, no leading zeros, at @p. */
static char *put_hex(char *p, unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hex[v >> shift & 0xf];
	return p;
}

/* The longest run of two or more zero words (the first of equals), or -1. */
static int zero_run(const unsigned int *w, int *run_len)
{
	int best = -1, best_len = 0, cur = -1, i;

	for (i = 0; i <= 8; i++) {
		if (i < 8 && !w[i]) {
			if (cur < 0)
				cur = i;
			continue;
		}
		if (cur >= 0 && i - cur > best_len) {
			best = cur;
			best_len = i - cur;
		}
		cur = -1;
	}
	*run_len = best_len;
	return best_len >= 2 ? best : -1;
}

/*
 * inet_ntop()'s IPv6 text, at @p; returns the end.  The same rules as
 * glibc's: the longest zero run becomes "::", and ::a.b.c.d and
 * ::ffff:a.b.c.d keep the IPv4 address as a dotted quad.
 */
static char *ntop6(char *p, const uint8_t *a)
{
	unsigned int w[8];
	int base, len, i;

	for (i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	base = zero_run(w, &len);
	for (i = 0; i < 8; i++) {
		if (base >= 0 && i >= base && i < base + len) {
			if (i == base)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && base == 0 &&
		    (len == 6 || (len == 5 && w[5] == 0xffff)))
			return ntop4(p, a + 12);
		p = put_hex(p, w[i]);
	}
	if (base >= 0 && base + len == 8)
		*p++ = ':';
	return p;
}

char *tw_put_addr(char *p, int family, const uint8_t *addr)
{
	if (family == AF_INET)
		return ntop4(p, addr);
	if (family == AF_INET6)
		return ntop6(p, addr);
	*p++ = '?';
	return p;
}

char *tw_fmt_addr(char *buf, size_t len, int family, const uint8_t *addr)
{
	char tmp[TW_ADDR_MAX];

	return put_str(buf, len, tmp, tw_put_addr(tmp, family, addr) - tmp);
}

char *tw_put_endpoint(char *p, int family, const uint8_t *addr,
		      uint16_t port)
{
	if (family == AF_INET6)
		*p++ = '[';
	p = tw_put_addr(p, family, addr);
	if (family == AF_INET6)
		*p++ = ']';
	*p++ = ':';
	if (port)
		return put_dec(p, port, 0);
	*p++ = '*';
	return p;
}

char *tw_fmt_endpoint(char *buf, size_t len, int family,
		      const uint8_t *addr, uint16_t port)
{
	char tmp[TW_ENDPOINT_MAX];

	return put_str(buf, len, tmp,
		       tw_put_endpoint(tmp, family, addr, port) - tmp);
}

/* @v (0..99) as two digits at @p. */
static char *put_2d(char *p, unsigned int v)
{
	*p++ = '0' + v / 10;
	*p++ = '0' + v % 10;
	return p;
}

char *tw_put_clock(char *p, uint64_t realtime_ns)
{
	/*
	 * The last second's "HH:MM:SS", kept: events come many a second,
	 * and localtime_r() for each cost more than the rest of its line.
	 * (localtime_r() does not look at TZ again either.)
	 */
	static time_t last_sec;
	static char last_hms[8];
	static bool have_last;
	time_t sec = realtime_ns / NSEC_PER_SEC;

	if (!have_last || sec != last_sec) {
		struct tm tm;

		if (!localtime_r(&sec, &tm))
			memset(&tm, 0, sizeof(tm));
		put_2d(last_hms, tm.tm_hour);
		last_hms[2] = ':';
		put_2d(last_hms + 3, tm.tm_min);
		last_hms[5] = ':';
		put_2d(last_hms + 6, tm.tm_sec);
		last_sec = sec;
		have_last = true;
	}
	memcpy(p, last_hms, sizeof(last_hms));
	p[8] = '.';
	return put_dec(p + 9, realtime_ns % NSEC_PER_SEC / NSEC_PER_USEC, 6);
}

char *tw_fmt_clock(char *buf, size_t len, uint64_t realtime_ns)
{
	char tmp[TW_CLOCK_LEN];

	tw_put_clock(tmp, realtime_ns);
	return put_str(buf, len, tmp, sizeof(tmp));
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

/* Length of the run at @s that goes into a JSON string as it is. */
static size_t plain_run(const unsigned char *s)
{
	const unsigned char *p = s;

	while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
		p++;
	return p - s;
}

/*
 * What the byte at @s, where plain_run() stopped, becomes in a JSON
 * string: an escape (built in @esc, 8 bytes, if need be), or a valid
 * UTF-8 sequence as it is.  *@in is how many bytes of @s it stands for,
 * *@n its own length.
 */
static const char *json_special(const unsigned char *s, char *esc,
				size_t *in, size_t *n)
{
	static const char hex[] = "0123456789abcdef";

	*in = 1;
	*n = 2;
	switch (*s) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	*n = 6;
	if (*s < 0x20 || *s == 0x7f) {
		memcpy(esc, "\\u00", 4);
		esc[4] = hex[*s >> 4];
		esc[5] = hex[*s & 0xf];
		return esc;
	}
	*in = utf8_len(s);
	if (!*in) {
		*in = 1;
		return "\\ufffd";
	}
	*n = *in;
	return (const char *)s;
}

/* @src as a JSON string with its quotes, in pieces handed to @put. */
static void json_escape(const char *src,
			void (*put)(void *ctx, const char *s, size_t n),
			void *ctx)
{
	const unsigned char *s = (const unsigned char *)src;
	const char *t;
	size_t in, n;
	char esc[8];

	put(ctx, "\"", 1);
	for (;;) {
		n = plain_run(s);
		if (n)
			put(ctx, (const char *)s, n);
		s += n;
		if (!*s)
			break;
		t = json_special(s, esc, &in, &n);
		put(ctx, t, n);
		s += in;
	}
	put(ctx, "\"", 1);
}

struct sink {
	char *dst;
	size_t cap;
	size_t len;
};

static void sink_put(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	if (k->cap && k->len < k->cap - 1) {
		size_t room = k->cap - 1 - k->len;

		memcpy(k->dst + k->len, s, n < room ? n : room);
	}
	k->len += n;
}

size_t tw_json_escape(char *dst, size_t dstlen, const char *src)
{
	struct sink k = { dst, dstlen, 0 };

	json_escape(src, sink_put, &k);
	if (dstlen)
		dst[k.len < dstlen ? k.len : dstlen - 1] = '\0';
	return k.len;
}

static void file_put(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

void tw_json_str(FILE *f, const char *src)
{
	json_escape(src, file_put, f);
}

static void out_put(void *ctx, const char *s, size_t n)
{
	tw_out_write(ctx, s, n);
}

char *tw_json_put(char *p, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	const char *t;
	size_t in, n;
	char esc[8];

	*p++ = '"';
	for (;;) {
		/* what needs no escape, copied as it is scanned */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			*p++ = *s++;
		if (!*s)
			break;
		t = json_special(s, esc, &in, &n);
		tw_copy(p, t, n);
		p += n;
		s += in;
	}
	*p++ = '"';
	return p;
}

void tw_json_out(struct tw_out *w, const char *src)
{
	size_t n = plain_run((const unsigned char *)src);

	if (src[n]) {
		json_escape(src, out_put, w);
		return;
	}
	/* nothing to escape: names, addresses, most comms */
	tw_out_putc(w, '"');
	tw_out_write(w, src, n);
	tw_out_putc(w, '"');
}

void tw_table_init(struct tw_table *t, unsigned int ncols,
		   const char * const *headers, const enum tw_align *align)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = headers;
	t->align = align;
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

/*
 * The cells' text lives in blocks of this size, so that a table of
 * 50,000 sockets makes a few hundred malloc() calls, not 350,000.
 */
#define ARENA_BLOCK	(64 * 1024)

struct tw_arena {
	struct tw_arena *next;
	size_t used, size;
	char data[];
};

/* @s copied into @t's blocks; NULL when out of memory. */
static char *arena_strdup(struct tw_table *t, const char *s)
{
	struct tw_arena *a = t->arena;
	size_t n = 1;

	while (s[n - 1])
		n++;

	if (!a || a->size - a->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		a = malloc(sizeof(*a) + size);
		if (!a)
			return NULL;
		a->next = t->arena;
		a->used = 0;
		a->size = size;
		t->arena = a;
	}
	tw_copy(a->data + a->used, s, n);
	a->used += n;
	return a->data + a->used - n;
}

static unsigned int table_cols(const struct tw_table *t)
{
	return t->ncols < TW_TABLE_MAX_COLS ? t->ncols : TW_TABLE_MAX_COLS;
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
		cells[c] = arena_strdup(t, row[c] ? row[c] : "");
		if (!cells[c])
			return -1;
	}
	/* the widths once the row is in: print needs no pass of its own */
	for (c = 0; c < table_cols(t); c++) {
		size_t w = text_width(cells[c]);

		if (w > t->width[c])
			t->width[c] = w;
	}
	t->nrows++;
	return 0;
}

static void print_cell(struct tw_out *w, const char *s, size_t width,
		       enum tw_align align, bool last)
{
	size_t n = 0, cols = 0, pad;

	for (; s[n]; n++)	/* text_width() and strlen() in one pass */
		if (((unsigned char)s[n] & 0xc0) != 0x80)
			cols++;
	pad = width > cols ? width - cols : 0;
	if (align == TW_RIGHT)
		tw_out_pad(w, pad);
	tw_out_write(w, s, n);
	if (align == TW_LEFT && !last)
		tw_out_pad(w, pad);
}

static void table_widths(const struct tw_table *t,
			 size_t width[TW_TABLE_MAX_COLS])
{
	unsigned int c, n = table_cols(t);

	for (c = 0; c < n; c++) {
		width[c] = text_width(t->headers[c]);
		if (t->width[c] > width[c])
			width[c] = t->width[c];
	}
}

/* One line of @t: its header (@row NULL) or one of its rows. */
static void table_line(struct tw_out *w, const struct tw_table *t,
		       const size_t *width, const char *indent,
		       const size_t *row)
{
	unsigned int c, n = table_cols(t);

	tw_out_puts(w, indent);
	for (c = 0; c < n; c++) {
		if (c)
			tw_out_write(w, "  ", 2);
		print_cell(w, row ? t->cells[*row * t->ncols + c] :
			   t->headers[c], width[c],
			   t->align ? t->align[c] : TW_LEFT, c == n - 1);
	}
	tw_out_putc(w, '\n');
}

void tw_table_print(FILE *f, const struct tw_table *t)
{
	tw_table_print_sub(f, t, NULL);
}

void tw_table_print_sub(FILE *f, const struct tw_table *t,
			const struct tw_table *sub)
{
	size_t width[TW_TABLE_MAX_COLS] = { 0 };
	size_t swidth[TW_TABLE_MAX_COLS] = { 0 };
	struct tw_out w;
	size_t r;

	tw_out_init(&w, f);
	table_widths(t, width);
	table_line(&w, t, width, "", NULL);
	if (sub) {
		table_widths(sub, swidth);
		table_line(&w, sub, swidth, "  ", NULL);
	}
	for (r = 0; r < t->nrows; r++) {
		table_line(&w, t, width, "", &r);
		if (sub && r < sub->nrows)
			table_line(&w, sub, swidth, "  ", &r);
	}
	tw_out_flush(&w);
}

void tw_table_free(struct tw_table *t)
{
	struct tw_arena *a, *next;

	for (a = t->arena; a; a = next) {
		next = a->next;
		free(a);
	}
	t->arena = NULL;
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
