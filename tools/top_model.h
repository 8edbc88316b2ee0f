/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top_model.h - what `tcpwatch top` shows, computed without a terminal:
 * rates between two stats snapshots, the socket table's cells, sorting,
 * the '/' filter and which sockets look stuck.  Pure, unit-tested; top.c
 * draws it with ncurses and prints it as plain text.
 */
#ifndef TCPWATCH_TOP_MODEL_H
#define TCPWATCH_TOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/* One refresh: the module's answers, and when they came. */
struct tw_top_snap {
	struct tw_stats st;
	bool has_stats;
	struct tw_sock *socks;
	size_t nsocks;
	struct tw_listener *ls;
	size_t nls;
	struct tw_halfopen *hos;	/* sorted by tw_top_index_halfopen() */
	size_t nhos;
	uint64_t mono_ns;		/* CLOCK_MONOTONIC when taken */
};

/* The header's rates, per second; has[] false where one is unknown. */
enum tw_top_rate {
	TW_RATE_CONNS,		/* transitions into ESTABLISHED */
	TW_RATE_CLOSES,		/* transitions into CLOSE */
	TW_RATE_RETRANS,	/* retransmissions, every cause */
	TW_RATE_RTO,		/* RTO expiries */
	TW_RATE_HO_EXPIRED,	/* half-opens expired */
	TW_RATE_SYN_DROPS,	/* SYNs dropped, SYN queue full */
	TW_NRATES,
};

struct tw_top_rates {
	double v[TW_NRATES];
	bool has[TW_NRATES];
};

extern const char * const tw_top_rate_names[TW_NRATES];

/* Rates from @prev to @cur; none (has[] false) without @prev. */
void tw_top_rates(const struct tw_top_snap *prev,
		  const struct tw_top_snap *cur, struct tw_top_rates *r);

/* The socket table's columns. */
enum tw_top_col {
	TW_COL_STATE, TW_COL_LOCAL, TW_COL_PEER, TW_COL_INSTATE,
	TW_COL_CWND, TW_COL_SSTHRESH, TW_COL_SNDWND, TW_COL_RCVWND,
	TW_COL_SRTT, TW_COL_RTO, TW_COL_RETRANS, TW_COL_PIDCOMM,
	TW_NCOLS,
};

extern const char * const tw_top_headers[TW_NCOLS];
extern const bool tw_top_right[TW_NCOLS];	/* right-aligned */

#define TW_TOP_CELL	64

/* Why a socket is highlighted (bits). */
enum {
	TW_STUCK_CLOSE_WAIT	= 1 << 0,	/* CLOSE-WAIT too long: the
						 * application never closes
						 */
	TW_STUCK_FIN_WAIT2	= 1 << 1,	/* FIN-WAIT-2 too long: the
						 * peer never closes
						 */
	TW_STUCK_HALFOPEN	= 1 << 2,	/* request in its last SYN-ACK
						 * retry: about to expire
						 */
	TW_STUCK_BACKOFF	= 1 << 3,	/* RTO backoff: retransmitting
						 * into silence
						 */
};

/* A row of the socket table. */
struct tw_top_row {
	const struct tw_sock *s;
	unsigned int stuck;		/* TW_STUCK_* */
	char cells[TW_NCOLS][TW_TOP_CELL];
};

/* Sorts @snap's half-opens so tw_top_stuck() can look them up. */
void tw_top_index_halfopen(struct tw_top_snap *snap);

/*
 * The TW_STUCK_* reasons of @s: CLOSE-WAIT or FIN-WAIT-2 for @stuck_ns or
 * longer, a request whose half-open entry in @snap has used its last
 * SYN-ACK retry, a socket with RTO backoff.
 */
unsigned int tw_top_stuck(const struct tw_sock *s,
			  const struct tw_top_snap *snap, uint64_t stuck_ns);

/* "C" close-wait, "F" fin-wait-2, "H" half-open, "R" RTO backoff. */
const char *tw_top_stuck_str(char *buf, size_t len, unsigned int stuck);

void tw_top_fill_row(struct tw_top_row *row, const struct tw_sock *s,
		     unsigned int stuck);

/*
 * The '/' filter: digits are a port (local or remote), a state name a
 * state (as shown: SYN-RECV for request socks), anything else a
 * case-insensitive part of the local or peer address or of PID/Comm.
 * An empty filter matches every row.
 */
bool tw_top_match(const struct tw_top_row *row, const char *filter);

/* Sorts by column @col (numbers as numbers; '-' last), @reverse. */
void tw_top_sort(struct tw_top_row *rows, size_t n, enum tw_top_col col,
		 bool reverse);

/*
 * Builds the rows of @snap that pass @filter, sorted: a malloc()ed array
 * (NULL, 0 rows on failure).
 */
struct tw_top_row *tw_top_rows(const struct tw_top_snap *snap,
			       const char *filter, enum tw_top_col col,
			       bool reverse, uint64_t stuck_ns, size_t *n);

/* "3/16" and a bar of @width cells: '#' used, '.' free. */
void tw_top_queue_bar(char *buf, size_t len, uint32_t used, uint32_t limit,
		      unsigned int width);

/* The header lines (rates, state counts) as text. */
void tw_top_print_header(FILE *f, const struct tw_top_snap *snap,
			 const struct tw_top_rates *r);

/* The whole screen as plain text: header, listeners, socket table. */
void tw_top_print_plain(FILE *f, const struct tw_top_snap *snap,
			const struct tw_top_rates *r,
			const struct tw_top_row *rows, size_t n);

void tw_top_snap_free(struct tw_top_snap *snap);

#endif /* TCPWATCH_TOP_MODEL_H */
