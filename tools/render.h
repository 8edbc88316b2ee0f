/* SPDX-License-Identifier: GPL-2.0 */
/*
 * render.h - parsed tcpwatch records to text tables or JSON.  Pure: each
 * function writes to the FILE it is given and reads nothing else.
 */
#ifndef TCPWATCH_RENDER_H
#define TCPWATCH_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

struct tw_filter {
	uint32_t states;	/* bits (1 << state); 0: any state */
	uint16_t port;		/* local or remote port; 0: any port */
};

/* What the state filter looks at. */
enum tw_match {
	TW_MATCH_SOCK,		/* the state now */
	TW_MATCH_EVENT,		/* the new state or the old one */
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
void tw_render_closed(FILE *f, const struct tw_sock *socks, size_t n,
		      bool json);
void tw_render_stats(FILE *f, const struct tw_stats *st, bool json,
		     bool hist);
void tw_render_listeners(FILE *f, const struct tw_listener *ls, size_t n,
			 bool json);
void tw_render_halfopen(FILE *f, const struct tw_halfopen *hs, size_t n,
			bool json);

/* net.ipv4.tcp_syncookies as "off", "on", "always"; NULL if unknown. */
const char *tw_syncookies_name(unsigned int v);

/* Column titles for text events; nothing in JSON mode. */
void tw_render_event_header(FILE *f, bool json);
/* One line for one event. */
void tw_render_event(FILE *f, const struct tw_sock *ev, bool json);

/* "STATE", "TW-ENTER", "TW-EXIT"; JSON: "state", "tw_enter", "tw_exit". */
const char *tw_event_name(unsigned int event, bool json);

#endif /* TCPWATCH_RENDER_H */
