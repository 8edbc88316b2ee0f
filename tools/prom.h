/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prom.h - the Prometheus text exposition (format 0.0.4) of what the
 * module reports: one netns's GET_STATS reply and its listeners.  Pure:
 * takes parsed structs, writes text; export.c does the talking.
 *
 * A metric whose attribute the module did not send is left out, never
 * written as 0.  Label cardinality is bounded: per state, per (from, to)
 * pair seen, per retransmission cause, per listener address and port
 * (capped by the caller); nothing per socket.
 */
#ifndef TCPWATCH_PROM_H
#define TCPWATCH_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "parse.h"

#define TW_PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct tw_prom_input {
	/* the module's data was read: NULL st means tcpwatch_up 0 only */
	const struct tw_stats *st;
	const struct tw_listener *ls;	/* merged, see tw_prom_merge_listeners */
	size_t nls;
	size_t ls_omitted;		/* listeners beyond the cap */
	bool ls_read;			/* the GET_LISTENERS dump succeeded */
};

/* Writes the whole exposition of @in to @f. */
void tw_prom_write(FILE *f, const struct tw_prom_input *in);

/*
 * Sorts @ls by family, address and port and merges listeners that share
 * all three (SO_REUSEPORT groups), so that each label set appears once:
 * counters, queue lengths, backlogs and histograms are summed.  Returns
 * the new count.
 */
size_t tw_prom_merge_listeners(struct tw_listener *ls, size_t n);

/*
 * The upper bound ("le") of histogram slot @slot: slot i counts values
 * v with 2^(i-1) <= v < 2^i (slot 0: v == 0).  For a time in µs it is
 * 2^i µs in seconds ("0.000001" .. "1073.741824"); for a count it is the
 * largest integer in the slot, 2^i - 1.  Returns @buf.
 */
char *tw_prom_le(char *buf, size_t len, unsigned int slot, bool seconds);

/* @us microseconds as exact decimal seconds: 1500000 -> "1.5". */
char *tw_prom_us_to_s(char *buf, size_t len, uint64_t us);

/*
 * @src escaped as a label value (backslash, double quote, newline) into
 * @dst; returns @dst.
 */
char *tw_prom_label_escape(char *dst, size_t len, const char *src);

#endif /* TCPWATCH_PROM_H */
