/* SPDX-License-Identifier: GPL-2.0 */
/*
 * render.h - parsed tcpwatch records to text tables or JSON.  Pure: each
 * function writes to the FILE (or tw_out) it is given and reads nothing
 * else.
 */
#ifndef TCPWATCH_RENDER_H
#define TCPWATCH_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"
#include "outbuf.h"
#include "parse.h"

struct tw_filter {
	uint32_t states;	/* bits (1 << state); 0: any state */
	uint16_t port;		/* local or remote port; 0: any port */
	uint32_t kinds;		/* events: bits (1 << enum tcpwatch_event);
				 * 0: any kind
				 */
};

/* What the state filter looks at. */
enum tw_match {
	TW_MATCH_SOCK,		/* the state now */
	TW_MATCH_EVENT,		/* the kind; for the events that carry states
				 * (tw_event_has_states()), the new state or
				 * the old one; the others pass the state
				 * filter only when it is unset or the kind
				 * filter names them
				 */
	TW_MATCH_CLOSED,	/* its state, the one before close (old-state),
				 * or any state it spent time in
				 */
};

/*
 * Whether @s is a request socket: a half-open connection the kernel keeps
 * as a NEW_SYN_RECV entry of the ehash, not as a full socket.  The socket
 * table shows it as SYN-RECV, like ss.
 */
bool tw_sock_is_request(const struct tw_sock *s);

/* Whether @s passes @flt. */
bool tw_sock_match(const struct tw_sock *s, const struct tw_filter *flt,
		   enum tw_match how);
/* Whether @l passes @flt: its port (the state filter does not apply). */
bool tw_listener_match(const struct tw_listener *l,
		       const struct tw_filter *flt);
/* Whether @h passes @flt: its listener's port or its peer's. */
bool tw_halfopen_match(const struct tw_halfopen *h,
		       const struct tw_filter *flt);

void tw_render_sockets(FILE *f, const struct tw_sock *socks, size_t n,
		       bool json);

/*
 * tw_render_sockets() a row at a time, as a dump comes in, so that no
 * array of records is kept: tw_sockets_begin(), tw_sockets_row() for
 * each record, then tw_sockets_end() to print, or tw_sockets_abort() to
 * give up.  The table keeps its cells until the end (its widths need
 * every row); JSON goes to @f as its buffer fills, so a dump that fails
 * after some 64 KiB of it leaves that much printed.  tw_sockets_row()
 * returns 0, or -1 when out of memory.
 */
struct tw_sockets_out {
	FILE *f;
	bool json;
	bool star;		/* a since-load time was shown */
	size_t n;
	struct tw_table t;	/* text */
	struct tw_out w;	/* JSON */
};

void tw_sockets_begin(struct tw_sockets_out *o, FILE *f, bool json);
int tw_sockets_row(struct tw_sockets_out *o, const struct tw_sock *s);
void tw_sockets_end(struct tw_sockets_out *o);
void tw_sockets_abort(struct tw_sockets_out *o);
/*
 * The timers and windows table of `sockets --timers`: State, the tuple,
 * Timer (pending timer and time left), RTO, Backoff, Rtx (consecutive
 * retransmissions), Retrans (total), cwnd, ssthresh ("inf" before the
 * first loss), snd_wnd, rcv_wnd, srtt, CA, CC; "-" where not sent.
 */
void tw_render_sockets_timers(FILE *f, const struct tw_sock *socks, size_t n);
void tw_render_closed(FILE *f, const struct tw_sock *socks, size_t n,
		      bool json);
void tw_render_stats(FILE *f, const struct tw_stats *st, bool json,
		     bool hist);
/*
 * The listeners.  Text: one row each, with a second line of handshake
 * counters when the module sent any; @hist adds the bar charts of each
 * listener's histograms with samples (JSON always has them all).
 */
void tw_render_listeners(FILE *f, const struct tw_listener *ls, size_t n,
			 bool json, bool hist);
void tw_render_halfopen(FILE *f, const struct tw_halfopen *hs, size_t n,
			bool json);

/*
 * Histogram kind @kind's JSON name and chart title; false for a kind
 * this tool does not know (or time in state, which goes by state).
 */
bool tw_hist_kind_name(unsigned int kind, const char **json,
		       const char **title);
/* The bar chart of @h, of kind @kind, under its title ("no samples"...). */
void tw_render_hist_chart(FILE *f, unsigned int kind, const struct tw_hist *h);

/* net.ipv4.tcp_syncookies as "off", "on", "always"; NULL if unknown. */
const char *tw_syncookies_name(unsigned int v);

/*
 * Column titles for text events (they describe the lines of the events
 * that carry states); nothing in JSON mode.
 */
void tw_render_event_header(FILE *f, bool json);
/*
 * One line for one event.  Handshake events read "TIME KIND LISTENER <-
 * CLIENT DETAIL", e.g. "halfopen-end 192.0.2.1:7200 <- 192.0.2.2:40000
 * expired after 7.00s, 2 SYN-ACK rtx".
 */
void tw_render_event(FILE *f, const struct tw_sock *ev, bool json);
/*
 * The same into @w, and the same for tw_render_retrans() and
 * tw_render_window() below: a stream of events goes into one buffer,
 * which its reader flushes when it has drained what was queued.
 */
void tw_render_event_out(struct tw_out *w, const struct tw_sock *ev,
			 bool json);
void tw_render_retrans_out(struct tw_out *w, const struct tw_sock *ev,
			   bool json);
void tw_render_window_out(struct tw_out *w, const struct tw_sock *ev,
			  bool json);

/*
 * Text: "STATE", "TW-ENTER", "TW-EXIT", "halfopen-end", "synack-rtx",
 * "syn-drop", "acceptq-overflow"; JSON (and --kind): "state", "tw_enter",
 * "tw_exit", "halfopen_end", "synack_retrans", "syn_drop",
 * "acceptq_overflow".  "UNKNOWN" / "unknown" for a kind not known here.
 */
const char *tw_event_name(unsigned int event, bool json);

/*
 * Whether @event is one of the timer and window events: RETRANS, RTO,
 * CA_STATE, WINDOW.
 */
bool tw_event_is_timer(unsigned int event);

/*
 * `tcpwatch retrans`: column titles, then one line per RETRANS, RTO or
 * CA_STATE event (JSON: as tw_render_event()).
 */
void tw_render_retrans_header(FILE *f, bool json);
void tw_render_retrans(FILE *f, const struct tw_sock *ev, bool json);

/* `tcpwatch window`: one line per WINDOW sample (JSON as events). */
void tw_render_window_header(FILE *f, bool json);
void tw_render_window(FILE *f, const struct tw_sock *ev, bool json);

/*
 * Names: timers ("rto", "persist", "tlp", "reorder", "keepalive",
 * "timewait", "-" for none; JSON "retrans", "zero_window", "loss_probe",
 * "reorder", "keepalive", "time_wait", "none"), congestion states
 * ("open", "disorder", "cwr", "recovery", "loss") and retransmission
 * causes ("rto", "loss", "fast", "tlp", "syn"); "unknown" otherwise.
 */
const char *tw_timer_name(unsigned int timer, bool json);
const char *tw_ca_name(unsigned int ca);
const char *tw_cause_name(unsigned int cause);

/*
 * "completed", "expired", "reset", "dropped"; NULL for an unknown
 * outcome.
 */
const char *tw_outcome_name(unsigned int outcome);

/* The event kinds this tool knows: bits 0 .. TW_EVENT_KINDS - 1. */
#define TW_EVENT_KINDS	(TCPWATCH_EV_WINDOW + 1)
#define TW_ALL_KINDS	((1U << TW_EVENT_KINDS) - 1)
/* The kinds that carry states (tw_event_has_states()). */
#define TW_STATE_KINDS	(1U << TCPWATCH_EV_STATE |		\
			 1U << TCPWATCH_EV_TW_ENTER |		\
			 1U << TCPWATCH_EV_TW_EXIT)
/* What `tcpwatch retrans` shows by default. */
#define TW_RETRANS_KINDS (1U << TCPWATCH_EV_RETRANS |		\
			  1U << TCPWATCH_EV_RTO |		\
			  1U << TCPWATCH_EV_CA_STATE)

/*
 * A comma-separated list of event kinds into a bitmask (1 << kind): their
 * JSON names, any case, '-' for '_', or their text names ("synack-rtx");
 * "all" for every kind.  Returns 0, or -1 with the offending item copied
 * to @bad.
 */
int tw_parse_kinds(const char *arg, uint32_t *mask, char *bad, size_t badlen);

#endif /* TCPWATCH_RENDER_H */
