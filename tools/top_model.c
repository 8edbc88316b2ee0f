// SPDX-License-Identifier: GPL-2.0
/*
 * top_model.c - the numbers and the rows of `tcpwatch top`, with no
 * terminal in sight (see top_model.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "format.h"
#include "render.h"
#include "top_model.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NSEC_PER_SEC	1000000000ULL

const char * const tw_top_rate_names[TW_NRATES] = {
	[TW_RATE_CONNS] = "conn/s",
	[TW_RATE_CLOSES] = "close/s",
	[TW_RATE_RETRANS] = "retrans/s",
	[TW_RATE_RTO] = "rto/s",
	[TW_RATE_HO_EXPIRED] = "halfopen-expired/s",
	[TW_RATE_SYN_DROPS] = "syn-drops/s",
};

const char * const tw_top_headers[TW_NCOLS] = {
	[TW_COL_STATE] = "State",
	[TW_COL_LOCAL] = "Local",
	[TW_COL_PEER] = "Peer",
	[TW_COL_INSTATE] = "In-State",
	[TW_COL_CWND] = "cwnd",
	[TW_COL_SSTHRESH] = "ssthresh",
	[TW_COL_SNDWND] = "snd_wnd",
	[TW_COL_RCVWND] = "rcv_wnd",
	[TW_COL_SRTT] = "srtt",
	[TW_COL_RTO] = "RTO",
	[TW_COL_RETRANS] = "Retr",
	[TW_COL_PIDCOMM] = "PID/Comm",
};

const bool tw_top_right[TW_NCOLS] = {
	[TW_COL_INSTATE] = true, [TW_COL_CWND] = true,
	[TW_COL_SSTHRESH] = true, [TW_COL_SNDWND] = true,
	[TW_COL_RCVWND] = true, [TW_COL_SRTT] = true, [TW_COL_RTO] = true,
	[TW_COL_RETRANS] = true,
};

/* The value of counter @get in @st, and whether @st has its attribute. */
static bool counter(const struct tw_stats *st, unsigned int attr)
{
	return tw_stats_has(st, attr);
}

static uint64_t into_state(const struct tw_stats *st, unsigned int to)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < TCPWATCH_NSTATES; i++)
		sum += st->transitions[i][to];
	return sum;
}

static uint64_t retrans_sum(const struct tw_stats *st)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < TCPWATCH_NCAUSES; i++)
		sum += st->retrans[i];
	return sum;
}

void tw_top_rates(const struct tw_top_snap *prev,
		  const struct tw_top_snap *cur, struct tw_top_rates *r)
{
	const struct tw_stats *a, *b;
	uint64_t va[TW_NRATES], vb[TW_NRATES];
	unsigned int attr[TW_NRATES] = {
		[TW_RATE_CONNS] = TCPWATCH_STATS_A_TRANSITIONS,
		[TW_RATE_CLOSES] = TCPWATCH_STATS_A_TRANSITIONS,
		[TW_RATE_RETRANS] = TCPWATCH_STATS_A_RETRANS,
		[TW_RATE_RTO] = TCPWATCH_STATS_A_RTO_EXPIRIES,
		[TW_RATE_HO_EXPIRED] = TCPWATCH_STATS_A_EXPIRED,
		[TW_RATE_SYN_DROPS] = TCPWATCH_STATS_A_SYNQ_DROPS,
	};
	double dt;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (!prev || !prev->has_stats || !cur->has_stats ||
	    cur->mono_ns <= prev->mono_ns)
		return;
	a = &prev->st;
	b = &cur->st;
	dt = (double)(cur->mono_ns - prev->mono_ns) / NSEC_PER_SEC;
	va[TW_RATE_CONNS] = into_state(a, 1);
	vb[TW_RATE_CONNS] = into_state(b, 1);
	va[TW_RATE_CLOSES] = into_state(a, 7);
	vb[TW_RATE_CLOSES] = into_state(b, 7);
	va[TW_RATE_RETRANS] = retrans_sum(a);
	vb[TW_RATE_RETRANS] = retrans_sum(b);
	va[TW_RATE_RTO] = a->rto_expiries;
	vb[TW_RATE_RTO] = b->rto_expiries;
	va[TW_RATE_HO_EXPIRED] = a->hs.expired;
	vb[TW_RATE_HO_EXPIRED] = b->hs.expired;
	va[TW_RATE_SYN_DROPS] = a->hs.synq_drops;
	vb[TW_RATE_SYN_DROPS] = b->hs.synq_drops;
	for (i = 0; i < TW_NRATES; i++) {
		/* a counter that went back: the module was reloaded */
		if (!counter(a, attr[i]) || !counter(b, attr[i]) ||
		    vb[i] < va[i])
			continue;
		r->has[i] = true;
		r->v[i] = (vb[i] - va[i]) / dt;
	}
}

static int ho_cmp(const void *pa, const void *pb)
{
	const struct tw_halfopen *a = pa, *b = pb;

	if (a->lport != b->lport)
		return a->lport < b->lport ? -1 : 1;
	if (a->rport != b->rport)
		return a->rport < b->rport ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->raddr, b->raddr, sizeof(a->raddr));
}

void tw_top_index_halfopen(struct tw_top_snap *snap)
{
	if (snap->nhos)
		qsort(snap->hos, snap->nhos, sizeof(*snap->hos), ho_cmp);
}

unsigned int tw_top_stuck(const struct tw_sock *s,
			  const struct tw_top_snap *snap, uint64_t stuck_ns)
{
	bool long_stay = tw_sock_has(s, TCPWATCH_SOCK_A_IN_STATE_NS) &&
			 s->in_state_ns >= stuck_ns;
	unsigned int why = 0;

	if (s->state == TW_TCP_CLOSE_WAIT && long_stay)
		why |= TW_STUCK_CLOSE_WAIT;
	if (s->state == TW_TCP_FIN_WAIT2 && long_stay)
		why |= TW_STUCK_FIN_WAIT2;
	if (tw_sock_has(s, TCPWATCH_SOCK_A_BACKOFF) && s->backoff)
		why |= TW_STUCK_BACKOFF;
	if (tw_sock_is_request(s) && snap && snap->nhos) {
		struct tw_halfopen key = { 0 };
		const struct tw_halfopen *h;

		key.family = s->family;
		key.lport = s->sport;
		key.rport = s->dport;
		memcpy(key.raddr, s->daddr, sizeof(key.raddr));
		h = bsearch(&key, snap->hos, snap->nhos, sizeof(key), ho_cmp);
		if (h && tw_halfopen_has(h, TCPWATCH_HALFOPEN_A_MAX_RETRIES) &&
		    tw_halfopen_has(h, TCPWATCH_HALFOPEN_A_SYNACK_RETRANS) &&
		    h->synack_retrans >= h->max_retries)
			why |= TW_STUCK_HALFOPEN;
	}
	return why;
}

const char *tw_top_stuck_str(char *buf, size_t len, unsigned int stuck)
{
	snprintf(buf, len, "%s%s%s%s",
		 stuck & TW_STUCK_CLOSE_WAIT ? "C" : "",
		 stuck & TW_STUCK_FIN_WAIT2 ? "F" : "",
		 stuck & TW_STUCK_HALFOPEN ? "H" : "",
		 stuck & TW_STUCK_BACKOFF ? "R" : "");
	return buf;
}

static void cell_u64(char *buf, bool has, uint64_t v)
{
	if (has)
		snprintf(buf, TW_TOP_CELL, "%" PRIu64, v);
	else
		snprintf(buf, TW_TOP_CELL, "-");
}

void tw_top_fill_row(struct tw_top_row *row, const struct tw_sock *s,
		     unsigned int stuck)
{
	char (*c)[TW_TOP_CELL] = row->cells;
	char *p;

#define HAS(a)	tw_sock_has(s, TCPWATCH_SOCK_A_##a)
	row->s = s;
	row->stuck = stuck;
	snprintf(c[TW_COL_STATE], TW_TOP_CELL, "%s",
		 tw_state_str(tw_state_shown(s->state)));
	tw_fmt_endpoint(c[TW_COL_LOCAL], TW_TOP_CELL, s->family, s->saddr,
			s->sport);
	tw_fmt_endpoint(c[TW_COL_PEER], TW_TOP_CELL, s->family, s->daddr,
			s->dport);
	if (HAS(IN_STATE_NS)) {
		tw_fmt_duration(c[TW_COL_INSTATE], TW_TOP_CELL, s->in_state_ns);
		if (s->since_load)
			strcat(c[TW_COL_INSTATE], "*");
	} else {
		snprintf(c[TW_COL_INSTATE], TW_TOP_CELL, "-");
	}
	cell_u64(c[TW_COL_CWND], HAS(CWND), s->cwnd);
	if (HAS(SSTHRESH) && s->ssthresh >= TW_SSTHRESH_INFINITE)
		snprintf(c[TW_COL_SSTHRESH], TW_TOP_CELL, "inf");
	else
		cell_u64(c[TW_COL_SSTHRESH], HAS(SSTHRESH), s->ssthresh);
	cell_u64(c[TW_COL_SNDWND], HAS(SND_WND), s->snd_wnd);
	cell_u64(c[TW_COL_RCVWND], HAS(RCV_WND), s->rcv_wnd);
	if (HAS(SRTT_US))
		tw_fmt_usecs(c[TW_COL_SRTT], TW_TOP_CELL, s->srtt_us);
	else
		snprintf(c[TW_COL_SRTT], TW_TOP_CELL, "-");
	if (HAS(RTO_US))
		tw_fmt_usecs(c[TW_COL_RTO], TW_TOP_CELL, s->rto_us);
	else
		snprintf(c[TW_COL_RTO], TW_TOP_CELL, "-");
	cell_u64(c[TW_COL_RETRANS], HAS(TOTAL_RETRANS), s->total_retrans);
	if (HAS(PID) && s->pid && HAS(COMM) && s->comm[0])
		snprintf(c[TW_COL_PIDCOMM], TW_TOP_CELL, "%u/%.40s", s->pid,
			 s->comm);
	else if (HAS(PID) && s->pid)
		snprintf(c[TW_COL_PIDCOMM], TW_TOP_CELL, "%u", s->pid);
	else
		snprintf(c[TW_COL_PIDCOMM], TW_TOP_CELL, "-");
	/* a comm is any bytes: keep control characters off the terminal */
	for (p = c[TW_COL_PIDCOMM]; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
#undef HAS
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

bool tw_top_match(const struct tw_top_row *row, const char *filter)
{
	const struct tw_sock *s = row->s;
	int state;

	if (!filter || !*filter)
		return true;
	if (all_digits(filter)) {
		unsigned long port = strtoul(filter, NULL, 10);

		return port == s->sport || port == s->dport;
	}
	state = tw_state_from_name(filter);
	if (state > 0)
		return tw_state_shown(s->state) == tw_state_shown(state);
	return strcasestr(row->cells[TW_COL_LOCAL], filter) ||
	       strcasestr(row->cells[TW_COL_PEER], filter) ||
	       strcasestr(row->cells[TW_COL_PIDCOMM], filter);
}

/* A column's value as a number, for sorting; false if not sent. */
static bool col_num(const struct tw_sock *s, enum tw_top_col col,
		    uint64_t *v)
{
#define NUM(a, f)	do { *v = s->f;					\
		return tw_sock_has(s, TCPWATCH_SOCK_A_##a); } while (0)
	switch (col) {
	case TW_COL_INSTATE:	NUM(IN_STATE_NS, in_state_ns);
	case TW_COL_CWND:	NUM(CWND, cwnd);
	case TW_COL_SSTHRESH:	NUM(SSTHRESH, ssthresh);
	case TW_COL_SNDWND:	NUM(SND_WND, snd_wnd);
	case TW_COL_RCVWND:	NUM(RCV_WND, rcv_wnd);
	case TW_COL_SRTT:	NUM(SRTT_US, srtt_us);
	case TW_COL_RTO:	NUM(RTO_US, rto_us);
	case TW_COL_RETRANS:	NUM(TOTAL_RETRANS, total_retrans);
	default:
		*v = 0;
		return false;
	}
#undef NUM
}

static bool col_numeric(enum tw_top_col col)
{
	return tw_top_right[col];
}

struct sort_by {
	enum tw_top_col col;
	bool reverse;
};

/* Endpoints by family, address bytes, then port. */
static int endpoint_cmp(const struct tw_sock *a, const struct tw_sock *b,
			bool local)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(local ? a->saddr : a->daddr, local ? b->saddr : b->daddr,
		   16);
	if (r)
		return r;
	if ((local ? a->sport : a->dport) != (local ? b->sport : b->dport))
		return (local ? a->sport : a->dport) <
		       (local ? b->sport : b->dport) ? -1 : 1;
	return 0;
}

static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct tw_top_row *a = pa, *b = pb;
	const struct sort_by *by = arg;
	int r;

	if (col_numeric(by->col)) {
		uint64_t va, vb;
		bool ha = col_num(a->s, by->col, &va);
		bool hb = col_num(b->s, by->col, &vb);

		if (ha != hb)
			return ha ? -1 : 1;	/* '-' last, either way */
		r = va < vb ? -1 : va > vb;
	} else if (by->col == TW_COL_LOCAL || by->col == TW_COL_PEER) {
		r = endpoint_cmp(a->s, b->s, by->col == TW_COL_LOCAL);
	} else if (by->col == TW_COL_STATE) {
		unsigned int sa = tw_state_shown(a->s->state);
		unsigned int sb = tw_state_shown(b->s->state);

		r = sa < sb ? -1 : sa > sb;
	} else {
		r = strcmp(a->cells[by->col], b->cells[by->col]);
	}
	if (!r)	/* stable enough: then by local endpoint */
		r = endpoint_cmp(a->s, b->s, true);
	return by->reverse ? -r : r;
}

void tw_top_sort(struct tw_top_row *rows, size_t n, enum tw_top_col col,
		 bool reverse)
{
	struct sort_by by = { col, reverse };

	if (n > 1)
		qsort_r(rows, n, sizeof(*rows), row_cmp, &by);
}

struct tw_top_row *tw_top_rows(const struct tw_top_snap *snap,
			       const char *filter, enum tw_top_col col,
			       bool reverse, uint64_t stuck_ns, size_t *n)
{
	struct tw_top_row *rows;
	size_t i, k = 0;

	*n = 0;
	rows = calloc(snap->nsocks ? snap->nsocks : 1, sizeof(*rows));
	if (!rows)
		return NULL;
	for (i = 0; i < snap->nsocks; i++) {
		const struct tw_sock *s = &snap->socks[i];

		tw_top_fill_row(&rows[k], s, tw_top_stuck(s, snap, stuck_ns));
		if (tw_top_match(&rows[k], filter))
			k++;
	}
	tw_top_sort(rows, k, col, reverse);
	*n = k;
	return rows;
}

void tw_top_queue_bar(char *buf, size_t len, uint32_t used, uint32_t limit,
		      unsigned int width)
{
	unsigned int fill, i;
	size_t off;

	fill = limit ? (uint64_t)(used > limit ? limit : used) * width /
		       limit : 0;
	if (used && !fill)
		fill = 1;	/* not empty: show it */
	off = snprintf(buf, len, "[");
	for (i = 0; i < width && off + 2 < len; i++)
		buf[off++] = i < fill ? '#' : '.';
	snprintf(buf + off, len - off, "] %u/%u", used, limit);
}

void tw_top_print_header(FILE *f, const struct tw_top_snap *snap,
			 const struct tw_top_rates *r)
{
	const struct tw_stats *st = &snap->st;
	unsigned int i, n;

	for (i = 0; i < TW_NRATES; i++) {
		if (r->has[i])
			fprintf(f, "%s%s %.1f", i ? "  " : "",
				tw_top_rate_names[i], r->v[i]);
		else
			fprintf(f, "%s%s -", i ? "  " : "",
				tw_top_rate_names[i]);
	}
	fputc('\n', f);
	if (!snap->has_stats ||
	    !tw_stats_has(st, TCPWATCH_STATS_A_STATE_COUNT)) {
		fputs("states: -\n", f);
		return;
	}
	/* the usual ones always, the others when present */
	for (i = 1, n = 0; i < TCPWATCH_NSTATES; i++) {
		bool usual = i == TW_TCP_ESTABLISHED || i == TW_TCP_LISTEN ||
			     i == TW_TCP_TIME_WAIT;

		if (!usual && !st->state_count[i])
			continue;
		fprintf(f, "%s%s %u", n++ ? "  " : "", tw_state_str(i),
			st->state_count[i]);
	}
	fputc('\n', f);
}

void tw_top_print_plain(FILE *f, const struct tw_top_snap *snap,
			const struct tw_top_rates *r,
			const struct tw_top_row *rows, size_t n)
{
	static const char * const lhdr[] = {
		"Listener", "SYN-Q", "Accept-Q", "SYN drops", "Acc-Q drops",
	};
	static const enum tw_align lal[] = {
		TW_LEFT, TW_LEFT, TW_LEFT, TW_RIGHT, TW_RIGHT,
	};
	const char *hdr[TW_NCOLS + 1];
	enum tw_align al[TW_NCOLS + 1];
	struct tw_table t;
	unsigned int c;
	size_t i;

	tw_top_print_header(f, snap, r);
	fputc('\n', f);
	tw_table_init(&t, ARRAY_SIZE(lhdr), lhdr, lal);
	for (i = 0; i < snap->nls; i++) {
		const struct tw_listener *l = &snap->ls[i];
		char local[64], sq[64], aq[64], d1[24], d2[24];
		const char *row[] = { local, sq, aq, d1, d2 };

#define HAS(a)	tw_listener_has(l, TCPWATCH_LISTENER_A_##a)
		tw_fmt_endpoint(local, sizeof(local), l->family, l->addr,
				l->port);
		tw_top_queue_bar(sq, sizeof(sq), l->synq_len, l->backlog, 10);
		tw_top_queue_bar(aq, sizeof(aq), l->acceptq_len, l->backlog,
				 10);
		if (!HAS(SYNQ_LEN) || !HAS(BACKLOG))
			snprintf(sq, sizeof(sq), "-");
		if (!HAS(ACCEPTQ_LEN) || !HAS(BACKLOG))
			snprintf(aq, sizeof(aq), "-");
		cell_u64(d1, HAS(SYNQ_DROPS), l->hs.synq_drops);
		cell_u64(d2, HAS(ACCEPTQ_DROPS), l->hs.acceptq_drops);
#undef HAS
		tw_table_add(&t, row);
	}
	if (snap->nls)
		tw_table_print(f, &t);
	else
		fputs("no listeners\n", f);
	tw_table_free(&t);
	fputc('\n', f);

	hdr[0] = "!";
	al[0] = TW_LEFT;
	for (c = 0; c < TW_NCOLS; c++) {
		hdr[c + 1] = tw_top_headers[c];
		al[c + 1] = tw_top_right[c] ? TW_RIGHT : TW_LEFT;
	}
	tw_table_init(&t, TW_NCOLS + 1, hdr, al);
	for (i = 0; i < n; i++) {
		const char *row[TW_NCOLS + 1];
		char why[8];

		row[0] = rows[i].stuck ?
			tw_top_stuck_str(why, sizeof(why), rows[i].stuck) : "";
		for (c = 0; c < TW_NCOLS; c++)
			row[c + 1] = rows[i].cells[c];
		tw_table_add(&t, row);
	}
	tw_table_print(f, &t);
	tw_table_free(&t);
	fputs("! C: CLOSE-WAIT too long, F: FIN-WAIT-2 too long, H: half-open in its last SYN-ACK retry, R: RTO backoff\n",
	      f);
}

void tw_top_snap_free(struct tw_top_snap *snap)
{
	free(snap->socks);
	free(snap->ls);
	free(snap->hos);
	memset(snap, 0, sizeof(*snap));
}
