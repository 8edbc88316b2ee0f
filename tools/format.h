/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - pure text helpers of the tcpwatch CLI: state names, option
 * value parsing, durations, addresses, clock times, JSON strings, column
 * tables and log2 histograms.  Nothing here touches a socket.
 */
#ifndef TCPWATCH_FORMAT_H
#define TCPWATCH_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outbuf.h"

/* The kernel's TCP states (include/net/tcp_states.h), as the uapi uses them. */
enum tw_tcp_state {
	TW_TCP_ESTABLISHED = 1,
	TW_TCP_SYN_SENT,
	TW_TCP_SYN_RECV,
	TW_TCP_FIN_WAIT1,
	TW_TCP_FIN_WAIT2,
	TW_TCP_TIME_WAIT,
	TW_TCP_CLOSE,
	TW_TCP_CLOSE_WAIT,
	TW_TCP_LAST_ACK,
	TW_TCP_LISTEN,
	TW_TCP_CLOSING,
	TW_TCP_NEW_SYN_RECV,
};

/* Every state bit 1..TCPWATCH_NSTATES-1, as TCPWATCH_A_FILTER_STATES. */
#define TW_ALL_STATES	0x1ffeU

/* "ESTAB", "TIME-WAIT", ... as ss prints them; NULL outside 1..12. */
const char *tw_state_ss_name(unsigned int state);
/* "ESTABLISHED", "TIME_WAIT", ... as the kernel names them; NULL if bad. */
const char *tw_state_kname(unsigned int state);
/* Never NULL: the ss name, or "UNKNOWN(n)" in a static buffer. */
const char *tw_state_str(unsigned int state);
/* Never NULL: the kernel name, or "UNKNOWN" for a bad state. */
const char *tw_state_kstr(unsigned int state);

/*
 * The state a socket table shows for @state, as ss and /proc/tcpwatch do:
 * request sockets (NEW_SYN_RECV, the half-open entries of the ehash) are
 * shown as SYN_RECV; every other state is itself.
 */
unsigned int tw_state_shown(unsigned int state);

/*
 * Never NULL: the row label of @state in the per-state tables of
 * `tcpwatch states`: the ss name, with NEW_SYN_RECV labelled
 * "SYN-RECV (request socks)"; "UNKNOWN(n)" for a bad state.
 */
const char *tw_state_label(unsigned int state);

/*
 * The TCPWATCH_A_FILTER_STATES bits a user's state means: (1 << state),
 * and for SYN_RECV also NEW_SYN_RECV, since both are shown as SYN-RECV.
 * 0 for a bad state.
 */
uint32_t tw_state_bits(unsigned int state);

/* Whether two names are the same, in any case, with '-' and '_' alike. */
bool tw_name_eq(const char *a, const char *b);

/*
 * One state name in either style, any case ("estab", "ESTABLISHED",
 * "fin-wait-1", "FIN_WAIT1"): the state number, or -1.
 */
int tw_state_from_name(const char *name);

/*
 * A comma-separated list of state names or "all" into a bitmask of
 * tw_state_bits(state): "syn-recv" selects SYN_RECV and NEW_SYN_RECV,
 * "new-syn-recv" only NEW_SYN_RECV.  Returns 0, or -1 with the offending
 * item copied to @bad.
 */
int tw_parse_states(const char *arg, uint32_t *mask, char *bad, size_t badlen);

/*
 * A comma-separated list of names into a bit mask: @bits_of gives a name's
 * bits, 0 for an unknown name, which is copied to @bad.  0, or -1.
 */
int tw_parse_list(const char *arg, uint32_t (*bits_of)(const char *name),
		  uint32_t *mask, char *bad, size_t badlen);

/* A decimal port 1..65535; returns 0 or -1. */
int tw_parse_port(const char *arg, uint16_t *port);

/* A positive decimal count (for -c); returns 0 or -1. */
int tw_parse_count(const char *arg, unsigned long *count);

/*
 * "PORT", "ADDR:PORT" or "[IPV6]:PORT" (a flow for `tcpwatch window`):
 * @family is 0 when only a port was given, else AF_INET or AF_INET6 with
 * @addr (16 bytes of room) filled.  The port is 1..65535.  0 or -1.
 */
int tw_parse_flow(const char *arg, int *family, uint8_t *addr,
		  uint16_t *port);

/* A decimal number @min..@max; returns 0 or -1. */
int tw_parse_range(const char *arg, unsigned long min, unsigned long max,
		   unsigned long *out);

/*
 * Seconds, decimals allowed ("0.5", "2"), @min_ms..@max_ms once in
 * milliseconds; 0 or -1.
 */
int tw_parse_seconds_ms(const char *arg, unsigned long min_ms,
			unsigned long max_ms, unsigned long *ms);

/*
 * @n bytes of @s at offset @at of @buf (@len bytes), truncated and NUL
 * ended as snprintf() would; returns @at + @n, the length untruncated.
 * The formatters here build their text with it: snprintf() cost more
 * than the rest of a table row.
 */
size_t tw_strput(char *buf, size_t len, size_t at, const char *s, size_t n);

/*
 * Microseconds as a short time with some precision: "850us", "20.5ms",
 * "1.20s" (an RTT, an RTO).
 */
char *tw_fmt_usecs(char *buf, size_t len, uint64_t us);

/*
 * A duration in nanoseconds, human style: 850ns, 12us, 340ms, 1.2s,
 * 3m04s, 2h05m, 3d04h.  Digits are truncated, never rounded up.
 */
char *tw_fmt_duration(char *buf, size_t len, uint64_t ns);

/*
 * "10.0.0.1:22", "[2001:db8::1]:443", port 0 as "*" (like ss).  @family
 * is AF_INET or AF_INET6; @addr has 4 or 16 bytes in network order.
 */
char *tw_fmt_addr(char *buf, size_t len, int family, const uint8_t *addr);
char *tw_fmt_endpoint(char *buf, size_t len, int family,
		      const uint8_t *addr, uint16_t port);

/*
 * The same written at @p, no NUL, returning the end: at most
 * TW_ADDR_MAX and TW_ENDPOINT_MAX bytes ("?" for an unknown family).
 */
#define TW_ADDR_MAX	45	/* INET6_ADDRSTRLEN - 1 */
#define TW_ENDPOINT_MAX	(TW_ADDR_MAX + 8)	/* [ ]:65535 */
char *tw_put_addr(char *p, int family, const uint8_t *addr);
char *tw_put_endpoint(char *p, int family, const uint8_t *addr,
		      uint16_t port);

/* CLOCK_REALTIME nanoseconds as local "HH:MM:SS.uuuuuu". */
char *tw_fmt_clock(char *buf, size_t len, uint64_t realtime_ns);
/* The same at @p, TW_CLOCK_LEN bytes and no NUL; returns the end. */
#define TW_CLOCK_LEN	15
char *tw_put_clock(char *p, uint64_t realtime_ns);

/*
 * @src as a JSON string with its quotes into @dst.  Escapes '"', '\\' and
 * control characters; bytes that are not valid UTF-8 become U+FFFD.
 * Returns the length the full result needs (like snprintf).
 */
size_t tw_json_escape(char *dst, size_t dstlen, const char *src);
/* The same, written to @f, or to @w. */
void tw_json_str(FILE *f, const char *src);
void tw_json_out(struct tw_out *w, const char *src);
/*
 * The same at @p, which has room for 6 * strlen(@src) + 2 bytes (no
 * NUL); returns the end.
 */
char *tw_json_put(char *p, const char *src);

/* A column-aligned text table. */
enum tw_align { TW_LEFT, TW_RIGHT };

/* Columns past this many are kept but not printed. */
#define TW_TABLE_MAX_COLS	32

struct tw_arena;

struct tw_table {
	unsigned int ncols;
	const char * const *headers;
	const enum tw_align *align;
	char **cells;		/* nrows * ncols, their text in @arena */
	size_t nrows;
	size_t cap;
	size_t width[TW_TABLE_MAX_COLS];	/* widest cell per column */
	struct tw_arena *arena;	/* owned */
};

void tw_table_init(struct tw_table *t, unsigned int ncols,
		   const char * const *headers, const enum tw_align *align);
/* Appends a row of ncols strings (copied).  Returns 0 or -1 (ENOMEM). */
int tw_table_add(struct tw_table *t, const char * const *row);
/* Columns separated by two spaces; the last column is not padded. */
void tw_table_print(FILE *f, const struct tw_table *t);
/*
 * @t with a second line per row taken from @sub: @sub's header under
 * @t's, and each row of @sub under the row of @t with the same index,
 * both indented by two spaces, @sub's columns aligned among themselves.
 * Rows of @t beyond @sub's have no second line.  @sub NULL: as
 * tw_table_print().
 */
void tw_table_print_sub(FILE *f, const struct tw_table *t,
			const struct tw_table *sub);
void tw_table_free(struct tw_table *t);

/*
 * A log2 histogram like bcc's print_log2_hist: slot 0 is the value 0,
 * slot i >= 1 the range 2^(i-1) .. 2^i - 1, except that the last slot
 * also counts every larger value (the module clamps into it), so its
 * range is shown as "2^(n-2) -> inf".  Prints the slots from the first
 * to the last non-zero one; nothing if all are zero.
 */
void tw_print_log2_hist(FILE *f, const uint64_t *slots, unsigned int nslots,
			const char *unit);

#endif /* TCPWATCH_FORMAT_H */
